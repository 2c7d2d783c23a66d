// SPDX-License-Identifier: GPL-2.0
/*
 * Unreferenced notifications: a DOOR_UNREF or DOOR_UNREF_MULTI door's
 * procedure is invoked with argp == DOOR_UNREF_DATA (and nothing else)
 * when the references to the door drop to one: descriptors (dup() shares
 * one, fork() inherits one), descriptors passed through doors, fattach().
 * DOOR_UNREF fires once; DOOR_UNREF_MULTI once per drop; delivery waits
 * for calls in progress; a DOOR_PRIVATE door's comes on its bound thread.
 *
 * The test process serves its doors with exactly one thread in its pool,
 * so a call to another door of that pool returns only after every unref
 * invocation due before the call ran: that is how "none was delivered"
 * is checked.  Each invocation writes a record to a pipe.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include <door.h>

#include "harness.h"
#include "util.h"

/* What a door's procedure does besides recording unref invocations. */
enum door_kind {
	PLAIN,		/* calls return nothing */
	BLOCK_CALL,	/* calls wait for release */
	BLOCK_UNREF,	/* unref invocations wait for release (once recorded) */
};

struct udoor {
	enum door_kind kind;
};

static struct udoor plain = { PLAIN }, block_call = { BLOCK_CALL },
		    block_unref = { BLOCK_UNREF };

/* An unref invocation, as the procedure saw it. */
struct rec {
	void *cookie;
	char *argp;
	size_t arg_size;
	door_desc_t *dp;
	uint_t n_desc;
	pid_t tid;
};

static int recs[2];			/* records, non-blocking */
static int inside[2], release[2];	/* "I'm in", "go on" */

static void proc(void *cookie, char *argp, size_t arg_size,
		 door_desc_t *dp, uint_t n_desc)
{
	struct udoor *u = cookie;
	struct rec r = {
		.cookie = cookie,
		.argp = argp,
		.arg_size = arg_size,
		.dp = dp,
		.n_desc = n_desc,
		.tid = gettid(),
	};

	if (argp != DOOR_UNREF_DATA) {
		if (u->kind == BLOCK_CALL) {
			notify(inside[1]);
			await(release[0]);
		}
		door_return(NULL, 0, NULL, 0);
		return;
	}
	if (write(recs[1], &r, sizeof(r)) != sizeof(r))
		abort();
	if (u->kind == BLOCK_UNREF)
		await(release[0]);
	door_return(NULL, 0, NULL, 0);
}

static void sync_proc(void *cookie, char *argp, size_t arg_size,
		      door_desc_t *dp, uint_t n_desc)
{
	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	door_return(NULL, 0, NULL, 0);
}

/* A server thread of the pool, or bound to door (if >= 0). */
struct server {
	int door;
	pid_t tid;
	int ready[2];
	pthread_t thread;
};

static void *server_thread(void *arg)
{
	struct server *s = arg;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	s->tid = gettid();
	if (s->door >= 0 && door_bind(s->door))
		s->tid = -1;
	notify(s->ready[1]);
	door_return(NULL, 0, NULL, 0);
	return NULL;
}

static int start_server(struct server *s, int door)
{
	s->door = door;
	if (pipe2(s->ready, O_CLOEXEC) ||
	    pthread_create(&s->thread, NULL, server_thread, s) ||
	    await(s->ready[0]))
		return -1;
	return s->tid > 0 ? 0 : -1;
}

FIXTURE(unref) {
	int sync;		/* a door of the pool, for flush() */
	struct server shared;	/* the pool's only thread */
};

