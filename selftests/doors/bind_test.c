// SPDX-License-Identifier: GPL-2.0
/*
 * Server threads: private pools and door_bind()/door_unbind(), the
 * thread counts door_info() reports in di_resv[0] (parked) and di_resv[1]
 * (bound), the server creation function's calls (creation, depletion),
 * and server threads that exit in the middle of a call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <door.h>
#include <linux/doors.h>

#include "harness.h"
#include "util.h"

/* Answers the server thread's id. */
static void tid_proc(void *cookie, char *argp, size_t arg_size,
		     door_desc_t *dp, uint_t n_desc)
{
	pid_t tid = gettid();

	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	door_return((char *)&tid, sizeof(tid), NULL, 0);
}

static void exit_proc(void *cookie, char *argp, size_t arg_size,
		      door_desc_t *dp, uint_t n_desc)
{
	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	pthread_exit(NULL);
}

/* Cancelled while it waits; cookie: where to tell its thread. */
struct cancel_me {
	pthread_t thread;
	int inside[2];		/* written when the thread waits */
	int never[2];		/* never written */
};

static void cancel_proc(void *cookie, char *argp, size_t arg_size,
			door_desc_t *dp, uint_t n_desc)
{
	struct cancel_me *c = cookie;
	char byte;

	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	c->thread = pthread_self();
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
	notify(c->inside[1]);
	while (read(c->never[0], &byte, 1) < 0)
		;
	door_return(NULL, 0, NULL, 0);
}

static pid_t call_tid(int d)
{
	pid_t tid = -1;
	door_arg_t arg = { .rbuf = (char *)&tid, .rsize = sizeof(tid) };

	if (door_call(d, &arg) || arg.data_size != sizeof(tid))
		return -1;
	return tid;
}

/* di_resv[i] of door d, or -1. */
static int resv(int d, int i)
{
	door_info_t di;

	return door_info(d, &di) ? -1 : di.di_resv[i];
}

static void wait_parked(int d, int n)
{
	while (resv(d, 0) != n)
		sched_yield();
}

/* A thread that binds itself to door and serves it. */
struct bound {
	int door;
	pid_t tid;
	int err;
	int ready[2];
	pthread_t thread;
};

static void *bound_server(void *arg)
{
	struct bound *b = arg;

	b->tid = gettid();
	if (door_bind(b->door)) {
		b->err = errno;
		notify(b->ready[1]);
		return NULL;
	}
	notify(b->ready[1]);
	door_return(NULL, 0, NULL, 0);
	b->err = errno;
	return NULL;
}

static int start_bound(struct bound *b, int door)
{
	b->door = door;
	b->err = 0;
	if (pipe(b->ready) || pthread_create(&b->thread, NULL, bound_server, b))
		return -1;
	if (await(b->ready[0]))
		return -1;
	errno = b->err;
	return b->err ? -1 : 0;
}

struct caller {
	int door;
	pid_t tid;		/* the caller's */
	pid_t served_by;	/* the server thread's */
	int ready[2];
};

static void *caller_thread(void *arg)
{
	struct caller *c = arg;

	c->tid = gettid();
	notify(c->ready[1]);
	c->served_by = call_tid(c->door);
	return NULL;
}

TEST(bound_thread_serves_private_door)
{
	struct bound b;
	int shared, priv, i;

	/* The process pool has a thread too: it must not serve priv. */
	shared = door_create(tid_proc, NULL, 0);
	ASSERT_LE(0, shared);
	priv = door_create(tid_proc, NULL, DOOR_PRIVATE);
	ASSERT_LE(0, priv);
	ASSERT_EQ(0, start_bound(&b, priv));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(b.tid, call_tid(priv));
	EXPECT_NE(b.tid, call_tid(shared));
}

/* illumos semantics: the call waits until a bound thread parks. */
TEST(call_waits_for_bound_thread)
{
	struct caller c;
	pthread_t thread;
	struct bound b;
	int priv;

	priv = door_create(tid_proc, NULL, DOOR_PRIVATE);
	ASSERT_LE(0, priv);
	c.door = priv;
	ASSERT_EQ(0, pipe(c.ready));
	ASSERT_EQ(0, pthread_create(&thread, NULL, caller_thread, &c));
	ASSERT_EQ(0, await(c.ready[0]));
	wait_blocked_in_ioctl(c.tid);
	ASSERT_EQ(0, start_bound(&b, priv));
	ASSERT_EQ(0, pthread_join(thread, NULL));
	EXPECT_EQ(b.tid, c.served_by);
}

