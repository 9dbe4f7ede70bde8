/* seccomp_cache.c - compiled filters kept by content in $ROOT/seccomp/.
 *
 * libseccomp takes ~3 ms to compile Docker's profile for one architecture
 * and ~30 ms for x86-64 with its i386 and x32 ABIs (measured here): paid
 * at every start it would be most of a `run`.  A filter depends only on
 * the OCI object, the libseccomp that compiles it and the kernel (whose
 * support of each action libseccomp checks), so that is the key: the
 * SHA-256 of all three (and whether the kernel runs x32: seccomp.c).  Every container with the same profile shares one
 * file; a start reads ~10 kB instead of compiling (as crun caches too).
 *
 * File: flags (u32), count n (u32), then n struct sock_filter. */
#include "ctx.h"
#include "seccomp_filter.h"
#include "sha256.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>

/* Bump when what we compile from the same text changes (the optimizer
 * level, a new attribute). */
#define CACHE_FORMAT 1

/* The JSON value as bytes for the hash: a type tag, then strings with
 * their length, numbers as they are in memory, containers closed by a
 * tag.  Five times faster than jansson's dump (which escapes every
 * character): this runs at every start. */
struct feed {
	struct sha256 *h;
	size_t n;
	char buf[4096];
};

static void put(struct feed *f, const void *p, size_t len)
{
	if (f->n + len > sizeof f->buf) {
		sha256_update(f->h, f->buf, f->n);
		f->n = 0;
	}
	if (len > sizeof f->buf) {
		sha256_update(f->h, p, len);
		return;
	}
	memcpy(f->buf + f->n, p, len);
	f->n += len;
}

static void feed_json(struct feed *f, json_t *j)
{
	char tag = (char)('0' + json_typeof(j));
	put(f, &tag, 1);
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *v;
		json_object_foreach(j, k, v)
		{
			size_t len = strlen(k);
			put(f, &len, sizeof len);
			put(f, k, len);
			feed_json(f, v);
		}
		put(f, "}", 1);
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v) feed_json(f, v);
		put(f, "]", 1);
		break;
	}
	case JSON_STRING: {
		size_t len = json_string_length(j);
		put(f, &len, sizeof len);
		put(f, json_string_value(j), len);
		break;
	}
	case JSON_INTEGER: {
		json_int_t v = json_integer_value(j);
		put(f, &v, sizeof v);
		break;
	}
	case JSON_REAL: {
		double v = json_real_value(j);
		put(f, &v, sizeof v);
		break;
	}
	default: /* true, false, null: the tag says it */
		break;
	}
}

static int key_of(json_t *oci, char hex[65], struct box_err *err)
{
	struct feed *f = malloc(sizeof *f);
	if (!f || !(f->h = sha256_new(err))) {
		free(f);
		return box_fail(err, BOX_ESYS, ENOMEM, "seccomp: hash the profile");
	}
	f->n = 0;
	const struct scmp_version *v = seccomp_version();
	struct utsname u;
	if (uname(&u) < 0)
		u.release[0] = '\0';
	char head[sizeof u.release + 96];
	int n = snprintf(head, sizeof head,
			 "boxtop-seccomp %d\nlibseccomp %u.%u.%u\nkernel %s x32 %d\n",
			 CACHE_FORMAT, v->major, v->minor, v->micro, u.release,
			 seccomp_arch_runs(SCMP_ARCH_X32));
	put(f, head, (size_t)n);
	/* key order as stored: the same config.json gives the same bytes */
	feed_json(f, oci);
	sha256_update(f->h, f->buf, f->n);
	sha256_final(f->h, hex);
	free(f);
	return 0;
}

/* 0 and out filled, or -1: missing or not a whole filter (a file cut
 * short by a crash is compiled and written again). */
static int read_cached(const char *path, struct seccomp_prog *out)
{
	auto_fd fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	uint32_t head[2];
	struct stat st;
	/* ours alone (the root is refused otherwise, see ctx.c; this is
	 * what the container's filter is made of, so once more here) */
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 022) ||
	    !S_ISREG(st.st_mode) || pread(fd, head, sizeof head, 0) != sizeof head ||
	    head[1] == 0 || head[1] > BPF_MAXINSNS ||
	    (size_t)st.st_size != sizeof head + head[1] * sizeof(struct sock_filter))
		return -1;
	size_t size = head[1] * sizeof(struct sock_filter);
	out->insns = malloc(size);
	if (!out->insns || pread(fd, out->insns, size, sizeof head) != (ssize_t)size) {
		free(out->insns);
		out->insns = NULL;
		return -1;
	}
	out->flags = head[0];
	out->n = (unsigned short)head[1];
	return 0;
}

/* Best effort: a filter not stored is compiled again next time. */
static void store(const char *path, const struct seccomp_prog *p)
{
	size_t size = p->n * sizeof(struct sock_filter);
	char *buf = malloc(8 + size);
	if (!buf)
		return;
	uint32_t head[2] = {p->flags, p->n};
	memcpy(buf, head, sizeof head);
	memcpy(buf + sizeof head, p->insns, size);
	/* no fsync: after a crash a short file is only a miss */
	util_write_replace(path, buf, sizeof head + size, 0600, NULL);
	free(buf);
}

int seccomp_prog_get(struct box_ctx *ctx, json_t *oci, struct seccomp_prog *out,
		     struct box_err *err)
{
	memset(out, 0, sizeof *out);
	if (!oci || json_is_null(oci))
		return 0;
	char hex[65], dir[PATH_MAX], path[PATH_MAX];
	if (key_of(oci, hex, err) < 0 ||
	    ctx_path(ctx, dir, sizeof dir, err, "seccomp") < 0 ||
	    util_path(path, sizeof path, err, "%s/%s.bpf", dir, hex) < 0)
		return -1;
	if (read_cached(path, out) == 0)
		return 0;
	/* A miss: one process compiles, the others (a batch starting
	 * several at once) wait for it and read its result. */
	char lockp[PATH_MAX + 8];
	snprintf(lockp, sizeof lockp, "%s/.lock", dir);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return box_fail(err, BOX_ESYS, errno, "mkdir %s", dir);
	auto_fd lock = open(lockp, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lock >= 0)
		while (flock(lock, LOCK_EX) < 0 && errno == EINTR)
			;
	if (read_cached(path, out) == 0)
		return 0;
	if (seccomp_compile(oci, out, err) < 0)
		return -1;
	store(path, out);
	return 0;
}
