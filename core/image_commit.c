/* image_commit.c - `commit CONTAINER IMAGE`: the container's writable
 * overlay layer, copied as it is (whiteouts and opaque directories
 * included), goes on top of its image's layers as a new image. */
#include "container.h"
#include "image.h"
#include "image_import.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int box_commit(struct box_ctx *ctx, const char *container, const char *image,
	       const char *description, struct box_err *err)
{
	if (box_check_name(image, err) < 0)
		return box_err_wrap(err, "commit");
	istore_sweep(ctx); /* what killed imports and commits left */
	if (istore_exists(ctx, image) || !strcmp(image, BOX_DEFAULT_IMAGE))
		return box_fail(err, BOX_EEXIST, 0,
				"commit %s: image '%s' already exists",
				container, image);
	struct box_info info;
	if (box_info_get(ctx, container, &info, err) < 0)
		return box_err_wrap(err, "commit");
	/* Its layer's files belong to its mapped ids (--userns auto): in an
	 * image they would be nobody's.  Shifting them back while copying is
	 * not done (yet): refused rather than a wrong image. */
	if (info.userns)
		return box_fail(err, BOX_EINVAL, 0,
				"commit %s: it has a user namespace (--userns auto): "
				"its layer's files are owned by host ids %u and up; "
				"commit does not map them back",
				container, info.uid_base);
	char base_name[256], upper[PATH_MAX];
	if (istore_container_image(ctx, container, base_name,
				   sizeof base_name, err) < 0 ||
	    ctx_path(ctx, upper, sizeof upper, err, "containers/%s/upper",
		     container) < 0)
		return box_err_wrap(err, "commit %s", container);
	if (access(upper, F_OK) < 0 && errno == ENOENT)
		return box_fail(err, BOX_EINVAL, 0,
				"commit %s: it has a read-only root (--read-only): "
				"no layer of its own to commit",
				container);
	struct img_meta base;
	if (istore_load(ctx, base_name, &base, err) < 0)
		return box_err_wrap(err, "commit %s", container);

	struct import_job job;
	job_init(&job, ctx, image);
	struct img_meta *m = &job.meta;
	/* the new image keeps the base's defaults and layers */
	m->cmd = strv_dup(base.cmd);
	m->entrypoint = strv_dup(base.entrypoint);
	m->env = strv_dup(base.env);
	snprintf(m->workdir, sizeof m->workdir, "%s", base.workdir);
	snprintf(m->arch, sizeof m->arch, "%s", base.arch);
	char src[300];
	snprintf(src, sizeof src, "commit of %s (from %s)", container,
		 base_name);
	m->source = strdup(src);
	m->description = strdup(description ? description : src);
	int rc = 0;
	for (size_t i = 0; i < base.n_layers && !rc; i++)
		rc = img_meta_add_layer(m, base.layers[i].digest,
					base.layers[i].size, err);
	img_meta_free(&base);

	char tmp[PATH_MAX], digest[72];
	struct layer_stats st = {0};
	bool frozen = false;
	if (!rc)
		rc = job_tmp(&job, false, tmp, err);
	if (!rc && info.status == BOX_RUNNING) {
		/* A consistent copy: nothing writes while it is taken.
		 * Killed meanwhile, we leave it to be thawed by whoever
		 * sees it next (container.c). */
		rc = ct_freeze_hold(ctx, container, err);
		frozen = rc == 0;
		util_crash_point("commit-frozen");
	}
	if (!rc)
		rc = layer_copy_tree(upper, tmp, LAYER_OVERLAY_UPPER, digest,
				     &st, err);
	util_crash_point("commit-copied");
	if (frozen) {
		struct box_err terr = {0};
		if (ct_freeze_release(ctx, container, &terr) < 0 && !rc) {
			*err = terr;
			rc = -1;
		}
	}
	if (!rc)
		rc = job_add_layer(&job, tmp, digest, (int64_t)st.bytes, err);
	if (!rc)
		rc = job_commit(&job, err);
	job_free(&job);
	return rc < 0 ? box_err_wrap(err, "commit %s", container) : 0;
}
