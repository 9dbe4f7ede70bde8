/* image_layer.h - filling one layer directory: from a tar stream (rootfs
 * tarballs, OCI layers) or by copying a tree (directory import, commit).
 *
 * The rules for what may land in a layer live here, in one place:
 * - every path is resolved component by component from the layer's root
 *   with O_NOFOLLOW: nothing is ever written through a symlink, so a member
 *   "link/../x" or "link/x" with link -> /etc cannot reach the host;
 * - ".." members are refused (tar_clean_path), absolute paths made relative;
 * - symlink targets are stored as they are: they are resolved inside the
 *   container's root at run time, never followed here;
 * - device nodes are never stored (the runtime gives containers their own
 *   /dev); the only character device a layer holds is the overlay whiteout
 *   0:0, made from OCI ".wh.NAME" members or copied from an overlay upper;
 * - xattrs kept: security.capability and user.*; trusted.overlay.opaque
 *   only as made from ".wh..wh..opq" or copied from an overlay upper. */
#ifndef BOX_IMAGE_LAYER_H
#define BOX_IMAGE_LAYER_H

#include "image_tar.h"

#include "sha256.h"

struct layer_stats {
	uint64_t files;         /* members written */
	uint64_t bytes;         /* file data bytes written */
	uint64_t dropped;       /* device nodes and sockets not stored */
	void (*tick)(void *arg);/* called now and then for progress */
	void *tick_arg;
};

enum {
	/* tar: ".wh.NAME" and ".wh..wh..opq" are OCI whiteouts */
	LAYER_OCI_WHITEOUTS = 1,
	/* copy: the source is an overlay upper dir; keep its whiteouts and
	 * opaque markers */
	LAYER_OVERLAY_UPPER = 2,
};

/* Unpack every member of r into the layer directory root (an empty dir). */
int layer_unpack(struct tar_reader *r, const char *root, unsigned flags,
		 struct layer_stats *st, struct box_err *err);

/* Bytes of regular-file data under dir, the way layer_copy_tree walks it
 * (no symlink followed, src's filesystem only, a hard-linked file once):
 * the total a copy's progress counts towards.  Unreadable parts count 0. */
uint64_t layer_tree_bytes(const char *dir);

/* Copy the tree src into the empty directory dst, never following
 * symlinks, staying on src's filesystem (mount points become empty dirs).
 * digest gets "sha256:<hex>" over a canonical record of the tree (names in
 * sorted order, types, modes, owners, link targets, xattrs, contents), so
 * copying the same tree twice gives the same digest and the layer is kept
 * once. */
int layer_copy_tree(const char *src, const char *dst, unsigned flags,
		    char digest[72], struct layer_stats *st,
		    struct box_err *err);


/* Open path (read-only) as seen from inside the tree rootfd: symlinks,
 * absolute or with "..", resolve within it, never out (openat2
 * RESOLVE_IN_ROOT).  -1 with errno on failure. */
int layer_open_in(int rootfd, const char *path);

/* Sum of the apparent sizes of regular files and symlinks under dir. */
int64_t layer_du(const char *dir);

#endif
