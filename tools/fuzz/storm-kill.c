// SPDX-License-Identifier: GPL-2.0
/*
 * Kill storms: servers SIGKILLed in the middle of calls, and clients.
 *
 * kill-server: each iteration forks a server process and calls its door
 * from a thread of the storm process, then kills the server: at a known
 * point (inside the procedure), or at a random time while calls with
 * large arguments or large results are copied.  The call in flight must
 * fail with EINTR (or EBADF if it had not reached the server), later
 * calls with EBADF, and door_info must show the server gone.
 *
 * kill-client: one server process; each iteration forks clients that
 * call it and kills them: inside the procedure, at a random time, or
 * while they wait for a free server thread.  The server must then answer
 * the storm's own call, with no call left active on the door.
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

/* Fork a server: a door, sent back over sock, served by nthreads. */
static pid_t server_fork(int sock, int notify_w, int gate_r, int nthreads)
{
	struct serve_opts so = {
		.notify_fd = notify_w,
		.gate_fd = gate_r,
		.desc_fd = -1,
	};
	pid_t pid = fork();
	int door, i;

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	so.ctx = ctx_open();
	door = door_new(so.ctx, 0, 0);
	send_fds(sock, &door, 1, 0);
	close(door);
	for (i = 1; i < nthreads; i++)
		serve_thread(&so);
	serve_forever(&so);
	_exit(0);
}

static int kill_wait(pid_t pid, struct storm_result *r)
{
	int status;

	kill(pid, SIGKILL);
	atomic_fetch_add(&r->kills, 1);
	if (xwaitpid(pid, &status, 0) != pid)
		return -1;
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

/* The storm's caller thread: one job at a time. */
enum mode { M_GATED, M_SMALL, M_LARGE_RESULTS, M_LARGE_ARGS, NMODE };

struct caller {
	int ctx;
	int job[2];			/* door fds to call, -1 to stop */
	int done[2];			/* results: last errno */
	enum mode mode;
	struct rng rng;
	struct storm_result *r;
};

static void *caller_main(void *arg)
{
	struct caller *c = arg;
	int door;

	while (xread(c->job[0], &door, sizeof(door)) == sizeof(door) &&
	       door >= 0) {
		int ret;

		do {
			size_t size = c->mode == M_LARGE_ARGS ? 1 << 20 : 64;
			uint32_t reply = c->mode == M_LARGE_RESULTS ?
				256 << 10 : 32;

			atomic_fetch_add(&c->r->calls, 1);
			ret = door_call_checked(c->ctx, door, &c->rng, size,
						reply,
						c->mode == M_GATED ? REQ_GATE :
						0, NULL);
			if (ret == -EPROTO)
				fail(c->r, "kill-server: wrong results");
		} while (!ret && c->mode != M_GATED);
		xwrite(c->done[1], &ret, sizeof(ret));
	}
	return NULL;
}

static int run_kill_server(const struct storm_opts *o,
			   struct storm_result *r, struct rng *rng)
{
	int sv[2], notify_p[2], gate_p[2], door_stop;
	struct caller c = { .r = r };
	unsigned long i;
	pthread_t th;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) ||
	    pipe2(notify_p, O_CLOEXEC) || pipe2(gate_p, O_CLOEXEC) ||
	    pipe2(c.job, O_CLOEXEC) || pipe2(c.done, O_CLOEXEC))
		return 2;
	c.ctx = ctx_open();
	rng_init(&c.rng, rng_next(rng), 1);
	if (pthread_create(&th, NULL, caller_main, &c))
		return 2;

	for (i = 0; i < o->iterations; i++) {
		struct door_info_args info = { 0 };
		enum mode mode = i % NMODE;
		int door = -1, ret, sig;
		pid_t pid;

		pid = server_fork(sv[1], notify_p[1], gate_p[0], 2);
		if (pid < 0 || recv_fds(sv[0], &door, 1, 0) != 1) {
			fail(r, "kill-server: no server");
			break;
		}
		c.mode = mode;
		xwrite(c.job[1], &door, sizeof(door));
		if (mode == M_GATED)
			await(notify_p[0]);	/* in the procedure */
		else
			spin_random(rng, 3000);
		sig = kill_wait(pid, r);
		if (sig != SIGKILL)
			fail(r, "kill-server: server ended with signal %d",
			     sig);
		xread(c.done[0], &ret, sizeof(ret));
		if (mode == M_GATED ? ret != -EINTR :
		    ret != -EINTR && ret != -EBADF)
			fail(r, "kill-server: call in flight (mode %d): %s",
			     mode, errname(-ret));
		ret = door_call_checked(c.ctx, door, rng, 16, 0, 0, NULL);
		if (ret != -EBADF)
			fail(r, "kill-server: call after the kill: %s",
			     errname(-ret));
		info.fd = door;
		if (ioctl(c.ctx, DOOR_IOC_INFO, &info) ||
		    info.target != -1 || !(info.attributes & DOOR_REVOKED))
			fail(r, "kill-server: door_info after the kill: target %d attributes %#x",
			     info.target, info.attributes);
		close(door);
		atomic_fetch_add(&r->iterations, 1);
	}
	door_stop = -1;
	xwrite(c.job[1], &door_stop, sizeof(door_stop));
	pthread_join(th, NULL);
	return 0;
}

