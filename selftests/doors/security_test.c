// SPDX-License-Identifier: GPL-2.0
/*
 * The security rules of /dev/doors (Documentation/security.md): who may
 * use which context and which door, that no kernel address reaches user
 * space, that credentials come from the kernel, that each side reads and
 * writes only its own buffers, and how user and pid namespaces are seen.
 *
 * Raw ioctls throughout, so the kernel's answer is what is checked, not
 * libdoor's.  Tests that need another user set their ids to 65534 in a
 * fork child (the tests run as root in the VM); namespaces are made in a
 * child too.  Processes and threads synchronise through pipes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/doors.h>

#include "harness.h"
#include "util.h"

#define NOBODY		65534
/* Kernel addresses: the direct map and the kernel image (x86-64). */
#define KADDR_DIRECT	0xffff888000000000ULL
#define KADDR_TEXT	0xffffffff81000000ULL
/* A small argument travels in the call record, a large one is pinned. */
#define SMALL		100
#define LARGE		5000
#define SBUF_SIZE	16384

/* Become nobody, with no supplementary groups. */
static int as_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -1;
	return 0;
}

/* Run fn(arg) in a fork child; its exit status (an errno, or 0), or -1. */
static int in_child(int (*fn)(void *arg), void *arg)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	return pid < 0 ? -1 : wait_status(pid);
}

/* The same as nobody; 255 if the ids could not be changed. */
struct as_nobody_args {
	int (*fn)(void *arg);
	void *arg;
};

static int nobody_trampoline(void *p)
{
	struct as_nobody_args *a = p;

	if (as_nobody())
		return 255;
	return a->fn(a->arg);
}

static int in_nobody_child(int (*fn)(void *arg), void *arg)
{
	struct as_nobody_args a = { fn, arg };

	return in_child(nobody_trampoline, &a);
}

#define NEED_ROOT() do { \
	if (geteuid()) \
		SKIP(return, "needs root, to become another user"); \
} while (0)

static int create_door(int ctx, __u32 attributes)
{
	struct door_create_args ca = {
		.proc = 0x1000, .cookie = 0x2000, .attributes = attributes,
	};

	return ioctl(ctx, DOOR_IOC_CREATE, &ca);
}

static uint64_t door_id(int ctx, int door)
{
	struct door_info_args ia = { .fd = door };

	if (ioctl(ctx, DOOR_IOC_INFO, &ia))
		return 0;
	return ia.id;
}

