/* copy.c - `cp` between the host and a container's root, as docker's cp.
 *
 * Every path inside the container is resolved in its root
 * (openat2 RESOLVE_IN_ROOT, no magic links) and every step below it is
 * taken from an open directory with O_NOFOLLOW: a symlink the container
 * made, or swaps in while the copy runs, never leads the copy out of its
 * root.  The root is that of the running init (/proc/PID/root: its mounts
 * included), or, for a container that is not running, its overlay mounted
 * in a mount namespace of the copying process's own while the container's
 * lock keeps a start out.  The copy runs in a child process (the mount
 * namespace is its, and dies with it); errors come back as text.
 *
 * As docker's: a destination directory that exists receives the source
 * under its own name, otherwise the destination is made.  Files copied to
 * the host lose set-uid and set-gid bits (a container's file must not
 * become a set-uid root program on the host); device nodes are not
 * copied either way. */
#include "container.h"
#include "image.h"
#include "spec.h"
#include "store.h"
#include "userns.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define COPY_DEPTH_MAX 1024

struct copy {
	bool to_host;      /* set-uid/set-gid bits dropped */
	/* into a container with a user namespace: what is made becomes its
	 * root's (host ids uid, gid), not host root's (nobody's in there) */
	bool chown;
	uid_t uid;
	gid_t gid;
	char msg[512];     /* the first error */
};

static int fail(struct copy *c, const char *what, const char *path)
{
	if (!*c->msg)
		snprintf(c->msg, sizeof c->msg, "%s '%s': %s", what, path,
			 strerror(errno));
	return -1;
}

/* path inside the container, from its root fd; flags as openat2's. */
static int open_in_root(int root, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	return (int)syscall(SYS_openat2, root, path, &how, sizeof how);
}

static int copy_bytes(int in, int out)
{
	for (;;) {
		ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
		if (n == 0)
			return 0;
		if (n > 0)
			continue;
		if (errno != EXDEV && errno != EINVAL && errno != ENOSYS)
			return -1;
		char buf[65536];
		ssize_t r;
		while ((r = read(in, buf, sizeof buf)) > 0)
			if (util_write_all(out, buf, (size_t)r) < 0)
				return -1;
		return r < 0 ? -1 : 0;
	}
}

static int copy_entry(struct copy *c, int sdir, const char *sname, int ddir,
		      const char *dname, int depth);

static int copy_dir(struct copy *c, int sdir, const char *sname, int ddir,
		    const char *dname, mode_t mode, int depth)
{
	if (depth > COPY_DEPTH_MAX) {
		errno = ELOOP;
		return fail(c, "copy", sname);
	}
	bool made = mkdirat(ddir, dname, 0700) == 0;
	if (!made && errno != EEXIST)
		return fail(c, "mkdir", dname);
	auto_fd src = openat(sdir, sname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					 O_CLOEXEC);
	auto_fd dst = openat(ddir, dname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					 O_CLOEXEC);
	if (src < 0)
		return fail(c, "open", sname);
	if (dst < 0)
		return fail(c, "open", dname);
	int fd = dup(src);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return fail(c, "read", sname);
	}
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			rc = copy_entry(c, src, e->d_name, dst, e->d_name, depth + 1);
	closedir(d);
	if (rc == 0 && made && c->chown && fchown(dst, c->uid, c->gid) < 0)
		return fail(c, "chown", dname);
	if (rc == 0 && fchmod(dst, mode & (c->to_host ? 01777 : 07777)) < 0)
		return fail(c, "chmod", dname);
	return rc;
}