/* What illumos leaves silent: nothing will ever serve this door. */
TEST(no_bound_thread_observable)
{
	door_info_t di;
	int priv = door_create(tid_proc, NULL, DOOR_PRIVATE);

	ASSERT_LE(0, priv);
	ASSERT_EQ(0, door_info(priv, &di));
	EXPECT_EQ(0, di.di_resv[0]);
	EXPECT_EQ(0, di.di_resv[1]);
}

TEST(bound_thread_counts)
{
	struct bound b;
	int priv = door_create(tid_proc, NULL, DOOR_PRIVATE);

	ASSERT_LE(0, priv);
	ASSERT_EQ(0, start_bound(&b, priv));
	EXPECT_EQ(1, resv(priv, 1));
	wait_parked(priv, 1);
	EXPECT_EQ(b.tid, call_tid(priv));
	EXPECT_EQ(1, resv(priv, 1));
}

/* Binding takes effect at the next park: bound, not parked yet. */
TEST(bind_counts_before_park)
{
	int priv = door_create(tid_proc, NULL, DOOR_PRIVATE);

	ASSERT_LE(0, priv);
	ASSERT_EQ(0, door_bind(priv));
	EXPECT_EQ(1, resv(priv, 1));
	EXPECT_EQ(0, resv(priv, 0));
	ASSERT_EQ(0, door_unbind());
	EXPECT_EQ(0, resv(priv, 1));
}

TEST(bind_non_private_einval)
{
	int d = door_create(tid_proc, NULL, 0);

	ASSERT_LE(0, d);
	EXPECT_EQ(-1, door_bind(d));
	EXPECT_EQ(EINVAL, errno);
}

TEST(bind_not_door_ebadf)
{
	int p[2];

	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(-1, door_bind(p[0]));
	EXPECT_EQ(EBADF, errno);
}

TEST(bind_closed_fd_ebadf)
{
	int priv = door_create(tid_proc, NULL, DOOR_PRIVATE);

	ASSERT_LE(0, priv);
	ASSERT_EQ(0, close(priv));
	EXPECT_EQ(-1, door_bind(priv));
	EXPECT_EQ(EBADF, errno);
}

/* Another process's private door. */
TEST(bind_other_process_door_einval)
{
	int sv[2], priv;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		priv = door_create(tid_proc, NULL, DOOR_PRIVATE);
		if (priv < 0 || send_fds(sv[1], &priv, 1))
			_exit(1);
		for (;;)
			pause();
	}
	ASSERT_EQ(0, recv_fds(sv[0], &priv, 1));
	EXPECT_EQ(-1, door_bind(priv));
	EXPECT_EQ(EINVAL, errno);
	kill(pid, SIGKILL);
	wait_status(pid);
}

TEST(unbind_unbound_ebadf)
{
	EXPECT_EQ(-1, door_unbind());
	EXPECT_EQ(EBADF, errno);
}

TEST(unbind_twice_ebadf)
{
	int priv = door_create(tid_proc, NULL, DOOR_PRIVATE);

	ASSERT_LE(0, priv);
	ASSERT_EQ(0, door_bind(priv));
	ASSERT_EQ(0, door_unbind());
	EXPECT_EQ(-1, door_unbind());
	EXPECT_EQ(EBADF, errno);
}

TEST(rebind_leaves_previous_door)
{
	int a = door_create(tid_proc, NULL, DOOR_PRIVATE);
	int b = door_create(tid_proc, NULL, DOOR_PRIVATE);

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, door_bind(a));
	ASSERT_EQ(0, door_bind(b));
	EXPECT_EQ(0, resv(a, 1));
	EXPECT_EQ(1, resv(b, 1));
}

TEST(query_gives_bound_door)
{
	door_info_t di, query_di;
	int priv = door_create(tid_proc, NULL, DOOR_PRIVATE);

	ASSERT_LE(0, priv);
	ASSERT_EQ(0, door_info(priv, &di));
	ASSERT_EQ(0, door_bind(priv));
	ASSERT_EQ(0, door_info(DOOR_QUERY, &query_di));
	EXPECT_EQ(di.di_uniquifier, query_di.di_uniquifier);
	ASSERT_EQ(0, door_unbind());
	EXPECT_EQ(-1, door_info(DOOR_QUERY, &query_di));
	EXPECT_EQ(EBADF, errno);
}

/*
 * DOOR_IOC_BIND_ID, through a context of the test's own (libdoor binds
 * its door_xcreate() threads with it, and does not export it).
 */
