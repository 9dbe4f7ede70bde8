/* verify.c - the integrity check: sha256 (libcrypto) of chosen files as the
 * image shows them, recorded at create in containers/<name>/verify.json and
 * checked again before every start.  The files are read through the
 * image's merged view (image_view.c) with openat2(RESOLVE_IN_ROOT), so a
 * symlink in the image can never make us hash a host file. */
#include "image.h"
#include "image_layer.h"
#include "image_store.h"
#include "image_tar.h"
#include "image_view.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

struct paths {
	char *const *v;
	size_t n;
};

/* In the view: one line per path, "<hex>\t<path>" or "-<why>\t<path>". */
static int hash_fn(int rootfd, bool raw, void *arg, int outfd,
		   struct box_err *err)
{
	(void)raw;
	(void)err;
	struct paths *p = arg;
	for (size_t i = 0; i < p->n; i++) {
		const char *path = p->v[i];
		auto_fd fd = layer_open_in(rootfd, path);
		struct stat st;
		char hex[65];
		if (fd < 0)
			dprintf(outfd, "-missing\t%s\n", path);
		else if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
			dprintf(outfd, "-not a regular file\t%s\n", path);
		else if (sha256_fd(fd, hex, NULL) < 0)
			dprintf(outfd, "-unreadable\t%s\n", path);
		else
			dprintf(outfd, "%s\t%s\n", hex, path);
	}
	return 0;
}

static int hash_paths(struct box_ctx *ctx, const char *lowerdir,
		      char *const *v, size_t n, char **out,
		      struct box_err *err)
{
	struct paths p = {v, n};
	return view_run(ctx, lowerdir, hash_fn, &p, out, err);
}

static int verify_path(struct box_ctx *ctx, const char *name, char *buf,
		       size_t len, struct box_err *err)
{
	return ctx_path(ctx, buf, len, err, "containers/%s/verify.json", name);
}

/* The next "<hex digest or -why>\t<path>" line of hash_paths' output,
 * cut in place at *cursor; false at the end. */
static bool next_hash_line(char **cursor, char **hash, char **file)
{
	for (char *line = *cursor; line && *line; line = *cursor) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		*cursor = next;
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		*hash = line;
		*file = tab + 1;
		return true;
	}
	return false;
}

int verify_record(struct box_ctx *ctx, const char *name, const char *lowerdir,
		  char *const *paths, size_t n, struct box_err *err)
{
	if (!n)
		return 0;
	char **clean = calloc(n + 1, sizeof *clean);
	if (!clean)
		return box_fail(err, BOX_ESYS, ENOMEM, "verify");
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		char *c = NULL;
		if (paths[i][0] != '/' || strpbrk(paths[i], "\t\n"))
			rc = box_fail(err, BOX_EINVAL, 0,
				      "verify '%s': want an absolute path",
				      paths[i]);
		else if (tar_clean_path(paths[i], &c, err) < 0 || !*c)
			rc = box_fail(err, BOX_EINVAL, 0,
				      "verify '%s': not a file path", paths[i]);
		else if (asprintf(&clean[i], "/%s", c) < 0)
			rc = box_fail(err, BOX_ESYS, ENOMEM, "verify");
		free(c);
	}
	char *out = NULL;
	if (!rc)
		rc = hash_paths(ctx, lowerdir, clean, n, &out, err);
	json_t *files = json_object();
	char *cursor = out, *line, *file;
	while (!rc && next_hash_line(&cursor, &line, &file)) {
		if (line[0] == '-')
			rc = box_fail(err, BOX_EINVAL, 0,
				      "verify %s: %s in the image", file,
				      line + 1);
		else {
			char d[80];
			snprintf(d, sizeof d, "sha256:%s", line);
			json_object_set_new(files, file, json_string(d));
		}
	}
	free(out);
	strv_free(clean);
	if (!rc) {
		char path[PATH_MAX], now[32];
		util_iso8601(time(NULL), now, sizeof now);
		json_t *root = json_pack("{s:o,s:s}", "files", files,
					 "recorded", now);
		files = NULL;
		char *text = json_dumps(root, JSON_INDENT(2));
		json_decref(root);
		if (!text || verify_path(ctx, name, path, sizeof path, err) < 0)
			rc = text ? -1 : box_fail(err, BOX_ESYS, ENOMEM, "verify");
		else
			rc = util_write_atomic(path, text, strlen(text), 0644,
					       err);
		free(text);
	}
	json_decref(files);
	return rc;
}

