// SPDX-License-Identifier: GPL-2.0
/*
 * The processes of a measurement: a fresh server process, the client it
 * forks, where they run, and the timed loop of round trips.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		err(1, "clock_gettime");
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Threads created afterwards inherit the mask. */
void pin_to(int cpu)
{
	cpu_set_t set;
	long n, i;

	CPU_ZERO(&set);
	if (cpu == CPU_ANY) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		for (i = 0; i < n && i < CPU_SETSIZE; i++)
			CPU_SET(i, &set);
	} else {
		CPU_SET(cpu, &set);
	}
	if (sched_setaffinity(0, sizeof(set), &set))
		err(1, "sched_setaffinity(CPU %d)", cpu);
}

/*
 * Fork a child that must not outlive its parent.  Returns the pipe end
 * the child writes its result to (child) or reads it from (parent).
 */
static pid_t fork_child(int *result_fd)
{
	pid_t parent = getpid(), pid;
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		err(1, "pipe2");
	if (fflush(stdout) || fflush(stderr))
		err(1, "fflush");
	pid = fork();
	if (pid < 0)
		err(1, "fork");
	if (pid == 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL))
			err(1, "prctl(PR_SET_PDEATHSIG)");
		if (getppid() != parent)
			errx(1, "the parent exited before its child started");
		if (close(p[0]))
			err(1, "close");
		*result_fd = p[1];
		return 0;
	}
	if (close(p[1]))
		err(1, "close");
	*result_fd = p[0];
	return pid;
}

pid_t client_fork(int cpu, int *result_fd)
{
	pid_t pid = fork_child(result_fd);

	if (pid == 0)
		pin_to(cpu);
	return pid;
}

struct result run_isolated(struct result (*fn)(const void *arg),
			   const void *arg, int cpu)
{
	int result_fd;
	pid_t pid;

	pid = fork_child(&result_fd);
	if (pid == 0) {
		pin_to(cpu);
		client_exit(result_fd, fn(arg));
	}
	return client_wait(pid, result_fd);
}

static void client_gone(int sig)
{
	(void)sig;
}

void interrupt_on_client_exit(void)
{
	struct sigaction sa = { .sa_handler = client_gone };

	/* No SA_RESTART: blocking system calls fail with EINTR. */
	if (sigemptyset(&sa.sa_mask) || sigaction(SIGCHLD, &sa, NULL))
		err(1, "sigaction(SIGCHLD)");
}

struct result client_loop(const struct bench_cfg *cfg,
			  void (*trip)(void *ctx, unsigned long i), void *ctx)
{
	struct rusage ru0, ru1;
	unsigned long i;
	uint64_t start;

	for (i = 0; i < cfg->warmup; i++)
		trip(ctx, i);
	getrusage(RUSAGE_THREAD, &ru0);
	start = now_ns();
	for (; i < cfg->warmup + cfg->iters; i++)
		trip(ctx, i);
	start = now_ns() - start;
	getrusage(RUSAGE_THREAD, &ru1);
	return (struct result){
		.calls = cfg->iters,
		.ns = start,
		.vcsw = ru1.ru_nvcsw - ru0.ru_nvcsw,
		.ivcsw = ru1.ru_nivcsw - ru0.ru_nivcsw,
	};
}

void client_exit(int result_fd, struct result r)
{
	write_full(result_fd, &r, sizeof(r));
	if (close(result_fd))
		err(1, "close");
	/*
	 * Nothing is buffered (fork_child flushed): skip the exit handlers
	 * of the program the process was forked from.  Other threads die.
	 */
	_exit(0);
}

struct result client_wait(pid_t pid, int result_fd)
{
	struct result r;
	size_t got;
	int status;

	got = read_full(result_fd, &r, sizeof(r));
	if (close(result_fd))
		err(1, "close");
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			err(1, "waitpid");
	if (WIFSIGNALED(status))
		errx(1, "process %d was killed by signal %d", pid,
		     WTERMSIG(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		errx(1, "process %d failed (wait status %#x)", pid, status);
	if (got != sizeof(r))
		errx(1, "process %d exited without a result", pid);
	return r;
}
