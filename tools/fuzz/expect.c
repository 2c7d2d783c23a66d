// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel may answer.  Each operation computes the errnos the ABI
 * (Documentation/abi.rst) allows for what it passed.  When it passed
 * exactly one thing the kernel must refuse (an unreadable argument
 * structure, unknown flags, a descriptor that is never open...) the set
 * is that one errno; when the outcome depends on what other threads and
 * processes do, it is every errno the ioctl documents.  Anything else is
 * reported.
 */
#include <errno.h>

#include "doorfuzz.h"

int pick_ctx(struct thread *t, enum ctxclass *cc)
{
	struct proc *p = t->p;
	enum fdclass fc;
	unsigned int r = rng_below(&t->rng, 100);
	int fd;

	if (r < 92 && p->ctx >= 0) {
		*cc = p->ctx_own ? CC_OWN : CC_FOREIGN;
		return p->ctx;
	}
	fd = pick_fd(t, &fc);
	switch (fc) {
	case FC_CTX:
		*cc = p->ctx_own ? CC_OWN : CC_FOREIGN;
		break;
	case FC_ANCHOR:
	case FC_PRIVATE:
	case FC_REFUSE:
	case FC_NONDOOR:
		*cc = CC_NOTCTX;
		break;
	case FC_BADFD:
	case FC_QUERY:
		*cc = CC_BADFD;
		break;
	default:
		*cc = CC_UNKNOWN;
	}
	return fd;
}

emask_t on_ctx(enum ctxclass cc, emask_t exp)
{
	switch (cc) {
	case CC_NOTCTX:
		return EM(ENOTTY);
	case CC_BADFD:
		return EM(EBADF);
	case CC_UNKNOWN:
		/* or a context of another process */
		return exp | A_NOTCTX | EM(EPERM);
	default:
		return exp;
	}
}

bool check(struct thread *t, enum op op, int ret, emask_t exp)
{
	int e = ret < 0 ? errno : 0;
	char buf[160];

	exp = fz_exp(t, exp);
	record(t, op, e);
	trace(t, "%s = %s", t->what, ret < 0 ? errname(e) : "ok");
	if (emask_has(exp, e))
		return true;
	unexpected(t, "%s = %s, expected %s", t->what,
		   ret < 0 ? errname(e) : "success",
		   emask_str(exp, buf, sizeof(buf)));
	return false;
}

bool place_exp(enum place pl, emask_t *exp)
{
	if (place_readable(pl))
		return false;
	*exp = EM(EFAULT);
	return true;
}
