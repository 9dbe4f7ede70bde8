/* image_import.c - `image import NAME SOURCE`: which kind of source it is,
 * and the transaction that makes the image appear whole or not at all. */
#include "image_import.h"
#include "image_pipe.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_PATH \
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

void job_init(struct import_job *job, struct box_ctx *ctx, const char *name)
{
	memset(job, 0, sizeof *job);
	job->ctx = ctx;
	snprintf(job->meta.name, sizeof job->meta.name, "%s", name);
	job->meta.created = time(NULL);
	snprintf(job->meta.os, sizeof job->meta.os, "linux");
	snprintf(job->meta.arch, sizeof job->meta.arch, "%s",
		 oci_host_arch());
	snprintf(job->meta.workdir, sizeof job->meta.workdir, "/");
}

void job_free(struct import_job *job)
{
	for (size_t i = 0; i < job->n_built; i++)
		if (job->built[i].tmp[0])
			util_rm_rf(job->built[i].tmp, NULL);
	for (size_t i = 0; i < job->n_scratch; i++) {
		util_rm_rf(job->scratch[i], NULL);
		free(job->scratch[i]);
	}
	free(job->built);
	free(job->scratch);
	img_meta_free(&job->meta);
	memset(job, 0, sizeof *job);
}

int job_tmp(struct import_job *job, bool scratch, char out[PATH_MAX],
	    struct box_err *err)
{
	if (istore_tmp_dir(job->ctx, out, err) < 0)
		return -1;
	if (scratch) {
		char **ns = realloc(job->scratch,
				    (job->n_scratch + 1) * sizeof *ns);
		if (!ns || !(ns[job->n_scratch] = strdup(out))) {
			if (ns)
				job->scratch = ns;
			util_rm_rf(out, NULL);
			return box_fail(err, BOX_ESYS, ENOMEM, "import");
		}
		job->scratch = ns;
		job->n_scratch++;
		return 0;
	}
	struct built_layer *nb = realloc(job->built,
					 (job->n_built + 1) * sizeof *nb);
	if (!nb) {
		util_rm_rf(out, NULL);
		return box_fail(err, BOX_ESYS, ENOMEM, "import");
	}
	job->built = nb;
	memset(&nb[job->n_built], 0, sizeof *nb);
	snprintf(nb[job->n_built].tmp, PATH_MAX, "%s", out);
	job->n_built++;
	return 0;
}

void job_progress(struct import_job *job)
{
	if (!job->progress)
		return;
	uint64_t done = job->done;
	if (job->cur)
		done = job->cur_base + (uint64_t)zpipe_pos(job->cur);
	else if (job->cur_copy)
		done = job->cur_base + job->cur_copy->bytes;
	if (job->total && done > job->total)
		done = job->total;
	job->progress(job->arg, (size_t)done, (size_t)job->total, job->what);
}

static void tick(void *arg)
{
	job_progress(arg);
}

/* A pipe reading fd from its start: on a copy of fd, which zpipe_close
 * closes (the caller keeps its own). */
static int open_zpipe(int fd, struct zpipe *z, struct box_err *err)
{
	int own = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (own < 0)
		return box_fail(err, BOX_ESYS, errno, "dup");
	return zpipe_open_fd(own, "archive", z, err);
}

/* Progress: the whole file is done. */
static void job_done_file(struct import_job *job, int fd)
{
	struct stat st;
	if (fstat(fd, &st) == 0)
		job->done = job->cur_base + (uint64_t)st.st_size;
}

