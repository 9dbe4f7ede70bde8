/* ctx.c - opening a boxtop root: directories, cgroup layout. */
#include "ctx.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <unistd.h>

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct box_ctx *open_root(const char *root, bool make,
				 struct box_err *err)
{
	if (!root || !*root)
		root = getenv("BOXTOP_ROOT");
	if (!root || !*root)
		root = BOX_DEFAULT_ROOT;
	if (root[0] != '/') {
		box_fail(err, BOX_EINVAL, 0,
			 "root '%s': must be an absolute path", root);
		return NULL;
	}
	struct box_ctx *ctx = calloc(1, sizeof *ctx);
	if (!ctx) {
		box_fail(err, BOX_ESYS, ENOMEM, "open root");
		return NULL;
	}
	if (util_path(ctx->root, sizeof ctx->root, err, "%s", root) < 0)
		goto fail;
	size_t len = strlen(ctx->root);
	while (len > 1 && ctx->root[len - 1] == '/')
		ctx->root[--len] = '\0';
	if (ctx_check_root_path(ctx->root, err) < 0)
		goto fail;
	char dir[PATH_MAX];
	static const char *const subdirs[] = {"containers", "images", "layers",
					      "networks", "profiles"};
	for (size_t i = 0; make && i < ARRAY_LEN(subdirs); i++) {
		if (ctx_path(ctx, dir, sizeof dir, err, "%s", subdirs[i]) < 0)
			goto fail;
		/* Every command opens the root: one mkdir each when it exists,
		 * the whole path only the first time. */
		if (mkdir(dir, 0700) < 0) {
			if (errno == EEXIST)
				continue;
			if (util_mkdir_p(dir, 0700, err) < 0) {
				box_err_wrap(err, "root %s", ctx->root);
				goto fail;
			}
		}
		/* Made just now.  Each container's directory apart from the
		 * others' (chattr +T): on ext4 a batch then takes its inodes
		 * from many block groups, not all beside the ones the last
		 * removal freed.  On this VM's journal-less ext4, where every
		 * allocation scans past its group's recently deleted inodes, a
		 * batch of 100 after a removal of 100 took 211 ms instead of
		 * 329.  A batch sets it too, for roots made before. */
		if (!strcmp(subdirs[i], "containers"))
			util_set_topdir(dir);
	}
	if (ctx_check_root(ctx, subdirs, ARRAY_LEN(subdirs), err) < 0)
		goto fail;
	if (!strcmp(ctx->root, BOX_DEFAULT_ROOT))
		snprintf(ctx->cg_prefix, sizeof ctx->cg_prefix, "boxtop");
	else
		snprintf(ctx->cg_prefix, sizeof ctx->cg_prefix, "boxtop-%08x",
			 fnv1a(ctx->root));
	struct statfs sf;
	const char *base = statfs("/run", &sf) == 0 && sf.f_type == TMPFS_MAGIC
				   ? "/run"
				   : "/dev/shm";
	if (util_path(ctx->run, sizeof ctx->run, err, "%s/%s", base,
		      ctx->cg_prefix) < 0)
		goto fail;
	/* A host without cgroups can still list containers; the error is kept
	 * for the operations that need one. */
	ctx->cg_ok = cg_detect(&ctx->cg, "/proc/self/mountinfo",
			       &ctx->cg_err) == 0;
	return ctx;
fail:
	free(ctx);
	return NULL;
}

struct box_ctx *box_open(const char *root, struct box_err *err)
{
	return open_root(root, true, err);
}

struct box_ctx *box_open_existing(const char *root, struct box_err *err)
{
	return open_root(root, false, err);
}

void box_close(struct box_ctx *ctx)
{
	free(ctx);
}

const char *box_root(const struct box_ctx *ctx)
{
	return ctx->root;
}

/* "<base>/<fmt...>" into buf. */
static int vjoin(const char *base, char *buf, size_t len, struct box_err *err,
		 const char *fmt, va_list ap)
{
	char rel[PATH_MAX];
	int n = vsnprintf(rel, sizeof rel, fmt, ap);
	if (n < 0 || (size_t)n >= sizeof rel)
		return box_fail(err, BOX_EINVAL, 0, "path too long");
	return util_path(buf, len, err, "%s/%s", base, rel);
}

int ctx_path(const struct box_ctx *ctx, char *buf, size_t len,
	     struct box_err *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vjoin(ctx->root, buf, len, err, fmt, ap);
	va_end(ap);
	return r;
}

int ctx_run_path(const struct box_ctx *ctx, char *buf, size_t len,
		 struct box_err *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vjoin(ctx->run, buf, len, err, fmt, ap);
	va_end(ap);
	return r;
}

int ctx_run_make(const struct box_ctx *ctx, struct box_err *err)
{
	if (mkdir(ctx->run, 0700) < 0 && errno != EEXIST)
		return box_fail(err, BOX_ESYS, errno, "runtime directory %s",
				ctx->run);
	return ctx_run_check(ctx, err);
}

int ctx_run_check(const struct box_ctx *ctx, struct box_err *err)
{
	int r = ctx_check_private_dir(ctx->run, "runtime directory", err);
	if (r > 0)
		return box_fail(err, BOX_ESYS, ENOENT, "runtime directory %s",
				ctx->run);
	return r;
}

int ctx_cgroup(const struct box_ctx *ctx, const char *name, char *buf,
	       size_t len, struct box_err *err)
{
	return util_path(buf, len, err, "%s/%s", ctx->cg_prefix, name);
}

const struct cg_layout *ctx_cg(struct box_ctx *ctx, struct box_err *err)
{
	if (!ctx->cg_ok) {
		if (err)
			*err = ctx->cg_err;
		return NULL;
	}
	return &ctx->cg;
}
