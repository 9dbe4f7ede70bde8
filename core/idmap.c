/* idmap.c - a container's root over idmapped layers (idmap.h). */
#include "idmap.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#define KERNEL_HINT "idmapped overlay layers need Linux 6.15 or later"

/* A detached clone of the tree at path, idmapped to userns_fd, with the
 * attributes extra. */
static int idmapped_clone(const char *path, bool recursive, int userns_fd,
			  uint64_t extra, struct box_err *err)
{
	unsigned rec = recursive ? AT_RECURSIVE : 0;
	int fd = open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | rec);
	if (fd < 0)
		return box_fail(err, BOX_ESYS, errno, "clone %s", path);
	struct mount_attr a = {.attr_set = MOUNT_ATTR_IDMAP | extra,
			       .userns_fd = (uint64_t)userns_fd};
	if (mount_setattr(fd, "", AT_EMPTY_PATH | rec, &a, sizeof a) < 0) {
		int e = errno;
		close(fd);
		return box_fail(err, BOX_ESYS, e,
				"idmap %s (its filesystem must support idmapped mounts)",
				path);
	}
	return fd;
}

/* A failure of the overlay, with its own words on it (the fs context's
 * log: "e overlayfs: ...") when it left any. */
static int overlay_fail(int fs, int e, const char *what, struct box_err *err)
{
	char buf[256];
	ssize_t n = read(fs, buf, sizeof buf - 1);
	if (n <= 2)
		return box_fail(err, BOX_ESYS, e, "%s", what);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return box_fail(err, BOX_ESYS, e, "%s (%s)", what, buf + 2);
}

struct layers {
	int *fd;
	size_t n, cap;
};

static void layers_close(struct layers *l)
{
	while (l->n)
		close(l->fd[--l->n]);
	free(l->fd);
}

/* Every lowerdir entry, idmapped and given by fd; the fds stay open
 * until the overlay is made (a detached mount dissolves with its last
 * fd). */
static int add_lowers(int fs, char *list, int userns_fd, struct layers *l,
		      struct box_err *err)
{
	char *save = NULL;
	for (char *p = strtok_r(list, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
		if (l->n == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 8;
			int *v = realloc(l->fd, cap * sizeof *v);
			if (!v)
				return box_fail(err, BOX_ESYS, ENOMEM, "overlay layers");
			l->fd = v;
			l->cap = cap;
		}
		int fd = idmapped_clone(p, false, userns_fd, 0, err);
		if (fd < 0)
			return -1;
		l->fd[l->n++] = fd;
		if (fsconfig(fs, FSCONFIG_SET_FD, "lowerdir+", NULL, fd) < 0)
			return overlay_fail(fs, errno,
					    "overlay layer by fd; " KERNEL_HINT, err);
	}
	return 0;
}

/* s->overlay_data as fsconfig calls: "lowerdir=A:B,upperdir=U,workdir=W"
 * and flags such as "volatile". */
static int overlay_root(const struct spec *s, int userns_fd, struct box_err *err)
{
	auto_fd fs = fsopen("overlay", FSOPEN_CLOEXEC);
	if (fs < 0)
		return box_fail(err, BOX_ESYS, errno, "overlay: fsopen");
	auto_free char *opts = strdup(s->overlay_data);
	if (!opts)
		return box_fail(err, BOX_ESYS, ENOMEM, "overlay options");
	struct layers l = {0};
	int rc = 0;
	char *save = NULL;
	for (char *o = strtok_r(opts, ",", &save); o && !rc;
	     o = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(o, '=');
		if (eq)
			*eq++ = '\0';
		if (eq && !strcmp(o, "lowerdir"))
			rc = add_lowers(fs, eq, userns_fd, &l, err);
		else if ((eq ? fsconfig(fs, FSCONFIG_SET_STRING, o, eq, 0)
			     : fsconfig(fs, FSCONFIG_SET_FLAG, o, NULL, 0)) < 0) {
			int e = errno;
			char what[80];
			snprintf(what, sizeof what, "overlay option %.64s", o);
			rc = overlay_fail(fs, e, what, err);
		}
	}
	int mnt = -1;
	if (!rc && fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		rc = overlay_fail(fs, errno, "mount the overlay; " KERNEL_HINT, err);
	/* nodev, as the kernel makes every mount of a user namespace: a
	 * device node in a layer (an imported image's, one planted in
	 * upper/) opens nothing */
	if (!rc && (mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NODEV)) < 0)
		rc = box_fail(err, BOX_ESYS, errno, "mount the overlay");
	layers_close(&l);
	return rc < 0 ? -1 : mnt;
}

int idmap_root(const struct spec *s, int userns_fd, struct box_err *err)
{
	/* a root that is a plain directory (no image): itself, idmapped,
	 * with what is mounted below it */
	if (!s->overlay_data)
		return idmapped_clone(s->rootfs, true, userns_fd,
				      MOUNT_ATTR_NODEV, err);
	return overlay_root(s, userns_fd, err);
}
