/* image_pipe.c - the host's compressors as filters in a pipe. */
#include "image_pipe.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

struct codec {
	const char *tool;
	const unsigned char magic[6];
	size_t mlen;
	const char *ext[2];
	const char *pkg;
};

static const struct codec codecs[] = {
	{"gzip", {0x1f, 0x8b}, 2, {".gz", ".tgz"}, "gzip"},
	{"xz", {0xfd, '7', 'z', 'X', 'Z', 0}, 6, {".xz", ".txz"}, "xz-utils"},
	{"zstd", {0x28, 0xb5, 0x2f, 0xfd}, 4, {".zst", ".tzst"}, "zstd"},
	{"bzip2", {'B', 'Z', 'h'}, 3, {".bz2", ".tbz2"}, "bzip2"},
};

static bool in_path(const char *tool)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	char buf[PATH_MAX];
	for (const char *p = path; *p;) {
		const char *e = strchr(p, ':');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len && snprintf(buf, sizeof buf, "%.*s/%s", (int)len, p,
				    tool) < (int)sizeof buf &&
		    access(buf, X_OK) == 0)
			return true;
		p += len + (e ? 1 : 0);
	}
	return false;
}

/* Run "tool -dc" (or "tool -c") with stdin/stdout given; returns the pid. */
static pid_t run_tool(const char *tool, bool decompress, int in, int out,
		      struct box_err *err)
{
	pid_t pid = fork();
	if (pid < 0) {
		box_fail(err, BOX_ESYS, errno, "fork %s", tool);
		return -1;
	}
	if (pid == 0) {
		if (dup2(in, 0) < 0 || dup2(out, 1) < 0)
			_exit(127);
		int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (devnull >= 0)
			dup2(devnull, 2);
		util_close_from(3);
		signal(SIGPIPE, SIG_DFL);
		execlp(tool, tool, decompress ? "-dc" : "-c", (char *)NULL);
		_exit(127);
	}
	return pid;
}

static const struct codec *sniff(int fd)
{
	unsigned char m[6] = {0};
	ssize_t n = pread(fd, m, sizeof m, 0);
	for (size_t i = 0; n > 0 && i < ARRAY_LEN(codecs); i++)
		if ((size_t)n >= codecs[i].mlen &&
		    !memcmp(m, codecs[i].magic, codecs[i].mlen))
			return &codecs[i];
	return NULL;
}

bool zpipe_is_archive(const char *path)
{
	auto_fd fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (sniff(fd))
		return true;
	char magic[8];
	return pread(fd, magic, 6, 257) == 6 && !memcmp(magic, "ustar", 5);
}

int zpipe_open_read(const char *path, struct zpipe *z, struct box_err *err)
{
	memset(z, 0, sizeof *z);
	z->fd = z->file_fd = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return box_fail(err, errno == ENOENT ? BOX_ENOENT : BOX_ESYS,
				errno, "open %s", path);
	return zpipe_open_fd(fd, path, z, err);
}

int zpipe_open_fd(int fd, const char *name, struct zpipe *z,
		  struct box_err *err)
{
	memset(z, 0, sizeof *z);
	z->fd = z->file_fd = -1;
	/* from the start, whoever read the file before (a digest check) */
	if (lseek(fd, 0, SEEK_SET) < 0) {
		int e = errno;
		close(fd);
		return box_fail(err, BOX_ESYS, e, "seek %s", name);
	}
	const struct codec *c = sniff(fd);
	if (!c) {
		z->fd = fd;
		z->file_fd = -1;
		return 0;
	}
	if (!in_path(c->tool)) {
		close(fd);
		return box_fail(err, BOX_EINVAL, 0,
				"%s: %s-compressed, and %s is not installed "
				"(apt-get install %s)",
				name, c->tool, c->tool, c->pkg);
	}
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		close(fd);
		return box_fail(err, BOX_ESYS, errno, "pipe");
	}
	pid_t pid = run_tool(c->tool, true, fd, p[1], err);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		close(fd);
		return -1;
	}
	z->fd = p[0];
	z->file_fd = fd;
	z->pid = pid;
	z->tool = c->tool;
	return 0;
}

int zpipe_open_write(const char *path, const char *name, struct zpipe *z,
		     struct box_err *err)
{
	memset(z, 0, sizeof *z);
	z->fd = z->file_fd = -1;
	const struct codec *c = NULL;
	size_t plen = strlen(name);
	for (size_t i = 0; i < ARRAY_LEN(codecs) && !c; i++)
		for (int k = 0; k < 2; k++) {
			size_t el = strlen(codecs[i].ext[k]);
			if (plen > el && !strcmp(name + plen - el,
						 codecs[i].ext[k]))
				c = &codecs[i];
		}
	if (c && !in_path(c->tool))
		return box_fail(err, BOX_EINVAL, 0,
				"%s: needs %s (apt-get install %s)", name,
				c->tool, c->pkg);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return box_fail(err, BOX_ESYS, errno, "create %s", path);
	if (!c) {
		z->fd = fd;
		return 0;
	}
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		close(fd);
		return box_fail(err, BOX_ESYS, errno, "pipe");
	}
	pid_t pid = run_tool(c->tool, false, p[0], fd, err);
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		close(fd);
		return -1;
	}
	z->fd = p[1];
	z->file_fd = fd;
	z->pid = pid;
	z->tool = c->tool;
	return 0;
}

off_t zpipe_pos(const struct zpipe *z)
{
	off_t pos = lseek(z->file_fd >= 0 ? z->file_fd : z->fd, 0, SEEK_CUR);
	return pos < 0 ? 0 : pos;
}

int zpipe_close(struct zpipe *z, bool ok, struct box_err *err)
{
	if (z->fd >= 0)
		close(z->fd);
	if (z->file_fd >= 0)
		close(z->file_fd);
	z->fd = z->file_fd = -1;
	if (!z->pid)
		return 0;
	if (!ok)
		kill(z->pid, SIGTERM); /* our own child, by pid */
	int st;
	while (waitpid(z->pid, &st, 0) < 0 && errno == EINTR)
		;
	z->pid = 0;
	if (!ok)
		return -1;
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return box_fail(err, BOX_EINVAL, 0,
				"%s failed (%s %d): corrupt or truncated data",
				z->tool, WIFEXITED(st) ? "exit" : "signal",
				WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	return 0;
}
