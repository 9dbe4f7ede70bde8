/* net.h - container networking (libnl-3 / libnl-route-3 only).
 * The container lifecycle calls these four hooks; everything else about
 * networks lives behind them. */
#ifndef BOX_NET_H
#define BOX_NET_H

#include "ctx.h"
#include "spec.h"

#include <jansson.h>

/* At create: choose the network (opts->net), lease an address, write the
 * container's hosts/resolv.conf files, and record it all in config
 * (annotations, mounts; removing the network namespace for "host"). */
int net_prepare(struct box_ctx *ctx, const char *name,
		const struct box_create_opts *opts, json_t *config,
		struct box_err *err);
/* At start, before clone: what the network adds to the mounts without
 * recording it in config.  A container on no network gets a hosts file
 * naming it, made in its run directory at each start (memory, like its
 * state: no file on disk to make and remove), unless config mounts an
 * /etc/hosts of its own. */
int net_spec(struct box_ctx *ctx, const char *name, json_t *config,
	     struct spec *s, struct box_err *err);
/* At start, in the parent, while the container's init waits: bring lo up
 * in its network namespace (nsfd) and give it its interfaces. */
int net_setup(struct box_ctx *ctx, const char *name, json_t *config, int nsfd,
	      struct box_err *err);
/* After the container stopped: remove host-side leftovers (best effort). */
void net_teardown(struct box_ctx *ctx, const char *name, json_t *config);
/* At rm: release the leases (every network's, found by the name). */
int net_release(struct box_ctx *ctx, const char *name, struct box_err *err);

#endif
