// SPDX-License-Identifier: GPL-2.0
/*
 * The server side: requests, server threads (DOOR_IOC_RETURN loops),
 * a client thread's one-off DOOR_IOC_RETURN, and the libdoor procedure
 * of chaos children.
 *
 * A client that passes at least sizeof(struct req) bytes starts them with
 * a request: a nonce, what the server should do, and the size and number
 * of descriptors of the results.  The rest of its arguments are the
 * pattern of nonce ^ ARGS_SALT.  Whatever a server does first (bad
 * pointers, bad descriptors, unknown flags, nested calls...), a call that
 * succeeds must bring back exactly the results asked for: reply_size
 * bytes of the pattern of the nonce and reply_ndesc descriptors.  The
 * server checks the arguments the same way, and that the invocation is
 * for a door of its own process.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <door.h>

#include "doorfuzz.h"

#define REQ_NORESULTS	0x1	/* req.pad: the client said DOOR_CALL_NO_RESULTS */
#define CREATE_MASK	(DOOR_UNREF | DOOR_UNREF_MULTI | DOOR_PRIVATE | \
			 DOOR_REFUSE_DESC | DOOR_NO_CANCEL | \
			 DOOR_NO_DEPLETION_CB | DOOR_PRIVCREATE)
#define DESC_AT		2048	/* result descriptors, in the scratch area */
#define GROUPS_AT	3072

static enum action pick_action(struct thread *t, bool nested)
{
	unsigned int r = rng_below(&t->rng, 100);

	if (r < 64)
		return ACT_REPLY;
	if (r < 70)
		return ACT_ABORT;
	if (r < 73)
		return ACT_EXIT_THREAD;
	if (r < 74)
		return ACT_EXIT_PROC;
	if (r < 80)
		return ACT_SPIN;
	if (r < 86)
		return nested ? ACT_REPLY : ACT_NESTED;
	if (r < 94)
		return ACT_UCRED;
	return ACT_INFO;
}

int request_build(struct thread *t, char *buf, size_t size, struct req *req)
{
	memset(req, 0, sizeof(*req));
	if (size < sizeof(*req)) {
		pattern_fill(buf, size, rng_next(&t->rng));
		return 0;
	}
	req->magic = REQ_MAGIC;
	req->nonce = rng_next(&t->rng);
	req->size = size;
	req->action = pick_action(t, t->server);
	req->reply_size = rng_pct(&t->rng, 5) ? pick_size(t, REPLY_MAX) :
		pick_size(t, 8192);
	req->reply_ndesc = rng_pct(&t->rng, 12) ? 1 + rng_below(&t->rng, 4) :
		0;
	req->pid = getpid();
	req->uid = geteuid();
	memcpy(buf, req, sizeof(*req));
	pattern_fill(buf + sizeof(*req), size - sizeof(*req),
		     req->nonce ^ ARGS_SALT);
	return 1;
}

void request_noresults(struct req *req, char *buf)
{
	req->pad |= REQ_NORESULTS;
	memcpy(buf, req, sizeof(*req));
}

/* What a server thread hands back with its next DOOR_IOC_RETURN. */
struct reply {
	uint64_t data, size;
	uint64_t desc;
	uint32_t ndesc;
	uint32_t flags;			/* DOOR_RETURN_ABORT */
	int dup[4];			/* DOOR_RELEASE duplicates */
	int ndup;
};

static void reply_reset(struct reply *r)
{
	memset(r, 0, sizeof(*r));
}

/* A descriptor this process may pass: never closed while it runs. */
static int passable_fd(struct thread *t)
{
	struct proc *p = t->p;

	if (p->anchors_own && rng_pct(&t->rng, 70))
		return p->anchor[rng_below(&t->rng, NANCHOR)];
	return p->devnull;
}

static void reply_build(struct thread *t, const struct req *req,
			struct reply *r)
{
	struct door_udesc *d = (void *)(t->a.scratch + DESC_AT);
	uint32_t i;

