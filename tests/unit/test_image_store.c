/* test_image_store.c - the store's rules without running containers:
 * digests that may name a path, profile merging (explicit options win),
 * the garbage collection of layers and leftovers, image metadata round
 * trip, and the OCI blob checks (digest, size, traversal by digest). */
#include "image.h"
#include "image_import.h"
#include "image_store.h"
#include "unit.h"
#include "unit_sh.h"
#include "util.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static void test_digests(void)
{
	CHECK("digest: valid", digest_valid("sha256:0123456789abcdef0123456789"
					    "abcdef0123456789abcdef0123456789"
					    "abcdef"));
	CHECK("digest: short refused", !digest_valid("sha256:0123"));
	CHECK("digest: upper case refused",
	      !digest_valid("sha256:0123456789ABCDEF0123456789abcdef0123456789"
			    "abcdef0123456789abcdef"));
	CHECK("digest: path refused",
	      !digest_valid("sha256:../../../../etc/passwd/aaaaaaaaaaaaaaaaaaaa"
			    "aaaaaaaaaaaaaaaaaaaaaa"));
	CHECK("digest: other algorithm refused",
	      !digest_valid("sha512:0123456789abcdef0123456789abcdef0123456789"
			    "abcdef0123456789abcdef"));
}

static void test_profiles(struct box_ctx *ctx)
{
	struct box_err err = {0};
	char *penv[] = {"A=1", "B=2"};
	struct box_mount_opt pm[] = {{"/tmp", "/data", true},
				     {"/var", "/var2", false}};
	char *pver[] = {"/etc/passwd"};
	struct box_create_opts p = {.image = "base", .memory = 64 << 20,
				    .pids = 50, .cpus = 0.5, .net = "none",
				    .env = penv, .n_env = 2, .mounts = pm,
				    .n_mounts = 2, .verify = pver,
				    .n_verify = 1};
	CHECK("profile: save", box_profile_save(ctx, "web", &p, false, &err) == 0);
	CHECK("profile: no silent replace",
	      box_profile_save(ctx, "web", &p, false, &err) < 0 &&
		      err.kind == BOX_EEXIST);
	char *bad_env[] = {"NOEQUALS"};
	struct box_create_opts bad = {.env = bad_env, .n_env = 1};
	CHECK("profile: env without = refused",
	      box_profile_save(ctx, "bad", &bad, false, &err) < 0);

	char *ienv[] = {"B=3", "C=4"};
	struct box_mount_opt im[] = {{"/srv", "/data", false}};
	char *iver[] = {"/bin/sh", "/etc/passwd"};
	struct box_create_opts in = {.name = "x", .profile = "web",
				     .memory = 32 << 20, .env = ienv,
				     .n_env = 2, .mounts = im, .n_mounts = 1,
				     .verify = iver, .n_verify = 2};
	struct box_create_opts out;
	void *hold = NULL;
	CHECK("apply: ok", profile_apply(ctx, &in, &out, &hold, &err) == 0);
	CHECK("apply: explicit memory wins", out.memory == 32 << 20);
	CHECK("apply: pids from profile", out.pids == 50);
	CHECK("apply: cpus from profile", out.cpus == 0.5);
	CHECK_STR("apply: image from profile", out.image, "base");
	CHECK_STR("apply: net from profile", out.net, "none");
	CHECK("apply: env merged", out.n_env == 3);
	CHECK_STR("apply: profile-only env kept", out.env[0], "A=1");
	bool b2 = false, b3 = false;
	for (size_t i = 0; i < out.n_env; i++) {
		b2 |= !strcmp(out.env[i], "B=2");
		b3 |= !strcmp(out.env[i], "B=3");
	}
	CHECK("apply: explicit env replaces the profile's", b3 && !b2);
	CHECK("apply: mounts merged by destination", out.n_mounts == 2);
	bool srv = false;
	for (size_t i = 0; i < out.n_mounts; i++)
		srv |= !strcmp(out.mounts[i].dst, "/data") &&
		       !strcmp(out.mounts[i].src, "/srv");
	CHECK("apply: explicit mount wins for /data", srv);
	CHECK("apply: verify is the union", out.n_verify == 2);
	CHECK("apply: the caller's opts untouched",
	      in.n_env == 2 && in.memory == 32 << 20);
	profile_release(hold);

	in.profile = "nope";
	CHECK("apply: unknown profile",
	      profile_apply(ctx, &in, &out, &hold, &err) < 0 &&
		      err.kind == BOX_ENOENT && hold == NULL);
	in.profile = NULL;
	CHECK("apply: no profile, no change",
	      profile_apply(ctx, &in, &out, &hold, &err) == 0 && !hold &&
		      out.memory == in.memory && out.env == in.env);
	char **names;
	size_t n;
	CHECK("profile: list", box_profile_list(ctx, &names, &n, &err) == 0 &&
				       n == 1 && !strcmp(names[0], "web"));
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	CHECK("profile: rm", box_profile_remove(ctx, "web", &err) == 0);
	CHECK("profile: rm again fails",
	      box_profile_remove(ctx, "web", &err) < 0 &&
		      err.kind == BOX_ENOENT);
}