static int raw_door(int ctx, __u32 attributes, __u64 *id)
{
	struct door_create_args ca = { .attributes = attributes };
	int fd = ioctl(ctx, DOOR_IOC_CREATE, &ca);

	*id = ca.id;
	return fd;
}

static int bind_id(int ctx, __u64 id, __u32 flags, __u32 pad)
{
	struct door_id_args a = { .id = id, .flags = flags, .pad = pad };

	return ioctl(ctx, DOOR_IOC_BIND_ID, &a) ? errno : 0;
}

/* A context of the test's own, and a private door made through it. */
FIXTURE(bind_id) {
	int ctx;
	int door;
	__u64 id;
};

FIXTURE_SETUP(bind_id)
{
	self->ctx = ctx_open();
	ASSERT_LE(0, self->ctx);
	self->door = raw_door(self->ctx, DOOR_PRIVATE, &self->id);
	ASSERT_LE(0, self->door);
}

FIXTURE_TEARDOWN(bind_id)
{
}

TEST_F(bind_id, binds)
{
	EXPECT_EQ(0, bind_id(self->ctx, self->id, 0, 0));
	EXPECT_EQ(1, resv(self->door, 1));
}

TEST_F(bind_id, non_private_einval)
{
	__u64 id;

	ASSERT_LE(0, raw_door(self->ctx, 0, &id));
	EXPECT_EQ(EINVAL, bind_id(self->ctx, id, 0, 0));
}

TEST_F(bind_id, flags_einval)
{
	EXPECT_EQ(EINVAL, bind_id(self->ctx, self->id, 1, 0));
}

TEST_F(bind_id, pad_einval)
{
	EXPECT_EQ(EINVAL, bind_id(self->ctx, self->id, 0, 1));
}

TEST_F(bind_id, bad_pointer_efault)
{
	EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_BIND_ID, bad_ptr()));
	EXPECT_EQ(EFAULT, errno);
}

/* Only the doors of the context bound through can be named. */
TEST_F(bind_id, other_context_ebadf)
{
	int other = ctx_open();

	ASSERT_LE(0, other);
	EXPECT_EQ(EBADF, bind_id(other, self->id, 0, 0));
}

/* A door whose last descriptor is closed is gone. */
TEST_F(bind_id, closed_door_ebadf)
{
	ASSERT_EQ(0, close(self->door));
	EXPECT_EQ(EBADF, bind_id(self->ctx, self->id, 0, 0));
}

/* A revoked door is no longer named. */
TEST_F(bind_id, revoked_door_ebadf)
{
	struct door_fd_args ra = { .fd = dup(self->door) };

	ASSERT_LE(0, ra.fd);
	ASSERT_EQ(0, ioctl(self->ctx, DOOR_IOC_REVOKE, &ra));
	EXPECT_EQ(EBADF, bind_id(self->ctx, self->id, 0, 0));
}

/* A fork child finds its parent's context, which is not its own. */
TEST_F(bind_id, inherited_context_eperm)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(bind_id(self->ctx, self->id, 0, 0));
	EXPECT_EQ(EPERM, wait_status(pid));
}

static void *bind_and_exit(void *arg)
{
	return (void *)(intptr_t)door_bind(*(int *)arg);
}

TEST(thread_exit_unbinds)
{
	int priv = door_create(tid_proc, NULL, DOOR_PRIVATE);
	pthread_t thread;
	void *ret;

	ASSERT_LE(0, priv);
	ASSERT_EQ(0, pthread_create(&thread, NULL, bind_and_exit, &priv));
	ASSERT_EQ(0, pthread_join(thread, &ret));
	ASSERT_EQ(NULL, ret);
	EXPECT_EQ(0, resv(priv, 1));
}

/* The server creation function, recording its calls. */
static pthread_mutex_t calls_lock = PTHREAD_MUTEX_INITIALIZER;
static int null_calls, info_calls;
static door_info_t last_info;

static void *pool_thread(void *arg)
{
	(void)arg;
	door_return(NULL, 0, NULL, 0);
	return NULL;
}

static void record_server(door_info_t *dip)
{
	pthread_t thread;

	pthread_mutex_lock(&calls_lock);
	if (dip) {
		info_calls++;
		last_info = *dip;
	} else {
		null_calls++;
		pthread_create(&thread, NULL, pool_thread, NULL);
		pthread_detach(thread);
	}
	pthread_mutex_unlock(&calls_lock);
}

