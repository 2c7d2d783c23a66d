/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doorbench: round trips between two processes, one mechanism at a time.
 *
 * Every mechanism runs the same way: the calling process is the server,
 * a forked child is the client.  The client makes cfg->warmup untimed
 * round trips, then cfg->iters timed ones, checks every reply, and sends
 * its elapsed CLOCK_MONOTONIC nanoseconds back to the parent.
 */
#ifndef DOORBENCH_H
#define DOORBENCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct bench_cfg {
	unsigned long iters;	/* timed round trips */
	unsigned long warmup;	/* untimed round trips before them */
	size_t size;		/* payload bytes each way, 0 for a null call */
};

struct mechanism {
	const char *name;	/* for --only and the JSON line */
	const char *label;	/* for the table */
	/* Returns the client's nanoseconds for cfg->iters round trips. */
	uint64_t (*run)(const struct bench_cfg *cfg);
};

extern const struct mechanism door_mechanism;
extern const struct mechanism futex_mechanism;
extern const struct mechanism pipe_mechanism;
extern const struct mechanism unix_mechanism;

uint64_t now_ns(void);

/*
 * Fork the client.  Returns 0 in the child, which then calls
 * client_exit(*result_fd, client_loop(...)); returns the child's pid in
 * the parent, which serves and then calls client_wait().
 */
pid_t client_fork(int *result_fd);
uint64_t client_loop(const struct bench_cfg *cfg,
		     void (*trip)(void *ctx, unsigned long i), void *ctx);
void client_exit(int result_fd, uint64_t ns) __attribute__((noreturn));
uint64_t client_wait(pid_t pid, int result_fd);

/* A buffer of max(len, 1) bytes holding a fixed pattern. */
unsigned char *payload_alloc(size_t len);
/* Make the first bytes of a request tell round trip i from the others. */
void payload_stamp(unsigned char *buf, size_t len, unsigned long i);

/* Return len, or less at end of file; die on errors. */
size_t read_full(int fd, void *buf, size_t len);
void write_full(int fd, const void *buf, size_t len);

#endif /* DOORBENCH_H */
