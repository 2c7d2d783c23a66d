// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * door_call(): call a door and wait for its results.
 */
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>

#include "door_impl.h"

/* Descriptor arrays go to the kernel as they are: same layout. */
_Static_assert(sizeof(door_desc_t) == 24, "door_desc_t is 24 bytes");
_Static_assert(_Alignof(door_desc_t) == 4, "door_desc_t is 4-aligned");
_Static_assert(offsetof(door_desc_t, d_data.d_desc.d_descriptor) == 4,
	       "d_descriptor at offset 4");
_Static_assert(offsetof(door_desc_t, d_data.d_desc.d_id) == 8,
	       "d_id at offset 8");
_Static_assert(sizeof(door_desc_t) == sizeof(struct door_udesc),
	       "door_desc_t matches the kernel's struct door_udesc");
_Static_assert(offsetof(door_desc_t, d_data.d_desc.d_descriptor) ==
	       offsetof(struct door_udesc, d_descriptor),
	       "d_descriptor matches the kernel's");
_Static_assert(offsetof(door_desc_t, d_data.d_desc.d_id) ==
	       offsetof(struct door_udesc, d_id),
	       "d_id matches the kernel's");
_Static_assert(sizeof(door_info_t) == 48, "door_info_t is 48 bytes");
_Static_assert(_Alignof(door_info_t) == 4, "door_info_t is 4-aligned");
_Static_assert(offsetof(door_info_t, di_proc) == 4, "di_proc at offset 4");
_Static_assert(offsetof(door_info_t, di_uniquifier) == 24,
	       "di_uniquifier at offset 24");

/*
 * params == NULL: no arguments, and no results allowed: a server that
 * returns data or descriptors gets E2BIG from its door_return().
 */
DOOR_EXPORT int door_call(int d, door_arg_t *params)
{
	struct door_call_args args;
	int ctx = libdoor_context();

	if (ctx < 0)
		return -1;

	memset(&args, 0, sizeof(args));
	args.fd = d;
	if (!params) {
		args.flags = DOOR_CALL_NO_RESULTS;
	} else {
		args.data_ptr = DOOR_PTR(params->data_ptr);
		args.data_size = params->data_size;
		args.desc_ptr = DOOR_PTR(params->desc_ptr);
		args.desc_num = params->desc_num;
		args.rbuf = DOOR_PTR(params->rbuf);
		args.rsize = params->rsize;
	}

	if (ioctl(ctx, DOOR_IOC_CALL, &args) < 0)
		return -1;

	if (!params)
		return 0;
	params->data_ptr = (char *)(uintptr_t)args.data_ptr;
	params->data_size = args.data_size;
	params->desc_ptr = (door_desc_t *)(uintptr_t)args.desc_ptr;
	params->desc_num = args.desc_num;
	params->rbuf = (char *)(uintptr_t)args.rbuf;
	params->rsize = args.rsize;
	return 0;
}
