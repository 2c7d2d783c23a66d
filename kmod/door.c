// SPDX-License-Identifier: GPL-2.0
/*
 * Solaris doors for Linux: door objects and their files.
 */
#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "doors.h"

/* What DOOR_IOC_CREATE accepts (illumos DOOR_CREATE_MASK). */
#define DOOR_CREATE_ATTRS	(DOOR_UNREF_ANY | DOOR_PRIVATE | \
				 DOOR_REFUSE_DESC | DOOR_NO_CANCEL | \
				 DOOR_NO_DEPLETION_CB | DOOR_PRIVCREATE)

/* di_uniquifier: system-wide, never reused, never an address. */
static atomic64_t door_next_id = ATOMIC64_INIT(0);

static void door_ctx_free(struct kref *ref)
{
	struct door_ctx *ctx = container_of(ref, struct door_ctx, ref);

	door_user_put(ctx->user);
	put_pid(ctx->owner);
	kfree(ctx);
	door_object_gone(DOOR_OBJ_CONTEXTS, 1);
}

void door_ctx_put(struct door_ctx *ctx)
{
	kref_put(&ctx->ref, door_ctx_free);
}

void door_pool_init(struct door_pool *pool)
{
	INIT_HLIST_HEAD(&pool->parked);
	init_waitqueue_head(&pool->wait);
	INIT_LIST_HEAD(&pool->unref);
}

static void door_free(struct kref *ref)
{
	struct door *door = container_of(ref, struct door, ref);
	struct door_ctx *ctx = door->ctx;

	spin_lock(&ctx->lock);
	list_del(&door->node);
	ctx->ndoors--;
	spin_unlock(&ctx->lock);
	door_user_uncharge(ctx->user, DOOR_LIMIT_DOORS);
	door_ctx_put(ctx);
	kfree(door);
	door_object_gone(DOOR_OBJ_DOORS, 1);
}

void door_put(struct door *door)
{
	kref_put(&door->ref, door_free);
}

/*
 * The server process is gone: its doors answer EBADF from now on, and
 * pending unreferenced invocations are dropped.
 */
void door_ctx_revoke_all(struct door_ctx *ctx)
{
	struct door *door, *tmp;
	LIST_HEAD(unref);

	spin_lock(&ctx->lock);
	ctx->dead = true;
	list_for_each_entry(door, &ctx->doors, node) {
		door->revoked = true;
		wake_up_all(&door->pool.wait);
		if (door->unref_state == DOOR_UNREF_PENDING) {
			door->unref_state = DOOR_UNREF_IDLE;
			list_move(&door->unref_node, &unref);
		}
	}
	spin_unlock(&ctx->lock);
	wake_up_all(&ctx->pool.wait);
	list_for_each_entry_safe(door, tmp, &unref, unref_node) {
		list_del_init(&door->unref_node);
		door_put(door);
	}
}

static int door_flush(struct file *file, fl_owner_t id)
{
	struct door *door = file->private_data;

	if (door->attributes & DOOR_UNREF_ANY)
		door_unref_closing(file);
	return 0;
}

static int door_release(struct inode *inode, struct file *file)
{
	struct door *door = file->private_data;

	spin_lock(&door->ctx->lock);
	door->file = NULL;
	spin_unlock(&door->ctx->lock);
	door_put(door);
	return 0;
}

static void door_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct door *door = file->private_data;
	struct door_ctx *ctx = door->ctx;
	unsigned int active;
	bool revoked, dead;

	spin_lock(&ctx->lock);
	active = door->active;
	revoked = door->revoked;
	dead = ctx->dead;
	spin_unlock(&ctx->lock);
	seq_printf(m, "door-id:\t%llu\n", door->id);
	seq_printf(m, "door-target:\t%d\n", dead ? -1 :
		   pid_nr_ns(ctx->owner, task_active_pid_ns(current)));
	seq_printf(m, "door-attributes:\t0x%x\n",
		   door->attributes | (revoked ? DOOR_REVOKED : 0));
	seq_printf(m, "door-active:\t%u\n", active);
}

