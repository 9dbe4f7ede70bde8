/* spare.h - empty container directories kept for the next create.
 *
 * A container's directory on disk holds its writable layer: upper/ and
 * work/ beside config.json.  On ext4 every new directory takes a block and
 * every removed one frees it; on a filesystem mounted with -o discard the
 * free is a synchronous discard (~70 us each here), and the first
 * directory of a container goes through the Orlov allocator's scan of all
 * block groups (~110 us).  A removed container's directory is therefore
 * emptied and kept, up to SPARE_MAX of them, in <root>/containers/.spare;
 * the next create renames one into place.  A spare is indistinguishable
 * from a fresh one: empty, the layer directories 0755 root:root without
 * extended attributes, no larger than one block, with the same inode
 * flags as the directory holding them.  Anything else is removed as
 * before. */
#ifndef BOX_SPARE_H
#define BOX_SPARE_H

#include "ctx.h"

#include <stdbool.h>

#define SPARE_MAX 16

/* Make <root>/containers/<name> from a spare: 0 when one was taken, 1 when
 * none was (there is none, or the container exists: the caller's mkdir
 * then makes the directories or says which), -1 with err set. */
int spare_take(struct box_ctx *ctx, const char *name, struct box_err *err);

/* Remove the directory of a container whose init is gone and whose
 * config.json is gone already (stop.c), keeping it as a spare when it can
 * be.  On failure (or a kill) what is left is listed as removing and the
 * next rm tries again. */
int spare_retire(struct box_ctx *ctx, const char *name, struct box_err *err);

#endif