	reply_reset(r);
	if (req->action == ACT_ABORT) {
		r->flags = DOOR_RETURN_ABORT;
		return;
	}
	if (req->pad & REQ_NORESULTS)
		return;
	r->size = req->reply_size;
	r->data = (uint64_t)(uintptr_t)t->a.rbuf;
	pattern_fill(t->a.rbuf, r->size, req->nonce);
	r->ndesc = req->reply_ndesc;
	r->desc = (uint64_t)(uintptr_t)d;
	for (i = 0; i < r->ndesc; i++) {
		memset(&d[i], 0, sizeof(d[i]));
		d[i].d_attributes = DOOR_DESCRIPTOR;
		d[i].d_descriptor = passable_fd(t);
		if (r->ndup < 4 && rng_pct(&t->rng, 30)) {
			int fd = fcntl(d[i].d_descriptor, F_DUPFD_CLOEXEC, 0);

			if (fd >= 0) {
				d[i].d_descriptor = fd;
				d[i].d_attributes |= DOOR_RELEASE;
				r->dup[r->ndup++] = fd;
			}
		}
	}
}

/* The kernel took the DOOR_RELEASE duplicates: forget them. */
static void reply_consumed(struct reply *r)
{
	r->ndup = 0;
}

static bool proc_ours(uint64_t proc)
{
	return proc >> 32 == PROC_MARK && (pid_t)(uint32_t)proc == getpid();
}

/*
 * Check an invocation; take its descriptors into our slots; read its
 * request, if any, into req.  Returns false for an unreferenced one.
 */
static bool invocation_check(struct thread *t,
			     const struct door_invocation *inv,
			     uint64_t buf, uint64_t buf_size, struct req *req,
			     bool *have_req)
{
	struct proc *p = t->p;
	uint64_t size = inv->data_size, doff, total, dst;
	const struct door_udesc *d;
	uint32_t i;

	*have_req = false;
	if (!proc_ours(inv->proc))
		corrupt(t, "invocation of a door that is not ours: proc %#llx cookie %#llx id %llu",
			(unsigned long long)inv->proc,
			(unsigned long long)inv->cookie,
			(unsigned long long)inv->id);
	if (inv->attributes & ~CREATE_MASK || inv->pad)
		corrupt(t, "invocation attributes %#x pad %#x",
			inv->attributes, inv->pad);
	if (inv->data_ptr == DOOR_UNREF_DATA_PTR) {
		atomic_fetch_add(&stats->unref_invocations, 1);
		if (!(inv->attributes & (DOOR_UNREF | DOOR_UNREF_MULTI)) ||
		    size || inv->desc_num)
			corrupt(t, "unreferenced invocation of door %llu: attributes %#x, %llu bytes, %u descriptors",
				(unsigned long long)inv->id, inv->attributes,
				(unsigned long long)size, inv->desc_num);
		return false;
	}
	atomic_fetch_add(&stats->invocations, 1);
	if (inv->desc_num > 1024) {
		corrupt(t, "invocation with %u descriptors", inv->desc_num);
		return true;
	}
	doff = inv->desc_num ? (size + 7) & ~7ull : size;
	total = doff + inv->desc_num * sizeof(struct door_udesc);
	dst = size ? inv->data_ptr : inv->desc_ptr;
	if (!size && inv->data_ptr)
		corrupt(t, "no arguments but data_ptr %#llx",
			(unsigned long long)inv->data_ptr);
	if (total && total <= buf_size && dst != buf)
		corrupt(t, "%llu bytes of arguments fit the buffer (%llu) but came at %#llx, not %#llx",
			(unsigned long long)total,
			(unsigned long long)buf_size,
			(unsigned long long)dst, (unsigned long long)buf);
	if (total > buf_size && dst == buf)
		corrupt(t, "%llu bytes of arguments placed in a buffer of %llu",
			(unsigned long long)total,
			(unsigned long long)buf_size);

	d = (const void *)(uintptr_t)inv->desc_ptr;
	if (inv->desc_num && inv->desc_ptr != dst + doff)
		corrupt(t, "descriptors at %#llx, not after the data at %#llx",
			(unsigned long long)inv->desc_ptr,
			(unsigned long long)(dst + doff));
	else
		for (i = 0; i < inv->desc_num; i++) {
			int fd = d[i].d_descriptor, fl = fcntl(fd, F_GETFD);

			atomic_fetch_add(&stats->descs_received, 1);
			if (!(d[i].d_attributes & DOOR_DESCRIPTOR) || fl < 0 ||
			    fl & FD_CLOEXEC) {
				corrupt(t, "received descriptor %d: attributes %#x, F_GETFD %d",
					fd, d[i].d_attributes, fl);
				continue;
			}
			slot_put(p, t, fd, fd_kind(fd));
		}

	if (size >= sizeof(*req)) {
		const char *data = (const char *)(uintptr_t)inv->data_ptr;
		size_t bad, n;

		memcpy(req, data, sizeof(*req));
		if (req->magic != REQ_MAGIC)
			return true;
		if (req->size != size) {
			corrupt(t, "arguments of %llu bytes, the client passed %llu",
				(unsigned long long)size,
				(unsigned long long)req->size);
			return true;
		}
		n = size - sizeof(*req);
		if (n > (64 << 10))
			n = 64 << 10;
		bad = pattern_check(data + sizeof(*req), n,
				    req->nonce ^ ARGS_SALT);
		if (bad != n) {
			corrupt(t, "arguments (%llu bytes) differ at byte %zu",
				(unsigned long long)size,
				bad + sizeof(*req));
			return true;
		}
		*have_req = true;
	}
	return true;
}

