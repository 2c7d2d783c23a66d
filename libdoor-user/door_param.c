// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * door_getparam() / door_setparam(): a door's limits on its calls.  The
 * kernel's values are 64-bit, UINT64_MAX standing for "no limit", which
 * is SIZE_MAX here.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "door_impl.h"

DOOR_EXPORT int door_getparam(int d, int param, size_t *out)
{
	struct door_param_args args;
	int ctx;

	if (!out) {
		errno = EFAULT;
		return -1;
	}
	ctx = libdoor_context();
	if (ctx < 0)
		return -1;

	memset(&args, 0, sizeof(args));
	args.fd = d;
	args.param = param;
	if (ioctl(ctx, DOOR_IOC_GETPARAM, &args) < 0)
		return -1;
	if (args.value != UINT64_MAX && args.value > SIZE_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	*out = args.value == UINT64_MAX ? SIZE_MAX : args.value;
	return 0;
}

DOOR_EXPORT int door_setparam(int d, int param, size_t val)
{
	struct door_param_args args;
	int ctx = libdoor_context();

	if (ctx < 0)
		return -1;
	memset(&args, 0, sizeof(args));
	args.fd = d;
	args.param = param;
	args.value = val == SIZE_MAX ? UINT64_MAX : val;
	return ioctl(ctx, DOOR_IOC_SETPARAM, &args) < 0 ? -1 : 0;
}