FIXTURE_SETUP(unref)
{
	ASSERT_EQ(0, pipe2(recs, O_CLOEXEC | O_NONBLOCK));
	ASSERT_EQ(0, pipe2(inside, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(release, O_CLOEXEC));
	door_server_create(NULL);
	self->sync = door_create(sync_proc, NULL, 0);
	ASSERT_LE(0, self->sync);
	ASSERT_EQ(0, start_server(&self->shared, -1));
}

FIXTURE_TEARDOWN(unref)
{
}

/* Every unref invocation due so far has been recorded. */
static void flush(struct __test_metadata *_metadata, int sync)
{
	ASSERT_EQ(0, door_call(sync, NULL));
}

/* Wait for the next record; check it is an unref invocation of cookie. */
static struct rec expect_unref(struct __test_metadata *_metadata,
			       struct udoor *cookie)
{
	struct pollfd pfd = { .fd = recs[0], .events = POLLIN };
	struct rec r;

	memset(&r, 0, sizeof(r));
	EXPECT_EQ(1, poll(&pfd, 1, -1));
	EXPECT_EQ(sizeof(r), read(recs[0], &r, sizeof(r)));
	EXPECT_EQ(cookie, r.cookie);
	EXPECT_EQ(DOOR_UNREF_DATA, r.argp);
	EXPECT_EQ(0U, r.arg_size);
	EXPECT_EQ(NULL, r.dp);
	EXPECT_EQ(0U, r.n_desc);
	return r;
}

static void expect_none(struct __test_metadata *_metadata, int sync)
{
	struct rec r;

	flush(_metadata, sync);
	EXPECT_EQ(-1, read(recs[0], &r, sizeof(r)));
	EXPECT_EQ(EAGAIN, errno);
}

/* Records of invocations that may or may not have come: forget them. */
static void drain(void)
{
	struct rec r;

	while (read(recs[0], &r, sizeof(r)) == sizeof(r))
		;
}

TEST_F(unref, dup_then_close_delivers)
{
	int d = door_create(proc, &plain, DOOR_UNREF), d2;

	ASSERT_LE(0, d);
	d2 = dup(d);
	ASSERT_LE(0, d2);
	ASSERT_EQ(0, close(d2));
	expect_unref(_metadata, &plain);
}

TEST_F(unref, invocation_arguments)
{
	int d = door_create(proc, &plain, DOOR_UNREF);
	struct rec r;

	ASSERT_LE(0, d);
	ASSERT_EQ(0, close(dup(d)));
	r = expect_unref(_metadata, &plain);
	EXPECT_EQ((void *)1, r.argp);
	EXPECT_EQ(self->shared.tid, r.tid);
}

TEST_F(unref, not_while_referenced)
{
	int d = door_create(proc, &plain, DOOR_UNREF), d2, d3;

	ASSERT_LE(0, d);
	d2 = dup(d);
	d3 = dup(d);
	ASSERT_LE(0, d2);
	ASSERT_LE(0, d3);
	expect_none(_metadata, self->sync);
	ASSERT_EQ(0, close(d2));
	expect_none(_metadata, self->sync);
	ASSERT_EQ(0, close(d3));
	expect_unref(_metadata, &plain);
}

TEST_F(unref, once_only)
{
	int d = door_create(proc, &plain, DOOR_UNREF);

	ASSERT_LE(0, d);
	ASSERT_EQ(0, close(dup(d)));
	expect_unref(_metadata, &plain);
	expect_none(_metadata, self->sync);
	ASSERT_EQ(0, close(dup(d)));
	expect_none(_metadata, self->sync);
}

TEST_F(unref, multi_fires_per_drop)
{
	int d = door_create(proc, &plain, DOOR_UNREF_MULTI), i;

	ASSERT_LE(0, d);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, close(dup(d)));
		expect_unref(_metadata, &plain);
		expect_none(_metadata, self->sync);
	}
}

/* References that come and go during the invocation: one more. */
TEST_F(unref, multi_drop_during_invocation_redelivers)
{
	int d = door_create(proc, &block_unref, DOOR_UNREF_MULTI);

	ASSERT_LE(0, d);
	ASSERT_EQ(0, close(dup(d)));
	expect_unref(_metadata, &block_unref);	/* it now waits */
	ASSERT_EQ(0, close(dup(d)));
	ASSERT_EQ(0, notify(release[1]));
	expect_unref(_metadata, &block_unref);
	ASSERT_EQ(0, notify(release[1]));
	expect_none(_metadata, self->sync);
}

