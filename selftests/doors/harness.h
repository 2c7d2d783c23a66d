/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kselftest harness of Linux 6.1 plus the two options of later
 * harnesses the runner relies on:
 *
 *   -l        list the tests, one "fixture.variant.test" name a line
 *   -t NAME   run only the tests named NAME (a test name, or its full
 *             "fixture.test" / "fixture.variant.test" name); repeatable
 *
 * Use DOORS_HARNESS_MAIN instead of TEST_HARNESS_MAIN.
 */
#ifndef DOORS_SELFTEST_HARNESS_H
#define DOORS_SELFTEST_HARNESS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

static const char *__doors_full_name(struct __fixture_metadata *f,
				     struct __fixture_variant_metadata *v,
				     struct __test_metadata *t)
{
	static char name[256];

	snprintf(name, sizeof(name), "%s%s%s.%s", f->name,
		 v->name[0] ? "." : "", v->name, t->name);
	return name;
}

static bool __doors_selected(char **names, int n,
			     struct __fixture_metadata *f,
			     struct __fixture_variant_metadata *v,
			     struct __test_metadata *t)
{
	char short_name[256];
	int i;

	snprintf(short_name, sizeof(short_name), "%s.%s", f->name, t->name);
	for (i = 0; i < n; i++)
		if (!strcmp(names[i], t->name) ||
		    !strcmp(names[i], short_name) ||
		    !strcmp(names[i], __doors_full_name(f, v, t)))
			return true;
	return false;
}

/* Keep, in every fixture, the variants and tests some name selects. */
static void __doors_filter(char **names, int n)
{
	struct __fixture_variant_metadata no_variant = { .name = "" };
	struct __fixture_variant_metadata *v, **vlink;
	struct __test_metadata *t, **tlink;
	struct __fixture_metadata *f;
	bool keep, varied;

	for (f = __fixture_list; f; f = f->next) {
		varied = f->variant;
		tlink = &f->tests;
		for (t = f->tests; t; t = t->next) {
			keep = false;
			for (v = f->variant ?: &no_variant; v; v = v->next)
				keep |= __doors_selected(names, n, f, v, t);
			if (keep) {
				*tlink = t;
				tlink = &t->next;
			}
		}
		*tlink = NULL;

		vlink = &f->variant;
		for (v = f->variant; v; v = v->next) {
			keep = false;
			for (t = f->tests; t; t = t->next)
				keep |= __doors_selected(names, n, f, v, t);
			if (keep) {
				*vlink = v;
				vlink = &v->next;
			}
		}
		*vlink = NULL;
		/* A fixture whose variants all went must not run unvaried. */
		if (varied && !f->variant)
			f->tests = NULL;
	}
}

static void __doors_list(void)
{
	struct __fixture_variant_metadata no_variant = { .name = "" };
	struct __fixture_variant_metadata *v;
	struct __test_metadata *t;
	struct __fixture_metadata *f;

	for (f = __fixture_list; f; f = f->next)
		for (v = f->variant ?: &no_variant; v; v = v->next)
			for (t = f->tests; t; t = t->next)
				printf("%s\n", __doors_full_name(f, v, t));
}

static int __doors_harness_run(int argc, char **argv)
{
	char *names[argc];
	int n = 0, opt;

	while ((opt = getopt(argc, argv, "lt:")) != -1) {
		switch (opt) {
		case 'l':
			__doors_list();
			return 0;
		case 't':
			names[n++] = optarg;
			break;
		default:
			fprintf(stderr, "usage: %s [-l] [-t NAME]...\n",
				argv[0]);
			return KSFT_FAIL;
		}
	}
	if (n)
		__doors_filter(names, n);
	return test_harness_run(argc, argv);
}

#define DOORS_HARNESS_MAIN \
	static void __attribute__((constructor)) \
	__constructor_order_last(void) \
	{ \
		if (!__constructor_order) \
			__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD; \
	} \
	int main(int argc, char **argv) \
	{ \
		return __doors_harness_run(argc, argv); \
	}

#endif
