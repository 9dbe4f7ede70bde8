/* net_link.h - rtnetlink through libnl-route-3: bridges, veth pairs,
 * macvlans, addresses and routes.  No `ip` command anywhere. */
#ifndef BOX_NET_LINK_H
#define BOX_NET_LINK_H

#include "box.h"
#include "net_pool.h"

#include <netlink/socket.h>

/* A route socket bound to the network namespace nsfd (-1: the caller's).
 * The socket keeps talking to that namespace after we return to ours. */
struct nl_sock *nlk_open(int nsfd, struct box_err *err);
void nlk_close(struct nl_sock *sk);
/* open("/proc/<pid>/ns/net") */
int nlk_netns_of(pid_t pid, struct box_err *err);
/* A new network namespace (lo only, down), made by the calling thread,
 * which is back in its own before this returns: an fd naming it. */
int nlk_netns_new(struct box_err *err);
/* In a container's child: receive a network namespace fd on sock
 * (util_send_fd) and join it.  0, or -errno (EPIPE: sock closed). */
int nlk_netns_join_from(int sock);

/* ifindex of name, 0 if there is none. */
int nlk_ifindex(struct nl_sock *sk, const char *name);
/* Delete a link by name; a missing link is not an error. */
int nlk_link_del(struct nl_sock *sk, const char *name, struct box_err *err);
int nlk_link_up(struct nl_sock *sk, const char *name, struct box_err *err);

/* A bridge, up, with gw/prefix on it (gw 0: no address).  *created tells
 * whether it was made now (so a failure after may remove it). */
int nlk_bridge_ensure(struct nl_sock *sk, const char *name, uint32_t gw,
		      int prefix, bool *created, struct box_err *err);
/* A veth pair: host_name in sk's namespace (up, enslaved to master if
 * nonzero) and peer_name with mac made directly inside nsfd. */
int nlk_veth_create(struct nl_sock *sk, const char *host_name, int master,
		    int nsfd, const char *peer_name, const uint8_t mac[6],
		    struct box_err *err);
/* A bridge-mode macvlan on parent, made directly inside nsfd as name. */
int nlk_macvlan_create(struct nl_sock *sk, const char *parent, int nsfd,
		       const char *name, const uint8_t mac[6],
		       struct box_err *err);
int nlk_addr_add(struct nl_sock *sk, const char *ifname, uint32_t ip,
		 int prefix, struct box_err *err);
int nlk_route_default(struct nl_sock *sk, const char *ifname, uint32_t gw,
		      struct box_err *err);
/* Every IPv4 route destination and address network in sk's namespace
 * (default routes left out): what a new subnet must not overlap. */
int nlk_used_subnets(struct nl_sock *sk, struct np_cidr **out, size_t *n,
		     struct box_err *err);
/* Names of the links in sk's namespace matching prefix ("eth"), for
 * picking eth1, eth2... (malloc'd strings). */
int nlk_link_names(struct nl_sock *sk, const char *prefix, char ***names,
		   size_t *n, struct box_err *err);

#endif
