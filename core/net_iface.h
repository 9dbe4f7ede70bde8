/* net_iface.h - one container interface: its stable names and MAC, and
 * making or removing it in the container's network namespace. */
#ifndef BOX_NET_IFACE_H
#define BOX_NET_IFACE_H

#include "net_link.h"
#include "net_store.h"

#define NIF_MAC_LEN 18  /* "02:b0:xx:xx:xx:xx" + NUL */

/* Host end of a veth: "vb" + 8 hex digits of (root, container, ifname), so
 * it is stable (teardown finds leftovers) and unique per root. */
void nif_host_name(struct box_ctx *ctx, const char *container,
		   const char *ifname, char out[IFNAMSIZ]);
/* Locally administered unicast MAC, stable per (root, container, ifname). */
void nif_mac(struct box_ctx *ctx, const char *container, const char *ifname,
	     char out[NIF_MAC_LEN]);
/* Bridge name for a network: "bt-<name>" or "bt-<hash>" if too long. */
void nif_bridge_name(const char *net, char out[IFNAMSIZ]);

/* Make the lease's interface inside the netns nsfd: veth to the bridge or
 * macvlan on the parent, its address, and (default_route) the default
 * route via the gateway.  host: a socket in our namespace, ct: one in the
 * container's.  On failure nothing of it is left. */
int nif_attach(struct nl_sock *host, struct nl_sock *ct, int nsfd,
	       struct box_ctx *ctx, const struct net_def *def,
	       const struct net_lease *l, bool default_route,
	       struct box_err *err);
/* Remove it (from the container side; the veth's host end goes with it). */
int nif_detach(struct nl_sock *ct, const char *ifname, struct box_err *err);

#endif
