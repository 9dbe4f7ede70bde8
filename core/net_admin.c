/* net_admin.c - networks as objects: create (with a subnet that does not
 * clash with the host), list, inspect, remove, batch address planning. */
#include "net_admin.h"
#include "net_hosts.h"
#include "net_iface.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

const char *nadmin_default_name(void)
{
	const char *d = getenv("BOXTOP_NET_DEFAULT");
	return d && *d ? d : BOX_NET_DEFAULT;
}

void nadmin_info(const struct net_def *def, struct box_net_info *out)
{
	char a[NP_IP_LEN], b[NP_IP_LEN];
	memset(out, 0, sizeof *out);
	snprintf(out->name, sizeof out->name, "%s", def->name);
	snprintf(out->type, sizeof out->type, "%s", nstore_type_name(def->type));
	np_fmt_cidr(&def->subnet, out->subnet, sizeof out->subnet);
	if (def->gateway)
		np_fmt_ip(def->gateway, out->gateway);
	snprintf(out->range, sizeof out->range, "%s-%s", np_fmt_ip(def->lo, a),
		 np_fmt_ip(def->hi, b));
	snprintf(out->parent, sizeof out->parent, "%s", def->parent);
	snprintf(out->bridge, sizeof out->bridge, "%s", def->bridge);
	out->nat = def->nat;
	out->leases = nlease_count(def);
	struct np_pool pool;
	auto_free uint32_t *ips = NULL;
	if (nlease_pool(def, &pool, &ips, NULL) == 0)
		out->free = np_free_count(&pool);
}

/* Subnets a new bridge network must not overlap: the host's routes and
 * addresses, and every other boxtop network. */
static int used_subnets(struct box_ctx *ctx, struct nl_sock *sk,
			struct np_cidr **used, size_t *n, struct box_err *err)
{
	if (nlk_used_subnets(sk, used, n, err) < 0)
		return -1;
	struct net_all all;
	if (nstore_load_all(ctx, &all, err) < 0) {
		free(*used);
		return -1;
	}
	struct np_cidr *nu = realloc(*used, (*n + all.n + 1) * sizeof *nu);
	if (!nu) {
		nstore_free_all(&all);
		free(*used);
		return box_fail(err, BOX_ESYS, ENOMEM, "subnets");
	}
	*used = nu;
	for (size_t i = 0; i < all.n; i++)
		nu[(*n)++] = all.v[i].subnet;
	nstore_free_all(&all);
	return 0;
}

static int check_name(const char *name, struct box_err *err)
{
	if (box_check_name(name, err) < 0)
		return -1;
	if (!strcmp(name, "none") || !strcmp(name, "host"))
		return box_fail(err, BOX_EINVAL, 0,
				"network '%s': reserved name", name);
	return 0;
}

/* With the lock held. */
static int create_locked(struct box_ctx *ctx, const struct box_net_opts *o,
			 struct net_def *def, struct box_err *err)
{
	memset(def, 0, sizeof *def);
	if (check_name(o->name, err) < 0)
		return -1;
	if (nstore_exists(ctx, o->name))
		return box_fail(err, BOX_EEXIST, 0, "network %s: already exists",
				o->name);
	if (o->nat)
		return box_fail(err, BOX_EINVAL, 0,
				"network %s: --nat is not supported yet", o->name);
	snprintf(def->name, sizeof def->name, "%s", o->name);
	const char *type = o->type ? o->type : "bridge";
	if (!strcmp(type, "bridge"))
		def->type = NET_BRIDGE;
	else if (!strcmp(type, "macvlan"))
		def->type = NET_MACVLAN;
	else
		return box_fail(err, BOX_EINVAL, 0,
				"network type '%s': want bridge or macvlan", type);

