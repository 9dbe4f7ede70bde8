/* image_tar.c - a tar reader and writer: POSIX ustar, pax extended headers
 * (path, linkpath, size, uid, gid, mtime, SCHILY.xattr.*) and the GNU long
 * name/link members that GNU tar and Go's archive/tar write. */
#include "image_tar.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define BLK 512
/* Bounds on metadata members, so a hostile archive cannot make us allocate
 * its whole size for a "name". */
#define MAX_LONGNAME (64 * 1024)
#define MAX_PAX (1024 * 1024)

/* ---- reading ------------------------------------------------------------ */

int tar_reader_init(struct tar_reader *r, int fd, struct box_err *err)
{
	memset(r, 0, sizeof *r);
	r->fd = fd;
	r->md = sha256_new(err);
	return r->md ? 0 : -1;
}

void tar_reader_free(struct tar_reader *r)
{
	sha256_free(r->md);
	r->md = NULL;
}

/* Read exactly len bytes (hashing them); a short stream is a truncated
 * archive. */
static int read_exact(struct tar_reader *r, void *buf, size_t len,
		      struct box_err *err)
{
	char *p = buf;
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(r->fd, p + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return box_fail(err, BOX_ESYS, errno, "read archive");
		if (n == 0)
			return box_fail(err, BOX_EINVAL, 0,
					"archive truncated at byte %llu",
					(unsigned long long)(r->consumed + got));
		got += (size_t)n;
	}
	sha256_update(r->md, buf, len);
	r->consumed += len;
	return 0;
}

static int skip_bytes(struct tar_reader *r, uint64_t n, struct box_err *err)
{
	char buf[16 * BLK];
	while (n) {
		size_t k = n < sizeof buf ? (size_t)n : sizeof buf;
		if (read_exact(r, buf, k, err) < 0)
			return -1;
		n -= k;
	}
	return 0;
}

/* Octal (space/NUL padded) or, with the high bit of the first byte set,
 * GNU base-256 big-endian.  Negative base-256 values are refused. */
static int parse_num(const unsigned char *f, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	if (f[0] & 0x80) {
		if (f[0] & 0x40)
			return -1;
		v = f[0] & 0x3f;
		for (size_t i = 1; i < len; i++) {
			if (v >> 56)
				return -1;
			v = (v << 8) | f[i];
		}
		*out = v;
		return 0;
	}
	size_t i = 0;
	while (i < len && (f[i] == ' ' || f[i] == '\0'))
		i++;
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v >> 60)
			return -1;
		v = (v << 3) | (uint64_t)(f[i] - '0');
	}
	for (; i < len; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return -1;
	*out = v;
	return 0;
}

static bool checksum_ok(const unsigned char *h)
{
	uint64_t want;
	if (parse_num(h + 148, 8, &want) < 0)
		return false;
	unsigned long usum = 0;
	long ssum = 0;
	for (int i = 0; i < BLK; i++) {
		unsigned char c = (i >= 148 && i < 156) ? ' ' : h[i];
		usum += c;
		ssum += (signed char)c;
	}
	return usum == want || (uint64_t)ssum == want;
}

static char *field_str(const unsigned char *f, size_t len)
{
	size_t n = strnlen((const char *)f, len);
	return strndup((const char *)f, n);
}

/* Read a metadata member's data (long name, pax records) into memory. */
static char *read_meta(struct tar_reader *r, uint64_t size, size_t max,
		       struct box_err *err)
{
	if (size > max) {
		box_fail(err, BOX_EINVAL, 0,
			 "archive metadata member too large (%llu bytes)",
			 (unsigned long long)size);
		return NULL;
	}
	char *buf = malloc((size_t)size + 1);
	if (!buf) {
		box_fail(err, BOX_ESYS, ENOMEM, "read archive");
		return NULL;
	}
	uint64_t pad = (BLK - size % BLK) % BLK;
	if (read_exact(r, buf, (size_t)size, err) < 0 ||
	    skip_bytes(r, pad, err) < 0) {
		free(buf);
		return NULL;
	}
	buf[size] = '\0';
	return buf;
}

struct pending {
	char *path, *link;
	bool has_size, has_uid, has_gid, has_mtime;
	uint64_t size, uid, gid;
	int64_t mtime;
	struct tar_xattr *xattrs;
	size_t n_xattrs;
};

static void pending_free(struct pending *p)
{
	free(p->path);
	free(p->link);
	for (size_t i = 0; i < p->n_xattrs; i++) {
		free(p->xattrs[i].name);
		free(p->xattrs[i].value);
	}
	free(p->xattrs);
	memset(p, 0, sizeof *p);
}