const struct storm storm_kill_server = {
	.name = "kill-server",
	.what = "servers SIGKILLed mid-call",
	.run = run_kill_server,
};

/* A client process: calls door until killed (or once, gated). */
static pid_t client_fork(int ctx, int door, enum mode mode, struct rng *rng)
{
	pid_t pid;
	uint64_t seed = rng_next(rng);

	pid = fork();
	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	rng_init(rng, seed, 2);
	/* its own context, or the one it inherited: both may call */
	if (seed & 1)
		ctx = ctx_open();
	for (;;)
		door_call_checked(ctx, door, rng,
				  mode == M_LARGE_ARGS ? 1 << 20 : 100,
				  mode == M_LARGE_RESULTS ? 256 << 10 : 100,
				  mode == M_GATED ? REQ_GATE : 0, NULL);
}

static int run_kill_client(const struct storm_opts *o,
			   struct storm_result *r, struct rng *rng)
{
	int sv[2], notify_p[2], gate_p[2], ctx, door = -1;
	unsigned long i;
	pid_t server;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) ||
	    pipe2(notify_p, O_CLOEXEC) || pipe2(gate_p, O_CLOEXEC))
		return 2;
	server = server_fork(sv[1], notify_p[1], gate_p[0], 2);
	if (server < 0 || recv_fds(sv[0], &door, 1, 0) != 1)
		return 2;
	ctx = ctx_open();

	for (i = 0; i < o->iterations; i++) {
		enum mode mode = i % NMODE;
		pid_t pids[3];
		int n = 1, k, ret;

		if (mode == M_GATED && i % 8 == 0) {
			/*
			 * Both server threads held in the procedure, a third
			 * client waiting for one of them: kill all three.
			 */
			for (k = 0; k < 3; k++)
				pids[k] = client_fork(ctx, door, M_GATED, rng);
			n = 3;
			await(notify_p[0]);
			await(notify_p[0]);
			spin_random(rng, 1000);
		} else {
			pids[0] = client_fork(ctx, door, mode, rng);
			if (mode == M_GATED)
				await(notify_p[0]);
			else
				spin_random(rng, 3000);
		}
		for (k = 0; k < n; k++)
			if (kill_wait(pids[k], r) != SIGKILL)
				fail(r, "kill-client: client did not die of SIGKILL");
		/* let the procedures held at the gate return to no one */
		if (mode == M_GATED)
			for (k = 0; k < (n == 3 ? 2 : 1); k++)
				notify(gate_p[1]);

		atomic_fetch_add(&r->calls, 1);
		ret = door_call_checked(ctx, door, rng,
					mode == M_LARGE_ARGS ? 200000 : 10,
					i % 2 ? 100000 : 10, 0, NULL);
		if (ret)
			fail(r, "kill-client: the server's answer after the kill: %s",
			     errname(-ret));
		ret = door_active(door);
		if (ret != 0)
			fail(r, "kill-client: door-active %d after the kill",
			     ret);
		atomic_fetch_add(&r->iterations, 1);
	}
	kill_wait(server, r);
	close(door);
	close(ctx);
	return 0;
}

const struct storm storm_kill_client = {
	.name = "kill-client",
	.what = "clients SIGKILLed mid-call and while waiting for a server",
	.run = run_kill_client,
};
