// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * door_return() and the server loop.
 *
 * A thread that calls door_return() while it serves no call (normally
 * with no results) becomes a server thread: it enters the server loop,
 * which parks in the kernel until a call arrives, runs the door's
 * procedure, and parks again.  The procedure ends the call with
 * door_return(), which delivers the results, waits for the next call and
 * jumps back to the loop's frame, dropping the procedure's: the stack does
 * not grow from one call to the next.  Nothing on the procedure's stack is
 * unwound (C++ destructors do not run), as on illumos.  The jump is the
 * compiler's __builtin_longjmp(), a few instructions: glibc's siglongjmp()
 * would first walk the thread's legacy cleanup chain (glibc's own; that
 * of pthread_cleanup_push() is another), at the cost of the rest of
 * door_return().
 *
 * door_return() returns only when it fails, with errno set, and the
 * thread then still holds the call: the procedure may return again.
 *
 * A procedure that returns without calling door_return() makes its
 * client's door_call() fail with EINTR.  On illumos its thread is also
 * terminated; here it goes on serving.
 *
 * A server thread (or a bound one) that exits, by pthread_exit() or
 * cancellation, even in the middle of a procedure, tells the kernel from
 * a thread-specific data destructor: its client's door_call() fails with
 * EINTR and its binding goes.
 *
 * Cancellation: when a client gives up on a call (a signal interrupts its
 * door_call()) to a door without DOOR_NO_CANCEL, the kernel sends the
 * serving thread libdoor's cancellation signal, a real-time signal left
 * at its default disposition by the program (glibc's own SIGCANCEL is
 * only honoured when the process sends it).  Its handler cancels the
 * thread with pthread_cancel() if the thread has cancellation enabled;
 * server threads start with it disabled, as on illumos, and then nothing
 * happens.
 *
 * A fork() child inherits the forking thread's loop: if that thread was
 * running a procedure, its door_return() in the child delivers nothing
 * (the call belongs to the parent) and parks in the child's own context.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "door_impl.h"

/* Arguments that fit arrive here; larger ones in a kernel-made mapping. */
#define DOOR_BUF_SIZE	16384

struct door_server {
	void *loop[5];			/* the server loop's frame... */
	int serving;			/* ...valid while this is set */
	struct door_return_args args;	/* args.inv: the call being served */
	char *buf;			/* receive buffer, or NULL */
};

/*
 * Initial-exec: door_return() reaches it without a __tls_get_addr() call
 * (several per round trip otherwise).  A libdoor loaded by dlopen() takes
 * its few hundred bytes from glibc's static TLS surplus, kept for this.
 */
static __thread struct door_server door_self
	__attribute__((tls_model("initial-exec")));

static pthread_key_t door_exit_key;
static pthread_once_t door_exit_once = PTHREAD_ONCE_INIT;
static int door_exit_keyed;

/* The thread exits: end its call, drop its binding, free its buffer. */
static void door_thread_exit(void *arg)
{
	struct door_server *self = arg;
	struct door_return_args args;
	int ctx = libdoor_context_peek();

	if (ctx >= 0) {
		memset(&args, 0, sizeof(args));
		args.flags = DOOR_RETURN_ABORT | DOOR_RETURN_EXIT;
		ioctl(ctx, DOOR_IOC_RETURN, &args);
	}
	self->serving = 0;
	free(self->buf);
	self->buf = NULL;
}

static void door_exit_key_init(void)
{
	door_exit_keyed = !pthread_key_create(&door_exit_key,
					      door_thread_exit);
}

void libdoor_thread_arm(void)
{
	pthread_once(&door_exit_once, door_exit_key_init);
	if (door_exit_keyed)
		pthread_setspecific(door_exit_key, &door_self);
}

static pthread_once_t door_cancel_once = PTHREAD_ONCE_INIT;
static int door_cancel_signal;

