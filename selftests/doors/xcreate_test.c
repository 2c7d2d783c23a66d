// SPDX-License-Identifier: GPL-2.0
/*
 * door_xcreate(): a private door whose threads its own creation function
 * (crf) starts, nthread of them bound before it returns, one more at each
 * depletion; and the crf contract: 1 started, 0 none (EINVAL), -1 could
 * not (EPIPE), anything else is a bug (EINVAL), without a crash even when
 * crf started a thread and said otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <unistd.h>

#include <door.h>

#include "harness.h"
#include "util.h"

#define MAX_CALLS	16

/*
 * The crf's plan, one character per call (past the end: '1'):
 *   '1' start a thread, return 1     '0' return 0
 *   'z' start a thread, return 0     '-' return -1
 *   '2' return 2                     't' start a thread, return 2
 */
static const char *plan = "";

/* What crf and setupf saw, and the threads crf started. */
static struct {
	pthread_mutex_t lock;
	int calls;
	door_info_t di[MAX_CALLS];
	void *(*startf[MAX_CALLS])(void *);
	void *crcookie[MAX_CALLS];
	pthread_t threads[MAX_CALLS];
	int nthreads;
	int setups;
	void *setup_cookie[MAX_CALLS];
	pid_t setup_tid[MAX_CALLS];
} rec = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int crf(door_info_t *dip, void *(*startf)(void *), void *startarg,
	       void *crcookie)
{
	char what;
	int i;

	pthread_mutex_lock(&rec.lock);
	i = rec.calls++;
	what = i < (int)strlen(plan) ? plan[i] : '1';
	if (i < MAX_CALLS) {
		rec.di[i] = *dip;
		rec.startf[i] = startf;
		rec.crcookie[i] = crcookie;
	}
	if ((what == '1' || what == 'z' || what == 't') &&
	    rec.nthreads < MAX_CALLS &&
	    pthread_create(&rec.threads[rec.nthreads], NULL, startf,
			   startarg) == 0)
		rec.nthreads++;
	pthread_mutex_unlock(&rec.lock);

	switch (what) {
	case '1':
		return 1;
	case '0':
	case 'z':
		return 0;
	case '-':
		return -1;
	default:
		return 2;
	}
}

static void setupf(void *crcookie)
{
	pthread_mutex_lock(&rec.lock);
	if (rec.setups < MAX_CALLS) {
		rec.setup_cookie[rec.setups] = crcookie;
		rec.setup_tid[rec.setups] = gettid();
	}
	rec.setups++;
	pthread_mutex_unlock(&rec.lock);
}

/* The server thread: its id and whether it can be cancelled. */
struct served {
	pid_t tid;
	int cancel_state;
};

/* Written to by the procedure's unreferenced invocation. */
static int unref_pipe[2] = { -1, -1 };

static void proc(void *cookie, char *argp, size_t arg_size,
		 door_desc_t *dp, uint_t n_desc)
{
	struct served s = { .tid = gettid() };

	if (argp == DOOR_UNREF_DATA) {
		notify(unref_pipe[1]);
		door_return(NULL, 0, NULL, 0);
	}
	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &s.cancel_state);
	pthread_setcancelstate(s.cancel_state, NULL);
	door_return((char *)&s, sizeof(s), NULL, 0);
}

static int call(int d, struct served *s)
{
	door_arg_t arg = { .rbuf = (char *)s, .rsize = sizeof(*s) };

	if (door_call(d, &arg))
		return -1;
	return arg.data_size == sizeof(*s) ? 0 : -1;
}

static int nbound(int d)
{
	door_info_t di;

	return door_info(d, &di) ? -1 : di.di_resv[1];
}

static int cookie, crcookie;

static int xcreate(uint_t attrs, door_xcreate_thrsetup_func_t *setup,
		   int nthread)
{
	return door_xcreate(proc, &cookie, attrs, crf, setup, &crcookie,
			    nthread);
}

/* Every thread crf started has exited (failed door_xcreate()). */
static void join_all(struct __test_metadata *_metadata)
{
	int i;

	for (i = 0; i < rec.nthreads; i++)
		EXPECT_EQ(0, pthread_join(rec.threads[i], NULL));
}

TEST(threads_bound_before_return)
{
	int d = xcreate(0, NULL, 3);

	ASSERT_LE(0, d);
	EXPECT_EQ(3, rec.calls);
	EXPECT_EQ(3, rec.nthreads);
	EXPECT_EQ(3, nbound(d));
}

