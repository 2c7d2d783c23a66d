// SPDX-License-Identifier: GPL-2.0
/*
 * Many calls at once: client threads in several processes call several
 * doors of one server process, whose pool grows to a thread per
 * concurrent call.  Every reply must answer its own request.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <door.h>

#include "harness.h"
#include "util.h"

#define NDOORS		4
#define NTHREADS	4
#define NPROCS		2
#define NCALLS		500
#define RBUF_SIZE	1024

/*
 * A request: this header, then pattern(seed) up to the end.  The reply:
 * the header with "door" set by the server from the door's cookie and
 * "bad" to the offset of the first wrong argument byte (or 0), then
 * pattern(seed + 1) of result_size bytes.
 */
struct msg {
	uint32_t door;
	uint32_t client;
	uint32_t seq;
	uint32_t bad;
	uint64_t seed;
	uint64_t result_size;
};

static const int door_ids[NDOORS] = { 0, 1, 2, 3 };

/* The reply is built in a buffer of the server thread. */
static void serve(void *cookie, char *argp, size_t arg_size,
		  door_desc_t *dp, uint_t n_desc)
{
	static __thread char *buf;
	static __thread size_t cap;
	struct msg msg = { .bad = 1 };
	size_t n, off;

	(void)dp;
	(void)n_desc;
	if (arg_size >= sizeof(msg)) {
		memcpy(&msg, argp, sizeof(msg));
		n = arg_size - sizeof(msg);
		off = pattern_check(argp + sizeof(msg), n, msg.seed);
		msg.bad = off == n ? 0 : sizeof(msg) + off;
	}
	msg.door = *(const int *)cookie;
	if (msg.bad)
		msg.result_size = 0;
	if (cap < sizeof(msg) + msg.result_size) {
		free(buf);
		cap = sizeof(msg) + msg.result_size;
		buf = malloc(cap);
		if (!buf) {
			cap = 0;
			return;
		}
	}
	memcpy(buf, &msg, sizeof(msg));
	pattern_fill(buf + sizeof(msg), msg.result_size, msg.seed + 1);
	door_return(buf, sizeof(msg) + msg.result_size, NULL, 0);
}

/*
 * Rendezvous door: its procedure returns only once n calls are inside at
 * the same time, which needs n server threads.
 */
static pthread_barrier_t rendezvous;

static void meet(void *cookie, char *argp, size_t arg_size,
		 door_desc_t *dp, uint_t n_desc)
{
	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	pthread_barrier_wait(&rendezvous);
	door_return(NULL, 0, NULL, 0);
}

#define MEETERS		8

/* NDOORS doors, then the rendezvous door. */
static int make_doors(int *fds)
{
	int i;

	if (pthread_barrier_init(&rendezvous, NULL, MEETERS))
		return -1;
	for (i = 0; i < NDOORS; i++)
		fds[i] = door_create(serve, (void *)&door_ids[i], 0);
	fds[NDOORS] = door_create(meet, NULL, 0);
	for (i = 0; i <= NDOORS; i++)
		if (fds[i] < 0)
			return -1;
	return 0;
}

struct client {
	const int *fds;
	uint32_t id;
	unsigned int errors;
	char error[160];	/* the first one */
};

static void client_error(struct client *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void client_error(struct client *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->errors++) {
		va_start(ap, fmt);
		vsnprintf(c->error, sizeof(c->error), fmt, ap);
		va_end(ap);
	}
}

/* Mostly small messages; now and then one beyond rbuf and libdoor's 16K. */
static size_t msg_size(uint32_t seq, uint32_t salt)
{
	return (seq + salt) % 50 == 0 ? 20000 : (seq * 37 + salt) % 600;
}

