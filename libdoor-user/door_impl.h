/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libdoor internals: shared by the library's sources only.
 */
#ifndef _LIBDOOR_DOOR_IMPL_H
#define _LIBDOOR_DOOR_IMPL_H

#include <stdint.h>

/*
 * The attribute macros are defined by <linux/doors.h> and <door.h>,
 * identically.  The kernel's struct door_udesc has the layout of
 * door_desc_t (checked in door_call.c).
 */
#include <linux/doors.h>

#include "door.h"

#define DOOR_EXPORT	__attribute__((visibility("default")))

#define DOOR_PTR(p)	((__u64)(uintptr_t)(p))

/* The process's door context (/dev/doors), opened on first use. */
int libdoor_context(void);

/* Run the server creation function; door_create() does it once first. */
void libdoor_new_server(door_info_t *dip);
void libdoor_servers_start(void);

/* In a fork() child: no server threads yet. */
void libdoor_server_forked(void);

#endif /* _LIBDOOR_DOOR_IMPL_H */
