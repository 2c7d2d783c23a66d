// SPDX-License-Identifier: GPL-2.0
/*
 * Namespaces: door_ucred() gives the client's ids in the server's user
 * namespace (the overflow ids where they have no mapping) and its pid in
 * the server's pid namespace (ucred_getpid() -1 where it is not visible);
 * door_info() gives the server's pid in the caller's pid namespace.
 *
 * Making namespaces and changing ids needs root.  A kernel that refuses
 * the namespace (unshare() EPERM or EINVAL) skips the tests.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <door.h>
#include <ucred.h>

#include "harness.h"
#include "util.h"

#define MAX_GROUPS	4

/* A client's ids, all set by the child making the call. */
struct ids {
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	int ngroups;
	gid_t groups[MAX_GROUPS];
};

/* What the procedure saw: its own pid, and the client's credentials. */
struct creds {
	int err;		/* errno of door_ucred(), or 0 */
	pid_t server;
	pid_t pid;
	struct ids ids;
};

static void ucred_proc(void *cookie, char *argp, size_t arg_size,
		       door_desc_t *dp, uint_t n_desc)
{
	struct creds c = { .server = getpid() };
	const gid_t *groups;
	ucred_t *uc = NULL;
	int i;

	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	if (door_ucred(&uc)) {
		c.err = errno;
	} else {
		c.pid = ucred_getpid(uc);
		c.ids.ruid = ucred_getruid(uc);
		c.ids.euid = ucred_geteuid(uc);
		c.ids.suid = ucred_getsuid(uc);
		c.ids.rgid = ucred_getrgid(uc);
		c.ids.egid = ucred_getegid(uc);
		c.ids.sgid = ucred_getsgid(uc);
		c.ids.ngroups = ucred_getgroups(uc, &groups);
		for (i = 0; i < c.ids.ngroups && i < MAX_GROUPS; i++)
			c.ids.groups[i] = groups[i];
	}
	ucred_free(uc);
	door_return((char *)&c, sizeof(c), NULL, 0);
}

static int make_door(int *fd)
{
	*fd = door_create(ucred_proc, NULL, 0);
	return *fd < 0 ? -1 : 0;
}

static int call_creds(int d, struct creds *c)
{
	door_arg_t arg = { .rbuf = (char *)c, .rsize = sizeof(*c) };

	memset(c, 0, sizeof(*c));
	if (door_call(d, &arg))
		return -1;
	if (arg.data_size != sizeof(*c)) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/* What a child client reports. */
struct report {
	int err;		/* errno of its first failure, or 0 */
	pid_t pid;		/* its getpid() */
	struct creds seen;	/* what the procedure saw */
	door_info_t info;	/* door_info() of the door */
};

/*
 * Call door d from a fork child, with ids if not NULL, and get its
 * report.  Returns the child's pid as we see it, or -1.
 */
static pid_t child_call(int d, const struct ids *ids, struct report *r)
{
	ssize_t n;
	pid_t pid;
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		struct report mine = { .pid = getpid() };

		if (ids && (setgroups(ids->ngroups, ids->groups) ||
			    setresgid(ids->rgid, ids->egid, ids->sgid) ||
			    setresuid(ids->ruid, ids->euid, ids->suid)))
			mine.err = errno;
		else if (call_creds(d, &mine.seen) || door_info(d, &mine.info))
			mine.err = errno;
		_exit(write(p[1], &mine, sizeof(mine)) == sizeof(mine) ? 0 : 1);
	}
	close(p[1]);
	n = pid < 0 ? -1 : read(p[0], r, sizeof(*r));
	close(p[0]);
	if (pid < 0 || wait_status(pid) || n != sizeof(*r))
		return -1;
	return pid;
}

static void check_ids(struct __test_metadata *_metadata,
		      const struct ids *want, const struct ids *got)
{
	int i;

	EXPECT_EQ(want->ruid, got->ruid);
	EXPECT_EQ(want->euid, got->euid);
	EXPECT_EQ(want->suid, got->suid);
	EXPECT_EQ(want->rgid, got->rgid);
	EXPECT_EQ(want->egid, got->egid);
	EXPECT_EQ(want->sgid, got->sgid);
	ASSERT_EQ(want->ngroups, got->ngroups);
	for (i = 0; i < want->ngroups; i++)
		EXPECT_EQ(want->groups[i], got->groups[i]);
}

