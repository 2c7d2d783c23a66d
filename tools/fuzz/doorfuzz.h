/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doorfuzz: what its parts share.
 *
 * Processes: main supervises a leader (its own process group), which
 * forks the workers.  A worker opens a door context, creates its anchor
 * doors, and runs client threads (random operations) and server threads
 * (DOOR_IOC_RETURN loops); its client threads fork chaos children, which
 * run operations on what they inherited and on doors of their own, then
 * exit, abort or are killed.  Workers check their descriptors and
 * mappings against their baseline at the end; the leader checks that no
 * door file is left in the system and main that the module unloads.
 */
#ifndef DOORFUZZ_H
#define DOORFUZZ_H

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <linux/doors.h>
#include <door.h>

#include "util.h"

#define NSLOT		48	/* descriptors a process plays with */
#define MAX_THREADS	16	/* per process */
#define MAX_CHILDREN	4	/* chaos children alive per worker */
#define NANCHOR		3
#define REPLY_MAX	(256 << 10)
#define ARG_MAX		(256 << 10)
#define SBUF_SIZE	(64 << 10)
#define STACK_SIZE	(256 << 10)
#define MAX_DEPTH	2	/* worker 0, child 1, grandchild 2 */

/* What a slot's descriptor is (fd_kind()). */
enum kind {
	K_NONE, K_DOOR, K_CTX, K_FILE, K_DIR, K_PIPE, K_SOCK, K_NULL,
	K_EVENT, K_OTHER,
};

/* Anchors: doors of the worker no operation may close or change. */
enum { A_PLAIN, A_PRIVATE, A_REFUSE };

/* Operations, for the statistics. */
enum op {
	OP_CREATE, OP_CALL, OP_RETURN, OP_INFO, OP_REVOKE, OP_BIND,
	OP_UNBIND, OP_UCRED, OP_GETPARAM, OP_SETPARAM, OP_FATTACH,
	OP_FDETACH, OP_BADCMD, OP_LIBCALL, OP_LIBMISC, OP_LIBCREATE,
	OP_SERVE, OP_OPEN, OP_CLOSE, OP_DUP, OP_FORK, OP_KILL, OP_PASS,
	OP_THREAD, NOP,
};
extern const char *const op_names[NOP];

/* Counters shared by every process of the run (a MAP_SHARED page). */
struct stats {
	_Atomic uint64_t ops;
	_Atomic uint64_t nop[NOP];
	_Atomic uint64_t err[NOP][128];
	_Atomic uint64_t calls_ok, calls_checked, mapped_results;
	_Atomic uint64_t invocations, unref_invocations, descs_received;
	_Atomic uint64_t forks, kills, child_exits, aborts_chosen;
	_Atomic uint64_t thread_exits;
	_Atomic uint64_t aborts_seen;	/* SIGABRT deaths */
	_Atomic uint64_t unexpected;	/* errno outside the allowed set */
	_Atomic uint64_t corrupt;	/* data, descriptor or routing errors */
	_Atomic uint64_t leaks;		/* descriptors or mappings */
	_Atomic uint64_t armed;		/* ioctls run with fail-nth set */
	_Atomic uint64_t faults;	/* ... in which a fault was injected */
	_Atomic uint64_t reported;
};
extern struct stats *stats;

struct config {
	uint64_t seed;
	uint64_t ops;
	unsigned int time;
	unsigned int procs, clients, servers;
	unsigned int fail_pct;		/* --fail-nth */
	int trace_w, trace_t;		/* -1: no trace */
	bool nofork, nolib, rmmod, verbose;
	char dir[64];			/* attach targets */
};
extern struct config cfg;

/*
 * A thread's memory, mapped once when the process starts so that the
 * mapping count is stable: its stack, a scratch area for argument
 * structures that ends at an inaccessible page, and data buffers.
 */
struct arena {
	char *stack;
	char *scratch;			/* 2 pages, then guard */
	char *guard;			/* PROT_NONE */
	char *ro, *ro_rw;		/* one page read-only, and its alias */
	char *abuf;			/* arguments */
	char *rbuf;			/* results (client), replies (server) */
	char *sbuf;			/* receive buffer (server) */
};

struct proc;

struct thread {
	struct proc *p;
	int idx;
	unsigned int gen;
	bool server;
	struct rng rng;
	struct arena a;
	pthread_t pt;
	timer_t timer;
	bool timer_ok;
	_Atomic int running;
	uint64_t nops;			/* operations done */
	bool bound;			/* door_bind()ed on our context */
	bool bound_maybe;		/* maybe: bound through a descriptor
					 * that may be our context's */
	bool binder;			/* binds to the private anchor */
	bool trace;
	int failfd;			/* our /proc/thread-self/fail-nth */
	bool injected;			/* the last fz_ioctl() failed a point */
	bool nofail;			/* do not arm fail-nth for now */
	char what[256];			/* the current operation, for reports */
};

