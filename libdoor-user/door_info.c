// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * door_info(): describe a door.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "door_impl.h"

DOOR_EXPORT int door_info(int d, door_info_t *info)
{
	struct door_info_args args;
	int ctx;

	if (!info) {
		errno = EFAULT;
		return -1;
	}
	ctx = libdoor_context();
	if (ctx < 0)
		return -1;

	memset(&args, 0, sizeof(args));
	args.fd = d;
	if (ioctl(ctx, DOOR_IOC_INFO, &args) < 0)
		return -1;

	memset(info, 0, sizeof(*info));
	info->di_target = args.target;
	info->di_proc = args.proc;
	info->di_data = args.cookie;
	info->di_attributes = args.attributes;
	info->di_uniquifier = args.id;
	info->di_resv[0] = args.nparked;
	info->di_resv[1] = args.nbound;
	return 0;
}
