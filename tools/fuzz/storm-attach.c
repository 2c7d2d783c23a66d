// SPDX-License-Identifier: GPL-2.0
/*
 * attach: fattach and fdetach racing opens and calls.
 *
 * A server process attaches its door to a file and detaches it, once per
 * iteration, while two threads of the storm open the file, call through
 * the descriptor and close it, and a third attaches a door of the storm
 * to the same file when it can.  Every so often the server is killed
 * while its door is attached: the attachment outlives it, its door
 * answers EBADF, and fdetach must still remove it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "storm.h"

#define RESTART_EVERY	100

static int attach(int ctx, unsigned long cmd, int fd, const char *path)
{
	struct door_attach_args a = {
		.fd = fd,
		.path = (uint64_t)(uintptr_t)path,
	};

	return ioctl(ctx, cmd, &a) ? errno : 0;
}

/* The server: serves its door; attaches or detaches it when told. */
static pid_t server_fork(int *ctl, const char *path)
{
	struct serve_opts so = { .notify_fd = -1, .gate_fd = -1,
				 .desc_fd = -1 };
	int sv[2], door;
	pid_t pid;
	char cmd;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -1;
	pid = fork();
	if (pid) {
		close(sv[1]);
		*ctl = sv[0];
		return pid;
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(sv[0]);
	so.ctx = ctx_open();
	door = door_new(so.ctx, 0, 0);
	serve_thread(&so);
	serve_thread(&so);
	while (xread(sv[1], &cmd, 1) == 1) {
		char ret = attach(so.ctx, cmd == 'a' ? DOOR_IOC_FATTACH :
				  DOOR_IOC_FDETACH, cmd == 'a' ? door : -1,
				  path);

		xwrite(sv[1], &ret, 1);
	}
	_exit(0);
}

struct racer {
	int ctx;
	const char *path;
	struct rng rng;
	struct storm_result *r;
	_Atomic int *stop;
	int door;		/* the attacher's own door, or -1 */
};

/*
 * open, call, close: the door attached answers, or EBADF when there is
 * none (or it is the dead server's).
 */
static void *caller_main(void *arg)
{
	struct racer *c = arg;

	while (!atomic_load(c->stop)) {
		int fd = open(c->path, O_RDONLY | O_CLOEXEC), ret;

		if (fd < 0) {
			fail(c->r, "attach: open: %s", strerror(errno));
			break;
		}
		atomic_fetch_add(&c->r->calls, 1);
		ret = door_call_checked(c->ctx, fd, &c->rng,
					rng_below(&c->rng, 1000),
					rng_below(&c->rng, 1000), 0, NULL);
		/* EINTR: the server was killed during the call */
		if (ret && ret != -EBADF && ret != -EINTR)
			fail(c->r, "attach: call through the file: %s",
			     errname(-ret));
		close(fd);
	}
	return NULL;
}

/* Attach our own door whenever the file is free, detach it again. */
static void *attacher_main(void *arg)
{
	struct racer c = *(struct racer *)arg;

	while (!atomic_load(c.stop)) {
		int ret = attach(c.ctx, DOOR_IOC_FATTACH, c.door, c.path);

		if (ret && ret != EBUSY)
			fail(c.r, "attach: storm's fattach: %s", errname(ret));
		if (ret)
			continue;
		spin_random(&c.rng, 200);
		/* the server may have detached it meanwhile */
		ret = attach(c.ctx, DOOR_IOC_FDETACH, -1, c.path);
		if (ret && ret != EINVAL)
			fail(c.r, "attach: storm's fdetach: %s", errname(ret));
	}
	return NULL;
}

static int run_attach(const struct storm_opts *o, struct storm_result *r,
		      struct rng *rng)
{
	struct serve_opts so = { .notify_fd = -1, .gate_fd = -1,
				 .desc_fd = -1 };
	struct racer racers[3];
	_Atomic int stop = 0;
	pthread_t th[3];
	char path[256];
	unsigned long i;
	int ctl = -1, fd, k;
	pid_t pid = -1;

	snprintf(path, sizeof(path), "%s/attach-target", o->dir);
	fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0666);
	if (fd < 0)
		return 2;
	close(fd);
	so.ctx = ctx_open();
	serve_thread(&so);
	for (k = 0; k < 3; k++) {
		racers[k] = (struct racer){
			.ctx = ctx_open(), .path = path, .r = r,
			.stop = &stop, .door = -1,
		};
		rng_init(&racers[k].rng, rng_next(rng), 20 + k);
	}
	racers[2].door = door_new(so.ctx, 0, 0);

	for (i = 0; i < o->iterations; i++) {
		char ret;

		if (i % RESTART_EVERY == 0) {
			if (pid > 0) {
				/* killed while attached: the attachment stays */
				if (xwrite(ctl, "a", 1) != 1 ||
				    xread(ctl, &ret, 1) != 1)
					fail(r, "attach: server gone");
				kill(pid, SIGKILL);
				atomic_fetch_add(&r->kills, 1);
				xwaitpid(pid, NULL, 0);
				close(ctl);
				ret = attach(racers[0].ctx, DOOR_IOC_FDETACH,
					     -1, path);
				if (ret && ret != EINVAL)
					fail(r, "attach: fdetach after the server's death: %s",
					     errname(ret));
			}
			pid = server_fork(&ctl, path);
			if (pid < 0)
				return 2;
			if (i == 0)
				for (k = 0; k < 3; k++)
					pthread_create(&th[k], NULL,
						       k < 2 ? caller_main :
						       attacher_main,
						       &racers[k]);
		}
		if (xwrite(ctl, "a", 1) != 1 || xread(ctl, &ret, 1) != 1)
			fail(r, "attach: server gone");
		else if (ret && ret != EBUSY)
			fail(r, "attach: fattach: %s", errname(ret));
		spin_random(rng, 500);
		if (xwrite(ctl, "d", 1) != 1 || xread(ctl, &ret, 1) != 1)
			fail(r, "attach: server gone");
		else if (ret && ret != EINVAL)
			fail(r, "attach: fdetach: %s", errname(ret));
		atomic_fetch_add(&r->iterations, 1);
	}
	atomic_store(&stop, 1);
	for (k = 0; k < 3; k++)
		pthread_join(th[k], NULL);
	kill(pid, SIGKILL);
	xwaitpid(pid, NULL, 0);
	while (!attach(racers[0].ctx, DOOR_IOC_FDETACH, -1, path))
		;
	unlink(path);
	return 0;
}

const struct storm storm_attach = {
	.name = "attach",
	.what = "fattach/fdetach racing opens, calls and server deaths",
	.run = run_attach,
};