/* 0 or the errno of an ioctl. */
static int ioctl_errno(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

/*
 * A raw server thread: parks with a receive buffer of its own, runs
 * proc on each invocation (proc sets the results in ra), returns them.
 */
typedef void (*proc_fn)(int ctx, struct door_return_args *ra);

struct server {
	int ctx;
	proc_fn proc;
	char *buf;
	size_t buf_size;
};

static void *serve(void *arg)
{
	struct server *s = arg;
	struct door_return_args ra = { 0 };

	for (;;) {
		ra.buf = (uintptr_t)s->buf;
		ra.buf_size = s->buf_size;
		if (ioctl(s->ctx, DOOR_IOC_RETURN, &ra)) {
			if (errno != EINTR && errno != EFAULT)
				return NULL;
			memset(&ra, 0, sizeof(ra));
			continue;
		}
		ra.data_ptr = 0;
		ra.data_size = 0;
		ra.desc_ptr = 0;
		ra.desc_num = 0;
		s->proc(s->ctx, &ra);
	}
}

/* Start a server thread on ctx; its receive buffer is filled with 0xaa. */
static struct server *start_server(int ctx, proc_fn proc)
{
	struct server *s = calloc(1, sizeof(*s));
	pthread_t thread;

	if (!s)
		return NULL;
	s->ctx = ctx;
	s->proc = proc;
	s->buf_size = SBUF_SIZE;
	s->buf = malloc(s->buf_size);
	if (!s->buf)
		return NULL;
	memset(s->buf, 0xaa, s->buf_size);
	if (pthread_create(&thread, NULL, serve, s))
		return NULL;
	pthread_detach(thread);
	return s;
}

/* Results: the arguments. */
static void proc_echo(int ctx, struct door_return_args *ra)
{
	(void)ctx;
	ra->data_ptr = ra->inv.data_ptr;
	ra->data_size = ra->inv.data_size;
}

/* The invocation as received, and the server's buffer. */
static struct door_invocation seen_inv;

static void proc_record_inv(int ctx, struct door_return_args *ra)
{
	(void)ctx;
	seen_inv = ra->inv;
}

/* The client's credentials as DOOR_IOC_UCRED gives them. */
static struct door_ucred_args seen_cred;
static int seen_cred_err;

static void proc_ucred(int ctx, struct door_return_args *ra)
{
	memset(&seen_cred, 0x5a, sizeof(seen_cred));
	seen_cred.ngroups = 0;
	seen_cred.groups = 0;
	seen_cred_err = ioctl_errno(ctx, DOOR_IOC_UCRED, &seen_cred);
	ra->data_ptr = (uintptr_t)&seen_cred;
	ra->data_size = sizeof(seen_cred);
}

/* Tell hold_in we are in the procedure, wait for hold_go. */
static int hold_in[2], hold_go[2];

static void proc_hold(int ctx, struct door_return_args *ra)
{
	(void)ctx;
	(void)ra;
	notify(hold_in[1]);
	await(hold_go[0]);
}

/* A caller thread. */
struct caller {
	int ctx;
	struct door_call_args ca;
	int ret;
	int err;
	pthread_t thread;
};

static void *call_thread(void *arg)
{
	struct caller *c = arg;

	c->ret = ioctl(c->ctx, DOOR_IOC_CALL, &c->ca);
	c->err = errno;
	return NULL;
}

/* A context, a door on it and a proc_hold server thread. */
struct held {
	int ctx;
	int door;
	struct caller c;
};

/* Make a call that is held in the procedure until release_held(). */
static int start_held(struct held *h)
{
	h->ctx = ctx_open();
	if (h->ctx < 0 || pipe2(hold_in, O_CLOEXEC) || pipe2(hold_go, O_CLOEXEC))
		return -1;
	h->door = create_door(h->ctx, 0);
	if (h->door < 0 || !start_server(h->ctx, proc_hold))
		return -1;
	memset(&h->c, 0, sizeof(h->c));
	h->c.ctx = h->ctx;
	h->c.ca.fd = h->door;
	if (pthread_create(&h->c.thread, NULL, call_thread, &h->c))
		return -1;
	return await(hold_in[0]);
}

static int release_held(struct held *h)
{
	if (notify(hold_go[1]) || pthread_join(h->c.thread, NULL))
		return -1;
	return h->c.ret;
}

/*
 * A server process: opens a context, creates a door with attributes,
 * sends the door (and the context) back, serves with proc.
 */
static pid_t fork_raw_server(__u32 attributes, proc_fn proc, int *door,
			     int *ctx)
{
	int sv[2], fds[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	pid = fork();
	if (pid == 0) {
		struct server s = { .proc = proc, .buf_size = SBUF_SIZE };

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		s.buf = malloc(s.buf_size);
		s.ctx = ctx_open();
		fds[0] = create_door(s.ctx, attributes);
		fds[1] = s.ctx;
		if (!s.buf || fds[0] < 0 || send_fds(sv[1], fds, 2))
			_exit(1);
		serve(&s);
		_exit(2);
	}
	close(sv[1]);
	if (pid > 0 && recv_fds(sv[0], fds, 2)) {
		kill_server(pid);
		pid = -1;
	}
	close(sv[0]);
	*door = fds[0];
	if (ctx)
		*ctx = fds[1];
	else
		close(fds[1]);
	return pid;
}

/* ---- Who may call ---- */

/* Any process holding a door descriptor may call it, whatever its ids. */
static int call_as_other(void *arg)
{
	char rbuf[8] = "";
	struct door_call_args ca = {
		.fd = *(int *)arg,
		.data_ptr = (uintptr_t)"ping",
		.data_size = 5,
		.rbuf = (uintptr_t)rbuf,
		.rsize = sizeof(rbuf),
	};
	int ctx = ctx_open();

	if (ctx < 0)
		return 10;
	if (ioctl(ctx, DOOR_IOC_CALL, &ca))
		return errno;
	return strcmp(rbuf, "ping") ? 11 : 0;
}

TEST(descriptor_gives_right_to_call_any_user)
{
	int ctx = ctx_open(), door;

	NEED_ROOT();
	ASSERT_LE(0, ctx);
	door = create_door(ctx, 0);
	ASSERT_LE(0, door);
	ASSERT_NE(NULL, start_server(ctx, proc_echo));
	EXPECT_EQ(0, in_nobody_child(call_as_other, &door));
}

/* An attached name: the file's permissions decide who may open it. */
struct attached {
	char path[40];
	int ctx;
	int door;
};

static int attach_file(struct __test_metadata *_metadata, struct attached *a,
		       mode_t mode)
{
	struct door_attach_args aa = { 0 };
	int fd;

	strcpy(a->path, "/tmp/doors-security-XXXXXX");
	fd = mkstemp(a->path);
	if (fd < 0 || fchmod(fd, mode))
		return -1;
	close(fd);
	a->ctx = ctx_open();
	if (a->ctx < 0)
		return -1;
	a->door = create_door(a->ctx, 0);
	if (a->door < 0 || !start_server(a->ctx, proc_echo))
		return -1;
	aa.fd = a->door;
	aa.path = (uintptr_t)a->path;
	EXPECT_EQ(0, ioctl(a->ctx, DOOR_IOC_FATTACH, &aa));
	return 0;
}

static void detach_file(struct attached *a)
{
	struct door_attach_args aa = { .fd = -1, .path = (uintptr_t)a->path };

	ioctl(a->ctx, DOOR_IOC_FDETACH, &aa);
	unlink(a->path);
}

static int open_errno(void *arg)
{
	int fd = open(arg, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? errno : 0;
}

TEST(attached_name_unreadable_eacces)
{
	struct attached a;

	NEED_ROOT();
	ASSERT_EQ(0, attach_file(_metadata, &a, 0600));
	EXPECT_EQ(EACCES, in_nobody_child(open_errno, a.path));
	detach_file(&a);
}

/* An O_PATH descriptor of the name does not reach the door. */
static int call_o_path(void *arg)
{
	struct door_call_args ca = { 0 };
	int ctx = ctx_open();

	ca.fd = open(arg, O_PATH | O_CLOEXEC);
	if (ca.fd < 0 || ctx < 0)
		return 10;
	return ioctl_errno(ctx, DOOR_IOC_CALL, &ca);
}

TEST(attached_name_o_path_ebadf)
{
	struct attached a;

	NEED_ROOT();
	ASSERT_EQ(0, attach_file(_metadata, &a, 0600));
	EXPECT_EQ(EBADF, in_nobody_child(call_o_path, a.path));
	detach_file(&a);
}

/* ---- The creator process only: revoke, setparam ---- */

/* The door of another process, received over a socket: root is no one. */
TEST(revoke_by_receiving_process_eperm)
{
	struct door_fd_args fa = { 0 };
	struct door_info_args ia = { 0 };
	int ctx = ctx_open(), door;
	pid_t server;

	ASSERT_LE(0, ctx);
	server = fork_raw_server(0, proc_echo, &door, NULL);
	ASSERT_LT(0, server);
	fa.fd = door;
	EXPECT_EQ(EPERM, ioctl_errno(ctx, DOOR_IOC_REVOKE, &fa));
	EXPECT_EQ(FD_CLOEXEC, fcntl(door, F_GETFD));
	ia.fd = door;
	ASSERT_EQ(0, ioctl(ctx, DOOR_IOC_INFO, &ia));
	EXPECT_EQ(0U, ia.attributes & DOOR_REVOKED);
	kill_server(server);
}

TEST(setparam_by_receiving_process_eperm)
{
	struct door_param_args pa = { .param = DOOR_PARAM_DATA_MAX, .value = 1 };
	int ctx = ctx_open(), door;
	pid_t server;

	ASSERT_LE(0, ctx);
	server = fork_raw_server(0, proc_echo, &door, NULL);
	ASSERT_LT(0, server);
	pa.fd = door;
	EXPECT_EQ(EPERM, ioctl_errno(ctx, DOOR_IOC_SETPARAM, &pa));
	pa.value = 0;
	ASSERT_EQ(0, ioctl(ctx, DOOR_IOC_GETPARAM, &pa));
	EXPECT_EQ(UINT64_MAX, pa.value);
	kill_server(server);
}

/* ---- The owner of a context only: create, return, bind ---- */

/* A context passed over a socket serves only the process that opened it. */
TEST(create_on_passed_ctx_eperm)
{
	int door, ctx;
	pid_t server;

	server = fork_raw_server(0, proc_echo, &door, &ctx);
	ASSERT_LT(0, server);
	EXPECT_EQ(-1, create_door(ctx, 0));
	EXPECT_EQ(EPERM, errno);
	kill_server(server);
}

TEST(return_on_passed_ctx_eperm)
{
	struct door_return_args ra = { 0 };
	int door, ctx;
	pid_t server;

	server = fork_raw_server(0, proc_echo, &door, &ctx);
	ASSERT_LT(0, server);
	EXPECT_EQ(EPERM, ioctl_errno(ctx, DOOR_IOC_RETURN, &ra));
	kill_server(server);
}

/* Its owner gone, a context still serves no other process. */
TEST(create_on_ctx_of_exited_process_eperm)
{
	int door, ctx;
	pid_t server;

	server = fork_raw_server(0, proc_echo, &door, &ctx);
	ASSERT_LT(0, server);
	kill_server(server);
	EXPECT_EQ(-1, create_door(ctx, 0));
	EXPECT_EQ(EPERM, errno);
}

/* The parent's private door, on the context the fork child inherited. */
static int bind_ctx, bind_door;

static int bind_inherited(void *arg)
{
	struct door_fd_args fa = { .fd = bind_door };

	(void)arg;
	return ioctl_errno(bind_ctx, DOOR_IOC_BIND, &fa);
}

TEST(bind_on_inherited_ctx_eperm)
{
	bind_ctx = ctx_open();
	ASSERT_LE(0, bind_ctx);
	bind_door = create_door(bind_ctx, DOOR_PRIVATE);
	ASSERT_LE(0, bind_door);
	EXPECT_EQ(EPERM, in_child(bind_inherited, NULL));
}

/*
 * While a server thread serves a call, nobody else learns about it: not
 * a fork child holding the context, not another thread of the server.
 */
static struct held held;

static int ucred_inherited(void *arg)
{
	struct door_ucred_args ua = { 0 };

	(void)arg;
	return ioctl_errno(held.ctx, DOOR_IOC_UCRED, &ua);
}

TEST(ucred_on_inherited_ctx_einval)
{
	ASSERT_EQ(0, start_held(&held));
	EXPECT_EQ(EINVAL, in_child(ucred_inherited, NULL));
	EXPECT_EQ(0, release_held(&held));
}

static int query_inherited(void *arg)
{
	struct door_info_args ia = { .fd = DOOR_QUERY };

	(void)arg;
	return ioctl_errno(held.ctx, DOOR_IOC_INFO, &ia);
}

TEST(query_on_inherited_ctx_ebadf)
{
	ASSERT_EQ(0, start_held(&held));
	EXPECT_EQ(EBADF, in_child(query_inherited, NULL));
	EXPECT_EQ(0, release_held(&held));
}

TEST(ucred_from_other_thread_einval)
{
	struct door_ucred_args ua = { 0 };

	ASSERT_EQ(0, start_held(&held));
	EXPECT_EQ(EINVAL, ioctl_errno(held.ctx, DOOR_IOC_UCRED, &ua));
	EXPECT_EQ(0, release_held(&held));
}

/* ---- Door files ---- */

/* A door descriptor is not a context: no ioctl on it. */
TEST(ioctl_on_door_fd_enotty)
{
	struct door_call_args ca = { 0 };
	int ctx = ctx_open();

	ASSERT_LE(0, ctx);
	ca.fd = create_door(ctx, 0);
	ASSERT_LE(0, ca.fd);
	EXPECT_EQ(ENOTTY, ioctl_errno(ca.fd, DOOR_IOC_CALL, &ca));
	EXPECT_EQ(ENOTTY, ioctl_errno(ca.fd, DOOR_IOC_CREATE, &ca));
}

/* /proc/PID/fd/N of a door cannot be opened again. */
TEST(reopen_door_via_proc_enxio)
{
	int ctx = ctx_open(), door;
	char path[64];

	ASSERT_LE(0, ctx);
	door = create_door(ctx, 0);
	ASSERT_LE(0, door);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", door);
	EXPECT_EQ(-1, open(path, O_RDONLY));
	EXPECT_EQ(ENXIO, errno);
}

/* All doors share one inode (root's, 0600): no user may change it. */
static int chmod_door(void *arg)
{
	int door = *(int *)arg;

	if (!fchmod(door, 0666))
		return 10;
	if (errno != EPERM)
		return errno;
	if (!fchown(door, NOBODY, NOBODY))
		return 11;
	return errno;
}

TEST(door_inode_unchangeable_by_user_eperm)
{
	int ctx = ctx_open(), door;
	struct stat st;

	NEED_ROOT();
	ASSERT_LE(0, ctx);
	door = create_door(ctx, 0);
	ASSERT_LE(0, door);
	EXPECT_EQ(EPERM, in_nobody_child(chmod_door, &door));
	ASSERT_EQ(0, fstat(door, &st));
	EXPECT_EQ((mode_t)(DOOR_S_IFDOOR | 0600), st.st_mode);
	EXPECT_EQ(0U, st.st_uid);
}

/* /dev/doors is 0666: any user may serve doors of its own. */
static int create_as_nobody(void *arg)
{
	int ctx = ctx_open();

	(void)arg;
	if (ctx < 0)
		return errno;
	return create_door(ctx, 0) < 0 ? errno : 0;
}

TEST(any_user_may_create)
{
	NEED_ROOT();
	EXPECT_EQ(0, in_nobody_child(create_as_nobody, NULL));
}

/* ---- fattach and fdetach: owner of the file, or privileged ---- */

static int detach_errno(void *arg)
{
	struct door_attach_args aa = { .fd = -1, .path = (uintptr_t)arg };
	int ctx = ctx_open();

	if (ctx < 0)
		return 10;
	return ioctl_errno(ctx, DOOR_IOC_FDETACH, &aa);
}

/* Root (CAP_FOWNER) attaches to a file it does not own. */
TEST(fattach_privileged_not_owner_works)
{
	char path[] = "/tmp/doors-security-XXXXXX";
	struct door_attach_args aa = { 0 };
	int ctx = ctx_open(), fd;

	NEED_ROOT();
	ASSERT_LE(0, ctx);
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fchown(fd, NOBODY, NOBODY));
	ASSERT_EQ(0, fchmod(fd, 0644));
	close(fd);
	aa.fd = create_door(ctx, 0);
	ASSERT_LE(0, aa.fd);
	aa.path = (uintptr_t)path;
	EXPECT_EQ(0, ioctl_errno(ctx, DOOR_IOC_FATTACH, &aa));
	EXPECT_EQ(0, detach_errno(path));
	unlink(path);
}

/* The owner of the file detaches whatever is attached to it. */
TEST(fdetach_by_file_owner_works)
{
	char path[] = "/tmp/doors-security-XXXXXX";
	struct door_attach_args aa = { 0 };
	int ctx = ctx_open(), fd;

	NEED_ROOT();
	ASSERT_LE(0, ctx);
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fchown(fd, NOBODY, NOBODY));
	ASSERT_EQ(0, fchmod(fd, 0644));
	close(fd);
	aa.fd = create_door(ctx, 0);
	ASSERT_LE(0, aa.fd);
	aa.path = (uintptr_t)path;
	ASSERT_EQ(0, ioctl_errno(ctx, DOOR_IOC_FATTACH, &aa));
	EXPECT_EQ(0, in_nobody_child(detach_errno, path));
	EXPECT_EQ(EINVAL, detach_errno(path));
	unlink(path);
}

/*
 * A file reached through a /proc/self/fd link that lives on a kernel
 * mount is no name: attaching to it gives EINVAL, even to root.  A file
 * whose names are all gone gives ENOENT.  (Should an attach work, it is
 * undone: it would pin the module for the tests after.)
 */
static int attach_by_fd_link(int ctx, int fd)
{
	struct door_attach_args aa = { 0 };
	char path[64];
	int ret;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	aa.fd = create_door(ctx, 0);
	if (aa.fd < 0)
		return -1;
	aa.path = (uintptr_t)path;
	ret = ioctl_errno(ctx, DOOR_IOC_FATTACH, &aa);
	close(aa.fd);
	if (!ret) {
		aa.fd = -1;
		ioctl(ctx, DOOR_IOC_FDETACH, &aa);
	}
	return ret;
}

TEST(fattach_pipe_through_proc_fd_einval)
{
	int ctx = ctx_open(), p[2];

	ASSERT_LE(0, ctx);
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	EXPECT_EQ(EINVAL, attach_by_fd_link(ctx, p[1]));
	close(p[0]);
	close(p[1]);
}

TEST(fattach_tmpfile_through_proc_fd_enoent)
{
	int ctx = ctx_open(), fd;

	ASSERT_LE(0, ctx);
	fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	EXPECT_EQ(ENOENT, attach_by_fd_link(ctx, fd));
	close(fd);
}

TEST(fattach_door_through_proc_fd_einval)
{
	int ctx = ctx_open(), door;

	NEED_ROOT();
	ASSERT_LE(0, ctx);
	door = create_door(ctx, 0);
	ASSERT_LE(0, door);
	EXPECT_EQ(EINVAL, attach_by_fd_link(ctx, door));
	close(door);
}

/* ---- User namespaces ---- */

static int write_proc(pid_t pid, const char *file, const char *text)
{
	size_t len = strlen(text);
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, text, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/*
 * Run fn(arg) in a child in a user namespace of its own where 0 is 1000
 * outside, as its uid and gid 0.  Returns fn's result, -1 on a failure here, or -2 if the
 * kernel refuses user namespaces (not built in, or not allowed).
 */
#define USERNS_MAP	"0 1000 1"
#define USERNS_REFUSED	(-2)

static int in_userns(int (*fn)(void *arg), void *arg)
{
	int sv[2], err = 0, status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		if (unshare(CLONE_NEWUSER))
			err = errno;
		if (write(sv[1], &err, sizeof(err)) != sizeof(err) || err ||
		    await(sv[1]))
			_exit(255);
		/* Become the namespace's root: 1000 outside. */
		if (setresgid(0, 0, 0) || setresuid(0, 0, 0))
			_exit(254);
		_exit(fn(arg));
	}
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return -1;
	}
	if (read(sv[0], &err, sizeof(err)) != sizeof(err))
		err = -1;
	if (!err && (write_proc(pid, "setgroups", "deny") ||
		     write_proc(pid, "uid_map", USERNS_MAP) ||
		     write_proc(pid, "gid_map", USERNS_MAP) || notify(sv[0])))
		err = -1;
	close(sv[0]);
	if (err)
		kill(pid, SIGKILL);
	status = wait_status(pid);
	if (err == EPERM || err == EINVAL)
		return USERNS_REFUSED;
	return err ? -1 : status;
}

