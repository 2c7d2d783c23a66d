// SPDX-License-Identifier: GPL-2.0
/*
 * futex ping-pong over a shared anonymous mapping: the baseline, the
 * cheapest blocking hand-off between two processes.
 *
 * One word counts the hand-offs.  Round trip i: the client puts its
 * request in the mapping and moves the word from 2i to 2i + 1, the
 * server copies the request to the reply and moves it to 2i + 2.  Each
 * move is a store and a FUTEX_WAKE; each side FUTEX_WAITs while the word
 * still holds the value it stored.  The futexes are shared ones (no
 * FUTEX_PRIVATE_FLAG): the two processes have different address spaces.
 */
#include <err.h>
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

/* Never a count: rt.c caps warmup + iters at 10^9, 2 * 10^9 < 2^31. */
#define PEER_GONE	0xffffffffu

struct shared {
	uint32_t word;
	unsigned char data[];	/* the request, then the reply */
};

struct futex_client {
	struct shared *shm;
	size_t size;
	unsigned char *req;
};

static uint32_t *watched;

/*
 * The client exited while the server may be waiting for it: poison the
 * word, so that the server's FUTEX_WAIT returns (EINTR) or does not
 * sleep (EAGAIN), and the server sees PEER_GONE.
 */
static void client_gone(int sig)
{
	(void)sig;
	__atomic_store_n(watched, PEER_GONE, __ATOMIC_RELEASE);
}

static void post(uint32_t *word, uint32_t val)
{
	__atomic_store_n(word, val, __ATOMIC_RELEASE);
	if (syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0) < 0)
		err(1, "FUTEX_WAKE");
}

/* Wait for the peer to move the word from cur to cur + 1. */
static void await(uint32_t *word, uint32_t cur)
{
	uint32_t val;

	while ((val = __atomic_load_n(word, __ATOMIC_ACQUIRE)) == cur)
		if (syscall(SYS_futex, word, FUTEX_WAIT, cur, NULL, NULL, 0) &&
		    errno != EAGAIN && errno != EINTR)
			err(1, "FUTEX_WAIT");
	if (val != cur + 1)
		errx(1, "futex: the word is %#x, expected %#x: peer gone",
		     val, cur + 1);
}

static void trip(void *ctx, unsigned long i)
{
	struct futex_client *c = ctx;
	uint32_t seq = 2 * (uint32_t)i + 1;

	payload_stamp(c->req, c->size, i);
	memcpy(c->shm->data, c->req, c->size);
	post(&c->shm->word, seq);
	await(&c->shm->word, seq);
	payload_check("futex", c->shm->data + c->size, c->req, c->size, i);
}

static struct result run(const struct bench_cfg *cfg)
{
	struct sigaction sa = { .sa_handler = client_gone }, old;
	size_t len = sizeof(struct shared) + 2 * cfg->size;
	unsigned long i, n = cfg->warmup + cfg->iters;
	struct shared *shm;
	struct result r;
	int result_fd;
	pid_t pid;

	shm = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		err(1, "mmap(%zu)", len);
	watched = &shm->word;
	/* No SA_RESTART: a FUTEX_WAIT that SIGCHLD interrupts fails EINTR. */
	if (sigemptyset(&sa.sa_mask) || sigaction(SIGCHLD, &sa, &old))
		err(1, "sigaction(SIGCHLD)");

	pid = client_fork(cfg->client_cpu, &result_fd);
	if (pid == 0) {
		struct futex_client c = {
			.shm = shm,
			.size = cfg->size,
			.req = payload_alloc(cfg->size),
		};

		client_exit(result_fd, client_loop(cfg, trip, &c));
	}
	for (i = 0; i < n; i++) {
		await(&shm->word, 2 * (uint32_t)i);
		memcpy(shm->data + cfg->size, shm->data, cfg->size);
		post(&shm->word, 2 * (uint32_t)i + 2);
	}
	r = client_wait(pid, result_fd);

	if (sigaction(SIGCHLD, &old, NULL))
		err(1, "sigaction(SIGCHLD)");
	if (munmap(shm, len))
		err(1, "munmap");
	return r;
}

const struct mechanism futex_mechanism = {
	.name = "futex",
	.label = "futex wait/wake, shared mapping",
	.run = run,
};
