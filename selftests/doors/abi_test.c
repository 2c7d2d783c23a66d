// SPDX-License-Identifier: GPL-2.0
/*
 * The raw ioctl interface of /dev/doors: every error path of every ioctl,
 * and that failing calls leave nothing behind.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/doors.h>

#include "harness.h"
#include "util.h"

static int create_door(int ctx)
{
	struct door_create_args ca = { .proc = 0x1000, .cookie = 0x2000 };

	return ioctl(ctx, DOOR_IOC_CREATE, &ca);
}

/*
 * A server thread that returns its arguments as results, forever.  Its
 * buffer takes any arguments the tests send, so the kernel maps none.
 */
static void *echo_server(void *arg)
{
	static char buf[65536];
	int ctx = (intptr_t)arg;
	struct door_return_args ra = {
		.buf = (uintptr_t)buf,
		.buf_size = sizeof(buf),
	};

	for (;;) {
		if (ioctl(ctx, DOOR_IOC_RETURN, &ra)) {
			if (errno != EINTR)
				return NULL;
			ra.data_size = 0;
			continue;
		}
		ra.data_ptr = ra.inv.data_ptr;
		ra.data_size = ra.inv.data_size;
	}
}

/* Call with "ping" and expect it back in rbuf. */
static int echo_ok(int ctx, int door)
{
	char rbuf[16] = "";
	struct door_call_args ca = {
		.fd = door,
		.data_ptr = (uintptr_t)"ping",
		.data_size = 5,
		.rbuf = (uintptr_t)rbuf,
		.rsize = sizeof(rbuf),
	};

	if (ioctl(ctx, DOOR_IOC_CALL, &ca))
		return -1;
	return ca.data_ptr == (uintptr_t)rbuf && ca.data_size == 5 &&
	       ca.rbuf == (uintptr_t)rbuf && ca.rsize == sizeof(rbuf) &&
	       !strcmp(rbuf, "ping") ? 0 : -1;
}

TEST(dev_doors_is_0666_char_device)
{
	struct stat st;

	ASSERT_EQ(0, stat("/dev/doors", &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0666U, st.st_mode & 07777);
}

TEST(unknown_ioctl_enotty)
{
	int ctx = ctx_open();

	ASSERT_LE(0, ctx);
	EXPECT_EQ(-1, ioctl(ctx, _IO(DOOR_IOC_MAGIC, 99), NULL));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(ctx, _IOWR('x', 0, struct door_create_args), NULL));
	EXPECT_EQ(ENOTTY, errno);
}

/* The size is part of the command: a CREATE of another size is unknown. */
TEST(ioctl_wrong_size_enotty)
{
	char args[sizeof(struct door_create_args) + 8] = { 0 };
	int ctx = ctx_open();

	ASSERT_LE(0, ctx);
	EXPECT_EQ(-1, ioctl(ctx, _IOWR(DOOR_IOC_MAGIC, 0, args), args));
	EXPECT_EQ(ENOTTY, errno);
}

TEST(create_returns_cloexec_fd)
{
	int ctx = ctx_open(), door;

	ASSERT_LE(0, ctx);
	door = create_door(ctx);
	ASSERT_LE(0, door);
	EXPECT_EQ(FD_CLOEXEC, fcntl(door, F_GETFD));
}

TEST(create_ids_differ)
{
	struct door_create_args a = { 0 }, b = { 0 };
	int ctx = ctx_open();

	ASSERT_LE(0, ctx);
	ASSERT_LE(0, ioctl(ctx, DOOR_IOC_CREATE, &a));
	ASSERT_LE(0, ioctl(ctx, DOOR_IOC_CREATE, &b));
	EXPECT_NE(a.id, b.id);
}

/* Attributes no version of door_create() takes. */
TEST(create_unknown_attribute_einval)
{
	const __u32 creatable = DOOR_UNREF | DOOR_PRIVATE | DOOR_UNREF_MULTI |
		DOOR_REFUSE_DESC | DOOR_NO_CANCEL | DOOR_NO_DEPLETION_CB |
		DOOR_PRIVCREATE;
	struct door_create_args ca = { 0 };
	int ctx = ctx_open(), bit;

	ASSERT_LE(0, ctx);
	for (bit = 0; bit < 32; bit++) {
		ca.attributes = 1U << bit;
		if (ca.attributes & creatable)
			continue;
		EXPECT_EQ(-1, ioctl(ctx, DOOR_IOC_CREATE, &ca))
			TH_LOG("attribute 0x%x accepted", ca.attributes);
		EXPECT_EQ(EINVAL, errno);
	}
}