#define NEED_USERNS(ret) do { \
	if ((ret) == USERNS_REFUSED) \
		SKIP(return, "user namespaces not built in or not allowed"); \
} while (0)

/* In the namespace: attach a door of our own to path, then detach it. */
static int attach_errno(void *arg)
{
	struct door_attach_args aa = { .path = (uintptr_t)arg };
	int ctx = ctx_open(), ret;

	if (ctx < 0)
		return 10;
	aa.fd = create_door(ctx, 0);
	if (aa.fd < 0)
		return 11;
	ret = ioctl_errno(ctx, DOOR_IOC_FATTACH, &aa);
	aa.fd = -1;
	if (!ret && ioctl(ctx, DOOR_IOC_FDETACH, &aa))
		return 12;
	return ret;
}

static int make_file(char *path, uid_t owner, mode_t mode)
{
	int fd = mkstemp(path);

	if (fd < 0 || fchown(fd, owner, owner) || fchmod(fd, mode))
		return -1;
	return close(fd);
}

/* Root in the namespace has CAP_FOWNER only over ids mapped there. */
TEST(userns_fattach_unmapped_owner_eperm)
{
	char path[] = "/tmp/doors-security-XXXXXX";
	int ret;

	NEED_ROOT();
	ASSERT_EQ(0, make_file(path, 0, 0666));
	ret = in_userns(attach_errno, path);
	unlink(path);
	NEED_USERNS(ret);
	EXPECT_EQ(EPERM, ret);
}

