/* image_layer.c - writing a layer directory safely (see image_layer.h for
 * the rules). */
#include "image_layer.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <linux/openat2.h>

#define OPAQUE_XATTR "trusted.overlay.opaque"

static bool xattr_kept(const char *name, unsigned flags)
{
	if (!strcmp(name, "security.capability") || !strncmp(name, "user.", 5))
		return true;
	return (flags & LAYER_OVERLAY_UPPER) && !strcmp(name, OPAQUE_XATTR);
}

static void tick(struct layer_stats *st)
{
	if (st && st->tick && (st->files & 63) == 0)
		st->tick(st->tick_arg);
}

/* Open the directory that holds the last component of rel (relative,
 * cleaned), creating missing parents when create.  *base points into rel at
 * the last component.  Every component is opened O_NOFOLLOW: a symlink on
 * the way is refused, never followed. */
static int open_parent(int rootfd, const char *rel, bool create,
		       const char **base, struct box_err *err)
{
	const char *slash = strrchr(rel, '/');
	*base = slash ? slash + 1 : rel;
	int fd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return box_fail(err, BOX_ESYS, errno, "dup");
	if (!slash)
		return fd;
	char comp[NAME_MAX + 1];
	const char *p = rel;
	while (p < slash) {
		const char *e = strchr(p, '/');
		size_t len = (size_t)(e - p);
		if (len > NAME_MAX) {
			close(fd);
			return box_fail(err, BOX_EINVAL, 0,
					"name too long in '%.200s'", rel);
		}
		memcpy(comp, p, len);
		comp[len] = '\0';
		int nfd = openat(fd, comp,
				 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0 && errno == ENOENT && create) {
			if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST) {
				int e2 = errno;
				close(fd);
				return box_fail(err, BOX_ESYS, e2,
						"mkdir '%.200s'", rel);
			}
			nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY |
						       O_NOFOLLOW | O_CLOEXEC);
		}
		if (nfd < 0) {
			int e2 = errno;
			struct stat st;
			bool link = fstatat(fd, comp, &st,
					    AT_SYMLINK_NOFOLLOW) == 0 &&
				    S_ISLNK(st.st_mode);
			close(fd);
			if (link)
				return box_fail(err, BOX_EINVAL, 0,
						"'%.200s' goes through the "
						"symlink '%.*s': refused",
						rel, (int)(e - rel), rel);
			return box_fail(err, e2 == ENOENT ? BOX_ENOENT
							  : BOX_ESYS,
					e2, "open '%.*s'", (int)(e - rel), rel);
		}
		close(fd);
		fd = nfd;
		p = e + 1;
	}
	return fd;
}

/* Make room for a new member called name in dir: whatever this layer held
 * there goes (a later member replaces an earlier one, as tar does), except
 * that a directory stays a directory when a directory is written again. */
static int clear_slot(int dirfd, const char *name, const char *rel,
		      bool want_dir, bool *is_dir, struct box_err *err)
{
	struct stat st;
	*is_dir = false;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0
				       : box_fail(err, BOX_ESYS, errno,
						  "stat '%s'", rel);
	if (S_ISDIR(st.st_mode)) {
		if (want_dir) {
			*is_dir = true;
			return 0;
		}
		return util_rm_rf_at(dirfd, name, rel, err);
	}
	if (unlinkat(dirfd, name, 0) < 0)
		return box_fail(err, BOX_ESYS, errno, "replace '%s'", rel);
	return 0;
}

/* Owner first: chown clears the set-id bits and the file capabilities
 * (security.capability) of what it changes, so the xattrs and then the
 * mode are set after it (set_owner, the xattrs, fchmod), never before. */
static int set_owner(int dirfd, const char *name, int fd, uid_t uid,
		     gid_t gid)
{
	if (geteuid() != 0)
		return 0;
	if (fd >= 0 || !name)
		return fchown(fd, uid, gid);
	return fchownat(dirfd, name, uid, gid, AT_SYMLINK_NOFOLLOW);
}

