// SPDX-License-Identifier: GPL-2.0
/*
 * doorctl (tools/doorctl), the command: what each subcommand prints, its
 * exit status, and every way it fails.  A server process makes the
 * doors; the test attaches them to files and runs doorctl on those.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <door.h>
#include <stropts.h>

#include "harness.h"
#include "util.h"

enum { ECHO, PRIVATE, BIG, PASSFD, NDOORS };

#define BIG_SIZE	10000	/* more than doorctl's 4 KiB buffer */

static void echo(void *cookie, char *argp, size_t arg_size,
		 door_desc_t *dp, uint_t n_desc)
{
	(void)cookie;
	(void)dp;
	(void)n_desc;
	door_return(argp, arg_size, NULL, 0);
}

static void big(void *cookie, char *argp, size_t arg_size,
		door_desc_t *dp, uint_t n_desc)
{
	static char reply[BIG_SIZE];

	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	memset(reply, 'x', sizeof(reply));
	door_return(reply, sizeof(reply), NULL, 0);
}

static int make_doors(int *fds)
{
	fds[ECHO] = door_create(echo, NULL, 0);
	fds[PRIVATE] = door_create(echo, NULL, DOOR_PRIVATE | DOOR_NO_CANCEL);
	fds[BIG] = door_create(big, NULL, 0);
	fds[PASSFD] = door_create(devnull_proc, NULL, 0);
	return fds[ECHO] < 0 || fds[PRIVATE] < 0 || fds[BIG] < 0 ||
	       fds[PASSFD] < 0 ? -1 : 0;
}

/* What one run of doorctl printed, and how it ended. */
struct run {
	int status;		/* wait_status() */
	char out[2 * BIG_SIZE];
	char err[4096];
};

/*
 * Run doorctl with argv (argv[0] is replaced by its path), its standard
 * output to r->out or, if stdout_file, to that file.
 */
static int run(struct run *r, const char *stdout_file, char **argv)
{
	argv[0] = (char *)install_path("doorctl/doorctl");
	r->status = run_program(argv, stdout_file, r->out, sizeof(r->out),
				r->err, sizeof(r->err));
	return r->status < 0 ? -1 : 0;
}

#define RUN(r, ...) run(r, NULL, (char *[]){ "doorctl", __VA_ARGS__, NULL })

FIXTURE(doorctl) {
	pid_t server;
	int fd[NDOORS];
	char path[NDOORS][64];
	char plain[64];
	struct run r;
};