static int copy_file(struct copy *c, int sdir, const char *sname, int ddir,
		     const char *dname, mode_t mode)
{
	auto_fd in = openat(sdir, sname, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return fail(c, "open", sname);
	/* an existing file is replaced in place; a symlink is never followed */
	auto_fd out = openat(ddir, dname, O_WRONLY | O_CREAT | O_EXCL |
					  O_NOFOLLOW | O_CLOEXEC, 0600);
	bool made = out >= 0;
	if (!made && errno == EEXIST)
		out = openat(ddir, dname, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
	if (out < 0)
		return fail(c, "create", dname);
	if (copy_bytes(in, out) < 0)
		return fail(c, "copy", sname);
	/* one it made (an existing one keeps its owner), before the mode:
	 * a chown clears set-id bits */
	if (made && c->chown && fchown(out, c->uid, c->gid) < 0)
		return fail(c, "chown", dname);
	if (fchmod(out, mode & (c->to_host ? 01777 : 07777)) < 0)
		return fail(c, "chmod", dname);
	return 0;
}

static int copy_entry(struct copy *c, int sdir, const char *sname, int ddir,
		      const char *dname, int depth)
{
	struct stat st;
	if (fstatat(sdir, sname, &st, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) < 0)
		return fail(c, "stat", sname);
	if (S_ISDIR(st.st_mode))
		return copy_dir(c, sdir, sname, ddir, dname, st.st_mode, depth);
	if (S_ISREG(st.st_mode))
		return copy_file(c, sdir, sname, ddir, dname, st.st_mode);
	if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlinkat(sdir, sname, target, sizeof target - 1);
		if (n < 0)
			return fail(c, "readlink", sname);
		target[n] = '\0';
		unlinkat(ddir, dname, 0);
		if (symlinkat(target, ddir, dname) < 0)
			return fail(c, "symlink", dname);
		if (c->chown && fchownat(ddir, dname, c->uid, c->gid,
					 AT_SYMLINK_NOFOLLOW) < 0)
			return fail(c, "chown", dname);
		return 0;
	}
	if (S_ISFIFO(st.st_mode)) {
		if (mknodat(ddir, dname, S_IFIFO | (st.st_mode & 0777), 0) < 0 &&
		    errno != EEXIST)
			return fail(c, "mkfifo", dname);
		if (c->chown && fchownat(ddir, dname, c->uid, c->gid,
					 AT_SYMLINK_NOFOLLOW) < 0)
			return fail(c, "chown", dname);
		return 0;
	}
	errno = EPERM; /* devices and sockets stay where they are */
	return fail(c, "not copied (a device or socket)", sname);
}

/* The last component of path ("" for "/"), and its parent in dir. */
static const char *split_path(const char *path, char *dir, size_t len)
{
	snprintf(dir, len, "%s", path);
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	char *slash = strrchr(dir, '/');
	if (!slash) {
		memmove(dir + 2, dir, n + 1);
		dir[0] = '.', dir[1] = '\0';
		return dir + 2;
	}
	if (slash == dir) {
		memmove(dir + 2, dir + 1, n);
		dir[0] = '/', dir[1] = '\0';
		return dir + 2;
	}
	*slash = '\0';
	return slash + 1;
}

static int open_side(int root, const char *path, bool in_root, int flags)
{
	if (in_root)
		return open_in_root(root, path, flags);
	return open(path, flags | O_CLOEXEC);
}

static int copy_run(struct copy *c, int root, const char *src, bool src_in,
		    const char *dst, bool dst_in)
{
	char sdir[PATH_MAX + 2], ddir[PATH_MAX + 2];
	const char *sname = split_path(src, sdir, sizeof sdir);
	auto_fd sd = open_side(root, sdir, src_in, O_PATH | O_DIRECTORY);
	if (sd < 0)
		return fail(c, "open", src);
	if (!*sname) /* the root itself: its entries */
		sname = ".";
	struct stat st;
	if (fstatat(sd, sname, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return fail(c, "no such file", src);
	/* an existing directory receives the source under its name (the
	 * entries of a root given as "/") */
	auto_fd whole = open_side(root, dst, dst_in, O_PATH | O_DIRECTORY);
	if (whole >= 0)
		return copy_entry(c, sd, sname, whole, sname, 0);
	const char *dname = split_path(dst, ddir, sizeof ddir);
	auto_fd dd = open_side(root, ddir, dst_in, O_PATH | O_DIRECTORY);
	if (dd < 0)
		return fail(c, "open the directory of", dst);
	return copy_entry(c, sd, sname, dd, dname, 0);
}

/* The container's root as a directory fd in this process: the running
 * init's, or its overlay mounted here (a private mount namespace). */
static int container_root(struct box_ctx *ctx, const char *name,
			  const struct box_state *st, bool live, char *msg,
			  size_t len)
{
	if (live) {
		char p[64];
		snprintf(p, sizeof p, "/proc/%d/root", (int)st->pid);
		int fd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || util_pid_starttime(st->pid) != st->pid_start) {
			snprintf(msg, len, "the container exited");
			if (fd >= 0)
				close(fd);
			return -1;
		}
		return fd;
	}
	struct box_err err = {0};
	json_t *config = store_load_config(ctx, name, &err);
	struct img_ref img = {0};
	struct spec s = {0};
	char bundle[PATH_MAX], mnt[PATH_MAX];
	const char *image = json_string_value(json_object_get(
		json_object_get(config, "annotations"), "org.boxtop.image"));
	int fd = -1;
	if (!config || store_dir(ctx, name, NULL, bundle, sizeof bundle, &err) < 0 ||
	    (image && image_resolve(ctx, image, &img, &err) < 0) ||
	    spec_from_config(config, bundle, img.lowerdir, &s, &err) < 0 ||
	    store_run(ctx, name, "rootfs", mnt, sizeof mnt, &err) < 0 ||
	    store_run_make(ctx, name, &err) < 0) {
		snprintf(msg, len, "%s", err.msg);
		goto out;
	}
	if (mkdir(mnt, 0755) < 0 && errno != EEXIST) {
		snprintf(msg, len, "mkdir %.200s: %s", mnt, strerror(errno));
		goto out;
	}
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		snprintf(msg, len, "a mount namespace: %s", strerror(errno));
		goto out;
	}
	const char *root = s.rootfs;
	if (s.overlay_data) {
		if (mount("overlay", mnt, "overlay", 0, s.overlay_data) < 0) {
			snprintf(msg, len, "mount its root: %s", strerror(errno));
			goto out;
		}
		root = mnt;
	}
	fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		snprintf(msg, len, "open its root %.200s: %s", root, strerror(errno));
out:
	spec_free(&s);
	image_ref_free(&img);
	json_decref(config);
	return fd;
}

int box_cp(struct box_ctx *ctx, const char *name, const char *src,
	   const char *dst, bool to_container, struct box_err *err)
{
	if (box_check_name(name, err) < 0)
		return -1;
	if (!*src || !*dst)
		return box_fail(err, BOX_EINVAL, 0, "cp: an empty path");
	int lock = store_lock(ctx, name, err);
	if (lock < 0)
		return -1;
	struct box_state st;
	enum box_status status;
	if (ct_load_live(ctx, name, &st, &status, err) < 0) {
		store_unlock(lock);
		return -1;
	}
	bool live = status == BOX_RUNNING || status == BOX_PAUSED;
	struct copy c = {.to_host = !to_container};
	struct userns_ids ids;
	json_t *config = to_container ? store_load_config(ctx, name, NULL) : NULL;
	if (config && userns_config_get(config, &ids))
		c.chown = true, c.uid = ids.uid, c.gid = ids.gid;
	json_decref(config);
	if (live) /* a running one: its start is long past */
		store_unlock(lock), lock = -1;
	int ep[2];
	if (pipe2(ep, O_CLOEXEC) < 0) {
		if (lock >= 0)
			store_unlock(lock);
		return box_fail(err, BOX_ESYS, errno, "pipe");
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(ep[0]);
		int root = container_root(ctx, name, &st, live, c.msg, sizeof c.msg);
		if (root >= 0)
			copy_run(&c, root, src, !to_container, dst, to_container);
		(void)!write(ep[1], c.msg, strlen(c.msg));
		_exit(*c.msg ? 1 : 0);
	}
	close(ep[1]);
	char msg[512];
	ssize_t n = pid < 0 ? -1 : read(ep[0], msg, sizeof msg - 1);
	int saved = errno;
	close(ep[0]);
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	if (lock >= 0)
		store_unlock(lock);
	if (pid < 0)
		return box_fail(err, BOX_ESYS, saved, "fork");
	if (n > 0) {
		msg[n] = '\0';
		return box_fail(err, BOX_ESYS, 0, "cp %s: %s", name, msg);
	}
	return 0;
}