/* For what carries no xattrs here (symlinks, FIFOs, the root). */
static int set_owner_mode(int dirfd, const char *name, int fd, uid_t uid,
			  gid_t gid, mode_t mode, bool symlink)
{
	if (set_owner(dirfd, name, fd, uid, gid) < 0)
		return -1;
	if (symlink)
		return 0;
	return fd >= 0 ? fchmod(fd, mode) : fchmodat(dirfd, name, mode, 0);
}

static int write_data(struct tar_reader *r, int fd, const char *rel,
		      struct layer_stats *st, struct box_err *err)
{
	char buf[65536];
	for (;;) {
		ssize_t n = tar_read_data(r, buf, sizeof buf, err);
		if (n < 0)
			return box_err_wrap(err, "'%s'", rel);
		if (n == 0)
			return 0;
		if (util_write_all(fd, buf, (size_t)n) < 0)
			return box_fail(err, BOX_ESYS, errno, "write '%s'", rel);
		if (st)
			st->bytes += (uint64_t)n;
	}
}

static int apply_xattrs(int fd, const struct tar_entry *e, unsigned flags,
			const char *rel, struct box_err *err)
{
	for (size_t i = 0; i < e->n_xattrs; i++) {
		if (!xattr_kept(e->xattrs[i].name, flags & ~LAYER_OVERLAY_UPPER))
			continue;
		if (fsetxattr(fd, e->xattrs[i].name, e->xattrs[i].value,
			      e->xattrs[i].len, 0) < 0 &&
		    errno != ENOTSUP)
			return box_fail(err, BOX_ESYS, errno,
					"set xattr %s on '%s'",
					e->xattrs[i].name, rel);
	}
	return 0;
}

static int whiteout(int pfd, const char *base, const char *rel,
		    struct box_err *err)
{
	const char *target = base + 4;
	if (!strcmp(base, ".wh..wh..opq")) {
		/* The directory holding the marker hides the lower layers'
		 * contents of it; its own members in this layer stay. */
		if (fsetxattr(pfd, OPAQUE_XATTR, "y", 1, 0) < 0)
			return box_fail(err, BOX_ESYS, errno,
					"mark '%s' opaque", rel);
		return 0;
	}
	if (!*target || !strcmp(target, ".") || !strcmp(target, ".."))
		return box_fail(err, BOX_EINVAL, 0, "bad whiteout '%s'", rel);
	char trel[PATH_MAX];
	if (util_path(trel, sizeof trel, err, "%.*s%s",
		      (int)(base - rel), rel, target) < 0)
		return -1;
	bool is_dir;
	if (clear_slot(pfd, target, trel, false, &is_dir, err) < 0)
		return -1;
	if (mknodat(pfd, target, S_IFCHR | 0, makedev(0, 0)) < 0)
		return box_fail(err, BOX_ESYS, errno, "whiteout '%s'", trel);
	return 0;
}

