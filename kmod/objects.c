// SPDX-License-Identifier: GPL-2.0
/*
 * Solaris doors for Linux: a count of the module's live objects.
 *
 * Every object the module allocates and keeps beyond one ioctl is counted
 * while it lives.  The counts are in debugfs, doors/objects (root only),
 * so that tests can tell a leak of the module's own objects from the
 * noise of a slab cache; and whatever is left when the module goes is a
 * leak, reported with a warning.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "doors.h"

atomic_long_t door_objects[DOOR_NOBJECTS];

static const char *const door_object_names[DOOR_NOBJECTS] = {
	[DOOR_OBJ_CONTEXTS]	= "contexts",
	[DOOR_OBJ_DOORS]	= "doors",
	[DOOR_OBJ_THREADS]	= "threads",
	[DOOR_OBJ_USERS]	= "users",
	[DOOR_OBJ_ATTACHMENTS]	= "attachments",
	[DOOR_OBJ_OPENS]	= "attached-opens",
	[DOOR_OBJ_UNREF_CHECKS]	= "unref-checks",
};

static struct dentry *door_debugfs;

static int door_objects_show(struct seq_file *m, void *unused)
{
	int i;

	for (i = 0; i < DOOR_NOBJECTS; i++)
		seq_printf(m, "%s\t%ld\n", door_object_names[i],
			   atomic_long_read(&door_objects[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(door_objects);

void __init door_objects_init(void)
{
	door_debugfs = debugfs_create_dir("doors", NULL);
	debugfs_create_file("objects", 0400, door_debugfs, NULL,
			    &door_objects_fops);
}

/* Every file is gone, and every object should be. */
void __exit door_objects_exit(void)
{
	int i;

	debugfs_remove(door_debugfs);
	for (i = 0; i < DOOR_NOBJECTS; i++)
		WARN(atomic_long_read(&door_objects[i]),
		     "doors: %ld %s left at unload\n",
		     atomic_long_read(&door_objects[i]), door_object_names[i]);
}
