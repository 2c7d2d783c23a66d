// SPDX-License-Identifier: GPL-2.0
/*
 * Solaris doors for Linux: unreferenced notifications.
 *
 * A door created with DOOR_UNREF or DOOR_UNREF_MULTI gets an invocation
 * with argp == DOOR_UNREF_DATA when the references to its file drop to
 * one: descriptors (dup() shares one), descriptors passed with door calls,
 * fattach.
 *
 * Calls and other ioctls hold transient references (door_fget()), which
 * are not counted; they defer delivery until they are put back, as
 * illumos defers it while invocations are active.  Only a descriptor
 * going away (a close, an fdetach, a passed descriptor dropped) arms a
 * notification, so a server calling its own door on its only descriptor
 * gets none.  ->flush runs before the closing fput(), so the check after
 * a close is queued as task work, which runs once the close is complete.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include "doors.h"

/*
 * Descriptor references: those of the file, less the transient ones the
 * module holds for calls and other ioctls.  Locked.
 */
static long door_refs(struct door *door)
{
	if (!door->file)
		return 0;
	return file_count(door->file) - door->transient + door->open_refs;
}

/* For door_info(): down to one reference, or being notified.  Locked. */
bool door_is_unref(struct door *door)
{
	return door->unref_state == DOOR_UNREF_ACTIVE || door_refs(door) == 1;
}

/* Give the unref invocation to a parked thread, or queue it.  Locked. */
static struct task_struct *door_unref_queue(struct door_ctx *ctx,
					    struct door *door)
{
	struct door_pool *pool = door_pool(door);
	struct door_thread *t;

	door->unref_state = DOOR_UNREF_PENDING;
	door->unref_dropped = false;
	kref_get(&door->ref);
	if (hlist_empty(&pool->parked)) {
		list_add_tail(&door->unref_node, &pool->unref);
		return NULL;
	}
	t = hlist_entry(pool->parked.first, struct door_thread, park);
	hlist_del_init(&t->park);
	t->nservers = --pool->nparked;
	/* pairs with door_park() */
	smp_store_release(&t->unref, door);
	return t->task;
}

/*
 * Deliver an unreferenced invocation if one is due: a descriptor went,
 * one is left, and no call is in flight (illumos defers it until the
 * active invocations finish).  Called locked; unlocks.
 */
static void door_unref_check(struct door *door, bool dropped)
	__releases(&door->ctx->lock)
{
	struct door_ctx *ctx = door->ctx;
	struct task_struct *server = NULL;

	if (dropped)
		door->unref_dropped = true;
	if (door->unref_state == DOOR_UNREF_IDLE && door->unref_dropped &&
	    !ctx->dead && !door->transient && door_refs(door) == 1)
		server = door_unref_queue(ctx, door);
	rcu_read_lock();
	spin_unlock(&ctx->lock);
	if (server)
		wake_up_process(server);
	rcu_read_unlock();
}

void door_transient_get(struct door *door)
{
	if (door->attributes & DOOR_UNREF_ANY) {
		spin_lock(&door->ctx->lock);
		door->transient++;
		spin_unlock(&door->ctx->lock);
	}
}

/* Put a transient reference; @dropped: a descriptor went meanwhile. */
static void door_transient_put(struct file *file, bool dropped)
{
	struct door *door = file->private_data;

	kref_get(&door->ref);
	spin_lock(&door->ctx->lock);
	fput(file);		/* never sleeps */
	door->transient--;
	door_unref_check(door, dropped);
	door_put(door);
}

/* Put a reference of door_fget(). */
void door_fput(struct file *file)
{
	struct door *door = file->private_data;

	if (door->attributes & DOOR_UNREF_ANY)
		door_transient_put(file, false);
	else
		fput(file);
}

/* Put a reference that counts as a descriptor (attachment, passed one). */
void door_drop(struct file *file)
{
	struct door *door = file->private_data;

	if (!(door->attributes & DOOR_UNREF_ANY)) {
		fput(file);
		return;
	}
	kref_get(&door->ref);
	fput(file);
	spin_lock(&door->ctx->lock);
	door_unref_check(door, true);
	door_put(door);
}

/* Files opened on the door's attached name come (+1) or go (-n). */
void door_open_refs(struct door *door, int delta)
{
	if (!(door->attributes & DOOR_UNREF_ANY))
		return;
	spin_lock(&door->ctx->lock);
	door->open_refs += delta;
	if (delta > 0)
		spin_unlock(&door->ctx->lock);
	else
		door_unref_check(door, true);
}

/*
 * The check after a close holds a transient reference to the door's file,
 * not to the module: the last fput() of that file (and the module_put()
 * in it) runs as task work of its own, after door_unref_work() returned,
 * so the module cannot be unloaded while its code runs.
 */
struct door_unref_work {
	struct callback_head cb;
	struct file *file;
};

static void door_unref_work(struct callback_head *cb)
{
	struct door_unref_work *w = container_of(cb, struct door_unref_work,
						 cb);
	struct file *file = w->file;

	kfree(w);
	door_object_gone(DOOR_OBJ_UNREF_CHECKS, 1);
	door_transient_put(file, true);
}

/* ->flush: a descriptor of the door's @file is being closed. */
void door_unref_closing(struct file *file)
{
	struct door *door = file->private_data;
	/*
	 * 24 bytes, and no way to tell the closing process of a failure:
	 * without the check its notification would be lost.
	 */
	struct door_unref_work *w = kmalloc(sizeof(*w),
					    GFP_KERNEL | __GFP_NOFAIL);

	door_object_new(DOOR_OBJ_UNREF_CHECKS);
	spin_lock(&door->ctx->lock);
	w->file = get_file(file);
	door->transient++;
	spin_unlock(&door->ctx->lock);
	init_task_work(&w->cb, door_unref_work);
	if (!task_work_add(current, &w->cb, TWA_RESUME))
		return;
	/* an exiting task runs no more task work: check now */
	kfree(w);
	door_object_gone(DOOR_OBJ_UNREF_CHECKS, 1);
	door_transient_put(file, true);
}

/* The unref invocation @t ran is over. */
void door_unref_done(struct door_ctx *ctx, struct door_thread *t)
{
	struct door *door;

	spin_lock(&ctx->lock);
	door = t->unref;
	t->unref = NULL;
	door->unref_state = door->attributes & DOOR_UNREF ?
		DOOR_UNREF_DONE : DOOR_UNREF_IDLE;
	/* DOOR_UNREF_MULTI: again, if references came and went meanwhile */
	door_unref_check(door, false);
	door_put(door);
}
