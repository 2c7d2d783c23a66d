/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the doors selftests.  Nothing here asserts: the
 * callers check the results with the harness macros.
 */
#ifndef DOORS_SELFTEST_UTIL_H
#define DOORS_SELFTEST_UTIL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <door.h>

/* A pointer the kernel must refuse: an inaccessible page kept reserved. */
void *bad_ptr(void);

/* Open a fresh door context, raw. */
int ctx_open(void);

/* Number of open descriptors of the calling process. */
int fd_count(void);

/* Bytes mapped in the calling process, from /proc/self/maps. */
long mapped_bytes(void);

/*
 * Fill or check n bytes with the pseudo-random sequence of seed: any
 * byte, page or offset mix-up changes the bytes.  pattern_check() returns
 * the offset of the first wrong byte, or n.
 */
void pattern_fill(void *buf, size_t n, uint64_t seed);
size_t pattern_check(const void *buf, size_t n, uint64_t seed);

/* Pass descriptors over a unix socket (SCM_RIGHTS). */
int send_fds(int sock, const int *fds, int n);
int recv_fds(int sock, int *fds, int n);

/*
 * Fork a server process.  In it, make_doors(fds) creates n doors (and
 * returns 0); their descriptors come back in fds, here.  The server then
 * serves until it is killed, or its parent thread exits.  It must be the
 * first use of libdoor in the process, so the server opens a context of
 * its own.
 */
pid_t fork_server(int (*make_doors)(int *fds), int *fds, int n);

/* SIGKILL and reap; nothing if pid <= 0. */
void kill_server(pid_t pid);

/*
 * Write and read one byte: the "I got there" and "go on" signals between
 * processes and threads.  They return 0 or -1 (EOF counts as failure).
 */
int notify(int fd);
int await(int fd);

/*
 * A thread that sends target SIGUSR1 once a byte comes on inside ("the
 * procedure runs"): pthread_create(..., interrupt_when_inside, &in).
 */
struct interrupter {
	pthread_t target;
	int inside;
};
void *interrupt_when_inside(void *arg);

/*
 * Wait until thread tid of this process sleeps in ioctl(): for a
 * door_call() to a door nothing serves, the wait for a server thread.
 */
void wait_blocked_in_ioctl(pid_t tid);

/* Wait for pid; return its exit status, 128 + signal, or -1. */
int wait_status(pid_t pid);

/*
 * A server procedure that returns no data and one descriptor, of
 * /dev/null, passed with DOOR_RELEASE (closed once passed).  Its number
 * goes first to the int the cookie points to, if it is not NULL.
 */
void devnull_proc(void *cookie, char *argp, size_t arg_size,
		  door_desc_t *dp, uint_t n_desc);

/*
 * Run argv[0] to its end.  Its standard output goes to out (size bytes
 * at most, NUL-terminated), or to the file stdout_file if not NULL; its
 * standard error to err (err_size bytes), or with its standard output if
 * err is NULL.  err is read once the output has ended: a program writing
 * more than a pipe holds to both at once would block.  Returns its exit
 * status (wait_status()), or -1.
 */
int run_program(char *const argv[], const char *stdout_file, char *out,
		size_t size, char *err, size_t err_size);

/*
 * A file installed with the tests: path is relative to the install
 * directory (/opt/doors in the VM, build/ in the tree).  The result is a
 * static buffer, overwritten by the next call.
 */
const char *install_path(const char *path);

#endif
