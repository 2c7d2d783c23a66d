// SPDX-License-Identifier: GPL-2.0
/*
 * door_ucred(), door_cred() and ucred_get(): the credentials of a
 * door's immediate client, and of a process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <door.h>
#include <ucred.h>

#include "harness.h"
#include "util.h"

#define MAX_GROUPS	32

/* What a procedure saw: a ucred_t (or door_cred_t) flattened. */
struct creds {
	int err;		/* errno of the failed call, or 0 */
	uid_t euid, ruid, suid;
	gid_t egid, rgid, sgid;
	pid_t pid;
	int ngroups;
	gid_t groups[MAX_GROUPS];
};

static void flatten(struct creds *c, const ucred_t *uc)
{
	const gid_t *groups;
	int i;

	c->euid = ucred_geteuid(uc);
	c->ruid = ucred_getruid(uc);
	c->suid = ucred_getsuid(uc);
	c->egid = ucred_getegid(uc);
	c->rgid = ucred_getrgid(uc);
	c->sgid = ucred_getsgid(uc);
	c->pid = ucred_getpid(uc);
	c->ngroups = ucred_getgroups(uc, &groups);
	for (i = 0; i < c->ngroups && i < MAX_GROUPS; i++)
		c->groups[i] = groups[i];
}

/* The server process's doors. */
enum { UCRED, REUSE, CRED, NESTED, NDOORS };

static int server_fds[NDOORS];

static void ucred_proc(void *cookie, char *argp, size_t arg_size,
		       door_desc_t *dp, uint_t n_desc)
{
	struct creds c = { 0 };
	ucred_t *uc = NULL;

	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	if (door_ucred(&uc))
		c.err = errno;
	else
		flatten(&c, uc);
	ucred_free(uc);
	door_return((char *)&c, sizeof(c), NULL, 0);
}

/* door_ucred() into a ucred_t of ucred_size(), twice: it stays put. */
static void reuse_proc(void *cookie, char *argp, size_t arg_size,
		       door_desc_t *dp, uint_t n_desc)
{
	struct creds c = { 0 };
	ucred_t *uc, *mine;

	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	uc = mine = malloc(ucred_size());
	if (!uc || door_ucred(&uc) || door_ucred(&uc))
		c.err = errno;
	else if (uc != mine)
		c.err = -1;
	else
		flatten(&c, uc);
	free(mine);
	door_return((char *)&c, sizeof(c), NULL, 0);
}

static void cred_proc(void *cookie, char *argp, size_t arg_size,
		      door_desc_t *dp, uint_t n_desc)
{
	struct creds c = { 0 };
	door_cred_t dc;

	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	if (door_cred(&dc)) {
		c.err = errno;
	} else {
		c.euid = dc.dc_euid;
		c.ruid = dc.dc_ruid;
		c.egid = dc.dc_egid;
		c.rgid = dc.dc_rgid;
		c.pid = dc.dc_pid;
	}
	door_return((char *)&c, sizeof(c), NULL, 0);
}

static int call_creds(int d, struct creds *c)
{
	door_arg_t arg = { .rbuf = (char *)c, .rsize = sizeof(*c) };

	memset(c, 0, sizeof(*c));
	if (door_call(d, &arg))
		return -1;
	return arg.data_size == sizeof(*c) ? 0 : -1;
}

/* Calls UCRED from here: the client is this server process. */
static void nested_proc(void *cookie, char *argp, size_t arg_size,
			door_desc_t *dp, uint_t n_desc)
{
	struct creds c = { 0 };

	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	if (call_creds(server_fds[UCRED], &c))
		c.err = errno;
	door_return((char *)&c, sizeof(c), NULL, 0);
}

static door_server_procedure_t *const procs[NDOORS] = {
	ucred_proc, reuse_proc, cred_proc, nested_proc
};

/* The server process: its doors come back over a socket. */
static pid_t start_server(int fds[NDOORS])
{
	int sv[2], i;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(sv[0]);
		for (i = 0; i < NDOORS; i++) {
			server_fds[i] = door_create(procs[i], NULL, 0);
			if (server_fds[i] < 0)
				_exit(1);
		}
		if (send_fds(sv[1], server_fds, NDOORS))
			_exit(1);
		for (;;)
			pause();
	}
	close(sv[1]);
	if (pid > 0 && recv_fds(sv[0], fds, NDOORS)) {
		kill(pid, SIGKILL);
		wait_status(pid);
		pid = -1;
	}
	close(sv[0]);
	return pid;
}

