// SPDX-License-Identifier: GPL-2.0
/*
 * doorbench rt: the round trip sweep.  For every CPU placement and
 * payload size, each mechanism's number of round trips is calibrated so
 * that one repetition lasts about --budget-ms; then the repetitions run,
 * the mechanisms taking turns, so that a disturbance on a loaded host
 * spreads over all of them.  One record per mechanism, size and
 * placement: the median, minimum and maximum nanoseconds per round trip.
 *
 * Two placements set the scheduler instead of CPUs: on one CPU, whether
 * a wake-up preempts the waker decides whether the waker's next wait
 * blocks (futex, pipe, eventfd and sockets take fewer steps when it
 * does not need to), and with CFS's default granularity that depends on
 * how far apart the two processes' virtual run times happened to start.
 * "block" makes every waiter block (wakeup_granularity_ns 4 s: wake-ups
 * never preempt), "preempt" makes a wake-up preempt whenever CFS allows
 * (0 ns).
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "bench.h"

/* Keeps the futex word's count of hand-offs, 2 per round trip, below 2^31. */
#define MAX_ROUND_TRIPS	1000000000ul
#define MAX_SIZES	16
#define MAX_REPS	99
#define MAX_WARMUP	1000
#define MAX_PLACES	5

struct placement {
	const char *name;
	int server_cpu, client_cpu;
	/* CFS's wakeup_granularity_ns meanwhile, or NULL to leave it */
	const char *wakeup_gran;
};

#define WAKEUP_GRAN	"/sys/kernel/debug/sched/wakeup_granularity_ns"

struct rt_opts {
	const char *meter;
	size_t sizes[MAX_SIZES], nr_sizes;
	bool *selected;
	struct placement places[MAX_PLACES];
	size_t nr_places;
	unsigned long reps, budget_ns, min_iters, max_iters;
};

struct job {
	const struct mechanism *m;
	struct bench_cfg cfg;
};

static struct result job_run(const void *arg)
{
	const struct job *j = arg;

	return j->m->run(&j->cfg);
}

static struct result measure(const struct job *j)
{
	struct result r = run_isolated(job_run, j, j->cfg.server_cpu);

	if (r.calls != j->cfg.iters || !r.ns)
		errx(1, "%s: %llu round trips in %llu ns, expected %lu",
		     j->m->name, (unsigned long long)r.calls,
		     (unsigned long long)r.ns, j->cfg.iters);
	return r;
}

/*
 * Grow a trial run 4-fold until it lasts a tenth of the budget and has
 * at least 16 round trips, or lasts the whole budget; then scale it to
 * the budget.  Several trials, so that a slow first round trip (a cold
 * start, a host hiccup) does not decide alone.
 */
static void calibrate(struct job *j, const struct rt_opts *o)
{
	unsigned long n = 1;
	struct result r;
	double iters;

	for (;;) {
		j->cfg.iters = n;
		j->cfg.warmup = n < 4 ? 1 : n / 4;
		r = measure(j);
		if (r.ns >= o->budget_ns || n >= o->max_iters ||
		    (r.ns * 10 >= o->budget_ns && n >= 16))
			break;
		n = n * 4 < o->max_iters ? n * 4 : o->max_iters;
	}
	iters = (double)n * (double)o->budget_ns / (double)r.ns;
	if (iters < (double)o->min_iters)
		iters = (double)o->min_iters;
	if (iters > (double)o->max_iters)
		iters = (double)o->max_iters;
	j->cfg.iters = (unsigned long)iters;
	j->cfg.warmup = j->cfg.iters / 10 + 1;
	if (j->cfg.warmup > MAX_WARMUP)
		j->cfg.warmup = MAX_WARMUP;
}

/* One repetition: ns, and the client's switches, per round trip. */
struct rep {
	double ns, vcsw, ivcsw;
};

static int cmp_rep(const void *a, const void *b)
{
	double x = ((const struct rep *)a)->ns, y = ((const struct rep *)b)->ns;

	return (x > y) - (x < y);
}

