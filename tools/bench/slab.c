// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel memory snapshots: every slab cache's active objects from
 * /proc/slabinfo (root only), and the Slab, KernelStack and PageTables
 * lines of /proc/meminfo; and what changed between two of them, divided
 * over the items created in between.
 *
 * SLUB counts the free objects of the per-CPU slabs as active, so a
 * cache's figure can be off by a slab or two: noise against thousands
 * of items, which is why the items are made by the thousand.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slab.h"

static void read_slabinfo(struct mem_snapshot *s)
{
	FILE *f = fopen("/proc/slabinfo", "re");
	char line[512];
	struct slab_cache *c;

	if (!f)
		err(1, "/proc/slabinfo");
	s->nr_caches = 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "slabinfo", 8) || line[0] == '#')
			continue;
		if (s->nr_caches == MAX_CACHES)
			errx(1, "/proc/slabinfo: more than %d caches", MAX_CACHES);
		c = &s->caches[s->nr_caches];
		if (sscanf(line, "%63s %lu %*u %lu", c->name, &c->active,
			   &c->objsize) != 3)
			errx(1, "/proc/slabinfo: cannot parse '%s'", line);
		s->nr_caches++;
	}
	if (ferror(f) || fclose(f))
		err(1, "/proc/slabinfo");
}

static void read_meminfo(struct mem_snapshot *s)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[128];
	unsigned long kb;

	if (!f)
		err(1, "/proc/meminfo");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Slab: %lu kB", &kb) == 1)
			s->slab_kb = kb;
		else if (sscanf(line, "KernelStack: %lu kB", &kb) == 1)
			s->kernel_stack_kb = kb;
		else if (sscanf(line, "PageTables: %lu kB", &kb) == 1)
			s->page_tables_kb = kb;
	}
	if (ferror(f) || fclose(f))
		err(1, "/proc/meminfo");
}

void mem_snapshot(struct mem_snapshot *s)
{
	read_slabinfo(s);
	read_meminfo(s);
}

static const struct slab_cache *find(const struct mem_snapshot *s,
				     const char *name)
{
	size_t i;

	for (i = 0; i < s->nr_caches; i++)
		if (!strcmp(s->caches[i].name, name))
			return &s->caches[i];
	return NULL;
}

static double kb_per(unsigned long before, unsigned long after,
		     unsigned long count)
{
	return 1024.0 * ((double)after - (double)before) / (double)count;
}

void mem_report(const char *what, const struct mem_snapshot *a,
		const struct mem_snapshot *b, unsigned long count)
{
	const struct slab_cache *c, *old;
	double objects = 0, per;
	size_t i;

	for (i = 0; i < b->nr_caches; i++) {
		c = &b->caches[i];
		old = find(a, c->name);
		per = ((double)c->active - (old ? (double)old->active : 0)) *
		      (double)c->objsize / (double)count;
		objects += per;
		/* Caches that grew by less than 8 bytes an item are noise. */
		if (per < 8 && per > -8)
			continue;
		json_begin("mem-cache");
		json_str("what", what);
		json_str("cache", c->name);
		json_u64("objsize", c->objsize);
		json_num("objects_per_item",
			 ((double)c->active - (old ? (double)old->active : 0)) /
			 (double)count);
		json_num("bytes_per_item", per);
		json_end();
	}
	json_begin("mem");
	json_str("what", what);
	json_u64("count", count);
	json_num("slab_objects_per_item", objects);
	json_num("slab_pages_per_item", kb_per(a->slab_kb, b->slab_kb, count));
	json_num("kernel_stack_per_item",
		 kb_per(a->kernel_stack_kb, b->kernel_stack_kb, count));
	json_num("page_tables_per_item",
		 kb_per(a->page_tables_kb, b->page_tables_kb, count));
	json_end();
}