static void spin(struct thread *t)
{
	double end = now() + (1 + rng_below(&t->rng, 20)) / 1000.0;

	while (now() < end)
		;
}

/* DOOR_IOC_UCRED while serving: the client's pid and euid. */
static void do_ucred(struct thread *t, int ctx, const struct req *req)
{
	struct door_ucred_args u = { 0 }, out;
	enum place pl = pick_place(t);
	emask_t exp;
	void *uptr;
	int ret;

	u.groups = (uint64_t)(uintptr_t)(t->a.scratch + GROUPS_AT);
	u.ngroups = rng_below(&t->rng, 9);
	uptr = place(t, pl, &u, sizeof(u));
	snprintf(t->what, sizeof(t->what), "UCRED(%s)", place_name(pl));
	ret = fz_ioctl(t, ctx, DOOR_IOC_UCRED, uptr);
	/* EINVAL: the client gave up already */
	exp = fz_exp(t, !place_readable(pl) ? EM(EFAULT) :
		     !place_writable(pl) ? EM(EFAULT) | EM(EINVAL) :
		     EM(0) | EM(EINVAL));
	record(t, OP_UCRED, ret ? errno : 0);
	if (ret ? !emask_has(exp, errno) : !emask_has(exp, 0)) {
		char buf[128];

		unexpected(t, "%s = %s, expected %s", t->what,
			   ret ? errname(errno) : "0",
			   emask_str(exp, buf, sizeof(buf)));
		return;
	}
	if (ret || !unplace(t, pl, uptr, &out, sizeof(out)))
		return;
	if ((out.pid && out.pid != req->pid) || out.euid != req->uid)
		corrupt(t, "UCRED: pid %d euid %u, the client is pid %d euid %u",
			out.pid, out.euid, req->pid, req->uid);
}

/* DOOR_IOC_INFO(DOOR_QUERY) while serving: the door called. */
static void do_query(struct thread *t, int ctx,
		     const struct door_invocation *inv)
{
	struct door_info_args a = { .fd = DOOR_QUERY };
	int ret;

	snprintf(t->what, sizeof(t->what), "INFO(DOOR_QUERY) serving");
	ret = fz_ioctl(t, ctx, DOOR_IOC_INFO, &a);
	record(t, OP_INFO, ret ? errno : 0);
	if (ret && !emask_has(fz_exp(t, EM(EBADF)), errno))
		unexpected(t, "%s = %s, expected 0|EBADF", t->what,
			   errname(errno));
	else if (!ret && !t->bound && (a.id != inv->id || a.proc != inv->proc))
		corrupt(t, "INFO(DOOR_QUERY): door %llu, serving %llu",
			(unsigned long long)a.id,
			(unsigned long long)inv->id);
}