static int apply_entry(struct tar_reader *r, struct tar_entry *e, int rootfd,
		       unsigned flags, struct layer_stats *st,
		       struct box_err *err)
{
	auto_free char *rel = NULL;
	if (tar_clean_path(e->path, &rel, err) < 0)
		return -1;
	if (!*rel) {
		/* "./": the layer's root directory itself */
		if (e->type == '5')
			set_owner_mode(rootfd, NULL, rootfd, e->uid, e->gid,
				       e->mode, false);
		return 0;
	}
	const char *base;
	auto_fd pfd = open_parent(rootfd, rel, true, &base, err);
	if (pfd < 0)
		return -1;
	if (strlen(base) > NAME_MAX)
		return box_fail(err, BOX_EINVAL, 0, "name too long: '%.200s'",
				rel);
	if ((flags & LAYER_OCI_WHITEOUTS) && !strncmp(base, ".wh.", 4))
		return whiteout(pfd, base, rel, err);
	if (e->type == '3' || e->type == '4' || e->type == 'V') {
		if (st)
			st->dropped++;
		return 0;
	}
	if (!strchr("012356", e->type))
		return box_fail(err, BOX_EINVAL, 0,
				"'%s': unsupported tar member type '%c'", rel,
				e->type);
	bool is_dir;
	if (clear_slot(pfd, base, rel, e->type == '5', &is_dir, err) < 0)
		return -1;
	struct timespec ts[2] = {{.tv_sec = e->mtime}, {.tv_sec = e->mtime}};
	switch (e->type) {
	case '0': {
		auto_fd fd = openat(pfd, base,
				    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
					    O_CLOEXEC,
				    0600);
		if (fd < 0)
			return box_fail(err, BOX_ESYS, errno, "create '%s'",
					rel);
		if (write_data(r, fd, rel, st, err) < 0)
			return -1;
		if (set_owner(pfd, base, fd, e->uid, e->gid) < 0)
			return box_fail(err, BOX_ESYS, errno, "chown '%s'", rel);
		if (apply_xattrs(fd, e, flags, rel, err) < 0)
			return -1;
		if (fchmod(fd, e->mode) < 0)
			return box_fail(err, BOX_ESYS, errno, "chmod '%s'", rel);
		futimens(fd, ts);
		break;
	}
	case '1': {
		auto_free char *trel = NULL;
		if (tar_clean_path(e->linkname, &trel, err) < 0)
			return -1;
		const char *tbase;
		auto_fd tfd = open_parent(rootfd, trel, false, &tbase, err);
		if (tfd < 0)
			return box_err_wrap(err, "hard link '%s'", rel);
		if (!*trel || linkat(tfd, tbase, pfd, base, 0) < 0)
			return box_fail(err, BOX_ESYS, *trel ? errno : EISDIR,
					"hard link '%s' -> '%s'", rel, trel);
		break;
	}
	case '2':
		if (symlinkat(e->linkname, pfd, base) < 0)
			return box_fail(err, BOX_ESYS, errno, "symlink '%s'",
					rel);
		if (set_owner_mode(pfd, base, -1, e->uid, e->gid, 0, true) < 0)
			return box_fail(err, BOX_ESYS, errno, "chown '%s'", rel);
		utimensat(pfd, base, ts, AT_SYMLINK_NOFOLLOW);
		break;
	case '5': {
		if (!is_dir && mkdirat(pfd, base, 0755) < 0)
			return box_fail(err, BOX_ESYS, errno, "mkdir '%s'", rel);
		auto_fd fd = openat(pfd, base,
				    O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					    O_CLOEXEC);
		if (fd < 0)
			return box_fail(err, BOX_ESYS, errno, "open '%s'", rel);
		if (set_owner(pfd, base, fd, e->uid, e->gid) < 0)
			return box_fail(err, BOX_ESYS, errno, "chown '%s'", rel);
		if (apply_xattrs(fd, e, flags, rel, err) < 0)
			return -1;
		if (fchmod(fd, e->mode) < 0)
			return box_fail(err, BOX_ESYS, errno, "chmod '%s'", rel);
		break;
	}
	case '6':
		if (mkfifoat(pfd, base, 0600) < 0)
			return box_fail(err, BOX_ESYS, errno, "mkfifo '%s'", rel);
		if (set_owner_mode(pfd, base, -1, e->uid, e->gid, e->mode,
				   false) < 0)
			return box_fail(err, BOX_ESYS, errno, "chown '%s'", rel);
		break;
	}
	if (st)
		st->files++;
	return 0;
}

int layer_unpack(struct tar_reader *r, const char *root, unsigned flags,
		 struct layer_stats *st, struct box_err *err)
{
	auto_fd rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return box_fail(err, BOX_ESYS, errno, "open %s", root);
	for (;;) {
		struct tar_entry e;
		int rc = tar_next(r, &e, err);
		if (rc <= 0)
			return rc;
		rc = apply_entry(r, &e, rootfd, flags, st, err);
		tar_entry_free(&e);
		if (rc < 0)
			return -1;
		tick(st);
	}
}

