// SPDX-License-Identifier: GPL-2.0
/*
 * Raw Binder: BINDER_WRITE_READ carries the thread's queued commands
 * (BC_*) to the driver and brings back its returns (BR_*), each a 32-bit
 * code followed by _IOC_SIZE(code) bytes.
 *
 * A call is one ioctl: the previous reply's BC_FREE_BUFFER and the
 * BC_TRANSACTION are written, and the read returns BR_TRANSACTION_COMPLETE
 * with BR_REPLY (the driver holds the former back until the reply comes).
 * A server answers with BC_REPLY and BC_FREE_BUFFER, which returns
 * BR_TRANSACTION_COMPLETE at once, then waits for the next
 * BR_TRANSACTION in a second ioctl: the protocol's round trip, as
 * libbinder speaks it.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "binder_ipc.h"

#define SET_MANAGER_TRIES	10000	/* 1 ms apart */

void binder_open(struct binder *b)
{
	struct binder_version v;

	b->fd = open(BINDER_DEVICE, O_RDWR | O_CLOEXEC);
	if (b->fd < 0)
		err(1, "binder: open %s", BINDER_DEVICE);
	if (ioctl(b->fd, BINDER_VERSION, &v))
		err(1, "binder: BINDER_VERSION");
	if (v.protocol_version != BINDER_CURRENT_PROTOCOL_VERSION)
		errx(1, "binder: protocol %d, expected %d", v.protocol_version,
		     BINDER_CURRENT_PROTOCOL_VERSION);
	/* Read-only: the driver refuses writable mappings. */
	b->map = mmap(NULL, BINDER_MAP_SIZE, PROT_READ, MAP_PRIVATE, b->fd, 0);
	if (b->map == MAP_FAILED)
		err(1, "binder: mmap");
}

void binder_close(struct binder *b)
{
	if (munmap(b->map, BINDER_MAP_SIZE) || close(b->fd))
		err(1, "binder: close");
}

/*
 * The previous manager's process may have exited a moment ago: the
 * driver forgets it in a work item after the file's release, which a
 * process cannot wait for.  So EBUSY is retried for up to 10 s.
 */
void binder_become_manager(struct binder *b)
{
	struct timespec ms = { .tv_nsec = 1000000 };
	int i;

	for (i = 0; i < SET_MANAGER_TRIES; i++) {
		if (!ioctl(b->fd, BINDER_SET_CONTEXT_MGR, 0))
			return;
		if (errno != EBUSY)
			break;
		nanosleep(&ms, NULL);
	}
	err(1, "binder: BINDER_SET_CONTEXT_MGR");
}

static void queue(struct binder_thread *t, uint32_t cmd, const void *arg,
		  size_t size)
{
	if (t->out_len + sizeof(cmd) + size > sizeof(t->out))
		errx(1, "binder: command queue full");
	memcpy(t->out + t->out_len, &cmd, sizeof(cmd));
	if (size)
		memcpy(t->out + t->out_len + sizeof(cmd), arg, size);
	t->out_len += sizeof(cmd) + size;
}

/*
 * Write the queued commands, read what the driver has (waiting for
 * something if it has nothing), and act on it.  A transaction or a
 * reply, if one came, is copied to *txn and true returned.  *interrupted
 * is set, instead of dying, when a signal interrupted the read.
 */
static bool talk(struct binder_thread *t, uint32_t want,
		 struct binder_transaction_data *txn, bool *interrupted)
{
	uint64_t in[32];
	struct binder_write_read bwr = {
		.write_size = t->out_len,
		.write_buffer = (uintptr_t)t->out,
		.read_size = sizeof(in),
		.read_buffer = (uintptr_t)in,
	};
	const unsigned char *p = (const unsigned char *)in, *end;
	bool got = false;
	int ret;

	ret = ioctl(t->b->fd, BINDER_WRITE_READ, &bwr);
	/* Whatever the outcome, what was consumed is gone. */
	memmove(t->out, t->out + bwr.write_consumed,
		t->out_len - bwr.write_consumed);
	t->out_len -= bwr.write_consumed;
	if (ret) {
		if (errno == EINTR && interrupted && !t->out_len) {
			*interrupted = true;
			return false;
		}
		err(1, "binder: BINDER_WRITE_READ");
	}

	end = p + bwr.read_consumed;
	while (p < end) {
		uint32_t cmd;
		struct binder_ptr_cookie pc;

		memcpy(&cmd, p, sizeof(cmd));
		p += sizeof(cmd);
		if (p + _IOC_SIZE(cmd) > end)
			errx(1, "binder: return %#x truncated", cmd);
		switch (cmd) {
		case BR_NOOP:
		case BR_TRANSACTION_COMPLETE:
		case BR_SPAWN_LOOPER:
		case BR_RELEASE:
		case BR_DECREFS:
			break;
		case BR_INCREFS:
		case BR_ACQUIRE:
			memcpy(&pc, p, sizeof(pc));
			queue(t, cmd == BR_INCREFS ? BC_INCREFS_DONE :
			      BC_ACQUIRE_DONE, &pc, sizeof(pc));
			break;
		case BR_TRANSACTION:
		case BR_REPLY:
			if (cmd != want || got)
				errx(1, "binder: unexpected %s",
				     cmd == BR_REPLY ? "BR_REPLY" : "BR_TRANSACTION");
			memcpy(txn, p, sizeof(*txn));
			got = true;
			break;
		case BR_DEAD_REPLY:
			errx(1, "binder: BR_DEAD_REPLY (the peer is gone)");
		case BR_FAILED_REPLY:
			errx(1, "binder: BR_FAILED_REPLY");
		default:
			errx(1, "binder: unexpected return %#x", cmd);
		}
		p += _IOC_SIZE(cmd);
	}
	return got;
}

void binder_call(struct binder_thread *t, const void *data, size_t size,
		 struct binder_transaction_data *reply)
{
	struct binder_transaction_data tr = {
		.target.handle = 0,
		.code = 1,
		.data_size = size,
		.data.ptr.buffer = (uintptr_t)data,
	};

	queue(t, BC_TRANSACTION, &tr, sizeof(tr));
	while (!talk(t, BR_REPLY, reply, NULL))
		;
	if (reply->flags & TF_STATUS_CODE)
		errx(1, "binder: the reply is a status code");
	queue(t, BC_FREE_BUFFER, &reply->data.ptr.buffer,
	      sizeof(reply->data.ptr.buffer));
}

bool binder_wait(struct binder_thread *t, struct binder_transaction_data *txn)
{
	bool interrupted = false;

	if (!t->looper) {
		queue(t, BC_ENTER_LOOPER, NULL, 0);
		t->looper = true;
	}
	while (!talk(t, BR_TRANSACTION, txn, &interrupted))
		if (interrupted)
			return false;
	return true;
}

void binder_reply(struct binder_thread *t,
		  const struct binder_transaction_data *txn,
		  const void *data, size_t size)
{
	struct binder_transaction_data tr = {
		.data_size = size,
		.data.ptr.buffer = (uintptr_t)data,
	};

	queue(t, BC_REPLY, &tr, sizeof(tr));
	queue(t, BC_FREE_BUFFER, &txn->data.ptr.buffer,
	      sizeof(txn->data.ptr.buffer));
	/* BR_TRANSACTION_COMPLETE: the reply is on its way. */
	talk(t, 0, NULL, NULL);
}
