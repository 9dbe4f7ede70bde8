/* net_link.c - the rtnetlink calls, all through libnl-route-3. */
#include "net_link.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

/* libnl's negative NLE_* codes as our error kinds. */
static int nl_fail(struct box_err *err, int r, const char *fmt, const char *a)
{
	char what[256];
	snprintf(what, sizeof what, fmt, a);
	return box_fail(err, r == -NLE_EXIST ? BOX_EEXIST : BOX_ESYS, 0,
			"%s: %s", what, nl_geterror(r));
}

int nlk_netns_of(pid_t pid, struct box_err *err)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/ns/net", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return box_fail(err, BOX_ESYS, errno, "open %s", path);
	return fd;
}

int nlk_netns_new(struct box_err *err)
{
	auto_fd self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return box_fail(err, BOX_ESYS, errno, "open own network namespace");
	/* unshare moves this thread only (a TUI's other threads stay) */
	if (unshare(CLONE_NEWNET) < 0)
		return box_fail(err, BOX_ESYS, errno, "make a network namespace");
	int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	int e = errno;
	if (setns(self, CLONE_NEWNET) < 0)
		abort(); /* stuck in another namespace: nothing is safe */
	if (fd < 0)
		return box_fail(err, BOX_ESYS, e, "open the new network namespace");
	return fd;
}

int nlk_netns_join_from(int sock)
{
	int fd = util_recv_fd(sock);
	if (fd < 0)
		return -EPIPE;
	int r = setns(fd, CLONE_NEWNET) < 0 ? -errno : 0;
	close(fd);
	return r;
}

struct nl_sock *nlk_open(int nsfd, struct box_err *err)
{
	auto_fd self = -1;
	if (nsfd >= 0) {
		self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (self < 0 || setns(nsfd, CLONE_NEWNET) < 0) {
			box_fail(err, BOX_ESYS, errno, "enter network namespace");
			return NULL;
		}
	}
	struct nl_sock *sk = nl_socket_alloc();
	int r = sk ? nl_connect(sk, NETLINK_ROUTE) : -NLE_NOMEM;
	if (r < 0) {
		nl_fail(err, r, "%s", "netlink connect");
		if (sk)
			nl_socket_free(sk);
		sk = NULL;
	}
	if (self >= 0 && setns(self, CLONE_NEWNET) < 0) {
		/* Stuck in another namespace: nothing after this is safe. */
		abort();
	}
	return sk;
}

void nlk_close(struct nl_sock *sk)
{
	if (sk)
		nl_socket_free(sk);
}

int nlk_ifindex(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *l = NULL;
	if (rtnl_link_get_kernel(sk, 0, name, &l) < 0)
		return 0;
	int idx = rtnl_link_get_ifindex(l);
	rtnl_link_put(l);
	return idx;
}

int nlk_link_del(struct nl_sock *sk, const char *name, struct box_err *err)
{
	struct rtnl_link *l = rtnl_link_alloc();
	if (!l)
		return box_fail(err, BOX_ESYS, ENOMEM, "delete link %s", name);
	rtnl_link_set_name(l, name);
	int r = rtnl_link_delete(sk, l);
	rtnl_link_put(l);
	if (r < 0 && r != -NLE_NODEV && r != -NLE_OBJ_NOTFOUND)
		return nl_fail(err, r, "delete link %s", name);
	return 0;
}

int nlk_link_up(struct nl_sock *sk, const char *name, struct box_err *err)
{
	struct rtnl_link *cur = NULL, *req = rtnl_link_alloc();
	int r = req ? rtnl_link_get_kernel(sk, 0, name, &cur) : -NLE_NOMEM;
	if (r >= 0) {
		rtnl_link_set_flags(req, IFF_UP);
		r = rtnl_link_change(sk, cur, req, 0);
	}
	rtnl_link_put(req);
	if (cur)
		rtnl_link_put(cur);
	return r < 0 ? nl_fail(err, r, "set %s up", name) : 0;
}

static struct nl_addr *ip_addr(uint32_t ip, int prefix)
{
	uint32_t be = htonl(ip);
	struct nl_addr *a = nl_addr_build(AF_INET, &be, 4);
	if (a)
		nl_addr_set_prefixlen(a, prefix);
	return a;
}

