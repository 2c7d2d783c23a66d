// SPDX-License-Identifier: GPL-2.0
/*
 * doorctl: look at doors and call them from the shell.
 *
 *   doorctl info FILE...       door_info() of the door attached to each FILE
 *   doorctl call FILE [DATA]   call it with DATA (none: no arguments) and
 *                              write its results to standard output
 *   doorctl list [PID...]      the door descriptors the processes (all, by
 *                              default) hold, from /proc/PID/fd and fdinfo
 *
 * Exit status: 0, 1 if an operation failed (a message says which and
 * why), 2 for a bad command line.
 */
#include <ctype.h>
#include <dirent.h>
#include <door.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: doorctl info FILE...\n"
	"       doorctl call FILE [DATA]\n"
	"       doorctl list [PID...]\n";

static int usage(void)
{
	fputs(usage_text, stderr);
	return 2;
}

static void attributes(door_attr_t attr)
{
	static const struct {
		door_attr_t bit;
		const char *name;
	} names[] = {
		{ DOOR_UNREF, "DOOR_UNREF" },
		{ DOOR_UNREF_MULTI, "DOOR_UNREF_MULTI" },
		{ DOOR_PRIVATE, "DOOR_PRIVATE" },
		{ DOOR_REFUSE_DESC, "DOOR_REFUSE_DESC" },
		{ DOOR_NO_CANCEL, "DOOR_NO_CANCEL" },
		{ DOOR_NO_DEPLETION_CB, "DOOR_NO_DEPLETION_CB" },
		{ DOOR_PRIVCREATE, "DOOR_PRIVCREATE" },
		{ DOOR_LOCAL, "DOOR_LOCAL" },
		{ DOOR_REVOKED, "DOOR_REVOKED" },
		{ DOOR_IS_UNREF, "DOOR_IS_UNREF" },
	};
	const char *sep = "";
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (attr & names[i].bit) {
			printf("%s%s", sep, names[i].name);
			sep = "|";
		}
	}
	printf("%s\n", *sep ? "" : "0");
}

/* @path open, to reach the door attached to it; a message and -1 if not. */
static int open_door(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "doorctl: %s: %s\n", path, strerror(errno));
	return fd;
}

/* A door function failed on @path. */
static int failed(const char *path, const char *what)
{
	fprintf(stderr, "doorctl: %s: %s: %s\n", path, what,
		errno == EBADF ? "not a door, or a revoked one" :
		strerror(errno));
	return 1;
}

static int info(int argc, char **argv)
{
	int i, status = 0;

	if (argc < 1)
		return usage();
	for (i = 0; i < argc; i++) {
		door_info_t di;
		int fd = open_door(argv[i]);

		if (fd < 0) {
			status = 1;
			continue;
		}
		if (door_info(fd, &di)) {
			status = failed(argv[i], "door_info");
			close(fd);
			continue;
		}
		close(fd);
		printf("%s:\n", argv[i]);
		printf("  id:          %" PRIu64 "\n",
		       (uint64_t)di.di_uniquifier);
		printf("  target:      %d\n", (int)di.di_target);
		printf("  attributes:  ");
		attributes(di.di_attributes);
		printf("  parked:      %d\n", di.di_resv[0]);
		if (di.di_attributes & DOOR_PRIVATE)
			printf("  bound:       %d\n", di.di_resv[1]);
	}
	return status;
}

static int call(int argc, char **argv)
{
	char rbuf[4096];
	door_arg_t arg = { .rbuf = rbuf, .rsize = sizeof(rbuf) };
	size_t i;
	int fd;

	if (argc < 1 || argc > 2)
		return usage();
	if (argc == 2) {
		arg.data_ptr = argv[1];
		arg.data_size = strlen(argv[1]);
	}
	fd = open_door(argv[0]);
	if (fd < 0)
		return 1;
	if (door_call(fd, &arg)) {
		failed(argv[0], "door_call");
		close(fd);
		return 1;
	}
	close(fd);
	fwrite(arg.data_ptr, 1, arg.data_size, stdout);
	/* Received descriptors are ours now: say so, and close them. */
	for (i = 0; i < arg.desc_num; i++) {
		door_desc_t *d = &arg.desc_ptr[i];

		if (!(d->d_attributes & DOOR_DESCRIPTOR))
			continue;
		fprintf(stderr, "doorctl: received descriptor %d, closed\n",
			d->d_data.d_desc.d_descriptor);
		close(d->d_data.d_desc.d_descriptor);
	}
	if (arg.rbuf != rbuf)
		munmap(arg.rbuf, arg.rsize);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "doorctl: standard output: %s\n",
			strerror(errno));
		return 1;
	}
	return 0;
}

/* doorctl list: a line a door descriptor, under a heading. */
#define LIST_FORMAT	"%-8s %-16s %-5s %-10s %-8s %-12s %s\n"

/* The "door-NAME:" fields of a descriptor's fdinfo, as one line. */
static void list_fd(const char *pid, const char *comm, const char *fd)
{
	char path[PATH_MAX], line[128], id[32] = "?", target[32] = "?";
	char attr[32] = "?", active[32] = "?";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/fdinfo/%s", pid, fd);
	f = fopen(path, "re");
	if (!f)
		return;		/* closed meanwhile */
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "door-id: %31s", id);
		sscanf(line, "door-target: %31s", target);
		sscanf(line, "door-attributes: %31s", attr);
		sscanf(line, "door-active: %31s", active);
	}
	fclose(f);
	printf(LIST_FORMAT, pid, comm, fd, id, target, attr, active);
}

/* Returns -1 with errno set if the process's descriptors are not visible. */
static int list_pid(const char *pid)
{
	char path[PATH_MAX], comm[32] = "?";
	struct dirent *e;
	FILE *f;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	f = fopen(path, "re");
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	dir = opendir(path);
	if (!dir)
		return -1;	/* gone, or not ours to look at */
	while ((e = readdir(dir))) {
		struct stat st;

		/* stat(), not lstat(): the file the descriptor is open on */
		if (isdigit((unsigned char)e->d_name[0]) &&
		    !fstatat(dirfd(dir), e->d_name, &st, 0) &&
		    S_ISDOOR(st.st_mode))
			list_fd(pid, comm, e->d_name);
	}
	closedir(dir);
	return 0;
}

static int list(int argc, char **argv)
{
	struct dirent *e;
	DIR *proc;
	int i, status = 0;

	for (i = 0; i < argc; i++)
		if (!argv[i][0] || strspn(argv[i], "0123456789") !=
				   strlen(argv[i]))
			return usage();
	printf(LIST_FORMAT, "PID", "COMMAND", "FD", "ID", "TARGET", "ATTRIBUTES",
	       "ACTIVE");
	for (i = 0; i < argc; i++) {
		if (list_pid(argv[i])) {
			fprintf(stderr, "doorctl: %s: %s\n", argv[i],
				errno == ENOENT ? "no such process" :
				strerror(errno));
			status = 1;
		}
	}
	if (argc)
		return status;
	proc = opendir("/proc");
	if (!proc) {
		fprintf(stderr, "doorctl: /proc: %s\n", strerror(errno));
		return 1;
	}
	/* processes that exit meanwhile, or whose descriptors we may not see */
	while ((e = readdir(proc)))
		if (isdigit((unsigned char)e->d_name[0]))
			(void)list_pid(e->d_name);
	closedir(proc);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "info"))
		return info(argc - 2, argv + 2);
	if (!strcmp(argv[1], "call"))
		return call(argc - 2, argv + 2);
	if (!strcmp(argv[1], "list"))
		return list(argc - 2, argv + 2);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	return usage();
}
