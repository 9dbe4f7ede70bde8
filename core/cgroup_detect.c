/* cgroup_detect.c - find the cgroup hierarchies (v1, v2 or hybrid) from a
 * mountinfo file and give each role (cpu, memory, ...) its hierarchy. */
#include "cgroup_priv.h"
#include "util.h"

#include <sys/utsname.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				      (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* The v1 controllers this module uses, with the role each one fills. */
static const char *const v1_ctrl[] = {"cpu",  "cpuacct", "memory", "pids",
				      "freezer", "blkio", "devices"};

static int *role_slot(struct cg_layout *l, size_t i)
{
	int *slots[] = {&l->cpu,     &l->cpuacct, &l->memory, &l->pids,
			&l->freezer, &l->blkio,   &l->devices};
	return slots[i];
}

/* One mountinfo line split into the fields we need. */
struct mi_line {
	char *root, *mnt, *fstype, *super;
};

static bool split_line(char *line, struct mi_line *m)
{
	char *f[6], *save = NULL, *tok;
	int n = 0;
	for (tok = strtok_r(line, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		f[n++] = tok;
		if (n == 6)
			break;
	}
	if (n < 6)
		return false;
	/* optional fields up to the lone "-" separator */
	while ((tok = strtok_r(NULL, " ", &save)) && strcmp(tok, "-"))
		;
	if (!tok)
		return false;
	m->root = f[3];
	m->mnt = f[4];
	m->fstype = strtok_r(NULL, " ", &save);
	strtok_r(NULL, " ", &save); /* source */
	m->super = strtok_r(NULL, " ", &save);
	return m->fstype && m->super;
}

bool cg_has_token(const char *list, const char *word, const char *seps)
{
	size_t wl = strlen(word);
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, seps);
		if (n == wl && !strncmp(p, word, wl))
			return true;
		p += n;
		p += strspn(p, seps);
	}
	return false;
}

static int add_hier(struct cg_layout *l, const char *root, const char *mnt,
		    const char *ctrl, bool v2, struct box_err *err)
{
	if (l->n_hier >= CG_MAX_HIER)
		return box_fail(err, BOX_EINVAL, 0, "too many hierarchies");
	struct cg_hier *h = &l->hier[l->n_hier];
	if (util_path(h->mount, sizeof h->mount, err, "%s%s", root, mnt) < 0 ||
	    util_path(h->controllers, sizeof h->controllers, err, "%s",
		      ctrl) < 0)
		return -1;
	h->v2 = v2;
	return l->n_hier++;
}

/* A v1 mount: keep it if it carries a role nobody else has yet. */
static int take_v1(struct cg_layout *l, const struct mi_line *m,
		   const char *root, struct box_err *err)
{
	char ctrl[128] = "";
	bool fresh = false;
	for (size_t i = 0; i < ARRAY_LEN(v1_ctrl); i++) {
		if (!cg_has_token(m->super, v1_ctrl[i], ","))
			continue;
		if (*role_slot(l, i) < 0)
			fresh = true;
		size_t len = strlen(ctrl);
		snprintf(ctrl + len, sizeof ctrl - len, "%s%s", len ? "," : "",
			 v1_ctrl[i]);
	}
	if (!fresh)
		return 0;
	int hi = add_hier(l, root, m->mnt, ctrl, false, err);
	if (hi < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_LEN(v1_ctrl); i++)
		if (cg_has_token(m->super, v1_ctrl[i], ",") &&
		    *role_slot(l, i) < 0)
			*role_slot(l, i) = hi;
	return 0;
}

/* Roles no v1 hierarchy fills go to cgroup2 when its root offers the
 * controller (pure v2: all of them; this VM's hybrid: none, only hugetlb). */
static void fill_from_v2(struct cg_layout *l)
{
	int u = l->unified;
	char ctl[512];
	if (cg_read(l, u, "", "cgroup.controllers", ctl, sizeof ctl) < 0)
		ctl[0] = '\0';
	static const char *const v2name[] = {"cpu",  NULL, "memory", "pids",
					     NULL,   "io", NULL};
	for (size_t i = 0; i < ARRAY_LEN(v1_ctrl); i++) {
		int *slot = role_slot(l, i);
		if (*slot >= 0)
			continue;
		/* CPU usage (cpu.stat usage_usec) and freezing (cgroup.freeze)
		 * are core cgroup2 files that need no controller; nor does a
		 * device program. */
		if (!v2name[i] || cg_has_token(ctl, v2name[i], " \n"))
			*slot = u;
	}
	struct cg_hier *h = &l->hier[u];
	h->controllers[0] = '\0';
	static const char *const want[] = {"cpu", "memory", "pids", "io"};
	for (size_t i = 0; i < ARRAY_LEN(want); i++) {
		if (!cg_has_token(ctl, want[i], " \n"))
			continue;
		size_t len = strlen(h->controllers);
		snprintf(h->controllers + len, sizeof h->controllers - len,
			 "%s%s", len ? "," : "", want[i]);
	}
}

