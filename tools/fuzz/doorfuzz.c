// SPDX-License-Identifier: GPL-2.0
/*
 * doorfuzz: a seeded fuzzer for /dev/doors.  See doorfuzz.h for its
 * processes, Documentation/reliability.md for how to run it.
 *
 * Every random choice comes from a generator seeded with --seed and the
 * place of the thread (worker, thread, generation) or, in a child, a draw
 * of its parent's generator: a seed replays the same choices.  What the
 * kernel answers depends on timing across threads and processes, so a
 * run is reproducible in what it tries, not exactly in what it sees;
 * --procs 1 --clients 1 --servers 1 --no-fork comes closest.
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "doorfuzz.h"

#define REPORT_MAX	50	/* problems printed in full */

struct config cfg = {
	.ops = 1000000,
	.time = 1200,
	.procs = 3,
	.clients = 3,
	.servers = 3,
	.trace_w = -1,
	.trace_t = -1,
};
struct stats *stats;

const char *const op_names[NOP] = {
	"CREATE", "CALL", "RETURN", "INFO", "REVOKE", "BIND", "UNBIND",
	"UCRED", "GETPARAM", "SETPARAM", "FATTACH", "FDETACH", "bad cmd",
	"door_call", "libdoor misc", "door_create", "serve", "open",
	"close", "dup", "fork", "kill", "pass", "thread",
};

/*
 * Fault injection (--fail-nth PCT).  Before PCT% of its raw ioctls
 * (calls only to the worker's own anchors, which its servers answer, and
 * no DOOR_IOC_RETURN, which may park for long) a thread writes a small
 * N to its /proc/thread-self/fail-nth: the Nth
 * fault point the ioctl passes (a slab or page allocation, a copy from
 * or to user space) fails.  Reading it back after the ioctl tells
 * whether one did (0), and the ioctl's outcome is then checked against
 * its errnos plus ENOMEM and EFAULT (fz_exp()): whatever failed must end
 * in a clean errno, never in corrupt results, a leak or a crash.
 * Reading and writing the file copy to and from user space, which counts
 * down what is left: a read that fails means 1 was left, not 0.
 */
void fail_nth_open(struct thread *t)
{
	t->failfd = -1;
	t->injected = false;
	if (!cfg.fail_pct)
		return;
	t->failfd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (t->failfd < 0)
		say("/proc/thread-self/fail-nth: %s", strerror(errno));
}

void fail_nth_close(struct thread *t)
{
	if (t->failfd >= 0)
		close(t->failfd);
	t->failfd = -1;
}

