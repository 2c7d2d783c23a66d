// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the doors selftests.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

void *bad_ptr(void)
{
	static void *page;

	/* Reserved for good, so no later mapping can land there. */
	if (!page)
		page = mmap(NULL, getpagesize(), PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return page;
}

int ctx_open(void)
{
	return open("/dev/doors", O_RDWR | O_CLOEXEC);
}

int fd_count(void)
{
	struct dirent *de;
	int n = 0;
	DIR *dir;

	dir = opendir("/proc/self/fd");
	if (!dir)
		return -1;
	while ((de = readdir(dir)))
		if (de->d_name[0] != '.')
			n++;
	closedir(dir);
	return n - 1;		/* the directory's own descriptor */
}

/* Read /proc/self/maps without allocating: malloc could map memory. */
long mapped_bytes(void)
{
	static char buf[1 << 16];
	unsigned long start, end;
	long total = 0;
	size_t len = 0;
	ssize_t ret;
	char *line;
	int fd;

	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((ret = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += ret;
	close(fd);
	if (ret < 0 || len == sizeof(buf) - 1)
		return -1;
	buf[len] = '\0';
	for (line = buf; *line; line = strchr(line, '\n') + 1) {
		if (sscanf(line, "%lx-%lx", &start, &end) != 2)
			return -1;
		total += end - start;
		if (!strchr(line, '\n'))
			break;
	}
	return total;
}

/* splitmix64 turns a seed into a state, xorshift64* walks from it. */
static uint64_t pattern_start(uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return z ? z : 1;
}

static uint64_t pattern_next(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 0x2545f4914f6cdd1dULL;
}

void pattern_fill(void *buf, size_t n, uint64_t seed)
{
	uint64_t x = pattern_start(seed), v = 0;
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		v = pattern_next(&x);
		memcpy(p + i, &v, 8);
	}
	v = pattern_next(&x);
	memcpy(p + i, &v, n - i);
}

size_t pattern_check(const void *buf, size_t n, uint64_t seed)
{
	uint64_t x = pattern_start(seed), v = 0;
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < n; i += 8) {
		v = pattern_next(&x);
		if (memcmp(p + i, &v, n - i < 8 ? n - i : 8))
			break;
	}
	for (; i < n; i++)
		if (p[i] != ((unsigned char *)&v)[i & 7])
			return i;
	return n;
}

int send_fds(int sock, const int *fds, int n)
{
	char cbuf[CMSG_SPACE(16 * sizeof(int))] = { 0 };
	char byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = CMSG_SPACE(n * sizeof(int)),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	if (n < 1 || n > 16)
		return -1;
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(cmsg), fds, n * sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

int recv_fds(int sock, int *fds, int n)
{
	char cbuf[CMSG_SPACE(16 * sizeof(int))];
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg;

	if (n < 1 || n > 16 || recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS ||
	    cmsg->cmsg_len != CMSG_LEN(n * sizeof(int)))
		return -1;
	memcpy(fds, CMSG_DATA(cmsg), n * sizeof(int));
	return 0;
}

pid_t fork_server(int (*make_doors)(int *fds), int *fds, int n)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (make_doors(fds) || send_fds(sv[1], fds, n))
			_exit(1);
		for (;;)
			pause();
	}
	close(sv[1]);
	if (pid > 0 && recv_fds(sv[0], fds, n)) {
		kill_server(pid);
		pid = -1;
	}
	close(sv[0]);
	return pid;
}

void kill_server(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		wait_status(pid);
	}
}

int notify(int fd)
{
	char c = 0;
	ssize_t ret;

	do
		ret = write(fd, &c, 1);
	while (ret < 0 && errno == EINTR);
	return ret == 1 ? 0 : -1;
}

int await(int fd)
{
	char c;
	ssize_t ret;

	do
		ret = read(fd, &c, 1);
	while (ret < 0 && errno == EINTR);
	return ret == 1 ? 0 : -1;
}

void *interrupt_when_inside(void *arg)
{
	struct interrupter *in = arg;

	if (!await(in->inside))
		pthread_kill(in->target, SIGUSR1);
	return NULL;
}

void wait_blocked_in_ioctl(pid_t tid)
{
	char path[64], buf[64], want[16];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	snprintf(want, sizeof(want), "%d ", SYS_ioctl);
	for (;;) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0 && !strncmp(buf, want, strlen(want)))
			return;
		sched_yield();
	}
}

void devnull_proc(void *cookie, char *argp, size_t arg_size,
		  door_desc_t *dp, uint_t n_desc)
{
	door_desc_t d = { .d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE };
	int *fd = cookie;

	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	d.d_data.d_desc.d_descriptor = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd)
		*fd = d.d_data.d_desc.d_descriptor;
	door_return(NULL, 0, &d, 1);
}

/* Read fd to its end into buf (size bytes at most, NUL-terminated). */
static void read_to_end(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len < size - 1 &&
	       ((n = read(fd, buf + len, size - 1 - len)) > 0 ||
		(n < 0 && errno == EINTR)))
		len += n > 0 ? n : 0;
	buf[len] = '\0';
}

int run_program(char *const argv[], const char *stdout_file, char *out,
		size_t size, char *err, size_t err_size)
{
	int o[2], e[2] = { -1, -1 };
	pid_t pid;

	if (pipe2(o, O_CLOEXEC))
		return -1;
	if (err && pipe2(e, O_CLOEXEC)) {
		close(o[0]);
		close(o[1]);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		int fd = stdout_file ? open(stdout_file, O_WRONLY) : o[1];

		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 ||
		    dup2(err ? e[1] : o[1], STDERR_FILENO) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	close(o[1]);
	read_to_end(o[0], out, size);
	close(o[0]);
	if (err) {
		close(e[1]);
		read_to_end(e[0], err, err_size);
		close(e[0]);
	}
	return pid < 0 ? -1 : wait_status(pid);
}

int wait_status(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/*
 * The install directory (/opt/doors in the VM, build/ in the tree) is
 * two levels above the test binary's (selftests/doors).
 */
const char *install_path(const char *path)
{
	static char buf[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t len;

	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len < 0)
		return path;
	exe[len] = '\0';
	snprintf(buf, sizeof(buf), "%s/../../%s", dirname(exe), path);
	return buf;
}
