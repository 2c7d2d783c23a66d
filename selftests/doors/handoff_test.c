// SPDX-License-Identifier: GPL-2.0
/*
 * The hand-off on one CPU: a caller and its server process, both pinned
 * to CPU 0, hand the CPU to each other by yielding (kmod/yield.h) rather
 * than by sleeping, and a caller whose procedure runs long sleeps instead
 * of taking turns with it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <door.h>

#include "harness.h"
#include "util.h"

#define NCALLS		1000
#define SPIN_NS		200000000LL	/* the long procedure's CPU time */

/* The server process's context switches so far. */
struct counts {
	long nvcsw;
	long nivcsw;
};

static void report(void *cookie, char *argp, size_t arg_size,
		   door_desc_t *dp, uint_t n_desc)
{
	struct counts c = { -1, -1 };
	struct rusage ru;

	(void)cookie, (void)argp, (void)arg_size, (void)dp, (void)n_desc;
	if (!getrusage(RUSAGE_SELF, &ru)) {
		c.nvcsw = ru.ru_nvcsw;
		c.nivcsw = ru.ru_nivcsw;
	}
	door_return((char *)&c, sizeof(c), NULL, 0);
}

static long long cpu_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Runs for SPIN_NS of CPU time. */
static void spin(void *cookie, char *argp, size_t arg_size,
		 door_desc_t *dp, uint_t n_desc)
{
	long long end = cpu_ns() + SPIN_NS;

	(void)cookie, (void)argp, (void)arg_size, (void)dp, (void)n_desc;
	while (cpu_ns() < end)
		;
	door_return(NULL, 0, NULL, 0);
}

enum { REPORT, SPIN, NDOORS };

static int make_doors(int *fds)
{
	fds[REPORT] = door_create(report, NULL, 0);
	fds[SPIN] = door_create(spin, NULL, 0);
	return fds[REPORT] < 0 || fds[SPIN] < 0 ? -1 : 0;
}

FIXTURE(one_cpu) {
	pid_t server;
	int fd[NDOORS];
};

FIXTURE_SETUP(one_cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	/* the server process and its threads inherit it */
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(set), &set));
	self->server = fork_server(make_doors, self->fd, NDOORS);
	ASSERT_LT(0, self->server);
}

FIXTURE_TEARDOWN(one_cpu)
{
	kill_server(self->server);
	close(self->fd[REPORT]);
	close(self->fd[SPIN]);
}

static int call_report(int fd, struct counts *c)
{
	door_arg_t arg = { .rbuf = (char *)c, .rsize = sizeof(*c) };

	if (door_call(fd, &arg))
		return -1;
	return arg.data_ptr == (char *)c && arg.data_size == sizeof(*c) ?
	       0 : -1;
}

/*
 * Sleeping hand-offs switch voluntarily, twice a call.  Yielding ones
 * switch involuntarily: CFS honours the yields of at least one of the
 * two sides (yield.h: that of the side doing more of the work), so about
 * one involuntary switch a call between them, where sleeping hand-offs
 * have next to none.
 */
TEST_F(one_cpu, calls_hand_over_by_yielding)
{
	struct counts before, after;
	struct rusage r0, r1;
	long involuntary;
	int i;

	ASSERT_EQ(0, call_report(self->fd[REPORT], &before));
	ASSERT_LE(0, before.nivcsw);
	ASSERT_EQ(0, getrusage(RUSAGE_THREAD, &r0));
	for (i = 0; i < NCALLS; i++)
		ASSERT_EQ(0, call_report(self->fd[REPORT], &after));
	ASSERT_EQ(0, getrusage(RUSAGE_THREAD, &r1));
	involuntary = r1.ru_nivcsw - r0.ru_nivcsw +
		      after.nivcsw - before.nivcsw;
	TH_LOG("caller: %ld voluntary, %ld involuntary; server: %ld, %ld",
	       r1.ru_nvcsw - r0.ru_nvcsw, r1.ru_nivcsw - r0.ru_nivcsw,
	       after.nvcsw - before.nvcsw, after.nivcsw - before.nivcsw);
	ASSERT_LE(NCALLS / 2, involuntary);
}

/*
 * A caller that yielded gets the CPU back while the procedure runs; it
 * then sleeps until the results come, rather than yield again and again:
 * it takes almost none of the procedure's CPU time, where taking turns
 * would take about as much.  (The bound leaves room for a host that
 * stops the VM's CPU while the caller runs on it: the guest counts that
 * time as the caller's.)
 */
TEST_F(one_cpu, caller_of_long_procedure_sleeps)
{
	struct counts c;
	long long t0, used;
	struct rusage r0, r1;

	/* the server's pool has a thread parked, its yields are tried */
	ASSERT_EQ(0, call_report(self->fd[REPORT], &c));
	ASSERT_EQ(0, getrusage(RUSAGE_THREAD, &r0));
	t0 = cpu_ns();
	ASSERT_EQ(0, door_call(self->fd[SPIN], NULL));
	used = cpu_ns() - t0;
	ASSERT_EQ(0, getrusage(RUSAGE_THREAD, &r1));
	TH_LOG("caller: %lld us of CPU, %ld voluntary switches", used / 1000,
	       r1.ru_nvcsw - r0.ru_nvcsw);
	ASSERT_LE(1, r1.ru_nvcsw - r0.ru_nvcsw);
	ASSERT_GT(SPIN_NS / 4, used);
}

/*
 * A real-time caller cannot yield to a server of the fair class: it
 * sleeps instead, and the server, on its CPU, gets to run.  (Yielding
 * again and again, it would leave the server only what real-time
 * throttling grants, 5 % of the CPU: the calls would outlast the test.)
 */
TEST_F(one_cpu, realtime_caller)
{
	struct sched_param sp = { .sched_priority = 1 };
	struct counts c;
	int i;

	ASSERT_EQ(0, sched_setscheduler(0, SCHED_FIFO, &sp));
	for (i = 0; i < NCALLS; i++)
		ASSERT_EQ(0, call_report(self->fd[REPORT], &c));
	sp.sched_priority = 0;
	ASSERT_EQ(0, sched_setscheduler(0, SCHED_OTHER, &sp));
}

DOORS_HARNESS_MAIN
