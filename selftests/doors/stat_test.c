// SPDX-License-Identifier: GPL-2.0
/*
 * What fstat() says about doors: a door descriptor has the file type
 * S_IFDOOR (S_ISDOOR() true, every other S_IS*() false), other files do
 * not; door descriptors are close-on-exec; /dev/doors is a character
 * device anyone may open.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <door.h>

#include "harness.h"
#include "util.h"

static void null_proc(void *cookie, char *argp, size_t arg_size,
		      door_desc_t *dp, uint_t n_desc)
{
	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	door_return(NULL, 0, NULL, 0);
}

/* Only S_ISDOOR() among the file type tests. */
static void expect_door_mode(struct __test_metadata *_metadata, mode_t mode)
{
	EXPECT_TRUE(S_ISDOOR(mode)) TH_LOG("st_mode 0%o", mode);
	EXPECT_EQ(S_IFDOOR, mode & S_IFMT);
	EXPECT_FALSE(S_ISREG(mode));
	EXPECT_FALSE(S_ISDIR(mode));
	EXPECT_FALSE(S_ISCHR(mode));
	EXPECT_FALSE(S_ISBLK(mode));
	EXPECT_FALSE(S_ISFIFO(mode));
	EXPECT_FALSE(S_ISLNK(mode));
	EXPECT_FALSE(S_ISSOCK(mode));
}

TEST(s_ifdoor_is_illumos_value)
{
	EXPECT_EQ(0150000, S_IFDOOR);
}

TEST(door_is_door)
{
	struct stat st;
	int d = door_create(null_proc, NULL, 0);

	ASSERT_LE(0, d);
	ASSERT_EQ(0, fstat(d, &st));
	expect_door_mode(_metadata, st.st_mode);
}

/* Every attribute gives the same file type. */
TEST(door_with_attributes_is_door)
{
	struct stat st;
	int d = door_create(null_proc, NULL,
			    DOOR_UNREF_MULTI | DOOR_REFUSE_DESC |
			    DOOR_NO_CANCEL);

	ASSERT_LE(0, d);
	ASSERT_EQ(0, fstat(d, &st));
	expect_door_mode(_metadata, st.st_mode);
}

/* A dup() and the /proc/self/fd link lead to the same file. */
TEST(dup_and_proc_link_are_doors)
{
	char path[64];
	struct stat st;
	int d = door_create(null_proc, NULL, 0), d2;

	ASSERT_LE(0, d);
	d2 = dup(d);
	ASSERT_LE(0, d2);
	ASSERT_EQ(0, fstat(d2, &st));
	expect_door_mode(_metadata, st.st_mode);

	snprintf(path, sizeof(path), "/proc/self/fd/%d", d);
	ASSERT_EQ(0, stat(path, &st));
	expect_door_mode(_metadata, st.st_mode);
}

/* A door passed to another process is still a door there. */
static int passed_door_mode(int sock)
{
	struct stat st;
	int d;

	if (recv_fds(sock, &d, 1) || fstat(d, &st))
		return -1;
	return S_ISDOOR(st.st_mode) ? 0 : 1;
}

TEST(door_in_other_process_is_door)
{
	int sv[2], d = door_create(null_proc, NULL, 0);
	pid_t pid;

	ASSERT_LE(0, d);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(passed_door_mode(sv[1]) ? 1 : 0);
	ASSERT_EQ(0, send_fds(sv[0], &d, 1));
	EXPECT_EQ(0, wait_status(pid));
}

TEST(regular_file_is_not_door)
{
	char path[] = "/tmp/doors-stat-XXXXXX";
	struct stat st;
	int fd = mkstemp(path);

	ASSERT_LE(0, fd);
	unlink(path);
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_FALSE(S_ISDOOR(st.st_mode));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	close(fd);
}

TEST(pipe_is_not_door)
{
	struct stat st;
	int p[2];

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	ASSERT_EQ(0, fstat(p[0], &st));
	EXPECT_FALSE(S_ISDOOR(st.st_mode));
	EXPECT_TRUE(S_ISFIFO(st.st_mode));
	ASSERT_EQ(0, fstat(p[1], &st));
	EXPECT_FALSE(S_ISDOOR(st.st_mode));
	EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

/* 0150000 shares bits with S_IFSOCK: a socket must not pass for a door. */
TEST(socket_is_not_door)
{
	struct stat st;
	int sv[2];

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	ASSERT_EQ(0, fstat(sv[0], &st));
	EXPECT_FALSE(S_ISDOOR(st.st_mode));
	EXPECT_TRUE(S_ISSOCK(st.st_mode));
}

TEST(context_is_not_door)
{
	struct stat st;
	int ctx = ctx_open();

	ASSERT_LE(0, ctx);
	ASSERT_EQ(0, fstat(ctx, &st));
	EXPECT_FALSE(S_ISDOOR(st.st_mode));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	close(ctx);
}

/* The file a door is attached to keeps its own type. */
TEST(attached_file_is_not_door)
{
	char path[] = "/tmp/doors-stat-XXXXXX";
	struct stat st;
	int d = door_create(null_proc, NULL, 0), fd;

	ASSERT_LE(0, d);
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, fattach(d, path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	EXPECT_LE(0, fd);
	EXPECT_EQ(0, fstat(fd, &st));
	EXPECT_FALSE(S_ISDOOR(st.st_mode));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(0, stat(path, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	close(fd);
	EXPECT_EQ(0, fdetach(path));
	unlink(path);
}

TEST(door_is_cloexec)
{
	int d = door_create(null_proc, NULL, 0);

	ASSERT_LE(0, d);
	EXPECT_EQ(FD_CLOEXEC, fcntl(d, F_GETFD));
}

TEST(dev_doors_is_0666_char_device)
{
	struct stat st;

	ASSERT_EQ(0, stat("/dev/doors", &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0666, st.st_mode & 07777);
}

DOORS_HARNESS_MAIN
