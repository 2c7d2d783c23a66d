// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * door_create(): a new door served by this process.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "door_impl.h"

DOOR_EXPORT int door_create(door_server_procedure_t *proc, void *cookie,
			    uint_t attributes)
{
	struct door_create_args args;
	int ctx, fd;

	/* Reserved to door_xcreate(), as in illumos libc. */
	if (attributes & (DOOR_NO_DEPLETION_CB | DOOR_PRIVCREATE)) {
		errno = EINVAL;
		return -1;
	}

	ctx = libdoor_context();
	if (ctx < 0)
		return -1;

	memset(&args, 0, sizeof(args));
	args.proc = DOOR_PTR(proc);
	args.cookie = DOOR_PTR(cookie);
	args.attributes = attributes;
	fd = ioctl(ctx, DOOR_IOC_CREATE, &args);
	if (fd < 0)
		return -1;

	libdoor_servers_start();
	return fd;
}
