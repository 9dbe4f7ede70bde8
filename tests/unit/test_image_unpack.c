/* test_image_unpack.c - filling layers: archives from the host's tar (GNU
 * and pax formats, compressed through the pipe), OCI whiteouts, hostile
 * members (../, writes through symlinks, hard links out, devices), and the
 * tree copy with its content digest.  Needs root (chown, mknod, trusted.*
 * xattrs), as boxtop does. */
#include <limits.h>
#include <stdarg.h>
#include "image_layer.h"
#include "image_pipe.h"
#include "unit.h"
#include "unit_sh.h"
#include "util.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

static char base[64];

static bool exists(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool exists(const char *fmt, ...)
{
	char p[PATH_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p, sizeof p, fmt, ap);
	va_end(ap);
	struct stat st;
	return lstat(p, &st) == 0;
}

/* Unpack archive file into a fresh dir; returns layer_unpack's result. */
static int unpack(const char *file, const char *dst, unsigned flags,
		  struct layer_stats *st, struct box_err *err)
{
	sh("rm -rf %s && mkdir -p %s", dst, dst);
	struct zpipe z;
	if (zpipe_open_read(file, &z, err) < 0)
		return -1;
	struct tar_reader r;
	tar_reader_init(&r, z.fd, err);
	int rc = layer_unpack(&r, dst, flags, st, err);
	char dig[72];
	if (rc == 0)
		rc = tar_finish(&r, dig, err);
	tar_reader_free(&r);
	if (zpipe_close(&z, rc == 0, rc == 0 ? err : NULL) < 0)
		rc = -1;
	return rc;
}

static void make_tree(const char *src)
{
	sh("mkdir -p %s/etc %s/usr/bin %s/deep/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/"
	   "q/r/s/t/u/v/w/x/y/z/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	   src, src, src);
	sh("echo root:x:0:0 > %s/etc/passwd && echo hi > %s/usr/bin/tool && "
	   "chmod 4755 %s/usr/bin/tool && chown 1234:5678 %s/etc/passwd && "
	   "ln %s/usr/bin/tool %s/usr/bin/tool2 && ln -s ../usr/bin/tool "
	   "%s/etc/link && ln -s /etc/passwd %s/abslink && mkfifo %s/fifo && "
	   "echo deep > %s/deep/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/"
	   "x/y/z/file-with-a-rather-long-name-to-pass-one-hundred-chars",
	   src, src, src, src, src, src, src, src, src, src);
}

static void test_host_formats(void)
{
	char src[128], dst[128], tarf[160];
	struct box_err err = {0};
	snprintf(src, sizeof src, "%s/src", base);
	snprintf(dst, sizeof dst, "%s/dst", base);
	make_tree(src);
	static const char *const fmts[] = {"gnu", "pax", "posix"};
	for (size_t i = 0; i < ARRAY_LEN(fmts); i++) {
		char name[64];
		snprintf(tarf, sizeof tarf, "%s/t.tar", base);
		sh("tar -C %s --format=%s -cf %s .", src, fmts[i], tarf);
		struct layer_stats st = {0};
		int rc = unpack(tarf, dst, 0, &st, &err);
		snprintf(name, sizeof name, "host tar %s: unpacks", fmts[i]);
		CHECK(name, rc == 0);
		snprintf(name, sizeof name, "host tar %s: same tree", fmts[i]);
		CHECK(name, sh("diff -r --no-dereference -x fifo %s %s >/dev/null 2>&1",
			       src, dst) == 0);
		struct stat a, b;
		char p1[256], p2[256];
		snprintf(p1, sizeof p1, "%s/usr/bin/tool", dst);
		snprintf(p2, sizeof p2, "%s/usr/bin/tool2", dst);
		snprintf(name, sizeof name, "host tar %s: hard link kept",
			 fmts[i]);
		CHECK(name, stat(p1, &a) == 0 && stat(p2, &b) == 0 &&
				    a.st_ino == b.st_ino);
		snprintf(name, sizeof name, "host tar %s: setuid kept", fmts[i]);
		CHECK(name, (a.st_mode & 07777) == 04755);
		snprintf(p1, sizeof p1, "%s/etc/passwd", dst);
		snprintf(name, sizeof name, "host tar %s: owner kept", fmts[i]);
		CHECK(name, stat(p1, &a) == 0 && a.st_uid == 1234 &&
				    a.st_gid == 5678);
	}
	/* compressed, told by content whatever the name */
	static const char *const codecs[] = {"gzip", "xz", "zstd"};
	for (size_t i = 0; i < ARRAY_LEN(codecs); i++) {
		char name[64];
		snprintf(tarf, sizeof tarf, "%s/blob", base);
		sh("tar -C %s -cf - . | %s -c > %s", src, codecs[i], tarf);
		int rc = unpack(tarf, dst, 0, NULL, &err);
		snprintf(name, sizeof name, "%s through the pipe", codecs[i]);
		CHECK(name, rc == 0 &&
				    sh("diff -r --no-dereference -x fifo %s %s >/dev/null "
				       "2>&1",
				       src, dst) == 0);
	}
	/* a corrupt gzip stream is refused by the codec's exit status */
	sh("tar -C %s -cf - . | gzip -c > %s/c.gz && printf 'garbage' | dd "
	   "of=%s/c.gz bs=1 seek=200 conv=notrunc 2>/dev/null",
	   src, base, base);
	snprintf(tarf, sizeof tarf, "%s/c.gz", base);
	CHECK("corrupt gzip refused", unpack(tarf, dst, 0, NULL, &err) < 0);
}

static void write_tar(const char *file, const struct tar_entry *e, size_t n)
{
	struct box_err err = {0};
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	struct tar_writer w = {.fd = fd};
	for (size_t i = 0; i < n; i++) {
		tar_write_header(&w, &e[i], &err);
		if (e[i].type == '0') {
			tar_write_data(&w, "data", e[i].size, &err);
			tar_write_pad(&w, e[i].size, &err);
		}
	}
	tar_write_end(&w, &err);
	close(fd);
}

static void test_whiteouts(void)
{
	char tarf[128], dst[128], p[256];
	struct box_err err = {0};
	snprintf(tarf, sizeof tarf, "%s/wh.tar", base);
	snprintf(dst, sizeof dst, "%s/wh", base);
	struct tar_entry e[] = {
		{.path = "a/", .type = '5', .mode = 0755},
		{.path = "a/.wh.gone", .type = '0', .mode = 0644},
		{.path = "c/.wh..wh..opq", .type = '0', .mode = 0644},
		{.path = "c/kept", .type = '0', .mode = 0644, .size = 4},
	};
	write_tar(tarf, e, ARRAY_LEN(e));
	CHECK("whiteout: unpacks",
	      unpack(tarf, dst, LAYER_OCI_WHITEOUTS, NULL, &err) == 0);
	struct stat st;
	snprintf(p, sizeof p, "%s/a/gone", dst);
	CHECK("whiteout: .wh.NAME is char 0:0",
	      lstat(p, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == 0);
	CHECK("whiteout: no .wh. file left", !exists("%s/a/.wh.gone", dst));
	char v[8] = {0};
	snprintf(p, sizeof p, "%s/c", dst);
	CHECK("opaque: xattr set",
	      getxattr(p, "trusted.overlay.opaque", v, sizeof v) == 1 &&
		      v[0] == 'y');
	CHECK("opaque: own member kept", exists("%s/c/kept", dst));
	/* without the OCI flag (a rootfs tarball) .wh. files are files */
	CHECK("rootfs: .wh. kept as a file",
	      unpack(tarf, dst, 0, NULL, &err) == 0 &&
		      exists("%s/a/.wh.gone", dst));
}

static void test_hostile(void)
{
	char tarf[128], dst[128], outside[128];
	struct box_err err = {0};
	snprintf(tarf, sizeof tarf, "%s/evil.tar", base);
	snprintf(dst, sizeof dst, "%s/layer/root", base);
	snprintf(outside, sizeof outside, "%s/outside", base);
	sh("mkdir -p %s", outside);

	struct tar_entry dotdot[] = {
		{.path = "ok", .type = '0', .mode = 0644, .size = 4},
		{.path = "../evil", .type = '0', .mode = 0644, .size = 4},
	};
	write_tar(tarf, dotdot, ARRAY_LEN(dotdot));
	int rc = unpack(tarf, dst, 0, NULL, &err);
	CHECK("../evil refused", rc < 0 && strstr(err.msg, "outside"));
	CHECK("../evil not written", !exists("%s/layer/evil", base));

	struct tar_entry deep[] = {
		{.path = "a/b/../../../evil2", .type = '0', .mode = 0644,
		 .size = 4},
	};
	write_tar(tarf, deep, 1);
	CHECK("a/b/../../../ refused", unpack(tarf, dst, 0, NULL, &err) < 0 &&
					       !exists("%s/layer/evil2", base));

	struct tar_entry through[] = {
		{.path = "l", .linkname = outside, .type = '2', .mode = 0777},
		{.path = "l/x", .type = '0', .mode = 0644, .size = 4},
	};
	write_tar(tarf, through, ARRAY_LEN(through));
	rc = unpack(tarf, dst, 0, NULL, &err);
	CHECK("write through symlink refused",
	      rc < 0 && strstr(err.msg, "symlink"));
	CHECK("nothing written outside", !exists("%s/x", outside));

	struct tar_entry relthrough[] = {
		{.path = "up", .linkname = "../../outside", .type = '2',
		 .mode = 0777},
		{.path = "up/y", .type = '5', .mode = 0755},
	};
	write_tar(tarf, relthrough, ARRAY_LEN(relthrough));
	CHECK("replacing symlink by dir stays inside",
	      unpack(tarf, dst, 0, NULL, &err) == 0 ||
		      !exists("%s/y", outside));
	CHECK("no dir made outside", !exists("%s/y", outside));

	struct tar_entry hard[] = {
		{.path = "h", .linkname = "../../../etc/passwd", .type = '1'},
	};
	write_tar(tarf, hard, 1);
	CHECK("hard link out refused", unpack(tarf, dst, 0, NULL, &err) < 0);

	struct tar_entry hard2[] = {
		{.path = "l", .linkname = "/etc", .type = '2', .mode = 0777},
		{.path = "h", .linkname = "l/passwd", .type = '1'},
	};
	write_tar(tarf, hard2, ARRAY_LEN(hard2));
	CHECK("hard link through symlink refused",
	      unpack(tarf, dst, 0, NULL, &err) < 0 && !exists("%s/h", dst));

	struct tar_entry misc[] = {
		{.path = "/abs/file", .type = '0', .mode = 0644, .size = 4},
		{.path = "dev/sda", .type = '4', .mode = 0600, .devmajor = 8},
		{.path = "dev/null", .type = '3', .mode = 0666, .devmajor = 1,
		 .devminor = 3},
		{.path = "abslink", .linkname = "/etc/shadow", .type = '2',
		 .mode = 0777},
	};
	write_tar(tarf, misc, ARRAY_LEN(misc));
	struct layer_stats st = {0};
	rc = unpack(tarf, dst, 0, &st, &err);
	CHECK("absolute path made relative",
	      rc == 0 && exists("%s/abs/file", dst));
	CHECK("device nodes dropped",
	      st.dropped == 2 && !exists("%s/dev/sda", dst) &&
		      !exists("%s/dev/null", dst));
	char target[64] = {0};
	char lp[256];
	snprintf(lp, sizeof lp, "%s/abslink", dst);
	CHECK("absolute symlink kept verbatim (resolved in the container)",
	      readlink(lp, target, sizeof target) > 0 &&
		      !strcmp(target, "/etc/shadow"));
}

static void test_copy_tree(void)
{
	char src[128], d1[128], d2[128], up[128];
	struct box_err err = {0};
	snprintf(src, sizeof src, "%s/src", base);
	snprintf(d1, sizeof d1, "%s/c1", base);
	snprintf(d2, sizeof d2, "%s/c2", base);
	sh("rm -rf %s %s && mkdir -p %s %s", d1, d2, d1, d2);
	char g1[72], g2[72], g3[72];
	struct layer_stats st = {0};
	/* a directory import's progress total: every regular file's bytes,
	 * symlinks not followed (find -P), a hard-linked file once, as the
	 * copy writes them */
	sh("find -P %s -type f -printf '%%i %%s\\n' | sort -u | awk '{ s += $2 } END { print s + 0 }' >%s/want",
	   src, base);
	char wpath[160];
	snprintf(wpath, sizeof wpath, "%s/want", base);
	FILE *wf = fopen(wpath, "re");
	unsigned long long want = 0;
	if (wf) {
		if (fscanf(wf, "%llu", &want) != 1)
			want = 0;
		fclose(wf);
	}
	CHECK("tree bytes: the files' sum", want > 0 && layer_tree_bytes(src) == want);
	CHECK("copy: ok", layer_copy_tree(src, d1, 0, g1, &st, &err) == 0);
	CHECK("tree bytes: what the copy wrote", st.bytes == want);
	CHECK("copy: same tree",
	      sh("diff -r --no-dereference -x fifo %s %s >/dev/null 2>&1", src, d1) == 0);
	CHECK("copy: fifo kept", exists("%s/fifo", d1));
	CHECK("copy: again, same digest",
	      layer_copy_tree(src, d2, 0, g2, NULL, &err) == 0 &&
		      !strcmp(g1, g2));
	sh("rm -rf %s && mkdir %s && echo changed > %s/etc/passwd", d2, d2,
	   src);
	CHECK("copy: changed file, new digest",
	      layer_copy_tree(src, d2, 0, g3, NULL, &err) == 0 &&
		      strcmp(g1, g3) != 0);
	/* an overlay upper: whiteouts and opaque dirs survive only with the
	 * flag */
	snprintf(up, sizeof up, "%s/upper", base);
	sh("rm -rf %s && mkdir -p %s/d && mknod %s/gone c 0 0 && mknod %s/sda b "
	   "8 0 && setfattr -n trusted.overlay.opaque -v y %s/d 2>/dev/null || "
	   "python3 -c \"import os; os.setxattr('%s/d', 'trusted.overlay.opaque', b'y')\"",
	   up, up, up, up, up, up);
	sh("rm -rf %s && mkdir %s", d1, d1);
	st = (struct layer_stats){0};
	CHECK("upper: copies",
	      layer_copy_tree(up, d1, LAYER_OVERLAY_UPPER, g1, &st, &err) == 0);
	struct stat s;
	char p[256];
	snprintf(p, sizeof p, "%s/gone", d1);
	CHECK("upper: whiteout kept", lstat(p, &s) == 0 && S_ISCHR(s.st_mode));
	CHECK("upper: block device dropped",
	      !exists("%s/sda", d1) && st.dropped == 1);
	char v[4] = {0};
	snprintf(p, sizeof p, "%s/d", d1);
	CHECK("upper: opaque kept",
	      getxattr(p, "trusted.overlay.opaque", v, sizeof v) == 1);
	/* a redirect entry cannot stand alone: refused, not copied wrong */
	sh("mkdir -p %s/moved && python3 -c \"import os; os.setxattr('%s/moved', "
	   "'trusted.overlay.redirect', b'/old')\" && rm -rf %s && mkdir %s",
	   up, up, d1, d1);
	CHECK("upper: overlay redirect refused",
	      layer_copy_tree(up, d1, LAYER_OVERLAY_UPPER, g1, NULL, &err) < 0 &&
		      strstr(err.msg, "redirect"));
	sh("rm -rf %s/moved", up);
	sh("rm -rf %s && mkdir %s", d2, d2);
	layer_copy_tree(up, d2, 0, g2, NULL, &err);
	CHECK("plain dir copy drops whiteouts and trusted xattrs",
	      !exists("%s/gone", d2) &&
		      getxattr(p, "trusted.overlay.opaque", v, sizeof v) == 1 &&
		      ({
			      char q[256];
			      snprintf(q, sizeof q, "%s/d", d2);
			      getxattr(q, "trusted.overlay.opaque", v,
				       sizeof v) < 0;
		      }));
}

int main(void)
{
	if (!unit_need_root("image unpack"))
		return 0;
	snprintf(base, sizeof base, "/tmp/test_image_unpack.XXXXXX");
	if (!mkdtemp(base))
		return 1;
	test_host_formats();
	test_whiteouts();
	test_hostile();
	test_copy_tree();
	sh("rm -rf %s", base);
	UNIT_DONE();
}
