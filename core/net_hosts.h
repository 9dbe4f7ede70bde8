/* net_hosts.h - /etc/hosts and /etc/resolv.conf for containers, kept as
 * files under $ROOT and bind-mounted into the rootfs. */
#ifndef BOX_NET_HOSTS_H
#define BOX_NET_HOSTS_H

#include "net_store.h"

/* $ROOT/containers/<name>/<file> */
int nhosts_path(struct box_ctx *ctx, const char *name, const char *file,
		char *buf, size_t len, struct box_err *err);
/* $ROOT/networks/<net>.hosts: the one hosts file every container whose
 * eth0 is on net mounts.  One file per network, so a create or rm rewrites
 * one file instead of every member's (100 writes per create at 100). */
int nhosts_net_path(struct box_ctx *ctx, const char *net, char *buf,
		    size_t len, struct box_err *err);
/* resolv.conf: "nameserver X" per comma-separated entry of dns, or a copy
 * of the host's /etc/resolv.conf when dns is NULL. */
int nhosts_write_resolv(struct box_ctx *ctx, const char *name,
			const char *dns, struct box_err *err);
/* Rewrite the network's hosts file from its leases: every member by name
 * (also those joined with `net connect`).  Written in place, not renamed,
 * so running containers' bind mounts see the new text. */
int nhosts_write_net(struct box_ctx *ctx, const struct net_def *def,
		     struct box_err *err);
/* A container on no network (--net none): localhost and its own name,
 * written to path. */
int nhosts_write_alone(const char *path, const char *name,
		       struct box_err *err);
void nhosts_remove_net(struct box_ctx *ctx, const char *net);

#endif
