// SPDX-License-Identifier: GPL-2.0
/*
 * Solaris doors for Linux: the /dev/doors device.
 *
 * Each open of /dev/doors is a door context: the server side of one
 * process.  All door operations are ioctls on a context.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "doors.h"

static int doors_open(struct inode *inode, struct file *file)
{
	struct door_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return -ENOMEM;
	ctx->user = door_user_get();
	if (!ctx->user) {
		kfree(ctx);
		return -ENOMEM;
	}
	spin_lock_init(&ctx->lock);
	kref_init(&ctx->ref);
	ctx->owner = get_pid(task_tgid(current));
	ctx->exec_id = current->self_exec_id;
	door_pool_init(&ctx->pool);
	INIT_LIST_HEAD(&ctx->doors);
	hash_init(ctx->threads);
	file->private_data = ctx;
	door_object_new(DOOR_OBJ_CONTEXTS);
	return 0;
}

/*
 * The last reference to the context is gone: its process has exited (or
 * closed it).  No ioctl can be running on it, so no server thread is in
 * the kernel: fail the calls its threads were serving, revoke its doors.
 */
static int doors_release(struct inode *inode, struct file *file)
{
	struct door_ctx *ctx = file->private_data;

	door_ctx_abort_calls(ctx);
	door_ctx_revoke_all(ctx);
	door_ctx_put(ctx);
	return 0;
}

/*
 * The owner's descriptors are closed as it exits (the last of its threads
 * closes them, so none is in a door ioctl): its doors die with it, even
 * if another process keeps the context open.
 */
static int doors_flush(struct file *file, fl_owner_t id)
{
	struct door_ctx *ctx = file->private_data;

	if ((current->flags & PF_EXITING) && door_ctx_owned(ctx)) {
		door_ctx_abort_calls(ctx);
		door_ctx_revoke_all(ctx);
	}
	return 0;
}

static long doors_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct door_ctx *ctx = file->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	/* the round trip's two first, not down a tree of compares */
	if (cmd == DOOR_IOC_CALL) {
		if (!door_user_charge(ctx->user, DOOR_LIMIT_CALLS))
			return -EAGAIN;
		ret = door_call(uarg);
		door_user_uncharge(ctx->user, DOOR_LIMIT_CALLS);
		return ret;
	}
	if (cmd == DOOR_IOC_RETURN)
		return door_return(ctx, uarg);

	switch (cmd) {
	case DOOR_IOC_CREATE:
		return door_create(ctx, uarg);
	case DOOR_IOC_INFO:
		return door_info(ctx, uarg);
	case DOOR_IOC_REVOKE:
		return door_revoke(uarg);
	case DOOR_IOC_BIND:
		return door_bind(ctx, uarg);
	case DOOR_IOC_UNBIND:
		return door_unbind(ctx);
	case DOOR_IOC_BIND_ID:
		return door_bind_id(ctx, uarg);
	case DOOR_IOC_UCRED:
		return door_ucred(ctx, uarg);
	case DOOR_IOC_GETPARAM:
		return door_getparam(uarg);
	case DOOR_IOC_SETPARAM:
		return door_setparam(uarg);
	case DOOR_IOC_FATTACH:
		return door_fattach(uarg);
	case DOOR_IOC_FDETACH:
		return door_fdetach(uarg);
	}
	return -ENOTTY;
}

static void doors_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct door_ctx *ctx = file->private_data;
	unsigned int nparked, ndoors;

	spin_lock(&ctx->lock);
	nparked = ctx->pool.nparked;
	ndoors = ctx->ndoors;
	spin_unlock(&ctx->lock);
	seq_printf(m, "door-owner:\t%d\n",
		   pid_nr_ns(ctx->owner, task_active_pid_ns(current)));
	seq_printf(m, "door-doors:\t%u\n", ndoors);
	seq_printf(m, "door-parked:\t%u\n", nparked);
}

static const struct file_operations doors_fops = {
	.owner		= THIS_MODULE,
	.open		= doors_open,
	.flush		= doors_flush,
	.release	= doors_release,
	.unlocked_ioctl	= doors_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.show_fdinfo	= doors_show_fdinfo,
	.llseek		= noop_llseek,
};

static struct miscdevice doors_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "doors",
	.fops	= &doors_fops,
	.mode	= 0666,
};

static int __init doors_init(void)
{
	int ret = door_fs_init();

	if (ret)
		return ret;
	ret = door_attach_init();
	if (ret)
		goto out_fs;
	ret = misc_register(&doors_misc);
	if (ret)
		goto out_attach;
	door_objects_init();
	return 0;
out_attach:
	door_attach_exit();
out_fs:
	door_fs_exit();
	return ret;
}

static void __exit doors_exit(void)
{
	misc_deregister(&doors_misc);
	door_attach_exit();
	door_fs_exit();
	door_objects_exit();
}

module_init(doors_init);
module_exit(doors_exit);

MODULE_DESCRIPTION("Solaris doors: fast synchronous calls between processes");
MODULE_AUTHOR("The doors for Linux developers");
MODULE_LICENSE("GPL");
