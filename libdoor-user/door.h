/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <door.h>: the Solaris doors interface, as provided by libdoor on Linux.
 *
 * Types, constants and structure layouts are those of illumos, so Solaris
 * door programs build unchanged.  Every function returns -1 with errno
 * set on failure, as on Solaris.  Where Linux differs from illumos, see
 * Documentation/porting.rst.
 *
 * Like the Solaris header, this one makes <sys/types.h>, <string.h> and
 * <ucred.h> visible (Solaris door programs commonly rely on them).  It
 * does not need kernel headers.
 */
#ifndef _DOOR_H
#define _DOOR_H

#include <sys/types.h>
#include <string.h>
#include <ucred.h>

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

/*
 * fstat() of a door descriptor reports this file type, as on illumos
 * (Solaris has these in <sys/stat.h>).
 */
#ifndef S_IFDOOR
#define S_IFDOOR		0xD000
#endif
#ifndef S_ISDOOR
#define S_ISDOOR(mode)		(((mode) & 0xF000) == S_IFDOOR)
#endif

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

/*
 * di_resv[0] and di_resv[1] are a Linux extension, which makes a private
 * door that nothing serves visible (on illumos its callers just hang):
 * the number of threads parked ready to serve the door (in its private
 * pool, or in the process's pool) and the number of threads bound to it.
 * di_resv[2] and di_resv[3] are 0.
 */
