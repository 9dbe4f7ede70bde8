/* net_sample.c - network counters of many containers per stats sample:
 * leases say which interfaces a container has, one RTM_GETSTATS dump
 * gives the counters of all host links (veth ends), an RTM_GETLINK dump
 * now and then their names.  See net_sample.h. */
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

/* A name that did not resolve may be a veth made since the names were
 * dumped: dump them again, but at most every NAMES_EVERY samples (the
 * netns fallback gives right figures meanwhile). */
#define NAMES_EVERY 10

struct lease_ent {
	char container[BOX_NAME_MAX + 1];
	char host[IFNAMSIZ];    /* the veth's host end */
	bool veth;
};

struct link_name {
	char name[IFNAMSIZ];
	int ifindex;
};

struct link_stat {
	int ifindex;
	uint64_t rx, tx;
};

struct nsample {
	struct box_ctx *ctx;
	char dir[PATH_MAX];     /* $ROOT/networks */
	struct stat seen;       /* the directory as last loaded */
	bool have_seen;
	struct lease_ent *l;
	size_t nl, capl;
	bool sorted;
	/* names -> ifindex (RTM_GETLINK, rarely), sorted by name */
	struct link_name *names;
	size_t nnames, capnames;
	unsigned names_age;     /* samples since the names were dumped */
	bool names_ok;
	/* ifindex -> counters (RTM_GETSTATS, once per sample that needs it) */
	struct link_stat *stats;
	size_t nstats, capstats;
	bool dumped;            /* stats are this sample's */
	bool stats_ok;
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
	free(ns->names);
	free(ns->stats);
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
	ns->names_age++;
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
	ns->names_age = NAMES_EVERY; /* new leases: new names may resolve */
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct link_name *)a)->name,
		      ((const struct link_name *)b)->name);
}

static int stat_cmp(const void *a, const void *b)
{
	int x = ((const struct link_stat *)a)->ifindex;
	int y = ((const struct link_stat *)b)->ifindex;
	return (x > y) - (x < y);
}

/* Grow *v (of *cap elements of size sz) to hold n + 1. */
static bool room(void **v, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return true;
	size_t c = *cap ? *cap * 2 : 64;
	void *nv = realloc(*v, c * sz);
	if (!nv)
		return false;
	*v = nv;
	*cap = c;
	return true;
}

/* qsort / bsearch that accept an empty (maybe NULL) array. */
static void sort(void *v, size_t n, size_t sz,
		 int (*cmp)(const void *, const void *))
{
	if (n)
		qsort(v, n, sz, cmp);
}

static void *search(const void *key, const void *v, size_t n, size_t sz,
		    int (*cmp)(const void *, const void *))
{
	return n ? bsearch(key, v, n, sz, cmp) : NULL;
}

int nsample_set_links(struct nsample *ns, const struct nsample_link *l,
		      size_t n)
{
	ns->nnames = ns->nstats = 0;
	for (size_t i = 0; i < n; i++) {
		if (!room((void **)&ns->names, &ns->capnames, i, sizeof *ns->names) ||
		    !room((void **)&ns->stats, &ns->capstats, i, sizeof *ns->stats))
			return -1;
		snprintf(ns->names[i].name, sizeof ns->names[i].name, "%s", l[i].name);
		ns->names[i].ifindex = (int)i + 1;
		ns->stats[i] = (struct link_stat){(int)i + 1, l[i].rx, l[i].tx};
	}
	ns->nnames = ns->nstats = n;
	sort(ns->names, n, sizeof *ns->names, name_cmp);
	ns->names_ok = ns->stats_ok = ns->dumped = true;
	ns->names_age = 0;
	return 0;
}

/* Both dumps come through here: RTM_NEWLINK gives a name and its ifindex,
 * RTM_NEWSTATS (filtered to IFLA_STATS_LINK_64) an ifindex's counters. */
