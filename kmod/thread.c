// SPDX-License-Identifier: GPL-2.0
/*
 * Solaris doors for Linux: server thread records, door_bind, door_ucred.
 */
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include "doors.h"

/* The calling thread's record, made: door_thread_get() found none. */
struct door_thread *door_thread_new(struct door_ctx *ctx)
{
	struct pid *pid = task_pid(current);
	struct door_thread *t;

	if (!door_user_charge(ctx->user, DOOR_LIMIT_THREADS))
		return NULL;
	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t) {
		door_user_uncharge(ctx->user, DOOR_LIMIT_THREADS);
		return NULL;
	}
	door_object_new(DOOR_OBJ_THREADS);
	t->pid = get_pid(pid);
	t->task = current;
	INIT_HLIST_NODE(&t->park);
	spin_lock(&ctx->lock);
	hash_add_rcu(ctx->threads, &t->hnode, (unsigned long)pid);
	spin_unlock(&ctx->lock);
	return t;
}

/* Forget a thread that serves no call and is not parked. */
void door_thread_free(struct door_ctx *ctx, struct door_thread *t)
{
	struct door *bound;

	if (t->unref)
		door_unref_done(ctx, t);
	spin_lock(&ctx->lock);
	hash_del_rcu(&t->hnode);
	bound = t->bound;
	if (bound)
		bound->nbound--;
	spin_unlock(&ctx->lock);
	if (bound)
		door_put(bound);
	put_pid(t->pid);
	kfree_rcu(t, rcu);
	door_object_gone(DOOR_OBJ_THREADS, 1);
	door_user_uncharge(ctx->user, DOOR_LIMIT_THREADS);
}

/* Bind the thread to @door, or unbind it; effective at its next park. */
static void door_thread_bind(struct door_ctx *ctx, struct door_thread *t,
			     struct door *door)
{
	struct door *old;

	spin_lock(&ctx->lock);
	old = t->bound;
	if (old)
		old->nbound--;
	t->bound = door;
	if (door)
		door->nbound++;
	spin_unlock(&ctx->lock);
	if (old)
		door_put(old);
}

/* Bind the calling thread to @door, a private door of @ctx. */
static long door_bind_to(struct door_ctx *ctx, struct door *door)
{
	struct door_thread *t;

	if (!door_ctx_owned(ctx))
		return -EPERM;
	if (!(door->attributes & DOOR_PRIVATE) || door->ctx != ctx)
		return -EINVAL;
	t = door_thread_get(ctx);
	if (!t)
		return -ENOMEM;
	kref_get(&door->ref);
	door_thread_bind(ctx, t, door);
	return 0;
}

long door_bind(struct door_ctx *ctx, struct door_fd_args __user *uarg)
{
	struct door_fd_args args;
	struct file *file;
	long ret;

	file = door_fget_args(uarg, &args);
	if (IS_ERR(file))
		return PTR_ERR(file);
	ret = door_bind_to(ctx, file->private_data);
	door_fput(file);
	return ret;
}

/*
 * Bind by uniquifier, to a door of the caller's own context only: the
 * threads libdoor starts when an xcreate door's pool runs dry, which
 * would otherwise need a descriptor of the door kept open, a reference
 * that would hold back its unreferenced invocation.  Only a door a
 * descriptor could name: not revoked, its file made and not released.
 * Only the owner walks the list (under its lock), as only it may bind.
 */
long door_bind_id(struct door_ctx *ctx, struct door_id_args __user *uarg)
{
	struct door_id_args args;
	struct door *door = NULL, *d;
	long ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.pad)
		return -EINVAL;
	if (!door_ctx_owned(ctx))
		return -EPERM;
	spin_lock(&ctx->lock);
	list_for_each_entry(d, &ctx->doors, node)
		if (d->id == args.id) {
			if (!d->revoked && d->file &&
			    kref_get_unless_zero(&d->ref))
				door = d;
			break;
		}
	spin_unlock(&ctx->lock);
	if (!door)
		return -EBADF;
	ret = door_bind_to(ctx, door);
	door_put(door);
	return ret;
}

long door_unbind(struct door_ctx *ctx)
{
	struct door_thread *t = door_thread_find(ctx);

	if (!t || !READ_ONCE(t->bound))
		return -EBADF;
	door_thread_bind(ctx, t, NULL);
	return 0;
}

long door_ucred(struct door_ctx *ctx, struct door_ucred_args __user *uarg)
{
	struct user_namespace *ns = current_user_ns();
	u32 __user *ugroups;
	struct door_ucred_args args;
	const struct cred *cred;
	struct door_thread *t;
	struct pid *tgid;
	int i, n, ret = 0;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	t = door_thread_find(ctx);
	if (!t)
		return -EINVAL;
	spin_lock(&ctx->lock);
	if (!t->call) {
		spin_unlock(&ctx->lock);
		return -EINVAL;
	}
	cred = get_cred(t->call->cred);
	tgid = get_pid(t->call->tgid);
	spin_unlock(&ctx->lock);

	args.euid = from_kuid_munged(ns, cred->euid);
	args.ruid = from_kuid_munged(ns, cred->uid);
	args.suid = from_kuid_munged(ns, cred->suid);
	args.egid = from_kgid_munged(ns, cred->egid);
	args.rgid = from_kgid_munged(ns, cred->gid);
	args.sgid = from_kgid_munged(ns, cred->sgid);
	args.pid = pid_nr_ns(tgid, task_active_pid_ns(current));
	ugroups = u64_to_user_ptr(args.groups);
	n = min_t(u32, args.ngroups, cred->group_info->ngroups);
	for (i = 0; i < n && !ret; i++)
		ret = put_user(from_kgid_munged(ns, cred->group_info->gid[i]),
			       &ugroups[i]);
	args.ngroups = cred->group_info->ngroups;
	put_pid(tgid);
	put_cred(cred);
	if (ret || copy_to_user(uarg, &args, sizeof(args)))
		return -EFAULT;
	return 0;
}
