/* net_store.c - network definitions and leases on disk (jansson). */
#include "net_store.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

const char *nstore_type_name(enum net_type t)
{
	return t == NET_MACVLAN ? "macvlan" : "bridge";
}

static int net_file(struct box_ctx *ctx, const char *name, char *buf,
		    size_t len, struct box_err *err)
{
	return ctx_path(ctx, buf, len, err, "networks/%s.json", name);
}

int nstore_lock(struct box_ctx *ctx, bool exclusive, struct box_err *err)
{
	char path[PATH_MAX];
	if (ctx_path(ctx, path, sizeof path, err, "networks/.lock") < 0)
		return -1;
	return util_lock_file(path, exclusive, err);
}

bool nstore_exists(struct box_ctx *ctx, const char *name)
{
	char path[PATH_MAX];
	return net_file(ctx, name, path, sizeof path, NULL) == 0 &&
	       access(path, F_OK) == 0;
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static int get_ip(json_t *o, const char *key, uint32_t *out)
{
	const char *s = jstr(o, key);
	*out = 0;
	return *s ? np_parse_ip(s, out) : 0;
}

int nstore_load(struct box_ctx *ctx, const char *name, struct net_def *def,
		struct box_err *err)
{
	char path[PATH_MAX];
	memset(def, 0, sizeof *def);
	if (box_check_name(name, err) < 0)
		return -1;
	if (net_file(ctx, name, path, sizeof path, err) < 0)
		return -1;
	if (access(path, F_OK) < 0)
		return box_fail(err, BOX_ENOENT, 0, "network %s: no such network",
				name);
	json_error_t je;
	json_t *j = util_json_load(path, &je);
	if (!j)
		return box_fail(err, BOX_EINVAL, 0, "network %s: %s: %s", name,
				path, je.text);
	def->json = j;
	snprintf(def->name, sizeof def->name, "%s", name);
	def->type = strcmp(jstr(j, "type"), "macvlan") ? NET_BRIDGE
							 : NET_MACVLAN;
	snprintf(def->parent, sizeof def->parent, "%s", jstr(j, "parent"));
	snprintf(def->bridge, sizeof def->bridge, "%s", jstr(j, "bridge"));
	def->nat = json_is_true(json_object_get(j, "nat"));
	if (np_parse_cidr(jstr(j, "subnet"), &def->subnet, err) < 0 ||
	    get_ip(j, "gateway", &def->gateway) < 0 ||
	    get_ip(json_object_get(j, "range"), "start", &def->lo) < 0 ||
	    get_ip(json_object_get(j, "range"), "end", &def->hi) < 0) {
		nstore_free(def);
		if (err && err->kind == BOX_EOK)
			box_fail(err, BOX_EINVAL, 0, "bad address");
		return box_err_wrap(err, "network %s: %s", name, path);
	}
	if (!json_is_array(json_object_get(j, "leases")))
		json_object_set_new(j, "leases", json_array());
	return 0;
}

void nstore_free(struct net_def *def)
{
	json_decref(def->json);
	def->json = NULL;
}

static int save(struct box_ctx *ctx, struct net_def *def, bool durable,
		struct box_err *err)
{
	char path[PATH_MAX], a[NP_IP_LEN], b[NP_IP_LEN], c[64];
	if (net_file(ctx, def->name, path, sizeof path, err) < 0)
		return -1;
	if (!def->json)
		def->json = json_object();
	json_t *j = def->json;
	np_fmt_cidr(&def->subnet, c, sizeof c);
	json_object_set_new(j, "name", json_string(def->name));
	json_object_set_new(j, "type", json_string(nstore_type_name(def->type)));
	json_object_set_new(j, "subnet", json_string(c));
	json_object_set_new(j, "gateway",
			    json_string(def->gateway ? np_fmt_ip(def->gateway, a)
						     : ""));
	json_object_set_new(j, "range",
			    json_pack("{s:s,s:s}", "start", np_fmt_ip(def->lo, a),
				      "end", np_fmt_ip(def->hi, b)));
	json_object_set_new(j, "parent", json_string(def->parent));
	json_object_set_new(j, "bridge", json_string(def->bridge));
	json_object_set_new(j, "nat", json_boolean(def->nat));
	if (!json_is_array(json_object_get(j, "leases")))
		json_object_set_new(j, "leases", json_array());
	auto_free char *text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (!text)
		return box_fail(err, BOX_ESYS, ENOMEM, "network %s", def->name);
	return (durable ? util_write_atomic : util_write_replace)(
		path, text, strlen(text), 0644, err);
}

int nstore_save(struct box_ctx *ctx, struct net_def *def, struct box_err *err)
{
	return save(ctx, def, false, err);
}

int nstore_save_durable(struct box_ctx *ctx, struct net_def *def,
			struct box_err *err)
{
	return save(ctx, def, true, err);
}

int nstore_remove(struct box_ctx *ctx, const char *name, struct box_err *err)
{
	char path[PATH_MAX];
	if (net_file(ctx, name, path, sizeof path, err) < 0)
		return -1;
	if (unlink(path) < 0 && errno != ENOENT)
		return box_fail(err, BOX_ESYS, errno, "remove %s", path);
	return 0;
}

int nstore_names(struct box_ctx *ctx, char ***names, size_t *n,
		 struct box_err *err)
{
	char path[PATH_MAX];
	*names = NULL;
	*n = 0;
	if (ctx_path(ctx, path, sizeof path, err, "networks") < 0)
		return -1;
	return util_list_names(path, ".json", names, n, err);
}

/* ---- leases ------------------------------------------------------------- */

static json_t *leases(const struct net_def *def)
{
	return json_object_get(def->json, "leases");
}

size_t nlease_count(const struct net_def *def)
{
	return json_array_size(leases(def));
}

void nlease_get(const struct net_def *def, size_t i, struct net_lease *out)
{
	json_t *l = json_array_get(leases(def), i);
	if (get_ip(l, "ip", &out->ip) < 0)
		out->ip = 0;
	out->container = jstr(l, "container");
	out->ifname = jstr(l, "ifname");
	out->mac = jstr(l, "mac");
}

int nlease_add(struct net_def *def, uint32_t ip, const char *container,
	       const char *ifname, const char *mac, struct box_err *err)
{
	char a[NP_IP_LEN];
	json_t *l = json_pack("{s:s,s:s,s:s,s:s}", "ip", np_fmt_ip(ip, a),
			      "container", container, "ifname", ifname, "mac",
			      mac);
	/* Keep leases in address order: what `net info` shows. */
	size_t i, n = nlease_count(def);
	for (i = 0; i < n; i++) {
		struct net_lease cur;
		nlease_get(def, i, &cur);
		if (cur.ip > ip)
			break;
	}
	if (!l || json_array_insert_new(leases(def), i, l) < 0)
		return box_fail(err, BOX_ESYS, ENOMEM, "lease %s", a);
	return 0;
}

long nlease_find(const struct net_def *def, const char *container,
		 const char *ifname)
{
	size_t n = nlease_count(def);
	for (size_t i = 0; i < n; i++) {
		struct net_lease l;
		nlease_get(def, i, &l);
		if (!strcmp(l.container, container) &&
		    (!ifname || !strcmp(l.ifname, ifname)))
			return (long)i;
	}
	return -1;
}

void nlease_del(struct net_def *def, size_t i)
{
	json_array_remove(leases(def), i);
}

size_t nlease_drop_container(struct net_def *def, const char *container)
{
	size_t dropped = 0;
	long i;
	while ((i = nlease_find(def, container, NULL)) >= 0) {
		nlease_del(def, (size_t)i);
		dropped++;
	}
	return dropped;
}

size_t nlease_reconcile(struct box_ctx *ctx, struct net_def *def)
{
	size_t dropped = 0;
	for (size_t i = 0; i < nlease_count(def);) {
		struct net_lease l;
		char dir[PATH_MAX];
		struct stat st;
		nlease_get(def, i, &l);
		if (ctx_path(ctx, dir, sizeof dir, NULL, "containers/%s",
			     l.container) == 0 &&
		    stat(dir, &st) < 0 && errno == ENOENT) {
			nlease_del(def, i);
			dropped++;
			continue;
		}
		i++;
	}
	return dropped;
}

int nlease_pool(const struct net_def *def, struct np_pool *pool,
		uint32_t **ips, struct box_err *err)
{
	size_t n = nlease_count(def);
	*ips = calloc(n ? n : 1, sizeof **ips);
	if (!*ips)
		return box_fail(err, BOX_ESYS, ENOMEM, "network %s", def->name);
	for (size_t i = 0; i < n; i++) {
		struct net_lease l;
		nlease_get(def, i, &l);
		(*ips)[i] = l.ip;
	}
	np_sort(*ips, n);
	if (np_pool_init(pool, &def->subnet, def->gateway, def->lo, def->hi,
			 err) < 0) {
		free(*ips);
		*ips = NULL;
		return box_err_wrap(err, "network %s", def->name);
	}
	pool->leased = *ips;
	pool->n_leased = n;
	return 0;
}

/* ---- all networks ------------------------------------------------------- */

int nstore_lock_load_all(struct box_ctx *ctx, bool exclusive,
			 struct net_all *all, struct box_err *err)
{
	int lock = nstore_lock(ctx, exclusive, err);
	if (lock < 0)
		return -1;
	if (nstore_load_all(ctx, all, err) < 0) {
		close(lock);
		return -1;
	}
	return lock;
}

int nstore_load_all(struct box_ctx *ctx, struct net_all *all,
		    struct box_err *err)
{
	char **names;
	size_t n;
	all->v = NULL;
	all->n = 0;
	if (nstore_names(ctx, &names, &n, err) < 0)
		return -1;
	all->v = calloc(n ? n : 1, sizeof *all->v);
	if (!all->v) {
		util_names_free(names, n);
		return box_fail(err, BOX_ESYS, ENOMEM, "load networks");
	}
	for (size_t i = 0; i < n; i++) {
		if (nstore_load(ctx, names[i], &all->v[all->n], err) < 0) {
			util_names_free(names, n);
			nstore_free_all(all);
			return -1;
		}
		all->n++;
	}
	util_names_free(names, n);
	return 0;
}

void nstore_free_all(struct net_all *all)
{
	for (size_t i = 0; i < all->n; i++)
		nstore_free(&all->v[i]);
	free(all->v);
	all->v = NULL;
	all->n = 0;
}

struct net_def *nstore_find(struct net_all *all, const char *name)
{
	for (size_t i = 0; i < all->n; i++)
		if (!strcmp(all->v[i].name, name))
			return &all->v[i];
	return NULL;
}
