// SPDX-License-Identifier: GPL-2.0
/*
 * doorfault: every fault point of each door operation, failed in turn.
 *
 * For each case (an operation of the module: opening a context, creating
 * a door, calls with small, large and descriptor-laden arguments and
 * results, a server's return, binding, attaching, detaching...) and for
 * n = 1, 2, ...: set the case up, write n to /proc/thread-self/fail-nth
 * (the nth fault point the thread passes fails: a slab or page
 * allocation, a copy from or to user space), run the operation, read
 * fail-nth back (0: a fault was injected), check the outcome, tear the
 * case down and check that nothing leaked: descriptors, anonymous
 * mappings, the module's references, door files and contexts.  The
 * first n that the operation does not reach ends the case: each of its
 * fault points has failed once.
 *
 * An operation in which a fault was injected must succeed with the right
 * results, or fail with one of its errnos (Documentation/abi.rst), ENOMEM
 * or EFAULT; DOOR_RELEASE descriptors passed to a call must be closed
 * unless it failed with EFAULT or EBADF before the server had it; and the
 * module must work as before afterwards.  Needs a kernel with CONFIG_FAULT_INJECTION (the
 * debug kernel); slab and page allocations fail only if debugfs's
 * failslab and fail_page_alloc have ignore-gfp-wait set to N.
 *
 *   doorfault [--list] [--verbose] [CASE...]
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/doors.h>

#include "util.h"

#define MAX_N		2000		/* a case with more points is broken */
#define LARGE_ARGS	(100 << 10)
#define LARGE_RES	(300 << 10)
#define BUF_SIZE	(512 << 10)
#define HIGH_FD		900		/* DOOR_RELEASE duplicates live here */
#define TARGET		"/tmp/doorfault-target"

/* What a server thread answers: the first bytes of a call's arguments. */
struct sreq {
	uint64_t nonce;
	uint32_t reply;			/* bytes of results */
	uint32_t ndesc;			/* descriptors in the results */
	uint32_t arm;			/* fail-nth for the return, or 0 */
	uint32_t exit;			/* answer, then the thread exits */
};

/* A server thread and what it saw. */
struct server {
	int ctx;
	size_t buf_size;		/* of its receive buffer */
	char *buf, *reply;
	_Atomic int injected, err, armed, bad;
	_Atomic unsigned int unrefs, calls;
};

static struct {
	int ctx;			/* our context */
	int door;			/* a plain door, served by srv */
	int null;
	int pipe[2];
	char *args, *rbuf;
	char *sbufs;			/* receive buffers and replies */
	struct server srv;
} fx;

static int main_failfd;
static bool verbose;
static unsigned long bad;

static void __attribute__((format(printf, 2, 3)))
problem(const char *name, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	bad++;
	if (bad <= 50)
		say("FAIL: %s: %s", name, buf);
}

/* fail-nth of the calling thread, through its open file. */
static int failnth_open(void)
{
	int fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		say("/proc/thread-self/fail-nth: %s (no CONFIG_FAULT_INJECTION?)",
		    strerror(errno));
		exit(2);
	}
	return fd;
}

static void arm(int fd, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(fd, buf, len, 0) != len) {
		say("arming fail-nth: %s", strerror(errno));
		exit(2);
	}
}

/*
 * Whether the fault was injected; disarms.  Reading copies to user
 * space, which counts as a point: with 1 left, the read itself fails.
 */
static bool disarm(int fd)
{
	char buf[16];
	ssize_t len = pread(fd, buf, sizeof(buf) - 1, 0);
	bool injected = false;

	if (len > 0) {
		buf[len] = 0;
		injected = strtoul(buf, NULL, 10) == 0;
	}
	if (pwrite(fd, "0", 1, 0) != 1 && errno != EFAULT) {
		say("disarming fail-nth: %s", strerror(errno));
		exit(2);
	}
	return injected;
}

/*
 * Threads of our own are given their stacks: glibc keeps the stacks it
 * maps for a later thread, which would count as a leak here.
 */
#define STACK_SIZE	(256 << 10)