TEST(userns_fattach_mapped_owner_works)
{
	char path[] = "/tmp/doors-security-XXXXXX";
	int ret;

	NEED_ROOT();
	ASSERT_EQ(0, make_file(path, 1000, 0644));
	ret = in_userns(attach_errno, path);
	unlink(path);
	NEED_USERNS(ret);
	EXPECT_EQ(0, ret);
}

/*
 * Root in a user namespace of its own is 1000 to a server outside: a
 * client cannot make itself root by making a namespace.
 */
static int userns_ctx, userns_door;

static int call_from_userns(void *arg)
{
	struct door_call_args ca = { .fd = userns_door };

	(void)arg;
	if (geteuid() != 0)
		return 20;
	return ioctl_errno(userns_ctx, DOOR_IOC_CALL, &ca);
}

TEST(userns_root_client_seen_with_outer_ids)
{
	int ret;

	NEED_ROOT();
	userns_ctx = ctx_open();
	ASSERT_LE(0, userns_ctx);
	userns_door = create_door(userns_ctx, 0);
	ASSERT_LE(0, userns_door);
	ASSERT_NE(NULL, start_server(userns_ctx, proc_ucred));
	ret = in_userns(call_from_userns, NULL);
	NEED_USERNS(ret);
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, seen_cred_err);
	EXPECT_EQ(1000U, seen_cred.euid);
	EXPECT_EQ(1000U, seen_cred.ruid);
	EXPECT_EQ(1000U, seen_cred.suid);
	EXPECT_EQ(1000U, seen_cred.egid);
	EXPECT_EQ(1000U, seen_cred.rgid);
	EXPECT_EQ(1000U, seen_cred.sgid);
	EXPECT_LT(0, seen_cred.pid);
	EXPECT_NE(getpid(), seen_cred.pid);
}

