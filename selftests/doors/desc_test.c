// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptor passing through door_call() and door_return(): what the
 * receiver gets (a new descriptor sharing the open file, not
 * close-on-exec, described by door_desc_t), where returned descriptors
 * are placed, DOOR_RELEASE on both sides (also when the call fails), the
 * limits (E2BIG, ENOTSUP, ENFILE, EMFILE on either side) and that nothing
 * leaks when a passing fails or its caller has gone.
 *
 * The server process has exactly one server thread, made here, so a call
 * that returns proves the previous door_return() is complete.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <door.h>
#include <linux/doors.h>

#include "harness.h"
#include "util.h"

#define DESC_SIZE	sizeof(door_desc_t)
#define ROUNDUP(n, m)	(((n) + (m) - 1) / (m) * (m))

enum door_kind {
	INSPECT,	/* describe, write to and close the descriptors passed */
	GIVE_PIPES,	/* return data and pipe read ends (struct give_req) */
	GIVE_DOOR,	/* return the ATTR door */
	GIVE_BACK,	/* return the descriptors passed, DOOR_RELEASE */
	FDCOUNT,	/* return the server's number of descriptors */
	FILL,		/* fill the server's descriptor table */
	UNFILL,		/* and empty it again */
	BLOCK_GIVE,	/* wait for release, then return a pipe's two ends */
	RETURN_BAD,	/* door_return() a bad descriptor array, report */
	REFUSE,		/* DOOR_REFUSE_DESC */
	DESC_MAX_1,	/* DOOR_PARAM_DESC_MAX 1 */
	DATA_MIN_8,	/* DOOR_PARAM_DATA_MIN 8 */
	ATTR,		/* DOOR_PRIVATE | DOOR_UNREF | DOOR_NO_CANCEL */
	NDOORS
};

static const enum door_kind kinds[NDOORS] = {
	INSPECT, GIVE_PIPES, GIVE_DOOR, GIVE_BACK, FDCOUNT, FILL, UNFILL,
	BLOCK_GIVE, RETURN_BAD, REFUSE, DESC_MAX_1, DATA_MIN_8, ATTR
};

#define ATTR_ATTRIBUTES	(DOOR_PRIVATE | DOOR_UNREF | DOOR_NO_CANCEL)

/* INSPECT: how the server saw each descriptor. */
#define INSPECT_MAX	4

struct seen {
	uint32_t attributes;
	int32_t fd;
	uint64_t id;
	int32_t cloexec;	/* FD_CLOEXEC set */
	int32_t wrote;		/* INSPECT_MSG written to it */
	uint64_t info_id;	/* door_info() of it, for doors */
	uint32_t info_attributes;
	uint32_t pad;
};

struct inspect_reply {
	uint32_t n;
	uint32_t pad;
	struct seen d[INSPECT_MAX];
};

#define INSPECT_MSG	"hello"

/* GIVE_PIPES: data_size bytes of pattern(GIVE_SEED), npipes read ends. */
#define GIVE_SEED	0x9e3779b9
#define GIVE_DATA_MAX	4096
#define GIVE_PIPES_MAX	4
#define GIVE_MSG	"from server"

struct give_req {
	uint32_t data_size;
	uint32_t npipes;
	uint32_t release;	/* with DOOR_RELEASE */
};

/* RETURN_BAD: the descriptor array door_return() gets. */
enum bad_return { BAD_FD, NO_DESCRIPTOR_FLAG, TOO_MANY };

struct bad_reply {
	int32_t ret;
	int32_t err;
	int32_t released;	/* the DOOR_RELEASE descriptor was closed */
};

/* Server side. */
static int inside[2], release[2];	/* BLOCK_GIVE: "I'm in", "go on" */
static int server_fds[NDOORS];
static int fillers[1024], nfillers;
static struct rlimit saved_nofile;

static void inspect(door_desc_t *dp, uint_t n_desc)
{
	struct inspect_reply r = { .n = n_desc };
	door_info_t di;
	struct stat st;
	uint_t i;

	for (i = 0; i < n_desc; i++) {
		struct seen *s = &r.d[i];
		int fd = dp[i].d_data.d_desc.d_descriptor;

		if (i >= INSPECT_MAX) {
			close(fd);
			continue;
		}
		s->attributes = dp[i].d_attributes;
		s->fd = fd;
		s->id = dp[i].d_data.d_desc.d_id;
		s->cloexec = !!(fcntl(fd, F_GETFD) & FD_CLOEXEC);
		if (!fstat(fd, &st) && S_ISFIFO(st.st_mode))
			s->wrote = write(fd, INSPECT_MSG, sizeof(INSPECT_MSG)) ==
				   sizeof(INSPECT_MSG);
		if (!door_info(fd, &di)) {
			s->info_id = di.di_uniquifier;
			s->info_attributes = di.di_attributes;
		}
		close(fd);
	}
	door_return((char *)&r, sizeof(r), NULL, 0);
}