static void record_head(const struct rt_opts *o, const struct mechanism *m,
			size_t size, const struct placement *p)
{
	json_begin("rt");
	json_str("meter", o->meter);
	json_str("mech", m->name);
	json_str("label", m->label);
	json_u64("size", size);
	json_str("place", p->name);
}

static void sweep_point(const struct rt_opts *o, size_t size,
			const struct placement *p)
{
	static struct job jobs[MAX_MECHANISMS];
	static struct rep per_trip[MAX_MECHANISMS][MAX_REPS];
	const struct mechanism *m;
	const char *why;
	size_t i, n = 0;
	unsigned long rep;
	struct result r;

	for (i = 0; i < nr_mechanisms; i++) {
		m = mechanisms[i];
		if (!o->selected[i] ||
		    (m->reference && p->server_cpu != CPU_ANY))
			continue;
		why = m->unsupported ? m->unsupported(size) : NULL;
		if (why) {
			record_head(o, m, size, p);
			json_str("na", why);
			json_end();
			continue;
		}
		jobs[n] = (struct job){
			.m = m,
			.cfg = {
				.size = size,
				.server_cpu = p->server_cpu,
				.client_cpu = p->client_cpu,
			},
		};
		calibrate(&jobs[n], o);
		n++;
	}
	for (rep = 0; rep < o->reps; rep++)
		for (i = 0; i < n; i++) {
			r = measure(&jobs[i]);
			per_trip[i][rep] = (struct rep){
				.ns = (double)r.ns / (double)r.calls,
				.vcsw = (double)r.vcsw / (double)r.calls,
				.ivcsw = (double)r.ivcsw / (double)r.calls,
			};
		}
	for (i = 0; i < n; i++) {
		qsort(per_trip[i], o->reps, sizeof(per_trip[i][0]), cmp_rep);
		record_head(o, jobs[i].m, size, p);
		json_u64("iters", jobs[i].cfg.iters);
		json_u64("warmup", jobs[i].cfg.warmup);
		json_u64("reps", o->reps);
		json_num("median_ns", per_trip[i][o->reps / 2].ns);
		json_num("min_ns", per_trip[i][0].ns);
		json_num("max_ns", per_trip[i][o->reps - 1].ns);
		/* how the client waited, in the median repetition */
		json_frac("client_vcsw", per_trip[i][o->reps / 2].vcsw);
		json_frac("client_ivcsw", per_trip[i][o->reps / 2].ivcsw);
		json_end();
	}
}

static void parse_places(struct rt_opts *o, char *list,
			 const unsigned long *cpus)
{
	static const char *const names[] = {
		"unpinned", "same", "cross", "block", "preempt",
	};
	static const char *const gran[] = {
		NULL, NULL, NULL, "4000000000", "0",
	};
	char *name, *save;
	size_t i;

	o->nr_places = 0;
	for (name = strtok_r(list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (!strcmp(name, names[i]))
				break;
		if (i == ARRAY_SIZE(names) || o->nr_places == MAX_PLACES)
			errx(2, "--place: unpinned, same, cross, block or preempt, not '%s'",
			     name);
		o->places[o->nr_places++] = (struct placement){
			.name = names[i],
			.server_cpu = i == 1 || i == 2 ? (int)cpus[0] : CPU_ANY,
			.client_cpu = i == 1 || i == 2 ?
				(int)cpus[i == 1 ? 0 : 1] : CPU_ANY,
			.wakeup_gran = gran[i],
		};
	}
}

/* Write CFS's wakeup granularity (debugfs), keeping the old value. */
static void wakeup_gran_set(const char *val, char old[32])
{
	FILE *f;

	if (access(WAKEUP_GRAN, F_OK) &&
	    mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL) &&
	    errno != EBUSY)
		err(1, "mount debugfs");
	if (old) {
		f = fopen(WAKEUP_GRAN, "re");
		if (!f || !fgets(old, 32, f))
			err(1, "%s", WAKEUP_GRAN);
		fclose(f);
	}
	f = fopen(WAKEUP_GRAN, "we");
	if (!f)
		err(1, "%s", WAKEUP_GRAN);
	if (fputs(val, f) < 0 || fclose(f))
		err(1, "writing %s to %s", val, WAKEUP_GRAN);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: doorbench rt [OPTION...]\n"
		"  --meter NAME      name of the meter, for the records (default wall)\n"
		"  --sizes LIST      payload bytes each way (default 0,64,4K,64K,1M,16M)\n"
		"  --only LIST       mechanisms (default: all)\n"
		"  --place LIST      unpinned, same (both on CPU A), cross (server on A,\n"
		"                    client on B), block or preempt (unpinned, wake-ups\n"
		"                    never or always preempt) (default unpinned)\n"
		"  --cpus A,B        (default 0,1)\n"
		"  --reps N          repetitions (default 5)\n"
		"  --budget-ms N     length of one repetition (default 50)\n"
		"  --min-iters N     round trips per repetition, at least (default 3)\n"
		"  --max-iters N     and at most (default 1000000)\n");
}