static void door_cancel_handler(int sig, siginfo_t *si, void *uc)
{
	int state;

	(void)sig;
	(void)uc;
	if (si->si_code != SI_KERNEL || !door_self.serving)
		return;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &state);
	pthread_setcancelstate(state, NULL);
	if (state == PTHREAD_CANCEL_ENABLE)
		pthread_cancel(pthread_self());
}

/* Take the highest real-time signal the program leaves alone. */
static void door_cancel_init(void)
{
	struct sigaction sa, old;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = door_cancel_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	for (sig = SIGRTMAX; sig > SIGRTMIN; sig--) {
		if (sigaction(sig, NULL, &old) || old.sa_handler != SIG_DFL ||
		    (old.sa_flags & SA_SIGINFO))
			continue;
		if (!sigaction(sig, &sa, NULL)) {
			door_cancel_signal = sig;
			return;
		}
	}
}

/*
 * Deliver results (if this thread holds a call), then wait for the next
 * call, which the kernel stores in self->args.inv.  EINTR means a signal
 * came while parked, after the results were delivered: park again, with
 * none.  The receive buffer and the cancellation signal stay in
 * self->args from one call to the next.
 */
static int door_park(struct door_server *self, char *data, size_t size,
		     door_desc_t *desc, uint_t ndesc, __u32 flags)
{
	struct door_return_args *args = &self->args;
	int ctx = libdoor_context();

	if (ctx < 0)
		return -1;
	if (!self->buf) {
		self->buf = malloc(DOOR_BUF_SIZE);
		libdoor_thread_arm();
		pthread_once(&door_cancel_once, door_cancel_init);
		memset(args, 0, sizeof(*args));
		args->buf = DOOR_PTR(self->buf);
		args->buf_size = self->buf ? DOOR_BUF_SIZE : 0;
		args->cancel_signal = door_cancel_signal;
	}

	args->data_ptr = DOOR_PTR(data);
	args->data_size = size;
	args->desc_ptr = DOOR_PTR(desc);
	args->desc_num = ndesc;
	args->flags = flags;
	while (ioctl(ctx, DOOR_IOC_RETURN, args) < 0) {
		if (errno != EINTR)
			return -1;
		args->data_ptr = 0;
		args->data_size = 0;
		args->desc_ptr = 0;
		args->desc_num = 0;
		args->flags = 0;
	}
	return 0;
}

static void door_dispatch(const struct door_server *self)
{
	const struct door_invocation *inv = &self->args.inv;
	door_server_procedure_t *proc;

	/* This thread took the last parked one's place: add a thread. */
	if (inv->nservers == 0)
		libdoor_depleted(inv);

	proc = (door_server_procedure_t *)(uintptr_t)inv->proc;
	if (proc)
		proc((void *)(uintptr_t)inv->cookie,
		     (char *)(uintptr_t)inv->data_ptr, inv->data_size,
		     (door_desc_t *)(uintptr_t)inv->desc_ptr, inv->desc_num);
}

/* Not inlined: __builtin_longjmp() may not jump within one function. */
static __attribute__((noinline)) int
door_serve(struct door_server *self, char *data, size_t size,
	   door_desc_t *desc, uint_t ndesc)
{
	if (door_park(self, data, size, desc, ndesc, 0) < 0)
		return -1;

	/* door_return() comes back here with self->args.inv, the next call. */
	(void)__builtin_setjmp(self->loop);
	self->serving = 1;
	for (;;) {
		door_dispatch(self);
		/* The procedure returned without door_return(). */
		if (door_park(self, NULL, 0, NULL, 0, DOOR_RETURN_ABORT) < 0)
			break;
	}
	self->serving = 0;
	return -1;
}

DOOR_EXPORT int door_return(char *data_ptr, size_t data_size,
			    door_desc_t *desc_ptr, uint_t num_desc)
{
	struct door_server *self = &door_self;

	if (!self->serving)
		return door_serve(self, data_ptr, data_size, desc_ptr,
				  num_desc);

	if (door_park(self, data_ptr, data_size, desc_ptr, num_desc, 0) < 0)
		return -1;
	__builtin_longjmp(self->loop, 1);
}