	struct nl_sock *sk = nlk_open(-1, err);
	if (!sk)
		return -1;
	int rc = -1;
	struct np_cidr *used = NULL;
	size_t n_used = 0;
	if (def->type == NET_MACVLAN) {
		if (!o->parent || !*o->parent) {
			box_fail(err, BOX_EUSAGE, 0,
				 "network %s: macvlan needs --parent IFACE",
				 o->name);
			goto out;
		}
		if (strlen(o->parent) >= IFNAMSIZ || !nlk_ifindex(sk, o->parent)) {
			box_fail(err, BOX_ENOENT, 0,
				 "network %s: parent %s: no such interface",
				 o->name, o->parent);
			goto out;
		}
		snprintf(def->parent, sizeof def->parent, "%s", o->parent);
		if (!o->subnet) {
			box_fail(err, BOX_EUSAGE, 0,
				 "network %s: macvlan needs --subnet CIDR (the parent's LAN)",
				 o->name);
			goto out;
		}
	} else if (o->parent) {
		box_fail(err, BOX_EUSAGE, 0,
			 "network %s: --parent is for macvlan networks", o->name);
		goto out;
	}
	if (def->type == NET_BRIDGE &&
	    used_subnets(ctx, sk, &used, &n_used, err) < 0)
		goto out;
	if (o->subnet) {
		if (np_parse_cidr(o->subnet, &def->subnet, err) < 0)
			goto out;
		for (size_t i = 0; i < n_used; i++)
			if (np_overlap(&def->subnet, &used[i])) {
				char c[32];
				np_fmt_cidr(&used[i], c, sizeof c);
				box_fail(err, BOX_EEXIST, 0,
					 "subnet %s: overlaps %s already in use on this host",
					 o->subnet, c);
				goto out;
			}
	} else {
		/* Private ranges, most specific to this purpose first. */
		struct np_cidr cands[64];
		size_t nc = 0;
		for (uint32_t b = 88; b < 100; b++)
			cands[nc++] = (struct np_cidr){(10u << 24) | (b << 16), 16};
		for (uint32_t b = 18; b < 32; b++)
			cands[nc++] = (struct np_cidr){(172u << 24) | (b << 16), 16};
		for (uint32_t c = 200; c < 230; c++)
			cands[nc++] = (struct np_cidr){(192u << 24) | (168u << 16) | (c << 8), 24};
		if (np_choose_subnet(used, n_used, cands, nc, &def->subnet) < 0) {
			box_fail(err, BOX_EEXIST, 0,
				 "network %s: every candidate subnet overlaps a host route; give --subnet",
				 o->name);
			goto out;
		}
	}
	if (o->gateway) {
		if (np_parse_ip(o->gateway, &def->gateway) < 0) {
			box_fail(err, BOX_EINVAL, 0, "gateway '%s': not an IPv4 address",
				 o->gateway);
			goto out;
		}
	} else if (def->type == NET_BRIDGE) {
		def->gateway = def->subnet.addr + 1;
	}
	if (o->range && np_parse_range(o->range, &def->lo, &def->hi, err) < 0)
		goto out;
	struct np_pool pool;
	if (np_pool_init(&pool, &def->subnet, def->gateway, def->lo, def->hi,
			 err) < 0)
		goto out;
	def->lo = pool.lo;
	def->hi = pool.hi;

	bool made = false;
	if (def->type == NET_BRIDGE) {
		nif_bridge_name(def->name, def->bridge);
		if (nlk_ifindex(sk, def->bridge)) {
			box_fail(err, BOX_EEXIST, 0,
				 "network %s: interface %s already exists on the host",
				 o->name, def->bridge);
			goto out;
		}
		if (nlk_bridge_ensure(sk, def->bridge, def->gateway,
				      def->subnet.prefix, &made, err) < 0)
			goto out;
	}
	if (nstore_save_durable(ctx, def, err) < 0) {
		if (made)
			nlk_link_del(sk, def->bridge, NULL);
		nstore_free(def);
		goto out;
	}
	rc = 0;
out:
	free(used);
	nlk_close(sk);
	if (rc < 0)
		box_err_wrap(err, "net create");
	return rc;
}