static void save_result(struct box_ctx *ctx, const char *name, json_t *root,
			const char *msg)
{
	char path[PATH_MAX], now[32];
	util_iso8601(time(NULL), now, sizeof now);
	json_object_set_new(root, "last_check",
			    json_pack("{s:s,s:b,s:s}", "time", now, "ok", !*msg,
				      "message", msg));
	char *text = json_dumps(root, JSON_INDENT(2));
	if (text && verify_path(ctx, name, path, sizeof path, NULL) == 0)
		util_write_atomic(path, text, strlen(text), 0644, NULL);
	free(text);
}

/* One line in the container's console log, so `logs` tells why it did
 * not start. */
static void log_line(struct box_ctx *ctx, const char *name, const char *msg)
{
	char path[PATH_MAX];
	if (ctx_path(ctx, path, sizeof path, NULL, "containers/%s/console.log",
		     name) < 0)
		return;
	auto_fd fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		dprintf(fd, "boxtop: %s\n", msg);
}

static int check(struct box_ctx *ctx, const char *name, const char *lowerdir,
		 size_t *bad, struct box_err *err)
{
	*bad = 0;
	char path[PATH_MAX];
	if (verify_path(ctx, name, path, sizeof path, err) < 0)
		return -1;
	if (access(path, F_OK) < 0)
		return 0; /* nothing recorded */
	json_error_t je;
	json_t *root = util_json_load(path, &je);
	json_t *files = json_object_get(root, "files");
	if (!json_is_object(files)) {
		json_decref(root);
		return box_fail(err, BOX_EINVAL, 0,
				"integrity check: unreadable %s: %s", path,
				je.text);
	}
	size_t n = json_object_size(files), i = 0;
	char **v = calloc(n + 1, sizeof *v);
	const char *key;
	json_t *val;
	json_object_foreach(files, key, val)
	{
		if (v)
			v[i++] = strdup(key);
	}
	char *out = NULL;
	int rc = v ? hash_paths(ctx, lowerdir, v, n, &out, err)
		   : box_fail(err, BOX_ESYS, ENOMEM, "verify");
	strv_free(v);
	char msg[BOX_ERR_MAX] = "";
	char *cursor = out, *line, *file;
	while (!rc && next_hash_line(&cursor, &line, &file)) {
		const char *want = json_string_value(json_object_get(files,
								     file));
		const char *why = NULL;
		if (line[0] == '-')
			why = line + 1;
		else if (!want || strlen(want) != 71 || strcmp(want + 7, line))
			why = "changed";
		if (!why)
			continue;
		(*bad)++;
		size_t l = strlen(msg);
		snprintf(msg + l, sizeof msg - l, "%s%s %s", l ? ", " : "", file,
			 why);
	}
	free(out);
	if (!rc) {
		save_result(ctx, name, root, msg);
		if (*bad) {
			rc = box_fail(err, BOX_ESTATE, 0,
				      "integrity check failed: %s", msg);
			log_line(ctx, name, err->msg);
		}
	}
	json_decref(root);
	return rc;
}

int verify_check(struct box_ctx *ctx, const char *name, const char *lowerdir,
		 struct box_err *err)
{
	size_t bad;
	return check(ctx, name, lowerdir, &bad, err);
}

void verify_last(struct box_ctx *ctx, const char *name, char *buf,
		 size_t len)
{
	buf[0] = '\0';
	char path[PATH_MAX];
	if (verify_path(ctx, name, path, sizeof path, NULL) < 0)
		return;
	json_t *root = util_json_load(path, NULL);
	json_t *last = json_object_get(root, "last_check");
	if (last && !json_is_true(json_object_get(last, "ok")))
		snprintf(buf, len, "integrity check failed: %s",
			 json_string_value(json_object_get(last, "message"))
				 ?: "");
	json_decref(root);
}

int box_verify(struct box_ctx *ctx, const char *container, size_t *bad,
	       struct box_err *err)
{
	char image[256];
	struct img_ref ref;
	if (istore_container_image(ctx, container, image, sizeof image, err) <
		    0 ||
	    image_resolve(ctx, image, &ref, err) < 0)
		return box_err_wrap(err, "verify %s", container);
	int rc = check(ctx, container, ref.lowerdir, bad, err);
	image_ref_free(&ref);
	return rc;
}
