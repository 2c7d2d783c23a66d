// SPDX-License-Identifier: GPL-2.0
/*
 * What every mechanism shares: the clock, the client process and its
 * timed loop, the payload, and full reads and writes.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
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

pid_t client_fork(int *result_fd)
{
	pid_t server = getpid(), pid;
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		err(1, "pipe2");
	if (fflush(stdout) || fflush(stderr))
		err(1, "fflush");
	pid = fork();
	if (pid < 0)
		err(1, "fork");
	if (pid == 0) {
		/* A client must not outlive, or wait forever for, its server. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL))
			err(1, "prctl(PR_SET_PDEATHSIG)");
		if (getppid() != server)
			errx(1, "the server exited before its client started");
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

uint64_t client_loop(const struct bench_cfg *cfg,
		     void (*trip)(void *ctx, unsigned long i), void *ctx)
{
	unsigned long i;
	uint64_t start;

	for (i = 0; i < cfg->warmup; i++)
		trip(ctx, i);
	start = now_ns();
	for (; i < cfg->warmup + cfg->iters; i++)
		trip(ctx, i);
	return now_ns() - start;
}

void client_exit(int result_fd, uint64_t ns)
{
	write_full(result_fd, &ns, sizeof(ns));
	if (close(result_fd))
		err(1, "close");
	/* Nothing is buffered (client_fork flushed): skip the parent's exit handlers. */
	_exit(0);
}

uint64_t client_wait(pid_t pid, int result_fd)
{
	size_t got = 0;
	uint64_t ns;
	int status;

	got = read_full(result_fd, &ns, sizeof(ns));
	if (close(result_fd))
		err(1, "close");
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			err(1, "waitpid");
	if (WIFSIGNALED(status))
		errx(1, "the client was killed by signal %d", WTERMSIG(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		errx(1, "the client failed (wait status %#x)", status);
	if (got != sizeof(ns))
		errx(1, "the client exited without a result");
	return ns;
}

unsigned char *payload_alloc(size_t len)
{
	unsigned char *buf = malloc(len ? len : 1);
	size_t i;

	if (!buf)
		err(1, "malloc(%zu)", len);
	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(i * 7 + 1);
	return buf;
}

void payload_stamp(unsigned char *buf, size_t len, unsigned long i)
{
	uint32_t seq = (uint32_t)i;

	memcpy(buf, &seq, len < sizeof(seq) ? len : sizeof(seq));
}

size_t read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err(1, "read");
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return done;
}

void write_full(int fd, const void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err(1, "write");
		}
		done += (size_t)n;
	}
}
