/* rootfs.c - mount the container's root: overlay, the config's mounts
 * (every target resolved inside the rootfs, never through a symlink that
 * points out of it), /dev with its nodes, pivot_root, masked and read-only
 * paths.  Runs in the child between clone and exec. */
#include "rootfs.h"
#include "console.h"
#include "net_link.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <sys/sysmacros.h>

#include "child_msg.h"

/* Open (creating when missing) path under root without ever leaving it:
 * RESOLVE_IN_ROOT makes "..", absolute symlinks and absolute paths resolve
 * as if root were "/".  The last component is made a directory or, for
 * bind mounts of files, an empty file. */
static int open_in_root(int rootfd, const char *path, bool as_file)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	while (*path == '/')
		path++;
	if (!*path)
		return (int)syscall(SYS_openat2, rootfd, ".", &how, sizeof how);
	int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	/* Create the missing components one at a time, each resolved in
	 * root as well. */
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		bool last = *p == '\0';
		*p = '\0';
		fd = (int)syscall(SYS_openat2, rootfd, buf, &how, sizeof how);
		if (fd < 0 && errno == ENOENT) {
			char *slash = strrchr(buf, '/');
			int parent;
			const char *leaf;
			if (slash) {
				*slash = '\0';
				parent = (int)syscall(SYS_openat2, rootfd, buf,
						      &how, sizeof how);
				*slash = '/';
				leaf = slash + 1;
			} else {
				parent = fcntl(rootfd, F_DUPFD_CLOEXEC, 0);
				leaf = buf;
			}
			if (parent < 0)
				return -1;
			char pp[64];
			snprintf(pp, sizeof pp, "/proc/self/fd/%d", parent);
			int r;
			if (last && as_file) {
				int f = openat(parent, leaf,
					       O_CREAT | O_WRONLY | O_CLOEXEC |
						       O_NOFOLLOW,
					       0644);
				r = f < 0 ? -1 : close(f);
			} else {
				r = mkdirat(parent, leaf, 0755);
			}
			int e = errno;
			close(parent);
			if (r < 0 && e != EEXIST) {
				errno = e;
				return -1;
			}
			fd = (int)syscall(SYS_openat2, rootfd, buf, &how,
					  sizeof how);
		}
		if (fd < 0)
			return -1;
		if (last)
			return fd;
		close(fd);
		*p = '/';
	}
}

static void fd_path(int fd, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
}

