/* seccomp_docker.c - Docker's JSON seccomp profile -> OCI linux.seccomp.
 *
 * Docker's format says when a rule applies: "includes" (all of these
 * capabilities, one of these architectures, at least this kernel) and
 * "excludes" (any of these capabilities, one of these architectures,
 * at least this kernel).  OCI has no conditions: they are settled here,
 * once, for the container's capabilities and this host.  Every rule is
 * checked, also one left out, so a mistake in a profile shows whatever
 * the container's capabilities. */
#include "seccomp_filter.h"
#include "util.h"

#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/utsname.h>

/* This build's architecture: its libseccomp name and Docker's (Go's)
 * names for it. */
#if defined(__x86_64__) && defined(__ILP32__)
#define HOST_SCMP "SCMP_ARCH_X32"
#define HOST_DOCKER "x32"
#elif defined(__x86_64__)
#define HOST_SCMP "SCMP_ARCH_X86_64"
#define HOST_DOCKER "amd64 x86_64"
#elif defined(__i386__)
#define HOST_SCMP "SCMP_ARCH_X86"
#define HOST_DOCKER "x86 386 i386"
#elif defined(__aarch64__)
#define HOST_SCMP "SCMP_ARCH_AARCH64"
#define HOST_DOCKER "arm64 aarch64"
#elif defined(__arm__)
#define HOST_SCMP "SCMP_ARCH_ARM"
#define HOST_DOCKER "arm"
#elif defined(__s390x__)
#define HOST_SCMP "SCMP_ARCH_S390X"
#define HOST_DOCKER "s390x"
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_SCMP "SCMP_ARCH_PPC64LE"
#define HOST_DOCKER "ppc64le"
#elif defined(__riscv) && __riscv_xlen == 64
#define HOST_SCMP "SCMP_ARCH_RISCV64"
#define HOST_DOCKER "riscv64"
#else
#define HOST_SCMP ""
#define HOST_DOCKER ""
#endif

struct resolve {
	uint64_t caps;
	int kernel[3];
	const char *what;
	struct box_err *err;
};

#define BAD(r, ...) box_fail((r)->err, BOX_EUSAGE, 0, "seccomp profile %s: " __VA_ARGS__)

static bool word_in(const char *word, const char *list)
{
	size_t n = strlen(word);
	for (const char *p = list; *p;) {
		size_t k = strcspn(p, " ");
		if (k == n && !strncmp(p, word, n))
			return true;
		p += k + (p[k] == ' ');
	}
	return false;
}

/* "4.8" or "5.10.1" into three numbers; -1 when it is not a version. */
static int parse_version(const char *s, int v[3])
{
	v[0] = v[1] = v[2] = 0;
	int n = s ? sscanf(s, "%d.%d.%d", &v[0], &v[1], &v[2]) : 0;
	return n >= 2 ? 0 : -1;
}

