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

/* The process's door context (/dev/doors), or -1 before its first use. */
extern int libdoor_ctx;
int libdoor_context_open(void);

/* The context, opened on first use: inline, a load and a test. */
static inline int libdoor_context(void)
{
	int fd = __atomic_load_n(&libdoor_ctx, __ATOMIC_ACQUIRE);

	return fd >= 0 ? fd : libdoor_context_open();
}

/* The same, or -1 if it is not open: never opens it. */
static inline int libdoor_context_peek(void)
{
	return __atomic_load_n(&libdoor_ctx, __ATOMIC_ACQUIRE);
}

/* DOOR_IOC_CREATE with any attributes; returns the descriptor. */
int libdoor_create(door_server_procedure_t *proc, void *cookie,
		   uint_t attributes);

/* Run the server creation function; door_create() does it once first. */
void libdoor_new_server(door_info_t *dip);
void libdoor_servers_start(void);

/* door_bind() to a door of ours named by its uniquifier. */
int libdoor_bind_id(door_id_t id);

/* A server thread took the last parked thread's place: add one. */
void libdoor_depleted(const struct door_invocation *inv);

/*
 * The calling thread serves doors (or is bound): when it exits, finish
 * its call with EINTR and drop its binding.
 */
void libdoor_thread_arm(void);

/* door_xcreate() doors: depletion, door_revoke(), fork(). */
void libdoor_xcreate_depleted(door_info_t *dip);
void libdoor_xcreate_revoked(door_id_t id);
void libdoor_xcreate_prefork(void);
void libdoor_xcreate_postfork(void);

/* In a fork() child: no server threads, no door_xcreate() doors. */
void libdoor_server_forked(void);
void libdoor_xcreate_forked(void);

#endif /* _LIBDOOR_DOOR_IMPL_H */
