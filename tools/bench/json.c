// SPDX-License-Identifier: GPL-2.0
/*
 * The output: one flat JSON object per line (JSON Lines), every value a
 * string or a number, so that a line-oriented reader (report.awk) can
 * take it apart.
 */
#include <err.h>
#include <inttypes.h>
#include <stdio.h>

#include "bench.h"

static const char *sep;

void json_begin(const char *test)
{
	sep = "";
	putchar('{');
	json_str("test", test);
}

static void key(const char *k)
{
	printf("%s\"%s\":", sep, k);
	sep = ",";
}

void json_str(const char *k, const char *val)
{
	key(k);
	putchar('"');
	for (; *val; val++) {
		if (*val == '"' || *val == '\\')
			putchar('\\');
		if ((unsigned char)*val < 0x20)
			printf("\\u%04x", *val);
		else
			putchar(*val);
	}
	putchar('"');
}

void json_u64(const char *k, uint64_t val)
{
	key(k);
	printf("%" PRIu64, val);
}

void json_num(const char *k, double val)
{
	key(k);
	printf("%.1f", val);
}

void json_frac(const char *k, double val)
{
	key(k);
	printf("%.3f", val);
}

/* Flushed line by line: a later failure keeps what was measured. */
void json_end(void)
{
	puts("}");
	if (fflush(stdout) || ferror(stdout))
		errx(1, "writing the results failed");
}
