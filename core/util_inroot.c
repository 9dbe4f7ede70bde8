/* util_inroot.c - read a file of a container's tree as host root without
 * letting the container choose what is read: its /etc/passwd may be a
 * symlink to a host file, a magic link through its own /proc, a FIFO that
 * never gets a writer, or a device node whose open does something. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>

int util_open_in_root(int rootfd, const char *path)
{
	/* O_PATH first: nothing is opened for real until fstat says it is a
	 * regular file, and the reopen below reaches that same inode. */
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	while (*path == '/')
		path++;
	auto_fd pfd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
	struct stat st;
	if (pfd < 0 || fstat(pfd, &st) < 0)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	char self[64];
	snprintf(self, sizeof self, "/proc/self/fd/%d", pfd);
	return open(self, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
}

char *util_read_in_root(int rootfd, const char *path, size_t max, size_t *len)
{
	auto_fd fd = util_open_in_root(rootfd, path);
	if (fd < 0)
		return NULL;
	char *buf = malloc(max + 2);
	if (!buf)
		return NULL;
	size_t n = 0;
	/* one byte more than max tells a file that is too big */
	while (n < max + 1) {
		ssize_t r = read(fd, buf + n, max + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}
