/* confine.c - the create options that say what a container may do, turned
 * into config.json, and read back from it for `info` (confine.h). */
#include "confine.h"
#include "devices.h"
#include "store.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/* Docker's default capability set. */
static const cap_value_t default_caps[] = {
	CAP_CHOWN,      CAP_DAC_OVERRIDE, CAP_FSETID,    CAP_FOWNER,
	CAP_MKNOD,      CAP_NET_RAW,      CAP_SETGID,    CAP_SETUID,
	CAP_SETFCAP,    CAP_SETPCAP,      CAP_NET_BIND_SERVICE,
	CAP_SYS_CHROOT, CAP_KILL,         CAP_AUDIT_WRITE,
};

/* The capabilities both this kernel and libcap know by name (the mask
 * spec.c builds has 64 bits). */
static int caps_known(void)
{
	int n = (int)cap_max_bits();
	return n > 64 ? 64 : n;
}

int confine_cap_value(const char *name)
{
	const char *n = name;
	if (!strncasecmp(n, "CAP_", 4))
		n += 4;
	/* letters and '_' only: cap_from_name would take "12" as well */
	char low[64] = "cap_";
	size_t k = 4;
	for (; *n; n++) {
		if ((!isalpha((unsigned char)*n) && *n != '_') ||
		    k + 1 >= sizeof low)
			return -1;
		low[k++] = (char)tolower((unsigned char)*n);
	}
	low[k] = '\0';
	cap_value_t v;
	if (k == 4 || cap_from_name(low, &v) < 0 || v < 0 || v >= caps_known())
		return -1;
	return (int)v;
}

/* "CAP_CHOWN" for 0; NULL for a number libcap has no name for. */
static json_t *cap_json(int v)
{
	char *low = cap_to_name((cap_value_t)v);
	json_t *j = NULL;
	if (low && !strncmp(low, "cap_", 4)) {
		for (char *p = low; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		j = json_string(low);
	}
	cap_free(low);
	return j;
}

/* Every capability we could give: a process can only hand on what is in
 * its own bounding set (this VM's lacks SYS_RESOURCE, say), so "all" means
 * all of those. */
static bool can_give(int v)
{
	return cap_get_bound((cap_value_t)v) == 1;
}

static uint64_t all_caps(void)
{
	uint64_t set = 0;
	for (int v = 0; v < caps_known(); v++)
		if (can_give(v))
			set |= 1ULL << v;
	return set;
}

/* Apply one list of names to *set; ALL stands for every capability. */
static int apply_names(char *const *names, size_t n, bool add, uint64_t *set,
		       struct box_err *err)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcasecmp(names[i], "ALL")) {
			*set = add ? all_caps() : 0;
			continue;
		}
		int v = confine_cap_value(names[i]);
		if (v < 0)
			return box_fail(err, BOX_EUSAGE, 0,
					"invalid capability '%s' to %s: not a "
					"capability this kernel has (like NET_ADMIN "
					"or CAP_NET_ADMIN, or ALL)",
					names[i], add ? "add" : "drop");
		if (add && !can_give(v))
			return box_fail(err, BOX_EUSAGE, 0,
					"invalid capability '%s' to add: boxtop "
					"itself does not hold it (not in its bounding set)",
					names[i]);
		if (add)
			*set |= 1ULL << v;
		else
			*set &= ~(1ULL << v);
	}
	return 0;
}

json_t *confine_caps_json(const struct box_create_opts *o, struct box_err *err)
{
	uint64_t set = 0;
	if (o->privileged)
		set = all_caps();
	else
		for (size_t i = 0; i < ARRAY_LEN(default_caps); i++)
			set |= 1ULL << default_caps[i];
	/* as Docker: drops first, adds last, so "--cap-drop ALL --cap-add
	 * NET_ADMIN" leaves NET_ADMIN alone */
	if (apply_names(o->cap_drop, o->n_cap_drop, false, &set, err) < 0 ||
	    apply_names(o->cap_add, o->n_cap_add, true, &set, err) < 0)
		return NULL;
	json_t *a = json_array();
	for (int v = 0; a && v < caps_known(); v++)
		if (set & (1ULL << v))
			json_array_append_new(a, cap_json(v));
	if (!a)
		box_fail(err, BOX_ESYS, ENOMEM, "capabilities");
	return a;
}

