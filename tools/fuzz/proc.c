// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer's processes and threads: a worker (its context, anchor
 * doors, client and server threads, and its check against its baseline
 * at the end) and the chaos children its client threads fork.
 */
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <grp.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "doorfuzz.h"

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id	_sigev_un._tid
#endif

static struct proc the_proc;
static door_server_func_t *lib_server_default;
static __thread struct thread *self;	/* for the crash report */

static void on_signal(int sig)
{
	(void)sig;
}

/*
 * SIGSEGV, SIGBUS: where, and what the thread was doing, then die of it
 * (the handler is reset: the access faults again).
 */
static void on_crash(int sig, siginfo_t *si, void *uc)
{
	void *frames[32];
	int n = backtrace(frames, ARRAY_SIZE(frames));

	(void)uc;
	say("CRASH: pid %d thread %d.%u: %s at address %p, code %d, doing: %s",
	    getpid(), self ? self->idx : -1, self ? self->gen : 0,
	    strsignal(sig), si->si_addr, si->si_code,
	    self ? self->what : "(not a fuzzing thread)");
	backtrace_symbols_fd(frames, n, 2);
}

static void signals_init(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct sigaction crash = {
		.sa_sigaction = on_crash,
		.sa_flags = SA_SIGINFO | SA_RESETHAND,
	};

	/* no SA_RESTART: they interrupt door calls and parked servers */
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGSEGV, &crash, NULL);
	sigaction(SIGBUS, &crash, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* A periodic signal to this thread: no call or park lasts longer. */
static void timer_arm(struct thread *t)
{
	struct sigevent sev = { 0 };
	struct itimerspec its = { 0 };
	unsigned int ms = t->server ? 10 + rng_below(&t->rng, 40) :
		3 + rng_below(&t->rng, 30);

	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGUSR1;
	sev.sigev_notify_thread_id = gettid();
	t->timer_ok = !timer_create(CLOCK_MONOTONIC, &sev, &t->timer);
	if (!t->timer_ok) {
		say("timer_create: %s", strerror(errno));
		return;
	}
	its.it_value.tv_nsec = its.it_interval.tv_nsec = ms * 1000000l;
	timer_settime(t->timer, 0, &its, NULL);
}

static void timer_disarm(struct thread *t)
{
	if (t->timer_ok)
		timer_delete(t->timer);
	t->timer_ok = false;
}

static void client_loop(struct thread *t)
{
	struct proc *p = t->p;

	while (budget_left() && !atomic_load(&p->stop) &&
	       now() < p->deadline) {
		client_op(t);
		if (rng_below(&t->rng, 1000) < 2) {
			/* this thread ends; another takes its place */
			record(t, OP_THREAD, 0);
			atomic_fetch_add(&stats->thread_exits, 1);
			return;
		}
	}
}

/*
 * A thread leaves: whatever it serves, binding and record go with
 * DOOR_RETURN_EXIT (a client thread may have served or bound).
 */
static void thread_leave(struct thread *t)
{
	struct door_return_args a = { .flags = DOOR_RETURN_EXIT };
	struct proc *p = t->p;

	if (p->ctx_own && p->ctx >= 0 &&
	    ioctl(p->ctx, DOOR_IOC_RETURN, &a) < 0)
		unexpected(t, "RETURN(DOOR_RETURN_EXIT) at thread exit = %s",
			   errname(errno));
	unbound(t);
}

static void *thread_main(void *arg)
{
	struct thread *t = arg;
	struct proc *p = t->p;

	self = t;
	timer_arm(t);
	fail_nth_open(t);
	if (t->server)
		server_thread(t);
	else
		client_loop(t);
	fail_nth_close(t);
	timer_disarm(t);
	if (!t->server)
		thread_leave(t);
	pthread_mutex_lock(&p->lock);
	atomic_store(&t->running, 0);
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int thread_start(struct proc *p, int idx, bool server)
{
	struct thread *t = &p->thr[idx];
	pthread_attr_t attr;
	uint64_t stream;
	int ret;

	t->p = p;
	t->idx = idx;
	t->server = server;
	t->gen++;
	unbound(t);
	t->failfd = -1;		/* the thread opens its own */
	stream = (uint64_t)p->wid << 40 | (uint64_t)p->depth << 36 |
		(uint64_t)t->gen << 12 | idx;
	rng_init(&t->rng, p->seed, stream);
	t->trace = !p->depth && p->wid == cfg.trace_w && idx == cfg.trace_t;
	atomic_store(&t->running, 1);
	pthread_attr_init(&attr);
	pthread_attr_setstack(&attr, t->a.stack, STACK_SIZE);
	ret = pthread_create(&t->pt, &attr, thread_main, t);
	pthread_attr_destroy(&attr);
	if (ret) {
		atomic_store(&t->running, 0);
		say("pthread_create: %s", strerror(ret));
		return -1;
	}
	return 0;
}

/* Wait for one of the threads started to end; join it. */
static int thread_wait_any(struct proc *p)
{
	int i;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		bool any = false;

		for (i = 0; i < p->nthreads; i++) {
			struct thread *t = &p->thr[i];

			if (!t->p || !t->pt)
				continue;
			any = true;
			if (!atomic_load(&t->running)) {
				pthread_mutex_unlock(&p->lock);
				pthread_join(t->pt, NULL);
				t->pt = 0;
				return i;
			}
		}
		if (!any)
			break;
		pthread_cond_wait(&p->cond, &p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return -1;
}

static int proc_init(struct proc *p, int wid)
{
	int i;

	p->wid = wid;
	p->seed = cfg.seed;
	p->pid = getpid();
	p->parent_sock = -1;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	for (i = 0; i < MAX_CHILDREN; i++)
		p->child[i].sock = -1;
	for (i = 0; i < NANCHOR; i++)
		p->anchor[i] = -1;
	for (i = 0; i < MAX_THREADS; i++)
		p->thr[i].failfd = -1;
	p->devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (p->devnull < 0 || pipe2(p->pipe, O_CLOEXEC))
		return -1;
	return 0;
}

/* Our own context and anchors: the doors our server threads serve. */
static int anchors_create(struct proc *p)
{
	static const uint32_t attrs[NANCHOR] = {
		[A_PLAIN] = 0,
		[A_PRIVATE] = DOOR_PRIVATE,
		[A_REFUSE] = DOOR_REFUSE_DESC,
	};
	int i;

	p->ctx = open("/dev/doors", O_RDWR | O_CLOEXEC);
	if (p->ctx < 0) {
		say("open /dev/doors: %s", strerror(errno));
		return -1;
	}
	p->ctx_own = true;
	for (i = 0; i < NANCHOR; i++) {
		struct door_create_args a = {
			.proc = PROC_MARK << 32 | (uint32_t)getpid(),
			.cookie = i,
			.attributes = attrs[i],
		};

		p->anchor[i] = ioctl(p->ctx, DOOR_IOC_CREATE, &a);
		if (p->anchor[i] < 0) {
			say("DOOR_IOC_CREATE: %s", strerror(errno));
			return -1;
		}
		p->anchor_id[i] = a.id;
	}
	p->anchors_own = true;
	return 0;
}

/* Descriptors and anonymous memory now and at the end must match. */
struct baseline {
	int fds[1024];
	int nfds;
	long anon;
};

static void baseline_take(struct proc *p, struct baseline *b)
{
	int i, j, n;

	n = fd_list(b->fds, ARRAY_SIZE(b->fds));
	b->nfds = 0;
	for (i = 0; i < n && i < (int)ARRAY_SIZE(b->fds); i++) {
		bool in_slot = false;

		for (j = 0; j < NSLOT; j++) {
			uint64_t v = atomic_load(&p->slot[j]);

			if (v && (int)(uint32_t)v - 1 == b->fds[i])
				in_slot = true;
		}
		if (!in_slot)
			b->fds[b->nfds++] = b->fds[i];
	}
	b->anon = anon_bytes();
}

static int baseline_check(struct proc *p, struct baseline *b, bool maps)
{
	int fds[1024], n, i, j, bad = 0, listed;
	long anon;

	n = fd_list(fds, ARRAY_SIZE(fds));
	listed = n < (int)ARRAY_SIZE(fds) ? n : (int)ARRAY_SIZE(fds);
	for (i = 0; i < b->nfds; i++) {
		for (j = 0; j < listed && fds[j] != b->fds[i]; j++)
			;
		if (j == listed) {
			say("LEAK: worker %d depth %d pid %d: descriptor %d was closed",
			    p->wid, p->depth, getpid(), b->fds[i]);
			bad++;
		}
	}
	if (n != b->nfds || bad) {
		say("LEAK: worker %d depth %d pid %d: %d descriptors open at the end, %d at the start",
		    p->wid, p->depth, getpid(), n, b->nfds);
		fd_report_extra(b->fds, b->nfds);
		bad++;
	}
	anon = anon_bytes();
	if (maps && anon != b->anon) {
		say("LEAK: worker %d pid %d: %ld bytes of anonymous mappings at the end, %ld at the start",
		    p->wid, getpid(), anon, b->anon);
		bad++;
	}
	if (bad)
		atomic_fetch_add(&stats->leaks, 1);
	return bad;
}

static void stop_threads(struct proc *p)
{
	atomic_store(&p->stop, 1);
	while (thread_wait_any(p) >= 0)
		;
}

int worker_main(int wid)
{
	struct proc *p = &the_proc;
	int nthreads = cfg.servers + cfg.clients, i, bad;
	unsigned int clients = cfg.clients;
	struct baseline base;
	door_info_t di;
	char name[16];

	snprintf(name, sizeof(name), "doorfuzz-w%d", wid);
	prctl(PR_SET_NAME, name);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	signals_init();
	if (chdir(cfg.dir) || proc_init(p, wid) ||
	    arena_map(p, nthreads) || anchors_create(p))
		return 2;
	p->nthreads = nthreads;
	p->deadline = now() + cfg.time;

	/* libdoor's context, opened now; no libdoor server threads here */
	lib_server_default = door_server_create(NULL);
	if (door_info(p->anchor[A_PLAIN], &di) || di.di_target != getpid())
		say("door_info of an anchor: %s", strerror(errno));

	baseline_take(p, &base);
	for (i = 0; i < nthreads; i++) {
		struct thread *t = &p->thr[i];

		t->binder = i + 1 == (int)cfg.servers && cfg.servers > 1;
		if (thread_start(p, i, i < (int)cfg.servers))
			return 2;
	}

	/*
	 * Threads that end early are replaced: servers until the end,
	 * clients until the run's operations are done.
	 */
	while (clients && (i = thread_wait_any(p)) >= 0) {
		struct thread *t = &p->thr[i];
		bool more = !atomic_load(&p->stop) && now() < p->deadline;

		if (t->server && more)
			thread_start(p, i, true);
		else if (!t->server && budget_left() && more)
			thread_start(p, i, false);
		else if (!t->server)
			clients--;
	}
	stop_threads(p);
	children_reap(&p->thr[0], false, true);
	slot_close_all(p);
	bad = baseline_check(p, &base, true);
	return bad ? 1 : 0;
}

static void child_setup(struct proc *p, struct thread *t, int sock)
{
	int i;

	slot_fork_fixup(p);
	if (arena_fork_fixup(p))
		_exit(2);
	/* the fail-nth files of our parent's threads: not ours */
	for (i = 0; i < p->nthreads; i++)
		fail_nth_close(&p->thr[i]);
	fail_nth_open(t);
	p->depth++;
	p->seed = rng_next(&t->rng);
	p->pid = getpid();
	p->parent_sock = sock;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	for (i = 0; i < MAX_CHILDREN; i++) {
		p->child[i].pid = 0;
		p->child[i].sock = -1;
	}
	for (i = 0; i < p->nthreads; i++) {
		atomic_store(&p->thr[i].running, 0);
		p->thr[i].pt = 0;
		p->thr[i].binder = false;
	}
	atomic_store(&p->stop, 0);
	if (p->deadline > now() + 3)
		p->deadline = now() + 1 + rng_below(&t->rng, 3);
	p->anchors_own = false;
	p->ctx_own = false;
	t->trace = false;
	unbound(t);
	t->server = false;
	t->pt = 0;	/* not one of the threads to wait for */
}

/* A chaos child serving doors of its own: raw, with server threads. */
static void child_raw_server(struct proc *p, struct thread *t)
{
	int old[NANCHOR + 1], i, n = 0;

	old[n++] = p->ctx;
	for (i = 0; i < NANCHOR; i++)
		old[n++] = p->anchor[i];
	if (anchors_create(p))
		_exit(2);
	for (i = 0; i < n; i++)
		slot_put(p, t, old[i], fd_kind(old[i]));
	send_fds(p->parent_sock, &p->anchor[A_PLAIN], 1, MSG_DONTWAIT);
	for (i = 0, n = 0; i < p->nthreads && n < 2; i++) {
		if (i == t->idx)
			continue;
		p->thr[i].binder = n == 1;
		if (!thread_start(p, i, true))
			n++;
	}
}

/* A chaos child serving libdoor doors (libdoor's own server threads). */
static void child_lib_server(struct proc *p, struct thread *t)
{
	static const uint32_t attrs[] = {
		0, DOOR_NO_CANCEL, DOOR_REFUSE_DESC, DOOR_UNREF,
	};
	int fd;

	door_server_create(lib_server_default);
	fd = door_create(lib_procedure, p,
			 attrs[rng_below(&t->rng, ARRAY_SIZE(attrs))]);

	if (fd < 0)
		return;
	send_fds(p->parent_sock, &fd, 1, MSG_DONTWAIT);
	slot_put(p, t, fd, K_DOOR);
}

/*
 * A chaos child: forked by a client thread, it runs operations on what
 * it inherited and on what it makes, then ends in one of the ways a
 * process ends, often in the middle of calls.
 */
void child_main(struct proc *p, struct thread *t, int sock)
{
	struct baseline base;
	bool checked = false;
	unsigned int role, n, end;

	rng_init(&t->rng, t->rng.s, 0xc41d);
	self = t;
	child_setup(p, t, sock);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	alarm(60);
	timer_arm(t);

	role = rng_below(&t->rng, 100);
	if (role < 25) {
		child_raw_server(p, t);
	} else if (role < 45 && !cfg.nolib) {
		child_lib_server(p, t);
	} else if (role < 55 && !geteuid()) {
		/* nobody: owns none of the attach targets */
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			say("child %d: cannot become nobody: %s", getpid(),
			    strerror(errno));
		prctl(PR_SET_DUMPABLE, 1);
		checked = true;
	} else {
		checked = true;
	}
	if (checked) {
		door_info_t di;

		/* libdoor's context: opened at its first use, kept */
		if (!cfg.nolib)
			door_info(p->devnull, &di);
		baseline_take(p, &base);
	}

	for (n = 10 + rng_below(&t->rng, 150);
	     n && budget_left() && now() < p->deadline; n--)
		client_op(t);

	end = rng_below(&t->rng, 100);
	if (end < 50) {
		timer_disarm(t);
		thread_leave(t);
		stop_threads(p);
		children_reap(t, false, true);
		slot_close_all(p);
		_exit(checked && baseline_check(p, &base, false) ? 1 : 0);
	}
	if (end < 65)
		_exit(0);
	if (end < 75) {
		atomic_fetch_add(&stats->aborts_chosen, 1);
		abort();
	}
	if (end < 85)
		raise(SIGKILL);
	/* stay in calls until killed, or until the deadline */
	while (now() < p->deadline)
		call_door(t, p->anchor[rng_below(&t->rng, NANCHOR)], false);
	_exit(0);
}
