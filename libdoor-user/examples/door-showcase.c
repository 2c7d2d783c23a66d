// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * door-showcase: a tour of the doors API, in the spirit of the examples
 * of the illumos manual pages.  One process is the server; a child it
 * forks is the client.  Every step prints what happens; the program
 * exits 0 if everything behaved as it should.
 *
 * The server has:
 *   - a service door (DOOR_UNREF) with a name in the file system
 *     (fattach), which greets its clients by their credentials
 *     (door_ucred), writes a line into a pipe the client passes it, and
 *     hands out a descriptor of the counter door;
 *   - a counter door (DOOR_PRIVATE) served by a thread bound to it
 *     (door_bind), revoked at the end (door_revoke);
 *   - a door with a private pool of its own (door_xcreate);
 *   - its own server creation function (door_server_create).
 * The service door's unreferenced notification ends the show.
 *
 * Usage: door-showcase
 */
#include <door.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <stropts.h>
#include <sys/wait.h>
#include <ucred.h>
#include <unistd.h>

#define NAME_MAX_LEN	64
#define DATA_MAX	256

enum op { OP_HELLO, OP_LOG, OP_COUNTER };

struct request {
	int op;
	char text[NAME_MAX_LEN];
};

static char door_path[NAME_MAX_LEN];
static int counter_door = -1;		/* handed out by OP_COUNTER */
static int unref_pipe[2];		/* the unref notification: "done" */

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* The service door's procedure. */
static void service(void *cookie, char *argp, size_t arg_size,
		    door_desc_t *dp, uint_t n_desc)
{
	char reply[256];
	struct request req;
	ucred_t *uc = NULL;
	const gid_t *groups;
	door_info_t di;
	door_desc_t d;
	int n;

	if (argp == DOOR_UNREF_DATA) {
		printf("server: %s door unreferenced\n", (char *)cookie);
		if (write(unref_pipe[1], "u", 1) != 1)
			die("write");
		(void) door_return(NULL, 0, NULL, 0);
		return;
	}
	if (arg_size != sizeof(req)) {
		(void) door_return(NULL, 0, NULL, 0);
		return;
	}
	memcpy(&req, argp, sizeof(req));
	req.text[sizeof(req.text) - 1] = '\0';

	switch (req.op) {
	case OP_HELLO:
		if (door_ucred(&uc) != 0 || door_info(DOOR_QUERY, &di) != 0) {
			n = snprintf(reply, sizeof(reply), "error: %s",
				     strerror(errno));
		} else {
			n = snprintf(reply, sizeof(reply),
				     "hello %s: pid %ld, euid %ld, ruid %ld, "
				     "egid %ld, %d groups (door %llu)",
				     req.text, (long)ucred_getpid(uc),
				     (long)ucred_geteuid(uc),
				     (long)ucred_getruid(uc),
				     (long)ucred_getegid(uc),
				     ucred_getgroups(uc, &groups),
				     (unsigned long long)di.di_uniquifier);
		}
		ucred_free(uc);
		(void) door_return(reply, n + 1, NULL, 0);
		break;
	case OP_LOG:
		/* The client's descriptor: a new one here, same open file. */
		if (n_desc == 1 && (dp->d_attributes & DOOR_DESCRIPTOR)) {
			n = snprintf(reply, sizeof(reply),
				     "server %ld logged: %s\n",
				     (long)getpid(), req.text);
			if (write(dp->d_data.d_desc.d_descriptor, reply, n) != n)
				perror("server: write");
			(void) close(dp->d_data.d_desc.d_descriptor);
		}
		(void) door_return(NULL, 0, NULL, 0);
		break;
	case OP_COUNTER:
		d.d_attributes = DOOR_DESCRIPTOR;
		d.d_data.d_desc.d_descriptor = counter_door;
		(void) door_return(NULL, 0, &d, 1);
		break;
	}
	(void) door_return(NULL, 0, NULL, 0);
}

/* The counter door's procedure: its cookie is the count. */
static void counter(void *cookie, char *argp, size_t arg_size,
		    door_desc_t *dp, uint_t n_desc)
{
	int *count = cookie;
	door_cred_t dc;
	int value[2];

	(void) argp;
	(void) arg_size;
	(void) dp;
	(void) n_desc;
	value[0] = ++*count;
	value[1] = door_cred(&dc) == 0 ? (int)dc.dc_pid : -1;
	(void) door_return((char *)value, sizeof(value), NULL, 0);
}

/* The door_xcreate() door's procedure. */
static void pooled(void *cookie, char *argp, size_t arg_size,
		   door_desc_t *dp, uint_t n_desc)
{
	static const char answer[] = "answered by the private pool";

	(void) cookie;
	(void) argp;
	(void) arg_size;
	(void) dp;
	(void) n_desc;
	(void) door_return((char *)answer, sizeof(answer), NULL, 0);
}

/*
 * The server creation function: one detached thread, cancellation
 * disabled, in the process's pool, as the illumos default does.  Private
 * doors get their threads from main(), which binds one.
 */
