/* devices.h - the device allow-list of a container (confine module).
 *
 * The rules are OCI's linux.resources.devices: evaluated from a default of
 * "deny everything", a later rule overriding an earlier one.  They are
 * enforced by the cgroup that owns devices on this host:
 *   v1 (and hybrid hosts, which mount it): the `devices` hierarchy,
 *      devices.deny "a" then one devices.allow/deny line per rule
 *      (cgroup_devices.c);
 *   pure v2: a BPF_PROG_TYPE_CGROUP_DEVICE program generated from the
 *      rules, attached to the container's cgroup (devices_bpf.c).
 * The default list is runc's and crun's: the nodes every container has
 * (null, zero, full, random, urandom, tty, console, ptmx, the pts), and
 * mknod of any node but no read or write of one outside the list.
 *
 * Extra nodes (OCI linux.devices, `--device`) are made by the container's
 * child in its root (rootfs.c) and allowed by a rule of their own. */
#ifndef BOX_DEVICES_H
#define BOX_DEVICES_H

#include "cgroup.h"

#include <jansson.h>
#include <sys/types.h>

/* The bits are the kernel's BPF_DEVCG_ACC_* values. */
enum { DEV_ACC_M = 1, DEV_ACC_R = 2, DEV_ACC_W = 4, DEV_ACC_ALL = 7 };
#define DEV_ANY (-1) /* a major or minor that matches every number */

struct dev_rule {
	bool allow;
	char type;          /* 'a' (any), 'b' or 'c' */
	int64_t major, minor; /* DEV_ANY or the number */
	unsigned access;    /* DEV_ACC_* bits, never 0 */
};

/* A node to make in the container (OCI linux.devices). */
struct dev_node {
	char *path;         /* absolute, inside the container */
	mode_t mode;        /* S_IFCHR/S_IFBLK/S_IFIFO | permission bits */
	dev_t dev;
	uid_t uid;
	gid_t gid;
};

/* runc's default list, after the "deny all" OCI configs start with. */
extern const struct dev_rule dev_default_rules[];
extern const size_t dev_n_default_rules;

/* "rwm" (any non-empty subset, each letter once) -> bits; -1 if bad. */
int dev_access_parse(const char *s, unsigned *out);
/* bits -> "rwm" order; buf of at least 4. */
void dev_access_str(unsigned access, char *buf);
/* "c 1:3 rwm", "b *:* m", "a *:* rwm": the v1 devices.allow format. */
void dev_rule_str(const struct dev_rule *r, char *buf, size_t len);
/* The OCI object of a rule (major/minor left out for "any"). */
json_t *dev_rule_json(const struct dev_rule *r);
/* linux.resources.devices for a config: one OCI object per rule. */
json_t *dev_rules_json(const struct dev_rule *r, size_t n);
/* Parse linux.resources.devices.  arr NULL (the key absent, a config made
 * before boxtop enforced devices): the default list.  Errors name the
 * config entry. */
int dev_rules_parse(json_t *arr, struct dev_rule **out, size_t *n,
		    struct box_err *err);
/* Parse linux.devices. */
int dev_nodes_parse(json_t *arr, struct dev_node **out, size_t *n,
		    struct box_err *err);
void dev_nodes_free(struct dev_node *v, size_t n);
/* True when the list lets every access through (--privileged). */
bool dev_rules_allow_all(const struct dev_rule *r, size_t n);

/* Enforce the rules on the container's cgroup relpath: v1 writes into its
 * devices hierarchy; v2 attaches a device program to it.  Called by the
 * parent once the cgroup exists, before the child execs.  A host with no
 * way to enforce them refuses unless the rules allow everything. */
int cg_devices_apply(const struct cg_layout *l, const char *relpath,
		     const struct dev_rule *r, size_t n, struct box_err *err);
/* True when the rules go to the cgroup2 (unified) cgroup: that one exists
 * before the clone (CLONE_INTO_CGROUP puts the child there at once), so
 * the rules are attached then, and hold for all the child does.  A v1
 * devices cgroup is joined by the child after "go" instead. */
bool cg_devices_at_clone(const struct cg_layout *l);

/* ---- cgroup2 device program (devices_bpf.c) ---------------------------- */

struct bpf_insn;
/* Generate the program for the rules into out (max instructions): the
 * last matching rule decides, nothing matching is denied.  Returns the
 * number of instructions, or -1 when max is too small. */
int devbpf_build(const struct dev_rule *r, size_t n, struct bpf_insn *out,
		 size_t max);
/* Load the rules' program and attach it to the cgroup2 directory open as
 * cgfd (BPF_F_ALLOW_MULTI: a program a nested runtime adds below can only
 * refuse more, never allow more). */
int devbpf_attach(int cgfd, const struct dev_rule *r, size_t n,
		  struct box_err *err);

#endif