/* ---- copying a tree ------------------------------------------------------ */

struct hardlink {
	dev_t dev;
	ino_t ino;
	char *rel;
};

struct copy {
	int dst_root;
	dev_t dev;
	unsigned flags;
	struct sha256 *md;
	struct layer_stats *st;
	struct hardlink *links;
	size_t n_links;
	struct box_err *err;
	/* The path of the member at hand from the root: grown on the way
	 * down, cut on the way up, of any length (the tree may be deeper
	 * than PATH_MAX allows a path to be). */
	char *rel;
	size_t rel_len, rel_cap;
};

/* rel += "/name" ("name" at the top); false when out of memory. */
static bool rel_push(struct copy *c, const char *name)
{
	size_t nl = strlen(name), need = c->rel_len + 1 + nl + 1;
	if (need > c->rel_cap) {
		size_t cap = c->rel_cap ? c->rel_cap : 256;
		while (cap < need)
			cap *= 2;
		char *nr = realloc(c->rel, cap);
		if (!nr)
			return false;
		c->rel = nr;
		c->rel_cap = cap;
	}
	if (c->rel_len)
		c->rel[c->rel_len++] = '/';
	memcpy(c->rel + c->rel_len, name, nl + 1);
	c->rel_len += nl;
	return true;
}

/* rel less its last name (names hold no '/'). */
static void rel_pop(struct copy *c)
{
	char *slash = memrchr(c->rel, '/', c->rel_len);
	c->rel_len = slash ? (size_t)(slash - c->rel) : 0;
	c->rel[c->rel_len] = '\0';
}

static void md_rec(struct copy *c, const void *p, size_t n)
{
	sha256_update(c->md, p, n);
}

static int copy_xattrs(struct copy *c, int sfd, int dfd, const char *rel)
{
	char names[4096];
	ssize_t n = flistxattr(sfd, names, sizeof names);
	if (n < 0)
		return errno == ENOTSUP ? 0
					: box_fail(c->err, BOX_ESYS, errno,
						   "list xattrs of '%s'", rel);
	for (char *nm = names; nm < names + n; nm += strlen(nm) + 1) {
		/* A redirect or metacopy entry names data in the lower layers
		 * by path or inode: copied alone it would be an empty or
		 * wrong file.  Only a plain upper (the kernel's default
		 * redirect_dir=off, metacopy=off) stands on its own. */
		if ((c->flags & LAYER_OVERLAY_UPPER) &&
		    (!strcmp(nm, "trusted.overlay.redirect") ||
		     !strcmp(nm, "trusted.overlay.metacopy")))
			return box_fail(c->err, BOX_EINVAL, 0,
					"'%s' is an overlay %s entry: commit "
					"needs redirect_dir and metacopy off",
					rel, nm + 16);
		if (!xattr_kept(nm, c->flags))
			continue;
		char val[4096];
		ssize_t vl = fgetxattr(sfd, nm, val, sizeof val);
		if (vl < 0)
			continue;
		md_rec(c, nm, strlen(nm) + 1);
		md_rec(c, val, (size_t)vl);
		if (fsetxattr(dfd, nm, val, (size_t)vl, 0) < 0)
			return box_fail(c->err, BOX_ESYS, errno,
					"set xattr %s on '%s'", nm, rel);
	}
	return 0;
}

