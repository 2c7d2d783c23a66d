// SPDX-License-Identifier: GPL-2.0
/*
 * Signals and door calls.  A client signalled while the server works on
 * its call gets EINTR, and the server's later results are dropped; one
 * signalled while it waits for a free server thread gets EAGAIN.  Signals
 * to a parked server thread do not disturb it.
 *
 * The server process has exactly one server thread, so "the server serves
 * the next call" proves that thread came back to the pool.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include <door.h>

#include "harness.h"
#include "procs.h"
#include "util.h"

enum { BLOCK, ECHO, STATS, NDOORS };

/* Server side.  inside: "the procedure runs"; release: "return now". */
static int inside[2], release[2];
static volatile sig_atomic_t signals_seen, return_failures;

static struct gate gate = { inside, release };

/* The gate, counting the door_return() failures. */
static void block(void *cookie, char *argp, size_t arg_size,
		  door_desc_t *dp, uint_t n_desc)
{
	gate_proc(cookie, argp, arg_size, dp, n_desc);
	return_failures++;
}

static void stats(void *cookie, char *argp, size_t arg_size,
		  door_desc_t *dp, uint_t n_desc)
{
	int res[2] = { signals_seen, return_failures };

	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	door_return((char *)res, sizeof(res), NULL, 0);
}

static void count_signal(int sig)
{
	(void)sig;
	signals_seen++;
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

/*
 * One server thread, made here: libdoor makes none.  SIGUSR1 is blocked
 * in every other thread of the server, so kill() reaches that one.
 */
static int make_doors(int *fds)
{
	struct sigaction sa = { .sa_handler = count_signal };
	door_server_procedure_t *procs[NDOORS] = { block, echo_proc, stats };
	pthread_t thread;
	sigset_t usr1;
	int i;

	door_server_create(NULL);
	for (i = 0; i < NDOORS; i++) {
		fds[i] = door_create(procs[i],
				     i == BLOCK ? &gate : NULL, 0);
		if (fds[i] < 0)
			return -1;
	}
	if (sigaction(SIGUSR1, &sa, NULL) ||
	    pthread_create(&thread, NULL, server_thread, NULL))
		return -1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	return pthread_sigmask(SIG_BLOCK, &usr1, NULL) ? -1 : 0;
}

/* Client side: the handler only interrupts. */
static void nothing(int sig)
{
	(void)sig;
}

static int set_handler(int flags)
{
	struct sigaction sa = { .sa_handler = nothing, .sa_flags = flags };

	return sigaction(SIGUSR1, &sa, NULL);
}

/*
 * Signal target until stop becomes readable.  The target may take a
 * signal before it sleeps in the kernel; one of the next ones finds it
 * there.
 */
struct pester {
	pthread_t target;
	int stop;
};

static void *pester(void *arg)
{
	struct pester *p = arg;
	struct pollfd pfd = { .fd = p->stop, .events = POLLIN };

	do
		pthread_kill(p->target, SIGUSR1);
	while (poll(&pfd, 1, 10) == 0);
	return NULL;
}

/* A call made by another thread. */
struct background_call {
	int fd;
	int ret;
	int err;
	char rbuf[16];
	door_arg_t arg;
};

static void *background_call(void *arg)
{
	struct background_call *bc = arg;

	bc->arg = (door_arg_t){ .rbuf = bc->rbuf, .rsize = sizeof(bc->rbuf) };
	bc->ret = door_call(bc->fd, &bc->arg);
	bc->err = errno;
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
	ASSERT_EQ(0, set_handler(0));
}

FIXTURE_TEARDOWN(server)
{
	kill_server(self->server);
}

static void echo_ok(struct __test_metadata *_metadata, int fd)
{
	ASSERT_EQ(0, echo_check(fd)) TH_LOG("%s", strerror(errno));
}

/* Call BLOCK asking for size bytes of results; interrupt it inside. */
static void interrupted_call(struct __test_metadata *_metadata, int fd,
			     uint64_t size)
{
	struct interrupter in = { pthread_self(), inside[0] };
	char rbuf[16];
	door_arg_t arg = {
		.data_ptr = (char *)&size,
		.data_size = size ? sizeof(size) : 0,
		.rbuf = rbuf,
		.rsize = sizeof(rbuf),
	};
	pthread_t thread;

	ASSERT_EQ(0, pthread_create(&thread, NULL, interrupt_when_inside,
				    &in));
	EXPECT_EQ(-1, door_call(fd, &arg));
	EXPECT_EQ(EINTR, errno);
	ASSERT_EQ(0, pthread_join(thread, NULL));
}

TEST_F(server, in_procedure_eintr)
{
	interrupted_call(_metadata, self->fd[BLOCK], 0);
}

/* Not restartable: a call may not run twice. */
TEST_F(server, in_procedure_sa_restart_eintr)
{
	ASSERT_EQ(0, set_handler(SA_RESTART));
	interrupted_call(_metadata, self->fd[BLOCK], 0);
}

static void check_stats(struct __test_metadata *_metadata, int fd,
			int signals)
{
	int res[2];
	door_arg_t arg = { .rbuf = (char *)res, .rsize = sizeof(res) };

	ASSERT_EQ(0, door_call(fd, &arg));
	ASSERT_EQ(sizeof(res), arg.data_size);
	EXPECT_EQ(signals, res[0]);
	EXPECT_EQ(0, res[1]) TH_LOG("a door_return failed in the server");
}

TEST_F(server, results_dropped_then_serves)
{
	interrupted_call(_metadata, self->fd[BLOCK], 0);
	ASSERT_EQ(0, notify(release[1]));
	echo_ok(_metadata, self->fd[ECHO]);
	check_stats(_metadata, self->fd[STATS], 0);
}

/* Results too big to travel inline, for nobody. */
TEST_F(server, large_results_dropped_then_serves)
{
	interrupted_call(_metadata, self->fd[BLOCK], GATE_BIG_RESULTS);
	ASSERT_EQ(0, notify(release[1]));
	echo_ok(_metadata, self->fd[ECHO]);
	check_stats(_metadata, self->fd[STATS], 0);
}

TEST_F(server, waiting_for_thread_eagain)
{
	struct background_call busy = { .fd = self->fd[BLOCK] };
	struct pester p = { .target = pthread_self() };
	door_arg_t arg = { 0 };
	pthread_t busy_thread, pester_thread;
	int stop[2];

	/* The only server thread is taken. */
	ASSERT_EQ(0, pthread_create(&busy_thread, NULL, background_call,
				    &busy));
	ASSERT_EQ(0, await(inside[0]));

	ASSERT_EQ(0, pipe2(stop, O_CLOEXEC));
	p.stop = stop[0];
	ASSERT_EQ(0, pthread_create(&pester_thread, NULL, pester, &p));
	EXPECT_EQ(-1, door_call(self->fd[ECHO], &arg));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, notify(stop[1]));
	ASSERT_EQ(0, pthread_join(pester_thread, NULL));

	/* The busy call was not disturbed. */
	ASSERT_EQ(0, notify(release[1]));
	ASSERT_EQ(0, pthread_join(busy_thread, NULL));
	ASSERT_EQ(0, busy.ret) TH_LOG("%s", strerror(busy.err));
	EXPECT_STREQ("done", busy.arg.data_ptr);
}

