/* profile.c - named sets of default create options, LXD-style:
 * $ROOT/profiles/<name>.json, applied under explicit options at create. */
#include "image.h"
#include "image_store.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int profile_path(struct box_ctx *ctx, const char *name, char *buf,
			size_t len, struct box_err *err)
{
	if (box_check_name(name, err) < 0)
		return box_err_wrap(err, "profile");
	return ctx_path(ctx, buf, len, err, "profiles/%s.json", name);
}

int box_profile_save(struct box_ctx *ctx, const char *name,
		     const struct box_create_opts *o, bool replace,
		     struct box_err *err)
{
	char path[PATH_MAX];
	if (profile_path(ctx, name, path, sizeof path, err) < 0)
		return -1;
	if (!replace && access(path, F_OK) == 0)
		return box_fail(err, BOX_EEXIST, 0,
				"profile '%s' already exists", name);
	if (o->memory < 0 || o->pids < -1 || o->cpus < 0)
		return box_fail(err, BOX_EINVAL, 0,
				"profile %s: limits must be positive", name);
	json_t *p = json_object();
	if (o->image)
		json_object_set_new(p, "image", json_string(o->image));
	if (o->memory)
		json_object_set_new(p, "memory", json_integer(o->memory));
	if (o->cpus)
		json_object_set_new(p, "cpus", json_real(o->cpus));
	if (o->cpu_shares)
		json_object_set_new(p, "cpu_shares",
				    json_integer((json_int_t)o->cpu_shares));
	if (o->pids)
		json_object_set_new(p, "pids", json_integer(o->pids));
	if (o->net)
		json_object_set_new(p, "net", json_string(o->net));
	if (o->dns)
		json_object_set_new(p, "dns", json_string(o->dns));
	if (o->tty)
		json_object_set_new(p, "tty", json_true());
	if (o->read_only)
		json_object_set_new(p, "read_only", json_true());
	if (o->userns)
		json_object_set_new(p, "userns",
				    json_string(o->userns == BOX_USERNS_AUTO ? "auto" : "host"));
	if (o->n_env) {
		json_t *a = json_array();
		for (size_t i = 0; i < o->n_env; i++) {
			if (!strchr(o->env[i], '=')) {
				json_decref(a);
				json_decref(p);
				return box_fail(err, BOX_EINVAL, 0,
						"profile %s: env '%s': want "
						"KEY=VALUE",
						name, o->env[i]);
			}
			json_array_append_new(a, json_string(o->env[i]));
		}
		json_object_set_new(p, "env", a);
	}
	if (o->n_mounts) {
		json_t *a = json_array();
		for (size_t i = 0; i < o->n_mounts; i++) {
			const struct box_mount_opt *m = &o->mounts[i];
			if (!m->src || m->src[0] != '/' || !m->dst ||
			    m->dst[0] != '/') {
				json_decref(a);
				json_decref(p);
				return box_fail(err, BOX_EINVAL, 0,
						"profile %s: mount: both paths "
						"must be absolute",
						name);
			}
			json_array_append_new(
				a, json_pack("{s:s,s:s,s:b}", "src", m->src,
					     "dst", m->dst, "ro", m->ro));
		}
		json_object_set_new(p, "mounts", a);
	}
	if (o->n_verify) {
		json_t *a = json_array();
		for (size_t i = 0; i < o->n_verify; i++)
			json_array_append_new(a, json_string(o->verify[i]));
		json_object_set_new(p, "verify", a);
	}
	char *text = json_dumps(p, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(p);
	if (!text)
		return box_fail(err, BOX_ESYS, ENOMEM, "profile %s", name);
	int rc = util_write_atomic(path, text, strlen(text), 0644, err);
	free(text);
	return rc;
}

int box_profile_list(struct box_ctx *ctx, char ***names, size_t *n,
		     struct box_err *err)
{
	*names = NULL;
	*n = 0;
	char dir[PATH_MAX];
	if (ctx_path(ctx, dir, sizeof dir, err, "profiles") < 0)
		return -1;
	return util_list_names(dir, ".json", names, n, err);
}

static json_t *load(struct box_ctx *ctx, const char *name,
		    struct box_err *err)
{
	char path[PATH_MAX];
	if (profile_path(ctx, name, path, sizeof path, err) < 0)
		return NULL;
	if (access(path, F_OK) < 0) {
		box_fail(err, BOX_ENOENT, 0, "profile '%s': no such profile",
			 name);
		return NULL;
	}
	json_error_t je;
	json_t *p = util_json_load(path, &je);
	if (!json_is_object(p)) {
		json_decref(p);
		box_fail(err, BOX_EINVAL, 0, "profile '%s': %s", name, je.text);
		return NULL;
	}
	return p;
}

char *box_profile_json(struct box_ctx *ctx, const char *name,
		       struct box_err *err)
{
	json_t *p = load(ctx, name, err);
	if (!p)
		return NULL;
	char *text = json_dumps(p, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(p);
	if (!text)
		box_fail(err, BOX_ESYS, ENOMEM, "profile %s", name);
	return text;
}

int box_profile_remove(struct box_ctx *ctx, const char *name,
		       struct box_err *err)
{
	char path[PATH_MAX];
	if (profile_path(ctx, name, path, sizeof path, err) < 0)
		return -1;
	if (unlink(path) < 0)
		return box_fail(err, errno == ENOENT ? BOX_ENOENT : BOX_ESYS,
				errno == ENOENT ? 0 : errno,
				"profile '%s': %s", name,
				errno == ENOENT ? "no such profile" : "remove");
	return 0;
}

/* ---- applying ------------------------------------------------------------- */

struct held {
	json_t *profile;
	char **env;
	struct box_mount_opt *mounts;
	char **verify;
};

void profile_release(void *hold)
{
	struct held *h = hold;
	if (!h)
		return;
	json_decref(h->profile);
	free(h->env);
	free(h->mounts);
	free(h->verify);
	free(h);
}

static bool env_key_in(const char *kv, char *const *env, size_t n)
{
	size_t kl = strcspn(kv, "=");
	for (size_t i = 0; i < n; i++)
		if (!strncmp(env[i], kv, kl) &&
		    (env[i][kl] == '=' || env[i][kl] == '\0'))
			return true;
	return false;
}

int profile_apply(struct box_ctx *ctx, const struct box_create_opts *in,
		  struct box_create_opts *out, void **hold,
		  struct box_err *err)
{
	*out = *in;
	*hold = NULL;
	if (!in->profile)
		return 0;
	json_t *p = load(ctx, in->profile, err);
	if (!p)
		return -1;
	struct held *h = calloc(1, sizeof *h);
	if (!h) {
		json_decref(p);
		return box_fail(err, BOX_ESYS, ENOMEM, "profile");
	}
	h->profile = p;
	*hold = h;
#define STR_DEFAULT(field, key)                                               \
	if (!out->field)                                                      \
		out->field = json_string_value(json_object_get(p, key));
	STR_DEFAULT(image, "image")
	STR_DEFAULT(net, "net")
	STR_DEFAULT(dns, "dns")
#undef STR_DEFAULT
	if (!out->memory)
		out->memory = json_integer_value(json_object_get(p, "memory"));
	if (!out->cpus)
		out->cpus = json_number_value(json_object_get(p, "cpus"));
	if (!out->cpu_shares)
		out->cpu_shares = (uint64_t)json_integer_value(
			json_object_get(p, "cpu_shares"));
	if (!out->pids)
		out->pids = json_integer_value(json_object_get(p, "pids"));
	if (!out->tty)
		out->tty = json_is_true(json_object_get(p, "tty"));
	if (!out->read_only)
		out->read_only = json_is_true(json_object_get(p, "read_only"));
	/* one written by hand may say anything: refused with the others'
	 * words, never silently the host's ids */
	json_t *userns = json_object_get(p, "userns");
	if (!out->userns && userns &&
	    box_parse_userns(json_string_value(userns), &out->userns, err) < 0) {
		profile_release(h);
		*hold = NULL;
		return box_err_wrap(err, "profile %s", in->profile);
	}

