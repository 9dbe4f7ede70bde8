/* image.c - images by name: resolve for create/start, list, info, remove. */
#include "image.h"
#include "image_import.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_PATH \
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

int image_ensure_builtin(struct box_ctx *ctx, struct box_err *err)
{
	if (istore_exists(ctx, BOX_DEFAULT_IMAGE))
		return 0;
	char digest[72];
	auto_fd lock = istore_lock(ctx, true, err);
	if (lock < 0)
		return -1;
	if (istore_exists(ctx, BOX_DEFAULT_IMAGE))
		return 0; /* made by another process meanwhile */
	if (busybox_layer(ctx, digest, err) < 0)
		return -1;
	char layer[PATH_MAX];
	if (istore_layer_path(ctx, digest, layer, sizeof layer, err) < 0)
		return -1;
	struct import_job job;
	job_init(&job, ctx, BOX_DEFAULT_IMAGE);
	char *sh[] = {"/bin/sh", NULL}, *env[] = {DEFAULT_PATH, NULL};
	job.meta.cmd = strv_dup(sh);
	job.meta.env = strv_dup(env);
	job.meta.description = strdup("built-in: the host's busybox");
	job.meta.source = strdup("built-in");
	int rc = img_meta_add_layer(&job.meta, digest, layer_du(layer), err);
	if (!rc)
		rc = istore_save(ctx, &job.meta, err);
	job_free(&job);
	return rc < 0 ? box_err_wrap(err, "image busybox") : 0;
}

/* entrypoint then cmd, copied (either may be NULL; the result never is,
 * unless out of memory) */
static char **join_cmd(char **entrypoint, char **cmd)
{
	size_t ne = strv_len(entrypoint), nc = strv_len(cmd);
	char **r = calloc(ne + nc + 1, sizeof *r);
	for (size_t i = 0; r && i < ne + nc; i++) {
		r[i] = strdup(i < ne ? entrypoint[i] : cmd[i - ne]);
		if (!r[i]) {
			strv_free(r);
			return NULL;
		}
	}
	return r;
}

int image_resolve(struct box_ctx *ctx, const char *name, struct img_ref *out,
		  struct box_err *err)
{
	memset(out, 0, sizeof *out);
	if (!strcmp(name, BOX_DEFAULT_IMAGE) &&
	    image_ensure_builtin(ctx, err) < 0)
		return -1;
	struct img_meta m;
	if (istore_load(ctx, name, &m, err) < 0)
		return -1;
	/* overlay wants the topmost lowerdir first */
	size_t cap = m.n_layers * (strlen(ctx->root) + 80) + 1;
	char *lower = calloc(1, cap);
	int rc = lower ? 0 : box_fail(err, BOX_ESYS, ENOMEM, "image %s", name);
	for (size_t i = m.n_layers; i-- > 0 && !rc;) {
		char path[PATH_MAX];
		if (istore_layer_path(ctx, m.layers[i].digest, path, sizeof path,
				      err) < 0) {
			rc = -1;
			break;
		}
		if (!istore_layer_exists(ctx, m.layers[i].digest)) {
			rc = box_fail(err, BOX_ENOENT, 0,
				      "image '%s': layer %.19s... is missing",
				      name, m.layers[i].digest);
			break;
		}
		size_t l = strlen(lower);
		snprintf(lower + l, cap - l, "%s%s", l ? ":" : "", path);
	}
	if (!rc) {
		snprintf(out->name, sizeof out->name, "%s", name);
		out->lowerdir = lower;
		lower = NULL;
		out->entrypoint = join_cmd(m.entrypoint, NULL);
		out->cmd = join_cmd(NULL, m.cmd);
		out->env = join_cmd(m.env, NULL);
		snprintf(out->cwd, sizeof out->cwd, "%s",
			 m.workdir[0] ? m.workdir : "/");
		if (!out->entrypoint || !out->cmd || !out->env) {
			image_ref_free(out);
			rc = box_fail(err, BOX_ESYS, ENOMEM, "image %s", name);
		}
	}
	free(lower);
	img_meta_free(&m);
	return rc;
}

void image_ref_free(struct img_ref *ref)
{
	free(ref->lowerdir);
	strv_free(ref->entrypoint);
	strv_free(ref->cmd);
	strv_free(ref->env);
	memset(ref, 0, sizeof *ref);
}

int image_pin(struct box_ctx *ctx, const char *name, struct box_err *err)
{
	int fd = istore_lock(ctx, false, err);
	if (fd < 0)
		return -1;
	if (!istore_exists(ctx, name)) {
		close(fd);
		return box_fail(err, BOX_ENOENT, 0,
				"image '%s': removed meanwhile", name);
	}
	return fd;
}

