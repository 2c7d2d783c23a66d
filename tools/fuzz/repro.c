// SPDX-License-Identifier: GPL-2.0
/*
 * doorrepro: the kernel bugs doorfuzz and doorstorm found, each reduced
 * to a short program that fails (exit 1) while the bug is there.  See
 * Documentation/reliability.md, "Bugs found".
 *
 *   doorrepro [CASE...]	every case, or those named
 *   doorrepro --list	the cases' names
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/doors.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int ctx_new(void)
{
	int ctx = open("/dev/doors", O_RDWR | O_CLOEXEC);

	if (ctx < 0) {
		perror("doorrepro: /dev/doors");
		exit(2);
	}
	return ctx;
}

static int door_new(int ctx, unsigned int attributes)
{
	struct door_create_args c = { .attributes = attributes };
	int d = ioctl(ctx, DOOR_IOC_CREATE, &c);

	if (d < 0) {
		perror("doorrepro: DOOR_IOC_CREATE");
		exit(2);
	}
	return d;
}

static int attach(int ctx, unsigned long cmd, int fd, const char *path)
{
	struct door_attach_args a = {
		.fd = fd,
		.path = (unsigned long)path,
	};

	return ioctl(ctx, cmd, &a) ? errno : 0;
}

static int fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/*
 * unref-plain: a door created without DOOR_UNREF or DOOR_UNREF_MULTI,
 * attached to a file, with no descriptor left but the attachment's: a
 * file opened on the name and closed again gives it an unreferenced
 * invocation.  Deterministic: the server thread's first invocation is
 * either that (the bug) or the call made afterwards.
 */
static int unref_plain_ctx;

static void *unref_plain_server(void *arg)
{
	static char buf[4096];
	struct door_return_args a = {
		.buf = (unsigned long)buf,
		.buf_size = sizeof(buf),
	};

	(void)arg;
	if (ioctl(unref_plain_ctx, DOOR_IOC_RETURN, &a)) {
		perror("doorrepro: unref-plain: DOOR_IOC_RETURN");
		_exit(2);
	}
	if (a.inv.data_ptr == DOOR_UNREF_DATA_PTR) {
		printf("BUG unref-plain: door attributes %#x got an unreferenced invocation\n",
		       a.inv.attributes);
		_exit(1);
	}
	_exit(0);
}

static int unref_plain_child(const char *path)
{
	struct door_call_args call = { 0 };
	pthread_t th;
	int ctx, d, f;

	ctx = unref_plain_ctx = ctx_new();
	d = door_new(ctx, 0);
	close(open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0644));
	if (attach(ctx, DOOR_IOC_FATTACH, d, path)) {
		perror("doorrepro: unref-plain: fattach");
		return 2;
	}
	pthread_create(&th, NULL, unref_plain_server, NULL);
	close(d);				/* the attachment holds it */
	close(open(path, O_RDONLY | O_CLOEXEC));
	f = open(path, O_RDONLY | O_CLOEXEC);
	call.fd = f;
	ioctl(ctx, DOOR_IOC_CALL, &call);	/* answered, or not at all */
	pthread_join(th, NULL);
	return 2;
}

static int unref_plain(void)
{
	const char *path = "/tmp/doorrepro-unref-plain";
	int status, ret = 2, ctx;
	pid_t pid = fork();

	if (pid == 0)
		_exit(unref_plain_child(path));
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		ret = WEXITSTATUS(status);
	ctx = ctx_new();
	attach(ctx, DOOR_IOC_FDETACH, -1, path);
	close(ctx);
	unlink(path);
	if (!ret)
		printf("ok unref-plain\n");
	return ret;
}

/*
 * abandon-fds: a call passes a descriptor and 16 MiB of arguments; a
 * timer signal makes its client give up while the server copies them.
 * The server then parks again without returning to user space, but the
 * descriptor was installed in its table: nobody knows it, nobody closes
 * it.  The server closes every descriptor it is told about, so any new
 * descriptor at the end is one of those.
 */
#define ABANDON_ARGS	(16 << 20)
#define ABANDON_CALLS	100

static int abandon_ctx;
static _Atomic int abandon_seen;