int cmd_rt(int argc, char **argv)
{
	static const struct option options[] = {
		{ "meter", required_argument, NULL, 'm' },
		{ "sizes", required_argument, NULL, 's' },
		{ "only", required_argument, NULL, 'o' },
		{ "place", required_argument, NULL, 'p' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "reps", required_argument, NULL, 'r' },
		{ "budget-ms", required_argument, NULL, 'b' },
		{ "min-iters", required_argument, NULL, 'i' },
		{ "max-iters", required_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char default_sizes[] = "0,64,4K,64K,1M,16M", default_place[] = "unpinned";
	char *sizes = default_sizes, *place = default_place;
	bool selected[MAX_MECHANISMS];
	struct rt_opts o = {
		.meter = "wall",
		.selected = selected,
		.reps = 5,
		.budget_ns = 50 * 1000000ul,
		.min_iters = 3,
		.max_iters = 1000000,
	};
	unsigned long cpus[2] = { 0, 1 };
	size_t i, j;
	int opt;

	for (i = 0; i < nr_mechanisms; i++)
		selected[i] = true;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'm':
			o.meter = optarg;
			break;
		case 's':
			sizes = optarg;
			break;
		case 'o':
			parse_mechanisms("--only", optarg, selected);
			break;
		case 'p':
			place = optarg;
			break;
		case 'c':
			if (parse_list("--cpus", optarg, cpus, 2, 0, 1023) != 2)
				errx(2, "--cpus wants two CPUs");
			break;
		case 'r':
			o.reps = parse_ulong("--reps", optarg, 1, MAX_REPS);
			break;
		case 'b':
			o.budget_ns = parse_ulong("--budget-ms", optarg, 1, 100000) *
				      1000000ul;
			break;
		case 'i':
			o.min_iters = parse_ulong("--min-iters", optarg, 1,
						  MAX_ROUND_TRIPS / 2);
			break;
		case 'I':
			o.max_iters = parse_ulong("--max-iters", optarg, 1,
						  MAX_ROUND_TRIPS / 2);
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
	if (o.min_iters > o.max_iters)
		errx(2, "--min-iters exceeds --max-iters");
	o.nr_sizes = parse_sizes("--sizes", sizes, o.sizes, MAX_SIZES);
	parse_places(&o, place, cpus);

	for (i = 0; i < o.nr_places; i++) {
		char old[32];

		if (o.places[i].wakeup_gran)
			wakeup_gran_set(o.places[i].wakeup_gran, old);
		for (j = 0; j < o.nr_sizes; j++)
			sweep_point(&o, o.sizes[j], &o.places[i]);
		if (o.places[i].wakeup_gran)
			wakeup_gran_set(old, NULL);
	}
	return 0;
}
