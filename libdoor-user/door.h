/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <door.h>: the Solaris doors interface, as provided by libdoor on Linux.
 *
 * Types, constants and structure layouts are those of illumos, so Solaris
 * door programs build unchanged.  This version implements door_create,
 * door_call, door_return, door_server_create, fattach and fdetach; only
 * these are declared.
 *
 * Like the Solaris header, this one makes <sys/types.h> and <string.h>
 * visible (Solaris door programs commonly rely on both).  It does not need
 * kernel headers.
 */
#ifndef _DOOR_H
#define _DOOR_H

#include <sys/types.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef _UINT_T
#define _UINT_T
typedef unsigned int uint_t;
#endif

/* long long is fine where the compiler has it: no C90/C++98 warning. */
#ifdef __GNUC__
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wlong-long"
#endif
typedef unsigned long long door_ptr_t;
typedef unsigned long long door_id_t;
#ifdef __GNUC__
#pragma GCC diagnostic pop
#endif
typedef unsigned int door_attr_t;

/* Door attributes: door_create() takes the first group. */
#define DOOR_UNREF		0x01	/* deliver one unreferenced call */
#define DOOR_PRIVATE		0x02	/* private pool of server threads */
#define DOOR_LOCAL		0x04	/* out: door of the caller's process */
#define DOOR_REVOKED		0x08	/* out: door has been revoked */
#define DOOR_UNREF_MULTI	0x10	/* unreferenced calls, repeatedly */
#define DOOR_IS_UNREF		0x20	/* out: door is unreferenced */
#define DOOR_REFUSE_DESC	0x40	/* refuse calls passing descriptors */
#define DOOR_NO_CANCEL		0x80	/* client abort does not cancel */
#define DOOR_NO_DEPLETION_CB	0x100	/* door_xcreate() only */
#define DOOR_PRIVCREATE		0x200	/* private creation function */
#define DOOR_DEPLETION_CB	0x400	/* out: info given to a depletion call */

#define DOOR_CREATE_MASK	(DOOR_UNREF | DOOR_PRIVATE | \
				 DOOR_UNREF_MULTI | DOOR_REFUSE_DESC | \
				 DOOR_NO_CANCEL | DOOR_NO_DEPLETION_CB | \
				 DOOR_PRIVCREATE)
#define DOOR_ATTR_MASK		(DOOR_CREATE_MASK | DOOR_LOCAL | \
				 DOOR_REVOKED | DOOR_IS_UNREF)

/* door_desc_t attributes. */
#define DOOR_DESCRIPTOR		0x10000	/* d_descriptor is a descriptor */
#define DOOR_RELEASE		0x40000	/* close it once passed */

#define DOOR_INVAL		(-1)	/* no door */
#define DOOR_QUERY		(-2)	/* door_info(): the door being served */

/* argp of an unreferenced call. */
#define DOOR_UNREF_DATA		((void *)1)

/* door_getparam() / door_setparam() parameters. */
#define DOOR_PARAM_DESC_MAX	1
#define DOOR_PARAM_DATA_MAX	2
#define DOOR_PARAM_DATA_MIN	3

/*
 * door_desc_t and door_info_t have the illumos amd64 layout (4-byte
 * packing, 24 and 48 bytes): the same for 32-bit and 64-bit programs.
 */
#pragma pack(push, 4)

typedef struct door_desc {
	door_attr_t	d_attributes;
	union {
		struct {
			int		d_descriptor;
			door_id_t	d_id;
		} d_desc;
		int	d_resv[5];
	} d_data;
} door_desc_t;

typedef struct door_info {
	pid_t		di_target;	/* server process, -1 once gone */
	door_ptr_t	di_proc;	/* server procedure */
	door_ptr_t	di_data;	/* its cookie */
	door_attr_t	di_attributes;
	door_id_t	di_uniquifier;	/* system-wide door number */
	int		di_resv[4];
} door_info_t;

#pragma pack(pop)

/* door_call() arguments and results; every field is in/out. */
typedef struct door_arg {
	char		*data_ptr;
	size_t		data_size;
	door_desc_t	*desc_ptr;
	uint_t		desc_num;
	char		*rbuf;
	size_t		rsize;
} door_arg_t;

typedef struct door_cred {
	uid_t	dc_euid;
	gid_t	dc_egid;
	uid_t	dc_ruid;
	gid_t	dc_rgid;
	pid_t	dc_pid;
	int	dc_resv[4];
} door_cred_t;

typedef void door_server_procedure_t(void *, char *, size_t, door_desc_t *,
				     uint_t);
typedef void door_server_func_t(door_info_t *);
typedef int door_xcreate_server_func_t(door_info_t *, void *(*)(void *),
				       void *, void *);
typedef void door_xcreate_thrsetup_func_t(void *);

extern int door_create(door_server_procedure_t *, void *, uint_t);
extern int door_call(int, door_arg_t *);
extern int door_return(char *, size_t, door_desc_t *, uint_t);
extern door_server_func_t *door_server_create(door_server_func_t *);

/* Also in <stropts.h>, as on Solaris. */
#ifndef _LIBDOOR_FATTACH_DECLARED
#define _LIBDOOR_FATTACH_DECLARED
extern int fattach(int, const char *);
extern int fdetach(const char *);
#endif

#ifdef __cplusplus
}
#endif

#endif /* _DOOR_H */
