/* test_image_tar.c - the tar reader and writer, and path cleaning, on
 * archives made in memory (ours) and by hand (GNU long names, base-256). */
#include "image_tar.h"
#include "unit.h"
#include "util.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char *clean(const char *in)
{
	char *out = NULL;
	struct box_err err = {0};
	if (tar_clean_path(in, &out, &err) < 0)
		return NULL;
	return out;
}

static void test_clean_path(void)
{
	char *p;
	CHECK_STR("clean: plain", p = clean("etc/passwd"), "etc/passwd");
	free(p);
	CHECK_STR("clean: ./ prefix", p = clean("./etc/./passwd"), "etc/passwd");
	free(p);
	CHECK_STR("clean: absolute made relative", p = clean("/etc//passwd"),
		  "etc/passwd");
	free(p);
	CHECK_STR("clean: root", p = clean("./"), "");
	free(p);
	CHECK_STR("clean: dir slash", p = clean("usr/bin/"), "usr/bin");
	free(p);
	CHECK("clean: ../evil refused", clean("../evil") == NULL);
	CHECK("clean: a/../../evil refused", clean("a/../../evil") == NULL);
	CHECK("clean: /.. refused", clean("/../etc") == NULL);
	CHECK_STR("clean: dots in names ok", p = clean("a/..b/.c"), "a/..b/.c");
	free(p);
}

/* A file to write archives into and read them back from. */
static int tmpfile_fd(void)
{
	char path[] = "/tmp/test_image_tar.XXXXXX";
	int fd = mkstemp(path);
	unlink(path);
	return fd;
}

static void test_roundtrip(void)
{
	struct box_err err = {0};
	int fd = tmpfile_fd();
	struct tar_writer w = {.fd = fd};
	char longname[300];
	memset(longname, 'n', sizeof longname);
	memcpy(longname, "dir/", 4);
	longname[299] = '\0';
	struct tar_xattr xa = {"security.capability", "\x01\x02\x00\x03", 4};
	struct tar_entry e1 = {.path = "dir/", .type = '5', .mode = 0755};
	struct tar_entry e2 = {.path = longname, .type = '0', .mode = 04755,
			       .uid = 3000000, .gid = 7, .size = 5,
			       .mtime = 1700000000, .xattrs = &xa,
			       .n_xattrs = 1};
	struct tar_entry e3 = {.path = "dir/link", .linkname = "/etc/passwd",
			       .type = '2', .mode = 0777};
	int rc = tar_write_header(&w, &e1, &err);
	rc |= tar_write_header(&w, &e2, &err);
	rc |= tar_write_data(&w, "hello", 5, &err);
	rc |= tar_write_pad(&w, 5, &err);
	rc |= tar_write_header(&w, &e3, &err);
	rc |= tar_write_end(&w, &err);
	CHECK("write: no error", rc == 0);
	CHECK("write: block aligned", w.written % 512 == 0);
	lseek(fd, 0, SEEK_SET);

	struct tar_reader r;
	tar_reader_init(&r, fd, &err);
	struct tar_entry e;
	CHECK("read: dir", tar_next(&r, &e, &err) == 1 && e.type == '5' &&
				   !strcmp(e.path, "dir/") && e.mode == 0755);
	tar_entry_free(&e);
	CHECK("read: long name via pax", tar_next(&r, &e, &err) == 1 &&
						 !strcmp(e.path, longname));
	CHECK("read: big uid via pax", e.uid == 3000000 && e.gid == 7);
	CHECK("read: setuid mode", e.mode == 04755);
	CHECK("read: mtime", e.mtime == 1700000000);
	CHECK("read: xattr", e.n_xattrs == 1 &&
				     !strcmp(e.xattrs[0].name,
					     "security.capability") &&
				     e.xattrs[0].len == 4 &&
				     !memcmp(e.xattrs[0].value, "\x01\x02\x00\x03",
					     4));
	char buf[16] = {0};
	CHECK("read: data", tar_read_data(&r, buf, sizeof buf, &err) == 5 &&
				    !strcmp(buf, "hello"));
	tar_entry_free(&e);
	CHECK("read: symlink", tar_next(&r, &e, &err) == 1 && e.type == '2' &&
				       !strcmp(e.linkname, "/etc/passwd"));
	tar_entry_free(&e);
	CHECK("read: end", tar_next(&r, &e, &err) == 0);
	char dig[72];
	CHECK("read: digest", tar_finish(&r, dig, &err) == 0 &&
				      !strncmp(dig, "sha256:", 7) &&
				      strlen(dig) == 71);
	CHECK("read: consumed all", r.consumed == w.written);
	tar_reader_free(&r);
	close(fd);
}

