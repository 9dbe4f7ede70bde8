/* userns.c - the id ranges of unprivileged containers (userns.h): the
 * boxtop entries of /etc/subuid and /etc/subgid, one claimed slice per
 * container, the maps in config.json, and the two sides of a start (the
 * parent writes the maps, the init takes its ids). */
#include "child_msg.h"
#include "userns.h"
#include "idmap.h"
#include "net_link.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

/* How many ids the boxtop entry asks for: 16384 containers' worth (LXD
 * takes 10^9 for the same purpose); fewer when the id space above the
 * other entries holds less. */
#define POOL_WANT (USERNS_SLICE * 16384u)
/* Where subordinate ids start on a host (login.defs SUB_UID_MIN). */
#define SUBID_MIN 100000u
/* A claim without a container this old is a leftover of a crash. */
#define CLAIM_STALE_SECS 60

/* ---- /etc/subuid, /etc/subgid ------------------------------------------ */

/* Each "owner:start:count" line of text; malformed ones are skipped, as
 * shadow's own readers do. */
static bool next_entry(const char **p, char *owner, size_t olen,
		       uint32_t *start, uint32_t *count)
{
	while (**p) {
		const char *line = *p;
		const char *end = strchrnul(line, '\n');
		*p = *end ? end + 1 : end;
		const char *c1 = memchr(line, ':', (size_t)(end - line));
		unsigned long long s, n;
		char *e1, *e2;
		if (!c1 || (size_t)(c1 - line) >= olen || c1 == line)
			continue;
		errno = 0;
		s = strtoull(c1 + 1, &e1, 10);
		if (e1 == c1 + 1 || *e1 != ':' || errno)
			continue;
		n = strtoull(e1 + 1, &e2, 10);
		if (e2 == e1 + 1 || e2 != end || errno || s > UINT32_MAX ||
		    n > UINT32_MAX)
			continue;
		memcpy(owner, line, (size_t)(c1 - line));
		owner[c1 - line] = '\0';
		*start = (uint32_t)s;
		*count = (uint32_t)n;
		return true;
	}
	return false;
}

bool subid_find(const char *text, const char *owner, uint32_t *start,
		uint32_t *count)
{
	char who[256];
	for (const char *p = text ? text : ""; next_entry(&p, who, sizeof who, start, count);)
		if (!strcmp(who, owner))
			return true;
	return false;
}

bool subid_place(const char *a, const char *b, uint32_t min, uint32_t want,
		 uint32_t *start, uint32_t *count)
{
	uint64_t top = min;
	const char *texts[] = {a ? a : "", b ? b : ""};
	char who[256];
	uint32_t s, n;
	for (size_t i = 0; i < ARRAY_LEN(texts); i++)
		for (const char *p = texts[i]; next_entry(&p, who, sizeof who, &s, &n);)
			if ((uint64_t)s + n > top)
				top = (uint64_t)s + n;
	top = (top + USERNS_SLICE - 1) / USERNS_SLICE * USERNS_SLICE;
	/* (uid_t)-1 is no id: the last one a range may hold is 2^32-2 */
	uint64_t room = top < UINT32_MAX ? UINT32_MAX - top : 0;
	uint64_t n64 = want < room ? want : room;
	n64 -= n64 % USERNS_SLICE;
	if (n64 < USERNS_SLICE)
		return false;
	*start = (uint32_t)top;
	*count = (uint32_t)n64;
	return true;
}

/* shadow's convention (lib/commonio.c), so that useradd, usermod and
 * newusers never rewrite these files while we do, nor we while they do:
 * lckpwdf's lock on /etc/.pwd.lock (an fcntl lock: our open-file lock
 * conflicts with it), then <file>.lock made by link(2), holding the pid.
 * lckpwdf itself is not used: it waits with SIGALRM, not something to
 * do in a threaded program. */
/* Tries, 10 ms apart, for a lock another process holds. */
static unsigned tries(const struct subid_files *f)
{
	return (f->wait_ms ? f->wait_ms : 15000) / 10;
}