/* /proc/sys/kernel/NAME: the overflow uid or gid, or -1. */
static long overflow_id(const char *name)
{
	char path[64];
	long id;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &id) != 1)
		id = -1;
	fclose(f);
	return id;
}

static int write_proc(pid_t pid, const char *file, const char *text)
{
	size_t len = strlen(text);
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, text, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/*
 * Why the kernel may refuse a namespace: not built in, or not allowed.
 * Any other failure is a test failure.
 */
static bool ns_refused(int err)
{
	return err == EPERM || err == EINVAL;
}

#define SKIP_REASON	128

/* In a test body (a SKIP() in the setup would not stop the test). */
#define NEED_NS() do { \
	if (self->skip[0]) \
		SKIP(return, "%s", self->skip); \
} while (0)

/*
 * A server in a user namespace of its own, where uid and gid 0 are 1000
 * outside.  It unshares and reports the errno (0: done), waits for its
 * maps, then creates its door and sends it.
 */
#define USERNS_MAP	"0 1000 1"

FIXTURE(userns) {
	char skip[SKIP_REASON];
	pid_t server;
	int door;
	uid_t overflowuid;
	gid_t overflowgid;
};

static void userns_server(int sock)
{
	int err = 0, d;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (unshare(CLONE_NEWUSER))
		err = errno;
	if (write(sock, &err, sizeof(err)) != sizeof(err) || err ||
	    await(sock) || make_door(&d) || send_fds(sock, &d, 1))
		_exit(1);
	for (;;)
		pause();
}

FIXTURE_SETUP(userns)
{
	long ovuid = overflow_id("overflowuid");
	long ovgid = overflow_id("overflowgid");
	int sv[2], err;

	if (geteuid()) {
		snprintf(self->skip, SKIP_REASON, "needs root, to map ids");
		return;
	}
	ASSERT_LE(0, ovuid);
	ASSERT_LE(0, ovgid);
	self->overflowuid = ovuid;
	self->overflowgid = ovgid;
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	self->server = fork();
	ASSERT_LE(0, self->server);
	if (self->server == 0) {
		close(sv[0]);
		userns_server(sv[1]);
	}
	close(sv[1]);
	ASSERT_EQ(sizeof(err), read(sv[0], &err, sizeof(err)));
	if (ns_refused(err)) {
		snprintf(self->skip, SKIP_REASON, "unshare(CLONE_NEWUSER): %s: "
			 "user namespaces not built in or not allowed",
			 strerror(err));
		close(sv[0]);
		return;
	}
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, write_proc(self->server, "setgroups", "deny"));
	ASSERT_EQ(0, write_proc(self->server, "uid_map", USERNS_MAP));
	ASSERT_EQ(0, write_proc(self->server, "gid_map", USERNS_MAP));
	ASSERT_EQ(0, notify(sv[0]));
	ASSERT_EQ(0, recv_fds(sv[0], &self->door, 1));
	close(sv[0]);
}

FIXTURE_TEARDOWN(userns)
{
	kill_server(self->server);
}

/* Root outside is nobody inside: every id is the overflow id. */
TEST_F(userns, root_client_overflow_ids)
{
	const struct ids root = {
		.ngroups = 1, .groups = { 0 },
	};
	const struct ids want = {
		.ruid = self->overflowuid, .euid = self->overflowuid,
		.suid = self->overflowuid,
		.rgid = self->overflowgid, .egid = self->overflowgid,
		.sgid = self->overflowgid,
		.ngroups = 1, .groups = { self->overflowgid },
	};
	struct report r;
	pid_t pid;

	NEED_NS();
	pid = child_call(self->door, &root, &r);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, r.err);
	ASSERT_EQ(0, r.seen.err);
	check_ids(_metadata, &want, &r.seen.ids);
	/* The pid namespace is the same. */
	EXPECT_EQ(pid, r.seen.pid);
}

/* 1000 outside is 0 inside. */
TEST_F(userns, mapped_client_ids)
{
	const struct ids user = {
		.ruid = 1000, .euid = 1000, .suid = 1000,
		.rgid = 1000, .egid = 1000, .sgid = 1000,
		.ngroups = 1, .groups = { 1000 },
	};
	const struct ids want = {
		.ngroups = 1, .groups = { 0 },
	};
	struct report r;
	pid_t pid;

	NEED_NS();
	pid = child_call(self->door, &user, &r);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, r.err);
	ASSERT_EQ(0, r.seen.err);
	check_ids(_metadata, &want, &r.seen.ids);
	EXPECT_EQ(pid, r.seen.pid);
}