/* The thread is bound on no context of ours (any more). */
static inline void unbound(struct thread *t)
{
	t->bound = false;
	t->bound_maybe = false;
}

struct child {
	pid_t pid;
	int sock;
};

struct proc {
	int wid;
	uint64_t seed;			/* of its threads' generators */
	int depth;
	pid_t pid;
	int ctx;			/* our context, -1 in a child at first */
	int devnull;
	int pipe[2];
	int parent_sock;		/* in a child: to its parent */
	int anchor[NANCHOR];
	uint64_t anchor_id[NANCHOR];
	bool anchors_own;		/* served by this process */
	bool ctx_own;			/* ctx was opened by this process */
	_Atomic uint64_t slot[NSLOT];	/* fd | kind << 32; 0: empty */
	pthread_mutex_t lock;		/* children */
	struct child child[MAX_CHILDREN];
	_Atomic int stop;
	double deadline;
	int nthreads;
	pthread_cond_t cond;		/* a thread ended */
	struct thread thr[MAX_THREADS];
};

/* doorfuzz.c */
long fz_ioctl(struct thread *t, int fd, unsigned long cmd, void *arg);
void fail_nth_open(struct thread *t);
void fail_nth_close(struct thread *t);
emask_t fz_exp(struct thread *t, emask_t exp);
void trace(struct thread *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void record(struct thread *t, enum op op, int err);
bool budget_left(void);
void unexpected(struct thread *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void corrupt(struct thread *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void child_status(pid_t pid, int status);

/* proc.c */
int worker_main(int wid);
int thread_start(struct proc *p, int idx, bool server);
void child_main(struct proc *parent, struct thread *t, int sock);

/* hostile.c */
extern uint64_t user_limit;
void user_limit_probe(void);
int arena_map(struct proc *p, int nthreads);
int arena_fork_fixup(struct proc *p);
enum place {
	PL_GOOD, PL_MISALIGN, PL_RO, PL_STRADDLE, PL_GUARD, PL_NULL,
	PL_KERNEL, PL_NONCANON, PL_LOW, NPLACE,
};
/* Where an argument structure goes: mostly PL_GOOD. */
enum place pick_place(struct thread *t);
/* Put len bytes of src there; returns the pointer to hand the kernel. */
void *place(struct thread *t, enum place pl, const void *src, size_t len);
/* Copy the structure back (when it was readable): false otherwise. */
bool unplace(struct thread *t, enum place pl, void *uptr, void *dst,
	     size_t len);
bool place_readable(enum place pl);
bool place_writable(enum place pl);
const char *place_name(enum place pl);
/* A pointer that is never valid, for buffers. */
uint64_t bad_ptr(struct thread *t);
/* Classes of descriptors: what the kernel must say about them is known. */
enum fdclass {
	FC_SLOT,	/* from a slot: anything */
	FC_ANCHOR,	/* our door, served, never closed */
	FC_PRIVATE,	/* our DOOR_PRIVATE anchor */
	FC_REFUSE,	/* our DOOR_REFUSE_DESC anchor */
	FC_CTX,		/* our context: not a door */
	FC_NONDOOR,	/* /dev/null or a pipe: not a door, no door attached */
	FC_BADFD,	/* never open */
	FC_QUERY,	/* DOOR_QUERY */
	FC_RANDOM,	/* a small number: anything */
};
int pick_fd(struct thread *t, enum fdclass *fc);
const char *fdclass_name(enum fdclass fc);
/* Attach target paths and hostile ones, with the lookup errno (0: ok). */
uint64_t pick_path(struct thread *t, int *lookup_err);
uint64_t pick_size(struct thread *t, size_t max);

/* slot.c */
int slot_peek(struct proc *p, struct thread *t, enum kind *kind);
int slot_take(struct proc *p, struct thread *t, enum kind *kind);
void slot_put(struct proc *p, struct thread *t, int fd, enum kind kind);
void slot_close_all(struct proc *p);
void slot_fork_fixup(struct proc *p);
enum kind fd_kind(int fd);

/* expect.c */
/* What each ioctl may answer (abi.rst); EM(0) is success. */
#define A_CREATE	(EM(0) | EM(EFAULT) | EM(EINVAL) | EM(EPERM) | \
			 EM(EMFILE) | EM(ENOMEM))
#define A_CALL		(EM(0) | EM(EFAULT) | EM(EINVAL) | EM(EBADF) | \
			 EM(ENOBUFS) | EM(E2BIG) | EM(EOPNOTSUPP) | \
			 EM(ENFILE) | EM(EMFILE) | EM(EAGAIN) | EM(EINTR) | \
			 EM(EOVERFLOW) | EM(ENOMEM))
#define A_RETURN	(EM(0) | EM(EFAULT) | EM(EINVAL) | EM(E2BIG) | \
			 EM(EPERM) | EM(EINTR) | EM(ENOMEM))
