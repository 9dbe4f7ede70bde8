/* spare.c - empty container directories kept for the next create
 * (spare.h says why). */
#include "spare.h"
#include "store.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

static int pool_dir(const struct box_ctx *ctx, char *buf, size_t len,
		    struct box_err *err)
{
	return ctx_path(ctx, buf, len, err, "containers/.spare");
}

int spare_take(struct box_ctx *ctx, const char *name, struct box_err *err)
{
	char pool[PATH_MAX], dir[PATH_MAX];
	if (pool_dir(ctx, pool, sizeof pool, err) < 0 ||
	    store_dir(ctx, name, NULL, dir, sizeof dir, err) < 0)
		return -1;
	DIR *d = opendir(pool);
	if (!d)
		return 1;
	int rc = 1;
	struct dirent *de;
	while (rc == 1 && (de = readdir(d))) {
		if (de->d_name[0] == '.' ||
		    (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
			continue;
		if (renameat2(dirfd(d), de->d_name, AT_FDCWD, dir,
			      RENAME_NOREPLACE) == 0)
			rc = 0;
		else if (errno != ENOENT) /* ENOENT: another create took it */
			break; /* EEXIST: the caller's mkdir says so */
	}
	closedir(d);
	return rc;
}

/* A layer directory as a fresh one would be, apart from its mode, owner
 * and attributes (reset below): a directory of at most the size of the
 * one holding it (ext4 never shrinks a directory that grew) with the
 * same inode flags (none set through the container, like immutable). */
static bool like_fresh(int holder, const struct stat *hst, int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode) ||
	    st.st_dev != hst->st_dev || st.st_blocks > hst->st_blocks)
		return false;
	int hflags = 0, flags = 0;
	bool hok = ioctl(holder, FS_IOC_GETFLAGS, &hflags) == 0;
	bool ok = ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
	return hok == ok && hflags == flags;
}

/* Owner, mode and extended attributes as create makes them: the
 * container may have changed its / (which is upper/) and overlayfs marks
 * its directories with trusted.overlay.* attributes. */
static bool reset(int fd)
{
	if (fchown(fd, geteuid(), getegid()) < 0 || fchmod(fd, 0755) < 0)
		return false;
	char names[4096];
	ssize_t n = flistxattr(fd, names, sizeof names);
	if (n < 0)
		return errno == ENOTSUP;
	for (char *p = names; p < names + n; p += strlen(p) + 1)
		if (fremovexattr(fd, p) < 0)
			return false;
	return true;
}

/* Into the first free slot of the pool (0 to SPARE_MAX-1): 0, or -1. */
static int into_pool(const char *dir, const char *pool)
{
	for (int tries = 0; tries < 2; tries++) {
		for (int k = 0; k < SPARE_MAX; k++) {
			char to[PATH_MAX];
			if (util_path(to, sizeof to, NULL, "%s/%d", pool, k) < 0)
				return -1;
			if (renameat2(AT_FDCWD, dir, AT_FDCWD, to,
				      RENAME_NOREPLACE) == 0)
				return 0;
			if (errno != EEXIST)
				break;
		}
		if (errno != ENOENT || (mkdir(pool, 0700) < 0 && errno != EEXIST))
			return -1;
	}
	return -1;
}

/* dir, emptied but for its empty layer directories, into the pool: 0, or
 * -1 when it is not fit or the pool is full (dir is as it was). */
static int keep_as_spare(const struct box_ctx *ctx, const char *dir)
{
	char pool[PATH_MAX];
	auto_fd holder = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat hst;
	if (holder < 0 || fstat(holder, &hst) < 0 ||
	    pool_dir(ctx, pool, sizeof pool, NULL) < 0)
		return -1;
	const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	auto_fd upper = openat(holder, "upper", flags);
	auto_fd work = openat(holder, "work", flags);
	if (upper < 0 || work < 0 || !like_fresh(holder, &hst, upper) ||
	    !like_fresh(holder, &hst, work) || !reset(upper) || !reset(work))
		return -1;
	return into_pool(dir, pool);
}

int spare_retire(struct box_ctx *ctx, const char *name, struct box_err *err)
{
	char dir[PATH_MAX];
	if (store_dir(ctx, name, NULL, dir, sizeof dir, err) < 0)
		return -1;
	const char *const keep[] = {"upper", "work", NULL};
	if (util_empty_dir(dir, keep, err) < 0)
		return -1;
	util_crash_point("rm-emptied");
	if (keep_as_spare(ctx, dir) == 0)
		return 0;
	return util_rm_rf(dir, err);
}