static int on_msg(struct nl_msg *msg, void *arg)
{
	struct nsample *ns = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	if (h->nlmsg_type == RTM_NEWLINK) {
		struct nlattr *tb[IFLA_MAX + 1];
		if (nlmsg_parse(h, sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) < 0 ||
		    !tb[IFLA_IFNAME])
			return NL_OK;
		if (!room((void **)&ns->names, &ns->capnames, ns->nnames,
			  sizeof *ns->names))
			return NL_STOP;
		struct link_name *k = &ns->names[ns->nnames++];
		snprintf(k->name, sizeof k->name, "%s", nla_get_string(tb[IFLA_IFNAME]));
		k->ifindex = ((struct ifinfomsg *)nlmsg_data(h))->ifi_index;
	} else if (h->nlmsg_type == RTM_NEWSTATS) {
		struct nlattr *tb[IFLA_STATS_MAX + 1];
		if (nlmsg_parse(h, sizeof(struct if_stats_msg), tb, IFLA_STATS_MAX,
				NULL) < 0 ||
		    !tb[IFLA_STATS_LINK_64])
			return NL_OK;
		if (!room((void **)&ns->stats, &ns->capstats, ns->nstats,
			  sizeof *ns->stats))
			return NL_STOP;
		struct rtnl_link_stats64 s = {0};
		size_t len = (size_t)nla_len(tb[IFLA_STATS_LINK_64]);
		memcpy(&s, nla_data(tb[IFLA_STATS_LINK_64]),
		       len < sizeof s ? len : sizeof s);
		ns->stats[ns->nstats++] = (struct link_stat){
			(int)((struct if_stats_msg *)nlmsg_data(h))->ifindex,
			s.rx_bytes, s.tx_bytes};
	}
	return NL_OK;
}

/* One dump request of type with its header; false on any failure (the
 * socket is dropped then: a new one next time). */
static bool dump(struct nsample *ns, int type, void *hdr, size_t len)
{
	if (!ns->sk) {
		ns->sk = nlk_open(-1, NULL);
		if (!ns->sk)
			return false;
		nl_socket_modify_cb(ns->sk, NL_CB_VALID, NL_CB_CUSTOM, on_msg, ns);
	}
	if (nl_send_simple(ns->sk, type, NLM_F_DUMP, hdr, len) < 0 ||
	    nl_recvmsgs_default(ns->sk) < 0) {
		nlk_close(ns->sk);
		ns->sk = NULL;
		return false;
	}
	return true;
}

/* Every link's name and ifindex: RTM_GETLINK builds a big message per
 * link (all attributes, inet6 settings, ...), so it is done only when a
 * name is missing (see NAMES_EVERY). */
static void dump_names(struct nsample *ns)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	ns->nnames = 0;
	ns->names_age = 0;
	ns->names_ok = dump(ns, RTM_GETLINK, &ifi, sizeof ifi);
	if (!ns->names_ok)
		ns->nnames = 0;
	sort(ns->names, ns->nnames, sizeof *ns->names, name_cmp);
}

/* Every link's byte counters: RTM_GETSTATS asking for the 64-bit link
 * counters only, a ~200-byte message per link. */
static void dump_stats(struct nsample *ns)
{
	struct if_stats_msg m = {
		.family = AF_UNSPEC,
		.filter_mask = IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64)};
	ns->dumped = true;
	ns->nstats = 0;
	ns->stats_ok = dump(ns, RTM_GETSTATS, &m, sizeof m);
	if (!ns->stats_ok)
		ns->nstats = 0;
	sort(ns->stats, ns->nstats, sizeof *ns->stats, stat_cmp);
}

/* The counters of host link name, NULL if it is not (or no longer) here. */
static const struct link_stat *find_link(struct nsample *ns, const char *name)
{
	for (int pass = 0; pass < 2; pass++) {
		struct link_name key;
		snprintf(key.name, sizeof key.name, "%s", name);
		const struct link_name *k =
			ns->names_ok ? search(&key, ns->names, ns->nnames,
					      sizeof *ns->names, name_cmp)
				     : NULL;
		if (k) {
			struct link_stat skey = {.ifindex = k->ifindex};
			const struct link_stat *s =
				search(&skey, ns->stats, ns->nstats,
				       sizeof *ns->stats, stat_cmp);
			if (s)
				return s;
		}
		/* unknown name, or an ifindex gone (the veth was made anew):
		 * the names are old */
		if (pass || ns->names_age < NAMES_EVERY)
			return NULL;
		dump_names(ns);
	}
	return NULL;
}

enum nsample_src nsample_get(struct nsample *ns, const char *container,
			     uint64_t *rx, uint64_t *tx)
{
	*rx = *tx = 0;
	if (!ns->sorted) {
		sort(ns->l, ns->nl, sizeof *ns->l, lease_cmp);
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
			dump_stats(ns);
		const struct link_stat *k =
			ns->stats_ok ? find_link(ns, ns->l[i].host) : NULL;
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
