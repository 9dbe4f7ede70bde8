/* seccomp_filter.h - the container's system call filter (the "confine" module).
 * (Not "seccomp.h": that is libseccomp's, and -Icore would hide it.)
 *
 * Three forms, three files:
 *   Docker's JSON profile (defaultAction, archMap, syscalls with
 *   includes/excludes): what --security-opt seccomp=FILE reads and what
 *   the built-in default is written as (seccomp_default.c).  Resolved at
 *   create, for the container's capabilities and this host's architecture,
 *   into (seccomp_docker.c)
 *   the OCI object linux.seccomp of config.json, what crun and runc read
 *   too.  At start it is compiled with libseccomp into
 *   a classic BPF program (seccomp.c), in the parent before clone: the
 *   child only hands the kernel what is already in memory.  Compiled
 *   programs are kept by content (seccomp_cache.c). */
#ifndef BOX_SECCOMP_FILTER_H
#define BOX_SECCOMP_FILTER_H

#include "box.h"

#include <jansson.h>
#include <stdint.h>

/* A compiled filter; n == 0: none (unconfined). */
struct seccomp_prog {
	void *insns;          /* struct sock_filter[n] */
	unsigned short n;
	unsigned int flags;   /* SECCOMP_FILTER_FLAG_* for seccomp(2) */
};

/* The filter for OCI linux.seccomp (NULL: none, out->n = 0): from the
 * root's cache of compiled filters, else compiled and put there
 * (seccomp_cache.c).  In the parent, before clone. */
int seccomp_prog_get(struct box_ctx *ctx, json_t *oci, struct seccomp_prog *out,
		     struct box_err *err);
/* Compile OCI linux.seccomp (NULL: no filter, out->n = 0) into out. */
int seccomp_compile(json_t *oci, struct seccomp_prog *out,
		    struct box_err *err);
void seccomp_prog_free(struct seccomp_prog *p);
/* Child side, no allocation: install the filter (nothing when n == 0).
 * Needs no_new_privs set, or CAP_SYS_ADMIN still in the effective set. */
int seccomp_prog_load(const struct seccomp_prog *p, char *msg, size_t len);

/* What an OCI/Docker name means to libseccomp; 0, or -1 when unknown. */
int seccomp_action_value(const char *name, bool has_errno, int errno_ret,
			 uint32_t *out);
int seccomp_op_value(const char *name, int *out);
int seccomp_arch_value(const char *name, uint32_t *out);
int seccomp_flag_value(const char *name, unsigned int *out);
/* Whether this kernel runs programs of that architecture (x32 often not):
 * one it cannot run is left out of the filter. */
bool seccomp_arch_runs(uint32_t arch);

/* The built-in profile in Docker's JSON format (a new reference). */
json_t *seccomp_default_profile(void);
/* Docker's JSON profile -> OCI linux.seccomp for a container with the
 * capabilities in caps (bit mask): checks every rule (even those left
 * out), resolves includes/excludes.  what names the source in errors. */
json_t *seccomp_docker_to_oci(json_t *profile, uint64_t caps,
			      const char *what, struct box_err *err);

/* --security-opt seccomp=VALUE at create: the OCI object for value NULL
 * (the default profile), "unconfined" (*out NULL) or a Docker JSON profile
 * file; *mode gets "default", "unconfined" or "custom". */
int seccomp_for_create(const char *value, uint64_t caps, json_t **out,
		       const char **mode, struct box_err *err);
/* The same into a new config.json: linux.seccomp for the capabilities
 * of its process.capabilities.bounding, annotation org.boxtop.seccomp. */
int seccomp_config_set(json_t *config, const char *value, struct box_err *err);
/* A new config.json with a profile file's filter: compiled now (into the
 * cache), so that what libseccomp refuses fails the create, not every
 * start (BOX_EUSAGE). */
int seccomp_config_compiles(struct box_ctx *ctx, json_t *config,
			    struct box_err *err);
/* What info shows: "default", "unconfined", "custom (N rules)". */
void seccomp_describe(json_t *config, char *buf, size_t len);

#endif
