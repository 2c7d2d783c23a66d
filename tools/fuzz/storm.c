// SPDX-License-Identifier: GPL-2.0
/*
 * doorstorm: kill storms and races against /dev/doors.
 *
 * Each storm (storm-*.c) runs its iterations in a process group of its
 * own under a watchdog (a hang is reported with the kernel stacks of the
 * processes stuck, then killed).  After each, this process checks that
 * the storm left nothing behind: no door file or context open anywhere,
 * no reference on the module, its own descriptors as before, none of the
 * module's objects left (its debugfs count), and no slab growth that
 * scales with the iterations (filp, dentry: one per door file; accounted
 * kmalloc: doors, contexts, thread records).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storm.h"

#define BUF_SIZE	(1 << 20)
#define RBUF_SIZE	(64 << 10)
#define FAIL_MAX	20	/* failures printed per storm */

static const struct storm *const storms[] = {
	&storm_kill_server, &storm_kill_client, &storm_revoke,
	&storm_pass_exit, &storm_attach, &storm_rmmod,
};

static _Atomic int failures_printed;

void fail(struct storm_result *r, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	atomic_fetch_add(&r->failures, 1);
	if (atomic_fetch_add(&failures_printed, 1) >= FAIL_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	say("FAIL: iteration %lu: %s", atomic_load(&r->iterations), buf);
}

int ctx_open(void)
{
	int ctx = open("/dev/doors", O_RDWR | O_CLOEXEC);

	if (ctx < 0) {
		say("open /dev/doors: %s", strerror(errno));
		_exit(2);
	}
	return ctx;
}

int door_new(int ctx, uint32_t attributes, uint64_t cookie)
{
	struct door_create_args a = {
		.attributes = attributes,
		.cookie = cookie,
	};
	int fd = ioctl(ctx, DOOR_IOC_CREATE, &a);

	if (fd < 0) {
		say("DOOR_IOC_CREATE: %s", strerror(errno));
		_exit(2);
	}
	return fd;
}

/* A thread's buffers: arguments, results, replies (never freed). */
static char *thread_buf(int which)
{
	static __thread char *bufs[3];

	if (!bufs[which]) {
		bufs[which] = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (bufs[which] == MAP_FAILED) {
			say("mmap: %s", strerror(errno));
			_exit(2);
		}
	}
	return bufs[which];
}

int door_call_checked(int ctx, int fd, struct rng *rng, size_t size,
		      uint32_t reply, uint32_t flags, int *desc_fd)
{
	char *args = thread_buf(0), *rbuf = thread_buf(1);
	struct sreq q = { rng_next(rng), reply, flags };
	struct door_call_args a = { 0 };
	const struct door_udesc *d;
	int ret = 0;
	uint32_t i;

	if (size < sizeof(q))
		size = sizeof(q);
	if (size > BUF_SIZE)
		size = BUF_SIZE;
	memcpy(args, &q, sizeof(q));
	pattern_fill(args + sizeof(q), size - sizeof(q), q.nonce ^ 1);
	a.fd = fd;
	a.data_ptr = (uint64_t)(uintptr_t)args;
	a.data_size = size;
	a.rbuf = (uint64_t)(uintptr_t)rbuf;
	a.rsize = RBUF_SIZE;
	if (ioctl(ctx, DOOR_IOC_CALL, &a) < 0)
		return -errno;
	if (a.data_size != reply || a.data_ptr != a.rbuf ||
	    pattern_check((void *)(uintptr_t)a.data_ptr, reply, q.nonce) !=
	    reply)
		ret = -EPROTO;
	d = (const void *)(uintptr_t)a.desc_ptr;
	for (i = 0; i < a.desc_num; i++) {
		if (desc_fd && *desc_fd < 0)
			*desc_fd = d[i].d_descriptor;
		else
			close(d[i].d_descriptor);
	}
	if (a.rbuf != (uint64_t)(uintptr_t)rbuf)
		munmap((void *)(uintptr_t)a.rbuf, a.rsize);
	return ret;
}

void serve_forever(const struct serve_opts *so)
{
	char *buf = thread_buf(0), *reply = thread_buf(2);
	struct door_return_args a = { 0 };
	struct door_udesc d = { 0 };

	for (;;) {
		const struct door_invocation *inv = &a.inv;
		struct sreq q;
		uint32_t i;

		a.buf = (uint64_t)(uintptr_t)buf;
		a.buf_size = BUF_SIZE;
		if (ioctl(so->ctx, DOOR_IOC_RETURN, &a) < 0) {
			if (errno != EINTR)
				say("server %d: DOOR_IOC_RETURN: %s", getpid(),
				    strerror(errno));
			else if (so->stop_on_signal)
				return;
			memset(&a, 0, sizeof(a));
			continue;
		}
		for (i = 0; i < inv->desc_num; i++)
			close(((struct door_udesc *)(uintptr_t)
			       inv->desc_ptr)[i].d_descriptor);
		memset(&a, 0, offsetof(struct door_return_args, inv));
		if (inv->data_ptr == DOOR_UNREF_DATA_PTR) {
			if (so->unref)
				atomic_fetch_add(&so->unref[inv->cookie %
							    so->ncookies], 1);
			continue;
		}
		if (inv->data_size < sizeof(q))
			continue;
		memcpy(&q, (void *)(uintptr_t)inv->data_ptr, sizeof(q));
		if (q.flags & REQ_GATE && so->notify_fd >= 0) {
			notify(so->notify_fd);
			await(so->gate_fd);
		}
		if (q.flags & REQ_EXIT)
			_exit(0);
		if (q.reply > BUF_SIZE)
			q.reply = BUF_SIZE;
		pattern_fill(reply, q.reply, q.nonce);
		a.data_ptr = (uint64_t)(uintptr_t)reply;
		a.data_size = q.reply;
		if (so->desc_fd >= 0) {
			d.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
			d.d_descriptor = fcntl(so->desc_fd, F_DUPFD_CLOEXEC, 0);
			if (d.d_descriptor >= 0) {
				a.desc_ptr = (uint64_t)(uintptr_t)&d;
				a.desc_num = 1;
			}
		}
	}
}

static void *serve_main(void *arg)
{
	serve_forever(arg);
	return NULL;
}

int serve_thread(const struct serve_opts *so)
{
	static struct serve_opts opts[16];
	static int n;
	pthread_t t;

	if (n == 16)
		return -1;
	opts[n] = *so;
	if (pthread_create(&t, NULL, serve_main, &opts[n]))
		return -1;
	pthread_detach(t);
	n++;
	return 0;
}

void spin_random(struct rng *rng, unsigned int max_us)
{
	double end = now() + rng_below(rng, max_us) / 1e6;

	while (now() < end)
		;
}

int door_active(int fd)
{
	char path[64], line[128];
	FILE *f;
	int n = -1;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "door-active: %d", &n) == 1)
			break;
	fclose(f);
	return n;
}

