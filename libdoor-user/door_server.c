// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Server threads: the process-wide creation function and depletion.
 *
 * The creation function is called with NULL once, by the first
 * successful door_create() of a door without DOOR_PRIVATE, and then by a
 * server thread that takes a call while no other thread is left parked
 * in its pool (depletion), before it runs the procedure.  So the process
 * pool grows to one thread per concurrent call, plus one.
 *
 * Private doors (illumos door_depletion_cb()): a door_create() door calls
 * the creation function with its door_info_t when it is created and, with
 * DOOR_DEPLETION_CB added, when its own pool runs dry; a door_xcreate()
 * door calls its own creation function instead (door_xcreate.c), unless
 * it has DOOR_NO_DEPLETION_CB.
 */
#include <pthread.h>

#include "door_impl.h"

static void *door_server_thread(void *arg)
{
	(void)arg;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	door_return(NULL, 0, NULL, 0);
	return NULL;
}

/*
 * The default: one detached thread, cancellation disabled, parked in the
 * process pool.  Such a thread cannot serve a private door (only threads
 * bound to it can), so for those it does nothing.
 */
static void door_default_server(door_info_t *dip)
{
	pthread_attr_t attr;
	pthread_t tid;

	if (dip)
		return;
	if (pthread_attr_init(&attr))
		return;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_create(&tid, &attr, door_server_thread, NULL);
	pthread_attr_destroy(&attr);
}

static door_server_func_t *door_server_func = door_default_server;
static int door_servers_started;

/*
 * Installs func and returns the previous one; never fails.  NULL is
 * installed too: libdoor then creates no server threads at all and the
 * application provides them (illumos would call through it).
 */
DOOR_EXPORT door_server_func_t *door_server_create(door_server_func_t *func)
{
	return __atomic_exchange_n(&door_server_func, func, __ATOMIC_ACQ_REL);
}

void libdoor_new_server(door_info_t *dip)
{
	door_server_func_t *func;

	func = __atomic_load_n(&door_server_func, __ATOMIC_ACQUIRE);
	if (func)
		func(dip);
}

void libdoor_servers_start(void)
{
	if (!__atomic_exchange_n(&door_servers_started, 1, __ATOMIC_ACQ_REL))
		libdoor_new_server(NULL);
}

void libdoor_depleted(const struct door_invocation *inv)
{
	door_info_t di;

	if (!(inv->attributes & DOOR_PRIVATE)) {
		libdoor_new_server(NULL);
		return;
	}
	if (inv->attributes & DOOR_NO_DEPLETION_CB)
		return;
	if (door_info(DOOR_QUERY, &di))
		return;
	di.di_attributes |= DOOR_DEPLETION_CB;
	if (inv->attributes & DOOR_PRIVCREATE)
		libdoor_xcreate_depleted(&di);
	else
		libdoor_new_server(&di);
}

void libdoor_server_forked(void)
{
	door_servers_started = 0;
}