TEST(create_pad_einval)
{
	struct door_create_args ca = { .pad = 1 };
	int ctx = ctx_open();

	ASSERT_LE(0, ctx);
	EXPECT_EQ(-1, ioctl(ctx, DOOR_IOC_CREATE, &ca));
	EXPECT_EQ(EINVAL, errno);
}

TEST(create_bad_pointer_efault)
{
	int ctx = ctx_open();

	ASSERT_LE(0, ctx);
	EXPECT_EQ(-1, ioctl(ctx, DOOR_IOC_CREATE, bad_ptr()));
	EXPECT_EQ(EFAULT, errno);
}

/* The id cannot be written back: EFAULT, and no descriptor is left. */
TEST(create_readonly_args_efault)
{
	struct door_create_args *ca;
	int ctx = ctx_open(), n;

	ASSERT_LE(0, ctx);
	ca = mmap(NULL, getpagesize(), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		  -1, 0);
	ASSERT_NE(MAP_FAILED, ca);
	n = fd_count();
	EXPECT_EQ(-1, ioctl(ctx, DOOR_IOC_CREATE, ca));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(n, fd_count());
}

TEST(create_fd_table_full_emfile)
{
	struct rlimit rl = { 32, 32 };
	int ctx = ctx_open();

	ASSERT_LE(0, ctx);
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	while (dup(ctx) >= 0)
		;
	ASSERT_EQ(EMFILE, errno);
	EXPECT_EQ(-1, create_door(ctx));
	EXPECT_EQ(EMFILE, errno);
}

/* Run op(ctx) in a fork child; return its exit status (an errno, or 0). */
static int in_child(int (*op)(int ctx), int ctx)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(op(ctx) ? errno : 0);
	return pid < 0 ? -1 : wait_status(pid);
}

static int op_create(int ctx)
{
	return create_door(ctx) < 0 ? -1 : 0;
}

static int op_return(int ctx)
{
	struct door_return_args ra = { 0 };

	return ioctl(ctx, DOOR_IOC_RETURN, &ra);
}

TEST(create_inherited_ctx_eperm)
{
	int ctx = ctx_open();

	ASSERT_LE(0, ctx);
	EXPECT_EQ(EPERM, in_child(op_create, ctx));
}

TEST(return_inherited_ctx_eperm)
{
	int ctx = ctx_open();

	ASSERT_LE(0, ctx);
	EXPECT_EQ(EPERM, in_child(op_return, ctx));
}

/* A context with one door and one echo server thread. */
FIXTURE(door) {
	int ctx;
	int door;
};

FIXTURE_SETUP(door)
{
	pthread_t thread;

	self->ctx = ctx_open();
	ASSERT_LE(0, self->ctx);
	self->door = create_door(self->ctx);
	ASSERT_LE(0, self->door);
	ASSERT_EQ(0, pthread_create(&thread, NULL, echo_server,
				    (void *)(intptr_t)self->ctx));
}

FIXTURE_TEARDOWN(door)
{
}

static int door_of_fixture;

static int op_echo(int ctx)
{
	return echo_ok(ctx, door_of_fixture);
}

TEST_F(door, call_works)
{
	EXPECT_EQ(0, echo_ok(self->ctx, self->door));
}

TEST_F(door, call_inherited_ctx_works)
{
	door_of_fixture = self->door;
	EXPECT_EQ(0, in_child(op_echo, self->ctx));
}

TEST_F(door, call_bad_fd_ebadf)
{
	struct door_call_args ca = { .fd = -1 };
	int fd = dup(self->ctx);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, close(fd));
	EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_CALL, &ca));
	EXPECT_EQ(EBADF, errno);
	ca.fd = fd;
	EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_CALL, &ca));
	EXPECT_EQ(EBADF, errno);
}

TEST_F(door, call_plain_file_ebadf)
{
	char path[] = "/tmp/doors-abi-XXXXXX";
	struct door_call_args ca = { 0 };

	ca.fd = mkstemp(path);
	ASSERT_LE(0, ca.fd);
	unlink(path);
	EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_CALL, &ca));
	EXPECT_EQ(EBADF, errno);
}

