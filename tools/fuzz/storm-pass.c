// SPDX-License-Identifier: GPL-2.0
/*
 * pass-exit: descriptors passed while their sender exits.
 *
 * Each iteration forks a sender with a door of its own and one way to
 * pass it, racing its own end (exit, or SIGKILL from the storm):
 *   - over a unix socket (SCM_RIGHTS), with a descriptor of the storm's
 *     door, then exit;
 *   - in the arguments of a call to the storm's door (DOOR_RELEASE),
 *     killed while the call is in the storm's procedure;
 *   - in the results of a call the storm makes to the sender's door,
 *     while the sender's main thread exits.
 * Whatever arrives must be usable: the sender's door answers EBADF once
 * the sender is gone, the storm's door answers.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "storm.h"

/* The storm's server thread: keeps what it receives, for the main. */
struct keeper {
	int ctx;
	int got[2];		/* descriptor received (or -1), per call */
	int gate[2];
};

static void *keeper_main(void *arg)
{
	struct keeper *k = arg;
	static char buf[4096];
	struct door_return_args a = { 0 };

	for (;;) {
		const struct door_udesc *d;
		int fd = -1;

		a.buf = (uint64_t)(uintptr_t)buf;
		a.buf_size = sizeof(buf);
		if (ioctl(k->ctx, DOOR_IOC_RETURN, &a)) {
			memset(&a, 0, sizeof(a));
			continue;
		}
		d = (const void *)(uintptr_t)a.inv.desc_ptr;
		if (a.inv.desc_num)
			fd = d[0].d_descriptor;
		memset(&a, 0, offsetof(struct door_return_args, inv));
		xwrite(k->got[1], &fd, sizeof(fd));
		await(k->gate[0]);
	}
	return NULL;
}

/* Check a door that arrived from a sender now gone: EBADF. */
static void check_gone(int ctx, int fd, struct rng *rng,
		       struct storm_result *r, const char *how)
{
	struct door_info_args info = { .fd = fd };
	int ret = door_call_checked(ctx, fd, rng, 16, 16, 0, NULL);

	atomic_fetch_add(&r->calls, 1);
	if (ret != -EBADF)
		fail(r, "pass-exit (%s): call of the dead sender's door: %s",
		     how, errname(-ret));
	if (ioctl(ctx, DOOR_IOC_INFO, &info) || info.target != -1)
		fail(r, "pass-exit (%s): door_info of the dead sender's door: target %d",
		     how, info.target);
}

/* 1: SCM_RIGHTS, then exit (or be killed right away). */
static void pass_socket(int ctx, int door, struct rng *rng,
			struct storm_result *r, bool killed)
{
	int sv[2], fds[2] = { -1, -1 }, n, ret;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv))
		return;
	pid = fork();
	if (pid == 0) {
		int c = ctx_open(), d = door_new(c, 0, 0), out[2] = { d, door };

		send_fds(sv[1], out, 2, 0);
		if (killed)
			for (;;)
				pause();
		_exit(0);
	}
	if (killed) {
		spin_random(rng, 2000);
		kill(pid, SIGKILL);
		atomic_fetch_add(&r->kills, 1);
	}
	xwaitpid(pid, NULL, 0);
	n = recv_fds(sv[0], fds, 2, MSG_DONTWAIT);
	close(sv[0]);
	close(sv[1]);
	if (n < 0)
		return;		/* killed before it sent */
	if (n != 2) {
		fail(r, "pass-exit (socket): %d descriptors", n);
	} else {
		check_gone(ctx, fds[0], rng, r, "socket");
		ret = door_call_checked(ctx, fds[1], rng, 16, 16, 0, NULL);
		atomic_fetch_add(&r->calls, 1);
		if (ret)
			fail(r, "pass-exit (socket): call of the storm's door: %s",
			     errname(-ret));
	}
	while (n > 0)
		close(fds[--n]);
}

