/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doorstorm: kill storms and races.  Each storm runs N iterations of one
 * race in a process group of its own, under a watchdog; storm.c checks
 * what it leaves behind.  The helpers here make door servers out of raw
 * ioctls, so that a storm controls exactly what its processes do.
 */
#ifndef DOORSTORM_H
#define DOORSTORM_H

#include <pthread.h>
#include <stdatomic.h>
#include <linux/doors.h>

#include "util.h"

/* What a storm counts, in memory shared with the supervising process. */
struct storm_result {
	_Atomic unsigned long iterations;
	_Atomic unsigned long kills;
	_Atomic uint64_t calls;		/* progress, for the watchdog */
	_Atomic unsigned long failures;
};

struct storm_opts {
	unsigned long iterations;
	uint64_t seed;
	const char *module;		/* doors.ko, for rmmod-load */
	const char *dir;		/* where attach targets go */
};

struct storm {
	const char *name;
	const char *what;
	int (*run)(const struct storm_opts *o, struct storm_result *r,
		   struct rng *rng);
};

extern const struct storm storm_kill_server, storm_kill_client,
	storm_revoke, storm_pass_exit, storm_attach, storm_rmmod;

/* A failure: printed (the first few) and counted. */
void fail(struct storm_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A fresh door context, or exit. */
int ctx_open(void);
/* A door of ctx with these attributes and cookie, or exit. */
int door_new(int ctx, uint32_t attributes, uint64_t cookie);

/*
 * Requests: the first 16 bytes of a call's arguments.  The server
 * answers with reply bytes of the pattern of nonce; flags say what else
 * it does.
 */
#define REQ_GATE	0x1	/* notify, then wait for "go" before replying */
#define REQ_EXIT	0x2	/* the server process exits while replying */

struct sreq {
	uint64_t nonce;
	uint32_t reply;
	uint32_t flags;
};

/*
 * Call fd through ctx with a request and size bytes of arguments (the
 * rest a pattern); results in a buffer of rsize or a new mapping, checked
 * against the request and unmapped.  Returns 0, or -errno; -EPROTO when
 * the results are wrong.  Descriptors returned are closed, or handed back
 * in *desc_fd when it is not NULL.
 */
int door_call_checked(int ctx, int fd, struct rng *rng, size_t size,
		      uint32_t reply, uint32_t flags, int *desc_fd);

/*
 * A server thread's loop on ctx: answer requests (pattern of the nonce,
 * after the gate when asked), forever, or until a signal when
 * stop_on_signal.  The gate: write a byte to notify_fd, read one from
 * gate_fd.  Results may carry desc_fd (DOOR_RELEASE of a duplicate) when
 * it is not -1.
 */
struct serve_opts {
	int ctx;
	int notify_fd;
	int gate_fd;
	int desc_fd;
	_Atomic unsigned int *unref;	/* unreferenced invocations, by cookie */
	unsigned long ncookies;
	bool stop_on_signal;
};
void serve_forever(const struct serve_opts *so);
/* The same in a new thread. */
int serve_thread(const struct serve_opts *so);

/* Spin for a random time below max_us: racing, not synchronising. */
void spin_random(struct rng *rng, unsigned int max_us);

/* door-active of the door file fd of this process (fdinfo), or -1. */
int door_active(int fd);

#endif
