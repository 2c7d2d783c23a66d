// SPDX-License-Identifier: GPL-2.0
/*
 * rmmod-load: unloading the module while something still uses it.
 *
 * Each iteration sets up one thing that holds the module, in turn: a
 * call in flight (server in its procedure), a context alone, a door
 * attached to a file whose server has exited, a door descriptor in
 * flight in a unix socket whose sender has exited, an unreferenced
 * notification queued with no server thread.  delete_module must fail
 * (EWOULDBLOCK) and leave it all working; once it is torn down the
 * module's reference count must be back to 0, and every RELOAD_EVERY
 * iterations the module must unload, and load again (loading takes most
 * of an iteration's time).
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

#define RELOAD_EVERY	10

enum load { L_CALL, L_CONTEXT, L_ATTACHED, L_INFLIGHT, L_UNREF, NLOAD };

static const char *const load_names[NLOAD] = {
	"call in flight", "context", "attachment", "descriptor in flight",
	"queued unref",
};

/* Fork a process that runs fn and then waits to be killed. */
static pid_t fork_run(void (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	fn(arg);
	for (;;)
		pause();
}

struct call_load {
	int sv[2];
	int notify[2];
	int gate[2];
	int door;
	const char *path;
	struct rng *rng;
};

static void server_run(void *arg)
{
	struct call_load *l = arg;
	struct serve_opts so = {
		.notify_fd = l->notify[1],
		.gate_fd = l->gate[0],
		.desc_fd = -1,
	};
	int door;

	so.ctx = ctx_open();
	door = door_new(so.ctx, 0, 0);
	send_fds(l->sv[1], &door, 1, 0);
	serve_forever(&so);
}

static void client_run(void *arg)
{
	struct call_load *l = arg;
	int ret = door_call_checked(ctx_open(), l->door, l->rng, 100, 100,
				    REQ_GATE, NULL);

	_exit(ret ? 1 : 0);
}

static void attacher_run(void *arg)
{
	struct call_load *l = arg;
	int ctx = ctx_open();
	struct door_attach_args a = {
		.fd = door_new(ctx, 0, 0),
		.path = (uint64_t)(uintptr_t)l->path,
	};

	_exit(ioctl(ctx, DOOR_IOC_FATTACH, &a) ? 1 : 0);
}

static void sender_run(void *arg)
{
	struct call_load *l = arg;
	int ctx = ctx_open(), door = door_new(ctx, 0, 0);

	_exit(send_fds(l->sv[1], &door, 1, 0) ? 1 : 0);
}

static void context_run(void *arg)
{
	struct call_load *l = arg;

	ctx_open();
	notify(l->notify[1]);
}

static int status_of(pid_t pid)
{
	int status = -1;

	xwaitpid(pid, &status, 0);
	return status;
}

/* Unload: refused now (busy), or required to work (idle). */
static bool unload(struct storm_result *r, bool busy, const char *what)
{
	int err = module_unload();

	if (busy && err != -EWOULDBLOCK) {
		fail(r, "rmmod-load: delete_module with a %s: %s", what,
		     err ? strerror(-err) : "unloaded");
		return !err;
	}
	if (!busy && err) {
		fail(r, "rmmod-load: delete_module after the %s went: %s (refcnt %ld)",
		     what, strerror(-err), module_refcnt());
		return false;
	}
	return !busy;
}

static int run_rmmod(const struct storm_opts *o, struct storm_result *r,
		     struct rng *rng)
{
	struct call_load l = { .rng = rng };
	char path[256];
	unsigned long i;
	int fd;

	snprintf(path, sizeof(path), "%s/rmmod-target", o->dir);
	fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0666);
	if (fd < 0)
		return 2;
	close(fd);
	l.path = path;

	for (i = 0; i < o->iterations; i++) {
		enum load load = i % NLOAD;
		pid_t server = -1, client = -1, pid;
		int ctx, ret, unref;

		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
			       l.sv) || pipe2(l.notify, O_CLOEXEC) ||
		    pipe2(l.gate, O_CLOEXEC))
			return 2;
		l.door = -1;
		ctx = -1;
		unref = -1;

		switch (load) {
		case L_CALL:
			server = fork_run(server_run, &l);
			if (recv_fds(l.sv[0], &l.door, 1, 0) != 1) {
				fail(r, "rmmod-load: no server");
				break;
			}
			client = fork_run(client_run, &l);
			close(l.door);
			await(l.notify[0]);
			unload(r, true, load_names[load]);
			notify(l.gate[1]);
			ret = status_of(client);
			atomic_fetch_add(&r->calls, 1);
			if (ret)
				fail(r, "rmmod-load: the call after the refused rmmod: status %#x",
				     ret);
			kill(server, SIGKILL);
			status_of(server);
			break;
		case L_CONTEXT:
			pid = fork_run(context_run, &l);
			await(l.notify[0]);
			unload(r, true, load_names[load]);
			kill(pid, SIGKILL);
			status_of(pid);
			break;
		case L_ATTACHED:
			pid = fork_run(attacher_run, &l);
			if (status_of(pid)) {
				fail(r, "rmmod-load: fattach failed");
				break;
			}
			unload(r, true, load_names[load]);
			ctx = ctx_open();
			{
				struct door_attach_args a = {
					.fd = -1,
					.path = (uint64_t)(uintptr_t)path,
				};

				if (ioctl(ctx, DOOR_IOC_FDETACH, &a))
					fail(r, "rmmod-load: fdetach: %s",
					     strerror(errno));
			}
			close(ctx);
			break;
		case L_INFLIGHT:
			pid = fork_run(sender_run, &l);
			if (status_of(pid)) {
				fail(r, "rmmod-load: sending failed");
				break;
			}
			unload(r, true, load_names[load]);
			break;
		case L_UNREF:
			ctx = ctx_open();
			unref = door_new(ctx, DOOR_UNREF, 0);
			close(fcntl(unref, F_DUPFD_CLOEXEC, 0));
			unload(r, true, load_names[load]);
			close(unref);
			close(ctx);
			break;
		default:
			break;
		}
		close(l.sv[0]);
		close(l.sv[1]);
		close(l.notify[0]);
		close(l.notify[1]);
		close(l.gate[0]);
		close(l.gate[1]);

		ret = module_refcnt();
		if (ret)
			fail(r, "rmmod-load: %d references after the %s went",
			     ret, load_names[load]);
		if ((i % RELOAD_EVERY == RELOAD_EVERY - 1 ||
		     i + 1 == o->iterations) &&
		    unload(r, false, load_names[load])) {
			ret = module_load(o->module);
			if (ret) {
				fail(r, "rmmod-load: loading %s again: %s",
				     o->module, strerror(-ret));
				return 1;
			}
		}
		atomic_fetch_add(&r->iterations, 1);
	}
	unlink(path);
	return 0;
}

const struct storm storm_rmmod = {
	.name = "rmmod-load",
	.what = "delete_module while calls, contexts, attachments, descriptors in flight or unref notifications hold the module",
	.run = run_rmmod,
};
