// SPDX-License-Identifier: GPL-2.0
/*
 * Solaris doors for Linux: door_call and door_return, the hand-off.
 *
 * A caller takes a parked server thread off its context's pool, hands it
 * the call record (on the caller's stack) and wakes it; the server places
 * the arguments in its own address space, runs the procedure in user
 * space, and its next DOOR_IOC_RETURN hands the results back, wakes the
 * caller and parks again, all in the same ioctl.  Each side, having
 * woken the other on this CPU, yields to it rather than sleep (yield.h).
 *
 * Wake-ups: the waker reads the sleeper's task pointer before publishing
 * the state that lets the sleeper leave, and wakes it inside an RCU
 * read-side section, so the sleeper may return and even exit at once.
 * The sections are rcu_read_lock_sched() ones, preemption disabled: a
 * grace period waits for those too, and they are inline, where
 * rcu_read_lock() is two calls under Debian's CONFIG_PREEMPT_RCU.
 */
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/pagemap.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "doors.h"

/*
 * Wake @p to run in our place: we are about to sleep.  With more than one
 * CPU the wake-up says so (WF_SYNC, through a wait queue of the moment:
 * the only way a module has), and the scheduler runs @p on this CPU
 * rather than on an idle one, where it would wait for that CPU to wake
 * and leave this one idle in turn.  On one CPU there is no CPU to choose:
 * the plain wake-up, cheaper.
 */
static noinline void door_wake_sync_smp(struct task_struct *p)
{
	DECLARE_WAIT_QUEUE_HEAD_ONSTACK(wq);
	struct wait_queue_entry entry = {
		.private = p,
		.func = default_wake_function,
	};

	list_add(&entry.entry, &wq.head);
	__wake_up_sync_key(&wq, TASK_NORMAL, NULL);
}

static inline void door_wake_sync(struct task_struct *p)
{
	if (num_online_cpus() > 1)
		door_wake_sync_smp(p);
	else
		wake_up_process(p);
}

/*
 * With more than one CPU, a side about to sleep for its peer's hand-off
 * first spins spin_us microseconds at most (a module parameter), while the peer runs on another CPU and
 * nothing else wants this one: the hand-off then costs neither CPU a
 * sleep and a wake-up (an idle CPU's wake-up is slow, in a VM most).
 * Never on one CPU, where the peer cannot run while we spin.  Off by
 * default: in the QEMU/TCG guests measured (Documentation/benchmarks.md)
 * a spinning vCPU took the host CPU its peer's vCPU needed, and cross-CPU
 * round trips got slower.
 */
static unsigned int spin_us;
module_param(spin_us, uint, 0644);
MODULE_PARM_DESC(spin_us, "most microseconds a side spins for its peer on another CPU (0: never)");

/*
 * The argument structures are copied in 8-byte words: on the hot path
 * that is cheaper than a byte-wise copy_{from,to}_user().  Inline: a
 * call each way would cost as much again.
 */
static __always_inline int door_get_args(void *dst, const void __user *src,
					 size_t size)
{
	const u64 __user *s = src;
	u64 *d = dst;
	size_t i;

	BUILD_BUG_ON(sizeof(struct door_call_args) % 8);
	BUILD_BUG_ON(offsetof(struct door_return_args, inv) % 8);
	if (!user_read_access_begin(src, size))
		return -EFAULT;
	/* unrolled: a load and a store a word */
#pragma GCC unroll 8
	for (i = 0; i < size / 8; i++)
		unsafe_get_user(d[i], &s[i], efault);
	user_read_access_end();
	return 0;
efault:
	user_read_access_end();
	return -EFAULT;
}

/*
 * The call's end for descriptors passed with it: the sender's DOOR_RELEASE
 * ones closed, the references not handed over dropped.  Inline checks
 * first: most calls pass none.
 */
static inline void door_files_end(struct door_files *df, int error)
{
	if (df->desc)
		door_files_close_released(df, error);
	if (df->n || df->files != df->inl)
		door_files_put(df);
}

/*
 * Bytes the results and their descriptors take in the caller's buffer;
 * the descriptors start at *@doff.
 */
static size_t door_results_len(size_t size, unsigned int ndesc, size_t *doff)
{
	*doff = ndesc ? roundup(size, sizeof(struct door_udesc)) : size;
	return *doff + ndesc * sizeof(struct door_udesc);
}

/*
 * Called locked, by a server thread serving nothing that is going to wait
 * for a call: take the unreferenced invocation waiting in its pool, if
 * any, or park in the pool.  Returns the pool if the thread parked.
 */
