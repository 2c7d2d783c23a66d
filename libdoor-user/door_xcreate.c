// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * door_xcreate(): a private door with a thread creation function of its
 * own.
 *
 * Threads are started in batches: nthread by door_xcreate(), one at each
 * depletion call.  The creation function (crf) gets xcreate_start() as
 * startf and, as startarg, a ticket: a number naming the batch, not a
 * pointer.  A thread started by a crf that did not keep its contract (it
 * returned something other than 1) may run long after its batch is over:
 * it looks its ticket up, finds nothing and returns, without touching
 * anything stale (on illumos it reads door_xcreate()'s dead stack frame).
 *
 * A batch waits until every thread it started has run setupf and bound
 * itself to the door, then lets them all park in door_return(); if
 * anything went wrong it tells them to unbind and return instead.
 *
 * Threads bind by the door's uniquifier (DOOR_IOC_BIND_ID), so libdoor
 * keeps no descriptor of the door (which would count as a reference and
 * hold back DOOR_UNREF), only what a depletion call needs (struct xdoor),
 * until door_revoke(); a door with DOOR_NO_DEPLETION_CB needs nothing.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "door_impl.h"

enum xbatch_state { XB_STARTING, XB_GO, XB_ABORT };

struct xbatch {
	struct xbatch *next;
	uintptr_t ticket;
	door_id_t id;		/* the door to bind to */
	door_xcreate_thrsetup_func_t *setupf;
	void *crcookie;
	unsigned int arrived;	/* threads that found the batch... */
	unsigned int bound;	/* ...and are bound */
	unsigned int failed;	/* ...and could not bind */
	int error;		/* errno of the first failed door_bind() */
	enum xbatch_state state;
	unsigned int refs;	/* the starter, and the arrived threads */
	pthread_cond_t cond;	/* any change of the above */
};

/* A door_xcreate() door with depletion calls. */
struct xdoor {
	struct xdoor *next;
	door_id_t id;
	unsigned int refs;	/* the list, and the depletion calls running */
	door_xcreate_server_func_t *crf;
	door_xcreate_thrsetup_func_t *setupf;
	void *crcookie;
};

/* Protects everything below and in them.  Never held over user code. */
static pthread_mutex_t xlock = PTHREAD_MUTEX_INITIALIZER;
static struct xbatch *xbatches;
static struct xdoor *xdoors;
static uintptr_t xticket;

static void xbatch_put(struct xbatch *b)
{
	if (--b->refs)
		return;
	pthread_cond_destroy(&b->cond);
	free(b);
}

static void xbatch_unlink(struct xbatch *b)
{
	struct xbatch **p;

	for (p = &xbatches; *p; p = &(*p)->next) {
		if (*p == b) {
			*p = b->next;
			return;
		}
	}
}

/* startf: runs in each thread crf starts. */
static void *xcreate_start(void *startarg)
{
	int error = 0, cancel, go;
	struct xbatch *b;

	pthread_mutex_lock(&xlock);
	for (b = xbatches; b; b = b->next)
		if (b->ticket == (uintptr_t)startarg)
			break;
	if (b) {
		b->refs++;
		b->arrived++;
	}
	pthread_mutex_unlock(&xlock);
	if (!b)
		return NULL;	/* the batch is over */

	if (b->setupf)
		b->setupf(b->crcookie);
	else
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	/* Keep the batch's count right whatever setupf allowed. */
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel);
	if (libdoor_bind_id(b->id))
		error = errno;

	pthread_mutex_lock(&xlock);
	if (!error)
		b->bound++;
	else if (!b->failed++)
		b->error = error;
	pthread_cond_broadcast(&b->cond);
	while (b->state == XB_STARTING)
		pthread_cond_wait(&b->cond, &xlock);
	go = b->state == XB_GO;
	xbatch_put(b);
	pthread_mutex_unlock(&xlock);

	if (error)
		return NULL;
	if (!go) {
		door_unbind();
		return NULL;
	}
	pthread_setcancelstate(cancel, NULL);
	door_return(NULL, 0, NULL, 0);
	return NULL;
}

/*
 * Start n threads bound to the door with crf, and wait until they are
 * bound.  Returns 0, or the errno for door_xcreate(): crf returned 0 or
 * another value than 1 (EINVAL), -1 (EPIPE), door_bind() failed, or
 * ENOMEM.  Then whatever did start unbinds and returns.
 */
