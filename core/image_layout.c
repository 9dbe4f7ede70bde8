/* image_layout.c - opening the files of an image layout (an OCI layout or a
 * `docker save` directory) without ever leaving it.
 *
 * A layout given as a tar is unpacked into a scratch directory with its
 * symlinks kept, as layers are: its index.json, manifest.json or a blob may
 * then be a symlink to /root/secret or /etc/shadow.  Opened by path, such a
 * member made the import read a host file and quote it in its error.  So
 * every name is resolved from the layout directory's fd with openat2
 * RESOLVE_BENEATH (no absolute symlink, no "..", nothing above the
 * directory) and RESOLVE_NO_MAGICLINKS (no /proc/self/fd/N), and must be a
 * regular file: a FIFO (layouts may hold them too) would block the open or
 * the read forever, a device would read a host device. */
#include "image_import.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/openat2.h>

/* index.json, a manifest, a config: a few kB, and read whole into memory,
 * so bounded. */
#define MAX_LAYOUT_JSON (4 * 1024 * 1024)

/* O_NONBLOCK: opening a FIFO for reading would wait for a writer; a
 * regular file does not care. */
#define LAYOUT_OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)

/* Where openat2 is missing (before Linux 5.6, or under valgrind 3.19):
 * component by component, no symlink followed at all, which is stricter.
 * rel is relative and holds no ".." (callers clean it). */
static int open_no_symlinks(int dirfd, const char *rel)
{
	if (rel[0] == '/' || strstr(rel, "..")) {
		errno = EXDEV;
		return -1;
	}
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	const char *p = rel, *slash;
	while (fd >= 0 && (slash = strchr(p, '/'))) {
		char comp[NAME_MAX + 1];
		size_t len = (size_t)(slash - p);
		int nfd = -1;
		if (len <= NAME_MAX) {
			memcpy(comp, p, len);
			comp[len] = '\0';
			nfd = openat(fd, len ? comp : ".",
				     O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					     O_CLOEXEC);
		} else {
			errno = ENAMETOOLONG;
		}
		int e = errno;
		close(fd);
		errno = e;
		fd = nfd;
		p = slash + 1;
	}
	if (fd < 0)
		return -1;
	int file = openat(fd, p, LAYOUT_OPEN_FLAGS | O_NOFOLLOW);
	int e = errno;
	close(fd);
	errno = e;
	return file;
}

int layout_open(int dirfd, const char *rel, struct box_err *err)
{
	struct open_how how = {
		.flags = LAYOUT_OPEN_FLAGS,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, dirfd, rel, &how, sizeof how);
	if (fd < 0 && errno == ENOSYS)
		fd = open_no_symlinks(dirfd, rel);
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT)
			return box_fail(err, BOX_ENOENT, 0,
					"%.200s: no such file in the layout",
					rel);
		if (e == EXDEV || e == ELOOP)
			return box_fail(err, BOX_EINVAL, 0,
					"%.200s: a symlink out of the layout: "
					"refused",
					rel);
		return box_fail(err, BOX_ESYS, e, "open %.200s", rel);
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return box_fail(err, BOX_EINVAL, 0,
				"%.200s: not a regular file", rel);
	}
	return fd;
}

json_t *layout_json_fd(int fd, const char *what, struct box_err *err)
{
	struct stat st;
	if (fstat(fd, &st) < 0) {
		box_fail(err, BOX_ESYS, errno, "%s", what);
		return NULL;
	}
	if (st.st_size > MAX_LAYOUT_JSON) {
		box_fail(err, BOX_EINVAL, 0, "%s: %lld bytes: too large", what,
			 (long long)st.st_size);
		return NULL;
	}
	/* one byte more than the size says, to see it did not grow */
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = malloc(cap);
	if (!buf) {
		box_fail(err, BOX_ESYS, ENOMEM, "%s", what);
		return NULL;
	}
	for (;;) {
		ssize_t r = pread(fd, buf + n, cap - n, (off_t)n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			box_fail(err, BOX_ESYS, errno, "read %s", what);
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n == cap) {
			free(buf);
			box_fail(err, BOX_EINVAL, 0, "%s: changed while read",
				 what);
			return NULL;
		}
	}
	json_error_t je;
	json_t *j = json_loadb(buf, n, 0, &je);
	free(buf);
	if (!j)
		box_fail(err, BOX_EINVAL, 0, "malformed %s: %s", what, je.text);
	return j;
}

json_t *layout_json(int dirfd, const char *rel, struct box_err *err)
{
	auto_fd fd = layout_open(dirfd, rel, err);
	return fd < 0 ? NULL : layout_json_fd(fd, rel, err);
}

/* By the names alone, whatever they are: a layout whose index.json is a
 * symlink out or a FIFO is then refused by oci_import, with the reason,
 * rather than taken for a root filesystem. */
bool oci_is_layout(const char *dir)
{
	auto_fd dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st;
	return dirfd >= 0 &&
	       fstatat(dirfd, "oci-layout", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       fstatat(dirfd, "index.json", &st, AT_SYMLINK_NOFOLLOW) == 0;
}