/* ---- Pid namespaces ---- */

/*
 * A client in a pid namespace of its own does not see the server's pid:
 * door_info() and fdinfo give 0, not a pid of another namespace.
 */
#define PIDNS_REFUSED	254

static int pidns_ctx, pidns_door;

static int fdinfo_value(int fd, const char *key, long long *value)
{
	char path[64], line[256];
	size_t len = strlen(key);
	int ret = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':') {
			*value = strtoll(line + len + 1, NULL, 0);
			ret = 0;
		}
	fclose(f);
	return ret;
}

static int pidns_target(void *arg)
{
	struct door_info_args ia = { .fd = pidns_door };
	int fdinfo = *(int *)arg;
	long long target;
	pid_t pid;

	if (unshare(CLONE_NEWPID))
		return errno == EPERM || errno == EINVAL ? PIDNS_REFUSED : 1;
	pid = fork();
	if (pid == 0) {
		if (fdinfo)
			_exit(fdinfo_value(pidns_door, "door-target", &target) ?
			      2 : target == 0 ? 0 : 3);
		if (ioctl(pidns_ctx, DOOR_IOC_INFO, &ia))
			_exit(4);
		_exit(ia.target == 0 ? 0 : 5);
	}
	return pid < 0 ? 6 : wait_status(pid);
}

TEST(pidns_info_target_invisible_0)
{
	int fdinfo = 0, ret;

	pidns_ctx = ctx_open();
	ASSERT_LE(0, pidns_ctx);
	pidns_door = create_door(pidns_ctx, 0);
	ASSERT_LE(0, pidns_door);
	ret = in_child(pidns_target, &fdinfo);
	if (ret == PIDNS_REFUSED)
		SKIP(return, "pid namespaces not built in or not allowed");
	EXPECT_EQ(0, ret);
}

TEST(pidns_fdinfo_target_invisible_0)
{
	int fdinfo = 1, ret;

	pidns_ctx = ctx_open();
	ASSERT_LE(0, pidns_ctx);
	pidns_door = create_door(pidns_ctx, 0);
	ASSERT_LE(0, pidns_door);
	ret = in_child(pidns_target, &fdinfo);
	if (ret == PIDNS_REFUSED)
		SKIP(return, "pid namespaces not built in or not allowed");
	EXPECT_EQ(0, ret);
}

/* ---- No kernel address reaches user space ---- */

/* Door ids count doors: small, increasing, never an address. */
TEST(door_ids_are_a_counter)
{
	struct door_create_args a = { 0 }, b = { 0 };
	int ctx = ctx_open();

	ASSERT_LE(0, ctx);
	ASSERT_LE(0, ioctl(ctx, DOOR_IOC_CREATE, &a));
	ASSERT_LE(0, ioctl(ctx, DOOR_IOC_CREATE, &b));
	EXPECT_LT(0ULL, a.id);
	EXPECT_LT(a.id, b.id);
	EXPECT_GT(1000ULL, b.id - a.id);
	EXPECT_GT(1ULL << 32, b.id);
}

/*
 * Every fdinfo line is one of the keys expected, and every value a
 * small number (the generic lines included).
 */
static void check_fdinfo(struct __test_metadata *_metadata, int fd,
			 const char *const *keys)
{
	char path[64], line[256];
	unsigned long long v;
	int i, n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':'), *end;

		ASSERT_NE(NULL, colon) TH_LOG("line: %s", line);
		*colon = '\0';
		for (i = 0; keys[i]; i++)
			if (!strcmp(line, keys[i]))
				break;
		EXPECT_NE(NULL, keys[i]) TH_LOG("unexpected key %s", line);
		errno = 0;
		v = strtoull(colon + 1, &end, 0);
		EXPECT_EQ(0, errno);
		EXPECT_TRUE(*end == '\n' || *end == '\0')
			TH_LOG("%s: not a number: %s", line, colon + 1);
		EXPECT_GT(1ULL << 32, v) TH_LOG("%s: %llx", line, v);
		n++;
	}
	fclose(f);
	EXPECT_LT(4, n);
}

TEST(fdinfo_door_has_no_pointer)
{
	static const char *const keys[] = {
		"pos", "flags", "mnt_id", "ino", "door-id", "door-target",
		"door-attributes", "door-active", NULL
	};
	int ctx = ctx_open(), door;
	long long v;

	ASSERT_LE(0, ctx);
	door = create_door(ctx, 0);
	ASSERT_LE(0, door);
	check_fdinfo(_metadata, door, keys);
	ASSERT_EQ(0, fdinfo_value(door, "door-id", &v));
	EXPECT_EQ(door_id(ctx, door), (uint64_t)v);
	ASSERT_EQ(0, fdinfo_value(door, "door-target", &v));
	EXPECT_EQ(getpid(), v);
}

TEST(fdinfo_ctx_has_no_pointer)
{
	static const char *const keys[] = {
		"pos", "flags", "mnt_id", "ino", "door-owner", "door-doors",
		"door-parked", NULL
	};
	int ctx = ctx_open();
	long long v;

	ASSERT_LE(0, ctx);
	ASSERT_LE(0, create_door(ctx, 0));
	check_fdinfo(_metadata, ctx, keys);
	ASSERT_EQ(0, fdinfo_value(ctx, "door-owner", &v));
	EXPECT_EQ(getpid(), v);
}

/* /proc/PID/fd names a door without an inode number or an address. */
TEST(door_fd_link_has_no_number)
{
	int ctx = ctx_open(), door;
	char path[64], link[64];
	ssize_t n;

	ASSERT_LE(0, ctx);
	door = create_door(ctx, 0);
	ASSERT_LE(0, door);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", door);
	n = readlink(path, link, sizeof(link) - 1);
	ASSERT_LT(0, n);
	link[n] = '\0';
	EXPECT_STREQ("door:[door]", link);
}

