/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Solaris doors for Linux: internal definitions.
 *
 * Objects
 *   door_ctx     one per open of /dev/doors; libdoor opens one per process.
 *                It owns the process's server pool: the parked server
 *                threads, the door_thread records, the doors it created.
 *   door         a door, referenced by door files (all opened on one dentry
 *                and inode of the module's pseudo file system).
 *   door_thread  a server thread of a context: where it parks, the call it
 *                is serving, the argument mapping made for that call.
 *   door_call    one invocation, on the calling thread's kernel stack.
 *
 * Locking
 *   door_ctx.lock (spinlock) protects everything in the context: the pool
 *   (parked, nparked), the thread hash, every door's revoked/active state,
 *   and the hand-off fields of calls served by the context: door_call.state,
 *   .busy, .copying, .abandoned, .error and door_thread.call.
 *   door_attach_lock (mutex) protects the attachment table and the files
 *   open on attached names; it is never taken under a door_ctx.lock, and
 *   is taken before a door_ctx.lock and the fsnotify group's mark_mutex.
 *   fd_install() runs under door_ctx.lock (a table being resized:
 *   files->file_lock inside).
 *   No other mm's mmap_lock is held while touching our own user memory
 *   (see door_copy_mm()).
 *
 * Lifetime
 *   A door file holds a reference on its door; a door holds a reference on
 *   its context; the context file holds one more.  A call holds the door
 *   file for its duration.  An attachment holds the door file and the path.
 *   Every file holds the module, so rmmod waits for all of them.
 *
 *   A call record lives on the caller's stack.  Whoever sets busy (the
 *   caller when dispatching, the server while it copies out of or into the
 *   call) owns the record's buffers; the caller never leaves while busy is
 *   set, so the server may read the caller's stack and mm.  The exception
 *   is copying: while the server copies between the caller's memory and
 *   its own (a copy a peer can make last: userfaultfd, FUSE), it holds the
 *   caller's mm (mmget) and leaves the record alone, and a caller killed
 *   meanwhile detaches the call and leaves; the server finds door_thread.call
 *   changed when it is done.  Once the state is DONE the server never
 *   touches the record again.  Large results (REPLIED) wait in the
 *   server's memory while the caller copies them out, holding the server's
 *   mm; a server thread killed meanwhile clears door_call.server and goes.
 */
#ifndef _DOORS_INTERNAL_H
#define _DOORS_INTERNAL_H

#include <linux/hashtable.h>
#include <linux/kref.h>
#include <linux/sizes.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include "../uapi/linux/doors.h"
#include "yield.h"

/* Arguments and results up to this size travel inside the call record. */
#define DOOR_INLINE_MAX		512
/* Descriptors per call or return (illumos door_max_desc). */
#define DOOR_MAX_DESC		1024
/* An argument region larger than this goes with its call (call.c). */
#define DOOR_ARGMAP_KEEP	SZ_1M
#define DOOR_FILES_INLINE	4

/* Files passed with a call or its results, owned by the call record. */
struct door_files {
	struct file **files;
	unsigned int n;
	struct file *inl[DOOR_FILES_INLINE];
	struct door_udesc *desc;	/* the sender's array */
	u32 ndesc;
};

/* Server threads parked ready to serve: a process's, or a private door's. */
struct door_pool {
	struct hlist_head parked;	/* door_thread.park, most recent first */
	unsigned int nparked;
	wait_queue_head_t wait;		/* callers waiting for a parked thread */
	struct list_head unref;		/* door.unref_node: waiting for a thread */
};

#define DOOR_UNREF_ANY	(DOOR_UNREF | DOOR_UNREF_MULTI)

enum door_unref_state {
	DOOR_UNREF_IDLE,		/* armed */
	DOOR_UNREF_PENDING,		/* queued, holds a door reference */
	DOOR_UNREF_ACTIVE,		/* a server thread runs it */
	DOOR_UNREF_DONE,		/* DOOR_UNREF: delivered once */
};

struct door_ctx {
	spinlock_t lock;
	struct kref ref;
	struct pid *owner;		/* thread group that opened it */
	u64 exec_id;			/* ... and the program it ran then */
	struct door_user *user;		/* charged for its doors and calls */
	bool dead;			/* its file is released */
	struct door_pool pool;		/* for doors without DOOR_PRIVATE */
	struct list_head doors;		/* door.node */
	unsigned int ndoors;
	DECLARE_HASHTABLE(threads, 4);	/* door_thread.hnode, by pid */
};