TEST_F(door, call_context_fd_ebadf)
{
	struct door_call_args ca = { .fd = self->ctx };

	EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_CALL, &ca));
	EXPECT_EQ(EBADF, errno);
}

TEST_F(door, call_flags_einval)
{
	struct door_call_args ca = { .fd = self->door, .flags = 1U << 31 };

	EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_CALL, &ca));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(door, call_pad_einval)
{
	struct door_call_args ca = { .fd = self->door, .pad = 1 };

	EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_CALL, &ca));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(door, call_bad_pointer_efault)
{
	EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_CALL, bad_ptr()));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(door, call_bad_data_efault)
{
	struct door_call_args ca = {
		.fd = self->door,
		.data_ptr = (uintptr_t)bad_ptr(),
		.data_size = 16,
	};

	EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_CALL, &ca));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, echo_ok(self->ctx, self->door));
}

/* Large arguments take another path in the kernel than small ones. */
TEST_F(door, call_bad_large_data_efault)
{
	size_t len = 1 << 20;
	char *data;
	struct door_call_args ca = { .fd = self->door, .data_size = len };

	data = mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, data);
	ASSERT_EQ(0, munmap(data + len / 2, getpagesize()));
	ca.data_ptr = (uintptr_t)data;
	EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_CALL, &ca));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, echo_ok(self->ctx, self->door));
}

TEST_F(door, call_bad_rbuf_efault)
{
	struct door_call_args ca = {
		.fd = self->door,
		.data_ptr = (uintptr_t)"ping",
		.data_size = 5,
		.rbuf = (uintptr_t)bad_ptr(),
		.rsize = 16,
	};

	EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_CALL, &ca));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, echo_ok(self->ctx, self->door));
}

/* Failing calls leave no descriptor behind. */
TEST_F(door, failures_leak_no_fd)
{
	struct door_create_args bad_create = { .pad = 1 };
	struct door_call_args bad_call = { .fd = self->door, .pad = 1 };
	struct door_call_args bad_rbuf = {
		.fd = self->door,
		.data_ptr = (uintptr_t)"ping",
		.data_size = 5,
		.rbuf = (uintptr_t)bad_ptr(),
		.rsize = 16,
	};
	int n = fd_count(), i;

	ASSERT_LE(0, n);
	for (i = 0; i < 100; i++) {
		EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_CREATE, &bad_create));
		EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_CREATE, bad_ptr()));
		EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_CALL, &bad_call));
		EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_CALL, &bad_rbuf));
	}
	EXPECT_EQ(n, fd_count());
	EXPECT_EQ(0, echo_ok(self->ctx, self->door));
}

/*
 * The results were mapped but the argument structure cannot be written
 * back: EFAULT, and the mapping is gone again.  (The arguments fit the
 * server's buffer: no mapping in the server, which is this process.)
 */
TEST_F(door, call_readonly_args_efault)
{
	size_t len = 8192, page = getpagesize();
	struct door_call_args *ca;
	char *data = malloc(len);
	long mapped;

	ASSERT_NE(NULL, data);
	memset(data, 'd', len);
	ca = mmap(NULL, page, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ca);
	*ca = (struct door_call_args){
		.fd = self->door,
		.data_ptr = (uintptr_t)data,
		.data_size = len,
	};
	ASSERT_EQ(0, mprotect(ca, page, PROT_READ));
	mapped = mapped_bytes();
	ASSERT_LT(0, mapped);
	EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_CALL, ca));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(mapped, mapped_bytes());
}

/*
 * DOOR_IOC_RETURN errors while serving a call.  The server thread first
 * returns with spoiled arguments, then returns {ret, errno} of that
 * attempt as the results of the call: the thread kept the call.
 */
struct spoiled_return {
	int ctx;
	void (*spoil)(struct door_return_args *ra);
	bool raw_pointer;		/* pass bad_ptr() as the argument */
};

static void *spoiling_server(void *arg)
{
	struct spoiled_return *sr = arg;
	struct door_return_args ra = { 0 }, bad;
	int res[2];

	while (ioctl(sr->ctx, DOOR_IOC_RETURN, &ra))
		if (errno != EINTR)
			return NULL;
	bad = ra;
	if (sr->spoil)
		sr->spoil(&bad);
	res[0] = ioctl(sr->ctx, DOOR_IOC_RETURN,
		       sr->raw_pointer ? bad_ptr() : (void *)&bad);
	res[1] = errno;
	ra.data_ptr = (uintptr_t)res;
	ra.data_size = sizeof(res);
	while (ioctl(sr->ctx, DOOR_IOC_RETURN, &ra))
		if (errno != EINTR)
			return NULL;
	return NULL;
}

