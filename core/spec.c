/* spec.c - parse an OCI runtime-spec config.json into what spawn needs
 * (struct spec), before clone: the child only walks arrays. */
#include "spec.h"
#include "userns.h"
#include "util.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>

static char *dup_str(json_t *j, const char *def)
{
	const char *s = json_string_value(j);
	return strdup(s ? s : def);
}

static char **dup_str_array(json_t *a)
{
	size_t n = json_array_size(a);
	char **v = calloc(n + 1, sizeof *v);
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		v[i] = dup_str(json_array_get(a, i), "");
		if (!v[i]) {
			for (size_t j = 0; j < i; j++)
				free(v[j]);
			free(v);
			return NULL;
		}
	}
	return v;
}

static void free_str_array(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

static const struct {
	const char *name;
	bool clear;
	unsigned long flag;
} mount_flags[] = {
	{"ro", false, MS_RDONLY}, {"rw", true, MS_RDONLY},
	{"nosuid", false, MS_NOSUID}, {"suid", true, MS_NOSUID},
	{"nodev", false, MS_NODEV}, {"dev", true, MS_NODEV},
	{"noexec", false, MS_NOEXEC}, {"exec", true, MS_NOEXEC},
	{"sync", false, MS_SYNCHRONOUS}, {"async", true, MS_SYNCHRONOUS},
	{"noatime", false, MS_NOATIME}, {"atime", true, MS_NOATIME},
	{"nodiratime", false, MS_NODIRATIME}, {"relatime", false, MS_RELATIME},
	{"strictatime", false, MS_STRICTATIME}, {"bind", false, MS_BIND},
	{"rbind", false, MS_BIND | MS_REC},
};
static const struct {
	const char *name;
	unsigned long flag;
} propagations[] = {
	{"private", MS_PRIVATE}, {"rprivate", MS_PRIVATE | MS_REC},
	{"slave", MS_SLAVE}, {"rslave", MS_SLAVE | MS_REC},
	{"shared", MS_SHARED}, {"rshared", MS_SHARED | MS_REC},
	{"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

static int parse_mount(json_t *m, struct spec_mount *out, struct box_err *err)
{
	const char *dst = json_string_value(json_object_get(m, "destination"));
	if (!dst || dst[0] != '/')
		return box_fail(err, BOX_EINVAL, 0,
				"config.json: mount destination '%s' must be absolute",
				dst ? dst : "");
	out->dst = strdup(dst);
	out->src = dup_str(json_object_get(m, "source"), "none");
	out->type = dup_str(json_object_get(m, "type"), "none");
	char data[1024] = "";
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(m, "options"), i, o)
	{
		const char *opt = json_string_value(o);
		if (!opt)
			continue;
		bool known = false;
		for (size_t k = 0; k < ARRAY_LEN(mount_flags) && !known; k++)
			if (!strcmp(opt, mount_flags[k].name)) {
				if (mount_flags[k].clear)
					out->flags &= ~mount_flags[k].flag;
				else
					out->flags |= mount_flags[k].flag;
				known = true;
			}
		for (size_t k = 0; k < ARRAY_LEN(propagations) && !known; k++)
			if (!strcmp(opt, propagations[k].name)) {
				out->propagation = propagations[k].flag;
				known = true;
			}
		if (!known) {
			size_t len = strlen(data);
			snprintf(data + len, sizeof data - len, "%s%s",
				 len ? "," : "", opt);
		}
	}
	if (!strcmp(out->type, "bind"))
		out->flags |= MS_BIND;
	out->bind = out->flags & MS_BIND;
	out->tree = -1;
	out->data = strdup(data);
	if (!out->dst || !out->src || !out->type || !out->data)
		return box_fail(err, BOX_ESYS, ENOMEM, "config.json mounts");
	return 0;
}

static const struct {
	const char *name;
	int flag;
} ns_types[] = {
	{"pid", CLONE_NEWPID}, {"mount", CLONE_NEWNS}, {"uts", CLONE_NEWUTS},
	{"ipc", CLONE_NEWIPC}, {"network", CLONE_NEWNET},
	{"cgroup", CLONE_NEWCGROUP}, {"user", CLONE_NEWUSER},
};

static const struct {
	const char *name;
	int res;
} rlimit_names[] = {
	{"RLIMIT_NOFILE", RLIMIT_NOFILE}, {"RLIMIT_NPROC", RLIMIT_NPROC},
	{"RLIMIT_CORE", RLIMIT_CORE}, {"RLIMIT_STACK", RLIMIT_STACK},
	{"RLIMIT_AS", RLIMIT_AS}, {"RLIMIT_CPU", RLIMIT_CPU},
	{"RLIMIT_FSIZE", RLIMIT_FSIZE}, {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
};

void config_limits(json_t *config, struct cg_limits *out)
{
	memset(out, 0, sizeof *out);
	json_t *res = json_object_get(json_object_get(config, "linux"), "resources");
	out->memory = json_integer_value(
		json_object_get(json_object_get(res, "memory"), "limit"));
	json_t *cpu = json_object_get(res, "cpu");
	out->cpu_quota_us = json_integer_value(json_object_get(cpu, "quota"));
	out->cpu_period_us = json_integer_value(json_object_get(cpu, "period"));
	out->cpu_shares = (uint64_t)json_integer_value(json_object_get(cpu, "shares"));
	out->pids = json_integer_value(
		json_object_get(json_object_get(res, "pids"), "limit"));
}

int spec_from_config(json_t *config, const char *bundle, const char *lowerdir,
		     struct spec *s, struct box_err *err)
{
	memset(s, 0, sizeof *s);
	json_t *proc = json_object_get(config, "process");
	json_t *linux_ = json_object_get(config, "linux");
	json_t *args = json_object_get(proc, "args");
	if (!json_is_array(args) || json_array_size(args) == 0 ||
	    !json_is_string(json_array_get(args, 0)))
		return box_fail(err, BOX_EINVAL, 0,
				"config.json: process.args must be a non-empty array");
	s->argv = dup_str_array(args);
	s->env = dup_str_array(json_object_get(proc, "env"));
	s->cwd = dup_str(json_object_get(proc, "cwd"), "/");
	s->hostname = dup_str(json_object_get(config, "hostname"), "");
	s->terminal = json_is_true(json_object_get(proc, "terminal"));
	json_t *user = json_object_get(proc, "user");
	s->uid = (uid_t)json_integer_value(json_object_get(user, "uid"));
	s->gid = (gid_t)json_integer_value(json_object_get(user, "gid"));
	s->no_new_privs = json_is_true(json_object_get(proc, "noNewPrivileges"));
	if (!s->argv || !s->env || !s->cwd || !s->hostname)
		goto nomem;

	/* root */
	const char *root = json_string_value(
		json_object_get(json_object_get(config, "root"), "path"));
	if (!root)
		root = "rootfs";
	char path[PATH_MAX];
	if (root[0] == '/')
		snprintf(path, sizeof path, "%s", root);
	else if (util_path(path, sizeof path, err, "%s/%s", bundle, root) < 0)
		goto fail;
	s->rootfs = strdup(path);
	s->root_readonly = json_is_true(
		json_object_get(json_object_get(config, "root"), "readonly"));
	if (lowerdir && *lowerdir) {
		/* A read-only root made without a writable layer (create
		 * --read-only) is the layers alone; one that has a layer (its
		 * config edited later) keeps it, mounted read-only. */
		char upper[PATH_MAX];
		s->overlay_lower_only =
			s->root_readonly &&
			snprintf(upper, sizeof upper, "%s/upper", bundle) <
				(int)sizeof upper &&
			access(upper, F_OK) < 0 && errno == ENOENT;
		char data[8192];
		int n = s->overlay_lower_only
				? snprintf(data, sizeof data, "lowerdir=%s", lowerdir)
				: snprintf(data, sizeof data,
					   "lowerdir=%s,upperdir=%s/upper,workdir=%s/work",
					   lowerdir, bundle, bundle);
		if (n < 0 || (size_t)n >= sizeof data) {
			box_fail(err, BOX_EINVAL, 0,
				 "overlay options too long (%d layers?)", n);
			goto fail;
		}
		s->overlay_data = strdup(data);
		if (!s->overlay_data)
			goto nomem;
	}
	if (!s->rootfs)
		goto nomem;

	/* namespaces */
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(linux_, "namespaces"), i, v)
	{
		const char *t = json_string_value(json_object_get(v, "type"));
		bool known = false;
		for (size_t k = 0; t && k < ARRAY_LEN(ns_types); k++)
			if (!strcmp(t, ns_types[k].name)) {
				if (ns_types[k].flag == CLONE_NEWCGROUP)
					s->cgroup_ns = true;
				else
					s->ns_flags |= ns_types[k].flag;
				known = true;
			}
		if (!known) {
			box_fail(err, BOX_EINVAL, 0,
				 "config.json: namespace type '%s' not supported",
				 t ? t : "");
			goto fail;
		}
	}
	s->userns = s->ns_flags & CLONE_NEWUSER;
	s->root_tree = s->root_at = -1;
	if (s->userns && userns_spec(linux_, s, err) < 0)
		goto fail;

	/* mounts */
	json_t *mounts = json_object_get(config, "mounts");
	s->mounts = calloc(json_array_size(mounts) + 1, sizeof *s->mounts);
	if (!s->mounts)
		goto nomem;
	json_array_foreach(mounts, i, v)
	{
		if (parse_mount(v, &s->mounts[s->n_mounts++], err) < 0)
			goto fail;
	}
	s->masked = dup_str_array(json_object_get(linux_, "maskedPaths"));
	s->readonly = dup_str_array(json_object_get(linux_, "readonlyPaths"));
	if (!s->masked || !s->readonly)
		goto nomem;

	/* capabilities: the bounding set is what we keep everywhere */
	json_array_foreach(json_object_get(json_object_get(proc, "capabilities"),
					   "bounding"),
			   i, v)
	{
		cap_value_t cv;
		const char *name = json_string_value(v);
		if (!name || cap_from_name(name, &cv) < 0) {
			box_fail(err, BOX_EINVAL, 0,
				 "config.json: unknown capability '%s'",
				 name ? name : "");
			goto fail;
		}
		s->caps |= 1ULL << cv;
	}

	/* rlimits */
	json_t *rl = json_object_get(proc, "rlimits");
	s->rlimits = calloc(json_array_size(rl) + 1, sizeof *s->rlimits);
	if (!s->rlimits)
		goto nomem;
	json_array_foreach(rl, i, v)
	{
		const char *t = json_string_value(json_object_get(v, "type"));
		size_t k;
		for (k = 0; t && k < ARRAY_LEN(rlimit_names); k++)
			if (!strcmp(t, rlimit_names[k].name))
				break;
		if (!t || k == ARRAY_LEN(rlimit_names)) {
			box_fail(err, BOX_EINVAL, 0,
				 "config.json: unknown rlimit '%s'", t ? t : "");
			goto fail;
		}
		struct spec_rlimit *r = &s->rlimits[s->n_rlimits++];
		r->resource = rlimit_names[k].res;
		r->lim.rlim_cur = (rlim_t)json_integer_value(json_object_get(v, "soft"));
		r->lim.rlim_max = (rlim_t)json_integer_value(json_object_get(v, "hard"));
	}

	/* devices: a config without rules (made before boxtop enforced them)
	 * gets the default list, never "everything" */
	if (dev_rules_parse(json_object_get(json_object_get(linux_, "resources"),
					    "devices"),
			    &s->dev_rules, &s->n_dev_rules, err) < 0 ||
	    dev_nodes_parse(json_object_get(linux_, "devices"), &s->dev_nodes,
			    &s->n_dev_nodes, err) < 0)
		goto fail;

	config_limits(config, &s->limits);
	const char *cg = json_string_value(json_object_get(linux_, "cgroupsPath"));
	snprintf(s->cgroup, sizeof s->cgroup, "%s", cg ? cg : "");
	return 0;
nomem:
	box_fail(err, BOX_ESYS, ENOMEM, "parse config.json");
fail:
	spec_free(s);
	return -1;
}

int spec_add_bind(struct spec *s, const char *src, const char *dst,
		  struct box_err *err)
{
	struct spec_mount *m = realloc(s->mounts, (s->n_mounts + 1) * sizeof *m);
	if (!m)
		return box_fail(err, BOX_ESYS, ENOMEM, "mount %s", dst);
	s->mounts = m;
	m = &s->mounts[s->n_mounts];
	*m = (struct spec_mount){.dst = strdup(dst), .src = strdup(src),
				 .type = strdup("bind"), .data = strdup(""),
				 .flags = MS_BIND | MS_REC, .bind = true,
				 .tree = -1};
	s->n_mounts++; /* spec_free frees what is there */
	if (!m->dst || !m->src || !m->type || !m->data)
		return box_fail(err, BOX_ESYS, ENOMEM, "mount %s", dst);
	return 0;
}

int spec_set_volatile(struct spec *s, struct box_err *err)
{
	if (!s->overlay_data || s->overlay_volatile || s->overlay_lower_only)
		return 0;
	char *d = NULL;
	if (asprintf(&d, "%s,volatile", s->overlay_data) < 0)
		return box_fail(err, BOX_ESYS, ENOMEM, "overlay options");
	free(s->overlay_data);
	s->overlay_data = d;
	s->overlay_volatile = true;
	return 0;
}

int spec_add_bottom_layer(struct spec *s, const char *dir, struct box_err *err)
{
	if (!s->overlay_lower_only)
		return 0;
	char *d = NULL;
	if (asprintf(&d, "%s:%s", s->overlay_data, dir) < 0)
		return box_fail(err, BOX_ESYS, ENOMEM, "overlay options");
	free(s->overlay_data);
	s->overlay_data = d;
	return 0;
}

void spec_free(struct spec *s)
{
	free(s->hostname);
	free_str_array(s->argv);
	free_str_array(s->env);
	free(s->cwd);
	free(s->rootfs);
	free(s->overlay_data);
	for (size_t i = 0; i < s->n_mounts; i++) {
		free(s->mounts[i].dst);
		free(s->mounts[i].src);
		free(s->mounts[i].type);
		free(s->mounts[i].data);
	}
	free(s->mounts);
	free_str_array(s->masked);
	free_str_array(s->readonly);
	free(s->rlimits);
	free(s->dev_rules);
	dev_nodes_free(s->dev_nodes, s->n_dev_nodes);
	free(s->uid_map);
	free(s->gid_map);
	memset(s, 0, sizeof *s);
}