static int pwd_lock(const struct subid_files *f, struct box_err *err)
{
	const char *path = f->pwd_lock;
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return box_fail(err, BOX_ESYS, errno, "open %s", path);
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	for (unsigned i = 0; i < tries(f); i++) {
		if (fcntl(fd, F_OFD_SETLK, &fl) == 0)
			return fd;
		if (errno != EAGAIN && errno != EACCES)
			break;
		usleep(10000);
	}
	int e = errno;
	close(fd);
	return box_fail(err, BOX_ESYS, e, "lock %s", path);
}

static int link_lock(const struct subid_files *f, const char *file,
		     struct box_err *err)
{
	char lock[PATH_MAX], tmp[PATH_MAX], pidtext[32];
	snprintf(lock, sizeof lock, "%s.lock", file);
	snprintf(tmp, sizeof tmp, "%s.%d", file, (int)getpid());
	int n = snprintf(pidtext, sizeof pidtext, "%d", (int)getpid());
	long holder = 0;
	for (unsigned i = 0; i < tries(f); i++) {
		/* ours alone: the pid names it, the mutex keeps our threads
		 * apart (one a dead process of the same pid left is reused) */
		int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
				      O_CLOEXEC, 0600);
		if (fd < 0)
			return box_fail(err, BOX_ESYS, errno, "lock %s: create %s",
					file, tmp);
		int w = util_write_all(fd, pidtext, (size_t)n);
		close(fd);
		int r = w < 0 ? -1 : link(tmp, lock);
		int e = errno;
		unlink(tmp);
		if (r == 0)
			return 0;
		if (e != EEXIST)
			return box_fail(err, BOX_ESYS, e, "lock %s", file);
		/* A lock whose process is gone is stale (shadow's rule). */
		char text[32];
		ssize_t got = util_read_at(AT_FDCWD, lock, text, sizeof text);
		holder = got > 0 ? strtol(text, NULL, 10) : 0;
		if (holder > 0 && kill((pid_t)holder, 0) < 0 && errno == ESRCH) {
			unlink(lock);
			continue;
		}
		usleep(10000);
	}
	return box_fail(err, BOX_ESYS, 0, "lock %s: %s.lock is held by process %ld",
			file, file, holder);
}

/* The file's text ("" when it does not exist yet). */
static char *read_subid(const char *path, struct box_err *err)
{
	size_t n;
	char *t = util_read_file(path, &n, NULL);
	if (!t && errno == ENOENT)
		t = strdup("");
	if (!t)
		box_fail(err, BOX_ESYS, errno, "read %s", path);
	return t;
}

/* The entry appended to text, the file replaced atomically (its mode
 * kept: other programs read it as any user). */
static int add_entry(const char *path, const char *text, uint32_t start,
		     uint32_t count, struct box_err *err)
{
	struct stat st;
	mode_t mode = stat(path, &st) == 0 ? st.st_mode & 07777 : 0644;
	size_t len = strlen(text);
	char *out = NULL;
	int n = asprintf(&out, "%s%s%s:%" PRIu32 ":%" PRIu32 "\n", text,
			 len && text[len - 1] != '\n' ? "\n" : "", USERNS_OWNER,
			 start, count);
	if (n < 0)
		return box_fail(err, BOX_ESYS, ENOMEM, "%s", path);
	int rc = util_write_atomic(path, out, (size_t)n, mode, err);
	free(out);
	return rc;
}

/* Threads of one process (a batch creates on two) take turns here; the
 * file locks are for other processes. */
static pthread_mutex_t subid_mutex = PTHREAD_MUTEX_INITIALIZER;