/* Our own credentials, as a procedure should see them. */
static void own_creds(struct creds *c)
{
	gid_t groups[MAX_GROUPS];
	int i;

	memset(c, 0, sizeof(*c));
	getresuid(&c->ruid, &c->euid, &c->suid);
	getresgid(&c->rgid, &c->egid, &c->sgid);
	c->pid = getpid();
	c->ngroups = getgroups(MAX_GROUPS, groups);
	for (i = 0; i < c->ngroups; i++)
		c->groups[i] = groups[i];
}

static void check_creds(struct __test_metadata *_metadata,
			const struct creds *want, const struct creds *got)
{
	int i;

	EXPECT_EQ(0, got->err);
	EXPECT_EQ(want->euid, got->euid);
	EXPECT_EQ(want->ruid, got->ruid);
	EXPECT_EQ(want->suid, got->suid);
	EXPECT_EQ(want->egid, got->egid);
	EXPECT_EQ(want->rgid, got->rgid);
	EXPECT_EQ(want->sgid, got->sgid);
	EXPECT_EQ(want->pid, got->pid);
	ASSERT_EQ(want->ngroups, got->ngroups);
	for (i = 0; i < want->ngroups && i < MAX_GROUPS; i++)
		EXPECT_EQ(want->groups[i], got->groups[i]);
}

FIXTURE(server) {
	pid_t pid;
	int fd[NDOORS];
};

FIXTURE_SETUP(server)
{
	self->pid = start_server(self->fd);
	ASSERT_LT(0, self->pid);
}

FIXTURE_TEARDOWN(server)
{
	kill(self->pid, SIGKILL);
	wait_status(self->pid);
}

TEST_F(server, ucred_is_clients)
{
	struct creds want, got;

	own_creds(&want);
	ASSERT_EQ(0, call_creds(self->fd[UCRED], &got));
	check_creds(_metadata, &want, &got);
	EXPECT_NE(self->pid, got.pid);
}

TEST_F(server, ucred_reused)
{
	struct creds want, got;

	own_creds(&want);
	ASSERT_EQ(0, call_creds(self->fd[REUSE], &got));
	check_creds(_metadata, &want, &got);
}

TEST_F(server, cred_is_clients)
{
	struct creds want, got;

	own_creds(&want);
	ASSERT_EQ(0, call_creds(self->fd[CRED], &got));
	EXPECT_EQ(0, got.err);
	EXPECT_EQ(want.euid, got.euid);
	EXPECT_EQ(want.ruid, got.ruid);
	EXPECT_EQ(want.egid, got.egid);
	EXPECT_EQ(want.rgid, got.rgid);
	EXPECT_EQ(want.pid, got.pid);
}

/* We call the server, which calls itself: its own process is the client. */
TEST_F(server, nested_call_reports_immediate_caller)
{
	struct creds got;

	ASSERT_EQ(0, call_creds(self->fd[NESTED], &got));
	EXPECT_EQ(0, got.err);
	EXPECT_EQ(self->pid, got.pid);
}

/*
 * A client with other ids (all different) and groups: run fn in a child
 * that has them, and let it report what the server saw.
 */
static void as_other_user(struct __test_metadata *_metadata, int d,
			  const struct creds *ids, struct creds *got)
{
	int p[2];
	pid_t pid;

	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setgroups(ids->ngroups, ids->groups) ||
		    setresgid(ids->rgid, ids->egid, ids->sgid) ||
		    setresuid(ids->ruid, ids->euid, ids->suid))
			_exit(1);
		if (call_creds(d, got))
			got->err = errno ? errno : -1;
		_exit(write(p[1], got, sizeof(*got)) == sizeof(*got) ? 0 : 2);
	}
	close(p[1]);
	ASSERT_EQ(sizeof(*got), read(p[0], got, sizeof(*got)));
	ASSERT_EQ(0, wait_status(pid));
	close(p[0]);
}

