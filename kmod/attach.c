// SPDX-License-Identifier: GPL-2.0
/*
 * Solaris doors for Linux: fattach() and fdetach().
 *
 * Linux has no namefs to lay a door over a file name.  Instead the module
 * remembers which inode a door is attached to; a door call on any file
 * whose inode carries an attachment goes to that door.  So a client's
 * plain open(path) followed by door_call() reaches the door, and the
 * file's own permissions decide who may open it.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "doors.h"

struct door_attachment {
	struct hlist_node node;
	struct path path;		/* pins the mount and the inode */
	struct file *door;
};

static DEFINE_HASHTABLE(door_attachments, 6);
static DEFINE_MUTEX(door_attach_lock);

static struct door_attachment *door_attachment_find(struct inode *inode)
{
	struct door_attachment *a;

	hash_for_each_possible(door_attachments, a, node, (unsigned long)inode)
		if (d_inode(a->path.dentry) == inode)
			return a;
	return NULL;
}

/*
 * Look up the path of an attach request.  Solaris rules: the caller owns
 * the file and may write it, or is privileged.
 */
static int door_attach_path(const struct door_attach_args *args,
			    struct path *path)
{
	int ret;

	ret = user_path_at(AT_FDCWD, u64_to_user_ptr(args->path),
			   LOOKUP_FOLLOW, path);
	if (ret)
		return ret;
	if (!inode_owner_or_capable(mnt_user_ns(path->mnt),
				    d_inode(path->dentry)))
		ret = -EPERM;
	else
		ret = path_permission(path, MAY_WRITE);
	if (ret)
		path_put(path);
	return ret;
}

long door_fattach(struct door_attach_args __user *uarg)
{
	struct door_attach_args args;
	struct door_attachment *a;
	struct inode *inode;
	struct file *door;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags)
		return -EINVAL;
	door = fget(args.fd);
	if (!door)
		return -EBADF;
	ret = -EINVAL;
	if (door->f_op != &door_fops)
		goto out_fput;
	ret = -ENOMEM;
	a = kzalloc(sizeof(*a), GFP_KERNEL_ACCOUNT);
	if (!a)
		goto out_fput;
	ret = door_attach_path(&args, &a->path);
	if (ret)
		goto out_free;

	inode = d_inode(a->path.dentry);
	mutex_lock(&door_attach_lock);
	if (door_attachment_find(inode)) {
		mutex_unlock(&door_attach_lock);
		ret = -EBUSY;
		goto out_path;
	}
	a->door = door;
	hash_add(door_attachments, &a->node, (unsigned long)inode);
	mutex_unlock(&door_attach_lock);
	return 0;

out_path:
	path_put(&a->path);
out_free:
	kfree(a);
out_fput:
	fput(door);
	return ret;
}

long door_fdetach(struct door_attach_args __user *uarg)
{
	struct door_attach_args args;
	struct door_attachment *a;
	struct path path;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.fd != -1)
		return -EINVAL;
	ret = door_attach_path(&args, &path);
	if (ret)
		return ret;

	mutex_lock(&door_attach_lock);
	a = door_attachment_find(d_inode(path.dentry));
	if (a)
		hash_del(&a->node);
	mutex_unlock(&door_attach_lock);
	path_put(&path);
	if (!a)
		return -EINVAL;
	door_drop(a->door);
	path_put(&a->path);
	kfree(a);
	return 0;
}

/* The door attached to @file's inode, with a reference, or NULL. */
struct file *door_attached_fget(struct file *file)
{
	struct door_attachment *a;
	struct file *door = NULL;

	mutex_lock(&door_attach_lock);
	a = door_attachment_find(file_inode(file));
	if (a)
		door = get_file(a->door);
	mutex_unlock(&door_attach_lock);
	return door;
}