static int thread_start(pthread_t *th, void *(*fn)(void *), void *arg,
			int slot)
{
	static char stacks[4][STACK_SIZE] __attribute__((aligned(4096)));
	pthread_attr_t attr;
	int ret;

	pthread_attr_init(&attr);
	pthread_attr_setstack(&attr, stacks[slot], STACK_SIZE);
	ret = pthread_create(th, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	return ret;
}

/* A server thread: answers requests, arming its return when asked. */
static void *server_main(void *arg)
{
	struct server *s = arg;
	struct door_return_args a = { 0 };
	struct door_udesc d[4];
	int failfd = failnth_open();
	bool exiting = false;
	unsigned int i;

	for (;;) {
		const struct door_invocation *inv = &a.inv;
		bool armed = false;
		struct sreq q;
		int ret;

		a.buf = (uint64_t)(uintptr_t)s->buf;
		a.buf_size = s->buf_size;
		if (exiting)
			a.flags = DOOR_RETURN_EXIT;
		if (atomic_load(&s->armed)) {
			arm(failfd, atomic_load(&s->armed));
			atomic_store(&s->armed, 0);
			armed = true;
		}
		ret = ioctl(s->ctx, DOOR_IOC_RETURN, &a);
		if (armed) {
			int e = ret ? errno : 0;

			atomic_store(&s->injected, disarm(failfd));
			atomic_store(&s->err, e);
			errno = e;
		}
		if (exiting) {
			if (ret)
				atomic_fetch_add(&s->bad, 1);
			close(failfd);
			return NULL;
		}
		if (ret) {
			/*
			 * A fault while delivering (we still hold the call:
			 * give the same results again) or while taking the
			 * next call (it failed for its client).
			 */
			if (errno != EINTR && !armed)
				atomic_fetch_add(&s->bad, 1);
			continue;
		}
		for (i = 0; i < inv->desc_num; i++)
			close(((struct door_udesc *)(uintptr_t)
			       inv->desc_ptr)[i].d_descriptor);
		memset(&a, 0, offsetof(struct door_return_args, inv));
		if (inv->data_ptr == DOOR_UNREF_DATA_PTR) {
			atomic_fetch_add(&s->unrefs, 1);
			continue;
		}
		if (inv->data_size < sizeof(q))
			continue;
		memcpy(&q, (void *)(uintptr_t)inv->data_ptr, sizeof(q));
		atomic_fetch_add(&s->calls, 1);
		if (q.reply > BUF_SIZE || q.ndesc > 4) {
			atomic_fetch_add(&s->bad, 1);
			continue;
		}
		pattern_fill(s->reply, q.reply, q.nonce);
		a.data_ptr = (uint64_t)(uintptr_t)s->reply;
		a.data_size = q.reply;
		for (i = 0; i < q.ndesc; i++) {
			memset(&d[i], 0, sizeof(d[i]));
			d[i].d_attributes = DOOR_DESCRIPTOR;
			d[i].d_descriptor = fx.null;
		}
		a.desc_ptr = (uint64_t)(uintptr_t)d;
		a.desc_num = q.ndesc;
		if (q.arm)
			atomic_store(&s->armed, q.arm);
		exiting = q.exit;
	}
	return NULL;
}

static int server_start(struct server *s, int ctx, size_t buf_size,
			pthread_t *th, int slot)
{
	memset(s, 0, sizeof(*s));
	s->ctx = ctx;
	s->buf_size = buf_size;
	s->buf = fx.sbufs + 2 * slot * BUF_SIZE;
	s->reply = s->buf + BUF_SIZE;
	return thread_start(th, server_main, s, slot);
}

/*
 * A call of fd with size bytes of arguments (a request, then a pattern)
 * and results of reply bytes and ndesc descriptors, into rbuf of rsize.
 * Returns 0 or an errno; EPROTO when the results are wrong.  Descriptors
 * received are closed, a mapping made for the results unmapped.
 */
static int call_ctx(int ctx, int fd, size_t size, uint32_t reply,
		    uint32_t ndesc, struct door_udesc *desc, uint32_t desc_num,
		    size_t rsize, uint32_t arm_server, uint32_t exit,
		    int failfd, unsigned int n, bool *injected)
{
	static uint64_t nonce;
	struct sreq q = { ++nonce, reply, ndesc, arm_server, exit };
	struct door_call_args a = { .fd = fd };
	const struct door_udesc *d;
	int ret = 0;
	uint32_t i;

	memcpy(fx.args, &q, sizeof(q));
	pattern_fill(fx.args + sizeof(q), size - sizeof(q), q.nonce ^ 1);
	a.data_ptr = (uint64_t)(uintptr_t)fx.args;
	a.data_size = size;
	a.desc_ptr = (uint64_t)(uintptr_t)desc;
	a.desc_num = desc_num;
	a.rbuf = (uint64_t)(uintptr_t)fx.rbuf;
	a.rsize = rsize;
	if (failfd >= 0)
		arm(failfd, n);
	if (ioctl(ctx, DOOR_IOC_CALL, &a))
		ret = errno;
	if (failfd >= 0)
		*injected = disarm(failfd);
	if (ret)
		return ret;
	if (a.data_size != reply || a.desc_num != ndesc ||
	    pattern_check((void *)(uintptr_t)a.data_ptr, reply, q.nonce) !=
	    reply)
		ret = EPROTO;
	d = (const void *)(uintptr_t)a.desc_ptr;
	for (i = 0; i < a.desc_num; i++)
		if (close(d[i].d_descriptor))
			ret = EPROTO;
	if (a.rbuf != (uint64_t)(uintptr_t)fx.rbuf &&
	    munmap((void *)(uintptr_t)a.rbuf, a.rsize))
		ret = EPROTO;
	return ret;
}

static int call(int fd, size_t size, uint32_t reply, uint32_t ndesc,
		struct door_udesc *desc, uint32_t desc_num, size_t rsize,
		uint32_t arm_server, int failfd, unsigned int n,
		bool *injected)
{
	return call_ctx(fx.ctx, fd, size, reply, ndesc, desc, desc_num, rsize,
			arm_server, 0, failfd, n, injected);
}

/* A call that must work, unarmed. */
static bool call_ok(const char *name, int fd)
{
	bool unused;
	int ret = call(fd, 64, 64, 0, NULL, 0, 4096, 0, -1, 0, &unused);

	if (ret)
		problem(name, "a call afterwards: %s", errname(ret));
	return !ret;
}

/*
 * The cases.  run() does the operation with fail-nth armed at n and
 * says whether a fault was injected; it checks what it can itself and
 * returns the errno, which main checks against allowed (plus ENOMEM and
 * EFAULT when injected).  Everything is torn down before it returns.
 */
struct fcase {
	const char *name;
	const char *what;
	emask_t allowed;
	int (*run)(const char *name, unsigned int n, bool *injected);
};

static int run_open(const char *name, unsigned int n, bool *injected)
{
	struct door_create_args c = { 0 };
	int ctx, d;

	arm(main_failfd, n);
	ctx = open("/dev/doors", O_RDWR | O_CLOEXEC);
	*injected = disarm(main_failfd);
	if (ctx < 0)
		return errno;
	d = ioctl(ctx, DOOR_IOC_CREATE, &c);
	if (d < 0)
		problem(name, "CREATE on the new context: %s", errname(errno));
	else
		close(d);
	close(ctx);
	return 0;
}

static int create(const char *name, unsigned int n, bool *injected,
		  uint32_t attributes)
{
	struct door_create_args c = { .attributes = attributes, .cookie = 7 };
	struct door_info_args i = { 0 };
	int d;

	arm(main_failfd, n);
	d = ioctl(fx.ctx, DOOR_IOC_CREATE, &c);
	*injected = disarm(main_failfd);
	if (d < 0)
		return errno;
	i.fd = d;
	if (ioctl(fx.ctx, DOOR_IOC_INFO, &i) || i.target != getpid() ||
	    i.cookie != 7 || i.id != c.id ||
	    (i.attributes & ~(DOOR_LOCAL | DOOR_IS_UNREF)) != attributes)
		problem(name, "INFO of the new door: %s, target %d cookie %llu id %llu/%llu attributes %#x",
			errname(errno), i.target, (unsigned long long)i.cookie,
			(unsigned long long)i.id, (unsigned long long)c.id,
			i.attributes);
	close(d);
	return 0;
}

static int run_create(const char *name, unsigned int n, bool *injected)
{
	return create(name, n, injected, 0);
}

static int run_create_unref(const char *name, unsigned int n,
			    bool *injected)
{
	return create(name, n, injected, DOOR_UNREF | DOOR_NO_CANCEL);
}

static int run_call(const char *name, unsigned int n, bool *injected)
{
	(void)name;
	return call(fx.door, 100, 200, 0, NULL, 0, 4096, 0, main_failfd, n,
		    injected);
}

static int run_call_large(const char *name, unsigned int n, bool *injected)
{
	(void)name;
	return call(fx.door, LARGE_ARGS, LARGE_RES, 0, NULL, 0, 4096, 0,
		    main_failfd, n, injected);
}

/*
 * Two descriptors passed, one with DOOR_RELEASE (a duplicate of a pipe
 * at a high number, so that no descriptor the server receives takes its
 * number), two received.  abi.rst: the DOOR_RELEASE descriptor stays
 * open if the call is refused with EFAULT or EBADF before the server has
 * it, and is closed after any other failure, and after any failure once
 * the server has the call (results that cannot be written: EFAULT).
 */
static int run_call_desc(const char *name, unsigned int n, bool *injected)
{
	struct door_udesc d[2] = { 0 };
	unsigned int calls = atomic_load(&fx.srv.calls);
	int rel = fcntl(fx.pipe[1], F_DUPFD_CLOEXEC, HIGH_FD), ret;
	bool open_after, served;

	if (rel < 0)
		return errno;
	d[0].d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
	d[0].d_descriptor = rel;
	d[1].d_attributes = DOOR_DESCRIPTOR;
	d[1].d_descriptor = fx.null;
	ret = call(fx.door, 100, 100, 2, d, 2, 4096, 0, main_failfd, n,
		   injected);
	open_after = fcntl(rel, F_GETFD) >= 0;
	served = atomic_load(&fx.srv.calls) != calls;
	if (open_after != (!served && (ret == EFAULT || ret == EBADF)))
		problem(name, "call = %s, %s the server: its DOOR_RELEASE descriptor is %s",
			ret ? errname(ret) : "ok",
			served ? "served by" : "not given to",
			open_after ? "still open" : "closed");
	if (open_after)
		close(rel);
	return ret;
}

/* More descriptors than the call record holds inline. */
static int run_call_many(const char *name, unsigned int n, bool *injected)
{
	struct door_udesc d[20] = { 0 };
	unsigned int i;

	(void)name;
	for (i = 0; i < 20; i++) {
		d[i].d_attributes = DOOR_DESCRIPTOR;
		d[i].d_descriptor = fx.null;
	}
	return call(fx.door, 64, 64, 4, d, 20, 4096, 0, main_failfd, n,
		    injected);
}

/*
 * The server's return, in a server thread of a context of its own (its
 * region for large arguments starts empty): faults while it delivers
 * results of 600 bytes with descriptors into the caller's rbuf, then
 * while it takes the next call (large arguments and a descriptor, placed
 * in a new mapping in the server: that call may fail).  abi.rst: a fault
 * while the server reads its descriptors keeps the call (the server gives
 * the results again: the call succeeds); a fault while it copies results
 * over 512 bytes into rbuf fails the call with EFAULT.  A third call,
 * after which the thread exits, makes sure the server has read fail-nth
 * back.
 */
static int run_return(const char *name, unsigned int n, bool *injected)
{
	struct door_udesc d = { .d_attributes = DOOR_DESCRIPTOR };
	struct door_create_args c = { 0 };
	struct server s;
	bool unused;
	int ctx, door, ret, ret2, err;
	pthread_t th;

	ctx = open("/dev/doors", O_RDWR | O_CLOEXEC);
	if (ctx < 0)
		return EPROTO;
	door = ioctl(ctx, DOOR_IOC_CREATE, &c);
	if (door < 0 || server_start(&s, ctx, 4096, &th, 1)) {
		close(ctx);
		return EPROTO;
	}
	d.d_descriptor = fx.null;
	ret = call_ctx(ctx, door, 64, 600, 2, NULL, 0, 4096, n, 0, -1, 0,
		       &unused);
	ret2 = call_ctx(ctx, door, LARGE_ARGS, 64, 0, &d, 1, 4096, 0, 0, -1,
			0, &unused);
	if (call_ctx(ctx, door, 64, 64, 0, NULL, 0, 4096, 0, 1, -1, 0,
		     &unused))
		problem(name, "the last call");
	pthread_join(th, NULL);
	close(door);
	close(ctx);
	*injected = atomic_load(&s.injected);
	err = atomic_load(&s.err);
	if (ret && (ret != EFAULT || !*injected))
		problem(name, "the call whose results the server returns with fail-nth %u: %s",
			n, errname(ret));
	if (err && err != ENOMEM && err != EFAULT)
		problem(name, "the server's armed DOOR_IOC_RETURN: %s",
			errname(err));
	if (atomic_load(&s.bad))
		problem(name, "the server thread failed");
	if (ret2 && !*injected)
		problem(name, "the next call failed, no fault injected: %s",
			errname(ret2));
	return ret2;
}

/* BIND in a new thread: its first ioctl, which makes its record. */
struct bind_arg {
	int door;
	int err;
	bool injected;
	unsigned int n;
};

static void *bind_main(void *arg)
{
	struct bind_arg *b = arg;
	struct door_fd_args f = { .fd = b->door };
	struct door_return_args r = { .flags = DOOR_RETURN_EXIT };
	int failfd = failnth_open();

	arm(failfd, b->n);
	b->err = ioctl(fx.ctx, DOOR_IOC_BIND, &f) ? errno : 0;
	b->injected = disarm(failfd);
	close(failfd);
	if (!b->err && ioctl(fx.ctx, DOOR_IOC_UNBIND, 0))
		b->err = EPROTO;
	if (ioctl(fx.ctx, DOOR_IOC_RETURN, &r))
		b->err = EPROTO;
	return NULL;
}

static int run_bind(const char *name, unsigned int n, bool *injected)
{
	struct door_create_args c = { .attributes = DOOR_PRIVATE };
	struct bind_arg b = { .n = n };
	pthread_t th;

	b.door = ioctl(fx.ctx, DOOR_IOC_CREATE, &c);
	if (b.door < 0)
		return errno;
	if (thread_start(&th, bind_main, &b, 2))
		return EAGAIN;
	pthread_join(th, NULL);
	close(b.door);
	*injected = b.injected;
	if (b.err == EPROTO)
		problem(name, "UNBIND or RETURN(DOOR_RETURN_EXIT) after BIND");
	return b.err;
}

/*
 * A new server thread's first DOOR_IOC_RETURN (its record, its park) on
 * a context of its own, and the call it then takes.
 */
struct first_arg {
	int ctx;
	unsigned int n;
	int err;
	bool injected;
	_Atomic int done;
};

static void *first_main(void *arg)
{
	static char buf[4096];
	struct first_arg *f = arg;
	struct door_return_args r = { 0 };
	int failfd = failnth_open();

	r.buf = (uint64_t)(uintptr_t)buf;
	r.buf_size = sizeof(buf);
	arm(failfd, f->n);
	f->err = ioctl(f->ctx, DOOR_IOC_RETURN, &r) ? errno : 0;
	f->injected = disarm(failfd);
	close(failfd);
	atomic_store(&f->done, 1);
	memset(&r, 0, sizeof(r));
	r.flags = DOOR_RETURN_EXIT;
	ioctl(f->ctx, DOOR_IOC_RETURN, &r);
	return NULL;
}

static int run_first_return(const char *name, unsigned int n,
			    bool *injected)
{
	struct door_create_args c = { 0 };
	struct first_arg f = { .n = n };
	struct door_call_args a = { 0 };
	pthread_t th;
	int d, ret = 0;

	f.ctx = open("/dev/doors", O_RDWR | O_CLOEXEC);
	if (f.ctx < 0)
		return errno;
	d = ioctl(f.ctx, DOOR_IOC_CREATE, &c);
	if (d < 0 || thread_start(&th, first_main, &f, 2)) {
		close(f.ctx);
		return EPROTO;
	}
	/* until it is parked, or has given up */
	for (;;) {
		struct door_info_args i = { .fd = d };

		if (atomic_load(&f.done))
			break;
		if (!ioctl(f.ctx, DOOR_IOC_INFO, &i) && i.nparked)
			break;
		sched_yield();
	}
	if (!atomic_load(&f.done)) {
		a.fd = d;
		if (ioctl(f.ctx, DOOR_IOC_CALL, &a))
			ret = errno;
	}
	pthread_join(th, NULL);
	close(d);
	close(f.ctx);
	*injected = f.injected;
	if (ret && ret != EINTR && ret != ENOMEM)
		problem(name, "the call the thread took: %s", errname(ret));
	return f.err ? f.err : ret;
}

static int attach(unsigned long cmd, int fd, int failfd, unsigned int n,
		  bool *injected)
{
	struct door_attach_args a = {
		.fd = fd,
		.path = (uint64_t)(uintptr_t)TARGET,
	};
	int ret;

	if (failfd >= 0)
		arm(failfd, n);
	ret = ioctl(fx.ctx, cmd, &a) ? errno : 0;
	if (failfd >= 0)
		*injected = disarm(failfd);
	return ret;
}

static int run_attach(const char *name, unsigned int n, bool *injected)
{
	int ret = attach(DOOR_IOC_FATTACH, fx.door, main_failfd, n, injected);
	int fd;

	if (ret)
		return ret;
	fd = open(TARGET, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !call_ok(name, fd))
		problem(name, "calling through the attached file");
	if (fd >= 0)
		close(fd);
	if (attach(DOOR_IOC_FDETACH, -1, -1, 0, NULL))
		problem(name, "FDETACH after it");
	return 0;
}

static int run_detach(const char *name, unsigned int n, bool *injected)
{
	int ret;

	if (attach(DOOR_IOC_FATTACH, fx.door, -1, 0, NULL)) {
		problem(name, "FATTACH");
		return 0;
	}
	ret = attach(DOOR_IOC_FDETACH, -1, main_failfd, n, injected);
	if (ret && attach(DOOR_IOC_FDETACH, -1, -1, 0, NULL))
		problem(name, "FDETACH again after %s", errname(ret));
	if (!ret && attach(DOOR_IOC_FDETACH, -1, -1, 0, NULL) != EINVAL)
		problem(name, "a second FDETACH did not fail with EINVAL");
	return ret;
}

/*
 * open() of a file a DOOR_UNREF door is attached to, with no descriptor
 * of the door left: the open counts as a reference (memory for it may
 * fail), its close drops it.  Detaching then leaves no reference: one
 * unreferenced invocation, in all, must come before a call that follows.
 */
static int run_open_attached(const char *name, unsigned int n,
			     bool *injected)
{
	struct door_create_args c = { .attributes = DOOR_UNREF };
	unsigned int before = atomic_load(&fx.srv.unrefs), got;
	int d, fd, ret = 0;

	d = ioctl(fx.ctx, DOOR_IOC_CREATE, &c);
	if (d < 0)
		return errno;
	if (attach(DOOR_IOC_FATTACH, d, -1, 0, NULL)) {
		problem(name, "FATTACH");
		close(d);
		return 0;
	}
	close(d);
	arm(main_failfd, n);
	fd = open(TARGET, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		ret = errno;
	*injected = disarm(main_failfd);
	if (fd >= 0 && !call_ok(name, fd))
		problem(name, "calling through the file opened");
	if (fd >= 0)
		close(fd);
	if (attach(DOOR_IOC_FDETACH, -1, -1, 0, NULL))
		problem(name, "FDETACH");
	call_ok(name, fx.door);
	got = atomic_load(&fx.srv.unrefs) - before;
	if (got != 1)
		problem(name, "%u unreferenced invocations, expected 1", got);
	return ret;
}

/*
 * close() of one of two descriptors of a DOOR_UNREF door: the door is
 * down to one reference, and its unreferenced invocation must be
 * delivered before a call that follows (it goes to the same thread).
 */
static int run_close_unref(const char *name, unsigned int n,
			   bool *injected)
{
	struct door_create_args c = { .attributes = DOOR_UNREF };
	unsigned int before = atomic_load(&fx.srv.unrefs), got;
	int d, d2;

	d = ioctl(fx.ctx, DOOR_IOC_CREATE, &c);
	if (d < 0)
		return errno;
	d2 = dup(d);
	arm(main_failfd, n);
	close(d2);
	*injected = disarm(main_failfd);
	call_ok(name, fx.door);
	got = atomic_load(&fx.srv.unrefs) - before;
	if (got != 1)
		problem(name, "%u unreferenced invocations, expected 1", got);
	close(d);
	return 0;
}

static int run_info(const char *name, unsigned int n, bool *injected)
{
	struct door_info_args i = { .fd = fx.door };
	int ret;

	arm(main_failfd, n);
	ret = ioctl(fx.ctx, DOOR_IOC_INFO, &i) ? errno : 0;
	*injected = disarm(main_failfd);
	if (!ret && i.target != getpid())
		problem(name, "INFO: target %d", i.target);
	return ret;
}

static int run_param(const char *name, unsigned int n, bool *injected)
{
	struct door_param_args p = {
		.fd = fx.door,
		.param = DOOR_PARAM_DATA_MAX,
		.value = 1 << 20,
	};
	int ret;

	arm(main_failfd, n);
	ret = ioctl(fx.ctx, DOOR_IOC_SETPARAM, &p) ? errno : 0;
	*injected = disarm(main_failfd);
	p.value = 0;
	if (ioctl(fx.ctx, DOOR_IOC_GETPARAM, &p) ||
	    (!ret && p.value != 1 << 20))
		problem(name, "GETPARAM after SETPARAM: %llu",
			(unsigned long long)p.value);
	p.value = UINT64_MAX;
	if (ioctl(fx.ctx, DOOR_IOC_SETPARAM, &p))
		problem(name, "SETPARAM back: %s", errname(errno));
	return ret;
}

static int run_revoke(const char *name, unsigned int n, bool *injected)
{
	struct door_create_args c = { 0 };
	struct door_fd_args f = { 0 };
	int ret;

	f.fd = ioctl(fx.ctx, DOOR_IOC_CREATE, &c);
	if (f.fd < 0)
		return errno;
	arm(main_failfd, n);
	ret = ioctl(fx.ctx, DOOR_IOC_REVOKE, &f) ? errno : 0;
	*injected = disarm(main_failfd);
	if (ret) {
		close(f.fd);
	} else if (fcntl(f.fd, F_GETFD) >= 0) {
		problem(name, "REVOKE left the descriptor open");
		close(f.fd);
	}
	return ret;
}

#define A_CALL_INJ	(EM(ENOMEM) | EM(EFAULT) | EM(EOVERFLOW) | \
			 EM(EMFILE) | EM(EINTR) | EM(E2BIG))

static const struct fcase cases[] = {
	{ "open", "open(/dev/doors)", EM(ENFILE) | EM(EMFILE), run_open },
	{ "create", "DOOR_IOC_CREATE", EM(EMFILE), run_create },
	{ "create-unref", "DOOR_IOC_CREATE(DOOR_UNREF)", EM(EMFILE),
	  run_create_unref },
	{ "call", "DOOR_IOC_CALL, small arguments and results", A_CALL_INJ,
	  run_call },
	{ "call-large", "DOOR_IOC_CALL, large arguments, results mapped",
	  A_CALL_INJ, run_call_large },
	{ "call-desc", "DOOR_IOC_CALL, descriptors both ways, DOOR_RELEASE",
	  A_CALL_INJ, run_call_desc },
	{ "call-many", "DOOR_IOC_CALL, 20 descriptors", A_CALL_INJ,
	  run_call_many },
	{ "return", "DOOR_IOC_RETURN: results with descriptors, next call",
	  A_CALL_INJ, run_return },
	{ "bind", "DOOR_IOC_BIND, a thread's first ioctl", 0, run_bind },
	{ "first-return", "DOOR_IOC_RETURN, a thread's first", EM(EINTR),
	  run_first_return },
	{ "attach", "DOOR_IOC_FATTACH", 0, run_attach },
	{ "detach", "DOOR_IOC_FDETACH", 0, run_detach },
	{ "open-attached", "open() of a file a DOOR_UNREF door is attached to",
	  EM(ENFILE), run_open_attached },
	{ "close-unref", "close() of a DOOR_UNREF door's descriptor", 0,
	  run_close_unref },
	{ "info", "DOOR_IOC_INFO", 0, run_info },
	{ "param", "DOOR_IOC_SETPARAM", 0, run_param },
	{ "revoke", "DOOR_IOC_REVOKE", 0, run_revoke },
};

struct snapshot {
	int fds;
	long anon, refs, doors, contexts;
	struct door_objects objects;
};

/* Now, or (@before) once the module's objects had time to come back. */
static void snap(struct snapshot *s, const struct snapshot *before)
{
	s->fds = fd_count();
	s->anon = anon_bytes();
	s->refs = module_refcnt();
	door_files_count(&s->doors, &s->contexts);
	if (before)
		door_objects_settled(&before->objects, &s->objects);
	else
		door_objects(&s->objects);
}

static bool leaked(const char *name, unsigned int n,
		   const struct snapshot *a)
{
	struct snapshot b;
	char objects[256];

	snap(&b, a);
	if (a->fds == b.fds && a->anon == b.anon && a->refs == b.refs &&
	    a->doors == b.doors && a->contexts == b.contexts &&
	    !door_objects_grown(&a->objects, &b.objects, objects,
				sizeof(objects)))
		return false;
	problem(name, "fail-nth %u: descriptors %d -> %d, anonymous bytes %ld -> %ld, module references %ld -> %ld, door files %ld -> %ld, contexts %ld -> %ld, module objects grown: %s",
		n, a->fds, b.fds, a->anon, b.anon, a->refs, b.refs, a->doors,
		b.doors, a->contexts, b.contexts, objects);
	return true;
}

static int run_case(const struct fcase *c, unsigned long *faults)
{
	unsigned long nerr[128] = { 0 }, injected_n = 0, ok = 0;
	unsigned long before = bad;
	char line[512];
	unsigned int n;
	int off, e;

	for (n = 1; n <= MAX_N; n++) {
		struct snapshot s;
		bool injected = false;
		int ret;

		snap(&s, NULL);
		ret = c->run(c->name, n, &injected);
		if (leaked(c->name, n, &s))
			break;
		if (!injected) {
			/* fewer points than n: the operation went through */
			if (ret)
				problem(c->name, "fail-nth %u not reached, yet %s",
					n, errname(ret));
			break;
		}
		injected_n++;
		if (!ret)
			ok++;
		else if (ret > 0 && ret < 128)
			nerr[ret]++;
		if (ret && !emask_has(c->allowed | EM(ENOMEM) | EM(EFAULT),
				      ret))
			problem(c->name, "fail-nth %u: %s", n, errname(ret));
		if (verbose)
			printf("  %s fail-nth %u: %s\n", c->name, n,
			       ret ? errname(ret) : "ok");
		if (!call_ok(c->name, fx.door) || atomic_load(&fx.srv.bad))
			break;
	}
	if (n > MAX_N)
		problem(c->name, "more than %d fault points", MAX_N);
	*faults += injected_n;
	off = snprintf(line, sizeof(line), "case %s: %lu faults injected: %lu ok",
		       c->name, injected_n, ok);
	for (e = 1; e < 128; e++)
		if (nerr[e])
			off += snprintf(line + off, sizeof(line) - off,
					", %lu %s", nerr[e], errname(e));
	printf("%s; %s\n", line, bad == before ? "ok" : "FAIL");
	fflush(stdout);
	return bad != before;
}

static void setup(void)
{
	struct door_create_args c = { 0 };
	pthread_t th;

	fx.ctx = open("/dev/doors", O_RDWR | O_CLOEXEC);
	fx.null = open("/dev/null", O_RDWR | O_CLOEXEC);
	fx.args = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	fx.rbuf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	fx.sbufs = mmap(NULL, 4 * BUF_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (fx.ctx < 0 || fx.null < 0 || pipe2(fx.pipe, O_CLOEXEC) ||
	    fx.args == MAP_FAILED || fx.rbuf == MAP_FAILED ||
	    fx.sbufs == MAP_FAILED) {
		say("setup: %s", strerror(errno));
		exit(2);
	}
	fx.door = ioctl(fx.ctx, DOOR_IOC_CREATE, &c);
	close(open(TARGET, O_CREAT | O_RDWR | O_CLOEXEC, 0644));
	main_failfd = failnth_open();
	if (fx.door < 0 || server_start(&fx.srv, fx.ctx, BUF_SIZE, &th, 0)) {
		say("setup: %s", strerror(errno));
		exit(2);
	}
	pthread_detach(th);
}

int main(int argc, char **argv)
{
	unsigned long faults = 0;
	unsigned int i;
	int j, failed = 0, ran = 0;
	double start = now();

	prog = "doorfault";
	rseq_off(argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < ARRAY_SIZE(cases); i++)
			printf("%-14s %s\n", cases[i].name, cases[i].what);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--verbose")) {
		verbose = true;
		argv++;
		argc--;
	}
	setup();
	call_ok("setup", fx.door);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (j = 1; j < argc && strcmp(argv[j], cases[i].name); j++)
			;
		if (argc > 1 && j == argc)
			continue;
		failed += run_case(&cases[i], &faults);
		ran++;
	}
	unlink(TARGET);
	if (!ran) {
		fprintf(stderr, "doorfault: no such case\n");
		return 2;
	}
	printf("doorfault: %d cases, %lu faults injected, %lu problems; %.0f s: %s\n",
	       ran, faults, bad, now() - start, bad ? "FAIL" : "ok");
	return bad ? 1 : 0;
}