TEST(crf_arguments)
{
	door_info_t di;
	int d, i;

	d = xcreate(DOOR_REFUSE_DESC, NULL, 2);
	ASSERT_LE(0, d);
	ASSERT_EQ(0, door_info(d, &di));
	ASSERT_EQ(2, rec.calls);
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(di.di_uniquifier, rec.di[i].di_uniquifier);
		EXPECT_EQ(getpid(), rec.di[i].di_target);
		EXPECT_EQ((uintptr_t)proc, rec.di[i].di_proc);
		EXPECT_EQ((uintptr_t)&cookie, rec.di[i].di_data);
		EXPECT_EQ(DOOR_PRIVATE | DOOR_PRIVCREATE | DOOR_REFUSE_DESC |
			  DOOR_LOCAL, rec.di[i].di_attributes);
		EXPECT_NE(NULL, rec.startf[i]);
		EXPECT_EQ(&crcookie, rec.crcookie[i]);
	}
}

TEST(attributes_forced)
{
	door_info_t di;
	int d = xcreate(DOOR_NO_CANCEL, NULL, 1);

	ASSERT_LE(0, d);
	ASSERT_EQ(0, door_info(d, &di));
	EXPECT_EQ(DOOR_PRIVATE | DOOR_PRIVCREATE | DOOR_NO_CANCEL | DOOR_LOCAL,
		  di.di_attributes);
}

TEST(setupf_in_each_thread)
{
	int d = xcreate(0, setupf, 3);

	ASSERT_LE(0, d);
	ASSERT_EQ(3, rec.setups);
	EXPECT_EQ(&crcookie, rec.setup_cookie[0]);
	EXPECT_EQ(&crcookie, rec.setup_cookie[1]);
	EXPECT_EQ(&crcookie, rec.setup_cookie[2]);
	EXPECT_NE(rec.setup_tid[0], rec.setup_tid[1]);
	EXPECT_NE(rec.setup_tid[1], rec.setup_tid[2]);
	EXPECT_NE(rec.setup_tid[0], rec.setup_tid[2]);
}

TEST(served_by_its_threads)
{
	struct served s;
	int d, i;

	d = xcreate(DOOR_NO_DEPLETION_CB, setupf, 2);
	ASSERT_LE(0, d);
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, call(d, &s));
		EXPECT_TRUE(s.tid == rec.setup_tid[0] ||
			    s.tid == rec.setup_tid[1]);
	}
}

TEST(default_setup_disables_cancellation)
{
	struct served s;
	int d = xcreate(0, NULL, 1);

	ASSERT_LE(0, d);
	ASSERT_EQ(0, call(d, &s));
	EXPECT_EQ(PTHREAD_CANCEL_DISABLE, s.cancel_state);
}

/* A setupf replaces the default: cancellation stays as it was. */
TEST(setupf_keeps_cancellation)
{
	struct served s;
	int d = xcreate(0, setupf, 1);

	ASSERT_LE(0, d);
	ASSERT_EQ(0, call(d, &s));
	EXPECT_EQ(PTHREAD_CANCEL_ENABLE, s.cancel_state);
}

/* The only thread takes the call: crf once more, DOOR_DEPLETION_CB. */
TEST(depletion_calls_crf)
{
	door_info_t di;
	struct served s;
	int d = xcreate(0, NULL, 1);

	ASSERT_LE(0, d);
	ASSERT_EQ(0, door_info(d, &di));
	ASSERT_EQ(0, call(d, &s));
	ASSERT_EQ(2, rec.calls);
	EXPECT_EQ(di.di_uniquifier, rec.di[1].di_uniquifier);
	EXPECT_EQ(DOOR_PRIVATE | DOOR_PRIVCREATE | DOOR_LOCAL |
		  DOOR_DEPLETION_CB, rec.di[1].di_attributes);
	EXPECT_EQ(&crcookie, rec.crcookie[1]);
	/* Bound before the procedure ran. */
	EXPECT_EQ(2, nbound(d));
	ASSERT_EQ(0, call(d, &s));
}

TEST(depletion_crf_returns_0)
{
	struct served s;
	int d;

	plan = "10";
	d = xcreate(0, NULL, 1);
	ASSERT_LE(0, d);
	ASSERT_EQ(0, call(d, &s));
	EXPECT_EQ(2, rec.calls);
	EXPECT_EQ(1, nbound(d));
	ASSERT_EQ(0, call(d, &s));
}