/*
 * Door files are made only by door_file_alloc(), which opens them with
 * FMODE_NONOTIFY (no fsnotify events for them either).  An open of the
 * door inode from user space, through /proc/PID/fd, cannot ask for it and
 * fails: such a file would have no door.
 */
static int door_open(struct inode *inode, struct file *file)
{
	return file->f_mode & FMODE_NONOTIFY ? 0 : -ENXIO;
}

const struct file_operations door_fops = {
	.owner		= THIS_MODULE,
	.open		= door_open,
	.flush		= door_flush,
	.release	= door_release,
	.show_fdinfo	= door_show_fdinfo,
	.llseek		= noop_llseek,
};

/*
 * Door files live on a pseudo file system of their own, all opened on one
 * dentry of one inode of type DOOR_S_IFDOOR, so that fstat() tells a door
 * as on illumos; a door costs its file, not a dentry too.
 */
#define DOORFS_MAGIC	0x444f4f52	/* "DOOR" */

static struct path door_path;

static char *door_dname(struct dentry *dentry, char *buffer, int buflen)
{
	static const char name[] = "door:[door]";

	if (buflen < sizeof(name))
		return ERR_PTR(-ENAMETOOLONG);
	buffer += buflen - sizeof(name);
	memcpy(buffer, name, sizeof(name));
	return buffer;
}

static const struct dentry_operations door_dops = {
	.d_dname	= door_dname,
};

static int door_init_fs_context(struct fs_context *fc)
{
	struct pseudo_fs_context *ctx = init_pseudo(fc, DOORFS_MAGIC);

	if (!ctx)
		return -ENOMEM;
	ctx->dops = &door_dops;
	return 0;
}

static struct file_system_type door_fs_type = {
	.name		= "doorfs",
	.init_fs_context = door_init_fs_context,
	.kill_sb	= kill_anon_super,
};

int __init door_fs_init(void)
{
	struct vfsmount *mnt;
	struct inode *inode;
	struct dentry *dentry;

	mnt = kern_mount(&door_fs_type);
	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	inode = alloc_anon_inode(mnt->mnt_sb);
	if (IS_ERR(inode)) {
		kern_unmount(mnt);
		return PTR_ERR(inode);
	}
	inode->i_mode = DOOR_S_IFDOOR | 0600;
	inode->i_fop = &door_fops;
	dentry = d_alloc_anon(mnt->mnt_sb);
	if (!dentry) {
		iput(inode);
		kern_unmount(mnt);
		return -ENOMEM;
	}
	d_instantiate(dentry, inode);
	door_path.mnt = mnt;
	door_path.dentry = dentry;
	return 0;
}

void door_fs_exit(void)
{
	dput(door_path.dentry);
	kern_unmount(door_path.mnt);
}

static struct file *door_file_alloc(struct door *door)
{
	struct file *file;

	/* fops_get() in the open takes the module for the file */
	file = dentry_open(&door_path, O_RDWR | __FMODE_NONOTIFY,
			   current_cred());
	if (IS_ERR(file))
		return file;
	/* as alloc_file_pseudo() made them: no seek, pread, pwrite */
	file->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
	file->private_data = door;
	return file;
}