/* Each id and group is translated on its own. */
TEST_F(userns, each_id_translated)
{
	const struct ids mixed = {
		.ruid = 1000, .euid = 0, .suid = 2000,
		.rgid = 0, .egid = 1000, .sgid = 3000,
		/* Ascending: the kernel keeps groups sorted. */
		.ngroups = 3, .groups = { 0, 1000, 4000 },
	};
	const struct ids want = {
		.ruid = 0, .euid = self->overflowuid,
		.suid = self->overflowuid,
		.rgid = self->overflowgid, .egid = 0,
		.sgid = self->overflowgid,
		.ngroups = 3,
		.groups = { self->overflowgid, 0, self->overflowgid },
	};
	struct report r;

	NEED_NS();
	ASSERT_LT(0, child_call(self->door, &mixed, &r));
	ASSERT_EQ(0, r.err);
	ASSERT_EQ(0, r.seen.err);
	check_ids(_metadata, &want, &r.seen.ids);
}

/*
 * The test process unshares its pid namespace: the server, its first
 * child, is pid 1 of a new namespace, and its later children are there
 * too, while it stays outside.
 */
FIXTURE(pidns) {
	char skip[SKIP_REASON];
	pid_t server;
	int door;
};

FIXTURE_SETUP(pidns)
{
	int err = unshare(CLONE_NEWPID) ? errno : 0;

	if (ns_refused(err)) {
		snprintf(self->skip, SKIP_REASON, "unshare(CLONE_NEWPID): %s: "
			 "pid namespaces not built in or not allowed",
			 strerror(err));
		return;
	}
	ASSERT_EQ(0, err);
	self->server = fork_server(make_door, &self->door, 1);
	ASSERT_LT(0, self->server);
}

FIXTURE_TEARDOWN(pidns)
{
	kill_server(self->server);
}

TEST_F(pidns, outside_client_pid_invisible)
{
	struct creds c;

	NEED_NS();
	ASSERT_EQ(0, call_creds(self->door, &c));
	ASSERT_EQ(0, c.err);
	EXPECT_EQ(1, c.server);
	EXPECT_EQ(-1, c.pid);
	EXPECT_EQ(geteuid(), c.ids.euid);
}

TEST_F(pidns, inside_client_namespace_pid)
{
	struct report r;
	pid_t pid;

	NEED_NS();
	pid = child_call(self->door, NULL, &r);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, r.err);
	ASSERT_EQ(0, r.seen.err);
	EXPECT_EQ(1, r.seen.server);
	EXPECT_LT(1, r.pid);
	EXPECT_NE(pid, r.pid);
	EXPECT_EQ(r.pid, r.seen.pid);
}

TEST_F(pidns, target_from_parent_namespace)
{
	door_info_t di;

	NEED_NS();
	ASSERT_EQ(0, door_info(self->door, &di));
	EXPECT_EQ(self->server, di.di_target);
	EXPECT_NE(1, di.di_target);
}

TEST_F(pidns, target_from_server_namespace)
{
	struct report r;

	NEED_NS();
	ASSERT_LT(0, child_call(self->door, NULL, &r));
	ASSERT_EQ(0, r.err);
	EXPECT_EQ(1, r.info.di_target);
}

/*
 * The other way round: a server outside, a client that is pid 1 of its
 * own namespace.  The server sees the client's pid in its namespace.
 */
TEST(client_in_child_namespace_outer_pid)
{
	struct report r;
	pid_t server, pid;
	int door;

	server = fork_server(make_door, &door, 1);
	ASSERT_LT(0, server);
	if (unshare(CLONE_NEWPID)) {
		int err = errno;

		kill_server(server);
		if (ns_refused(err))
			SKIP(return, "unshare(CLONE_NEWPID): %s: pid "
			     "namespaces not built in or not allowed",
			     strerror(err));
		ASSERT_EQ(0, err);
	}
	pid = child_call(door, NULL, &r);
	kill_server(server);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, r.err);
	ASSERT_EQ(0, r.seen.err);
	EXPECT_EQ(1, r.pid);
	EXPECT_EQ(pid, r.seen.pid);
}

DOORS_HARNESS_MAIN