static __always_inline struct door_pool *door_enqueue(struct door_ctx *ctx,
						       struct door_thread *t)
{
	struct door_pool *pool = t->bound ? &t->bound->pool : &ctx->pool;

	if (!list_empty(&pool->unref)) {
		t->unref = list_first_entry(&pool->unref, struct door,
					    unref_node);
		list_del_init(&t->unref->unref_node);
		t->nservers = pool->nparked;
		return NULL;
	}
	t->task = current;
	hlist_add_head(&t->park, &pool->parked);
	pool->nparked++;
	return pool;
}

/* A thread parked: callers waiting for one may go on. */
static void door_parked(struct door_pool *pool)
{
	if (pool && wq_has_sleeper(&pool->wait))
		wake_up(&pool->wait);
}

/*
 * Finish a call served by @t with @error (or EINTR if its caller gave up),
 * and if @park, park the thread (door_enqueue()) in the same critical
 * section, before the caller runs again: its next call finds the thread
 * parked.  Called with ctx->lock held; releases it.  The call record
 * belongs to the caller again as soon as its state is DONE.  Returns,
 * if @park, the caller to yield to (door_yield_get()).
 */
static __always_inline struct task_struct *
door_call_finish(struct door_ctx *ctx, struct door_thread *t,
		 struct door_call *call, int error, bool park)
	__releases(&ctx->lock)
{
	struct task_struct *caller = call->caller, *peer = NULL;
	struct door_pool *pool = NULL;

	t->call = NULL;
	call->door->active--;
	call->busy = false;
	call->error = call->abandoned ? -EINTR : error;
	if (park)
		pool = door_enqueue(ctx, t);
	rcu_read_lock_sched();
	/* pairs with door_call_wait(): error and results are visible */
	smp_store_release(&call->state, DOOR_CALL_DONE);
	spin_unlock(&ctx->lock);
	door_wake_sync(caller);
	if (park)
		peer = door_yield_get(caller, &t->yield);
	/* the caller runs elsewhere: likely to call again soon, spin then */
	t->spin = READ_ONCE(spin_us) && num_online_cpus() > 1 &&
		  task_cpu(caller) != raw_smp_processor_id();
	rcu_read_unlock_sched();
	door_parked(pool);
	return peer;
}

/*
 * The parked thread to take: the most recently parked (its cache is warm),
 * or with more than one CPU, the most recent of the first few that last
 * ran on this CPU, where the wake-up will run it.
 */
static struct door_thread *door_pick(struct door_pool *pool)
{
	struct door_thread *t, *first;
	unsigned int cpu, n = 0;

	first = hlist_entry(pool->parked.first, struct door_thread, park);
	if (num_online_cpus() == 1 || !first->park.next)
		return first;
	cpu = raw_smp_processor_id();
	hlist_for_each_entry(t, &pool->parked, park) {
		if (task_cpu(t->task) == cpu)
			return t;
		if (++n == 4)
			break;
	}
	return first;
}

/*
 * Give the call to a parked server thread of the door's pool, and let it
 * run in our place.
 */
static int door_dispatch(struct door_ctx *ctx, struct door_call *call)
{
	struct door *door = call->door;
	struct door_pool *pool = door_pool(door);
	struct task_struct *server;
	struct door_thread *t;

	spin_lock(&ctx->lock);
	for (;;) {
		if (door->revoked) {
			spin_unlock(&ctx->lock);
			return -EBADF;
		}
		if (!hlist_empty(&pool->parked))
			break;
		spin_unlock(&ctx->lock);
		/* illumos: interrupted while no thread is free is EAGAIN */
		if (wait_event_interruptible(pool->wait,
					     READ_ONCE(pool->nparked) ||
					     READ_ONCE(door->revoked)))
			return -EAGAIN;
		spin_lock(&ctx->lock);
	}
	t = door_pick(pool);
	hlist_del_init(&t->park);
	t->nservers = --pool->nparked;
	door->active++;
	call->server = t;
	call->state = DOOR_CALL_ACTIVE;
	call->busy = true;
	/* pairs with door_park(): the call and nservers are visible */
	smp_store_release(&t->call, call);
	rcu_read_lock_sched();
	server = t->task;
	spin_unlock(&ctx->lock);
	door_wake_sync(server);
	server = door_yield_get(server, &door->yield);
	rcu_read_unlock_sched();
	door_yield(server, &door->yield);
	return 0;
}

/*
 * Detach the call from the thread serving it, and cancel the thread unless
 * the door says DOOR_NO_CANCEL.  Called locked; unlocks.
 */
