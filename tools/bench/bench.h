/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doorbench: synchronous calls between two processes, one mechanism at a
 * time, measured the same way for every mechanism.
 *
 * Each measurement runs in a fresh server process (run_isolated()), so
 * that nothing (server threads, affinity, a Binder context manager)
 * carries over from one measurement to the next.  A round trip
 * measurement forks one client from it; the client makes cfg->warmup
 * untimed round trips, then cfg->iters timed ones, checks every reply,
 * and sends its CLOCK_MONOTONIC nanoseconds back.
 */
#ifndef DOORBENCH_H
#define DOORBENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define CPU_ANY		(-1)	/* unpinned */

struct bench_cfg {
	size_t size;		/* payload bytes each way, 0 for a null call */
	unsigned long warmup;	/* untimed round trips first */
	unsigned long iters;	/* timed round trips */
	int server_cpu;		/* CPU the server process runs on, or CPU_ANY */
	int client_cpu;		/* CPU the client runs on, or CPU_ANY */
};

/* The concurrency sweep: client threads against server threads. */
struct conc_cfg {
	unsigned int clients;
	unsigned int servers;
	uint64_t duration_ns;	/* how long the clients call */
};

/* What a measurement sends back from its processes. */
struct result {
	uint64_t calls;
	uint64_t ns;
	/* The client's context switches in those ns (rt only). */
	uint64_t vcsw;		/* voluntary: it blocked */
	uint64_t ivcsw;		/* involuntary: it was preempted */
};

struct mechanism {
	const char *name;	/* for --only and the JSON records */
	const char *label;	/* for the tables */
	/* Why size bytes cannot be measured, or NULL if they can. */
	const char *(*unsupported)(size_t size);
	/* In the server process: cfg->iters round trips. */
	struct result (*run)(const struct bench_cfg *cfg);
	/* In the server process: calls made in cfg->duration_ns (optional). */
	struct result (*run_conc)(const struct conc_cfg *cfg);
	/* Not a round trip: a reference the report compares against. */
	bool reference;
};

extern const struct mechanism door_mechanism;
extern const struct mechanism futex_mechanism;
extern const struct mechanism eventfd_mechanism;
extern const struct mechanism pipe_mechanism;
extern const struct mechanism unix_mechanism;
extern const struct mechanism seqpacket_mechanism;
extern const struct mechanism binder_mechanism;
extern const struct mechanism doorraw_mechanism;
extern const struct mechanism handoff_mechanism;
extern const struct mechanism yield_mechanism;
extern const struct mechanism kcopy_mechanism;

#define MAX_MECHANISMS	16
extern const struct mechanism *const mechanisms[];
extern const size_t nr_mechanisms;

/* harness.c */
uint64_t now_ns(void);
void pin_to(int cpu);
/* Run fn(arg) in a fresh process pinned to cpu; return what it returned. */
struct result run_isolated(struct result (*fn)(const void *arg),
			   const void *arg, int cpu);
/*
 * Fork the client.  Returns 0 in the child (pinned to cpu), which then
 * calls client_exit(*result_fd, ...); returns the child's pid in the
 * parent, which serves and then calls client_wait().
 */
pid_t client_fork(int cpu, int *result_fd);
/*
 * A server blocked waiting for a request from a client that died gets
 * EINTR (from the SIGCHLD) instead of waiting forever.
 */
void interrupt_on_client_exit(void);
struct result client_loop(const struct bench_cfg *cfg,
			  void (*trip)(void *ctx, unsigned long i), void *ctx);
void client_exit(int result_fd, struct result r) __attribute__((noreturn));
struct result client_wait(pid_t pid, int result_fd);

/* callers.c: the calling threads of a concurrency measurement. */
struct result call_threads(const struct conc_cfg *cfg,
			   void *(*setup)(void *arg), void (*call)(void *ctx),
			   void *arg);

/* opts.c: command-line values; bad ones exit with status 2. */
unsigned long parse_ulong(const char *opt, const char *s,
			  unsigned long min, unsigned long max);
/* A size: a number with an optional K or M (binary) suffix. */
size_t parse_size(const char *opt, const char *s);
/* Comma-separated values into vals[max]; returns how many. */
size_t parse_list(const char *opt, char *list, unsigned long *vals,
		  size_t max, unsigned long min, unsigned long maxval);
size_t parse_sizes(const char *opt, char *list, size_t *vals, size_t max);
/* Comma-separated mechanism names: sets selected[] (nr_mechanisms). */
void parse_mechanisms(const char *opt, char *list, bool *selected);

/* The subcommands. */
int cmd_rt(int argc, char **argv);
int cmd_conc(int argc, char **argv);
int cmd_mem(int argc, char **argv);

/* payload.c */
unsigned char *payload_alloc(size_t len);
void payload_free(unsigned char *buf, size_t len);
/* Mark request i: a sequence number at both ends and at sampled places. */
void payload_stamp(unsigned char *req, size_t len, unsigned long i);
/* Does reply rep carry request i?  Dies, naming who, if not. */
void payload_check(const char *who, const unsigned char *rep,
		   const unsigned char *req, size_t len, unsigned long i);

/* io.c */
size_t read_full(int fd, void *buf, size_t len);
void write_full(int fd, const void *buf, size_t len);

/* json.c: one flat JSON object per line. */
void json_begin(const char *test);
void json_str(const char *key, const char *val);
void json_u64(const char *key, uint64_t val);
void json_num(const char *key, double val);
void json_frac(const char *key, double val);	/* 3 decimals */
void json_end(void);

#endif /* DOORBENCH_H */
