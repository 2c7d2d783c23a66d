/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What doorfuzz and doorstorm share: a seeded generator, error reports
 * that are safe in any thread or fork child, the leak probes (descriptors,
 * mappings, door files, module references, slab objects) and the
 * watchdog that bounds a run.
 */
#ifndef DOORS_FUZZ_UTIL_H
#define DOORS_FUZZ_UTIL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* splitmix64: one 64-bit state, any seed is fine. */
struct rng {
	uint64_t s;
};

static inline uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A generator for stream @stream of @seed: the same pair, the same values. */
static inline void rng_init(struct rng *r, uint64_t seed, uint64_t stream)
{
	r->s = seed ^ (stream * 0xd1342543de82ef95ull);
	rng_next(r);
}

/* Uniform in [0, n); n > 0. */
static inline uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

/* True with probability pct/100. */
static inline bool rng_pct(struct rng *r, unsigned int pct)
{
	return rng_below(r, 100) < pct;
}

/* Byte i of the pattern of @seed: a page or offset mix-up changes it. */
void pattern_fill(void *buf, size_t n, uint64_t seed);
/* Offset of the first byte that differs from the pattern, or n. */
size_t pattern_check(const void *buf, size_t n, uint64_t seed);

/*
 * Errno sets.  Every errno of the kernel's ABI is below 128.
 */
typedef unsigned __int128 emask_t;
#define EM(e)		((emask_t)1 << (e))
bool emask_has(emask_t m, int e);
/* "EBADF|EINTR" into buf. */
const char *emask_str(emask_t m, char *buf, size_t len);
const char *errname(int e);

/*
 * Reports: one line on standard error, written with a single write(2)
 * (no stdio lock: safe in threads and fork children).  prog is the
 * program's name, set by main.
 */
extern const char *prog;
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* read/write that retry on EINTR (every thread gets timer signals). */
ssize_t xread(int fd, void *buf, size_t len);
ssize_t xwrite(int fd, const void *buf, size_t len);
pid_t xwaitpid(pid_t pid, int *status, int flags);
/* One byte: "I got there" / "go on".  0, or -1 on EOF or error. */
int notify(int fd);
int await(int fd);

/* SCM_RIGHTS: send n descriptors / receive up to max.  -1 on failure. */
int send_fds(int sock, const int *fds, int n, int flags);
int recv_fds(int sock, int *fds, int max, int flags);

/* Leak probes. */
int fd_count(void);
/* Prints (the first ten) open descriptors of ours not in base[]. */
void fd_report_extra(const int *base, int nbase);
int fd_list(int *fds, int max);
/* Bytes of anonymous, unnamed mappings (what the module makes). */
long anon_bytes(void);
/*
 * Door files and door contexts open in every process of the system
 * (door-id / door-owner lines of /proc/PID/fdinfo/N).
 */
void door_files_count(long *doors, long *contexts);
/* /sys/module/doors/refcnt, or -1 if the module is not loaded. */
long module_refcnt(void);
/* delete_module("doors", O_NONBLOCK): 0 or -errno. */
int module_unload(void);
/* finit_module of the file at path: 0 or -errno. */
int module_load(const char *path);

/* The module's live objects of each kind (debugfs doors/objects). */
#define OBJECT_KINDS	16
struct door_objects {
	int kinds;		/* -1: the file cannot be read */
	char name[OBJECT_KINDS][24];
	long count[OBJECT_KINDS];
};
void door_objects(struct door_objects *o);
/*
 * The kinds of @after above @then (or above 0 with @then NULL), or below
 * 0, in @report: how many.
 */
int door_objects_grown(const struct door_objects *then,
		       const struct door_objects *after, char *report,
		       size_t len);
/* door_objects(), once deferred frees had 10 s to bring it to @then. */
void door_objects_settled(const struct door_objects *then,
			  struct door_objects *after);

/* Active objects of the slab caches the module allocates from. */
struct slab_sample {
	long filp;		/* struct file: door and context files */
	long dentry;		/* one per door file */
	long kmalloc_cg;	/* accounted kmalloc: doors, contexts, threads */
};
void slab_sample(struct slab_sample *s);

/*
 * Run fn(arg) in a child that leads a process group of its own and
 * reaps every orphan in it; kill the whole group with SIGKILL if it is
 * not over after @timeout seconds, or if *progress (when not NULL, a
 * counter in shared memory) stands still for 10 minutes, after printing
 * where its processes are stuck.  Returns fn's exit status, or -1 when
 * the watchdog fired (and 125 + signal when the child was killed
 * otherwise).
 */
int supervise(int (*fn)(void *), void *arg, unsigned int timeout,
	      const char *what, const _Atomic uint64_t *progress);
/* In the group leader: reap children until none is left. */
void reap_all(void);

/*
 * Re-executes the program with glibc's rseq registration off, once: on
 * the way back to user space the kernel updates a thread's rseq area
 * with copies that fail-nth would fail, and the thread would get SIGSEGV
 * for it.
 */
void rseq_off(char **argv);

/* Monotonic seconds. */
double now(void);

#endif
