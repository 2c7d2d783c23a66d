// SPDX-License-Identifier: GPL-2.0
/*
 * door_call through libdoor.  The server process creates the door and
 * libdoor's server threads serve it: the procedure hands the arguments
 * back with door_return().  The client inherits the door descriptor over
 * fork() (door descriptors are close-on-exec, not close-on-fork).
 */
#include <door.h>
#include <err.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

struct door_client {
	int door;
	size_t size;
	unsigned char *req, *rep;
};

static void serve(void *cookie, char *argp, size_t arg_size,
		  door_desc_t *dp, uint_t n_desc)
{
	const struct bench_cfg *cfg = cookie;

	(void)dp;
	if (arg_size != cfg->size || n_desc)
		errx(1, "door: the server got %zu bytes and %u descriptors, expected %zu and none",
		     arg_size, n_desc, cfg->size);
	door_return(argp, arg_size, NULL, 0);
	err(1, "door_return");
}

static void trip(void *ctx, unsigned long i)
{
	struct door_client *c = ctx;
	door_arg_t arg = {
		.data_ptr = (char *)c->req,
		.data_size = c->size,
		.rbuf = (char *)c->rep,
		.rsize = c->size,
	};

	payload_stamp(c->req, c->size, i);
	if (door_call(c->door, &arg))
		err(1, "door_call");
	if (arg.rbuf != (char *)c->rep) {
		if (munmap(arg.rbuf, arg.rsize))
			err(1, "munmap");
		errx(1, "door: %zu bytes of results did not fit in %zu",
		     arg.data_size, c->size);
	}
	if (arg.data_ptr != arg.rbuf || arg.data_size != c->size ||
	    arg.desc_num || memcmp(arg.data_ptr, c->req, c->size))
		errx(1, "door: reply %lu differs from its request", i);
}

static uint64_t run(const struct bench_cfg *cfg)
{
	int door, result_fd;
	uint64_t ns;
	pid_t pid;

	door = door_create(serve, (void *)cfg, 0);
	if (door < 0)
		err(1, "door_create");
	pid = client_fork(&result_fd);
	if (pid == 0) {
		struct door_client c = {
			.door = door,
			.size = cfg->size,
			.req = payload_alloc(cfg->size),
			.rep = payload_alloc(cfg->size),
		};

		client_exit(result_fd, client_loop(cfg, trip, &c));
	}
	ns = client_wait(pid, result_fd);
	if (close(door))
		err(1, "close");
	return ns;
}

const struct mechanism door_mechanism = {
	.name = "door",
	.label = "door_call (libdoor)",
	.run = run,
};