/* Both entries, made under the locks if either is missing. */
static int pool_make(const struct subid_files *f, struct subid_pool *p,
		     struct box_err *err)
{
	pthread_mutex_lock(&subid_mutex);
	int rc = -1, pwd = pwd_lock(f, err);
	bool ulock = false, glock = false;
	char *u = NULL, *g = NULL;
	char lock[PATH_MAX];
	if (pwd < 0)
		goto out;
	if (link_lock(f, f->subuid, err) < 0)
		goto out;
	ulock = true;
	if (link_lock(f, f->subgid, err) < 0)
		goto out;
	glock = true;
	/* again, under the locks: another boxtop may have made them */
	if (!(u = read_subid(f->subuid, err)) || !(g = read_subid(f->subgid, err)))
		goto out;
	bool hu = subid_find(u, USERNS_OWNER, &p->ustart, &p->ucount);
	bool hg = subid_find(g, USERNS_OWNER, &p->gstart, &p->gcount);
	uint32_t start, count;
	if ((!hu || !hg) &&
	    !subid_place(u, g, SUBID_MIN, POOL_WANT, &start, &count)) {
		box_fail(err, BOX_ESYS, 0,
			 "no free range of %u ids left above the entries of %s and %s",
			 USERNS_SLICE, f->subuid, f->subgid);
		goto out;
	}
	if (!hu) {
		if (add_entry(f->subuid, u, start, count, err) < 0)
			goto out;
		p->ustart = start, p->ucount = count;
	}
	if (!hg) {
		if (add_entry(f->subgid, g, start, count, err) < 0)
			goto out;
		p->gstart = start, p->gcount = count;
	}
	rc = 0;
out:
	if (glock && snprintf(lock, sizeof lock, "%s.lock", f->subgid) < (int)sizeof lock)
		unlink(lock);
	if (ulock && snprintf(lock, sizeof lock, "%s.lock", f->subuid) < (int)sizeof lock)
		unlink(lock);
	if (pwd >= 0)
		close(pwd);
	free(u);
	free(g);
	pthread_mutex_unlock(&subid_mutex);
	return rc;
}

int subid_pool(const struct subid_files *f, struct subid_pool *p,
	       struct box_err *err)
{
	char *u = read_subid(f->subuid, err);
	char *g = u ? read_subid(f->subgid, err) : NULL;
	if (!g) {
		free(u);
		return -1;
	}
	/* made once: then every create finds both without a lock */
	bool have = subid_find(u, USERNS_OWNER, &p->ustart, &p->ucount) &&
		    subid_find(g, USERNS_OWNER, &p->gstart, &p->gcount);
	free(u);
	free(g);
	return have ? 0 : pool_make(f, p, err);
}

/* ---- claims ---------------------------------------------------------- */

static void claim_path(char *buf, size_t len, uint32_t uid)
{
	snprintf(buf, len, "%s/%" PRIu32, USERNS_CLAIMS, uid);
}

/* What a claim file holds: whose it is. */
static int claim_text(const struct box_ctx *ctx, const char *name, char *buf,
		      size_t len)
{
	return snprintf(buf, len, "%s\n%s\n", ctx->root, name);
}

/* Whether the container a claim names still holds uid: 1 yes, 0 no (it
 * is gone, or maps other ids), -1 not known yet (no config: being made,
 * or left by a create killed half-way; or one we cannot read). */
static int holds(const char *root, const char *name, uint32_t uid)
{
	char path[PATH_MAX];
	if (util_path(path, sizeof path, NULL, "%s/containers/%s/config.json",
		      root, name) < 0)
		return -1;
	json_error_t je;
	json_t *c = util_json_load(path, &je);
	if (!c) {
		if (errno != ENOENT)
			return -1;
		*strrchr(path, '/') = '\0';
		return access(path, F_OK) < 0 && errno == ENOENT ? 0 : -1;
	}
	struct userns_ids ids;
	bool has = userns_config_get(c, &ids) && ids.uid == uid;
	json_decref(c);
	return has;
}

/* A claim no container holds any more, or one that never got its
 * container in CLAIM_STALE_SECS (a create killed half-way). */
static bool claim_stale(int dfd, const char *entry, uint32_t uid)
{
	char text[PATH_MAX + BOX_NAME_MAX + 4];
	struct stat st;
	ssize_t n = util_read_at(dfd, entry, text, sizeof text);
	if (n < 0 || fstatat(dfd, entry, &st, 0) < 0)
		return false;
	bool old = time(NULL) - st.st_mtime > CLAIM_STALE_SECS;
	char *nl = memchr(text, '\n', (size_t)n);
	if (!nl || text[n - 1] != '\n')
		return old; /* being written, or torn by a crash */
	*nl = '\0';
	text[n - 1] = '\0';
	int h = holds(text, nl + 1, uid);
	return h == 0 || (h < 0 && old);
}

