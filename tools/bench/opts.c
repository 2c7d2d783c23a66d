// SPDX-License-Identifier: GPL-2.0
/* Command-line values.  A bad value exits with status 2. */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

unsigned long parse_ulong(const char *opt, const char *s,
			  unsigned long min, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v < min || v > max)
		errx(2, "%s wants a number from %lu to %lu, not '%s'",
		     opt, min, max, s);
	return v;
}

size_t parse_size(const char *opt, const char *s)
{
	unsigned long v, shift = 0;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end == 'K')
		shift = 10;
	else if (*end == 'M')
		shift = 20;
	if (shift)
		end++;
	if (*s < '0' || *s > '9' || *end || errno || v > (1ul << 30) >> shift)
		errx(2, "%s wants a size (a number, K or M after it) up to 1G, not '%s'",
		     opt, s);
	return v << shift;
}

size_t parse_list(const char *opt, char *list, unsigned long *vals,
		  size_t max, unsigned long min, unsigned long maxval)
{
	char *item, *save;
	size_t n = 0;

	for (item = strtok_r(list, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		if (n == max)
			errx(2, "%s: at most %zu values", opt, max);
		vals[n++] = parse_ulong(opt, item, min, maxval);
	}
	if (!n)
		errx(2, "%s: no value", opt);
	return n;
}

size_t parse_sizes(const char *opt, char *list, size_t *vals, size_t max)
{
	char *item, *save;
	size_t n = 0;

	for (item = strtok_r(list, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		if (n == max)
			errx(2, "%s: at most %zu values", opt, max);
		vals[n++] = parse_size(opt, item);
	}
	if (!n)
		errx(2, "%s: no value", opt);
	return n;
}

void parse_mechanisms(const char *opt, char *list, bool *selected)
{
	char *name, *save;
	size_t i;

	memset(selected, 0, nr_mechanisms * sizeof(*selected));
	for (name = strtok_r(list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < nr_mechanisms; i++)
			if (!strcmp(name, mechanisms[i]->name))
				break;
		if (i == nr_mechanisms)
			errx(2, "%s: no mechanism '%s'", opt, name);
		selected[i] = true;
	}
}
