// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile arguments: where argument structures are placed (good,
 * misaligned, read-only, straddling into an inaccessible page, or at
 * addresses that are never valid), bad buffer pointers, descriptors whose
 * nature is known or not, paths and sizes.
 *
 * Each thread has an arena, mapped once when its process starts (see
 * struct arena), so that nothing here maps or unmaps memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "doorfuzz.h"

#define PAGE		4096ul
#define SCRATCH		(2 * PAGE)
#define ABUF_LEN	(ARG_MAX + 2 * PAGE)
#define RBUF_LEN	(REPLY_MAX + 2 * PAGE)
#define PER_THREAD	(STACK_SIZE + SCRATCH + PAGE + ABUF_LEN + RBUF_LEN + \
			 SBUF_SIZE)

/*
 * The read-only pages and their writable alias: two shared mappings of a
 * memfd (at the given addresses, when not NULL).
 */
static int ro_map(char *at, char *at_rw, int nthreads, char **ro,
		  char **ro_rw)
{
	int memfd = memfd_create("doorfuzz-ro", MFD_CLOEXEC);

	if (memfd < 0 || ftruncate(memfd, PAGE * nthreads))
		return -1;
	*ro = mmap(at, PAGE * nthreads, PROT_READ,
		   MAP_SHARED | (at ? MAP_FIXED : 0), memfd, 0);
	*ro_rw = mmap(at_rw, PAGE * nthreads, PROT_READ | PROT_WRITE,
		      MAP_SHARED | (at_rw ? MAP_FIXED : 0), memfd, 0);
	close(memfd);
	return *ro == MAP_FAILED || *ro_rw == MAP_FAILED ? -1 : 0;
}

/* A fork child shares the read-only pages: give it its own. */
int arena_fork_fixup(struct proc *p)
{
	char *ro, *ro_rw;

	return ro_map(p->thr[0].a.ro, p->thr[0].a.ro_rw, p->nthreads, &ro,
		      &ro_rw);
}