long door_create(struct door_ctx *ctx, struct door_create_args __user *uarg)
{
	struct door_create_args args;
	struct door *door;
	struct file *file;
	int fd;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.pad || args.attributes & ~DOOR_CREATE_ATTRS ||
	    (args.attributes & DOOR_UNREF_ANY) == DOOR_UNREF_ANY)
		return -EINVAL;
	if (!door_ctx_owned(ctx))
		return -EPERM;

	/* kmalloc-192 (lock debugging makes spinlocks larger) */
	BUILD_BUG_ON(!IS_ENABLED(CONFIG_DEBUG_SPINLOCK) &&
		     !IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC) && sizeof(*door) > 192);
	if (!door_user_charge(ctx->user, DOOR_LIMIT_DOORS))
		return -ENOMEM;
	door = kzalloc(sizeof(*door), GFP_KERNEL_ACCOUNT);
	if (!door) {
		door_user_uncharge(ctx->user, DOOR_LIMIT_DOORS);
		return -ENOMEM;
	}
	door_object_new(DOOR_OBJ_DOORS);
	kref_init(&door->ref);
	door->proc = args.proc;
	door->cookie = args.cookie;
	door->attributes = args.attributes;
	door->id = atomic64_inc_return(&door_next_id);
	door->data_max = U64_MAX;
	door->desc_max = args.attributes & DOOR_REFUSE_DESC ? 0 : INT_MAX;
	door_pool_init(&door->pool);
	INIT_LIST_HEAD(&door->unref_node);
	kref_get(&ctx->ref);
	door->ctx = ctx;
	spin_lock(&ctx->lock);
	list_add_tail(&door->node, &ctx->doors);
	ctx->ndoors++;
	spin_unlock(&ctx->lock);

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		kref_put(&door->ref, door_free);
		return fd;
	}
	file = door_file_alloc(door);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		kref_put(&door->ref, door_free);
		return PTR_ERR(file);
	}
	if (put_user(door->id, &uarg->id)) {
		put_unused_fd(fd);
		fput(file);
		return -EFAULT;
	}
	spin_lock(&ctx->lock);
	door->file = file;
	spin_unlock(&ctx->lock);
	fd_install(fd, file);
	return fd;
}

/*
 * The door file behind @file, a door or a file a door is attached to,
 * taking over the caller's reference to @file.  The reference returned
 * is a transient one, put back with door_fput().
 */
struct file *door_file_get(struct file *file)
{
	struct file *door_file = file;

	if (file->f_op != &door_fops) {
		door_file = door_attached_fget(file);
		fput(file);
		if (!door_file)
			return ERR_PTR(-EBADF);
	}
	door_transient_get(door_file->private_data);
	return door_file;
}

/* The door file behind fd, as door_file_get(). */
struct file *door_fget(int fd)
{
	struct file *file = fget(fd);

	return file ? door_file_get(file) : ERR_PTR(-EBADF);
}

/* The door behind @fd, or the one the calling thread serves or is bound to. */
static struct door *door_query(struct door_ctx *ctx, int fd)
{
	struct door *door = NULL;
	struct door_thread *t;
	struct file *file;

	if (fd != DOOR_QUERY) {
		file = door_fget(fd);
		if (IS_ERR(file))
			return ERR_CAST(file);
		door = file->private_data;
		kref_get(&door->ref);
		door_fput(file);
		return door;
	}
	t = door_thread_find(ctx);
	if (t) {
		spin_lock(&ctx->lock);
		door = t->call ? t->call->door : t->bound;
		if (door)
			kref_get(&door->ref);
		spin_unlock(&ctx->lock);
	}
	return door ?: ERR_PTR(-EBADF);
}

long door_info(struct door_ctx *ctx, struct door_info_args __user *uarg)
{
	struct door_info_args args;
	struct door_ctx *dctx;
	struct door *door;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags)
		return -EINVAL;
	door = door_query(ctx, args.fd);
	if (IS_ERR(door))
		return PTR_ERR(door);
	dctx = door->ctx;

	args.proc = door->proc;
	args.cookie = door->cookie;
	args.id = door->id;
	args.attributes = door->attributes;
	if (door_ctx_owned(dctx))
		args.attributes |= DOOR_LOCAL;
	spin_lock(&dctx->lock);
	args.target = dctx->dead ? -1 :
		pid_nr_ns(dctx->owner, task_active_pid_ns(current));
	if (door->revoked)
		args.attributes |= DOOR_REVOKED;
	if (door->attributes & DOOR_UNREF_ANY && door_is_unref(door))
		args.attributes |= DOOR_IS_UNREF;
	args.nparked = door_pool(door)->nparked;
	args.nbound = door->nbound;
	spin_unlock(&dctx->lock);
	door_put(door);

	if (copy_to_user(uarg, &args, sizeof(args)))
		return -EFAULT;
	return 0;
}

