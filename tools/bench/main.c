// SPDX-License-Identifier: GPL-2.0
/*
 * doorbench: a door call against the other ways Linux has to call
 * another process and wait for the answer.
 *
 *   doorbench rt ...	round trips: payload sizes, CPU placements
 *   doorbench conc ...	calls per second: clients against server threads
 *   doorbench mem ...	kernel memory of doors, parked threads, calls
 *
 * Every result is a JSON object on a line of its own (report.awk turns
 * them into tables and plot.awk into a plot).  Under QEMU's
 * "-icount shift=0" one guest nanosecond is one guest instruction, so
 * the nanoseconds measured there are instructions.
 */
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

const struct mechanism *const mechanisms[] = {
	&door_mechanism,
	&futex_mechanism,
	&eventfd_mechanism,
	&pipe_mechanism,
	&unix_mechanism,
	&seqpacket_mechanism,
	&binder_mechanism,
	&doorraw_mechanism,
	&handoff_mechanism,
	&yield_mechanism,
	&kcopy_mechanism,
};
const size_t nr_mechanisms = ARRAY_SIZE(mechanisms);

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "rt", cmd_rt },
	{ "conc", cmd_conc },
	{ "mem", cmd_mem },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: doorbench rt|conc|mem [OPTION...]  (doorbench COMMAND --help)\n"
		"mechanisms:");
	for (i = 0; i < nr_mechanisms; i++)
		fprintf(f, " %s", mechanisms[i]->name);
	fputc('\n', f);
}

int main(int argc, char **argv)
{
	size_t i;

	if (nr_mechanisms > MAX_MECHANISMS)
		errx(1, "raise MAX_MECHANISMS");
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	/* A peer that dies must show up as EPIPE, not kill the other side. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		err(1, "signal(SIGPIPE)");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	usage(stderr);
	return 2;
}