long fz_ioctl(struct thread *t, int fd, unsigned long cmd, void *arg)
{
	sigset_t all, old;
	char buf[16];
	unsigned int n;
	ssize_t len;
	long ret;
	int e;

	/*
	 * Not a DOOR_IOC_RETURN: it parks, for as long as no call comes,
	 * and signals stay blocked while armed (below).
	 */
	t->injected = false;
	if (t->failfd < 0 || t->nofail || cmd == DOOR_IOC_RETURN ||
	    !rng_pct(&t->rng, cfg.fail_pct))
		return ioctl(fd, cmd, arg);
	n = 1 + rng_below(&t->rng, rng_pct(&t->rng, 70) ? 4 : 24);
	len = snprintf(buf, sizeof(buf), "%u", n);
	/*
	 * A signal delivered while armed would take the fault in writing
	 * its frame (SIGSEGV): none until disarmed.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	if (pwrite(t->failfd, buf, len, 0) != len) {
		say("arming fail-nth: %s", strerror(errno));
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return ioctl(fd, cmd, arg);
	}
	ret = ioctl(fd, cmd, arg);
	e = errno;
	len = pread(t->failfd, buf, sizeof(buf) - 1, 0);
	if (len > 0) {
		buf[len] = 0;
		t->injected = strtoul(buf, NULL, 10) == 0;
	}
	if (pwrite(t->failfd, "0", 1, 0) != 1 && errno != EFAULT)
		say("disarming fail-nth: %s", strerror(errno));
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	atomic_fetch_add(&stats->armed, 1);
	if (t->injected)
		atomic_fetch_add(&stats->faults, 1);
	trace(t, "fail-nth %u: %s", n, t->injected ? "injected" : "not reached");
	errno = e;
	return ret;
}

/* What an ioctl may answer, once a fault may have been injected in it. */
emask_t fz_exp(struct thread *t, emask_t exp)
{
	if (!t->injected)
		return exp;
	t->injected = false;
	return exp | EM(ENOMEM) | EM(EFAULT);
}

void trace(struct thread *t, const char *fmt, ...)
{
	char buf[600];
	va_list ap;

	if (!t->trace)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	say("trace %d.%d.%u #%llu: %s", t->p->wid, t->idx, t->gen,
	    (unsigned long long)t->nops, buf);
}

bool budget_left(void)
{
	return atomic_load(&stats->ops) < cfg.ops;
}

void record(struct thread *t, enum op op, int err)
{
	(void)t;
	atomic_fetch_add(&stats->ops, 1);
	atomic_fetch_add(&stats->nop[op], 1);
	if (err > 0 && err < 128)
		atomic_fetch_add(&stats->err[op][err], 1);
}

static void problem(struct thread *t, const char *kind, const char *fmt,
		    va_list ap)
{
	char buf[800];

	if (atomic_fetch_add(&stats->reported, 1) >= REPORT_MAX)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	say("%s: seed %llu worker %d depth %d pid %d thread %d.%u op %llu: %s",
	    kind, (unsigned long long)cfg.seed, t->p->wid, t->p->depth,
	    getpid(), t->idx, t->gen, (unsigned long long)t->nops, buf);
}

void unexpected(struct thread *t, const char *fmt, ...)
{
	va_list ap;

	atomic_fetch_add(&stats->unexpected, 1);
	va_start(ap, fmt);
	problem(t, "UNEXPECTED", fmt, ap);
	va_end(ap);
}

void corrupt(struct thread *t, const char *fmt, ...)
{
	va_list ap;

	atomic_fetch_add(&stats->corrupt, 1);
	va_start(ap, fmt);
	problem(t, "CORRUPT", fmt, ap);
	va_end(ap);
}

void child_status(pid_t pid, int status)
{
	if (WIFEXITED(status)) {
		atomic_fetch_add(&stats->child_exits, 1);
		if (WEXITSTATUS(status))
			say("child %d exited with status %d", pid,
			    WEXITSTATUS(status));
		return;
	}
	switch (WTERMSIG(status)) {
	case SIGKILL:
		return;
	case SIGABRT:	/* compared with the aborts chosen at the end */
		atomic_fetch_add(&stats->aborts_seen, 1);
		return;
	case SIGALRM:
		say("child %d killed by its alarm: too slow", pid);
		return;
	default:
		atomic_fetch_add(&stats->corrupt, 1);
		say("CRASH: child %d killed by signal %d (%s)", pid,
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	}
}

static int leader(void *arg)
{
	pid_t pids[64];
	unsigned int i, n = 0, failed = 0;
	int status;
	pid_t pid;

	(void)arg;
	for (i = 0; i < cfg.procs; i++) {
		pid = fork();
		if (pid == 0)
			_exit(worker_main(i));
		if (pid > 0)
			pids[n++] = pid;
	}
	while ((pid = xwaitpid(-1, &status, __WALL)) > 0) {
		for (i = 0; i < n && pids[i] != pid; i++)
			;
		if (i == n) {
			child_status(pid, status);	/* an orphan */
			continue;
		}
		if (WIFSIGNALED(status)) {
			say("CRASH: worker %u killed by signal %d (%s)", i,
			    WTERMSIG(status), strsignal(WTERMSIG(status)));
			atomic_fetch_add(&stats->corrupt, 1);
			failed++;
		} else if (WEXITSTATUS(status)) {
			say("worker %u exited with status %d", i,
			    WEXITSTATUS(status));
			failed++;
		}
	}
	return failed ? 1 : 0;
}

static int make_targets(void)
{
	static const char *const files[] = { "f0", "f1", "f2", "f3" };
	char path[128];
	unsigned int i;
	int fd;

	if (!cfg.dir[0])
		snprintf(cfg.dir, sizeof(cfg.dir), "/tmp/doorfuzz.%d",
			 getpid());
	if (mkdir(cfg.dir, 0755) && errno != EEXIST)
		return -1;
	chmod(cfg.dir, 0755);
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", cfg.dir, files[i]);
		fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0666);
		if (fd < 0)
			return -1;
		fchmod(fd, 0666);
		close(fd);
	}
	snprintf(path, sizeof(path), "%s/d", cfg.dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/link", cfg.dir);
	symlink("f1", path);
	snprintf(path, sizeof(path), "%s/loop", cfg.dir);
	symlink("loop", path);
	return 0;
}

/* Detach what the run left attached; returns how many. */
static int targets_detach(void)
{
	static const char *const targets[] = { "f0", "f1", "f2", "f3", "d" };
	int ctx = open("/dev/doors", O_RDWR | O_CLOEXEC), n = 0;
	char path[128];
	unsigned int i;

	if (ctx < 0)
		return -1;
	for (i = 0; i < ARRAY_SIZE(targets); i++) {
		struct door_attach_args a = { .fd = -1 };

		snprintf(path, sizeof(path), "%s/%s", cfg.dir, targets[i]);
		a.path = (uint64_t)(uintptr_t)path;
		if (!ioctl(ctx, DOOR_IOC_FDETACH, &a))
			n++;
	}
	close(ctx);
	return n;
}

static void targets_remove(void)
{
	static const char *const names[] = {
		"f0", "f1", "f2", "f3", "link", "loop",
	};
	char path[128];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", cfg.dir, names[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/d", cfg.dir);
	rmdir(path);
	rmdir(cfg.dir);
}

