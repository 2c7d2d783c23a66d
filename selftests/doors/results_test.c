// SPDX-License-Identifier: GPL-2.0
/*
 * Results and arguments at their limits: no results allowed
 * (door_call(d, NULL)), 256 MiB of results in a mapping made for them,
 * 64 MiB of arguments, arguments and results sharing a buffer, and
 * EOVERFLOW when the results cannot be mapped.
 *
 * Big payloads are sequences of 64-bit words, word i of a payload with
 * seed s being mix(s + i): any byte, page or offset mix-up shows, and a
 * word can be checked without the ones before it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <door.h>

#include "harness.h"
#include "util.h"

#define MIB		(1UL << 20)
#define BIG_RESULTS	(256 * MIB)
#define BIG_ARGS	(64 * MIB)

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void words_fill(uint64_t *w, size_t n, uint64_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		w[i] = mix(seed + i);
}

/* Index of the first word that is not mix(seed + i), or n. */
static size_t words_check(const uint64_t *w, size_t n, uint64_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (w[i] != mix(seed + i))
			break;
	return i;
}

static uint64_t checksum_step(uint64_t h, uint64_t w)
{
	return ((h << 5 | h >> 59) ^ w) * 0x100000001b3ULL;
}

static uint64_t words_checksum(const uint64_t *w, size_t n)
{
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < n; i++)
		h = checksum_step(h, w[i]);
	return h;
}

/* The checksum words_checksum() gives for an intact payload. */
static uint64_t expected_checksum(size_t n, uint64_t seed)
{
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < n; i++)
		h = checksum_step(h, mix(seed + i));
	return h;
}

enum door_kind {
	WORDS,		/* struct words_req: return that payload */
	CHECK,		/* check the payload passed, return struct check_reply */
	COMPLEMENT,	/* struct complement_req: bytes complemented */
	NORES_DATA,	/* door_return() data, report, return nothing */
	NORES_DESC,	/* door_return() a descriptor, report, return nothing */
	NDOORS
};

static const enum door_kind kinds[NDOORS] = {
	WORDS, CHECK, COMPLEMENT, NORES_DATA, NORES_DESC
};

struct words_req {
	uint64_t seed;
	uint64_t size;		/* bytes, a multiple of 8 */
};

/* CHECK: the payload is its seed, then words mix(seed + 1)... */
struct check_reply {
	uint64_t size;		/* arg_size seen */
	uint64_t first_bad;	/* index of the first wrong word */
	uint64_t checksum;	/* of every word, the seed included */
};

/* COMPLEMENT: result byte i is ~payload[i % len], result_size bytes. */
struct complement_req {
	uint64_t result_size;
};

/* NORES_*: what door_return() did, written to report[1]. */
struct nores_report {
	int ret;
	int err;
};

static int report[2];

static void words(const char *argp, size_t arg_size)
{
	static uint64_t *buf;
	static size_t len;
	struct words_req req;

	if (arg_size != sizeof(req))
		return;
	memcpy(&req, argp, sizeof(req));
	if (buf)
		munmap(buf, len);
	len = req.size;
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		buf = NULL;
		return;
	}
	words_fill(buf, len / 8, req.seed);
	door_return((char *)buf, len, NULL, 0);
}

static void check(const char *argp, size_t arg_size)
{
	const uint64_t *w = (const void *)argp;
	size_t n = arg_size / 8;
	struct check_reply r = { .size = arg_size };

	if (n) {
		r.first_bad = 1 + words_check(w + 1, n - 1, w[0] + 1);
		r.checksum = words_checksum(w, n);
	}
	door_return((char *)&r, sizeof(r), NULL, 0);
}

static void complement(const char *argp, size_t arg_size)
{
	static char buf[65536];
	struct complement_req req;
	const char *payload = argp + sizeof(req);
	size_t len = arg_size - sizeof(req), i;

	if (arg_size <= sizeof(req))
		return;
	memcpy(&req, argp, sizeof(req));
	if (req.result_size > sizeof(buf))
		return;
	for (i = 0; i < req.result_size; i++)
		buf[i] = ~payload[i % len];
	door_return(buf, req.result_size, NULL, 0);
}

static void no_results(enum door_kind kind)
{
	door_desc_t d = {
		.d_attributes = DOOR_DESCRIPTOR,
		.d_data.d_desc.d_descriptor = 0,
	};
	struct nores_report r;

	if (kind == NORES_DATA)
		r.ret = door_return("data", 5, NULL, 0);
	else
		r.ret = door_return(NULL, 0, &d, 1);
	r.err = errno;
	if (write(report[1], &r, sizeof(r)) != sizeof(r))
		return;
	door_return(NULL, 0, NULL, 0);
}

