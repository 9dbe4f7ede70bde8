/* seccomp_mode.c - which filter a new container gets (--security-opt
 * seccomp=...), and how info names the one a container has. */
#include "seccomp_filter.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>

static json_t *from_file(const char *path, uint64_t caps, struct box_err *err)
{
	json_error_t je;
	json_t *p = util_json_load(path, &je);
	if (!p) {
		if (je.line < 0) /* not read at all */
			box_fail(err, BOX_EUSAGE, 0, "seccomp profile %s: %s",
				 path, strerror(errno));
		else
			box_fail(err, BOX_EUSAGE, 0,
				 "seccomp profile %s: not valid JSON: %s (line %d)",
				 path, je.text, je.line);
		return NULL;
	}
	json_t *oci = seccomp_docker_to_oci(p, caps, path, err);
	json_decref(p);
	return oci;
}

int seccomp_for_create(const char *value, uint64_t caps, json_t **out,
		       const char **mode, struct box_err *err)
{
	*out = NULL;
	if (value && !strcmp(value, "unconfined")) {
		*mode = "unconfined";
		return 0;
	}
	if (value && !*value)
		return box_fail(err, BOX_EUSAGE, 0,
				"seccomp: expected unconfined or a profile file");
	if (value) {
		*mode = "custom";
		*out = from_file(value, caps, err);
	} else {
		*mode = "default";
		json_t *p = seccomp_default_profile();
		*out = seccomp_docker_to_oci(p, caps, "default", err);
		json_decref(p);
	}
	return *out ? 0 : -1;
}

int seccomp_config_set(json_t *config, const char *value, struct box_err *err)
{
	uint64_t caps = 0;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(json_object_get(json_object_get(config, "process"),
							   "capabilities"),
					   "bounding"),
			   i, v)
	{
		cap_value_t cv;
		const char *name = json_string_value(v);
		if (name && cap_from_name(name, &cv) == 0 && cv < 64)
			caps |= 1ULL << cv;
	}
	json_t *oci;
	const char *mode;
	if (seccomp_for_create(value, caps, &oci, &mode, err) < 0)
		return -1;
	/* linux.seccomp as OCI has it (none: unconfined); where it came
	 * from, for info */
	if (oci)
		json_object_set_new(json_object_get(config, "linux"), "seccomp", oci);
	json_object_set_new(json_object_get(config, "annotations"),
			    "org.boxtop.seccomp", json_string(mode));
	return 0;
}

int seccomp_config_compiles(struct box_ctx *ctx, json_t *config,
			    struct box_err *err)
{
	json_t *sc = json_object_get(json_object_get(config, "linux"), "seccomp");
	const char *mode = json_string_value(json_object_get(
		json_object_get(config, "annotations"), "org.boxtop.seccomp"));
	struct seccomp_prog prog;
	if (!sc || !mode || strcmp(mode, "custom"))
		return 0;
	if (seccomp_prog_get(ctx, sc, &prog, err) < 0) {
		if (err)
			err->kind = BOX_EUSAGE;
		return box_err_wrap(err, "seccomp profile");
	}
	seccomp_prog_free(&prog);
	return 0;
}

void seccomp_describe(json_t *config, char *buf, size_t len)
{
	json_t *sc = json_object_get(json_object_get(config, "linux"), "seccomp");
	const char *mode = json_string_value(json_object_get(
		json_object_get(config, "annotations"), "org.boxtop.seccomp"));
	if (!sc || json_is_null(sc))
		snprintf(buf, len, "unconfined");
	else if (mode && !strcmp(mode, "default"))
		snprintf(buf, len, "default");
	else
		snprintf(buf, len, "custom (%zu rules)",
			 json_array_size(json_object_get(sc, "syscalls")));
}

int box_seccomp_check(const char *value, struct box_err *err)
{
	json_t *oci;
	const char *mode;
	if (seccomp_for_create(value, 0, &oci, &mode, err) < 0)
		return -1;
	json_decref(oci);
	return 0;
}
