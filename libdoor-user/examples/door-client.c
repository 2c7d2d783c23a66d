// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * door-client: call the door named PATH (default /tmp/doors-demo) with
 * TEXT (the remaining arguments joined by spaces) and print the reply.
 *
 * Usage: door-client [PATH [TEXT...]]
 */
#include <door.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* Small on purpose: longer replies come in a mapping of their own. */
#define RBUF_SIZE	128

static char *join(int argc, char **argv)
{
	size_t len = 1;
	char *text;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	text = malloc(len);
	if (!text)
		return NULL;
	text[0] = '\0';
	for (i = 0; i < argc; i++) {
		if (i)
			strcat(text, " ");
		strcat(text, argv[i]);
	}
	return text;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/tmp/doors-demo";
	char rbuf[RBUF_SIZE];
	door_arg_t arg;
	char *text;
	int fd;

	text = argc > 2 ? join(argc - 2, argv + 2) : "hello, door";
	if (!text) {
		perror("malloc");
		return 1;
	}

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		return 1;
	}

	arg.data_ptr = text;
	arg.data_size = strlen(text) + 1;
	arg.desc_ptr = NULL;
	arg.desc_num = 0;
	arg.rbuf = rbuf;
	arg.rsize = sizeof(rbuf);
	if (door_call(fd, &arg) < 0) {
		perror("door_call");
		return 1;
	}

	printf("Reply: %.*s\n", (int)strnlen(arg.data_ptr, arg.data_size),
	       arg.data_ptr);

	if (arg.rbuf != rbuf)
		munmap(arg.rbuf, arg.rsize);
	close(fd);
	return 0;
}
