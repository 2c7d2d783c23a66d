// SPDX-License-Identifier: GPL-2.0
/*
 * Solaris doors for Linux: moving data between two address spaces.
 *
 * Large arguments and results are copied once, by whichever side is
 * running, from the other side's pages (pinned for the copy) into its own
 * user memory.  The other side is blocked in a door ioctl meanwhile, so
 * its buffer holds still and its mm stays alive.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>
#include "doors.h"

#define DOOR_PIN_BATCH	16

/*
 * Copy @len bytes between @addr in @mm and our own @ubuf: out of @mm, or
 * into it (@write, its pages pinned for writing).  Returns 0, -EINTR,
 * -EFAULT if @addr is not accessible in @mm, or the number of bytes not
 * copied (> 0) if @ubuf is not, as copy_to_user() does.
 */
long door_copy_mm(struct mm_struct *mm, unsigned long addr,
		  void __user *ubuf, size_t len, bool write)
{
	struct page *pages[DOOR_PIN_BATCH] __uninitialized;

	while (len) {
		unsigned int off = offset_in_page(addr);
		unsigned long nr = min_t(unsigned long, DOOR_PIN_BATCH,
					 DIV_ROUND_UP(off + len, PAGE_SIZE));
		int locked = 1;
		long got, i;

		if (mmap_read_lock_killable(mm))
			return -EINTR;
		got = pin_user_pages_remote(mm, addr & PAGE_MASK, nr,
					    write ? FOLL_WRITE : 0, pages, NULL,
					    &locked);
		if (locked)
			mmap_read_unlock(mm);
		if (got <= 0)
			return got == -EINTR ? -EINTR : -EFAULT;

		for (i = 0; i < got && len; i++) {
			size_t n = min_t(size_t, len, PAGE_SIZE - off);
			void *kaddr = kmap_local_page(pages[i]);
			unsigned long left;

			if (write)
				left = copy_from_user(kaddr + off, ubuf, n);
			else
				left = copy_to_user(ubuf, kaddr + off, n);
			kunmap_local(kaddr);
			if (left) {
				unpin_user_pages_dirty_lock(pages, got, write);
				return len;
			}
			ubuf += n;
			addr += n;
			len -= n;
			off = 0;
		}
		unpin_user_pages_dirty_lock(pages, got, write);
	}
	return 0;
}

/* A fresh private anonymous region in the current process, or 0. */
unsigned long door_map_anon(size_t len)
{
	unsigned long addr;

	if (!len || len > TASK_SIZE - PAGE_SIZE)
		return 0;
	addr = vm_mmap(NULL, 0, PAGE_ALIGN(len), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	return IS_ERR_VALUE(addr) ? 0 : addr;
}
