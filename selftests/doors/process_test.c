// SPDX-License-Identifier: GPL-2.0
/*
 * Process life: a fork() child inherits door descriptors but is a client
 * of its parent's doors only (no door_revoke(), no DOOR_LOCAL), and gets
 * server threads of its own when it creates a door; exec() closes created
 * doors but keeps received descriptors; server procedures may call doors
 * themselves, their own included, and are then the client the inner
 * procedure sees.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <door.h>
#include <linux/doors.h>
#include <ucred.h>

#include "harness.h"
#include "util.h"

/* Where a procedure runs. */
struct where {
	pid_t pid;
	pid_t tid;
};

static struct where here(void)
{
	return (struct where){ .pid = getpid(), .tid = gettid() };
}

static void where_proc(void *cookie, char *argp, size_t arg_size,
		       door_desc_t *dp, uint_t n_desc)
{
	struct where w = here();

	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	door_return((char *)&w, sizeof(w), NULL, 0);
}

/* Call door d with arguments argp/arg_size; its results must fill res. */
static int call(int d, void *argp, size_t arg_size, void *res, size_t size)
{
	door_arg_t arg = {
		.data_ptr = argp,
		.data_size = arg_size,
		.rbuf = res,
		.rsize = size,
	};

	if (door_call(d, &arg))
		return -1;
	if (arg.data_size != size || arg.data_ptr != res) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

static int call_where(int d, struct where *w)
{
	return call(d, NULL, 0, w, sizeof(*w));
}

/*
 * A door of this process, called once: its server threads run, so a
 * fork() now inherits a process that has started them.
 */
static int serving_door(void)
{
	struct where w;
	int d = door_create(where_proc, NULL, 0);

	if (d < 0 || call_where(d, &w) || w.pid != getpid())
		return -1;
	return d;
}

/*
 * Run fn(d, out) in a fork child; out (size bytes) comes back here.
 * fn returns an errno, or 0.  Returns fn's value, or -1 if the child
 * failed.
 */
static int in_child(int (*fn)(int d, void *out), int d, void *out,
		    size_t size)
{
	int p[2], ret;
	ssize_t n;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		ret = fn(d, out);
		_exit(write(p[1], out, size) == (ssize_t)size ? ret : 255);
	}
	close(p[1]);
	n = pid < 0 ? -1 : read(p[0], out, size);
	close(p[0]);
	if (pid < 0)
		return -1;
	ret = wait_status(pid);
	return n == (ssize_t)size ? ret : -1;
}

static int child_revoke(int d, void *out)
{
	int *err = out;

	*err = door_revoke(d) ? errno : 0;
	return *err;
}

static int child_info(int d, void *out)
{
	return door_info(d, out) ? errno : 0;
}

static int child_call(int d, void *out)
{
	return call_where(d, out) ? errno : 0;
}

/* A door of the child's own, called by the child. */
struct own {
	pid_t self;		/* the child's getpid() */
	struct where w;		/* where its door's procedure ran */
};

static int child_own_door(int d, void *out)
{
	struct own *own = out;

	(void)d;
	own->self = getpid();
	d = door_create(where_proc, NULL, 0);
	if (d < 0)
		return errno;
	return call_where(d, &own->w) ? errno : 0;
}

TEST(fork_child_revoke_eperm)
{
	struct where w;
	int d = serving_door(), err;

	ASSERT_LE(0, d);
	EXPECT_EQ(EPERM, in_child(child_revoke, d, &err, sizeof(err)));
	/* Still our door. */
	ASSERT_EQ(0, call_where(d, &w));
	EXPECT_EQ(getpid(), w.pid);
}

TEST(fork_child_info_not_local)
{
	door_info_t di;
	int d = serving_door();

	ASSERT_LE(0, d);
	ASSERT_EQ(0, in_child(child_info, d, &di, sizeof(di)));
	EXPECT_EQ(0, di.di_attributes & DOOR_LOCAL);
	ASSERT_EQ(0, door_info(d, &di));
	EXPECT_EQ(DOOR_LOCAL, di.di_attributes & DOOR_LOCAL);
}

