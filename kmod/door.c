// SPDX-License-Identifier: GPL-2.0
/*
 * Solaris doors for Linux: door objects and their files.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "doors.h"

/* di_uniquifier: system-wide, never reused, never an address. */
static atomic64_t door_next_id = ATOMIC64_INIT(0);

static void door_ctx_free(struct kref *ref)
{
	struct door_ctx *ctx = container_of(ref, struct door_ctx, ref);

	put_pid(ctx->owner);
	kfree(ctx);
}

void door_ctx_put(struct door_ctx *ctx)
{
	kref_put(&ctx->ref, door_ctx_free);
}

static void door_free(struct kref *ref)
{
	struct door *door = container_of(ref, struct door, ref);
	struct door_ctx *ctx = door->ctx;

	spin_lock(&ctx->lock);
	list_del(&door->node);
	ctx->ndoors--;
	spin_unlock(&ctx->lock);
	door_ctx_put(ctx);
	kfree(door);
}

/* The server process is gone: its doors answer EBADF from now on. */
void door_ctx_revoke_all(struct door_ctx *ctx)
{
	struct door *door;

	spin_lock(&ctx->lock);
	ctx->dead = true;
	list_for_each_entry(door, &ctx->doors, node)
		door->revoked = true;
	spin_unlock(&ctx->lock);
	wake_up_all(&ctx->pool_wait);
}

static int door_release(struct inode *inode, struct file *file)
{
	struct door *door = file->private_data;

	kref_put(&door->ref, door_free);
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

const struct file_operations door_fops = {
	.owner		= THIS_MODULE,
	.release	= door_release,
	.show_fdinfo	= door_show_fdinfo,
	.llseek		= noop_llseek,
};

static bool door_ctx_owned(struct door_ctx *ctx)
{
	return ctx->owner == task_tgid(current);
}

long door_create(struct door_ctx *ctx, struct door_create_args __user *uarg)
{
	struct door_create_args args;
	struct door *door;
	struct file *file;
	int fd;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.attributes || args.pad)
		return -EINVAL;
	if (!door_ctx_owned(ctx))
		return -EPERM;

	door = kzalloc(sizeof(*door), GFP_KERNEL_ACCOUNT);
	if (!door)
		return -ENOMEM;
	kref_init(&door->ref);
	door->proc = args.proc;
	door->cookie = args.cookie;
	door->attributes = args.attributes;
	door->id = atomic64_inc_return(&door_next_id);
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
	file = anon_inode_getfile("[door]", &door_fops, door, O_RDWR);
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
	fd_install(fd, file);
	return fd;
}

/* The door file behind fd: a door fd, or a file a door is attached to. */
struct file *door_fget(int fd)
{
	struct file *file = fget(fd);
	struct file *door_file;

	if (!file)
		return ERR_PTR(-EBADF);
	if (file->f_op == &door_fops)
		return file;
	door_file = door_attached_fget(file);
	fput(file);
	return door_file ?: ERR_PTR(-EBADF);
}
