// SPDX-License-Identifier: GPL-2.0
/*
 * tbcount.so, a QEMU TCG plugin for tools/bench/profile.sh: how many
 * times the guest ran each translation block.  At exit it writes, one
 * block a line, its guest virtual address (16 hex digits), its number of
 * instructions and how many times it ran, to the file named by its out=
 * argument:
 *
 *	qemu-system-x86_64 -plugin tbcount.so,out=FILE ...
 *
 * Blocks run that many instructions each time, except when an exception
 * or interrupt leaves one early (rare against a round trip's thousands).
 * A block that is translated again (another mode, or its page written)
 * counts with the first, by address and length.
 *
 * QEMU's plugin interface, version 1 (QEMU 7.2, as Debian 12 ships it),
 * is a C ABI of named functions; Debian ships no header for it, so the
 * few declarations used are written out below from its documentation.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_info_t;
struct qemu_plugin_tb;

enum qemu_plugin_op {
	QEMU_PLUGIN_INLINE_ADD_U64,
};

typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
					       struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb,
					      enum qemu_plugin_op op,
					      void *ptr, uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
				    qemu_plugin_udata_cb_t cb, void *userdata);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);

#define EXPORT __attribute__((visibility("default")))

EXPORT int qemu_plugin_version = 1;

/* Open addressing, never resized: the counters' addresses are in the code. */
#define NBLOCKS	(1u << 22)

struct block {
	uint64_t vaddr;
	uint64_t ninsns;	/* 0: a free slot */
	uint64_t count;
};

static struct block *blocks;
static unsigned long nused;
static const char *out = "tbcount.out";

static struct block *block_of(uint64_t vaddr, uint64_t ninsns)
{
	uint64_t h = (vaddr * 0x9e3779b97f4a7c15ull) >> 40 ^ ninsns;

	for (;; h++) {
		struct block *b = &blocks[h & (NBLOCKS - 1)];

		if (b->vaddr == vaddr && b->ninsns == ninsns)
			return b;
		if (!b->ninsns) {
			if (++nused > NBLOCKS / 2) {
				fprintf(stderr, "tbcount: more than %u blocks\n",
					NBLOCKS / 2);
				exit(1);
			}
			b->vaddr = vaddr;
			b->ninsns = ninsns;
			return b;
		}
	}
}

static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	struct block *b = block_of(qemu_plugin_tb_vaddr(tb),
				   qemu_plugin_tb_n_insns(tb));

	(void)id;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &b->count, 1);
}

static void finished(qemu_plugin_id_t id, void *userdata)
{
	FILE *f = fopen(out, "w");
	size_t i;

	(void)id;
	(void)userdata;
	if (!f) {
		perror(out);
		return;
	}
	for (i = 0; i < NBLOCKS; i++)
		if (blocks[i].count)
			fprintf(f, "%016" PRIx64 " %" PRIu64 " %" PRIu64 "\n",
				blocks[i].vaddr, blocks[i].ninsns,
				blocks[i].count);
	if (fclose(f))
		perror(out);
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
			       const struct qemu_info_t *info,
			       int argc, char **argv)
{
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "out=", 4)) {
			fprintf(stderr, "tbcount: unknown argument %s\n",
				argv[i]);
			return -1;
		}
		out = argv[i] + 4;
	}
	blocks = calloc(NBLOCKS, sizeof(*blocks));
	if (!blocks)
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
	qemu_plugin_register_atexit_cb(id, finished, NULL);
	return 0;
}
