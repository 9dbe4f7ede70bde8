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

int main(void)
{
	test_clean_path();
	test_roundtrip();
	test_gnu();
	UNIT_DONE();
}
