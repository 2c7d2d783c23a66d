// SPDX-License-Identifier: GPL-2.0
/*
 * The example door-showcase (libdoor-user/examples), a tour of the whole
 * API, run as a user would run it: it exits 0 and says it is done.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "harness.h"
#include "util.h"

#define DONE	"door-showcase: all done\n"

/* Run argv with stdout and stderr into out; return its exit status. */
static int run(char *const argv[], char *out, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	while (len < size - 1 &&
	       ((n = read(p[0], out + len, size - 1 - len)) > 0 ||
		(n < 0 && errno == EINTR)))
		len += n > 0 ? n : 0;
	out[len] = '\0';
	close(p[0]);
	return pid < 0 ? -1 : wait_status(pid);
}

TEST(runs_to_the_end)
{
	char *argv[] = { (char *)install_path("examples/door-showcase"), NULL };
	static char out[65536];
	size_t len;

	ASSERT_EQ(0, access(argv[0], X_OK)) {
		TH_LOG("%s: %s (not built?)", argv[0], strerror(errno));
	}
	EXPECT_EQ(0, run(argv, out, sizeof(out)));
	len = strlen(out);
	ASSERT_LE(strlen(DONE), len) TH_LOG("output:\n%s", out);
	EXPECT_STREQ(DONE, out + len - strlen(DONE)) TH_LOG("output:\n%s",
							      out);
}

DOORS_HARNESS_MAIN