static int copy_file(struct copy *c, int sdir, int ddir, const char *name,
		     const char *rel, const struct stat *s)
{
	auto_fd sfd = openat(sdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (sfd < 0)
		return box_fail(c->err, BOX_ESYS, errno, "open '%s'", rel);
	auto_fd dfd = openat(ddir, name,
			     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				     O_CLOEXEC,
			     0600);
	if (dfd < 0)
		return box_fail(c->err, BOX_ESYS, errno, "create '%s'", rel);
	char buf[65536];
	for (;;) {
		ssize_t n = read(sfd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return box_fail(c->err, BOX_ESYS, errno, "read '%s'",
					rel);
		if (n == 0)
			break;
		md_rec(c, buf, (size_t)n);
		if (util_write_all(dfd, buf, (size_t)n) < 0)
			return box_fail(c->err, BOX_ESYS, errno, "write '%s'",
					rel);
		c->st->bytes += (uint64_t)n;
	}
	if (set_owner(ddir, name, dfd, s->st_uid, s->st_gid) < 0)
		return box_fail(c->err, BOX_ESYS, errno, "chown '%s'", rel);
	if (copy_xattrs(c, sfd, dfd, rel) < 0)
		return -1;
	if (fchmod(dfd, s->st_mode & 07777) < 0)
		return box_fail(c->err, BOX_ESYS, errno, "chmod '%s'", rel);
	struct timespec ts[2] = {s->st_atim, s->st_mtim};
	futimens(dfd, ts);
	return 0;
}

/* One member of the source directory sdir, copied into ddir (a directory
 * only made: util_walk enters it, copy_enter and copy_leave finish it). */
static int copy_member(void *arg, const struct util_walk_pos *at,
		      const char *name, const struct stat *sp)
{
	struct copy *c = arg;
	int sdir = at->fd, ddir = at->mirror;
	const struct stat s = *sp;
	if (!rel_push(c, name))
		return box_fail(c->err, BOX_ESYS, ENOMEM, "copy");
	const char *rel = c->rel;
	/* The canonical record of this member, for the tree digest: the
	 * path, a NUL, then mode, owner and size, a NUL. */
	char rec[128];
	int rl = snprintf(rec, sizeof rec, "%o %u %u %llu", (unsigned)s.st_mode,
			  (unsigned)s.st_uid, (unsigned)s.st_gid,
			  S_ISREG(s.st_mode) ? (unsigned long long)s.st_size
					     : 0ULL);
	md_rec(c, rel, c->rel_len + 1);
	md_rec(c, rec, (size_t)rl + 1);
	struct timespec ts[2] = {s.st_atim, s.st_mtim};
	if (S_ISREG(s.st_mode)) {
		if (s.st_nlink > 1) {
			for (size_t i = 0; i < c->n_links; i++) {
				if (c->links[i].dev != s.st_dev ||
				    c->links[i].ino != s.st_ino)
					continue;
				md_rec(c, c->links[i].rel,
				       strlen(c->links[i].rel) + 1);
				if (linkat(c->dst_root, c->links[i].rel, ddir,
					   name, 0) < 0)
					return box_fail(c->err, BOX_ESYS, errno,
							"hard link '%s'", rel);
				goto done;
			}
			struct hardlink *nl = realloc(
				c->links, (c->n_links + 1) * sizeof *nl);
			if (!nl)
				return box_fail(c->err, BOX_ESYS, ENOMEM,
						"copy");
			c->links = nl;
			nl[c->n_links] = (struct hardlink){
				s.st_dev, s.st_ino, strdup(rel)};
			if (!nl[c->n_links].rel)
				return box_fail(c->err, BOX_ESYS, ENOMEM,
						"copy");
			c->n_links++;
		}
		if (copy_file(c, sdir, ddir, name, rel, &s) < 0)
			return -1;
	} else if (S_ISDIR(s.st_mode)) {
		if (mkdirat(ddir, name, 0700) < 0)
			return box_fail(c->err, BOX_ESYS, errno, "mkdir '%s'",
					rel);
		if (s.st_dev == c->dev)
			return 1; /* rel stays: the walk goes into it */
		/* Another filesystem mounted here (a /proc left mounted in a
		 * chroot): the mount point is kept, its contents are not. */
		auto_fd dfd = openat(ddir, name,
				     O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					     O_CLOEXEC);
		if (dfd < 0 || set_owner_mode(ddir, name, dfd, s.st_uid,
					      s.st_gid, s.st_mode & 07777,
					      false) < 0)
			return box_fail(c->err, BOX_ESYS, errno, "chown '%s'",
					rel);
		futimens(dfd, ts);
	} else if (S_ISLNK(s.st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlinkat(sdir, name, target, sizeof target - 1);
		if (n < 0)
			return box_fail(c->err, BOX_ESYS, errno, "readlink '%s'",
					rel);
		target[n] = '\0';
		md_rec(c, target, (size_t)n + 1);
		if (symlinkat(target, ddir, name) < 0 ||
		    set_owner_mode(ddir, name, -1, s.st_uid, s.st_gid, 0,
				   true) < 0)
			return box_fail(c->err, BOX_ESYS, errno, "symlink '%s'",
					rel);
		utimensat(ddir, name, ts, AT_SYMLINK_NOFOLLOW);
	} else if (S_ISCHR(s.st_mode) && s.st_rdev == makedev(0, 0) &&
		   (c->flags & LAYER_OVERLAY_UPPER)) {
		if (mknodat(ddir, name, S_IFCHR, makedev(0, 0)) < 0)
			return box_fail(c->err, BOX_ESYS, errno,
					"whiteout '%s'", rel);
	} else if (S_ISFIFO(s.st_mode)) {
		if (mkfifoat(ddir, name, 0600) < 0 ||
		    set_owner_mode(ddir, name, -1, s.st_uid, s.st_gid,
				   s.st_mode & 07777, false) < 0)
			return box_fail(c->err, BOX_ESYS, errno, "mkfifo '%s'",
					rel);
	} else {
		c->st->dropped++; /* devices, sockets */
		rel_pop(c);
		return 0;
	}
done:
	c->st->files++;
	tick(c->st);
	rel_pop(c);
	return 0;
}

/* A directory entered: its owner, then its xattrs (before its members,
 * the digest's order). */
static int copy_dir_in(void *arg, const struct util_walk_pos *dir,
		      const struct stat *s)
{
	struct copy *c = arg;
	if (set_owner(-1, NULL, dir->mirror, s->st_uid, s->st_gid) < 0)
		return box_fail(c->err, BOX_ESYS, errno, "chown '%s'", c->rel);
	return copy_xattrs(c, dir->fd, dir->mirror, c->rel);
}

/* A directory done: its mode and times last (members written into it
 * would change its mtime). */
static int copy_dir_out(void *arg, const struct util_walk_pos *parent,
		      const char *name, const struct util_walk_pos *dir,
		      const struct stat *s)
{
	struct copy *c = arg;
	(void)parent;
	(void)name;
	if (fchmod(dir->mirror, s->st_mode & 07777) < 0)
		return box_fail(c->err, BOX_ESYS, errno, "chmod '%s'", c->rel);
	struct timespec ts[2] = {s->st_atim, s->st_mtim};
	futimens(dir->mirror, ts);
	c->st->files++;
	tick(c->st);
	rel_pop(c);
	return 0;
}

/* The callbacks fail with the error in c->err: told apart from the walk's
 * own -errno by a value no errno has. */
#define COPY_FAILED (-1000000)

static int copy_visit(void *arg, const struct util_walk_pos *at,
		      const char *name, const struct stat *st)
{
	int r = copy_member(arg, at, name, st);
	return r < 0 ? COPY_FAILED : r;
}

static int copy_enter(void *arg, const struct util_walk_pos *dir,
		      const struct stat *st)
{
	return copy_dir_in(arg, dir, st) < 0 ? COPY_FAILED : 0;
}

static int copy_leave(void *arg, const struct util_walk_pos *parent,
		      const char *name, const struct util_walk_pos *dir,
		      const struct stat *st)
{
	return copy_dir_out(arg, parent, name, dir, st) < 0 ? COPY_FAILED : 0;
}

/* Hard-linked files met so far (rare: a short list), counted once. */
struct seen_inodes {
	ino_t *v;
	size_t n, cap;
};

static bool first_link(struct seen_inodes *s, ino_t ino)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == ino)
			return false;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		ino_t *nv = realloc(s->v, cap * sizeof *nv);
		if (!nv)
			return true; /* counted twice: only progress is off */
		s->v = nv, s->cap = cap;
	}
	s->v[s->n++] = ino;
	return true;
}