static void give_pipes(const char *argp, size_t arg_size)
{
	static char data[GIVE_DATA_MAX];
	door_desc_t d[GIVE_PIPES_MAX];
	struct give_req req;
	uint32_t i;
	int p[2];

	if (arg_size != sizeof(req))
		return;
	memcpy(&req, argp, sizeof(req));
	if (req.data_size > sizeof(data) || req.npipes > GIVE_PIPES_MAX)
		return;
	pattern_fill(data, req.data_size, GIVE_SEED);
	for (i = 0; i < req.npipes; i++) {
		if (pipe(p))
			return;
		if (write(p[1], GIVE_MSG, sizeof(GIVE_MSG)) < 0)
			return;
		close(p[1]);
		d[i].d_attributes = DOOR_DESCRIPTOR |
				    (req.release ? DOOR_RELEASE : 0);
		d[i].d_data.d_desc.d_descriptor = p[0];
	}
	door_return(data, req.data_size, d, req.npipes);
}

static void give_door(void)
{
	door_desc_t d = {
		.d_attributes = DOOR_DESCRIPTOR,
		.d_data.d_desc.d_descriptor = server_fds[ATTR],
	};

	door_return(NULL, 0, &d, 1);
}

static void give_back(door_desc_t *dp, uint_t n_desc)
{
	uint_t i;

	for (i = 0; i < n_desc; i++)
		dp[i].d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
	door_return(NULL, 0, dp, n_desc);
}

/* Leave no free descriptor slot; return how many it took. */
static void fill(void)
{
	struct rlimit rl;
	int fd;

	getrlimit(RLIMIT_NOFILE, &saved_nofile);
	rl = saved_nofile;
	rl.rlim_cur = 64;
	setrlimit(RLIMIT_NOFILE, &rl);
	while (nfillers < 1024 && (fd = dup(0)) >= 0)
		fillers[nfillers++] = fd;
	door_return((char *)&nfillers, sizeof(nfillers), NULL, 0);
}

static void unfill(void)
{
	while (nfillers)
		close(fillers[--nfillers]);
	setrlimit(RLIMIT_NOFILE, &saved_nofile);
	door_return(NULL, 0, NULL, 0);
}

static void block_give(void)
{
	door_desc_t d[2];
	int p[2];

	notify(inside[1]);
	await(release[0]);
	if (pipe(p))
		return;
	d[0].d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
	d[0].d_data.d_desc.d_descriptor = p[0];
	d[1].d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
	d[1].d_data.d_desc.d_descriptor = p[1];
	door_return(NULL, 0, d, 2);
}

static void return_bad(const char *argp, size_t arg_size)
{
	static door_desc_t d[1025];
	struct bad_reply r;
	uint_t i, n = 2;
	int32_t how;
	int p[2];

	if (arg_size != sizeof(how) || pipe(p))
		return;
	memcpy(&how, argp, sizeof(how));
	d[0].d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
	d[0].d_data.d_desc.d_descriptor = p[1];
	d[1].d_attributes = DOOR_DESCRIPTOR;
	d[1].d_data.d_desc.d_descriptor = p[0];
	switch (how) {
	case BAD_FD:
		d[1].d_data.d_desc.d_descriptor = -1;
		break;
	case NO_DESCRIPTOR_FLAG:
		d[1].d_attributes = 0;
		break;
	case TOO_MANY:
		n = 1025;
		for (i = 1; i < n; i++)
			d[i] = d[1];
		break;
	}
	r.ret = door_return(NULL, 0, d, n);
	r.err = errno;
	r.released = fcntl(p[1], F_GETFD) < 0 && errno == EBADF;
	close(p[0]);
	close(p[1]);
	door_return((char *)&r, sizeof(r), NULL, 0);
}

static void serve(void *cookie, char *argp, size_t arg_size,
		  door_desc_t *dp, uint_t n_desc)
{
	const enum door_kind *kind = cookie;
	int n;

	switch (*kind) {
	case INSPECT:
	case REFUSE:
	case DESC_MAX_1:
	case DATA_MIN_8:
		inspect(dp, n_desc);
		break;
	case GIVE_PIPES:
		give_pipes(argp, arg_size);
		break;
	case GIVE_DOOR:
		give_door();
		break;
	case GIVE_BACK:
		give_back(dp, n_desc);
		break;
	case FDCOUNT:
		n = fd_count();
		door_return((char *)&n, sizeof(n), NULL, 0);
		break;
	case FILL:
		fill();
		break;
	case UNFILL:
		unfill();
		break;
	case BLOCK_GIVE:
		block_give();
		break;
	case RETURN_BAD:
		return_bad(argp, arg_size);
		break;
	default:
		break;
	}
}

/*
 * The only server thread.  Cancellation disabled, as libdoor's own: a
 * client giving up must not take it away.
 */
static void *server_thread(void *arg)
{
	(void)arg;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	door_return(NULL, 0, NULL, 0);
	return NULL;
}

static int make_doors(int *fds)
{
	static const uint_t attrs[NDOORS] = {
		[REFUSE] = DOOR_REFUSE_DESC,
		[ATTR] = ATTR_ATTRIBUTES,
	};
	pthread_t thread;
	int i;

	door_server_create(NULL);
	for (i = 0; i < NDOORS; i++) {
		fds[i] = door_create(serve, (void *)&kinds[i], attrs[i]);
		if (fds[i] < 0)
			return -1;
	}
	memcpy(server_fds, fds, sizeof(server_fds));
	if (door_setparam(fds[DESC_MAX_1], DOOR_PARAM_DESC_MAX, 1) ||
	    door_setparam(fds[DATA_MIN_8], DOOR_PARAM_DATA_MIN, 8))
		return -1;
	return pthread_create(&thread, NULL, server_thread, NULL) ? -1 : 0;
}

/* Client side. */
static void nothing(int sig)
{
	(void)sig;
}

