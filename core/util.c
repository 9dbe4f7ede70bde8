/* util.c - paths, files and clocks for the core modules. */
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

int util_path(char *buf, size_t len, struct box_err *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		return box_fail(err, BOX_EINVAL, 0, "path too long: %.64s...",
				buf);
	return 0;
}

int util_mkdir_p(const char *path, mode_t mode, struct box_err *err)
{
	char tmp[4096];
	if (util_path(tmp, sizeof tmp, err, "%s", path) < 0)
		return -1;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) < 0 && errno != EEXIST)
			return box_fail(err, BOX_ESYS, errno, "mkdir %s", tmp);
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return box_fail(err, BOX_ESYS, errno, "mkdir %s", tmp);
	return 0;
}

const char *util_printable(const char *s, char *buf, size_t len)
{
	size_t i = 0;
	for (; len && s[i] && i < len - 1; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	if (len)
		buf[i] = '\0';
	return buf;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- walking a tree ------------------------------------------------------ */

/* Directories this near the top keep their descriptor while the walk is
 * below them: an ordinary tree walks without a single ".." open.  Deeper
 * ones are closed on the way down and reopened by ".." on the way up, so
 * a tree of any depth needs at most this many descriptors. */
#define WALK_KEEP_FDS 16

struct walk_frame {
	char **names;           /* the directory's entries, read at once */
	size_t n, i;            /* how many, the next to visit */
	struct util_walk_pos at; /* the directory (and its mirror); -1 while
	                         * the walk is below it and it is deeper
	                         * than WALK_KEEP_FDS */
	struct stat st;         /* as visited (dev/ino checked on the way up) */
	dev_t mdev;             /* the mirror's, the same way */
	ino_t mino;
	const char *name;       /* its name, in the parent frame's names */
};

/* Every entry of the directory fd but "." and "..", sorted or not. */
static int read_names(int fd, bool sorted, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int dfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		int e = errno;
		if (dfd >= 0)
			close(dfd);
		return -e;
	}
	rewinddir(d); /* the offset is shared with fd */
	size_t cap = 0;
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			char **nn = realloc(*out, cap * sizeof *nn);
			if (!nn) {
				rc = -ENOMEM;
				break;
			}
			*out = nn;
		}
		if (!((*out)[*n] = strdup(de->d_name))) {
			rc = -ENOMEM;
			break;
		}
		(*n)++;
	}
	closedir(d);
	if (!rc && sorted && *n)
		qsort(*out, *n, sizeof **out, cmp_str);
	return rc;
}

static void pos_close(struct util_walk_pos *at)
{
	if (at->fd >= 0)
		close(at->fd);
	if (at->mirror >= 0)
		close(at->mirror);
	at->fd = at->mirror = -1;
}

static void frame_free(struct walk_frame *f)
{
	pos_close(&f->at);
	util_names_free(f->names, f->n);
	f->names = NULL;
	f->n = 0;
}

/* The directory name in dir, opened without following a symlink and
 * checked to be the one of (dev, ino) when want. */
static int open_dir_as(int dir, const char *name, bool want, dev_t dev,
		       ino_t ino, struct stat *st)
{
	int fd = openat(dir, name,
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, st) < 0 ||
	    (want && (st->st_dev != dev || st->st_ino != ino))) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

/* Down into the directory name of frame f (visited as st), and its mirror. */
static int walk_down(struct walk_frame *f, struct walk_frame *child,
		     const char *name, const struct stat *st)
{
	struct stat cst;
	*child = (struct walk_frame){.at = {-1, -1}, .st = *st, .name = name};
	/* the directory visited, not one put in its place since */
	int fd = open_dir_as(f->at.fd, name, true, st->st_dev, st->st_ino,
			     &cst);
	if (fd < 0)
		return fd;
	child->at.fd = fd;
	if (f->at.mirror >= 0) {
		fd = open_dir_as(f->at.mirror, name, false, 0, 0, &cst);
		if (fd < 0)
			return fd;
		child->at.mirror = fd;
		child->mdev = cst.st_dev;
		child->mino = cst.st_ino;
	}
	return 0;
}

/* Back up to p from its child c: its kept descriptors, or "..", checked to
 * be the directory the walk came down from (not one a rename put above c
 * meanwhile). */
