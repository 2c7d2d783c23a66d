/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Solaris doors for Linux: the ioctl interface of /dev/doors.
 *
 * Every operation is an ioctl on a file opened from /dev/doors (a door
 * context, one per process).  Doors themselves are file descriptors; an
 * operation that names a door takes its descriptor number in the argument
 * structure.  A descriptor of a regular file onto which a door has been
 * fattach()ed names that door too.
 *
 * Rules common to every structure below:
 *  - pointers travel as __u64;
 *  - every "flags" field must be zero unless a flag is defined for it, and
 *    every "pad" or "reserved" field must be zero: anything else is EINVAL;
 *  - fields marked "out" are written by the kernel on success only.
 *
 * Documentation/abi.rst describes every ioctl and its errors.
 */
#ifndef _UAPI_LINUX_DOORS_H
#define _UAPI_LINUX_DOORS_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* Door attributes, with the illumos values. */
#define DOOR_UNREF		0x01
#define DOOR_PRIVATE		0x02
#define DOOR_LOCAL		0x04
#define DOOR_REVOKED		0x08
#define DOOR_UNREF_MULTI	0x10
#define DOOR_IS_UNREF		0x20
#define DOOR_REFUSE_DESC	0x40
#define DOOR_NO_CANCEL		0x80
#define DOOR_NO_DEPLETION_CB	0x100
#define DOOR_PRIVCREATE		0x200
#define DOOR_DEPLETION_CB	0x400

/* inv.data_ptr of an unreferenced invocation (illumos DOOR_UNREF_DATA). */
#define DOOR_UNREF_DATA_PTR	1

/* DOOR_IOC_INFO: the door the calling thread serves or is bound to. */
#define DOOR_QUERY		(-2)

/*
 * fstat() of a door descriptor reports this file type (illumos S_IFDOOR,
 * not a type Linux defines otherwise).
 */
#define DOOR_S_IFDOOR		0150000

/* door_desc attributes. */
#define DOOR_DESCRIPTOR		0x10000
#define DOOR_RELEASE		0x40000

/*
 * A passed descriptor.  Its layout is that of the illumos door_desc_t on
 * amd64 (24 bytes, d_id at offset 8), so libdoor hands user arrays to the
 * kernel as they are.
 */
struct door_udesc {
	__u32 d_attributes;
	__s32 d_descriptor;
	__u64 d_id;
	__u32 d_resv[2];
};

/*
 * DOOR_IOC_CREATE: create a door served by this context's process.
 * Returns the new door descriptor (always O_CLOEXEC).  Attributes:
 * DOOR_UNREF or DOOR_UNREF_MULTI, DOOR_PRIVATE, DOOR_REFUSE_DESC,
 * DOOR_NO_CANCEL, DOOR_NO_DEPLETION_CB, DOOR_PRIVCREATE (the last two are
 * for libdoor's door_xcreate()).
 */
struct door_create_args {
	__u64 proc;		/* in: server procedure, returned to servers */
	__u64 cookie;		/* in: its cookie, returned to servers */
	__u32 attributes;	/* in: DOOR_UNREF ... DOOR_PRIVCREATE */
	__u32 pad;
	__u64 id;		/* out: the door's system-wide uniquifier */
};

/*
 * DOOR_IOC_CALL: call a door and wait for its results.
 *
 * The arguments are data_ptr/data_size.  Results go to rbuf when they fit
 * in rsize; otherwise the kernel maps a fresh anonymous region in the
 * caller, returns it in rbuf/rsize, and the caller munmap()s it.  On
 * return data_ptr/data_size describe the results, and desc_ptr/desc_num
 * the descriptors returned, placed after the data at
 * rbuf + roundup(data_size, sizeof(struct door_udesc)).
 */
#define DOOR_CALL_NO_RESULTS	0x1	/* door_call(d, NULL): none allowed */

struct door_call_args {
	__s32 fd;		/* in: door, or a file a door is attached to */
	__u32 flags;		/* in: DOOR_CALL_NO_RESULTS */
	__u64 data_ptr;		/* in/out */
	__u64 data_size;	/* in/out */
	__u64 desc_ptr;		/* in/out: struct door_udesc array */
	__u32 desc_num;		/* in/out */
	__u32 pad;
	__u64 rbuf;		/* in/out */
	__u64 rsize;		/* in/out */
};

/*
 * What a server thread receives: one invocation of a door.  data_ptr
 * points into the thread's receive buffer, or to a region the kernel
 * mapped for arguments that did not fit (kept for the thread's later
 * calls, replaced when too small, unmapped when the thread exits).
 * Passed descriptors, already installed in the server, are described at
 * desc_ptr, after the data (8-byte aligned).
 */
struct door_invocation {
	__u64 proc;
	__u64 cookie;
	__u64 data_ptr;
	__u64 data_size;
	__u64 desc_ptr;
	__u32 desc_num;
	__u32 nservers;		/* threads left parked in the pool */
	__u64 id;		/* uniquifier of the door called */
	__u32 attributes;	/* the door's creation attributes */
	__u32 pad;
};