static void door_call_cancel(struct door_ctx *ctx, struct door_call *call)
	__releases(&ctx->lock)
{
	struct door_thread *t = call->server;
	struct task_struct *server;
	struct pid *pid = NULL;
	int sig = 0;

	t->call = NULL;
	call->door->active--;
	/* busy: it is not running the procedure, there is nothing to cancel */
	if (!call->busy && !(call->door->attributes & DOOR_NO_CANCEL) &&
	    t->cancel_signal) {
		sig = t->cancel_signal;
		pid = get_pid(t->pid);
	}
	spin_unlock(&ctx->lock);
	if (!pid)
		return;
	server = get_pid_task(pid, PIDTYPE_PID);
	if (server) {
		send_sig_info(sig, SEND_SIG_PRIV, server);
		put_task_struct(server);
	}
	put_pid(pid);
}

/* Spin a moment while the server runs on another CPU (spin_us). */
static void door_call_spin(struct door_call *call)
{
	u64 end = local_clock() + READ_ONCE(spin_us) * NSEC_PER_USEC;
	struct task_struct *server;

	rcu_read_lock();
	server = READ_ONCE(call->server->task);
	/* pairs with door_call_finish() and door_deliver() */
	while (smp_load_acquire(&call->state) == DOOR_CALL_ACTIVE &&
	       task_cpu(server) != raw_smp_processor_id() &&
	       !need_resched() && !signal_pending(current) &&
	       local_clock() < end)
		cpu_relax();
	rcu_read_unlock();
}

/*
 * Wait for the server.  A signal abandons the call, unless the server is
 * busy with it at that moment: then the server finishes it with EINTR as
 * soon as it is done, and we wait for that, killable only while the
 * server copies between our memory and its own (the wait a server could
 * make last): a fatal signal then detaches the call and we leave.
 */
static int door_call_wait(struct door_ctx *ctx, struct door_call *call)
{
	bool abandoning = false;

	if (num_online_cpus() > 1 && READ_ONCE(spin_us))
		door_call_spin(call);
	for (;;) {
		/*
		 * The sleep's kind is chosen before the state is set and the
		 * conditions are checked: changed after them, it would undo
		 * a wake-up that came in between.
		 */
		bool killable = abandoning && READ_ONCE(call->copying);

		set_current_state(!abandoning ? TASK_INTERRUPTIBLE :
				  killable ? TASK_KILLABLE :
				  TASK_UNINTERRUPTIBLE);
		/* pairs with door_call_finish() and door_deliver() */
		if (smp_load_acquire(&call->state) != DOOR_CALL_ACTIVE)
			break;
		if (abandoning) {
			/* pairs with door_copy_call(), which wakes us */
			if (READ_ONCE(call->copying) != killable)
				continue;
			if (killable && fatal_signal_pending(current))
				goto give_up;
		} else if (signal_pending(current)) {
			goto give_up;
		}
		schedule();
		continue;
give_up:
		__set_current_state(TASK_RUNNING);
		spin_lock(&ctx->lock);
		if (call->state != DOOR_CALL_ACTIVE) {
			spin_unlock(&ctx->lock);
			break;
		}
		if (call->busy &&
		    !(call->copying && fatal_signal_pending(current))) {
			call->abandoned = true;
			abandoning = true;
			spin_unlock(&ctx->lock);
			continue;
		}
		/* The procedure runs on; its results will be dropped. */
		door_call_cancel(ctx, call);
		return -EINTR;
	}
	__set_current_state(TASK_RUNNING);
	return call->state == DOOR_CALL_DONE ? call->error : 0;
}

/*
 * The caller has copied large results: let the server thread go on, unless
 * it was killed meanwhile (call->server is NULL then), and let its mm go.
 */
static void door_call_release_server(struct door_ctx *ctx,
				     struct door_call *call)
{
	struct door_thread *t;
	struct task_struct *server = NULL;

	spin_lock(&ctx->lock);
	call->door->active--;
	rcu_read_lock_sched();
	t = call->server;
	if (t) {
		server = t->task;
		/* pairs with door_deliver(): we are done with its memory */
		smp_store_release(&t->call, NULL);
	}
	spin_unlock(&ctx->lock);
	if (server)
		wake_up_process(server);
	rcu_read_unlock_sched();
	mmput(call->res_mm);
}

