// SPDX-License-Identifier: GPL-2.0
/*
 * Solaris doors for Linux: unreferenced notifications.
 *
 * A door created with DOOR_UNREF or DOOR_UNREF_MULTI gets an invocation
 * with argp == DOOR_UNREF_DATA when the references to its file drop to
 * one: descriptors (dup() shares one), descriptors passed with door calls,
 * fattach.  Calls in flight hold a reference too, so delivery waits for
 * them to finish, as illumos defers it while invocations are active.
 *
 * The count is checked wherever it can have dropped: after the module
 * puts a reference of its own (door_fput()), and after a descriptor is
 * closed.  ->flush runs before the closing fput(), so the check is queued
 * as task work, which runs once the close is complete.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include "doors.h"

/* Down to one reference, not counting @held of the caller's?  Locked. */
bool door_is_unref(struct door *door, long held)
{
	return door->unref_state == DOOR_UNREF_ACTIVE ||
	       (door->file && file_count(door->file) - held == 1);
}

/* Give the unref invocation to a parked thread, or queue it.  Locked. */
static struct task_struct *door_unref_queue(struct door_ctx *ctx,
					    struct door *door)
{
	struct door_pool *pool = door_pool(door);
	struct door_thread *t;

	door->unref_state = DOOR_UNREF_PENDING;
	kref_get(&door->ref);
	if (list_empty(&pool->parked)) {
		list_add_tail(&door->unref_node, &pool->unref);
		return NULL;
	}
	t = list_first_entry(&pool->parked, struct door_thread, park);
	list_del_init(&t->park);
	t->nservers = --pool->nparked;
	/* pairs with door_park() */
	smp_store_release(&t->unref, door);
	return t->task;
}

/* Deliver an unreferenced invocation if it is due. */
void door_unref_check(struct door *door, long held)
{
	struct door_ctx *ctx = door->ctx;
	struct task_struct *server = NULL;

	spin_lock(&ctx->lock);
	if (door->unref_state == DOOR_UNREF_ACTIVE)
		door->unref_recheck = true;
	else if (door->unref_state == DOOR_UNREF_IDLE && !ctx->dead &&
		 door_is_unref(door, held))
		server = door_unref_queue(ctx, door);
	rcu_read_lock();
	spin_unlock(&ctx->lock);
	if (server)
		wake_up_process(server);
	rcu_read_unlock();
}

/* Put a reference the module took on a door file. */
void door_fput(struct file *file)
{
	struct door *door = file->private_data;

	if (!(door->attributes & DOOR_UNREF_ANY)) {
		fput(file);
		return;
	}
	kref_get(&door->ref);
	fput(file);
	door_unref_check(door, 0);
	door_put(door);
}

struct door_unref_work {
	struct callback_head cb;
	struct door *door;
};

static void door_unref_work(struct callback_head *cb)
{
	struct door_unref_work *w = container_of(cb, struct door_unref_work,
						 cb);

	door_unref_check(w->door, 0);
	door_put(w->door);
	kfree(w);
	module_put(THIS_MODULE);
}

/* ->flush: a descriptor of the door is being closed. */
void door_unref_closing(struct door *door)
{
	struct door_unref_work *w = kmalloc(sizeof(*w), GFP_KERNEL);

	if (w) {
		kref_get(&door->ref);
		__module_get(THIS_MODULE);
		w->door = door;
		init_task_work(&w->cb, door_unref_work);
		if (!task_work_add(current, &w->cb, TWA_RESUME))
			return;
		module_put(THIS_MODULE);
		door_put(door);
		kfree(w);
	}
	/* No task work: count the descriptor being closed as gone. */
	door_unref_check(door, 1);
}

/* The unref invocation @t ran is over. */
void door_unref_done(struct door_ctx *ctx, struct door_thread *t)
{
	struct door *door;
	bool recheck;

	spin_lock(&ctx->lock);
	door = t->unref;
	t->unref = NULL;
	recheck = door->unref_recheck;
	door->unref_recheck = false;
	door->unref_state = door->attributes & DOOR_UNREF ?
		DOOR_UNREF_DONE : DOOR_UNREF_IDLE;
	spin_unlock(&ctx->lock);
	if (recheck)
		door_unref_check(door, 0);
	door_put(door);
}
