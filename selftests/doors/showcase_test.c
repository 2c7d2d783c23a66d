// SPDX-License-Identifier: GPL-2.0
/*
 * The example door-showcase (libdoor-user/examples), a tour of the whole
 * API, run as a user would run it: it exits 0 and says it is done.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>

#include "harness.h"
#include "util.h"

#define DONE	"door-showcase: all done\n"

TEST(runs_to_the_end)
{
	char *argv[] = { (char *)install_path("examples/door-showcase"), NULL };
	static char out[65536];
	size_t len;

	ASSERT_EQ(0, access(argv[0], X_OK)) {
		TH_LOG("%s: %s (not built?)", argv[0], strerror(errno));
	}
	EXPECT_EQ(0, run_program(argv, NULL, out, sizeof(out), NULL, 0));
	len = strlen(out);
	ASSERT_LE(strlen(DONE), len) TH_LOG("output:\n%s", out);
	EXPECT_STREQ(DONE, out + len - strlen(DONE)) TH_LOG("output:\n%s",
							      out);
}

DOORS_HARNESS_MAIN
