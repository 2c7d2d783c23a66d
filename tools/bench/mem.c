// SPDX-License-Identifier: GPL-2.0
/*
 * doorbench mem: the kernel memory doors cost, from slab accounting
 * (must run as root, for /proc/slabinfo).  In one process, each step
 * between two snapshots:
 *
 *   door     --doors doors created (door_create) and kept open;
 *   thread   --threads threads started and blocked on a futex: what any
 *            thread costs (kernel stack, task), not door memory;
 *   parked   the same threads parked in the door's server pool
 *            (door_return), which is what the door module adds;
 *   caller   as many calling threads started and blocked on a futex;
 *   call     their door_call()s of --call-size bytes each, all in
 *            flight at once, every server procedure holding its call.
 *
 * libdoor starts no server thread of its own (door_server_create(NULL)),
 * and the descriptor table is grown beforehand, so that neither shows up.
 */
#include <door.h>
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "slab.h"

#define THREAD_STACK	(64 * 1024)

static unsigned int arrived, in_procedure;
static unsigned int park_gate, call_gate, return_gate;
static int door;
static size_t call_size;

static void gate_wait(unsigned int *gate)
{
	while (!__atomic_load_n(gate, __ATOMIC_ACQUIRE))
		syscall(SYS_futex, gate, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static void gate_open(unsigned int *gate)
{
	__atomic_store_n(gate, 1, __ATOMIC_RELEASE);
	if (syscall(SYS_futex, gate, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0) < 0)
		err(1, "FUTEX_WAKE");
}

/* Wait for *count to reach n: the threads are many, the wait short. */
static void await_count(unsigned int *count, unsigned int n)
{
	while (__atomic_load_n(count, __ATOMIC_ACQUIRE) < n)
		sched_yield();
}

static void await_parked(unsigned int n)
{
	door_info_t di;

	for (;;) {
		if (door_info(door, &di))
			err(1, "door_info");
		if ((unsigned int)di.di_resv[0] >= n)
			return;
		sched_yield();
	}
}

static void procedure(void *cookie, char *argp, size_t arg_size,
		      door_desc_t *dp, uint_t n_desc)
{
	(void)cookie;
	(void)argp;
	(void)dp;
	(void)n_desc;
	if (arg_size != call_size)
		errx(1, "mem: the server got %zu bytes, expected %zu",
		     arg_size, call_size);
	__atomic_add_fetch(&in_procedure, 1, __ATOMIC_RELEASE);
	gate_wait(&return_gate);
	door_return(NULL, 0, NULL, 0);
	err(1, "door_return");
}

static void *server_thread(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&arrived, 1, __ATOMIC_RELEASE);
	gate_wait(&park_gate);
	door_return(NULL, 0, NULL, 0);
	err(1, "door_return");
}

static void *caller_thread(void *arg)
{
	char *buf = arg;
	door_arg_t da = {
		.data_ptr = buf,
		.data_size = call_size,
		.rbuf = buf,
		.rsize = call_size,
	};

	__atomic_add_fetch(&arrived, 1, __ATOMIC_RELEASE);
	gate_wait(&call_gate);
	if (door_call(door, &da))
		err(1, "door_call");
	return NULL;
}

static pthread_t *start_threads(unsigned int n, void *(*fn)(void *),
				char *bufs)
{
	pthread_t *tids = calloc(n, sizeof(*tids));
	pthread_attr_t attr;
	unsigned int i;

	if (!tids)
		err(1, "calloc");
	if (pthread_attr_init(&attr) ||
	    pthread_attr_setstacksize(&attr, THREAD_STACK))
		errx(1, "pthread_attr");
	__atomic_store_n(&arrived, 0, __ATOMIC_RELEASE);
	for (i = 0; i < n; i++)
		if (pthread_create(&tids[i], &attr, fn,
				   bufs ? bufs + i * call_size : NULL))
			errx(1, "pthread_create (thread %u)", i);
	pthread_attr_destroy(&attr);
	await_count(&arrived, n);
	return tids;
}

/* Room for every door, and the descriptor table grown to hold them now. */
static void make_room(unsigned long doors)
{
	struct rlimit rl = { .rlim_cur = doors + 256, .rlim_max = doors + 256 };

	if (setrlimit(RLIMIT_NOFILE, &rl))
		err(1, "setrlimit(RLIMIT_NOFILE, %lu)", doors + 256);
	if (dup2(0, (int)rl.rlim_cur - 1) < 0 || close((int)rl.rlim_cur - 1))
		err(1, "dup2");
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: doorbench mem [OPTION...]\n"
		"  --doors N       doors to create (default 10000)\n"
		"  --threads N     server threads to park, calls in flight (default 1000)\n"
		"  --call-size N   argument bytes of each call (default 64)\n");
}

int cmd_mem(int argc, char **argv)
{
	static const struct option options[] = {
		{ "doors", required_argument, NULL, 'd' },
		{ "threads", required_argument, NULL, 't' },
		{ "call-size", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct mem_snapshot snap[2];
	unsigned long doors = 10000, i;
	unsigned int threads = 1000;
	pthread_t *callers;
	char *bufs;
	int opt;

	call_size = 64;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'd':
			doors = parse_ulong("--doors", optarg, 1, 1000000);
			break;
		case 't':
			threads = (unsigned int)parse_ulong("--threads", optarg,
							    1, 10000);
			break;
		case 's':
			call_size = parse_size("--call-size", optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	make_room(doors);
	door_server_create(NULL);
	door = door_create(procedure, NULL, 0);
	if (door < 0)
		err(1, "door_create");

	mem_snapshot(&snap[0]);
	for (i = 0; i < doors; i++)
		if (door_create(procedure, NULL, 0) < 0)
			err(1, "door_create (door %lu)", i);
	mem_snapshot(&snap[1]);
	mem_report("door", &snap[0], &snap[1], doors);

	mem_snapshot(&snap[0]);
	start_threads(threads, server_thread, NULL);
	mem_snapshot(&snap[1]);
	mem_report("thread", &snap[0], &snap[1], threads);

	gate_open(&park_gate);
	await_parked(threads);
	mem_snapshot(&snap[0]);
	mem_report("parked", &snap[1], &snap[0], threads);

	bufs = calloc(threads, call_size ? call_size : 1);
	if (!bufs)
		err(1, "calloc");
	callers = start_threads(threads, caller_thread, bufs);
	mem_snapshot(&snap[1]);
	mem_report("caller", &snap[0], &snap[1], threads);

	gate_open(&call_gate);
	await_count(&in_procedure, threads);
	mem_snapshot(&snap[0]);
	mem_report("call", &snap[1], &snap[0], threads);

	gate_open(&return_gate);
	for (i = 0; i < threads; i++)
		if (pthread_join(callers[i], NULL))
			errx(1, "pthread_join");
	return 0;
}