/* The descriptor the child inherits is the same door, ours. */
TEST(fork_child_inherits_door)
{
	door_info_t mine, child;
	int d = serving_door();

	ASSERT_LE(0, d);
	ASSERT_EQ(0, door_info(d, &mine));
	ASSERT_EQ(0, in_child(child_info, d, &child, sizeof(child)));
	EXPECT_EQ(mine.di_uniquifier, child.di_uniquifier);
	EXPECT_EQ(getpid(), child.di_target);
	EXPECT_EQ(mine.di_proc, child.di_proc);
}

/* fork() copies only the calling thread: our server threads serve it. */
TEST(fork_child_call_served_by_parent)
{
	struct where w;
	int d = serving_door();

	ASSERT_LE(0, d);
	ASSERT_EQ(0, in_child(child_call, d, &w, sizeof(w)));
	EXPECT_EQ(getpid(), w.pid);
	EXPECT_NE(gettid(), w.tid);
}

/*
 * The child gets fresh server threads for a door of its own (with the
 * parent's threads only, its call would wait for ever).
 */
TEST(fork_child_door_serves_child)
{
	int d = serving_door();
	struct own own;

	ASSERT_LE(0, d);
	ASSERT_EQ(0, in_child(child_own_door, -1, &own, sizeof(own)));
	EXPECT_NE(getpid(), own.self);
	EXPECT_EQ(own.self, own.w.pid);
	/* A server thread, not the child's calling thread. */
	EXPECT_NE(own.self, own.w.tid);
}

/* The same door, called from the parent: the child's threads serve it. */
TEST(fork_child_door_serves_parent)
{
	int sv[2], d = serving_door(), child_door;
	door_info_t di;
	struct where w;
	pid_t pid;

	ASSERT_LE(0, d);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(sv[0]);
		child_door = door_create(where_proc, NULL, 0);
		/* Serve until we are done with it. */
		if (child_door < 0 || send_fds(sv[1], &child_door, 1) ||
		    await(sv[1]))
			_exit(1);
		_exit(0);
	}
	close(sv[1]);
	ASSERT_EQ(0, recv_fds(sv[0], &child_door, 1));
	EXPECT_EQ(0, call_where(child_door, &w));
	EXPECT_EQ(pid, w.pid);
	ASSERT_EQ(0, door_info(child_door, &di));
	EXPECT_EQ(pid, di.di_target);
	EXPECT_EQ(0, di.di_attributes & DOOR_LOCAL);
	ASSERT_EQ(0, notify(sv[0]));
	EXPECT_EQ(0, wait_status(pid));
	close(sv[0]);
}

/* A child that calls our door, then makes and calls a door of its own. */
static int child_uses_doors(int d, void *out)
{
	int err = child_call(d, out);
	struct own own;

	return err ? err : child_own_door(-1, &own);
}

TEST(parent_serves_after_child_exits)
{
	struct where w;
	int d = serving_door(), d2;

	ASSERT_LE(0, d);
	ASSERT_EQ(0, in_child(child_uses_doors, d, &w, sizeof(w)));
	ASSERT_EQ(0, call_where(d, &w));
	EXPECT_EQ(getpid(), w.pid);
	/* And our context still makes and serves doors. */
	d2 = door_create(where_proc, NULL, 0);
	ASSERT_LE(0, d2);
	ASSERT_EQ(0, call_where(d2, &w));
	EXPECT_EQ(getpid(), w.pid);
}

/*
 * What /proc/self/fd/FD links to in a program exec()ed from a fork of
 * this one (readlink(1)), into link.  Returns readlink's exit status:
 * non-zero if the program has no such descriptor.
 */
