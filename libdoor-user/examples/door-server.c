// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * door-server: serve a door named PATH (default /tmp/doors-demo) that
 * answers every call with the caller's text in upper case, prefixed with
 * this server's pid.  Runs until SIGINT or SIGTERM, then removes the name.
 *
 * Usage: door-server [PATH]
 */
#include <ctype.h>
#include <door.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stropts.h>
#include <unistd.h>

#define REPLY_MAX	8192

static void upcase(void *cookie, char *argp, size_t arg_size,
		   door_desc_t *dp, uint_t n_desc)
{
	char reply[REPLY_MAX];
	size_t len, i;

	(void)cookie;
	(void)dp;
	(void)n_desc;

	len = snprintf(reply, sizeof(reply), "pid %ld: ", (long)getpid());
	for (i = 0; i < arg_size && argp[i] && len < sizeof(reply) - 1; i++)
		reply[len++] = toupper((unsigned char)argp[i]);
	reply[len++] = '\0';

	door_return(reply, len, NULL, 0);
	perror("door_return");
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/tmp/doors-demo";
	sigset_t stop;
	int did, fd, sig;

	/* Server threads inherit this mask: only sigwait() sees these. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);

	did = door_create(upcase, NULL, 0);
	if (did < 0) {
		perror("door_create");
		return 1;
	}

	fd = open(path, O_RDONLY | O_CREAT, 0644);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	close(fd);

	/* A server that died leaves its door attached: take it away. */
	fdetach(path);
	if (fattach(did, path) < 0) {
		perror("fattach");
		return 1;
	}

	printf("door-server: ready at %s (pid %ld)\n", path, (long)getpid());
	fflush(stdout);

	sigwait(&stop, &sig);
	fdetach(path);
	return 0;
}
