/* ctx.h - what every core module knows about the boxtop root. */
#ifndef BOX_CTX_H
#define BOX_CTX_H

#include "box.h"
#include "cgroup.h"

#include <limits.h>

struct box_ctx {
	char root[PATH_MAX];
	/* Cgroups of this root live under <hierarchy>/<cg_prefix>/<name>.
	 * "boxtop" for the default root; "boxtop-<hash of root>" otherwise, so
	 * two roots (two test runs) never share a cgroup. */
	char cg_prefix[64];
	/* Runtime state (state.json, console socket, the rootfs mountpoint)
	 * lives in memory like crun's /run/crun: "/run/<cg_prefix>" when /run
	 * is a tmpfs, else "/dev/shm/<cg_prefix>".  It is lost at reboot,
	 * which is right: so is every container process.  Made on first use,
	 * removed with the root's last container. */
	char run[PATH_MAX];
	struct cg_layout cg;
	bool cg_ok;             /* layout detected */
	struct box_err cg_err;  /* why not, reported when a cgroup is needed */
};

/* "<root>/<fmt...>" into buf. */
int ctx_path(const struct box_ctx *ctx, char *buf, size_t len,
	     struct box_err *err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* "<run>/<fmt...>" into buf. */
int ctx_run_path(const struct box_ctx *ctx, char *buf, size_t len,
		 struct box_err *err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Make the run directory if needed and check it is ours: a directory
 * owned by us that nobody else may write (it may sit in /dev/shm). */
int ctx_run_make(const struct box_ctx *ctx, struct box_err *err);
/* The same check without making it. */
int ctx_run_check(const struct box_ctx *ctx, struct box_err *err);
/* dir must be ours and writable by nobody else (refused otherwise, with
 * the reason); one readable or traversable by others is made 0700.
 * what names it in errors.  1 when it does not exist. */
int ctx_check_private_dir(const char *path, const char *what,
			  struct box_err *err);
/* The directories above the root: owned by root or us, not writable by
 * others unless sticky (ctx_trust.c). */
int ctx_check_root_path(const char *root, struct box_err *err);
/* The root and its subdirs, each ctx_check_private_dir (ctx_trust.c). */
int ctx_check_root(const struct box_ctx *ctx, const char *const subdirs[],
		   size_t n, struct box_err *err);
/* The container's relative cgroup path "<cg_prefix>/<name>". */
int ctx_cgroup(const struct box_ctx *ctx, const char *name, char *buf,
	       size_t len, struct box_err *err);
/* The cgroup layout, or an error if none could be detected. */
const struct cg_layout *ctx_cg(struct box_ctx *ctx, struct box_err *err);

#endif
