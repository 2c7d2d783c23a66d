// SPDX-License-Identifier: GPL-2.0
/*
 * fattach() and fdetach() through libdoor: a door attached to a file is
 * called by opening the file, from any process; the ownership and
 * permission rules; detaching gives the plain file back.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <door.h>
#include <stropts.h>

#include "harness.h"
#include "util.h"

#define NOBODY		65534
#define CONTENTS	"plain file contents\n"

static void answer(void *cookie, char *argp, size_t arg_size,
		   door_desc_t *dp, uint_t n_desc)
{
	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	door_return("door", 5, NULL, 0);
}

/* Open path and call it: 0 if the door answered, else the errno. */
static int call_path(const char *path)
{
	char rbuf[16];
	door_arg_t arg = { .rbuf = rbuf, .rsize = sizeof(rbuf) };
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	ret = door_call(fd, &arg) ? errno : 0;
	close(fd);
	if (!ret && (arg.data_size != 5 || strcmp(arg.data_ptr, "door")))
		ret = -1;
	return ret;
}

/*
 * Run fn(path) in a child process, as uid/gid id unless id is 0; return
 * what fn returned (an errno, or 0), or -1.
 */
static int in_child(int (*fn)(const char *path), const char *path, uid_t id)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (id && (setgroups(0, NULL) || setgid(id) || setuid(id)))
			_exit(255);
		_exit(fn(path));
	}
	return pid < 0 ? -1 : wait_status(pid);
}

/* Child bodies: 0 on success, else the errno. */
static int child_call(const char *path)
{
	return call_path(path);
}

static int child_attach(const char *path)
{
	int door = door_create(answer, NULL, 0);

	if (door < 0 || fattach(door, path))
		return errno;
	return 0;
}

static int child_attach_detach(const char *path)
{
	int ret = child_attach(path);

	if (ret)
		return ret;
	return fdetach(path) ? errno : 0;
}

static int child_detach(const char *path)
{
	return fdetach(path) ? errno : 0;
}

FIXTURE(file) {
	char path[40];
	int door;
};

FIXTURE_SETUP(file)
{
	int fd;

	strcpy(self->path, "/tmp/doors-fattach-XXXXXX");
	fd = mkstemp(self->path);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(CONTENTS),
		  write(fd, CONTENTS, strlen(CONTENTS)));
	ASSERT_EQ(0, fchmod(fd, 0666));
	close(fd);
	self->door = door_create(answer, NULL, 0);
	ASSERT_LE(0, self->door);
}

FIXTURE_TEARDOWN(file)
{
	/* Attachments outlive processes: never leave one behind. */
	fdetach(self->path);
	unlink(self->path);
}

/* In a test body: SKIP() returns from it. */
#define NEED_ROOT() do { \
	if (geteuid()) \
		SKIP(return, "needs root, to become another user"); \
} while (0)

TEST_F(file, call_from_same_process)
{
	ASSERT_EQ(0, fattach(self->door, self->path));
	EXPECT_EQ(0, call_path(self->path));
}

TEST_F(file, call_from_other_process)
{
	ASSERT_EQ(0, fattach(self->door, self->path));
	EXPECT_EQ(0, in_child(child_call, self->path, 0));
}

TEST_F(file, call_from_other_user)
{
	NEED_ROOT();
	ASSERT_EQ(0, fattach(self->door, self->path));
	EXPECT_EQ(0, in_child(child_call, self->path, NOBODY));
}

TEST_F(file, attach_twice_ebusy)
{
	int other = door_create(answer, NULL, 0);

	ASSERT_LE(0, other);
	ASSERT_EQ(0, fattach(self->door, self->path));
	EXPECT_EQ(-1, fattach(other, self->path));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(-1, fattach(self->door, self->path));
	EXPECT_EQ(EBUSY, errno);
}

TEST_F(file, detach_restores_file)
{
	char buf[64] = "";
	door_arg_t arg = { 0 };
	int fd;

	ASSERT_EQ(0, fattach(self->door, self->path));
	ASSERT_EQ(0, fdetach(self->path));
	fd = open(self->path, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, door_call(fd, &arg));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ((ssize_t)strlen(CONTENTS), read(fd, buf, sizeof(buf)));
	EXPECT_STREQ(CONTENTS, buf);
	close(fd);
}

TEST_F(file, attach_after_detach)
{
	ASSERT_EQ(0, fattach(self->door, self->path));
	ASSERT_EQ(0, fdetach(self->path));
	ASSERT_EQ(0, fattach(self->door, self->path));
	EXPECT_EQ(0, call_path(self->path));
}