static void *server_thread(void *arg)
{
	(void) arg;
	(void) pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	(void) door_return(NULL, 0, NULL, 0);
	return NULL;
}

static void create_server(door_info_t *dip)
{
	pthread_attr_t attr;
	pthread_t tid;

	if (dip != NULL) {
		if (!(dip->di_attributes & DOOR_DEPLETION_CB))
			printf("server: creation function called for private "
			       "door %llu\n",
			       (unsigned long long)dip->di_uniquifier);
		return;
	}
	(void) pthread_attr_init(&attr);
	(void) pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&tid, &attr, server_thread, NULL) != 0)
		fprintf(stderr, "server: cannot start a server thread\n");
	(void) pthread_attr_destroy(&attr);
}

/* The counter door's server thread, bound to it. */
static void *bound_thread(void *arg)
{
	int d = *(int *)arg;

	(void) pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	if (door_bind(d) != 0)
		die("door_bind");
	(void) door_return(NULL, 0, NULL, 0);
	return NULL;
}

/* door_xcreate(): its creation function and thread set-up. */
static int pool_create(door_info_t *dip, void *(*startf)(void *),
		       void *startarg, void *crcookie)
{
	pthread_attr_t attr;
	pthread_t tid;
	int ret;

	(void) crcookie;
	if (!(dip->di_attributes & DOOR_DEPLETION_CB))
		printf("server: starting a pool thread for door %llu\n",
		       (unsigned long long)dip->di_uniquifier);
	(void) pthread_attr_init(&attr);
	(void) pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	ret = pthread_create(&tid, &attr, startf, startarg);
	(void) pthread_attr_destroy(&attr);
	return ret == 0 ? 1 : -1;
}

static void pool_setup(void *crcookie)
{
	(void) crcookie;
	(void) pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
}

static void show_info(const char *who, const char *name, int d)
{
	door_info_t di;

	if (door_info(d, &di) != 0)
		die("door_info");
	printf("%s: %s door %llu: server pid %ld, attributes 0x%x%s%s%s\n",
	       who, name, (unsigned long long)di.di_uniquifier,
	       (long)di.di_target, di.di_attributes,
	       di.di_attributes & DOOR_LOCAL ? " LOCAL" : "",
	       di.di_attributes & DOOR_UNREF ? " UNREF" : "",
	       di.di_attributes & DOOR_PRIVATE ? " PRIVATE" : "");
}

/* Client side: the child. */
static void request(door_arg_t *arg, int op, const char *text, char *rbuf,
		    size_t rsize)
{
	static struct request req;

	memset(&req, 0, sizeof(req));
	req.op = op;
	(void) snprintf(req.text, sizeof(req.text), "%s", text);
	memset(arg, 0, sizeof(*arg));
	arg->data_ptr = (char *)&req;
	arg->data_size = sizeof(req);
	arg->rbuf = rbuf;
	arg->rsize = rsize;
}

static int client(pid_t server, int pool_door)
{
	char rbuf[512], line[256];
	door_desc_t d;
	door_arg_t arg;
	door_info_t di;
	ssize_t len;
	int fd, cd, value[2], p[2], i;
	char big[DATA_MAX + 1];

	/* The name: a plain open() gives a descriptor door_call() takes. */
	fd = open(door_path, O_RDONLY);
	if (fd < 0)
		die(door_path);
	show_info("client", "service", fd);
	if (door_info(fd, &di) != 0 || di.di_target != server ||
	    (di.di_attributes & DOOR_LOCAL)) {
		fprintf(stderr, "client: wrong door_info\n");
		return 1;
	}

	request(&arg, OP_HELLO, "child", rbuf, sizeof(rbuf));
	if (door_call(fd, &arg) != 0)
		die("door_call hello");
	printf("client: %s\n", arg.data_ptr);

	/* A descriptor to the server: it writes, we read. */
	if (pipe(p) != 0)
		die("pipe");
	d.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
	d.d_data.d_desc.d_descriptor = p[1];
	request(&arg, OP_LOG, "a line through a passed pipe", rbuf,
		sizeof(rbuf));
	arg.desc_ptr = &d;
	arg.desc_num = 1;
	if (door_call(fd, &arg) != 0)
		die("door_call log");
	if (fcntl(p[1], F_GETFD) != -1) {
		fprintf(stderr, "client: DOOR_RELEASE left the pipe open\n");
		return 1;
	}
	len = read(p[0], line, sizeof(line) - 1);
	if (len <= 0)
		die("read");
	line[len] = '\0';
	printf("client: read back \"%.*s\"\n", (int)len - 1, line);
	(void) close(p[0]);

	/* A descriptor from the server: a door to call. */
	request(&arg, OP_COUNTER, "", rbuf, sizeof(rbuf));
	if (door_call(fd, &arg) != 0 || arg.desc_num != 1)
		die("door_call counter");
	cd = arg.desc_ptr->d_data.d_desc.d_descriptor;
	printf("client: received door %llu as descriptor %d\n",
	       (unsigned long long)arg.desc_ptr->d_data.d_desc.d_id, cd);
	for (i = 0; i < 3; i++) {
		arg.data_ptr = NULL;
		arg.data_size = 0;
		arg.desc_ptr = NULL;
		arg.desc_num = 0;
		arg.rbuf = (char *)value;
		arg.rsize = sizeof(value);
		if (door_call(cd, &arg) != 0 || arg.data_size != sizeof(value))
			die("door_call counter door");
		printf("client: counter says %d (door_cred pid %d)\n",
		       value[0], value[1]);
		if (value[0] != i + 1 || value[1] != getpid())
			return 1;
	}
	(void) close(cd);

	/* Too much data for the service door's DOOR_PARAM_DATA_MAX. */
	memset(big, 'x', sizeof(big));
	arg.data_ptr = big;
	arg.data_size = sizeof(big);
	arg.desc_ptr = NULL;
	arg.desc_num = 0;
	arg.rbuf = rbuf;
	arg.rsize = sizeof(rbuf);
	if (door_call(fd, &arg) == 0 || errno != ENOBUFS) {
		fprintf(stderr, "client: expected ENOBUFS\n");
		return 1;
	}
	printf("client: %zu bytes refused: %s\n", sizeof(big),
	       strerror(errno));

	/* The door with a private pool, inherited across fork(). */
	arg.data_ptr = NULL;
	arg.data_size = 0;
	arg.rbuf = rbuf;
	arg.rsize = sizeof(rbuf);
	if (door_call(pool_door, &arg) != 0)
		die("door_call pool");
	printf("client: %s\n", arg.data_ptr);

	(void) close(fd);
	return 0;
}

