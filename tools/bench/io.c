// SPDX-License-Identifier: GPL-2.0
/* Whole reads and writes on descriptors; errors are fatal. */
#include <err.h>
#include <errno.h>
#include <unistd.h>

#include "bench.h"

/* Returns len, or less at end of file. */
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