/* One --device: its node for linux.devices and its rule. */
static int one_device(const struct box_device_opt *d, json_t *nodes,
		      json_t *rules, struct box_err *err)
{
	const char *host = d->host ? d->host : "";
	const char *path = d->path ? d->path : host;
	const char *acc = d->access ? d->access : "rwm";
	struct stat st;
	if (host[0] != '/')
		return box_fail(err, BOX_EUSAGE, 0,
				"invalid device '%s': the host path must be absolute",
				host);
	if (stat(host, &st) < 0)
		return box_fail(err, BOX_EUSAGE, 0, "invalid device '%s': %s", host,
				strerror(errno));
	if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
		return box_fail(err, BOX_EUSAGE, 0,
				"invalid device '%s': not a character or block "
				"device node",
				host);
	if (path[0] != '/' || path[strlen(path) - 1] == '/')
		return box_fail(err, BOX_EUSAGE, 0,
				"invalid device '%s': container path '%s' must be "
				"an absolute file path",
				host, path);
	struct dev_rule r = {.allow = true,
			     .type = S_ISBLK(st.st_mode) ? 'b' : 'c',
			     .major = major(st.st_rdev),
			     .minor = minor(st.st_rdev)};
	if (dev_access_parse(acc, &r.access) < 0)
		return box_fail(err, BOX_EUSAGE, 0,
				"invalid device '%s': access '%s' is not made of "
				"the letters r, w, m",
				host, acc);
	char type[2] = {r.type, '\0'};
	json_array_append_new(
		nodes, json_pack("{s:s, s:s, s:I, s:I, s:i, s:I, s:I}", "path",
				 path, "type", type, "major",
				 (json_int_t)r.major, "minor", (json_int_t)r.minor,
				 "fileMode", (int)(st.st_mode & 07777), "uid",
				 (json_int_t)st.st_uid, "gid",
				 (json_int_t)st.st_gid));
	json_array_append_new(rules, dev_rule_json(&r));
	return 0;
}

int confine_devices_json(const struct box_create_opts *o, json_t **rules,
			 json_t **nodes, struct box_err *err)
{
	static const struct dev_rule all = {true, 'a', DEV_ANY, DEV_ANY,
					    DEV_ACC_ALL};
	*rules = o->privileged ? dev_rules_json(&all, 1)
			       : dev_rules_json(dev_default_rules,
						dev_n_default_rules);
	*nodes = json_array();
	if (!*rules || !*nodes) {
		json_decref(*rules);
		json_decref(*nodes);
		*rules = *nodes = NULL;
		return box_fail(err, BOX_ESYS, ENOMEM, "device rules");
	}
	for (size_t i = 0; i < o->n_devices; i++)
		if (one_device(&o->devices[i], *nodes, *rules, err) < 0) {
			json_decref(*rules);
			json_decref(*nodes);
			*rules = *nodes = NULL;
			return -1;
		}
	return 0;
}

int confine_check(const struct box_create_opts *o, struct box_err *err)
{
	json_t *caps = confine_caps_json(o, err), *rules, *nodes;
	if (!caps)
		return -1;
	json_decref(caps);
	if (confine_devices_json(o, &rules, &nodes, err) < 0)
		return -1;
	json_decref(rules);
	json_decref(nodes);
	return 0;
}

/* ---- info ------------------------------------------------------------------ */

int confine_describe(json_t *config, struct box_confine *out,
		     struct box_err *err)
{
	memset(out, 0, sizeof out[0]);
	const char *priv = json_string_value(json_object_get(
		json_object_get(config, "annotations"), CONFINE_PRIVILEGED_KEY));
	out->privileged = priv && !strcmp(priv, "true");
	json_t *bnd = json_object_get(
		json_object_get(json_object_get(config, "process"), "capabilities"),
		"bounding");
	json_t *linux_ = json_object_get(config, "linux");
	struct dev_rule *r = NULL;
	size_t n = 0, len = 1, i;
	json_t *v;
	int rc = dev_rules_parse(json_object_get(json_object_get(linux_, "resources"),
						 "devices"),
				 &r, &n, err);
	json_array_foreach(bnd, i, v) len += strlen(json_string_value(v) ?: "") + 1;
	out->caps = calloc(1, len);
	out->devices = calloc(n + 1, sizeof *out->devices);
	if (rc == 0 && (!out->caps || !out->devices))
		rc = box_fail(err, BOX_ESYS, ENOMEM, "describe capabilities");
	json_array_foreach(bnd, i, v)
	{
		const char *c = json_string_value(v);
		if (rc < 0 || !c)
			continue;
		if (!strncasecmp(c, "CAP_", 4))
			c += 4;
		if (*out->caps)
			strcat(out->caps, " ");
		strcat(out->caps, c);
	}
	for (i = 0; rc == 0 && i < n; i++) {
		char rule[64];
		dev_rule_str(&r[i], rule, sizeof rule);
		if (asprintf(&out->devices[i], "%s %s",
			     r[i].allow ? "allow" : "deny", rule) < 0) {
			out->devices[i] = NULL;
			rc = box_fail(err, BOX_ESYS, ENOMEM, "describe devices");
		}
	}
	free(r);
	if (rc < 0)
		box_confine_free(out);
	return rc;
}

int box_confine_get(struct box_ctx *ctx, const char *name,
		    struct box_confine *out, struct box_err *err)
{
	memset(out, 0, sizeof out[0]);
	json_t *config = store_load_config(ctx, name, err);
	if (!config)
		return -1;
	int rc = confine_describe(config, out, err);
	json_decref(config);
	return rc < 0 ? box_err_wrap(err, "info %s", name) : 0;
}

void box_confine_free(struct box_confine *c)
{
	free(c->caps);
	for (char **p = c->devices; p && *p; p++)
		free(*p);
	free(c->devices);
	memset(c, 0, sizeof *c);
}
