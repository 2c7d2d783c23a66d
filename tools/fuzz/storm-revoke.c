// SPDX-License-Identifier: GPL-2.0
/*
 * revoke: door_revoke racing calls and unreferenced notifications.
 *
 * A server process creates a door per iteration (plain, DOOR_UNREF or
 * DOOR_UNREF_MULTI) and revokes it after a random time, while two threads
 * of the storm call it through descriptors of their own and the storm
 * closes its own, so that the last references go while calls and the
 * revocation are in flight.  Calls must succeed with the right results
 * until they fail with EBADF, and fail with EBADF from then on; a plain
 * door must never get an unreferenced invocation, a DOOR_UNREF door at
 * most one.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "storm.h"

static const uint32_t attrs[] = { 0, DOOR_UNREF, DOOR_UNREF_MULTI };

struct order {
	uint32_t attributes;
	uint32_t cookie;
};

/* The server: a door per order, sent back, revoked a moment later. */
static void server(int ctl, _Atomic unsigned int *unref, unsigned long n,
		   uint64_t seed)
{
	struct serve_opts so = {
		.notify_fd = -1,
		.gate_fd = -1,
		.desc_fd = -1,
		.unref = unref,
		.ncookies = n,
	};
	struct order ord;
	struct rng rng;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	rng_init(&rng, seed, 3);
	so.ctx = ctx_open();
	serve_thread(&so);
	serve_thread(&so);
	while (xread(ctl, &ord, sizeof(ord)) == sizeof(ord)) {
		struct door_fd_args a = { 0 };
		char ok;

		a.fd = door_new(so.ctx, ord.attributes, ord.cookie);
		send_fds(ctl, &a.fd, 1, 0);
		spin_random(&rng, 2000);
		ok = ioctl(so.ctx, DOOR_IOC_REVOKE, &a) ? errno : 0;
		xwrite(ctl, &ok, 1);
	}
	_exit(0);
}

struct caller {
	int ctx;
	int job[2];
	int done[2];
	struct rng rng;
	struct storm_result *r;
};

/* Call until revoked; then it must stay revoked. */
static void *caller_main(void *arg)
{
	struct caller *c = arg;
	int fd;

	while (xread(c->job[0], &fd, sizeof(fd)) == sizeof(fd) && fd >= 0) {
		int ret;

		do {
			atomic_fetch_add(&c->r->calls, 1);
			ret = door_call_checked(c->ctx, fd, &c->rng,
						rng_below(&c->rng, 2000),
						rng_below(&c->rng, 2000), 0,
						NULL);
		} while (!ret);
		if (ret != -EBADF)
			fail(c->r, "revoke: call: %s", errname(-ret));
		ret = door_call_checked(c->ctx, fd, &c->rng, 16, 16, 0, NULL);
		if (ret != -EBADF)
			fail(c->r, "revoke: call after EBADF: %s",
			     errname(-ret));
		close(fd);
		xwrite(c->done[1], &ret, sizeof(ret));
	}
	return NULL;
}

static int run_revoke(const struct storm_opts *o, struct storm_result *r,
		      struct rng *rng)
{
	struct caller c[2] = { { .r = r }, { .r = r } };
	_Atomic unsigned int *unref;
	unsigned long i, total = 0;
	pthread_t th[2];
	int sv[2], k, stop = -1, status;
	pid_t pid;

	unref = mmap(NULL, o->iterations * sizeof(*unref),
		     PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (unref == MAP_FAILED ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return 2;
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		server(sv[1], unref, o->iterations, rng_next(rng));
	}
	close(sv[1]);
	for (k = 0; k < 2; k++) {
		c[k].ctx = ctx_open();
		rng_init(&c[k].rng, rng_next(rng), 10 + k);
		if (pipe2(c[k].job, O_CLOEXEC) || pipe2(c[k].done, O_CLOEXEC) ||
		    pthread_create(&th[k], NULL, caller_main, &c[k]))
			return 2;
	}

	for (i = 0; i < o->iterations; i++) {
		struct order ord = { attrs[i % 3], i };
		int door = -1, ret;
		char ok;

		xwrite(sv[0], &ord, sizeof(ord));
		if (recv_fds(sv[0], &door, 1, 0) != 1) {
			fail(r, "revoke: no door from the server");
			break;
		}
		for (k = 0; k < 2; k++) {
			int fd = fcntl(door, F_DUPFD_CLOEXEC, 0);

			xwrite(c[k].job[1], &fd, sizeof(fd));
		}
		spin_random(rng, 2000);
		close(door);
		for (k = 0; k < 2; k++)
			xread(c[k].done[0], &ret, sizeof(ret));
		if (xread(sv[0], &ok, 1) != 1 || ok)
			fail(r, "revoke: door_revoke in the server: %s",
			     errname(ok));
		atomic_fetch_add(&r->iterations, 1);
	}
	for (k = 0; k < 2; k++) {
		xwrite(c[k].job[1], &stop, sizeof(stop));
		pthread_join(th[k], NULL);
		close(c[k].ctx);
	}
	close(sv[0]);
	xwaitpid(pid, &status, 0);

	for (i = 0; i < o->iterations; i++) {
		unsigned int n = unref[i];

		total += n;
		if ((attrs[i % 3] == 0 && n) ||
		    (attrs[i % 3] == DOOR_UNREF && n > 1))
			fail(r, "revoke: door %lu (attributes %#x): %u unreferenced invocations",
			     i, attrs[i % 3], n);
	}
	say("revoke: %lu unreferenced invocations", total);
	return 0;
}

const struct storm storm_revoke = {
	.name = "revoke",
	.what = "door_revoke racing calls, closes and unref",
	.run = run_revoke,
};
