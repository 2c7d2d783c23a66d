// SPDX-License-Identifier: GPL-2.0
/*
 * Solaris doors for Linux: fattach() and fdetach().
 *
 * Linux has no namefs to lay a door over a file name.  Instead the module
 * remembers which inode a door is attached to; a door call on any file
 * whose inode carries an attachment goes to that door.  So a client's
 * plain open(path) followed by door_call() reaches the door, and the
 * file's own permissions decide who may open it.
 *
 * As on illumos, a descriptor from opening the attached name counts as a
 * reference to the door (for unreferenced notifications): an fsnotify
 * mark on the inode sees the file opened and closed.  The mark also sees
 * the file's last name go (unlink, rename over it), which detaches the
 * door as removing a namefs mount point would: otherwise nothing could
 * ever detach it, and the attachment would pin the file system.
 *
 * An attachment counts as a door of the user who made it (max_doors).
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fsnotify_backend.h>
#include <linux/hashtable.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "doors.h"

struct door_attachment {
	struct fsnotify_mark mark;	/* on the inode; frees the attachment */
	struct hlist_node node;
	struct path path;		/* pins the mount and the inode */
	struct file *door;		/* NULL once detached */
	struct door_user *user;		/* charged for it */
	struct list_head opens;		/* door_attach_open.node */
};

/* A file opened on the attached name, counted as a door reference. */
struct door_attach_open {
	struct list_head node;
	struct file *file;
};

static DEFINE_HASHTABLE(door_attachments, 6);
static DEFINE_MUTEX(door_attach_lock);
static struct fsnotify_group *door_fsn_group;

static void door_attach_opened(struct door_attachment *a, struct file *file)
{
	struct door_attach_open *o = kmalloc(sizeof(*o), GFP_KERNEL_ACCOUNT);

	if (!o)
		return;		/* not counted: an unref may come early */
	mutex_lock(&door_attach_lock);
	if (a->door) {
		o->file = file;
		list_add(&o->node, &a->opens);
		door_open_refs(a->door->private_data, 1);
		door_object_new(DOOR_OBJ_OPENS);
		o = NULL;
	}
	mutex_unlock(&door_attach_lock);
	kfree(o);
}

static void door_attach_closed(struct door_attachment *a, struct file *file)
{
	struct door_attach_open *o, *found = NULL;

	mutex_lock(&door_attach_lock);
	list_for_each_entry(o, &a->opens, node)
		if (o->file == file) {
			found = o;
			list_del(&o->node);
			door_open_refs(a->door->private_data, -1);
			door_object_gone(DOOR_OBJ_OPENS, 1);
			break;
		}
	mutex_unlock(&door_attach_lock);
	kfree(found);
}

static void door_attach_unlinked(struct door_attachment *a);

/*
 * Events of the attached inode: opened and closed (events of a file,
 * whose path fsnotify passes), and its link count changed.
 */
static int door_attach_event(struct fsnotify_group *group, u32 mask,
			     const void *data, int data_type,
			     struct inode *dir, const struct qstr *name,
			     u32 cookie, struct fsnotify_iter_info *iter_info)
{
	const struct path *path = fsnotify_data_path(data, data_type);
	struct inode *inode = fsnotify_data_inode(data, data_type);
	struct fsnotify_mark *mark = fsnotify_iter_inode_mark(iter_info);
	struct door_attachment *a;
	struct file *file;

	if (!mark)
		return 0;
	a = container_of(mark, struct door_attachment, mark);
	if (mask & FS_ATTRIB) {
		if (inode && !inode->i_nlink)
			door_attach_unlinked(a);
		return 0;
	}
	if (!path)
		return 0;
	file = container_of(path, struct file, f_path);
	if (mask & FS_OPEN)
		door_attach_opened(a, file);
	else if (mask & (FS_CLOSE_WRITE | FS_CLOSE_NOWRITE))
		door_attach_closed(a, file);
	return 0;
}

static void door_attach_free(struct fsnotify_mark *mark)
{
	kfree(container_of(mark, struct door_attachment, mark));
	door_object_gone(DOOR_OBJ_ATTACHMENTS, 1);
}

static const struct fsnotify_ops door_fsn_ops = {
	.handle_event	= door_attach_event,
	.free_mark	= door_attach_free,
};

int __init door_attach_init(void)
{
	door_fsn_group = fsnotify_alloc_group(&door_fsn_ops, 0);
	return PTR_ERR_OR_ZERO(door_fsn_group);
}

void door_attach_exit(void)
{
	fsnotify_wait_marks_destroyed();
	fsnotify_put_group(door_fsn_group);
}

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
 * the file and may write it, or is privileged.  And it is a name: a pipe,
 * socket, memfd or anonymous file (a door among them) reached through a
 * /proc/PID/fd link lives on a kernel-internal mount, and a door attached
 * to the anonymous inode would answer calls on every such file.  As a
 * mount on such a file would: EINVAL.
 */