/* Call a door served by a spoiling_server; get what its bad return gave. */
static void spoiled_return(struct __test_metadata *_metadata,
			   struct spoiled_return *sr, int res[2])
{
	struct door_call_args ca = {
		.rbuf = (uintptr_t)res,
		.rsize = 2 * sizeof(int),
	};
	pthread_t thread;

	sr->ctx = ctx_open();
	ASSERT_LE(0, sr->ctx);
	ca.fd = create_door(sr->ctx);
	ASSERT_LE(0, ca.fd);
	ASSERT_EQ(0, pthread_create(&thread, NULL, spoiling_server, sr));
	ASSERT_EQ(0, ioctl(sr->ctx, DOOR_IOC_CALL, &ca))
		TH_LOG("the call failed: %s", strerror(errno));
	ASSERT_EQ(2 * sizeof(int), ca.data_size);
}

static void spoil_flags(struct door_return_args *ra)
{
	ra->flags = 1U << 31;
}

static void spoil_data(struct door_return_args *ra)
{
	ra->data_ptr = (uintptr_t)bad_ptr();
	ra->data_size = 16;
}

TEST(return_flags_einval)
{
	struct spoiled_return sr = { .spoil = spoil_flags };
	int res[2];

	spoiled_return(_metadata, &sr, res);
	EXPECT_EQ(-1, res[0]);
	EXPECT_EQ(EINVAL, res[1]);
}

TEST(return_bad_pointer_efault)
{
	struct spoiled_return sr = { .raw_pointer = true };
	int res[2];

	spoiled_return(_metadata, &sr, res);
	EXPECT_EQ(-1, res[0]);
	EXPECT_EQ(EFAULT, res[1]);
}

TEST(return_bad_data_efault)
{
	struct spoiled_return sr = { .spoil = spoil_data };
	int res[2];

	spoiled_return(_metadata, &sr, res);
	EXPECT_EQ(-1, res[0]);
	EXPECT_EQ(EFAULT, res[1]);
}

/*
 * Results over 512 bytes are copied by the caller, from the server's
 * memory: a bad results pointer there fails the call with EFAULT, and the
 * server thread goes on serving.
 */
static void *bad_large_results_server(void *arg)
{
	int ctx = (intptr_t)arg;
	char buf[4096];
	struct door_return_args ra = {
		.buf = (uintptr_t)buf,
		.buf_size = sizeof(buf),
	};

	for (;;) {
		if (ioctl(ctx, DOOR_IOC_RETURN, &ra)) {
			if (errno != EINTR)
				return NULL;
			ra.data_size = 0;
			continue;
		}
		if (ra.inv.data_size) {
			ra.data_ptr = ra.inv.data_ptr;
			ra.data_size = ra.inv.data_size;
		} else {
			ra.data_ptr = (uintptr_t)bad_ptr();
			ra.data_size = 1 << 20;
		}
	}
}

TEST(call_bad_large_results_efault)
{
	struct door_call_args ca = { 0 };
	pthread_t thread;
	int ctx = ctx_open();

	ASSERT_LE(0, ctx);
	ca.fd = create_door(ctx);
	ASSERT_LE(0, ca.fd);
	ASSERT_EQ(0, pthread_create(&thread, NULL, bad_large_results_server,
				    (void *)(intptr_t)ctx));
	EXPECT_EQ(-1, ioctl(ctx, DOOR_IOC_CALL, &ca));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, echo_ok(ctx, ca.fd));
}

/*
 * The same when the results fit rbuf, where the server copies them
 * straight into the caller's buffer.
 */
TEST(call_bad_large_results_in_rbuf_efault)
{
	struct door_call_args ca = { 0 };
	size_t len = 1 << 20;
	char *rbuf = malloc(len);
	pthread_t thread;
	int ctx = ctx_open();

	ASSERT_NE(NULL, rbuf);
	ASSERT_LE(0, ctx);
	ca.fd = create_door(ctx);
	ASSERT_LE(0, ca.fd);
	ca.rbuf = (uintptr_t)rbuf;
	ca.rsize = len;
	ASSERT_EQ(0, pthread_create(&thread, NULL, bad_large_results_server,
				    (void *)(intptr_t)ctx));
	EXPECT_EQ(-1, ioctl(ctx, DOOR_IOC_CALL, &ca));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, echo_ok(ctx, ca.fd));
}

