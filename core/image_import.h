/* image_import.h - one import (or commit) as a transaction: layers are built
 * in temporary directories, and only when every one is ready are they
 * renamed into place and the image.json written, under the store lock.
 * Any failure before that removes the temporary directories: nothing is
 * half-imported. */
#ifndef BOX_IMAGE_IMPORT_H
#define BOX_IMAGE_IMPORT_H

#include "image_layer.h"
#include "image_store.h"

struct built_layer {
	char digest[72];
	char tmp[PATH_MAX];
};

struct import_job {
	struct box_ctx *ctx;
	struct img_meta meta;
	struct built_layer *built;
	size_t n_built;
	char **scratch;         /* other tmp dirs to remove at the end */
	size_t n_scratch;
	box_progress_fn progress;
	void *arg;
	uint64_t done, total;   /* bytes of input, for progress */
	char what[128];
	const void *cur;        /* the zpipe being read, for progress */
	const struct layer_stats *cur_copy; /* the tree being copied, same */
	const char *label;      /* the source as the user named it, for
	                         * messages (not a temporary path) */
	uint64_t cur_base;
};

void job_init(struct import_job *job, struct box_ctx *ctx, const char *name);
/* Remove every temporary directory and free the job. */
void job_free(struct import_job *job);
/* A fresh temporary directory under layers/; scratch ones are removed at
 * job_free, layer ones become layers at job_commit. */
int job_tmp(struct import_job *job, bool scratch, char out[PATH_MAX],
	    struct box_err *err);
/* Unpack the (maybe compressed) tar file open on fd (read from its start;
 * the fd stays the caller's) into the new layer tmp dir; digest gets the
 * sha256 of the uncompressed stream (the OCI diff_id). */
int job_unpack_fd(struct import_job *job, int fd, const char *tmp,
		  unsigned flags, char digest[72], int64_t *size,
		  struct box_err *err);
/* sha256 of the (maybe compressed) file's uncompressed stream. */
int job_hash_fd(struct import_job *job, int fd, char digest[72],
		struct box_err *err);
/* The tmp dir holds the layer digest; add it on top of the image. */
int job_add_layer(struct import_job *job, const char *tmp,
		  const char *digest, int64_t size, struct box_err *err);
/* Install the layers and write image.json (refused if the name was taken
 * meanwhile). */
int job_commit(struct import_job *job, struct box_err *err);
void job_progress(struct import_job *job);

/* The OCI image layout in dir (tag: NULL for its only image). */
int oci_import(struct import_job *job, const char *dir, const char *tag,
	       struct box_err *err);
/* One layer blob (open on blob, the caller's) whose uncompressed stream
 * must hash to diff (its name in the store); skipped when the store
 * already has it. */
int oci_layer(struct import_job *job, int blob, const char *diff,
	      size_t i, uint64_t blob_size, bool blob_checked,
	      struct box_err *err);
/* An image config's os/architecture/Cmd/Entrypoint/Env/WorkingDir/created
 * into job->meta. */
int oci_config(struct import_job *job, json_t *config, struct box_err *err);
/* The older `docker save` format (manifest.json, <id>/layer.tar). */
bool docker_is_save(const char *dir);
int docker_import(struct import_job *job, const char *dir, const char *tag,
		  struct box_err *err);
/* The files of a layout directory (image_layout.c): rel opened beneath
 * dirfd (openat2 RESOLVE_BENEATH, no magic links: a symlink out of the
 * layout is refused), a regular file only, O_CLOEXEC.  -1 with err. */
int layout_open(int dirfd, const char *rel, struct box_err *err);
/* The JSON document in the regular file fd (read from its start, at most
 * 4 MiB); what names it in errors. */
json_t *layout_json_fd(int fd, const char *what, struct box_err *err);
json_t *layout_json(int dirfd, const char *rel, struct box_err *err);
/* An OCI image layout: oci-layout and index.json there (of any type). */
bool oci_is_layout(const char *dir);
/* "amd64", "arm64", ... for this machine, as OCI names it. */
const char *oci_host_arch(void);

#endif
