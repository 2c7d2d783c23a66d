// SPDX-License-Identifier: GPL-2.0
/*
 * The reference for "copied once": one kernel copy of the payload and
 * nothing else, a pread() of a memfd whose pages are already in memory
 * (copy_to_user from the page cache).  No peer, no round trip: the
 * report divides what a mechanism's payload adds to its null round trip
 * by what it adds here, giving copies per round trip.
 */
#include <err.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

struct kcopy {
	int fd;
	size_t size;
	unsigned char *buf;
};

static void trip(void *ctx, unsigned long i)
{
	struct kcopy *k = ctx;

	if (pread(k->fd, k->buf, k->size, 0) != (ssize_t)k->size)
		err(1, "kcopy: pread");
	(void)i;
}

static struct result run(const struct bench_cfg *cfg)
{
	struct kcopy k = { .size = cfg->size };
	unsigned char *data = payload_alloc(cfg->size);
	struct result r;

	k.fd = memfd_create("kcopy", MFD_CLOEXEC);
	if (k.fd < 0)
		err(1, "memfd_create");
	write_full(k.fd, data, cfg->size);
	k.buf = payload_alloc(cfg->size);
	r = client_loop(cfg, trip, &k);
	payload_check("kcopy", k.buf, data, cfg->size, 0);
	if (close(k.fd))
		err(1, "close");
	payload_free(k.buf, cfg->size);
	payload_free(data, cfg->size);
	return r;
}

const struct mechanism kcopy_mechanism = {
	.name = "kcopy",
	.label = "reference: one kernel copy (pread of a memfd)",
	.run = run,
	.reference = true,
};
