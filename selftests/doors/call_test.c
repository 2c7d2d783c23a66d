// SPDX-License-Identifier: GPL-2.0
/*
 * door_call() and door_return() through libdoor, between two processes:
 * payloads of every size both ways, where the results land, and the
 * special cases (no results, no params, shared buffers, cookies, a
 * procedure that does not return, a bad results pointer).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <door.h>

#include "harness.h"
#include "util.h"

/* The doors of the server process; each one's cookie points at its kind. */
enum door_kind {
	XFER,		/* check the arguments, return the results asked for */
	NONE,		/* return no results */
	COOKIE_A,	/* return the cookie */
	COOKIE_B,
	NORETURN,	/* return without door_return() */
	BADRETURN,	/* door_return() from a bad pointer, then report */
	NDOORS
};

static const enum door_kind kinds[NDOORS] = {
	XFER, NONE, COOKIE_A, COOKIE_B, NORETURN, BADRETURN
};

/*
 * XFER arguments: this header, then pattern(seed) up to arg_size.
 * Results: pattern(seed + 1) of result_size bytes, or a struct xfer_bad
 * when the arguments were not what the header says.
 */
struct xfer_req {
	uint64_t seed;
	uint64_t result_size;
};

#define XFER_BAD_MAGIC	0xbadbadbadbadbad0ULL

struct xfer_bad {
	uint64_t magic;
	uint64_t offset;	/* of the first wrong byte */
	uint64_t arg_size;
};

static void xfer(char *argp, size_t arg_size)
{
	static __thread char *buf;
	static __thread size_t cap;
	struct xfer_bad bad = { XFER_BAD_MAGIC, 0, arg_size };
	struct xfer_req req;
	size_t n;

	if (arg_size < sizeof(req)) {
		door_return((char *)&bad, sizeof(bad), NULL, 0);
		return;
	}
	memcpy(&req, argp, sizeof(req));
	n = arg_size - sizeof(req);
	bad.offset = pattern_check(argp + sizeof(req), n, req.seed);
	if (bad.offset != n) {
		bad.offset += sizeof(req);
		door_return((char *)&bad, sizeof(bad), NULL, 0);
		return;
	}
	if (cap < req.result_size) {
		free(buf);
		buf = malloc(req.result_size);
		cap = buf ? req.result_size : 0;
		if (!buf)
			return;
	}
	pattern_fill(buf, req.result_size, req.seed + 1);
	door_return(buf, req.result_size, NULL, 0);
}

static void serve(void *cookie, char *argp, size_t arg_size,
		  door_desc_t *dp, uint_t n_desc)
{
	const enum door_kind *kind = cookie;
	uint64_t value;
	int res[2];

	(void)dp;
	(void)n_desc;
	switch (*kind) {
	case XFER:
		xfer(argp, arg_size);
		break;
	case NONE:
		door_return(NULL, 0, NULL, 0);
		break;
	case COOKIE_A:
	case COOKIE_B:
		value = (uintptr_t)cookie;
		door_return((char *)&value, sizeof(value), NULL, 0);
		break;
	case NORETURN:
		break;
	case BADRETURN:
		res[0] = door_return(bad_ptr(), 16, NULL, 0);
		res[1] = errno;
		door_return((char *)res, sizeof(res), NULL, 0);
		break;
	default:
		break;
	}
}

static int make_doors(int *fds)
{
	int i;

	for (i = 0; i < NDOORS; i++) {
		fds[i] = door_create(serve, (void *)&kinds[i], 0);
		if (fds[i] < 0)
			return -1;
	}
	return 0;
}

static uint64_t next_seed(void)
{
	static uint64_t seed = 0x5eed;

	return seed += 0x9e3779b97f4a7c15ULL;
}

/* XFER arguments asking for nres bytes of results. */
static char *xfer_args(size_t nargs, size_t nres, uint64_t seed)
{
	struct xfer_req req = { seed, nres };
	char *args = malloc(sizeof(req) + nargs);

	if (args) {
		memcpy(args, &req, sizeof(req));
		pattern_fill(args + sizeof(req), nargs, seed);
	}
	return args;
}

/*
 * Check the results of an XFER call made with rbuf/rsize: nres bytes of
 * pattern(seed + 1), in rbuf if they fit, else in a fresh mapping (which
 * is unmapped here).
 */
