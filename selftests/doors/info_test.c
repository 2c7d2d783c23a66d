// SPDX-License-Identifier: GPL-2.0
/*
 * door_info(): what it reports about a door, for its server process and
 * for others, and DOOR_QUERY from a server procedure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <door.h>
#include <stropts.h>

#include "harness.h"
#include "util.h"

static int cookie_a, cookie_b;

/* Returns the door_info_t of DOOR_QUERY, or errno as an int. */
static void query(void *cookie, char *argp, size_t arg_size,
		  door_desc_t *dp, uint_t n_desc)
{
	door_info_t di;
	int err;

	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	if (door_info(DOOR_QUERY, &di) == 0)
		door_return((char *)&di, sizeof(di), NULL, 0);
	err = errno;
	door_return((char *)&err, sizeof(err), NULL, 0);
}

static void nothing(void *cookie, char *argp, size_t arg_size,
		    door_desc_t *dp, uint_t n_desc)
{
	(void)cookie;
	(void)argp;
	(void)arg_size;
	(void)dp;
	(void)n_desc;
	door_return(NULL, 0, NULL, 0);
}

/*
 * A server process: creates a door with attrs, sends it over a socket
 * and waits to be killed (or for its parent to die).
 */
static pid_t start_server(uint_t attrs, int *fd)
{
	int sv[2], door;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(sv[0]);
		door = door_create(query, &cookie_a, attrs);
		if (door < 0 || send_fds(sv[1], &door, 1))
			_exit(1);
		for (;;)
			pause();
	}
	close(sv[1]);
	if (pid > 0 && recv_fds(sv[0], fd, 1)) {
		kill(pid, SIGKILL);
		wait_status(pid);
		pid = -1;
	}
	close(sv[0]);
	return pid;
}

static void stop_server(pid_t pid)
{
	kill(pid, SIGKILL);
	wait_status(pid);
}

/* Call a query door: the door_info_t its procedure saw. */
static int call_query(int d, door_info_t *di)
{
	door_arg_t arg = {
		.rbuf = (char *)di,
		.rsize = sizeof(*di),
	};

	if (door_call(d, &arg))
		return -1;
	if (arg.data_size != sizeof(*di)) {
		errno = arg.data_size == sizeof(int) ?
			*(int *)arg.data_ptr : EPROTO;
		return -1;
	}
	return 0;
}

TEST(own_door_target_is_our_pid)
{
	door_info_t di;
	int d = door_create(nothing, NULL, 0);

	ASSERT_LE(0, d);
	ASSERT_EQ(0, door_info(d, &di));
	EXPECT_EQ(getpid(), di.di_target);
}

TEST(own_door_is_local)
{
	door_info_t di;
	int d = door_create(nothing, NULL, 0);

	ASSERT_LE(0, d);
	ASSERT_EQ(0, door_info(d, &di));
	EXPECT_EQ(DOOR_LOCAL, di.di_attributes);
}

/* A fork child inherits the descriptor, not the door. */
TEST(fork_child_not_local)
{
	int d = door_create(nothing, NULL, 0);
	pid_t parent = getpid(), pid;
	door_info_t di;

	ASSERT_LE(0, d);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (door_info(d, &di))
			_exit(1);
		if (di.di_attributes & DOOR_LOCAL)
			_exit(2);
		_exit(di.di_target == parent ? 0 : 3);
	}
	EXPECT_EQ(0, wait_status(pid));
}

TEST(other_process_door)
{
	door_info_t di;
	pid_t server;
	int d;

	server = start_server(0, &d);
	ASSERT_LT(0, server);
	EXPECT_EQ(0, door_info(d, &di));
	EXPECT_EQ(server, di.di_target);
	EXPECT_EQ(0U, di.di_attributes);
	EXPECT_EQ((uintptr_t)query, di.di_proc);
	EXPECT_EQ((uintptr_t)&cookie_a, di.di_data);
	stop_server(server);
}

TEST(proc_and_cookie)
{
	door_info_t di;
	int a = door_create(query, &cookie_a, 0);
	int b = door_create(nothing, &cookie_b, 0);

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, door_info(a, &di));
	EXPECT_EQ((uintptr_t)query, di.di_proc);
	EXPECT_EQ((uintptr_t)&cookie_a, di.di_data);
	ASSERT_EQ(0, door_info(b, &di));
	EXPECT_EQ((uintptr_t)nothing, di.di_proc);
	EXPECT_EQ((uintptr_t)&cookie_b, di.di_data);
}

TEST(creation_attributes)
{
	uint_t attrs = DOOR_PRIVATE | DOOR_REFUSE_DESC | DOOR_NO_CANCEL;
	door_info_t di;
	int d = door_create(nothing, NULL, attrs);

	ASSERT_LE(0, d);
	ASSERT_EQ(0, door_info(d, &di));
	EXPECT_EQ(attrs | DOOR_LOCAL, di.di_attributes);
}

TEST(uniquifiers_increase)
{
	door_id_t last = 0;
	door_info_t di;
	int i, d;

	for (i = 0; i < 4; i++) {
		d = door_create(nothing, NULL, 0);
		ASSERT_LE(0, d);
		ASSERT_EQ(0, door_info(d, &di));
		EXPECT_LT(last, di.di_uniquifier);
		last = di.di_uniquifier;
	}
}