struct shared {
	struct storm_result r;
	const struct storm *s;
	struct storm_opts o;
	unsigned int index;
};

static int storm_main(void *arg)
{
	struct shared *sh = arg;
	struct rng rng;

	signal(SIGPIPE, SIG_IGN);
	rng_init(&rng, sh->o.seed, sh->index);
	return sh->s->run(&sh->o, &sh->r, &rng);
}

/*
 * Slab growth that scales with the iterations is a leak.  slab_sample()
 * counts once the frees deferred by RCU, kfree_rcu and KASAN are done,
 * and caches come back to within a few objects of where they started on
 * the debug kernel; on Debian's, objects in per-CPU slabs count as
 * active, and kmalloc-cg has moved by up to 400 either way in storms of
 * 500 iterations.  512, or one in 20 iterations, leaves room for that
 * and for what other processes allocate meanwhile.
 */
static bool slab_leak(const char *what, long before, long after,
		      unsigned long iterations)
{
	long limit = iterations / 20 > 512 ? iterations / 20 : 512;

	if (before < 0 || after - before < limit)
		return false;
	say("LEAK: %s: %ld active objects before, %ld after %lu iterations",
	    what, before, after, iterations);
	return true;
}

static int run_storm(const struct storm *s, unsigned int index,
		     const struct storm_opts *o, unsigned int timeout)
{
	struct shared *sh;
	struct slab_sample s0, s1;
	struct door_objects objs0, objs1;
	long doors, contexts, refs;
	char objs[256];
	int fds0, fds1, ret, leaks = 0;
	double start;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 1;
	sh->s = s;
	sh->o = *o;
	sh->index = index;
	fds0 = fd_count();
	door_objects(&objs0);
	slab_sample(&s0);
	start = now();

	ret = supervise(storm_main, sh, timeout, s->name, &sh->r.calls);

	door_files_count(&doors, &contexts);
	refs = module_refcnt();
	door_objects_settled(&objs0, &objs1);
	slab_sample(&s1);
	fds1 = fd_count();
	if (doors || contexts) {
		say("LEAK: %s: %ld door files and %ld contexts open after it",
		    s->name, doors, contexts);
		leaks++;
	}
	if (refs > 0) {
		say("LEAK: %s: the module has %ld references after it",
		    s->name, refs);
		leaks++;
	}
	if (door_objects_grown(&objs0, &objs1, objs, sizeof(objs))) {
		say("LEAK: %s: the module's objects: %s", s->name, objs);
		leaks++;
	}
	if (fds1 != fds0) {
		say("LEAK: %s: %d descriptors here before, %d after", s->name,
		    fds0, fds1);
		leaks++;
	}
	leaks += slab_leak("filp", s0.filp, s1.filp, sh->r.iterations);
	leaks += slab_leak("dentry", s0.dentry, s1.dentry, sh->r.iterations);
	leaks += slab_leak("kmalloc-cg", s0.kmalloc_cg, s1.kmalloc_cg,
			   sh->r.iterations);

	printf("storm %s: %lu iterations, %lu kills, %lu calls, %lu failures, %d leaks (slab filp %+ld dentry %+ld kmalloc-cg %+ld); %.0f s: %s\n",
	       s->name, sh->r.iterations, sh->r.kills, sh->r.calls,
	       sh->r.failures, leaks, s1.filp - s0.filp,
	       s1.dentry - s0.dentry, s1.kmalloc_cg - s0.kmalloc_cg,
	       now() - start,
	       !ret && !sh->r.failures && !leaks ? "ok" : "FAIL");
	fflush(stdout);
	ret = ret || sh->r.failures || leaks;
	munmap(sh, sizeof(*sh));
	return ret;
}