/* Claims of other processes' crashes go, so that their slices can be
 * taken again; only when the pool has run out. */
static void sweep_stale(void)
{
	DIR *d = opendir(USERNS_CLAIMS);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		char *end;
		unsigned long v = strtoul(de->d_name, &end, 10);
		if (de->d_name[0] < '0' || de->d_name[0] > '9' || *end ||
		    v > UINT32_MAX)
			continue;
		if (claim_stale(dirfd(d), de->d_name, (uint32_t)v))
			unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
}

/* Which slices of the pool are claimed: a bit each. */
static uint8_t *claimed_slices(const struct subid_pool *p, uint32_t nslices,
			       struct box_err *err)
{
	uint8_t *used = calloc((nslices + 7) / 8, 1);
	if (!used) {
		box_fail(err, BOX_ESYS, ENOMEM, "userns");
		return NULL;
	}
	DIR *d = opendir(USERNS_CLAIMS);
	if (!d)
		return used;
	struct dirent *de;
	while ((de = readdir(d))) {
		char *end;
		unsigned long v = strtoul(de->d_name, &end, 10);
		if (de->d_name[0] < '0' || de->d_name[0] > '9' || *end ||
		    v < p->ustart || v > UINT32_MAX ||
		    (v - p->ustart) % USERNS_SLICE)
			continue;
		unsigned long k = (v - p->ustart) / USERNS_SLICE;
		if (k < nslices)
			used[k / 8] |= (uint8_t)(1u << (k % 8));
	}
	closedir(d);
	return used;
}

/* Claim the lowest free slice: 1 done, 0 none free, -1 error. */
static int claim_free(struct box_ctx *ctx, const char *name,
		      const struct subid_pool *p, struct userns_ids *out,
		      struct box_err *err)
{
	uint32_t nslices = (p->ucount < p->gcount ? p->ucount : p->gcount) /
			   USERNS_SLICE;
	auto_free uint8_t *used = claimed_slices(p, nslices, err);
	if (!used)
		return -1;
	char text[PATH_MAX + BOX_NAME_MAX + 4];
	int tlen = claim_text(ctx, name, text, sizeof text);
	for (uint32_t k = 0; k < nslices; k++) {
		if (used[k / 8] & (1u << (k % 8)))
			continue;
		uint32_t uid = p->ustart + k * USERNS_SLICE;
		char path[PATH_MAX];
		claim_path(path, sizeof path, uid);
		/* O_EXCL: of two creates racing for it, one wins */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0)
			return box_fail(err, BOX_ESYS, errno, "claim %s", path);
		int w = util_write_all(fd, text, (size_t)tlen);
		int e = errno;
		close(fd);
		if (w < 0) {
			unlink(path);
			return box_fail(err, BOX_ESYS, e, "claim %s", path);
		}
		*out = (struct userns_ids){uid, p->gstart + k * USERNS_SLICE,
					   USERNS_SLICE};
		return 1;
	}
	return 0;
}

int userns_alloc(struct box_ctx *ctx, const char *name,
		 struct userns_ids *out, struct box_err *err)
{
	static const struct subid_files etc = {USERNS_SUBUID, USERNS_SUBGID,
					       "/etc/.pwd.lock", 0};
	struct subid_pool p;
	if (subid_pool(&etc, &p, err) < 0)
		return box_err_wrap(err, "user namespace");
	if (util_mkdir_p(USERNS_CLAIMS, 0700, err) < 0)
		return box_err_wrap(err, "user namespace");
	int r = claim_free(ctx, name, &p, out, err);
	if (r == 0) {
		sweep_stale();
		r = claim_free(ctx, name, &p, out, err);
	}
	if (r < 0)
		return box_err_wrap(err, "user namespace");
	if (r == 0)
		return box_fail(err, BOX_ESYS, 0,
				"user namespace: all %u slices of %u ids of the %s entry in %s are in use",
				p.ucount / USERNS_SLICE, USERNS_SLICE,
				USERNS_OWNER, USERNS_SUBUID);
	return 0;
}

