// SPDX-License-Identifier: GPL-2.0
/*
 * Solaris doors for Linux: passing descriptors with calls and results.
 *
 * The sender's descriptors become file references in the call record
 * (struct door_files); the receiver installs them in its own table, as
 * SCM_RIGHTS does: a received descriptor shares the sender's open file.
 */
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "doors.h"

/* Attributes a receiver sees for a door (illumos DOOR_ATTR_MASK). */
#define DOOR_DESC_ATTRS	(DOOR_UNREF | DOOR_PRIVATE | DOOR_UNREF_MULTI | \
			 DOOR_REFUSE_DESC | DOOR_NO_CANCEL | \
			 DOOR_NO_DEPLETION_CB | DOOR_PRIVCREATE)

/* Drop what was not handed over to a receiver. */
void door_files_put(struct door_files *df)
{
	while (df->n) {
		struct file *file = df->files[--df->n];

		if (file->f_op == &door_fops)
			door_drop(file);
		else
			fput(file);
	}
	if (df->files != df->inl)
		kfree(df->files);
	df->files = df->inl;
}

/*
 * No memory for the sender's array: close its DOOR_RELEASE descriptors
 * reading one entry at a time, so that ENOMEM closes them as every other
 * error but EFAULT and EBADF does.
 */
static void door_files_release_each(u64 uptr, u32 n)
{
	struct door_udesc __user *u = u64_to_user_ptr(uptr);
	u32 i, attributes;
	s32 fd;

	for (i = 0; i < n; i++) {
		if (get_user(attributes, &u[i].d_attributes) ||
		    get_user(fd, &u[i].d_descriptor))
			return;
		if (attributes & DOOR_RELEASE)
			close_fd(fd);
	}
}

/*
 * Take a reference on each descriptor of the sender's array.  The array
 * is kept for door_files_close_released(): a bad entry (EINVAL) still
 * leaves the DOOR_RELEASE descriptors to be closed, as on illumos.
 */
int door_files_get(struct door_files *df, u64 uptr, u32 n)
{
	struct door_udesc *desc;
	int i, ret = 0;

	if (!n)
		return 0;
	if (n > DOOR_MAX_DESC)
		return -E2BIG;
	/* memdup_user(), charged to the sender: a call may hold it long */
	desc = kmalloc_array(n, sizeof(*desc),
			     GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!desc) {
		door_files_release_each(uptr, n);
		return -ENOMEM;
	}
	if (copy_from_user(desc, u64_to_user_ptr(uptr), n * sizeof(*desc))) {
		kfree(desc);
		return -EFAULT;
	}
	df->desc = desc;
	df->ndesc = n;
	if (n > DOOR_FILES_INLINE) {
		df->files = kmalloc_array(n, sizeof(*df->files),
					  GFP_KERNEL_ACCOUNT);
		if (!df->files) {
			df->files = df->inl;
			return -ENOMEM;
		}
	}
	for (i = 0; i < n; i++) {
		struct file *file = NULL;

		if (desc[i].d_attributes & DOOR_DESCRIPTOR)
			file = fget(desc[i].d_descriptor);
		if (!file) {
			ret = -EINVAL;
			break;
		}
		df->files[df->n++] = file;
	}
	if (ret)
		door_files_put(df);
	return ret;
}

/*
 * Close the sender's DOOR_RELEASE descriptors (unless @error is EFAULT or
 * EBADF: illumos leaves them open then) and forget the sender's array.
 */
void door_files_close_released(struct door_files *df, int error)
{
	u32 i;

	if (!df->desc)
		return;
	for (i = 0; error != -EFAULT && error != -EBADF && i < df->ndesc; i++) {
		int fd = df->desc[i].d_descriptor;

		if (!(df->desc[i].d_attributes & DOOR_RELEASE))
			continue;
		/*
		 * Only while the number still holds the file passed: an
		 * entry repeated must not close what took its number since.
		 */
		if (i < df->n) {
			struct file *file = fget_raw(fd);

			if (file)
				fput(file);
			if (file != df->files[i])
				continue;
		}
		close_fd(fd);
	}
	kfree(df->desc);
	df->desc = NULL;
}

/* How a receiver sees a passed file. */
static void door_desc_fill(struct door_udesc *d, struct file *file, int fd)
{
	memset(d, 0, sizeof(*d));
	d->d_attributes = DOOR_DESCRIPTOR;
	d->d_descriptor = fd;
	if (file->f_op == &door_fops) {
		struct door *door = file->private_data;

		d->d_attributes |= door->attributes & DOOR_DESC_ATTRS;
		if (READ_ONCE(door->revoked))
			d->d_attributes |= DOOR_REVOKED;
		if (door_ctx_owned(door->ctx))
			d->d_attributes |= DOOR_LOCAL;
		d->d_id = door->id;
	}
}

/*
 * Reserve descriptors of the current process for the files and write
 * their descriptions at @uptr (all or none); door_files_commit() installs them, or
 * door_files_unreserve() gives the numbers back.  NULL if there are no
 * files, or ERR_PTR(-EMFILE, -EFAULT or -ENOMEM) with nothing reserved.
 * Received descriptors are not close-on-exec (illumos).
 */
struct door_udesc *door_files_reserve(struct door_files *df, u64 uptr)
{
	struct door_udesc *desc;
	unsigned int i;
	int ret = 0;

	if (!df->n)
		return NULL;
	desc = kvmalloc_array(df->n, sizeof(*desc), GFP_KERNEL_ACCOUNT);
	if (!desc)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < df->n; i++) {
		int fd = get_unused_fd_flags(0);

		if (fd < 0) {
			ret = fd;
			break;
		}
		door_desc_fill(&desc[i], df->files[i], fd);
	}
	if (!ret && copy_to_user(u64_to_user_ptr(uptr), desc,
				 df->n * sizeof(*desc)))
		ret = -EFAULT;
	if (!ret)
		return desc;
	door_files_unreserve(desc, i);
	return ERR_PTR(ret);
}

/* Install the files at the reserved numbers; never sleeps. */
void door_files_commit(struct door_files *df, const struct door_udesc *desc)
{
	unsigned int i;

	for (i = 0; i < df->n; i++)
		fd_install(desc[i].d_descriptor, df->files[i]);
	df->n = 0;
}

/* Give back the first @n descriptors reserved, if any. */
void door_files_unreserve(struct door_udesc *desc, unsigned int n)
{
	if (IS_ERR_OR_NULL(desc))
		return;
	while (n--)
		put_unused_fd(desc[n].d_descriptor);
	kvfree(desc);
}

/* Results of a call whose client has gone: close the DOOR_RELEASE ones. */
int door_files_release(u64 uptr, u32 n)
{
	struct door_files df;
	int ret;

	door_files_init(&df);
	ret = door_files_get(&df, uptr, n);
	door_files_close_released(&df, 0);
	door_files_put(&df);
	return ret;
}