/* A pax number: decimal digits only (strtoull would take blanks, a sign
 * and wrap-around), optionally a fraction (mtime), at most max. */
static int pax_u64(const char *v, uint64_t max, uint64_t *out)
{
	uint64_t x = 0;
	const char *p = v;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (x > (max - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	if (p == v)
		return -1;
	if (*p == '.')
		while (*++p >= '0' && *p <= '9')
			;
	if (*p)
		return -1;
	*out = x;
	return 0;
}

static int pax_record(struct pending *p, const char *key, const char *val,
		      size_t vlen, struct box_err *err)
{
	if (!strcmp(key, "path") || !strcmp(key, "linkpath")) {
		char **dst = key[0] == 'p' ? &p->path : &p->link;
		free(*dst);
		*dst = strndup(val, vlen);
		if (!*dst)
			return box_fail(err, BOX_ESYS, ENOMEM, "pax");
		return 0;
	}
	if (!strncmp(key, "GNU.sparse.", 11))
		return box_fail(err, BOX_EINVAL, 0,
				"archive holds a sparse file: not supported");
	if (!strcmp(key, "size") || !strcmp(key, "uid") ||
	    !strcmp(key, "gid")) {
		/* a size must fit off_t; an id must fit uid_t, less
		 * (uid_t)-1, which chown takes as "leave as it is" */
		uint64_t v;
		if (pax_u64(val, key[0] == 's' ? INT64_MAX : UINT32_MAX - 1,
			    &v) < 0)
			return box_fail(err, BOX_EINVAL, 0,
					"bad pax %s '%.32s'", key, val);
		if (key[0] == 's') {
			p->size = v;
			p->has_size = true;
		} else if (key[0] == 'u') {
			p->uid = v;
			p->has_uid = true;
		} else {
			p->gid = v;
			p->has_gid = true;
		}
		return 0;
	}
	if (!strcmp(key, "mtime")) {
		/* before 1970 (a leading '-') is taken as 0: nothing here
		 * needs it, and the writer never makes one */
		uint64_t v = 0;
		if (*val != '-' && pax_u64(val, INT64_MAX, &v) < 0)
			return box_fail(err, BOX_EINVAL, 0,
					"bad pax mtime '%.32s'", val);
		p->mtime = (int64_t)v;
		p->has_mtime = true;
		return 0;
	}
	if (!strncmp(key, "SCHILY.xattr.", 13) && key[13]) {
		struct tar_xattr *nx = realloc(p->xattrs, (p->n_xattrs + 1) *
							       sizeof *nx);
		if (!nx)
			return box_fail(err, BOX_ESYS, ENOMEM, "pax");
		p->xattrs = nx;
		struct tar_xattr *x = &nx[p->n_xattrs];
		x->name = strdup(key + 13);
		x->value = malloc(vlen ? vlen : 1);
		x->len = vlen;
		if (!x->name || !x->value) {
			free(x->name);
			free(x->value);
			return box_fail(err, BOX_ESYS, ENOMEM, "pax");
		}
		memcpy(x->value, val, vlen);
		p->n_xattrs++;
	}
	/* Other keys (atime, ctime, uname, comments...) do not matter here. */
	return 0;
}

/* "LEN key=value\n" records; LEN, in decimal, counts the whole record.
 * Every bound is checked against the buffer before it is used: LEN is
 * digits only (no blanks, sign or overflow as strtoul would take), and the
 * key lies wholly between the blank after it and the record's newline. */
static int parse_pax(struct pending *p, char *buf, size_t len,
		     struct box_err *err)
{
	size_t off = 0;
	while (off < len) {
		if (buf[off] == '\0')
			break; /* NUL padding some writers leave */
		size_t left = len - off, i = 0, rlen = 0;
		for (; i < left && buf[off + i] >= '0' && buf[off + i] <= '9';
		     i++) {
			rlen = rlen * 10 + (size_t)(buf[off + i] - '0');
			if (rlen > left)
				goto bad; /* also keeps rlen from overflowing */
		}
		/* digits, ' ', a key of one byte or more, '=', '\n' */
		if (i == 0 || i >= left || buf[off + i] != ' ' ||
		    rlen < i + 4 || buf[off + rlen - 1] != '\n')
			goto bad;
		char *key = buf + off + i + 1;
		char *rec_end = buf + off + rlen - 1; /* the '\n', > key */
		char *eq = memchr(key, '=', (size_t)(rec_end - key));
		if (!eq || eq == key)
			goto bad;
		*eq = '\0';
		*rec_end = '\0';
		if (pax_record(p, key, eq + 1, (size_t)(rec_end - eq - 1),
			       err) < 0)
			return -1;
		off += rlen;
	}
	return 0;
bad:
	return box_fail(err, BOX_EINVAL, 0,
			"malformed pax header record at byte %zu", off);
}

int tar_next(struct tar_reader *r, struct tar_entry *e, struct box_err *err)
{
	memset(e, 0, sizeof *e);
	if (r->done)
		return 0;
	if (skip_bytes(r, r->data_left + r->pad_left, err) < 0)
		return -1;
	r->data_left = r->pad_left = 0;
	struct pending p = {0};
	unsigned char h[BLK];
	for (;;) {
		if (read_exact(r, h, BLK, err) < 0)
			goto fail;
		bool zero = true;
		for (int i = 0; i < BLK && zero; i++)
			zero = h[i] == 0;
		if (zero) {
			/* End of archive (the second zero block and any
			 * padding are read by tar_finish). */
			r->done = true;
			pending_free(&p);
			return 0;
		}
		if (!checksum_ok(h)) {
			box_fail(err, BOX_EINVAL, 0,
				 "not a tar archive (bad header checksum at "
				 "byte %llu)",
				 (unsigned long long)(r->consumed - BLK));
			goto fail;
		}
		uint64_t size;
		if (parse_num(h + 124, 12, &size) < 0) {
			box_fail(err, BOX_EINVAL, 0, "bad size in tar header");
			goto fail;
		}
		char type = (char)h[156];
		if (type == 'x' || type == 'g') {
			char *buf = read_meta(r, size, MAX_PAX, err);
			if (!buf)
				goto fail;
			/* global headers ('g') set defaults we do not need */
			int rc = type == 'x' ? parse_pax(&p, buf, (size_t)size,
							 err)
					     : 0;
			free(buf);
			if (rc < 0)
				goto fail;
			continue;
		}
		if (type == 'L' || type == 'K') {
			char *buf = read_meta(r, size, MAX_LONGNAME, err);
			if (!buf)
				goto fail;
			char **dst = type == 'L' ? &p.path : &p.link;
			free(*dst);
			*dst = buf; /* NUL-terminated at its first NUL */
			continue;
		}
		if (type == 'S') {
			box_fail(err, BOX_EINVAL, 0,
				 "archive holds a sparse file: not supported");
			goto fail;
		}
		/* A real member. */
		bool ustar = !memcmp(h + 257, "ustar\0", 6);
		if (p.path) {
			e->path = p.path;
			p.path = NULL;
		} else if (ustar && h[345]) {
			char *pre = field_str(h + 345, 155);
			char *nm = field_str(h, 100);
			if (pre && nm && asprintf(&e->path, "%s/%s", pre, nm) < 0)
				e->path = NULL;
			free(pre);
			free(nm);
		} else {
			e->path = field_str(h, 100);
		}
		if (p.link) {
			e->linkname = p.link;
			p.link = NULL;
		} else {
			e->linkname = field_str(h + 157, 100);
		}
		if (!e->path || !e->linkname) {
			box_fail(err, BOX_ESYS, ENOMEM, "read archive");
			goto fail;
		}
		uint64_t mode = 0, uid = 0, gid = 0, mtime = 0, maj = 0,
			 min = 0;
		if (parse_num(h + 100, 8, &mode) < 0 ||
		    parse_num(h + 108, 8, &uid) < 0 ||
		    parse_num(h + 116, 8, &gid) < 0 ||
		    parse_num(h + 136, 12, &mtime) < 0) {
			box_fail(err, BOX_EINVAL, 0,
				 "bad numeric field in tar header of '%s'",
				 e->path);
			goto fail;
		}
		if (type == '3' || type == '4') {
			if (parse_num(h + 329, 8, &maj) < 0 ||
			    parse_num(h + 337, 8, &min) < 0) {
				box_fail(err, BOX_EINVAL, 0,
					 "bad device number in '%s'", e->path);
				goto fail;
			}
		}
		if (p.has_size)
			size = p.size;
		if (p.has_uid)
			uid = p.uid;
		if (p.has_gid)
			gid = p.gid;
		if (p.has_mtime)
			mtime = (uint64_t)p.mtime;
		if (uid >= UINT32_MAX || gid >= UINT32_MAX ||
		    mtime > INT64_MAX) {
			/* base-256 fields: (uid_t)-1 or a wrapped value
			 * would chown to something else than stored */
			box_fail(err, BOX_EINVAL, 0,
				 "uid, gid or mtime out of range in '%s'",
				 e->path);
			goto fail;
		}
		if (type == '\0' || type == '7')
			type = '0';
		size_t plen = strlen(e->path);
		if (type == '0' && plen && e->path[plen - 1] == '/')
			type = '5'; /* old tars mark directories by a slash */
		e->type = type;
		e->mode = (mode_t)(mode & 07777);
		e->uid = (uid_t)uid;
		e->gid = (gid_t)gid;
		e->mtime = (time_t)mtime;
		e->devmajor = (unsigned)maj;
		e->devminor = (unsigned)min;
		/* Only regular files (and types we do not know, which the
		 * caller refuses) carry data; a size on links, dirs and
		 * devices is ignored as GNU tar does. */
		bool has_data = !strchr("123456", type);
		e->size = has_data ? size : 0;
		r->data_left = e->size;
		r->pad_left = (BLK - e->size % BLK) % BLK;
		e->xattrs = p.xattrs;
		e->n_xattrs = p.n_xattrs;
		p.xattrs = NULL;
		p.n_xattrs = 0;
		pending_free(&p);
		return 1;
	}
fail:
	pending_free(&p);
	tar_entry_free(e);
	return -1;
}

ssize_t tar_read_data(struct tar_reader *r, void *buf, size_t len,
		      struct box_err *err)
{
	if (!r->data_left)
		return 0;
	size_t k = len < r->data_left ? len : (size_t)r->data_left;
	if (read_exact(r, buf, k, err) < 0)
		return -1;
	r->data_left -= k;
	return (ssize_t)k;
}

int tar_finish(struct tar_reader *r, char out[72], struct box_err *err)
{
	/* Whatever follows the end marker (the second zero block, the block
	 * padding of the writer) belongs to the stream the digest covers. */
	char buf[16 * BLK];
	for (;;) {
		ssize_t n = read(r->fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return box_fail(err, BOX_ESYS, errno, "read archive");
		if (n == 0)
			break;
		sha256_update(r->md, buf, (size_t)n);
		r->consumed += (uint64_t)n;
	}
	char hex[65];
	sha256_final(r->md, hex);
	r->md = NULL;
	snprintf(out, 72, "sha256:%s", hex);
	return 0;
}

void tar_entry_free(struct tar_entry *e)
{
	free(e->path);
	free(e->linkname);
	for (size_t i = 0; i < e->n_xattrs; i++) {
		free(e->xattrs[i].name);
		free(e->xattrs[i].value);
	}
	free(e->xattrs);
	memset(e, 0, sizeof *e);
}

int tar_clean_path(const char *in, char **out, struct box_err *err)
{
	size_t len = strlen(in);
	char *res = malloc(len + 1);
	if (!res)
		return box_fail(err, BOX_ESYS, ENOMEM, "path");
	size_t n = 0;
	const char *p = in;
	while (*p) {
		while (*p == '/')
			p++;
		const char *s = p;
		while (*p && *p != '/')
			p++;
		size_t cl = (size_t)(p - s);
		if (cl == 0 || (cl == 1 && s[0] == '.'))
			continue;
		if (cl == 2 && s[0] == '.' && s[1] == '.') {
			free(res);
			return box_fail(err, BOX_EINVAL, 0,
					"archive member '%.200s' points outside "
					"the tree (..)",
					in);
		}
		if (n)
			res[n++] = '/';
		memcpy(res + n, s, cl);
		n += cl;
	}
	res[n] = '\0';
	*out = res;
	return 0;
}

/* ---- writing ------------------------------------------------------------ */

static int w_all(struct tar_writer *w, const void *buf, size_t len,
		 struct box_err *err)
{
	if (util_write_all(w->fd, buf, len) < 0)
		return box_fail(err, BOX_ESYS, errno, "write archive");
	w->written += len;
	return 0;
}

static bool put_octal(unsigned char *f, size_t len, uint64_t v)
{
	/* len-1 digits and a NUL */
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%0*llo", (int)len - 1,
			 (unsigned long long)v);
	if (n < 0 || (size_t)n > len - 1)
		return false;
	memcpy(f, tmp, len - 1);
	f[len - 1] = '\0';
	return true;
}

static void finish_header(unsigned char *h)
{
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	unsigned long sum = 0;
	for (int i = 0; i < BLK; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06lo", sum);
	h[155] = ' ';
}

/* Append "LEN key=value\n" where LEN counts itself. */
static int pax_add(char **buf, size_t *len, const char *key, const char *val,
		   size_t vlen)
{
	size_t body = strlen(key) + vlen + 3; /* ' ' '=' '\n' */
	size_t digits = 1, total;
	for (;;) {
		total = body + digits;
		size_t d = 1;
		for (size_t t = total; t >= 10; t /= 10)
			d++;
		if (d == digits)
			break;
		digits = d;
	}
	char *nb = realloc(*buf, *len + total + 1);
	if (!nb)
		return -1;
	*buf = nb;
	int n = sprintf(nb + *len, "%zu %s=", total, key);
	memcpy(nb + *len + n, val, vlen);
	nb[*len + (size_t)n + vlen] = '\n';
	*len += total;
	return 0;
}

int tar_write_header(struct tar_writer *w, const struct tar_entry *e,
		     struct box_err *err)
{
	unsigned char h[BLK];
	memset(h, 0, sizeof h);
	char *pax = NULL;
	size_t paxlen = 0;
	bool oom = false;
	size_t plen = strlen(e->path);
	if (plen > 100)
		oom |= pax_add(&pax, &paxlen, "path", e->path, plen) < 0;
	memcpy(h, e->path, plen > 100 ? 100 : plen);
	size_t llen = e->linkname ? strlen(e->linkname) : 0;
	if (llen > 100)
		oom |= pax_add(&pax, &paxlen, "linkpath", e->linkname, llen) < 0;
	if (llen)
		memcpy(h + 157, e->linkname, llen > 100 ? 100 : llen);
	char num[32];
	put_octal(h + 100, 8, e->mode & 07777);
	if (!put_octal(h + 108, 8, e->uid)) {
		snprintf(num, sizeof num, "%u", (unsigned)e->uid);
		oom |= pax_add(&pax, &paxlen, "uid", num, strlen(num)) < 0;
		put_octal(h + 108, 8, 0);
	}
	if (!put_octal(h + 116, 8, e->gid)) {
		snprintf(num, sizeof num, "%u", (unsigned)e->gid);
		oom |= pax_add(&pax, &paxlen, "gid", num, strlen(num)) < 0;
		put_octal(h + 116, 8, 0);
	}
	if (!put_octal(h + 124, 12, e->size)) {
		snprintf(num, sizeof num, "%llu", (unsigned long long)e->size);
		oom |= pax_add(&pax, &paxlen, "size", num, strlen(num)) < 0;
		put_octal(h + 124, 12, 0);
	}
	put_octal(h + 136, 12, e->mtime > 0 ? (uint64_t)e->mtime : 0);
	for (size_t i = 0; i < e->n_xattrs; i++) {
		char key[300];
		snprintf(key, sizeof key, "SCHILY.xattr.%s", e->xattrs[i].name);
		oom |= pax_add(&pax, &paxlen, key, e->xattrs[i].value,
			       e->xattrs[i].len) < 0;
	}
	h[156] = (unsigned char)e->type;
	if (e->type == '3' || e->type == '4') {
		put_octal(h + 329, 8, e->devmajor);
		put_octal(h + 337, 8, e->devminor);
	}
	if (oom) {
		free(pax);
		return box_fail(err, BOX_ESYS, ENOMEM, "write archive");
	}
	if (pax) {
		unsigned char ph[BLK];
		memset(ph, 0, sizeof ph);
		snprintf((char *)ph, 100, "PaxHeaders/%.80s", e->path);
		put_octal(ph + 100, 8, 0644);
		put_octal(ph + 108, 8, 0);
		put_octal(ph + 116, 8, 0);
		put_octal(ph + 124, 12, paxlen);
		put_octal(ph + 136, 12, 0);
		ph[156] = 'x';
		finish_header(ph);
		int rc = w_all(w, ph, BLK, err) < 0 ||
				 w_all(w, pax, paxlen, err) < 0 ||
				 tar_write_pad(w, paxlen, err) < 0
			 ? -1
			 : 0;
		free(pax);
		if (rc < 0)
			return -1;
	}
	finish_header(h);
	return w_all(w, h, BLK, err);
}

int tar_write_data(struct tar_writer *w, const void *buf, size_t len,
		   struct box_err *err)
{
	return w_all(w, buf, len, err);
}

int tar_write_pad(struct tar_writer *w, uint64_t size, struct box_err *err)
{
	static const char zero[BLK];
	size_t pad = (size_t)((BLK - size % BLK) % BLK);
	return pad ? w_all(w, zero, pad, err) : 0;
}

int tar_write_end(struct tar_writer *w, struct box_err *err)
{
	static const char zero[2 * BLK];
	return w_all(w, zero, sizeof zero, err);
}