static void exit_process(struct thread *t)
{
	switch (rng_below(&t->rng, 3)) {
	case 0:
		_exit(0);
	case 1:
		atomic_fetch_add(&stats->aborts_chosen, 1);
		abort();
	default:
		raise(SIGKILL);
	}
}

/*
 * Run the request of the invocation just taken; may decide that the
 * thread exits (*exiting) and how its reply looks.
 */
static void act(struct thread *t, int ctx, const struct door_invocation *inv,
		const struct req *req, struct reply *rep, bool *exiting)
{
	enum fdclass fc;

	switch (req->action) {
	case ACT_EXIT_THREAD:
		if (t->p->depth && rng_pct(&t->rng, 50)) {
			/* without telling the kernel: the client gives up */
			atomic_fetch_add(&stats->thread_exits, 1);
			fail_nth_close(t);
			atomic_store(&t->running, 0);
			pthread_exit(NULL);
		}
		*exiting = true;
		break;
	case ACT_EXIT_PROC:
		if (t->p->depth)
			exit_process(t);
		break;
	case ACT_SPIN:
		spin(t);
		break;
	case ACT_NESTED:
		call_door(t, pick_fd(t, &fc), false);
		break;
	case ACT_UCRED:
		do_ucred(t, ctx, req);
		break;
	case ACT_INFO:
		do_query(t, ctx, inv);
		break;
	}
	reply_build(t, req, rep);
}

/* Deviations a server thread tries before it returns properly. */
enum dev {
	DEV_NONE, DEV_BADDATA, DEV_BADDESC, DEV_BADFLAGS, DEV_BADSIG,
	DEV_PLACE, DEV_NORES, DEV_BADBUF, DEV_LARGEBAD,
};

/*
 * One DOOR_IOC_RETURN of a server thread: fill the arguments from the
 * reply (and a deviation), issue it, check the errno.  Returns the
 * ioctl's result with errno set; *holds tells whether the thread still
 * holds the call it served.
 */
