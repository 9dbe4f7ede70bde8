/* confine.h - what a container may do, as the create options say it
 * (--cap-add, --cap-drop, --device, --privileged): turned into OCI
 * config.json (process.capabilities, linux.resources.devices,
 * linux.devices) and read back for `info`.  Enforcement is elsewhere:
 * caps.c in the child, devices.h on the cgroup. */
#ifndef BOX_CONFINE_H
#define BOX_CONFINE_H

#include "box.h"

#include <jansson.h>

/* A capability name as a user types it ("NET_ADMIN", "cap_net_admin",
 * any case) -> its number; -1 when this kernel has no such capability. */
int confine_cap_value(const char *name);
/* The capability names ("CAP_CHOWN", ...) of the options: Docker's
 * default set (all with privileged), less cap_drop, plus cap_add.  NULL
 * with err (BOX_EUSAGE) for an unknown name. */
json_t *confine_caps_json(const struct box_create_opts *o, struct box_err *err);
/* linux.resources.devices (runc's defaults, or allow-all with privileged,
 * then a rule per --device) and linux.devices (a node per --device, as
 * the host's: type, numbers, mode, owner).  A --device that is not a
 * device node, or has a bad path or access, fails with BOX_EUSAGE. */
int confine_devices_json(const struct box_create_opts *o, json_t **rules,
			 json_t **nodes, struct box_err *err);
/* Both, thrown away: refuses bad options before create makes anything. */
int confine_check(const struct box_create_opts *o, struct box_err *err);
/* box_confine of a loaded config.json. */
int confine_describe(json_t *config, struct box_confine *out,
		     struct box_err *err);
/* The annotation that marks a container made with --privileged. */
#define CONFINE_PRIVILEGED_KEY "org.boxtop.privileged"

#endif
