/* rootfs.h - the container child's filesystem setup (runs after clone, in
 * the new mount namespace, before pivot_root). */
#ifndef BOX_ROOTFS_H
#define BOX_ROOTFS_H

#include "spec.h"

/* Each returns 0, or -1 with msg filled (the child has no box_err to pass
 * up: it writes msg into the error pipe for its parent). */
/* console_sock >= 0: make a pty in the container's devpts, bind its slave
 * on /dev/console, send the master over console_sock; *console_slave gets
 * the slave for the init's stdio.  net_sock >= 0: the container's network
 * namespace arrives on it (nlk_netns_join_from) and is joined before any
 * sysfs is mounted, or at the end.  In a user namespace (s->userns) the
 * root is the one the parent made (s->root_tree, attached on s->root_at),
 * bind sources come cloned already (mounts[].tree: userns_enter), /dev's
 * nodes are the host's, bound, and a sysfs the kernel refuses (a network
 * namespace the user namespace does not own) is the host's, read-only. */
int rootfs_prepare(const struct spec *s, int console_sock, int *console_slave,
		   int net_sock, char *msg, size_t len);
int rootfs_pivot(const struct spec *s, char *msg, size_t len);
int rootfs_finish(const struct spec *s, char *msg, size_t len);

#endif