/* Tell the caller where its results are: the fields that change. */
static int door_put_results(struct door_call_args __user *u, u64 data_ptr,
			    u64 data_size, u64 desc_ptr, u32 desc_num,
			    u64 rbuf, u64 rsize)
{
	if (!user_write_access_begin(u, sizeof(*u)))
		return -EFAULT;
	unsafe_put_user(data_ptr, &u->data_ptr, efault);
	unsafe_put_user(data_size, &u->data_size, efault);
	unsafe_put_user(desc_num, &u->desc_num, efault);
	if (desc_num)
		unsafe_put_user(desc_ptr, &u->desc_ptr, efault);
	if (rsize) {
		unsafe_put_user(rbuf, &u->rbuf, efault);
		unsafe_put_user(rsize, &u->rsize, efault);
	}
	user_write_access_end();
	return 0;
efault:
	user_write_access_end();
	return -EFAULT;
}

/*
 * Copy the results to rbuf, or to a new mapping when they do not fit,
 * install the descriptors after them, and tell the caller where they are.
 * Large results that fit rbuf were placed there by the server already.
 */
static int door_call_results(struct door_ctx *ctx, struct door_call *call,
			     const struct door_call_args *args,
			     struct door_call_args __user *uarg)
{
	bool large = call->state == DOOR_CALL_REPLIED;
	unsigned int ndesc = call->rfiles.n;
	size_t size = call->res_size;
	size_t doff, total = door_results_len(size, ndesc, &doff);
	unsigned long dst = args->rbuf;
	struct door_udesc *fds = NULL;
	bool mapped = false;
	long left = 0;
	int ret = 0;

	if (call->placed) {
		/* in rbuf: the server copied them there */
	} else if (total > args->rsize) {
		dst = door_map_anon(total);
		if (dst)
			mapped = true;
		else
			ret = -EOVERFLOW;
	}
	if (!ret && large)
		left = door_copy_mm(call->res_mm, call->res_addr,
				    (void __user *)dst, size, false);
	else if (!ret && !call->placed && size)
		left = copy_to_user((void __user *)dst, call->inl, size);
	if (left)
		ret = left < 0 ? left : -EFAULT;
	if (large)
		door_call_release_server(ctx, call);
	if (!ret && ndesc) {
		fds = door_files_reserve(&call->rfiles, dst + doff);
		if (IS_ERR(fds))
			ret = PTR_ERR(fds);
	}
	if (ret)
		goto unmap;

	/* the descriptors go in only once the caller can learn their numbers */
	if (door_put_results(uarg, dst, size, dst + doff, ndesc, dst,
			     mapped ? PAGE_ALIGN(total) : 0)) {
		door_files_unreserve(fds, ndesc);
		ret = -EFAULT;
		goto unmap;
	}
	if (fds) {
		door_files_commit(&call->rfiles, fds);
		kvfree(fds);
	}
	return 0;
unmap:
	if (mapped)
		vm_munmap(dst, PAGE_ALIGN(total));
	return ret;
}

/* Limits checked before any descriptor is taken. */
static int door_call_check(struct door *door, struct door_call_args *args)
{
	if (args->data_size < READ_ONCE(door->data_min) ||
	    args->data_size > READ_ONCE(door->data_max))
		return -ENOBUFS;
	if (!args->desc_num)
		return 0;
	if (args->desc_num > DOOR_MAX_DESC)
		return -E2BIG;
	if (door->attributes & DOOR_REFUSE_DESC)
		return -EOPNOTSUPP;
	if (args->desc_num > READ_ONCE(door->desc_max))
		return -ENFILE;
	return 0;
}

/*
 * The door file of a call.  A door without unreferenced notifications,
 * called with no descriptors (one could be a DOOR_RELEASE of @args->fd),
 * is taken with fdget(): it takes no reference unless the caller's
 * descriptor table is shared, and unshared, no other thread can close the
 * descriptor while the call runs; *@f keeps it.  Anything else takes
 * door_file_get()'s transient reference, which unreferenced notifications
 * account for, and leaves *@f empty.
 */
static struct file *door_call_fget(struct door_call_args *args, struct fd *f)
{
	struct file *file;

	*f = fdget(args->fd);
	file = f->file;
	if (!file)
		return ERR_PTR(-EBADF);
	if (file->f_op == &door_fops && !args->desc_num &&
	    !(((struct door *)file->private_data)->attributes &
	      DOOR_UNREF_ANY))
		return file;
	if (!(f->flags & FDPUT_FPUT))
		get_file(file);
	*f = (struct fd){};
	return door_file_get(file);
}