	/* env: the profile's, less keys given explicitly, then the
	 * explicit ones (later entries win in the container anyway) */
	json_t *env = json_object_get(p, "env");
	size_t pe = json_array_size(env);
	h->env = calloc(pe + in->n_env + 1, sizeof *h->env);
	json_t *mounts = json_object_get(p, "mounts");
	size_t pm = json_array_size(mounts);
	h->mounts = calloc(pm + in->n_mounts + 1, sizeof *h->mounts);
	json_t *ver = json_object_get(p, "verify");
	size_t pv = json_array_size(ver);
	h->verify = calloc(pv + in->n_verify + 1, sizeof *h->verify);
	if (!h->env || !h->mounts || !h->verify) {
		profile_release(h);
		*hold = NULL;
		return box_fail(err, BOX_ESYS, ENOMEM, "profile");
	}
	size_t n = 0;
	for (size_t i = 0; i < pe; i++) {
		const char *kv = json_string_value(json_array_get(env, i));
		if (kv && !env_key_in(kv, in->env, in->n_env))
			h->env[n++] = (char *)kv;
	}
	for (size_t i = 0; i < in->n_env; i++)
		h->env[n++] = in->env[i];
	out->env = h->env;
	out->n_env = n;

	n = 0;
	for (size_t i = 0; i < pm; i++) {
		json_t *m = json_array_get(mounts, i);
		const char *dst = json_string_value(json_object_get(m, "dst"));
		const char *src = json_string_value(json_object_get(m, "src"));
		bool given = false;
		for (size_t k = 0; k < in->n_mounts && dst; k++)
			given |= in->mounts[k].dst &&
				 !strcmp(in->mounts[k].dst, dst);
		if (!src || !dst || given)
			continue;
		h->mounts[n++] = (struct box_mount_opt){
			(char *)src, (char *)dst,
			json_is_true(json_object_get(m, "ro"))};
	}
	for (size_t i = 0; i < in->n_mounts; i++)
		h->mounts[n++] = in->mounts[i];
	out->mounts = h->mounts;
	out->n_mounts = n;

	n = 0;
	for (size_t i = 0; i < in->n_verify; i++)
		h->verify[n++] = in->verify[i];
	for (size_t i = 0; i < pv; i++) {
		const char *v = json_string_value(json_array_get(ver, i));
		bool dup = false;
		for (size_t k = 0; k < n && v; k++)
			dup |= !strcmp(h->verify[k], v);
		if (v && !dup)
			h->verify[n++] = (char *)v;
	}
	out->verify = h->verify;
	out->n_verify = n;
	return 0;
}