FIXTURE(server) {
	pid_t server;
	int fd[NDOORS];
	int p[2];		/* a pipe to pass around */
};

FIXTURE_SETUP(server)
{
	struct sigaction sa = { .sa_handler = nothing };

	ASSERT_EQ(0, pipe2(inside, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(release, O_CLOEXEC));
	self->server = fork_server(make_doors, self->fd, NDOORS);
	ASSERT_LT(0, self->server);
	close(inside[1]);
	close(release[0]);
	ASSERT_EQ(0, pipe2(self->p, O_CLOEXEC));
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
}

FIXTURE_TEARDOWN(server)
{
	kill_server(self->server);
}

static door_desc_t desc(int fd, door_attr_t attributes)
{
	door_desc_t d;

	memset(&d, 0, sizeof(d));
	d.d_attributes = attributes;
	d.d_data.d_desc.d_descriptor = fd;
	return d;
}

/* Pass n descriptors to door d; the reply in *r. */
static int pass(int d, door_desc_t *dp, uint_t n, struct inspect_reply *r)
{
	door_arg_t arg = {
		.desc_ptr = dp,
		.desc_num = n,
		.rbuf = (char *)r,
		.rsize = sizeof(*r),
	};

	memset(r, 0, sizeof(*r));
	if (door_call(d, &arg))
		return -1;
	return arg.data_size == sizeof(*r) && arg.desc_num == 0 ? 0 : -2;
}

static int server_fd_count(struct __test_metadata *_metadata, int d)
{
	int n = -1;
	door_arg_t arg = { .rbuf = (char *)&n, .rsize = sizeof(n) };

	EXPECT_EQ(0, door_call(d, &arg));
	EXPECT_EQ(sizeof(n), arg.data_size);
	return n;
}

static bool is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/* Read what is left in a pipe: the message, then end of file. */
static void expect_msg_then_eof(struct __test_metadata *_metadata, int fd,
				const char *msg, size_t len)
{
	char buf[64] = "";

	ASSERT_EQ((ssize_t)len, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, msg, len));
	EXPECT_EQ(0, read(fd, buf, sizeof(buf)));
}

TEST_F(server, pipe_to_server_shares_open_file)
{
	door_desc_t d = desc(self->p[1], DOOR_DESCRIPTOR);
	struct inspect_reply r;
	char buf[16];

	ASSERT_EQ(0, pass(self->fd[INSPECT], &d, 1, &r));
	ASSERT_EQ(1U, r.n);
	EXPECT_EQ(1, r.d[0].wrote);
	ASSERT_EQ(sizeof(INSPECT_MSG), read(self->p[0], buf, sizeof(buf)));
	EXPECT_STREQ(INSPECT_MSG, buf);
	/* Ours is still open: no end of file. */
	EXPECT_TRUE(is_open(self->p[1]));
}

TEST_F(server, plain_file_attributes_descriptor_only)
{
	door_desc_t d = desc(self->p[1], DOOR_DESCRIPTOR);
	struct inspect_reply r;

	ASSERT_EQ(0, pass(self->fd[INSPECT], &d, 1, &r));
	ASSERT_EQ(1U, r.n);
	EXPECT_EQ(DOOR_DESCRIPTOR, r.d[0].attributes);
	EXPECT_LE(0, r.d[0].fd);
	EXPECT_EQ(0U, r.d[0].id);
}

TEST_F(server, received_by_server_not_cloexec)
{
	door_desc_t d = desc(self->p[1], DOOR_DESCRIPTOR);
	struct inspect_reply r;

	ASSERT_EQ(0, pass(self->fd[INSPECT], &d, 1, &r));
	ASSERT_EQ(1U, r.n);
	EXPECT_EQ(0, r.d[0].cloexec);
}

/* DOOR_RELEASE: our descriptor is closed, the server's copy only is left. */
TEST_F(server, client_release_closes_descriptor)
{
	door_desc_t d = desc(self->p[1], DOOR_DESCRIPTOR | DOOR_RELEASE);
	struct inspect_reply r;

	ASSERT_EQ(0, pass(self->fd[INSPECT], &d, 1, &r));
	ASSERT_EQ(1U, r.n);
	EXPECT_FALSE(is_open(self->p[1]));
	/* The server wrote to its copy and closed it: no writer is left. */
	expect_msg_then_eof(_metadata, self->p[0], INSPECT_MSG,
			    sizeof(INSPECT_MSG));
}

TEST_F(server, several_descriptors_in_order)
{
	int q[2];
	door_desc_t d[3];
	struct inspect_reply r;

	ASSERT_EQ(0, pipe2(q, O_CLOEXEC));
	d[0] = desc(self->p[1], DOOR_DESCRIPTOR | DOOR_RELEASE);
	d[1] = desc(q[0], DOOR_DESCRIPTOR);
	d[2] = desc(q[1], DOOR_DESCRIPTOR | DOOR_RELEASE);
	ASSERT_EQ(0, pass(self->fd[INSPECT], d, 3, &r));
	ASSERT_EQ(3U, r.n);
	EXPECT_EQ(1, r.d[0].wrote);
	EXPECT_EQ(0, r.d[1].wrote);	/* a read end */
	EXPECT_EQ(1, r.d[2].wrote);
	EXPECT_NE(r.d[0].fd, r.d[1].fd);
	EXPECT_NE(r.d[1].fd, r.d[2].fd);
	EXPECT_FALSE(is_open(self->p[1]));
	EXPECT_TRUE(is_open(q[0]));
	EXPECT_FALSE(is_open(q[1]));
	expect_msg_then_eof(_metadata, self->p[0], INSPECT_MSG,
			    sizeof(INSPECT_MSG));
	expect_msg_then_eof(_metadata, q[0], INSPECT_MSG,
			    sizeof(INSPECT_MSG));
}

