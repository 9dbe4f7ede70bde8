/* net.c - the container lifecycle's network hooks: lease at create, links
 * at start, leftovers at stop, leases back at rm. */
#include "net.h"
#include "net_admin.h"
#include "net_hosts.h"
#include "net_iface.h"
#include "store.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define ANN_NET "org.boxtop.net"
#define ANN_IP "org.boxtop.ip"
#define ANN_MAC "org.boxtop.mac"

static json_t *annotations(json_t *config)
{
	json_t *a = json_object_get(config, "annotations");
	if (!json_is_object(a)) {
		a = json_object();
		json_object_set_new(config, "annotations", a);
	}
	return a;
}

static const char *ann(json_t *config, const char *key)
{
	return json_string_value(
		json_object_get(json_object_get(config, "annotations"), key));
}

static bool has_netns(json_t *config)
{
	json_t *nss = json_object_get(json_object_get(config, "linux"),
				      "namespaces");
	size_t i;
	json_t *ns;
	json_array_foreach(nss, i, ns)
	{
		const char *t = json_string_value(json_object_get(ns, "type"));
		if (t && !strcmp(t, "network"))
			return true;
	}
	return false;
}

static void drop_netns(json_t *config)
{
	json_t *nss = json_object_get(json_object_get(config, "linux"),
				      "namespaces");
	for (size_t i = 0; i < json_array_size(nss);) {
		const char *t = json_string_value(
			json_object_get(json_array_get(nss, i), "type"));
		if (t && !strcmp(t, "network"))
			json_array_remove(nss, i);
		else
			i++;
	}
}

static void add_bind(json_t *config, const char *src, const char *dst)
{
	json_t *mounts = json_object_get(config, "mounts");
	if (!json_is_array(mounts)) {
		mounts = json_array();
		json_object_set_new(config, "mounts", mounts);
	}
	json_array_append_new(mounts,
			      json_pack("{s:s,s:s,s:s,s:[s]}", "destination", dst,
					"type", "bind", "source", src,
					"options", "rbind"));
}

/* none: lo only; its hosts file is made at each start (net_spec). */
static void prepare_none(json_t *config)
{
	json_object_set_new(annotations(config), ANN_NET, json_string("none"));
}

int net_spec(struct box_ctx *ctx, const char *name, json_t *config,
	     struct spec *s, struct box_err *err)
{
	const char *net = json_string_value(
		json_object_get(json_object_get(config, "annotations"), ANN_NET));
	if (!net || strcmp(net, "none"))
		return 0;
	for (size_t i = 0; i < s->n_mounts; i++)
		if (!strcmp(s->mounts[i].dst, "/etc/hosts"))
			return 0;
	char path[PATH_MAX];
	if (store_run(ctx, name, "hosts", path, sizeof path, err) < 0 ||
	    store_run_make(ctx, name, err) < 0 ||
	    nhosts_write_alone(path, name, err) < 0)
		return -1;
	return spec_add_bind(s, path, "/etc/hosts", err);
}

/* With the lock held: lease an address on net for name as eth0. */
static int lease_primary(struct box_ctx *ctx, struct net_all *all,
			 struct net_def *def, const char *name,
			 const char *fixed, uint32_t *ip, char *mac,
			 struct box_err *err)
{
	struct np_pool pool;
	auto_free uint32_t *leased = NULL;
	/* A lease left by a crashed create of the same name is ours now. */
	for (size_t i = 0; i < all->n; i++)
		if ((nlease_drop_container(&all->v[i], name) |
		     nlease_reconcile(ctx, &all->v[i])) &&
		    &all->v[i] != def &&
		    (nstore_save(ctx, &all->v[i], err) < 0 ||
		     nhosts_write_net(ctx, &all->v[i], err) < 0))
			return -1;
	if (nlease_pool(def, &pool, &leased, err) < 0)
		return -1;
	if (fixed) {
		if (np_parse_ip(fixed, ip) < 0)
			return box_fail(err, BOX_EINVAL, 0,
					"ip '%s': not an IPv4 address", fixed);
		if (np_check_fixed(&pool, *ip, err) < 0)
			return box_err_wrap(err, "network %s", def->name);
	} else if (np_next_free(&pool, ip, err) < 0) {
		return box_err_wrap(err, "network %s", def->name);
	}
	nif_mac(ctx, name, "eth0", mac);
	if (nlease_add(def, *ip, name, "eth0", mac, err) < 0 ||
	    nstore_save(ctx, def, err) < 0)
		return -1;
	return 0;
}