TEST_F(unref, unref_and_multi_einval)
{
	EXPECT_EQ(-1, door_create(proc, &plain, DOOR_UNREF | DOOR_UNREF_MULTI));
	EXPECT_EQ(EINVAL, errno);
}

/* Without the attribute, nothing is delivered. */
TEST_F(unref, plain_door_never)
{
	int d = door_create(proc, &plain, 0);

	ASSERT_LE(0, d);
	ASSERT_EQ(0, close(dup(d)));
	expect_none(_metadata, self->sync);
}

/* A fork() child's inherited descriptor is a reference; its exit drops it. */
TEST_F(unref, fork_child_exit_delivers)
{
	int d = door_create(proc, &plain, DOOR_UNREF), go[2];
	pid_t pid;

	ASSERT_LE(0, d);
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(await(go[0]) ? 1 : 0);
	expect_none(_metadata, self->sync);
	ASSERT_EQ(0, notify(go[1]));
	EXPECT_EQ(0, wait_status(pid));
	expect_unref(_metadata, &plain);
}

/* The call holds a reference until it returns: delivery waits for it. */
struct caller {
	int door;
	int ret;
	pthread_t thread;
};

static void *caller_thread(void *arg)
{
	struct caller *c = arg;

	c->ret = door_call(c->door, NULL);
	return NULL;
}

TEST_F(unref, deferred_while_call_active)
{
	int d = door_create(proc, &block_call, DOOR_UNREF);
	struct caller c;
	struct server second;

	ASSERT_LE(0, d);
	/* The call takes one thread; the other is the only idle one. */
	ASSERT_EQ(0, start_server(&second, -1));
	c.door = dup(d);
	ASSERT_LE(0, c.door);
	ASSERT_EQ(0, pthread_create(&c.thread, NULL, caller_thread, &c));
	ASSERT_EQ(0, await(inside[0]));

	ASSERT_EQ(0, close(c.door));
	expect_none(_metadata, self->sync);

	ASSERT_EQ(0, notify(release[1]));
	ASSERT_EQ(0, pthread_join(c.thread, NULL));
	EXPECT_EQ(0, c.ret);
	expect_unref(_metadata, &block_call);
}

TEST_F(unref, info_is_unref)
{
	int d = door_create(proc, &plain, DOOR_UNREF_MULTI), d2;
	door_info_t di;

	ASSERT_LE(0, d);
	d2 = dup(d);
	ASSERT_LE(0, d2);
	ASSERT_EQ(0, door_info(d, &di));
	EXPECT_EQ(0U, di.di_attributes & DOOR_IS_UNREF);
	ASSERT_EQ(0, close(d2));
	expect_unref(_metadata, &plain);
	ASSERT_EQ(0, door_info(d, &di));
	EXPECT_EQ(DOOR_IS_UNREF, di.di_attributes & DOOR_IS_UNREF);
}

TEST_F(unref, info_never_is_unref_without_attribute)
{
	int d = door_create(proc, &plain, 0);
	door_info_t di;

	ASSERT_LE(0, d);
	ASSERT_EQ(0, door_info(d, &di));
	EXPECT_EQ(0U, di.di_attributes & DOOR_IS_UNREF);
}

TEST_F(unref, fdetach_delivers)
{
	char path[] = "/tmp/doors-unref-XXXXXX";
	int d = door_create(proc, &plain, DOOR_UNREF), fd;

	ASSERT_LE(0, d);
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, fattach(d, path));
	expect_none(_metadata, self->sync);
	ASSERT_EQ(0, fdetach(path));
	expect_unref(_metadata, &plain);
	unlink(path);
}

