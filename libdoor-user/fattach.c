// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fattach() / fdetach(): give a door a name in the file system, or take
 * it away.  The file at path must exist; opening it then yields a
 * descriptor that door_call() accepts.
 */
#include <string.h>
#include <sys/ioctl.h>

#include "door_impl.h"

static int door_attach(unsigned long cmd, int fd, const char *path)
{
	struct door_attach_args args;
	int ctx = libdoor_context();

	if (ctx < 0)
		return -1;
	memset(&args, 0, sizeof(args));
	args.fd = fd;
	args.path = DOOR_PTR(path);
	return ioctl(ctx, cmd, &args) < 0 ? -1 : 0;
}

DOOR_EXPORT int fattach(int fd, const char *path)
{
	return door_attach(DOOR_IOC_FATTACH, fd, path);
}

DOOR_EXPORT int fdetach(const char *path)
{
	return door_attach(DOOR_IOC_FDETACH, -1, path);
}
