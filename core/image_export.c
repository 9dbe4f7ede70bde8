/* image_export.c - `image export NAME FILE`: the image's merged root as a
 * rootfs tarball that `image import` (or any tar) takes back. */
#include "image.h"
#include "image_layer.h"
#include "image_pipe.h"
#include "image_store.h"
#include "image_view.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

struct exp {
	struct tar_writer w;
	bool raw;
	struct { dev_t dev; ino_t ino; char *path; } *links;
	size_t n_links;
	struct box_err *err;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* security.capability and user.* travel with the file. */
static int read_xattrs(int fd, struct tar_entry *e)
{
	char names[4096];
	ssize_t n = flistxattr(fd, names, sizeof names);
	for (char *nm = names; n > 0 && nm < names + n; nm += strlen(nm) + 1) {
		if (strcmp(nm, "security.capability") && strncmp(nm, "user.", 5))
			continue;
		char val[4096];
		ssize_t vl = fgetxattr(fd, nm, val, sizeof val);
		if (vl < 0)
			continue;
		struct tar_xattr *nx = realloc(e->xattrs, (e->n_xattrs + 1) *
							       sizeof *nx);
		if (!nx)
			return -1;
		e->xattrs = nx;
		nx[e->n_xattrs].name = strdup(nm);
		nx[e->n_xattrs].value = malloc((size_t)vl + 1);
		nx[e->n_xattrs].len = (size_t)vl;
		if (nx[e->n_xattrs].value)
			memcpy(nx[e->n_xattrs].value, val, (size_t)vl);
		e->n_xattrs++;
	}
	return 0;
}

static int put_file(struct exp *x, int fd, struct tar_entry *e)
{
	if (tar_write_header(&x->w, e, x->err) < 0)
		return -1;
	char buf[65536];
	uint64_t left = e->size;
	while (left) {
		ssize_t n = read(fd, buf, left < sizeof buf ? left : sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) /* shrank while we read: pad with zeros */
			memset(buf, 0, sizeof buf), n = (ssize_t)(left < sizeof buf
							      ? left
							      : sizeof buf);
		if (tar_write_data(&x->w, buf, (size_t)n, x->err) < 0)
			return -1;
		left -= (uint64_t)n;
	}
	return tar_write_pad(&x->w, e->size, x->err);
}

static int walk(struct exp *x, int dfd, const char *rel, int depth);

static int put_one(struct exp *x, int dfd, const char *name, const char *rel,
		   int depth)
{
	struct stat s;
	if (fstatat(dfd, name, &s, AT_SYMLINK_NOFOLLOW) < 0)
		return box_fail(x->err, BOX_ESYS, errno, "stat %s", rel);
	struct tar_entry e = {.path = (char *)rel, .mode = s.st_mode & 07777,
			      .uid = s.st_uid, .gid = s.st_gid,
			      .mtime = s.st_mtim.tv_sec};
	char target[PATH_MAX], dirpath[PATH_MAX];
	int rc = 0;
	if (S_ISREG(s.st_mode)) {
		if (s.st_nlink > 1) {
			for (size_t i = 0; i < x->n_links; i++)
				if (x->links[i].dev == s.st_dev &&
				    x->links[i].ino == s.st_ino) {
					e.type = '1';
					e.linkname = x->links[i].path;
					return tar_write_header(&x->w, &e,
								x->err);
				}
			void *nl = realloc(x->links, (x->n_links + 1) *
							     sizeof *x->links);
			if (!nl)
				return box_fail(x->err, BOX_ESYS, ENOMEM,
						"export");
			x->links = nl;
			x->links[x->n_links].dev = s.st_dev;
			x->links[x->n_links].ino = s.st_ino;
			x->links[x->n_links++].path = strdup(rel);
		}
		auto_fd fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return box_fail(x->err, BOX_ESYS, errno, "open %s", rel);
		e.type = '0';
		e.size = (uint64_t)s.st_size;
		read_xattrs(fd, &e);
		rc = put_file(x, fd, &e);
	} else if (S_ISDIR(s.st_mode)) {
		auto_fd fd = openat(dfd, name, O_RDONLY | O_DIRECTORY |
						       O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return box_fail(x->err, BOX_ESYS, errno, "open %s", rel);
		if (util_path(dirpath, sizeof dirpath, x->err, "%s/", rel) < 0)
			return -1;
		e.path = dirpath;
		e.type = '5';
		read_xattrs(fd, &e);
		rc = tar_write_header(&x->w, &e, x->err);
		if (!rc)
			rc = walk(x, fd, rel, depth + 1);
	} else if (S_ISLNK(s.st_mode)) {
		ssize_t n = readlinkat(dfd, name, target, sizeof target - 1);
		if (n < 0)
			return box_fail(x->err, BOX_ESYS, errno, "readlink %s",
					rel);
		target[n] = '\0';
		e.type = '2';
		e.linkname = target;
		rc = tar_write_header(&x->w, &e, x->err);
	} else if (S_ISCHR(s.st_mode) || S_ISBLK(s.st_mode)) {
		if (x->raw && S_ISCHR(s.st_mode) && s.st_rdev == 0)
			return 0; /* an overlay whiteout in a raw layer */
		e.type = S_ISCHR(s.st_mode) ? '3' : '4';
		e.devmajor = major(s.st_rdev);
		e.devminor = minor(s.st_rdev);
		rc = tar_write_header(&x->w, &e, x->err);
	} else if (S_ISFIFO(s.st_mode)) {
		e.type = '6';
		rc = tar_write_header(&x->w, &e, x->err);
	}
	for (size_t i = 0; i < e.n_xattrs; i++) {
		free(e.xattrs[i].name);
		free(e.xattrs[i].value);
	}
	free(e.xattrs);
	return rc;
}

static int walk(struct exp *x, int dfd, const char *rel, int depth)
{
	if (depth > 512)
		return box_fail(x->err, BOX_EINVAL, 0, "%s: too deep", rel);
	int fd = fcntl(dfd, F_DUPFD_CLOEXEC, 3);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return box_fail(x->err, BOX_ESYS, errno, "read dir %s", rel);
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char **nn = realloc(names, (n + 1) * sizeof *nn);
		if (!nn)
			break;
		names = nn;
		if (!(names[n] = strdup(de->d_name)))
			break;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		char sub[PATH_MAX];
		if (!rc && util_path(sub, sizeof sub, x->err, "%s%s%s", rel,
				     *rel ? "/" : "", names[i]) < 0)
			rc = -1;
		if (!rc)
			rc = put_one(x, dfd, names[i], sub, depth);
		free(names[i]);
	}
	free(names);
	return rc;
}

static int export_fn(int rootfd, bool raw, void *arg, int outfd,
		     struct box_err *err)
{
	(void)outfd;
	struct exp *x = arg;
	x->raw = raw;
	x->err = err;
	struct stat s;
	if (fstat(rootfd, &s) < 0)
		return box_fail(err, BOX_ESYS, errno, "stat root");
	struct tar_entry root = {.path = "./", .type = '5',
				 .mode = s.st_mode & 07777, .uid = s.st_uid,
				 .gid = s.st_gid, .mtime = s.st_mtim.tv_sec};
	if (tar_write_header(&x->w, &root, err) < 0 ||
	    walk(x, rootfd, "", 0) < 0)
		return -1;
	return tar_write_end(&x->w, err);
}

/* Stream the image as a plain tar to fd (standard output). */
static int export_fd(struct box_ctx *ctx, const char *lowerdir, int fd,
		     struct box_err *err)
{
	struct exp x = {.w = {.fd = fd}};
	return view_run(ctx, lowerdir, export_fn, &x, NULL, err);
}

int box_image_export(struct box_ctx *ctx, const char *name, const char *file,
		     box_progress_fn progress, void *arg, struct box_err *err)
{
	struct img_ref ref;
	istore_sweep(ctx); /* what killed imports and commits left */
	if (image_resolve(ctx, name, &ref, err) < 0)
		return box_err_wrap(err, "image export");
	if (!strcmp(file, "-")) {
		int rc = export_fd(ctx, ref.lowerdir, 1, err);
		image_ref_free(&ref);
		return rc < 0 ? box_err_wrap(err, "image export %s", name) : 0;
	}
	/* Write beside the target and rename: a failed export leaves no
	 * half-written tarball under the asked name. */
	char tmp[PATH_MAX], dcopy[PATH_MAX], bcopy[PATH_MAX];
	snprintf(dcopy, sizeof dcopy, "%s", file);
	snprintf(bcopy, sizeof bcopy, "%s", file);
	if (util_path(tmp, sizeof tmp, err, "%s/.%s.tmp-%d", dirname(dcopy),
		      basename(bcopy), (int)getpid()) < 0) {
		image_ref_free(&ref);
		return box_err_wrap(err, "image export %s", name);
	}
	struct zpipe z;
	if (zpipe_open_write(tmp, file, &z, err) < 0) {
		image_ref_free(&ref);
		return box_err_wrap(err, "image export %s", name);
	}
	if (progress)
		progress(arg, 0, 0, "exporting");
	int rc = export_fd(ctx, ref.lowerdir, z.fd, err);
	if (zpipe_close(&z, rc == 0, rc == 0 ? err : NULL) < 0)
		rc = -1;
	if (rc == 0 && rename(tmp, file) < 0)
		rc = box_fail(err, BOX_ESYS, errno, "rename to %s", file);
	if (rc < 0)
		unlink(tmp);
	image_ref_free(&ref);
	struct stat st;
	if (rc == 0 && progress && stat(file, &st) == 0)
		progress(arg, (size_t)st.st_size, (size_t)st.st_size,
			 "exported");
	return rc < 0 ? box_err_wrap(err, "image export %s", name) : 0;
}
