// SPDX-License-Identifier: GPL-2.0
/*
 * eventfd ping-pong: one eventfd each way, the payload in a shared
 * anonymous mapping (request, then reply), as for the futexes.  The
 * client puts its request in the mapping and writes 1 to "up"; the
 * server reads "up", copies the request to the reply and writes 1 to
 * "down", which the client reads.
 */
#include <err.h>
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

struct efd_client {
	int up, down;
	unsigned char *shm;
	size_t size;
	unsigned char *req;
};

static void post(int fd)
{
	uint64_t one = 1;

	if (write(fd, &one, sizeof(one)) != sizeof(one))
		err(1, "eventfd: write");
}

/* Returns false if a signal (the client's exit) interrupted the wait. */
static bool await(int fd)
{
	uint64_t val;
	ssize_t n = read(fd, &val, sizeof(val));

	if (n < 0 && errno == EINTR)
		return false;
	if (n != sizeof(val) || val != 1)
		err(1, "eventfd: read");
	return true;
}

static void trip(void *ctx, unsigned long i)
{
	struct efd_client *c = ctx;

	payload_stamp(c->req, c->size, i);
	memcpy(c->shm, c->req, c->size);
	post(c->up);
	while (!await(c->down))
		;
	payload_check("eventfd", c->shm + c->size, c->req, c->size, i);
}

static struct result run(const struct bench_cfg *cfg)
{
	unsigned long i, n = cfg->warmup + cfg->iters;
	size_t len = 2 * cfg->size + 1;
	int up, down, result_fd;
	unsigned char *shm;
	struct result r;
	pid_t pid;

	up = eventfd(0, EFD_CLOEXEC);
	down = eventfd(0, EFD_CLOEXEC);
	if (up < 0 || down < 0)
		err(1, "eventfd");
	shm = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		err(1, "mmap(%zu)", len);
	interrupt_on_client_exit();

	pid = client_fork(cfg->client_cpu, &result_fd);
	if (pid == 0) {
		struct efd_client c = {
			.up = up,
			.down = down,
			.shm = shm,
			.size = cfg->size,
			.req = payload_alloc(cfg->size),
		};

		client_exit(result_fd, client_loop(cfg, trip, &c));
	}
	for (i = 0; i < n; i++) {
		if (!await(up))
			errx(1, "eventfd: the client exited");
		memcpy(shm + cfg->size, shm, cfg->size);
		post(down);
	}
	r = client_wait(pid, result_fd);
	if (munmap(shm, len) || close(up) || close(down))
		err(1, "eventfd: cleanup");
	return r;
}

const struct mechanism eventfd_mechanism = {
	.name = "eventfd",
	.label = "eventfd, one each way, shared mapping",
	.run = run,
};
