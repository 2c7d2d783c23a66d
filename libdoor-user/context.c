// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The process's door context: one open file of /dev/doors, opened the
 * first time any door function needs it.  If the device is missing (the
 * module is not loaded) every door function fails with the errno of that
 * open(), normally ENOENT, and tries again next time.
 *
 * A context serves the process that opened it only, so a fork() child
 * closes the one it inherited: it is a client until it creates a door of
 * its own, which then opens a fresh context and starts fresh server
 * threads.  It also forgets its parent's door_xcreate() doors.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include "door_impl.h"

int libdoor_ctx = -1;
static pthread_mutex_t door_ctx_lock = PTHREAD_MUTEX_INITIALIZER;

/* The first use (libdoor_context()): open it, once. */
int libdoor_context_open(void)
{
	int fd, err;

	pthread_mutex_lock(&door_ctx_lock);
	fd = libdoor_ctx;
	if (fd < 0) {
		fd = open("/dev/doors", O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			__atomic_store_n(&libdoor_ctx, fd, __ATOMIC_RELEASE);
	}
	err = errno;
	pthread_mutex_unlock(&door_ctx_lock);
	errno = err;
	return fd;
}

static void door_prepare(void)
{
	libdoor_xcreate_prefork();
	pthread_mutex_lock(&door_ctx_lock);
}

static void door_parent(void)
{
	pthread_mutex_unlock(&door_ctx_lock);
	libdoor_xcreate_postfork();
}

static void door_child(void)
{
	if (libdoor_ctx >= 0)
		close(libdoor_ctx);
	libdoor_ctx = -1;
	libdoor_server_forked();
	pthread_mutex_unlock(&door_ctx_lock);
	libdoor_xcreate_forked();
}

__attribute__((constructor))
static void door_context_init(void)
{
	pthread_atfork(door_prepare, door_parent, door_child);
}
