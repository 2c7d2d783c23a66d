// SPDX-License-Identifier: GPL-2.0
/*
 * The other ioctls of /dev/doors, raw and through libdoor, with random
 * and hostile arguments: CREATE, INFO, REVOKE, BIND, BIND_ID and UNBIND, UCRED,
 * GETPARAM and SETPARAM, FATTACH and FDETACH, RETURN from a client
 * thread, and commands the device does not know.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <door.h>
#include <stropts.h>

#include "doorfuzz.h"

/*
 * REVOKE and SETPARAM through a file reach the door attached to it, which
 * may be an anchor of ours: only where anchors promise nothing.
 */
static bool files_may_revoke(struct proc *p, enum kind kind)
{
	return p->depth || (kind != K_FILE && kind != K_DIR);
}

void op_create(struct thread *t, bool lib)
{
	struct proc *p = t->p;
	struct door_create_args a = { 0 }, out;
	static const uint32_t valid[] = {
		DOOR_UNREF, DOOR_UNREF_MULTI, DOOR_PRIVATE, DOOR_REFUSE_DESC,
		DOOR_NO_CANCEL, DOOR_NO_DEPLETION_CB, DOOR_PRIVCREATE,
	};
	enum ctxclass cc;
	enum place pl;
	int ctx, fd, e;
	bool bad = false;
	emask_t exp;
	void *uptr;
	unsigned int i;

	if (lib) {
		uint32_t attr = 0;

		for (i = 0; i < 4; i++)
			if (rng_pct(&t->rng, 20))
				attr |= valid[i];
		snprintf(t->what, sizeof(t->what), "door_create(%#x)", attr);
		fd = door_create(lib_procedure, p, attr);
		e = fd < 0 ? errno : 0;
		record(t, OP_LIBCREATE, e);
		if (fd >= 0)
			slot_put(p, t, fd, K_DOOR);
		else if (e != EINVAL && e != ENOMEM && e != EMFILE)
			unexpected(t, "%s = %s", t->what, errname(e));
		return;
	}

	for (i = 0; i < ARRAY_SIZE(valid); i++)
		if (rng_pct(&t->rng, i < 2 ? 15 : 10))
			a.attributes |= valid[i];
	if (rng_pct(&t->rng, 4)) {
		static const uint32_t inval[] = {
			DOOR_UNREF | DOOR_UNREF_MULTI, DOOR_LOCAL, DOOR_REVOKED,
			DOOR_IS_UNREF, DOOR_DEPLETION_CB, 1u << 31, 1u << 11,
		};

		a.attributes |= inval[rng_below(&t->rng, ARRAY_SIZE(inval))];
		bad = true;
	} else if ((a.attributes & (DOOR_UNREF | DOOR_UNREF_MULTI)) ==
		   (DOOR_UNREF | DOOR_UNREF_MULTI)) {
		bad = true;
	}
	if (rng_pct(&t->rng, 2)) {
		a.pad = 1 + rng_below(&t->rng, 100);
		bad = true;
	}
	a.proc = PROC_MARK << 32 | (uint32_t)getpid();
	a.cookie = rng_next(&t->rng);
	ctx = pick_ctx(t, &cc);
	pl = pick_place(t);
	uptr = place(t, pl, &a, sizeof(a));
	snprintf(t->what, sizeof(t->what),
		 "CREATE(ctx %d class %d, %s, attributes %#x, pad %u)", ctx,
		 cc, place_name(pl), a.attributes, a.pad);
	fd = fz_ioctl(t, ctx, DOOR_IOC_CREATE, uptr);
	if (!place_exp(pl, &exp)) {
		if (bad)
			exp = EM(EINVAL);
		else if (cc == CC_FOREIGN)
			exp = EM(EPERM);
		else if (!place_writable(pl))
			exp = EM(EFAULT) | EM(EPERM) | EM(EMFILE) | EM(ENOMEM);
		else
			exp = A_CREATE;
	}
	if (check(t, OP_CREATE, fd < 0 ? -1 : 0, on_ctx(cc, exp)) &&
	    fd >= 0) {
		struct stat st;
		int fl = fcntl(fd, F_GETFD);

		if (!(fl & FD_CLOEXEC) || fstat(fd, &st) ||
		    (st.st_mode & S_IFMT) != DOOR_S_IFDOOR)
			corrupt(t, "%s: descriptor %d F_GETFD %d mode %o",
				t->what, fd, fl, st.st_mode);
		if (unplace(t, pl, uptr, &out, sizeof(out)) && !out.id)
			corrupt(t, "%s: id 0", t->what);
		slot_put(p, t, fd, K_DOOR);
	} else if (fd >= 0) {
		close(fd);
	}
}

