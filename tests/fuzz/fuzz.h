/* fuzz.h - what the harnesses (tests/fuzz/fuzz_*.c) share.
 *
 * Each harness is one LLVMFuzzerTestOneInput over one parser of untrusted
 * input.  `make fuzz` links it with libFuzzer (clang, -fsanitize=fuzzer,
 * address,undefined, the core built by clang in build-fuzz/) and runs it
 * against its seeds in tests/fuzz/corpus/<name>/; `make all` links it with
 * replay.c instead, a main() that feeds it every seed once, so each input
 * that ever crashed stays a regression test of tests/run.sh unit (under
 * ASan with `make asan`, under memcheck with `make valgrind`).
 *
 * A harness checks the invariants its parser promises and traps when one
 * breaks: the sanitizers find the memory errors, the traps the logic. */
#ifndef FUZZ_H
#define FUZZ_H

#include "sha256.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_UNUSED __attribute__((unused))

/* An invariant broken: a crash libFuzzer records with its input. */
#define FUZZ_ASSERT(cond)                                                     \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "%s:%d: invariant broken: %s\n",      \
				__FILE__, __LINE__, #cond);                   \
			abort();                                              \
		}                                                             \
	} while (0)

/* What a harness made of its input, on stderr with BOXTOP_FUZZ_VERBOSE
 * set: for checking that a seed reaches as far as meant. */
#define FUZZ_SAY(...)                                                         \
	do {                                                                  \
		if (getenv("BOXTOP_FUZZ_VERBOSE"))                            \
			fprintf(stderr, __VA_ARGS__);                         \
	} while (0)

/* The input as a C string (cut at its first NUL), malloc'd. */
static FUZZ_UNUSED char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A path of PATH_MAX bytes at most into buf (of PATH_MAX), or abort. */
static FUZZ_UNUSED __attribute__((format(printf, 2, 3))) void
fuzz_path(char *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_MAX)
		abort();
}

static FUZZ_UNUSED char fuzz_tmp[PATH_MAX];

static FUZZ_UNUSED void fuzz_tmp_remove(void)
{
	util_rm_rf(fuzz_tmp, NULL);
}

/* A private directory under $TMPDIR for a harness that needs files (a
 * layout, a root), made at the first call, removed at exit. */
static FUZZ_UNUSED const char *fuzz_dir(void)
{
	if (fuzz_tmp[0])
		return fuzz_tmp;
	const char *t = getenv("TMPDIR");
	snprintf(fuzz_tmp, sizeof fuzz_tmp, "%s/fuzz-harness.XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(fuzz_tmp))
		abort();
	atexit(fuzz_tmp_remove);
	return fuzz_tmp;
}

/* dir/name holds exactly data (made or replaced). */
static FUZZ_UNUSED void fuzz_write(const char *dir, const char *name,
				   const void *data, size_t len)
{
	char path[PATH_MAX];
	fuzz_path(path, "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || util_write_all(fd, data, len) < 0) {
		/* the harness's own files, not the code under test */
		fprintf(stderr, "harness: write %s: %s\n", path,
			strerror(errno));
		abort();
	}
	close(fd);
}

/* A ustar header with its checksum: a regular file of size bytes, or
 * another type. */
static FUZZ_UNUSED void fuzz_header(unsigned char h[512], const char *name,
				   char type, size_t size)
{
	memset(h, 0, 512);
	snprintf((char *)h, 100, "%s", name);
	snprintf((char *)h + 100, 8, "%07o", 0644);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)size);
	snprintf((char *)h + 136, 12, "%011o", 0);
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
}

/* A layer of one file, "hello" holding "hi\n", as tar writes it (two
 * zero blocks after it), in tar[2048]. */
static FUZZ_UNUSED void fuzz_layer(unsigned char tar[2048])
{
	memset(tar, 0, 2048);
	fuzz_header(tar, "hello", '0', 3);
	memcpy(tar + 512, "hi\n", 3);
}

/* "sha256:<hex>" of data. */
static FUZZ_UNUSED void fuzz_digest(const void *data, size_t len,
				   char digest[72])
{
	struct box_err err = {0};
	struct sha256 *md = sha256_new(&err);
	if (!md)
		abort();
	char hex[65];
	sha256_update(md, data, len);
	sha256_final(md, hex);
	snprintf(digest, 72, "sha256:%s", hex);
}

/* The input cut into at most max documents at each "\n---\n". */
struct fuzz_doc {
	const char *p;
	size_t len;
};

static FUZZ_UNUSED size_t fuzz_split(const uint8_t *data, size_t size,
				     struct fuzz_doc *docs, size_t max)
{
	static const char sep[] = "\n---\n";
	const char *p = (const char *)data, *end = p + size;
	size_t n = 0;
	while (n < max) {
		const char *s = n + 1 < max ? memmem(p, (size_t)(end - p), sep,
						     sizeof sep - 1)
					    : NULL;
		docs[n].p = p;
		docs[n].len = s ? (size_t)(s - p) : (size_t)(end - p);
		n++;
		if (!s)
			break;
		p = s + sizeof sep - 1;
	}
	return n;
}

/* A boxtop root of the harness's own, made once: root gets its path. */
static FUZZ_UNUSED struct box_ctx *fuzz_root_open(char root[PATH_MAX])
{
	struct box_err err = {0};
	fuzz_path(root, "%s/root", fuzz_dir());
	struct box_ctx *c = box_open(root, &err);
	if (!c) {
		fprintf(stderr, "%s\n", err.msg);
		abort();
	}
	return c;
}

#endif
