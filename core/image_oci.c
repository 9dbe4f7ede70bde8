/* image_oci.c - OCI image layouts (image-spec v1: oci-layout, index.json,
 * blobs/sha256/<hex>), as `skopeo copy ... oci:DIR:TAG`, umoci and
 * `docker save` (Docker 25+) write them.
 *
 * Every blob is checked against its descriptor (sha256 and size) before it
 * is used, and every layer's uncompressed stream against the config's
 * rootfs.diff_ids: the layer is stored under its diff_id, so a layer two
 * images share is unpacked once and found by the second import. */
#include "image_import.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#define REF_NAME "org.opencontainers.image.ref.name"

const char *oci_host_arch(void)
{
	static const struct {
		const char *uname, *oci;
	} map[] = {{"x86_64", "amd64"}, {"aarch64", "arm64"},
		   {"armv7l", "arm"},   {"i686", "386"},
		   {"ppc64le", "ppc64le"}, {"s390x", "s390x"},
		   {"riscv64", "riscv64"}};
	static char other[65];
	struct utsname u;
	if (uname(&u) < 0)
		return "amd64";
	for (size_t i = 0; i < ARRAY_LEN(map); i++)
		if (!strcmp(u.machine, map[i].uname))
			return map[i].oci;
	snprintf(other, sizeof other, "%s", u.machine);
	return other;
}

/* The blob a descriptor names, opened beneath the layout and checked
 * against the descriptor's size and sha256.  The fd is read to its end;
 * what reads it again starts from offset 0 (pread, zpipe). */
static int open_blob(int dirfd, json_t *desc, struct box_err *err)
{
	const char *d = json_string_value(json_object_get(desc, "digest"));
	if (!d)
		return box_fail(err, BOX_EINVAL, 0,
				"malformed manifest: descriptor without digest");
	if (!digest_valid(d))
		return box_fail(err, BOX_EINVAL, 0,
				"unsupported or malformed digest '%.80s'", d);
	char rel[96];
	snprintf(rel, sizeof rel, "blobs/sha256/%s", d + 7);
	int fd = layout_open(dirfd, rel, err);
	if (fd < 0)
		return box_err_wrap(err, "blob %.19s...", d);
	json_t *jsize = json_object_get(desc, "size");
	struct stat st;
	char hex[65];
	if (fstat(fd, &st) < 0)
		box_fail(err, BOX_ESYS, errno, "blob %s", d);
	else if (json_is_integer(jsize) &&
		 json_integer_value(jsize) != (json_int_t)st.st_size)
		box_fail(err, BOX_EINVAL, 0,
			 "blob %s: size %lld, descriptor says %lld", d,
			 (long long)st.st_size,
			 (long long)json_integer_value(jsize));
	else if (sha256_fd(fd, hex, err) < 0)
		box_err_wrap(err, "blob %s", d);
	else if (strcmp(hex, d + 7))
		box_fail(err, BOX_EINVAL, 0,
			 "digest mismatch: blob %.19s... has sha256:%.12s...",
			 d, hex);
	else
		return fd;
	close(fd);
	return -1;
}

/* A JSON blob (index, manifest, config), verified and parsed. */
static json_t *load_blob(int dirfd, json_t *desc, const char *what,
			 struct box_err *err)
{
	auto_fd fd = open_blob(dirfd, desc, err);
	if (fd < 0) {
		box_err_wrap(err, "%s", what);
		return NULL;
	}
	json_t *j = layout_json_fd(fd, what, err);
	if (j && !json_is_object(j)) {
		json_decref(j);
		box_fail(err, BOX_EINVAL, 0, "malformed %s: not an object",
			 what);
		return NULL;
	}
	return j;
}

static bool is_index_type(const char *mt)
{
	return mt && (!strcmp(mt, "application/vnd.oci.image.index.v1+json") ||
		      !strcmp(mt, "application/vnd.docker.distribution."
				  "manifest.list.v2+json"));
}

static const char *desc_tag(json_t *desc)
{
	const char *t = json_string_value(
		json_object_get(json_object_get(desc, "annotations"), REF_NAME));
	return t ? t : "";
}

