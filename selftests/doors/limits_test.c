// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user limits (module parameters max_doors, max_threads, max_calls):
 * what is over a limit fails with ENOMEM (doors, server threads) or EAGAIN
 * (calls) and leaves nothing behind; what is given back may be taken
 * again; the count is the user's, across its processes, its contexts and
 * the user namespaces it makes, and nobody else's.
 *
 * The checks run in children with ids of their own (set by root), so the
 * counts start at zero whatever ran before; each child exits 0, or with
 * the number of the step that went wrong.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <door.h>
#include <linux/doors.h>

#include "harness.h"
#include "util.h"

#define USER		54321
#define OTHER_USER	54322

static const char *const limit_names[] = {
	"max_doors", "max_threads", "max_calls",
};

enum { MAX_DOORS, MAX_THREADS, MAX_CALLS, NLIMITS };

static const char *param_path(int limit)
{
	static char path[64];

	snprintf(path, sizeof(path), "/sys/module/doors/parameters/%s",
		 limit_names[limit]);
	return path;
}

static long get_limit(int limit)
{
	FILE *f = fopen(param_path(limit), "re");
	long val = -1;

	if (f) {
		if (fscanf(f, "%ld", &val) != 1)
			val = -1;
		fclose(f);
	}
	return val;
}

static int set_limit(int limit, long val)
{
	FILE *f = fopen(param_path(limit), "we");
	int ret;

	if (!f)
		return -1;
	ret = fprintf(f, "%ld\n", val) < 0;
	return fclose(f) || ret ? -1 : 0;
}

/* Run fn(arg) in a child with all ids set to uid; its exit status. */
static int as_user(uid_t uid, int (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
			_exit(100);
		_exit(fn(arg));
	}
	return pid < 0 ? -1 : wait_status(pid);
}

static int create(int ctx)
{
	struct door_create_args ca = { 0 };

	return ioctl(ctx, DOOR_IOC_CREATE, &ca);
}

/* create() fails with ENOMEM and no descriptor appears. */
static int create_refused(int ctx)
{
	int before = fd_count();

	return create(ctx) == -1 && errno == ENOMEM && fd_count() == before;
}

FIXTURE(limits) {
	long saved[NLIMITS];
};

FIXTURE_SETUP(limits)
{
	int i;

	for (i = 0; i < NLIMITS; i++) {
		self->saved[i] = get_limit(i);
		ASSERT_LT(0, self->saved[i]) TH_LOG("%s", param_path(i));
	}
}

FIXTURE_TEARDOWN(limits)
{
	int i;

	for (i = 0; i < NLIMITS; i++)
		EXPECT_EQ(0, set_limit(i, self->saved[i]));
}

static int doors_up_to_limit(void *arg)
{
	int ctx = ctx_open(), a, b;

	(void)arg;
	if (ctx < 0)
		return 1;
	a = create(ctx);
	b = create(ctx);
	if (a < 0 || b < 0)
		return 2;
	if (!create_refused(ctx))
		return 3;
	close(a);
	a = create(ctx);
	if (a < 0)
		return 4;
	return create_refused(ctx) ? 0 : 5;
}

/* max_doors doors, then ENOMEM; a closed door is given back. */
TEST_F(limits, doors_up_to_limit)
{
	ASSERT_EQ(0, set_limit(MAX_DOORS, 2));
	ASSERT_EQ(0, as_user(USER, doors_up_to_limit, NULL));
}

static int doors_every_context(void *arg)
{
	int ctx = ctx_open(), ctx2 = ctx_open();
	pid_t pid;

	(void)arg;
	if (ctx < 0 || ctx2 < 0)
		return 1;
	if (create(ctx) < 0)
		return 2;
	if (!create_refused(ctx2))
		return 3;
	pid = fork();
	if (pid == 0) {
		close(ctx);
		close(ctx2);
		ctx = ctx_open();
		_exit(ctx >= 0 && create_refused(ctx) ? 0 : 1);
	}
	return wait_status(pid) ? 4 : 0;
}

/* The user's doors count in its other contexts and processes too. */
TEST_F(limits, doors_counted_per_user)
{
	ASSERT_EQ(0, set_limit(MAX_DOORS, 1));
	ASSERT_EQ(0, as_user(USER, doors_every_context, NULL));
}

