// SPDX-License-Identifier: GPL-2.0
/*
 * A client thread's operation, picked at random: the door ioctls, and
 * around them what makes descriptors come and go (open, close, dup,
 * passing over unix sockets) and processes (fork, SIGKILL).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "doorfuzz.h"

/* New descriptors of every kind, into the slots. */
static void op_open(struct thread *t)
{
	struct proc *p = t->p;
	static const char *const files[] = { "f0", "f1", "f2", "f3", "link" };
	int fds[2], r = rng_below(&t->rng, 100), fd = -1;
	enum kind kind = K_FILE;

	snprintf(t->what, sizeof(t->what), "open (%d)", r);
	if (r < 45) {
		fd = open(files[rng_below(&t->rng, ARRAY_SIZE(files))],
			  (rng_pct(&t->rng, 50) ? O_RDWR : O_RDONLY) |
			  O_CLOEXEC);
	} else if (r < 55) {
		fd = open("d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		kind = K_DIR;
	} else if (r < 70) {
		fd = open("/dev/doors", O_RDWR |
			  (rng_pct(&t->rng, 50) ? O_CLOEXEC : 0));
		kind = K_CTX;
	} else if (r < 78) {
		if (!pipe2(fds, O_CLOEXEC)) {
			slot_put(p, t, fds[0], K_PIPE);
			slot_put(p, t, fds[1], K_PIPE);
		}
	} else if (r < 86) {
		if (!socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds)) {
			slot_put(p, t, fds[0], K_SOCK);
			slot_put(p, t, fds[1], K_SOCK);
		}
	} else if (r < 93) {
		fd = eventfd(0, EFD_CLOEXEC);
		kind = K_EVENT;
	} else {
		fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		kind = K_NULL;
	}
	record(t, OP_OPEN, fd < 0 && r < 70 ? errno : 0);
	slot_put(p, t, fd, kind);
}

static void op_close(struct thread *t)
{
	enum kind kind;
	int fd = slot_take(t->p, t, &kind);

	snprintf(t->what, sizeof(t->what), "close(%d)", fd);
	record(t, OP_CLOSE, 0);
	if (fd >= 0)
		close(fd);
}

static void op_dup(struct thread *t)
{
	struct proc *p = t->p;
	enum kind kind;
	int fd = slot_peek(p, t, &kind), nfd;

	if (fd < 0)
		return;
	snprintf(t->what, sizeof(t->what), "dup(%d)", fd);
	if (rng_pct(&t->rng, 30)) {
		/* dup2 onto a descriptor we own: it is closed first */
		enum kind okind;
		int old = slot_take(p, t, &okind);

		if (old < 0)
			return;
		nfd = dup3(fd, old, O_CLOEXEC);
		if (nfd < 0)
			close(old);
	} else {
		nfd = fcntl(fd, rng_pct(&t->rng, 50) ? F_DUPFD_CLOEXEC :
			    F_DUPFD, 0);
	}
	record(t, OP_DUP, 0);
	if (nfd >= 0)
		slot_put(p, t, nfd, fd_kind(nfd));
}

/* Descriptors over the unix sockets between a worker and its children. */
static void op_pass(struct thread *t)
{
	struct proc *p = t->p;
	int fds[4], n, i, sock = -1;

	pthread_mutex_lock(&p->lock);
	if (p->depth && p->parent_sock >= 0) {
		sock = p->parent_sock;
	} else {
		i = rng_below(&t->rng, MAX_CHILDREN);
		if (p->child[i].pid > 0)
			sock = p->child[i].sock;
	}
	pthread_mutex_unlock(&p->lock);
	if (sock < 0)
		return;
	record(t, OP_PASS, 0);
	snprintf(t->what, sizeof(t->what), "pass over %d", sock);
	if (rng_pct(&t->rng, 50)) {
		n = recv_fds(sock, fds, 4, MSG_DONTWAIT);
		for (i = 0; i < n; i++)
			slot_put(p, t, fds[i], fd_kind(fds[i]));
		return;
	}
	n = 1 + rng_below(&t->rng, 3);
	for (i = 0; i < n; i++) {
		enum fdclass fc;

		fds[i] = pick_fd(t, &fc);
		if (fc == FC_BADFD || fc == FC_QUERY || fc == FC_RANDOM)
			fds[i] = p->devnull;
	}
	send_fds(sock, fds, n, MSG_DONTWAIT);
}

