/* net_live.c - connect / disconnect a running container to a network
 * (eth1, eth2, ...), the seed's Add Net / Remove Net. */
#include "net_hosts.h"
#include "net_iface.h"
#include "store.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* The running container's pid, refusing one that shares the host netns. */
static pid_t running_pid(struct box_ctx *ctx, const char *container,
			 struct box_err *err)
{
	struct box_info info;
	if (box_info_get(ctx, container, &info, err) < 0)
		return -1;
	if (info.pid <= 0 ||
	    (info.status != BOX_RUNNING && info.status != BOX_PAUSED))
		return box_fail(err, BOX_ESTATE, 0, "container %s: not running",
				container);
	char path[64];
	struct stat a, b;
	snprintf(path, sizeof path, "/proc/%d/ns/net", (int)info.pid);
	if (stat(path, &a) < 0)
		return box_fail(err, BOX_ESYS, errno, "%s", path);
	if (stat("/proc/self/ns/net", &b) == 0 && a.st_ino == b.st_ino &&
	    a.st_dev == b.st_dev)
		return box_fail(err, BOX_EINVAL, 0,
				"container %s: uses the host's network (--net host)",
				container);
	return info.pid;
}

/* Smallest ethN (N >= 1) neither in the netns nor leased to the container. */
static int pick_ifname(struct nl_sock *ct, struct net_all *all,
		       const char *container, char out[IFNAMSIZ],
		       struct box_err *err)
{
	char **names;
	size_t n;
	if (nlk_link_names(ct, "eth", &names, &n, err) < 0)
		return -1;
	for (int k = 1; k < 1000; k++) {
		bool used = false;
		snprintf(out, IFNAMSIZ, "eth%d", k);
		for (size_t i = 0; i < n && !used; i++)
			used = !strcmp(names[i], out);
		for (size_t d = 0; d < all->n && !used; d++)
			used = nlease_find(&all->v[d], container, out) >= 0;
		if (!used)
			break;
	}
	util_names_free(names, n);
	return 0;
}

int box_net_connect(struct box_ctx *ctx, const char *container,
		    const char *net, const char *ip, char ifname[16],
		    struct box_err *err)
{
	pid_t pid = running_pid(ctx, container, err);
	if (pid < 0)
		return box_err_wrap(err, "net connect");
	struct net_all all;
	auto_fd lock = nstore_lock_load_all(ctx, true, &all, err);
	if (lock < 0)
		return -1;
	auto_fd nsfd = -1;
	struct nl_sock *ct = NULL, *host = NULL;
	struct net_def *def = nstore_find(&all, net);
	char name[IFNAMSIZ], mac[NIF_MAC_LEN];
	struct np_pool pool;
	auto_free uint32_t *leased = NULL;
	uint32_t addr;
	bool leased_now = false;
	int rc = -1;
	if (!def) {
		box_fail(err, BOX_ENOENT, 0, "network %s: no such network", net);
		goto out;
	}
	if (nlease_find(def, container, NULL) >= 0) {
		box_fail(err, BOX_EEXIST, 0,
			 "container %s: already connected to %s", container, net);
		goto out;
	}
	nlease_reconcile(ctx, def);
	if ((nsfd = nlk_netns_of(pid, err)) < 0 ||
	    !(ct = nlk_open(nsfd, err)) || !(host = nlk_open(-1, err)) ||
	    pick_ifname(ct, &all, container, name, err) < 0 ||
	    nlease_pool(def, &pool, &leased, err) < 0)
		goto out;
	if (ip) {
		if (np_parse_ip(ip, &addr) < 0) {
			box_fail(err, BOX_EINVAL, 0, "ip '%s': not an IPv4 address",
				 ip);
			goto out;
		}
		if (np_check_fixed(&pool, addr, err) < 0) {
			box_err_wrap(err, "network %s", net);
			goto out;
		}
	} else if (np_next_free(&pool, &addr, err) < 0) {
		box_err_wrap(err, "network %s", net);
		goto out;
	}
	nif_mac(ctx, container, name, mac);
	if (nlease_add(def, addr, container, name, mac, err) < 0 ||
	    nstore_save_durable(ctx, def, err) < 0)
		goto out;
	leased_now = true;
	struct net_lease l;
	nlease_get(def, (size_t)nlease_find(def, container, name), &l);
	if (nif_attach(host, ct, nsfd, ctx, def, &l, false, err) < 0)
		goto out;
	if (ifname)
		snprintf(ifname, 16, "%s", name);
	rc = nhosts_write_net(ctx, def, err);
out:
	if (rc < 0 && leased_now) {
		nlease_drop_container(def, container);
		nstore_save(ctx, def, NULL);
	}
	nlk_close(ct);
	nlk_close(host);
	nstore_free_all(&all);
	return rc < 0 ? box_err_wrap(err, "net connect %s %s", container, net)
		      : 0;
}