static int doors_hold_one(void *arg)
{
	int *p = arg, ctx = ctx_open();

	if (ctx < 0 || create(ctx) < 0)
		return 1;
	if (notify(p[1]) || await(p[0]))	/* held until told */
		return 2;
	return 0;
}

static int doors_create_one(void *arg)
{
	int ctx = ctx_open();

	(void)arg;
	return ctx >= 0 && create(ctx) >= 0 ? 0 : 1;
}

static int doors_refused(void *arg)
{
	int ctx = ctx_open();

	(void)arg;
	return ctx >= 0 && create_refused(ctx) ? 0 : 1;
}

/*
 * Run fn as uid in a child, in step with us: fn gets int[2], the ends it
 * reads "go" from and writes "ready" to; *go and *ready are our ends.
 */
static pid_t start_as_user(uid_t uid, int (*fn)(void *), int *go, int *ready)
{
	int g[2], r[2], p[2];
	pid_t pid;

	if (pipe2(g, O_CLOEXEC))
		return -1;
	if (pipe2(r, O_CLOEXEC)) {
		close(g[0]);
		close(g[1]);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		p[0] = g[0];
		p[1] = r[1];
		_exit(as_user(uid, fn, p));
	}
	close(g[0]);
	close(r[1]);
	*go = g[1];
	*ready = r[0];
	return pid;
}

/* Another user has an allowance of its own. */
TEST_F(limits, doors_other_user)
{
	int go, ready;
	pid_t holder;

	ASSERT_EQ(0, set_limit(MAX_DOORS, 1));
	holder = start_as_user(USER, doors_hold_one, &go, &ready);
	ASSERT_LE(0, holder);
	ASSERT_EQ(0, await(ready));
	EXPECT_EQ(0, as_user(USER, doors_refused, NULL));
	EXPECT_EQ(0, as_user(OTHER_USER, doors_create_one, NULL));
	ASSERT_EQ(0, notify(go));
	ASSERT_EQ(0, wait_status(holder));
	EXPECT_EQ(0, as_user(USER, doors_create_one, NULL));
}

static int attach_counts(void *arg)
{
	struct door_attach_args aa = { .path = (uintptr_t)arg };
	int ctx = ctx_open();

	if (ctx < 0)
		return 1;
	aa.fd = create(ctx);
	if (aa.fd < 0)
		return 2;
	if (ioctl(ctx, DOOR_IOC_FATTACH, &aa))
		return 3;
	if (!create_refused(ctx))		/* the door and its attachment */
		return 4;
	aa.fd = -1;
	if (ioctl(ctx, DOOR_IOC_FDETACH, &aa))
		return 5;
	return create(ctx) >= 0 ? 0 : 6;
}

/* An attachment counts as a door of the user who makes it. */
TEST_F(limits, attachment_counts_as_door)
{
	char path[] = "/tmp/doors-limits-XXXXXX";
	int fd = mkstemp(path);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fchown(fd, USER, USER));
	close(fd);
	ASSERT_EQ(0, set_limit(MAX_DOORS, 2));
	EXPECT_EQ(0, as_user(USER, attach_counts, path));
	unlink(path);
}

static int doors_in_user_ns(void *arg)
{
	char map[32];
	int ctx = ctx_open(), fd, len;

	(void)arg;
	if (ctx < 0 || create(ctx) < 0)
		return 1;
	/* made undumpable by setresuid(), /proc/self would be root's */
	if (prctl(PR_SET_DUMPABLE, 1) || unshare(CLONE_NEWUSER))
		return 2;
	len = snprintf(map, sizeof(map), "0 %d 1\n", USER);
	fd = open("/proc/self/uid_map", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, map, len) != len || close(fd))
		return 3;
	if (geteuid() != 0)
		return 4;
	ctx = ctx_open();	/* root of its own namespace now */
	return ctx >= 0 && create_refused(ctx) ? 0 : 5;
}

/* A new user namespace brings no new allowance. */
TEST_F(limits, doors_user_ns)
{
	ASSERT_EQ(0, set_limit(MAX_DOORS, 1));
	ASSERT_EQ(0, as_user(USER, doors_in_user_ns, NULL));
}

