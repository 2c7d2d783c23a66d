// SPDX-License-Identifier: GPL-2.0
/*
 * The module stays loaded while anything of it is in use: a context, a
 * door, an attachment.  Once nothing is left it unloads, /dev/doors goes,
 * and it loads again (each test leaves it loaded, for the tests after).
 * It counts its live objects in debugfs, doors/objects.
 *
 * Each test is a fresh process that uses raw ioctls only, so it holds
 * exactly what it opens; nothing else may hold a door or a context (or
 * an attachment) while this runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/doors.h>

#include "harness.h"
#include "util.h"

static int unload(void)
{
	return syscall(SYS_delete_module, "doors", O_NONBLOCK);
}

static int load(void)
{
	int fd, ret;

	fd = open(install_path("doors.ko"), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return ret;
}

static int create_door(int ctx)
{
	struct door_create_args ca = { 0 };

	return ioctl(ctx, DOOR_IOC_CREATE, &ca);
}

static int attach(int ctx, unsigned int cmd, int fd, const char *path)
{
	struct door_attach_args aa = { .fd = fd, .path = (uintptr_t)path };

	return ioctl(ctx, cmd, &aa);
}

FIXTURE(module) {
	char path[40];
};

FIXTURE_SETUP(module)
{
	int fd;

	if (geteuid())
		TH_LOG("not root: the (un)loads will fail");
	strcpy(self->path, "/tmp/doors-module-XXXXXX");
	fd = mkstemp(self->path);
	ASSERT_LE(0, fd);
	close(fd);
}

/* Whatever happened, leave no attachment and the module loaded. */
FIXTURE_TEARDOWN(module)
{
	int ctx = ctx_open();

	if (ctx >= 0) {
		attach(ctx, DOOR_IOC_FDETACH, -1, self->path);
		close(ctx);
	} else if (load()) {
		TH_LOG("cannot load %s again: %s", install_path("doors.ko"),
		       strerror(errno));
	}
	unlink(self->path);
}

TEST_F(module, busy_with_context)
{
	int ctx = ctx_open();

	ASSERT_LE(0, ctx);
	EXPECT_EQ(-1, unload());
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_EQ(0, access("/dev/doors", F_OK));
}

TEST_F(module, busy_with_door)
{
	int ctx = ctx_open(), door;

	ASSERT_LE(0, ctx);
	door = create_door(ctx);
	ASSERT_LE(0, door);
	ASSERT_EQ(0, close(ctx));
	EXPECT_EQ(-1, unload());
	EXPECT_EQ(EWOULDBLOCK, errno);
}

TEST_F(module, unload_when_unused_and_reload)
{
	int ctx = ctx_open(), door;

	ASSERT_LE(0, ctx);
	door = create_door(ctx);
	ASSERT_LE(0, door);
	ASSERT_EQ(0, close(door));
	ASSERT_EQ(0, close(ctx));
	ASSERT_EQ(0, unload()) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(-1, access("/dev/doors", F_OK));
	EXPECT_EQ(ENOENT, errno);
	ASSERT_EQ(0, load()) TH_LOG("%s", strerror(errno));
	ctx = ctx_open();
	ASSERT_LE(0, ctx);
	EXPECT_LE(0, create_door(ctx));
}

/* The attachment holds the door, which holds the module. */
TEST_F(module, busy_with_attachment)
{
	int ctx = ctx_open(), door;

	ASSERT_LE(0, ctx);
	door = create_door(ctx);
	ASSERT_LE(0, door);
	ASSERT_EQ(0, attach(ctx, DOOR_IOC_FATTACH, door, self->path));
	ASSERT_EQ(0, close(door));
	ASSERT_EQ(0, close(ctx));
	EXPECT_EQ(-1, unload());
	EXPECT_EQ(EWOULDBLOCK, errno);

	ctx = ctx_open();
	ASSERT_LE(0, ctx);
	ASSERT_EQ(0, attach(ctx, DOOR_IOC_FDETACH, -1, self->path));
	ASSERT_EQ(0, close(ctx));
	ASSERT_EQ(0, unload()) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, load()) TH_LOG("%s", strerror(errno));
}

/* The count of @kind in debugfs doors/objects, or -1. */
static long objects(const char *kind)
{
	FILE *f = fopen("/sys/kernel/debug/doors/objects", "re");
	char name[32];
	long n, found = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%31s %ld", name, &n) == 2)
		if (!strcmp(name, kind))
			found = n;
	fclose(f);
	return found;
}

TEST_F(module, objects_counted_while_alive)
{
	int ctx = ctx_open();

	ASSERT_LE(0, ctx);
	ASSERT_LE(0, create_door(ctx));
	EXPECT_EQ(1, objects("contexts"));
	EXPECT_EQ(1, objects("doors"));
	EXPECT_EQ(1, objects("users"));
}

TEST_F(module, objects_none_after_close)
{
	int ctx = ctx_open(), door;

	ASSERT_LE(0, ctx);
	door = create_door(ctx);
	ASSERT_LE(0, door);
	ASSERT_EQ(0, close(ctx));
	ASSERT_EQ(0, close(door));
	EXPECT_EQ(0, objects("contexts"));
	EXPECT_EQ(0, objects("doors"));
	EXPECT_EQ(0, objects("users"));
}

DOORS_HARNESS_MAIN
