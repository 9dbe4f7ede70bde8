/* cgroup.c - create a container's cgroup in every hierarchy, apply its
 * limits, move processes into it, and remove it again. */
#include "cgroup_priv.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int cg_path(const struct cg_layout *l, int hi, const char *relpath,
	    const char *file, char *buf, size_t len, struct box_err *err)
{
	const char *m = l->hier[hi].mount;
	return util_path(buf, len, err, "%s%s%s%s%s", m, *relpath ? "/" : "",
			 relpath, file ? "/" : "", file ? file : "");
}

int cg_write(const struct cg_layout *l, int hi, const char *relpath,
	     const char *file, const char *val, struct box_err *err)
{
	char p[PATH_MAX];
	if (cg_path(l, hi, relpath, file, p, sizeof p, err) < 0)
		return -1;
	return util_write_knob(p, val, err);
}

ssize_t cg_read(const struct cg_layout *l, int hi, const char *relpath,
		const char *file, char *buf, size_t len)
{
	char p[PATH_MAX];
	if (cg_path(l, hi, relpath, file, p, sizeof p, NULL) < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return util_read_at(AT_FDCWD, p, buf, len);
}

int64_t cg_keyed(const char *buf, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = buf; p && *p;) {
		if (!strncmp(p, key, kl) && p[kl] == ' ')
			return strtoll(p + kl + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

int cg_track_hier(const struct cg_layout *l)
{
	if (l->unified >= 0)
		return l->unified;
	return l->freezer >= 0 ? l->freezer : 0;
}

bool cg_unified_has(const struct cg_layout *l, const char *relpath,
		    const char *file)
{
	char p[PATH_MAX];
	if (l->unified < 0 || !*relpath ||
	    cg_path(l, l->unified, relpath, file, p, sizeof p, NULL) < 0)
		return false;
	return access(p, F_OK) == 0;
}

/* Reject paths that could climb out of the hierarchy. */
static int check_rel(const char *relpath, struct box_err *err)
{
	if (!relpath || !*relpath || relpath[0] == '/' ||
	    strstr(relpath, "..") || relpath[strlen(relpath) - 1] == '/')
		return box_fail(err, BOX_EINVAL, 0,
				"cgroup '%s': not a relative path",
				relpath ? relpath : "");
	return 0;
}

/* cgroup2 only hands a controller to children that the parent lists in
 * cgroup.subtree_control: before a child is made in dir, enable ours there
 * ("+cpu +memory +pids +io", whichever the root offers). */
static int enable_controllers(const char *ctl, const char *dir,
			      struct box_err *err)
{
	char want[160] = "", cur[256], p[PATH_MAX];
	if (!*ctl)
		return 0;
	if (util_path(p, sizeof p, err, "%s/cgroup.subtree_control", dir) < 0)
		return -1;
	bool all = util_read_at(AT_FDCWD, p, cur, sizeof cur) >= 0;
	for (const char *c = ctl; *c;) {
		size_t n = strcspn(c, ",");
		char one[32];
		snprintf(one, sizeof one, "%.*s", (int)n, c);
		all = all && cg_has_token(cur, one, " \n");
		size_t len = strlen(want);
		snprintf(want + len, sizeof want - len, "%s+%s", len ? " " : "",
			 one);
		c += n + (c[n] == ',');
	}
	return all ? 0 : util_write_knob(p, want, err);
}

/* rmdir the last n components of the absolute path p (in place), leaf
 * first; a shared parent another container uses by now stays. */
static void rmdir_last(char *p, int n)
{
	while (n-- > 0) {
		if (rmdir(p) < 0)
			return;
		char *s = strrchr(p, '/');
		if (!s)
			return;
		*s = '\0';
	}
}

/* mkdir -p relpath below the hierarchy's mount; *made counts the trailing
 * components this call created (0 when the leaf already existed).  On
 * failure what it made is removed again and *made is 0. */
static int mkdir_tree(const struct cg_layout *l, int hi, const char *relpath,
		      int *made, struct box_err *err)
{
	char p[PATH_MAX];
	*made = 0;
	if (cg_path(l, hi, relpath, NULL, p, sizeof p, err) < 0)
		return -1;
	const char *ctl = l->hier[hi].v2 ? l->hier[hi].controllers : "";
	char *parent_end = p + strlen(l->hier[hi].mount);
	for (char *s = parent_end + 1;; s++) {
		s = strchr(s, '/');
		*parent_end = '\0';
		int r = enable_controllers(ctl, p, err);
		if (r < 0)
			goto fail;
		*parent_end = '/';
		if (s)
			*s = '\0';
		if (mkdir(p, 0755) == 0) {
			(*made)++;
		} else if (errno != EEXIST) {
			box_fail(err, BOX_ESYS, errno, "mkdir %s", p);
			*parent_end = '\0';
			goto fail;
		}
		if (!s)
			return 0;
		*s = '/';
		parent_end = s;
	}
fail:
	/* p now ends at the last directory that exists */
	rmdir_last(p, *made);
	*made = 0;
	return -1;
}

/* Undo a successful mkdir_tree. */
static void rmdir_tail(const struct cg_layout *l, int hi, const char *relpath,
		       int n)
{
	char p[PATH_MAX];
	if (cg_path(l, hi, relpath, NULL, p, sizeof p, NULL) == 0)
		rmdir_last(p, n);
}

static int apply_limits(const struct cg_layout *l, const char *rel,
			const struct cg_limits *lim, struct box_err *err)
{
	char v[64];
	if (lim->memory > 0 && l->memory >= 0) {
		int hi = l->memory;
		snprintf(v, sizeof v, "%lld", (long long)lim->memory);
		if (l->hier[hi].v2) {
			if (cg_write(l, hi, rel, "memory.max", v, err) < 0)
				return -1;
			/* swap would let the container dodge the limit */
			char tmp[32];
			if (cg_read(l, hi, rel, "memory.swap.max", tmp,
				    sizeof tmp) >= 0 &&
			    cg_write(l, hi, rel, "memory.swap.max", "0", err) < 0)
				return -1;
		} else {
			if (cg_write(l, hi, rel, "memory.limit_in_bytes", v,
				     err) < 0)
				return -1;
			char tmp[32];
			if (cg_read(l, hi, rel, "memory.memsw.limit_in_bytes",
				    tmp, sizeof tmp) >= 0 &&
			    cg_write(l, hi, rel, "memory.memsw.limit_in_bytes",
				     v, err) < 0)
				return -1;
		}
	}
	if (lim->cpu_quota_us > 0 && l->cpu >= 0) {
		int hi = l->cpu;
		int64_t period = lim->cpu_period_us > 0 ? lim->cpu_period_us
							: 100000;
		if (l->hier[hi].v2) {
			snprintf(v, sizeof v, "%lld %lld",
				 (long long)lim->cpu_quota_us, (long long)period);
			if (cg_write(l, hi, rel, "cpu.max", v, err) < 0)
				return -1;
		} else {
			snprintf(v, sizeof v, "%lld", (long long)period);
			if (cg_write(l, hi, rel, "cpu.cfs_period_us", v, err) < 0)
				return -1;
			snprintf(v, sizeof v, "%lld",
				 (long long)lim->cpu_quota_us);
			if (cg_write(l, hi, rel, "cpu.cfs_quota_us", v, err) < 0)
				return -1;
		}
	}
	if (lim->cpu_shares > 0 && l->cpu >= 0) {
		int hi = l->cpu;
		bool v2 = l->hier[hi].v2;
		snprintf(v, sizeof v, "%llu",
			 (unsigned long long)(v2 ? cg_shares_to_weight(
							   lim->cpu_shares)
						 : lim->cpu_shares));
		if (cg_write(l, hi, rel, v2 ? "cpu.weight" : "cpu.shares", v,
			     err) < 0)
			return -1;
	}
	if (lim->pids > 0 && l->pids >= 0) {
		snprintf(v, sizeof v, "%lld", (long long)lim->pids);
		if (cg_write(l, l->pids, rel, "pids.max", v, err) < 0)
			return -1;
	}
	return 0;
}

int cg_create(const struct cg_layout *l, const char *relpath,
	      const struct cg_limits *lim, struct box_err *err)
{
	if (check_rel(relpath, err) < 0)
		return -1;
	int made[CG_MAX_HIER] = {0};
	int hi;
	for (hi = 0; hi < l->n_hier; hi++) {
		if (mkdir_tree(l, hi, relpath, &made[hi], err) < 0)
			goto fail;
	}
	if (lim && apply_limits(l, relpath, lim, err) < 0)
		goto fail;
	return 0;
fail:
	for (hi = 0; hi < l->n_hier; hi++)
		rmdir_tail(l, hi, relpath, made[hi]);
	return box_err_wrap(err, "cgroup %s", relpath);
}

int cg_attach(const struct cg_layout *l, const char *relpath, pid_t pid,
	      struct box_err *err)
{
	if (check_rel(relpath, err) < 0)
		return -1;
	/* Open every cgroup.procs first, then write them back to back: the
	 * first migration pays for an RCU grace period (cgroup_threadgroup_rwsem
	 * going to its slow mode, ~7 ms here), the following ones come within
	 * the same window and cost ~20 us each. */
	int fds[CG_MAX_HIER];
	int n = 0, rc = 0;
	char p[PATH_MAX], v[24];
	for (int hi = 0; hi < l->n_hier; hi++) {
		if (cg_path(l, hi, relpath, "cgroup.procs", p, sizeof p, err) < 0) {
			rc = -1;
			goto out;
		}
		fds[n] = open(p, O_WRONLY | O_CLOEXEC);
		if (fds[n] < 0) {
			rc = box_fail(err, BOX_ESYS, errno, "open %s", p);
			goto out;
		}
		n++;
	}
	int vl = snprintf(v, sizeof v, "%d", (int)pid);
	for (int i = 0; i < n; i++) {
		if (write(fds[i], v, (size_t)vl) < 0) {
			rc = box_fail(err, BOX_ESYS, errno,
				      "move pid %d into %s/%s", (int)pid,
				      l->hier[i].mount, relpath);
			goto out;
		}
	}
out:
	while (n > 0)
		close(fds[--n]);
	return rc;
}

int cg_clone_fd(const struct cg_layout *l, const char *relpath,
		struct box_err *err)
{
	char p[PATH_MAX];
	if (l->unified < 0)
		return box_fail(err, BOX_ESYS, ENOTSUP,
				"cgroup %s: no cgroup2 hierarchy", relpath);
	if (check_rel(relpath, err) < 0 ||
	    cg_path(l, l->unified, relpath, NULL, p, sizeof p, err) < 0)
		return -1;
	int fd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return box_fail(err, BOX_ESYS, errno, "open %s", p);
	return fd;
}

/* strcat into a fixed buffer without stdio (async-signal-safe). */
static bool join(char *buf, size_t len, const char *const parts[], int n)
{
	size_t o = 0;
	for (int i = 0; i < n; i++)
		for (const char *s = parts[i]; *s; s++) {
			if (o + 1 >= len)
				return false;
			buf[o++] = *s;
		}
	buf[o] = '\0';
	return true;
}

int cg_open_join(const struct cg_layout *l, const char *relpath,
		 bool skip_unified, int fds[CG_MAX_HIER], struct box_err *err)
{
	if (check_rel(relpath, err) < 0)
		return -1;
	int n = 0;
	char p[PATH_MAX];
	for (int hi = 0; hi < l->n_hier; hi++) {
		bool v2 = l->hier[hi].v2;
		if (v2 && skip_unified && hi == l->unified)
			continue;
		/* "tasks" with "0" moves only the calling thread and so skips
		 * the global lock; cgroup2 has no such file (cgroup.threads
		 * only works inside threaded subtrees), so it pays */
		if (cg_path(l, hi, relpath, v2 ? "cgroup.procs" : "tasks", p,
			    sizeof p, err) < 0)
			goto fail;
		if ((fds[n] = open(p, O_WRONLY | O_CLOEXEC)) < 0) {
			box_fail(err, BOX_ESYS, errno, "open %s", p);
			goto fail;
		}
		n++;
	}
	return n;
fail:
	while (n-- > 0)
		close(fds[n]);
	return -1;
}

int cg_join(const int *fds, int n)
{
	for (int i = 0; i < n; i++)
		if (write(fds[i], "0", 1) < 0)
			return -errno;
	return 0;
}

/* Paths joined without stdio (async-signal-safe, see cgroup.h). */
int cg_attach_self(const struct cg_layout *l, const char *relpath,
		   bool skip_unified)
{
	char p[PATH_MAX];
	for (int hi = 0; hi < l->n_hier; hi++) {
		bool v2 = l->hier[hi].v2;
		if (v2 && skip_unified && hi == l->unified)
			continue;
		const char *const parts[] = {l->hier[hi].mount, "/", relpath,
					     v2 ? "/cgroup.procs" : "/tasks"};
		if (!join(p, sizeof p, parts, 4))
			return -ENAMETOOLONG;
		int fd = open(p, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		int r = cg_join(&fd, 1);
		close(fd);
		if (r < 0)
			return r;
	}
	return 0;
}

int cg_create_clone_target(const struct cg_layout *l, const char *relpath,
			   struct box_err *err)
{
	if (l->unified < 0)
		return 0;
	if (check_rel(relpath, err) < 0)
		return -1;
	int made;
	if (mkdir_tree(l, l->unified, relpath, &made, err) < 0)
		return box_err_wrap(err, "cgroup %s", relpath);
	return 0;
}

/* v1 may report EBUSY for a moment after the last task exited. */
static int rmdir_retry(const char *p)
{
	for (int i = 0;; i++) {
		if (rmdir(p) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY || i >= 50)
			return -1;
		nanosleep(&(struct timespec){0, 1000000}, NULL);
	}
}

int cg_destroy(const struct cg_layout *l, const char *relpath,
	       struct box_err *err)
{
	if (check_rel(relpath, err) < 0)
		return -1;
	int rc = 0;
	char p[PATH_MAX];
	for (int hi = 0; hi < l->n_hier; hi++) {
		if (cg_path(l, hi, relpath, NULL, p, sizeof p, err) < 0)
			return -1;
		if (rmdir_retry(p) < 0 && !rc)
			rc = box_fail(err, BOX_ESYS, errno, "remove cgroup %s", p);
	}
	for (int i = 0; i < l->n_legacy; i++)
		if (util_path(p, sizeof p, NULL, "%s/%s", l->legacy[i].mount,
			      relpath) == 0 &&
		    rmdir_retry(p) < 0 && !rc)
			rc = box_fail(err, BOX_ESYS, errno, "remove cgroup %s", p);
	return rc;
}

int cg_destroy_prefix(const struct cg_layout *l, const char *prefix,
		      struct box_err *err)
{
	if (check_rel(prefix, err) < 0)
		return -1;
	char p[PATH_MAX];
	for (int hi = 0; hi < l->n_hier + l->n_legacy; hi++) {
		const char *m = hi < l->n_hier ? l->hier[hi].mount
					       : l->legacy[hi - l->n_hier].mount;
		if (util_path(p, sizeof p, err, "%s/%s", m, prefix) < 0)
			return -1;
		if (rmdir(p) < 0 && errno != ENOENT && errno != EBUSY &&
		    errno != ENOTEMPTY)
			return box_fail(err, BOX_ESYS, errno, "remove cgroup %s",
					p);
	}
	return 0;
}

int cg_exists(const struct cg_layout *l, const char *relpath)
{
	char p[PATH_MAX];
	if (!l->n_hier || !relpath || !*relpath ||
	    cg_path(l, cg_track_hier(l), relpath, NULL, p, sizeof p, NULL) < 0)
		return 0;
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}