static int do_return(struct thread *t, int ctx, struct reply *rep,
		     bool holding, bool exiting, enum dev dev,
		     struct door_return_args *out, uint64_t *buf,
		     uint64_t *buf_size, bool *holds)
{
	struct door_return_args a = { 0 };
	struct door_udesc *bad = (void *)(t->a.scratch + DESC_AT + 512);
	enum place pl = dev == DEV_PLACE ? pick_place(t) : PL_GOOD;
	emask_t exp;
	void *uptr;
	char ebuf[128];
	int ret, e;

	a.data_ptr = rep->data;
	a.data_size = rep->size;
	a.desc_ptr = rep->desc;
	a.desc_num = rep->ndesc;
	a.flags = rep->flags | (exiting ? DOOR_RETURN_EXIT : 0);
	a.cancel_signal = rng_pct(&t->rng, 70) ? SIGUSR2 : 0;
	if (rng_pct(&t->rng, 90)) {
		a.buf = (uint64_t)(uintptr_t)t->a.sbuf;
		a.buf_size = rng_pct(&t->rng, 70) ? SBUF_SIZE :
			rng_below(&t->rng, SBUF_SIZE + 1);
	}
	switch (dev) {
	case DEV_BADDATA:
		a.data_ptr = bad_ptr(t);
		a.data_size = 1 + rng_below(&t->rng, 512);
		if (rng_pct(&t->rng, 20))	/* refused by access_ok() */
			a.data_size = rng_pct(&t->rng, 50) ? UINT64_MAX :
				1ull << 63;
		a.desc_num = 0;
		break;
	case DEV_LARGEBAD:
		/* the client copies large results: its call fails EFAULT */
		a.data_ptr = (uint64_t)(uintptr_t)t->a.guard;
		a.data_size = 513 + rng_below(&t->rng, 8192);
		a.desc_num = 0;
		break;
	case DEV_BADDESC:
		memset(bad, 0, sizeof(*bad));
		bad->d_attributes = rng_pct(&t->rng, 50) ? 0 : DOOR_DESCRIPTOR;
		bad->d_descriptor = rng_pct(&t->rng, 50) ? -1 : 1 << 20;
		a.desc_ptr = (uint64_t)(uintptr_t)bad;
		a.desc_num = 1;
		break;
	case DEV_BADFLAGS:
		a.flags |= 1u << (2 + rng_below(&t->rng, 30));
		break;
	case DEV_BADSIG:
		a.cancel_signal = rng_pct(&t->rng, 50) ? 65 : 0x80000000u;
		break;
	case DEV_NORES:
		a.data_ptr = (uint64_t)(uintptr_t)t->a.rbuf;
		a.data_size = 1 + rng_below(&t->rng, 100);
		break;
	case DEV_BADBUF:
		a.buf = bad_ptr(t);
		a.buf_size = rng_pct(&t->rng, 50) ? 4096 : UINT64_MAX;
		break;
	default:
		break;
	}
	if (dev == DEV_PLACE && pl == PL_STRADDLE) {
		/* fault in the part read first */
		uptr = t->a.guard - 8;
		memcpy(uptr, &a, 8);
	} else {
		uptr = place(t, pl, &a, sizeof(a));
	}
	*buf = a.buf;
	*buf_size = a.buf_size;

	snprintf(t->what, sizeof(t->what),
		 "RETURN(%s%s data %#llx+%llu desc %u flags %#x buf %#llx+%llu sig %u dev %d)",
		 place_name(pl), holding ? " holding" : "",
		 (unsigned long long)a.data_ptr,
		 (unsigned long long)a.data_size, a.desc_num, a.flags,
		 (unsigned long long)a.buf, (unsigned long long)a.buf_size,
		 a.cancel_signal, dev);
	trace(t, "%s", t->what);
	ret = fz_ioctl(t, ctx, DOOR_IOC_RETURN, uptr);	/* never armed */
	e = ret ? errno : 0;
	record(t, OP_SERVE, e);

	/* What it may say, and whether we still hold the call then. */
	*holds = false;
	switch (dev) {
	case DEV_BADDATA:
	case DEV_BADDESC:
	case DEV_NORES:
		/*
		 * Refused, and we keep the call; or its client gave up
		 * meanwhile, the results went nowhere, and we parked.
		 */
		e = dev == DEV_BADDATA ? EFAULT :
			dev == DEV_BADDESC ? EINVAL : E2BIG;
		exp = EM(e) | EM(0) | EM(EINTR);
		*holds = holding && ret && errno == e;
		e = ret ? errno : 0;
		break;
	case DEV_BADFLAGS:
	case DEV_BADSIG:
		exp = EM(EINVAL);
		*holds = holding;
		break;
	case DEV_PLACE:
		if (!place_readable(pl)) {
			exp = EM(EFAULT);
			*holds = holding;
		} else {
			/* delivered, then no writable invocation */
			exp = place_writable(pl) ? EM(0) | EM(EINTR) :
				EM(EFAULT) | EM(EINTR);
		}
		break;
	case DEV_BADBUF:
		exp = EM(0) | EM(EINTR) | EM(EFAULT);
		break;
	default:
		exp = EM(0) | EM(EINTR);
		break;
	}
	if (exiting)
		exp &= ~EM(EINTR);
	if (ret ? !emask_has(exp, e) : !emask_has(exp, 0)) {
		unexpected(t, "%s = %s, expected %s", t->what,
			   ret ? errname(e) : "0",
			   emask_str(exp, ebuf, sizeof(ebuf)));
		*holds = false;
	}
	if (!ret)
		unplace(t, pl, uptr, out, sizeof(*out));
	errno = e;
	return ret;
}