int job_unpack_fd(struct import_job *job, int fd, const char *tmp,
		  unsigned flags, char digest[72], int64_t *size,
		  struct box_err *err)
{
	struct zpipe z;
	if (open_zpipe(fd, &z, err) < 0)
		return -1;
	struct tar_reader r;
	if (tar_reader_init(&r, z.fd, err) < 0) {
		zpipe_close(&z, false, NULL);
		return -1;
	}
	struct layer_stats st = {.tick = tick, .tick_arg = job};
	job->cur = &z;
	job->cur_base = job->done;
	int rc = layer_unpack(&r, tmp, flags, &st, err);
	if (rc == 0)
		rc = tar_finish(&r, digest, err);
	job->cur = NULL;
	job_done_file(job, fd);
	tar_reader_free(&r);
	if (rc < 0) {
		/* the codec's view of a broken stream is the better error
		 * when the tar reader only saw it end early */
		struct box_err zerr = {0};
		if (zpipe_close(&z, true, &zerr) < 0 && z.tool &&
		    strstr(err->msg, "truncated"))
			*err = zerr;
		return -1;
	}
	if (zpipe_close(&z, true, err) < 0)
		return -1;
	if (size)
		*size = (int64_t)st.bytes;
	job_progress(job);
	return 0;
}

int job_hash_fd(struct import_job *job, int fd, char digest[72],
		struct box_err *err)
{
	struct zpipe z;
	if (open_zpipe(fd, &z, err) < 0)
		return -1;
	struct tar_reader r; /* used only for its hashing reader */
	if (tar_reader_init(&r, z.fd, err) < 0) {
		zpipe_close(&z, false, NULL);
		return -1;
	}
	job->cur = &z;
	job->cur_base = job->done;
	int rc = tar_finish(&r, digest, err);
	job->cur = NULL;
	tar_reader_free(&r);
	if (zpipe_close(&z, rc == 0, rc == 0 ? err : NULL) < 0)
		rc = -1;
	job_done_file(job, fd);
	return rc;
}

int job_add_layer(struct import_job *job, const char *tmp,
		  const char *digest, int64_t size, struct box_err *err)
{
	for (size_t i = 0; i < job->n_built; i++)
		if (!strcmp(job->built[i].tmp, tmp))
			snprintf(job->built[i].digest, sizeof job->built->digest,
				 "%s", digest);
	return img_meta_add_layer(&job->meta, digest, size, err);
}

/* Overlay takes its layer list as one mount option, at most a page with
 * the upper and work dirs: refuse at import, not at every start. */
#define LOWERDIR_BUDGET 3500

int job_commit(struct import_job *job, struct box_err *err)
{
	size_t need = job->meta.n_layers *
		      (strlen(job->ctx->root) + sizeof "/layers/" + 64 + 1);
	if (need > LOWERDIR_BUDGET)
		return box_fail(err, BOX_EINVAL, 0,
				"%zu layers are more than one overlay mount "
				"takes under %s (flatten it: image export, "
				"then import the tarball)",
				job->meta.n_layers, job->ctx->root);
	auto_fd lock = istore_lock(job->ctx, true, err);
	if (lock < 0)
		return -1;
	/* what killed imports left behind goes first */
	istore_gc(job->ctx, NULL);
	if (istore_exists(job->ctx, job->meta.name))
		return box_fail(err, BOX_EEXIST, 0, "image already exists");
	int rc = 0;
	for (size_t i = 0; i < job->n_built && !rc; i++) {
		struct built_layer *b = &job->built[i];
		if (!b->digest[0])
			continue; /* built but not used: job_free drops it */
		rc = istore_install_layer(job->ctx, b->tmp, b->digest, err);
		if (!rc)
			b->tmp[0] = '\0';
	}
	if (!rc)
		rc = istore_save(job->ctx, &job->meta, err);
	if (rc) {
		/* layers just renamed into place that no image names go */
		istore_gc(job->ctx, NULL);
		return -1;
	}
	return 0;
}

/* ---- sources ------------------------------------------------------------- */

/* A rootfs has no recorded defaults: a shell, the usual PATH, and the
 * distribution's name (from its os-release) as description. */
