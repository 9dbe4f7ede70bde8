/* fuzz_pax.c - pax extended header records (image_tar.c parse_pax): the
 * input is the body of an 'x' member, put in front of a regular file in a
 * well-formed archive, so every mutation reaches the record parser. */
#include "fuzz.h"
#include "image_tar.h"

#include <sys/mman.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	if (fd < 0 && (fd = memfd_create("fuzz-pax", MFD_CLOEXEC)) < 0)
		abort();
	size_t padded = (size + 511) / 512 * 512;
	size_t total = 512 + padded + 512 + 512 + 1024;
	unsigned char *a = calloc(1, total);
	if (!a)
		abort();
	fuzz_header(a, "PaxHeaders/plain", 'x', size);
	memcpy(a + 512, data, size);
	fuzz_header(a + 512 + padded, "plain", '0', 3);
	memcpy(a + 1024 + padded, "abc", 3);
	if (ftruncate(fd, 0) < 0 || pwrite(fd, a, total, 0) != (ssize_t)total ||
	    lseek(fd, 0, SEEK_SET) < 0)
		abort();
	free(a);

	struct box_err err = {0};
	struct tar_reader r;
	if (tar_reader_init(&r, fd, &err) < 0)
		abort();
	struct tar_entry e;
	int rc = tar_next(&r, &e, &err);
	FUZZ_SAY("tar_next: %d %s\n", rc, rc == 1 ? e.path : err.msg);
	if (rc == 1) {
		FUZZ_ASSERT(e.path && e.linkname);
		char *clean = NULL;
		if (tar_clean_path(e.path, &clean, &err) == 0)
			free(clean);
		for (size_t i = 0; i < e.n_xattrs; i++)
			FUZZ_ASSERT(e.xattrs[i].name[0] &&
				    (e.xattrs[i].len == 0 || e.xattrs[i].value));
		FUZZ_ASSERT((uint64_t)e.uid < UINT32_MAX &&
			    (uint64_t)e.gid < UINT32_MAX);
		char buf[512];
		uint64_t got = 0;
		ssize_t k;
		while ((k = tar_read_data(&r, buf, sizeof buf, &err)) > 0)
			got += (uint64_t)k;
		FUZZ_ASSERT(k < 0 || got == e.size);
		tar_entry_free(&e);
	} else {
		FUZZ_ASSERT(rc == -1 && err.msg[0]);
	}
	tar_reader_free(&r);
	return 0;
}