void op_info(struct thread *t)
{
	struct proc *p = t->p;
	struct door_info_args a = { 0 }, out;
	enum fdclass fc;
	enum ctxclass cc;
	enum place pl;
	int ctx, ret;
	emask_t exp;
	void *uptr;

	a.fd = pick_fd(t, &fc);
	if (rng_pct(&t->rng, 2))
		a.flags = 1 + rng_below(&t->rng, 100);
	ctx = pick_ctx(t, &cc);
	pl = pick_place(t);
	uptr = place(t, pl, &a, sizeof(a));
	snprintf(t->what, sizeof(t->what), "INFO(ctx %d, %s, fd %d %s, flags %u)",
		 ctx, place_name(pl), a.fd, fdclass_name(fc), a.flags);
	ret = fz_ioctl(t, ctx, DOOR_IOC_INFO, uptr);
	if (!place_exp(pl, &exp)) {
		if (a.flags)
			exp = EM(EINVAL);
		else if (fc == FC_BADFD || fc == FC_CTX || fc == FC_NONDOOR)
			exp = EM(EBADF);
		else if (fc == FC_QUERY)
			exp = !t->bound && !t->bound_maybe ? EM(EBADF) :
				cc == CC_OWN && t->bound ? EM(0) :
				EM(0) | EM(EBADF);
		else if (fc == FC_ANCHOR || fc == FC_PRIVATE || fc == FC_REFUSE)
			exp = EM(0);
		else
			exp = A_INFO;
		if (!place_writable(pl) && emask_has(exp, 0))
			exp = (exp & ~EM(0)) | EM(EFAULT);
	}
	if (!check(t, OP_INFO, ret, on_ctx(cc, exp)) || ret ||
	    !unplace(t, pl, uptr, &out, sizeof(out)))
		return;
	if (fc == FC_ANCHOR || fc == FC_PRIVATE || fc == FC_REFUSE) {
		int which = fc == FC_ANCHOR ? A_PLAIN :
			fc == FC_PRIVATE ? A_PRIVATE : A_REFUSE;

		if (out.id != p->anchor_id[which] || out.target != getpid() ||
		    !(out.attributes & DOOR_LOCAL) ||
		    out.attributes & DOOR_REVOKED ||
		    out.proc != (PROC_MARK << 32 | (uint32_t)getpid()))
			corrupt(t, "%s: id %llu target %d attributes %#x proc %#llx; anchor id %llu",
				t->what, (unsigned long long)out.id,
				out.target, out.attributes,
				(unsigned long long)out.proc,
				(unsigned long long)p->anchor_id[which]);
	}
}

