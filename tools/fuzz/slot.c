// SPDX-License-Identifier: GPL-2.0
/*
 * The descriptors a process plays with: NSLOT slots shared by its
 * threads, each holding a descriptor and what it was when stored.
 *
 * Any thread may use the number in a slot for an operation that cannot
 * close it (a "peek": by then it may have been closed, or even reused).
 * Only the thread that took it out of its slot closes it, or passes it to
 * an operation that closes it (DOOR_IOC_REVOKE), so the kernel never
 * closes a descriptor that another slot or the program itself owns.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "doorfuzz.h"

static uint64_t pack(int fd, enum kind kind)
{
	return (uint64_t)(uint32_t)(fd + 1) | (uint64_t)kind << 32;
}

static int unpack(uint64_t v, enum kind *kind)
{
	if (kind)
		*kind = v >> 32;
	return (int)(uint32_t)v - 1;
}

int slot_peek(struct proc *p, struct thread *t, enum kind *kind)
{
	unsigned int i, start = rng_below(&t->rng, NSLOT);

	for (i = 0; i < NSLOT; i++) {
		uint64_t v = atomic_load(&p->slot[(start + i) % NSLOT]);

		if (v)
			return unpack(v, kind);
	}
	return -1;
}

int slot_take(struct proc *p, struct thread *t, enum kind *kind)
{
	unsigned int i, start = rng_below(&t->rng, NSLOT);

	for (i = 0; i < NSLOT; i++) {
		uint64_t v = atomic_exchange(&p->slot[(start + i) % NSLOT], 0);

		if (v)
			return unpack(v, kind);
	}
	return -1;
}

static bool same_file(int a, int b)
{
	pid_t pid = getpid();

	return a >= 0 && b >= 0 &&
		!syscall(SYS_kcmp, pid, pid, KCMP_FILE, a, b);
}

/*
 * Whether fd is one of the files the program relies on: our context (a
 * binding through it would go unnoticed) or an anchor (a revoke or
 * setparam through it would change what the checks expect).  Such
 * descriptors come back through descriptor passing; they are closed
 * instead of being played with.
 */
static bool reserved(struct proc *p, int fd, enum kind kind)
{
	int i;

	if (kind == K_CTX)
		return same_file(fd, p->ctx);
	if (kind != K_DOOR)
		return false;
	for (i = 0; i < NANCHOR; i++)
		if (same_file(fd, p->anchor[i]))
			return true;
	return false;
}

/* Store fd; when every slot is full, close what was in a random one. */
void slot_put(struct proc *p, struct thread *t, int fd, enum kind kind)
{
	unsigned int i, start = rng_below(&t->rng, NSLOT);
	uint64_t v = pack(fd, kind), old;

	if (fd < 0)
		return;
	if (reserved(p, fd, kind)) {
		close(fd);
		return;
	}
	for (i = 0; i < NSLOT; i++) {
		uint64_t empty = 0;

		if (atomic_compare_exchange_strong(
			    &p->slot[(start + i) % NSLOT], &empty, v))
			return;
	}
	old = atomic_exchange(&p->slot[start], v);
	if (old)
		close(unpack(old, NULL));
}

/*
 * In a fork child: fork copies the descriptor table before the memory,
 * while the parent's other threads go on, so a slot may name a number
 * the child does not have open (or have in another slot).  Forget those.
 */
void slot_fork_fixup(struct proc *p)
{
	int i, j;

	for (i = 0; i < NSLOT; i++) {
		uint64_t v = atomic_load(&p->slot[i]);
		int fd = unpack(v, NULL);

		if (!v)
			continue;
		for (j = 0; j < i; j++)
			if (atomic_load(&p->slot[j]) &&
			    unpack(atomic_load(&p->slot[j]), NULL) == fd)
				break;
		if (j < i || fcntl(fd, F_GETFD) < 0)
			atomic_store(&p->slot[i], 0);
	}
}

void slot_close_all(struct proc *p)
{
	int i;

	for (i = 0; i < NSLOT; i++) {
		uint64_t v = atomic_exchange(&p->slot[i], 0);

		if (v)
			close(unpack(v, NULL));
	}
}

enum kind fd_kind(int fd)
{
	static dev_t doors_rdev;
	struct stat st;

	if (fstat(fd, &st))
		return K_NONE;
	switch (st.st_mode & S_IFMT) {
	case DOOR_S_IFDOOR:
		return K_DOOR;
	case S_IFREG:
		return K_FILE;
	case S_IFDIR:
		return K_DIR;
	case S_IFIFO:
		return K_PIPE;
	case S_IFSOCK:
		return K_SOCK;
	case S_IFCHR:
		if (!doors_rdev) {
			struct stat ds;

			if (!stat("/dev/doors", &ds))
				doors_rdev = ds.st_rdev;
		}
		if (st.st_rdev == doors_rdev)
			return K_CTX;
		if (st.st_rdev == makedev(1, 3))
			return K_NULL;
		return K_OTHER;
	default:
		return K_EVENT;
	}
}