static int doors_limit_lowered(void *arg)
{
	struct door_info_args ia = { 0 };
	int *p = arg, ctx = ctx_open(), a, b;

	if (ctx < 0)
		return 1;
	a = create(ctx);
	b = create(ctx);
	if (a < 0 || b < 0)
		return 2;
	if (notify(p[1]) || await(p[0]))	/* the limit is lowered to 1 */
		return 3;
	ia.fd = a;
	if (ioctl(ctx, DOOR_IOC_INFO, &ia))
		return 4;
	ia.fd = b;
	if (ioctl(ctx, DOOR_IOC_INFO, &ia))
		return 5;
	if (!create_refused(ctx))
		return 6;
	close(a);
	if (!create_refused(ctx))	/* one left: still at the limit */
		return 7;
	close(b);
	return create(ctx) >= 0 ? 0 : 8;
}

/* A lower limit refuses new doors and takes none away. */
TEST_F(limits, doors_limit_lowered)
{
	int go, ready;
	pid_t child;

	ASSERT_EQ(0, set_limit(MAX_DOORS, 2));
	child = start_as_user(USER, doors_limit_lowered, &go, &ready);
	ASSERT_LE(0, child);
	ASSERT_EQ(0, await(ready));
	ASSERT_EQ(0, set_limit(MAX_DOORS, 1));
	ASSERT_EQ(0, notify(go));
	ASSERT_EQ(0, wait_status(child));
}

/* An ioctl a thread makes on a door, and what it got. */
struct door_op {
	int ctx;
	int door;
	int ret;
	int err;
};

static void *bind_thread(void *arg)
{
	struct door_op *b = arg;
	struct door_fd_args fa = { .fd = b->door };

	b->ret = ioctl(b->ctx, DOOR_IOC_BIND, &fa);
	b->err = errno;
	return NULL;
}

/* door_bind() from a new thread; its result and errno in b. */
static int bind_in_thread(struct door_op *b)
{
	pthread_t thread;

	if (pthread_create(&thread, NULL, bind_thread, b))
		return -1;
	return pthread_join(thread, NULL);
}

static int threads_up_to_limit(void *arg)
{
	struct door_create_args ca = { .attributes = DOOR_PRIVATE };
	struct door_return_args ra = { .flags = DOOR_RETURN_EXIT };
	struct door_fd_args fa = { 0 };
	struct door_op b;
	int ctx = ctx_open();

	(void)arg;
	if (ctx < 0)
		return 1;
	fa.fd = ioctl(ctx, DOOR_IOC_CREATE, &ca);
	if (fa.fd < 0)
		return 2;
	b = (struct door_op){ .ctx = ctx, .door = fa.fd };
	if (ioctl(ctx, DOOR_IOC_BIND, &fa))	/* this thread's record */
		return 3;
	if (bind_in_thread(&b) || b.ret != -1 || b.err != ENOMEM)
		return 4;
	if (ioctl(ctx, DOOR_IOC_RETURN, &ra))	/* gives it back */
		return 5;
	if (bind_in_thread(&b) || b.ret != 0)
		return 6;
	return 0;
}

/* max_threads server threads, then ENOMEM; an exiting one gives back. */
TEST_F(limits, threads_up_to_limit)
{
	ASSERT_EQ(0, set_limit(MAX_THREADS, 1));
	ASSERT_EQ(0, as_user(USER, threads_up_to_limit, NULL));
}

/* The server's procedure waits on a pipe, so a call stays in progress. */
static int in_proc[2], release_proc[2];

static void blocking_proc(void *cookie, char *argp, size_t arg_size,
			  door_desc_t *dp, uint_t n_desc)
{
	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	notify(in_proc[1]);
	await(release_proc[0]);
	door_return(NULL, 0, NULL, 0);
}

static int make_blocking_door(int *fds)
{
	fds[0] = door_create(blocking_proc, NULL, 0);
	return fds[0] < 0 ? -1 : 0;
}

static int call(int ctx, int door)
{
	struct door_call_args args = { .fd = door };

	return ioctl(ctx, DOOR_IOC_CALL, &args);
}

static void *call_thread(void *arg)
{
	struct door_op *c = arg;

	c->ret = call(c->ctx, c->door);
	c->err = errno;
	return NULL;
}