static int walk_up(struct walk_frame *p, const struct walk_frame *c)
{
	struct stat st;
	if (p->at.fd >= 0)
		return 0;
	int fd = open_dir_as(c->at.fd, "..", true, p->st.st_dev, p->st.st_ino,
			     &st);
	if (fd < 0)
		return fd;
	p->at.fd = fd;
	if (c->at.mirror >= 0) {
		fd = open_dir_as(c->at.mirror, "..", true, p->mdev, p->mino,
				 &st);
		if (fd < 0)
			return fd;
		p->at.mirror = fd;
	}
	return 0;
}

int util_walk(int dirfd, int mirror, const struct util_walk_ops *ops,
	      void *arg)
{
	size_t depth = 0, cap = 16;
	struct walk_frame *fr = calloc(cap, sizeof *fr);
	if (!fr)
		return -ENOMEM;
	fr[0].at.fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	fr[0].at.mirror = mirror < 0 ? -1 : fcntl(mirror, F_DUPFD_CLOEXEC, 3);
	int rc = fr[0].at.fd < 0 || (mirror >= 0 && fr[0].at.mirror < 0)
			 ? -errno
			 : read_names(fr[0].at.fd, ops->sorted, &fr[0].names,
				      &fr[0].n);
	while (rc == 0) {
		struct walk_frame *f = &fr[depth];
		if (f->i < f->n) {
			const char *name = f->names[f->i++];
			struct stat st;
			if (fstatat(f->at.fd, name, &st, AT_SYMLINK_NOFOLLOW) <
			    0) {
				if (errno != ENOENT) /* gone meanwhile: fine */
					rc = -errno;
				continue;
			}
			int r = ops->visit(arg, &f->at, name, &st);
			if (r <= 0 || !S_ISDIR(st.st_mode)) {
				rc = r < 0 ? r : 0;
				continue;
			}
			if (depth + 1 == cap) {
				struct walk_frame *nf =
					realloc(fr, 2 * cap * sizeof *nf);
				if (!nf) {
					rc = -ENOMEM;
					break;
				}
				fr = nf;
				cap *= 2;
				f = &fr[depth];
			}
			struct walk_frame *c = &fr[depth + 1];
			rc = walk_down(f, c, name, &st);
			if (rc < 0) {
				pos_close(&c->at);
				break;
			}
			depth++;
			if (depth > WALK_KEEP_FDS)
				pos_close(&f->at);
			if (ops->enter)
				rc = ops->enter(arg, &c->at, &c->st);
			if (rc == 0)
				rc = read_names(c->at.fd, ops->sorted, &c->names,
						&c->n);
			continue;
		}
		if (depth == 0)
			break;
		struct walk_frame *p = &fr[depth - 1];
		rc = walk_up(p, f);
		if (rc == 0 && ops->leave)
			rc = ops->leave(arg, &p->at, f->name, &f->at, &f->st);
		frame_free(f);
		depth--;
	}
	for (size_t i = depth + 1; i-- > 0;)
		frame_free(&fr[i]);
	free(fr);
	return rc;
}

/* ---- removing a tree ----------------------------------------------------- */

/* The walk goes on past a failure (the rest is removed), keeping the
 * first one. */
struct rm_walk {
	dev_t dev;
	int err;
};

static void rm_note(struct rm_walk *w, int e)
{
	if (e && e != ENOENT && !w->err)
		w->err = -e;
}

static int rm_visit(void *arg, const struct util_walk_pos *at,
		    const char *name, const struct stat *st)
{
	struct rm_walk *w = arg;
	if (S_ISDIR(st->st_mode)) {
		if (st->st_dev == w->dev)
			return 1;
		rm_note(w, EXDEV); /* a mount point: never descend into it */
		return 0;
	}
	if (unlinkat(at->fd, name, 0) < 0)
		rm_note(w, errno);
	return 0;
}

static int rm_leave(void *arg, const struct util_walk_pos *parent,
		    const char *name, const struct util_walk_pos *dir,
		    const struct stat *st)
{
	(void)dir;
	(void)st;
	if (unlinkat(parent->fd, name, AT_REMOVEDIR) < 0)
		rm_note(arg, errno);
	return 0;
}

