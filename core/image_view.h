/* image_view.h - run a function over an image's merged filesystem, in a
 * child process with its own mount namespace. */
#ifndef BOX_IMAGE_VIEW_H
#define BOX_IMAGE_VIEW_H

#include "ctx.h"

/* Runs in the child.  rootfd: the merged root.  raw: true when rootfd is a
 * single layer directory, not an overlay (so overlay whiteouts in it are
 * plain char devices 0:0 the function must skip itself).  Text written to
 * outfd comes back to the caller. */
typedef int (*view_fn)(int rootfd, bool raw, void *arg, int outfd,
		       struct box_err *err);

/* lowerdir as image_resolve gives it.  out (may be NULL): malloc'd text the
 * child wrote.  Fds the caller opened before are inherited by the child. */
int view_run(struct box_ctx *ctx, const char *lowerdir, view_fn fn,
	     void *arg, char **out, struct box_err *err);

#endif