/* A descriptor from opening the attached name counts (illumos). */
TEST_F(unref, open_of_name_counts)
{
	char path[] = "/tmp/doors-unref-XXXXXX";
	int d = door_create(proc, &plain, DOOR_UNREF), fd;
	door_info_t info;

	ASSERT_LE(0, d);
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, fattach(d, path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, close(d));		/* left: the name, the open file */
	expect_none(_metadata, self->sync);
	ASSERT_EQ(0, door_info(fd, &info));
	EXPECT_EQ(0, info.di_attributes & DOOR_IS_UNREF);
	ASSERT_EQ(0, close(fd));	/* left: the name */
	expect_unref(_metadata, &plain);
	EXPECT_EQ(0, fdetach(path));
	unlink(path);
}

/* Opening and closing the name of a plain door delivers nothing. */
TEST_F(unref, plain_door_attached_never)
{
	char path[] = "/tmp/doors-unref-XXXXXX";
	int d = door_create(proc, &plain, 0), fd;

	ASSERT_LE(0, d);
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, fattach(d, path));
	ASSERT_EQ(0, close(d));		/* left: the name */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, close(fd));
	expect_none(_metadata, self->sync);
	EXPECT_EQ(0, fdetach(path));
	expect_none(_metadata, self->sync);
	unlink(path);
}

/* Calls through the attached name are no references of their own. */
TEST_F(unref, calls_through_name_do_not_deliver)
{
	char path[] = "/tmp/doors-unref-XXXXXX";
	int d = door_create(proc, &plain, DOOR_UNREF), fd;

	ASSERT_LE(0, d);
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fattach(d, path));
	ASSERT_EQ(0, door_call(fd, NULL));
	ASSERT_EQ(0, door_call(fd, NULL));
	close(fd);
	expect_none(_metadata, self->sync);
	EXPECT_EQ(0, fdetach(path));
	unlink(path);
}

/* Another process, which keeps or closes a door passed to it. */
enum { KEEP, DROP, NHELPER };

static int kept = -1;

static void helper_proc(void *cookie, char *argp, size_t arg_size,
			door_desc_t *dp, uint_t n_desc)
{
	(void)argp;
	(void)arg_size;
	if (cookie == (void *)KEEP && n_desc == 1) {
		kept = dp[0].d_data.d_desc.d_descriptor;
	} else if (cookie == (void *)DROP) {
		close(kept);
		kept = -1;
	}
	door_return(NULL, 0, NULL, 0);
}

static void *helper_thread(void *arg)
{
	(void)arg;
	door_return(NULL, 0, NULL, 0);
	return NULL;
}

/* Inherits door_server_create(NULL): makes its own thread. */
static int make_helper_doors(int *fds)
{
	pthread_t thread;
	int i;

	for (i = 0; i < NHELPER; i++) {
		fds[i] = door_create(helper_proc, (void *)(intptr_t)i, 0);
		if (fds[i] < 0)
			return -1;
	}
	return pthread_create(&thread, NULL, helper_thread, NULL) ? -1 : 0;
}

TEST_F(unref, passed_then_closed_elsewhere_delivers)
{
	door_desc_t desc = { .d_attributes = DOOR_DESCRIPTOR };
	door_arg_t arg = { .desc_ptr = &desc, .desc_num = 1 };
	int d, helper[NHELPER];
	pid_t pid;

	/* First: the helper must not inherit the door. */
	pid = fork_server(make_helper_doors, helper, NHELPER);
	ASSERT_LT(0, pid);
	d = door_create(proc, &plain, DOOR_UNREF);
	ASSERT_LE(0, d);
	desc.d_data.d_desc.d_descriptor = d;
	ASSERT_EQ(0, door_call(helper[KEEP], &arg));
	expect_none(_metadata, self->sync);
	ASSERT_EQ(0, door_call(helper[DROP], NULL));
	expect_unref(_metadata, &plain);
	kill_server(pid);
}