static int calls_up_to_limit(void *arg)
{
	struct door_op c = { .door = *(int *)arg };
	pthread_t thread;

	c.ctx = ctx_open();
	if (c.ctx < 0)
		return 1;
	if (pthread_create(&thread, NULL, call_thread, &c))
		return 2;
	if (await(in_proc[0]))			/* that call is in progress */
		return 3;
	if (call(c.ctx, c.door) != -1 || errno != EAGAIN)
		return 4;
	if (notify(release_proc[1]) || pthread_join(thread, NULL))
		return 5;
	if (c.ret != 0)
		return 6;
	if (notify(release_proc[1]))		/* for the next call */
		return 7;
	return call(c.ctx, c.door) == 0 ? 0 : 8;
}

/* max_calls calls in progress, then EAGAIN; a finished call gives back. */
TEST_F(limits, calls_up_to_limit)
{
	pid_t server;
	int door;

	ASSERT_EQ(0, pipe2(in_proc, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(release_proc, O_CLOEXEC));
	server = fork_server(make_blocking_door, &door, 1);
	ASSERT_LT(0, server);
	ASSERT_EQ(0, set_limit(MAX_CALLS, 1));
	EXPECT_EQ(0, as_user(USER, calls_up_to_limit, &door));
	kill_server(server);
}

/*
 * Memory cgroups: what the module allocates for a door is charged to the
 * memory cgroup of the task that creates it.
 */
#define CGROUP_ROOT	"/sys/fs/cgroup"
#define CGROUP		CGROUP_ROOT "/doors-limits-test"
#define MEMCG_DOORS	8000

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), len = strlen(text);
	int ret = -1;

	if (fd >= 0) {
		if (write(fd, text, len) == len)
			ret = 0;
		close(fd);
	}
	return ret;
}

static long memory_current(void)
{
	FILE *f = fopen(CGROUP "/memory.current", "re");
	long val = -1;

	if (f) {
		if (fscanf(f, "%ld", &val) != 1)
			val = -1;
		fclose(f);
	}
	return val;
}

static int doors_in_memcg(void *arg)
{
	long before, after;
	int ctx = ctx_open(), i;

	(void)arg;
	if (ctx < 0)
		return 1;
	before = memory_current();
	for (i = 0; i < MEMCG_DOORS; i++)
		if (create(ctx) < 0)
			return 2;
	after = memory_current();
	/*
	 * A door's file is 280 bytes (the filp and LSM caches are
	 * accounted); the door record adds 192.  384 a door tells whether
	 * the record is charged even if up to a per-CPU charge batch (64
	 * pages) was charged before "before".
	 */
	return before > 0 && after - before >= MEMCG_DOORS * 384L ? 0 : 3;
}

FIXTURE(memcg) {
	bool made;
};

FIXTURE_SETUP(memcg)
{
	if (access(CGROUP_ROOT "/cgroup.controllers", F_OK))
		ASSERT_EQ(0, mount("cgroup2", CGROUP_ROOT, "cgroup2", 0, NULL));
	ASSERT_EQ(0, write_file(CGROUP_ROOT "/cgroup.subtree_control",
				"+memory"));
	ASSERT_EQ(0, mkdir(CGROUP, 0755));
	self->made = true;
}

FIXTURE_TEARDOWN(memcg)
{
	if (self->made)
		EXPECT_EQ(0, rmdir(CGROUP));
}

/*
 * Doors raise the creator's cgroup's memory.current accordingly.  8000
 * doors take a second here, minutes on a debug kernel in a busy VM.
 */
TEST_F_TIMEOUT(memcg, doors_charged, 600)
{
	struct rlimit rl = { MEMCG_DOORS + 64, MEMCG_DOORS + 64 };
	char pid[16];
	pid_t child;
	int go[2];

	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		close(go[1]);
		if (await(go[0]) || setrlimit(RLIMIT_NOFILE, &rl))
			_exit(99);
		_exit(as_user(USER, doors_in_memcg, NULL));
	}
	snprintf(pid, sizeof(pid), "%d", child);
	ASSERT_EQ(0, write_file(CGROUP "/cgroup.procs", pid));
	ASSERT_EQ(0, notify(go[1]));
	ASSERT_EQ(0, wait_status(child));
}

DOORS_HARNESS_MAIN
