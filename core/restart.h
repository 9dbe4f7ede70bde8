/* restart.h - restart policies (restart.c): parsed, stored as an
 * annotation, and asked by the monitor when its init exits. */
#ifndef BOX_RESTART_H
#define BOX_RESTART_H

#include "box.h"

#include <jansson.h>

/* In a container's directory: stopped by hand under unless-stopped. */
#define RESTART_STOPPED_FILE "stopped"

enum restart_kind {
	RESTART_NO, RESTART_ON_FAILURE, RESTART_ALWAYS, RESTART_UNLESS_STOPPED
};

struct restart_policy {
	enum restart_kind kind;
	unsigned max;   /* on-failure:N, 0 for no limit */
};

/* "no" (or NULL), "on-failure[:N]", "always", "unless-stopped". */
int restart_parse(const char *s, struct restart_policy *p, struct box_err *err);
/* The policy a config.json carries ("no" when none or unreadable). */
void restart_policy_of(json_t *config, struct restart_policy *p);
/* Its name as restart_parse reads it. */
const char *restart_name(const struct restart_policy *p, char *buf, size_t len);
/* Record policy (a string as restart_parse takes) in config's annotations. */
int restart_annotate(json_t *config, const char *policy, struct box_err *err);
/* Should the monitor start the init again after it ended with wstatus,
 * having restarted it restarts times already? */
bool restart_wanted(const struct restart_policy *p, int wstatus,
		    unsigned restarts, bool by_hand);
/* unless-stopped remembers a stop by hand on disk, past a reboot (when
 * the state in memory is gone), so `start --boot` leaves that container;
 * a start clears it (monitor_launch, for such a policy only). */
void restart_mark_stopped(struct box_ctx *ctx, const char *name, bool stopped);
/* The wait before the next start after failures restarts in a row. */
unsigned restart_delay_ms(unsigned failures);

#endif