int main(void)
{
	static int count;
	door_info_t di;
	door_arg_t arg;
	size_t value;
	pthread_t tid;
	int svc, pool, spare, fd, status;
	pid_t pid;
	char c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pipe(unref_pipe) != 0)
		die("pipe");
	(void) door_server_create(create_server);

	/* The service door, named in the file system. */
	svc = door_create(service, "service", DOOR_UNREF);
	if (svc < 0)
		die("door_create service");
	(void) snprintf(door_path, sizeof(door_path), "/tmp/door-showcase.%ld",
			(long)getpid());
	fd = open(door_path, O_RDONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		die(door_path);
	(void) close(fd);
	if (fattach(svc, door_path) != 0)
		die("fattach");
	printf("server: service door attached to %s\n", door_path);
	show_info("server", "service", svc);

	if (door_setparam(svc, DOOR_PARAM_DATA_MAX, DATA_MAX) != 0)
		die("door_setparam");
	if (door_getparam(svc, DOOR_PARAM_DATA_MAX, &value) != 0)
		die("door_getparam");
	printf("server: service door takes at most %zu bytes", value);
	if (door_getparam(svc, DOOR_PARAM_DESC_MAX, &value) != 0)
		die("door_getparam");
	printf(", %zu descriptors\n", value);

	/* The counter door: private, served by a thread bound to it. */
	counter_door = door_create(counter, &count, DOOR_PRIVATE);
	if (counter_door < 0)
		die("door_create counter");
	show_info("server", "counter", counter_door);
	if (pthread_create(&tid, NULL, bound_thread, &counter_door) != 0)
		die("pthread_create");
	(void) pthread_detach(tid);

	/* door_bind()/door_unbind() in this thread, to see them work. */
	if (door_bind(counter_door) != 0 || door_info(DOOR_QUERY, &di) != 0)
		die("door_bind");
	printf("server: main thread bound to door %llu", (unsigned long long)
	       di.di_uniquifier);
	if (door_unbind() != 0)
		die("door_unbind");
	printf(", unbound: door_info(DOOR_QUERY) %s\n",
	       door_info(DOOR_QUERY, &di) == 0 ? "still works" :
	       strerror(errno));

	/* A door with its own private pool of two threads. */
	pool = door_xcreate(pooled, NULL, 0, pool_create, pool_setup, NULL, 2);
	if (pool < 0)
		die("door_xcreate");
	show_info("server", "pool", pool);

	/* The client. */
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		_exit(client(getppid(), pool));
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "server: the client failed\n");
		return 1;
	}
	printf("server: client %ld done\n", (long)pid);

	/* Revoking a door: calls through every descriptor of it fail. */
	spare = dup(counter_door);
	if (spare < 0 || door_revoke(counter_door) != 0)
		die("door_revoke");
	memset(&arg, 0, sizeof(arg));
	if (door_call(spare, &arg) == 0 || errno != EBADF) {
		fprintf(stderr, "server: revoked door still answers\n");
		return 1;
	}
	printf("server: counter door revoked: %s\n", strerror(errno));
	(void) close(spare);
	if (door_revoke(pool) != 0)
		die("door_revoke");

	/* Taking the name away leaves one reference: unreferenced. */
	if (fdetach(door_path) != 0)
		die("fdetach");
	(void) unlink(door_path);
	printf("server: service door detached\n");
	if (read(unref_pipe[0], &c, 1) != 1)
		die("read");
	(void) door_revoke(svc);
	printf("door-showcase: all done\n");
	return 0;
}