/* Choose the image descriptor in index.json: by tag, or the only one. */
static json_t *pick_by_tag(json_t *index, const char *dir, const char *tag,
			   struct box_err *err)
{
	json_t *m = json_object_get(index, "manifests");
	if (!json_is_array(m) || !json_array_size(m)) {
		box_fail(err, BOX_EINVAL, 0,
			 "malformed index.json in %s: no manifests", dir);
		return NULL;
	}
	size_t i;
	json_t *d;
	if (!tag) {
		if (json_array_size(m) == 1)
			return json_array_get(m, 0);
		char tags[256] = "";
		json_array_foreach(m, i, d)
		{
			size_t l = strlen(tags);
			snprintf(tags + l, sizeof tags - l, "%s%s", l ? ", " : "",
				 desc_tag(d));
		}
		box_fail(err, BOX_EINVAL, 0,
			 "%s holds %zu images: choose one with SOURCE:TAG "
			 "(tags: %s)",
			 dir, json_array_size(m), tags);
		return NULL;
	}
	json_array_foreach(m, i, d)
	{
		const char *t = desc_tag(d);
		/* containerd and docker save also write "name:tag" */
		const char *colon = strrchr(t, ':');
		if (!strcmp(t, tag) || (colon && !strcmp(colon + 1, tag)))
			return d;
	}
	box_fail(err, BOX_ENOENT, 0, "%s: no image tagged '%s'", dir, tag);
	return NULL;
}

/* A multi-platform index: the entry for linux on this machine. */
static json_t *pick_platform(json_t *index, struct box_err *err)
{
	const char *arch = oci_host_arch();
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(index, "manifests"), i, d)
	{
		json_t *p = json_object_get(d, "platform");
		const char *os = json_string_value(json_object_get(p, "os"));
		const char *a = json_string_value(
			json_object_get(p, "architecture"));
		if ((!os || !strcmp(os, "linux")) && a && !strcmp(a, arch))
			return d;
	}
	box_fail(err, BOX_ENOENT, 0, "no image for linux/%s in the index",
		 arch);
	return NULL;
}

static void take_strv(char ***dst, json_t *cfg, const char *key)
{
	json_t *v = json_object_get(cfg, key);
	if (json_is_array(v)) {
		strv_free(*dst);
		*dst = strv_from_json(v);
	}
}

int oci_layer(struct import_job *job, int blob, const char *diff,
	      size_t i, uint64_t blob_size, bool blob_checked,
	      struct box_err *err)
{
	if (istore_layer_exists(job->ctx, diff) && !blob_checked) {
		/* Nothing vouched for this blob yet (docker save has no blob
		 * digests): its stream must still hash to the diff_id it
		 * claims, or another layer's name could be borrowed. */
		char got[72];
		if (job_hash_fd(job, blob, got, err) < 0)
			return box_err_wrap(err, "layer %zu", i + 1);
		if (strcmp(got, diff))
			return box_fail(err, BOX_EINVAL, 0,
					"layer %zu: digest mismatch: uncompressed "
					"%.19s... but the config's diff_id is "
					"%.19s...",
					i + 1, got, diff);
		blob_checked = true;
		job->done -= blob_size; /* counted again below */
	}
	if (istore_layer_exists(job->ctx, diff)) {
		/* shared with an image already here: not unpacked again */
		char lp[PATH_MAX];
		istore_layer_path(job->ctx, diff, lp, sizeof lp, NULL);
		job->done += blob_size;
		job_progress(job);
		return img_meta_add_layer(&job->meta, diff, layer_du(lp), err);
	}
	char tmp[PATH_MAX], got[72];
	int64_t size;
	if (job_tmp(job, false, tmp, err) < 0 ||
	    job_unpack_fd(job, blob, tmp, LAYER_OCI_WHITEOUTS, got, &size,
			    err) < 0)
		return box_err_wrap(err, "layer %zu", i + 1);
	if (strcmp(got, diff))
		return box_fail(err, BOX_EINVAL, 0,
				"layer %zu: digest mismatch: uncompressed "
				"%.19s... but the config's diff_id is %.19s...",
				i + 1, got, diff);
	return job_add_layer(job, tmp, diff, size, err);
}

int oci_config(struct import_job *job, json_t *config, struct box_err *err)
{
	const char *os = json_string_value(json_object_get(config, "os"));
	const char *arch = json_string_value(
		json_object_get(config, "architecture"));
	if (os && strcmp(os, "linux"))
		return box_fail(err, BOX_EINVAL, 0,
				"image is for %s, not linux", os);
	struct img_meta *m = &job->meta;
	if (arch)
		snprintf(m->arch, sizeof m->arch, "%s", arch);
	json_t *cfg = json_object_get(config, "config");
	take_strv(&m->cmd, cfg, "Cmd");
	take_strv(&m->entrypoint, cfg, "Entrypoint");
	take_strv(&m->env, cfg, "Env");
	const char *wd = json_string_value(json_object_get(cfg, "WorkingDir"));
	if (wd && *wd)
		snprintf(m->workdir, sizeof m->workdir, "%s", wd);
	const char *created = json_string_value(json_object_get(config,
								 "created"));
	time_t ct = created ? util_parse_iso8601(created) : 0;
	if (ct)
		m->created = ct;
	return 0;
}

