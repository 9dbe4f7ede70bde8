/* net_hosts.h - the container's /etc/hosts and /etc/resolv.conf, kept as
 * files in $ROOT/containers/<name>/ and bind-mounted into the rootfs. */
#ifndef BOX_NET_HOSTS_H
#define BOX_NET_HOSTS_H

#include "net_store.h"

/* $ROOT/containers/<name>/<file> */
int nhosts_path(struct box_ctx *ctx, const char *name, const char *file,
		char *buf, size_t len, struct box_err *err);
/* resolv.conf: "nameserver X" per comma-separated entry of dns, or a copy
 * of the host's /etc/resolv.conf when dns is NULL. */
int nhosts_write_resolv(struct box_ctx *ctx, const char *name,
			const char *dns, struct box_err *err);
/* Rewrite the hosts file of every container on any of nets[] (and of
 * extra, may be NULL) from all of nets[]' leases: each container sees
 * itself and the members of every network it is on.  Written in place, not
 * renamed, so a running container's bind mount sees the new text. */
int nhosts_refresh(struct box_ctx *ctx, struct net_def *nets, size_t n,
		   const char *extra, struct box_err *err);

#endif
