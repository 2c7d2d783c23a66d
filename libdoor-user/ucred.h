/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <ucred.h>: user credentials, the part of the Solaris interface libdoor
 * provides (door_ucred() in <door.h> returns one).
 *
 * A ucred_t is opaque.  Its ids are in the caller's user namespace (ids
 * without a mapping there read as the overflow id, 65534) and its pid in
 * the caller's pid namespace.  Linux has no privilege sets, projects,
 * zones or labels: their accessors are not provided.
 */
#ifndef _LIBDOOR_UCRED_H
#define _LIBDOOR_UCRED_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ucred_s ucred_t;

/* ucred_get(): the calling process (<sys/procset.h> on Solaris). */
#ifndef P_MYID
#define P_MYID	(-1)
#endif

/*
 * The credentials of process pid (P_MYID: the caller), read from
 * /proc/PID/status; ucred_free() the result.  ESRCH (no such process),
 * EPERM (not allowed to see it), ENOMEM.
 */
extern ucred_t *ucred_get(pid_t);
extern void ucred_free(ucred_t *);

/* Effective, real and saved ids. */
extern uid_t ucred_geteuid(const ucred_t *);
extern uid_t ucred_getruid(const ucred_t *);
extern uid_t ucred_getsuid(const ucred_t *);
extern gid_t ucred_getegid(const ucred_t *);
extern gid_t ucred_getrgid(const ucred_t *);
extern gid_t ucred_getsgid(const ucred_t *);

/*
 * The supplementary groups: returns their number and points *groups to
 * them (valid as long as the ucred_t).
 */
extern int ucred_getgroups(const ucred_t *, const gid_t **);

/* The process, or -1 if it is not visible in the caller's pid namespace. */
extern pid_t ucred_getpid(const ucred_t *);

/*
 * The size of a ucred_t: room for the system's largest group list
 * (sysconf(_SC_NGROUPS_MAX)).  Every ucred_t libdoor allocates has this
 * size, so any of them can be reused by door_ucred().
 */
extern size_t ucred_size(void);

#ifdef __cplusplus
}
#endif

#endif /* _LIBDOOR_UCRED_H */