/* Each signal is handled before the server runs the next procedure. */
TEST_F(server, signals_while_parked)
{
	int i;

	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, kill(self->server, SIGUSR1));
		echo_ok(_metadata, self->fd[ECHO]);
	}
	check_stats(_metadata, self->fd[STATS], 20);
}

/*
 * A server thread that returned a DOOR_RELEASE descriptor and parked is
 * interrupted by a signal whose handler has SA_RESTART: its return is not
 * restarted, which would close the descriptor's number a second time (the
 * client's now).  All in one process: the number the server released is
 * the one the client's descriptor then takes.
 */
static int handled[2], given;

static void note_signal(int sig)
{
	(void)sig;
	(void)!write(handled[1], "s", 1);
}

TEST(release_not_repeated_when_park_restarts)
{
	struct sigaction sa = { .sa_handler = note_signal,
				.sa_flags = SA_RESTART };
	door_arg_t arg = { 0 };
	pthread_t thread;
	struct stat st;
	int give, plain, fd;
	char c;

	ASSERT_EQ(0, pipe2(handled, O_CLOEXEC));
	ASSERT_EQ(0, sigaction(SIGUSR2, &sa, NULL));
	door_server_create(NULL);	/* the thread is ours */
	give = door_create(devnull_proc, &given, 0);
	ASSERT_LE(0, give);
	plain = door_create(echo_proc, NULL, 0);
	ASSERT_LE(0, plain);
	ASSERT_EQ(0, pthread_create(&thread, NULL, server_thread, NULL));

	ASSERT_EQ(0, door_call(give, &arg)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(1, arg.desc_num);
	fd = arg.desc_ptr[0].d_data.d_desc.d_descriptor;
	ASSERT_EQ(given, fd);	/* else this test could not tell */

	/* parked again since before door_call() returned: interrupt it */
	ASSERT_EQ(0, pthread_kill(thread, SIGUSR2));
	ASSERT_EQ(1, read(handled[0], &c, 1));
	/* served: the thread parked again after the signal */
	arg = (door_arg_t){ 0 };
	ASSERT_EQ(0, door_call(plain, &arg)) TH_LOG("%s", strerror(errno));

	ASSERT_EQ(0, fstat(fd, &st)) TH_LOG("%s", strerror(errno));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
}

DOORS_HARNESS_MAIN