/*
 * What a server thread receives: every field of the invocation written,
 * with the door's id, the user values given at creation, and pointers
 * into its own buffer only.
 */
static void proc_record_poison(int ctx, struct door_return_args *ra)
{
	proc_record_inv(ctx, ra);
	memset(&ra->inv, 0xff, sizeof(ra->inv));
}

TEST(invocation_has_no_pointer)
{
	struct door_call_args ca = {
		.data_ptr = (uintptr_t)"ping", .data_size = 5,
	};
	int ctx = ctx_open();
	struct server *s;

	ASSERT_LE(0, ctx);
	ca.fd = create_door(ctx, 0);
	ASSERT_LE(0, ca.fd);
	s = start_server(ctx, proc_record_poison);
	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, ioctl(ctx, DOOR_IOC_CALL, &ca));
	ca.data_ptr = (uintptr_t)"ping";
	ca.data_size = 5;
	ASSERT_EQ(0, ioctl(ctx, DOOR_IOC_CALL, &ca));
	EXPECT_EQ(0x1000ULL, seen_inv.proc);
	EXPECT_EQ(0x2000ULL, seen_inv.cookie);
	EXPECT_EQ((uintptr_t)s->buf, seen_inv.data_ptr);
	EXPECT_EQ(5ULL, seen_inv.data_size);
	EXPECT_EQ(0ULL, seen_inv.desc_ptr);
	EXPECT_EQ(0U, seen_inv.desc_num);
	EXPECT_EQ(0U, seen_inv.nservers);
	EXPECT_EQ(door_id(ctx, ca.fd), seen_inv.id);
	EXPECT_EQ(0U, seen_inv.attributes);
	EXPECT_EQ(0U, seen_inv.pad);
}

/* A received descriptor is described by its number and door id only. */
static int give_fd;

static void proc_give(int ctx, struct door_return_args *ra)
{
	static struct door_udesc d;

	(void)ctx;
	d.d_attributes = DOOR_DESCRIPTOR;
	d.d_descriptor = give_fd;
	ra->desc_ptr = (uintptr_t)&d;
	ra->desc_num = 1;
}

TEST(received_descriptor_has_no_pointer)
{
	struct door_udesc rbuf[4];
	struct door_call_args ca = {
		.rbuf = (uintptr_t)rbuf, .rsize = sizeof(rbuf),
	};
	int ctx = ctx_open();

	ASSERT_LE(0, ctx);
	ca.fd = create_door(ctx, DOOR_NO_CANCEL);
	ASSERT_LE(0, ca.fd);
	give_fd = ca.fd;
	ASSERT_NE(NULL, start_server(ctx, proc_give));
	memset(rbuf, 0xff, sizeof(rbuf));
	ASSERT_EQ(0, ioctl(ctx, DOOR_IOC_CALL, &ca));
	ASSERT_EQ(1U, ca.desc_num);
	ASSERT_EQ((uintptr_t)rbuf, ca.desc_ptr);
	EXPECT_EQ(DOOR_DESCRIPTOR | DOOR_LOCAL | DOOR_NO_CANCEL,
		  rbuf[0].d_attributes);
	EXPECT_LE(0, rbuf[0].d_descriptor);
	EXPECT_NE(ca.fd, rbuf[0].d_descriptor);
	EXPECT_EQ(door_id(ctx, ca.fd), rbuf[0].d_id);
	EXPECT_EQ(0U, rbuf[0].d_resv[0]);
	EXPECT_EQ(0U, rbuf[0].d_resv[1]);
}

/* ---- Credentials come from the kernel ---- */

/* Every field DOOR_IOC_UCRED returns is written, from the caller's cred. */
TEST(ucred_all_fields_from_kernel)
{
	struct door_call_args ca = { 0 };
	int ctx = ctx_open();
	uid_t r, e, s;
	gid_t rg, eg, sg;

	ASSERT_LE(0, ctx);
	ca.fd = create_door(ctx, 0);
	ASSERT_LE(0, ca.fd);
	ASSERT_NE(NULL, start_server(ctx, proc_ucred));
	ASSERT_EQ(0, ioctl(ctx, DOOR_IOC_CALL, &ca));
	ASSERT_EQ(0, seen_cred_err);
	ASSERT_EQ(0, getresuid(&r, &e, &s));
	ASSERT_EQ(0, getresgid(&rg, &eg, &sg));
	EXPECT_EQ(r, seen_cred.ruid);
	EXPECT_EQ(e, seen_cred.euid);
	EXPECT_EQ(s, seen_cred.suid);
	EXPECT_EQ(rg, seen_cred.rgid);
	EXPECT_EQ(eg, seen_cred.egid);
	EXPECT_EQ(sg, seen_cred.sgid);
	EXPECT_EQ(getpid(), seen_cred.pid);
	EXPECT_EQ((__u32)getgroups(0, NULL), seen_cred.ngroups);
	EXPECT_EQ(0ULL, seen_cred.groups);
}

/* ---- Each side reads and writes only its own buffers ---- */

static int echo_ctx(struct server **s)
{
	int ctx = ctx_open(), door;

	if (ctx < 0)
		return -1;
	door = create_door(ctx, 0);
	*s = start_server(ctx, proc_echo);
	if (door < 0 || !*s)
		return -1;
	return door;
}

static int call(int ctx, int door, uint64_t data, uint64_t size,
		uint64_t rbuf, uint64_t rsize)
{
	struct door_call_args ca = {
		.fd = door, .data_ptr = data, .data_size = size,
		.rbuf = rbuf, .rsize = rsize,
	};

	return ioctl_errno(ctx, DOOR_IOC_CALL, &ca);
}

TEST(call_kernel_data_pointer_efault)
{
	static const uint64_t kaddr[] = { KADDR_DIRECT, KADDR_TEXT };
	static const uint64_t size[] = { SMALL, LARGE };
	char rbuf[SMALL];
	struct server *s;
	int door, i, j;

	door = echo_ctx(&s);
	ASSERT_LE(0, door);
	for (i = 0; i < 2; i++) {
		for (j = 0; j < 2; j++) {
			int err = call(s->ctx, door, kaddr[i], size[j],
				       (uintptr_t)rbuf, sizeof(rbuf));

			EXPECT_EQ(EFAULT, err) {
				TH_LOG("%" PRIx64 " + %" PRIu64, kaddr[i],
				       size[j]);
			}
		}
	}
	/* The server never ran: its buffer is untouched. */
	EXPECT_EQ((char)0xaa, s->buf[0]);
}