#define A_LOOKUP	(EM(ENOENT) | EM(ENOTDIR) | EM(ELOOP) | \
			 EM(ENAMETOOLONG) | EM(EACCES))
#define A_FATTACH	(EM(0) | EM(EFAULT) | EM(EINVAL) | EM(EBADF) | \
			 A_LOOKUP | EM(EPERM) | EM(EBUSY) | EM(ENOMEM))
#define A_FDETACH	(EM(0) | EM(EFAULT) | EM(EINVAL) | A_LOOKUP | \
			 EM(EPERM))
#define A_INFO		(EM(0) | EM(EFAULT) | EM(EINVAL) | EM(EBADF))
#define A_REVOKE	(EM(0) | EM(EFAULT) | EM(EINVAL) | EM(EBADF) | \
			 EM(EPERM))
#define A_BIND		(EM(0) | EM(EFAULT) | EM(EINVAL) | EM(EBADF) | \
			 EM(EPERM) | EM(ENOMEM))
#define A_UNBIND	(EM(0) | EM(EBADF))
#define A_UCRED		(EM(0) | EM(EFAULT) | EM(EINVAL))
#define A_GETPARAM	(EM(0) | EM(EFAULT) | EM(EBADF) | EM(EINVAL))
#define A_SETPARAM	(EM(0) | EM(EFAULT) | EM(EBADF) | EM(EPERM) | \
			 EM(EINVAL) | EM(EOPNOTSUPP) | EM(ERANGE))
/* An ioctl on a descriptor that may not be a context at all. */
#define A_NOTCTX	(EM(ENOTTY) | EM(EBADF))

/* The context an ioctl goes to, and what is known about it. */
enum ctxclass { CC_OWN, CC_FOREIGN, CC_NOTCTX, CC_BADFD, CC_UNKNOWN };
int pick_ctx(struct thread *t, enum ctxclass *cc);
/*
 * The errnos an ioctl on a context of class cc may give, when the
 * argument itself would give those in exp.
 */
emask_t on_ctx(enum ctxclass cc, emask_t exp);
/* Check an ioctl's outcome (ret, errno) against exp, count it. */
bool check(struct thread *t, enum op op, int ret, emask_t exp);
/* An unreadable structure: EFAULT before anything else. */
bool place_exp(enum place pl, emask_t *exp);

/* call.c */
int call_door(struct thread *t, int fd, bool lib);
int pick_call_fd(struct thread *t, enum fdclass *fc);

/* ops.c */
void op_create(struct thread *t, bool lib);
void op_info(struct thread *t);
void op_revoke(struct thread *t, bool lib);
void op_bind(struct thread *t, bool lib);
void op_ucred(struct thread *t, bool lib);
void op_param(struct thread *t, bool set, bool lib);
void op_attach(struct thread *t, bool detach, bool lib);
void op_badcmd(struct thread *t);
void op_return(struct thread *t);

/* procs.c */
void client_op(struct thread *t);
void children_reap(struct thread *t, bool kill_one, bool all);

/* serve.c */
#define REQ_MAGIC	0x3146524551524f44ull	/* "DORQERF1" */
enum action {
	ACT_REPLY, ACT_ABORT, ACT_EXIT_THREAD, ACT_EXIT_PROC, ACT_SPIN,
	ACT_NESTED, ACT_UCRED, ACT_INFO, NACT,
};
struct req {
	uint64_t magic;
	uint64_t nonce;
	uint64_t size;			/* data_size the client passed */
	uint32_t action;
	uint32_t reply_size;
	uint32_t reply_ndesc;
	int32_t pid;			/* the client's */
	uint32_t uid;			/* its euid */
	uint32_t pad;
};
#define PROC_MARK	0xd00f0000ull
#define ARGS_SALT	0x5a5a5a5a5a5a5a5aull
void *server_thread(void *arg);
void serve_return_op(struct thread *t);
void request_noresults(struct req *req, char *buf);
void lib_procedure(void *cookie, char *argp, size_t size,
		   door_desc_t *dp, unsigned int ndesc);
int request_build(struct thread *t, char *buf, size_t size,
		  struct req *req);

#endif
