/* fuzz_tar.c - the tar reader (image_tar.c) on any byte stream: headers,
 * GNU long names, pax records, base-256 numbers, data and padding, path
 * cleaning, then the writer on every member read and the reader again on
 * what it wrote, which must give the same members back.
 *
 * A header's checksum would stop most mutations at the first block: a
 * block whose checksum field is eight blanks (the seeds' headers) gets the
 * right sum before it is read, any other block is read as it is. */
#include "fuzz.h"
#include "image_tar.h"

#include <sys/mman.h>

#define MAX_MEMBERS 256

static void fix_checksums(unsigned char *buf, size_t size)
{
	for (size_t off = 0; off + 512 <= size; off += 512) {
		unsigned char *h = buf + off;
		if (memcmp(h + 148, "        ", 8))
			continue;
		unsigned sum = 0;
		for (int i = 0; i < 512; i++)
			sum += h[i];
		char f[8];
		snprintf(f, sizeof f, "%06o", sum);
		memcpy(h + 148, f, 7); /* six digits, a NUL; the blank stays */
	}
}

/* A memory file holding exactly len bytes of buf, offset at 0. */
static int memfile(int *fd, const void *buf, size_t len)
{
	if (*fd < 0 && (*fd = memfd_create("fuzz-tar", MFD_CLOEXEC)) < 0)
		abort();
	if (ftruncate(*fd, 0) < 0 ||
	    (len && pwrite(*fd, buf, len, 0) != (ssize_t)len) ||
	    lseek(*fd, 0, SEEK_SET) < 0)
		abort();
	return *fd;
}

struct seen {
	char *path, *link;
	char type;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	uint64_t size;
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int in = -1, out = -1;
	struct box_err err = {0};
	unsigned char *buf = malloc(size ? size : 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	fix_checksums(buf, size);
	memfile(&in, buf, size);
	free(buf);
	memfile(&out, NULL, 0);

	struct tar_reader r;
	struct tar_writer w = {.fd = out};
	struct seen seen[MAX_MEMBERS];
	size_t n = 0;
	int rc = -1;
	if (tar_reader_init(&r, in, &err) < 0)
		abort();
	for (;;) {
		struct tar_entry e;
		rc = tar_next(&r, &e, &err);
		if (rc <= 0)
			break;
		FUZZ_ASSERT(e.path && e.linkname);
		char *clean = NULL;
		if (tar_clean_path(e.path, &clean, &err) == 0) {
			FUZZ_ASSERT(!strstr(clean, "//") && clean[0] != '/');
			free(clean);
		}
		/* the data: exactly size bytes, or an error */
		char chunk[4096];
		uint64_t got = 0;
		ssize_t k;
		while ((k = tar_read_data(&r, chunk, sizeof chunk, &err)) > 0)
			got += (uint64_t)k;
		if (k < 0) {
			tar_entry_free(&e);
			rc = -1;
			break;
		}
		FUZZ_ASSERT(got == e.size);
		if (n < MAX_MEMBERS && e.mtime >= 0 &&
		    e.mtime < 077777777777) {
			/* what the writer can write back as it is: no data
			 * (the writer copies none here), an mtime that fits */
			e.size = 0;
			if (tar_write_header(&w, &e, &err) == 0) {
				seen[n] = (struct seen){strdup(e.path),
							strdup(e.linkname),
							e.type, e.mode, e.uid,
							e.gid, 0};
				n++;
			}
		}
		tar_entry_free(&e);
	}
	if (rc == 0) {
		char digest[72];
		FUZZ_ASSERT(tar_finish(&r, digest, &err) == 0);
		FUZZ_ASSERT(!strncmp(digest, "sha256:", 7) &&
			    strlen(digest) == 71);
	}
	tar_reader_free(&r);
	FUZZ_SAY("read %zu members written back, ended %d %s\n", n, rc,
		 rc ? err.msg : "");

	/* what the writer made reads back as the same members */
	if (tar_write_end(&w, &err) < 0 || lseek(out, 0, SEEK_SET) < 0)
		abort();
	if (tar_reader_init(&r, out, &err) < 0)
		abort();
	for (size_t i = 0; i < n; i++) {
		struct tar_entry e;
		int again = tar_next(&r, &e, &err);
		if (again != 1)
			fprintf(stderr, "member %zu '%s': %s\n", i,
				seen[i].path, err.msg);
		FUZZ_ASSERT(again == 1);
		/* '0' with a trailing slash reads as a directory, as GNU
		 * tar writes old ones */
		size_t pl = strlen(seen[i].path);
		char type = seen[i].type == '0' && pl &&
					    seen[i].path[pl - 1] == '/'
				    ? '5'
				    : seen[i].type;
		FUZZ_ASSERT(!strcmp(e.path, seen[i].path));
		FUZZ_ASSERT(!strcmp(e.linkname, seen[i].link));
		FUZZ_ASSERT(e.type == type && e.mode == seen[i].mode);
		FUZZ_ASSERT(e.uid == seen[i].uid && e.gid == seen[i].gid);
		tar_entry_free(&e);
	}
	tar_reader_free(&r);
	for (size_t i = 0; i < n; i++) {
		free(seen[i].path);
		free(seen[i].link);
	}
	return 0;
}