int net_prepare(struct box_ctx *ctx, const char *name,
		const struct box_create_opts *opts, json_t *config,
		struct box_err *err)
{
	const char *net = opts->net ? opts->net : nadmin_default_name();
	char dir[PATH_MAX];
	bool none = !strcmp(net, "none"), host = !strcmp(net, "host");
	if (opts->ip && (none || host))
		return box_fail(err, BOX_EINVAL, 0,
				"ip %s: network '%s' has no addresses", opts->ip,
				net);
	if (host) {
		drop_netns(config);
		json_object_set_new(annotations(config), ANN_NET,
				    json_string("host"));
		return 0;
	}
	if (none) {
		prepare_none(config);
		return 0;
	}
	if (ctx_path(ctx, dir, sizeof dir, err, "containers/%s", name) < 0 ||
	    util_mkdir_p(dir, 0711, err) < 0)
		return -1;

	auto_fd lock = nadmin_lock_for(ctx, net, err);
	if (lock < 0)
		return -1;
	struct net_all all;
	if (nstore_load_all(ctx, &all, err) < 0)
		return -1;
	struct net_def *def = nstore_find(&all, net);
	uint32_t ip;
	char mac[NIF_MAC_LEN], ips[NP_IP_LEN];
	int rc = -1;
	if (!def) {
		box_fail(err, BOX_ENOENT, 0, "network %s: no such network", net);
		goto out;
	}
	if (lease_primary(ctx, &all, def, name, opts->ip, &ip, mac, err) < 0)
		goto out;
	char hosts[PATH_MAX], resolv[PATH_MAX];
	if (nhosts_write_resolv(ctx, name, opts->dns, err) < 0 ||
	    nhosts_write_net(ctx, def, err) < 0 ||
	    nhosts_net_path(ctx, net, hosts, sizeof hosts, err) < 0 ||
	    nhosts_path(ctx, name, "resolv.conf", resolv, sizeof resolv,
			err) < 0) {
		/* Give the address back; the files go with the directory. */
		nlease_drop_container(def, name);
		nstore_save(ctx, def, NULL);
		goto out;
	}
	add_bind(config, hosts, "/etc/hosts");
	add_bind(config, resolv, "/etc/resolv.conf");
	json_t *a = annotations(config);
	json_object_set_new(a, ANN_NET, json_string(net));
	json_object_set_new(a, ANN_IP, json_string(np_fmt_ip(ip, ips)));
	json_object_set_new(a, ANN_MAC, json_string(mac));
	rc = 0;
out:
	nstore_free_all(&all);
	return rc;
}

/* The container's leases, its primary network's eth0 first. */
struct lease_ref {
	struct net_def *def;
	struct net_lease l;
};

static size_t container_leases(struct net_all *all, const char *name,
			       const char *primary, struct lease_ref *out,
			       size_t max)
{
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < all->n; k++) {
			struct net_def *d = &all->v[k];
			if ((pass == 0) != (primary && !strcmp(d->name, primary)))
				continue;
			for (size_t i = 0; i < nlease_count(d) && n < max; i++) {
				nlease_get(d, i, &out[n].l);
				if (strcmp(out[n].l.container, name))
					continue;
				out[n++].def = d;
			}
		}
	return n;
}

/* The eth0 lease written at create was not fsynced (see nstore_save): if a
 * power loss dropped it, take the address named in the (fsynced) config
 * again, unless someone else has it by now. */