/* REVOKE of a door of ours: its slot's descriptor, closed on success. */
void op_revoke(struct thread *t, bool lib)
{
	struct proc *p = t->p;
	struct door_fd_args a = { 0 };
	enum kind kind = K_NONE;
	enum fdclass fc = FC_SLOT;
	enum ctxclass cc = CC_OWN;
	enum place pl = PL_GOOD;
	int ctx = p->ctx, ret, fd;
	emask_t exp;
	void *uptr;

	if (rng_pct(&t->rng, 15)) {
		/* a descriptor that is not a door: nothing gets closed */
		static const enum fdclass classes[] = {
			FC_BADFD, FC_CTX, FC_NONDOOR,
		};

		fc = classes[rng_below(&t->rng, ARRAY_SIZE(classes))];
		fd = fc == FC_BADFD ? -1 : fc == FC_CTX ? p->ctx : p->devnull;
	} else {
		fd = slot_take(p, t, &kind);
		if (fd < 0)
			return;
		if (!files_may_revoke(p, kind)) {
			slot_put(p, t, fd, kind);
			return;
		}
	}
	if (lib) {
		snprintf(t->what, sizeof(t->what), "door_revoke(%d %s kind %d)",
			 fd, fdclass_name(fc), kind);
		ret = door_revoke(fd);
		exp = fc == FC_SLOT ? A_REVOKE : EM(EBADF);
		check(t, OP_LIBMISC, ret, exp);
	} else {
		a.fd = fd;
		if (rng_pct(&t->rng, 3))
			a.flags = 1 + rng_below(&t->rng, 100);
		if (rng_pct(&t->rng, 3))
			ctx = pick_ctx(t, &cc);
		pl = pick_place(t);
		uptr = place(t, pl, &a, sizeof(a));
		snprintf(t->what, sizeof(t->what),
			 "REVOKE(ctx %d, %s, fd %d %s kind %d, flags %u)", ctx,
			 place_name(pl), fd, fdclass_name(fc), kind, a.flags);
		ret = fz_ioctl(t, ctx, DOOR_IOC_REVOKE, uptr);
		if (!place_exp(pl, &exp)) {
			if (a.flags)
				exp = EM(EINVAL);
			else if (fc != FC_SLOT)
				exp = EM(EBADF);
			else
				exp = A_REVOKE;
		}
		check(t, OP_REVOKE, ret, on_ctx(cc, exp));
	}
	/* revoked: the kernel closed it */
	if (fc == FC_SLOT && ret)
		slot_put(p, t, fd, kind);
}

/*
 * A BIND or BIND_ID succeeded on @cc: bound on our context, or, through
 * a descriptor that may be our context's (one a child passed back), maybe.
 */
static void bound_now(struct thread *t, enum ctxclass cc)
{
	if (cc == CC_OWN)
		t->bound = true;
	else if (cc == CC_UNKNOWN)
		t->bound_maybe = true;
}

/* DOOR_IOC_BIND_ID: the id of a door of any kind, or none. */
static void op_bind_id(struct thread *t)
{
	struct door_id_args a = { 0 };
	door_info_t di;
	enum fdclass fc;
	enum ctxclass cc;
	enum place pl;
	int ctx, ret, fd;
	emask_t exp;
	void *uptr;
	bool known;

	fd = pick_fd(t, &fc);
	known = !door_info(fd, &di);
	a.id = known ? di.di_uniquifier : rng_next(&t->rng);
	if (rng_pct(&t->rng, 2))
		a.flags = 1 + rng_below(&t->rng, 100);
	if (rng_pct(&t->rng, 2))
		a.pad = 1 + rng_below(&t->rng, 100);
	ctx = pick_ctx(t, &cc);
	pl = pick_place(t);
	uptr = place(t, pl, &a, sizeof(a));
	snprintf(t->what, sizeof(t->what),
		 "BIND_ID(ctx %d, %s, id %llu of fd %d %s, flags %u, pad %u)",
		 ctx, place_name(pl), (unsigned long long)a.id, fd,
		 fdclass_name(fc), a.flags, a.pad);
	ret = fz_ioctl(t, ctx, DOOR_IOC_BIND_ID, uptr);
	if (!place_exp(pl, &exp)) {
		if (a.flags || a.pad)
			exp = EM(EINVAL);
		else if (!known)
			exp = EM(EBADF);	/* no such id */
		else if (fc == FC_PRIVATE && cc == CC_OWN)
			exp = EM(0);
		else
			exp = A_BIND;
		/* a door of another context: not found, or not ours */
		if (!a.flags && !a.pad &&
		    (cc == CC_FOREIGN || cc == CC_UNKNOWN))
			exp |= EM(EBADF) | EM(EPERM);
		if (cc == CC_FOREIGN)
			exp &= ~EM(0);
	}
	if (check(t, OP_BIND, ret, on_ctx(cc, exp)) && !ret)
		bound_now(t, cc);
}

