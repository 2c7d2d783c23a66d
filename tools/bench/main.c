// SPDX-License-Identifier: GPL-2.0
/*
 * doorbench: the cost of a round trip between two processes through a
 * door, against futexes, pipes and AF_UNIX sockets.
 *
 * Under QEMU's "-icount shift=0" one guest nanosecond is one guest
 * instruction, so the nanoseconds per round trip it prints there are
 * instructions per round trip.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench.h"

/* Keeps the futex word's count of hand-offs, 2 per round trip, below 2^31. */
#define MAX_ROUND_TRIPS	1000000000ul
#define MAX_SIZE	(1ul << 20)

static const struct mechanism *const mechanisms[] = {
	&door_mechanism,
	&futex_mechanism,
	&pipe_mechanism,
	&unix_mechanism,
};
#define NR_MECHANISMS	(sizeof(mechanisms) / sizeof(mechanisms[0]))

static void usage(FILE *f)
{
	fprintf(f,
		"usage: doorbench [--iters N] [--warmup N] [--size BYTES] [--only NAME[,NAME...]] [--json]\n"
		"  --iters N     timed round trips per mechanism (default 20000)\n"
		"  --warmup N    untimed round trips before them (default 1000)\n"
		"  --size BYTES  payload each way (default 0: a null call; pipe and unix still carry 1 byte)\n"
		"  --only NAMES  run only these: door, futex, pipe, unix\n"
		"  --json        print only the JSON line, not the Markdown table\n");
}

static unsigned long parse_ulong(const char *opt, const char *s,
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

static void select_mechanisms(char *list, bool *selected)
{
	char *name, *save;
	size_t i;

	for (name = strtok_r(list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NR_MECHANISMS; i++)
			if (!strcmp(name, mechanisms[i]->name))
				break;
		if (i == NR_MECHANISMS)
			errx(2, "--only: no mechanism '%s' (door, futex, pipe, unix)",
			     name);
		selected[i] = true;
	}
}

static void print_json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "iters", required_argument, NULL, 'n' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "size", required_argument, NULL, 's' },
		{ "only", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_cfg cfg = { .iters = 20000, .warmup = 1000, .size = 0 };
	bool selected[NR_MECHANISMS] = { false }, only = false, json = false;
	double per_trip[NR_MECHANISMS], futex = 0;
	struct utsname uts;
	const char *sep = "";
	long cpus;
	size_t i;
	int opt;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'n':
			cfg.iters = parse_ulong("--iters", optarg, 1, MAX_ROUND_TRIPS);
			break;
		case 'w':
			cfg.warmup = parse_ulong("--warmup", optarg, 0, MAX_ROUND_TRIPS);
			break;
		case 's':
			cfg.size = parse_ulong("--size", optarg, 0, MAX_SIZE);
			break;
		case 'o':
			select_mechanisms(optarg, selected);
			only = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (cfg.iters + cfg.warmup > MAX_ROUND_TRIPS)
		errx(2, "--iters plus --warmup must not exceed %lu", MAX_ROUND_TRIPS);
	if (!only)
		for (i = 0; i < NR_MECHANISMS; i++)
			selected[i] = true;
	if (uname(&uts))
		err(1, "uname");
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 1)
		err(1, "sysconf(_SC_NPROCESSORS_ONLN)");
	/* A peer that dies must show up as EPIPE, not kill the other side. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		err(1, "signal(SIGPIPE)");

	for (i = 0; i < NR_MECHANISMS; i++) {
		if (!selected[i])
			continue;
		per_trip[i] = (double)mechanisms[i]->run(&cfg) / (double)cfg.iters;
		if (mechanisms[i] == &futex_mechanism)
			futex = per_trip[i];
	}

	if (!json) {
		printf("doorbench: %lu round trips after %lu warm-up ones, %zu-byte payload%s, Linux %s, %ld CPU%s online\n\n",
		       cfg.iters, cfg.warmup, cfg.size,
		       cfg.size ? "" : " (null call)", uts.release,
		       cpus, cpus == 1 ? "" : "s");
		printf("| mechanism | ns (= instructions under icount) per round trip | ratio to futex |\n");
		printf("| --- | ---: | ---: |\n");
		for (i = 0; i < NR_MECHANISMS; i++) {
			if (!selected[i])
				continue;
			printf("| %s | %.1f | ", mechanisms[i]->label, per_trip[i]);
			if (futex > 0)
				printf("%.2f |\n", per_trip[i] / futex);
			else
				printf("n/a |\n");
		}
		putchar('\n');
	}

	printf("{\"benchmark\":\"doorbench\",\"kernel\":");
	print_json_string(uts.release);
	printf(",\"cpus\":%ld,\"iters\":%lu,\"warmup\":%lu,\"size\":%zu,\"results\":{",
	       cpus, cfg.iters, cfg.warmup, cfg.size);
	for (i = 0; i < NR_MECHANISMS; i++) {
		if (!selected[i])
			continue;
		printf("%s\"%s\":{\"ns_per_round_trip\":%.1f,\"ratio_to_futex\":",
		       sep, mechanisms[i]->name, per_trip[i]);
		sep = ",";
		if (futex > 0)
			printf("%.3f}", per_trip[i] / futex);
		else
			printf("null}");
	}
	printf("}}\n");
	if (fflush(stdout) || ferror(stdout))
		errx(1, "writing the results failed");
	return 0;
}
