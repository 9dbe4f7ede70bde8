/* fuzz_oci.c - an OCI image layout's JSON (image_oci.c): index.json, the
 * manifest and the image config, read by oci_import from a layout written
 * for each input, down to the unpacking of its one layer.
 *
 * The input is up to four documents separated by "\n---\n": the config,
 * the manifest, index.json and the tag to import (none: the only image).  Blobs are found and checked by digest, which a
 * mutation would never get right, so before they are written, in the
 * config "@D" becomes the layer's diff_id, in the manifest "@C"/"@c" the
 * config blob's digest/size and "@L"/"@l" the layer's, in index.json
 * "@M"/"@m" the manifest's. */
#include "fuzz_import.h"

static struct box_ctx *ctx;
static char layout[PATH_MAX], blobs[PATH_MAX];
static char layer_digest[72], layer_size[32];

/* The one layer (uncompressed: its digest is its diff_id). */
static void make_layer(void)
{
	static unsigned char tar[2048];
	fuzz_layer(tar);
	fuzz_digest(tar, sizeof tar, layer_digest);
	snprintf(layer_size, sizeof layer_size, "%zu", sizeof tar);
	fuzz_write(blobs, layer_digest + 7, tar, sizeof tar);
}

static void setup(void)
{
	struct box_err err = {0};
	char root[PATH_MAX];
	ctx = fuzz_root_open(root);
	fuzz_path(layout, "%s/layout", fuzz_dir());
	fuzz_path(blobs, "%s/blobs/sha256", layout);
	if (util_mkdir_p(blobs, 0755, &err) < 0)
		abort();
	fuzz_write(layout, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}",
		   30);
	make_layer();
}

/* doc with each (token, value) pair replaced; malloc'd, length in *len. */
static char *subst(const struct fuzz_doc *doc, const char *const *pairs,
		   size_t npairs, size_t *len)
{
	/* a token of two bytes or more becomes at most 71 */
	size_t n = 0;
	char *out = malloc(doc->len / 2 * 72 + doc->len + 1);
	if (!out)
		abort();
	for (size_t i = 0; i < doc->len;) {
		bool done = false;
		for (size_t k = 0; k < npairs && !done; k++) {
			size_t tl = strlen(pairs[2 * k]);
			if (doc->len - i >= tl &&
			    !memcmp(doc->p + i, pairs[2 * k], tl)) {
				size_t vl = strlen(pairs[2 * k + 1]);
				memcpy(out + n, pairs[2 * k + 1], vl);
				n += vl;
				i += tl;
				done = true;
			}
		}
		if (!done)
			out[n++] = doc->p[i++];
	}
	*len = n;
	return out;
}

/* Write a blob; its digest and size into the given buffers. */
static void put_blob(const char *data, size_t len, char digest[72],
		     char size[32])
{
	fuzz_digest(data, len, digest);
	snprintf(size, 32, "%zu", len);
	fuzz_write(blobs, digest + 7, data, len);
}

/* Every blob but the layer goes before the next input. */
static void clear_blobs(void)
{
	char **names;
	size_t n;
	if (util_list_names(blobs, NULL, &names, &n, NULL) < 0)
		abort();
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];
		fuzz_path(path, "%s/%s", blobs, names[i]);
		if (strcmp(names[i], layer_digest + 7))
			unlink(path);
	}
	util_names_free(names, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ctx)
		setup();
	struct fuzz_doc d[4] = {{"{}", 2}, {"{}", 2}, {"{}", 2}, {"", 0}};
	size_t nd = fuzz_split(data, size, d, 4);
	char *tag = nd == 4 && d[3].len ? strndup(d[3].p, d[3].len) : NULL;
	char cdig[72], csize[32], mdig[72], msize[32];
	size_t len;

	const char *cp[] = {"@D", layer_digest};
	char *cfg = subst(&d[0], cp, 1, &len);
	put_blob(cfg, len, cdig, csize);
	free(cfg);
	const char *mp[] = {"@C", cdig, "@c", csize, "@L", layer_digest,
			    "@l", layer_size};
	char *man = subst(&d[1], mp, 4, &len);
	put_blob(man, len, mdig, msize);
	free(man);
	const char *ip[] = {"@M", mdig, "@m", msize};
	char *index = subst(&d[2], ip, 2, &len);
	fuzz_write(layout, "index.json", index, len);
	free(index);

	fuzz_import(ctx, layout, tag, oci_import, "oci_import");
	free(tag);
	clear_blobs();
	return 0;
}
