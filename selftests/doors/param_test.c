// SPDX-License-Identifier: GPL-2.0
/*
 * door_getparam() / door_setparam(): defaults, every error, and the
 * argument size limits door_call() enforces (ENOBUFS).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <unistd.h>

#include <door.h>

#include "harness.h"
#include "util.h"

static void answer(void *cookie, char *argp, size_t arg_size,
		   door_desc_t *dp, uint_t n_desc)
{
	(void)cookie;
	(void)argp;
	(void)dp;
	(void)n_desc;
	door_return((char *)&arg_size, sizeof(arg_size), NULL, 0);
}

/* Call d with size bytes of arguments; the server must see them all. */
static int call_size(int d, size_t size)
{
	static char args[64];
	size_t seen = 0;
	door_arg_t arg = {
		.data_ptr = args,
		.data_size = size,
		.rbuf = (char *)&seen,
		.rsize = sizeof(seen),
	};

	if (door_call(d, &arg))
		return -1;
	return seen == size ? 0 : -2;
}

static size_t param(int d, int p)
{
	size_t value = 12345;

	return door_getparam(d, p, &value) ? 12345 : value;
}

FIXTURE(door) {
	int d;
};

FIXTURE_SETUP(door)
{
	self->d = door_create(answer, NULL, 0);
	ASSERT_LE(0, self->d);
}

FIXTURE_TEARDOWN(door)
{
}

TEST_F(door, defaults)
{
	EXPECT_EQ(0U, param(self->d, DOOR_PARAM_DATA_MIN));
	EXPECT_EQ(SIZE_MAX, param(self->d, DOOR_PARAM_DATA_MAX));
	EXPECT_EQ((size_t)INT_MAX, param(self->d, DOOR_PARAM_DESC_MAX));
}

TEST(refuse_desc_default_desc_max_0)
{
	int d = door_create(answer, NULL, DOOR_REFUSE_DESC);

	ASSERT_LE(0, d);
	EXPECT_EQ(0U, param(d, DOOR_PARAM_DESC_MAX));
}

TEST_F(door, set_and_get)
{
	ASSERT_EQ(0, door_setparam(self->d, DOOR_PARAM_DATA_MIN, 3));
	ASSERT_EQ(0, door_setparam(self->d, DOOR_PARAM_DATA_MAX, 40));
	ASSERT_EQ(0, door_setparam(self->d, DOOR_PARAM_DESC_MAX, 5));
	EXPECT_EQ(3U, param(self->d, DOOR_PARAM_DATA_MIN));
	EXPECT_EQ(40U, param(self->d, DOOR_PARAM_DATA_MAX));
	EXPECT_EQ(5U, param(self->d, DOOR_PARAM_DESC_MAX));
	ASSERT_EQ(0, door_setparam(self->d, DOOR_PARAM_DATA_MAX, SIZE_MAX));
	EXPECT_EQ(SIZE_MAX, param(self->d, DOOR_PARAM_DATA_MAX));
}

/* Every descriptor of the door, and every process, sees the values. */
TEST_F(door, shared_by_descriptors)
{
	int dup_d = dup(self->d);
	pid_t pid;

	ASSERT_LE(0, dup_d);
	ASSERT_EQ(0, door_setparam(self->d, DOOR_PARAM_DATA_MAX, 99));
	EXPECT_EQ(99U, param(dup_d, DOOR_PARAM_DATA_MAX));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(param(dup_d, DOOR_PARAM_DATA_MAX) == 99 ? 0 : 1);
	EXPECT_EQ(0, wait_status(pid));
}

TEST_F(door, getparam_unknown_einval)
{
	size_t value;

	EXPECT_EQ(-1, door_getparam(self->d, 0, &value));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, door_getparam(self->d, 4, &value));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(door, getparam_null_efault)
{
	EXPECT_EQ(-1, door_getparam(self->d, DOOR_PARAM_DATA_MAX, NULL));
	EXPECT_EQ(EFAULT, errno);
}

TEST(getparam_not_door_ebadf)
{
	size_t value;
	int p[2];

	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(-1, door_getparam(p[0], DOOR_PARAM_DATA_MAX, &value));
	EXPECT_EQ(EBADF, errno);
}

/* Reading still works on a revoked door. */
TEST_F(door, getparam_revoked)
{
	int dup_d = dup(self->d);

	ASSERT_LE(0, dup_d);
	ASSERT_EQ(0, door_setparam(self->d, DOOR_PARAM_DATA_MIN, 7));
	ASSERT_EQ(0, door_revoke(dup_d));
	EXPECT_EQ(7U, param(self->d, DOOR_PARAM_DATA_MIN));
}

