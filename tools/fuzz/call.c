// SPDX-License-Identifier: GPL-2.0
/*
 * door_call: raw DOOR_IOC_CALL and libdoor's door_call() with random and
 * hostile arguments, descriptors and result buffers, and the check of
 * what comes back: exactly the results the request asked the server for.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kcmp.h>
#include <door.h>

#include "doorfuzz.h"

#define DESC_AT		1024	/* call descriptors, in the scratch area */
#define PAGE		4096ull

/*
 * A descriptor we may give away with DOOR_RELEASE: a fresh open file of
 * its own, and in *keep another descriptor of it.  The kernel closes the
 * first once the call has referenced it; whether a failed call got that
 * far (EFAULT from the results comes after) only kcmp() with the keeper
 * can tell, since the number may have been reused by then; a server
 * thread of ours that received the file got it without FD_CLOEXEC.
 */
static int release_dup(int *keep)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	*keep = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (*keep < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * After the call: close the DOOR_RELEASE descriptors the kernel left
 * open, and say whether it did so though @must_close.
 */
static bool release_dups_done(const int *dups, const int *keep, int ndup,
			      bool must_close)
{
	pid_t pid = getpid();
	bool open_left = false;
	int i;

	for (i = 0; i < ndup; i++) {
		/* a server of ours may have received the same file */
		if (fcntl(dups[i], F_GETFD) == FD_CLOEXEC &&
		    !syscall(SYS_kcmp, pid, pid, KCMP_FILE, dups[i], keep[i])) {
			open_left = true;
			close(dups[i]);
		}
		close(keep[i]);
	}
	return must_close && open_left;
}

/*
 * The results of a call that succeeded: where they are, what they hold,
 * and the descriptors that came with them (into our slots).
 */
static void results_check(struct thread *t, const struct door_call_args *in,
			  const struct door_call_args *out,
			  const struct req *req, bool have_req)
{
	uint64_t size = out->data_size, doff, total;
	const struct door_udesc *d;
	bool mapped = out->rbuf != in->rbuf;
	uint32_t i;

	atomic_fetch_add(&stats->calls_ok, 1);
	doff = out->desc_num ? (size + 23) / 24 * 24 : size;
	total = doff + out->desc_num * 24ull;
	if (out->data_ptr != out->rbuf)
		corrupt(t, "%s: data_ptr %#llx, rbuf %#llx", t->what,
			(unsigned long long)out->data_ptr,
			(unsigned long long)out->rbuf);
	if (mapped) {
		atomic_fetch_add(&stats->mapped_results, 1);
		if (total <= in->rsize ||
		    out->rsize != ((total + PAGE - 1) & ~(PAGE - 1)))
			corrupt(t, "%s: %llu bytes of results mapped at %#llx+%llu, rsize was %llu",
				t->what, (unsigned long long)total,
				(unsigned long long)out->rbuf,
				(unsigned long long)out->rsize,
				(unsigned long long)in->rsize);
	} else if (total > in->rsize || out->rsize != in->rsize) {
		corrupt(t, "%s: %llu bytes of results in rbuf of %llu (now %llu)",
			t->what, (unsigned long long)total,
			(unsigned long long)in->rsize,
			(unsigned long long)out->rsize);
	}
	if (out->desc_num && out->desc_ptr != out->rbuf + doff)
		corrupt(t, "%s: descriptors at %#llx, data at %#llx+%llu",
			t->what, (unsigned long long)out->desc_ptr,
			(unsigned long long)out->rbuf,
			(unsigned long long)size);

	if (have_req) {
		bool nores = in->flags & DOOR_CALL_NO_RESULTS;
		uint64_t want = nores ? 0 : req->reply_size;
		uint32_t nwant = nores ? 0 : req->reply_ndesc;

		atomic_fetch_add(&stats->calls_checked, 1);
		if (size != want || out->desc_num != nwant) {
			corrupt(t, "%s: %llu bytes and %u descriptors of results, asked for %llu and %u (action %u)",
				t->what, (unsigned long long)size,
				out->desc_num, (unsigned long long)want,
				nwant, req->action);
		} else if (size) {
			size_t bad = pattern_check(
				(void *)(uintptr_t)out->data_ptr, size,
				req->nonce);

			if (bad != size)
				corrupt(t, "%s: results (%llu bytes) differ at byte %zu",
					t->what, (unsigned long long)size,
					bad);
		}
	}

	d = (const void *)(uintptr_t)out->desc_ptr;
	for (i = 0; out->desc_ptr == out->rbuf + doff && i < out->desc_num;
	     i++) {
		int fd = d[i].d_descriptor, fl = fcntl(fd, F_GETFD);

		atomic_fetch_add(&stats->descs_received, 1);
		if (!(d[i].d_attributes & DOOR_DESCRIPTOR) || fl < 0 ||
		    fl & FD_CLOEXEC) {
			corrupt(t, "%s: result descriptor %d: attributes %#x, F_GETFD %d",
				t->what, fd, d[i].d_attributes, fl);
			continue;
		}
		slot_put(t->p, t, fd, fd_kind(fd));
	}
	if (mapped && munmap((void *)(uintptr_t)out->rbuf, out->rsize))
		corrupt(t, "%s: munmap of the results' mapping: %s", t->what,
			strerror(errno));
}

/*
 * door_call on fd: raw (DOOR_IOC_CALL on our context, or another) or
 * through libdoor, with random and hostile arguments.
 */
int call_door(struct thread *t, int fd, bool lib)
{
	struct proc *p = t->p;
	struct door_call_args a = { .fd = fd }, out;
	struct door_udesc *desc = (void *)(t->a.scratch + DESC_AT);
	enum fdclass fc = FC_SLOT;
	enum ctxclass cc = CC_OWN;
	enum place pl = PL_GOOD;
	struct req req;
	bool have_req = false, access_bad = false;
	int dups[4], keep[4], ndup = 0, ctx = p->ctx, ret, e;
	unsigned int r, i;
	emask_t exp;
	void *uptr;

	/* what is known of fd: only whether it is one of our anchors */
	if (fd == p->anchor[A_PLAIN] && p->anchors_own && !p->depth)
		fc = FC_ANCHOR;
	else if (fd == p->anchor[A_REFUSE] && p->anchors_own && !p->depth)
		fc = FC_REFUSE;
	else if (fd == p->ctx)
		fc = FC_CTX;
	else if (fd < 0 || fd >= 4096)
		fc = FC_BADFD;

	/* arguments */
	r = rng_below(&t->rng, 100);
	if (r < 78) {
		a.data_size = pick_size(t, ARG_MAX);
		a.data_ptr = (uint64_t)(uintptr_t)t->a.abuf;
		have_req = request_build(t, t->a.abuf, a.data_size, &req);
	} else if (r < 84) {
		a.data_ptr = bad_ptr(t);
		a.data_size = 1 + rng_below(&t->rng, 8192);
	} else if (r < 88) {
		a.data_ptr = (uint64_t)(uintptr_t)t->a.ro;
		a.data_size = rng_below(&t->rng, PAGE + 1);
	} else if (r < 92) {
		/* larger than any buffer, or than the address space */
		static const uint64_t huge[] = {
			1ull << 40, 1ull << 46, UINT64_MAX, 1ull << 63,
			(uint64_t)-PAGE,
		};

		a.data_ptr = (uint64_t)(uintptr_t)t->a.abuf;
		a.data_size = huge[rng_below(&t->rng, ARRAY_SIZE(huge))];
	} else if (r < 95) {
		/* the first bytes readable, the rest in the guard page */
		size_t k = 1 + rng_below(&t->rng, 600);

		a.data_ptr = (uint64_t)(uintptr_t)(t->a.guard - k);
		a.data_size = k + 1 + rng_below(&t->rng, 2048);
	}
	/* else none at all */

	/* access_ok() refuses it before anything else */
	access_bad = a.data_size > user_limit ||
		a.data_ptr > user_limit - a.data_size;

	/* descriptors */
	r = rng_below(&t->rng, 100);
	if (r < 10) {
		a.desc_num = 1 + rng_below(&t->rng, 4);
		a.desc_ptr = (uint64_t)(uintptr_t)desc;
		for (i = 0; i < a.desc_num; i++) {
			enum fdclass dfc;

			memset(&desc[i], 0, sizeof(desc[i]));
			desc[i].d_attributes = DOOR_DESCRIPTOR;
			if (ndup < 4 && rng_pct(&t->rng, 25) &&
			    (dups[ndup] = release_dup(&keep[ndup])) >= 0) {
				desc[i].d_descriptor = dups[ndup++];
				desc[i].d_attributes |= DOOR_RELEASE;
				continue;
			}
			desc[i].d_descriptor = pick_fd(t, &dfc);
			if (rng_pct(&t->rng, 5))
				desc[i].d_attributes =
					rng_next(&t->rng) & ~DOOR_RELEASE;
		}
	} else if (r < 12) {
		/* more than DOOR_MAX_DESC: refused before anything */
		a.desc_num = rng_pct(&t->rng, 50) ? 1025 : UINT32_MAX;
		a.desc_ptr = (uint64_t)(uintptr_t)desc;
		memset(desc, 0, sizeof(*desc));
	} else if (r < 13) {
		a.desc_num = 1 + rng_below(&t->rng, 3);
		a.desc_ptr = bad_ptr(t);
	}

	/* where the results go */
	r = rng_below(&t->rng, 100);
	if (r < 55) {
		a.rbuf = (uint64_t)(uintptr_t)t->a.rbuf;
		a.rsize = rng_pct(&t->rng, 60) ? REPLY_MAX + 2 * PAGE :
			rng_below(&t->rng, REPLY_MAX + 2 * PAGE + 1);
	} else if (r < 75) {
		a.rbuf = 0;
		a.rsize = 0;
	} else if (r < 85) {
		a.rbuf = (uint64_t)(uintptr_t)t->a.rbuf;
		a.rsize = rng_below(&t->rng, 64);
	} else if (r < 93) {
		a.rbuf = bad_ptr(t);
		a.rsize = rng_pct(&t->rng, 50) ? UINT64_MAX :
			rng_below(&t->rng, 1 << 20);
	} else {
		a.rbuf = (uint64_t)(uintptr_t)t->a.ro;
		a.rsize = PAGE;
	}

	if (rng_pct(&t->rng, 3)) {
		a.flags = DOOR_CALL_NO_RESULTS;
		if (have_req)
			request_noresults(&req, t->a.abuf);
	}

	if (lib) {
		door_arg_t arg = {
			.data_ptr = (char *)(uintptr_t)a.data_ptr,
			.data_size = a.data_size,
			.desc_ptr = (door_desc_t *)(uintptr_t)a.desc_ptr,
			.desc_num = a.desc_num,
			.rbuf = (char *)(uintptr_t)a.rbuf,
			.rsize = a.rsize,
		};

		snprintf(t->what, sizeof(t->what),
			 "door_call(%d %s, data %#llx+%llu, desc %#llx*%u, rbuf %#llx+%llu%s)",
			 fd, fdclass_name(fc), (unsigned long long)a.data_ptr,
			 (unsigned long long)a.data_size,
			 (unsigned long long)a.desc_ptr, a.desc_num,
			 (unsigned long long)a.rbuf,
			 (unsigned long long)a.rsize,
			 a.flags ? ", NULL" : "");
		ret = door_call(fd, a.flags ? NULL : &arg);
		e = ret ? errno : 0;
		if (a.flags) {
			/* door_call(d, NULL) passes nothing at all */
			release_dups_done(dups, keep, ndup, false);
			ndup = 0;
			have_req = false;
		}
		out = a;
		out.data_ptr = (uint64_t)(uintptr_t)arg.data_ptr;
		out.data_size = arg.data_size;
		out.desc_ptr = (uint64_t)(uintptr_t)arg.desc_ptr;
		out.desc_num = arg.desc_num;
		out.rbuf = (uint64_t)(uintptr_t)arg.rbuf;
		out.rsize = arg.rsize;
		exp = A_CALL;
	} else {
		if (rng_pct(&t->rng, 2))
			a.flags |= 1u << (1 + rng_below(&t->rng, 31));
		if (rng_pct(&t->rng, 1))
			a.pad = 1 + rng_below(&t->rng, 1000);
		if (rng_pct(&t->rng, 5))
			ctx = pick_ctx(t, &cc);
		pl = pick_place(t);
		uptr = place(t, pl, &a, sizeof(a));
		snprintf(t->what, sizeof(t->what),
			 "CALL(ctx %d, %s %s, fd %d %s, data %#llx+%llu, desc %#llx*%u, rbuf %#llx+%llu, flags %#x, pad %u)",
			 ctx, place_name(pl),
			 cc == CC_OWN ? "own" : cc == CC_FOREIGN ? "foreign" :
			 "other", fd, fdclass_name(fc),
			 (unsigned long long)a.data_ptr,
			 (unsigned long long)a.data_size,
			 (unsigned long long)a.desc_ptr, a.desc_num,
			 (unsigned long long)a.rbuf,
			 (unsigned long long)a.rsize, a.flags, a.pad);
		trace(t, "%s", t->what);
		/*
		 * Armed only for our anchors, which our servers answer
		 * (signals are blocked while armed), and without DOOR_RELEASE
		 * descriptors: whether ENOMEM closed them depends on where it
		 * came from (Documentation/reliability.md, bugs).
		 */
		t->nofail = ndup > 0 || (fc != FC_ANCHOR && fc != FC_REFUSE);
		ret = fz_ioctl(t, ctx, DOOR_IOC_CALL, uptr);
		t->nofail = false;
		e = ret ? errno : 0;
		if (!place_exp(pl, &exp)) {
			if (a.flags & ~DOOR_CALL_NO_RESULTS || a.pad)
				exp = EM(EINVAL);
			else if (access_bad)
				exp = EM(EFAULT);
			else if (fc == FC_BADFD || fc == FC_CTX ||
				 fc == FC_NONDOOR || fc == FC_QUERY)
				exp = EM(EBADF);
			else if ((fc == FC_ANCHOR || fc == FC_REFUSE) &&
				 a.desc_num > 1024)
				exp = EM(E2BIG);
			else if (fc == FC_REFUSE && a.desc_num)
				exp = EM(EOPNOTSUPP);
			else
				exp = A_CALL;
			if (!place_writable(pl))
				exp &= ~EM(0);
		}
		exp = fz_exp(t, on_ctx(cc, exp));
		if (!ret)
			unplace(t, pl, uptr, &out, sizeof(out));
	}
	errno = e;
	record(t, lib ? OP_LIBCALL : OP_CALL, e);
	trace(t, "%s = %s", t->what, ret ? errname(e) : "ok");
	if (!emask_has(exp, e)) {
		char buf[160];

		unexpected(t, "%s = %s, expected %s", t->what,
			   ret ? errname(e) : "success",
			   emask_str(exp, buf, sizeof(buf)));
	} else if (!ret && lib && a.flags) {
		atomic_fetch_add(&stats->calls_ok, 1);
	} else if (!ret && (lib || place_writable(pl))) {
		results_check(t, &a, &out, &req, have_req);
	}

	/*
	 * DOOR_RELEASE descriptors are closed once the call has referenced
	 * them; only a call refused before that with EFAULT or EBADF, or
	 * one that never looked at them, leaves them open.
	 */
	if (release_dups_done(dups, keep, ndup,
			      !(ret && (e == EFAULT || e == EBADF ||
					e == ENOTTY || a.desc_num > 1024 ||
					(e == EINVAL && !lib &&
					 (a.flags & ~DOOR_CALL_NO_RESULTS ||
					  a.pad))))))
		unexpected(t, "%s = %s: a DOOR_RELEASE descriptor is still open",
			   t->what, ret ? errname(e) : "success");
	errno = e;
	return ret;
}

/* Calls go to doors that answer more often than other operations. */
int pick_call_fd(struct thread *t, enum fdclass *fc)
{
	struct proc *p = t->p;
	unsigned int r = rng_below(&t->rng, 100);
	enum kind kind;
	int i, fd;

	if (r < 30 && p->anchor[A_PLAIN] >= 0) {
		*fc = FC_SLOT;	/* call_door() knows the anchors */
		return p->anchor[r < 20 ? A_PLAIN : r < 25 ? A_REFUSE :
				 A_PRIVATE];
	}
	if (r < 60) {
		/* a door from the slots, if one turns up */
		for (i = 0; i < 4; i++) {
			fd = slot_peek(p, t, &kind);
			if (fd >= 0 && kind == K_DOOR) {
				*fc = FC_SLOT;
				return fd;
			}
		}
	}
	return pick_fd(t, fc);
}
