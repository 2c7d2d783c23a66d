// SPDX-License-Identifier: GPL-2.0
/*
 * door_revoke(): only the creator may, it closes the descriptor, new and
 * waiting calls fail with EBADF, calls in progress complete.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <door.h>
#include <stropts.h>

#include "harness.h"
#include "util.h"

static void answer(void *cookie, char *argp, size_t arg_size,
		   door_desc_t *dp, uint_t n_desc)
{
	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	door_return("answer", 7, NULL, 0);
}

/* Revoke the door (cookie: a descriptor of it), then answer. */
static void revoke_self(void *cookie, char *argp, size_t arg_size,
			door_desc_t *dp, uint_t n_desc)
{
	int res[2];

	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	res[0] = door_revoke(*(int *)cookie);
	res[1] = errno;
	door_return((char *)res, sizeof(res), NULL, 0);
}

static int call_answer(int d)
{
	char rbuf[16];
	door_arg_t arg = { .rbuf = rbuf, .rsize = sizeof(rbuf) };

	if (door_call(d, &arg))
		return -1;
	return arg.data_size == 7 && !strcmp(arg.data_ptr, "answer") ? 0 : 1;
}

struct caller {
	int door;
	pid_t tid;
	int ret;
	int err;
	int ready[2];
};

static void *call_thread(void *arg)
{
	struct caller *c = arg;

	c->tid = gettid();
	notify(c->ready[1]);
	c->ret = door_call(c->door, NULL);
	c->err = errno;
	return NULL;
}

TEST(closes_descriptor)
{
	int d = door_create(answer, NULL, 0);

	ASSERT_LE(0, d);
	ASSERT_EQ(0, door_revoke(d));
	EXPECT_EQ(-1, fcntl(d, F_GETFD));
	EXPECT_EQ(EBADF, errno);
}

TEST(new_call_ebadf)
{
	int d = door_create(answer, NULL, 0);
	int dup_d = dup(d);

	ASSERT_LE(0, d);
	ASSERT_LE(0, dup_d);
	ASSERT_EQ(0, call_answer(dup_d));
	ASSERT_EQ(0, door_revoke(d));
	EXPECT_EQ(-1, door_call(dup_d, NULL));
	EXPECT_EQ(EBADF, errno);
}

TEST(call_through_name_ebadf)
{
	char path[] = "/tmp/doors-revoke-XXXXXX";
	int d, file, name;

	d = door_create(answer, NULL, 0);
	ASSERT_LE(0, d);
	file = mkstemp(path);
	ASSERT_LE(0, file);
	close(file);
	ASSERT_EQ(0, fattach(d, path));
	name = open(path, O_RDONLY);
	ASSERT_LE(0, name);
	ASSERT_EQ(0, door_revoke(d));
	EXPECT_EQ(-1, door_call(name, NULL));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(0, fdetach(path));
	unlink(path);
}

TEST(fork_child_eperm)
{
	int d = door_create(answer, NULL, 0);
	pid_t pid;

	ASSERT_LE(0, d);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (door_revoke(d) != -1)
			_exit(1);
		if (errno != EPERM)
			_exit(2);
		/* Still open, and the door still answers. */
		_exit(call_answer(d) ? 3 : 0);
	}
	EXPECT_EQ(0, wait_status(pid));
	EXPECT_EQ(0, call_answer(d));
}

TEST(not_a_door_ebadf)
{
	int p[2];

	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(-1, door_revoke(p[0]));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(0, fcntl(p[0], F_GETFD));
}

TEST(closed_fd_ebadf)
{
	int d = door_create(answer, NULL, 0);

	ASSERT_LE(0, d);
	ASSERT_EQ(0, close(d));
	EXPECT_EQ(-1, door_revoke(d));
	EXPECT_EQ(EBADF, errno);
}

TEST(twice)
{
	int d = door_create(answer, NULL, 0);
	int dup_d = dup(d);

	ASSERT_LE(0, d);
	ASSERT_LE(0, dup_d);
	EXPECT_EQ(0, door_revoke(d));
	EXPECT_EQ(0, door_revoke(dup_d));
}

/* The procedure revokes its own door: its results still arrive. */
TEST(call_in_progress_completes)
{
	int res[2] = { 1, 1 };
	static int self_fd;
	door_arg_t arg = { .rbuf = (char *)res, .rsize = sizeof(res) };
	int d = door_create(revoke_self, &self_fd, 0);

	ASSERT_LE(0, d);
	self_fd = dup(d);
	ASSERT_LE(0, self_fd);
	ASSERT_EQ(0, door_call(d, &arg));
	ASSERT_EQ(sizeof(res), arg.data_size);
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(-1, door_call(d, NULL));
	EXPECT_EQ(EBADF, errno);
}

/* A private door nothing serves: its caller waits until the revocation. */
TEST(waiting_caller_ebadf)
{
	struct caller c = { .ret = 0 };
	pthread_t thread;
	int d;

	d = door_create(answer, NULL, DOOR_PRIVATE);
	ASSERT_LE(0, d);
	c.door = dup(d);
	ASSERT_LE(0, c.door);
	ASSERT_EQ(0, pipe(c.ready));
	ASSERT_EQ(0, pthread_create(&thread, NULL, call_thread, &c));
	ASSERT_EQ(0, await(c.ready[0]));
	wait_blocked_in_ioctl(c.tid);
	ASSERT_EQ(0, door_revoke(d));
	ASSERT_EQ(0, pthread_join(thread, NULL));
	EXPECT_EQ(-1, c.ret);
	EXPECT_EQ(EBADF, c.err);
}

DOORS_HARNESS_MAIN