static int door_attach_path(const struct door_attach_args *args,
			    struct path *path)
{
	int ret;

	ret = user_path_at(AT_FDCWD, u64_to_user_ptr(args->path),
			   LOOKUP_FOLLOW, path);
	if (ret)
		return ret;
	if (path->mnt->mnt_flags & MNT_INTERNAL)
		ret = -EINVAL;
	else if (!inode_owner_or_capable(mnt_user_ns(path->mnt),
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
	door_object_new(DOOR_OBJ_ATTACHMENTS);
	INIT_LIST_HEAD(&a->opens);
	a->user = door_user_get();
	if (!a->user)
		goto out_free;
	if (!door_user_charge(a->user, DOOR_LIMIT_DOORS))
		goto out_user;
	ret = door_attach_path(&args, &a->path);
	if (ret)
		goto out_uncharge;

	inode = d_inode(a->path.dentry);
	fsnotify_init_mark(&a->mark, door_fsn_group);
	a->mark.mask = FS_OPEN | FS_CLOSE_WRITE | FS_CLOSE_NOWRITE | FS_ATTRIB;
	mutex_lock(&door_attach_lock);
	if (door_attachment_find(inode)) {
		mutex_unlock(&door_attach_lock);
		ret = -EBUSY;
		goto out_mark;
	}
	a->door = door;
	ret = fsnotify_add_inode_mark(&a->mark, inode, 0);
	if (ret) {
		mutex_unlock(&door_attach_lock);
		goto out_mark;
	}
	/*
	 * A file with no name left (unlinked, O_TMPFILE, reached through
	 * /proc/PID/fd; or unlinked since the lookup, before the mark could
	 * see it go) could never be detached.  Its last unlink drops i_nlink
	 * before telling the mark, which waits for this lock.
	 */
	if (!inode->i_nlink) {
		a->door = NULL;
		fsnotify_destroy_mark(&a->mark, door_fsn_group);
		mutex_unlock(&door_attach_lock);
		ret = -ENOENT;
		goto out_mark;
	}
	hash_add(door_attachments, &a->node, (unsigned long)inode);
	mutex_unlock(&door_attach_lock);
	return 0;

out_mark:
	path_put(&a->path);
	door_user_uncharge(a->user, DOOR_LIMIT_DOORS);
	door_user_put(a->user);
	fsnotify_put_mark(&a->mark);	/* frees a */
	fput(door);
	return ret;
out_uncharge:
	door_user_uncharge(a->user, DOOR_LIMIT_DOORS);
out_user:
	door_user_put(a->user);
out_free:
	kfree(a);
	door_object_gone(DOOR_OBJ_ATTACHMENTS, 1);
out_fput:
	fput(door);
	return ret;
}

/*
 * Detach: files opened on the name no longer reach the door, so they no
 * longer count, and the mark goes.  Locked; door_attach_put() follows.
 */
static struct file *door_attach_forget(struct door_attachment *a)
{
	struct file *door = a->door;
	struct door_attach_open *o, *tmp;
	int n = 0;

	hash_del(&a->node);
	list_for_each_entry_safe(o, tmp, &a->opens, node) {
		list_del(&o->node);
		kfree(o);
		n++;
	}
	if (n) {
		door_open_refs(door->private_data, -n);
		door_object_gone(DOOR_OBJ_OPENS, n);
	}
	a->door = NULL;
	/* gone before another fattach of the inode can add its own */
	fsnotify_destroy_mark(&a->mark, door_fsn_group);
	return door;
}

/* Drop what a forgotten attachment held. */
static void door_attach_put(struct door_attachment *a, struct file *door)
{
	door_drop(door);
	path_put(&a->path);
	door_user_uncharge(a->user, DOOR_LIMIT_DOORS);
	door_user_put(a->user);
	fsnotify_put_mark(&a->mark);	/* frees a */
}

long door_fdetach(struct door_attach_args __user *uarg)
{
	struct door_attach_args args;
	struct door_attachment *a;
	struct file *door = NULL;
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
		door = door_attach_forget(a);
	mutex_unlock(&door_attach_lock);
	path_put(&path);
	if (!a)
		return -EINVAL;
	door_attach_put(a, door);
	return 0;
}

/* The attached file has no name left: detach, as fdetach would. */
static void door_attach_unlinked(struct door_attachment *a)
{
	struct file *door = NULL;

	mutex_lock(&door_attach_lock);
	if (a->door)
		door = door_attach_forget(a);
	mutex_unlock(&door_attach_lock);
	if (door)
		door_attach_put(a, door);
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