static int rootfs_defaults(struct import_job *job, const char *layer,
			   struct box_err *err)
{
	struct img_meta *m = &job->meta;
	char *sh[] = {"/bin/sh", NULL}, *env[] = {DEFAULT_PATH, NULL};
	m->cmd = strv_dup(sh);
	m->env = strv_dup(env);
	if (!m->cmd || !m->env)
		return box_fail(err, BOX_ESYS, ENOMEM, "import");
	if (m->description)
		return 0;
	auto_fd rootfd = open(layer, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	auto_fd fd = rootfd < 0 ? -1
				: layer_open_in(rootfd, "etc/os-release");
	if (fd < 0)
		fd = rootfd < 0 ? -1
				: layer_open_in(rootfd, "usr/lib/os-release");
	char buf[4096];
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *p = strstr(buf, "PRETTY_NAME=");
	if (p && (p == buf || p[-1] == '\n')) {
		p += 12;
		if (*p == '"')
			p++;
		p[strcspn(p, "\"\n")] = '\0';
		m->description = strdup(p);
	}
	return 0;
}

static int import_dir(struct import_job *job, const char *src,
		      struct box_err *err)
{
	char tmp[PATH_MAX], digest[72];
	if (job_tmp(job, false, tmp, err) < 0)
		return -1;
	struct layer_stats st = {.tick = tick, .tick_arg = job};
	/* the total first (a walk of the metadata only), so that progress
	 * can say how far along the copy is */
	job->total = layer_tree_bytes(src);
	job->cur_base = job->done = 0;
	snprintf(job->what, sizeof job->what, "copying %.100s", src);
	job->cur_copy = &st;
	int rc = layer_copy_tree(src, tmp, 0, digest, &st, err);
	job->cur_copy = NULL;
	if (rc < 0)
		return -1;
	job->done = st.bytes;
	job_progress(job);
	return job_add_layer(job, tmp, digest, (int64_t)st.bytes, err) < 0 ||
			       rootfs_defaults(job, tmp, err) < 0
		       ? -1
		       : 0;
}

/* A tar file: a rootfs tarball, or an OCI layout packed as a tar. */
static int import_archive(struct import_job *job, const char *file,
			  const char *tag, struct box_err *err)
{
	char tmp[PATH_MAX], digest[72];
	int64_t size = 0;
	struct stat st;
	auto_fd fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return box_fail(err, BOX_ESYS, errno, "open %s", file);
	if (fstat(fd, &st) == 0)
		job->total = (uint64_t)st.st_size;
	snprintf(job->what, sizeof job->what, "unpacking %.100s", file);
	if (job_tmp(job, false, tmp, err) < 0 ||
	    job_unpack_fd(job, fd, tmp, 0, digest, &size, err) < 0)
		return -1;
	if (oci_is_layout(tmp) || docker_is_save(tmp)) {
		/* It was a layout, not a root: it is only scratch now. */
		char **ns = realloc(job->scratch,
				    (job->n_scratch + 1) * sizeof *ns);
		if (ns)
			job->scratch = ns;
		char *copy = ns ? strdup(tmp) : NULL;
		if (!copy)
			return box_fail(err, BOX_ESYS, ENOMEM, "import");
		ns[job->n_scratch++] = copy;
		job->built[job->n_built - 1].tmp[0] = '\0';
		job->done = job->total = 0;
		return oci_is_layout(tmp) ? oci_import(job, tmp, tag, err)
					  : docker_import(job, tmp, tag, err);
	}
	if (tag)
		return box_fail(err, BOX_EINVAL, 0,
				"%s: not an OCI image layout, so no tag '%s' "
				"to choose",
				file, tag);
	return job_add_layer(job, tmp, digest, size, err) < 0 ||
			       rootfs_defaults(job, tmp, err) < 0
		       ? -1
		       : 0;
}

/* Standard input into a scratch file (`docker export C | boxtop image
 * import NAME -`). */
static int save_stdin(struct import_job *job, char path[PATH_MAX],
		      struct box_err *err)
{
	char dir[PATH_MAX];
	if (job_tmp(job, true, dir, err) < 0 ||
	    util_path(path, PATH_MAX, err, "%s/stdin", dir) < 0)
		return -1;
	auto_fd fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return box_fail(err, BOX_ESYS, errno, "create %s", path);
	char buf[65536];
	snprintf(job->what, sizeof job->what, "reading standard input");
	for (;;) {
		ssize_t n = read(0, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return box_fail(err, BOX_ESYS, errno,
					"read standard input");
		if (n == 0)
			return 0;
		if (util_write_all(fd, buf, (size_t)n) < 0)
			return box_fail(err, BOX_ESYS, errno, "write %s", path);
		job->done += (uint64_t)n;
		job_progress(job);
	}
}

/* SOURCE or SOURCE:TAG, the longest existing path winning (a directory
 * may have a colon in its name). */
static int split_source(const char *source, char *path, size_t len,
			const char **tag, struct box_err *err)
{
	struct stat st;
	*tag = NULL;
	if (util_path(path, len, err, "%s", source) < 0)
		return -1;
	if (stat(path, &st) == 0)
		return 0;
	char *colon = strrchr(path, ':');
	if (colon && colon > path && colon[1] && !strchr(colon, '/')) {
		*colon = '\0';
		if (stat(path, &st) == 0) {
			*tag = source + (colon - path) + 1;
			return 0;
		}
	}
	return box_fail(err, BOX_ENOENT, 0, "source '%s': no such file or "
					    "directory",
			source);
}

int box_image_import(struct box_ctx *ctx, const char *name,
		     const char *source, const char *description,
		     box_progress_fn progress, void *arg,
		     struct box_err *err)
{
	if (box_check_name(name, err) < 0)
		return box_err_wrap(err, "image import");
	istore_sweep(ctx); /* what killed imports and commits left */
	if (istore_exists(ctx, name) || !strcmp(name, BOX_DEFAULT_IMAGE))
		return box_fail(err, BOX_EEXIST, 0,
				"image import %s: image already exists", name);
	char path[PATH_MAX];
	const char *tag = NULL;
	bool from_stdin = !strcmp(source, "-") || !strncmp(source, "-:", 2);
	if (!from_stdin &&
	    split_source(source, path, sizeof path, &tag, err) < 0)
		return box_err_wrap(err, "image import %s", name);
	struct import_job job;
	job_init(&job, ctx, name);
	job.progress = progress;
	job.arg = arg;
	job.meta.source = strdup(from_stdin ? "(standard input)" : source);
	job.label = from_stdin ? "standard input" : path;
	if (description)
		job.meta.description = strdup(description);
	struct stat st;
	int rc = 0;
	if (from_stdin) {
		/* a pipe cannot be sniffed or read twice: keep it first */
		tag = source[1] == ':' && source[2] ? source + 2 : NULL;
		rc = save_stdin(&job, path, err);
	}
	if (rc < 0)
		;
	else if (stat(path, &st) < 0)
		rc = box_fail(err, BOX_ESYS, errno, "stat %s", path);
	else if (S_ISDIR(st.st_mode) && oci_is_layout(path))
		rc = oci_import(&job, path, tag, err);
	else if (S_ISDIR(st.st_mode) && docker_is_save(path))
		rc = docker_import(&job, path, tag, err);
	else if (S_ISDIR(st.st_mode) && tag)
		rc = box_fail(err, BOX_EINVAL, 0,
			      "%s: not an OCI image layout (no oci-layout and "
			      "index.json), so no tag '%s' to choose",
			      path, tag);
	else if (S_ISDIR(st.st_mode))
		rc = import_dir(&job, path, err);
	else if (S_ISREG(st.st_mode) && zpipe_is_archive(path))
		rc = import_archive(&job, path, tag, err);
	else
		rc = box_fail(err, BOX_EINVAL, 0,
			      "%s: neither a directory nor a tar archive", path);
	if (rc == 0 && description) {
		free(job.meta.description);
		job.meta.description = strdup(description);
	}
	if (rc == 0)
		rc = job_commit(&job, err);
	job_free(&job);
	if (rc < 0)
		box_err_wrap(err, "image import %s", name);
	return rc;
}