static enum dev pick_dev(struct thread *t, const struct reply *rep,
			 bool holding, bool noresults)
{
	static const enum dev devs[] = {
		DEV_BADDATA, DEV_BADDATA, DEV_BADDESC, DEV_BADDESC,
		DEV_BADFLAGS, DEV_BADSIG, DEV_PLACE, DEV_PLACE, DEV_BADBUF,
		DEV_LARGEBAD, DEV_NONE, DEV_NONE,
	};
	unsigned int r = rng_below(&t->rng, 100);
	enum dev dev;

	if (rep->ndup)
		return DEV_NONE;
	if (noresults && holding && r < 20)
		return DEV_NORES;
	if (r >= 12)
		return DEV_NONE;
	if (!holding)
		return r < 3 ? DEV_PLACE : r < 5 ? DEV_BADBUF :
			r < 6 ? DEV_BADFLAGS : DEV_NONE;
	dev = devs[r];
	/* a caller that wants no results refuses any first (E2BIG) */
	if (noresults && (dev == DEV_BADDATA || dev == DEV_BADDESC ||
			  dev == DEV_LARGEBAD))
		dev = DEV_NORES;
	return dev;
}

static void bind_maybe(struct thread *t, int ctx)
{
	struct proc *p = t->p;
	struct door_fd_args a = { .fd = p->anchor[A_PRIVATE] };
	int ret;

	if (!p->anchors_own || ctx != p->ctx)
		return;
	if (t->bound && rng_pct(&t->rng, 50)) {
		snprintf(t->what, sizeof(t->what), "UNBIND (server)");
		ret = fz_ioctl(t, ctx, DOOR_IOC_UNBIND, 0);
		record(t, OP_UNBIND, ret ? errno : 0);
		if (ret && !emask_has(fz_exp(t, 0), errno))
			unexpected(t, "%s = %s, expected 0", t->what,
				   errname(errno));
		else
			unbound(t);
		return;
	}
	snprintf(t->what, sizeof(t->what), "BIND(private anchor %d) (server)",
		 a.fd);
	ret = fz_ioctl(t, ctx, DOOR_IOC_BIND, &a);
	record(t, OP_BIND, ret ? errno : 0);
	if (ret && emask_has(fz_exp(t, 0), errno)) {
		/* a fault injected: not bound */
	} else if (ret) {
		char path[64], target[128] = "";
		int e = errno;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", a.fd);
		if (readlink(path, target, sizeof(target) - 1) < 0)
			snprintf(target, sizeof(target), "%s", strerror(errno));
		unexpected(t, "%s = %s, expected 0 (fd is %s, kind %d, ctx %d)",
			   t->what, errname(e), target, fd_kind(a.fd), ctx);
	} else {
		t->bound = true;
	}
}

/*
 * Serve on ctx until told to stop (or, with once, until the first
 * invocation has been answered).
 */
static void serve(struct thread *t, int ctx, bool once)
{
	struct proc *p = t->p;
	struct door_return_args out;
	struct reply rep;
	struct req req;
	bool holding = false, have_req = false, exiting = false;
	unsigned int returns = 0;

	reply_reset(&rep);
	for (;;) {
		uint64_t buf, buf_size;
		bool holds, noresults;
		enum dev dev;

		if (atomic_load(&p->stop) || now() > p->deadline ||
		    (once && returns++ > 0))
			exiting = true;
		if (!holding && !exiting && rng_pct(&t->rng, 2))
			bind_maybe(t, ctx);
		noresults = have_req && req.pad & REQ_NORESULTS;
		dev = exiting ? DEV_NONE :
			pick_dev(t, &rep, holding && have_req, noresults);
		if (do_return(t, ctx, &rep, holding, exiting, dev, &out, &buf,
			      &buf_size, &holds)) {
			if (holds)
				continue;	/* retry the same reply */
			reply_consumed(&rep);
			reply_reset(&rep);
			holding = false;
			have_req = false;
			continue;
		}
		reply_consumed(&rep);
		reply_reset(&rep);
		if (exiting) {
			unbound(t);
			return;
		}
		holding = invocation_check(t, &out.inv, buf, buf_size, &req,
					   &have_req);
		if (!holding)
			continue;	/* unreferenced: nothing to answer */
		if (!have_req)
			continue;	/* garbage in: no results out */
		act(t, ctx, &out.inv, &req, &rep, &exiting);
	}
}

