/* spec.h - what spawn needs to start a container, parsed from config.json
 * before clone: the child only walks these arrays, it never allocates. */
#ifndef BOX_SPEC_H
#define BOX_SPEC_H

#include "cgroup.h"
#include "ctx.h"
#include "devices.h"

#include <jansson.h>
#include <sys/resource.h>

struct spec_mount {
	char *dst;            /* inside the container */
	char *src;
	char *type;
	char *data;           /* fs-specific options, "" if none */
	unsigned long flags;  /* MS_* */
	unsigned long propagation; /* MS_PRIVATE/MS_SLAVE/... or 0 */
	bool bind;
	/* the init's, in a user namespace: src cloned (open_tree) while it
	 * still had host root's ids (userns_enter); -1 otherwise */
	int tree;
};

struct spec_rlimit {
	int resource;
	struct rlimit lim;
};

struct spec {
	char *hostname;
	char **argv, **env;   /* NULL-terminated */
	char *cwd;
	uid_t uid;
	gid_t gid;
	bool terminal;
	int ns_flags;         /* CLONE_NEW* to create at clone (not cgroup) */
	bool cgroup_ns;       /* unshared by the child once in its cgroup */
	char *rootfs;         /* host path the rootfs is mounted on */
	char *overlay_data;   /* "lowerdir=...,upperdir=...,workdir=..." or NULL */
	bool overlay_volatile; /* overlay_data ends in ",volatile" */
	bool overlay_lower_only; /* read-only root without a writable layer */
	bool root_readonly;
	struct spec_mount *mounts;
	size_t n_mounts;
	char **masked, **readonly;  /* NULL-terminated */
	uint64_t caps;        /* bit mask of capabilities to keep */
	bool no_new_privs;
	struct spec_rlimit *rlimits;
	size_t n_rlimits;
	struct cg_limits limits;
	char cgroup[256];     /* relative cgroup path */
	/* the device allow-list (linux.resources.devices), enforced by the
	 * parent on the cgroup before the child execs, and the extra nodes
	 * (linux.devices) the child makes in its root */
	struct dev_rule *dev_rules;
	size_t n_dev_rules;
	struct dev_node *dev_nodes;
	size_t n_dev_nodes;
	/* A user namespace ("user" in linux.namespaces; its CLONE_NEWUSER is
	 * in ns_flags): the maps the parent writes, as /proc/<pid>/uid_map
	 * takes them (userns.h). */
	bool userns;
	char *uid_map, *gid_map;
	/* the init's, in a user namespace: the root the parent made
	 * (idmap.h) and its mountpoint, opened before host ids were given
	 * up (userns_enter) */
	int root_tree, root_at;
};

/* Build the OCI config.json for a new container. */
struct img_ref;
json_t *config_build(const struct box_create_opts *opts, const char *image,
		     const struct img_ref *img, const char *cgroup,
		     struct box_err *err);
/* Parse config.json; bundle is the container directory (for relative root
 * path); lowerdir the image layers ("" or NULL for no overlay). */
int spec_from_config(json_t *config, const char *bundle, const char *lowerdir,
		     struct spec *out, struct box_err *err);
void spec_free(struct spec *s);
/* One more bind mount (rbind), after those of config. */
int spec_add_bind(struct spec *s, const char *src, const char *dst,
		  struct box_err *err);
/* Mount the writable layer "volatile": the kernel then never syncs the
 * disk under it (not at fsync, not at unmount).  Only for a layer that is
 * thrown away when the container exits (run --rm), as podman does. */
int spec_set_volatile(struct spec *s, struct box_err *err);
/* A read-only root without a writable layer: dir becomes the lowest layer
 * (under the image's); nothing otherwise. */
int spec_add_bottom_layer(struct spec *s, const char *dir, struct box_err *err);
/* Limits only (for info and cgroup creation). */
void config_limits(json_t *config, struct cg_limits *out);

#endif
