// SPDX-License-Identifier: GPL-2.0
/*
 * doorbench conc: the concurrency sweep.  For every number of server
 * threads and of client threads, null calls for --duration-ms from
 * every client thread; the repetitions run with the mechanisms taking
 * turns.  One record per mechanism and pair: the median, minimum and
 * maximum calls per second.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

#define MAX_COUNTS	8
#define MAX_REPS	99
#define MAX_THREADS	256

struct job {
	const struct mechanism *m;
	struct conc_cfg cfg;
};

static struct result job_run(const void *arg)
{
	const struct job *j = arg;

	return j->m->run_conc(&j->cfg);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: doorbench conc [OPTION...]\n"
		"  --meter NAME        name of the meter, for the records (default wall)\n"
		"  --only LIST         mechanisms (default: all that have a concurrency test)\n"
		"  --clients LIST      client threads (default 1,2,4)\n"
		"  --servers LIST      server threads (default 1,2,4)\n"
		"  --reps N            repetitions (default 3)\n"
		"  --duration-ms N     length of one repetition (default 300)\n");
}

int cmd_conc(int argc, char **argv)
{
	static const struct option options[] = {
		{ "meter", required_argument, NULL, 'm' },
		{ "only", required_argument, NULL, 'o' },
		{ "clients", required_argument, NULL, 'c' },
		{ "servers", required_argument, NULL, 's' },
		{ "reps", required_argument, NULL, 'r' },
		{ "duration-ms", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long clients[MAX_COUNTS] = { 1, 2, 4 };
	unsigned long servers[MAX_COUNTS] = { 1, 2, 4 };
	size_t nr_clients = 3, nr_servers = 3, i, s, c, n;
	unsigned long reps = 3, duration_ms = 300, rep;
	static double cps[MAX_MECHANISMS][MAX_REPS];
	struct job jobs[MAX_MECHANISMS];
	bool selected[MAX_MECHANISMS];
	const char *meter = "wall";
	struct result r;
	int opt;

	for (i = 0; i < nr_mechanisms; i++)
		selected[i] = true;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'm':
			meter = optarg;
			break;
		case 'o':
			parse_mechanisms("--only", optarg, selected);
			break;
		case 'c':
			nr_clients = parse_list("--clients", optarg, clients,
						MAX_COUNTS, 1, MAX_THREADS);
			break;
		case 's':
			nr_servers = parse_list("--servers", optarg, servers,
						MAX_COUNTS, 1, MAX_THREADS);
			break;
		case 'r':
			reps = parse_ulong("--reps", optarg, 1, MAX_REPS);
			break;
		case 'd':
			duration_ms = parse_ulong("--duration-ms", optarg,
						  1, 100000);
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

	for (s = 0; s < nr_servers; s++) {
		for (c = 0; c < nr_clients; c++) {
			n = 0;
			for (i = 0; i < nr_mechanisms; i++) {
				if (!selected[i] || !mechanisms[i]->run_conc)
					continue;
				if (mechanisms[i]->unsupported &&
				    mechanisms[i]->unsupported(0))
					continue;
				jobs[n++] = (struct job){
					.m = mechanisms[i],
					.cfg = {
						.clients = (unsigned int)clients[c],
						.servers = (unsigned int)servers[s],
						.duration_ns = duration_ms * 1000000ul,
					},
				};
			}
			for (rep = 0; rep < reps; rep++)
				for (i = 0; i < n; i++) {
					r = run_isolated(job_run, &jobs[i], CPU_ANY);
					cps[i][rep] = 1e9 * (double)r.calls / (double)r.ns;
				}
			for (i = 0; i < n; i++) {
				qsort(cps[i], reps, sizeof(double), cmp_double);
				json_begin("conc");
				json_str("meter", meter);
				json_str("mech", jobs[i].m->name);
				json_str("label", jobs[i].m->label);
				json_u64("clients", clients[c]);
				json_u64("servers", servers[s]);
				json_u64("reps", reps);
				json_num("median_cps", cps[i][reps / 2]);
				json_num("min_cps", cps[i][0]);
				json_num("max_cps", cps[i][reps - 1]);
				json_end();
			}
		}
	}
	return 0;
}