TEST(setparam_not_door_ebadf)
{
	int p[2];

	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(-1, door_setparam(p[0], DOOR_PARAM_DATA_MAX, 10));
	EXPECT_EQ(EBADF, errno);
}

TEST_F(door, setparam_revoked_ebadf)
{
	int dup_d = dup(self->d);

	ASSERT_LE(0, dup_d);
	ASSERT_EQ(0, door_revoke(dup_d));
	EXPECT_EQ(-1, door_setparam(self->d, DOOR_PARAM_DATA_MAX, 10));
	EXPECT_EQ(EBADF, errno);
}

TEST_F(door, setparam_fork_child_eperm)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (door_setparam(self->d, DOOR_PARAM_DATA_MAX, 10) != -1)
			_exit(1);
		_exit(errno == EPERM ? 0 : 2);
	}
	EXPECT_EQ(0, wait_status(pid));
	EXPECT_EQ(SIZE_MAX, param(self->d, DOOR_PARAM_DATA_MAX));
}

TEST_F(door, setparam_unknown_einval)
{
	EXPECT_EQ(-1, door_setparam(self->d, 0, 10));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, door_setparam(self->d, 4, 10));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(door, setparam_min_above_max_einval)
{
	ASSERT_EQ(0, door_setparam(self->d, DOOR_PARAM_DATA_MAX, 10));
	EXPECT_EQ(-1, door_setparam(self->d, DOOR_PARAM_DATA_MIN, 11));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, door_setparam(self->d, DOOR_PARAM_DATA_MIN, 10));
	EXPECT_EQ(10U, param(self->d, DOOR_PARAM_DATA_MIN));
}

TEST_F(door, setparam_max_below_min_einval)
{
	ASSERT_EQ(0, door_setparam(self->d, DOOR_PARAM_DATA_MIN, 10));
	EXPECT_EQ(-1, door_setparam(self->d, DOOR_PARAM_DATA_MAX, 9));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(SIZE_MAX, param(self->d, DOOR_PARAM_DATA_MAX));
}

TEST(setparam_desc_max_refuse_desc_enotsup)
{
	int d = door_create(answer, NULL, DOOR_REFUSE_DESC);

	ASSERT_LE(0, d);
	EXPECT_EQ(-1, door_setparam(d, DOOR_PARAM_DESC_MAX, 1));
	EXPECT_EQ(ENOTSUP, errno);
	EXPECT_EQ(0, door_setparam(d, DOOR_PARAM_DESC_MAX, 0));
}

TEST_F(door, setparam_desc_max_erange)
{
	EXPECT_EQ(-1, door_setparam(self->d, DOOR_PARAM_DESC_MAX,
				    (size_t)INT_MAX + 1));
	EXPECT_EQ(ERANGE, errno);
	EXPECT_EQ(0, door_setparam(self->d, DOOR_PARAM_DESC_MAX, INT_MAX));
}

TEST_F(door, call_below_data_min_enobufs)
{
	ASSERT_EQ(0, door_setparam(self->d, DOOR_PARAM_DATA_MIN, 8));
	EXPECT_EQ(-1, call_size(self->d, 7));
	EXPECT_EQ(ENOBUFS, errno);
	EXPECT_EQ(0, call_size(self->d, 8));
}

TEST_F(door, call_without_args_below_data_min_enobufs)
{
	ASSERT_EQ(0, door_setparam(self->d, DOOR_PARAM_DATA_MIN, 1));
	EXPECT_EQ(-1, door_call(self->d, NULL));
	EXPECT_EQ(ENOBUFS, errno);
}

TEST_F(door, call_above_data_max_enobufs)
{
	ASSERT_EQ(0, door_setparam(self->d, DOOR_PARAM_DATA_MAX, 16));
	EXPECT_EQ(-1, call_size(self->d, 17));
	EXPECT_EQ(ENOBUFS, errno);
	EXPECT_EQ(0, call_size(self->d, 16));
}

/* DATA_MIN == DATA_MAX: exactly one size gets through. */
TEST_F(door, call_exact_size_only)
{
	ASSERT_EQ(0, door_setparam(self->d, DOOR_PARAM_DATA_MAX, 32));
	ASSERT_EQ(0, door_setparam(self->d, DOOR_PARAM_DATA_MIN, 32));
	EXPECT_EQ(-1, call_size(self->d, 31));
	EXPECT_EQ(ENOBUFS, errno);
	EXPECT_EQ(-1, call_size(self->d, 33));
	EXPECT_EQ(ENOBUFS, errno);
	EXPECT_EQ(0, call_size(self->d, 32));
}

DOORS_HARNESS_MAIN