static int xcreate_threads(door_info_t *dip,
			   door_xcreate_server_func_t *crf,
			   door_xcreate_thrsetup_func_t *setupf,
			   void *crcookie, int n)
{
	int i, ret = 1, error = 0, cancel;
	struct xbatch *b;

	b = calloc(1, sizeof(*b));
	if (!b)
		return ENOMEM;
	pthread_cond_init(&b->cond, NULL);
	b->id = dip->di_uniquifier;
	b->setupf = setupf;
	b->crcookie = crcookie;
	b->state = XB_STARTING;
	b->refs = 1;

	/* A cancellation would leave the batch's threads waiting. */
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel);
	pthread_mutex_lock(&xlock);
	b->ticket = ++xticket;
	b->next = xbatches;
	xbatches = b;
	pthread_mutex_unlock(&xlock);

	for (i = 0; i < n && ret == 1; i++)
		ret = crf(dip, xcreate_start, (void *)b->ticket, crcookie);
	if (ret != 1)
		error = ret == -1 ? EPIPE : EINVAL;

	pthread_mutex_lock(&xlock);
	/* If crf kept its word, n threads are coming. */
	while (!error && b->bound + b->failed < (unsigned int)n)
		pthread_cond_wait(&b->cond, &xlock);
	/* Latecomers find nothing; those that came finish door_bind(). */
	xbatch_unlink(b);
	while (b->bound + b->failed < b->arrived)
		pthread_cond_wait(&b->cond, &xlock);
	if (!error && b->failed)
		error = b->error;
	b->state = error ? XB_ABORT : XB_GO;
	pthread_cond_broadcast(&b->cond);
	xbatch_put(b);
	pthread_mutex_unlock(&xlock);
	pthread_setcancelstate(cancel, NULL);
	return error;
}

static void xdoor_put(struct xdoor *x)
{
	if (--x->refs)
		return;
	free(x);
}

/* The door's pool ran dry: crf once more, with dip. */
void libdoor_xcreate_depleted(door_info_t *dip)
{
	struct xdoor *x;

	pthread_mutex_lock(&xlock);
	for (x = xdoors; x; x = x->next)
		if (x->id == dip->di_uniquifier)
			break;
	if (x)
		x->refs++;
	pthread_mutex_unlock(&xlock);
	if (!x)
		return;		/* revoked, or DOOR_NO_DEPLETION_CB */

	/* 0 means no more threads; nothing to report anyway. */
	xcreate_threads(dip, x->crf, x->setupf, x->crcookie, 1);

	pthread_mutex_lock(&xlock);
	xdoor_put(x);
	pthread_mutex_unlock(&xlock);
}

/* door_revoke(): forget the door. */
void libdoor_xcreate_revoked(door_id_t id)
{
	struct xdoor **p, *x;

	pthread_mutex_lock(&xlock);
	for (p = &xdoors; *p; p = &(*p)->next) {
		x = *p;
		if (x->id == id) {
			*p = x->next;
			xdoor_put(x);
			break;
		}
	}
	pthread_mutex_unlock(&xlock);
}

void libdoor_xcreate_prefork(void)
{
	pthread_mutex_lock(&xlock);
}

void libdoor_xcreate_postfork(void)
{
	pthread_mutex_unlock(&xlock);
}

/*
 * A fork() child serves none of its parent's doors: forget them.  What
 * the parent's other threads held is not freed: they are not there to
 * drop it.
 */
void libdoor_xcreate_forked(void)
{
	struct xdoor *x, *next;

	for (x = xdoors; x; x = next) {
		next = x->next;
		xdoor_put(x);
	}
	xdoors = NULL;
	pthread_mutex_unlock(&xlock);
}

static int xdoor_add(const door_info_t *di, door_xcreate_server_func_t *crf,
		     door_xcreate_thrsetup_func_t *setupf, void *crcookie)
{
	struct xdoor *x = calloc(1, sizeof(*x));

	if (!x)
		return -1;
	x->id = di->di_uniquifier;
	x->refs = 1;
	x->crf = crf;
	x->setupf = setupf;
	x->crcookie = crcookie;
	pthread_mutex_lock(&xlock);
	x->next = xdoors;
	xdoors = x;
	pthread_mutex_unlock(&xlock);
	return 0;
}

DOOR_EXPORT int door_xcreate(door_server_procedure_t *proc, void *cookie,
			     uint_t attributes,
			     door_xcreate_server_func_t *crf,
			     door_xcreate_thrsetup_func_t *setupf,
			     void *crcookie, int nthread)
{
	door_info_t di;
	int fd, error;

	if (attributes & DOOR_PRIVCREATE || !crf || nthread < 1) {
		errno = EINVAL;
		return -1;
	}
	attributes |= DOOR_PRIVATE | DOOR_PRIVCREATE;
	fd = libdoor_create(proc, cookie, attributes);
	if (fd < 0)
		return -1;

	if (door_info(fd, &di) ||
	    (!(attributes & DOOR_NO_DEPLETION_CB) &&
	     xdoor_add(&di, crf, setupf, crcookie))) {
		error = errno;
	} else {
		error = xcreate_threads(&di, crf, setupf, crcookie, nthread);
		if (!error)
			return fd;
	}
	/* Forgets the xdoor too; the threads started see XB_ABORT. */
	if (door_revoke(fd))
		close(fd);
	errno = error;
	return -1;
}
