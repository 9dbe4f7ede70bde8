/* image.h - the image store as the container lifecycle sees it: images are
 * metadata over shared read-only layers under $ROOT/layers/<sha256>/; a
 * container's rootfs is an overlay with the image's layers as lowerdirs.
 * Also the hooks create and start call: profiles and the integrity check. */
#ifndef BOX_IMAGE_H
#define BOX_IMAGE_H

#include "ctx.h"

struct img_ref {
	char name[128];
	char *lowerdir;   /* malloc'd "layerN:...:layer1", topmost first */
	char **entrypoint; /* the image's ENTRYPOINT, NULL-terminated (maybe empty) */
	char **cmd;       /* its CMD: arguments after the entrypoint */
	char **env;       /* default env "K=V", NULL-terminated, malloc'd */
	char cwd[256];    /* default working dir, "/" if unset */
};

/* Look an image up by name; the built-in "busybox" image is made from the
 * host's busybox-static on first use. */
int image_resolve(struct box_ctx *ctx, const char *name, struct img_ref *out,
		  struct box_err *err);
void image_ref_free(struct img_ref *ref);

/* The built-in image's layer (made on first use); digest "sha256:<hex>". */
int busybox_layer(struct box_ctx *ctx, char digest[72], struct box_err *err);
/* Make images/busybox/image.json if there is none. */
int image_ensure_builtin(struct box_ctx *ctx, struct box_err *err);

/* ---- hooks for create and start ------------------------------------------ */

/* Create: after image_resolve, hold the image until config.json names it:
 * returns an fd (a shared lock on the store) to pass to image_unpin, or -1
 * when the image was removed meanwhile.  `image rm` takes the lock
 * exclusively, so it never removes an image a create is writing a config
 * for.  Take no other image lock while pinned. */
int image_pin(struct box_ctx *ctx, const char *name, struct box_err *err);
void image_unpin(int fd);

/* Create: in->profile names a profile (NULL: *out = *in, nothing held).
 * *out is in with every field in leaves unset taken from the profile;
 * explicit options win: numbers and strings set in `in` are kept, env
 * entries of `in` replace the profile's for the same KEY, mounts of `in`
 * replace the profile's for the same destination, verify paths are the
 * union.  *hold owns what out points to: free it with profile_release
 * after create. */
int profile_apply(struct box_ctx *ctx, const struct box_create_opts *in,
		  struct box_create_opts *out, void **hold,
		  struct box_err *err);
void profile_release(void *hold);

/* Create: record the sha256 of each path as the image shows it (lowerdir
 * from image_resolve) in $ROOT/containers/<name>/verify.json.  The
 * container directory must exist.  n == 0 does nothing.  A path that is
 * missing or not a regular file in the image is refused. */
int verify_record(struct box_ctx *ctx, const char *name, const char *lowerdir,
		  char *const *paths, size_t n, struct box_err *err);
/* Start: check the recorded files again.  0 when all match (or nothing was
 * recorded); -1 with err "integrity check failed: /a changed, /b missing"
 * naming each bad file, and that text kept in verify.json for `info`
 * (verify_last).  The caller refuses the start and logs err. */
int verify_check(struct box_ctx *ctx, const char *name, const char *lowerdir,
		 struct box_err *err);
/* The last failed check's text, "" when the last check passed or none ran. */
void verify_last(struct box_ctx *ctx, const char *name, char *buf,
		 size_t len);

#endif