void userns_release(struct box_ctx *ctx, const char *name,
		    const struct userns_ids *ids)
{
	char path[PATH_MAX], want[PATH_MAX + BOX_NAME_MAX + 4], text[sizeof want];
	claim_path(path, sizeof path, ids->uid);
	int wlen = claim_text(ctx, name, want, sizeof want);
	ssize_t n = util_read_at(AT_FDCWD, path, text, sizeof text);
	/* only our own claim: the slice may be someone else's by now if
	 * this container's claim was swept */
	if (n == wlen && !memcmp(text, want, (size_t)n))
		unlink(path);
}

/* ---- config.json ----------------------------------------------------- */

int userns_config_set(json_t *config, const struct userns_ids *ids,
		      struct box_err *err)
{
	json_t *linux_ = json_object_get(config, "linux");
	json_t *nss = json_object_get(linux_, "namespaces");
	if (!json_is_object(linux_) || !json_is_array(nss) ||
	    json_object_set_new(linux_, "uidMappings",
				json_pack("[{s:I, s:I, s:I}]", "containerID", 0,
					  "hostID", (json_int_t)ids->uid, "size",
					  (json_int_t)ids->size)) < 0 ||
	    json_object_set_new(linux_, "gidMappings",
				json_pack("[{s:I, s:I, s:I}]", "containerID", 0,
					  "hostID", (json_int_t)ids->gid, "size",
					  (json_int_t)ids->size)) < 0 ||
	    json_array_append_new(nss, json_pack("{s:s}", "type", "user")) < 0)
		return box_fail(err, BOX_ESYS, ENOMEM, "config.json user namespace");
	return 0;
}

static bool first_map(json_t *maps, uint32_t *host, uint32_t *size)
{
	json_t *m = json_array_get(maps, 0);
	json_int_t h = json_integer_value(json_object_get(m, "hostID"));
	json_int_t n = json_integer_value(json_object_get(m, "size"));
	if (!json_is_object(m) || h < 0 || h > UINT32_MAX || n < 1 || n > UINT32_MAX)
		return false;
	*host = (uint32_t)h;
	*size = (uint32_t)n;
	return true;
}

bool userns_config_get(json_t *config, struct userns_ids *out)
{
	json_t *linux_ = json_object_get(config, "linux");
	size_t i;
	json_t *ns;
	bool user = false;
	json_array_foreach(json_object_get(linux_, "namespaces"), i, ns)
		user |= json_is_string(json_object_get(ns, "type")) &&
			!strcmp(json_string_value(json_object_get(ns, "type")), "user");
	uint32_t gsize;
	return user &&
	       first_map(json_object_get(linux_, "uidMappings"), &out->uid, &out->size) &&
	       first_map(json_object_get(linux_, "gidMappings"), &out->gid, &gsize);
}

/* "inside host count" lines; the kernel takes at most 340 of them. */
static int map_text(json_t *linux_, const char *key, char **out,
		    struct box_err *err)
{
	json_t *a = json_object_get(linux_, key);
	size_t n = json_array_size(a);
	if (n == 0 || n > 340)
		return box_fail(err, BOX_EINVAL, 0,
				"config.json: a user namespace needs linux.%s (1 to 340 entries)",
				key);
	char *text = calloc(n, 3 * 11 + 1);
	if (!text)
		return box_fail(err, BOX_ESYS, ENOMEM, "config.json %s", key);
	size_t len = 0, i;
	json_t *m;
	json_array_foreach(a, i, m)
	{
		json_t *v[3] = {json_object_get(m, "containerID"),
				json_object_get(m, "hostID"),
				json_object_get(m, "size")};
		json_int_t x[3];
		bool ok = true;
		for (int k = 0; k < 3; k++) {
			x[k] = json_integer_value(v[k]);
			ok &= json_is_integer(v[k]) && x[k] >= 0 && x[k] <= UINT32_MAX;
		}
		if (!ok || x[2] == 0) {
			free(text);
			return box_fail(err, BOX_EINVAL, 0,
					"config.json: linux.%s[%zu]: containerID, hostID and size must be ids (size at least 1)",
					key, i);
		}
		len += (size_t)sprintf(text + len, "%lld %lld %lld\n",
				       (long long)x[0], (long long)x[1],
				       (long long)x[2]);
	}
	*out = text;
	return 0;
}