/* Remove at/name and everything below it (its contents only, with
 * keep_root), at any depth: 0 or -errno. */
static int rm_tree(int at, const char *name, dev_t dev, bool keep_root)
{
	static const struct util_walk_ops ops = {.visit = rm_visit,
						 .leave = rm_leave};
	struct stat st;
	if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(at, name, 0) < 0 && errno != ENOENT ? -errno
								       : 0;
	if (st.st_dev != dev)
		return -EXDEV; /* a mount point: never descend into it */
	int fd = openat(at, name,
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	struct rm_walk w = {.dev = dev};
	int rc = util_walk(fd, -1, &ops, &w);
	close(fd);
	if (rc < 0)
		return rc;
	if (w.err || keep_root)
		return w.err;
	return unlinkat(at, name, AT_REMOVEDIR) < 0 && errno != ENOENT
		       ? -errno
		       : 0;
}

int util_rm_rf(const char *path, struct box_err *err)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0
				       : box_fail(err, BOX_ESYS, errno,
						  "remove %s", path);
	int r = rm_tree(AT_FDCWD, path, st.st_dev, false);
	if (r < 0)
		return box_fail(err, BOX_ESYS, -r, "remove %s", path);
	return 0;
}

int util_rm_rf_at(int dirfd, const char *name, const char *what,
		  struct box_err *err)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0
				       : box_fail(err, BOX_ESYS, errno,
						  "remove '%s'", what);
	int r = rm_tree(dirfd, name, st.st_dev, false);
	if (r < 0)
		return box_fail(err, BOX_ESYS, -r, "remove '%s'", what);
	return 0;
}

static bool listed(const char *name, const char *const *list)
{
	for (; list && *list; list++)
		if (!strcmp(name, *list))
			return true;
	return false;
}

/* On one thread: with a removed container's directories kept as spares
 * (spare.c) there is little left to remove, and helper threads cost more
 * than they overlapped (paired A/B: 0.12-0.16 ms a run --rm slower). */
int util_empty_dir(const char *path, const char *const *keep,
		   struct box_err *err)
{
	auto_fd fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0
				       : box_fail(err, BOX_ESYS, errno,
						  "remove %s", path);
	struct stat st;
	int dfd = fstat(fd, &st) == 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		int e = errno;
		if (dfd >= 0)
			close(dfd);
		return box_fail(err, BOX_ESYS, e, "remove %s", path);
	}
	int r = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *name = de->d_name;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		int one = 0;
		struct stat est;
		if (!listed(name, keep))
			one = rm_tree(fd, name, st.st_dev, false);
		else if (fstatat(fd, name, &est, AT_SYMLINK_NOFOLLOW) == 0 &&
			 S_ISDIR(est.st_mode)) /* a kept file stays as it is */
			one = est.st_dev != st.st_dev
				      ? -EXDEV
				      : rm_tree(fd, name, st.st_dev, true);
		if (one < 0 && !r)
			r = one;
	}
	closedir(d);
	if (r < 0)
		return box_fail(err, BOX_ESYS, -r, "remove %s", path);
	return 0;
}

int util_rm_rf_last(const char *path, const char *last, struct box_err *err)
{
	const char *const keep[] = {last, NULL};
	if (util_empty_dir(path, keep, err) < 0)
		return -1;
	return util_rm_rf(path, err);
}

void util_set_topdir(const char *dir)
{
	auto_fd fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int flags;
	if (fd >= 0 && ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 &&
	    !(flags & FS_TOPDIR_FL)) {
		flags |= FS_TOPDIR_FL;
		ioctl(fd, FS_IOC_SETFLAGS, &flags);
	}
}

json_t *util_json_load(const char *path, json_error_t *je)
{
	json_error_t ignored;
	if (!je)
		je = &ignored;
	struct box_err e = {0};
	size_t n;
	char *text = util_read_file(path, &n, &e);
	if (!text) {
		/* json_load_file's wording: "unable to open PATH: why" */
		snprintf(je->text, sizeof je->text, "unable to %.140s", e.msg);
		je->line = je->column = -1;
		errno = e.kind == BOX_ENOENT ? ENOENT : e.code ? e.code : ENOMEM;
		return NULL;
	}
	json_t *j = json_loadb(text, n, 0, je);
	free(text);
	return j;
}