/* GIVE_PIPES with these parameters; results offered rbuf/rsize. */
static int give(int d, uint32_t data_size, uint32_t npipes, uint32_t rel,
		char *rbuf, size_t rsize, door_arg_t *arg)
{
	struct give_req req = { data_size, npipes, rel };

	*arg = (door_arg_t){
		.data_ptr = (char *)&req,
		.data_size = sizeof(req),
		.rbuf = rbuf,
		.rsize = rsize,
	};
	return door_call(d, arg);
}

/* Check n received pipe read ends and close them. */
static void check_given(struct __test_metadata *_metadata,
			const door_arg_t *arg, uint32_t npipes)
{
	uint32_t i;

	ASSERT_EQ(npipes, arg->desc_num);
	for (i = 0; i < npipes; i++) {
		const door_desc_t *d = &arg->desc_ptr[i];
		int fd = d->d_data.d_desc.d_descriptor;

		EXPECT_EQ(DOOR_DESCRIPTOR, d->d_attributes);
		EXPECT_EQ(0U, d->d_data.d_desc.d_id);
		ASSERT_LE(0, fd);
		EXPECT_EQ(0, fcntl(fd, F_GETFD));
		expect_msg_then_eof(_metadata, fd, GIVE_MSG, sizeof(GIVE_MSG));
		close(fd);
	}
}

TEST_F(server, pipe_from_server_shares_open_file)
{
	char rbuf[256];
	door_arg_t arg;

	ASSERT_EQ(0, give(self->fd[GIVE_PIPES], 0, 1, 1, rbuf, sizeof(rbuf),
			  &arg));
	EXPECT_EQ(0U, arg.data_size);
	check_given(_metadata, &arg, 1);
}

/* And it is not close-on-exec (checked by check_given() too). */
TEST_F(server, received_by_client_not_cloexec)
{
	char rbuf[256];
	door_arg_t arg;
	int fd;

	ASSERT_EQ(0, give(self->fd[GIVE_PIPES], 0, 1, 1, rbuf, sizeof(rbuf),
			  &arg));
	ASSERT_EQ(1U, arg.desc_num);
	fd = arg.desc_ptr[0].d_data.d_desc.d_descriptor;
	EXPECT_EQ(0, fcntl(fd, F_GETFD) & FD_CLOEXEC);
}

TEST_F(server, server_release_closes_descriptor)
{
	int before = server_fd_count(_metadata, self->fd[FDCOUNT]);
	char rbuf[256];
	door_arg_t arg;

	ASSERT_EQ(0, give(self->fd[GIVE_PIPES], 0, 2, 1, rbuf, sizeof(rbuf),
			  &arg));
	check_given(_metadata, &arg, 2);
	EXPECT_EQ(before, server_fd_count(_metadata, self->fd[FDCOUNT]));
}

TEST_F(server, server_without_release_keeps_descriptor)
{
	int before = server_fd_count(_metadata, self->fd[FDCOUNT]);
	char rbuf[256];
	door_arg_t arg;

	ASSERT_EQ(0, give(self->fd[GIVE_PIPES], 0, 2, 0, rbuf, sizeof(rbuf),
			  &arg));
	ASSERT_EQ(2U, arg.desc_num);
	close(arg.desc_ptr[0].d_data.d_desc.d_descriptor);
	close(arg.desc_ptr[1].d_data.d_desc.d_descriptor);
	EXPECT_EQ(before + 2, server_fd_count(_metadata, self->fd[FDCOUNT]));
}

/*
 * Where returned descriptors land: after the data, at
 * rbuf + roundup(data_size, sizeof(door_desc_t)), in rbuf when data and
 * descriptors fit rsize, else in a fresh mapping.
 */
FIXTURE(placement) {
	pid_t server;
	int fd[NDOORS];
};

FIXTURE_VARIANT(placement) {
	uint32_t data_size;
};

FIXTURE_VARIANT_ADD(placement, data_0) { .data_size = 0 };
FIXTURE_VARIANT_ADD(placement, data_1) { .data_size = 1 };
FIXTURE_VARIANT_ADD(placement, data_23) { .data_size = 23 };
FIXTURE_VARIANT_ADD(placement, data_24) { .data_size = 24 };
FIXTURE_VARIANT_ADD(placement, data_25) { .data_size = 25 };
FIXTURE_VARIANT_ADD(placement, data_1000) { .data_size = 1000 };
FIXTURE_VARIANT_ADD(placement, data_4096) { .data_size = 4096 };

FIXTURE_SETUP(placement)
{
	self->server = fork_server(make_doors, self->fd, NDOORS);
	ASSERT_LT(0, self->server);
}

FIXTURE_TEARDOWN(placement)
{
	kill_server(self->server);
}

static size_t total_size(uint32_t data_size, uint32_t npipes)
{
	return ROUNDUP(data_size, DESC_SIZE) + npipes * DESC_SIZE;
}

