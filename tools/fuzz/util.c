// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by doorfuzz and doorstorm: see util.h.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/membarrier.h>

#include "util.h"

const char *prog = "fuzz";

static uint64_t pattern_word(uint64_t seed, size_t i)
{
	struct rng r = { seed + i * 0x9e3779b97f4a7c15ull };

	return rng_next(&r);
}

void pattern_fill(void *buf, size_t n, uint64_t seed)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t w = pattern_word(seed, i / 8);

		memcpy(p + i, &w, 8);
	}
	if (i < n) {
		uint64_t w = pattern_word(seed, i / 8);

		memcpy(p + i, &w, n - i);
	}
}

size_t pattern_check(const void *buf, size_t n, uint64_t seed)
{
	const unsigned char *p = buf;
	size_t i, j;

	for (i = 0; i < n; i += 8) {
		uint64_t w = pattern_word(seed, i / 8);
		size_t len = n - i < 8 ? n - i : 8;

		if (!memcmp(p + i, &w, len))
			continue;
		for (j = 0; j < len; j++)
			if (p[i + j] != ((unsigned char *)&w)[j])
				return i + j;
	}
	return n;
}

static const char *const errnames[] = {
	[EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH",
	[EINTR] = "EINTR", [EIO] = "EIO", [E2BIG] = "E2BIG",
	[EBADF] = "EBADF", [EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM",
	[EACCES] = "EACCES", [EFAULT] = "EFAULT", [EBUSY] = "EBUSY",
	[EEXIST] = "EEXIST", [ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR",
	[EINVAL] = "EINVAL", [ENFILE] = "ENFILE", [EMFILE] = "EMFILE",
	[ENOTTY] = "ENOTTY", [ENOSPC] = "ENOSPC", [ERANGE] = "ERANGE",
	[ENAMETOOLONG] = "ENAMETOOLONG", [ENOSYS] = "ENOSYS",
	[ELOOP] = "ELOOP", [EOVERFLOW] = "EOVERFLOW", [ENOBUFS] = "ENOBUFS",
	[EOPNOTSUPP] = "ENOTSUP", [EPIPE] = "EPIPE", [ECHILD] = "ECHILD",
	[EXDEV] = "EXDEV", [ENXIO] = "ENXIO",
};

const char *errname(int e)
{
	static __thread char buf[16];

	if (e == 0)
		return "0";
	if (e > 0 && (size_t)e < ARRAY_SIZE(errnames) && errnames[e])
		return errnames[e];
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

bool emask_has(emask_t m, int e)
{
	return e >= 0 && e < 128 && (m >> e) & 1;
}

const char *emask_str(emask_t m, char *buf, size_t len)
{
	size_t off = 0;
	int e;

	buf[0] = 0;
	for (e = 0; e < 128 && off < len; e++) {
		if (!emask_has(m, e))
			continue;
		off += snprintf(buf + off, len - off, "%s%s", off ? "|" : "",
				errname(e));
	}
	if (!off)
		snprintf(buf, len, "(none)");
	return buf;
}

void say(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "%s: ", prog);
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	xwrite(STDERR_FILENO, buf, n);
}

ssize_t xread(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

ssize_t xwrite(int fd, const void *buf, size_t len)
{
	ssize_t n;

	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

pid_t xwaitpid(pid_t pid, int *status, int flags)
{
	pid_t ret;

	do
		ret = waitpid(pid, status, flags);
	while (ret < 0 && errno == EINTR);
	return ret;
}

int notify(int fd)
{
	return xwrite(fd, "", 1) == 1 ? 0 : -1;
}

int await(int fd)
{
	char c;

	return xread(fd, &c, 1) == 1 ? 0 : -1;
}

int send_fds(int sock, const int *fds, int n, int flags)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 16)];
	struct msghdr msg = { 0 };
	struct cmsghdr *cmsg;
	char byte = 'F';
	struct iovec iov = { &byte, 1 };
	ssize_t ret;

	if (n < 1 || n > 16)
		return -1;
	memset(cbuf, 0, sizeof(cbuf));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf;
	msg.msg_controllen = CMSG_SPACE(sizeof(int) * n);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * n);
	do
		ret = sendmsg(sock, &msg, flags | MSG_NOSIGNAL);
	while (ret < 0 && errno == EINTR);
	return ret == 1 ? 0 : -1;
}

int recv_fds(int sock, int *fds, int max, int flags)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 16)];
	struct msghdr msg = { 0 };
	struct cmsghdr *cmsg;
	char byte;
	struct iovec iov = { &byte, 1 };
	ssize_t ret;
	int n = 0;

	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	do
		ret = recvmsg(sock, &msg, flags | MSG_CMSG_CLOEXEC);
	while (ret < 0 && errno == EINTR);
	if (ret <= 0)
		return -1;
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		int i, got;

		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		got = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < got; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int),
			       sizeof(int));
			if (n < max)
				fds[n++] = fd;
			else
				close(fd);
		}
	}
	return n;
}