/* The door behind args->fd, checking flags; put with door_fput(). */
struct file *door_fget_args(struct door_fd_args __user *uarg,
				   struct door_fd_args *args)
{
	if (copy_from_user(args, uarg, sizeof(*args)))
		return ERR_PTR(-EFAULT);
	if (args->flags)
		return ERR_PTR(-EINVAL);
	return door_fget(args->fd);
}

/*
 * Calls in progress complete; waiting and new ones get EBADF.  As on
 * illumos, the descriptor is closed.
 */
long door_revoke(struct door_fd_args __user *uarg)
{
	struct door_fd_args args;
	struct door_ctx *ctx;
	struct door *door;
	struct file *file;

	file = door_fget_args(uarg, &args);
	if (IS_ERR(file))
		return PTR_ERR(file);
	door = file->private_data;
	ctx = door->ctx;
	if (!door_ctx_owned(ctx)) {
		door_fput(file);
		return -EPERM;
	}
	spin_lock(&ctx->lock);
	door->revoked = true;
	spin_unlock(&ctx->lock);
	wake_up_all(&door_pool(door)->wait);
	door_fput(file);
	close_fd(args.fd);
	return 0;
}

long door_getparam(struct door_param_args __user *uarg)
{
	struct door_param_args args;
	struct door *door;
	struct file *file;
	long ret = 0;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	file = door_fget(args.fd);
	if (IS_ERR(file))
		return PTR_ERR(file);
	door = file->private_data;
	spin_lock(&door->ctx->lock);
	switch (args.param) {
	case DOOR_PARAM_DESC_MAX:
		args.value = door->desc_max;
		break;
	case DOOR_PARAM_DATA_MAX:
		args.value = door->data_max;
		break;
	case DOOR_PARAM_DATA_MIN:
		args.value = door->data_min;
		break;
	default:
		ret = -EINVAL;
	}
	spin_unlock(&door->ctx->lock);
	door_fput(file);
	if (!ret && copy_to_user(uarg, &args, sizeof(args)))
		ret = -EFAULT;
	return ret;
}

static long door_set(struct door *door, u32 param, u64 value)
{
	switch (param) {
	case DOOR_PARAM_DESC_MAX:
		if (value > INT_MAX)
			return -ERANGE;
		if (value && door->attributes & DOOR_REFUSE_DESC)
			return -EOPNOTSUPP;
		door->desc_max = value;
		return 0;
	case DOOR_PARAM_DATA_MAX:
		if (value < door->data_min)
			return -EINVAL;
		WRITE_ONCE(door->data_max, value);
		return 0;
	case DOOR_PARAM_DATA_MIN:
		if (value > door->data_max)
			return -EINVAL;
		WRITE_ONCE(door->data_min, value);
		return 0;
	}
	return -EINVAL;
}

long door_setparam(struct door_param_args __user *uarg)
{
	struct door_param_args args;
	struct door *door;
	struct file *file;
	long ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	file = door_fget(args.fd);
	if (IS_ERR(file))
		return PTR_ERR(file);
	door = file->private_data;
	spin_lock(&door->ctx->lock);
	if (door->revoked)
		ret = -EBADF;
	else if (!door_ctx_owned(door->ctx))
		ret = -EPERM;
	else
		ret = door_set(door, args.param, args.value);
	spin_unlock(&door->ctx->lock);
	door_fput(file);
	return ret;
}
