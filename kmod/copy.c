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

int door_copy_from_mm(void __user *dst, struct mm_struct *mm,
		      unsigned long src, size_t len)
{
	struct page *pages[DOOR_PIN_BATCH] __uninitialized;

	while (len) {
		unsigned int off = offset_in_page(src);
		unsigned long nr = min_t(unsigned long, DOOR_PIN_BATCH,
					 DIV_ROUND_UP(off + len, PAGE_SIZE));
		int locked = 1;
		long got, i;

		if (mmap_read_lock_killable(mm))
			return -EINTR;
		got = pin_user_pages_remote(mm, src & PAGE_MASK, nr, 0,
					    pages, NULL, &locked);
		if (locked)
			mmap_read_unlock(mm);
		if (got <= 0)
			return got == -EINTR ? -EINTR : -EFAULT;

		for (i = 0; i < got && len; i++) {
			size_t n = min_t(size_t, len, PAGE_SIZE - off);
			void *kaddr = kmap_local_page(pages[i]);
			unsigned long left;

			left = copy_to_user(dst, kaddr + off, n);
			kunmap_local(kaddr);
			if (left) {
				unpin_user_pages(pages, got);
				return -EFAULT;
			}
			dst += n;
			src += n;
			len -= n;
			off = 0;
		}
		unpin_user_pages(pages, got);
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

/*
 * The reverse of door_copy_from_mm(): copy @len bytes of our own memory at
 * @src to @dst in @mm, through its pages pinned for writing.  -EFAULT if
 * either side is bad.
 */
int door_copy_to_mm(struct mm_struct *mm, unsigned long dst,
		    const void __user *src, size_t len)
{
	struct page *pages[DOOR_PIN_BATCH] __uninitialized;

	while (len) {
		unsigned int off = offset_in_page(dst);
		unsigned long nr = min_t(unsigned long, DOOR_PIN_BATCH,
					 DIV_ROUND_UP(off + len, PAGE_SIZE));
		int locked = 1;
		long got, i;

		if (mmap_read_lock_killable(mm))
			return -EINTR;
		got = pin_user_pages_remote(mm, dst & PAGE_MASK, nr, FOLL_WRITE,
					    pages, NULL, &locked);
		if (locked)
			mmap_read_unlock(mm);
		if (got <= 0)
			return got == -EINTR ? -EINTR : -EFAULT;

		for (i = 0; i < got && len; i++) {
			size_t n = min_t(size_t, len, PAGE_SIZE - off);
			void *kaddr = kmap_local_page(pages[i]);
			unsigned long left;

			left = copy_from_user(kaddr + off, src, n);
			kunmap_local(kaddr);
			if (left) {
				unpin_user_pages_dirty_lock(pages, got, true);
				return -EFAULT;
			}
			dst += n;
			src += n;
			len -= n;
			off = 0;
		}
		unpin_user_pages_dirty_lock(pages, got, true);
	}
	return 0;
}