static void check_placement(struct __test_metadata *_metadata,
			    const door_arg_t *arg, uint32_t data_size,
			    uint32_t npipes)
{
	ASSERT_EQ(data_size, arg->data_size);
	EXPECT_EQ(arg->rbuf, arg->data_ptr);
	EXPECT_EQ(arg->rbuf + ROUNDUP(data_size, DESC_SIZE),
		  (char *)arg->desc_ptr);
	EXPECT_EQ(data_size, pattern_check(arg->data_ptr, data_size,
					   GIVE_SEED));
	check_given(_metadata, arg, npipes);
}

TEST_F(placement, in_rbuf_exactly)
{
	size_t total = total_size(variant->data_size, 2);
	char *rbuf = malloc(total);
	door_arg_t arg;

	ASSERT_NE(NULL, rbuf);
	ASSERT_EQ(0, give(self->fd[GIVE_PIPES], variant->data_size, 2, 1,
			  rbuf, total, &arg));
	EXPECT_EQ(rbuf, arg.rbuf);
	EXPECT_EQ(total, arg.rsize);
	check_placement(_metadata, &arg, variant->data_size, 2);
	free(rbuf);
}

/* One byte short of room for the last descriptor: a mapping. */
TEST_F(placement, overflow_by_one_byte_maps)
{
	size_t total = total_size(variant->data_size, 2);
	char *rbuf = malloc(total), *old = malloc(total);
	size_t page = getpagesize();
	door_arg_t arg;

	ASSERT_NE(NULL, rbuf);
	ASSERT_NE(NULL, old);
	memset(rbuf, 0x5a, total);
	memcpy(old, rbuf, total);
	ASSERT_EQ(0, give(self->fd[GIVE_PIPES], variant->data_size, 2, 1,
			  rbuf, total - 1, &arg));
	EXPECT_NE(rbuf, arg.rbuf);
	EXPECT_EQ(0U, (uintptr_t)arg.rbuf % page);
	EXPECT_EQ(ROUNDUP(total, page), arg.rsize);
	check_placement(_metadata, &arg, variant->data_size, 2);
	EXPECT_EQ(0, munmap(arg.rbuf, arg.rsize));
	EXPECT_EQ(0, memcmp(old, rbuf, total));
	free(rbuf);
	free(old);
}

TEST_F(placement, no_rbuf_maps)
{
	size_t page = getpagesize();
	door_arg_t arg;

	ASSERT_EQ(0, give(self->fd[GIVE_PIPES], variant->data_size, 1, 1,
			  NULL, 0, &arg));
	EXPECT_NE(NULL, arg.rbuf);
	EXPECT_EQ(ROUNDUP(total_size(variant->data_size, 1), page),
		  arg.rsize);
	check_placement(_metadata, &arg, variant->data_size, 1);
	EXPECT_EQ(0, munmap(arg.rbuf, arg.rsize));
}

/* Doors passed as descriptors. */
static void null_proc(void *cookie, char *argp, size_t arg_size,
		      door_desc_t *dp, uint_t n_desc)
{
	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	door_return(NULL, 0, NULL, 0);
}

static door_id_t door_id(int d)
{
	door_info_t di;

	return door_info(d, &di) ? 0 : di.di_uniquifier;
}

/* The server's ATTR door, received by the client: not local. */
TEST_F(server, server_door_in_client_not_local)
{
	char rbuf[64];
	door_arg_t arg = { .rbuf = rbuf, .rsize = sizeof(rbuf) };
	door_desc_t *d;
	int fd;

	ASSERT_EQ(0, door_call(self->fd[GIVE_DOOR], &arg));
	ASSERT_EQ(1U, arg.desc_num);
	d = arg.desc_ptr;
	fd = d->d_data.d_desc.d_descriptor;
	EXPECT_EQ(DOOR_DESCRIPTOR | ATTR_ATTRIBUTES, d->d_attributes);
	EXPECT_EQ(door_id(self->fd[ATTR]), d->d_data.d_desc.d_id);
	EXPECT_EQ(door_id(fd), d->d_data.d_desc.d_id);
	EXPECT_EQ(0, fcntl(fd, F_GETFD));
	close(fd);
}

/* The server's door, passed back to it: local there. */
TEST_F(server, server_door_in_server_local)
{
	door_desc_t d = desc(self->fd[ATTR], DOOR_DESCRIPTOR);
	struct inspect_reply r;

	ASSERT_EQ(0, pass(self->fd[INSPECT], &d, 1, &r));
	ASSERT_EQ(1U, r.n);
	EXPECT_EQ(DOOR_DESCRIPTOR | DOOR_LOCAL | ATTR_ATTRIBUTES,
		  r.d[0].attributes);
	EXPECT_EQ(door_id(self->fd[ATTR]), r.d[0].id);
	EXPECT_EQ(r.d[0].id, r.d[0].info_id);
	EXPECT_EQ(DOOR_LOCAL | ATTR_ATTRIBUTES,
		  r.d[0].info_attributes & ~DOOR_IS_UNREF);
}

/* A door of ours, passed to the server: not local there. */
TEST_F(server, client_door_in_server_not_local)
{
	int c = door_create(null_proc, NULL, DOOR_UNREF | DOOR_REFUSE_DESC);
	door_desc_t d = desc(c, DOOR_DESCRIPTOR);
	struct inspect_reply r;

	ASSERT_LE(0, c);
	ASSERT_EQ(0, pass(self->fd[INSPECT], &d, 1, &r));
	ASSERT_EQ(1U, r.n);
	EXPECT_EQ(DOOR_DESCRIPTOR | DOOR_UNREF | DOOR_REFUSE_DESC,
		  r.d[0].attributes);
	EXPECT_EQ(door_id(c), r.d[0].id);
	EXPECT_EQ(r.d[0].id, r.d[0].info_id);
	EXPECT_EQ(0U, r.d[0].info_attributes & DOOR_LOCAL);
}

