// SPDX-License-Identifier: GPL-2.0
/*
 * door_call through libdoor.  The server process creates the door; its
 * procedure hands the arguments back with door_return().  The client
 * inherits the door descriptor over fork() (door descriptors are
 * close-on-exec, not close-on-fork).
 *
 * Round trips use libdoor's default server threads, what a program gets
 * without asking (the pool grows to one thread more than the concurrent
 * calls).  The concurrency sweep installs a server creation function
 * that starts exactly conc->servers threads, once.
 */
#include <door.h>
#include <err.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

struct door_client {
	int door;
	size_t size;
	unsigned char *req, *rep;
};

static size_t expected_size;

static void serve(void *cookie, char *argp, size_t arg_size,
		  door_desc_t *dp, uint_t n_desc)
{
	(void)cookie;
	(void)dp;
	if (arg_size != expected_size || n_desc)
		errx(1, "door: the server got %zu bytes and %u descriptors, expected %zu and none",
		     arg_size, n_desc, expected_size);
	door_return(argp, arg_size, NULL, 0);
	err(1, "door_return");
}

static void call(struct door_client *c, unsigned long i)
{
	door_arg_t arg = {
		.data_ptr = (char *)c->req,
		.data_size = c->size,
		.rbuf = (char *)c->rep,
		.rsize = c->size,
	};

	if (door_call(c->door, &arg))
		err(1, "door_call");
	if (arg.rbuf != (char *)c->rep) {
		if (munmap(arg.rbuf, arg.rsize))
			err(1, "munmap");
		errx(1, "door: %zu bytes of results did not fit in %zu",
		     arg.data_size, c->size);
	}
	if (arg.data_ptr != arg.rbuf || arg.data_size != c->size ||
	    arg.desc_num)
		errx(1, "door: reply %lu has %zu bytes, expected %zu", i,
		     arg.data_size, c->size);
}

static void trip(void *ctx, unsigned long i)
{
	struct door_client *c = ctx;

	payload_stamp(c->req, c->size, i);
	call(c, i);
	payload_check("door", c->rep, c->req, c->size, i);
}

static int create(void)
{
	int door = door_create(serve, NULL, 0);

	if (door < 0)
		err(1, "door_create");
	return door;
}

/* Parked, ready: not merely started. */
static void await_parked(int door, unsigned int n)
{
	door_info_t di;

	for (;;) {
		if (door_info(door, &di))
			err(1, "door_info");
		if ((unsigned int)di.di_resv[0] >= n)
			return;
		sched_yield();
	}
}

/*
 * Grow libdoor's pool to what one client needs before the client starts,
 * as the other mechanisms' servers are ready before theirs: the first
 * call finds the only thread, which starts another (depletion), and a
 * new thread is expensive (with transparent huge pages, the first touch
 * of its stack clears 2 MiB).  Then two threads are parked: a call takes
 * one and leaves the other, so the pool grows no more.
 */
static void prime(int door)
{
	char buf[1];
	door_arg_t arg = { .rbuf = buf, .rsize = sizeof(buf) };

	expected_size = 0;
	await_parked(door, 1);
	if (door_call(door, &arg))
		err(1, "door_call");
	await_parked(door, 2);
}

static struct result run(const struct bench_cfg *cfg)
{
	int door, result_fd;
	pid_t pid;

	door = create();
	prime(door);
	expected_size = cfg->size;
	pid = client_fork(cfg->client_cpu, &result_fd);
	if (pid == 0) {
		struct door_client c = {
			.door = door,
			.size = cfg->size,
			.req = payload_alloc(cfg->size),
			.rep = payload_alloc(cfg->size),
		};

		client_exit(result_fd, client_loop(cfg, trip, &c));
	}
	return client_wait(pid, result_fd);
}

/* The concurrency sweep: null calls from every client thread. */

static unsigned int nservers;

static void *server_thread(void *arg)
{
	(void)arg;
	door_return(NULL, 0, NULL, 0);
	err(1, "door_return");
}

/* Called with NULL by the first door_create(), and at every depletion. */
static void start_servers(door_info_t *dip)
{
	static bool started;
	pthread_attr_t attr;
	pthread_t tid;
	unsigned int i;

	if (dip || started)
		return;
	started = true;
	if (pthread_attr_init(&attr) ||
	    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED))
		errx(1, "pthread_attr");
	for (i = 0; i < nservers; i++)
		if (pthread_create(&tid, &attr, server_thread, NULL))
			errx(1, "pthread_create");
	pthread_attr_destroy(&attr);
}

static void *conc_setup(void *arg)
{
	struct door_client *c = malloc(sizeof(*c));

	if (!c)
		err(1, "malloc");
	*c = (struct door_client){
		.door = *(int *)arg,
		.req = payload_alloc(0),
		.rep = payload_alloc(0),
	};
	return c;
}

static void conc_call(void *ctx)
{
	call(ctx, 0);
}

static struct result run_conc(const struct conc_cfg *cfg)
{
	int door, result_fd;
	pid_t pid;

	expected_size = 0;
	nservers = cfg->servers;
	door_server_create(start_servers);
	door = create();
	await_parked(door, cfg->servers);
	pid = client_fork(CPU_ANY, &result_fd);
	if (pid == 0)
		client_exit(result_fd,
			    call_threads(cfg, conc_setup, conc_call, &door));
	return client_wait(pid, result_fd);
}

const struct mechanism door_mechanism = {
	.name = "door",
	.label = "door_call (libdoor)",
	.run = run,
	.run_conc = run_conc,
};