TEST(no_depletion_cb)
{
	struct served s;
	int d = xcreate(DOOR_NO_DEPLETION_CB, NULL, 1);

	ASSERT_LE(0, d);
	ASSERT_EQ(0, call(d, &s));
	ASSERT_EQ(0, call(d, &s));
	EXPECT_EQ(1, rec.calls);
	EXPECT_EQ(1, nbound(d));
}

TEST(crf_returns_0_einval)
{
	int fds;

	ASSERT_EQ(-1, door_unbind());	/* opens the context */
	fds = fd_count();
	plan = "0";
	EXPECT_EQ(-1, xcreate(0, NULL, 2));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(1, rec.calls);
	EXPECT_EQ(fds, fd_count());
}

/* The illumos crash: the thread must find nothing stale, and exit. */
TEST(crf_starts_thread_returns_0_einval)
{
	plan = "z";
	EXPECT_EQ(-1, xcreate(0, setupf, 2));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(1, rec.calls);
	join_all(_metadata);
}

TEST(crf_returns_minus_1_epipe)
{
	plan = "-";
	EXPECT_EQ(-1, xcreate(0, NULL, 1));
	EXPECT_EQ(EPIPE, errno);
}

TEST(crf_returns_2_einval)
{
	plan = "2";
	EXPECT_EQ(-1, xcreate(0, NULL, 1));
	EXPECT_EQ(EINVAL, errno);
}

TEST(crf_starts_thread_returns_2_einval)
{
	plan = "t";
	EXPECT_EQ(-1, xcreate(0, NULL, 1));
	EXPECT_EQ(EINVAL, errno);
	join_all(_metadata);
}

/* Two threads bound already: they unbind and exit; nothing leaks. */
TEST(crf_fails_after_two_threads)
{
	int fds;

	ASSERT_EQ(-1, door_unbind());	/* opens the context */
	fds = fd_count();
	plan = "11-";
	EXPECT_EQ(-1, xcreate(0, NULL, 4));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(3, rec.calls);
	EXPECT_EQ(2, rec.nthreads);
	join_all(_metadata);
	EXPECT_EQ(fds, fd_count());
}

TEST(null_crf_einval)
{
	EXPECT_EQ(-1, door_xcreate(proc, NULL, 0, NULL, NULL, NULL, 1));
	EXPECT_EQ(EINVAL, errno);
}

TEST(nthread_0_einval)
{
	EXPECT_EQ(-1, xcreate(0, NULL, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, rec.calls);
}

TEST(privcreate_attribute_einval)
{
	EXPECT_EQ(-1, xcreate(DOOR_PRIVCREATE, NULL, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, rec.calls);
}

/*
 * libdoor keeps no descriptor of the door (its threads bind by the door's
 * uniquifier): one for the caller, none once revoked.
 */
TEST(keeps_no_descriptor)
{
	int fds, d;

	ASSERT_EQ(-1, door_unbind());	/* opens the context */
	fds = fd_count();
	d = xcreate(0, NULL, 1);
	ASSERT_LE(0, d);
	EXPECT_EQ(fds + 1, fd_count());
	ASSERT_EQ(0, door_revoke(d));
	EXPECT_EQ(fds, fd_count());
}

/*
 * A DOOR_UNREF door with depletion calls gets its unreferenced invocation
 * as soon as the application's descriptor is the only one left.
 */
TEST(unref_when_one_descriptor_left)
{
	int d = xcreate(DOOR_UNREF, NULL, 1), d2;

	ASSERT_LE(0, d);
	ASSERT_EQ(0, pipe2(unref_pipe, O_CLOEXEC));
	d2 = dup(d);
	ASSERT_LE(0, d2);
	ASSERT_EQ(0, close(d2));
	EXPECT_EQ(0, await(unref_pipe[0]));
}

/* A fork child does not hold the context. */
TEST(fork_child_drops_context)
{
	int fds, d;
	pid_t pid;

	d = xcreate(0, NULL, 1);
	ASSERT_LE(0, d);
	fds = fd_count();
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(fd_count() == fds - 1 ? 0 : 1);
	EXPECT_EQ(0, wait_status(pid));
}

DOORS_HARNESS_MAIN