FIXTURE_SETUP(doorctl)
{
	int i, fd;

	self->server = fork_server(make_doors, self->fd, NDOORS);
	ASSERT_LT(0, self->server);
	for (i = 0; i < NDOORS; i++) {
		snprintf(self->path[i], sizeof(self->path[i]),
			 "/tmp/doors-doorctl-%d.%d", i, getpid());
		fd = open(self->path[i], O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
		ASSERT_LE(0, fd);
		close(fd);
		ASSERT_EQ(0, fattach(self->fd[i], self->path[i]));
	}
	snprintf(self->plain, sizeof(self->plain), "/tmp/doors-doorctl-plain.%d",
		 getpid());
	fd = open(self->plain, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	close(fd);
}

FIXTURE_TEARDOWN(doorctl)
{
	int i;

	for (i = 0; i < NDOORS; i++) {
		fdetach(self->path[i]);
		unlink(self->path[i]);
	}
	unlink(self->plain);
	kill_server(self->server);
}

static door_id_t door_id(int fd)
{
	door_info_t di;

	return door_info(fd, &di) ? 0 : di.di_uniquifier;
}

TEST_F(doorctl, info_describes_the_door)
{
	char expect[256];

	ASSERT_EQ(0, RUN(&self->r, "info", self->path[ECHO]));
	ASSERT_EQ(0, self->r.status);
	snprintf(expect, sizeof(expect),
		 "%s:\n  id:          %" PRIu64 "\n  target:      %d\n"
		 "  attributes:  0\n  parked:      ", self->path[ECHO],
		 (uint64_t)door_id(self->fd[ECHO]), self->server);
	ASSERT_EQ(0, strncmp(expect, self->r.out, strlen(expect)));
	ASSERT_STREQ("", self->r.err);
}

TEST_F(doorctl, info_names_attributes_and_bound_threads)
{
	ASSERT_EQ(0, RUN(&self->r, "info", self->path[PRIVATE]));
	ASSERT_EQ(0, self->r.status);
	ASSERT_NE(NULL, strstr(self->r.out,
			       "  attributes:  DOOR_PRIVATE|DOOR_NO_CANCEL\n"));
	ASSERT_NE(NULL, strstr(self->r.out, "  bound:       0\n"));
}

TEST_F(doorctl, info_of_several_files_describes_each)
{
	ASSERT_EQ(0, RUN(&self->r, "info", self->path[ECHO], self->path[BIG]));
	ASSERT_EQ(0, self->r.status);
	ASSERT_NE(NULL, strstr(self->r.out, self->path[ECHO]));
	ASSERT_NE(NULL, strstr(self->r.out, self->path[BIG]));
}

TEST_F(doorctl, info_of_a_door_whose_server_is_gone)
{
	kill_server(self->server);
	self->server = 0;
	ASSERT_EQ(0, RUN(&self->r, "info", self->path[ECHO]));
	ASSERT_EQ(0, self->r.status);
	ASSERT_NE(NULL, strstr(self->r.out, "  target:      -1\n"));
	ASSERT_NE(NULL, strstr(self->r.out, "  attributes:  DOOR_REVOKED\n"));
}

TEST_F(doorctl, info_of_a_plain_file_fails)
{
	char expect[256];

	ASSERT_EQ(0, RUN(&self->r, "info", self->plain, self->path[ECHO]));
	ASSERT_EQ(1, self->r.status);
	snprintf(expect, sizeof(expect),
		 "doorctl: %s: door_info: not a door, or a revoked one\n",
		 self->plain);
	ASSERT_STREQ(expect, self->r.err);
	/* the next file is still described */
	ASSERT_NE(NULL, strstr(self->r.out, self->path[ECHO]));
}

TEST_F(doorctl, info_of_a_missing_file_fails)
{
	ASSERT_EQ(0, RUN(&self->r, "info", "/tmp/doors-doorctl-missing"));
	ASSERT_EQ(1, self->r.status);
	ASSERT_STREQ("doorctl: /tmp/doors-doorctl-missing: No such file or directory\n",
		     self->r.err);
	ASSERT_STREQ("", self->r.out);
}

TEST_F(doorctl, info_without_a_file_is_a_usage_error)
{
	ASSERT_EQ(0, RUN(&self->r, "info"));
	ASSERT_EQ(2, self->r.status);
	ASSERT_EQ(0, strncmp("usage: doorctl", self->r.err, 14));
}

TEST_F(doorctl, call_writes_the_results)
{
	ASSERT_EQ(0, RUN(&self->r, "call", self->path[ECHO], "hello, door"));
	ASSERT_EQ(0, self->r.status);
	ASSERT_STREQ("hello, door", self->r.out);
	ASSERT_STREQ("", self->r.err);
}

TEST_F(doorctl, call_without_data_has_no_results)
{
	ASSERT_EQ(0, RUN(&self->r, "call", self->path[ECHO]));
	ASSERT_EQ(0, self->r.status);
	ASSERT_STREQ("", self->r.out);
}

TEST_F(doorctl, call_writes_results_larger_than_its_buffer)
{
	char expect[BIG_SIZE + 1];

	memset(expect, 'x', BIG_SIZE);
	expect[BIG_SIZE] = '\0';
	ASSERT_EQ(0, RUN(&self->r, "call", self->path[BIG]));
	ASSERT_EQ(0, self->r.status);
	ASSERT_STREQ(expect, self->r.out);
}

TEST_F(doorctl, call_reports_and_closes_received_descriptors)
{
	ASSERT_EQ(0, RUN(&self->r, "call", self->path[PASSFD]));
	ASSERT_EQ(0, self->r.status);
	ASSERT_EQ(0, strncmp("doorctl: received descriptor ", self->r.err,
			     29));
	ASSERT_NE(NULL, strstr(self->r.err, ", closed\n"));
}

TEST_F(doorctl, call_of_a_plain_file_fails)
{
	char expect[256];

	ASSERT_EQ(0, RUN(&self->r, "call", self->plain, "x"));
	ASSERT_EQ(1, self->r.status);
	snprintf(expect, sizeof(expect),
		 "doorctl: %s: door_call: not a door, or a revoked one\n",
		 self->plain);
	ASSERT_STREQ(expect, self->r.err);
}

TEST_F(doorctl, call_of_a_missing_file_fails)
{
	ASSERT_EQ(0, RUN(&self->r, "call", "/tmp/doors-doorctl-missing"));
	ASSERT_EQ(1, self->r.status);
	ASSERT_STREQ("doorctl: /tmp/doors-doorctl-missing: No such file or directory\n",
		     self->r.err);
}

TEST_F(doorctl, call_of_a_door_whose_server_is_gone_fails)
{
	kill_server(self->server);
	self->server = 0;
	ASSERT_EQ(0, RUN(&self->r, "call", self->path[ECHO], "x"));
	ASSERT_EQ(1, self->r.status);
	ASSERT_NE(NULL, strstr(self->r.err, "door_call: not a door, or a revoked one\n"));
}

TEST_F(doorctl, call_fails_when_the_results_cannot_be_written)
{
	ASSERT_EQ(0, run(&self->r, "/dev/full",
			 (char *[]){ "doorctl", "call", self->path[ECHO],
				     "hello", NULL }));
	ASSERT_EQ(1, self->r.status);
	ASSERT_STREQ("doorctl: standard output: No space left on device\n",
		     self->r.err);
}

TEST_F(doorctl, call_with_two_arguments_is_a_usage_error)
{
	ASSERT_EQ(0, RUN(&self->r, "call", self->path[ECHO], "a", "b"));
	ASSERT_EQ(2, self->r.status);
	ASSERT_EQ(0, strncmp("usage: doorctl", self->r.err, 14));
}

TEST_F(doorctl, list_shows_the_descriptors_of_a_process)
{
	char line[128];
	int i;

	snprintf(line, sizeof(line), "%d", getpid());
	ASSERT_EQ(0, RUN(&self->r, "list", line));
	ASSERT_EQ(0, self->r.status);
	ASSERT_EQ(0, strncmp("PID ", self->r.out, 4));
	for (i = 0; i < NDOORS; i++) {
		snprintf(line, sizeof(line), "\n%-8d %-16s %-5d %-10" PRIu64 " %-8d ",
			 getpid(), "doorctl_test", self->fd[i],
			 (uint64_t)door_id(self->fd[i]), self->server);
		ASSERT_NE(NULL, strstr(self->r.out, line));
	}
}

TEST_F(doorctl, list_shows_every_process_by_default)
{
	char line[64];

	ASSERT_EQ(0, RUN(&self->r, "list"));
	ASSERT_EQ(0, self->r.status);
	/* the server's own descriptors, and ours */
	snprintf(line, sizeof(line), "\n%-8d ", self->server);
	ASSERT_NE(NULL, strstr(self->r.out, line));
	snprintf(line, sizeof(line), "\n%-8d ", getpid());
	ASSERT_NE(NULL, strstr(self->r.out, line));
}

TEST_F(doorctl, list_of_a_process_with_no_doors_shows_none)
{
	ASSERT_EQ(0, RUN(&self->r, "list", "1"));
	ASSERT_EQ(0, self->r.status);
	ASSERT_EQ(NULL, strchr(strchr(self->r.out, '\n') + 1, '\n'));
}

TEST_F(doorctl, list_of_a_missing_process_fails)
{
	char pid[16];
	pid_t gone = fork();

	ASSERT_LE(0, gone);
	if (gone == 0)
		_exit(0);
	ASSERT_EQ(0, wait_status(gone));
	snprintf(pid, sizeof(pid), "%d", gone);
	ASSERT_EQ(0, RUN(&self->r, "list", pid, "1"));
	ASSERT_EQ(1, self->r.status);
	ASSERT_NE(NULL, strstr(self->r.err, ": no such process\n"));
	ASSERT_EQ(0, strncmp("PID ", self->r.out, 4));
}

TEST_F(doorctl, list_of_a_bad_pid_is_a_usage_error)
{
	ASSERT_EQ(0, RUN(&self->r, "list", "12x"));
	ASSERT_EQ(2, self->r.status);
	ASSERT_EQ(0, strncmp("usage: doorctl", self->r.err, 14));
}

TEST_F(doorctl, list_of_an_empty_pid_is_a_usage_error)
{
	ASSERT_EQ(0, RUN(&self->r, "list", ""));
	ASSERT_EQ(2, self->r.status);
	ASSERT_EQ(0, strncmp("usage: doorctl", self->r.err, 14));
}

TEST_F(doorctl, no_command_is_a_usage_error)
{
	ASSERT_EQ(0, run(&self->r, NULL, (char *[]){ "doorctl", NULL }));
	ASSERT_EQ(2, self->r.status);
	ASSERT_EQ(0, strncmp("usage: doorctl", self->r.err, 14));
}

TEST_F(doorctl, unknown_command_is_a_usage_error)
{
	ASSERT_EQ(0, RUN(&self->r, "open"));
	ASSERT_EQ(2, self->r.status);
	ASSERT_EQ(0, strncmp("usage: doorctl", self->r.err, 14));
}

TEST_F(doorctl, help_goes_to_standard_output)
{
	ASSERT_EQ(0, RUN(&self->r, "--help"));
	ASSERT_EQ(0, self->r.status);
	ASSERT_EQ(0, strncmp("usage: doorctl", self->r.out, 14));
	ASSERT_STREQ("", self->r.err);
}

DOORS_HARNESS_MAIN
