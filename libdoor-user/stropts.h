/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <stropts.h>: libdoor provides only the naming part of the Solaris
 * header, fattach() and fdetach(), for doors.  glibc no longer ships a
 * <stropts.h> (STREAMS is gone); this one takes its place.
 */
#ifndef _LIBDOOR_STROPTS_H
#define _LIBDOOR_STROPTS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Also in <door.h>. */
#ifndef _LIBDOOR_FATTACH_DECLARED
#define _LIBDOOR_FATTACH_DECLARED
extern int fattach(int, const char *);
extern int fdetach(const char *);
#endif

#ifdef __cplusplus
}
#endif

#endif /* _LIBDOOR_STROPTS_H */