/* 192 bytes (kmalloc-192): keep the holes out when adding fields. */
struct door {
	struct kref ref;
	u32 attributes;
	struct door_ctx *ctx;
	struct list_head node;		/* in ctx->doors */
	struct file *file;		/* its file, until released */
	u64 proc;
	u64 cookie;
	u64 id;
	bool revoked;
	bool unref_dropped;		/* a descriptor went since queued */
	struct door_yield_hint yield;	/* callers' to its server threads */
	unsigned int active;		/* calls dispatched, not finished */
	unsigned int nbound;		/* threads bound to it */
	u32 desc_max;
	u64 data_min;
	u64 data_max;
	enum door_unref_state unref_state;
	unsigned int transient;		/* file references of door_file_get() */
	int open_refs;			/* files open on an attached name */
	struct list_head unref_node;	/* in door_pool(door)->unref */
	struct door_pool pool;		/* DOOR_PRIVATE: its bound threads */
};

/*
 * Whether the current thread is of the process that opened @ctx, and runs
 * the program that did: after an exec, a context kept open (no O_CLOEXEC)
 * serves nothing, since its thread records describe the old image.
 */
static inline bool door_ctx_owned(struct door_ctx *ctx)
{
	return ctx->owner == task_tgid(current) &&
	       ctx->exec_id == current->self_exec_id;
}

static inline struct door_pool *door_pool(struct door *door)
{
	return door->attributes & DOOR_PRIVATE ? &door->pool : &door->ctx->pool;
}

struct door_thread {
	struct hlist_node hnode;	/* in ctx->threads, RCU */
	struct rcu_head rcu;
	struct hlist_node park;		/* in pool->parked */
	struct pid *pid;
	struct task_struct *task;	/* only used while in our ioctls */
	struct door_call *call;		/* call being served, or NULL */
	struct door *bound;		/* door_bind(), holds a reference */
	struct door *unref;		/* unref invocation being served */
	unsigned int nservers;		/* pool->nparked when it was woken */
	bool spin;			/* last caller ran elsewhere: spin */
	struct door_yield_hint yield;	/* its own, to its callers */
	int cancel_signal;		/* for abandoned calls, or 0 */
	unsigned long argmap;		/* argument mapping to unmap */
	size_t argmap_len;
};

enum door_call_state {
	DOOR_CALL_ACTIVE,		/* a server thread has it */
	DOOR_CALL_REPLIED,		/* results not fitting rbuf wait */
	DOOR_CALL_DONE,			/* error and inline results are final */
};

struct door_call {
	struct task_struct *caller;
	const struct cred *cred;	/* the caller's, stable while it waits */
	struct pid *tgid;
	struct mm_struct *mm;
	struct door *door;
	struct door_thread *server;
	enum door_call_state state;
	bool busy;
	bool copying;			/* busy, but the caller may die */
	bool abandoned;
	bool noresults;			/* door_call(d, NULL) */
	bool placed;			/* results are in rbuf already */
	int error;
	u64 data_ptr;			/* arguments, in the caller */
	u64 data_size;
	u64 rbuf;			/* the caller's results buffer */
	u64 rsize;
	u64 res_addr;			/* large results, in the server */
	u64 res_size;
	struct mm_struct *res_mm;
	struct door_files afiles;	/* passed with the arguments */
	struct door_files rfiles;	/* passed with the results */
	u8 inl[DOOR_INLINE_MAX];
};

/* door.c */
extern const struct file_operations door_fops;
int door_fs_init(void);
void door_fs_exit(void);
long door_create(struct door_ctx *ctx, struct door_create_args __user *uarg);
long door_info(struct door_ctx *ctx, struct door_info_args __user *uarg);
long door_revoke(struct door_fd_args __user *uarg);
long door_getparam(struct door_param_args __user *uarg);
long door_setparam(struct door_param_args __user *uarg);
struct file *door_file_get(struct file *file);
struct file *door_fget(int fd);
struct file *door_fget_args(struct door_fd_args __user *uarg,
			    struct door_fd_args *args);
void door_put(struct door *door);
void door_pool_init(struct door_pool *pool);
void door_ctx_put(struct door_ctx *ctx);
void door_ctx_revoke_all(struct door_ctx *ctx);

/* thread.c */
struct door_thread *door_thread_new(struct door_ctx *ctx);