/* cgroup2 freezes without a controller since Linux 5.2 (cgroup.freeze);
 * cpu.stat's usage is older. */
static bool kernel_freezes_v2(void)
{
	struct utsname u;
	unsigned major = 0, minor = 0;
	return uname(&u) == 0 && sscanf(u.release, "%u.%u", &major, &minor) == 2 &&
	       (major > 5 || (major == 5 && minor >= 2));
}

/* CPU usage and freezing from cgroup2 (cg_detect says why); the v1
 * hierarchies this leaves without a role move to legacy[]. */
static void prefer_core_v2(struct cg_layout *l)
{
	l->cpuacct = l->freezer = l->unified;
	int *roles[] = {&l->cpu,     &l->cpuacct, &l->memory,  &l->pids,
			&l->freezer, &l->blkio,   &l->devices, &l->unified};
	int map[CG_MAX_HIER], n = 0;
	for (int hi = 0; hi < l->n_hier; hi++) {
		bool used = false;
		for (size_t i = 0; i < ARRAY_LEN(roles); i++)
			used |= *roles[i] == hi;
		map[hi] = used ? n : -1;
		if (used)
			l->hier[n++] = l->hier[hi];
		else if (l->n_legacy < (int)ARRAY_LEN(l->legacy))
			l->legacy[l->n_legacy++] = l->hier[hi];
	}
	l->n_hier = n;
	for (size_t i = 0; i < ARRAY_LEN(roles); i++)
		if (*roles[i] >= 0)
			*roles[i] = map[*roles[i]];
}

int cg_detect_at(struct cg_layout *out, const char *mountinfo_path,
		 const char *root, struct box_err *err)
{
	return cg_detect_with(out, mountinfo_path, root, kernel_freezes_v2(),
			      err);
}

int cg_detect_with(struct cg_layout *out, const char *mountinfo_path,
		   const char *root, bool core_v2, struct box_err *err)
{
	if (!root)
		root = "";
	memset(out, 0, sizeof *out);
	out->cpu = out->cpuacct = out->memory = out->pids = out->freezer =
		out->blkio = out->devices = out->unified = -1;
	auto_free char *text = util_read_file(mountinfo_path, NULL, err);
	if (!text)
		return box_err_wrap(err, "cgroups");
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct mi_line m;
		if (!split_line(line, &m))
			continue;
		/* A bind mount of a sub-cgroup is not a hierarchy root. */
		if (strcmp(m.root, "/"))
			continue;
		unescape(m.mnt);
		if (!strcmp(m.fstype, "cgroup2")) {
			if (out->unified < 0) {
				int hi = add_hier(out, root, m.mnt, "", true,
						  err);
				if (hi < 0)
					return box_err_wrap(err, "cgroups");
				out->unified = hi;
			}
		} else if (!strcmp(m.fstype, "cgroup")) {
			if (take_v1(out, &m, root, err) < 0)
				return box_err_wrap(err, "cgroups");
		}
	}
	bool v1 = out->n_hier > (out->unified >= 0 ? 1 : 0);
	if (!out->n_hier)
		return box_fail(err, BOX_ENOENT, 0,
				"cgroups: %s: no cgroup hierarchy is mounted",
				mountinfo_path);
	out->mode = !v1 ? CG_V2 : out->unified >= 0 ? CG_HYBRID : CG_V1;
	if (out->unified >= 0)
		fill_from_v2(out);
	if (out->mode == CG_HYBRID && core_v2)
		prefer_core_v2(out);
	if (out->cpu < 0 && out->memory < 0 && out->pids < 0 &&
	    out->unified < 0)
		return box_fail(err, BOX_ENOENT, 0,
				"cgroups: %s: no usable controller", mountinfo_path);
	return 0;
}

int cg_detect(struct cg_layout *out, const char *mountinfo_path,
	      struct box_err *err)
{
	return cg_detect_at(out, mountinfo_path, "", err);
}

void cg_cpus_to_quota(double cpus, int64_t *quota_us, int64_t *period_us)
{
	*period_us = 100000;
	*quota_us = cpus > 0 ? (int64_t)(cpus * 100000.0 + 0.5) : 0;
	/* The kernel refuses quotas under 1 ms. */
	if (cpus > 0 && *quota_us < 1000)
		*quota_us = 1000;
}

uint64_t cg_shares_to_weight(uint64_t shares)
{
	if (!shares)
		return 0;
	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	return 1 + ((shares - 2) * 9999) / 262142;
}