void op_bind(struct thread *t, bool lib)
{
	struct door_fd_args a = { 0 };
	enum fdclass fc;
	enum ctxclass cc;
	enum place pl;
	int ctx, ret;
	emask_t exp;
	void *uptr;

	if (rng_pct(&t->rng, 40)) {
		/* UNBIND */
		if (lib) {
			snprintf(t->what, sizeof(t->what), "door_unbind()");
			ret = door_unbind();
			/* libdoor's context: never bound through it here */
			check(t, OP_LIBMISC, ret, EM(EBADF));
			return;
		}
		ctx = pick_ctx(t, &cc);
		snprintf(t->what, sizeof(t->what), "UNBIND(ctx %d, bound %d)",
			 ctx, t->bound);
		ret = fz_ioctl(t, ctx, DOOR_IOC_UNBIND, 0);
		exp = cc == CC_FOREIGN || (!t->bound && !t->bound_maybe) ?
			EM(EBADF) : cc == CC_OWN && t->bound ? EM(0) :
			EM(0) | EM(EBADF);
		if (!check(t, OP_UNBIND, ret, on_ctx(cc, exp)))
			return;
		if (cc == CC_OWN) {
			unbound(t);	/* unbound now, or already */
		} else if (!ret) {
			/* maybe our context: maybe still bound on it */
			t->bound_maybe = t->bound || t->bound_maybe;
			t->bound = false;
		}
		return;
	}
	if (!lib && rng_pct(&t->rng, 25)) {
		op_bind_id(t);
		return;
	}
	a.fd = pick_fd(t, &fc);
	if (lib) {
		snprintf(t->what, sizeof(t->what), "door_bind(%d %s)", a.fd,
			 fdclass_name(fc));
		ret = door_bind(a.fd);
		/* libdoor's context created none of ours */
		exp = fc == FC_SLOT || fc == FC_RANDOM ? A_BIND :
			fc == FC_BADFD || fc == FC_CTX || fc == FC_NONDOOR ||
			fc == FC_QUERY ? EM(EBADF) : EM(EINVAL);
		if (!ret)
			door_unbind();
		check(t, OP_LIBMISC, ret, exp);
		return;
	}
	if (rng_pct(&t->rng, 2))
		a.flags = 1 + rng_below(&t->rng, 100);
	ctx = pick_ctx(t, &cc);
	pl = pick_place(t);
	uptr = place(t, pl, &a, sizeof(a));
	snprintf(t->what, sizeof(t->what), "BIND(ctx %d, %s, fd %d %s, flags %u)",
		 ctx, place_name(pl), a.fd, fdclass_name(fc), a.flags);
	ret = fz_ioctl(t, ctx, DOOR_IOC_BIND, uptr);
	if (!place_exp(pl, &exp)) {
		if (a.flags)
			exp = EM(EINVAL);
		else if (fc == FC_BADFD || fc == FC_CTX || fc == FC_NONDOOR ||
			 fc == FC_QUERY)
			exp = EM(EBADF);
		else if (fc == FC_ANCHOR || fc == FC_REFUSE)
			exp = EM(EINVAL);
		else if (fc == FC_PRIVATE)
			exp = EM(0);
		else
			exp = A_BIND;
		/* not our context: EPERM, before or after the door's errors */
		if (cc == CC_FOREIGN)
			exp = (exp & ~EM(0)) | EM(EPERM);
		/* maybe another context of ours: not the door's */
		if (cc == CC_UNKNOWN)
			exp |= EM(EINVAL);
	}
	if (check(t, OP_BIND, ret, on_ctx(cc, exp)) && !ret)
		bound_now(t, cc);
}