int arena_map(struct proc *p, int nthreads)
{
	char *base, *ro, *ro_rw;
	int i;

	base = mmap(NULL, PER_THREAD * nthreads, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return -1;
	if (ro_map(NULL, NULL, nthreads, &ro, &ro_rw))
		return -1;

	for (i = 0; i < nthreads; i++) {
		struct arena *a = &p->thr[i].a;
		char *m = base + PER_THREAD * i;

		a->stack = m;
		a->scratch = m + STACK_SIZE;
		a->guard = a->scratch + SCRATCH;
		a->abuf = a->guard + PAGE;
		a->rbuf = a->abuf + ABUF_LEN;
		a->sbuf = a->rbuf + RBUF_LEN;
		a->ro = ro + PAGE * i;
		a->ro_rw = ro_rw + PAGE * i;
		if (mprotect(a->guard, PAGE, PROT_NONE))
			return -1;
	}
	return 0;
}

uint64_t user_limit = (1ull << 47) - PAGE;

/*
 * access_ok()'s limit: TASK_SIZE_MAX, which is 2^56 - PAGE_SIZE with
 * 5-level page tables (QEMU's -cpu max has them).
 */
void user_limit_probe(void)
{
	void *hint = (void *)(uintptr_t)(1ull << 50);
	void *m = mmap(hint, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
		       MAP_FIXED_NOREPLACE, -1, 0);

	if (m == hint)
		user_limit = (1ull << 56) - PAGE;
	if (m != MAP_FAILED)
		munmap(m, PAGE);
}

enum place pick_place(struct thread *t)
{
	static const enum place bad[] = {
		PL_MISALIGN, PL_MISALIGN, PL_RO, PL_STRADDLE, PL_STRADDLE,
		PL_GUARD, PL_NULL, PL_KERNEL, PL_NONCANON, PL_LOW,
	};

	if (rng_pct(&t->rng, 90))
		return PL_GOOD;
	return bad[rng_below(&t->rng, ARRAY_SIZE(bad))];
}

static const char *const place_names[NPLACE] = {
	"good", "misaligned", "read-only", "straddling", "guard page",
	"NULL", "kernel", "non-canonical", "low",
};

const char *place_name(enum place pl)
{
	return place_names[pl];
}

bool place_readable(enum place pl)
{
	return pl <= PL_RO;
}

bool place_writable(enum place pl)
{
	return pl <= PL_MISALIGN;
}

static uint64_t never_valid(struct thread *t)
{
	static const uint64_t addrs[] = {
		0xffffffff81000000ull,		/* kernel text */
		0xffff888000000000ull,		/* direct map */
		0x0000800000000000ull,		/* first non-canonical */
		0x8000000000000000ull,
		0xfffffffffffff000ull,
		0x1000,				/* below mmap_min_addr */
		0x8,
	};

	return addrs[rng_below(&t->rng, ARRAY_SIZE(addrs))];
}

void *place(struct thread *t, enum place pl, const void *src, size_t len)
{
	struct arena *a = &t->a;
	char *dst;
	size_t k;

	switch (pl) {
	case PL_GOOD:
		dst = a->scratch;
		break;
	case PL_MISALIGN:
		dst = a->scratch + 1 + rng_below(&t->rng, 7);
		break;
	case PL_RO:
		memcpy(a->ro_rw, src, len);
		return a->ro;
	case PL_STRADDLE:
		/* the first k bytes readable, the rest in the guard page */
		k = 1 + rng_below(&t->rng, len - 1);
		memcpy(a->guard - k, src, k);
		return a->guard - k;
	case PL_GUARD:
		return a->guard;
	case PL_NULL:
		return NULL;
	case PL_KERNEL:
		return (void *)(uintptr_t)(rng_pct(&t->rng, 50) ?
			0xffffffff81000000ull : 0xffff888000000000ull);
	case PL_NONCANON:
		return (void *)(uintptr_t)0x0000800000000000ull;
	default:
		return (void *)(uintptr_t)(0x1000 + 0x1000 *
					   rng_below(&t->rng, 8));
	}
	memcpy(dst, src, len);
	return dst;
}

bool unplace(struct thread *t, enum place pl, void *uptr, void *dst,
	     size_t len)
{
	(void)t;
	if (!place_writable(pl))
		return false;
	memcpy(dst, uptr, len);
	return true;
}

uint64_t bad_ptr(struct thread *t)
{
	if (rng_pct(&t->rng, 40))
		return (uint64_t)(uintptr_t)t->a.guard +
			rng_below(&t->rng, PAGE);
	return never_valid(t);
}

static const char *const fdclass_names[] = {
	"slot", "anchor", "private anchor", "refuse anchor", "context",
	"non-door", "bad fd", "DOOR_QUERY", "random",
};

const char *fdclass_name(enum fdclass fc)
{
	return fdclass_names[fc];
}

int pick_fd(struct thread *t, enum fdclass *fc)
{
	static const int badfds[] = {
		-1, -3, INT_MIN, INT_MAX, 1 << 20, 65535, 4096,
	};
	struct proc *p = t->p;
	unsigned int r = rng_below(&t->rng, 100);
	enum kind kind;
	int fd;

	/*
	 * In a child, the anchors are another process's doors: what the
	 * kernel says about them is not known here.
	 */
	if (r < 70 && r >= 55 && p->anchor[A_PLAIN] >= 0) {
		int which = r < 65 ? A_PLAIN : r < 68 ? A_PRIVATE : A_REFUSE;

		*fc = !p->anchors_own || p->depth ? FC_SLOT :
			which == A_PLAIN ? FC_ANCHOR :
			which == A_PRIVATE ? FC_PRIVATE : FC_REFUSE;
		return p->anchor[which];
	}
	if (r < 70) {
		fd = slot_peek(p, t, &kind);
		*fc = FC_SLOT;
		if (fd >= 0)
			return fd;
		r = 85;
	}
	if (r < 76 && p->ctx >= 0) {
		*fc = FC_CTX;
		return p->ctx;
	}
	if (r < 82) {
		*fc = FC_NONDOOR;
		return rng_pct(&t->rng, 50) ? p->devnull : p->pipe[0];
	}
	if (r < 92) {
		*fc = FC_BADFD;
		return badfds[rng_below(&t->rng, ARRAY_SIZE(badfds))];
	}
	if (r < 96) {
		*fc = FC_QUERY;
		return DOOR_QUERY;
	}
	*fc = FC_RANDOM;
	return rng_below(&t->rng, 64);
}

/*
 * Attach targets (relative to the run's directory, which is every
 * worker's working directory) and paths every lookup refuses.
 */
uint64_t pick_path(struct thread *t, int *err)
{
	static const char *const good[] = {
		"f0", "f1", "f2", "f3", "d", "link", "f0", "f1",
	};
	static char longname[NAME_MAX + 8];
	static char longpath[PATH_MAX + 64];
	unsigned int r = rng_below(&t->rng, 100);
	char *end;

	*err = 0;
	if (r < 80)
		return (uint64_t)(uintptr_t)good[rng_below(&t->rng,
						     ARRAY_SIZE(good))];
	switch (r % 8) {
	case 0:
		*err = ENOENT;
		return (uint64_t)(uintptr_t)"none";
	case 1:
		*err = ENOENT;
		return (uint64_t)(uintptr_t)"";
	case 2:
		*err = ENOTDIR;
		return (uint64_t)(uintptr_t)"f0/x";
	case 3:
		*err = ELOOP;
		return (uint64_t)(uintptr_t)"loop";
	case 4:
		*err = ENAMETOOLONG;
		if (!longname[0])
			memset(longname, 'n', sizeof(longname) - 1);
		return (uint64_t)(uintptr_t)longname;
	case 5:
		*err = ENAMETOOLONG;
		if (!longpath[0]) {
			size_t i;

			for (i = 0; i + 2 < sizeof(longpath); i += 2)
				memcpy(longpath + i, "./", 2);
		}
		return (uint64_t)(uintptr_t)longpath;
	case 6:
		/* no terminating NUL before the guard page */
		*err = EFAULT;
		end = t->a.guard;
		memset(end - 64, 'u', 64);
		return (uint64_t)(uintptr_t)(end - 64);
	default:
		*err = EFAULT;
		return bad_ptr(t);
	}
}

uint64_t pick_size(struct thread *t, size_t max)
{
	static const uint64_t edges[] = {
		0, 1, 7, 8, 48, 511, 512, 513, 4095, 4096, 4097, 8192,
		16384, 65535, 65536, 65537,
	};
	unsigned int r = rng_below(&t->rng, 100);
	uint64_t n;

	if (r < 30)
		n = edges[rng_below(&t->rng, ARRAY_SIZE(edges))];
	else if (r < 60)
		n = rng_below(&t->rng, 512);
	else if (r < 85)
		n = rng_below(&t->rng, 8192);
	else
		n = rng_below(&t->rng, max + 1);
	return n > max ? max : n;
}