int box_net_create(struct box_ctx *ctx, const struct box_net_opts *opts,
		   struct box_net_info *out, struct box_err *err)
{
	auto_fd lock = nstore_lock(ctx, true, err);
	if (lock < 0)
		return -1;
	struct net_def def;
	if (create_locked(ctx, opts, &def, err) < 0)
		return -1;
	if (out)
		nadmin_info(&def, out);
	nstore_free(&def);
	return 0;
}

int nadmin_ensure_default_locked(struct box_ctx *ctx, const char *name,
				 bool *created, struct box_err *err)
{
	*created = false;
	if (nstore_exists(ctx, name))
		return 0;
	struct box_net_opts o = {.name = name, .type = "bridge"};
	struct net_def def;
	if (create_locked(ctx, &o, &def, err) < 0)
		return -1;
	nstore_free(&def);
	*created = true;
	return 0;
}

int nadmin_lock_for(struct box_ctx *ctx, const char *name,
		    struct box_err *err)
{
	int lock = nstore_lock(ctx, true, err);
	if (lock < 0)
		return -1;
	bool created;
	if (!strcmp(name, nadmin_default_name()) &&
	    nadmin_ensure_default_locked(ctx, name, &created, err) < 0) {
		close(lock);
		return -1;
	}
	return lock;
}

int box_net_ensure_default(struct box_ctx *ctx, struct box_net_info *out,
			   bool *created, struct box_err *err)
{
	const char *name = nadmin_default_name();
	/* A default of "none" or "host" is a mode, not a network to make. */
	if (!strcmp(name, "none") || !strcmp(name, "host")) {
		*created = false;
		if (out)
			memset(out, 0, sizeof *out);
		return 0;
	}
	auto_fd lock = nstore_lock(ctx, true, err);
	if (lock < 0)
		return -1;
	if (nadmin_ensure_default_locked(ctx, name, created, err) < 0)
		return -1;
	if (out) {
		struct net_def def;
		if (nstore_load(ctx, name, &def, err) < 0)
			return -1;
		nadmin_info(&def, out);
		nstore_free(&def);
	}
	return 0;
}

int box_net_list(struct box_ctx *ctx, struct box_net_info **out, size_t *n,
		 struct box_err *err)
{
	struct net_all all;
	auto_fd lock = nstore_lock_load_all(ctx, false, &all, err);
	if (lock < 0)
		return -1;
	*out = calloc(all.n ? all.n : 1, sizeof **out);
	if (!*out) {
		nstore_free_all(&all);
		return box_fail(err, BOX_ESYS, ENOMEM, "net ls");
	}
	for (size_t i = 0; i < all.n; i++)
		nadmin_info(&all.v[i], &(*out)[i]);
	*n = all.n;
	nstore_free_all(&all);
	return 0;
}

/* Load one network with stale leases dropped (and saved). */
static int load_reconciled(struct box_ctx *ctx, const char *name,
			   struct net_def *def, struct box_err *err)
{
	if (nstore_load(ctx, name, def, err) < 0)
		return -1;
	if (nlease_reconcile(ctx, def) &&
	    (nstore_save(ctx, def, err) < 0 ||
	     nhosts_write_net(ctx, def, err) < 0)) {
		nstore_free(def);
		return -1;
	}
	return 0;
}

/* The networks lock with one network loaded under it (as load_reconciled):
 * the lock fd, or -1 with nothing held. */
static int lock_load_reconciled(struct box_ctx *ctx, const char *name,
				struct net_def *def, struct box_err *err)
{
	int lock = nstore_lock(ctx, true, err);
	if (lock < 0)
		return -1;
	if (load_reconciled(ctx, name, def, err) < 0) {
		close(lock);
		return -1;
	}
	return lock;
}

