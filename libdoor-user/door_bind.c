// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * door_bind() / door_unbind(): membership of a private door's pool.
 */
#include <string.h>
#include <sys/ioctl.h>

#include "door_impl.h"

static int bind_ioctl(unsigned long cmd, void *args)
{
	int ctx = libdoor_context();

	if (ctx < 0 || ioctl(ctx, cmd, args) < 0)
		return -1;
	/* The binding goes when the thread does. */
	libdoor_thread_arm();
	return 0;
}

DOOR_EXPORT int door_bind(int d)
{
	struct door_fd_args args;

	memset(&args, 0, sizeof(args));
	args.fd = d;
	return bind_ioctl(DOOR_IOC_BIND, &args);
}

int libdoor_bind_id(door_id_t id)
{
	struct door_id_args args;

	memset(&args, 0, sizeof(args));
	args.id = id;
	return bind_ioctl(DOOR_IOC_BIND_ID, &args);
}

DOOR_EXPORT int door_unbind(void)
{
	int ctx = libdoor_context();

	if (ctx < 0)
		return -1;
	return ioctl(ctx, DOOR_IOC_UNBIND) < 0 ? -1 : 0;
}
