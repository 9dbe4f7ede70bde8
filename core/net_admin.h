/* net_admin.h - creating and removing networks (internal entry points). */
#ifndef BOX_NET_ADMIN_H
#define BOX_NET_ADMIN_H

#include "net_store.h"

/* The network a container without --net joins: $BOXTOP_NET_DEFAULT or
 * BOX_NET_DEFAULT. */
const char *nadmin_default_name(void);
/* With the networks lock held: make the default network if missing. */
int nadmin_ensure_default_locked(struct box_ctx *ctx, const char *name,
				 bool *created, struct box_err *err);
/* The networks lock, exclusive, with network name made first when it is
 * the default one (which comes into being on first use): the lock fd. */
int nadmin_lock_for(struct box_ctx *ctx, const char *name,
		    struct box_err *err);
void nadmin_info(const struct net_def *def, struct box_net_info *out);

#endif
