/* cgroup_priv.h - helpers shared by the cgroup_*.c files (module-internal). */
#ifndef BOX_CGROUP_PRIV_H
#define BOX_CGROUP_PRIV_H

#include "cgroup.h"

#include <limits.h>

/* "<mount of hier hi>/<relpath>[/<file>]" into buf. */
int cg_path(const struct cg_layout *l, int hi, const char *relpath,
	    const char *file, char *buf, size_t len, struct box_err *err);
/* Write val into <hier>/<relpath>/<file>. */
int cg_write(const struct cg_layout *l, int hi, const char *relpath,
	     const char *file, const char *val, struct box_err *err);
/* Read a small file into buf (NUL-terminated); -1 with errno on failure. */
ssize_t cg_read(const struct cg_layout *l, int hi, const char *relpath,
		const char *file, char *buf, size_t len);
/* The value after "key " on its own line of a flat keyed file, or -1. */
int64_t cg_keyed(const char *buf, const char *key);
/* word is one of the items of list, items separated by any of seps. */
bool cg_has_token(const char *list, const char *word, const char *seps);
/* The hierarchy whose cgroup.procs says which processes a container has:
 * the cgroup2 one when there is one (it tracks every process on hybrid hosts
 * too), else freezer, else the first. */
int cg_track_hier(const struct cg_layout *l);
/* True if the unified cgroup of relpath has file (cgroup.freeze, cgroup.kill:
 * only non-root cgroup2 cgroups on kernels >= 5.2 / 5.14 have them). */
bool cg_unified_has(const struct cg_layout *l, const char *relpath,
		    const char *file);

#endif