static void *abandon_server(void *arg)
{
	size_t size = ABANDON_ARGS + 4096;
	char *buf = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	struct door_return_args a = { 0 };

	(void)arg;
	if (buf == MAP_FAILED)
		_exit(2);
	for (;;) {
		const struct door_udesc *d;
		unsigned int i;

		a.buf = (unsigned long)buf;
		a.buf_size = size;
		if (ioctl(abandon_ctx, DOOR_IOC_RETURN, &a)) {
			memset(&a, 0, sizeof(a));
			continue;
		}
		d = (const void *)(unsigned long)a.inv.desc_ptr;
		for (i = 0; i < a.inv.desc_num; i++, abandon_seen++)
			close(d[i].d_descriptor);
		memset(&a, 0, offsetof(struct door_return_args, inv));
	}
	return NULL;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static int abandon_child(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	char *args = mmap(NULL, ABANDON_ARGS, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC), d, i, n0, n1;
	int intr = 0;
	pthread_t th;

	if (args == MAP_FAILED || null < 0)
		return 2;
	sigaction(SIGALRM, &sa, NULL);
	abandon_ctx = ctx_new();
	d = door_new(abandon_ctx, 0);
	pthread_create(&th, NULL, abandon_server, NULL);
	n0 = fd_count();
	for (i = 0; i < ABANDON_CALLS; i++) {
		struct door_udesc desc = {
			.d_attributes = DOOR_DESCRIPTOR,
			.d_descriptor = null,
		};
		struct door_call_args a = {
			.fd = d,
			.data_ptr = (unsigned long)args,
			.data_size = ABANDON_ARGS,
			.desc_ptr = (unsigned long)&desc,
			.desc_num = 1,
		};
		struct itimerval it = {
			.it_value.tv_usec = 1000 + (i % 20) * 1000,
		};

		setitimer(ITIMER_REAL, &it, NULL);
		if (ioctl(abandon_ctx, DOOR_IOC_CALL, &a))
			intr++;
	}
	/*
	 * A call answered: the server thread is done with the ones before
	 * (there is one).
	 */
	for (;;) {
		struct door_call_args a = { .fd = d };

		if (!ioctl(abandon_ctx, DOOR_IOC_CALL, &a))
			break;
		if (errno != EINTR && errno != EAGAIN) {
			perror("doorrepro: abandon-fds: last call");
			return 2;
		}
	}
	n1 = fd_count();
	if (n1 == n0) {
		printf("ok abandon-fds (%d calls, %d interrupted)\n",
		       ABANDON_CALLS, intr);
		return 0;
	}
	printf("BUG abandon-fds: %d calls (%d interrupted) passed a descriptor each; the server was told of %d and closed them, yet has %d descriptors more\n",
	       ABANDON_CALLS, intr, abandon_seen, n1 - n0);
	return 1;
}

static int abandon_fds(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(abandon_child());
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 2;
	return WEXITSTATUS(status);
}

/*
 * attach-eexist: two threads attach a door each to the same file and
 * detach it, 5,000 times.  fattach may fail with EBUSY (the other's is
 * attached), nothing else; it fails with EEXIST when it comes between
 * the other's fdetach dropping its attachment and removing its fsnotify
 * mark.
 */
#define EEXIST_PATH	"/tmp/doorrepro-attach"
#define EEXIST_LOOPS	5000

static int eexist_ctx;
static _Atomic int eexist_seen, eexist_other;

static void *eexist_loop(void *arg)
{
	int door = (int)(long)arg, i, e;

	for (i = 0; i < EEXIST_LOOPS; i++) {
		e = attach(eexist_ctx, DOOR_IOC_FATTACH, door, EEXIST_PATH);
		if (e == EEXIST)
			eexist_seen++;
		else if (e && e != EBUSY)
			eexist_other++;
		if (!e)
			attach(eexist_ctx, DOOR_IOC_FDETACH, -1, EEXIST_PATH);
	}
	return NULL;
}

static int attach_eexist(void)
{
	pthread_t th[2];
	int i;

	close(open(EEXIST_PATH, O_CREAT | O_RDWR | O_CLOEXEC, 0644));
	eexist_ctx = ctx_new();
	for (i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, eexist_loop,
			       (void *)(long)door_new(eexist_ctx, 0));
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	attach(eexist_ctx, DOOR_IOC_FDETACH, -1, EEXIST_PATH);
	close(eexist_ctx);
	unlink(EEXIST_PATH);
	if (eexist_seen || eexist_other) {
		printf("BUG attach-eexist: %d fattach calls failed with EEXIST, %d with another errno than EBUSY\n",
		       eexist_seen, eexist_other);
		return 1;
	}
	printf("ok attach-eexist\n");
	return 0;
}

/*
 * results-efault: a call whose door_call_args the caller can read but
 * not write (a read-only page) gets results with a descriptor.  The
 * kernel installs the descriptor, then cannot write where it is and
 * fails the call with EFAULT: the descriptor stays in the caller's table
 * with nobody knowing its number.
 */
static int efault_ctx;

static void *efault_server(void *arg)
{
	static char buf[4096];
	struct door_return_args a = { 0 };
	struct door_udesc d = {
		.d_attributes = DOOR_DESCRIPTOR,
		.d_descriptor = (int)(long)arg,
	};

	for (;;) {
		a.buf = (unsigned long)buf;
		a.buf_size = sizeof(buf);
		if (ioctl(efault_ctx, DOOR_IOC_RETURN, &a)) {
			memset(&a, 0, sizeof(a));
			continue;
		}
		memset(&a, 0, offsetof(struct door_return_args, inv));
		a.desc_ptr = (unsigned long)&d;
		a.desc_num = 1;
	}
	return NULL;
}

static int results_efault_child(void)
{
	static char rbuf[4096];
	struct door_call_args *ro;
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC), n0, n1, ret;
	pthread_t th;

	ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro == MAP_FAILED || null < 0)
		return 2;
	efault_ctx = ctx_new();
	ro->fd = door_new(efault_ctx, 0);
	ro->rbuf = (unsigned long)rbuf;
	ro->rsize = sizeof(rbuf);
	if (mprotect(ro, 4096, PROT_READ))
		return 2;
	pthread_create(&th, NULL, efault_server, (void *)(long)null);
	n0 = fd_count();
	ret = ioctl(efault_ctx, DOOR_IOC_CALL, ro) ? errno : 0;
	n1 = fd_count();
	if (ret != EFAULT) {
		printf("doorrepro: results-efault: DOOR_IOC_CALL: %s, expected EFAULT\n",
		       strerror(ret));
		return 2;
	}
	if (n1 == n0) {
		printf("ok results-efault\n");
		return 0;
	}
	printf("BUG results-efault: the call failed with EFAULT and left %d descriptors more in the caller\n",
	       n1 - n0);
	return 1;
}