static void serve(void *cookie, char *argp, size_t arg_size,
		  door_desc_t *dp, uint_t n_desc)
{
	const enum door_kind *kind = cookie;

	(void)dp;
	(void)n_desc;
	switch (*kind) {
	case WORDS:
		words(argp, arg_size);
		break;
	case CHECK:
		check(argp, arg_size);
		break;
	case COMPLEMENT:
		complement(argp, arg_size);
		break;
	case NORES_DATA:
	case NORES_DESC:
		no_results(*kind);
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

FIXTURE(server) {
	pid_t server;
	int fd[NDOORS];
};

FIXTURE_SETUP(server)
{
	ASSERT_EQ(0, pipe2(report, O_CLOEXEC));
	self->server = fork_server(make_doors, self->fd, NDOORS);
	ASSERT_LT(0, self->server);
	close(report[1]);
}

FIXTURE_TEARDOWN(server)
{
	kill_server(self->server);
}

static void expect_report(struct __test_metadata *_metadata, int ret,
			  int err)
{
	struct nores_report r;

	ASSERT_EQ(sizeof(r), read(report[0], &r, sizeof(r)));
	EXPECT_EQ(ret, r.ret);
	EXPECT_EQ(err, r.err);
}

/* door_call(d, NULL): the server's results fail, then it returns none. */
TEST_F(server, null_params_data_e2big)
{
	EXPECT_EQ(0, door_call(self->fd[NORES_DATA], NULL));
	expect_report(_metadata, -1, E2BIG);
}

TEST_F(server, null_params_descriptor_e2big)
{
	EXPECT_EQ(0, door_call(self->fd[NORES_DESC], NULL));
	expect_report(_metadata, -1, E2BIG);
}

/* The same procedures, called with somewhere to put results. */
TEST_F(server, params_data_allowed)
{
	char rbuf[16];
	door_arg_t arg = { .rbuf = rbuf, .rsize = sizeof(rbuf) };

	ASSERT_EQ(0, door_call(self->fd[NORES_DATA], &arg));
	EXPECT_EQ(5U, arg.data_size);
	EXPECT_STREQ("data", arg.data_ptr);
}

/* A WORDS call for size bytes, results offered rbuf/rsize. */
static int words_call(int d, uint64_t seed, size_t size, char *rbuf,
		      size_t rsize, door_arg_t *arg)
{
	struct words_req req = { seed, size };

	*arg = (door_arg_t){
		.data_ptr = (char *)&req,
		.data_size = sizeof(req),
		.rbuf = rbuf,
		.rsize = rsize,
	};
	return door_call(d, arg);
}

TEST_F_TIMEOUT(server, results_256_mib_mapped, 120)
{
	const uint64_t seed = 0x2560000;
	const size_t n = BIG_RESULTS / 8, page = getpagesize();
	long mapped = mapped_bytes();
	char rbuf[64];
	door_arg_t arg;
	uint64_t *w;
	size_t i;

	ASSERT_LT(0, mapped);
	ASSERT_EQ(0, words_call(self->fd[WORDS], seed, BIG_RESULTS, rbuf,
				sizeof(rbuf), &arg));
	ASSERT_EQ(BIG_RESULTS, arg.data_size);
	ASSERT_NE(&rbuf[0], arg.rbuf);
	EXPECT_EQ(arg.rbuf, arg.data_ptr);
	EXPECT_EQ(BIG_RESULTS, arg.rsize);
	EXPECT_EQ(0U, (uintptr_t)arg.rbuf % page);
	EXPECT_EQ(0U, arg.desc_num);
	w = (uint64_t *)arg.data_ptr;

	/* First and last bytes, then a word of every page. */
	EXPECT_EQ((char)mix(seed), arg.data_ptr[0]);
	EXPECT_EQ((char)(mix(seed + n - 1) >> 56),
		  arg.data_ptr[BIG_RESULTS - 1]);
	for (i = 0; i < n; i += page / 8)
		ASSERT_EQ(mix(seed + i), w[i]) TH_LOG("page %zu", i * 8 / page);
	/* Then every word. */
	if (words_checksum(w, n) != expected_checksum(n, seed))
		EXPECT_EQ(n, words_check(w, n, seed));

	EXPECT_EQ(0, munmap(arg.rbuf, arg.rsize));
	EXPECT_EQ(mapped, mapped_bytes());
}

TEST_F_TIMEOUT(server, arguments_64_mib, 120)
{
	const uint64_t seed = 0x640000;
	const size_t n = BIG_ARGS / 8;
	struct check_reply r;
	door_arg_t arg = {
		.data_size = BIG_ARGS,
		.rbuf = (char *)&r,
		.rsize = sizeof(r),
	};
	uint64_t *w;

	w = mmap(NULL, BIG_ARGS, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, w);
	w[0] = seed;
	words_fill(w + 1, n - 1, seed + 1);
	arg.data_ptr = (char *)w;

	ASSERT_EQ(0, door_call(self->fd[CHECK], &arg));
	ASSERT_EQ(sizeof(r), arg.data_size);
	EXPECT_EQ(BIG_ARGS, r.size);
	EXPECT_EQ(n, r.first_bad);
	EXPECT_EQ(words_checksum(w, n), r.checksum);
	/* Arguments are not results: ours are untouched. */
	EXPECT_EQ(n - 1, words_check(w + 1, n - 1, seed + 1));
	munmap(w, BIG_ARGS);
}

/* COMPLEMENT of len payload bytes into result_size, from one buffer. */
static void shared_buffer_call(struct __test_metadata *_metadata, int d,
			       size_t len, size_t result_size, bool fits)
{
	struct complement_req req = { result_size };
	size_t size = sizeof(req) + len, i;
	char *buf = malloc(size), *old = malloc(size);
	door_arg_t arg = {
		.data_size = size,
		.rsize = size,
	};

	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, old);
	memcpy(buf, &req, sizeof(req));
	for (i = 0; i < len; i++)
		buf[sizeof(req) + i] = (char)mix(i);
	memcpy(old, buf, size);
	arg.data_ptr = buf;
	arg.rbuf = buf;

	ASSERT_EQ(0, door_call(d, &arg));
	ASSERT_EQ(result_size, arg.data_size);
	EXPECT_EQ(arg.rbuf, arg.data_ptr);
	for (i = 0; i < result_size; i++)
		if (arg.data_ptr[i] != (char)~old[sizeof(req) + i % len])
			break;
	EXPECT_EQ(result_size, i);
	if (fits) {
		EXPECT_EQ(buf, arg.rbuf);
		EXPECT_EQ(size, arg.rsize);
	} else {
		EXPECT_NE(buf, arg.rbuf);
		EXPECT_EQ(0, memcmp(old, buf, size));
		EXPECT_EQ(0, munmap(arg.rbuf, arg.rsize));
	}
	free(buf);
	free(old);
}

/* data_ptr == rbuf: results overwrite the arguments. */
TEST_F(server, data_ptr_is_rbuf)
{
	shared_buffer_call(_metadata, self->fd[COMPLEMENT], 1000, 1008, true);
}

TEST_F(server, data_ptr_is_rbuf_large)
{
	shared_buffer_call(_metadata, self->fd[COMPLEMENT], 30000, 30008,
			   true);
}

TEST_F(server, data_ptr_is_rbuf_overflow)
{
	shared_buffer_call(_metadata, self->fd[COMPLEMENT], 1000, 5000, false);
}

/*
 * A WORDS call of size bytes from a child whose address space may grow
 * by slack bytes only; *err is its errno.
 */
static int overflow_call(int d, size_t size, size_t slack, int *err)
{
	int res[2] = { -2, 0 }, p[2];
	struct rlimit rl;
	char rbuf[64];
	door_arg_t arg;
	long mapped;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -2;
	pid = fork();
	if (pid == 0) {
		mapped = mapped_bytes();
		if (mapped > 0 && !getrlimit(RLIMIT_AS, &rl)) {
			rl.rlim_cur = mapped + slack;
			if (!setrlimit(RLIMIT_AS, &rl)) {
				res[0] = words_call(d, 1, size, rbuf,
						    sizeof(rbuf), &arg);
				res[1] = errno;
			}
		}
		_exit(write(p[1], res, sizeof(res)) == sizeof(res) ? 0 : 1);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], res, sizeof(res)) != sizeof(res))
		res[0] = -2;
	close(p[0]);
	if (pid > 0 && wait_status(pid))
		res[0] = -2;
	*err = res[1];
	return res[0];
}

