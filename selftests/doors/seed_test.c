// SPDX-License-Identifier: GPL-2.0
/*
 * The seed programs (server and client built from ../shared/seed as they
 * are) and the project's example server and client, run as the user would
 * run them.
 *
 * The seed server prints its "ready" line with printf() and then sleeps:
 * the line reaches us only if its standard output is a terminal (line
 * buffered), so it gets a pseudo-terminal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include <stropts.h>

#include "harness.h"
#include "util.h"

#define SEED_DOOR	"/tmp/my_door"
#define SEED_READY	"Server is ready at " SEED_DOOR "\n"
#define SEED_RESPONSE	"Response: Door Call Received!\n"

/* Start argv[0] with its standard output on a raw pseudo-terminal. */
static pid_t start_on_pty(char *const argv[], int *master)
{
	struct termios tio;
	int slave;
	pid_t pid;

	*master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*master < 0 || grantpt(*master) || unlockpt(*master))
		return -1;
	slave = open(ptsname(*master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return -1;
	if (tcgetattr(slave, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(slave, TCSANOW, &tio);
	}
	pid = fork();
	if (pid == 0) {
		dup2(slave, STDOUT_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	close(slave);
	return pid;
}

/* Read one line (with its newline) from fd. */
static void read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len < size - 1 && read(fd, buf + len, 1) == 1)
		if (buf[len++] == '\n')
			break;
	buf[len] = '\0';
}

static char *installed(const char *path)
{
	return strdup(install_path(path));
}

/* A door attached by a server that died earlier would answer EBADF. */
static void remove_door_file(const char *path)
{
	fdetach(path);
	unlink(path);
}

FIXTURE(seed) {
	pid_t server;
	int tty;
	char *server_path, *client_path;
};

FIXTURE_SETUP(seed)
{
	self->server_path = installed("seed/server");
	self->client_path = installed("seed/client");
	ASSERT_EQ(0, access(self->server_path, X_OK))
		TH_LOG("%s: %s", self->server_path, strerror(errno));
	ASSERT_EQ(0, access(self->client_path, X_OK))
		TH_LOG("%s: %s", self->client_path, strerror(errno));
	remove_door_file(SEED_DOOR);
}

FIXTURE_TEARDOWN(seed)
{
	kill_server(self->server);
	remove_door_file(SEED_DOOR);
}

static void start_seed_server(struct __test_metadata *_metadata,
			      FIXTURE_DATA(seed) *self)
{
	char *argv[] = { self->server_path, NULL };
	char line[128];

	self->server = start_on_pty(argv, &self->tty);
	ASSERT_LT(0, self->server);
	read_line(self->tty, line, sizeof(line));
	ASSERT_STREQ(SEED_READY, line);
}

static void run_seed_client(struct __test_metadata *_metadata,
			    FIXTURE_DATA(seed) *self)
{
	char *argv[] = { self->client_path, NULL };
	char out[256];

	EXPECT_EQ(0, run_program(argv, NULL, out, sizeof(out), NULL, 0));
	EXPECT_STREQ(SEED_RESPONSE, out);
}

TEST_F(seed, client_gets_response)
{
	start_seed_server(_metadata, self);
	run_seed_client(_metadata, self);
}

TEST_F(seed, clients_one_after_another)
{
	int i;

	start_seed_server(_metadata, self);
	for (i = 0; i < 3; i++)
		run_seed_client(_metadata, self);
}

/* The seed server never detaches: its killer does. */
TEST_F(seed, cleanup_after_server)
{
	start_seed_server(_metadata, self);
	run_seed_client(_metadata, self);
	kill_server(self->server);
	self->server = 0;
	EXPECT_EQ(0, fdetach(SEED_DOOR));
	EXPECT_EQ(0, unlink(SEED_DOOR));
}

/* The example server, door-server [PATH], and door-client PATH TEXT... */
FIXTURE(example) {
	pid_t server;
	int tty;
	char path[40];
	char *server_path, *client_path;
	bool missing;
};

/* In a test body (a SKIP() in the setup would not stop the test). */
#define NEED_EXAMPLES() do { \
	if (self->missing) \
		SKIP(return, "no examples in %s", install_path("examples")); \
} while (0)

FIXTURE_SETUP(example)
{
	self->server_path = installed("examples/door-server");
	self->client_path = installed("examples/door-client");
	self->missing = access(self->server_path, X_OK) ||
			access(self->client_path, X_OK);
	snprintf(self->path, sizeof(self->path), "/tmp/doors-example-%d",
		 getpid());
	remove_door_file(self->path);
}

FIXTURE_TEARDOWN(example)
{
	kill_server(self->server);
	remove_door_file(self->path);
}

TEST_F(example, client_gets_reply)
{
	char *server_argv[] = { self->server_path, self->path, NULL };
	char *client_argv[] = {
		self->client_path, self->path, "hello,", "door", NULL
	};
	char line[128], expected[128], out[256];

	NEED_EXAMPLES();
	self->server = start_on_pty(server_argv, &self->tty);
	ASSERT_LT(0, self->server);
	read_line(self->tty, line, sizeof(line));
	snprintf(expected, sizeof(expected),
		 "door-server: ready at %s (pid %d)\n", self->path,
		 self->server);
	ASSERT_STREQ(expected, line);

	EXPECT_EQ(0, run_program(client_argv, NULL, out, sizeof(out), NULL,
				 0));
	snprintf(expected, sizeof(expected), "Reply: pid %d: HELLO, DOOR\n",
		 self->server);
	EXPECT_STREQ(expected, out);
}

/* SIGTERM: the example server detaches its door and exits 0. */
TEST_F(example, server_detaches_on_sigterm)
{
	char *argv[] = { self->server_path, self->path, NULL };
	char line[128];

	NEED_EXAMPLES();
	self->server = start_on_pty(argv, &self->tty);
	ASSERT_LT(0, self->server);
	read_line(self->tty, line, sizeof(line));
	ASSERT_NE(NULL, strstr(line, "ready")) TH_LOG("%s", line);
	ASSERT_EQ(0, kill(self->server, SIGTERM));
	EXPECT_EQ(0, wait_status(self->server));
	self->server = 0;
	EXPECT_EQ(-1, fdetach(self->path));
	EXPECT_EQ(EINVAL, errno);
}

DOORS_HARNESS_MAIN