struct tree_bytes {
	dev_t dev;
	uint64_t sum;
	struct seen_inodes seen;
};

static int tree_bytes_visit(void *arg, const struct util_walk_pos *at,
			    const char *name, const struct stat *st)
{
	struct tree_bytes *t = arg;
	(void)at;
	(void)name;
	if (S_ISREG(st->st_mode) &&
	    (st->st_nlink == 1 || first_link(&t->seen, st->st_ino)))
		t->sum += (uint64_t)st->st_size;
	return S_ISDIR(st->st_mode) && st->st_dev == t->dev;
}

uint64_t layer_tree_bytes(const char *dir)
{
	static const struct util_walk_ops ops = {.visit = tree_bytes_visit};
	auto_fd fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return 0;
	struct tree_bytes t = {.dev = st.st_dev};
	util_walk(fd, -1, &ops, &t); /* what it could not read counts 0 */
	free(t.seen.v);
	return t.sum;
}

int layer_copy_tree(const char *src, const char *dst, unsigned flags,
		    char digest[72], struct layer_stats *st,
		    struct box_err *err)
{
	struct layer_stats dummy = {0};
	auto_fd sfd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sfd < 0)
		return box_fail(err, errno == ENOENT ? BOX_ENOENT : BOX_ESYS,
				errno, "open %s", src);
	auto_fd dfd = open(dst, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return box_fail(err, BOX_ESYS, errno, "open %s", dst);
	struct stat s;
	if (fstat(sfd, &s) < 0)
		return box_fail(err, BOX_ESYS, errno, "stat %s", src);
	struct copy c = {.dst_root = dfd, .dev = s.st_dev, .flags = flags,
			 .st = st ? st : &dummy, .err = err};
	static const struct util_walk_ops ops = {.visit = copy_visit,
						 .enter = copy_enter,
						 .leave = copy_leave,
						 .sorted = true};
	c.md = sha256_new(err);
	if (!c.md)
		return -1;
	int rc = rel_push(&c, "") ? 0
				  : box_fail(err, BOX_ESYS, ENOMEM, "copy");
	if (!rc && set_owner(-1, NULL, dfd, s.st_uid, s.st_gid) < 0)
		rc = box_fail(err, BOX_ESYS, errno, "chown %s", dst);
	if (!rc)
		rc = copy_xattrs(&c, sfd, dfd, "/");
	if (!rc) {
		int w = util_walk(sfd, dfd, &ops, &c);
		if (w == COPY_FAILED)
			rc = -1; /* err says why */
		else if (w < 0)
			rc = box_fail(err, BOX_ESYS, -w, "copy '%s'", c.rel);
	}
	if (!rc) {
		fchmod(dfd, s.st_mode & 07777);
		char hex[65];
		sha256_final(c.md, hex);
		c.md = NULL;
		snprintf(digest, 72, "sha256:%s", hex);
	}
	sha256_free(c.md);
	for (size_t i = 0; i < c.n_links; i++)
		free(c.links[i].rel);
	free(c.links);
	free(c.rel);
	return rc;
}

static int du_visit(void *arg, const struct util_walk_pos *at,
		    const char *name, const struct stat *st)
{
	(void)at;
	(void)name;
	if (S_ISREG(st->st_mode) || S_ISLNK(st->st_mode))
		*(int64_t *)arg += st->st_size;
	return S_ISDIR(st->st_mode);
}

int64_t layer_du(const char *dir)
{
	static const struct util_walk_ops ops = {.visit = du_visit};
	auto_fd fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int64_t sum = 0;
	if (fd >= 0)
		util_walk(fd, -1, &ops, &sum); /* unreadable parts count 0 */
	return sum;
}

int layer_open_in(int rootfd, const char *path)
{
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
}
