// SPDX-License-Identifier: GPL-2.0
/*
 * Payloads and their check.  Every server echoes its arguments as its
 * results, so the reply to request i must equal request i.
 *
 * Request i carries i at both ends and a byte derived from i at
 * SAMPLES places that move from one request to the next; the rest is a
 * fixed pattern.  A reply of up to FULL_CHECK bytes is compared whole;
 * a larger one at both ends and at the sampled places, which catches a
 * stale, truncated or misplaced reply without reading megabytes per
 * round trip (over many round trips the samples cover the buffer).
 */
#include <err.h>
#include <string.h>
#include <sys/mman.h>

#include "bench.h"

#define FULL_CHECK	4096
#define END_CHECK	64
#define SAMPLES		16

unsigned char *payload_alloc(size_t len)
{
	size_t i, n = len ? len : 1;
	unsigned char *buf;

	buf = mmap(NULL, n, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		err(1, "mmap(%zu)", n);
	for (i = 0; i < n; i++)
		buf[i] = (unsigned char)(i * 7 + 1);
	return buf;
}

void payload_free(unsigned char *buf, size_t len)
{
	if (munmap(buf, len ? len : 1))
		err(1, "munmap");
}

static size_t sample(size_t len, unsigned long i, unsigned int k)
{
	return (size_t)((i * 2654435761u + k * (len / SAMPLES)) % len);
}

void payload_stamp(unsigned char *req, size_t len, unsigned long i)
{
	uint64_t seq = i;
	size_t n = len < sizeof(seq) ? len : sizeof(seq);
	unsigned int k;

	memcpy(req, &seq, n);
	if (len <= FULL_CHECK)
		return;
	memcpy(req + len - n, &seq, n);
	for (k = 0; k < SAMPLES; k++)
		req[sample(len, i, k)] = (unsigned char)(i + k);
}

void payload_check(const char *who, const unsigned char *rep,
		   const unsigned char *req, size_t len, unsigned long i)
{
	unsigned int k;
	size_t at;

	if (len <= FULL_CHECK) {
		if (memcmp(rep, req, len))
			errx(1, "%s: reply %lu differs from its request", who, i);
		return;
	}
	if (memcmp(rep, req, END_CHECK) ||
	    memcmp(rep + len - END_CHECK, req + len - END_CHECK, END_CHECK))
		errx(1, "%s: reply %lu differs from its request at an end",
		     who, i);
	for (k = 0; k < SAMPLES; k++) {
		at = sample(len, i, k);
		if (rep[at] != req[at])
			errx(1, "%s: reply %lu differs from its request at byte %zu",
			     who, i, at);
	}
}