TEST(call_huge_data_size_efault)
{
	char data[LARGE];
	/* The last wraps around to data + 1. */
	const uint64_t size[] = {
		UINT64_MAX, 1ULL << 63, 2 - (uintptr_t)data,
	};
	struct server *s;
	int door, i;

	door = echo_ctx(&s);
	ASSERT_LE(0, door);
	for (i = 0; i < 3; i++) {
		int err = call(s->ctx, door, (uintptr_t)data, size[i], 0, 0);

		EXPECT_EQ(EFAULT, err) {
			TH_LOG("size %" PRIx64, size[i]);
		}
	}
	EXPECT_EQ((char)0xaa, s->buf[0]);
}

TEST(call_kernel_rbuf_efault)
{
	char data[LARGE] = "data";
	struct server *s;
	int door;

	door = echo_ctx(&s);
	ASSERT_LE(0, door);
	EXPECT_EQ(EFAULT, call(s->ctx, door, (uintptr_t)data, SMALL,
			       KADDR_DIRECT, UINT64_MAX));
	EXPECT_EQ(EFAULT, call(s->ctx, door, (uintptr_t)data, LARGE,
			       KADDR_DIRECT, UINT64_MAX));
	/* The server was let go each time. */
	EXPECT_EQ(0, call(s->ctx, door, (uintptr_t)data, SMALL,
			  (uintptr_t)data, sizeof(data)));
}

/*
 * The server's results must be in its own user memory: its
 * door_return() fails with EFAULT and it keeps the call.
 */
static uint64_t spoil_ptr, spoil_size;
static int spoil_res[2];

static void proc_spoil(int ctx, struct door_return_args *ra)
{
	struct door_return_args bad = *ra;

	bad.data_ptr = spoil_ptr;
	bad.data_size = spoil_size;
	spoil_res[0] = ioctl(ctx, DOOR_IOC_RETURN, &bad);
	spoil_res[1] = errno;
	ra->data_ptr = (uintptr_t)spoil_res;
	ra->data_size = sizeof(spoil_res);
}

static void spoiled(struct __test_metadata *_metadata, uint64_t ptr,
		    uint64_t size)
{
	int res[2] = { 0, 0 }, ctx = ctx_open(), door;

	ASSERT_LE(0, ctx);
	door = create_door(ctx, 0);
	ASSERT_LE(0, door);
	spoil_ptr = ptr;
	spoil_size = size;
	ASSERT_NE(NULL, start_server(ctx, proc_spoil));
	ASSERT_EQ(0, call(ctx, door, 0, 0, (uintptr_t)res, sizeof(res)));
	EXPECT_EQ(-1, res[0]);
	EXPECT_EQ(EFAULT, res[1]);
}

TEST(return_kernel_results_efault)
{
	spoiled(_metadata, KADDR_DIRECT, SMALL);
}

TEST(return_kernel_large_results_efault)
{
	spoiled(_metadata, KADDR_TEXT, LARGE);
}

TEST(return_huge_results_size_efault)
{
	static char results[SMALL];

	spoiled(_metadata, (uintptr_t)results, UINT64_MAX);
}

/*
 * A server's receive buffer it cannot write: the call fails (EINTR in the
 * client), the server's door_return() fails with EFAULT.
 */
static struct {
	int ctx;
	uint64_t buf, buf_size;
	int err;
} bad_buf;

static void *serve_bad_buf(void *arg)
{
	struct door_return_args ra = {
		.buf = bad_buf.buf, .buf_size = bad_buf.buf_size,
	};

	(void)arg;
	while (ioctl(bad_buf.ctx, DOOR_IOC_RETURN, &ra) && errno == EINTR)
		;
	bad_buf.err = errno;
	notify(hold_in[1]);
	return NULL;
}

/* A context, a door, and a server thread parked with bad_buf's buffer. */
static int start_bad_buf(uint64_t buf, uint64_t buf_size)
{
	pthread_t thread;
	int door;

	bad_buf.ctx = ctx_open();
	bad_buf.buf = buf;
	bad_buf.buf_size = buf_size;
	if (bad_buf.ctx < 0 || pipe2(hold_in, O_CLOEXEC))
		return -1;
	door = create_door(bad_buf.ctx, 0);
	if (door < 0 || pthread_create(&thread, NULL, serve_bad_buf, NULL))
		return -1;
	return door;
}

TEST(kernel_receive_buffer_small_args_eintr)
{
	char data[SMALL] = "data";
	int door = start_bad_buf(KADDR_DIRECT, UINT64_MAX);

	ASSERT_LE(0, door);
	ASSERT_EQ(EINTR, call(bad_buf.ctx, door, (uintptr_t)data, SMALL, 0, 0));
	ASSERT_EQ(0, await(hold_in[0]));
	EXPECT_EQ(EFAULT, bad_buf.err);
}

/*
 * The arguments fit the receive buffer, but the descriptors passed with
 * them fall on an inaccessible page after it: the same, and nothing is
 * installed in the server.
 */
TEST(receive_buffer_descriptors_unwritable_eintr)
{
	long page = sysconf(_SC_PAGESIZE);
	struct door_udesc desc = { .d_attributes = DOOR_DESCRIPTOR };
	struct door_call_args ca = {
		.data_ptr = (uintptr_t)"8 bytes", .data_size = 8,
		.desc_ptr = (uintptr_t)&desc, .desc_num = 1,
	};
	int pfd[2], before;
	char *map;

	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, mprotect(map + page, page, PROT_NONE));
	ASSERT_EQ(0, pipe2(pfd, O_CLOEXEC));
	desc.d_descriptor = pfd[0];
	ca.fd = start_bad_buf((uintptr_t)map + page - 8, 8 + sizeof(desc));
	ASSERT_LE(0, ca.fd);
	before = fd_count();
	ASSERT_EQ(EINTR, ioctl_errno(bad_buf.ctx, DOOR_IOC_CALL, &ca));
	ASSERT_EQ(0, await(hold_in[0]));
	EXPECT_EQ(EFAULT, bad_buf.err);
	EXPECT_EQ(before, fd_count());
}

/* The server gets exactly data_size bytes: the rest of its buffer stays. */
static void args_bounded(struct __test_metadata *_metadata, size_t size)
{
	char *data = malloc(2 * size), rbuf[LARGE];
	struct server *s;
	size_t i;
	int door;

	ASSERT_NE(NULL, data);
	pattern_fill(data, 2 * size, size);
	door = echo_ctx(&s);
	ASSERT_LE(0, door);
	ASSERT_EQ(0, call(s->ctx, door, (uintptr_t)data, size,
			  (uintptr_t)rbuf, sizeof(rbuf)));
	EXPECT_EQ(0, memcmp(s->buf, data, size));
	for (i = size; i < s->buf_size; i++)
		if (s->buf[i] != (char)0xaa)
			break;
	EXPECT_EQ(s->buf_size, i) TH_LOG("server buffer written at %zu", i);
}