/*
 * DOOR_IOC_RETURN: deliver the results of the call this thread is
 * serving (if any), then park in the server pool until the next call.
 *
 * If the results cannot be delivered the ioctl fails and the thread still
 * holds the call: it may return again.  With DOOR_RETURN_ABORT the call
 * fails with EINTR in the client instead (a server procedure that
 * returned without calling door_return).  A signal while parked gives
 * EINTR (or a restart); results are never delivered twice.
 *
 * cancel_signal: when the client of a call this thread serves gives up
 * (signal) and the door lacks DOOR_NO_CANCEL, the kernel sends this
 * signal (si_code SI_KERNEL) to the thread; libdoor turns it into a
 * pthread_cancel() of the thread.
 */
#define DOOR_RETURN_ABORT	0x1
/*
 * DOOR_RETURN_EXIT: the thread is exiting.  Finish its call (with EINTR,
 * or with the results given), forget its binding and record, and return
 * 0 at once instead of parking.
 */
#define DOOR_RETURN_EXIT	0x2

struct door_return_args {
	__u64 data_ptr;		/* in: results */
	__u64 data_size;	/* in */
	__u64 desc_ptr;		/* in */
	__u32 desc_num;		/* in */
	__u32 flags;		/* in: DOOR_RETURN_ABORT, _EXIT */
	__u64 buf;		/* in: receive buffer for the next call */
	__u64 buf_size;		/* in */
	__u32 cancel_signal;	/* in: see below, or 0 */
	__u32 pad;
	struct door_invocation inv;	/* out */
};

/*
 * DOOR_IOC_FATTACH / DOOR_IOC_FDETACH: attach a door to, or detach it
 * from, the file at path (NUL terminated, relative to the caller's cwd).
 * fd is ignored by DOOR_IOC_FDETACH and must be -1 there.
 */
struct door_attach_args {
	__s32 fd;
	__u32 flags;		/* in: 0 */
	__u64 path;
};

/* DOOR_IOC_INFO: describe a door (fd may be DOOR_QUERY). */
struct door_info_args {
	__s32 fd;		/* in */
	__u32 flags;		/* in: 0 */
	__s32 target;		/* out: server pid, -1 once it has exited */
	__u32 attributes;	/* out: creation attributes, DOOR_LOCAL, ... */
	__u64 proc;		/* out */
	__u64 cookie;		/* out */
	__u64 id;		/* out: uniquifier */
	__u32 nparked;		/* out: threads parked ready to serve it */
	__u32 nbound;		/* out: threads bound to it (DOOR_PRIVATE) */
};

/* DOOR_IOC_REVOKE, DOOR_IOC_BIND: a door. */
struct door_fd_args {
	__s32 fd;
	__u32 flags;		/* in: 0 */
};

/*
 * DOOR_IOC_BIND_ID: bind to a door of the caller's context named by its
 * uniquifier, for threads that hold no descriptor of it.
 */
struct door_id_args {
	__u64 id;
	__u32 flags;		/* in: 0 */
	__u32 pad;		/* in: 0 */
};

/* DOOR_IOC_GETPARAM / DOOR_IOC_SETPARAM */
#define DOOR_PARAM_DESC_MAX	1
#define DOOR_PARAM_DATA_MAX	2
#define DOOR_PARAM_DATA_MIN	3

struct door_param_args {
	__s32 fd;
	__u32 param;
	__u64 value;		/* out for GETPARAM, in for SETPARAM */
};

/*
 * DOOR_IOC_UCRED: credentials of the client of the call the calling
 * thread serves, in the caller's user and pid namespaces.  groups points
 * to ngroups __u32; ngroups comes back as the client's number of
 * supplementary groups (only as many as fit are written).
 */
struct door_ucred_args {
	__u32 euid, ruid, suid;	/* out */
	__u32 egid, rgid, sgid;	/* out */
	__s32 pid;		/* out: 0 if not visible in our namespace */
	__u32 ngroups;		/* in/out */
	__u64 groups;		/* in */
};

#define DOOR_IOC_MAGIC		0xDE

#define DOOR_IOC_CREATE		_IOWR(DOOR_IOC_MAGIC, 0, struct door_create_args)
#define DOOR_IOC_REVOKE		_IOW(DOOR_IOC_MAGIC, 1, struct door_fd_args)
#define DOOR_IOC_INFO		_IOWR(DOOR_IOC_MAGIC, 2, struct door_info_args)
#define DOOR_IOC_CALL		_IOWR(DOOR_IOC_MAGIC, 3, struct door_call_args)
#define DOOR_IOC_BIND		_IOW(DOOR_IOC_MAGIC, 6, struct door_fd_args)
#define DOOR_IOC_UNBIND		_IO(DOOR_IOC_MAGIC, 7)
#define DOOR_IOC_BIND_ID	_IOW(DOOR_IOC_MAGIC, 8, struct door_id_args)
#define DOOR_IOC_UCRED		_IOWR(DOOR_IOC_MAGIC, 9, struct door_ucred_args)
#define DOOR_IOC_RETURN		_IOWR(DOOR_IOC_MAGIC, 10, struct door_return_args)
#define DOOR_IOC_GETPARAM	_IOWR(DOOR_IOC_MAGIC, 11, struct door_param_args)
#define DOOR_IOC_SETPARAM	_IOW(DOOR_IOC_MAGIC, 12, struct door_param_args)
#define DOOR_IOC_FATTACH	_IOW(DOOR_IOC_MAGIC, 32, struct door_attach_args)
#define DOOR_IOC_FDETACH	_IOW(DOOR_IOC_MAGIC, 33, struct door_attach_args)

#endif /* _UAPI_LINUX_DOORS_H */
