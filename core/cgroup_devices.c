/* cgroup_devices.c - the device rule list (OCI linux.resources.devices and
 * linux.devices, parsed and formatted) and its enforcement: v1 `devices`
 * writes here, the cgroup2 program in devices_bpf.c. */
#include "devices.h"
#include "cgroup_priv.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define R(t, ma, mi, acc) {true, t, ma, mi, acc}
/* As runc and crun: "deny all", then the nodes every container is given
 * (null, zero, full, random, urandom, tty, console, ptmx, the pts), and
 * mknod of any node; reading or writing one outside the list is refused.
 * mknod stays allowed because images carry device nodes in their layers
 * and package scripts make them: a node is harmless until opened. */
const struct dev_rule dev_default_rules[] = {
	{false, 'a', DEV_ANY, DEV_ANY, DEV_ACC_ALL},
	R('c', DEV_ANY, DEV_ANY, DEV_ACC_M),
	R('b', DEV_ANY, DEV_ANY, DEV_ACC_M),
	R('c', 1, 3, DEV_ACC_ALL),   /* null */
	R('c', 1, 5, DEV_ACC_ALL),   /* zero */
	R('c', 1, 7, DEV_ACC_ALL),   /* full */
	R('c', 1, 8, DEV_ACC_ALL),   /* random */
	R('c', 1, 9, DEV_ACC_ALL),   /* urandom */
	R('c', 5, 0, DEV_ACC_ALL),   /* tty */
	R('c', 5, 1, DEV_ACC_ALL),   /* console */
	R('c', 5, 2, DEV_ACC_ALL),   /* ptmx */
	R('c', 136, DEV_ANY, DEV_ACC_ALL), /* pts */
};
#undef R
const size_t dev_n_default_rules = ARRAY_LEN(dev_default_rules);

/* The kernel's dev_t: 12 bits of major, 20 of minor. */
#define DEV_MAJOR_MAX 4095
#define DEV_MINOR_MAX 1048575

int dev_access_parse(const char *s, unsigned *out)
{
	unsigned a = 0;
	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		unsigned bit = *s == 'r' ? DEV_ACC_R : *s == 'w' ? DEV_ACC_W
			     : *s == 'm' ? DEV_ACC_M : 0;
		if (!bit || (a & bit))
			return -1;
		a |= bit;
	}
	*out = a;
	return 0;
}

void dev_access_str(unsigned access, char *buf)
{
	char *p = buf;
	if (access & DEV_ACC_R)
		*p++ = 'r';
	if (access & DEV_ACC_W)
		*p++ = 'w';
	if (access & DEV_ACC_M)
		*p++ = 'm';
	*p = '\0';
}

static void num_str(int64_t v, char *buf, size_t len)
{
	if (v == DEV_ANY)
		snprintf(buf, len, "*");
	else
		snprintf(buf, len, "%lld", (long long)v);
}

void dev_rule_str(const struct dev_rule *r, char *buf, size_t len)
{
	char ma[24], mi[24], acc[4];
	num_str(r->major, ma, sizeof ma);
	num_str(r->minor, mi, sizeof mi);
	dev_access_str(r->access, acc);
	snprintf(buf, len, "%c %s:%s %s", r->type, ma, mi, acc);
}

json_t *dev_rule_json(const struct dev_rule *r)
{
	char acc[4], type[2] = {r->type, '\0'};
	dev_access_str(r->access, acc);
	json_t *o = json_pack("{s:b, s:s, s:s}", "allow", r->allow, "type",
			      type, "access", acc);
	if (o && r->major != DEV_ANY)
		json_object_set_new(o, "major", json_integer(r->major));
	if (o && r->minor != DEV_ANY)
		json_object_set_new(o, "minor", json_integer(r->minor));
	return o;
}

json_t *dev_rules_json(const struct dev_rule *r, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, dev_rule_json(&r[i]));
	return a;
}

/* OCI: a number left out, or -1, matches every one. */
static int parse_num(json_t *o, const char *key, int64_t max, int64_t *out)
{
	json_t *v = json_object_get(o, key);
	if (!v) {
		*out = DEV_ANY;
		return 0;
	}
	if (!json_is_integer(v))
		return -1;
	json_int_t n = json_integer_value(v);
	if (n == -1) {
		*out = DEV_ANY;
		return 0;
	}
	if (n < 0 || n > max)
		return -1;
	*out = n;
	return 0;
}