/* eth0 left its network: the config stops naming it, so a restart does not
 * bring it back (net_setup re-leases the address the config names). */
static int forget_primary(struct box_ctx *ctx, const char *container,
			  const char *net, struct box_err *err)
{
	json_t *cfg = store_load_config(ctx, container, err);
	if (!cfg)
		return -1;
	json_t *a = json_object_get(cfg, "annotations");
	const char *cur = json_string_value(json_object_get(a, "org.boxtop.net"));
	int rc = 0;
	if (cur && !strcmp(cur, net)) {
		json_object_set_new(a, "org.boxtop.net", json_string("none"));
		json_object_del(a, "org.boxtop.ip");
		json_object_del(a, "org.boxtop.mac");
		rc = store_save_config(ctx, container, cfg, err);
	}
	json_decref(cfg);
	return rc;
}

static int disconnect_locked(struct box_ctx *ctx, const char *container,
			     const char *net, const struct box_info *info_,
			     struct box_err *err)
{
	struct box_info info = *info_;
	struct net_all all;
	auto_fd lock = nstore_lock_load_all(ctx, true, &all, err);
	if (lock < 0)
		return -1;
	struct net_def *def = nstore_find(&all, net);
	long idx = def ? nlease_find(def, container, NULL) : -1;
	int rc = -1;
	if (!def)
		box_fail(err, BOX_ENOENT, 0, "network %s: no such network", net);
	else if (idx < 0)
		box_fail(err, BOX_ENOENT, 0, "container %s: not connected to %s",
			 container, net);
	else {
		struct net_lease l;
		nlease_get(def, (size_t)idx, &l);
		char ifn[IFNAMSIZ];
		snprintf(ifn, sizeof ifn, "%s", l.ifname);
		rc = 0;
		if (info.pid > 0 && (info.status == BOX_RUNNING ||
				     info.status == BOX_PAUSED)) {
			auto_fd nsfd = nlk_netns_of(info.pid, err);
			struct nl_sock *ct = nsfd >= 0 ? nlk_open(nsfd, err) : NULL;
			rc = ct ? nif_detach(ct, ifn, err) : -1;
			nlk_close(ct);
		}
		if (rc == 0) {
			nlease_del(def, (size_t)idx);
			rc = nstore_save_durable(ctx, def, err);
		}
		if (rc == 0 && !strcmp(ifn, "eth0"))
			rc = forget_primary(ctx, container, net, err);
		if (rc == 0)
			rc = nhosts_write_net(ctx, def, err);
	}
	nstore_free_all(&all);
	return rc < 0 ? box_err_wrap(err, "net disconnect %s %s", container,
				     net)
		      : 0;
}

int box_net_disconnect(struct box_ctx *ctx, const char *container,
		       const char *net, struct box_err *err)
{
	struct box_info info;
	if (box_info_get(ctx, container, &info, err) < 0)
		return box_err_wrap(err, "net disconnect");
	/* The container's lock first, as start and rm take them. */
	int clock = store_lock(ctx, container, err);
	if (clock < 0)
		return -1;
	int rc = disconnect_locked(ctx, container, net, &info, err);
	store_unlock(clock);
	return rc;
}
