// SPDX-License-Identifier: GPL-2.0
/*
 * Binder, the synchronous IPC Linux ships (binder_linux.ko, loaded with
 * devices=binder).  The server process is the context manager; its
 * threads answer every transaction with its own data (a reply pointing
 * into the transaction's buffer, so the driver copies it once each
 * way).  The client, forked after the server became the manager, opens
 * /dev/binder itself and calls handle 0.
 */
#include <err.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"
#include "binder_ipc.h"

struct binder_client {
	struct binder b;
	struct binder_thread t;
	size_t size;
	unsigned char *req;
};

static void client_open(struct binder_client *c, struct binder *server)
{
	if (close(server->fd))
		err(1, "close");
	binder_open(&c->b);
	c->t = (struct binder_thread){ .b = &c->b };
}

static void trip(void *ctx, unsigned long i)
{
	struct binder_client *c = ctx;
	struct binder_transaction_data reply;

	payload_stamp(c->req, c->size, i);
	binder_call(&c->t, c->req, c->size, &reply);
	if (reply.data_size != c->size)
		errx(1, "binder: reply %lu has %llu bytes, expected %zu", i,
		     (unsigned long long)reply.data_size, c->size);
	payload_check("binder", (const void *)(uintptr_t)reply.data.ptr.buffer,
		      c->req, c->size, i);
}

static void serve_one(struct binder_thread *t, size_t size)
{
	struct binder_transaction_data txn;

	if (!binder_wait(t, &txn))
		errx(1, "binder: the client exited");
	if (txn.data_size != size || txn.offsets_size)
		errx(1, "binder: the server got %llu bytes, expected %zu",
		     (unsigned long long)txn.data_size, size);
	binder_reply(t, &txn, (const void *)(uintptr_t)txn.data.ptr.buffer,
		     txn.data_size);
}

static struct result run(const struct bench_cfg *cfg)
{
	unsigned long i, n = cfg->warmup + cfg->iters;
	struct binder b;
	struct binder_thread t = { .b = &b };
	int result_fd;
	pid_t pid;

	binder_open(&b);
	binder_become_manager(&b);
	interrupt_on_client_exit();
	pid = client_fork(cfg->client_cpu, &result_fd);
	if (pid == 0) {
		struct binder_client c = {
			.size = cfg->size,
			.req = payload_alloc(cfg->size),
		};

		client_open(&c, &b);
		client_exit(result_fd, client_loop(cfg, trip, &c));
	}
	for (i = 0; i < n; i++)
		serve_one(&t, cfg->size);
	return client_wait(pid, result_fd);
}

static const char *unsupported(size_t size)
{
	if (access(BINDER_DEVICE, R_OK | W_OK))
		return "no " BINDER_DEVICE " (binder_linux.ko not loaded)";
	if (size > BINDER_MAP_SIZE)
		return "larger than the 4 MiB a process can map for Binder";
	return NULL;
}

/* The concurrency sweep: server looper threads, null calls. */

static void *server_thread(void *arg)
{
	struct binder_thread t = { .b = arg };

	for (;;)
		serve_one(&t, 0);
	return NULL;
}

static void *conc_setup(void *arg)
{
	struct binder_thread *t = calloc(1, sizeof(*t));

	if (!t)
		err(1, "calloc");
	t->b = arg;
	return t;
}

static void conc_call(void *ctx)
{
	struct binder_transaction_data reply;

	binder_call(ctx, NULL, 0, &reply);
}

static struct result run_conc(const struct conc_cfg *cfg)
{
	struct binder b;
	pthread_t tid;
	unsigned int i;
	int result_fd;
	pid_t pid;

	binder_open(&b);
	binder_become_manager(&b);
	for (i = 0; i < cfg->servers; i++)
		if (pthread_create(&tid, NULL, server_thread, &b))
			errx(1, "pthread_create");
	pid = client_fork(CPU_ANY, &result_fd);
	if (pid == 0) {
		struct binder_client c;

		client_open(&c, &b);
		client_exit(result_fd,
			    call_threads(cfg, conc_setup, conc_call, &c.b));
	}
	return client_wait(pid, result_fd);
}

const struct mechanism binder_mechanism = {
	.name = "binder",
	.label = "Binder transaction (raw ioctls)",
	.unsupported = unsupported,
	.run = run,
	.run_conc = run_conc,
};
