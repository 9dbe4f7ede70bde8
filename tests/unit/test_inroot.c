/* test_inroot.c - util_read_in_root against a hostile tree (what a
 * container may make of its /etc/passwd: a symlink to a host file, "..",
 * a magic link, a FIFO, a device node, a huge file), and util_fds_keep
 * (what exec's helper and a container's init keep open). */
#include "unit.h"
#include "unit_sh.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

static char dir[64];

/* util_read_in_root(root, path): content, or NULL and errno in *e */
static char *rd(int root, const char *path, size_t max, int *e)
{
	errno = 0;
	char *s = util_read_in_root(root, path, max, NULL);
	*e = errno;
	return s;
}

static void in_root(void)
{
	struct open_how how = {.flags = O_PATH | O_CLOEXEC};
	int probe = (int)syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof how);
	if (probe < 0 && errno == ENOSYS) {
		/* valgrind does not implement openat2 */
		printf("SKIP: util_read_in_root - no openat2\n");
		return;
	}
	if (probe >= 0)
		close(probe);
	char p[256], canary[128];
	snprintf(canary, sizeof canary, "%s/canary", dir);
	sh("mkdir -p %s/tree/etc && echo 'hostcanary:x:0:0::/:/bin/sh' >%s", dir, canary);
	sh("echo 'root:x:0:0::/root:/bin/sh' >%s/tree/etc/passwd", dir);
	snprintf(p, sizeof p, "%s/tree", dir);
	auto_fd root = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int e;
	auto_free char *s = rd(root, "/etc/passwd", 65536, &e);
	CHECK_STR("a regular file is read", s, "root:x:0:0::/root:/bin/sh\n");

	sh("ln -s %s %s/tree/etc/abs", canary, dir);
	auto_free char *abs = rd(root, "etc/abs", 65536, &e);
	CHECK("an absolute symlink to a host file resolves inside: nothing",
	      !abs && e == ENOENT);
	sh("ln -s ../../../../../../../../..%s %s/tree/etc/rel", canary, dir);
	auto_free char *rel = rd(root, "etc/rel", 65536, &e);
	CHECK("a symlink with .. does not climb out", !rel && e == ENOENT);
	sh("ln -s /etc/passwd %s/tree/etc/inside", dir);
	auto_free char *ins = rd(root, "etc/inside", 65536, &e);
	CHECK_STR("a symlink inside the tree is followed", ins,
		  "root:x:0:0::/root:/bin/sh\n");

	/* A FIFO nobody writes: a plain open would block for good. */
	snprintf(p, sizeof p, "%s/tree/etc/fifo", dir);
	mkfifo(p, 0644);
	alarm(20); /* a hang fails the test instead of stalling the run */
	auto_free char *fifo = rd(root, "etc/fifo", 65536, &e);
	alarm(0);
	CHECK("a FIFO is refused at once, not opened", !fifo && e == EINVAL);
	/* Nobody opened it for reading: a writer finds no reader. */
	int w = open(p, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	CHECK("... it was never opened", w < 0 && errno == ENXIO);
	if (w >= 0)
		close(w);
	snprintf(p, sizeof p, "%s/tree/etc/dev", dir);
	mknod(p, S_IFCHR | 0644, makedev(1, 3));
	auto_free char *dev = rd(root, "etc/dev", 65536, &e);
	CHECK("a device node is refused", !dev && e == EINVAL);
	auto_free char *d = rd(root, "etc", 65536, &e);
	CHECK("a directory is refused", !d && e == EISDIR);

	sh("head -c 100 /dev/zero | tr '\\0' x >%s/tree/etc/big", dir);
	auto_free char *big = rd(root, "etc/big", 64, &e);
	CHECK("a file over the bound is refused", !big && e == EFBIG);
	auto_free char *fits = rd(root, "etc/big", 100, &e);
	CHECK("a file at the bound is read", fits && strlen(fits) == 100);

	/* A magic link: from the host's / (as if it were a container's
	 * root with its /proc mounted), /proc/self/root leads anywhere. */
	auto_fd slash = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	snprintf(p, sizeof p, "proc/self/root%s", canary);
	auto_free char *magic = rd(slash, p, 65536, &e);
	CHECK("a /proc magic link is not followed", !magic && e == ELOOP);
	snprintf(p, sizeof p, "%s", canary + 1);
	auto_free char *plain = rd(slash, p, 65536, &e);
	CHECK("... the same file by its own path is read", plain != NULL);
}

static bool same(int fd, const struct stat *was)
{
	struct stat st;
	return fstat(fd, &st) == 0 && st.st_dev == was->st_dev &&
	       st.st_ino == was->st_ino;
}

static bool is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/* In a child (it closes our fds): 0 when util_fds_keep did its job. */
static int keep_child(void)
{
	int p[2], q[2];
	if (pipe2(p, O_CLOEXEC) < 0 || pipe2(q, O_CLOEXEC) < 0)
		return 1;
	int stray = open("/dev/null", O_RDONLY); /* no close-on-exec */
	int want = open("/", O_PATH | O_CLOEXEC);
	struct stat in, out, err, old1;
	fstat(p[0], &in);
	fstat(q[1], &out);
	fstat(2, &err);
	fstat(1, &old1);
	/* stdio from two pipes, fd 2 left be; fd 1, to keep, moves up */
	int stdio[3] = {p[0], q[1], -1};
	int keep[] = {want, 1, -1};
	if (util_fds_keep(stdio, keep, 3) < 0)
		return 2;
	if (!same(0, &in) || (fcntl(0, F_GETFD) & FD_CLOEXEC))
		return 3; /* stdin: the pipe, kept across exec */
	if (!same(1, &out) || (fcntl(1, F_GETFD) & FD_CLOEXEC))
		return 4;
	if (!same(2, &err))
		return 5; /* stderr left as it was */
	if (keep[0] != want || !is_open(want))
		return 6;
	if (keep[1] < 3 || !same(keep[1], &old1) ||
	    !(fcntl(keep[1], F_GETFD) & FD_CLOEXEC))
		return 7; /* the old fd 1 moved up, close-on-exec */
	if (is_open(stray) || is_open(p[1]) || is_open(q[0]))
		return 8; /* everything else closed */
	for (int fd = 3; fd < 64; fd++)
		if (is_open(fd) && fd != want && fd != keep[1])
			return 9;
	return 0;
}

static void fds_keep(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		int r = keep_child();
		_exit(r);
	}
	int ws = 0;
	waitpid(pid, &ws, 0);
	int code = WIFEXITED(ws) ? WEXITSTATUS(ws) : 100;
	if (code)
		printf("  util_fds_keep: check %d failed\n", code);
	CHECK("util_fds_keep: stdio in place, kept fds kept, the rest closed",
	      code == 0);
}

int main(void)
{
	if (!unit_need_root("in_root (mknod)"))
		return 0;
	snprintf(dir, sizeof dir, "/tmp/boxtop-inroot.XXXXXX");
	if (!mkdtemp(dir)) {
		printf("FAIL: mkdtemp\n");
		return 1;
	}
	in_root();
	fds_keep();
	sh("rm -rf %s", dir);
	UNIT_DONE();
}