/* Every descriptor of a door, and a name of it, describe the same door. */
TEST(same_door_same_uniquifier)
{
	char path[] = "/tmp/doors-info-XXXXXX";
	door_info_t di, dup_di, name_di;
	int d, dup_d, file, name;

	d = door_create(nothing, NULL, 0);
	ASSERT_LE(0, d);
	dup_d = dup(d);
	ASSERT_LE(0, dup_d);
	file = mkstemp(path);
	ASSERT_LE(0, file);
	close(file);
	ASSERT_EQ(0, fattach(d, path));
	name = open(path, O_RDONLY);
	ASSERT_LE(0, name);

	EXPECT_EQ(0, door_info(d, &di));
	EXPECT_EQ(0, door_info(dup_d, &dup_di));
	EXPECT_EQ(0, door_info(name, &name_di));
	EXPECT_EQ(di.di_uniquifier, dup_di.di_uniquifier);
	EXPECT_EQ(di.di_uniquifier, name_di.di_uniquifier);
	EXPECT_EQ(0, fdetach(path));
	unlink(path);
}

TEST(query_in_procedure_gives_served_door)
{
	door_info_t a_di, b_di, di;
	int a = door_create(query, &cookie_a, 0);
	int b = door_create(query, &cookie_b, 0);

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, door_info(a, &a_di));
	ASSERT_EQ(0, door_info(b, &b_di));

	ASSERT_EQ(0, call_query(a, &di));
	EXPECT_EQ(a_di.di_uniquifier, di.di_uniquifier);
	EXPECT_EQ((uintptr_t)&cookie_a, di.di_data);
	ASSERT_EQ(0, call_query(b, &di));
	EXPECT_EQ(b_di.di_uniquifier, di.di_uniquifier);
	EXPECT_EQ((uintptr_t)&cookie_b, di.di_data);
}

/* From the server process's side, whoever calls. */
TEST(query_in_procedure_of_other_process)
{
	door_info_t di, client_di;
	pid_t server;
	int d;

	server = start_server(0, &d);
	ASSERT_LT(0, server);
	ASSERT_EQ(0, door_info(d, &client_di));
	ASSERT_EQ(0, call_query(d, &di));
	EXPECT_EQ(client_di.di_uniquifier, di.di_uniquifier);
	EXPECT_EQ(server, di.di_target);
	EXPECT_EQ(DOOR_LOCAL, di.di_attributes);
	stop_server(server);
}

TEST(query_outside_call_ebadf)
{
	door_info_t di;
	int d = door_create(nothing, NULL, 0);

	ASSERT_LE(0, d);
	EXPECT_EQ(-1, door_info(DOOR_QUERY, &di));
	EXPECT_EQ(EBADF, errno);
}

TEST(not_a_door_ebadf)
{
	door_info_t di;
	int p[2];

	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(-1, door_info(p[0], &di));
	EXPECT_EQ(EBADF, errno);
}

TEST(closed_fd_ebadf)
{
	door_info_t di;
	int d = door_create(nothing, NULL, 0);

	ASSERT_LE(0, d);
	ASSERT_EQ(0, close(d));
	EXPECT_EQ(-1, door_info(d, &di));
	EXPECT_EQ(EBADF, errno);
}

TEST(null_info_efault)
{
	int d = door_create(nothing, NULL, 0);

	ASSERT_LE(0, d);
	EXPECT_EQ(-1, door_info(d, NULL));
	EXPECT_EQ(EFAULT, errno);
}

TEST(revoked_door)
{
	door_info_t di;
	int d = door_create(nothing, NULL, 0);
	int dup_d = dup(d);

	ASSERT_LE(0, d);
	ASSERT_LE(0, dup_d);
	ASSERT_EQ(0, door_revoke(dup_d));
	ASSERT_EQ(0, door_info(d, &di));
	EXPECT_EQ(DOOR_LOCAL | DOOR_REVOKED, di.di_attributes);
	EXPECT_EQ(getpid(), di.di_target);
}

TEST(target_gone_after_server_exit)
{
	door_info_t di;
	pid_t server;
	int d;

	server = start_server(DOOR_REFUSE_DESC, &d);
	ASSERT_LT(0, server);
	stop_server(server);
	ASSERT_EQ(0, door_info(d, &di));
	EXPECT_EQ(-1, di.di_target);
	EXPECT_EQ(DOOR_REFUSE_DESC | DOOR_REVOKED, di.di_attributes);
	EXPECT_EQ((uintptr_t)query, di.di_proc);
	EXPECT_EQ((uintptr_t)&cookie_a, di.di_data);
}

/* di_resv[0] and [1] count threads (see bind_test); the rest is 0. */
TEST(reserved_words)
{
	door_info_t di;
	int d = door_create(nothing, NULL, 0);

	ASSERT_LE(0, d);
	memset(&di, 0xff, sizeof(di));
	ASSERT_EQ(0, door_info(d, &di));
	EXPECT_EQ(0, di.di_resv[1]);
	EXPECT_EQ(0, di.di_resv[2]);
	EXPECT_EQ(0, di.di_resv[3]);
}

DOORS_HARNESS_MAIN
