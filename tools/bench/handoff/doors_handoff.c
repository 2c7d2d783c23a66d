// SPDX-License-Identifier: GPL-2.0
/*
 * The bare hand-off, a measuring stick for the doors module (doorbench
 * "handoff"): the least a module can do to hand the CPU from one process
 * to another and back through ioctl(), nothing else.
 *
 * /dev/doors_handoff, one pair of peers at a time.  HANDOFF_SERVE: hand
 * the call being served (if any) back to its caller, then park until a
 * call arrives.  HANDOFF_CALL: hand the CPU to the parked server and
 * sleep until it hands it back.  One spinlock, wake_up_process() and
 * schedule(): what a door call does, without a door, a context, a call
 * record, arguments or results.  HANDOFF_SERVE_YIELD and
 * HANDOFF_CALL_YIELD do the same, but the waker yields to the peer it has
 * woken before it waits, as a door call does (the doors module's
 * yield.h, built with this file).  A test tool: no cancellation, one
 * server thread, one caller at a time.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include "yield.h"

#define HANDOFF_SERVE		_IO('h', 1)
#define HANDOFF_CALL		_IO('h', 2)
#define HANDOFF_SERVE_YIELD	_IO('h', 3)
#define HANDOFF_CALL_YIELD	_IO('h', 4)

static DEFINE_SPINLOCK(handoff_lock);
static struct task_struct *handoff_server;	/* parked */
static struct task_struct *handoff_caller;	/* served */
static bool handoff_called, handoff_done;
/* the yields' backoff: to the server, to the caller */
static struct door_yield_hint handoff_hints[2];

/* Sleep until *flag, or a signal; consumes the flag. */
static int handoff_wait(bool *flag)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		/* pairs with the peer's store: what it did before is visible */
		if (smp_load_acquire(flag))
			break;
		if (signal_pending(current)) {
			__set_current_state(TASK_RUNNING);
			spin_lock(&handoff_lock);
			if (handoff_server == current)
				handoff_server = NULL;
			spin_unlock(&handoff_lock);
			return -EINTR;
		}
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	WRITE_ONCE(*flag, false);
	return 0;
}

static long handoff_serve(bool yield)
{
	struct task_struct *caller, *peer = NULL;

	spin_lock(&handoff_lock);
	caller = handoff_caller;
	handoff_caller = NULL;
	handoff_server = current;
	rcu_read_lock();
	if (caller)	/* pairs with handoff_call()'s load */
		smp_store_release(&handoff_done, true);
	spin_unlock(&handoff_lock);
	if (caller) {
		wake_up_process(caller);
		if (yield)
			peer = door_yield_get(caller, &handoff_hints[1]);
	}
	rcu_read_unlock();
	door_yield(peer, &handoff_hints[1]);
	return handoff_wait(&handoff_called);
}

static long handoff_call(bool yield)
{
	struct task_struct *server, *peer = NULL;

	spin_lock(&handoff_lock);
	server = handoff_server;
	if (!server) {
		spin_unlock(&handoff_lock);
		return -EAGAIN;
	}
	handoff_server = NULL;
	handoff_caller = current;
	rcu_read_lock();
	/* pairs with handoff_wait()'s load */
	smp_store_release(&handoff_called, true);
	spin_unlock(&handoff_lock);
	wake_up_process(server);
	if (yield)
		peer = door_yield_get(server, &handoff_hints[0]);
	rcu_read_unlock();
	door_yield(peer, &handoff_hints[0]);
	for (;;) {
		set_current_state(TASK_KILLABLE);
		/* pairs with handoff_serve()'s store */
		if (smp_load_acquire(&handoff_done))
			break;
		if (fatal_signal_pending(current))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	WRITE_ONCE(handoff_done, false);
	return 0;
}

static long handoff_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	switch (cmd) {
	case HANDOFF_SERVE:
	case HANDOFF_SERVE_YIELD:
		return handoff_serve(cmd == HANDOFF_SERVE_YIELD);
	case HANDOFF_CALL:
	case HANDOFF_CALL_YIELD:
		return handoff_call(cmd == HANDOFF_CALL_YIELD);
	}
	return -ENOTTY;
}

static const struct file_operations handoff_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= handoff_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice handoff_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "doors_handoff",
	.fops	= &handoff_fops,
	.mode	= 0666,
};

module_misc_device(handoff_dev);
MODULE_DESCRIPTION("doorbench: the bare ioctl hand-off between two processes");
MODULE_LICENSE("GPL");
