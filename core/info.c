/* info.c - the full description of one container as JSON (`info --json`). */
#include "confine.h"
#include "spec.h"
#include "store.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *box_cgroup_prefix(const struct box_ctx *ctx)
{
	return ctx->cg_prefix;
}

const char *box_rundir(const struct box_ctx *ctx)
{
	return ctx->run;
}

/* The common fields of `ls --json` and `info --json`. */
json_t *info_summary_json(const struct box_info *i)
{
	return json_pack(
		"{s:s, s:s, s:I, s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:b,"
		" s:s, s:I, s:b}",
		"name", i->name, "status", box_status_name(i->status), "pid",
		(json_int_t)i->pid, "image", i->image, "created",
		store_json_time(i->created), "started", store_json_time(i->started),
		"finished", store_json_time(i->finished), "exit_code",
		i->has_exit_code ? json_integer(i->exit_code) : json_null(),
		"ip", i->ip, "net", i->net, "command", i->command, "oom_killed",
		i->oom_killed, "restart_policy", i->restart_policy,
		"restart_count", (json_int_t)i->restart_count, "restarting",
		i->restarting);
}

char *box_info_json(struct box_ctx *ctx, const char *name,
		    struct box_err *err)
{
	struct box_info i;
	if (box_info_get(ctx, name, &i, err) < 0)
		return NULL;
	/* half removed: no config left ("config": null) */
	json_t *config = i.status == BOX_REMOVING
				 ? json_null()
				 : store_load_config(ctx, name, err);
	if (!config)
		return NULL;
	json_t *j = info_summary_json(&i);
	json_object_set_new(j, "hostname", json_string(i.hostname));
	json_object_set_new(j, "read_only", json_boolean(i.read_only));
	json_object_set_new(j, "seccomp", json_string(i.seccomp));
	/* the maps as config.json records them (OCI containerID, hostID,
	 * size); null: the host's ids */
	json_t *linux_ = json_object_get(config, "linux");
	json_object_set(j, "uid_map", i.userns ? json_object_get(linux_, "uidMappings")
					       : json_null());
	json_object_set(j, "gid_map", i.userns ? json_object_get(linux_, "gidMappings")
					       : json_null());
	json_object_set_new(j, "cgroup", json_string(i.cgroup));
	/* where its files are: config and writable layer on disk, runtime
	 * state in memory (what a class is shown, what a script inspects) */
	char dir[PATH_MAX], run[PATH_MAX];
	if (store_dir(ctx, name, NULL, dir, sizeof dir, NULL) == 0 &&
	    store_run(ctx, name, NULL, run, sizeof run, NULL) == 0) {
		json_object_set_new(j, "dir", json_string(dir));
		json_object_set_new(j, "rundir", json_string(run));
	}
	json_object_set_new(j, "error", json_string(i.error));
	/* every interface it has, eth0 and what `net connect` added (ip and
	 * net above are only what it was created with) */
	struct box_net_iface *ifs = NULL;
	size_t nif = 0;
	if (box_net_ifaces(ctx, name, 0, &ifs, &nif, err) < 0) {
		json_decref(j);
		json_decref(config);
		return NULL;
	}
	json_t *ja = json_array();
	for (size_t f = 0; f < nif; f++)
		json_array_append_new(
			ja, json_pack("{s:s, s:s, s:s, s:s}", "ifname",
				      ifs[f].ifname, "network", ifs[f].net, "ip",
				      ifs[f].ip, "mac", ifs[f].mac));
	free(ifs);
	json_object_set_new(j, "interfaces", ja);
	json_object_set_new(
		j, "limits",
		json_pack("{s:I, s:f, s:I}", "memory", (json_int_t)i.memory_limit,
			  "cpus", i.cpus, "pids", (json_int_t)i.pids_limit));
	/* Namespaces: the kinds from the config and, while it runs, the
	 * inode of each from its init (what `lsns` would show). */
	json_t *nss = json_array();
	size_t k;
	json_t *ns;
	static const struct {
		const char *oci, *proc;
	} names[] = {{"pid", "pid"}, {"mount", "mnt"}, {"uts", "uts"},
		     {"ipc", "ipc"}, {"network", "net"}, {"cgroup", "cgroup"},
		     {"user", "user"}};
	json_array_foreach(json_object_get(json_object_get(config, "linux"),
					   "namespaces"),
			   k, ns)
	{
		const char *t = json_string_value(json_object_get(ns, "type"));
		json_t *o = json_pack("{s:s}", "type", t ? t : "");
		for (size_t n = 0; t && i.pid && n < ARRAY_LEN(names); n++) {
			if (strcmp(t, names[n].oci))
				continue;
			char path[64];
			struct stat st;
			snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)i.pid,
				 names[n].proc);
			if (stat(path, &st) == 0)
				json_object_set_new(o, "inode",
						    json_integer((json_int_t)st.st_ino));
		}
		json_array_append_new(nss, o);
	}
	json_object_set_new(j, "namespaces", nss);
	/* what it may do, as `info` shows it (the config has the OCI form) */
	struct box_confine conf;
	if (confine_describe(config, &conf, err) < 0) {
		json_decref(j);
		json_decref(config);
		return NULL;
	}
	json_t *caps = json_array(), *devs = json_array();
	char *save = NULL;
	for (char *c = strtok_r(conf.caps, " ", &save); c;
	     c = strtok_r(NULL, " ", &save))
		json_array_append_new(caps, json_string(c));
	for (char **d = conf.devices; *d; d++)
		json_array_append_new(devs, json_string(*d));
	json_object_set_new(j, "privileged", json_boolean(conf.privileged));
	json_object_set_new(j, "capabilities", caps);
	json_object_set_new(j, "devices", devs);
	box_confine_free(&conf);
	json_object_set_new(j, "config", config);
	char *text = json_dumps(j, JSON_INDENT(2));
	json_decref(j);
	if (!text)
		box_fail(err, BOX_ESYS, 12, "info %s", name);
	return text;
}

char *box_list_json(struct box_ctx *ctx, struct box_err *err)
{
	struct box_info *v;
	size_t n;
	if (box_list(ctx, &v, &n, err) < 0)
		return NULL;
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, info_summary_json(&v[k]));
	free(v);
	char *text = json_dumps(a, JSON_INDENT(2));
	json_decref(a);
	if (!text)
		box_fail(err, BOX_ESYS, 12, "ls");
	return text;
}
