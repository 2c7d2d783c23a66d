/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Server procedures and client checks shared by the tests that serve
 * with libdoor.  Like util.h, nothing here asserts.
 */
#ifndef DOORS_SELFTEST_PROCS_H
#define DOORS_SELFTEST_PROCS_H

#include <door.h>

/* Returns its arguments as its results. */
void echo_proc(void *cookie, char *argp, size_t arg_size,
	       door_desc_t *dp, uint_t n_desc);

/*
 * Call door fd with "ping": 0 if "ping" came back, else -1 with errno
 * set (EPROTO if other results came).
 */
int echo_check(int fd);

/*
 * A procedure that holds its call: its cookie is a struct gate.  It
 * writes a byte to inside[1] ("the procedure runs"), waits for one on
 * release[0] ("return now"), then returns "done" (5 bytes), or as many
 * bytes 'r' as its arguments ask (a uint64_t, up to GATE_BIG_RESULTS).
 * It returns if door_return() fails.
 */
#define GATE_BIG_RESULTS	65536

struct gate {
	int *inside;
	int *release;
};

void gate_proc(void *cookie, char *argp, size_t arg_size,
	       door_desc_t *dp, uint_t n_desc);

#endif