static void __attribute__((noreturn)) usage(int status)
{
	unsigned int i;

	fprintf(status ? stderr : stdout,
		"usage: doorstorm [--iterations N] [--seed N] [--timeout SECS]\n"
		"                 [--module PATH] [--dir DIR] [--rmmod] [STORM...]\n"
		"       doorstorm --list\n"
		"\n"
		"Runs each storm (all by default) for N iterations (10000), each\n"
		"under a watchdog of SECS seconds (3600), and checks what it\n"
		"leaves behind.  --module is doors.ko for rmmod-load\n"
		"(/opt/doors/doors.ko).  --rmmod unloads the module at the end,\n"
		"which must succeed.  --list prints the storms' names.  Storms:\n");
	for (i = 0; i < ARRAY_SIZE(storms); i++)
		fprintf(status ? stderr : stdout, "  %-13s %s\n",
			storms[i]->name, storms[i]->what);
	exit(status);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "iterations", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "module", required_argument, NULL, 'm' },
		{ "dir", required_argument, NULL, 'd' },
		{ "rmmod", no_argument, NULL, 'r' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct storm_opts o = {
		.iterations = 10000,
		.seed = 1,
		.module = "/opt/doors/doors.ko",
		.dir = "/tmp/doorstorm",
	};
	unsigned int timeout = 3600, i;
	bool rmmod = false;
	int c, bad = 0, ran = 0;

	prog = "doorstorm";
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			o.iterations = strtoul(optarg, NULL, 0);
			break;
		case 's':
			o.seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			timeout = strtoul(optarg, NULL, 0);
			break;
		case 'm':
			o.module = optarg;
			break;
		case 'd':
			o.dir = optarg;
			break;
		case 'r':
			rmmod = true;
			break;
		case 'l':
			for (i = 0; i < ARRAY_SIZE(storms); i++)
				printf("%s\n", storms[i]->name);
			return 0;
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	if (!o.iterations || !timeout)
		usage(2);
	if (mkdir(o.dir, 0755) && errno != EEXIST) {
		perror("doorstorm: mkdir");
		return 2;
	}
	printf("doorstorm: seed %llu, %lu iterations per storm\n",
	       (unsigned long long)o.seed, o.iterations);
	fflush(stdout);

	for (i = 0; i < ARRAY_SIZE(storms); i++) {
		int j;

		for (j = optind; j < argc; j++)
			if (!strcmp(argv[j], storms[i]->name))
				break;
		if (optind < argc && j == argc)
			continue;
		bad += run_storm(storms[i], i, &o, timeout);
		ran++;
	}
	if (!ran)
		usage(2);
	if (rmmod) {
		int err = module_unload();

		if (err) {
			say("LEAK: rmmod doors at the end: %s", strerror(-err));
			bad++;
		}
	}
	rmdir(o.dir);
	printf("doorstorm: %d storms, %d failed\n", ran, bad);
	return bad ? 1 : 0;
}