static void print_stats(void)
{
	int op, e;

	for (op = 0; op < NOP; op++) {
		char line[512];
		int off;

		if (!stats->nop[op])
			continue;
		off = snprintf(line, sizeof(line), "  %-13s %9llu",
			       op_names[op],
			       (unsigned long long)stats->nop[op]);
		for (e = 1; e < 128 && off < (int)sizeof(line); e++)
			if (stats->err[op][e])
				off += snprintf(line + off, sizeof(line) - off,
						" %s:%llu", errname(e),
						(unsigned long long)stats->err[op][e]);
		printf("%s\n", line);
	}
}

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: doorfuzz [--seed N] [--ops N] [--time SECS] [--procs N]\n"
		"                [--clients N] [--servers N] [--no-fork] [--no-lib]\n"
		"                [--trace W.T] [--dir DIR] [--rmmod] [--verbose]\n"
		"                [--fail-nth PCT]\n"
		"\n"
		"Random operations on /dev/doors by --procs worker processes (3)\n"
		"of --clients client and --servers server threads each (3 and 3)\n"
		"and by the processes they fork, until --ops operations are done\n"
		"(1000000) or --time seconds have passed (1200: the run fails\n"
		"then).  --trace prints\n"
		"every operation of thread T of worker W.  --rmmod unloads the\n"
		"module at the end, which must succeed.  Exits 1 if anything was\n"
		"wrong: an errno the ABI does not allow, wrong results, a crash,\n"
		"a leaked descriptor, mapping or door file, a hang.  --fail-nth\n"
		"fails one fault point (allocation, user copy) in PCT%% of the\n"
		"raw ioctls, through /proc/thread-self/fail-nth: the ioctl must\n"
		"then end in one of its errnos, ENOMEM or EFAULT.\n");
	exit(status);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "ops", required_argument, NULL, 'n' },
		{ "time", required_argument, NULL, 't' },
		{ "procs", required_argument, NULL, 'p' },
		{ "clients", required_argument, NULL, 'c' },
		{ "servers", required_argument, NULL, 'S' },
		{ "trace", required_argument, NULL, 'T' },
		{ "dir", required_argument, NULL, 'd' },
		{ "no-fork", no_argument, NULL, 'F' },
		{ "no-lib", no_argument, NULL, 'L' },
		{ "rmmod", no_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "fail-nth", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	bool seeded = false;
	struct door_objects objs;
	long doors, contexts, refs;
	char report[256];
	int c, ret, detached, bad = 0;
	double start;

	prog = "doorfuzz";
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			cfg.seed = strtoull(optarg, NULL, 0);
			seeded = true;
			break;
		case 'n':
			cfg.ops = strtoull(optarg, NULL, 0);
			break;
		case 't':
			cfg.time = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			cfg.procs = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			cfg.clients = strtoul(optarg, NULL, 0);
			break;
		case 'S':
			cfg.servers = strtoul(optarg, NULL, 0);
			break;
		case 'T':
			if (sscanf(optarg, "%d.%d", &cfg.trace_w,
				   &cfg.trace_t) != 2)
				usage(2);
			break;
		case 'd':
			snprintf(cfg.dir, sizeof(cfg.dir), "%s", optarg);
			break;
		case 'F':
			cfg.nofork = true;
			break;
		case 'L':
			cfg.nolib = true;
			break;
		case 'r':
			cfg.rmmod = true;
			break;
		case 'v':
			cfg.verbose = true;
			break;
		case 'f':
			cfg.fail_pct = strtoul(optarg, NULL, 0);
			break;
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	if (optind != argc || !cfg.procs || cfg.procs > 64 || !cfg.clients ||
	    cfg.servers + cfg.clients > MAX_THREADS || !cfg.time ||
	    cfg.fail_pct > 100)
		usage(2);
	if (!seeded)
		cfg.seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	if (cfg.fail_pct)
		rseq_off(argv);

	stats = mmap(NULL, sizeof(*stats), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stats == MAP_FAILED || make_targets()) {
		perror("doorfuzz: setup");
		return 2;
	}
	printf("doorfuzz: seed %llu, %llu operations, %u workers of %u clients and %u servers, at most %u s\n",
	       (unsigned long long)cfg.seed, (unsigned long long)cfg.ops,
	       cfg.procs, cfg.clients, cfg.servers, cfg.time);
	fflush(stdout);

	user_limit_probe();
	start = now();
	ret = supervise(leader, NULL, cfg.time + 300, "doorfuzz", &stats->ops);
	if (ret)
		bad++;

	/* Attachments outlive their processes: the run's go now. */
	detached = targets_detach();
	door_files_count(&doors, &contexts);
	if (doors || contexts) {
		say("LEAK: %ld door files and %ld contexts still open after the run",
		    doors, contexts);
		bad++;
	}
	refs = module_refcnt();
	if (refs > 0) {
		say("LEAK: the module still has %ld references after the run",
		    refs);
		bad++;
	}
	door_objects_settled(NULL, &objs);
	if (door_objects_grown(NULL, &objs, report, sizeof(report))) {
		say("LEAK: the module's objects after the run: %s", report);
		bad++;
	}
	if (cfg.rmmod) {
		int err = module_unload();

		if (err) {
			say("LEAK: rmmod doors after the run: %s",
			    strerror(-err));
			bad++;
		}
	}
	targets_remove();
	if (stats->aborts_seen > stats->aborts_chosen) {
		say("CRASH: %llu processes aborted, %llu chose to",
		    (unsigned long long)stats->aborts_seen,
		    (unsigned long long)stats->aborts_chosen);
		bad++;
	}
	if (stats->unexpected || stats->corrupt || stats->leaks)
		bad++;
	if (stats->ops < cfg.ops) {
		say("TIMEOUT: %llu operations of %llu in --time %u s",
		    (unsigned long long)stats->ops,
		    (unsigned long long)cfg.ops, cfg.time);
		bad++;
	}

	if (cfg.verbose)
		print_stats();
	if (cfg.fail_pct)
		printf("doorfuzz: seed %llu: fail-nth: %llu ioctls armed, %llu faults injected\n",
		       (unsigned long long)cfg.seed,
		       (unsigned long long)stats->armed,
		       (unsigned long long)stats->faults);
	printf("doorfuzz: seed %llu: %llu operations (%llu calls ok, %llu checked, %llu mapped results; %llu invocations, %llu unref, %llu descriptors received), %llu forks, %llu kills, %llu child exits, %llu chosen aborts, %llu thread exits, %d attachments detached at the end; %llu unexpected errnos, %llu corruptions, %llu leaks; %.0f s: %s\n",
	       (unsigned long long)cfg.seed,
	       (unsigned long long)stats->ops,
	       (unsigned long long)stats->calls_ok,
	       (unsigned long long)stats->calls_checked,
	       (unsigned long long)stats->mapped_results,
	       (unsigned long long)stats->invocations,
	       (unsigned long long)stats->unref_invocations,
	       (unsigned long long)stats->descs_received,
	       (unsigned long long)stats->forks,
	       (unsigned long long)stats->kills,
	       (unsigned long long)stats->child_exits,
	       (unsigned long long)stats->aborts_chosen,
	       (unsigned long long)stats->thread_exits, detached,
	       (unsigned long long)stats->unexpected,
	       (unsigned long long)stats->corrupt,
	       (unsigned long long)stats->leaks, now() - start,
	       bad ? "FAIL" : "ok");
	return bad ? 1 : 0;
}