/* The MS_* flags a bind's attributes: MOUNT_ATTR_* to set and clear. */
static void bind_attrs(unsigned long ms, struct mount_attr *a)
{
	static const struct { unsigned long ms; uint64_t attr; } map[] = {
		{MS_RDONLY, MOUNT_ATTR_RDONLY}, {MS_NOSUID, MOUNT_ATTR_NOSUID},
		{MS_NODEV, MOUNT_ATTR_NODEV}, {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
		{MS_NODIRATIME, MOUNT_ATTR_NODIRATIME},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (ms & map[i].ms)
			a->attr_set |= map[i].attr;
	/* atime is one field of three values */
	if (ms & (MS_NOATIME | MS_STRICTATIME | MS_RELATIME)) {
		a->attr_clr |= MOUNT_ATTR__ATIME;
		a->attr_set |= ms & MS_NOATIME ? MOUNT_ATTR_NOATIME
			     : ms & MS_STRICTATIME ? MOUNT_ATTR_STRICTATIME
						   : MOUNT_ATTR_RELATIME;
	}
}

/* Bind m->src on the target fd.  The tree is cloned detached
 * (open_tree), given its attributes there (mount_setattr: with an rbind
 * every submount too, so `ro` is read-only all the way down), and only
 * then attached on the fd (move_mount).  Nothing is looked up by path
 * after the target was opened in the root: a container that swaps a
 * path for a symlink meanwhile (CVE-2021-30465) gains nothing, and no
 * window exists where the mount is writable. */
static int bind_at(const struct spec_mount *m, int target, char *msg,
		   size_t len)
{
	unsigned rec = m->flags & MS_REC ? AT_RECURSIVE : 0;
	/* in a user namespace the tree was cloned already (userns_enter) */
	auto_fd tree = m->tree >= 0 ? m->tree
				    : open_tree(AT_FDCWD, m->src,
						OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | rec);
	if (tree < 0)
		FAIL("bind %s on %s", m->src, m->dst);
	struct mount_attr a = {0};
	bind_attrs(m->flags, &a);
	if ((a.attr_set || a.attr_clr) &&
	    mount_setattr(tree, "", AT_EMPTY_PATH | rec, &a, sizeof a) < 0)
		FAIL("bind %s on %s: set its options", m->src, m->dst);
	if (move_mount(tree, "", target, "",
		       MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		FAIL("bind %s on %s", m->src, m->dst);
	/* what mount_setattr cannot say (MS_SYNCHRONOUS, ...): a remount
	 * of the mount itself, through its own fd */
	unsigned long rest = m->flags & ~(MS_BIND | MS_REC | MS_RDONLY | MS_NOSUID |
					  MS_NODEV | MS_NOEXEC | MS_NODIRATIME |
					  MS_NOATIME | MS_STRICTATIME | MS_RELATIME);
	if (rest) {
		char self[64];
		fd_path(tree, self, sizeof self);
		if (mount(NULL, self, NULL, MS_REMOUNT | MS_BIND | rest |
			  (m->flags & ~(MS_BIND | MS_REC)), NULL) < 0)
			FAIL("remount %s", m->dst);
	}
	return 0;
}

/* A sysfs belongs to a network namespace: in a user namespace that does
 * not own its network namespace (the host's) the kernel refuses a new
 * one, and the host's is bound instead, read-only all the way down (as
 * crun does for rootless containers). */
static int bind_host_sysfs(int target)
{
	auto_fd tree = open_tree(AT_FDCWD, "/sys", OPEN_TREE_CLONE |
				 OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	struct mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
					   MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC};
	if (tree < 0 ||
	    mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof a) < 0)
		return -1;
	return move_mount(tree, "", target, "",
			  MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

static int do_mount(int rootfd, const struct spec_mount *m, bool userns,
		    char *msg, size_t len)
{
	struct stat st;
	bool file = false;
	if (m->bind) {
		if ((m->tree >= 0 ? fstat(m->tree, &st) : stat(m->src, &st)) < 0)
			FAIL("bind mount source %s", m->src);
		file = !S_ISDIR(st.st_mode);
	}
	auto_fd fd = open_in_root(rootfd, m->dst, file);
	if (fd < 0)
		FAIL("mount target %s", m->dst);
	char target[64];
	fd_path(fd, target, sizeof target);
	unsigned long flags = m->flags;
	if (m->bind) {
		if (bind_at(m, fd, msg, len) < 0)
			return -1;
	} else if (mount(m->src, target, m->type, flags,
			 *m->data ? m->data : NULL) < 0 &&
		   !(userns && errno == EPERM && !strcmp(m->type, "sysfs") &&
		     bind_host_sysfs(fd) == 0)) {
		FAIL("mount %s on %s", m->type, m->dst);
	}
	if (m->propagation) {
		auto_fd fd3 = open_in_root(rootfd, m->dst, file);
		if (fd3 >= 0) {
			fd_path(fd3, target, sizeof target);
			mount(NULL, target, NULL, m->propagation, NULL);
		}
	}
	return 0;
}

/* In a user namespace no device node can be made (mknod needs host
 * root): the host's own node is bound on an empty file, as runc and crun
 * do for rootless containers. */
static int bind_host_device(int devdir, const char *name)
{
	char host[64];
	snprintf(host, sizeof host, "/dev/%s", name);
	int f = openat(devdir, name, O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (f < 0)
		return -1;
	close(f);
	auto_fd tree = open_tree(AT_FDCWD, host, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0)
		return -1;
	return move_mount(tree, "", devdir, name, MOVE_MOUNT_F_EMPTY_PATH);
}

/* The device nodes the OCI spec requires in every container. */
static int make_devices(int rootfd, bool bind_host, char *msg, size_t len)
{
	static const struct {
		const char *name;
		unsigned maj, min;
		mode_t mode;
	} devs[] = {
		{"null", 1, 3, 0666}, {"zero", 1, 5, 0666}, {"full", 1, 7, 0666},
		{"random", 1, 8, 0666}, {"urandom", 1, 9, 0666},
		{"tty", 5, 0, 0666},
	};
	auto_fd dev = open_in_root(rootfd, "/dev", false);
	if (dev < 0)
		FAIL("open /dev");
	char dpath[64];
	fd_path(dev, dpath, sizeof dpath);
	auto_fd devdir = open(dpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (devdir < 0)
		FAIL("open /dev");
	/* Made with their exact mode (umask 0 meanwhile); only a node that
	 * was already there (a /dev that is no fresh tmpfs) gets a chmod. */
	mode_t old_umask = umask(0);
	for (size_t i = 0; i < ARRAY_LEN(devs); i++) {
		if (bind_host) {
			if (bind_host_device(devdir, devs[i].name) < 0) {
				umask(old_umask);
				FAIL("bind /dev/%s", devs[i].name);
			}
			continue;
		}
		if (mknodat(devdir, devs[i].name, S_IFCHR | devs[i].mode,
			    makedev(devs[i].maj, devs[i].min)) == 0)
			continue;
		if (errno != EEXIST) {
			umask(old_umask);
			FAIL("mknod /dev/%s", devs[i].name);
		}
		fchmodat(devdir, devs[i].name, devs[i].mode, 0);
	}
	umask(old_umask);
	static const struct {
		const char *target, *name;
	} links[] = {
		{"pts/ptmx", "ptmx"}, {"/proc/self/fd", "fd"},
		{"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
		{"/proc/self/fd/2", "stderr"}, {"/proc/kcore", "core"},
	};
	for (size_t i = 0; i < ARRAY_LEN(links); i++) {
		if (symlinkat(links[i].target, devdir, links[i].name) == 0)
			continue;
		if (errno != EEXIST || unlinkat(devdir, links[i].name, 0) < 0 ||
		    symlinkat(links[i].target, devdir, links[i].name) < 0)
			FAIL("symlink /dev/%s", links[i].name);
	}
	return 0;
}

/* The host's node of that type and number under /dev (one level of
 * subdirectories: /dev/net/tun, /dev/dri/card0) into host, or -1. */
static int host_node(mode_t type, dev_t dev, char *host, size_t len)
{
	DIR *d = opendir("/dev");
	if (!d)
		return -1;
	struct dirent *de;
	int found = -1;
	while (found < 0 && (de = readdir(d))) {
		struct stat st;
		if (de->d_name[0] == '.' ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if ((st.st_mode & S_IFMT) == type && st.st_rdev == dev) {
			snprintf(host, len, "/dev/%s", de->d_name);
			found = 0;
		} else if (S_ISDIR(st.st_mode)) {
			auto_fd sub = openat(dirfd(d), de->d_name,
					     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			DIR *sd = sub >= 0 ? fdopendir(sub) : NULL;
			if (sd)
				sub = -1; /* the DIR has it */
			struct dirent *se;
			while (sd && found < 0 && (se = readdir(sd))) {
				if (se->d_name[0] != '.' &&
				    fstatat(dirfd(sd), se->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				    (st.st_mode & S_IFMT) == type && st.st_rdev == dev) {
					snprintf(host, len, "/dev/%s/%s", de->d_name, se->d_name);
					found = 0;
				}
			}
			if (sd)
				closedir(sd);
		}
	}
	closedir(d);
	return found;
}

/* In a user namespace a --device node cannot be made: the host's own is
 * bound on an empty file instead (as rootless podman does), keeping the
 * host's mode and owner. */
static int bind_host_node(int parent, const char *leaf, const struct dev_node *d,
			  char *msg, size_t len)
{
	char host[PATH_MAX];
	errno = 0;
	if (host_node(d->mode & S_IFMT, d->dev, host, sizeof host) < 0)
		FAIL("device %s: no host node %u:%u under /dev to bind (a user "
		     "namespace cannot make one)", d->path, major(d->dev), minor(d->dev));
	int f = openat(parent, leaf, O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (f < 0)
		FAIL("device %s", d->path);
	close(f);
	auto_fd tree = open_tree(AT_FDCWD, host, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0 || move_mount(tree, "", parent, leaf, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		FAIL("device %s: bind %s", d->path, host);
	return 0;
}

/* The config's extra nodes (linux.devices, `--device`), each made where the
 * container names it, resolved inside the root, after the mounts (a /dev
 * tmpfs would hide it).  One an earlier start left in the writable layer
 * is made again: the config says what it is. */
static int make_nodes(int rootfd, const struct spec *s, char *msg, size_t len)
{
	for (size_t i = 0; i < s->n_dev_nodes; i++) {
		const struct dev_node *d = &s->dev_nodes[i];
		char dir[PATH_MAX];
		snprintf(dir, sizeof dir, "%s", d->path);
		char *slash = strrchr(dir, '/'); /* the path is absolute */
		const char *leaf = slash + 1;
		*slash = '\0';
		errno = 0;
		if (!*leaf || !strcmp(leaf, ".") || !strcmp(leaf, ".."))
			FAIL("device %s: no file name", d->path);
		auto_fd parent = open_in_root(rootfd, *dir ? dir : "/", false);
		if (parent < 0)
			FAIL("device %s: its directory", d->path);
		if (s->userns && (S_ISCHR(d->mode) || S_ISBLK(d->mode))) {
			if (bind_host_node(parent, leaf, d, msg, len) < 0)
				return -1;
			continue;
		}
		if (mknodat(parent, leaf, d->mode, d->dev) < 0 &&
		    (errno != EEXIST || unlinkat(parent, leaf, 0) < 0 ||
		     mknodat(parent, leaf, d->mode, d->dev) < 0))
			FAIL("mknod %s", d->path);
		/* the mode exactly (no umask), and the owner */
		if (fchmodat(parent, leaf, d->mode & 07777, 0) < 0 ||
		    fchownat(parent, leaf, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
			FAIL("device %s: mode and owner", d->path);
	}
	return 0;
}

/* The console: a pty of the container's own devpts instance, so that its
 * slave can be bind-mounted on /dev/console and is /dev/pts/0 inside. */
static int make_console(int rootfd, int sock, int *slave, char *msg, size_t len)
{
	auto_fd ptmx = open_in_root(rootfd, "/dev/pts/ptmx", true);
	if (ptmx < 0)
		FAIL("find /dev/pts/ptmx");
	char path[64];
	fd_path(ptmx, path, sizeof path);
	auto_fd master = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || unlockpt(master) < 0)
		FAIL("open the console pty");
	*slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0)
		FAIL("open the console pty slave");
	auto_fd target = open_in_root(rootfd, "/dev/console", true);
	if (target < 0)
		FAIL("create /dev/console");
	char src[64], dst[64];
	fd_path(*slave, src, sizeof src);
	fd_path(target, dst, sizeof dst);
	if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
		FAIL("bind the console on /dev/console");
	if (util_send_fd(sock, master) < 0)
		FAIL("pass the console to the monitor");
	return 0;
}

/* A kernel older than 5.10 has no "volatile": the layer is then mounted
 * as any other (synced), which is only slower. */
static int mount_not_volatile(const struct spec *s)
{
	char data[8192];
	size_t n = strlen(s->overlay_data) - strlen(",volatile");
	if (n >= sizeof data)
		return -1;
	memcpy(data, s->overlay_data, n);
	data[n] = '\0';
	return mount("overlay", s->rootfs, "overlay", 0, data);
}

/* The network namespace made for us by the parent meanwhile (spawn.c). */
static int join_netns(int *net_sock, char *msg, size_t len)
{
	int r = nlk_netns_join_from(*net_sock);
	*net_sock = -1;
	if (r == -EPIPE)
		_exit(127); /* the parent failed and says why */
	errno = -r;
	if (r < 0)
		FAIL("join the network namespace");
	return 0;
}

int rootfs_prepare(const struct spec *s, int console_sock, int *console_slave,
		   int net_sock, char *msg, size_t len)
{
	errno = 0;
	/* Nothing we mount may propagate back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		FAIL("make / private");
	if (s->userns) {
		/* made by the parent over idmapped layers (idmap.h) */
		if (move_mount(s->root_tree, "", s->root_at, "",
			       MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
			FAIL("attach the root on %s", s->rootfs);
	} else if (s->overlay_data) {
		if (mount("overlay", s->rootfs, "overlay", 0, s->overlay_data) < 0 &&
		    !(errno == EINVAL && s->overlay_volatile &&
		      mount_not_volatile(s) == 0))
			FAIL("mount overlay on %s", s->rootfs);
	} else if (mount(s->rootfs, s->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) {
		FAIL("bind rootfs %s", s->rootfs);
	}
	/* in a user namespace the path is no longer ours to walk */
	auto_fd rootfd = s->userns ? fcntl(s->root_tree, F_DUPFD_CLOEXEC, 3)
				   : open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		FAIL("open rootfs %s", s->rootfs);
	bool dev_done = false;
	for (size_t i = 0; i < s->n_mounts; i++) {
		const struct spec_mount *m = &s->mounts[i];
		/* /dev must be filled before mounts below it hide nothing. */
		if (!dev_done && strncmp(m->dst, "/dev", 4) == 0 &&
		    strcmp(m->dst, "/dev") != 0) {
			if (make_devices(rootfd, s->userns, msg, len) < 0)
				return -1;
			dev_done = true;
		}
		/* a sysfs shows the network of the process mounting it */
		if (net_sock >= 0 && !m->bind && m->type &&
		    !strcmp(m->type, "sysfs") &&
		    join_netns(&net_sock, msg, len) < 0)
			return -1;
		if (do_mount(rootfd, m, s->userns, msg, len) < 0)
			return -1;
	}
	if (net_sock >= 0 && join_netns(&net_sock, msg, len) < 0)
		return -1;
	if (!dev_done && make_devices(rootfd, s->userns, msg, len) < 0)
		return -1;
	if (make_nodes(rootfd, s, msg, len) < 0)
		return -1;
	if (console_sock >= 0 &&
	    make_console(rootfd, console_sock, console_slave, msg, len) < 0)
		return -1;
	return 0;
}

int rootfs_pivot(const struct spec *s, char *msg, size_t len)
{
	errno = 0;
	if ((s->userns ? fchdir(s->root_tree) : chdir(s->rootfs)) < 0)
		FAIL("chdir %s", s->rootfs);
	/* pivot_root(".", "."): the old root ends up stacked on the new
	 * one and is detached right away; no directory is needed for it. */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		FAIL("pivot_root %s", s->rootfs);
	if (umount2(".", MNT_DETACH) < 0)
		FAIL("detach the old root");
	if (chdir("/") < 0)
		FAIL("chdir /");
	return 0;
}

int rootfs_finish(const struct spec *s, char *msg, size_t len)
{
	errno = 0;
	/* Directories are hidden under one empty read-only tmpfs, bound
	 * again on the next ones: one superblock to make and tear down. */
	const char *empty = NULL;
	for (char **p = s->masked; p && *p; p++) {
		struct stat st;
		if (lstat(*p, &st) < 0)
			continue; /* not there: nothing to hide */
		int r;
		if (!S_ISDIR(st.st_mode))
			r = mount("/dev/null", *p, NULL, MS_BIND, NULL);
		else if (empty)
			r = mount(empty, *p, NULL, MS_BIND, NULL);
		else if ((r = mount("tmpfs", *p, "tmpfs", MS_RDONLY, "size=0")) == 0)
			empty = *p;
		if (r < 0)
			FAIL("mask %s", *p);
	}
	for (char **p = s->readonly; p && *p; p++) {
		if (access(*p, F_OK) < 0)
			continue;
		if (mount(*p, *p, NULL, MS_BIND | MS_REC, NULL) < 0 ||
		    mount(NULL, *p, NULL,
			  MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID |
				  MS_NODEV | MS_NOEXEC,
			  NULL) < 0)
			FAIL("make %s read-only", *p);
	}
	if (s->root_readonly &&
	    mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
		FAIL("make / read-only");
	return 0;
}
