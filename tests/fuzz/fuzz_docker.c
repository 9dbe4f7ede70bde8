/* fuzz_docker.c - the `docker save` manifest.json and the image config it
 * names (image_docker.c), read by docker_is_save and docker_import from a
 * directory written for each input, down to the unpacking of its layer.
 *
 * The input is up to three documents separated by "\n---\n": manifest.json,
 * the config (written as config.json) and the tag to import (none: the
 * only image).  "@D" in the config becomes the diff_id of layer.tar, the
 * one layer there is (a tar of one file). */
#include "fuzz_import.h"

static struct box_ctx *ctx;
static char dir[PATH_MAX], diff_id[72];

static void setup(void)
{
	struct box_err err = {0};
	char root[PATH_MAX];
	ctx = fuzz_root_open(root);
	fuzz_path(dir, "%s/save", fuzz_dir());
	if (util_mkdir_p(dir, 0755, &err) < 0)
		abort();
	static unsigned char tar[2048];
	fuzz_layer(tar);
	fuzz_write(dir, "layer.tar", tar, sizeof tar);
	fuzz_digest(tar, sizeof tar, diff_id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ctx)
		setup();
	struct fuzz_doc d[3] = {{"[]", 2}, {"{}", 2}, {"", 0}};
	size_t nd = fuzz_split(data, size, d, 3);
	fuzz_write(dir, "manifest.json", d[0].p, d[0].len);
	/* the config with "@D" replaced */
	char *cfg = malloc(d[1].len / 2 * 72 + d[1].len + 1);
	size_t n = 0;
	if (!cfg)
		abort();
	for (size_t i = 0; i < d[1].len;) {
		if (d[1].len - i >= 2 && !memcmp(d[1].p + i, "@D", 2)) {
			memcpy(cfg + n, diff_id, strlen(diff_id));
			n += strlen(diff_id);
			i += 2;
		} else {
			cfg[n++] = d[1].p[i++];
		}
	}
	fuzz_write(dir, "config.json", cfg, n);
	free(cfg);
	char *tag = nd == 3 && d[2].len ? strndup(d[2].p, d[2].len) : NULL;

	bool save = docker_is_save(dir);
	FUZZ_SAY("docker_is_save: %d\n", save);
	if (save) {
		fuzz_import(ctx, dir, tag, docker_import, "docker_import");
	}
	free(tag);
	return 0;
}