TEST(server_func_once_for_shared_doors)
{
	door_server_create(record_server);
	ASSERT_LE(0, door_create(tid_proc, NULL, 0));
	ASSERT_LE(0, door_create(tid_proc, NULL, 0));
	EXPECT_EQ(1, null_calls);
	EXPECT_EQ(0, info_calls);
}

/* The pool's only thread takes the call: one more before it serves. */
TEST(server_func_on_pool_depletion)
{
	int d;

	door_server_create(record_server);
	d = door_create(tid_proc, NULL, 0);
	ASSERT_LE(0, d);
	EXPECT_LT(0, call_tid(d));
	EXPECT_EQ(2, null_calls);
	EXPECT_EQ(0, info_calls);
}

TEST(server_func_for_each_private_door)
{
	door_info_t di;
	int priv;

	door_server_create(record_server);
	priv = door_create(tid_proc, NULL, DOOR_PRIVATE);
	ASSERT_LE(0, priv);
	ASSERT_EQ(0, door_info(priv, &di));
	EXPECT_EQ(0, null_calls);
	ASSERT_EQ(1, info_calls);
	EXPECT_EQ(di.di_uniquifier, last_info.di_uniquifier);
	EXPECT_EQ(DOOR_PRIVATE | DOOR_LOCAL, last_info.di_attributes);
	EXPECT_EQ((uintptr_t)tid_proc, last_info.di_proc);
	EXPECT_LE(0, door_create(tid_proc, NULL, DOOR_PRIVATE));
	EXPECT_EQ(2, info_calls);
}

/* The private pool's only thread takes the call: DOOR_DEPLETION_CB. */
TEST(server_func_on_private_depletion)
{
	door_info_t di;
	struct bound b;
	int priv;

	door_server_create(record_server);
	priv = door_create(tid_proc, &b, DOOR_PRIVATE);
	ASSERT_LE(0, priv);
	ASSERT_EQ(0, door_info(priv, &di));
	ASSERT_EQ(0, start_bound(&b, priv));
	EXPECT_EQ(b.tid, call_tid(priv));
	ASSERT_EQ(2, info_calls);
	EXPECT_EQ(0, null_calls);
	EXPECT_EQ(di.di_uniquifier, last_info.di_uniquifier);
	EXPECT_EQ(DOOR_PRIVATE | DOOR_LOCAL | DOOR_DEPLETION_CB,
		  last_info.di_attributes);
	EXPECT_EQ((uintptr_t)&b, last_info.di_data);
}

TEST(thread_exit_mid_call_eintr)
{
	int bye = door_create(exit_proc, NULL, 0);
	int d = door_create(tid_proc, NULL, 0);

	ASSERT_LE(0, bye);
	ASSERT_LE(0, d);
	EXPECT_EQ(-1, door_call(bye, NULL));
	EXPECT_EQ(EINTR, errno);
	/* The pool lives on. */
	EXPECT_LT(0, call_tid(d));
}

TEST(bound_thread_exit_mid_call_eintr)
{
	struct bound b;
	int priv;

	priv = door_create(exit_proc, NULL, DOOR_PRIVATE);
	ASSERT_LE(0, priv);
	ASSERT_EQ(0, start_bound(&b, priv));
	EXPECT_EQ(-1, door_call(priv, NULL));
	EXPECT_EQ(EINTR, errno);
	ASSERT_EQ(0, pthread_join(b.thread, NULL));
	EXPECT_EQ(0, resv(priv, 1));
}

struct canceller {
	struct cancel_me *victim;
	int err;
};

static void *cancel_thread(void *arg)
{
	struct canceller *c = arg;

	if (await(c->victim->inside[0]))
		c->err = EPIPE;
	else
		c->err = pthread_cancel(c->victim->thread);
	return NULL;
}

TEST(thread_cancelled_mid_call_eintr)
{
	struct cancel_me victim;
	struct canceller c = { .victim = &victim };
	pthread_t thread;
	int d;

	ASSERT_EQ(0, pipe(victim.inside));
	ASSERT_EQ(0, pipe(victim.never));
	d = door_create(cancel_proc, &victim, 0);
	ASSERT_LE(0, d);
	ASSERT_EQ(0, pthread_create(&thread, NULL, cancel_thread, &c));
	EXPECT_EQ(-1, door_call(d, NULL));
	EXPECT_EQ(EINTR, errno);
	ASSERT_EQ(0, pthread_join(thread, NULL));
	EXPECT_EQ(0, c.err);
}

DOORS_HARNESS_MAIN
