// SPDX-License-Identifier: GPL-2.0
/*
 * door_call without libdoor: the client's DOOR_IOC_CALL and the server's
 * DOOR_IOC_RETURN loop spoken as raw ioctls (Documentation/abi.rst,
 * "serving without libdoor").  One server thread, the process's main
 * one, echoes the arguments.  Against door_call (libdoor), what libdoor
 * adds in user space (its server loop, sigsetjmp/siglongjmp, the
 * depletion check); against the bare hand-off, what the module adds.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/doors.h>

#include "bench.h"

#define DOORRAW_BUF	16384

struct raw_client {
	int ctx, door;
	size_t size;
	unsigned char *req, *rep;
};

/* The large payloads cost what door_call's do: not measured twice. */
static const char *unsupported(size_t size)
{
	return size > 65536 ? "measured up to 64 KiB (door_call beyond)" : NULL;
}

static void trip(void *ctx, unsigned long i)
{
	struct raw_client *c = ctx;
	struct door_call_args ca = {
		.fd = c->door,
		.data_ptr = (uintptr_t)c->req,
		.data_size = c->size,
		.rbuf = (uintptr_t)c->rep,
		.rsize = c->size,
	};

	payload_stamp(c->req, c->size, i);
	if (ioctl(c->ctx, DOOR_IOC_CALL, &ca))
		err(1, "DOOR_IOC_CALL");
	if (ca.data_ptr != (uintptr_t)c->rep || ca.data_size != c->size)
		errx(1, "doorraw: reply %lu has %llu bytes at %#llx", i,
		     (unsigned long long)ca.data_size,
		     (unsigned long long)ca.data_ptr);
	payload_check("doorraw", c->rep, c->req, c->size, i);
}

static struct result run(const struct bench_cfg *cfg)
{
	struct door_create_args cr = { 0 };
	struct door_return_args ra = { 0 };
	int ctx, door, result_fd;
	pid_t pid;

	ctx = open("/dev/doors", O_RDWR | O_CLOEXEC);
	if (ctx < 0)
		err(1, "/dev/doors");
	door = ioctl(ctx, DOOR_IOC_CREATE, &cr);
	if (door < 0)
		err(1, "DOOR_IOC_CREATE");
	interrupt_on_client_exit();
	pid = client_fork(cfg->client_cpu, &result_fd);
	if (pid == 0) {
		struct raw_client c = {
			.ctx = ctx,
			.door = door,
			.size = cfg->size,
			.req = payload_alloc(cfg->size),
			.rep = payload_alloc(cfg->size),
		};

		client_exit(result_fd, client_loop(cfg, trip, &c));
	}
	ra.buf = (uintptr_t)malloc(DOORRAW_BUF);
	ra.buf_size = DOORRAW_BUF;
	if (!ra.buf)
		err(1, "malloc");
	/* serve until the client's exit interrupts the wait */
	while (!ioctl(ctx, DOOR_IOC_RETURN, &ra)) {
		ra.data_ptr = ra.inv.data_ptr;
		ra.data_size = ra.inv.data_size;
	}
	if (errno != EINTR)
		err(1, "DOOR_IOC_RETURN");
	ra.flags = DOOR_RETURN_EXIT;
	ra.data_size = 0;
	ioctl(ctx, DOOR_IOC_RETURN, &ra);
	free((void *)(uintptr_t)ra.buf);
	close(door);
	close(ctx);
	return client_wait(pid, result_fd);
}

const struct mechanism doorraw_mechanism = {
	.name = "doorraw",
	.label = "door_call, raw ioctls (no libdoor)",
	.unsupported = unsupported,
	.run = run,
};