int nlk_addr_add(struct nl_sock *sk, const char *ifname, uint32_t ip,
		 int prefix, struct box_err *err)
{
	char s[NP_IP_LEN];
	int idx = nlk_ifindex(sk, ifname);
	if (!idx)
		return box_fail(err, BOX_ESYS, ENODEV, "address on %s", ifname);
	struct rtnl_addr *a = rtnl_addr_alloc();
	struct nl_addr *local = ip_addr(ip, prefix);
	int r = -NLE_NOMEM;
	if (a && local) {
		rtnl_addr_set_ifindex(a, idx);
		rtnl_addr_set_local(a, local);
		r = rtnl_addr_add(sk, a, 0);
	}
	nl_addr_put(local);
	rtnl_addr_put(a);
	if (r < 0)
		return nl_fail(err, r, "add address %s", np_fmt_ip(ip, s));
	return 0;
}

int nlk_route_default(struct nl_sock *sk, const char *ifname, uint32_t gw,
		      struct box_err *err)
{
	int idx = nlk_ifindex(sk, ifname);
	if (!idx)
		return box_fail(err, BOX_ESYS, ENODEV, "route via %s", ifname);
	struct rtnl_route *rt = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = ip_addr(0, 0), *via = ip_addr(gw, 32);
	int r = -NLE_NOMEM;
	if (rt && nh && dst && via) {
		rtnl_route_set_family(rt, AF_INET);
		rtnl_route_set_table(rt, RT_TABLE_MAIN);
		rtnl_route_set_dst(rt, dst);
		rtnl_route_nh_set_ifindex(nh, idx);
		rtnl_route_nh_set_gateway(nh, via);
		rtnl_route_add_nexthop(rt, nh);
		nh = NULL; /* the route owns it now */
		r = rtnl_route_add(sk, rt, NLM_F_CREATE | NLM_F_EXCL);
	}
	if (nh)
		rtnl_route_nh_free(nh);
	nl_addr_put(dst);
	nl_addr_put(via);
	if (rt)
		rtnl_route_put(rt);
	char s[NP_IP_LEN];
	return r < 0 ? nl_fail(err, r, "default route via %s", np_fmt_ip(gw, s))
		     : 0;
}

int nlk_bridge_ensure(struct nl_sock *sk, const char *name, uint32_t gw,
		      int prefix, bool *created, struct box_err *err)
{
	*created = false;
	if (!nlk_ifindex(sk, name)) {
		struct rtnl_link *br = rtnl_link_bridge_alloc();
		if (!br)
			return box_fail(err, BOX_ESYS, ENOMEM, "bridge %s", name);
		rtnl_link_set_name(br, name);
		rtnl_link_set_flags(br, IFF_UP);
		int r = rtnl_link_add(sk, br, NLM_F_CREATE | NLM_F_EXCL);
		rtnl_link_put(br);
		if (r < 0)
			return nl_fail(err, r, "create bridge %s", name);
		*created = true;
	} else if (nlk_link_up(sk, name, err) < 0) {
		return -1;
	}
	if (gw && nlk_addr_add(sk, name, gw, prefix, err) < 0 &&
	    err->kind != BOX_EEXIST) {
		if (*created)
			nlk_link_del(sk, name, NULL);
		*created = false;
		return -1;
	}
	return 0;
}

static int set_mac(struct rtnl_link *l, const uint8_t mac[6])
{
	struct nl_addr *a = nl_addr_build(AF_LLC, mac, 6);
	if (!a)
		return -NLE_NOMEM;
	rtnl_link_set_addr(l, a);
	nl_addr_put(a);
	return 0;
}