void image_unpin(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* ---- list / info ----------------------------------------------------------- */

static void fill_info(struct box_ctx *ctx, const struct img_meta *m,
		      struct box_image_info *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->name, sizeof out->name, "%s", m->name);
	snprintf(out->description, sizeof out->description, "%s",
		 m->description ? m->description : "");
	snprintf(out->os, sizeof out->os, "%s", m->os);
	snprintf(out->architecture, sizeof out->architecture, "%s", m->arch);
	snprintf(out->source, sizeof out->source, "%s",
		 m->source ? m->source : "");
	snprintf(out->workdir, sizeof out->workdir, "%s", m->workdir);
	out->created = m->created;
	out->n_layers = m->n_layers;
	for (size_t i = 0; i < m->n_layers; i++)
		out->size += m->layers[i].size;
	char **cmd = join_cmd(m->entrypoint, m->cmd);
	for (size_t i = 0; cmd && cmd[i]; i++) {
		size_t l = strlen(out->command);
		snprintf(out->command + l, sizeof out->command - l, "%s%s",
			 i ? " " : "", cmd[i]);
	}
	strv_free(cmd);
	out->builtin = !strcmp(m->name, BOX_DEFAULT_IMAGE) && m->source &&
		       !strcmp(m->source, "built-in");
	istore_image_users(ctx, m->name, NULL, &out->used_by, NULL);
}

int box_image_info_get(struct box_ctx *ctx, const char *name,
		       struct box_image_info *out, struct box_err *err)
{
	if (!strcmp(name, BOX_DEFAULT_IMAGE))
		image_ensure_builtin(ctx, NULL);
	istore_sweep(ctx); /* what killed imports and commits left */
	struct img_meta m;
	if (istore_load(ctx, name, &m, err) < 0)
		return -1;
	fill_info(ctx, &m, out);
	img_meta_free(&m);
	return 0;
}

int box_image_list(struct box_ctx *ctx, struct box_image_info **out,
		   size_t *n, struct box_err *err)
{
	*out = NULL;
	*n = 0;
	/* The built-in is listed as soon as the host can make it. */
	image_ensure_builtin(ctx, NULL);
	istore_sweep(ctx); /* what killed imports and commits left */
	char **names;
	size_t nn;
	if (istore_names(ctx, &names, &nn, err) < 0)
		return -1;
	*out = calloc(nn ? nn : 1, sizeof **out);
	if (!*out) {
		util_names_free(names, nn);
		return box_fail(err, BOX_ESYS, ENOMEM, "image ls");
	}
	for (size_t i = 0; i < nn; i++) {
		struct img_meta m;
		if (istore_load(ctx, names[i], &m, NULL) < 0)
			continue; /* unreadable metadata: not an image */
		fill_info(ctx, &m, &(*out)[(*n)++]);
		img_meta_free(&m);
	}
	util_names_free(names, nn);
	return 0;
}

char *box_image_json(struct box_ctx *ctx, const char *name,
		     struct box_err *err)
{
	struct box_image_info info;
	if (box_image_info_get(ctx, name, &info, err) < 0)
		return NULL;
	char path[PATH_MAX];
	if (ctx_path(ctx, path, sizeof path, err, "images/%s/image.json",
		     name) < 0)
		return NULL;
	json_error_t je;
	json_t *root = util_json_load(path, &je);
	if (!root) {
		box_fail(err, BOX_EINVAL, 0, "image '%s': %s", name, je.text);
		return NULL;
	}
	char **users = NULL;
	size_t nu = 0;
	istore_image_users(ctx, name, &users, &nu, NULL);
	json_t *ju = json_array();
	for (size_t i = 0; i < nu; i++)
		json_array_append_new(ju, json_string(users[i]));
	util_names_free(users, nu);
	json_object_set_new(root, "used_by", ju);
	json_object_set_new(root, "size", json_integer(info.size));
	char *text = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	if (!text)
		box_fail(err, BOX_ESYS, ENOMEM, "image %s", name);
	return text;
}

/* ---- remove ---------------------------------------------------------------- */

int box_image_remove(struct box_ctx *ctx, const char *name,
		     struct box_err *err)
{
	if (box_check_name(name, err) < 0)
		return box_err_wrap(err, "image rm");
	auto_fd lock = istore_lock(ctx, true, err);
	if (lock < 0)
		return -1;
	if (!istore_exists(ctx, name))
		return box_fail(err, BOX_ENOENT, 0,
				"image rm %s: no such image", name);
	char **users = NULL;
	size_t nu = 0;
	if (istore_image_users(ctx, name, &users, &nu, err) < 0)
		return box_err_wrap(err, "image rm %s", name);
	if (nu) {
		char list[256] = "";
		for (size_t i = 0; i < nu; i++) {
			size_t l = strlen(list);
			snprintf(list + l, sizeof list - l, "%s%s", i ? ", " : "",
				 users[i]);
		}
		util_names_free(users, nu);
		return box_fail(err, BOX_ESTATE, 0,
				"image rm %s: in use by %zu container%s (%s)",
				name, nu, nu == 1 ? "" : "s", list);
	}
	util_names_free(users, nu);
	/* Rename first: the image is gone in one step, whatever the removal
	 * of its directory then meets. */
	char dir[PATH_MAX], gone[PATH_MAX];
	if (ctx_path(ctx, dir, sizeof dir, err, "images/%s", name) < 0 ||
	    ctx_path(ctx, gone, sizeof gone, err, "images/.rm-%s-%d", name,
		     (int)getpid()) < 0)
		return -1;
	if (rename(dir, gone) < 0)
		return box_fail(err, BOX_ESYS, errno, "image rm %s", name);
	util_rm_rf(gone, NULL);
	if (istore_gc(ctx, err) < 0)
		return box_err_wrap(err, "image rm %s: removing layers", name);
	return 0;
}
