/* image.h - the image store: images are metadata over shared read-only
 * layers under $ROOT/layers/<sha256>/; a container's rootfs is an overlay
 * with the image's layers as lowerdirs. */
#ifndef BOX_IMAGE_H
#define BOX_IMAGE_H

#include "ctx.h"

struct img_ref {
	char name[128];
	char *lowerdir;   /* malloc'd "layerN:...:layer1", topmost first */
	char **cmd;       /* default command, NULL-terminated, malloc'd */
	char **env;       /* default env "K=V", NULL-terminated, malloc'd */
	char cwd[256];    /* default working dir, "/" if unset */
};

/* Look an image up by name; the built-in "busybox" image is made from the
 * host's busybox-static on first use. */
int image_resolve(struct box_ctx *ctx, const char *name, struct img_ref *out,
		  struct box_err *err);
void image_ref_free(struct img_ref *ref);

#endif