void op_ucred(struct thread *t, bool lib)
{
	struct door_ucred_args a = { 0 };
	enum ctxclass cc;
	enum place pl;
	int ctx, ret;
	emask_t exp;
	void *uptr;

	if (lib) {
		ucred_t *uc = NULL;

		snprintf(t->what, sizeof(t->what), "door_ucred() outside a call");
		ret = door_ucred(&uc);
		if (!ret)
			ucred_free(uc);
		check(t, OP_LIBMISC, ret, EM(EINVAL));
		return;
	}
	a.ngroups = rng_below(&t->rng, 16);
	a.groups = rng_pct(&t->rng, 80) ?
		(uint64_t)(uintptr_t)(t->a.scratch + 3072) : bad_ptr(t);
	ctx = pick_ctx(t, &cc);
	pl = pick_place(t);
	uptr = place(t, pl, &a, sizeof(a));
	snprintf(t->what, sizeof(t->what), "UCRED(ctx %d, %s) outside a call",
		 ctx, place_name(pl));
	ret = fz_ioctl(t, ctx, DOOR_IOC_UCRED, uptr);
	if (!place_exp(pl, &exp))
		exp = EM(EINVAL);
	check(t, OP_UCRED, ret, on_ctx(cc, exp));
}

void op_param(struct thread *t, bool set, bool lib)
{
	struct proc *p = t->p;
	struct door_param_args a = { 0 }, out;
	static const uint64_t values[] = {
		0, 1, 16, 48, 512, 4096, 65536, (uint64_t)INT_MAX,
		(uint64_t)INT_MAX + 1, UINT32_MAX, UINT64_MAX, 1ull << 40,
	};
	enum fdclass fc;
	enum ctxclass cc;
	enum place pl;
	bool param_ok;
	int ctx, ret;
	emask_t exp;
	void *uptr;

	if (set) {
		/* ours or someone's, never an anchor nor a random number */
		enum kind kind;

		a.fd = slot_peek(p, t, &kind);
		fc = FC_SLOT;
		if (a.fd < 0 || !files_may_revoke(p, kind) ||
		    rng_pct(&t->rng, 10)) {
			a.fd = rng_pct(&t->rng, 50) ? -1 : p->devnull;
			fc = a.fd < 0 ? FC_BADFD : FC_NONDOOR;
		}
		/* mostly values that keep doors usable */
		a.value = rng_pct(&t->rng, 70) ? values[rng_pct(&t->rng, 50) ?
			10 : rng_below(&t->rng, 5)] :
			values[rng_below(&t->rng, ARRAY_SIZE(values))];
	} else {
		a.fd = pick_fd(t, &fc);
	}
	a.param = rng_pct(&t->rng, 95) ? 1 + rng_below(&t->rng, 3) :
		rng_pct(&t->rng, 50) ? 0 : 4 + rng_below(&t->rng, 1000);
	param_ok = a.param >= 1 && a.param <= 3;

	if (lib) {
		size_t v = a.value;

		snprintf(t->what, sizeof(t->what), "door_%sparam(%d %s, %u, %llu)",
			 set ? "set" : "get", a.fd, fdclass_name(fc), a.param,
			 (unsigned long long)a.value);
		ret = set ? door_setparam(a.fd, a.param, v) :
			door_getparam(a.fd, a.param, &v);
		exp = set ? A_SETPARAM : A_GETPARAM | EM(EOVERFLOW);
		if (fc == FC_BADFD || fc == FC_CTX || fc == FC_NONDOOR ||
		    fc == FC_QUERY)
			exp = EM(EBADF);
		check(t, OP_LIBMISC, ret, exp);
		return;
	}
	ctx = pick_ctx(t, &cc);
	pl = pick_place(t);
	uptr = place(t, pl, &a, sizeof(a));
	snprintf(t->what, sizeof(t->what),
		 "%sPARAM(ctx %d, %s, fd %d %s, param %u, value %llu)",
		 set ? "SET" : "GET", ctx, place_name(pl), a.fd,
		 fdclass_name(fc), a.param, (unsigned long long)a.value);
	ret = fz_ioctl(t, ctx, set ? DOOR_IOC_SETPARAM : DOOR_IOC_GETPARAM, uptr);
	if (!place_exp(pl, &exp)) {
		if (fc == FC_BADFD || fc == FC_CTX || fc == FC_NONDOOR ||
		    fc == FC_QUERY)
			exp = EM(EBADF);
		else if (set)
			exp = A_SETPARAM;
		else if (fc == FC_SLOT || fc == FC_RANDOM)
			exp = A_GETPARAM;
		else
			exp = param_ok ? EM(0) : EM(EINVAL);
		if (!set && !place_writable(pl) && emask_has(exp, 0))
			exp = (exp & ~EM(0)) | EM(EFAULT);
	}
	if (!check(t, set ? OP_SETPARAM : OP_GETPARAM, ret, on_ctx(cc, exp)) ||
	    ret || set || !unplace(t, pl, uptr, &out, sizeof(out)))
		return;
	/* anchors keep their defaults: nothing sets them */
	if (fc == FC_ANCHOR || fc == FC_PRIVATE || fc == FC_REFUSE) {
		uint64_t want = a.param == DOOR_PARAM_DATA_MIN ? 0 :
			a.param == DOOR_PARAM_DATA_MAX ? UINT64_MAX :
			fc == FC_REFUSE ? 0 : INT_MAX;

		if (out.value != want)
			corrupt(t, "%s: %llu, default %llu", t->what,
				(unsigned long long)out.value,
				(unsigned long long)want);
	}
}

