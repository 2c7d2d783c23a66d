/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the Binder protocol, spoken through raw ioctls on
 * /dev/binder (no Android library), for synchronous calls to the context
 * manager (handle 0) and their replies.
 */
#ifndef BINDER_IPC_H
#define BINDER_IPC_H

#include <linux/android/binder.h>
#include <stdbool.h>
#include <stddef.h>

#define BINDER_DEVICE	"/dev/binder"
/* Transactions land in the receiver's mapping; the kernel caps it at 4 MiB. */
#define BINDER_MAP_SIZE	(4u << 20)

struct binder {
	int fd;
	void *map;
};

/* One per thread: commands wait here to go with the thread's next ioctl. */
struct binder_thread {
	struct binder *b;
	unsigned char out[128];
	size_t out_len;
	bool looper;		/* BC_ENTER_LOOPER sent */
};

void binder_open(struct binder *b);
void binder_close(struct binder *b);
/* Become the context manager: the process handle 0 reaches. */
void binder_become_manager(struct binder *b);

/*
 * Client: call handle 0 with size bytes of data and wait for the reply,
 * which *reply describes; its buffer, in our mapping, stays valid until
 * the thread's next call, which frees it.
 */
void binder_call(struct binder_thread *t, const void *data, size_t size,
		 struct binder_transaction_data *reply);

/*
 * Server: the first wait makes the thread a looper.  binder_wait() waits
 * for a transaction, binder_reply() answers it with size bytes at data
 * (which may point into the transaction's buffer) and frees its buffer.
 * binder_wait() returns false if a signal interrupted it.
 */
bool binder_wait(struct binder_thread *t, struct binder_transaction_data *txn);
void binder_reply(struct binder_thread *t,
		  const struct binder_transaction_data *txn,
		  const void *data, size_t size);

#endif /* BINDER_IPC_H */