int userns_spec(json_t *linux_, struct spec *s, struct box_err *err)
{
	if (map_text(linux_, "uidMappings", &s->uid_map, err) < 0 ||
	    map_text(linux_, "gidMappings", &s->gid_map, err) < 0)
		return -1;
	return 0;
}

/* ---- a start ------------------------------------------------------------ */

static int write_map(pid_t pid, const char *file, const char *text,
		     struct box_err *err)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
	auto_fd fd = open(path, O_WRONLY | O_CLOEXEC);
	/* one write: the kernel takes a map once, whole */
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return box_fail(err, BOX_ESYS, errno, "write %s", path);
	return 0;
}

int userns_launch(pid_t pid, const struct spec *s, int sock, int *netns,
		  struct box_err *err)
{
	*netns = -1;
	/* As real root we write the maps ourselves: no newuidmap helper,
	 * and setgroups stays allowed (the init drops its groups). */
	if (write_map(pid, "uid_map", s->uid_map, err) < 0 ||
	    write_map(pid, "gid_map", s->gid_map, err) < 0)
		return -1;
	/* cloned with the user namespace: owned by it, so the init may
	 * mount a sysfs of it; we configure it as its ancestor's root */
	if ((s->ns_flags & CLONE_NEWNET) && (*netns = nlk_netns_of(pid, err)) < 0)
		return -1;
	auto_fd root = -1;
	if (s->ns_flags & CLONE_NEWNS) {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
		auto_fd us = open(path, O_RDONLY | O_CLOEXEC);
		if (us < 0)
			box_fail(err, BOX_ESYS, errno, "open %s", path);
		else
			root = idmap_root(s, us, err);
		if (root < 0) {
			if (*netns >= 0)
				close(*netns);
			*netns = -1;
			return -1;
		}
	}
	/* EPIPE: the init failed already and says why on its error pipe */
	if (util_send_fds(sock, 'u', &root, root >= 0 ? 1 : 0) < 0) {
		box_fail(err, BOX_ESYS, errno, "hand the root to the container");
		if (*netns >= 0)
			close(*netns);
		*netns = -1;
		return -1;
	}
	return 0;
}


int userns_become(uid_t uid, gid_t gid, char *msg, size_t len)
{
	errno = 0;
	if (syscall(SYS_setgroups, 0, NULL) < 0 ||
	    syscall(SYS_setresgid, gid, gid, gid) < 0)
		FAIL("set gid %u", (unsigned)gid);
	/* a user other than root keeps the capabilities it is given next
	 * (caps_apply) */
	if (uid)
		prctl(PR_SET_KEEPCAPS, 1);
	if (syscall(SYS_setresuid, uid, uid, uid) < 0)
		FAIL("set uid %u", (unsigned)uid);
	return 0;
}

int userns_enter(struct spec *s, int sock, char *msg, size_t len)
{
	errno = 0;
	char tag;
	int fd = -1;
	int n = util_recv_fds(sock, &tag, &fd, 1);
	if (n < 0)
		_exit(127); /* the parent failed and says why */
	s->root_tree = n == 1 ? fd : -1;
	s->root_at = -1;
	if (s->ns_flags & CLONE_NEWNS) {
		if (s->root_tree < 0)
			FAIL("no root came from the parent");
		/* first, so that the trees cloned next are private too */
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			FAIL("make / private");
		/* Still host root's ids (not mapped here, but the owner of
		 * boxtop's 0700 directories): the last moment these paths
		 * can be walked. */
		s->root_at = open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (s->root_at < 0)
			FAIL("open the root's mountpoint %s", s->rootfs);
		for (size_t i = 0; i < s->n_mounts; i++) {
			struct spec_mount *m = &s->mounts[i];
			if (!m->bind)
				continue;
			m->tree = open_tree(AT_FDCWD, m->src,
					    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
						    (m->flags & MS_REC ? AT_RECURSIVE : 0));
			if (m->tree < 0)
				FAIL("bind %s on %s", m->src, m->dst);
		}
	}
	if (userns_become(0, 0, msg, len) < 0)
		return -1;
	/* the change of ids cleared it; until "go" we die with the parent */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	return 0;
}