static void op_fork(struct thread *t)
{
	struct proc *p = t->p;
	int sv[2], i;
	pid_t pid;

	if (cfg.nofork || p->depth >= MAX_DEPTH)
		return;
	pthread_mutex_lock(&p->lock);
	for (i = 0; i < MAX_CHILDREN && p->child[i].pid; i++)
		;
	if (i == MAX_CHILDREN ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		pthread_mutex_unlock(&p->lock);
		return;
	}
	snprintf(t->what, sizeof(t->what), "fork");
	/* the child's choices come from here: reproducible */
	rng_next(&t->rng);
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		child_main(p, t, sv[1]);
	}
	close(sv[1]);
	if (pid > 0) {
		p->child[i].pid = pid;
		p->child[i].sock = sv[0];
		atomic_fetch_add(&stats->forks, 1);
	} else {
		close(sv[0]);
	}
	pthread_mutex_unlock(&p->lock);
	record(t, OP_FORK, pid < 0 ? errno : 0);
}

/* SIGKILL a child (mid-call, mostly), or reap those that ended. */
void children_reap(struct thread *t, bool kill_one, bool all)
{
	struct proc *p = t->p;
	int i, k = kill_one ? (int)rng_below(&t->rng, MAX_CHILDREN) : -1;

	pthread_mutex_lock(&p->lock);
	for (i = 0; i < MAX_CHILDREN; i++) {
		pid_t pid = p->child[i].pid;
		int status;

		if (pid <= 0)
			continue;
		if (i == k || all) {
			kill(pid, SIGKILL);
			atomic_fetch_add(&stats->kills, 1);
		}
		if (xwaitpid(pid, &status, i == k || all ? 0 : WNOHANG) != pid)
			continue;
		child_status(pid, status);
		close(p->child[i].sock);
		p->child[i].pid = 0;
		p->child[i].sock = -1;
	}
	pthread_mutex_unlock(&p->lock);
}

static void op_kill(struct thread *t)
{
	snprintf(t->what, sizeof(t->what), "kill a child");
	record(t, OP_KILL, 0);
	children_reap(t, rng_pct(&t->rng, 60), false);
}

void client_op(struct thread *t)
{
	struct proc *p = t->p;
	bool lib = !cfg.nolib && rng_pct(&t->rng, 12);
	enum fdclass fc;
	unsigned int r = rng_below(&t->rng, 1000);

	t->nops++;
	if (r < 330)
		call_door(t, pick_call_fd(t, &fc), lib);
	else if (r < 380)
		op_create(t, lib && p->depth && rng_pct(&t->rng, 50));
	else if (r < 430)
		op_info(t);
	else if (r < 460)
		op_revoke(t, lib);
	else if (r < 490)
		op_bind(t, lib);
	else if (r < 500)
		op_ucred(t, lib);
	else if (r < 530)
		op_param(t, false, lib);
	else if (r < 560)
		op_param(t, true, lib);
	else if (r < 600)
		op_attach(t, false, lib);
	else if (r < 640)
		op_attach(t, true, lib);
	else if (r < 660)
		op_badcmd(t);
	else if (r < 700)
		op_return(t);
	else if (r < 770)
		op_open(t);
	else if (r < 840)
		op_close(t);
	else if (r < 890)
		op_dup(t);
	else if (r < 930)
		op_pass(t);
	else if (r < 955)
		op_fork(t);
	else if (r < 975)
		op_kill(t);
	else
		call_door(t, p->anchor[rng_below(&t->rng, NANCHOR)], false);
}