static int cmp_version(const int a[3], const int b[3])
{
	for (int i = 0; i < 3; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* One "includes" or "excludes", checked and measured against the
 * container and this host. */
struct cond {
	bool has_arches, arch_match;     /* arches given; this host among them */
	bool has_kernel, kernel_reached; /* minKernel given; this kernel is it or later */
	bool all_caps, any_cap;          /* of the caps given (all: true if none) */
};

static int read_cond(struct resolve *r, json_t *rule, const char *key,
		     const char *where, struct cond *c)
{
	json_t *o = json_object_get(rule, key), *v;
	memset(c, 0, sizeof *c);
	c->all_caps = true;
	if (!o || json_is_null(o))
		return 0;
	if (!json_is_object(o))
		return BAD(r, "%s.%s must be an object", r->what, where, key);
	size_t i;
	json_t *caps = json_object_get(o, "caps");
	if (caps && !json_is_null(caps) && !json_is_array(caps))
		return BAD(r, "%s.%s.caps must be an array", r->what, where, key);
	json_array_foreach(caps, i, v)
	{
		cap_value_t cv;
		const char *name = json_string_value(v);
		if (!name || cap_from_name(name, &cv) < 0)
			return BAD(r, "%s.%s: unknown capability '%s'", r->what,
				   where, key, name ? name : "");
		bool has = cv < 64 && (r->caps >> cv & 1);
		c->all_caps &= has;
		c->any_cap |= has;
	}
	json_t *arches = json_object_get(o, "arches");
	if (arches && !json_is_null(arches) && !json_is_array(arches))
		return BAD(r, "%s.%s.arches must be an array", r->what, where, key);
	json_array_foreach(arches, i, v)
	{
		const char *name = json_string_value(v);
		if (!name)
			return BAD(r, "%s.%s.arches must be strings", r->what,
				   where, key);
		c->has_arches = true;
		c->arch_match |= *HOST_DOCKER && word_in(name, HOST_DOCKER);
	}
	json_t *mk = json_object_get(o, "minKernel");
	if (mk && !json_is_null(mk)) {
		int want[3];
		if (parse_version(json_string_value(mk), want) < 0)
			return BAD(r, "%s.%s.minKernel: expected a version like \"4.8\"",
				   r->what, where, key);
		c->has_kernel = true;
		c->kernel_reached = cmp_version(r->kernel, want) >= 0;
	}
	return 0;
}

/* Docker's rules: a rule applies unless an exclusion matches (any of its
 * caps) or an inclusion does not (all of its caps). */
static int applies(struct resolve *r, json_t *rule, const char *where,
		   bool *yes)
{
	struct cond inc, exc;
	if (read_cond(r, rule, "includes", where, &inc) < 0 ||
	    read_cond(r, rule, "excludes", where, &exc) < 0)
		return -1;
	*yes = !(exc.has_arches && exc.arch_match) && !exc.any_cap &&
	       !(exc.has_kernel && exc.kernel_reached) &&
	       !(inc.has_arches && !inc.arch_match) && inc.all_caps &&
	       !(inc.has_kernel && !inc.kernel_reached);
	return 0;
}

static json_t *names_of(struct resolve *r, json_t *rule, const char *where)
{
	json_t *names = json_object_get(rule, "names"), *v;
	const char *one = json_string_value(json_object_get(rule, "name"));
	if (names && !json_is_null(names) && !json_is_array(names)) {
		BAD(r, "%s.names must be an array", r->what, where);
		return NULL;
	}
	json_t *out = json_array();
	size_t i;
	json_array_foreach(names, i, v)
	{
		if (!json_is_string(v) || !*json_string_value(v)) {
			json_decref(out);
			BAD(r, "%s.names must be syscall names", r->what, where);
			return NULL;
		}
		json_array_append(out, v);
	}
	if (one) /* the old single "name" */
		json_array_append_new(out, json_string(one));
	if (json_array_size(out) == 0) {
		json_decref(out);
		BAD(r, "%s: no syscall names", r->what, where);
		return NULL;
	}
	return out;
}

static int check_action(struct resolve *r, json_t *o, const char *key,
			const char *errkey, const char *where)
{
	const char *a = json_string_value(json_object_get(o, key));
	json_t *e = json_object_get(o, errkey);
	uint32_t act;
	if (e && !json_is_null(e) &&
	    (!json_is_integer(e) || json_integer_value(e) < 0 ||
	     json_integer_value(e) > 4095))
		return BAD(r, "%s%s%s: expected an errno from 0 to 4095", r->what,
			   where, *where ? "." : "", errkey);
	if (seccomp_action_value(a, false, 0, &act) < 0)
		return BAD(r, "%s%s%s: unknown action '%s'", r->what, where,
			   *where ? "." : "", key, a ? a : "");
	return 0;
}

static json_t *args_of(struct resolve *r, json_t *rule, const char *where)
{
	json_t *args = json_object_get(rule, "args"), *a;
	if (!args || json_is_null(args))
		return json_array();
	if (!json_is_array(args) || json_array_size(args) > 6) {
		BAD(r, "%s.args must be an array of at most 6", r->what, where);
		return NULL;
	}
	json_t *out = json_array();
	size_t i;
	json_array_foreach(args, i, a)
	{
		json_t *idx = json_object_get(a, "index"),
		       *val = json_object_get(a, "value"),
		       *two = json_object_get(a, "valueTwo");
		const char *op = json_string_value(json_object_get(a, "op"));
		int opv;
		const char *bad = NULL;
		if (!json_is_integer(idx) || json_integer_value(idx) < 0 ||
		    json_integer_value(idx) > 5)
			bad = "index: expected 0 to 5";
		else if (!json_is_integer(val))
			bad = "value: expected a number";
		else if (two && !json_is_null(two) && !json_is_integer(two))
			bad = "valueTwo: expected a number";
		if (!bad && seccomp_op_value(op, &opv) < 0) {
			json_decref(out);
			BAD(r, "%s.args[%zu].op: unknown comparison '%s'", r->what,
			    where, i, op ? op : "");
			return NULL;
		}
		if (bad) {
			json_decref(out);
			BAD(r, "%s.args[%zu].%s", r->what, where, i, bad);
			return NULL;
		}
		json_array_append_new(
			out, json_pack("{s:O, s:O, s:I, s:s}", "index", idx,
				       "value", val, "valueTwo",
				       json_integer_value(two), "op", op));
	}
	return out;
}

/* One syscalls[] entry: appended to out when it applies. */
static int rule(struct resolve *r, json_t *in, size_t i, json_t *out)
{
	char where[32];
	snprintf(where, sizeof where, "syscalls[%zu]", i);
	if (!json_is_object(in))
		return BAD(r, "%s must be an object", r->what, where);
	if (check_action(r, in, "action", "errnoRet", where) < 0)
		return -1;
	bool yes;
	if (applies(r, in, where, &yes) < 0)
		return -1;
	json_t *names = names_of(r, in, where);
	json_t *args = names ? args_of(r, in, where) : NULL;
	if (!args) {
		json_decref(names);
		return -1;
	}
	if (!yes) {
		json_decref(names);
		json_decref(args);
		return 0;
	}
	json_t *o = json_pack("{s:o, s:O}", "names", names, "action",
			      json_object_get(in, "action"));
	json_t *e = json_object_get(in, "errnoRet");
	if (json_is_integer(e))
		json_object_set(o, "errnoRet", e);
	if (json_array_size(args))
		json_object_set_new(o, "args", args);
	else
		json_decref(args);
	json_array_append_new(out, o);
	return 0;
}

static int check_arches(struct resolve *r, json_t *list, const char *where)
{
	size_t i;
	json_t *v;
	if (list && !json_is_null(list) && !json_is_array(list))
		return BAD(r, "%s must be an array", r->what, where);
	json_array_foreach(list, i, v)
	{
		uint32_t a;
		const char *name = json_string_value(v);
		if (seccomp_arch_value(name, &a) < 0)
			return BAD(r, "%s: unknown architecture '%s'", r->what,
				   where, name ? name : "");
	}
	return 0;
}

/* "architectures" as given, or the archMap entry of this host: it with
 * its sub-architectures. */
static json_t *arches_of(struct resolve *r, json_t *p)
{
	json_t *list = json_object_get(p, "architectures"),
	       *map = json_object_get(p, "archMap"), *m;
	if (json_array_size(list) && json_array_size(map)) {
		BAD(r, "give architectures or archMap, not both", r->what);
		return NULL;
	}
	if (check_arches(r, list, "architectures") < 0)
		return NULL;
	if (map && !json_is_null(map) && !json_is_array(map)) {
		BAD(r, "archMap must be an array", r->what);
		return NULL;
	}
	json_t *out = json_is_array(list) ? json_copy(list) : json_array();
	size_t i;
	json_array_foreach(map, i, m)
	{
		const char *a = json_string_value(json_object_get(m, "architecture"));
		json_t *subs = json_object_get(m, "subArchitectures");
		uint32_t v;
		char where[64];
		snprintf(where, sizeof where, "archMap[%zu]", i);
		if (seccomp_arch_value(a, &v) < 0) {
			BAD(r, "%s: unknown architecture '%s'", r->what, where,
			    a ? a : "");
			break;
		}
		snprintf(where, sizeof where, "archMap[%zu].subArchitectures", i);
		if (check_arches(r, subs, where) < 0)
			break;
		if (strcmp(a, HOST_SCMP))
			continue;
		json_array_append_new(out, json_string(a));
		json_array_extend(out, json_is_array(subs) ? subs : NULL);
	}
	if (i < json_array_size(map)) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static json_t *flags_of(struct resolve *r, json_t *p)
{
	json_t *flags = json_object_get(p, "flags"), *v;
	size_t i;
	if (flags && !json_is_null(flags) && !json_is_array(flags)) {
		BAD(r, "flags must be an array", r->what);
		return NULL;
	}
	json_array_foreach(flags, i, v)
	{
		unsigned int f;
		const char *name = json_string_value(v);
		if (seccomp_flag_value(name, &f) < 0) {
			BAD(r, "flags[%zu]: unknown flag '%s'", r->what, i,
			    name ? name : "");
			return NULL;
		}
	}
	return json_is_array(flags) ? json_copy(flags) : json_array();
}

static json_t *rules_of(struct resolve *r, json_t *p)
{
	json_t *rules = json_object_get(p, "syscalls"), *v;
	if (rules && !json_is_null(rules) && !json_is_array(rules)) {
		BAD(r, "syscalls must be an array", r->what);
		return NULL;
	}
	json_t *out = json_array();
	size_t i;
	json_array_foreach(rules, i, v)
	{
		if (rule(r, v, i, out) < 0) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

json_t *seccomp_docker_to_oci(json_t *p, uint64_t caps, const char *what,
			      struct box_err *err)
{
	struct resolve r = {.caps = caps, .what = what, .err = err};
	struct utsname u;
	if (uname(&u) == 0)
		parse_version(u.release, r.kernel);
	if (!json_is_object(p)) {
		BAD(&r, "not a JSON object", what);
		return NULL;
	}
	if (json_object_get(p, "listenerPath")) {
		BAD(&r, "listenerPath: SCMP_ACT_NOTIFY is not supported", what);
		return NULL;
	}
	if (check_action(&r, p, "defaultAction", "defaultErrnoRet", "") < 0)
		return NULL;
	json_t *arches = arches_of(&r, p);
	json_t *flags = arches ? flags_of(&r, p) : NULL;
	json_t *rules = flags ? rules_of(&r, p) : NULL;
	if (!rules) {
		json_decref(arches);
		json_decref(flags);
		return NULL;
	}
	json_t *oci = json_pack("{s:O, s:o, s:o}", "defaultAction",
				json_object_get(p, "defaultAction"),
				"architectures", arches, "syscalls", rules);
	json_t *de = json_object_get(p, "defaultErrnoRet");
	if (json_is_integer(de))
		json_object_set(oci, "defaultErrnoRet", de);
	if (json_array_size(flags))
		json_object_set(oci, "flags", flags);
	json_decref(flags);
	return oci;
}