typedef struct door_info {
	pid_t		di_target;	/* server process, -1 once gone */
	door_ptr_t	di_proc;	/* server procedure */
	door_ptr_t	di_data;	/* its cookie */
	door_attr_t	di_attributes;	/* creation ones, DOOR_LOCAL, ... */
	door_id_t	di_uniquifier;	/* system-wide door number */
	int		di_resv[4];	/* [0] parked, [1] bound threads */
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

/*
 * door_create(proc, cookie, attributes): a new door served by this
 * process; returns its descriptor (close-on-exec).  Attributes:
 * DOOR_UNREF or DOOR_UNREF_MULTI (not both: EINVAL), DOOR_PRIVATE,
 * DOOR_REFUSE_DESC, DOOR_NO_CANCEL (DOOR_NO_DEPLETION_CB and
 * DOOR_PRIVCREATE belong to door_xcreate(): EINVAL).  The first
 * door without DOOR_PRIVATE calls the server creation function with
 * NULL; every DOOR_PRIVATE door calls it with the door's door_info_t.
 */
extern int door_create(door_server_procedure_t *, void *, uint_t);

/*
 * door_xcreate(proc, cookie, attributes, crf, setupf, crcookie, nthread):
 * a DOOR_PRIVATE door with a creation function of its own.
 * DOOR_PRIVATE and DOOR_PRIVCREATE are implied; DOOR_NO_DEPLETION_CB
 * turns the depletion calls off.  crf(dip, startf, startarg, crcookie)
 * is called nthread times before door_xcreate() returns (dip describes
 * the door, for the length of the call only), and once more whenever the
 * door's last parked thread takes a call (dip then has DOOR_DEPLETION_CB).
 * Each time crf must either start a thread running startf(startarg) and
 * return 1, or start nothing and return 0 (no thread wanted: door_xcreate
 * fails with EINVAL) or -1 (could not start one: EPIPE).  Any other value
 * is a bug in crf: door_xcreate fails with EINVAL (illumos panics); at a
 * depletion call it is ignored.  startf runs setupf(crcookie) (when
 * setupf is NULL: disables cancellation), binds the thread to the door,
 * waits for its siblings, and serves the door.  door_xcreate() returns
 * once every started thread is bound.  On failure nothing is left
 * behind: the door is revoked, and startf unbinds its thread and returns
 * (so the thread exits), even in a thread crf started against its word
 * and long after: startarg is not a pointer into door_xcreate()'s
 * frame.
 *
 * libdoor keeps no descriptor of the door: the threads it starts later
 * bind to it by its uniquifier, so DOOR_UNREF comes as for any door.
 * door_revoke() forgets libdoor's record of the door.
 *
 * Errors: EINVAL (attributes contain DOOR_PRIVCREATE, crf is NULL,
 * nthread < 1, crf returned 0 or a value other than 1 or -1), EPIPE (crf
 * returned -1), the errno of a failed door_bind() of a started thread,
 * ENOMEM, and those of door_create().
 */
extern int door_xcreate(door_server_procedure_t *, void *, uint_t,
			door_xcreate_server_func_t *,
			door_xcreate_thrsetup_func_t *, void *, int);

/*
 * door_call(d, params): call door d (or a file a door is fattach()ed to).
 * EBADF (no door, revoked, server gone), EINTR (signal while the server
 * works, server thread exited), EAGAIN (signal while no server thread
 * was free), ENOBUFS (data_size outside [DATA_MIN, DATA_MAX]), EFAULT,
 * EINVAL (bad descriptor entry), E2BIG (over 1024 descriptors),
 * ENOTSUP (descriptors to a DOOR_REFUSE_DESC door), ENFILE (over
 * DESC_MAX), EMFILE (a descriptor table is full), EOVERFLOW (results
 * could not be mapped).
 */
extern int door_call(int, door_arg_t *);

/*
 * door_return(data, size, desc, ndesc): end the call being served with
 * these results and wait for the next one; without a call, make the
 * calling thread a server thread.  Returns only on failure.
 */
extern int door_return(char *, size_t, door_desc_t *, uint_t);

/*
 * door_server_create(func): install the process's server creation
 * function; returns the previous one.  It is called with NULL for the
 * first non-private door and when the process's pool runs dry, and with
 * the door's door_info_t (DOOR_DEPLETION_CB set when the pool ran dry)
 * for door_create() doors with DOOR_PRIVATE.  The default starts one
 * detached thread, cancellation disabled, serving the process's pool; it
 * does nothing for private doors, whose threads are the application's
 * (door_bind()).
 */
extern door_server_func_t *door_server_create(door_server_func_t *);

/*
 * door_info(d, info): describe door d, or with DOOR_QUERY the door the
 * calling thread serves a call of, else the one it is bound to.  EBADF
 * (not a door, DOOR_QUERY in a thread with neither), EFAULT (info NULL).
 */
extern int door_info(int, door_info_t *);

/*
 * door_revoke(d): no new call reaches door d (EBADF), callers waiting for
 * a server thread get EBADF, calls in progress complete normally; d is
 * closed.  EBADF (not a door), EPERM (not created by this process).
 */
extern int door_revoke(int);

/*
 * door_bind(d): from its next door_return() on, the calling thread
 * serves only door d, which must be a DOOR_PRIVATE door of this process;
 * it leaves its previous binding.  A private door is served only by its
 * bound threads: calls wait until one is parked (di_resv[] of door_info()
 * shows how many are).  EBADF (not a door), EINVAL (not DOOR_PRIVATE, or
 * another process's door).
 * door_unbind(): leave the binding; EBADF (not bound).
 * A thread that exits while bound, or in the middle of a call, is unbound
 * and its client's door_call() fails with EINTR.
 */
extern int door_bind(int);
extern int door_unbind(void);

/*
 * door_getparam(d, param, &value) / door_setparam(d, param, value):
 * DOOR_PARAM_DATA_MIN (default 0), DOOR_PARAM_DATA_MAX (SIZE_MAX) bound
 * the argument size of door_call() (ENOBUFS outside); DOOR_PARAM_DESC_MAX
 * (INT_MAX, 0 with DOOR_REFUSE_DESC) the descriptors it passes.
 * Errors: EBADF (not a door; setparam: revoked), EINVAL (unknown
 * parameter, DATA_MIN > DATA_MAX), EFAULT (value NULL), EPERM (setparam:
 * not created by this process), ENOTSUP (DESC_MAX != 0 on a
 * DOOR_REFUSE_DESC door), ERANGE (DESC_MAX > INT_MAX), EOVERFLOW
 * (getparam: the value does not fit a size_t).
 */
extern int door_getparam(int, int, size_t *);
extern int door_setparam(int, int, size_t);

/*
 * door_ucred(&uc): the credentials of the client of the call the calling
 * thread serves (its immediate caller), in a ucred_t: *uc is reused, or
 * allocated when NULL (ucred_free() it).  EINVAL (no call), EFAULT,
 * ENOMEM.
 * door_cred(info): the same, obsolete form.
 */
extern int door_ucred(ucred_t **);
extern int door_cred(door_cred_t *);

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