/* Build a raw header by hand, the way GNU tar writes it. */
static void raw_header(unsigned char *h, const char *name, char type,
		       unsigned long long size, bool b256_size)
{
	memset(h, 0, 512);
	snprintf((char *)h, 100, "%s", name);
	snprintf((char *)h + 100, 8, "%07o", 0644);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	if (b256_size) {
		h[124] = 0x80;
		for (int i = 0; i < 8; i++)
			h[135 - i] = (unsigned char)(size >> (8 * i));
	} else
		snprintf((char *)h + 124, 12, "%011llo", size);
	snprintf((char *)h + 136, 12, "%011o", 0);
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar  ", 8); /* GNU magic */
	memset(h + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
}

static void test_gnu(void)
{
	struct box_err err = {0};
	int fd = tmpfile_fd();
	unsigned char h[512], blk[512];
	char longname[200];
	memset(longname, 'g', sizeof longname - 1);
	longname[199] = '\0';
	raw_header(h, "././@LongLink", 'L', sizeof longname, false);
	write(fd, h, 512);
	memset(blk, 0, 512);
	memcpy(blk, longname, sizeof longname);
	write(fd, blk, 512);
	raw_header(h, "truncated-name", '0', 3, true);
	write(fd, h, 512);
	memset(blk, 0, 512);
	memcpy(blk, "abc", 3);
	write(fd, blk, 512);
	/* a corrupt header */
	raw_header(h, "bad", '0', 0, false);
	h[0] ^= 1;
	write(fd, h, 512);
	lseek(fd, 0, SEEK_SET);

	struct tar_reader r;
	tar_reader_init(&r, fd, &err);
	struct tar_entry e;
	CHECK("gnu: long name", tar_next(&r, &e, &err) == 1 &&
					!strcmp(e.path, longname));
	CHECK("gnu: base-256 size", e.size == 3);
	tar_entry_free(&e);
	CHECK("gnu: bad checksum refused", tar_next(&r, &e, &err) == -1 &&
						   strstr(err.msg, "checksum"));
	tar_reader_free(&r);
	close(fd);

	/* truncated archive: header says 1000 bytes, none follow */
	fd = tmpfile_fd();
	raw_header(h, "short", '0', 1000, false);
	write(fd, h, 512);
	write(fd, "xy", 2);
	lseek(fd, 0, SEEK_SET);
	tar_reader_init(&r, fd, &err);
	char buf[2048];
	int rc = tar_next(&r, &e, &err);
	ssize_t n = rc == 1 ? tar_read_data(&r, buf, sizeof buf, &err) : 0;
	CHECK("truncated data refused", rc == 1 && n == -1 &&
						strstr(err.msg, "truncated"));
	tar_entry_free(&e);
	tar_reader_free(&r);
	close(fd);
}

/* An archive of one pax header member holding body, then a regular file
 * "plain" of 3 bytes: tar_next's result, the path it gave in *path
 * (malloc'd, NULL on failure) and the error in err. */
static int read_pax(const char *body, size_t len, char **path,
		    struct box_err *err)
{
	int fd = tmpfile_fd();
	size_t padded = (len + 511) / 512 * 512;
	unsigned char h[512];
	char *blk = calloc(1, padded + 512);
	raw_header(h, "PaxHeaders/plain", 'x', len, false);
	write(fd, h, 512);
	memcpy(blk, body, len);
	write(fd, blk, padded);
	raw_header(h, "plain", '0', 3, false);
	write(fd, h, 512);
	memset(blk, 0, 512);
	memcpy(blk, "abc", 3);
	write(fd, blk, 512);
	memset(blk, 0, 512);
	write(fd, blk, 512);
	write(fd, blk, 512);
	free(blk);
	lseek(fd, 0, SEEK_SET);
	struct tar_reader r;
	tar_reader_init(&r, fd, err);
	struct tar_entry e;
	int rc = tar_next(&r, &e, err);
	*path = rc == 1 ? strdup(e.path) : NULL;
	if (rc == 1)
		tar_entry_free(&e);
	tar_reader_free(&r);
	close(fd);
	return rc;
}

static bool pax_refused(const char *body, size_t len, const char *why)
{
	struct box_err err = {0};
	char *path = NULL;
	int rc = read_pax(body, len, &path, &err);
	free(path);
	return rc == -1 && strstr(err.msg, why);
}

static void test_pax(void)
{
	struct box_err err = {0};
	char *path = NULL;
	static const char good[] = "16 path=abc/def\n10 uid=42\n";
	CHECK("pax: path record", read_pax(good, sizeof good - 1, &path,
					   &err) == 1 &&
					  path && !strcmp(path, "abc/def"));
	free(path);
	static const char pad[] = "16 path=abc/def\n\0\0\0";
	CHECK("pax: NUL padding after the records",
	      read_pax(pad, sizeof pad - 1, &path, &err) == 1 && path &&
		      !strcmp(path, "abc/def"));
	free(path);
	/* strtoul would skip the blanks: the length then points before
	 * the key, and the '=' search ran backwards over the whole heap. */
	CHECK("pax: blank before the length refused",
	      pax_refused(" \n2 ", 4, "malformed pax"));
	/* the same after a good record, over a body of 2.5 kB */
	char big[2560];
	memset(big, 'x', sizeof big);
	memcpy(big, "16 path=abc/def\n \n2 ", 20);
	CHECK("pax: blank length after a record refused",
	      pax_refused(big, sizeof big, "malformed pax"));
	/* a body past malloc's mmap threshold: the old search ran off the
	 * end of its mapping (SIGSEGV without ASan) */
	size_t hlen = 300 * 1024;
	char *huge = malloc(hlen);
	memset(huge, ' ', hlen);
	memcpy(huge, " \n2 ", 4);
	CHECK("pax: blank length in a large body refused",
	      pax_refused(huge, hlen, "malformed pax"));
	free(huge);
	CHECK("pax: '+' length refused", pax_refused("+8 a=bc\n", 8,
						     "malformed pax"));
	CHECK("pax: '-' length refused", pax_refused("-8 a=bc\n", 8,
						     "malformed pax"));
	CHECK("pax: empty key refused", pax_refused("7 =abc\n", 7,
						    "malformed pax"));
	CHECK("pax: no '=' refused", pax_refused("7 abcd\n", 7,
						 "malformed pax"));
	CHECK("pax: length past the body refused",
	      pax_refused("99 a=b\n", 7, "malformed pax"));
	CHECK("pax: length of 20 digits refused",
	      pax_refused("99999999999999999999 a=b\n", 25, "malformed pax"));
	CHECK("pax: length too short for its own digits refused",
	      pax_refused("2 a=b\n", 6, "malformed pax"));
	CHECK("pax: uid past uid_t refused",
	      pax_refused("18 uid=4294967296\n", 18, "uid"));
	CHECK("pax: negative gid refused",
	      pax_refused("10 gid=-1\n", 10, "gid"));
	CHECK("pax: blank before a number refused",
	      pax_refused("11 uid= 42\n", 11, "uid"));
	CHECK("pax: size past 2^63 refused",
	      pax_refused("29 size=18446744073709551615\n", 29, "size"));
}

int main(void)
{
	test_clean_path();
	test_roundtrip();
	test_gnu();
	test_pax();
	UNIT_DONE();
}
