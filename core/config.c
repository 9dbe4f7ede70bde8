/* config.c - the OCI runtime-spec config.json: built at create, parsed at
 * start.  boxtop's own settings live under "annotations". */
#include "spec.h"
#include "util.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>

/* Docker's default capability set. */
static const char *const default_caps[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
	"CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID",
	"CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
	"CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
};

/* As Docker and crun mask them: kernel state a container must not read. */
static const char *const default_masked[] = {
	"/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
	"/proc/sched_debug", "/proc/scsi", "/sys/firmware",
	"/sys/devices/virtual/powercap",
};
static const char *const default_readonly[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
	"/proc/sysrq-trigger",
};

static const struct {
	const char *dst, *type, *src, *opts;
} default_mounts[] = {
	{"/proc", "proc", "proc", "nosuid,noexec,nodev"},
	{"/dev", "tmpfs", "tmpfs", "nosuid,strictatime,mode=755,size=65536k"},
	{"/dev/pts", "devpts", "devpts",
	 "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5"},
	{"/dev/shm", "tmpfs", "shm", "nosuid,noexec,nodev,mode=1777,size=65536k"},
	{"/dev/mqueue", "mqueue", "mqueue", "nosuid,noexec,nodev"},
	{"/sys", "sysfs", "sysfs", "nosuid,noexec,nodev,ro"},
};

static const char *const namespaces[] = {"pid", "mount", "uts", "ipc",
					 "network", "cgroup"};

static json_t *str_array(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *split_opts(const char *opts)
{
	json_t *a = json_array();
	char buf[256];
	snprintf(buf, sizeof buf, "%s", opts);
	char *save = NULL;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		json_array_append_new(a, json_string(t));
	return a;
}

static size_t argv_len(char *const v[])
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

json_t *config_build(const struct box_create_opts *o, const char *image,
		     char *const img_cmd[], char *const img_env[],
		     const char *img_cwd, const char *cgroup,
		     struct box_err *err)
{
	json_t *args = json_array(), *env = json_array();
	if (o->argc)
		for (size_t i = 0; i < o->argc; i++)
			json_array_append_new(args, json_string(o->argv[i]));
	else
		for (size_t i = 0; i < argv_len(img_cmd); i++)
			json_array_append_new(args, json_string(img_cmd[i]));
	if (json_array_size(args) == 0) {
		json_decref(args);
		json_decref(env);
		box_fail(err, BOX_EINVAL, 0,
			 "no command: image '%s' has no default command, give one after --",
			 image);
		return NULL;
	}
	for (size_t i = 0; i < argv_len(img_env); i++)
		json_array_append_new(env, json_string(img_env[i]));
	for (size_t i = 0; i < o->n_env; i++) {
		if (!strchr(o->env[i], '=') || o->env[i][0] == '=') {
			json_decref(args);
			json_decref(env);
			box_fail(err, BOX_EINVAL, 0,
				 "invalid env '%s': expected KEY=VALUE", o->env[i]);
			return NULL;
		}
		/* A later KEY= replaces an earlier one (the image's). */
		size_t klen = (size_t)(strchr(o->env[i], '=') - o->env[i]) + 1;
		size_t j;
		json_t *v;
		json_array_foreach(env, j, v)
		{
			if (!strncmp(json_string_value(v), o->env[i], klen)) {
				json_array_remove(env, j);
				break;
			}
		}
		json_array_append_new(env, json_string(o->env[i]));
	}
	if (o->tty) {
		json_t *v;
		size_t j;
		bool has_term = false;
		json_array_foreach(env, j, v) has_term |=
			!strncmp(json_string_value(v), "TERM=", 5);
		if (!has_term)
			json_array_append_new(env, json_string("TERM=xterm"));
	}
	json_t *caps = str_array(default_caps, ARRAY_LEN(default_caps));
	json_t *process = json_pack(
		"{s:b, s:{s:i, s:i}, s:o, s:o, s:s, s:{s:O, s:O, s:O, s:[], s:[]},"
		" s:[{s:s, s:i, s:i}], s:b}",
		"terminal", o->tty, "user", "uid", 0, "gid", 0, "args", args,
		"env", env, "cwd", img_cwd && *img_cwd ? img_cwd : "/",
		"capabilities", "bounding", caps, "effective", caps,
		"permitted", caps, "inheritable", "ambient", "rlimits", "type",
		"RLIMIT_NOFILE", "hard", 1024, "soft", 1024, "noNewPrivileges",
		1);
	json_decref(caps);

	json_t *mounts = json_array();
	for (size_t i = 0; i < ARRAY_LEN(default_mounts); i++)
		json_array_append_new(
			mounts, json_pack("{s:s, s:s, s:s, s:o}", "destination",
					  default_mounts[i].dst, "type",
					  default_mounts[i].type, "source",
					  default_mounts[i].src, "options",
					  split_opts(default_mounts[i].opts)));
	for (size_t i = 0; i < o->n_mounts; i++) {
		const struct box_mount_opt *m = &o->mounts[i];
		json_array_append_new(
			mounts, json_pack("{s:s, s:s, s:s, s:o}", "destination",
					  m->dst, "type", "bind", "source", m->src,
					  "options",
					  split_opts(m->ro ? "rbind,ro" : "rbind")));
	}

	json_t *nss = json_array();
	for (size_t i = 0; i < ARRAY_LEN(namespaces); i++)
		json_array_append_new(nss, json_pack("{s:s}", "type", namespaces[i]));

	json_t *res = json_object();
	if (o->memory)
		json_object_set_new(res, "memory",
				    json_pack("{s:I}", "limit", (json_int_t)o->memory));
	if (o->cpus > 0 || o->cpu_shares) {
		json_t *cpu = json_object();
		if (o->cpus > 0) {
			int64_t q, p;
			cg_cpus_to_quota(o->cpus, &q, &p);
			json_object_set_new(cpu, "quota", json_integer(q));
			json_object_set_new(cpu, "period", json_integer(p));
		}
		if (o->cpu_shares)
			json_object_set_new(cpu, "shares",
					    json_integer((json_int_t)o->cpu_shares));
		json_object_set_new(res, "cpu", cpu);
	}
	if (o->pids)
		json_object_set_new(res, "pids",
				    json_pack("{s:I}", "limit", (json_int_t)o->pids));

	char created[32];
	util_iso8601(time(NULL), created, sizeof created);
	json_t *config = json_pack(
		"{s:s, s:o, s:{s:s, s:b}, s:s, s:o,"
		" s:{s:o, s:o, s:s, s:o, s:o}, s:{s:s, s:s}}",
		"ociVersion", "1.0.2", "process", process, "root", "path",
		"rootfs", "readonly", 0, "hostname",
		o->hostname ? o->hostname : o->name, "mounts", mounts, "linux",
		"namespaces", nss, "resources", res, "cgroupsPath", cgroup,
		"maskedPaths", str_array(default_masked, ARRAY_LEN(default_masked)),
		"readonlyPaths",
		str_array(default_readonly, ARRAY_LEN(default_readonly)),
		"annotations", "org.boxtop.image", image, "org.boxtop.created",
		created);
	if (!config)
		box_fail(err, BOX_ESYS, ENOMEM, "build config.json");
	return config;
}

/* ---- parsing ------------------------------------------------------------ */

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
	{"cgroup", CLONE_NEWCGROUP},
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
		char data[8192];
		int n = snprintf(data, sizeof data,
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
	memset(s, 0, sizeof *s);
}
