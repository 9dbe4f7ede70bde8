/* net_store.h - $ROOT/networks/<name>.json: network definitions and their
 * IP leases, under one lock file so allocation never races. */
#ifndef BOX_NET_STORE_H
#define BOX_NET_STORE_H

#include "ctx.h"
#include "net_pool.h"

#include <jansson.h>
#include <net/if.h>

#define NET_DEFAULT "boxtop0"

enum net_type { NET_BRIDGE, NET_MACVLAN };

struct net_def {
	char name[BOX_NAME_MAX + 1];
	enum net_type type;
	struct np_cidr subnet;
	uint32_t gateway;       /* 0: none (macvlan without --gateway) */
	uint32_t lo, hi;        /* allocation range */
	char parent[IFNAMSIZ];  /* macvlan: the host interface */
	char bridge[IFNAMSIZ];  /* bridge: the host bridge's name */
	bool nat;
	json_t *json;           /* the whole document; "leases" lives here */
};

/* One lease, as stored: {"ip","container","ifname","mac"}. */
struct net_lease {
	uint32_t ip;
	const char *container;
	const char *ifname;
	const char *mac;
};

/* flock on $ROOT/networks/.lock; returns the fd (close to unlock). */
int nstore_lock(struct box_ctx *ctx, bool exclusive, struct box_err *err);
bool nstore_exists(struct box_ctx *ctx, const char *name);
/* Load into def (ENOENT kind when missing); free with nstore_free. */
int nstore_load(struct box_ctx *ctx, const char *name, struct net_def *def,
		struct box_err *err);
/* Write def's fields and leases back to json, then atomically to disk.
 * nstore_save skips the fsync (~16 ms here, on every create and rm): a
 * container's eth0 lease is also recorded in its fsynced config.json and
 * net_setup puts it back if power loss dropped it.  The durable variant is
 * for what has no second record: the network itself, `net connect`. */
int nstore_save(struct box_ctx *ctx, struct net_def *def,
		struct box_err *err);
int nstore_save_durable(struct box_ctx *ctx, struct net_def *def,
			struct box_err *err);
int nstore_remove(struct box_ctx *ctx, const char *name, struct box_err *err);
void nstore_free(struct net_def *def);
/* Names of every network, sorted; free with util_names_free. */
int nstore_names(struct box_ctx *ctx, char ***names, size_t *n,
		 struct box_err *err);

const char *nstore_type_name(enum net_type t);

/* Every network, loaded (for hosts files and per-container lookups). */
struct net_all {
	struct net_def *v;
	size_t n;
};
int nstore_load_all(struct box_ctx *ctx, struct net_all *all,
		    struct box_err *err);
void nstore_free_all(struct net_all *all);
struct net_def *nstore_find(struct net_all *all, const char *name);
/* nstore_lock, then nstore_load_all under it: returns the lock fd (close it
 * after nstore_free_all), or -1 with nothing held. */
int nstore_lock_load_all(struct box_ctx *ctx, bool exclusive,
			 struct net_all *all, struct box_err *err);

/* Leases. */
size_t nlease_count(const struct net_def *def);
void nlease_get(const struct net_def *def, size_t i, struct net_lease *out);
int nlease_add(struct net_def *def, uint32_t ip, const char *container,
	       const char *ifname, const char *mac, struct box_err *err);
/* Index of the lease of container (ifname NULL: any), or -1. */
long nlease_find(const struct net_def *def, const char *container,
		 const char *ifname);
void nlease_del(struct net_def *def, size_t i);
/* Drop every lease of container; returns how many. */
size_t nlease_drop_container(struct net_def *def, const char *container);
/* Drop leases whose container no longer exists on disk (a crash between
 * lease and rollback); returns how many. */
size_t nlease_reconcile(struct box_ctx *ctx, struct net_def *def);
/* The pool over def's range with its leases (ips: malloc'd, caller frees). */
int nlease_pool(const struct net_def *def, struct np_pool *pool,
		uint32_t **ips, struct box_err *err);

#endif
