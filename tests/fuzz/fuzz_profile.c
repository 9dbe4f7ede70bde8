/* fuzz_profile.c - profiles (core/profile.c): the input as
 * $ROOT/profiles/fuzz.json, applied under explicit create options as
 * create does, and shown as `profile show` does. */
#include "fuzz.h"
#include "image.h"

static struct box_ctx *ctx;
static char dir[PATH_MAX];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct box_err err = {0};
	if (!ctx) {
		char root[PATH_MAX];
		fuzz_path(root, "%s/root", fuzz_dir());
		if (!(ctx = box_open(root, &err)))
			abort();
		fuzz_path(dir, "%s/profiles", root);
	}
	fuzz_write(dir, "fuzz.json", data, size);
	char *env[] = {"B=explicit", "C"};
	struct box_mount_opt mounts[] = {{"/srv", "/data", true}};
	char *verify[] = {"/etc/passwd"};
	struct box_create_opts in = {.name = "c", .profile = "fuzz",
				     .env = env, .n_env = 2,
				     .mounts = mounts, .n_mounts = 1,
				     .verify = verify, .n_verify = 1};
	struct box_create_opts out;
	void *hold = NULL;
	int rc = profile_apply(ctx, &in, &out, &hold, &err);
	FUZZ_SAY("profile_apply: %d %s\n", rc, err.msg);
	if (rc == 0) {
		/* every string out points to is readable, until release */
		size_t sum = 0;
		for (size_t i = 0; i < out.n_env; i++)
			sum += strlen(out.env[i]);
		for (size_t i = 0; i < out.n_mounts; i++)
			sum += strlen(out.mounts[i].src) +
			       strlen(out.mounts[i].dst);
		for (size_t i = 0; i < out.n_verify; i++)
			sum += strlen(out.verify[i]);
		if (out.image)
			sum += strlen(out.image);
		if (out.net)
			sum += strlen(out.net);
		if (out.dns)
			sum += strlen(out.dns);
		FUZZ_ASSERT(out.n_env >= 2 && out.n_mounts >= 1 &&
			    out.n_verify >= 1 && sum);
		profile_release(hold);
	} else {
		FUZZ_ASSERT(err.msg[0] && !hold);
	}
	free(box_profile_json(ctx, "fuzz", &err));
	return 0;
}
