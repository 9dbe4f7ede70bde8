/* image_store.h - image metadata on disk and the shared layers.
 *
 *   $ROOT/images/<name>/image.json   one image: metadata + layer list
 *   $ROOT/layers/<hex>/              one unpacked layer, shared by digest
 *   $ROOT/layers/.tmp-<pid>.<start>-* layers being built (renamed into place)
 *   $ROOT/images/.lock               flock held while images or layers are
 *                                    added or removed
 *
 * A layer has no reference count on disk: it is in use while some image.json
 * names it, which a scan tells (images are few; scanning cannot drift the way
 * a stored count can after a crash). */
#ifndef BOX_IMAGE_STORE_H
#define BOX_IMAGE_STORE_H

#include "ctx.h"

#include <jansson.h>

struct img_layer {
	char digest[72];        /* "sha256:<hex>" */
	int64_t size;           /* bytes of file data */
};

struct img_meta {
	char name[BOX_NAME_MAX + 1];
	char *description;
	char os[32];
	char arch[32];
	time_t created;
	char *source;           /* where it was imported from */
	struct img_layer *layers;   /* bottom first, as OCI lists them */
	size_t n_layers;
	char **cmd;             /* NULL-terminated; NULL when unset */
	char **entrypoint;
	char **env;
	char workdir[256];
};

void img_meta_free(struct img_meta *m);
int img_meta_add_layer(struct img_meta *m, const char *digest, int64_t size,
		       struct box_err *err);
/* Load images/<name>/image.json (BOX_ENOENT when there is none). */
int istore_load(struct box_ctx *ctx, const char *name, struct img_meta *m,
	       struct box_err *err);
/* Write images/<name>/image.json atomically (caller holds the lock). */
int istore_save(struct box_ctx *ctx, const struct img_meta *m,
	       struct box_err *err);
bool istore_exists(struct box_ctx *ctx, const char *name);
/* Image names, sorted; free with util_names_free. */
int istore_names(struct box_ctx *ctx, char ***names, size_t *n,
		struct box_err *err);

/* The store lock, exclusive for changes, shared to pin an image while a
 * container is made from it: returns an fd to close (auto_fd) to unlock. */
int istore_lock(struct box_ctx *ctx, bool exclusive, struct box_err *err);

/* $ROOT/layers/<hex> for "sha256:<hex>"; refuses anything but 64 hex
 * digits, so a digest string from an archive can never name a path. */
int istore_layer_path(struct box_ctx *ctx, const char *digest, char *buf,
		     size_t len, struct box_err *err);
bool istore_layer_exists(struct box_ctx *ctx, const char *digest);
/* A new empty directory under layers/ to build a layer in (0755). */
int istore_tmp_dir(struct box_ctx *ctx, char buf[PATH_MAX],
		  struct box_err *err);
/* Rename a built tmp dir into place as the layer digest; when the layer is
 * already there the tmp dir is dropped.  Caller holds the lock. */
int istore_install_layer(struct box_ctx *ctx, const char *tmp,
			const char *digest, struct box_err *err);
/* Remove every layer no image names, and tmp dirs of dead importers.
 * Caller holds the lock. */
int istore_gc(struct box_ctx *ctx, struct box_err *err);
/* Only what dead processes left: layers/.tmp-* of a killed import or
 * commit (often hundreds of MB), images/.rm-* and .view-*.  No lock needed:
 * a leftover whose maker is gone is nobody's.  Every image command does it
 * (a killed import's leftovers would otherwise wait for the next import
 * that succeeds). */
void istore_sweep(struct box_ctx *ctx);

/* Containers whose config.json says they were made from image name
 * (annotation org.boxtop.image).  names may be NULL to only count. */
int istore_image_users(struct box_ctx *ctx, const char *name, char ***names,
		      size_t *n, struct box_err *err);
/* The image a container was made from, from its config.json. */
int istore_container_image(struct box_ctx *ctx, const char *container,
			  char *buf, size_t len, struct box_err *err);

/* JSON string array <-> NULL-terminated vector. */
char **strv_from_json(json_t *arr);
json_t *strv_to_json(char *const *v);
char **strv_dup(char *const *v);
size_t strv_len(char *const *v);
void strv_free(char **v);

/* "sha256:<hex>" validity. */
bool digest_valid(const char *digest);

#endif