static int link_after_exec(int fd, char *link, size_t size)
{
	char path[32];
	size_t len = 0;
	ssize_t n;
	pid_t pid;
	int p[2];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		if (dup2(p[1], STDOUT_FILENO) == STDOUT_FILENO)
			execlp("readlink", "readlink", path, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while (pid > 0 && len < size - 1 &&
	       (n = read(p[0], link + len, size - 1 - len)) > 0)
		len += n;
	close(p[0]);
	if (pid < 0)
		return -1;
	if (len && link[len - 1] == '\n')
		len--;
	link[len] = '\0';
	return wait_status(pid);
}

static int fd_link(int fd, char *link, size_t size)
{
	char path[32];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, size - 1);
	if (n < 0)
		return -1;
	link[n] = '\0';
	return 0;
}

TEST(exec_closes_created_door)
{
	char before[64], after[64];
	int d = door_create(where_proc, NULL, 0);

	ASSERT_LE(0, d);
	ASSERT_EQ(0, fd_link(d, before, sizeof(before)));
	EXPECT_NE(0, link_after_exec(d, after, sizeof(after)));
	EXPECT_STRNE(before, after);
}

/*
 * A context kept open across exec (raw open, no O_CLOEXEC) serves nothing
 * in the new program: the image after exec runs this constructor, which
 * tries to create a door on it and exits 0 on EPERM.
 */
#define EXEC_CTX_ENV	"DOORS_TEST_EXEC_CTX"

__attribute__((constructor)) static void exec_ctx_check(void)
{
	struct door_create_args ca = { 0 };
	const char *env = getenv(EXEC_CTX_ENV);

	if (env)
		_exit(ioctl(atoi(env), DOOR_IOC_CREATE, &ca) == -1 &&
		      errno == EPERM ? 0 : 1);
}

TEST(exec_ctx_serves_nothing)
{
	struct door_create_args ca = { 0 };
	char fd[16];
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int ctx = open("/dev/doors", O_RDWR);

		if (ctx < 0 || ioctl(ctx, DOOR_IOC_CREATE, &ca) < 0)
			_exit(2);
		snprintf(fd, sizeof(fd), "%d", ctx);
		setenv(EXEC_CTX_ENV, fd, 1);
		execl("/proc/self/exe", "exec_ctx_check", (char *)NULL);
		_exit(3);
	}
	EXPECT_EQ(0, wait_status(pid));
}

/* GIVE: returns a door descriptor, not close-on-exec in the receiver. */
enum { GIVE, GIVEN, NDOORS };

static int give_fds[NDOORS];

static void give_proc(void *cookie, char *argp, size_t arg_size,
		      door_desc_t *dp, uint_t n_desc)
{
	door_desc_t desc = {
		.d_attributes = DOOR_DESCRIPTOR,
		.d_data.d_desc.d_descriptor = give_fds[GIVEN],
	};

	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	door_return(NULL, 0, &desc, 1);
}

static int make_give_doors(int *fds)
{
	give_fds[GIVE] = fds[GIVE] = door_create(give_proc, NULL, 0);
	give_fds[GIVEN] = fds[GIVEN] = door_create(where_proc, NULL, 0);
	return fds[GIVE] < 0 || fds[GIVEN] < 0 ? -1 : 0;
}

TEST(exec_keeps_received_door)
{
	char buf[sizeof(door_desc_t)], before[64], after[64];
	door_arg_t arg = { .rbuf = buf, .rsize = sizeof(buf) };
	door_info_t given, got;
	int fds[NDOORS], d;
	pid_t server;

	server = fork_server(make_give_doors, fds, NDOORS);
	ASSERT_LT(0, server);
	ASSERT_EQ(0, door_call(fds[GIVE], &arg));
	ASSERT_EQ(1, arg.desc_num);
	d = arg.desc_ptr[0].d_data.d_desc.d_descriptor;
	ASSERT_EQ(0, door_info(fds[GIVEN], &given));
	ASSERT_EQ(0, door_info(d, &got));
	ASSERT_EQ(given.di_uniquifier, got.di_uniquifier);
	ASSERT_EQ(0, fcntl(d, F_GETFD) & FD_CLOEXEC);
	ASSERT_EQ(0, fd_link(d, before, sizeof(before)));
	EXPECT_EQ(0, link_after_exec(d, after, sizeof(after)));
	EXPECT_STREQ(before, after);
	kill_server(server);
}

