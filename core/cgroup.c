/* cgroup.c - placeholder until the cgroup module lands. */
#include "cgroup.h"
int cg_detect(struct cg_layout *out, const char *mountinfo_path,
	      struct box_err *err)
{
	(void)out;
	return box_fail(err, BOX_ESYS, 0, "cgroups: %s: not implemented",
			mountinfo_path);
}