/* Large results that fit a read-only rbuf: EFAULT, the server goes on. */
TEST(call_readonly_rbuf_large_results_efault)
{
	struct door_call_args ca = { 0 };
	size_t len = 8192;
	char *data = malloc(len), *rbuf;
	pthread_t thread;
	int ctx = ctx_open();

	ASSERT_NE(NULL, data);
	memset(data, 'r', len);
	ASSERT_LE(0, ctx);
	ca.fd = create_door(ctx);
	ASSERT_LE(0, ca.fd);
	rbuf = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, rbuf);
	ca.data_ptr = (uintptr_t)data;
	ca.data_size = len;
	ca.rbuf = (uintptr_t)rbuf;
	ca.rsize = len;
	ASSERT_EQ(0, pthread_create(&thread, NULL, bad_large_results_server,
				    (void *)(intptr_t)ctx));
	EXPECT_EQ(-1, ioctl(ctx, DOOR_IOC_CALL, &ca));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, echo_ok(ctx, ca.fd));
}

/* A server thread that aborts every call it gets. */
static void *aborting_server(void *arg)
{
	struct door_return_args ra = { .flags = DOOR_RETURN_ABORT };
	int ctx = (intptr_t)arg;

	while (!ioctl(ctx, DOOR_IOC_RETURN, &ra) || errno == EINTR)
		;
	return NULL;
}

TEST(return_abort_eintr)
{
	struct door_call_args ca = { 0 };
	pthread_t thread;
	int ctx = ctx_open();

	ASSERT_LE(0, ctx);
	ca.fd = create_door(ctx);
	ASSERT_LE(0, ca.fd);
	ASSERT_EQ(0, pthread_create(&thread, NULL, aborting_server,
				    (void *)(intptr_t)ctx));
	EXPECT_EQ(-1, ioctl(ctx, DOOR_IOC_CALL, &ca));
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(-1, ioctl(ctx, DOOR_IOC_CALL, &ca));
	EXPECT_EQ(EINTR, errno);
}

/* A door, and a plain file of its own to attach it to. */
FIXTURE(attach) {
	int ctx;
	int door;
	char path[32];
};

FIXTURE_SETUP(attach)
{
	int fd;

	strcpy(self->path, "/tmp/doors-abi-XXXXXX");
	fd = mkstemp(self->path);
	ASSERT_LE(0, fd);
	close(fd);
	self->ctx = ctx_open();
	ASSERT_LE(0, self->ctx);
	self->door = create_door(self->ctx);
	ASSERT_LE(0, self->door);
}

FIXTURE_TEARDOWN(attach)
{
	struct door_attach_args aa = {
		.fd = -1,
		.path = (uintptr_t)self->path,
	};

	/* Attachments outlive the process: never leave one behind. */
	ioctl(self->ctx, DOOR_IOC_FDETACH, &aa);
	unlink(self->path);
}

static int attach(FIXTURE_DATA(attach) *self, int fd, const char *path)
{
	struct door_attach_args aa = { .fd = fd, .path = (uintptr_t)path };

	return ioctl(self->ctx, DOOR_IOC_FATTACH, &aa);
}

static int detach(FIXTURE_DATA(attach) *self, const char *path)
{
	struct door_attach_args aa = { .fd = -1, .path = (uintptr_t)path };

	return ioctl(self->ctx, DOOR_IOC_FDETACH, &aa);
}

TEST_F(attach, fattach_fdetach_work)
{
	EXPECT_EQ(0, attach(self, self->door, self->path));
	EXPECT_EQ(0, detach(self, self->path));
}

static const char *path_of_fixture;

static int op_attach(int ctx)
{
	struct door_attach_args aa = {
		.fd = door_of_fixture,
		.path = (uintptr_t)path_of_fixture,
	};

	return ioctl(ctx, DOOR_IOC_FATTACH, &aa);
}

TEST_F(attach, fattach_inherited_ctx_works)
{
	door_of_fixture = self->door;
	path_of_fixture = self->path;
	EXPECT_EQ(0, in_child(op_attach, self->ctx));
	EXPECT_EQ(0, detach(self, self->path));
}

