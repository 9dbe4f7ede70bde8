/* caps.c - drop capabilities to the container's set with libcap. */
#include "spawn.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

int caps_drop_bounding(uint64_t keep, char *msg, size_t len)
{
	cap_value_t last = (cap_value_t)cap_max_bits() - 1;
	for (cap_value_t c = 0; c <= last; c++) {
		if (keep & (1ULL << c))
			continue;
		if (cap_drop_bound(c) < 0 && errno != EINVAL) {
			snprintf(msg, len, "drop capability %d from the bounding set: %s",
				 c, strerror(errno));
			return -1;
		}
	}
	return 0;
}

int caps_apply(uint64_t keep, char *msg, size_t len)
{
	if (caps_drop_bounding(keep, msg, len) < 0)
		return -1;
	return caps_set(keep, msg, len);
}

int caps_set(uint64_t keep, char *msg, size_t len)
{
	cap_value_t last = (cap_value_t)cap_max_bits() - 1;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL) {
		snprintf(msg, len, "clear ambient capabilities: %s", strerror(errno));
		return -1;
	}
	cap_t caps = cap_init(); /* all clear, inheritable included */
	if (!caps) {
		snprintf(msg, len, "cap_init: %s", strerror(errno));
		return -1;
	}
	cap_value_t list[64];
	int n = 0;
	for (cap_value_t c = 0; c <= last && n < 64; c++)
		if (keep & (1ULL << c))
			list[n++] = c;
	int r = 0;
	if (n && (cap_set_flag(caps, CAP_PERMITTED, n, list, CAP_SET) < 0 ||
		  cap_set_flag(caps, CAP_EFFECTIVE, n, list, CAP_SET) < 0))
		r = -1;
	if (!r)
		r = cap_set_proc(caps);
	if (r < 0)
		snprintf(msg, len, "set capabilities: %s", strerror(errno));
	cap_free(caps);
	return r;
}
