/* image_store.c - image.json files, the layer directory, the store lock. */
#include "image_store.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define IMAGE_ANNOTATION "org.boxtop.image"

/* ---- string vectors ---------------------------------------------------- */

size_t strv_len(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

void strv_free(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

char **strv_dup(char *const *v)
{
	if (!v)
		return NULL;
	size_t n = strv_len(v);
	char **r = calloc(n + 1, sizeof *r);
	for (size_t i = 0; r && i < n; i++)
		if (!(r[i] = strdup(v[i]))) {
			strv_free(r);
			return NULL;
		}
	return r;
}

char **strv_from_json(json_t *arr)
{
	if (!json_is_array(arr))
		return NULL;
	size_t n = json_array_size(arr), k = 0;
	char **r = calloc(n + 1, sizeof *r);
	if (!r)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		if (s && !(r[k++] = strdup(s))) {
			strv_free(r);
			return NULL;
		}
	}
	return r;
}

json_t *strv_to_json(char *const *v)
{
	json_t *a = json_array();
	for (size_t i = 0; a && v && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

bool digest_valid(const char *d)
{
	if (strncmp(d, "sha256:", 7) || strlen(d) != 71)
		return false;
	for (const char *p = d + 7; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* ---- metadata ------------------------------------------------------------ */

void img_meta_free(struct img_meta *m)
{
	free(m->description);
	free(m->source);
	free(m->layers);
	strv_free(m->cmd);
	strv_free(m->entrypoint);
	strv_free(m->env);
	memset(m, 0, sizeof *m);
}

int img_meta_add_layer(struct img_meta *m, const char *digest, int64_t size,
		       struct box_err *err)
{
	struct img_layer *nl = realloc(m->layers,
				       (m->n_layers + 1) * sizeof *nl);
	if (!nl)
		return box_fail(err, BOX_ESYS, ENOMEM, "image %s", m->name);
	m->layers = nl;
	snprintf(nl[m->n_layers].digest, sizeof nl->digest, "%s", digest);
	nl[m->n_layers].size = size;
	m->n_layers++;
	return 0;
}

static int image_json_path(struct box_ctx *ctx, const char *name, char *buf,
			   size_t len, struct box_err *err)
{
	return ctx_path(ctx, buf, len, err, "images/%s/image.json", name);
}

bool istore_exists(struct box_ctx *ctx, const char *name)
{
	char path[PATH_MAX];
	return image_json_path(ctx, name, path, sizeof path, NULL) == 0 &&
	       access(path, F_OK) == 0;
}

static char *dup_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? strdup(s) : NULL;
}

static void copy_str(char *dst, size_t len, json_t *o, const char *key,
		     const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));
	snprintf(dst, len, "%s", s ? s : dflt);
}

int istore_load(struct box_ctx *ctx, const char *name, struct img_meta *m,
	       struct box_err *err)
{
	memset(m, 0, sizeof *m);
	if (box_check_name(name, err) < 0)
		return box_err_wrap(err, "image");
	char path[PATH_MAX];
	if (image_json_path(ctx, name, path, sizeof path, err) < 0)
		return -1;
	if (access(path, F_OK) < 0)
		return box_fail(err, BOX_ENOENT, 0, "image '%s': no such image",
				name);
	json_error_t je;
	json_t *root = util_json_load(path, &je);
	if (!json_is_object(root)) {
		json_decref(root);
		return box_fail(err, BOX_EINVAL, 0, "image '%s': %s: %s", name,
				path, je.text);
	}
	snprintf(m->name, sizeof m->name, "%s", name);
	m->description = dup_str(root, "description");
	m->source = dup_str(root, "source");
	copy_str(m->os, sizeof m->os, root, "os", "linux");
	copy_str(m->arch, sizeof m->arch, root, "architecture", "");
	copy_str(m->workdir, sizeof m->workdir, root, "workdir", "/");
	m->created = util_parse_iso8601(
		json_string_value(json_object_get(root, "created")));
	m->cmd = strv_from_json(json_object_get(root, "cmd"));
	m->entrypoint = strv_from_json(json_object_get(root, "entrypoint"));
	m->env = strv_from_json(json_object_get(root, "env"));
	json_t *layers = json_object_get(root, "layers");
	size_t i;
	json_t *l;
	int rc = 0;
	json_array_foreach(layers, i, l)
	{
		const char *d = json_string_value(json_object_get(l, "digest"));
		if (!d || !digest_valid(d)) {
			rc = box_fail(err, BOX_EINVAL, 0,
				      "image '%s': bad layer digest in %s",
				      name, path);
			break;
		}
		if (img_meta_add_layer(m, d,
				       json_integer_value(
					       json_object_get(l, "size")),
				       err) < 0) {
			rc = -1;
			break;
		}
	}
	if (!rc && !m->n_layers)
		rc = box_fail(err, BOX_EINVAL, 0, "image '%s': no layers in %s",
			      name, path);
	json_decref(root);
	if (rc)
		img_meta_free(m);
	return rc;
}

int istore_save(struct box_ctx *ctx, const struct img_meta *m,
	       struct box_err *err)
{
	char dir[PATH_MAX], path[PATH_MAX], created[32];
	if (ctx_path(ctx, dir, sizeof dir, err, "images/%s", m->name) < 0 ||
	    image_json_path(ctx, m->name, path, sizeof path, err) < 0 ||
	    util_mkdir_p(dir, 0755, err) < 0)
		return -1;
	util_iso8601(m->created, created, sizeof created);
	json_t *layers = json_array();
	for (size_t i = 0; i < m->n_layers; i++)
		json_array_append_new(
			layers, json_pack("{s:s,s:I}", "digest",
					  m->layers[i].digest, "size",
					  (json_int_t)m->layers[i].size));
	json_t *root = json_pack(
		"{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:s}", "name",
		m->name, "description", m->description ? m->description : "",
		"os", m->os[0] ? m->os : "linux", "architecture", m->arch,
		"created", created, "source", m->source ? m->source : "",
		"layers", layers, "cmd", strv_to_json(m->cmd), "entrypoint",
		strv_to_json(m->entrypoint), "env", strv_to_json(m->env),
		"workdir", m->workdir[0] ? m->workdir : "/");
	char *text = root ? json_dumps(root, JSON_INDENT(2)) : NULL;
	json_decref(root);
	if (!text)
		return box_fail(err, BOX_ESYS, ENOMEM, "image %s", m->name);
	int rc = util_write_atomic(path, text, strlen(text), 0644, err);
	free(text);
	return rc;
}

int istore_names(struct box_ctx *ctx, char ***names, size_t *n,
		struct box_err *err)
{
	char dir[PATH_MAX];
	if (ctx_path(ctx, dir, sizeof dir, err, "images") < 0 ||
	    util_list_names(dir, NULL, names, n, err) < 0)
		return -1;
	/* only directories that hold an image.json (a crash mid-rm leaves
	 * none under a real name, but be tolerant) */
	size_t k = 0;
	for (size_t i = 0; i < *n; i++) {
		if (istore_exists(ctx, (*names)[i]))
			(*names)[k++] = (*names)[i];
		else
			free((*names)[i]);
	}
	*n = k;
	return 0;
}

int istore_lock(struct box_ctx *ctx, bool exclusive, struct box_err *err)
{
	char path[PATH_MAX];
	if (ctx_path(ctx, path, sizeof path, err, "images/.lock") < 0)
		return -1;
	return util_lock_file(path, exclusive, err);
}

int istore_layer_path(struct box_ctx *ctx, const char *digest, char *buf,
		     size_t len, struct box_err *err)
{
	if (!digest_valid(digest))
		return box_fail(err, BOX_EINVAL, 0,
				"bad layer digest '%.80s' (want sha256:<64 hex>)",
				digest);
	return ctx_path(ctx, buf, len, err, "layers/%s", digest + 7);
}

bool istore_layer_exists(struct box_ctx *ctx, const char *digest)
{
	char path[PATH_MAX];
	struct stat st;
	return istore_layer_path(ctx, digest, path, sizeof path, NULL) == 0 &&
	       stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int istore_tmp_dir(struct box_ctx *ctx, char buf[PATH_MAX],
		  struct box_err *err)
{
	/* the maker's pid and start time: a leftover is known as such even
	 * once its pid is someone else's */
	pid_t me = getpid();
	if (ctx_path(ctx, buf, PATH_MAX, err, "layers/.tmp-%d.%llu-XXXXXX",
		     (int)me, (unsigned long long)util_pid_starttime(me)) < 0)
		return -1;
	if (!mkdtemp(buf))
		return box_fail(err, BOX_ESYS, errno, "mkdir %s", buf);
	chmod(buf, 0755); /* a layer root is the container's "/" */
	return 0;
}

int istore_install_layer(struct box_ctx *ctx, const char *tmp,
			const char *digest, struct box_err *err)
{
	char path[PATH_MAX];
	if (istore_layer_path(ctx, digest, path, sizeof path, err) < 0)
		return -1;
	if (rename(tmp, path) == 0)
		return 0;
	if (errno != EEXIST && errno != ENOTEMPTY)
		return box_fail(err, BOX_ESYS, errno, "rename %s", tmp);
	/* Already there: same digest, same content. */
	return util_rm_rf(tmp, err);
}

/* Leftovers carry their maker's pid: ".tmp-<pid>[.<start time>]-..."
 * (layers being built), ".view-<pid>-..." and ".rm-<name>-<pid>" (under
 * images/).  With the start time a pid that names another process by
 * now is told apart. */
static bool tmp_owner_alive(const char *name)
{
	int pid = 0;
	unsigned long long start = 0;
	const char *dash = strrchr(name, '-');
	if (!strncmp(name, ".tmp-", 5) || !strncmp(name, ".view-", 6)) {
		const char *p = strchr(name, '-') + 1;
		if (sscanf(p, "%d", &pid) == 1 && (p = strpbrk(p, ".-")) &&
		    *p == '.')
			sscanf(p + 1, "%llu", &start);
	} else if (!strncmp(name, ".rm-", 4) && dash)
		sscanf(dash + 1, "%d", &pid);
	if (pid <= 0)
		return true; /* not ours to judge */
	if (pid == getpid())
		return true;
	if (start)
		return util_pid_starttime(pid) == start;
	return kill(pid, 0) == 0 || errno == EPERM;
}

/* Remove what dead makers left in dir: entries whose name starts with a
 * dot and names a process that is gone. */
static void sweep_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		char path[PATH_MAX];
		if (de->d_name[0] != '.' || !strcmp(de->d_name, ".") ||
		    !strcmp(de->d_name, "..") || tmp_owner_alive(de->d_name) ||
		    util_path(path, sizeof path, NULL, "%s/%s", dir,
			      de->d_name) < 0)
			continue;
		util_rm_rf(path, NULL);
	}
	closedir(d);
}

void istore_sweep(struct box_ctx *ctx)
{
	char dir[PATH_MAX];
	if (ctx_path(ctx, dir, sizeof dir, NULL, "layers") == 0)
		sweep_dir(dir);
	if (ctx_path(ctx, dir, sizeof dir, NULL, "images") == 0)
		sweep_dir(dir);
}

int istore_gc(struct box_ctx *ctx, struct box_err *err)
{
	char **images = NULL;
	size_t ni = 0;
	char dir[PATH_MAX];
	if (istore_names(ctx, &images, &ni, err) < 0)
		return -1;
	/* the set of referenced digests */
	char **used = NULL;
	size_t nu = 0;
	int rc = 0;
	bool unsure = false;
	for (size_t i = 0; i < ni && !rc; i++) {
		struct img_meta m;
		if (istore_load(ctx, images[i], &m, NULL) < 0) {
			/* Unreadable metadata: which layers it names is not
			 * known, so no layer is judged unused this time. */
			unsure = true;
			continue;
		}
		char **nn = realloc(used, (nu + m.n_layers) * sizeof *nn);
		if (!nn)
			rc = box_fail(err, BOX_ESYS, ENOMEM, "gc");
		else {
			used = nn;
			for (size_t k = 0; k < m.n_layers; k++)
				used[nu++] = strdup(m.layers[k].digest + 7);
		}
		img_meta_free(&m);
	}
	util_names_free(images, ni);
	if (rc)
		goto out;
	if (ctx_path(ctx, dir, sizeof dir, err, "layers") < 0) {
		rc = -1;
		goto out;
	}
	DIR *d = opendir(dir);
	if (!d) {
		rc = box_fail(err, BOX_ESYS, errno, "open %s", dir);
		goto out;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		if (!strcmp(n, ".") || !strcmp(n, ".."))
			continue;
		if (n[0] == '.')
			continue; /* istore_sweep's */
		bool drop = !unsure;
		for (size_t i = 0; i < nu && drop; i++)
			drop = !used[i] || strcmp(used[i], n) != 0;
		if (!drop)
			continue;
		char path[PATH_MAX];
		if (util_path(path, sizeof path, err, "%s/%s", dir, n) < 0 ||
		    util_rm_rf(path, err) < 0)
			rc = -1;
	}
	closedir(d);
	/* and what dead processes left under layers/ and images/ */
	istore_sweep(ctx);
out:
	for (size_t i = 0; i < nu; i++)
		free(used[i]);
	free(used);
	return rc;
}

/* ---- containers' images --------------------------------------------------- */

int istore_container_image(struct box_ctx *ctx, const char *container,
			  char *buf, size_t len, struct box_err *err)
{
	char path[PATH_MAX];
	if (ctx_path(ctx, path, sizeof path, err, "containers/%s/config.json",
		     container) < 0)
		return -1;
	json_error_t je;
	json_t *root = util_json_load(path, &je);
	if (!root)
		return box_fail(err, access(path, F_OK) ? BOX_ENOENT
							: BOX_EINVAL,
				0, "container '%s': %s", container, je.text);
	const char *img = json_string_value(json_object_get(
		json_object_get(root, "annotations"), IMAGE_ANNOTATION));
	int rc = 0;
	if (!img)
		rc = box_fail(err, BOX_EINVAL, 0,
			      "container '%s': no %s annotation", container,
			      IMAGE_ANNOTATION);
	else
		snprintf(buf, len, "%s", img);
	json_decref(root);
	return rc;
}

int istore_image_users(struct box_ctx *ctx, const char *name, char ***names,
		      size_t *n, struct box_err *err)
{
	char dir[PATH_MAX];
	char **all = NULL;
	size_t na = 0, k = 0;
	if (ctx_path(ctx, dir, sizeof dir, err, "containers") < 0 ||
	    util_list_names(dir, NULL, &all, &na, err) < 0)
		return -1;
	for (size_t i = 0; i < na; i++) {
		char img[256];
		if (istore_container_image(ctx, all[i], img, sizeof img,
					  NULL) == 0 &&
		    !strcmp(img, name)) {
			char *t = all[k];
			all[k++] = all[i];
			all[i] = t;
		}
	}
	*n = k;
	if (names) {
		for (size_t i = k; i < na; i++)
			free(all[i]);
		*names = all;
	} else
		util_names_free(all, na);
	return 0;
}