TEST_F(attach, fattach_flags_einval)
{
	struct door_attach_args aa = {
		.fd = self->door,
		.flags = 1,
		.path = (uintptr_t)self->path,
	};

	EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_FATTACH, &aa));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(attach, fattach_bad_pointer_efault)
{
	EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_FATTACH, bad_ptr()));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(attach, fattach_bad_path_efault)
{
	EXPECT_EQ(-1, attach(self, self->door, bad_ptr()));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(attach, fattach_not_a_door_einval)
{
	int fd = open(self->path, O_RDONLY);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, attach(self, fd, self->path));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, attach(self, self->ctx, self->path));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(attach, fattach_bad_fd_ebadf)
{
	int fd = dup(self->ctx);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, close(fd));
	EXPECT_EQ(-1, attach(self, fd, self->path));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, attach(self, -1, self->path));
	EXPECT_EQ(EBADF, errno);
}

TEST_F(attach, fattach_missing_path_enoent)
{
	char path[64];

	snprintf(path, sizeof(path), "%s.missing", self->path);
	EXPECT_EQ(-1, attach(self, self->door, path));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, attach(self, self->door, ""));
	EXPECT_EQ(ENOENT, errno);
}

TEST_F(attach, fattach_through_file_enotdir)
{
	char path[64];

	snprintf(path, sizeof(path), "%s/x", self->path);
	EXPECT_EQ(-1, attach(self, self->door, path));
	EXPECT_EQ(ENOTDIR, errno);
}

TEST_F(attach, fattach_long_name_enametoolong)
{
	char path[NAME_MAX + 16] = "/tmp/";

	memset(path + 5, 'x', NAME_MAX + 1);
	EXPECT_EQ(-1, attach(self, self->door, path));
	EXPECT_EQ(ENAMETOOLONG, errno);
}

TEST_F(attach, fattach_symlink_loop_eloop)
{
	char a[64], b[64];

	snprintf(a, sizeof(a), "%s.a", self->path);
	snprintf(b, sizeof(b), "%s.b", self->path);
	ASSERT_EQ(0, symlink(b, a));
	ASSERT_EQ(0, symlink(a, b));
	EXPECT_EQ(-1, attach(self, self->door, a));
	EXPECT_EQ(ELOOP, errno);
	unlink(a);
	unlink(b);
}

TEST_F(attach, fdetach_nothing_attached_einval)
{
	EXPECT_EQ(-1, detach(self, self->path));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(attach, fdetach_twice_einval)
{
	ASSERT_EQ(0, attach(self, self->door, self->path));
	ASSERT_EQ(0, detach(self, self->path));
	EXPECT_EQ(-1, detach(self, self->path));
	EXPECT_EQ(EINVAL, errno);
}

/* The attachment stays: the proper fdetach afterwards succeeds. */
TEST_F(attach, fdetach_with_fd_einval)
{
	struct door_attach_args aa = {
		.fd = self->door,
		.path = (uintptr_t)self->path,
	};

	ASSERT_EQ(0, attach(self, self->door, self->path));
	EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_FDETACH, &aa));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, detach(self, self->path));
}

TEST_F(attach, fdetach_flags_einval)
{
	struct door_attach_args aa = {
		.fd = -1,
		.flags = 1,
		.path = (uintptr_t)self->path,
	};

	ASSERT_EQ(0, attach(self, self->door, self->path));
	EXPECT_EQ(-1, ioctl(self->ctx, DOOR_IOC_FDETACH, &aa));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, detach(self, self->path));
}

TEST_F(attach, fdetach_bad_path_efault)
{
	EXPECT_EQ(-1, detach(self, bad_ptr()));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(attach, fdetach_missing_path_enoent)
{
	char path[64];

	snprintf(path, sizeof(path), "%s.missing", self->path);
	EXPECT_EQ(-1, detach(self, path));
	EXPECT_EQ(ENOENT, errno);
}

TEST_F(attach, failures_leak_no_fd)
{
	int n = fd_count(), i;

	ASSERT_LE(0, n);
	for (i = 0; i < 100; i++) {
		EXPECT_EQ(-1, attach(self, self->door, bad_ptr()));
		EXPECT_EQ(-1, attach(self, self->ctx, self->path));
		EXPECT_EQ(-1, detach(self, self->path));
	}
	EXPECT_EQ(n, fd_count());
}

DOORS_HARNESS_MAIN
