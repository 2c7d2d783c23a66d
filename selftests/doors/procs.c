// SPDX-License-Identifier: GPL-2.0
/* Server procedures and client checks shared by the libdoor tests. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "procs.h"
#include "util.h"

void echo_proc(void *cookie, char *argp, size_t arg_size,
	       door_desc_t *dp, uint_t n_desc)
{
	(void)cookie;
	(void)dp;
	(void)n_desc;
	door_return(argp, arg_size, NULL, 0);
}

int echo_check(int fd)
{
	char rbuf[16] = "";
	door_arg_t arg = {
		.data_ptr = "ping",
		.data_size = 5,
		.rbuf = rbuf,
		.rsize = sizeof(rbuf),
	};

	if (door_call(fd, &arg))
		return -1;
	if (arg.data_size != 5 || memcmp(arg.data_ptr, "ping", 5)) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

void gate_proc(void *cookie, char *argp, size_t arg_size,
	       door_desc_t *dp, uint_t n_desc)
{
	static char results[GATE_BIG_RESULTS];
	const struct gate *g = cookie;
	uint64_t size = 0;

	(void)dp;
	(void)n_desc;
	if (arg_size == sizeof(size))
		memcpy(&size, argp, sizeof(size));
	if (size > sizeof(results))
		size = 0;
	memset(results, 'r', size);
	notify(g->inside[1]);
	await(g->release[0]);
	if (size)
		door_return(results, size, NULL, 0);
	else
		door_return("done", 5, NULL, 0);
}
