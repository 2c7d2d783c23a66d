// SPDX-License-Identifier: GPL-2.0
/*
 * Ping-pong through file descriptors: two pipes, or one AF_UNIX stream
 * or seqpacket socketpair, with the kernel's default buffer sizes.  The
 * client writes its request and reads the reply; the server reads the
 * request and writes it back.  A null call still needs one byte each way
 * to wake the peer.
 */
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

struct ends {
	int client_rd, client_wr;
	int server_rd, server_wr;
};

struct fd_client {
	const char *name;
	int rd, wr;
	size_t len;
	unsigned char *req, *rep;
};

static void close_pair(int rd, int wr)
{
	if (close(rd) || (wr != rd && close(wr)))
		err(1, "close");
}

static void trip(void *ctx, unsigned long i)
{
	struct fd_client *c = ctx;

	payload_stamp(c->req, c->len, i);
	write_full(c->wr, c->req, c->len);
	if (read_full(c->rd, c->rep, c->len) != c->len)
		errx(1, "%s: the server closed its end", c->name);
	payload_check(c->name, c->rep, c->req, c->len, i);
}

static struct result ping_pong(const char *name, const struct bench_cfg *cfg,
			       const struct ends *e)
{
	size_t len = cfg->size ? cfg->size : 1;
	unsigned long i, n = cfg->warmup + cfg->iters;
	unsigned char *buf;
	struct result r;
	int result_fd;
	pid_t pid;

	pid = client_fork(cfg->client_cpu, &result_fd);
	if (pid == 0) {
		struct fd_client c = {
			.name = name,
			.rd = e->client_rd,
			.wr = e->client_wr,
			.len = len,
			.req = payload_alloc(len),
			.rep = payload_alloc(len),
		};

		close_pair(e->server_rd, e->server_wr);
		client_exit(result_fd, client_loop(cfg, trip, &c));
	}
	close_pair(e->client_rd, e->client_wr);
	buf = payload_alloc(len);
	for (i = 0; i < n; i++) {
		if (read_full(e->server_rd, buf, len) != len)
			errx(1, "%s: the client closed its end", name);
		write_full(e->server_wr, buf, len);
	}
	r = client_wait(pid, result_fd);
	close_pair(e->server_rd, e->server_wr);
	payload_free(buf, len);
	return r;
}

static struct result run_pipe(const struct bench_cfg *cfg)
{
	int up[2], down[2];

	if (pipe2(up, O_CLOEXEC) || pipe2(down, O_CLOEXEC))
		err(1, "pipe2");
	return ping_pong("pipe", cfg, &(struct ends){
		.client_rd = down[0], .client_wr = up[1],
		.server_rd = up[0], .server_wr = down[1],
	});
}

static struct result run_socket(const char *name, int type,
				const struct bench_cfg *cfg)
{
	int sv[2];

	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv))
		err(1, "socketpair");
	return ping_pong(name, cfg, &(struct ends){
		.client_rd = sv[0], .client_wr = sv[0],
		.server_rd = sv[1], .server_wr = sv[1],
	});
}

static struct result run_unix(const struct bench_cfg *cfg)
{
	return run_socket("unix", SOCK_STREAM, cfg);
}

static struct result run_seqpacket(const struct bench_cfg *cfg)
{
	return run_socket("seqpacket", SOCK_SEQPACKET, cfg);
}

/*
 * A message must fit the send buffer (unix_dgram_sendmsg: EMSGSIZE):
 * what a program gets without SO_SNDBUF, and without privilege to force
 * it beyond net.core.wmem_max.
 */
static const char *seqpacket_unsupported(size_t size)
{
	static char why[80];
	socklen_t len = sizeof(int);
	int sv[2], sndbuf;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		err(1, "socketpair");
	if (getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, &len))
		err(1, "getsockopt(SO_SNDBUF)");
	close_pair(sv[0], sv[1]);
	/* unix_dgram_sendmsg() keeps 32 bytes of the buffer. */
	if (size + 32 <= (size_t)sndbuf)
		return NULL;
	snprintf(why, sizeof(why),
		 "EMSGSIZE: a message must fit the %d-byte send buffer", sndbuf);
	return why;
}

const struct mechanism pipe_mechanism = {
	.name = "pipe",
	.label = "pipe, one each way",
	.run = run_pipe,
};

const struct mechanism unix_mechanism = {
	.name = "unix",
	.label = "AF_UNIX stream socketpair",
	.run = run_unix,
};

const struct mechanism seqpacket_mechanism = {
	.name = "seqpacket",
	.label = "AF_UNIX seqpacket socketpair",
	.unsupported = seqpacket_unsupported,
	.run = run_seqpacket,
};
