/* config.c - build the OCI runtime-spec config.json of a new container.
 * boxtop's own settings live under "annotations"; spec.c reads it back. */
#include "confine.h"
#include "seccomp_filter.h"
#include "spec.h"
#include "image.h"
#include "restart.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

/* Docker's current list (which added /proc/interrupts: per-CPU device
 * interrupt counts leak the host's activity), plus podman's /sys/dev/block
 * (the host's block devices by number) and /sys/fs/selinux: kernel state
 * a container must not read. */
static const char *const default_masked[] = {
	"/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore",
	"/proc/keys", "/proc/latency_stats", "/proc/timer_list",
	"/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
	"/sys/firmware", "/sys/devices/virtual/powercap", "/sys/dev/block",
	"/sys/fs/selinux",
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

/* "UID[:GID]" (numbers); the gid defaults to the uid's, as docker's
 * numeric --user does (it reads no passwd for numbers). */
static int parse_user(const char *s, unsigned *uid, unsigned *gid,
		      struct box_err *err)
{
	char *end;
	errno = 0;
	unsigned long u = strtoul(s, &end, 10), g = u;
	if (end != s && *end == ':' && end[1])
		g = strtoul(end + 1, &end, 10);
	if (end == s || *end || errno || u > 0xfffffffeUL || g > 0xfffffffeUL ||
	    !isdigit((unsigned char)*s))
		return box_fail(err, BOX_EINVAL, 0,
				"invalid user '%s': expected UID[:GID], numbers (names are not looked up)",
				s);
	*uid = (unsigned)u;
	*gid = (unsigned)g;
	return 0;
}

/* As docker's: the command given replaces the image's CMD and follows its
 * ENTRYPOINT; --entrypoint replaces the ENTRYPOINT and drops the CMD. */
static json_t *build_args(const struct box_create_opts *o,
			  const struct img_ref *img)
{
	json_t *args = json_array();
	if (!o->entrypoint)
		for (size_t i = 0; i < argv_len(img->entrypoint); i++)
			json_array_append_new(args, json_string(img->entrypoint[i]));
	else if (*o->entrypoint)
		json_array_append_new(args, json_string(o->entrypoint));
	if (o->argc)
		for (size_t i = 0; i < o->argc; i++)
			json_array_append_new(args, json_string(o->argv[i]));
	else if (!o->entrypoint)
		for (size_t i = 0; i < argv_len(img->cmd); i++)
			json_array_append_new(args, json_string(img->cmd[i]));
	return args;
}

json_t *config_build(const struct box_create_opts *o, const char *image,
		     const struct img_ref *img, const char *cgroup,
		     struct box_err *err)
{
	char *const *img_env = img->env;
	const char *img_cwd = o->workdir ? o->workdir : img->cwd;
	unsigned uid = 0, gid = 0;
	if (o->user && parse_user(o->user, &uid, &gid, err) < 0)
		return NULL;
	if (o->workdir && o->workdir[0] != '/')
		return box_fail(err, BOX_EINVAL, 0,
				"invalid workdir '%s': must be an absolute path",
				o->workdir), NULL;
	json_t *args = build_args(o, img), *env = json_array();
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
	json_t *caps = confine_caps_json(o, err), *dev_rules = NULL,
	       *dev_nodes = NULL;
	if (!caps || confine_devices_json(o, &dev_rules, &dev_nodes, err) < 0) {
		json_decref(caps);
		json_decref(args);
		json_decref(env);
		return NULL;
	}
	json_t *process = json_pack(
		"{s:b, s:{s:I, s:I}, s:o, s:o, s:s, s:{s:O, s:O, s:O, s:[], s:[]},"
		" s:[{s:s, s:i, s:i}], s:b}",
		"terminal", o->tty, "user", "uid", (json_int_t)uid, "gid", (json_int_t)gid, "args", args,
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
	if (o->pids >= 0)
		json_object_set_new(res, "pids",
				    json_pack("{s:I}", "limit",
					      (json_int_t)(o->pids ? o->pids : BOX_DEFAULT_PIDS)));
	json_object_set_new(res, "devices", dev_rules);

	char created[32];
	util_iso8601(time(NULL), created, sizeof created);
	json_t *config = json_pack(
		"{s:s, s:o, s:{s:s, s:b}, s:s, s:o,"
		" s:{s:o, s:o, s:o, s:s, s:o, s:o}, s:{s:s, s:s}}",
		"ociVersion", "1.0.2", "process", process, "root", "path",
		"rootfs", "readonly", (int)o->read_only, "hostname",
		o->hostname ? o->hostname : o->name, "mounts", mounts, "linux",
		"namespaces", nss, "resources", res, "devices", dev_nodes,
		"cgroupsPath", cgroup,
		"maskedPaths", str_array(default_masked, ARRAY_LEN(default_masked)),
		"readonlyPaths",
		str_array(default_readonly, ARRAY_LEN(default_readonly)),
		"annotations", "org.boxtop.image", image, "org.boxtop.created",
		created);
	if (config && o->restart && restart_annotate(config, o->restart, err) < 0) {
		json_decref(config);
		return NULL;
	}
	if (config && o->auto_remove)
		json_object_set_new(json_object_get(config, "annotations"),
				    "org.boxtop.autoremove", json_string("true"));
	if (!config) {
		box_fail(err, BOX_ESYS, ENOMEM, "build config.json");
		return NULL;
	}
	if (o->privileged)
		json_object_set_new(json_object_get(config, "annotations"),
				    CONFINE_PRIVILEGED_KEY, json_string("true"));
	/* last: its rules depend on the capabilities above.  As Docker's,
	 * --privileged runs without a filter. */
	if (seccomp_config_set(config, o->privileged ? "unconfined" : o->seccomp,
			       err) < 0) {
		json_decref(config);
		return NULL;
	}
	return config;
}