/* Passed with DOOR_RELEASE, held elsewhere only: delivered at once. */
TEST_F(unref, released_to_other_process_delivers)
{
	door_desc_t desc = { .d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE };
	door_arg_t arg = { .desc_ptr = &desc, .desc_num = 1 };
	int d, helper[NHELPER];
	pid_t pid;

	pid = fork_server(make_helper_doors, helper, NHELPER);
	ASSERT_LT(0, pid);
	d = door_create(proc, &plain, DOOR_UNREF);
	ASSERT_LE(0, d);
	desc.d_data.d_desc.d_descriptor = dup(d);
	ASSERT_LE(0, desc.d_data.d_desc.d_descriptor);
	ASSERT_EQ(0, door_call(helper[KEEP], &arg));
	expect_none(_metadata, self->sync);
	ASSERT_EQ(0, close(d));
	expect_unref(_metadata, &plain);
	kill_server(pid);
}

/* A private door's unref invocation runs on its bound thread. */
TEST_F(unref, private_door_on_bound_thread)
{
	int d = door_create(proc, &plain, DOOR_PRIVATE | DOOR_UNREF_MULTI);
	struct server bound;
	struct rec r;
	int d2;

	ASSERT_LE(0, d);
	d2 = dup(d);
	ASSERT_LE(0, d2);
	ASSERT_EQ(0, start_server(&bound, d));
	/* Whatever came before the drop is not this test's business. */
	ASSERT_EQ(0, door_call(d, NULL));
	flush(_metadata, self->sync);
	drain();

	ASSERT_EQ(0, close(d2));
	r = expect_unref(_metadata, &plain);
	EXPECT_EQ(bound.tid, r.tid);
	EXPECT_NE(self->shared.tid, r.tid);
}

/* DATA_MIN does not apply to unref invocations. */
TEST_F(unref, exempt_from_data_min)
{
	int d = door_create(proc, &plain, DOOR_UNREF), d2;

	ASSERT_LE(0, d);
	d2 = dup(d);
	ASSERT_LE(0, d2);
	ASSERT_EQ(0, door_setparam(d, DOOR_PARAM_DATA_MIN, 10));
	EXPECT_EQ(-1, door_call(d, NULL));
	EXPECT_EQ(ENOBUFS, errno);
	ASSERT_EQ(0, close(d2));
	expect_unref(_metadata, &plain);
}

/*
 * illumos delivers on a drop to one reference, by a close: a door whose
 * only descriptor is used (called, described, its parameters read) is
 * never notified.
 */
TEST_F(unref, own_call_on_only_descriptor_does_not_deliver)
{
	int d = door_create(proc, &plain, DOOR_UNREF);

	ASSERT_LE(0, d);
	ASSERT_EQ(0, door_call(d, NULL));
	expect_none(_metadata, self->sync);
}

TEST_F(unref, info_on_only_descriptor_does_not_deliver)
{
	int d = door_create(proc, &plain, DOOR_UNREF);
	door_info_t di;

	ASSERT_LE(0, d);
	ASSERT_EQ(0, door_info(d, &di));
	expect_none(_metadata, self->sync);
}

TEST_F(unref, getparam_on_only_descriptor_does_not_deliver)
{
	int d = door_create(proc, &plain, DOOR_UNREF);
	size_t value;

	ASSERT_LE(0, d);
	ASSERT_EQ(0, door_getparam(d, DOOR_PARAM_DATA_MAX, &value));
	expect_none(_metadata, self->sync);
}

/* door_create() of a private door describes it to the creation function. */
TEST_F(unref, private_door_create_does_not_deliver)
{
	int d = door_create(proc, &plain, DOOR_PRIVATE | DOOR_UNREF), d2;
	struct server bound;
	struct rec r;

	ASSERT_LE(0, d);
	d2 = dup(d);
	ASSERT_LE(0, d2);
	ASSERT_EQ(0, start_server(&bound, d));
	/* Served by the bound thread after anything queued for it. */
	ASSERT_EQ(0, door_call(d, NULL));
	EXPECT_EQ(-1, read(recs[0], &r, sizeof(r)));
	EXPECT_EQ(EAGAIN, errno);
}

DOORS_HARNESS_MAIN