/*
 * Nested calls: OUTER's procedure, in one server process, calls INNER
 * (inner_door), served by another, which reports door_ucred()'s pid.
 */
static int inner_door = -1;

struct nested {
	int err;
	pid_t outer;		/* the outer server's getpid() */
	pid_t client;		/* the inner procedure's client */
};

static void inner_proc(void *cookie, char *argp, size_t arg_size,
		       door_desc_t *dp, uint_t n_desc)
{
	struct nested r = { 0 };
	ucred_t *uc = NULL;

	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	if (door_ucred(&uc))
		r.err = errno;
	else
		r.client = ucred_getpid(uc);
	ucred_free(uc);
	door_return((char *)&r, sizeof(r), NULL, 0);
}

static void outer_proc(void *cookie, char *argp, size_t arg_size,
		       door_desc_t *dp, uint_t n_desc)
{
	struct nested r = { 0 };

	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	if (call(inner_door, NULL, 0, &r, sizeof(r)))
		r.err = errno;
	r.outer = getpid();
	door_return((char *)&r, sizeof(r), NULL, 0);
}

static int make_inner(int *fd)
{
	*fd = door_create(inner_proc, NULL, 0);
	return *fd < 0 ? -1 : 0;
}

static int make_outer(int *fd)
{
	*fd = door_create(outer_proc, NULL, 0);
	return *fd < 0 ? -1 : 0;
}

TEST(nested_call_ucred_is_outer_server)
{
	pid_t inner, outer;
	struct nested r;
	int d;

	inner = fork_server(make_inner, &inner_door, 1);
	ASSERT_LT(0, inner);
	/* The outer server inherits inner_door. */
	outer = fork_server(make_outer, &d, 1);
	ASSERT_LT(0, outer);
	ASSERT_EQ(0, call(d, NULL, 0, &r, sizeof(r)));
	EXPECT_EQ(0, r.err);
	EXPECT_EQ(outer, r.outer);
	EXPECT_EQ(outer, r.client);
	EXPECT_NE(getpid(), r.client);
	kill_server(outer);
	kill_server(inner);
}

/*
 * A procedure that calls its own door DEPTH times deep: each call is
 * served by another thread of the process, which records where it ran.
 */
#define DEPTH	3

struct chain {
	uint32_t n;
	struct where w[DEPTH + 1];
};

static int self_door = -1;

static void chain_proc(void *cookie, char *argp, size_t arg_size,
		       door_desc_t *dp, uint_t n_desc)
{
	struct chain c = { 0 };
	uint32_t depth;

	(void)cookie;
	(void)dp;
	(void)n_desc;
	if (arg_size != sizeof(depth))
		door_return(NULL, 0, NULL, 0);
	memcpy(&depth, argp, sizeof(depth));
	if (depth > DEPTH)
		door_return(NULL, 0, NULL, 0);
	if (depth > 0) {
		depth--;
		if (call(self_door, &depth, sizeof(depth), &c, sizeof(c)) ||
		    c.n != depth + 1)
			door_return(NULL, 0, NULL, 0);
	}
	c.w[c.n++] = here();
	door_return((char *)&c, sizeof(c), NULL, 0);
}

TEST(procedure_calls_own_door)
{
	uint32_t depth = DEPTH, i, j;
	struct chain c;

	self_door = door_create(chain_proc, NULL, 0);
	ASSERT_LE(0, self_door);
	ASSERT_EQ(0, call(self_door, &depth, sizeof(depth), &c, sizeof(c)));
	ASSERT_EQ(DEPTH + 1, c.n);
	for (i = 0; i < c.n; i++) {
		EXPECT_EQ(getpid(), c.w[i].pid);
		EXPECT_NE(gettid(), c.w[i].tid);
		for (j = 0; j < i; j++)
			EXPECT_NE(c.w[j].tid, c.w[i].tid);
	}
}

DOORS_HARNESS_MAIN