char *util_read_file(const char *path, size_t *len, struct box_err *err)
{
	auto_fd fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		box_fail(err, errno == ENOENT ? BOX_ENOENT : BOX_ESYS, errno,
			 "open %s", path);
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	if (!buf) {
		box_fail(err, BOX_ESYS, ENOMEM, "read %s", path);
		return NULL;
	}
	for (;;) {
		if (n + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				box_fail(err, BOX_ESYS, ENOMEM, "read %s", path);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			box_fail(err, BOX_ESYS, errno, "read %s", path);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

ssize_t util_read_at(int dirfd, const char *name, char *buf, size_t len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, len - 1);
	int saved = errno;
	close(fd);
	if (n < 0) {
		errno = saved;
		return -1;
	}
	buf[n] = '\0';
	return n;
}

int util_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int util_write_knob(const char *path, const char *val, struct box_err *err)
{
	auto_fd fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return box_fail(err, BOX_ESYS, errno, "open %s", path);
	if (write(fd, val, strlen(val)) < 0)
		return box_fail(err, BOX_ESYS, errno, "write '%s' to %s", val,
				path);
	return 0;
}

static int write_replace(const char *path, const char *data, size_t len,
			 mode_t mode, bool durable, struct box_err *err)
{
	char tmp[4096];
	if (util_path(tmp, sizeof tmp, err, "%s.tmp.%d", path, getpid()) < 0)
		return -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return box_fail(err, BOX_ESYS, errno, "create %s", tmp);
	if (util_write_all(fd, data, len) < 0 || (durable && fsync(fd) < 0)) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return box_fail(err, BOX_ESYS, e, "write %s", tmp);
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return box_fail(err, BOX_ESYS, e, "rename %s", path);
	}
	return 0;
}

int util_write_atomic(const char *path, const char *data, size_t len,
		      mode_t mode, struct box_err *err)
{
	return write_replace(path, data, len, mode, true, err);
}

int util_write_replace(const char *path, const char *data, size_t len,
		       mode_t mode, struct box_err *err)
{
	return write_replace(path, data, len, mode, false, err);
}

/* UTC by arithmetic (H. Hinnant's civil calendar algorithms): glibc's
 * gmtime_r and timegm load the local time zone (/etc/localtime, six
 * system calls) on first use although UTC needs none. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void util_iso8601(time_t t, char *buf, size_t len)
{
	int64_t days = t / 86400, secs = t % 86400;
	if (secs < 0)
		secs += 86400, days--;
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, len, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m,
		 d, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

time_t util_parse_iso8601(const char *s)
{
	/* RFC 3339: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM) */
	int y, n = 0;
	unsigned mo, d, h, mi, se;
	if (!s || sscanf(s, "%4d-%2u-%2uT%2u:%2u:%2u%n", &y, &mo, &d, &h, &mi,
			 &se, &n) != 6 || !n || mo < 1 || mo > 12 || d < 1 ||
	    d > 31 || h > 23 || mi > 59 || se > 60)
		return 0;
	const char *p = s + n;
	if (*p == '.')
		while (*++p >= '0' && *p <= '9')
			;
	int64_t off = 0;
	unsigned oh, om;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if ((*p == '+' || *p == '-') &&
		   sscanf(p + 1, "%2u:%2u", &oh, &om) == 2 && oh < 24 && om < 60) {
		off = (*p == '+' ? 1 : -1) * (int64_t)(oh * 3600 + om * 60);
		p += 6;
	} else {
		return 0;
	}
	if (*p)
		return 0;
	return (time_t)(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
			se - off);
}

