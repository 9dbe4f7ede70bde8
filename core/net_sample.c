/* net_sample.c - network counters of many containers per stats sample:
 * leases say which interfaces a container has, one RTM_GETLINK dump gives
 * the host ends of all veths.  See net_sample.h. */
#include "net_sample.h"
#include "net_iface.h"
#include "net_link.h"
#include "net_store.h"
#include "util.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A directory changed within this many seconds of a look may change again
 * within the same timestamp tick: look again next sample. */
#define RECENT_SECS 2

struct lease_ent {
	char container[BOX_NAME_MAX + 1];
	char host[IFNAMSIZ];    /* the veth's host end */
	bool veth;
};

struct nsample {
	struct box_ctx *ctx;
	char dir[PATH_MAX];     /* $ROOT/networks */
	struct stat seen;       /* the directory as last loaded */
	bool have_seen;
	struct lease_ent *l;
	size_t nl, capl;
	bool sorted;
	struct nsample_link *links; /* sorted by name */
	size_t nlinks, caplinks;
	bool dumped;            /* links are this sample's */
	bool dump_ok;
	struct nl_sock *sk;
};

struct nsample *nsample_new(struct box_ctx *ctx)
{
	struct nsample *ns = calloc(1, sizeof *ns);
	if (!ns)
		return NULL;
	ns->ctx = ctx;
	if (ctx_path(ctx, ns->dir, sizeof ns->dir, NULL, "networks") < 0)
		ns->dir[0] = '\0';
	return ns;
}

void nsample_free(struct nsample *ns)
{
	if (!ns)
		return;
	nlk_close(ns->sk);
	free(ns->l);
	free(ns->links);
	free(ns);
}

int nsample_add_lease(struct nsample *ns, const char *container,
		      const char *ifname, bool veth)
{
	if (ns->nl == ns->capl) {
		size_t cap = ns->capl ? ns->capl * 2 : 64;
		struct lease_ent *nl = realloc(ns->l, cap * sizeof *nl);
		if (!nl)
			return -1;
		ns->l = nl;
		ns->capl = cap;
	}
	struct lease_ent *e = &ns->l[ns->nl++];
	snprintf(e->container, sizeof e->container, "%s", container);
	nif_host_name(ns->ctx, container, ifname, e->host);
	e->veth = veth;
	ns->sorted = false;
	return 0;
}

static int lease_cmp(const void *a, const void *b)
{
	return strcmp(((const struct lease_ent *)a)->container,
		      ((const struct lease_ent *)b)->container);
}

static int link_cmp(const void *a, const void *b)
{
	return strcmp(((const struct nsample_link *)a)->name,
		      ((const struct nsample_link *)b)->name);
}

