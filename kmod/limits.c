// SPDX-License-Identifier: GPL-2.0
/*
 * Solaris doors for Linux: per-user limits.
 *
 * A context is charged to the user that opened it, by effective uid as a
 * kuid: the same user in every user namespace, so a new namespace brings
 * no new allowance.  Its doors, its server threads' records and the calls
 * made through it count against the limits below, which root may change
 * at any time in /sys/module/doors/parameters/; a lower limit refuses new
 * charges and takes nothing back.  The memory behind each charge is also
 * accounted to the memory cgroup of the task that made it.
 */
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/moduleparam.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>
#include "doors.h"

static unsigned int door_limits[DOOR_NLIMITS] = {
	[DOOR_LIMIT_DOORS]	= 65536,
	[DOOR_LIMIT_THREADS]	= 16384,
	[DOOR_LIMIT_CALLS]	= 16384,
};

module_param_named(max_doors, door_limits[DOOR_LIMIT_DOORS], uint, 0644);
MODULE_PARM_DESC(max_doors, "Doors a user may have (default 65536)");
module_param_named(max_threads, door_limits[DOOR_LIMIT_THREADS], uint, 0644);
MODULE_PARM_DESC(max_threads,
		 "Server threads a user may have in door_return (default 16384)");
module_param_named(max_calls, door_limits[DOOR_LIMIT_CALLS], uint, 0644);
MODULE_PARM_DESC(max_calls,
		 "Door calls a user may have in progress (default 16384)");

struct door_user {
	struct hlist_node node;		/* in door_users */
	refcount_t ref;			/* contexts charged to it */
	kuid_t uid;
	atomic_t count[DOOR_NLIMITS];
};

static DEFINE_HASHTABLE(door_users, 6);
static DEFINE_SPINLOCK(door_users_lock);

static struct door_user *door_user_find(kuid_t uid)
{
	struct door_user *u;

	hash_for_each_possible(door_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid)) {
			refcount_inc(&u->ref);
			return u;
		}
	return NULL;
}

/* The calling task's user, made on first use. */
struct door_user *door_user_get(void)
{
	kuid_t uid = current_euid();
	struct door_user *u, *new;

	spin_lock(&door_users_lock);
	u = door_user_find(uid);
	spin_unlock(&door_users_lock);
	if (u)
		return u;

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return NULL;
	refcount_set(&new->ref, 1);
	new->uid = uid;
	spin_lock(&door_users_lock);
	u = door_user_find(uid);
	if (!u)
		hash_add(door_users, &new->node, __kuid_val(uid));
	spin_unlock(&door_users_lock);
	if (u) {
		kfree(new);
		return u;
	}
	door_object_new(DOOR_OBJ_USERS);
	return new;
}

void door_user_put(struct door_user *u)
{
	bool last;

	spin_lock(&door_users_lock);
	last = refcount_dec_and_test(&u->ref);
	if (last)
		hash_del(&u->node);
	spin_unlock(&door_users_lock);
	if (last) {
		kfree(u);
		door_object_gone(DOOR_OBJ_USERS, 1);
	}
}

/* Take one of @u's @limit, or fail if it has them all. */
bool door_user_charge(struct door_user *u, enum door_limit limit)
{
	unsigned int max = READ_ONCE(door_limits[limit]);

	if ((unsigned int)atomic_inc_return(&u->count[limit]) <= max)
		return true;
	atomic_dec(&u->count[limit]);
	return false;
}

void door_user_uncharge(struct door_user *u, enum door_limit limit)
{
	atomic_dec(&u->count[limit]);
}