/*
 * The calling thread's record in @ctx, or NULL.  Only the thread itself
 * (or the release of the context, when no ioctl runs) removes it, so it
 * stays valid for the rest of the ioctl; other threads' records come and
 * go under RCU (an rcu_read_lock_sched() section: inline, see call.c).
 * Inline, as door_thread_get(): DOOR_IOC_RETURN looks it up every time.
 */
static inline struct door_thread *door_thread_find(struct door_ctx *ctx)
{
	struct pid *pid = task_pid(current);
	struct door_thread *t, *found = NULL;

	rcu_read_lock_sched();
	hash_for_each_possible_rcu(ctx->threads, t, hnode, (unsigned long)pid)
		if (t->pid == pid) {
			found = t;
			break;
		}
	rcu_read_unlock_sched();
	return found;
}

/* The calling thread's record, made on first use; ctx is ours. */
static inline struct door_thread *door_thread_get(struct door_ctx *ctx)
{
	return door_thread_find(ctx) ?: door_thread_new(ctx);
}

void door_thread_free(struct door_ctx *ctx, struct door_thread *t);
long door_bind(struct door_ctx *ctx, struct door_fd_args __user *uarg);
long door_bind_id(struct door_ctx *ctx, struct door_id_args __user *uarg);
long door_unbind(struct door_ctx *ctx);
long door_ucred(struct door_ctx *ctx, struct door_ucred_args __user *uarg);

/* call.c */
long door_call(struct door_call_args __user *uarg);
long door_return(struct door_ctx *ctx, struct door_return_args __user *uarg);
void door_ctx_abort_calls(struct door_ctx *ctx);

/* desc.c */
static inline void door_files_init(struct door_files *df)
{
	df->files = df->inl;
	df->n = 0;
	df->desc = NULL;
}

void door_files_put(struct door_files *df);
int door_files_get(struct door_files *df, u64 uptr, u32 n);
void door_files_close_released(struct door_files *df, int error);
struct door_udesc *door_files_reserve(struct door_files *df, u64 uptr);
void door_files_commit(struct door_files *df, const struct door_udesc *desc);
void door_files_unreserve(struct door_udesc *desc, unsigned int n);
int door_files_release(u64 uptr, u32 n);

/* unref.c */
bool door_is_unref(struct door *door);
void door_unref_closing(struct file *file);
void door_unref_done(struct door_ctx *ctx, struct door_thread *t);
void door_transient_get(struct door *door);
void door_fput(struct file *file);
void door_drop(struct file *file);
void door_open_refs(struct door *door, int delta);

/* limits.c */
enum door_limit {
	DOOR_LIMIT_DOORS,		/* doors of contexts it opened */
	DOOR_LIMIT_THREADS,		/* records of their server threads */
	DOOR_LIMIT_CALLS,		/* calls in progress through them */
	DOOR_NLIMITS
};

struct door_user *door_user_get(void);
void door_user_put(struct door_user *u);
bool door_user_charge(struct door_user *u, enum door_limit limit);
void door_user_uncharge(struct door_user *u, enum door_limit limit);

/* copy.c */
long door_copy_mm(struct mm_struct *mm, unsigned long addr,
		  void __user *ubuf, size_t len, bool write);
unsigned long door_map_anon(size_t len);

/* objects.c: live objects of each kind, for debugfs and a check at exit */
enum door_object {
	DOOR_OBJ_CONTEXTS,
	DOOR_OBJ_DOORS,
	DOOR_OBJ_THREADS,
	DOOR_OBJ_USERS,
	DOOR_OBJ_ATTACHMENTS,
	DOOR_OBJ_OPENS,
	DOOR_OBJ_UNREF_CHECKS,
	DOOR_NOBJECTS
};

extern atomic_long_t door_objects[DOOR_NOBJECTS];

static inline void door_object_new(enum door_object o)
{
	atomic_long_inc(&door_objects[o]);
}

static inline void door_object_gone(enum door_object o, long n)
{
	atomic_long_sub(n, &door_objects[o]);
}

void door_objects_init(void);
void door_objects_exit(void);

/* attach.c */
int door_attach_init(void);
void door_attach_exit(void);
long door_fattach(struct door_attach_args __user *uarg);
long door_fdetach(struct door_attach_args __user *uarg);
struct file *door_attached_fget(struct file *file);

#endif /* _DOORS_INTERNAL_H */