TEST(small_args_not_read_past_data_size)
{
	args_bounded(_metadata, SMALL);
}

TEST(large_args_not_read_past_data_size)
{
	args_bounded(_metadata, LARGE);
}

/* Results fill rbuf up to their size, not up to rsize or beyond. */
static void results_bounded(struct __test_metadata *_metadata, size_t size)
{
	char data[LARGE], *rbuf = malloc(2 * LARGE);
	struct server *s;
	size_t i;
	int door;

	ASSERT_NE(NULL, rbuf);
	pattern_fill(data, sizeof(data), 7);
	memset(rbuf, 0x55, 2 * LARGE);
	door = echo_ctx(&s);
	ASSERT_LE(0, door);
	ASSERT_EQ(0, call(s->ctx, door, (uintptr_t)data, size,
			  (uintptr_t)rbuf, size));
	EXPECT_EQ(0, memcmp(rbuf, data, size));
	for (i = size; i < 2 * LARGE; i++)
		if (rbuf[i] != 0x55)
			break;
	EXPECT_EQ(2 * LARGE, i) TH_LOG("rbuf written at %zu", i);
}

TEST(small_results_not_written_past_size)
{
	results_bounded(_metadata, SMALL);
}

TEST(large_results_not_written_past_size)
{
	results_bounded(_metadata, LARGE);
}

/* Results that do not fit rbuf go elsewhere: rbuf is not touched at all. */
TEST(overflowing_results_leave_rbuf_untouched)
{
	char data[LARGE], rbuf[SMALL];
	struct door_call_args ca = {
		.data_ptr = (uintptr_t)data, .data_size = LARGE,
		.rbuf = (uintptr_t)rbuf, .rsize = sizeof(rbuf),
	};
	struct server *s;
	size_t i;

	memset(data, 'd', sizeof(data));
	memset(rbuf, 0x55, sizeof(rbuf));
	ca.fd = echo_ctx(&s);
	ASSERT_LE(0, ca.fd);
	ASSERT_EQ(0, ioctl(s->ctx, DOOR_IOC_CALL, &ca));
	EXPECT_NE((uintptr_t)rbuf, ca.rbuf);
	for (i = 0; i < sizeof(rbuf); i++)
		if (rbuf[i] != 0x55)
			break;
	EXPECT_EQ(sizeof(rbuf), i);
	EXPECT_EQ(0, munmap((void *)(uintptr_t)ca.rbuf, ca.rsize));
}

/*
 * The region mapped for results is fresh private anonymous memory,
 * readable and writable, its tail past the results zero.
 */
static int maps_line(uintptr_t addr, char *perms, unsigned long *ino)
{
	unsigned long start, end;
	char line[512];
	int ret = -1;
	FILE *f = fopen("/proc/self/maps", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %4s %*x %*x:%*x %lu", &start, &end,
			   perms, ino) == 4 && start == addr) {
			ret = 0;
			break;
		}
	fclose(f);
	return ret;
}

TEST(results_mapping_private_zero_tail)
{
	size_t page = getpagesize(), i;
	char data[LARGE], perms[8] = "";
	struct door_call_args ca = {
		.data_ptr = (uintptr_t)data, .data_size = LARGE,
	};
	unsigned long ino = 1;
	struct server *s;
	char *r;

	memset(data, 'd', sizeof(data));
	ca.fd = echo_ctx(&s);
	ASSERT_LE(0, ca.fd);
	ASSERT_EQ(0, ioctl(s->ctx, DOOR_IOC_CALL, &ca));
	r = (char *)(uintptr_t)ca.rbuf;
	ASSERT_NE(NULL, r);
	EXPECT_EQ((LARGE + page - 1) / page * page, ca.rsize);
	EXPECT_EQ(0, memcmp(r, data, LARGE));
	for (i = LARGE; i < ca.rsize; i++)
		if (r[i])
			break;
	EXPECT_EQ(ca.rsize, i) TH_LOG("non-zero byte at %zu", i);
	ASSERT_EQ(0, maps_line(ca.rbuf, perms, &ino));
	EXPECT_STREQ("rw-p", perms);
	EXPECT_EQ(0UL, ino);
	EXPECT_EQ(0, munmap(r, ca.rsize));
}

/*
 * Large results are read from the server's memory, whatever the client
 * has at the same address.  The client sends the address; the server
 * maps a page of its own there.
 */
static void proc_from_addr(int ctx, struct door_return_args *ra)
{
	static int err = -1;
	uint64_t addr;
	void *p;

	(void)ctx;
	ra->data_ptr = (uintptr_t)&err;
	ra->data_size = sizeof(err);
	if (ra->inv.data_size != sizeof(addr))
		return;
	memcpy(&addr, (void *)(uintptr_t)ra->inv.data_ptr, sizeof(addr));
	p = mmap((void *)(uintptr_t)addr, getpagesize(),
		 PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != (void *)(uintptr_t)addr)
		return;
	memset(p, 'S', getpagesize());
	ra->data_ptr = addr;
	ra->data_size = getpagesize();
}

TEST(large_results_from_server_memory_only)
{
	size_t page = getpagesize(), i;
	struct door_call_args ca = { .data_size = sizeof(uint64_t) };
	int ctx = ctx_open(), door;
	uint64_t addr;
	pid_t server;
	char *mine, *r;

	ASSERT_LE(0, ctx);
	server = fork_raw_server(0, proc_from_addr, &door, NULL);
	ASSERT_LT(0, server);
	mine = mmap(NULL, page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mine);
	memset(mine, 'C', page);
	addr = (uintptr_t)mine;
	ca.fd = door;
	ca.data_ptr = (uintptr_t)&addr;
	ASSERT_EQ(0, ioctl(ctx, DOOR_IOC_CALL, &ca));
	kill_server(server);
	ASSERT_EQ(page, ca.data_size)
		TH_LOG("the server could not map %p", mine);
	r = (char *)(uintptr_t)ca.data_ptr;
	EXPECT_NE((uintptr_t)mine, ca.data_ptr);
	for (i = 0; i < page; i++)
		if (r[i] != 'S' || mine[i] != 'C')
			break;
	EXPECT_EQ(page, i);
}

DOORS_HARNESS_MAIN
