// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Credentials: ucred_t, ucred_get(), door_ucred() and door_cred().
 *
 * Every ucred_t has ucred_size() bytes, room for the largest group list
 * the system allows, as on illumos: door_ucred() can refill any of them.
 * The pages past the groups a credential has are never touched, so they
 * cost address space only.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "door_impl.h"

struct ucred_s {
	uid_t euid, ruid, suid;
	gid_t egid, rgid, sgid;
	pid_t pid;		/* -1: not visible */
	int ngroups;
	gid_t groups[];
};

_Static_assert(sizeof(gid_t) == sizeof(__u32), "the kernel's group ids");

static int ucred_max_groups(void)
{
	long n = sysconf(_SC_NGROUPS_MAX);

	return n > 0 && n < INT_MAX / (int)sizeof(gid_t) ? n : NGROUPS_MAX;
}

DOOR_EXPORT size_t ucred_size(void)
{
	return sizeof(ucred_t) + ucred_max_groups() * sizeof(gid_t);
}

DOOR_EXPORT void ucred_free(ucred_t *uc)
{
	free(uc);
}

DOOR_EXPORT uid_t ucred_geteuid(const ucred_t *uc)
{
	return uc->euid;
}

DOOR_EXPORT uid_t ucred_getruid(const ucred_t *uc)
{
	return uc->ruid;
}

DOOR_EXPORT uid_t ucred_getsuid(const ucred_t *uc)
{
	return uc->suid;
}

DOOR_EXPORT gid_t ucred_getegid(const ucred_t *uc)
{
	return uc->egid;
}

DOOR_EXPORT gid_t ucred_getrgid(const ucred_t *uc)
{
	return uc->rgid;
}

DOOR_EXPORT gid_t ucred_getsgid(const ucred_t *uc)
{
	return uc->sgid;
}

DOOR_EXPORT int ucred_getgroups(const ucred_t *uc, const gid_t **groups)
{
	*groups = uc->groups;
	return uc->ngroups;
}

DOOR_EXPORT pid_t ucred_getpid(const ucred_t *uc)
{
	return uc->pid;
}

/* "Name:\tv1\tv2..." lines of /proc/PID/status. */
static int status_ids(const char *line, const char *name, unsigned int *ids,
		      int max)
{
	size_t len = strlen(name);
	const char *p = line + len;
	char *end;
	int n = 0;

	if (strncmp(line, name, len))
		return -1;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p < '0' || *p > '9' || n == max)
			return n;
		ids[n++] = strtoul(p, &end, 10);
		p = end;
	}
}

DOOR_EXPORT ucred_t *ucred_get(pid_t pid)
{
	unsigned int uid[3], gid[3], tgid;
	int max = ucred_max_groups();
	int found = 0, ngroups = -1, err;
	char path[32];
	char *line = NULL;
	size_t cap = 0;
	ucred_t *uc;
	FILE *f;

	if (pid == P_MYID)
		snprintf(path, sizeof(path), "/proc/self/status");
	else if (pid > 0)
		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	else {
		errno = ESRCH;
		return NULL;
	}
	uc = malloc(ucred_size());
	if (!uc)
		return NULL;
	f = fopen(path, "re");
	if (!f) {
		err = errno == ENOENT ? ESRCH : errno == EACCES ? EPERM : errno;
		free(uc);
		errno = err;
		return NULL;
	}
	while (getline(&line, &cap, f) > 0) {
		if (status_ids(line, "Tgid:", &tgid, 1) == 1)
			found |= 1;
		else if (status_ids(line, "Uid:", uid, 3) == 3)
			found |= 2;
		else if (status_ids(line, "Gid:", gid, 3) == 3)
			found |= 4;
		else if (!strncmp(line, "Groups:", 7))
			ngroups = status_ids(line, "Groups:",
					     (unsigned int *)uc->groups, max);
	}
	free(line);
	fclose(f);
	/* The process went away while we read. */
	if (found != 7 || ngroups < 0) {
		free(uc);
		errno = ESRCH;
		return NULL;
	}
	uc->ruid = uid[0];
	uc->euid = uid[1];
	uc->suid = uid[2];
	uc->rgid = gid[0];
	uc->egid = gid[1];
	uc->sgid = gid[2];
	uc->pid = tgid;
	uc->ngroups = ngroups;
	return uc;
}

/* DOOR_IOC_UCRED: the client's ids, and up to ngroups of its groups. */
static int door_client_cred(struct door_ucred_args *args, gid_t *groups,
			    int ngroups)
{
	int ctx = libdoor_context();

	if (ctx < 0)
		return -1;
	memset(args, 0, sizeof(*args));
	args->ngroups = ngroups;
	args->groups = DOOR_PTR(groups);
	return ioctl(ctx, DOOR_IOC_UCRED, args) < 0 ? -1 : 0;
}

DOOR_EXPORT int door_ucred(ucred_t **ucp)
{
	int max = ucred_max_groups();
	struct door_ucred_args args;
	ucred_t *uc;

	if (!ucp) {
		errno = EFAULT;
		return -1;
	}
	uc = *ucp ? *ucp : malloc(ucred_size());
	if (!uc)
		return -1;
	if (door_client_cred(&args, uc->groups, max)) {
		if (!*ucp)
			free(uc);
		return -1;
	}
	uc->euid = args.euid;
	uc->ruid = args.ruid;
	uc->suid = args.suid;
	uc->egid = args.egid;
	uc->rgid = args.rgid;
	uc->sgid = args.sgid;
	uc->pid = args.pid ? args.pid : -1;
	uc->ngroups = (int)args.ngroups < max ? (int)args.ngroups : max;
	*ucp = uc;
	return 0;
}

DOOR_EXPORT int door_cred(door_cred_t *info)
{
	struct door_ucred_args args;

	if (!info) {
		errno = EFAULT;
		return -1;
	}
	if (door_client_cred(&args, NULL, 0))
		return -1;
	memset(info, 0, sizeof(*info));
	info->dc_euid = args.euid;
	info->dc_egid = args.egid;
	info->dc_ruid = args.ruid;
	info->dc_rgid = args.rgid;
	info->dc_pid = args.pid ? args.pid : -1;
	return 0;
}