int fd_list(int *fds, int max)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		int fd;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		fd = atoi(e->d_name);
		if (fd == dirfd(d))
			continue;
		if (n < max)
			fds[n] = fd;
		n++;
	}
	closedir(d);
	return n;
}

int fd_count(void)
{
	return fd_list(NULL, 0);
}

void fd_report_extra(const int *base, int nbase)
{
	int fds[1024], n, i, j, shown = 0;

	n = fd_list(fds, ARRAY_SIZE(fds));
	for (i = 0; i < n && i < (int)ARRAY_SIZE(fds); i++) {
		char path[64], target[256];
		ssize_t len;

		for (j = 0; j < nbase && base[j] != fds[i]; j++)
			;
		if (j < nbase)
			continue;
		if (++shown > 10) {
			say("  ...");
			break;
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[i]);
		len = readlink(path, target, sizeof(target) - 1);
		target[len < 0 ? 0 : len] = 0;
		say("  leaked descriptor %d -> %s", fds[i], target);
	}
}

long anon_bytes(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];
	long total = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end, inode;
		int name = 0;

		if (sscanf(line, "%lx-%lx %*s %*s %*s %lu %n", &start, &end,
			   &inode, &name) < 3)
			continue;
		if (inode || (name && line[name] && line[name] != '\n'))
			continue;
		total += end - start;
	}
	fclose(f);
	return total;
}

static void fdinfo_count(const char *pid, long *doors, long *contexts)
{
	char path[300], line[256];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%s/fdinfo", pid);
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		FILE *f;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fdinfo/%s", pid,
			 e->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			if (!strncmp(line, "door-id:", 8))
				(*doors)++;
			else if (!strncmp(line, "door-owner:", 11))
				(*contexts)++;
		}
		fclose(f);
	}
	closedir(d);
}

void door_files_count(long *doors, long *contexts)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	*doors = 0;
	*contexts = 0;
	if (!d)
		return;
	while ((e = readdir(d)))
		if (isdigit((unsigned char)e->d_name[0]))
			fdinfo_count(e->d_name, doors, contexts);
	closedir(d);
}

long module_refcnt(void)
{
	FILE *f = fopen("/sys/module/doors/refcnt", "re");
	long n = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

int module_unload(void)
{
	return syscall(SYS_delete_module, "doors", O_NONBLOCK) ? -errno : 0;
}

int module_load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

static void slab_read(struct slab_sample *s)
{
	FILE *f = fopen("/proc/slabinfo", "re");
	char line[512], name[64];
	long active;

	memset(s, 0, sizeof(*s));
	if (!f) {
		s->filp = s->dentry = s->kmalloc_cg = -1;
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %ld", name, &active) != 2)
			continue;
		if (!strcmp(name, "filp"))
			s->filp = active;
		else if (!strcmp(name, "dentry"))
			s->dentry = active;
		else if (!strncmp(name, "kmalloc-cg-", 11))
			s->kmalloc_cg += active;
	}
	fclose(f);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, text, strlen(text)) < 0) {
		/* best effort: the count is only less settled */
	}
	close(fd);
}