void *server_thread(void *arg)
{
	struct thread *t = arg;
	struct proc *p = t->p;

	/* one server thread serves the private anchor from the start */
	if (t->binder && p->anchors_own)
		bind_maybe(t, p->ctx);
	serve(t, p->ctx, false);
	return NULL;
}

/*
 * A client thread becomes a server for one invocation: it parks on ctx
 * (ours, or whatever was picked), answers what it gets, and leaves with
 * DOOR_RETURN_EXIT.
 */
void serve_return_op(struct thread *t)
{
	bool was = t->server;

	t->server = true;
	serve(t, t->p->ctx, true);
	t->server = was;
}

/*
 * The procedure of libdoor doors in chaos children.  It runs in libdoor's
 * threads: its state is thread-local.
 */
static __thread char *lib_reply;	/* REPLY_MAX, for the thread's life */
static __thread door_desc_t lib_desc[4];

void lib_procedure(void *cookie, char *argp, size_t size, door_desc_t *dp,
		   unsigned int ndesc)
{
	struct proc *p = cookie;
	struct req req;
	struct rng rng;
	unsigned int i;

	for (i = 0; i < ndesc; i++)
		if (dp[i].d_attributes & DOOR_DESCRIPTOR)
			close(dp[i].d_data.d_desc.d_descriptor);
	if (argp == DOOR_UNREF_DATA || size < sizeof(req)) {
		door_return(NULL, 0, NULL, 0);
		return;
	}
	memcpy(&req, argp, sizeof(req));
	if (req.magic != REQ_MAGIC || req.size != size) {
		door_return(NULL, 0, NULL, 0);
		return;
	}
	rng_init(&rng, req.nonce, 7);
	switch (req.action) {
	case ACT_ABORT:
		return;
	case ACT_EXIT_THREAD:
		pthread_exit(NULL);
	case ACT_EXIT_PROC:
		switch (rng_below(&rng, 3)) {
		case 0:
			_exit(0);
		case 1:
			atomic_fetch_add(&stats->aborts_chosen, 1);
			abort();
		default:
			raise(SIGKILL);
		}
		break;
	case ACT_SPIN: {
		double end = now() + (1 + rng_below(&rng, 20)) / 1000.0;

		while (now() < end)
			;
		break;
	}
	case ACT_UCRED: {
		ucred_t *uc = NULL;

		if (!door_ucred(&uc)) {
			if (ucred_getpid(uc) != req.pid)
				say("CORRUPT: libdoor door_ucred: pid %d, the client is %d",
				    ucred_getpid(uc), req.pid);
			ucred_free(uc);
		}
		break;
	}
	default:
		break;
	}
	if (!lib_reply)
		lib_reply = malloc(REPLY_MAX);
	if (req.pad & REQ_NORESULTS || !lib_reply) {
		door_return(NULL, 0, NULL, 0);
		return;
	}
	pattern_fill(lib_reply, req.reply_size, req.nonce);
	for (i = 0; i < req.reply_ndesc && i < 4; i++) {
		memset(&lib_desc[i], 0, sizeof(lib_desc[i]));
		lib_desc[i].d_attributes = DOOR_DESCRIPTOR;
		lib_desc[i].d_data.d_desc.d_descriptor = p->devnull;
	}
	door_return(lib_reply, req.reply_size, lib_desc, req.reply_ndesc);
}
