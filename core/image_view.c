/* image_view.c - looking at an image as a container would see it: its
 * layers merged by a read-only overlay, mounted in a child process's own
 * mount namespace.  The mount vanishes with the child, so no failure path
 * (or kill -9) can leak it.  Export and the integrity check run here. */
#include "image_view.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* In the child: mount the view and run fn.  Errors go to errfd as a
 * struct box_err. */
static int child(struct box_ctx *ctx, const char *lowerdir, const char *mnt,
		 view_fn fn, void *arg, int outfd, struct box_err *err)
{
	(void)ctx;
	int rootfd;
	if (!strchr(lowerdir, ':')) {
		/* One layer: the directory is the view (overlay needs two
		 * lowerdirs when it has no upper). */
		rootfd = open(lowerdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (rootfd < 0)
			return box_fail(err, BOX_ESYS, errno, "open %s",
					lowerdir);
		return fn(rootfd, true, arg, outfd, err);
	}
	if (unshare(CLONE_NEWNS) < 0)
		return box_fail(err, BOX_ESYS, errno, "unshare mount namespace");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return box_fail(err, BOX_ESYS, errno, "make / private");
	size_t olen = strlen(lowerdir) + 16;
	char *opts = malloc(olen);
	if (!opts)
		return box_fail(err, BOX_ESYS, ENOMEM, "view");
	snprintf(opts, olen, "lowerdir=%s", lowerdir);
	int r = mount("overlay", mnt, "overlay", MS_RDONLY | MS_NODEV |
							 MS_NOSUID,
		      opts);
	free(opts);
	if (r < 0)
		return box_fail(err, BOX_ESYS, errno, "mount overlay view");
	rootfd = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return box_fail(err, BOX_ESYS, errno, "open %s", mnt);
	return fn(rootfd, false, arg, outfd, err);
}

int view_run(struct box_ctx *ctx, const char *lowerdir, view_fn fn,
	     void *arg, char **out, struct box_err *err)
{
	if (out)
		*out = NULL;
	char mnt[PATH_MAX];
	if (ctx_path(ctx, mnt, sizeof mnt, err, "images/.view-%d-XXXXXX",
		     (int)getpid()) < 0)
		return -1;
	if (!mkdtemp(mnt))
		return box_fail(err, BOX_ESYS, errno, "mkdir %s", mnt);
	int ep[2], op[2] = {-1, -1};
	if (pipe2(ep, O_CLOEXEC) < 0 || (out && pipe2(op, O_CLOEXEC) < 0)) {
		int e = errno;
		rmdir(mnt);
		return box_fail(err, BOX_ESYS, e, "pipe");
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(ep[0]), close(ep[1]);
		if (out)
			close(op[0]), close(op[1]);
		rmdir(mnt);
		return box_fail(err, BOX_ESYS, e, "fork");
	}
	if (pid == 0) {
		close(ep[0]);
		if (out)
			close(op[0]);
		signal(SIGPIPE, SIG_IGN);
		struct box_err cerr = {0};
		int rc = child(ctx, lowerdir, mnt, fn, arg, op[1], &cerr);
		if (rc < 0)
			util_write_all(ep[1], &cerr, sizeof cerr);
		_exit(rc < 0 ? 1 : 0);
	}
	close(ep[1]);
	if (out)
		close(op[1]);
	/* read everything the child says before waiting for it */
	size_t cap = 0, len = 0;
	char *buf = NULL;
	int rc = 0;
	while (out) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			char *nb = realloc(buf, cap);
			if (!nb) {
				rc = box_fail(err, BOX_ESYS, ENOMEM, "view");
				break;
			}
			buf = nb;
		}
		ssize_t n = read(op[0], buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (out)
		close(op[0]);
	struct box_err cerr = {0};
	ssize_t n;
	while ((n = read(ep[0], &cerr, sizeof cerr)) < 0 && errno == EINTR)
		;
	close(ep[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	rmdir(mnt);
	if (!rc && n == (ssize_t)sizeof cerr) {
		cerr.msg[sizeof cerr.msg - 1] = '\0';
		*err = cerr;
		rc = -1;
	} else if (!rc && (!WIFEXITED(st) || WEXITSTATUS(st)))
		rc = box_fail(err, BOX_ESYS, 0, "image view process failed");
	if (rc) {
		free(buf);
		return -1;
	}
	if (out) {
		if (buf)
			buf[len] = '\0';
		*out = buf ? buf : strdup("");
	}
	return 0;
}