/*
 * One round of pushing freed objects back to their caches: the shrinkers
 * (drop_caches 2, plus 4 to log it once only; kfree_rcu's batches wait
 * up to 5 s for theirs, or for its shrinker), an RCU grace period
 * (MEMBARRIER_CMD_GLOBAL is a synchronize_rcu(); files and dentries are
 * freed after one) and, per cache, a shrink, which on a KASAN kernel also
 * empties the quarantine of it.
 */
static void slab_push(void)
{
	static const char *const caches[] = { "filp", "dentry" };
	char path[PATH_MAX];
	unsigned int i;
	DIR *d;
	struct dirent *e;

	write_file("/proc/sys/vm/drop_caches", "6");
	syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0);
	for (i = 0; i < ARRAY_SIZE(caches); i++) {
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink",
			 caches[i]);
		write_file(path, "1");
	}
	d = opendir("/sys/kernel/slab");
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "kmalloc-cg-", 11))
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink",
			 e->d_name);
		write_file(path, "1");
	}
	closedir(d);
}

void door_objects(struct door_objects *o)
{
	FILE *f = fopen("/sys/kernel/debug/doors/objects", "re");

	o->kinds = -1;
	if (!f)
		return;
	o->kinds = 0;
	while (o->kinds < OBJECT_KINDS &&
	       fscanf(f, "%23s %ld", o->name[o->kinds],
		      &o->count[o->kinds]) == 2)
		o->kinds++;
	fclose(f);
}

int door_objects_grown(const struct door_objects *then,
		       const struct door_objects *after, char *report,
		       size_t len)
{
	size_t used = 0;
	int i, grown = 0;

	if (len)
		report[0] = '\0';
	if (after->kinds < 0 || (then && then->kinds != after->kinds))
		return 0;	/* nothing to compare */
	for (i = 0; i < after->kinds; i++) {
		long before = then ? then->count[i] : 0;

		if (after->count[i] <= before && after->count[i] >= 0)
			continue;
		grown++;
		if (used < len)
			used += snprintf(report + used, len - used,
					 "%s%s %ld -> %ld", used ? ", " : "",
					 after->name[i], before,
					 after->count[i]);
	}
	return grown;
}

/*
 * An attachment is freed by a worker after an SRCU grace period, and the
 * last reference to a file may be dropped by one: push until no kind is
 * above @then, for at most 10 s.
 */
void door_objects_settled(const struct door_objects *then,
			  struct door_objects *after)
{
	double start = now();

	door_objects(after);
	while (door_objects_grown(then, after, NULL, 0) &&
	       now() - start < 10) {
		slab_push();
		door_objects(after);
	}
}

/*
 * Freed objects reach their cache late (RCU, kfree_rcu's batching,
 * KASAN's quarantine), so push them back until two rounds in a row free
 * nothing more of the three counts, at most 50 rounds; and for 6 s at
 * least.  A kfree_rcu() batch (the module's thread records) is only
 * sure to be on its way once its timer has run, 5 s after its first
 * object (6.1's KFREE_DRAIN_JIFFIES): a storm shorter than that, on a
 * quiet host, left hundreds of records in one, uncounted until the next
 * storm.
 */
void slab_sample(struct slab_sample *s)
{
	struct slab_sample prev;
	unsigned int round, still = 0;
	double until = now() + 6;

	slab_read(s);
	for (round = 0; round < 50 && (still < 2 || now() < until); round++) {
		if (still >= 2)
			usleep(200000);	/* waiting for the batches' timer */
		prev = *s;
		slab_push();
		slab_read(s);
		if (s->filp < prev.filp || s->dentry < prev.dentry ||
		    s->kmalloc_cg < prev.kmalloc_cg)
			still = 0;
		else
			still++;
	}
}

