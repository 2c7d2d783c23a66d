// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * door_revoke(): no more calls to a door of this process.
 */
#include <string.h>
#include <sys/ioctl.h>

#include "door_impl.h"

DOOR_EXPORT int door_revoke(int d)
{
	struct door_fd_args args;
	door_info_t di;
	int ctx, xdoor;

	ctx = libdoor_context();
	if (ctx < 0)
		return -1;

	/* The kernel closes d: learn first whether libdoor tracks it. */
	xdoor = !door_info(d, &di) && di.di_attributes & DOOR_PRIVCREATE &&
		di.di_attributes & DOOR_LOCAL;

	memset(&args, 0, sizeof(args));
	args.fd = d;
	if (ioctl(ctx, DOOR_IOC_REVOKE, &args) < 0)
		return -1;
	if (xdoor)
		libdoor_xcreate_revoked(di.di_uniquifier);
	return 0;
}