static bool stat_same(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	       a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Every lease of every network; on failure the old table stays. */
static void load_leases(struct nsample *ns)
{
	struct net_all all;
	auto_fd lock = nstore_lock_load_all(ns->ctx, false, &all, NULL);
	if (lock < 0)
		return;
	ns->nl = 0;
	for (size_t k = 0; k < all.n; k++)
		for (size_t i = 0; i < nlease_count(&all.v[k]); i++) {
			struct net_lease l;
			nlease_get(&all.v[k], i, &l);
			if (l.container && l.ifname)
				nsample_add_lease(ns, l.container, l.ifname,
						  all.v[k].type == NET_BRIDGE);
		}
	nstore_free_all(&all);
}

void nsample_begin(struct nsample *ns)
{
	ns->dumped = false;
	struct stat s;
	if (!ns->dir[0] || stat(ns->dir, &s) < 0) {
		/* no network was ever made: nobody has a lease */
		ns->nl = 0;
		ns->have_seen = false;
		return;
	}
	/* leases are written by rename into the directory, which moves its
	 * mtime; a change in the same clock tick as our last look would not,
	 * so a recently changed directory is looked at again */
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	bool recent = now.tv_sec - s.st_mtim.tv_sec <= RECENT_SECS;
	if (ns->have_seen && stat_same(&s, &ns->seen) && !recent)
		return;
	load_leases(ns);
	ns->seen = s;
	ns->have_seen = true;
}

int nsample_set_links(struct nsample *ns, const struct nsample_link *l,
		      size_t n)
{
	if (n > ns->caplinks) {
		struct nsample_link *nl = realloc(ns->links, n * sizeof *nl);
		if (!nl)
			return -1;
		ns->links = nl;
		ns->caplinks = n;
	}
	if (n)
		memcpy(ns->links, l, n * sizeof *l);
	ns->nlinks = n;
	qsort(ns->links, n, sizeof *ns->links, link_cmp);
	ns->dumped = ns->dump_ok = true;
	return 0;
}

static int on_link(struct nl_msg *msg, void *arg)
{
	struct nsample *ns = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[IFLA_MAX + 1];
	if (h->nlmsg_type != RTM_NEWLINK ||
	    nlmsg_parse(h, sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) < 0 ||
	    !tb[IFLA_IFNAME] || !tb[IFLA_STATS64])
		return NL_OK;
	if (ns->nlinks == ns->caplinks) {
		size_t cap = ns->caplinks ? ns->caplinks * 2 : 64;
		struct nsample_link *nl = realloc(ns->links, cap * sizeof *nl);
		if (!nl)
			return NL_STOP;
		ns->links = nl;
		ns->caplinks = cap;
	}
	struct rtnl_link_stats64 s = {0};
	size_t len = (size_t)nla_len(tb[IFLA_STATS64]);
	memcpy(&s, nla_data(tb[IFLA_STATS64]), len < sizeof s ? len : sizeof s);
	struct nsample_link *l = &ns->links[ns->nlinks++];
	snprintf(l->name, sizeof l->name, "%s", nla_get_string(tb[IFLA_IFNAME]));
	l->rx = s.rx_bytes;
	l->tx = s.tx_bytes;
	return NL_OK;
}

/* One RTM_GETLINK dump of our namespace into links (sorted by name).  The
 * socket and the array are kept: no allocation in a steady state. */
static void dump_links(struct nsample *ns)
{
	ns->dumped = true;
	ns->dump_ok = false;
	ns->nlinks = 0;
	if (!ns->sk) {
		ns->sk = nlk_open(-1, NULL);
		if (!ns->sk)
			return;
		nl_socket_modify_cb(ns->sk, NL_CB_VALID, NL_CB_CUSTOM, on_link, ns);
	}
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	if (nl_send_simple(ns->sk, RTM_GETLINK, NLM_F_DUMP, &ifi, sizeof ifi) < 0 ||
	    nl_recvmsgs_default(ns->sk) < 0) {
		/* a broken or interrupted dump: start afresh next time */
		nlk_close(ns->sk);
		ns->sk = NULL;
		ns->nlinks = 0;
		return;
	}
	qsort(ns->links, ns->nlinks, sizeof *ns->links, link_cmp);
	ns->dump_ok = true;
}

static const struct nsample_link *find_link(struct nsample *ns,
					    const char *name)
{
	struct nsample_link key;
	snprintf(key.name, sizeof key.name, "%s", name);
	return bsearch(&key, ns->links, ns->nlinks, sizeof *ns->links,
		       link_cmp);
}

enum nsample_src nsample_get(struct nsample *ns, const char *container,
			     uint64_t *rx, uint64_t *tx)
{
	*rx = *tx = 0;
	if (!ns->sorted) {
		qsort(ns->l, ns->nl, sizeof *ns->l, lease_cmp);
		ns->sorted = true;
	}
	/* the first lease of container */
	size_t lo = 0, hi = ns->nl;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(ns->l[mid].container, container) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == ns->nl || strcmp(ns->l[lo].container, container))
		return NSAMPLE_NONE;
	uint64_t r = 0, t = 0;
	for (size_t i = lo; i < ns->nl && !strcmp(ns->l[i].container, container);
	     i++) {
		if (!ns->l[i].veth)
			return NSAMPLE_NETNS;
		if (!ns->dumped)
			dump_links(ns);
		const struct nsample_link *k =
			ns->dump_ok ? find_link(ns, ns->l[i].host) : NULL;
		if (!k) /* not in our namespace: count it where it is */
			return NSAMPLE_NETNS;
		/* the host end receives what the container sends */
		r += k->tx;
		t += k->rx;
	}
	*rx = r;
	*tx = t;
	return NSAMPLE_DONE;
}
