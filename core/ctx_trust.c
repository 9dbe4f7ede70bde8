/* ctx_trust.c - a root boxtop may trust.
 *
 * What lies under a root is run as host root: a container's config.json
 * names capabilities and host bind mounts, its layers hold set-uid files.
 * So a root that another user can write (or whose path another user can
 * swap) lets that user plant a container that root's next `start` runs,
 * and one that others may traverse hands them the layers' set-uid files
 * (as /var/lib/docker keeps its layers 0700).  Every directory of the root
 * must be ours and private; a directory that is ours but open to others
 * (an older boxtop made them 0711) is closed, not refused. */
#include "ctx.h"
#include "util.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

int ctx_check_private_dir(const char *path, const char *what,
			  struct box_err *err)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 1 : box_fail(err, BOX_ESYS, errno, "%s %s", what, path);
	if (!S_ISDIR(st.st_mode))
		return box_fail(err, BOX_EINVAL, 0, "%s %s: not a directory", what, path);
	if (st.st_uid != geteuid())
		return box_fail(err, BOX_EINVAL, 0,
				"%s %s: owned by uid %u, not by uid %u who runs boxtop: refused",
				what, path, (unsigned)st.st_uid, (unsigned)geteuid());
	if (st.st_mode & 022)
		return box_fail(err, BOX_EINVAL, 0,
				"%s %s: writable by other users (mode %03o): refused; chmod go-w it if you trust its content",
				what, path, (unsigned)(st.st_mode & 07777));
	if ((st.st_mode & 077) && chmod(path, st.st_mode & 07700) < 0)
		return box_fail(err, BOX_ESYS, errno, "%s %s: chmod 0700", what, path);
	return 0;
}

/* Each directory above the root: another user must not be able to rename
 * or replace the way to it (owned by root or us, not writable by others
 * unless sticky, as /tmp). */
int ctx_check_root_path(const char *root, struct box_err *err)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s", root);
	for (char *slash = strrchr(path, '/'); slash; slash = strrchr(path, '/')) {
		*(slash == path ? slash + 1 : slash) = '\0';
		struct stat st;
		if (stat(path, &st) < 0) {
			if (errno == ENOENT)
				goto next;
			return box_fail(err, BOX_ESYS, errno, "root %s: %s", root, path);
		}
		if (st.st_uid != 0 && st.st_uid != geteuid())
			return box_fail(err, BOX_EINVAL, 0,
					"root %s: its parent %s is owned by uid %u: refused",
					root, path, (unsigned)st.st_uid);
		if ((st.st_mode & 022) && !(st.st_mode & S_ISVTX))
			return box_fail(err, BOX_EINVAL, 0,
					"root %s: its parent %s is writable by other users (mode %03o): refused",
					root, path, (unsigned)(st.st_mode & 07777));
next:
		if (slash == path)
			break;
	}
	return 0;
}

int ctx_check_root(const struct box_ctx *ctx, const char *const subdirs[],
		   size_t n, struct box_err *err)
{
	int r = ctx_check_private_dir(ctx->root, "root", err);
	if (r != 0) /* an absent root holds nothing to trust */
		return r < 0 ? -1 : 0;
	for (size_t i = 0; i < n; i++) {
		char dir[PATH_MAX];
		if (ctx_path(ctx, dir, sizeof dir, err, "%s", subdirs[i]) < 0 ||
		    ctx_check_private_dir(dir, "root directory", err) < 0)
			return -1;
	}
	return 0;
}