static void test_meta_and_gc(struct box_ctx *ctx)
{
	struct box_err err = {0};
	/* two layers, one image naming only the first */
	const char *d1 = "sha256:1111111111111111111111111111111111111111111111"
			 "111111111111111111";
	const char *d2 = "sha256:2222222222222222222222222222222222222222222222"
			 "222222222222222222";
	sh("mkdir -p %s/layers/%s %s/layers/%s %s/layers/.tmp-999999999-x "
	   "%s/layers/.tmp-%d-mine %s/images/.view-999999999-y",
	   root, d1 + 7, root, d2 + 7, root, root, (int)getpid(), root);
	struct import_job job;
	job_init(&job, ctx, "meta");
	char *cmd[] = {"/bin/echo", "hi", NULL};
	job.meta.cmd = strv_dup(cmd);
	job.meta.workdir[0] = '\0';
	img_meta_add_layer(&job.meta, d1, 42, &err);
	CHECK("meta: save", istore_save(ctx, &job.meta, &err) == 0);
	job_free(&job);
	struct img_meta m;
	CHECK("meta: load", istore_load(ctx, "meta", &m, &err) == 0);
	CHECK("meta: layer kept", m.n_layers == 1 &&
					  !strcmp(m.layers[0].digest, d1) &&
					  m.layers[0].size == 42);
	CHECK("meta: cmd kept", strv_len(m.cmd) == 2 && !strcmp(m.cmd[1], "hi"));
	CHECK_STR("meta: workdir defaults to /", m.workdir, "/");
	img_meta_free(&m);

	struct img_ref ref;
	char want[PATH_MAX];
	snprintf(want, sizeof want, "%s/layers/%s", root, d1 + 7);
	CHECK("resolve: lowerdir", image_resolve(ctx, "meta", &ref, &err) == 0 &&
					   !strcmp(ref.lowerdir, want));
	image_ref_free(&ref);

	CHECK("gc: runs", istore_gc(ctx, &err) == 0);
	struct stat st;
	char p[PATH_MAX];
	snprintf(p, sizeof p, "%s/layers/%s", root, d1 + 7);
	CHECK("gc: used layer kept", stat(p, &st) == 0);
	snprintf(p, sizeof p, "%s/layers/%s", root, d2 + 7);
	CHECK("gc: unused layer removed", stat(p, &st) < 0);
	snprintf(p, sizeof p, "%s/layers/.tmp-999999999-x", root);
	CHECK("gc: dead importer's tmp removed", stat(p, &st) < 0);
	snprintf(p, sizeof p, "%s/layers/.tmp-%d-mine", root, (int)getpid());
	CHECK("gc: live importer's tmp kept", stat(p, &st) == 0);
	snprintf(p, sizeof p, "%s/images/.view-999999999-y", root);
	CHECK("gc: dead view dir removed", stat(p, &st) < 0);

	/* a corrupt image.json: its layers are not known, nothing is removed */
	sh("mkdir -p %s/layers/%s %s/images/broken && echo '{' > "
	   "%s/images/broken/image.json",
	   root, d2 + 7, root, root);
	istore_gc(ctx, &err);
	snprintf(p, sizeof p, "%s/layers/%s", root, d2 + 7);
	CHECK("gc: unsure with unreadable metadata, keeps layers",
	      stat(p, &st) == 0);
	CHECK("resolve: unknown image",
	      image_resolve(ctx, "nope", &ref, &err) < 0 &&
		      err.kind == BOX_ENOENT);
	sh("rm -rf %s/layers/%s", root, d1 + 7);
	CHECK("resolve: missing layer named",
	      image_resolve(ctx, "meta", &ref, &err) < 0 &&
		      strstr(err.msg, "missing"));
}

int main(void)
{
	if (!unit_need_root("image store"))
		return 0;
	snprintf(root, sizeof root, "/tmp/test_image_store.XXXXXX");
	if (!mkdtemp(root))
		return 1;
	struct box_err err = {0};
	struct box_ctx *ctx = box_open(root, &err);
	CHECK("open root", ctx != NULL);
	if (!ctx)
		UNIT_DONE();
	test_digests();
	test_profiles(ctx);
	test_meta_and_gc(ctx);
	box_close(ctx);
	sh("rm -rf %s", root);
	UNIT_DONE();
}