/* Results the caller cannot map: EOVERFLOW, the server goes on. */
TEST_F_TIMEOUT(server, results_unmappable_eoverflow, 120)
{
	door_arg_t arg;
	int err;

	EXPECT_EQ(-1, overflow_call(self->fd[WORDS], BIG_ARGS, 16 * MIB,
				    &err));
	EXPECT_EQ(EOVERFLOW, err);

	/* The server thread was let go: the same call works here. */
	ASSERT_EQ(0, words_call(self->fd[WORDS], 2, BIG_ARGS, NULL, 0, &arg));
	ASSERT_EQ(BIG_ARGS, arg.data_size);
	EXPECT_EQ(BIG_ARGS / 8, words_check((uint64_t *)arg.data_ptr,
					    BIG_ARGS / 8, 2));
	EXPECT_EQ(0, munmap(arg.rbuf, arg.rsize));
}

/* Small results travel inline, and need a mapping all the same. */
TEST_F(server, small_results_unmappable_eoverflow)
{
	door_arg_t arg;
	int err;

	EXPECT_EQ(-1, overflow_call(self->fd[WORDS], 256, 0, &err));
	EXPECT_EQ(EOVERFLOW, err);

	ASSERT_EQ(0, words_call(self->fd[WORDS], 4, 256, NULL, 0, &arg));
	EXPECT_EQ(256U / 8, words_check((uint64_t *)arg.data_ptr, 256 / 8, 4));
	EXPECT_EQ(0, munmap(arg.rbuf, arg.rsize));
}

DOORS_HARNESS_MAIN
