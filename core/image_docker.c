/* image_docker.c - the `docker save` format of Docker before 25 (Debian
 * 12's docker.io writes it): manifest.json listing a config file and one
 * layer.tar per layer, no OCI index.  The layers have no compressed
 * digests; each one is checked against the config's rootfs.diff_ids while
 * it is unpacked, as OCI layers are. */
#include "image_import.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

bool docker_is_save(const char *dir)
{
	auto_fd dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return false;
	/* a root filesystem could hold a manifest.json too: only docker's
	 * shape counts */
	struct box_err ignored = {0};
	json_t *m = layout_json(dirfd, "manifest.json", &ignored);
	bool yes = json_is_array(m) &&
		   json_object_get(json_array_get(m, 0), "Layers");
	json_decref(m);
	return yes;
}

/* A file named by manifest.json, opened inside the layout (image_layout.c:
 * no "..", no symlink out, a regular file). */
static int member(int dirfd, const char *rel, struct box_err *err)
{
	char *clean = NULL;
	if (!rel || tar_clean_path(rel, &clean, err) < 0 || !*clean) {
		free(clean);
		return box_fail(err, BOX_EINVAL, 0,
				"malformed manifest.json: bad path '%.100s'",
				rel ? rel : "(none)");
	}
	int fd = layout_open(dirfd, clean, err);
	free(clean);
	return fd;
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
	auto_fd dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return box_fail(err, BOX_ESYS, errno, "open %s", dir);
	json_t *man = layout_json(dirfd, "manifest.json", err), *config = NULL;
	int *fds = NULL;
	size_t n = 0;
	int rc = -1, cfd = -1;
	if (!man)
		goto out;
	if (!json_is_array(man) || !json_array_size(man)) {
		box_fail(err, BOX_EINVAL, 0, "malformed manifest.json: %s",
			 json_is_array(man) ? "empty" : "not an array");
		goto out;
	}
	json_t *e = pick(man, tag, err);
	if (!e)
		goto out;
	json_t *layers = json_object_get(e, "Layers");
	cfd = member(dirfd, json_string_value(json_object_get(e, "Config")),
		     err);
	if (cfd < 0 || !(config = layout_json_fd(cfd, "image config", err)))
		goto out;
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
	/* every layer opened first: their sizes are the progress total */
	fds = malloc(json_array_size(layers) * sizeof *fds);
	if (!fds) {
		box_fail(err, BOX_ESYS, ENOMEM, "import");
		goto out;
	}
	job->total = 0;
	for (; n < json_array_size(layers); n++) {
		struct stat st;
		fds[n] = member(dirfd, json_string_value(json_array_get(layers, n)),
				err);
		if (fds[n] < 0)
			goto out;
		if (fstat(fds[n], &st) == 0)
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
		snprintf(job->what, sizeof job->what, "layer %zu/%zu", i + 1, n);
		if (oci_layer(job, fds[i], diff, i,
			      fstat(fds[i], &st) == 0 ? (uint64_t)st.st_size : 0,
			      false, err) < 0)
			goto out;
	}
	rc = 0;
out:
	if (cfd >= 0)
		close(cfd);
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	json_decref(man);
	json_decref(config);
	return rc;
}
