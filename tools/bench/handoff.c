// SPDX-License-Identifier: GPL-2.0
/*
 * The bare hand-off (handoff/doors_handoff.c, a module of its own): the
 * client's ioctl wakes the server parked in its ioctl and sleeps; the
 * server's next ioctl wakes the client and parks again.  One spinlock,
 * wake_up_process() and schedule() a side, no payload: the floor of any
 * synchronous call a module makes through ioctl(), which a door call pays
 * plus its own work.  Null calls only.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "bench.h"

#define HANDOFF_SERVE	_IO('h', 1)
#define HANDOFF_CALL	_IO('h', 2)
#define HANDOFF_DEV	"/dev/doors_handoff"

static const char *unsupported(size_t size)
{
	if (access(HANDOFF_DEV, R_OK | W_OK))
		return "doors_handoff.ko is not loaded";
	return size ? "null calls only" : NULL;
}

static void trip(void *ctx, unsigned long i)
{
	int fd = *(int *)ctx;

	(void)i;
	while (ioctl(fd, HANDOFF_CALL)) {
		if (errno != EAGAIN)	/* the server is not parked yet */
			err(1, "HANDOFF_CALL");
		sched_yield();
	}
}

static struct result run(const struct bench_cfg *cfg)
{
	int fd = open(HANDOFF_DEV, O_RDWR | O_CLOEXEC), result_fd;
	pid_t pid;

	if (fd < 0)
		err(1, HANDOFF_DEV);
	interrupt_on_client_exit();
	pid = client_fork(cfg->client_cpu, &result_fd);
	if (pid == 0)
		client_exit(result_fd, client_loop(cfg, trip, &fd));
	/* serve until the client's exit interrupts the wait */
	while (!ioctl(fd, HANDOFF_SERVE))
		;
	if (errno != EINTR)
		err(1, "HANDOFF_SERVE");
	close(fd);
	return client_wait(pid, result_fd);
}

const struct mechanism handoff_mechanism = {
	.name = "handoff",
	.label = "bare ioctl hand-off (doors_handoff.ko, reference)",
	.unsupported = unsupported,
	.run = run,
};