/* A door of ours, passed back to us: local, a new descriptor. */
TEST_F(server, client_door_back_in_client_local)
{
	int c = door_create(null_proc, NULL, DOOR_PRIVATE | DOOR_NO_CANCEL);
	door_desc_t d = desc(c, DOOR_DESCRIPTOR);
	char rbuf[64];
	door_arg_t arg = {
		.desc_ptr = &d,
		.desc_num = 1,
		.rbuf = rbuf,
		.rsize = sizeof(rbuf),
	};
	int fd;

	ASSERT_LE(0, c);
	ASSERT_EQ(0, door_call(self->fd[GIVE_BACK], &arg));
	ASSERT_EQ(1U, arg.desc_num);
	fd = arg.desc_ptr[0].d_data.d_desc.d_descriptor;
	EXPECT_NE(c, fd);
	EXPECT_EQ(DOOR_DESCRIPTOR | DOOR_LOCAL | DOOR_PRIVATE |
		  DOOR_NO_CANCEL, arg.desc_ptr[0].d_attributes);
	EXPECT_EQ(door_id(c), arg.desc_ptr[0].d_data.d_desc.d_id);
	EXPECT_EQ(door_id(c), door_id(fd));
	EXPECT_TRUE(is_open(c));
}

/* Errors of door_call(). */
TEST_F(server, entry_without_descriptor_flag_einval)
{
	door_desc_t d = desc(self->p[1], 0);
	struct inspect_reply r;

	EXPECT_EQ(-1, pass(self->fd[INSPECT], &d, 1, &r));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(server, entry_release_only_einval)
{
	door_desc_t d = desc(self->p[1], DOOR_RELEASE);
	struct inspect_reply r;

	EXPECT_EQ(-1, pass(self->fd[INSPECT], &d, 1, &r));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(server, negative_fd_einval)
{
	door_desc_t d = desc(-1, DOOR_DESCRIPTOR);
	struct inspect_reply r;

	EXPECT_EQ(-1, pass(self->fd[INSPECT], &d, 1, &r));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(server, closed_fd_einval)
{
	door_desc_t d = desc(self->p[1], DOOR_DESCRIPTOR);
	struct inspect_reply r;

	/* libdoor's context is open: it cannot take the number. */
	ASSERT_LT(0, server_fd_count(_metadata, self->fd[FDCOUNT]));
	ASSERT_EQ(0, close(self->p[1]));
	EXPECT_EQ(-1, pass(self->fd[INSPECT], &d, 1, &r));
	EXPECT_EQ(EINVAL, errno);
}

/* DOOR_RELEASE descriptors go even when another entry is bad. */
TEST_F(server, bad_entry_still_releases)
{
	int q[2];
	door_desc_t d[3];
	struct inspect_reply r;

	ASSERT_EQ(0, pipe2(q, O_CLOEXEC));
	d[0] = desc(self->p[1], DOOR_DESCRIPTOR | DOOR_RELEASE);
	d[1] = desc(-1, DOOR_DESCRIPTOR);
	d[2] = desc(q[1], DOOR_DESCRIPTOR | DOOR_RELEASE);
	EXPECT_EQ(-1, pass(self->fd[INSPECT], d, 3, &r));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_FALSE(is_open(self->p[1]));
	EXPECT_FALSE(is_open(q[1]));
	/* And nothing of them went anywhere. */
	EXPECT_EQ(0, read(self->p[0], &r, 1));
	EXPECT_EQ(0, read(q[0], &r, 1));
}

static door_desc_t many[1025];

static void fill_many(int fd, uint_t n)
{
	uint_t i;

	for (i = 0; i < n; i++)
		many[i] = desc(fd, DOOR_DESCRIPTOR);
}

TEST_F(server, more_than_1024_e2big)
{
	struct inspect_reply r;

	fill_many(self->p[1], 1025);
	EXPECT_EQ(-1, pass(self->fd[INSPECT], many, 1025, &r));
	EXPECT_EQ(E2BIG, errno);
}

/* 1024 is allowed: the door refusing them says so instead. */
TEST_F(server, limit_is_1024)
{
	struct inspect_reply r;

	fill_many(self->p[1], 1024);
	EXPECT_EQ(-1, pass(self->fd[REFUSE], many, 1024, &r));
	EXPECT_EQ(ENOTSUP, errno);
	fill_many(self->p[1], 1025);
	EXPECT_EQ(-1, pass(self->fd[REFUSE], many, 1025, &r));
	EXPECT_EQ(E2BIG, errno);
}

TEST_F(server, refuse_desc_enotsup)
{
	door_desc_t d = desc(self->p[1], DOOR_DESCRIPTOR);
	struct inspect_reply r;

	EXPECT_EQ(-1, pass(self->fd[REFUSE], &d, 1, &r));
	EXPECT_EQ(ENOTSUP, errno);
	EXPECT_TRUE(is_open(self->p[1]));
	/* Calls without descriptors are fine. */
	EXPECT_EQ(0, pass(self->fd[REFUSE], NULL, 0, &r));
	EXPECT_EQ(0U, r.n);
}

TEST_F(server, refuse_desc_still_releases)
{
	door_desc_t d = desc(self->p[1], DOOR_DESCRIPTOR | DOOR_RELEASE);
	struct inspect_reply r;

	EXPECT_EQ(-1, pass(self->fd[REFUSE], &d, 1, &r));
	EXPECT_EQ(ENOTSUP, errno);
	EXPECT_FALSE(is_open(self->p[1]));
}

TEST_F(server, desc_max_enfile)
{
	door_desc_t d[2] = {
		desc(self->p[0], DOOR_DESCRIPTOR),
		desc(self->p[1], DOOR_DESCRIPTOR),
	};
	struct inspect_reply r;

	EXPECT_EQ(-1, pass(self->fd[DESC_MAX_1], d, 2, &r));
	EXPECT_EQ(ENFILE, errno);
	/* Up to the limit is fine. */
	EXPECT_EQ(0, pass(self->fd[DESC_MAX_1], &d[1], 1, &r));
	EXPECT_EQ(1U, r.n);
}

TEST_F(server, desc_max_still_releases)
{
	door_desc_t d[2] = {
		desc(self->p[0], DOOR_DESCRIPTOR),
		desc(self->p[1], DOOR_DESCRIPTOR | DOOR_RELEASE),
	};
	struct inspect_reply r;

	EXPECT_EQ(-1, pass(self->fd[DESC_MAX_1], d, 2, &r));
	EXPECT_EQ(ENFILE, errno);
	EXPECT_TRUE(is_open(self->p[0]));
	EXPECT_FALSE(is_open(self->p[1]));
}

TEST_F(server, data_min_enobufs_still_releases)
{
	door_desc_t d = desc(self->p[1], DOOR_DESCRIPTOR | DOOR_RELEASE);
	struct inspect_reply r;

	EXPECT_EQ(-1, pass(self->fd[DATA_MIN_8], &d, 1, &r));
	EXPECT_EQ(ENOBUFS, errno);
	EXPECT_FALSE(is_open(self->p[1]));
}

/* illumos: not closed when the call fails with EBADF or EFAULT. */
TEST_F(server, ebadf_keeps_release_descriptor)
{
	door_desc_t d = desc(self->p[1], DOOR_DESCRIPTOR | DOOR_RELEASE);
	struct inspect_reply r;
	int closed;

	ASSERT_LT(0, server_fd_count(_metadata, self->fd[FDCOUNT]));
	closed = dup(0);
	ASSERT_LE(0, closed);
	close(closed);
	EXPECT_EQ(-1, pass(closed, &d, 1, &r));
	EXPECT_EQ(EBADF, errno);
	EXPECT_TRUE(is_open(self->p[1]));
}

TEST_F(server, bad_desc_ptr_efault)
{
	struct inspect_reply r;

	EXPECT_EQ(-1, pass(self->fd[INSPECT], bad_ptr(), 1, &r));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(server, efault_data_keeps_release_descriptor)
{
	door_desc_t d = desc(self->p[1], DOOR_DESCRIPTOR | DOOR_RELEASE);
	struct inspect_reply r;
	door_arg_t arg = {
		.data_ptr = bad_ptr(),
		.data_size = 16,
		.desc_ptr = &d,
		.desc_num = 1,
		.rbuf = (char *)&r,
		.rsize = sizeof(r),
	};

	EXPECT_EQ(-1, door_call(self->fd[INSPECT], &arg));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_TRUE(is_open(self->p[1]));
}

/* Too big to travel inline: the server copies them, and fails. */
TEST_F(server, efault_large_data_keeps_release_descriptor)
{
	door_desc_t d = desc(self->p[1], DOOR_DESCRIPTOR | DOOR_RELEASE);
	struct inspect_reply r;
	door_arg_t arg = {
		.data_ptr = bad_ptr(),
		.data_size = getpagesize(),
		.desc_ptr = &d,
		.desc_num = 1,
		.rbuf = (char *)&r,
		.rsize = sizeof(r),
	};

	EXPECT_EQ(-1, door_call(self->fd[INSPECT], &arg));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_TRUE(is_open(self->p[1]));
}

/* door_return() errors: the server thread keeps the call. */
static struct bad_reply return_bad_call(struct __test_metadata *_metadata,
					int d, int32_t how)
{
	struct bad_reply r = { 0, 0, 0 };
	door_arg_t arg = {
		.data_ptr = (char *)&how,
		.data_size = sizeof(how),
		.rbuf = (char *)&r,
		.rsize = sizeof(r),
	};

	EXPECT_EQ(0, door_call(d, &arg));
	EXPECT_EQ(sizeof(r), arg.data_size);
	EXPECT_EQ(0U, arg.desc_num);
	return r;
}

TEST_F(server, return_bad_fd_einval_releases)
{
	struct bad_reply r = return_bad_call(_metadata, self->fd[RETURN_BAD],
					     BAD_FD);

	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(EINVAL, r.err);
	EXPECT_EQ(1, r.released);
}

TEST_F(server, return_without_descriptor_flag_einval_releases)
{
	struct bad_reply r = return_bad_call(_metadata, self->fd[RETURN_BAD],
					     NO_DESCRIPTOR_FLAG);

	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(EINVAL, r.err);
	EXPECT_EQ(1, r.released);
}

TEST_F(server, return_more_than_1024_e2big)
{
	struct bad_reply r = return_bad_call(_metadata, self->fd[RETURN_BAD],
					     TOO_MANY);

	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(E2BIG, r.err);
}

/*
 * The caller's door_call_args cannot be written back (a read-only page):
 * EFAULT, and the descriptors of the results, whose numbers the caller
 * could not learn, are not installed.
 */
TEST_F(server, unwritable_args_installs_nothing)
{
	struct give_req req = { .data_size = 8, .npipes = 2 };
	struct door_call_args *ro;
	char rbuf[64];
	int ctx = ctx_open(), before;

	ASSERT_LE(0, ctx);
	ro = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	ro->fd = self->fd[GIVE_PIPES];
	ro->data_ptr = (uintptr_t)&req;
	ro->data_size = sizeof(req);
	ro->rbuf = (uintptr_t)rbuf;
	ro->rsize = sizeof(rbuf);
	ASSERT_EQ(0, mprotect(ro, getpagesize(), PROT_READ));
	before = fd_count();
	EXPECT_EQ(-1, ioctl(ctx, DOOR_IOC_CALL, ro));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(before, fd_count());
	munmap(ro, getpagesize());
	close(ctx);
}

/*
 * The caller's descriptor table is full: EMFILE, all or none installed
 * (one slot is left free for two descriptors), nothing leaks on either
 * side, the mapping made for the results is gone.
 */
static void client_table_full(struct __test_metadata *_metadata,
			      const int *fd, char *rbuf, size_t rsize)
{
	int server_before = server_fd_count(_metadata, fd[FDCOUNT]);
	int before = fd_count(), fillers[1024], n = 0, spare;
	long mapped = mapped_bytes();
	struct rlimit old, rl;
	door_arg_t arg;

	ASSERT_LT(0, before);
	ASSERT_LT(0, mapped);
	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
	rl = old;
	rl.rlim_cur = 64;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	while (n < 1024 && (fillers[n] = dup(0)) >= 0)
		n++;
	ASSERT_EQ(EMFILE, errno);
	ASSERT_LT(0, n);
	close(fillers[--n]);

	EXPECT_EQ(-1, give(fd[GIVE_PIPES], 100, 2, 1, rbuf, rsize, &arg));
	EXPECT_EQ(EMFILE, errno);
	/* The free slot is still free, and the only one. */
	spare = dup(0);
	EXPECT_LE(0, spare);
	EXPECT_EQ(-1, dup(0));
	close(spare);

	while (n)
		close(fillers[--n]);
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &old));
	EXPECT_EQ(before, fd_count());
	EXPECT_EQ(mapped, mapped_bytes());
	EXPECT_EQ(server_before, server_fd_count(_metadata, fd[FDCOUNT]));
}

TEST_F(server, client_table_full_emfile)
{
	char rbuf[512];

	client_table_full(_metadata, self->fd, rbuf, sizeof(rbuf));
}

TEST_F(server, client_table_full_mapped_emfile)
{
	client_table_full(_metadata, self->fd, NULL, 0);
}

/* The server's table is full: the client's call fails with EMFILE. */
TEST_F(server, server_table_full_emfile)
{
	int server_before = server_fd_count(_metadata, self->fd[FDCOUNT]);
	door_desc_t d = desc(self->p[1], DOOR_DESCRIPTOR | DOOR_RELEASE);
	struct inspect_reply r;
	int before = fd_count(), n = 0;
	door_arg_t arg = { .rbuf = (char *)&n, .rsize = sizeof(n) };

	ASSERT_EQ(0, door_call(self->fd[FILL], &arg));
	ASSERT_LT(0, n);

	EXPECT_EQ(-1, pass(self->fd[INSPECT], &d, 1, &r));
	EXPECT_EQ(EMFILE, errno);
	/* Ours was released; the server has no copy: no writer is left. */
	EXPECT_FALSE(is_open(self->p[1]));
	EXPECT_EQ(0, read(self->p[0], &r, 1));

	ASSERT_EQ(0, door_call(self->fd[UNFILL], NULL));
	EXPECT_EQ(server_before, server_fd_count(_metadata, self->fd[FDCOUNT]));
	EXPECT_EQ(before - 1, fd_count());
}

/*
 * The client gave up: the server's door_return() with DOOR_RELEASE
 * descriptors closes them, and nobody gets them.
 */
TEST_F(server, caller_gone_release_closes)
{
	int server_before = server_fd_count(_metadata, self->fd[FDCOUNT]);
	struct interrupter in = { pthread_self(), inside[0] };
	int before = fd_count();
	char rbuf[256];
	door_arg_t arg = { .rbuf = rbuf, .rsize = sizeof(rbuf) };
	pthread_t thread;

	ASSERT_EQ(0, pthread_create(&thread, NULL, interrupt_when_inside,
				    &in));
	EXPECT_EQ(-1, door_call(self->fd[BLOCK_GIVE], &arg));
	EXPECT_EQ(EINTR, errno);
	ASSERT_EQ(0, pthread_join(thread, NULL));
	ASSERT_EQ(0, notify(release[1]));

	/* Served by the same, only thread: after its door_return(). */
	EXPECT_EQ(server_before, server_fd_count(_metadata, self->fd[FDCOUNT]));
	EXPECT_EQ(before, fd_count());
}

DOORS_HARNESS_MAIN
