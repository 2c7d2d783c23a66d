/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Solaris doors for Linux: the hand-off's yield.  In a header of its own
 * for the reference hand-off of doorbench (tools/bench/handoff/), which
 * measures it alone.
 *
 * A side of a hand-off that has just woken its peer, and is going to wait
 * for it, runs the peer in its place: yield_to() makes the peer the next
 * task to run on this CPU, and the waker stays runnable.  Going to sleep
 * instead would take the waker off the run queue, and the peer's wake-up
 * in return would put it back: that accounting, twice a round trip, is
 * most of what a sleeping hand-off costs (Documentation/benchmarks.md).
 * The waker gets the CPU back when the peer sleeps or yields to it in
 * turn, or when the scheduler says so; it then waits as usual, and sleeps
 * if the peer is not done.
 *
 * The scheduler runs the peer only if that is fair: CFS does not if the
 * peer's virtual run time is ahead of the waker's by more than the wake-up
 * granularity, which happens when the peer does more of the work of each
 * round trip.  The waker learns it from its context switch count,
 * unchanged, and backs off: it then sleeps instead, for up to 63 hand-offs
 * before it tries again.
 */
#ifndef _DOORS_YIELD_H
#define _DOORS_YIELD_H

#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/smp.h>

/*
 * The backoff of the hand-offs in one direction: after a yield that did
 * not run the peer, the next 2^shift - 1 are not tried.  A hint: updated
 * without a lock.
 */
struct door_yield_hint {
	u8 skip;
	u8 shift;
};

#define DOOR_YIELD_SHIFT_MAX	6

/*
 * Right after waking @p, in an RCU read-side section: @p, with a
 * reference, if it was woken on this CPU and @h does not say to wait;
 * NULL otherwise.
 */
static inline struct task_struct *door_yield_get(struct task_struct *p,
						 struct door_yield_hint *h)
{
	u8 skip = READ_ONCE(h->skip);

	if (task_cpu(p) != raw_smp_processor_id())
		return NULL;
	if (skip) {
		WRITE_ONCE(h->skip, skip - 1);
		return NULL;
	}
	get_task_struct(p);
	return p;
}

/* Run @p, from door_yield_get(), in our place; drops the reference. */
static inline void door_yield(struct task_struct *p, struct door_yield_hint *h)
{
	unsigned long nivcsw;
	u8 shift;

	if (!p)
		return;
	nivcsw = current->nivcsw;
	yield_to(p, false);
	put_task_struct(p);
	if (current->nivcsw != nivcsw) {
		WRITE_ONCE(h->shift, 0);
		return;
	}
	shift = min(READ_ONCE(h->shift) + 1, DOOR_YIELD_SHIFT_MAX);
	WRITE_ONCE(h->shift, shift);
	WRITE_ONCE(h->skip, (1 << shift) - 1);
}

#endif /* _DOORS_YIELD_H */