uint64_t util_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t util_pid_starttime(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	ssize_t n = util_read_at(AT_FDCWD, path, buf, sizeof buf);
	if (n <= 0)
		return 0;
	/* comm may hold spaces and parens: fields restart after the last ')' */
	char *p = strrchr(buf, ')');
	if (!p)
		return 0;
	p += 2; /* now at field 3 (state) */
	if (*p == 'Z' || *p == 'X')
		return 0; /* a zombie is not running */
	for (int field = 3; field < 22 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return p ? strtoull(p, NULL, 10) : 0;
}

void util_crash_point(const char *step)
{
	const char *want = getenv("BOXTOP_TEST_CRASH_AT");
	if (!want)
		return;
	size_t len = strlen(step);
	if (strncmp(want, step, len) || (want[len] && want[len] != ':'))
		return;
	static unsigned long hits; /* batch and rm count from two threads */
	unsigned long nth = want[len] ? strtoul(want + len + 1, NULL, 10) : 1;
	if (__atomic_add_fetch(&hits, 1, __ATOMIC_RELAXED) >= nth)
		raise(SIGKILL);
}

void util_close_from(int from)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, from, ~0U, 0) == 0)
		return;
#endif
	for (int fd = from; fd < 65536; fd++)
		close(fd);
}

int util_flock(int fd, int op, const char *path, struct box_err *err)
{
	while (flock(fd, op) < 0) {
		if (errno == EINTR)
			continue;
		int e = errno;
		close(fd);
		return box_fail(err, BOX_ESYS, e, "lock %s", path);
	}
	return fd;
}

int util_lock_file(const char *path, bool exclusive, struct box_err *err)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return box_fail(err, BOX_ESYS, errno, "open %s", path);
	return util_flock(fd, exclusive ? LOCK_EX : LOCK_SH, path, err);
}

void util_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int util_list_names(const char *dir, const char *suffix, char ***names,
		    size_t *n, struct box_err *err)
{
	size_t slen = suffix ? strlen(suffix) : 0;
	*names = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0
				       : box_fail(err, BOX_ESYS, errno,
						  "open %s", dir);
	struct dirent *de;
	size_t cap = 0;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' ||
		    (suffix && (len <= slen ||
				strcmp(de->d_name + len - slen, suffix))))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			char **nn = realloc(*names, cap * sizeof *nn);
			if (!nn)
				goto oom;
			*names = nn;
		}
		if (!((*names)[*n] = strndup(de->d_name, len - slen)))
			goto oom;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof **names, cmp_str);
	return 0;
oom:
	closedir(d);
	util_names_free(*names, *n);
	*names = NULL;
	*n = 0;
	return box_fail(err, BOX_ESYS, ENOMEM, "list %s", dir);
}

/* fd passing over a unix socket (SCM_RIGHTS), one byte of payload. */
union fd_cmsg {
	char buf[CMSG_SPACE(sizeof(int) * UTIL_MAX_FDS)];
	struct cmsghdr align;
};

/* A message of one byte with room for n descriptors. */
static struct msghdr fd_msg(struct iovec *iov, char *byte, union fd_cmsg *u,
			    int n)
{
	*iov = (struct iovec){.iov_base = byte, .iov_len = 1};
	return (struct msghdr){.msg_iov = iov, .msg_iovlen = 1,
			       .msg_control = u->buf,
			       .msg_controllen = CMSG_SPACE(sizeof(int) * n)};
}

int util_send_fds(int sock, char byte, const int *fds, int n)
{
	if (n < 0 || n > UTIL_MAX_FDS) {
		errno = EINVAL;
		return -1;
	}
	struct iovec iov;
	union fd_cmsg u = {0};
	struct msghdr msg = fd_msg(&iov, &byte, &u, n);
	if (n == 0) {
		msg.msg_control = NULL;
		msg.msg_controllen = 0;
	} else {
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

int util_recv_fds(int sock, char *byte, int *fds, int max)
{
	struct iovec iov;
	union fd_cmsg u;
	struct msghdr msg = fd_msg(&iov, byte, &u, UTIL_MAX_FDS);
	ssize_t n;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		return -1;
	int got = 0, all[UTIL_MAX_FDS];
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
		got = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		memcpy(all, CMSG_DATA(c), sizeof(int) * got);
	}
	/* more than the caller has room for: none kept */
	if (got > max || (msg.msg_flags & MSG_CTRUNC)) {
		for (int i = 0; i < got; i++)
			close(all[i]);
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(fds, all, sizeof(int) * got);
	return got;
}

int util_send_fd(int sock, int fd)
{
	return util_send_fds(sock, 'M', &fd, 1);
}

int util_recv_fd(int sock)
{
	char byte;
	int fd;
	return util_recv_fds(sock, &byte, &fd, 1) == 1 ? fd : -1;
}