/* 2: in a call's arguments, killed while the call is in our procedure. */
static void pass_args(int ctx, int door, struct keeper *k, struct rng *rng,
		      struct storm_result *r)
{
	int fd = -1;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		int c = ctx_open(), d = door_new(c, 0, 0);
		struct door_udesc desc = {
			.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE,
			.d_descriptor = d,
		};
		struct door_call_args a = {
			.fd = door,
			.desc_ptr = (uint64_t)(uintptr_t)&desc,
			.desc_num = 1,
		};

		ioctl(c, DOOR_IOC_CALL, &a);
		_exit(0);
	}
	/* the storm's procedure has the descriptor: kill the sender */
	xread(k->got[0], &fd, sizeof(fd));
	spin_random(rng, 500);
	kill(pid, SIGKILL);
	atomic_fetch_add(&r->kills, 1);
	xwaitpid(pid, NULL, 0);
	notify(k->gate[1]);
	if (fd < 0) {
		fail(r, "pass-exit (arguments): no descriptor arrived");
		return;
	}
	check_gone(ctx, fd, rng, r, "arguments");
	close(fd);
}

/* 3: in the results of our call, while the sender's main thread exits. */
static void pass_results(int ctx, struct rng *rng, struct storm_result *r)
{
	int sv[2], p[2], door = -1, got = -1, ret;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) ||
	    pipe2(p, O_CLOEXEC))
		return;
	pid = fork();
	if (pid == 0) {
		struct serve_opts so = {
			.notify_fd = -1,
			.gate_fd = -1,
		};

		so.ctx = ctx_open();
		door = door_new(so.ctx, 0, 0);
		so.desc_fd = door_new(so.ctx, 0, 1);
		send_fds(sv[1], &door, 1, 0);
		/* a server thread answers; this thread exits when told */
		serve_thread(&so);
		await(p[0]);
		_exit(0);
	}
	if (recv_fds(sv[0], &door, 1, 0) != 1) {
		fail(r, "pass-exit (results): no door");
	} else {
		notify(p[1]);	/* exit now, while we call */
		spin_random(rng, 300);
		ret = door_call_checked(ctx, door, rng, 16, 16, 0, &got);
		atomic_fetch_add(&r->calls, 1);
		if (ret && ret != -EINTR && ret != -EBADF)
			fail(r, "pass-exit (results): call: %s", errname(-ret));
		if (!ret && got < 0)
			fail(r, "pass-exit (results): no descriptor in the results");
	}
	xwaitpid(pid, NULL, 0);
	if (got >= 0) {
		check_gone(ctx, got, rng, r, "results");
		close(got);
	}
	if (door >= 0)
		close(door);
	close(sv[0]);
	close(sv[1]);
	close(p[0]);
	close(p[1]);
}

static int run_pass_exit(const struct storm_opts *o, struct storm_result *r,
			 struct rng *rng)
{
	struct keeper k;
	struct serve_opts so = { .notify_fd = -1, .gate_fd = -1,
				 .desc_fd = -1 };
	int ctx = ctx_open(), door, keeper_door;
	unsigned long i;
	pthread_t th;

	/* our door for the senders to call, and one kept by a keeper */
	so.ctx = ctx_open();
	door = door_new(so.ctx, 0, 0);
	serve_thread(&so);
	k.ctx = ctx_open();
	keeper_door = door_new(k.ctx, 0, 0);
	if (pipe2(k.got, O_CLOEXEC) || pipe2(k.gate, O_CLOEXEC) ||
	    pthread_create(&th, NULL, keeper_main, &k))
		return 2;

	for (i = 0; i < o->iterations; i++) {
		switch (i % 4) {
		case 0:
		case 1:
			pass_socket(ctx, door, rng, r, i % 4);
			break;
		case 2:
			pass_args(ctx, keeper_door, &k, rng, r);
			break;
		default:
			pass_results(ctx, rng, r);
		}
		atomic_fetch_add(&r->iterations, 1);
	}
	return 0;
}

const struct storm storm_pass_exit = {
	.name = "pass-exit",
	.what = "descriptors passed (socket, arguments, results) while the sender exits",
	.run = run_pass_exit,
};
