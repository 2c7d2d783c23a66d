// SPDX-License-Identifier: GPL-2.0
/*
 * The bare hand-off (handoff/doors_handoff.c, a module of its own): the
 * client's ioctl wakes the server parked in its ioctl and sleeps; the
 * server's next ioctl wakes the client and parks again.  One spinlock,
 * wake_up_process() and schedule() a side, no payload: the floor of any
 * synchronous call a module makes through ioctl() and sleeps in.
 * "yield": the same, but the waker yields to the peer it woke before it
 * waits (kmod/yield.h), as a door call does: the floor a door call pays
 * plus its own work.  Null calls only.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "bench.h"

#define HANDOFF_SERVE		_IO('h', 1)
#define HANDOFF_CALL		_IO('h', 2)
#define HANDOFF_SERVE_YIELD	_IO('h', 3)
#define HANDOFF_CALL_YIELD	_IO('h', 4)
#define HANDOFF_DEV		"/dev/doors_handoff"

struct handoff {
	int fd;
	unsigned long serve, call;	/* the ioctls */
};

static const char *unsupported(size_t size)
{
	if (access(HANDOFF_DEV, R_OK | W_OK))
		return "doors_handoff.ko is not loaded";
	return size ? "null calls only" : NULL;
}

static void trip(void *ctx, unsigned long i)
{
	const struct handoff *h = ctx;

	(void)i;
	while (ioctl(h->fd, h->call)) {
		if (errno != EAGAIN)	/* the server is not parked yet */
			err(1, "HANDOFF_CALL");
		sched_yield();
	}
}

static struct result serve(const struct bench_cfg *cfg, struct handoff *h)
{
	int result_fd;
	pid_t pid;

	h->fd = open(HANDOFF_DEV, O_RDWR | O_CLOEXEC);
	if (h->fd < 0)
		err(1, HANDOFF_DEV);
	interrupt_on_client_exit();
	pid = client_fork(cfg->client_cpu, &result_fd);
	if (pid == 0)
		client_exit(result_fd, client_loop(cfg, trip, h));
	/* serve until the client's exit interrupts the wait */
	while (!ioctl(h->fd, h->serve))
		;
	if (errno != EINTR)
		err(1, "HANDOFF_SERVE");
	close(h->fd);
	return client_wait(pid, result_fd);
}

static struct result run(const struct bench_cfg *cfg)
{
	struct handoff h = { .serve = HANDOFF_SERVE, .call = HANDOFF_CALL };

	return serve(cfg, &h);
}

static struct result run_yield(const struct bench_cfg *cfg)
{
	struct handoff h = {
		.serve = HANDOFF_SERVE_YIELD,
		.call = HANDOFF_CALL_YIELD,
	};

	return serve(cfg, &h);
}

const struct mechanism handoff_mechanism = {
	.name = "handoff",
	.label = "bare ioctl hand-off (doors_handoff.ko, reference)",
	.unsupported = unsupported,
	.run = run,
};

const struct mechanism yield_mechanism = {
	.name = "yield",
	.label = "bare ioctl hand-off, yielding (doors_handoff.ko, reference)",
	.unsupported = unsupported,
	.run = run_yield,
};
