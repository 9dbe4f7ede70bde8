/* net_iface.c - a container's interface on one network. */
#include "net_iface.h"

#include <stdio.h>
#include <string.h>

static uint32_t fnv1a3(const char *a, const char *b, const char *c)
{
	uint32_t h = 2166136261u;
	const char *parts[] = {a, "/", b, "/", c};
	for (size_t i = 0; i < 5; i++)
		for (const char *s = parts[i]; *s; s++)
			h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

void nif_host_name(struct box_ctx *ctx, const char *container,
		   const char *ifname, char out[IFNAMSIZ])
{
	snprintf(out, IFNAMSIZ, "vb%08x",
		 fnv1a3(box_root(ctx), container, ifname));
}

void nif_mac(struct box_ctx *ctx, const char *container, const char *ifname,
	     char out[NIF_MAC_LEN])
{
	uint32_t h = fnv1a3(box_root(ctx), container, ifname);
	/* 02: locally administered, unicast; b0 marks boxtop's. */
	snprintf(out, NIF_MAC_LEN, "02:b0:%02x:%02x:%02x:%02x", h >> 24,
		 (h >> 16) & 255, (h >> 8) & 255, h & 255);
}

void nif_bridge_name(const char *net, char out[IFNAMSIZ])
{
	if (strlen(net) <= IFNAMSIZ - 4) {
		snprintf(out, IFNAMSIZ, "bt-%s", net);
		return;
	}
	snprintf(out, IFNAMSIZ, "bt-%08x", fnv1a3(net, "", ""));
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
		   &v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

int nif_attach(struct nl_sock *host, struct nl_sock *ct, int nsfd,
	       struct box_ctx *ctx, const struct net_def *def,
	       const struct net_lease *l, bool default_route,
	       struct box_err *err)
{
	uint8_t mac[6];
	char ip[NP_IP_LEN];
	if (parse_mac(l->mac, mac) < 0)
		return box_fail(err, BOX_EINVAL, 0, "lease of %s: bad mac '%s'",
				l->container, l->mac);
	if (def->type == NET_BRIDGE) {
		/* The bridge is made at `net create`; after a host reboot it is
		 * gone and comes back here. */
		int br = nlk_ifindex(host, def->bridge);
		if (!br) {
			bool created;
			if (nlk_bridge_ensure(host, def->bridge, def->gateway,
					      def->subnet.prefix, &created,
					      err) < 0)
				return box_err_wrap(err, "network %s", def->name);
			br = nlk_ifindex(host, def->bridge);
		}
		char hname[IFNAMSIZ];
		nif_host_name(ctx, l->container, l->ifname, hname);
		/* A leftover of a crash under the same name would block us. */
		nlk_link_del(host, hname, NULL);
		if (nlk_veth_create(host, hname, br, nsfd, l->ifname, mac,
				    err) < 0)
			return box_err_wrap(err, "network %s", def->name);
	} else if (nlk_macvlan_create(host, def->parent, nsfd, l->ifname, mac,
				      err) < 0) {
		return box_err_wrap(err, "network %s", def->name);
	}
	if (nlk_addr_add(ct, l->ifname, l->ip, def->subnet.prefix, err) < 0 ||
	    (def->type == NET_BRIDGE && nlk_link_up(ct, l->ifname, err) < 0) ||
	    (default_route && def->gateway &&
	     nlk_route_default(ct, l->ifname, def->gateway, err) < 0)) {
		nlk_link_del(ct, l->ifname, NULL);
		return box_err_wrap(err, "network %s: %s %s", def->name,
				    l->ifname, np_fmt_ip(l->ip, ip));
	}
	return 0;
}

int nif_detach(struct nl_sock *ct, const char *ifname, struct box_err *err)
{
	return nlk_link_del(ct, ifname, err);
}
