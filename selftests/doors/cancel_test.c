// SPDX-License-Identifier: GPL-2.0
/*
 * Cancellation of server threads.  A client that gives up on a call (a
 * signal interrupts its door_call()) cancels the server thread running
 * the procedure, as POSIX thread cancellation: it acts if the thread has
 * enabled cancellation and reaches a cancellation point, unless the door
 * has DOOR_NO_CANCEL.  Server threads start with cancellation disabled.
 *
 * The server process runs libdoor's own server threads.  Its procedure
 * waits in read() (a cancellation point) for the test to let it go, then
 * reports 'R' and returns results; its cleanup handler reports 'C'.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <door.h>

#include "harness.h"
#include "procs.h"
#include "util.h"

enum { ENABLED, ENABLED_NO_CANCEL, DEFAULT, ECHO, NDOORS };

struct how {
	int enable;		/* the procedure enables cancellation */
};

static const struct how hows[NDOORS] = {
	[ENABLED] = { 1 },
	[ENABLED_NO_CANCEL] = { 1 },
	[DEFAULT] = { 0 },
};

/* Server side. */
static int inside[2], release[2], report[2];

static void say(char c)
{
	if (write(report[1], &c, 1) != 1)
		abort();
}

static void cancelled(void *arg)
{
	(void)arg;
	say('C');
}

static void blocking(void *cookie, char *argp, size_t arg_size,
		     door_desc_t *dp, uint_t n_desc)
{
	const struct how *how = cookie;
	int state = PTHREAD_CANCEL_DISABLE;
	char byte;

	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	if (how->enable)
		pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &state);
	pthread_cleanup_push(cancelled, NULL);
	notify(inside[1]);
	while (read(release[0], &byte, 1) < 0 && errno == EINTR)
		;
	pthread_cleanup_pop(0);
	pthread_setcancelstate(state, NULL);
	say('R');
	door_return("late", 5, NULL, 0);
}

static int make_doors(int *fds)
{
	static const uint_t attrs[NDOORS] = {
		[ENABLED_NO_CANCEL] = DOOR_NO_CANCEL,
	};
	int i;

	for (i = 0; i < NDOORS; i++) {
		fds[i] = door_create(i == ECHO ? echo_proc : blocking,
				     (void *)&hows[i], attrs[i]);
		if (fds[i] < 0)
			return -1;
	}
	return 0;
}

/* Client side: the handler only interrupts. */
static void nothing(int sig)
{
	(void)sig;
}

FIXTURE(server) {
	pid_t server;
	int fd[NDOORS];
};

FIXTURE_SETUP(server)
{
	struct sigaction sa = { .sa_handler = nothing };

	ASSERT_EQ(0, pipe2(inside, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(release, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(report, O_CLOEXEC));
	self->server = fork_server(make_doors, self->fd, NDOORS);
	ASSERT_LT(0, self->server);
	close(inside[1]);
	close(release[0]);
	close(report[1]);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
}

FIXTURE_TEARDOWN(server)
{
	kill_server(self->server);
}

/* Call door d and give up once its procedure runs. */
static void give_up(struct __test_metadata *_metadata, int d)
{
	struct interrupter in = { pthread_self(), inside[0] };
	char rbuf[16];
	door_arg_t arg = { .rbuf = rbuf, .rsize = sizeof(rbuf) };
	pthread_t thread;

	ASSERT_EQ(0, pthread_create(&thread, NULL, interrupt_when_inside,
				    &in));
	EXPECT_EQ(-1, door_call(d, &arg));
	EXPECT_EQ(EINTR, errno);
	ASSERT_EQ(0, pthread_join(thread, NULL));
}

static char next_report(struct __test_metadata *_metadata)
{
	char c = 0;

	EXPECT_EQ(1, read(report[0], &c, 1));
	return c;
}

static void echo_ok(struct __test_metadata *_metadata, int d)
{
	ASSERT_EQ(0, echo_check(d)) TH_LOG("%s", strerror(errno));
}

/* Nothing more was reported: the pipe is empty once the server is gone. */
static void no_more_reports(struct __test_metadata *_metadata, pid_t *server)
{
	char c = 0;

	kill_server(*server);
	*server = 0;
	EXPECT_EQ(0, read(report[0], &c, 1)) TH_LOG("reported '%c'", c);
}

TEST_F(server, completed_call_not_cancelled)
{
	char rbuf[16] = "";
	door_arg_t arg = { .rbuf = rbuf, .rsize = sizeof(rbuf) };

	ASSERT_EQ(0, notify(release[1]));
	ASSERT_EQ(0, door_call(self->fd[ENABLED], &arg));
	EXPECT_STREQ("late", arg.data_ptr);
	EXPECT_EQ('R', next_report(_metadata));
	no_more_reports(_metadata, &self->server);
}

TEST_F(server, enabled_thread_cancelled)
{
	give_up(_metadata, self->fd[ENABLED]);
	EXPECT_EQ('C', next_report(_metadata));
}

TEST_F(server, cancelled_then_serves)
{
	int i;

	for (i = 0; i < 3; i++) {
		give_up(_metadata, self->fd[ENABLED]);
		EXPECT_EQ('C', next_report(_metadata));
		echo_ok(_metadata, self->fd[ECHO]);
	}
	no_more_reports(_metadata, &self->server);
}

/* DOOR_NO_CANCEL: the procedure runs to its end, its results are lost. */
TEST_F(server, no_cancel_door_not_cancelled)
{
	give_up(_metadata, self->fd[ENABLED_NO_CANCEL]);
	ASSERT_EQ(0, notify(release[1]));
	EXPECT_EQ('R', next_report(_metadata));
	echo_ok(_metadata, self->fd[ECHO]);
	no_more_reports(_metadata, &self->server);
}

/* The thread that ran it serves again, and answers the next call only. */
TEST_F(server, no_cancel_results_discarded)
{
	char rbuf[16] = "";
	door_arg_t arg = { .rbuf = rbuf, .rsize = sizeof(rbuf) };

	give_up(_metadata, self->fd[ENABLED_NO_CANCEL]);
	ASSERT_EQ(0, notify(release[1]));
	EXPECT_EQ('R', next_report(_metadata));
	ASSERT_EQ(0, notify(release[1]));
	ASSERT_EQ(0, door_call(self->fd[ENABLED_NO_CANCEL], &arg));
	EXPECT_STREQ("late", arg.data_ptr);
	EXPECT_EQ('R', next_report(_metadata));
}

/* libdoor's server threads have cancellation disabled. */
TEST_F(server, default_thread_not_cancelled)
{
	give_up(_metadata, self->fd[DEFAULT]);
	ASSERT_EQ(0, notify(release[1]));
	EXPECT_EQ('R', next_report(_metadata));
	echo_ok(_metadata, self->fd[ECHO]);
	no_more_reports(_metadata, &self->server);
}

DOORS_HARNESS_MAIN