static int relet_primary(struct box_ctx *ctx, struct net_all *all,
			 const char *name, const char *net, json_t *config,
			 struct box_err *err)
{
	struct net_def *def = nstore_find(all, net);
	const char *ip = ann(config, ANN_IP), *mac = ann(config, ANN_MAC);
	if (!def)
		return box_fail(err, BOX_ENOENT, 0, "network %s: no such network",
				net);
	if (!ip || !mac || nlease_find(def, name, "eth0") >= 0)
		return 0;
	struct np_pool pool;
	auto_free uint32_t *leased = NULL;
	uint32_t addr;
	if (np_parse_ip(ip, &addr) < 0)
		return box_fail(err, BOX_EINVAL, 0, "config: bad %s '%s'", ANN_IP,
				ip);
	if (nlease_pool(def, &pool, &leased, err) < 0 ||
	    np_check_fixed(&pool, addr, err) < 0)
		return box_err_wrap(err, "network %s: lease lost", net);
	if (nlease_add(def, addr, name, "eth0", mac, err) < 0 ||
	    nstore_save(ctx, def, err) < 0)
		return -1;
	return nhosts_write_net(ctx, def, err);
}

int net_setup(struct box_ctx *ctx, const char *name, json_t *config, int nsfd,
	      struct box_err *err)
{
	if (!has_netns(config))
		return 0; /* --net host */
	/* never the caller's own: lo and links would land on the host */
	if (nsfd < 0)
		return box_fail(err, BOX_EINVAL, 0,
				"network setup of %s: no network namespace", name);
	struct nl_sock *ct = nlk_open(nsfd, err), *host = NULL;
	if (!ct)
		return -1;
	int rc = -1;
	auto_fd lock = -1;
	struct net_all all = {0};
	struct lease_ref refs[16];
	size_t n = 0, made = 0;
	if (nlk_link_up(ct, "lo", err) < 0)
		goto out;
	const char *net = ann(config, ANN_NET);
	if (!net || !strcmp(net, "none")) {
		rc = 0;
		goto out;
	}
	lock = nstore_lock(ctx, true, err);
	if (lock < 0 || nstore_load_all(ctx, &all, err) < 0 ||
	    relet_primary(ctx, &all, name, net, config, err) < 0)
		goto out;
	/* eth0 on its network first (it has the default route), then what
	 * `net connect` added; a disconnected eth0 is simply absent. */
	n = container_leases(&all, name, net, refs, ARRAY_LEN(refs));
	if (n && !(host = nlk_open(-1, err)))
		goto out;
	for (made = 0; made < n; made++)
		if (nif_attach(host, ct, nsfd, ctx, refs[made].def,
			       &refs[made].l,
			       !strcmp(refs[made].def->name, net), err) < 0)
			goto out;
	rc = 0;
out:
	if (rc < 0)
		while (made--)
			nif_detach(ct, refs[made].l.ifname, NULL);
	nstore_free_all(&all);
	nlk_close(host);
	nlk_close(ct);
	return rc < 0 ? box_err_wrap(err, "network setup of %s", name) : 0;
}

void net_teardown(struct box_ctx *ctx, const char *name, json_t *config)
{
	/* The container's netns died with it and took the veths along; a host
	 * end only survives if something pinned that netns.  Remove those. */
	if (!has_netns(config))
		return;
	struct net_all all;
	auto_fd lock = nstore_lock_load_all(ctx, false, &all, NULL);
	if (lock < 0)
		return;
	struct lease_ref refs[16];
	size_t n = container_leases(&all, name, NULL, refs, ARRAY_LEN(refs));
	struct nl_sock *host = n ? nlk_open(-1, NULL) : NULL;
	for (size_t i = 0; host && i < n; i++) {
		char hname[IFNAMSIZ];
		if (refs[i].def->type != NET_BRIDGE)
			continue;
		nif_host_name(ctx, name, refs[i].l.ifname, hname);
		nlk_link_del(host, hname, NULL);
	}
	nlk_close(host);
	nstore_free_all(&all);
}

int net_release(struct box_ctx *ctx, const char *name, struct box_err *err)
{
	struct net_all all;
	auto_fd lock = nstore_lock_load_all(ctx, true, &all, err);
	if (lock < 0)
		return -1;
	int rc = 0;
	/* Each network it was on forgets it, hosts file included. */
	for (size_t k = 0; k < all.n && rc == 0; k++)
		if (nlease_drop_container(&all.v[k], name) &&
		    (rc = nstore_save(ctx, &all.v[k], err)) == 0)
			rc = nhosts_write_net(ctx, &all.v[k], err);
	nstore_free_all(&all);
	return rc < 0 ? box_err_wrap(err, "release addresses of %s", name) : 0;
}
