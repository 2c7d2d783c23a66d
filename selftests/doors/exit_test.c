// SPDX-License-Identifier: GPL-2.0
/*
 * Processes that go away during calls.  A server that exits or is killed
 * fails its calls in progress with EINTR, and later calls (and callers
 * waiting for a server thread) with EBADF.  A client that is killed during
 * its call leaves the server able to return and serve the next call.
 *
 * The server process has exactly one server thread, so "the server serves
 * the next call" proves that thread came back to the pool.
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
#include "procs.h"
#include "util.h"

enum { BLOCK, ECHO, EXIT, NDOORS };

/* Server side.  inside: "the procedure runs"; release: "return now". */
static int inside[2], release[2];

static struct gate gate = { inside, release };

static void exit_now(void *cookie, char *argp, size_t arg_size,
		     door_desc_t *dp, uint_t n_desc)
{
	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	_exit(0);
}

/*
 * A server thread as door_server_create(3C) wants it: cancellation off,
 * or a client giving up on its call would cancel it.
 */
static void *server_thread(void *arg)
{
	(void)arg;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	door_return(NULL, 0, NULL, 0);
	return NULL;
}

/* One server thread, made here: libdoor makes none. */
static int make_doors(int *fds)
{
	door_server_procedure_t *procs[NDOORS] = { gate_proc, echo_proc, exit_now };
	pthread_t thread;
	int i;

	door_server_create(NULL);
	for (i = 0; i < NDOORS; i++) {
		fds[i] = door_create(procs[i],
				     i == BLOCK ? &gate : NULL, 0);
		if (fds[i] < 0)
			return -1;
	}
	return pthread_create(&thread, NULL, server_thread, NULL) ? -1 : 0;
}

/* A call made by another thread. */
struct background_call {
	int fd;
	uint64_t size;		/* of the results asked from BLOCK */
	int ret;
	int err;
	char rbuf[16];
	door_arg_t arg;
};

static void *background_call(void *arg)
{
	struct background_call *bc = arg;

	bc->arg = (door_arg_t){
		.data_ptr = (char *)&bc->size,
		.data_size = bc->size ? sizeof(bc->size) : 0,
		.rbuf = bc->rbuf,
		.rsize = sizeof(bc->rbuf),
	};
	bc->ret = door_call(bc->fd, &bc->arg);
	bc->err = errno;
	return NULL;
}

/* Kill pid once the server procedure runs. */
struct killer {
	pid_t pid;
	int inside;
};

static void *kill_when_inside(void *arg)
{
	struct killer *k = arg;

	if (!await(k->inside))
		kill(k->pid, SIGKILL);
	return NULL;
}

FIXTURE(server) {
	pid_t server;
	int fd[NDOORS];
};

FIXTURE_SETUP(server)
{
	ASSERT_EQ(0, pipe2(inside, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(release, O_CLOEXEC));
	self->server = fork_server(make_doors, self->fd, NDOORS);
	ASSERT_LT(0, self->server);
	close(inside[1]);
	close(release[0]);
}

FIXTURE_TEARDOWN(server)
{
	kill_server(self->server);
}

static void echo_ok(struct __test_metadata *_metadata, int fd)
{
	ASSERT_EQ(0, echo_check(fd)) TH_LOG("%s", strerror(errno));
}

/* The server is gone: reap it, so the fixture does not kill a stranger. */
static void reap_server(FIXTURE_DATA(server) *self)
{
	wait_status(self->server);
	self->server = 0;
}

TEST_F(server, exit_in_procedure_eintr)
{
	EXPECT_EQ(-1, door_call(self->fd[EXIT], NULL));
	EXPECT_EQ(EINTR, errno);
}

TEST_F(server, killed_in_procedure_eintr)
{
	struct killer k = { self->server, inside[0] };
	pthread_t thread;

	ASSERT_EQ(0, pthread_create(&thread, NULL, kill_when_inside, &k));
	EXPECT_EQ(-1, door_call(self->fd[BLOCK], NULL));
	EXPECT_EQ(EINTR, errno);
	ASSERT_EQ(0, pthread_join(thread, NULL));
}

TEST_F(server, call_after_exit_ebadf)
{
	EXPECT_EQ(-1, door_call(self->fd[EXIT], NULL));
	reap_server(self);
	EXPECT_EQ(-1, door_call(self->fd[ECHO], NULL));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, door_call(self->fd[EXIT], NULL));
	EXPECT_EQ(EBADF, errno);
}

TEST_F(server, call_after_kill_ebadf)
{
	echo_ok(_metadata, self->fd[ECHO]);
	ASSERT_EQ(0, kill(self->server, SIGKILL));
	reap_server(self);
	EXPECT_EQ(-1, door_call(self->fd[ECHO], NULL));
	EXPECT_EQ(EBADF, errno);
}

/*
 * A caller waiting for the (busy) server thread when the server dies gets
 * EBADF, whether it was already waiting or called just after.
 */
TEST_F(server, waiting_caller_ebadf)
{
	struct background_call busy = { .fd = self->fd[BLOCK] };
	struct background_call waiting = { .fd = self->fd[ECHO] };
	pthread_t busy_thread, waiting_thread;

	ASSERT_EQ(0, pthread_create(&busy_thread, NULL, background_call,
				    &busy));
	ASSERT_EQ(0, await(inside[0]));
	ASSERT_EQ(0, pthread_create(&waiting_thread, NULL, background_call,
				    &waiting));
	ASSERT_EQ(0, kill(self->server, SIGKILL));
	ASSERT_EQ(0, pthread_join(busy_thread, NULL));
	ASSERT_EQ(0, pthread_join(waiting_thread, NULL));
	EXPECT_EQ(-1, busy.ret);
	EXPECT_EQ(EINTR, busy.err);
	EXPECT_EQ(-1, waiting.ret);
	EXPECT_EQ(EBADF, waiting.err);
}

/* Kill a client process during its call, then let the server return. */
static void client_killed(struct __test_metadata *_metadata,
			  FIXTURE_DATA(server) *self, uint64_t size)
{
	struct background_call bc = { .fd = self->fd[BLOCK], .size = size };
	pid_t client;

	client = fork();
	if (client == 0) {
		background_call(&bc);
		_exit(0);
	}
	ASSERT_LT(0, client);
	ASSERT_EQ(0, await(inside[0]));
	ASSERT_EQ(0, kill(client, SIGKILL));
	EXPECT_EQ(128 + SIGKILL, wait_status(client));
	ASSERT_EQ(0, notify(release[1]));
	echo_ok(_metadata, self->fd[ECHO]);
}

TEST_F(server, client_killed_then_serves)
{
	client_killed(_metadata, self, 0);
}

/* Results too big to travel inline, for a client that is gone. */
TEST_F(server, client_killed_large_results_then_serves)
{
	client_killed(_metadata, self, GATE_BIG_RESULTS);
}

/* The call holds the door, not the descriptor. */
TEST_F(server, door_fd_closed_during_call)
{
	struct background_call bc = { .fd = self->fd[BLOCK] };
	pthread_t thread;

	ASSERT_EQ(0, pthread_create(&thread, NULL, background_call, &bc));
	ASSERT_EQ(0, await(inside[0]));
	ASSERT_EQ(0, close(self->fd[BLOCK]));
	ASSERT_EQ(0, notify(release[1]));
	ASSERT_EQ(0, pthread_join(thread, NULL));
	ASSERT_EQ(0, bc.ret) TH_LOG("%s", strerror(bc.err));
	EXPECT_STREQ("done", bc.arg.data_ptr);
}

DOORS_HARNESS_MAIN
