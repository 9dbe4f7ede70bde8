/* image_docker.c - the `docker save` format of Docker before 25 (Debian
 * 12's docker.io writes it): manifest.json listing a config file and one
 * layer.tar per layer, no OCI index.  The layers have no compressed
 * digests; each one is checked against the config's rootfs.diff_ids while
 * it is unpacked, as OCI layers are. */
#include "image_import.h"
#include "util.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

bool docker_is_save(const char *dir)
{
	char p[PATH_MAX];
	struct stat st;
	if (snprintf(p, sizeof p, "%s/manifest.json", dir) >= (int)sizeof p ||
	    stat(p, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	/* a root filesystem could hold a manifest.json too: only docker's
	 * shape counts */
	json_t *m = util_json_load(p, NULL);
	bool yes = json_is_array(m) &&
		   json_object_get(json_array_get(m, 0), "Layers");
	json_decref(m);
	return yes;
}

/* A path named by manifest.json, kept inside dir. */
static int member(const char *dir, const char *rel, char *out, size_t len,
		  struct box_err *err)
{
	char *clean = NULL;
	if (!rel || tar_clean_path(rel, &clean, err) < 0 || !*clean) {
		free(clean);
		return box_fail(err, BOX_EINVAL, 0,
				"malformed manifest.json: bad path '%.100s'",
				rel ? rel : "(none)");
	}
	int rc = util_path(out, len, err, "%s/%s", dir, clean);
	free(clean);
	return rc;
}

static json_t *pick(json_t *man, const char *tag, struct box_err *err)
{
	size_t i, k;
	json_t *e, *t;
	if (!tag) {
		if (json_array_size(man) == 1)
			return json_array_get(man, 0);
		char tags[256] = "";
		json_array_foreach(man, i, e)
		{
			size_t l = strlen(tags);
			snprintf(tags + l, sizeof tags - l, "%s%s", l ? ", " : "",
				 json_string_value(json_array_get(
					 json_object_get(e, "RepoTags"), 0))
					 ?: "?");
		}
		box_fail(err, BOX_EINVAL, 0,
			 "the archive holds %zu images: choose one with "
			 "SOURCE:TAG (tags: %s)",
			 json_array_size(man), tags);
		return NULL;
	}
	json_array_foreach(man, i, e)
	{
		json_array_foreach(json_object_get(e, "RepoTags"), k, t)
		{
			const char *s = json_string_value(t);
			const char *colon = s ? strrchr(s, ':') : NULL;
			if (s && (!strcmp(s, tag) ||
				  (colon && !strcmp(colon + 1, tag))))
				return e;
		}
	}
	box_fail(err, BOX_ENOENT, 0, "no image tagged '%s' in the archive",
		 tag);
	return NULL;
}

int docker_import(struct import_job *job, const char *dir, const char *tag,
		  struct box_err *err)
{
	char path[PATH_MAX];
	json_error_t je;
	if (util_path(path, sizeof path, err, "%s/manifest.json", dir) < 0)
		return -1;
	json_t *man = util_json_load(path, &je), *config = NULL;
	int rc = -1;
	if (!json_is_array(man) || !json_array_size(man)) {
		box_fail(err, BOX_EINVAL, 0, "malformed manifest.json: %s",
			 json_is_array(man) ? "empty" : je.text);
		goto out;
	}
	json_t *e = pick(man, tag, err);
	if (!e)
		goto out;
	json_t *layers = json_object_get(e, "Layers");
	if (member(dir, json_string_value(json_object_get(e, "Config")), path,
		   sizeof path, err) < 0)
		goto out;
	config = util_json_load(path, &je);
	json_t *diff_ids = json_object_get(json_object_get(config, "rootfs"),
					   "diff_ids");
	if (!json_is_object(config) || !json_is_array(layers) ||
	    !json_array_size(layers) ||
	    json_array_size(diff_ids) != json_array_size(layers)) {
		box_fail(err, BOX_EINVAL, 0,
			 "malformed manifest: want a config whose diff_ids "
			 "match the layers");
		goto out;
	}
	if (oci_config(job, config, err) < 0)
		goto out;
	const char *t = json_string_value(
		json_array_get(json_object_get(e, "RepoTags"), 0));
	if (!job->meta.description && t)
		job->meta.description = strdup(t);
	size_t n = json_array_size(layers);
	job->total = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (member(dir, json_string_value(json_array_get(layers, i)),
			   path, sizeof path, err) < 0)
			goto out;
		if (stat(path, &st) == 0)
			job->total += (uint64_t)st.st_size;
	}
	for (size_t i = 0; i < n; i++) {
		const char *diff = json_string_value(json_array_get(diff_ids, i));
		struct stat st;
		if (!diff || !digest_valid(diff)) {
			box_fail(err, BOX_EINVAL, 0,
				 "malformed image config: diff_id %zu", i + 1);
			goto out;
		}
		if (member(dir, json_string_value(json_array_get(layers, i)),
			   path, sizeof path, err) < 0)
			goto out;
		snprintf(job->what, sizeof job->what, "layer %zu/%zu", i + 1, n);
		if (oci_layer(job, path, diff, i,
			      stat(path, &st) == 0 ? (uint64_t)st.st_size : 0,
			      false, err) < 0)
			goto out;
	}
	rc = 0;
out:
	json_decref(man);
	json_decref(config);
	return rc;
}