void op_attach(struct thread *t, bool detach, bool lib)
{
	struct door_attach_args a = { 0 };
	enum fdclass fc = FC_SLOT;
	enum ctxclass cc;
	enum place pl;
	int ctx, ret, lookup;
	bool known;
	emask_t exp;
	void *uptr;

	a.path = pick_path(t, &lookup);
	a.fd = detach ? -1 : pick_fd(t, &fc);
	if (detach && rng_pct(&t->rng, 3))
		a.fd = rng_below(&t->rng, 100);
	if (rng_pct(&t->rng, 2))
		a.flags = 1 + rng_below(&t->rng, 100);

	if (lib && lookup != EFAULT) {
		const char *path = (const char *)(uintptr_t)a.path;

		snprintf(t->what, sizeof(t->what), "%s(%d %s, \"%.40s\")",
			 detach ? "fdetach" : "fattach", a.fd,
			 fdclass_name(fc), path);
		ret = detach ? fdetach(path) : fattach(a.fd, path);
		exp = detach ? A_FDETACH : A_FATTACH;
		check(t, OP_LIBMISC, ret, exp);
		return;
	}
	known = fc == FC_ANCHOR || fc == FC_PRIVATE || fc == FC_REFUSE;
	ctx = pick_ctx(t, &cc);
	pl = pick_place(t);
	uptr = place(t, pl, &a, sizeof(a));
	snprintf(t->what, sizeof(t->what),
		 "%s(ctx %d, %s, fd %d %s, path %#llx lookup %s, flags %u)",
		 detach ? "FDETACH" : "FATTACH", ctx, place_name(pl), a.fd,
		 fdclass_name(fc), (unsigned long long)a.path, errname(lookup),
		 a.flags);
	ret = fz_ioctl(t, ctx, detach ? DOOR_IOC_FDETACH : DOOR_IOC_FATTACH, uptr);
	if (!place_exp(pl, &exp)) {
		if (a.flags || (detach && a.fd != -1))
			exp = EM(EINVAL);
		else if (!detach && (fc == FC_BADFD || fc == FC_QUERY))
			exp = EM(EBADF);
		else if (!detach && (fc == FC_CTX || fc == FC_NONDOOR))
			exp = EM(EINVAL);
		else if (lookup && (detach || known))
			exp = EM(lookup);
		else if (getuid() && (detach || known))
			exp = EM(EPERM);	/* nobody owns no target */
		else if (detach)
			exp = A_FDETACH;
		else
			exp = A_FATTACH;
	}
	check(t, detach ? OP_FDETACH : OP_FATTACH, ret, on_ctx(cc, exp));
}