static void check_results(struct __test_metadata *_metadata,
			  const door_arg_t *arg, char *rbuf, size_t rsize,
			  size_t nres, uint64_t seed)
{
	size_t page = getpagesize();
	const struct xfer_bad *bad = (const void *)arg->data_ptr;

	if (arg->data_size == sizeof(*bad) && bad->magic == XFER_BAD_MAGIC)
		TH_LOG("server got wrong arguments: byte %llu of %llu",
		       (unsigned long long)bad->offset,
		       (unsigned long long)bad->arg_size);
	ASSERT_EQ(nres, arg->data_size);
	EXPECT_EQ(nres, pattern_check(arg->data_ptr, nres, seed + 1));
	if (nres <= rsize) {
		EXPECT_EQ(rbuf, arg->rbuf);
		EXPECT_EQ(rbuf, arg->data_ptr);
		EXPECT_EQ(rsize, arg->rsize);
		return;
	}
	EXPECT_NE(rbuf, arg->rbuf);
	EXPECT_EQ(arg->rbuf, arg->data_ptr);
	EXPECT_LE(nres, arg->rsize);
	EXPECT_EQ(0U, arg->rsize % page);
	EXPECT_EQ(0U, (uintptr_t)arg->rbuf % page);
	EXPECT_EQ(0, munmap(arg->rbuf, arg->rsize));
}

/* An XFER call of nargs/nres payload bytes, results offered rbuf/rsize. */
static void xfer_call(struct __test_metadata *_metadata, int door,
		      size_t nargs, size_t nres, char *rbuf, size_t rsize)
{
	uint64_t seed = next_seed();
	char *args = xfer_args(nargs, nres, seed);
	door_arg_t arg = {
		.data_ptr = args,
		.data_size = sizeof(struct xfer_req) + nargs,
		.rbuf = rbuf,
		.rsize = rsize,
	};

	ASSERT_NE(NULL, args);
	ASSERT_EQ(0, door_call(door, &arg));
	check_results(_metadata, &arg, rbuf, rsize, nres, seed);
	free(args);
}

/* Payload sizes: around pages, libdoor's 16 KiB buffer, and big. */
FIXTURE(payload) {
	pid_t server;
	int fd[NDOORS];
	char rbuf[4096];
};

FIXTURE_VARIANT(payload) {
	size_t size;
};

FIXTURE_VARIANT_ADD(payload, bytes_0) { .size = 0 };
FIXTURE_VARIANT_ADD(payload, bytes_1) { .size = 1 };
FIXTURE_VARIANT_ADD(payload, bytes_100) { .size = 100 };
FIXTURE_VARIANT_ADD(payload, bytes_4095) { .size = 4095 };
FIXTURE_VARIANT_ADD(payload, bytes_4096) { .size = 4096 };
FIXTURE_VARIANT_ADD(payload, bytes_4097) { .size = 4097 };
/* With the header, 16384 and 16385 bytes of arguments. */
FIXTURE_VARIANT_ADD(payload, bytes_16368) { .size = 16368 };
FIXTURE_VARIANT_ADD(payload, bytes_16369) { .size = 16369 };
FIXTURE_VARIANT_ADD(payload, bytes_65536) { .size = 65536 };
FIXTURE_VARIANT_ADD(payload, mib_1) { .size = 1 << 20 };
FIXTURE_VARIANT_ADD(payload, mib_4) { .size = 4 << 20 };

FIXTURE_SETUP(payload)
{
	self->server = fork_server(make_doors, self->fd, NDOORS);
	ASSERT_LT(0, self->server);
}

FIXTURE_TEARDOWN(payload)
{
	kill_server(self->server);
}

TEST_F(payload, both_ways)
{
	xfer_call(_metadata, self->fd[XFER], variant->size, variant->size,
		  self->rbuf, sizeof(self->rbuf));
}

TEST_F(payload, arguments)
{
	xfer_call(_metadata, self->fd[XFER], variant->size, 0,
		  self->rbuf, sizeof(self->rbuf));
}

TEST_F(payload, results)
{
	xfer_call(_metadata, self->fd[XFER], 0, variant->size,
		  self->rbuf, sizeof(self->rbuf));
}

TEST_F(payload, results_no_rbuf)
{
	xfer_call(_metadata, self->fd[XFER], 0, variant->size, NULL, 0);
}

/* Many calls in a row, each with its own pattern. */
TEST_F(payload, repeated)
{
	int i;

	for (i = 0; i < 8; i++)
		xfer_call(_metadata, self->fd[XFER], variant->size,
			  variant->size, self->rbuf, sizeof(self->rbuf));
}

FIXTURE(server) {
	pid_t server;
	int fd[NDOORS];
};

FIXTURE_SETUP(server)
{
	self->server = fork_server(make_doors, self->fd, NDOORS);
	ASSERT_LT(0, self->server);
}

FIXTURE_TEARDOWN(server)
{
	kill_server(self->server);
}

TEST_F(server, results_fill_rbuf_exactly)
{
	char rbuf[1000];

	xfer_call(_metadata, self->fd[XFER], 10, sizeof(rbuf),
		  rbuf, sizeof(rbuf));
}

/* One byte more than rbuf: a mapping, and rbuf is left alone. */
TEST_F(server, results_overflow_rbuf_by_one)
{
	char rbuf[1000], old[1000];

	memset(rbuf, 0xa5, sizeof(rbuf));
	memcpy(old, rbuf, sizeof(rbuf));
	xfer_call(_metadata, self->fd[XFER], 10, sizeof(rbuf) + 1,
		  rbuf, sizeof(rbuf));
	EXPECT_EQ(0, memcmp(old, rbuf, sizeof(rbuf)));
}

