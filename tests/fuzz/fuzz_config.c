/* fuzz_config.c - a container's config.json and state.json (spec.c,
 * store.c): the input parsed as JSON goes through spec_from_config (what
 * start reads before clone) and config_limits, and is written as both
 * files of a container, then read back by store_load_state and
 * store_load_config as every command reads them. */
#include "fuzz.h"
#include "ctx.h"
#include "spec.h"
#include "store.h"

static struct box_ctx *ctx;
static char bundle[PATH_MAX], rundir[PATH_MAX];

static void setup(void)
{
	struct box_err err = {0};
	char root[PATH_MAX];
	ctx = fuzz_root_open(root);
	/* runtime state in the harness's own directory, not /run */
	fuzz_path(ctx->run, "%s/run", fuzz_dir());
	fuzz_path(bundle, "%s/containers/c", root);
	fuzz_path(rundir, "%s/c", ctx->run);
	if (util_mkdir_p(bundle, 0755, &err) < 0 ||
	    util_mkdir_p(rundir, 0700, &err) < 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ctx)
		setup();
	struct box_err err = {0};
	json_error_t je;
	json_t *j = json_loadb((const char *)data, size, 0, &je);
	if (j) {
		struct spec s;
		/* with and without image layers under the writable one */
		const char *lower = size && data[0] & 1 ? "/l1:/l2" : NULL;
		int rc = spec_from_config(j, bundle, lower, &s, &err);
		FUZZ_SAY("spec_from_config: %d %s\n", rc, err.msg);
		if (rc == 0) {
			FUZZ_ASSERT(s.argv && s.argv[0] && s.env && s.cwd &&
				    s.rootfs && s.hostname);
			for (size_t i = 0; i < s.n_mounts; i++)
				FUZZ_ASSERT(s.mounts[i].dst &&
					    s.mounts[i].src && s.mounts[i].type &&
					    s.mounts[i].data);
			spec_free(&s);
		} else {
			FUZZ_ASSERT(err.msg[0]);
		}
		struct cg_limits lim;
		config_limits(j, &lim);
		json_decref(j);
	}
	fuzz_write(bundle, "config.json", data, size);
	fuzz_write(rundir, "state.json", data, size);
	struct box_state st;
	int rc = store_load_state(ctx, "c", &st, &err);
	FUZZ_SAY("store_load_state: %d %s\n", rc, rc ? err.msg : "");
	if (rc == 0)
		FUZZ_ASSERT(memchr(st.error, '\0', sizeof st.error));
	json_t *c = store_load_config(ctx, "c", &err);
	FUZZ_ASSERT(!c || json_is_object(c));
	json_decref(c);
	return 0;
}
