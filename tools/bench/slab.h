/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel memory snapshots, for doorbench mem. */
#ifndef DOORBENCH_SLAB_H
#define DOORBENCH_SLAB_H

#include "bench.h"

#define MAX_CACHES	512

struct slab_cache {
	char name[64];
	unsigned long active;	/* objects in use */
	unsigned long objsize;	/* bytes each, with SLUB's metadata */
};

struct mem_snapshot {
	struct slab_cache caches[MAX_CACHES];
	size_t nr_caches;
	unsigned long slab_kb, kernel_stack_kb, page_tables_kb;
};

void mem_snapshot(struct mem_snapshot *s);
/*
 * Records of what grew from a to b, per item (count of them): every
 * cache that grew by 8 bytes an item or more, and the totals: slab
 * objects, slab pages, kernel stacks and page tables, in bytes.
 */
void mem_report(const char *what, const struct mem_snapshot *a,
		const struct mem_snapshot *b, unsigned long count);

#endif /* DOORBENCH_SLAB_H */
