/* container.h - the container state machine's shared pieces (internal). */
#ifndef BOX_CONTAINER_H
#define BOX_CONTAINER_H

#include "store.h"

/* A pidfd for pid if it is still the process that started at start (pid
 * + start time name a process uniquely); -1 otherwise. */
int proc_pidfd(pid_t pid, uint64_t start);
/* Wait until the process behind pidfd exits, at most ms; true if it did. */
bool proc_wait_exit(int pidfd, int ms);

/* The status as it really is: "running" in state.json is checked against
 * the live init (pid + start time) and the freezer. */
enum box_status ct_real_status(struct box_ctx *ctx, const char *name,
			       const struct box_state *st);
/* A state that says running while init and monitor are both gone: clean up
 * the cgroup and record the stop. */
void ct_reconcile(struct box_ctx *ctx, const char *name, struct box_state *st);
/* Load the state of an existing container and its real status. */
/* Remove the container whose init `run --rm` just reaped, with what its
 * monitor would release (cgroup, network links); cgroup and files go in
 * parallel.  Only from a single-threaded caller that spawns nothing
 * meanwhile. */
int ct_discard(struct box_ctx *ctx, const char *name, json_t *config,
	       struct box_err *err);
int ct_load_live(struct box_ctx *ctx, const char *name, struct box_state *st,
		 enum box_status *status, struct box_err *err);
/* The same; wait=false never waits for a monitor recording an exit (a
 * sampler that must not block: the state file's change follows). */
int ct_load_live_opt(struct box_ctx *ctx, const char *name,
		     struct box_state *st, enum box_status *status, bool wait,
		     struct box_err *err);
/* The container is being ended by hand (stop, kill, rm): its monitor
 * must not restart it, whatever its restart policy (SIGUSR1, restart.h). */
void ct_stopped_by_hand(const struct box_state *st);
/* A monitor waiting to restart it (st->restarting): told to give up, and
 * waited for.  Returns true if there was one. */
bool ct_cancel_restart(struct box_ctx *ctx, const char *name,
		       struct box_state *st);
/* Wait for the monitor to record the exit; do its part if it is gone. */
void ct_wait_stopped(struct box_ctx *ctx, const char *name,
		     struct box_state *st);

/* Freeze a running container for a command that must see it still (commit),
 * recording who holds the freeze: if that process dies before
 * ct_freeze_release, whoever next finds the container frozen thaws it. */
int ct_freeze_hold(struct box_ctx *ctx, const char *name, struct box_err *err);
int ct_freeze_release(struct box_ctx *ctx, const char *name,
		      struct box_err *err);

/* Finish removing name, which has no config.json (an interrupted create or
 * rm): its cgroup, leases, run directory and directory go.  Caller holds
 * the lock (store_lock). */
int ct_finish_removal(struct box_ctx *ctx, const char *name,
		      struct box_err *err);

/* create, with or without fsync of config.json (batch syncs once).
 * keep: NULL, or where the config written goes (the caller's reference),
 * for a caller that starts the container next without reading it back. */
int ct_create(struct box_ctx *ctx, const struct box_create_opts *opts,
	      bool durable, json_t **keep, struct box_err *err);

/* A start in two halves, so a batch can have many under way at once:
 * begin takes the lock and forks the monitor, finish waits for its report. */
struct start_op {
	char name[BOX_NAME_MAX + 1];
	int lock;      /* held until finish */
	int report;    /* read end: the monitor's error text, or EOF = ok */
};
int start_begin(struct box_ctx *ctx, const char *name, struct start_op *op,
		struct box_err *err);
int start_finish(struct box_ctx *ctx, struct start_op *op, struct box_err *err);

#endif