TEST_F(server, zero_results_keep_rbuf)
{
	char rbuf[100];
	door_arg_t arg = {
		.data_ptr = "x",
		.data_size = 2,
		.rbuf = rbuf,
		.rsize = sizeof(rbuf),
	};

	ASSERT_EQ(0, door_call(self->fd[NONE], &arg));
	EXPECT_EQ(0U, arg.data_size);
	EXPECT_EQ(&rbuf[0], arg.data_ptr);
	EXPECT_EQ(&rbuf[0], arg.rbuf);
	EXPECT_EQ(sizeof(rbuf), arg.rsize);
}

TEST_F(server, zero_results_null_rbuf)
{
	door_arg_t arg = { 0 };

	ASSERT_EQ(0, door_call(self->fd[NONE], &arg));
	EXPECT_EQ(0U, arg.data_size);
	EXPECT_EQ(NULL, arg.data_ptr);
	EXPECT_EQ(NULL, arg.rbuf);
	EXPECT_EQ(0U, arg.rsize);
}

TEST_F(server, null_params)
{
	EXPECT_EQ(0, door_call(self->fd[NONE], NULL));
}

TEST_F(server, null_params_twice)
{
	EXPECT_EQ(0, door_call(self->fd[NONE], NULL));
	EXPECT_EQ(0, door_call(self->fd[NONE], NULL));
}

/* Arguments and results in the same buffer. */
TEST_F(server, args_and_results_share_buffer)
{
	size_t nargs = 3000, nres = 2000;
	uint64_t seed = next_seed();
	char *buf = xfer_args(nargs, nres, seed);
	door_arg_t arg = {
		.data_ptr = buf,
		.data_size = sizeof(struct xfer_req) + nargs,
		.rbuf = buf,
		.rsize = sizeof(struct xfer_req) + nargs,
	};

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, door_call(self->fd[XFER], &arg));
	check_results(_metadata, &arg, buf, sizeof(struct xfer_req) + nargs,
		      nres, seed);
	free(buf);
}

static uint64_t call_cookie(struct __test_metadata *_metadata, int door)
{
	uint64_t value = 0;
	door_arg_t arg = {
		.rbuf = (char *)&value,
		.rsize = sizeof(value),
	};

	EXPECT_EQ(0, door_call(door, &arg));
	EXPECT_EQ(sizeof(value), arg.data_size);
	return value;
}

/* The server runs the fork of this program: its addresses are ours. */
TEST_F(server, procedure_gets_its_cookie)
{
	EXPECT_EQ((uintptr_t)&kinds[COOKIE_A],
		  call_cookie(_metadata, self->fd[COOKIE_A]));
	EXPECT_EQ((uintptr_t)&kinds[COOKIE_B],
		  call_cookie(_metadata, self->fd[COOKIE_B]));
}

TEST_F(server, no_door_return_eintr)
{
	EXPECT_EQ(-1, door_call(self->fd[NORETURN], NULL));
	EXPECT_EQ(EINTR, errno);
}

TEST_F(server, no_door_return_then_serves)
{
	char rbuf[256];
	int i;

	for (i = 0; i < 4; i++) {
		EXPECT_EQ(-1, door_call(self->fd[NORETURN], NULL));
		EXPECT_EQ(EINTR, errno);
		xfer_call(_metadata, self->fd[XFER], 100, 100,
			  rbuf, sizeof(rbuf));
	}
}

TEST_F(server, door_return_bad_pointer_efault)
{
	int res[2] = { 0, 0 };
	door_arg_t arg = {
		.rbuf = (char *)res,
		.rsize = sizeof(res),
	};

	ASSERT_EQ(0, door_call(self->fd[BADRETURN], &arg));
	ASSERT_EQ(sizeof(res), arg.data_size);
	EXPECT_EQ(-1, res[0]);
	EXPECT_EQ(EFAULT, res[1]);
}

TEST_F(server, door_return_bad_pointer_then_serves)
{
	int res[2];
	door_arg_t arg = {
		.rbuf = (char *)res,
		.rsize = sizeof(res),
	};
	char rbuf[256];

	ASSERT_EQ(0, door_call(self->fd[BADRETURN], &arg));
	xfer_call(_metadata, self->fd[XFER], 100, 100, rbuf, sizeof(rbuf));
}

TEST_F(server, closed_door_fd_ebadf)
{
	door_arg_t arg = { 0 };
	int fd = self->fd[NONE];

	ASSERT_EQ(0, close(fd));
	EXPECT_EQ(-1, door_call(fd, &arg));
	EXPECT_EQ(EBADF, errno);
}

DOORS_HARNESS_MAIN