static int results_efault(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(results_efault_child());
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 2;
	return WEXITSTATUS(status);
}

/*
 * return-release: a server returns results whose data pointer is bad,
 * with a DOOR_RELEASE descriptor.  DOOR_IOC_RETURN fails with EFAULT and
 * the thread still holds the call, to return again (abi.rst); the
 * descriptor must then still be open, as it stays open when a call fails
 * with EFAULT: the kernel closes it before it finds the pointer bad, and
 * the server's second return passes a closed descriptor, or one a
 * thread has opened since under the same number.
 */
static int rr_ctx;
static _Atomic int rr_open = -1;

static void *rr_server(void *arg)
{
	static char buf[4096];
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int rel = fcntl(null, F_DUPFD_CLOEXEC, 900);
	struct door_udesc d = {
		.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE,
		.d_descriptor = rel,
	};
	struct door_return_args a = {
		.buf = (unsigned long)buf,
		.buf_size = sizeof(buf),
	};

	(void)arg;
	if (ioctl(rr_ctx, DOOR_IOC_RETURN, &a))
		_exit(2);
	memset(&a, 0, sizeof(a));
	a.data_ptr = 8;				/* never mapped */
	a.data_size = 16;
	a.desc_ptr = (unsigned long)&d;
	a.desc_num = 1;
	if (!ioctl(rr_ctx, DOOR_IOC_RETURN, &a) || errno != EFAULT)
		_exit(2);
	rr_open = fcntl(rel, F_GETFD) >= 0;
	/* the call is still ours: answer it properly */
	memset(&a, 0, sizeof(a));
	a.flags = DOOR_RETURN_EXIT;
	ioctl(rr_ctx, DOOR_IOC_RETURN, &a);
	return NULL;
}

static int return_release_child(void)
{
	struct door_call_args call = { 0 };
	pthread_t th;
	int ret;

	rr_ctx = ctx_new();
	call.fd = door_new(rr_ctx, 0);
	pthread_create(&th, NULL, rr_server, NULL);
	ret = ioctl(rr_ctx, DOOR_IOC_CALL, &call) ? errno : 0;
	pthread_join(th, NULL);
	if (ret || rr_open < 0) {
		printf("doorrepro: return-release: the call: %s\n",
		       strerror(ret));
		return 2;
	}
	if (rr_open) {
		printf("ok return-release\n");
		return 0;
	}
	printf("BUG return-release: DOOR_IOC_RETURN failed with EFAULT, the server still holds the call, and its DOOR_RELEASE descriptor is closed\n");
	return 1;
}

static int return_release(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(return_release_child());
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 2;
	return WEXITSTATUS(status);
}

static const struct {
	const char *name;
	int (*run)(void);
} cases[] = {
	{ "unref-plain", unref_plain },
	{ "abandon-fds", abandon_fds },
	{ "attach-eexist", attach_eexist },
	{ "results-efault", results_efault },
	{ "return-release", return_release },
};

int main(int argc, char **argv)
{
	unsigned int i;
	int j, bad = 0, ran = 0, ret;

	setvbuf(stdout, NULL, _IOLBF, 0);	/* children _exit() */
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < ARRAY_SIZE(cases); i++)
			printf("%s\n", cases[i].name);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (j = 1; j < argc && strcmp(argv[j], cases[i].name); j++)
			;
		if (argc > 1 && j == argc)
			continue;
		ret = cases[i].run();
		if (ret > 1)
			printf("doorrepro: %s could not run\n", cases[i].name);
		bad |= ret;
		ran++;
	}
	if (!ran) {
		fprintf(stderr, "usage: doorrepro [CASE...]; cases:");
		for (i = 0; i < ARRAY_SIZE(cases); i++)
			fprintf(stderr, " %s", cases[i].name);
		fprintf(stderr, "\n");
		return 2;
	}
	return bad ? 1 : 0;
}