static int parse_rule(json_t *o, struct dev_rule *r)
{
	json_t *allow = json_object_get(o, "allow");
	const char *type = json_string_value(json_object_get(o, "type"));
	json_t *acc = json_object_get(o, "access");
	if (!json_is_object(o) || !json_is_boolean(allow))
		return -1;
	r->allow = json_is_true(allow);
	if (!type)
		type = "a";
	if (strlen(type) != 1 || !strchr("abc", type[0]))
		return -1;
	r->type = type[0];
	if (parse_num(o, "major", DEV_MAJOR_MAX, &r->major) < 0 ||
	    parse_num(o, "minor", DEV_MINOR_MAX, &r->minor) < 0)
		return -1;
	r->access = DEV_ACC_ALL;
	if (acc && (!json_is_string(acc) ||
		    dev_access_parse(json_string_value(acc), &r->access) < 0))
		return -1;
	return 0;
}

int dev_rules_parse(json_t *arr, struct dev_rule **out, size_t *n,
		    struct box_err *err)
{
	*out = NULL;
	*n = 0;
	if (arr && !json_is_array(arr))
		return box_fail(err, BOX_EINVAL, 0,
				"config.json: linux.resources.devices must be an array");
	size_t cnt = arr ? json_array_size(arr) : dev_n_default_rules;
	struct dev_rule *v = calloc(cnt + 1, sizeof *v);
	if (!v)
		return box_fail(err, BOX_ESYS, ENOMEM, "device rules");
	for (size_t i = 0; i < cnt; i++) {
		if (!arr) {
			v[i] = dev_default_rules[i];
		} else if (parse_rule(json_array_get(arr, i), &v[i]) < 0) {
			free(v);
			return box_fail(err, BOX_EINVAL, 0,
					"config.json: linux.resources.devices[%zu]: "
					"want allow (bool), type a/b/c, major and minor "
					"(0-%d/0-%d or -1), access of r, w, m",
					i, DEV_MAJOR_MAX, DEV_MINOR_MAX);
		}
	}
	*out = v;
	*n = cnt;
	return 0;
}

static int parse_node(json_t *o, struct dev_node *d)
{
	const char *path = json_string_value(json_object_get(o, "path"));
	const char *type = json_string_value(json_object_get(o, "type"));
	int64_t ma, mi;
	if (!path || path[0] != '/' || strlen(path) < 2 || !type ||
	    strlen(type) != 1 || !strchr("cubp", type[0]))
		return -1;
	mode_t fmt = type[0] == 'b' ? S_IFBLK : type[0] == 'p' ? S_IFIFO
							    : S_IFCHR;
	if (fmt != S_IFIFO &&
	    (parse_num(o, "major", DEV_MAJOR_MAX, &ma) < 0 ||
	     parse_num(o, "minor", DEV_MINOR_MAX, &mi) < 0 || ma == DEV_ANY ||
	     mi == DEV_ANY))
		return -1;
	json_t *mode = json_object_get(o, "fileMode");
	json_int_t perm = mode ? json_integer_value(mode) : 0666;
	if ((mode && !json_is_integer(mode)) || perm < 0 || perm > 07777)
		return -1;
	d->path = strdup(path);
	if (!d->path)
		return -1;
	d->mode = fmt | (mode_t)perm;
	d->dev = fmt == S_IFIFO ? 0 : makedev((unsigned)ma, (unsigned)mi);
	d->uid = (uid_t)json_integer_value(json_object_get(o, "uid"));
	d->gid = (gid_t)json_integer_value(json_object_get(o, "gid"));
	return 0;
}

int dev_nodes_parse(json_t *arr, struct dev_node **out, size_t *n,
		    struct box_err *err)
{
	*out = NULL;
	*n = 0;
	if (arr && !json_is_array(arr))
		return box_fail(err, BOX_EINVAL, 0,
				"config.json: linux.devices must be an array");
	size_t cnt = json_array_size(arr);
	if (!cnt)
		return 0;
	struct dev_node *v = calloc(cnt, sizeof *v);
	if (!v)
		return box_fail(err, BOX_ESYS, ENOMEM, "devices");
	for (size_t i = 0; i < cnt; i++) {
		if (parse_node(json_array_get(arr, i), &v[i]) < 0) {
			dev_nodes_free(v, i);
			return box_fail(err, BOX_EINVAL, 0,
					"config.json: linux.devices[%zu]: want an "
					"absolute path, type c/b/u/p, major and minor, "
					"fileMode up to 07777",
					i);
		}
	}
	*out = v;
	*n = cnt;
	return 0;
}

