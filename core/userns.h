/* userns.h - unprivileged containers: root in the container is an
 * unprivileged range of host ids (create --userns auto).
 *
 * boxtop takes one range from /etc/subuid and /etc/subgid for itself, an
 * entry for the (login-less) name "boxtop", made at first use above every
 * other entry, and gives each container its own USERNS_SLICE ids of it.
 * Which slice is whose is claimed host-wide (every root shares the
 * files): one file per slice in USERNS_CLAIMS, made with O_EXCL, removed
 * by rm.  The container's config.json records its maps as OCI
 * linux.uidMappings/gidMappings with a "user" namespace; everything else
 * (spawn, exec, info) reads them from there. */
#ifndef BOX_USERNS_H
#define BOX_USERNS_H

#include "ctx.h"
#include "spec.h"

#include <jansson.h>

#define USERNS_SLICE 65536u
#define USERNS_OWNER "boxtop"
#define USERNS_SUBUID "/etc/subuid"
#define USERNS_SUBGID "/etc/subgid"
#define USERNS_CLAIMS "/var/lib/boxtop-userns"

/* One container's ids: container 0..size-1 are host uid..uid+size-1 and
 * gid..gid+size-1. */
struct userns_ids {
	uint32_t uid, gid, size;
};

/* A free slice for container name of ctx, claimed: the boxtop entries of
 * /etc/subuid and /etc/subgid are made first when missing (under
 * shadow's locks, replaced atomically). */
int userns_alloc(struct box_ctx *ctx, const char *name,
		 struct userns_ids *out, struct box_err *err);
/* Give back the slice of ids of container name of ctx (nothing when the
 * claim is not this container's: it was swept and taken again). */
void userns_release(struct box_ctx *ctx, const char *name,
		    const struct userns_ids *ids);
/* Record ids in a new config: the maps and the "user" namespace. */
int userns_config_set(json_t *config, const struct userns_ids *ids,
		      struct box_err *err);
/* The first mapping of each kind a config records; false without a user
 * namespace. */
bool userns_config_get(json_t *config, struct userns_ids *out);

/* spec.c: the maps of a config with a user namespace, as the text
 * /proc/<pid>/uid_map takes, into s->uid_map and s->gid_map. */
int userns_spec(json_t *linux_, struct spec *s, struct box_err *err);

/* The parent, right after cloning the init into its new user namespace:
 * write its maps, make its root (idmap.c) and send it over sock; *netns
 * gets its network namespace (-1 if it has none of its own). */
int userns_launch(pid_t pid, const struct spec *s, int sock, int *netns,
		  struct box_err *err);
/* The init, first thing: wait for the parent's maps and root, open what
 * it needs of the host's paths while it still has host root's ids (the
 * root's mountpoint, the sources of its bind mounts: they sit in
 * directories only root may enter), then become root of its namespace.
 * s is the child's own copy (root_tree, root_at, mounts[].tree filled). */
int userns_enter(struct spec *s, int sock, char *msg, size_t len);
/* Take uid/gid with no supplementary groups, through the kernel's calls
 * (a forked child of a threaded process must not use glibc's). */
int userns_become(uid_t uid, gid_t gid, char *msg, size_t len);

/* boxtop's range in each file (the first "boxtop:" entry), both entries
 * made when either is missing: under shadow's locks (pwd_lock, then
 * <file>.lock), placed above every other entry, each file replaced
 * atomically with its mode kept. */
struct subid_files {
	const char *subuid, *subgid, *pwd_lock;
	unsigned wait_ms;   /* for a lock another holds; 0: 15 s (lckpwdf's) */
};
struct subid_pool {
	uint32_t ustart, ucount, gstart, gcount;
};
int subid_pool(const struct subid_files *f, struct subid_pool *p,
	       struct box_err *err);

/* The pure parts, for the unit tests. */
/* An "owner:start:count" line of text for owner: true and its range. */
bool subid_find(const char *text, const char *owner, uint32_t *start,
		uint32_t *count);
/* Where a new entry of up to want ids goes: above every entry of both
 * texts and at least min, aligned to USERNS_SLICE; *count is cut to what
 * fits under 2^32-1 (whole slices).  false when not one slice fits. */
bool subid_place(const char *a, const char *b, uint32_t min, uint32_t want,
		 uint32_t *start, uint32_t *count);

#endif
