// SPDX-License-Identifier: GPL-2.0
/*
 * The client side of the concurrency sweep: cfg->clients threads make
 * calls back to back from a common start until told to stop after
 * cfg->duration_ns.  The result is every call they completed and the
 * time from the start until the last of them was done.
 */
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"

struct caller {
	pthread_t tid;
	void *(*setup)(void *arg);
	void (*call)(void *ctx);
	void *arg;
	pthread_barrier_t *ready;
	const int *stop;
	uint64_t calls;
};

static void *caller(void *p)
{
	struct caller *c = p;
	void *ctx = c->setup(c->arg);
	uint64_t n = 0;

	pthread_barrier_wait(c->ready);
	while (!__atomic_load_n(c->stop, __ATOMIC_RELAXED)) {
		c->call(ctx);
		n++;
	}
	c->calls = n;
	return NULL;
}

struct result call_threads(const struct conc_cfg *cfg,
			   void *(*setup)(void *arg), void (*call)(void *ctx),
			   void *arg)
{
	struct timespec t = {
		.tv_sec = (time_t)(cfg->duration_ns / 1000000000u),
		.tv_nsec = (long)(cfg->duration_ns % 1000000000u),
	};
	struct result r = { 0 };
	pthread_barrier_t ready;
	struct caller *c;
	uint64_t start;
	unsigned int i;
	int stop = 0;

	c = calloc(cfg->clients, sizeof(*c));
	if (!c)
		err(1, "calloc");
	if (pthread_barrier_init(&ready, NULL, cfg->clients + 1))
		errx(1, "pthread_barrier_init");
	for (i = 0; i < cfg->clients; i++) {
		c[i] = (struct caller){
			.setup = setup, .call = call, .arg = arg,
			.ready = &ready, .stop = &stop,
		};
		if (pthread_create(&c[i].tid, NULL, caller, &c[i]))
			errx(1, "pthread_create");
	}
	pthread_barrier_wait(&ready);
	start = now_ns();
	/* The measurement's length, not a synchronisation. */
	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &t, &t) == EINTR)
		;
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < cfg->clients; i++) {
		if (pthread_join(c[i].tid, NULL))
			errx(1, "pthread_join");
		r.calls += c[i].calls;
	}
	r.ns = now_ns() - start;
	pthread_barrier_destroy(&ready);
	free(c);
	return r;
}