static void one_call(struct client *c, uint32_t seq)
{
	uint32_t door = (c->id + seq) % NDOORS;
	size_t nargs = msg_size(seq, c->id), nres = msg_size(seq, c->id + 7);
	char rbuf[RBUF_SIZE], *args;
	struct msg req = {
		.door = door,
		.client = c->id,
		.seq = seq,
		.seed = (uint64_t)c->id << 32 | seq,
		.result_size = nres,
	}, rep;
	door_arg_t arg = {
		.data_size = sizeof(req) + nargs,
		.rbuf = rbuf,
		.rsize = sizeof(rbuf),
	};

	args = malloc(sizeof(req) + nargs);
	if (!args) {
		client_error(c, "out of memory");
		return;
	}
	memcpy(args, &req, sizeof(req));
	pattern_fill(args + sizeof(req), nargs, req.seed);
	arg.data_ptr = args;
	if (door_call(c->fds[door], &arg)) {
		client_error(c, "client %u call %u: %s", c->id, seq,
			     strerror(errno));
		goto out;
	}
	if (arg.data_size != sizeof(rep) + nres) {
		client_error(c, "client %u call %u: %zu bytes, not %zu",
			     c->id, seq, arg.data_size, sizeof(rep) + nres);
		goto unmap;
	}
	memcpy(&rep, arg.data_ptr, sizeof(rep));
	if (rep.door != door || rep.client != c->id || rep.seq != seq ||
	    rep.bad || rep.seed != req.seed || rep.result_size != nres)
		client_error(c, "client %u call %u (door %u): reply to door %u client %u call %u, bad %u",
			     c->id, seq, door, rep.door, rep.client, rep.seq,
			     rep.bad);
	else if (pattern_check(arg.data_ptr + sizeof(rep), nres,
			       req.seed + 1) != nres)
		client_error(c, "client %u call %u: wrong results", c->id,
			     seq);
unmap:
	if (arg.rbuf != rbuf && munmap(arg.rbuf, arg.rsize))
		client_error(c, "client %u call %u: munmap: %s", c->id, seq,
			     strerror(errno));
out:
	free(args);
}

static void *client_thread(void *arg)
{
	struct client *c = arg;
	uint32_t seq;

	for (seq = 0; seq < NCALLS; seq++)
		one_call(c, seq);
	return NULL;
}

/* NTHREADS clients numbered from first; returns the number of errors. */
static unsigned int run_clients(const int *fds, uint32_t first)
{
	struct client c[NTHREADS];
	pthread_t t[NTHREADS];
	unsigned int errors = 0;
	int i;

	for (i = 0; i < NTHREADS; i++) {
		c[i] = (struct client){ .fds = fds, .id = first + i };
		if (pthread_create(&t[i], NULL, client_thread, &c[i]))
			client_error(&c[i], "pthread_create failed");
	}
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], NULL);
		if (c[i].errors)
			fprintf(stderr, "# %u errors; first: %s\n",
				c[i].errors, c[i].error);
		errors += c[i].errors;
	}
	return errors;
}

FIXTURE(server) {
	pid_t server;
	int fd[NDOORS + 1];
};

FIXTURE_SETUP(server)
{
	self->server = fork_server(make_doors, self->fd, NDOORS + 1);
	ASSERT_LT(0, self->server);
}

FIXTURE_TEARDOWN(server)
{
	kill_server(self->server);
}

TEST_F_TIMEOUT(server, threads, 120)
{
	EXPECT_EQ(0U, run_clients(self->fd, 0));
}

TEST_F_TIMEOUT(server, threads_and_processes, 240)
{
	pid_t pid[NPROCS];
	int i;

	for (i = 0; i < NPROCS; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			_exit(run_clients(self->fd, i * NTHREADS) ? 1 : 0);
		ASSERT_LT(0, pid[i]);
	}
	for (i = 0; i < NPROCS; i++)
		EXPECT_EQ(0, wait_status(pid[i]));
}

static void *meeter(void *arg)
{
	intptr_t fd = (intptr_t)arg;

	return door_call(fd, NULL) ? (void *)(intptr_t)errno : NULL;
}

/* MEETERS calls inside the procedure at once: the pool grew to them. */
TEST_F(server, pool_grows_to_concurrent_calls)
{
	pthread_t t[MEETERS];
	void *err;
	int i;

	for (i = 0; i < MEETERS; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, meeter,
			  (void *)(intptr_t)self->fd[NDOORS]));
	for (i = 0; i < MEETERS; i++) {
		ASSERT_EQ(0, pthread_join(t[i], &err));
		EXPECT_EQ(NULL, err);
	}
}

DOORS_HARNESS_MAIN
