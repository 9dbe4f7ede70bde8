/* scaffold.h - mountpoints for a root without a writable layer. */
#ifndef BOX_SCAFFOLD_H
#define BOX_SCAFFOLD_H

#include "ctx.h"
#include "spec.h"

/* For a read-only root without a writable layer (s->overlay_lower_only):
 * make every mount target of s, afresh, in the run directory of name and
 * put that directory under the image's layers in s.  Nothing otherwise. */
int scaffold_make(struct box_ctx *ctx, const char *name, struct spec *s,
		  struct box_err *err);

#endif