int box_net_get(struct box_ctx *ctx, const char *name,
		struct box_net_info *out, struct box_net_lease **leases,
		size_t *n, struct box_err *err)
{
	struct net_def def;
	auto_fd lock = lock_load_reconciled(ctx, name, &def, err);
	if (lock < 0)
		return -1;
	nadmin_info(&def, out);
	if (leases) {
		size_t cnt = nlease_count(&def);
		*leases = calloc(cnt ? cnt : 1, sizeof **leases);
		if (!*leases) {
			nstore_free(&def);
			return box_fail(err, BOX_ESYS, ENOMEM, "net info");
		}
		for (size_t i = 0; i < cnt; i++) {
			struct net_lease l;
			struct box_net_lease *o = &(*leases)[i];
			nlease_get(&def, i, &l);
			np_fmt_ip(l.ip, o->ip);
			snprintf(o->container, sizeof o->container, "%s", l.container);
			snprintf(o->ifname, sizeof o->ifname, "%s", l.ifname);
			snprintf(o->mac, sizeof o->mac, "%s", l.mac);
		}
		*n = cnt;
	}
	nstore_free(&def);
	return 0;
}

int box_net_remove(struct box_ctx *ctx, const char *name, struct box_err *err)
{
	struct net_def def;
	auto_fd lock = lock_load_reconciled(ctx, name, &def, err);
	if (lock < 0)
		return -1;
	size_t used = nlease_count(&def);
	if (used) {
		struct net_lease l;
		nlease_get(&def, 0, &l);
		box_fail(err, BOX_ESTATE, 0,
			 "network %s: in use by %zu container(s) (%s%s)", name,
			 used, l.container, used > 1 ? ", ..." : "");
		nstore_free(&def);
		return -1;
	}
	int rc = 0;
	if (def.type == NET_BRIDGE && def.bridge[0]) {
		struct nl_sock *sk = nlk_open(-1, err);
		rc = sk ? nlk_link_del(sk, def.bridge, err) : -1;
		nlk_close(sk);
	}
	if (rc == 0)
		rc = nstore_remove(ctx, name, err);
	if (rc == 0)
		nhosts_remove_net(ctx, name);
	nstore_free(&def);
	return rc < 0 ? box_err_wrap(err, "net rm %s", name) : 0;
}

int box_net_plan_batch(struct box_ctx *ctx, const char *net,
		       const char *base_ip, size_t count, char (**ips)[16],
		       struct box_err *err)
{
	*ips = NULL;
	if (!net)
		net = nadmin_default_name();
	if (!strcmp(net, "none") || !strcmp(net, "host")) {
		if (base_ip)
			return box_fail(err, BOX_EINVAL, 0,
					"ip %s: network '%s' has no addresses",
					base_ip, net);
		return 0;
	}
	uint32_t base = 0;
	if (base_ip && np_parse_ip(base_ip, &base) < 0)
		return box_fail(err, BOX_EINVAL, 0,
				"ip '%s': not an IPv4 address", base_ip);
	auto_fd lock = nadmin_lock_for(ctx, net, err);
	if (lock < 0)
		return -1;
	struct net_def def;
	if (load_reconciled(ctx, net, &def, err) < 0)
		return -1;
	struct np_pool pool;
	auto_free uint32_t *leased = NULL;
	auto_free uint32_t *plan = calloc(count ? count : 1, sizeof *plan);
	int rc = -1;
	if (!plan)
		box_fail(err, BOX_ESYS, ENOMEM, "batch addresses");
	else if (nlease_pool(&def, &pool, &leased, err) == 0 &&
		 np_plan_batch(&pool, base, count, plan, err) == 0) {
		*ips = calloc(count ? count : 1, sizeof **ips);
		if (!*ips)
			box_fail(err, BOX_ESYS, ENOMEM, "batch addresses");
		else {
			for (size_t i = 0; i < count; i++)
				np_fmt_ip(plan[i], (*ips)[i]);
			rc = 0;
		}
	}
	if (rc < 0)
		box_err_wrap(err, "network %s", net);
	nstore_free(&def);
	return rc;
}

int box_net_reserve_check(struct box_ctx *ctx, const char *net,
			  const char *base_ip, size_t count,
			  struct box_err *err)
{
	char(*ips)[16];
	if (box_net_plan_batch(ctx, net, base_ip, count, &ips, err) < 0)
		return -1;
	free(ips);
	return 0;
}