int nlk_veth_create(struct nl_sock *sk, const char *host_name, int master,
		    int nsfd, const char *peer_name, const uint8_t mac[6],
		    struct box_err *err)
{
	struct rtnl_link *veth = rtnl_link_veth_alloc();
	if (!veth)
		return box_fail(err, BOX_ESYS, ENOMEM, "veth %s", host_name);
	struct rtnl_link *peer = rtnl_link_veth_get_peer(veth);
	rtnl_link_set_name(veth, host_name);
	rtnl_link_set_flags(veth, IFF_UP);
	if (master)
		rtnl_link_set_master(veth, master);
	/* The container end is born in the container's namespace: one
	 * netlink round trip, no move (create-then-move costs ~8x more). */
	rtnl_link_set_name(peer, peer_name);
	rtnl_link_set_ns_fd(peer, nsfd);
	/* No flags on the peer: libnl sends a change mask the kernel refuses
	 * there; the caller brings it up from inside the namespace. */
	int r = set_mac(peer, mac);
	if (r == 0)
		r = rtnl_link_add(sk, veth, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(peer);
	rtnl_link_veth_release(veth);
	return r < 0 ? nl_fail(err, r, "create veth %s", host_name) : 0;
}

int nlk_macvlan_create(struct nl_sock *sk, const char *parent, int nsfd,
		       const char *name, const uint8_t mac[6],
		       struct box_err *err)
{
	int pidx = nlk_ifindex(sk, parent);
	if (!pidx)
		return box_fail(err, BOX_ENOENT, 0,
				"macvlan parent %s: no such interface", parent);
	struct rtnl_link *mv = rtnl_link_macvlan_alloc();
	if (!mv)
		return box_fail(err, BOX_ESYS, ENOMEM, "macvlan on %s", parent);
	rtnl_link_set_link(mv, pidx);
	rtnl_link_macvlan_set_mode(mv, MACVLAN_MODE_BRIDGE);
	rtnl_link_set_name(mv, name);
	rtnl_link_set_ns_fd(mv, nsfd);
	rtnl_link_set_flags(mv, IFF_UP);
	int r = set_mac(mv, mac);
	if (r == 0)
		r = rtnl_link_add(sk, mv, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(mv);
	return r < 0 ? nl_fail(err, r, "create macvlan on %s", parent) : 0;
}

struct used_acc {
	struct np_cidr *v;
	size_t n, cap;
	bool oom;
};

static void used_push(struct used_acc *u, struct nl_addr *a)
{
	if (!a || nl_addr_get_family(a) != AF_INET || u->oom)
		return;
	int prefix = (int)nl_addr_get_prefixlen(a);
	if (prefix <= 0 || nl_addr_get_len(a) != 4)
		return; /* a default route overlaps everything: not a clash */
	uint32_t be;
	memcpy(&be, nl_addr_get_binary_addr(a), 4);
	if (u->n == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 16;
		struct np_cidr *nv = realloc(u->v, cap * sizeof *nv);
		if (!nv) {
			u->oom = true;
			return;
		}
		u->v = nv;
		u->cap = cap;
	}
	u->v[u->n].prefix = prefix;
	u->v[u->n].addr = ntohl(be) & np_mask(prefix);
	u->n++;
}

static void route_cb(struct nl_object *o, void *arg)
{
	used_push(arg, rtnl_route_get_dst((struct rtnl_route *)o));
}

static void addr_cb(struct nl_object *o, void *arg)
{
	used_push(arg, rtnl_addr_get_local((struct rtnl_addr *)o));
}

int nlk_used_subnets(struct nl_sock *sk, struct np_cidr **out, size_t *n,
		     struct box_err *err)
{
	struct used_acc u = {0};
	struct nl_cache *routes = NULL, *addrs = NULL;
	int r = rtnl_route_alloc_cache(sk, AF_INET, 0, &routes);
	if (r >= 0)
		r = rtnl_addr_alloc_cache(sk, &addrs);
	if (r >= 0) {
		nl_cache_foreach(routes, route_cb, &u);
		nl_cache_foreach(addrs, addr_cb, &u);
	}
	if (routes)
		nl_cache_free(routes);
	if (addrs)
		nl_cache_free(addrs);
	if (r < 0 || u.oom) {
		free(u.v);
		return r < 0 ? nl_fail(err, r, "%s", "read host routes")
			     : box_fail(err, BOX_ESYS, ENOMEM, "host routes");
	}
	*out = u.v;
	*n = u.n;
	return 0;
}

struct names_acc {
	const char *prefix;
	char **v;
	size_t n;
	bool oom;
};

static void name_cb(struct nl_object *o, void *arg)
{
	struct names_acc *a = arg;
	const char *name = rtnl_link_get_name((struct rtnl_link *)o);
	if (!name || strncmp(name, a->prefix, strlen(a->prefix)) || a->oom)
		return;
	char **nv = realloc(a->v, (a->n + 1) * sizeof *nv);
	if (!nv || !(nv[a->n] = strdup(name))) {
		a->oom = true;
		if (nv)
			a->v = nv;
		return;
	}
	a->v = nv;
	a->n++;
}

int nlk_link_names(struct nl_sock *sk, const char *prefix, char ***names,
		   size_t *n, struct box_err *err)
{
	struct nl_cache *links = NULL;
	struct names_acc a = {.prefix = prefix};
	int r = rtnl_link_alloc_cache(sk, AF_UNSPEC, &links);
	if (r < 0)
		return nl_fail(err, r, "%s", "list links");
	nl_cache_foreach(links, name_cb, &a);
	nl_cache_free(links);
	if (a.oom) {
		for (size_t i = 0; i < a.n; i++)
			free(a.v[i]);
		free(a.v);
		return box_fail(err, BOX_ESYS, ENOMEM, "list links");
	}
	*names = a.v;
	*n = a.n;
	return 0;
}