TEST_F(file, attach_missing_path_enoent)
{
	char path[64];

	snprintf(path, sizeof(path), "%s.missing", self->path);
	EXPECT_EQ(-1, fattach(self->door, path));
	EXPECT_EQ(ENOENT, errno);
}

TEST_F(file, detach_missing_path_enoent)
{
	char path[64];

	snprintf(path, sizeof(path), "%s.missing", self->path);
	EXPECT_EQ(-1, fdetach(path));
	EXPECT_EQ(ENOENT, errno);
}

/* The file is root's, mode 0666: writable, but not owned. */
TEST_F(file, attach_not_owner_eperm)
{
	NEED_ROOT();
	EXPECT_EQ(EPERM, in_child(child_attach, self->path, NOBODY));
}

TEST_F(file, attach_owner_without_write_eacces)
{
	NEED_ROOT();
	ASSERT_EQ(0, chown(self->path, NOBODY, NOBODY));
	ASSERT_EQ(0, chmod(self->path, 0444));
	EXPECT_EQ(EACCES, in_child(child_attach, self->path, NOBODY));
}

/* What the two tests above refuse, with the rights they lack. */
TEST_F(file, attach_owner_with_write_works)
{
	NEED_ROOT();
	ASSERT_EQ(0, chown(self->path, NOBODY, NOBODY));
	ASSERT_EQ(0, chmod(self->path, 0644));
	EXPECT_EQ(0, in_child(child_attach_detach, self->path, NOBODY));
}

TEST_F(file, detach_not_owner_eperm)
{
	NEED_ROOT();
	ASSERT_EQ(0, fattach(self->door, self->path));
	EXPECT_EQ(EPERM, in_child(child_detach, self->path, NOBODY));
	EXPECT_EQ(0, fdetach(self->path));
}

/* The name outlives its server; calls through it get EBADF. */
TEST_F(file, stale_after_server_exit)
{
	EXPECT_EQ(0, in_child(child_attach, self->path, 0));
	EXPECT_EQ(EBADF, call_path(self->path));
	EXPECT_EQ(0, fdetach(self->path));
}

TEST_F(file, one_door_two_names)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "%s.2", self->path);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, fattach(self->door, self->path));
	EXPECT_EQ(0, fattach(self->door, path));
	EXPECT_EQ(0, call_path(self->path));
	EXPECT_EQ(0, call_path(path));
	EXPECT_EQ(0, fdetach(path));
	unlink(path);
}

/* The door is attached to the file, whatever name reaches it. */
TEST_F(file, hard_link_reaches_door)
{
	char path[64];

	snprintf(path, sizeof(path), "%s.link", self->path);
	ASSERT_EQ(0, link(self->path, path));
	ASSERT_EQ(0, fattach(self->door, self->path));
	EXPECT_EQ(0, call_path(path));
	unlink(path);
}

/* Removing the last name detaches the door: an open file no longer reaches it. */
TEST_F(file, unlink_detaches)
{
	char rbuf[16];
	door_arg_t arg = { .rbuf = rbuf, .rsize = sizeof(rbuf) };
	int fd;

	ASSERT_EQ(0, fattach(self->door, self->path));
	fd = open(self->path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, door_call(fd, &arg));
	ASSERT_EQ(0, unlink(self->path));
	EXPECT_EQ(-1, door_call(fd, &arg));
	EXPECT_EQ(EBADF, errno);
	close(fd);
	/* and the door may be attached again elsewhere */
	fd = open(self->path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(0, fattach(self->door, self->path));
}

/* A file renamed over the attached one takes its name, not the door. */
TEST_F(file, rename_over_detaches)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "%s.new", self->path);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, fattach(self->door, self->path));
	ASSERT_EQ(0, rename(path, self->path));
	EXPECT_EQ(EBADF, call_path(self->path));
	EXPECT_EQ(-1, fdetach(self->path));
	EXPECT_EQ(EINVAL, errno);
}

/* While another name is left, the door stays attached. */
TEST_F(file, unlink_of_one_link_keeps_door)
{
	char path[64];

	snprintf(path, sizeof(path), "%s.link", self->path);
	ASSERT_EQ(0, link(self->path, path));
	ASSERT_EQ(0, fattach(self->door, self->path));
	ASSERT_EQ(0, unlink(self->path));
	EXPECT_EQ(0, call_path(path));
	EXPECT_EQ(0, fdetach(path));
	unlink(path);
}

DOORS_HARNESS_MAIN