TEST_F(server, ucred_of_other_user)
{
	struct creds want = {
		.ruid = 1001, .euid = 1002, .suid = 1003,
		.rgid = 2001, .egid = 2002, .sgid = 2003,
		.ngroups = 3, .groups = { 3001, 3002, 3003 },
	};
	struct creds got;

	if (geteuid() != 0)
		SKIP(return, "changing ids needs root");
	as_other_user(_metadata, self->fd[UCRED], &want, &got);
	/* The child's pid: anything but ours and the server's. */
	want.pid = got.pid;
	check_creds(_metadata, &want, &got);
	EXPECT_NE(getpid(), got.pid);
	EXPECT_NE(self->pid, got.pid);
	EXPECT_LT(0, got.pid);
}

TEST_F(server, ucred_of_nobody)
{
	struct creds want = {
		.ruid = 65534, .euid = 65534, .suid = 65534,
		.rgid = 65534, .egid = 65534, .sgid = 65534,
	};
	struct creds got;

	if (geteuid() != 0)
		SKIP(return, "changing ids needs root");
	as_other_user(_metadata, self->fd[UCRED], &want, &got);
	want.pid = got.pid;
	check_creds(_metadata, &want, &got);
}

TEST_F(server, cred_of_other_user)
{
	struct creds ids = {
		.ruid = 1001, .euid = 1002, .suid = 1003,
		.rgid = 2001, .egid = 2002, .sgid = 2003,
	};
	struct creds got;

	if (geteuid() != 0)
		SKIP(return, "changing ids needs root");
	as_other_user(_metadata, self->fd[CRED], &ids, &got);
	EXPECT_EQ(0, got.err);
	EXPECT_EQ(1002U, got.euid);
	EXPECT_EQ(1001U, got.ruid);
	EXPECT_EQ(2002U, got.egid);
	EXPECT_EQ(2001U, got.rgid);
}

TEST(ucred_outside_call_einval)
{
	ucred_t *uc = NULL;

	EXPECT_EQ(-1, door_ucred(&uc));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(NULL, uc);
}

TEST(cred_outside_call_einval)
{
	door_cred_t dc;

	EXPECT_EQ(-1, door_cred(&dc));
	EXPECT_EQ(EINVAL, errno);
}

TEST(ucred_null_efault)
{
	EXPECT_EQ(-1, door_ucred(NULL));
	EXPECT_EQ(EFAULT, errno);
}

static void ucred_get_check(struct __test_metadata *_metadata, pid_t pid,
			    const struct creds *want)
{
	struct creds got = { 0 };
	ucred_t *uc = ucred_get(pid);

	ASSERT_NE(NULL, uc);
	flatten(&got, uc);
	ucred_free(uc);
	check_creds(_metadata, want, &got);
}

TEST(ucred_get_self)
{
	struct creds want;

	own_creds(&want);
	ucred_get_check(_metadata, P_MYID, &want);
	ucred_get_check(_metadata, getpid(), &want);
}

/* A thread id names its process. */
TEST(ucred_get_thread_id)
{
	struct creds want;

	own_creds(&want);
	ucred_get_check(_metadata, gettid(), &want);
}

TEST(ucred_get_other_user)
{
	struct creds want = {
		.ruid = 1001, .euid = 1002, .suid = 1003,
		.rgid = 2001, .egid = 2002, .sgid = 2003,
		.ngroups = 2, .groups = { 3001, 3002 },
	};
	int ready[2], wait_for[2];
	pid_t pid;

	if (geteuid() != 0)
		SKIP(return, "changing ids needs root");
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(wait_for));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(wait_for[1]);
		if (setgroups(want.ngroups, want.groups) ||
		    setresgid(want.rgid, want.egid, want.sgid) ||
		    setresuid(want.ruid, want.euid, want.suid))
			_exit(1);
		notify(ready[1]);
		await(wait_for[0]);
		_exit(0);
	}
	close(wait_for[0]);
	ASSERT_EQ(0, await(ready[0]));
	want.pid = pid;
	ucred_get_check(_metadata, pid, &want);
	close(wait_for[1]);
	EXPECT_EQ(0, wait_status(pid));
}

TEST(ucred_get_no_such_process_esrch)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(0);
	ASSERT_EQ(0, wait_status(pid));
	EXPECT_EQ(NULL, ucred_get(pid));
	EXPECT_EQ(ESRCH, errno);
}

TEST(ucred_size_holds_groups)
{
	EXPECT_LE(sizeof(gid_t) * sysconf(_SC_NGROUPS_MAX), ucred_size());
}

DOORS_HARNESS_MAIN