void dev_nodes_free(struct dev_node *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].path);
	free(v);
}

/* A rule that matches every request. */
static bool matches_all(const struct dev_rule *r)
{
	return r->type == 'a' && r->major == DEV_ANY && r->minor == DEV_ANY &&
	       r->access == DEV_ACC_ALL;
}

bool dev_rules_allow_all(const struct dev_rule *r, size_t n)
{
	/* the last rule that matches everything decides for all requests
	 * no later rule takes */
	size_t i = n;
	while (i > 0 && !matches_all(&r[i - 1]))
		i--;
	if (i == 0 || !r[i - 1].allow)
		return false;
	for (; i < n; i++)
		if (!r[i].allow)
			return false;
	return true;
}

/* ---- v1: the devices hierarchy ------------------------------------------ */

/* The line(s) of one rule for devices.allow/deny.  v1 reads "a" as "every
 * device, every access" whatever follows, so a rule of type a that is any
 * narrower becomes one for c and one for b.  Returns how many. */
static int v1_lines(const struct dev_rule *r, char lines[2][48])
{
	if (matches_all(r)) {
		snprintf(lines[0], sizeof lines[0], "a");
		return 1;
	}
	struct dev_rule one = *r;
	char types[3] = {r->type, '\0', '\0'};
	if (r->type == 'a')
		types[0] = 'c', types[1] = 'b';
	int k = 0;
	for (const char *t = types; *t; t++) {
		one.type = *t;
		dev_rule_str(&one, lines[k++], sizeof lines[0]);
	}
	return k;
}

static int open_knob(const struct cg_layout *l, const char *rel,
		     const char *file, struct box_err *err)
{
	char p[PATH_MAX];
	if (cg_path(l, l->devices, rel, file, p, sizeof p, err) < 0)
		return -1;
	int fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		box_fail(err, BOX_ESYS, errno, "open %s", p);
	return fd;
}

/* Deny everything, then each rule in order: v1 keeps a default and a
 * list of exceptions, and a later line overrides an earlier one for the
 * devices both name.  One write per line (the kernel parses one rule per
 * write), on files opened once. */
static int apply_v1(const struct cg_layout *l, const char *rel,
		    const struct dev_rule *r, size_t n, struct box_err *err)
{
	auto_fd deny = open_knob(l, rel, "devices.deny", err);
	if (deny < 0)
		return -1;
	auto_fd allow = open_knob(l, rel, "devices.allow", err);
	if (allow < 0)
		return -1;
	if (write(deny, "a", 1) < 0)
		return box_fail(err, BOX_ESYS, errno,
				"write 'a' to devices.deny of %s", rel);
	for (size_t i = 0; i < n; i++) {
		char lines[2][48];
		int k = v1_lines(&r[i], lines);
		for (int j = 0; j < k; j++)
			if (write(r[i].allow ? allow : deny, lines[j],
				  strlen(lines[j])) < 0)
				return box_fail(err, BOX_ESYS, errno,
						"write '%s' to devices.%s of %s",
						lines[j],
						r[i].allow ? "allow" : "deny", rel);
	}
	return 0;
}

bool cg_devices_at_clone(const struct cg_layout *l)
{
	return l->devices >= 0 && l->hier[l->devices].v2;
}

int cg_devices_apply(const struct cg_layout *l, const char *relpath,
		     const struct dev_rule *r, size_t n, struct box_err *err)
{
	int rc;
	if (l->devices < 0) {
		if (dev_rules_allow_all(r, n))
			return 0;
		return box_fail(err, BOX_ESYS, ENOTSUP,
				"device rules for %s: no devices cgroup (v1) or "
				"cgroup2 mount to enforce them",
				relpath);
	}
	if (!l->hier[l->devices].v2) {
		rc = apply_v1(l, relpath, r, n, err);
	} else {
		char p[PATH_MAX];
		if (cg_path(l, l->devices, relpath, NULL, p, sizeof p, err) < 0)
			return -1;
		auto_fd dir = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dir < 0)
			return box_fail(err, BOX_ESYS, errno, "open %s", p);
		rc = devbpf_attach(dir, r, n, err);
	}
	return rc < 0 ? box_err_wrap(err, "device rules") : 0;
}