/* Commands /dev/doors does not know: ENOTTY, whatever the argument. */
void op_badcmd(struct thread *t)
{
	static const unsigned int known[] = {
		DOOR_IOC_CREATE, DOOR_IOC_REVOKE, DOOR_IOC_INFO, DOOR_IOC_CALL,
		DOOR_IOC_BIND, DOOR_IOC_UNBIND, DOOR_IOC_BIND_ID,
		DOOR_IOC_UCRED, DOOR_IOC_RETURN, DOOR_IOC_GETPARAM, DOOR_IOC_SETPARAM,
		DOOR_IOC_FATTACH, DOOR_IOC_FDETACH,
	};
	struct proc *p = t->p;
	unsigned int cmd, i, r = rng_below(&t->rng, 100);
	int ret, fd = p->ctx;
	emask_t exp = EM(ENOTTY);

	if (r < 40) {
		/* a known command number with another size or direction */
		cmd = known[rng_below(&t->rng, ARRAY_SIZE(known))];
		cmd ^= (1 + rng_below(&t->rng, 255)) << _IOC_SIZESHIFT;
	} else if (r < 70) {
		cmd = _IOC(rng_below(&t->rng, 4), DOOR_IOC_MAGIC,
			   rng_below(&t->rng, 256), rng_below(&t->rng, 512));
	} else if (r < 85) {
		/* a door command on a descriptor that is not a context */
		cmd = known[rng_below(&t->rng, ARRAY_SIZE(known))];
		fd = rng_pct(&t->rng, 50) ? p->devnull : p->pipe[1];
		if (p->anchors_own && rng_pct(&t->rng, 50))
			fd = p->anchor[A_PLAIN];
	} else {
		cmd = _IOC(rng_below(&t->rng, 4), DOOR_IOC_MAGIC + 1 +
			   rng_below(&t->rng, 0x20), rng_below(&t->rng, 256),
			   rng_below(&t->rng, 64));
	}
	for (i = 0; fd == p->ctx && i < ARRAY_SIZE(known); i++)
		if (cmd == known[i])
			return;
	if (fd < 0)
		return;
	snprintf(t->what, sizeof(t->what), "ioctl(%d, %#x)", fd, cmd);
	ret = fz_ioctl(t, fd, cmd, (void *)(uintptr_t)rng_next(&t->rng));
	check(t, OP_BADCMD, ret, exp);
}

/* DOOR_IOC_RETURN from a client thread, on a context of any kind. */
void op_return(struct thread *t)
{
	struct door_return_args a = { 0 };
	enum ctxclass cc;
	enum place pl;
	int ctx, ret;
	emask_t exp;
	void *uptr;

	ctx = pick_ctx(t, &cc);
	if (cc == CC_OWN && rng_pct(&t->rng, 70)) {
		serve_return_op(t);
		return;
	}
	/* refused before any parking: flags, padding, signal, owner */
	switch (rng_below(&t->rng, 3)) {
	case 0:
		a.flags = 1u << (2 + rng_below(&t->rng, 30));
		break;
	case 1:
		a.pad = 1;
		break;
	default:
		a.cancel_signal = 65 + rng_below(&t->rng, 1000);
		break;
	}
	pl = pick_place(t);
	if (pl == PL_STRADDLE)
		pl = PL_GUARD;
	uptr = place(t, pl, &a, sizeof(a));
	snprintf(t->what, sizeof(t->what),
		 "RETURN(ctx %d class %d, %s, flags %#x pad %u signal %u)",
		 ctx, cc, place_name(pl), a.flags, a.pad, a.cancel_signal);
	ret = fz_ioctl(t, ctx, DOOR_IOC_RETURN, uptr);
	if (!place_exp(pl, &exp))
		exp = EM(EINVAL);
	check(t, OP_RETURN, ret, on_ctx(cc, exp));
}