long door_call(struct door_call_args __user *uarg)
{
	/* every field is written before it is read: no zeroing (760 bytes) */
	struct door_call_args args __uninitialized;
	struct door_call call __uninitialized;
	struct door_ctx *ctx;
	struct file *file;
	struct fd f;
	long ret;

	if (door_get_args(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~DOOR_CALL_NO_RESULTS || args.pad)
		return -EINVAL;
	if (!access_ok(u64_to_user_ptr(args.data_ptr), args.data_size))
		return -EFAULT;

	file = door_call_fget(&args, &f);
	if (IS_ERR(file))
		return PTR_ERR(file);
	call.door = file->private_data;
	ctx = call.door->ctx;
	door_files_init(&call.afiles);
	door_files_init(&call.rfiles);
	ret = door_call_check(call.door, &args);
	if (ret) {
		/* DOOR_RELEASE descriptors are closed even then */
		if (ret != -E2BIG && args.desc_num)
			door_files_release(args.desc_ptr, args.desc_num);
		goto out;
	}
	if (args.desc_num) {
		ret = door_files_get(&call.afiles, args.desc_ptr,
				     args.desc_num);
		if (ret)
			goto out;
	}
	call.caller = current;
	call.cred = current_cred();
	call.tgid = task_tgid(current);
	call.mm = current->mm;
	call.data_ptr = args.data_ptr;
	call.data_size = args.data_size;
	call.rbuf = args.rbuf;
	call.rsize = args.rsize;
	call.placed = false;
	call.copying = false;
	call.abandoned = false;
	call.noresults = args.flags & DOOR_CALL_NO_RESULTS;
	call.error = 0;
	call.res_size = 0;

	ret = -EFAULT;
	if (args.data_size <= DOOR_INLINE_MAX) {
		if (args.data_size &&
		    copy_from_user(call.inl, u64_to_user_ptr(args.data_ptr),
				   args.data_size))
			goto out;
	} else if (call.afiles.desc &&
		   fault_in_readable(u64_to_user_ptr(args.data_ptr),
				     args.data_size)) {
		goto out;	/* bad arguments leave DOOR_RELEASE ones open */
	}
	/* referenced now: DOOR_RELEASE ones go before the server runs */
	if (call.afiles.desc && !READ_ONCE(call.door->revoked))
		door_files_close_released(&call.afiles, 0);
	ret = door_dispatch(ctx, &call);
	if (!ret)
		ret = door_call_wait(ctx, &call);
	if (!ret)
		ret = door_call_results(ctx, &call, &args, uarg);
out:
	door_files_end(&call.afiles, ret);
	door_files_end(&call.rfiles, 0);
	if (f.file)
		fdput(f);
	else
		door_fput(file);
	return ret;
}

/* Server side. */

/*
 * Copy @len bytes between @addr in the caller of @call and our @ubuf, as
 * door_copy_mm() does (into the caller: @write), in a busy section.
 * A peer can make this copy last (a buffer behind userfaultfd or FUSE),
 * so the call is marked copying meanwhile: we hold the caller's mm and
 * leave the record alone, and a caller killed in the meantime detaches
 * the call and leaves.  Returns what the copy returned, or -ESRCH if the
 * caller has left: the record is gone, the thread serves no call.
 */
static long door_copy_call(struct door_ctx *ctx, struct door_thread *t,
			   struct door_call *call, unsigned long addr,
			   void __user *ubuf, size_t len, bool write)
{
	struct mm_struct *mm = call->mm;
	struct task_struct *caller = NULL;
	long ret;

	mmget(mm);		/* the caller waits in its ioctl: mm_users > 0 */
	spin_lock(&ctx->lock);
	call->copying = true;
	if (call->abandoned)
		caller = call->caller;	/* waits uninterruptibly: now killable */
	rcu_read_lock_sched();
	spin_unlock(&ctx->lock);
	if (caller)
		wake_up_process(caller);
	rcu_read_unlock_sched();

	ret = door_copy_mm(mm, addr, ubuf, len, write);

	spin_lock(&ctx->lock);
	if (t->call == call)
		call->copying = false;
	else
		ret = -ESRCH;	/* detached by door_call_wait() */
	spin_unlock(&ctx->lock);
	mmput(mm);
	return ret;
}

/*
 * Hand the results of the call @t serves, if any, to its caller: small
 * ones through the call record, large ones that fit the caller's rbuf
 * straight into it (its pages pinned), larger ones by the caller itself
 * from our memory while we wait.  *@parked says whether the thread is
 * parked already, *@peer is the caller to yield to (door_yield_get()).
 */
static int door_deliver(struct door_ctx *ctx, struct door_thread *t,
			struct door_return_args *args, bool *parked,
			struct task_struct **peer)
{
	bool park = !(args->flags & DOOR_RETURN_EXIT);
	void __user *data = u64_to_user_ptr(args->data_ptr);
	size_t size = args->data_size;
	struct task_struct *caller;
	struct door_call *call;
	bool placed = false;
	int ret = 0, error = 0;
	size_t doff;
	long left;

	if (t->unref)
		door_unref_done(ctx, t);
	spin_lock(&ctx->lock);
	call = t->call;
	if (!call || args->flags & DOOR_RETURN_ABORT) {
		/* no call, or its caller is gone: nothing to deliver */
		if (call) {
			*peer = door_call_finish(ctx, t, call, -EINTR, park);
			*parked = park;
		} else {
			spin_unlock(&ctx->lock);
		}
		if (args->desc_num)
			door_files_release(args->desc_ptr, args->desc_num);
		return 0;
	}
	if (call->noresults && (size || args->desc_num))
		ret = -E2BIG;
	else if (!access_ok(data, size))
		ret = -EFAULT;
	if (ret) {
		spin_unlock(&ctx->lock);
		return ret;
	}
	if (!size && !args->desc_num) {
		/* nothing to copy: finish now, not busy (null results) */
		call->res_size = 0;
		*peer = door_call_finish(ctx, t, call, 0, park);
		*parked = park;
		return 0;
	}
	call->busy = true;
	spin_unlock(&ctx->lock);

	if (args->desc_num) {
		ret = door_files_get(&call->rfiles, args->desc_ptr,
				     args->desc_num);
	}
	if (!ret && size <= DOOR_INLINE_MAX) {
		if (size && copy_from_user(call->inl, data, size))
			ret = -EFAULT;
	} else if (!ret) {
		placed = door_results_len(size, call->rfiles.n, &doff) <=
			 call->rsize;
	}
	/*
	 * DOOR_RELEASE ones go now, unless our results pointer was bad: the
	 * thread keeps the call then, and may return them again.  Dropped
	 * unlocked: a door of ours among them takes our lock.
	 */
	door_files_close_released(&call->rfiles, ret);
	if (ret)
		door_files_put(&call->rfiles);
	if (placed) {
		/* a bad pointer on either side fails the call (EFAULT) */
		left = door_copy_call(ctx, t, call, call->rbuf, data, size,
				      true);
		if (left == -ESRCH)
			return 0;	/* the caller was killed */
		error = left > 0 ? -EFAULT : left;
	}

	spin_lock(&ctx->lock);
	if (ret && !call->abandoned) {
		call->busy = false;	/* the server may try again */
		spin_unlock(&ctx->lock);
		return ret;
	}
	call->res_size = size;
	if (size <= DOOR_INLINE_MAX || placed || call->abandoned) {
		call->placed = placed;
		*peer = door_call_finish(ctx, t, call, error, park);
		*parked = park;
		return 0;
	}

	/*
	 * Large results: the caller copies them from here while we wait.  It
	 * holds our mm for that, so that we may be killed meanwhile: then we
	 * leave the call to it (call->server NULL) and go.
	 */
	mmget(current->mm);
	call->res_mm = current->mm;
	call->res_addr = args->data_ptr;
	call->busy = false;
	rcu_read_lock_sched();
	caller = call->caller;
	/* pairs with door_call_wait(): res_* are visible */
	smp_store_release(&call->state, DOOR_CALL_REPLIED);
	spin_unlock(&ctx->lock);
	door_wake_sync(caller);
	rcu_read_unlock_sched();
	for (;;) {
		set_current_state(TASK_KILLABLE);
		/* pairs with door_call_release_server() */
		if (!smp_load_acquire(&t->call))
			break;
		if (fatal_signal_pending(current)) {
			__set_current_state(TASK_RUNNING);
			spin_lock(&ctx->lock);
			if (t->call) {
				t->call = NULL;
				call->server = NULL;
				ret = -EINTR;
			}
			spin_unlock(&ctx->lock);
			return ret;
		}
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/*
 * The region mapped for arguments that did not fit the receive buffer is
 * kept for the thread's later calls (no fresh pages to fault in and clear
 * each time) until a call needs a bigger one or the thread exits; but one
 * larger than DOOR_ARGMAP_KEEP is unmapped as soon as the thread returns
 * from its call, so that a client cannot leave a server holding memory it
 * made it allocate (Documentation/security.md, S7).
 */
static void door_unmap_args(struct door_thread *t)
{
	if (t->argmap) {
		vm_munmap(t->argmap, t->argmap_len);
		t->argmap = 0;
		t->argmap_len = 0;
	}
}

/*
 * Park in the pool (unless @parked: door_call_finish() did) until a call
 * or an unreferenced invocation arrives; nservers is what is left.  Only
 * the thread itself binds or unbinds it: its pool holds still.  @peer,
 * the caller just answered, runs first (door_yield()).
 */
static int door_park(struct door_ctx *ctx, struct door_thread *t,
		     unsigned int *nservers, bool parked,
		     struct task_struct *peer)
{
	struct door_pool *pool = t->bound ? &t->bound->pool : &ctx->pool;

	if (!parked) {
		spin_lock(&ctx->lock);
		parked = door_enqueue(ctx, t);
		spin_unlock(&ctx->lock);
		door_parked(parked ? pool : NULL);
	}
	door_yield(peer, &t->yield);

	if (t->spin && READ_ONCE(spin_us)) {
		u64 end = local_clock() + READ_ONCE(spin_us) * NSEC_PER_USEC;

		while (!need_resched() && !signal_pending(current) &&
		       local_clock() < end) {
			/* pairs with door_dispatch() and door_unref_queue() */
			if (smp_load_acquire(&t->call) || smp_load_acquire(&t->unref))
				break;
			cpu_relax();
		}
	}
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		/* pairs with door_dispatch() and door_unref_queue() */
		if (smp_load_acquire(&t->call) || smp_load_acquire(&t->unref)) {
			__set_current_state(TASK_RUNNING);
			*nservers = t->nservers;
			return 0;
		}
		if (signal_pending(current))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);

	spin_lock(&ctx->lock);
	if (t->call || t->unref) {
		*nservers = t->nservers;
		spin_unlock(&ctx->lock);
		return 0;
	}
	hlist_del_init(&t->park);
	pool->nparked--;
	spin_unlock(&ctx->lock);
	return -ERESTARTSYS;
}

/* Describe an invocation of @door to the server thread. */
static int door_put_inv(struct door_invocation __user *u, struct door *door,
			u64 data_ptr, u64 data_size, u64 desc_ptr,
			u32 desc_num, u32 nservers)
{
	if (!user_write_access_begin(u, sizeof(*u)))
		return -EFAULT;
	unsafe_put_user(door->proc, &u->proc, efault);
	unsafe_put_user(door->cookie, &u->cookie, efault);
	unsafe_put_user(data_ptr, &u->data_ptr, efault);
	unsafe_put_user(data_size, &u->data_size, efault);
	unsafe_put_user(desc_ptr, &u->desc_ptr, efault);
	unsafe_put_user(desc_num, &u->desc_num, efault);
	unsafe_put_user(nservers, &u->nservers, efault);
	unsafe_put_user(door->id, &u->id, efault);
	unsafe_put_user(door->attributes, &u->attributes, efault);
	unsafe_put_user(0, &u->pad, efault);
	user_write_access_end();
	return 0;
efault:
	user_write_access_end();
	return -EFAULT;
}

/*
 * Place the arguments of the call just taken in the server and describe
 * the invocation.  busy is set: the call record and the caller's memory
 * hold still.  Returns 0 to run the procedure, 1 to park again (the call
 * failed or was abandoned), or an error for the server thread.
 */
static int door_take(struct door_ctx *ctx, struct door_thread *t,
		     struct door_return_args *args,
		     struct door_return_args __user *uarg,
		     unsigned int nservers)
{
	struct door_call *call = t->call;
	unsigned int ndesc = call->afiles.n;
	size_t size = call->data_size;
	size_t doff = ndesc ? ALIGN(size, 8) : size;
	size_t total = doff + ndesc * sizeof(struct door_udesc);
	unsigned long dst = args->buf;
	struct door_udesc *fds = NULL;
	int error = 0, ret = 0;
	long copied = 0;

	if (total > args->buf_size && total <= t->argmap_len) {
		dst = t->argmap;	/* the region of an earlier call */
	} else if (total > args->buf_size) {
		door_unmap_args(t);
		dst = door_map_anon(total);
		if (!dst)
			error = -E2BIG;
		t->argmap = dst;
		t->argmap_len = dst ? PAGE_ALIGN(total) : 0;
	}
	if (!error && size > DOOR_INLINE_MAX) {
		copied = door_copy_call(ctx, t, call, call->data_ptr,
					(void __user *)dst, size, false);
		if (copied == -ESRCH) {
			door_unmap_args(t);
			return 1;	/* the caller was killed */
		}
	} else if (!error && size) {
		copied = copy_to_user((void __user *)dst, call->inl, size);
	}
	if (copied > 0) {
		error = -EINTR;		/* the server's buffer is bad */
		ret = -EFAULT;
	} else if (copied < 0) {
		error = copied;		/* the caller's is, or a signal */
	}
	if (!error && door_put_inv(&uarg->inv, call->door, size ? dst : 0,
				   size, ndesc ? dst + doff : 0, ndesc,
				   nservers)) {
		error = -EINTR;
		ret = -EFAULT;
	}
	if (!error && ndesc) {
		fds = door_files_reserve(&call->afiles, dst + doff);
		if (fds == ERR_PTR(-EFAULT)) {
			error = -EINTR;	/* the server's buffer is bad */
			ret = -EFAULT;
		} else if (IS_ERR(fds)) {
			error = PTR_ERR(fds);
		}
	}

	/*
	 * Descriptors are installed only for a call still wanted: those of
	 * an abandoned one would be left in our table, their numbers known
	 * to nobody.
	 */
	spin_lock(&ctx->lock);
	if (error || call->abandoned) {
		door_call_finish(ctx, t, call, error, false);
		door_files_unreserve(fds, ndesc);
		door_unmap_args(t);
		return ret ?: 1;
	}
	if (fds)
		door_files_commit(&call->afiles, fds);
	call->busy = false;
	spin_unlock(&ctx->lock);
	if (fds)
		kvfree(fds);
	return 0;
}

/* Describe the unreferenced invocation the thread was given. */
static int door_take_unref(struct door_ctx *ctx, struct door_thread *t,
			   struct door_return_args __user *uarg,
			   unsigned int nservers)
{
	struct door *door = t->unref;

	spin_lock(&ctx->lock);
	door->unref_state = DOOR_UNREF_ACTIVE;
	spin_unlock(&ctx->lock);
	if (!door_put_inv(&uarg->inv, door, DOOR_UNREF_DATA_PTR, 0, 0, 0,
			  nservers))
		return 0;
	door_unref_done(ctx, t);
	return -EFAULT;
}

long door_return(struct door_ctx *ctx, struct door_return_args __user *uarg)
{
	/* read up to inv, which is never read: no zeroing */
	struct door_return_args args __uninitialized;
	struct door_thread *t;
	unsigned int nservers;
	struct task_struct *peer = NULL;
	bool parked = false;
	int ret;

	if (door_get_args(&args, uarg, offsetof(struct door_return_args, inv)))
		return -EFAULT;
	if (args.flags & ~(DOOR_RETURN_ABORT | DOOR_RETURN_EXIT) || args.pad ||
	    !valid_signal(args.cancel_signal))
		return -EINVAL;
	if (!door_ctx_owned(ctx))
		return -EPERM;
	t = door_thread_get(ctx);
	if (!t)
		return -ENOMEM;

	t->cancel_signal = args.cancel_signal;
	ret = door_deliver(ctx, t, &args, &parked, &peer);
	if (ret)
		return ret;
	if (args.flags & DOOR_RETURN_EXIT) {
		door_unmap_args(t);
		door_thread_free(ctx, t);
		return 0;
	}
	if (t->argmap_len > DOOR_ARGMAP_KEEP)
		door_unmap_args(t);
	do {
		ret = door_park(ctx, t, &nservers, parked, peer);
		parked = false;
		peer = NULL;
		if (!ret && t->unref)
			ret = door_take_unref(ctx, t, uarg, nservers);
		else if (!ret)
			ret = door_take(ctx, t, &args, uarg, nservers);
	} while (ret > 0);
	/*
	 * Restarted, the return would release its DOOR_RELEASE descriptors
	 * a second time: their numbers may be anyone's by now.
	 */
	if (ret == -ERESTARTSYS && args.desc_num)
		ret = -EINTR;
	return ret;
}

/* The context is released: fail what its threads were serving. */
void door_ctx_abort_calls(struct door_ctx *ctx)
{
	struct door_thread *t;
	struct hlist_node *tmp;
	int bkt;

	spin_lock(&ctx->lock);
	hash_for_each_safe(ctx->threads, bkt, tmp, t, hnode) {
		if (t->call)
			door_call_finish(ctx, t, t->call, -EINTR, false);
		else
			spin_unlock(&ctx->lock);
		door_thread_free(ctx, t);
		spin_lock(&ctx->lock);
	}
	spin_unlock(&ctx->lock);
}
