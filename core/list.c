/* list.c - reading containers: info, list, config, log path. */
#include "restart.h"
#include "container.h"
#include "image.h"
#include "monitor.h"
#include "net.h"
#include "seccomp_filter.h"
#include "spec.h"
#include "userns.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void join_args(json_t *args, char *buf, size_t len)
{
	size_t i, o = 0;
	json_t *a;
	buf[0] = '\0';
	json_array_foreach(args, i, a)
	{
		int n = snprintf(buf + o, len - o, "%s%s", i ? " " : "",
				 json_string_value(a) ? json_string_value(a) : "");
		if (n < 0 || (size_t)n >= len - o)
			break;
		o += (size_t)n;
	}
}

static int info_get(struct box_ctx *ctx, const char *name,
		    struct box_info *out, bool wait, struct box_err *err)
{
	memset(out, 0, sizeof *out);
	struct box_state st;
	enum box_status status;
	if (ct_load_live_opt(ctx, name, &st, &status, wait, err) < 0) {
		/* what an interrupted create or rm left: shown, so that it
		 * can be seen and removed */
		if (!store_orphan(ctx, name))
			return -1;
		snprintf(out->name, sizeof out->name, "%s", name);
		out->status = BOX_REMOVING;
		return 0;
	}
	json_t *config = store_load_config(ctx, name, err);
	if (!config)
		return -1;
	snprintf(out->name, sizeof out->name, "%s", name);
	out->status = status;
	out->pid = (status == BOX_RUNNING || status == BOX_PAUSED) ? st.pid : 0;
	json_t *ann = json_object_get(config, "annotations");
	const char *s = json_string_value(json_object_get(ann, "org.boxtop.image"));
	snprintf(out->image, sizeof out->image, "%s", s ? s : "");
	s = json_string_value(json_object_get(ann, "org.boxtop.ip"));
	snprintf(out->ip, sizeof out->ip, "%s", s ? s : "");
	s = json_string_value(json_object_get(ann, "org.boxtop.net"));
	snprintf(out->net, sizeof out->net, "%s", s ? s : "none");
	s = json_string_value(json_object_get(config, "hostname"));
	snprintf(out->hostname, sizeof out->hostname, "%s", s ? s : "");
	out->read_only = json_is_true(
		json_object_get(json_object_get(config, "root"), "readonly"));
	seccomp_describe(config, out->seccomp, sizeof out->seccomp);
	struct userns_ids ids;
	if ((out->userns = userns_config_get(config, &ids))) {
		out->uid_base = ids.uid;
		out->gid_base = ids.gid;
		out->userns_size = ids.size;
	}
	s = json_string_value(json_object_get(json_object_get(config, "linux"),
					      "cgroupsPath"));
	snprintf(out->cgroup, sizeof out->cgroup, "%s", s ? s : "");
	join_args(json_object_get(json_object_get(config, "process"), "args"),
		  out->command, sizeof out->command);
	struct cg_limits lim;
	config_limits(config, &lim);
	out->memory_limit = lim.memory;
	out->pids_limit = lim.pids;
	out->cpus = lim.cpu_quota_us && lim.cpu_period_us
			    ? (double)lim.cpu_quota_us / (double)lim.cpu_period_us
			    : 0;
	out->created = st.created;
	out->started = st.started;
	out->finished = st.finished;
	out->has_exit_code = st.has_exit_code;
	out->exit_code = st.exit_code;
	out->oom_killed = st.oom_killed;
	snprintf(out->error, sizeof out->error, "%s", st.error);
	struct restart_policy policy;
	restart_policy_of(config, &policy);
	restart_name(&policy, out->restart_policy, sizeof out->restart_policy);
	out->restart_count = st.restart_count;
	out->restarting = st.restarting && status == BOX_STOPPED &&
			  state_monitor_alive(&st);
	json_decref(config);
	return 0;
}

int box_info_get(struct box_ctx *ctx, const char *name, struct box_info *out,
		 struct box_err *err)
{
	return info_get(ctx, name, out, true, err);
}

int box_info_peek(struct box_ctx *ctx, const char *name, struct box_info *out,
		  struct box_err *err)
{
	return info_get(ctx, name, out, false, err);
}

/* Natural order: box-2 before box-10, as a batch numbers them. */
static int cmp_name(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

void box_names_free(char **names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

int box_list_names(struct box_ctx *ctx, char ***out, size_t *n,
		   struct box_err *err)
{
	*out = NULL;
	*n = 0;
	char dir[PATH_MAX];
	if (ctx_path(ctx, dir, sizeof dir, err, "containers") < 0)
		return -1;
	DIR *d = opendir(dir);
	if (!d) /* a root not made yet has no containers */
		return errno == ENOENT ? 0
				       : box_fail(err, BOX_ESYS, errno, "open %s", dir);
	size_t cap = 0;
	char **v = NULL;
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(d))) {
		/* with those an interrupted create or rm left (store.h) */
		if (de->d_name[0] == '.' || (!store_exists(ctx, de->d_name) &&
					     !store_orphan(ctx, de->d_name)))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			char **nv = realloc(v, cap * sizeof *v);
			if (!nv) {
				rc = -1;
				break;
			}
			v = nv;
		}
		if (!(v[*n] = strdup(de->d_name))) {
			rc = -1;
			break;
		}
		(*n)++;
	}
	closedir(d);
	if (rc < 0) {
		box_names_free(v, *n);
		*n = 0;
		return box_fail(err, BOX_ESYS, ENOMEM, "list");
	}
	if (*n)
		qsort(v, *n, sizeof *v, cmp_name);
	*out = v;
	return 0;
}

int box_list(struct box_ctx *ctx, struct box_info **out, size_t *n,
	     struct box_err *err)
{
	*out = NULL;
	*n = 0;
	char **names;
	size_t k;
	if (box_list_names(ctx, &names, &k, err) < 0)
		return -1;
	struct box_info *v = calloc(k ? k : 1, sizeof *v);
	if (!v) {
		box_names_free(names, k);
		return box_fail(err, BOX_ESYS, ENOMEM, "list");
	}
	for (size_t i = 0; i < k; i++) {
		/* A container that cannot be read (corrupt state) is still
		 * listed, so it can be seen and removed. */
		struct box_err e2;
		if (box_info_get(ctx, names[i], &v[i], &e2) < 0) {
			memset(&v[i], 0, sizeof v[i]);
			snprintf(v[i].name, sizeof v[i].name, "%.64s", names[i]);
			v[i].status = BOX_STOPPED;
		}
	}
	box_names_free(names, k);
	*out = v;
	*n = k;
	return 0;
}

char *box_config_text(struct box_ctx *ctx, const char *name,
		      struct box_err *err)
{
	if (box_check_name(name, err) < 0)
		return NULL;
	json_t *config = store_load_config(ctx, name, err);
	if (!config)
		return NULL;
	char *text = json_dumps(config, JSON_INDENT(2));
	json_decref(config);
	if (!text)
		box_fail(err, BOX_ESYS, ENOMEM, "config of %s", name);
	return text;
}

int box_log_path(struct box_ctx *ctx, const char *name, char *buf, size_t len,
		 struct box_err *err)
{
	if (store_check(ctx, name, err) < 0)
		return -1;
	return store_dir(ctx, name, "console.log", buf, len, err);
}
