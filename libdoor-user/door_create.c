// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * door_create(): a new door served by this process.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "door_impl.h"

int libdoor_create(door_server_procedure_t *proc, void *cookie,
		   uint_t attributes)
{
	struct door_create_args args;
	int ctx = libdoor_context();

	if (ctx < 0)
		return -1;
	memset(&args, 0, sizeof(args));
	args.proc = DOOR_PTR(proc);
	args.cookie = DOOR_PTR(cookie);
	args.attributes = attributes;
	return ioctl(ctx, DOOR_IOC_CREATE, &args);
}

DOOR_EXPORT int door_create(door_server_procedure_t *proc, void *cookie,
			    uint_t attributes)
{
	door_info_t di;
	int fd;

	/* Reserved to door_xcreate(), as in illumos libc. */
	if (attributes & (DOOR_NO_DEPLETION_CB | DOOR_PRIVCREATE)) {
		errno = EINVAL;
		return -1;
	}

	fd = libdoor_create(proc, cookie, attributes);
	if (fd < 0)
		return -1;

	/* A private door's threads: the application's business. */
	if (!(attributes & DOOR_PRIVATE))
		libdoor_servers_start();
	else if (!door_info(fd, &di))
		libdoor_new_server(&di);
	return fd;
}