void rseq_off(char **argv)
{
	static const char tunable[] = "glibc.pthread.rseq=0";
	const char *t = getenv("GLIBC_TUNABLES");

	if (t && strstr(t, tunable))
		return;
	setenv("GLIBC_TUNABLES", tunable, 1);
	execv("/proc/self/exe", argv);
	say("re-executing without rseq: %s", strerror(errno));
}

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void reap_all(void)
{
	while (xwaitpid(-1, NULL, __WALL) > 0 || errno != ECHILD)
		;
}

/* Print the contents of a small /proc file, indented. */
static void dump_file(const char *path, const char *label)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *line, *save;

	if (fd < 0)
		return;
	n = xread(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = 0;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		say("    %s%s", label, line);
}

/* Where every process of group @pgrp is: state, wchan, kernel stacks. */
static void dump_group(pid_t pgrp)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[300], stat[512], comm[64] = "?", state = '?';
		int pid, grp = 0;
		DIR *td;
		struct dirent *te;
		ssize_t n;
		int fd;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid = atoi(e->d_name);
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = xread(fd, stat, sizeof(stat) - 1);
		close(fd);
		if (n <= 0)
			continue;
		stat[n] = 0;
		if (sscanf(stat, "%*d (%63[^)]) %c %*d %d", comm, &state,
			   &grp) != 3 || grp != pgrp)
			continue;
		say("  process %d (%s) state %c", pid, comm, state);
		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		td = opendir(path);
		while (td && (te = readdir(td))) {
			if (!isdigit((unsigned char)te->d_name[0]))
				continue;
			snprintf(path, sizeof(path), "/proc/%d/task/%s/stat",
				 pid, te->d_name);
			dump_file(path, "stat: ");
			snprintf(path, sizeof(path), "/proc/%d/task/%s/stack",
				 pid, te->d_name);
			dump_file(path, "");
		}
		if (td)
			closedir(td);
	}
	closedir(d);
}

/*
 * A run whose progress counter stands still this long is stuck: every
 * operation is bounded well below it (a thread's timer interrupts its
 * calls every 50 ms at most; a child's alarm ends it after 60 s).
 */
#define STALL	120

static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

/* Wait for pid until the alarm; 1 if the alarm came first. */
static int wait_alarm(pid_t pid, int *status, unsigned int secs)
{
	alarmed = 0;
	alarm(secs);
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR || alarmed) {
			alarm(0);
			return errno == EINTR ? 1 : -1;
		}
	}
	alarm(0);
	return 0;
}

int supervise(int (*fn)(void *), void *arg, unsigned int timeout,
	      const char *what, const _Atomic uint64_t *progress)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	double deadline = now() + timeout;
	uint64_t last = progress ? atomic_load(progress) : 0;
	int status = 0;
	pid_t pid;
	int ret;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		say("fork: %s", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_CHILD_SUBREAPER, 1);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		ret = fn(arg);
		reap_all();
		fflush(NULL);
		_exit(ret);
	}
	setpgid(pid, pid);
	sigaction(SIGALRM, &sa, NULL);

	for (;;) {
		double left = deadline - now();

		ret = wait_alarm(pid, &status, left < STALL ? left + 1 :
				 STALL);
		if (ret != 1)
			break;
		if (now() >= deadline) {
			say("HANG: %s still running after %u s; its processes:",
			    what, timeout);
			break;
		}
		if (progress && atomic_load(progress) == last) {
			say("HANG: %s made no progress for %u s; its processes:",
			    what, STALL);
			break;
		}
		if (progress)
			last = atomic_load(progress);
	}
	if (ret == 1) {
		dump_group(pid);
		kill(-pid, SIGKILL);
		if (wait_alarm(pid, &status, 60) == 1) {
			say("HANG: %s survives SIGKILL for 60 s:", what);
			dump_group(pid);
		}
		return -1;
	}
	if (ret < 0)
		return 1;
	if (WIFSIGNALED(status)) {
		say("%s killed by signal %d", what, WTERMSIG(status));
		return 125 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}