static int import_layers(struct import_job *job, int dirfd, json_t *layers,
			 json_t *diff_ids, struct box_err *err)
{
	size_t n = json_array_size(layers);
	job->total = 0;
	for (size_t i = 0; i < n; i++)
		job->total += (uint64_t)json_integer_value(
			json_object_get(json_array_get(layers, i), "size"));
	for (size_t i = 0; i < n; i++) {
		json_t *desc = json_array_get(layers, i);
		const char *mt = json_string_value(
			json_object_get(desc, "mediaType"));
		const char *diff = json_string_value(
			json_array_get(diff_ids, i));
		if (!diff || !digest_valid(diff))
			return box_fail(err, BOX_EINVAL, 0,
					"malformed image config: diff_id %zu",
					i + 1);
		if (mt && !strstr(mt, "tar"))
			return box_fail(err, BOX_EINVAL, 0,
					"layer %zu: unsupported media type %s",
					i + 1, mt);
		snprintf(job->what, sizeof job->what, "layer %zu/%zu", i + 1,
			 n);
		/* The blob is checked even when its layer is already here:
		 * a corrupt source is refused, not half-trusted. */
		auto_fd blob = open_blob(dirfd, desc, err);
		if (blob < 0)
			return box_err_wrap(err, "layer %zu", i + 1);
		if (oci_layer(job, blob, diff, i,
			      (uint64_t)json_integer_value(
				      json_object_get(desc, "size")),
			      true, err) < 0)
			return -1;
	}
	return 0;
}

int oci_import(struct import_job *job, const char *dir, const char *tag,
	       struct box_err *err)
{
	auto_fd dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return box_fail(err, BOX_ESYS, errno, "open %s", dir);
	json_t *index = layout_json(dirfd, "index.json", err);
	json_t *nested = NULL, *manifest = NULL, *config = NULL;
	int rc = -1;
	if (!index)
		goto out;
	if (!json_is_object(index)) {
		box_fail(err, BOX_EINVAL, 0,
			 "malformed index.json: not an object");
		goto out;
	}
	json_t *desc = pick_by_tag(index, job->label ? job->label : dir, tag,
				   err);
	if (!desc)
		goto out;
	if (is_index_type(json_string_value(json_object_get(desc,
							    "mediaType")))) {
		nested = load_blob(dirfd, desc, "image index", err);
		if (!nested || !(desc = pick_platform(nested, err)))
			goto out;
	}
	manifest = load_blob(dirfd, desc, "manifest", err);
	if (!manifest)
		goto out;
	json_t *cdesc = json_object_get(manifest, "config");
	json_t *layers = json_object_get(manifest, "layers");
	if (json_integer_value(json_object_get(manifest, "schemaVersion")) != 2 ||
	    !json_is_object(cdesc) || !json_is_array(layers) ||
	    !json_array_size(layers)) {
		box_fail(err, BOX_EINVAL, 0,
			 "malformed manifest: want schemaVersion 2, a config "
			 "and at least one layer");
		goto out;
	}
	config = load_blob(dirfd, cdesc, "image config", err);
	if (!config)
		goto out;
	json_t *diff_ids = json_object_get(json_object_get(config, "rootfs"),
					   "diff_ids");
	if (!json_is_array(diff_ids) ||
	    json_array_size(diff_ids) != json_array_size(layers)) {
		box_fail(err, BOX_EINVAL, 0,
			 "malformed image config: %zu diff_ids for %zu layers",
			 json_array_size(diff_ids), json_array_size(layers));
		goto out;
	}
	if (oci_config(job, config, err) < 0)
		goto out;
	struct img_meta *m = &job->meta;
	if (!m->description) {
		const char *t = desc_tag(desc);
		json_t *ann = json_object_get(manifest, "annotations");
		const char *d = json_string_value(json_object_get(
			ann, "org.opencontainers.image.description"));
		if (d || *t)
			m->description = strdup(d ? d : t);
	}
	rc = import_layers(job, dirfd, layers, diff_ids, err);
out:
	json_decref(index);
	json_decref(nested);
	json_decref(manifest);
	json_decref(config);
	return rc;
}
