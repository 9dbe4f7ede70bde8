/* idmap.h - the root of a container in a user namespace, made by the
 * parent (real root) as a detached mount.
 *
 * The image's layers stay as they are on disk, owned by host root, and
 * shared by every container: each is cloned (open_tree) and the clone
 * idmapped to the container's user namespace (mount_setattr), so that
 * inside it its files belong to the container's root.  The overlay takes
 * the clones by fd (fsconfig "lowerdir+"), its writable layer being the
 * container's own upper/ (owned by the mapped root since create).
 * Nothing is chowned or copied.  The root is nodev, as any mount made in
 * a user namespace is.  Linux 6.15 or later (overlay layers given by fd,
 * detached layer mounts). */
#ifndef BOX_IDMAP_H
#define BOX_IDMAP_H

#include "spec.h"

/* The root as a detached mount (an fd for move_mount), from s's overlay
 * options, or its root directory bound when it has none; userns_fd: the
 * container's user namespace.  -1 with err set. */
int idmap_root(const struct spec *s, int userns_fd, struct box_err *err);

#endif
