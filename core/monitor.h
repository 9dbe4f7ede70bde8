/* monitor.h - the per-container supervisor.
 *
 * Detached (`boxtop start`): a small process, forked twice so it belongs to
 * no front end, is the parent of the container's init.  It holds the pty
 * master, copies the console into a bounded log and to attached clients
 * (console.sock), reaps init, records the exit in state.json and removes
 * the cgroup.  Foreground (`boxtop run`): the boxtop process itself plays
 * that part, with the user's stdio as the console. */
#ifndef BOX_MONITOR_H
#define BOX_MONITOR_H

#include "ctx.h"
#include "stdio_relay.h"

#include <jansson.h>

struct mon_run {
	pid_t pid;       /* init (host pid) */
	int pidfd;       /* pidfd of init */
	int master;      /* pty master, -1 without a terminal */
	/* in the foreground without a terminal: init's stdio as pipes, for
	 * stdio_relay (ours only; all -1 otherwise) */
	struct stdio_pipes io;
};

/* Create the cgroup, open the console, spawn init, record "running".
 * config: the container's, if the caller has it (borrowed), else NULL. 
 * MON_DETACHED: the console is a new pty; else with tty a pty relayed to
 * the caller's terminal, without it pipes (run->io) the caller copies: the
 * container never holds the caller's terminal or files.  The calling
 * process becomes init's parent and is made not dumpable first. */
enum {
	MON_DETACHED = 1, /* a new pty as console (else the caller's, relayed) */
	MON_DISCARD = 2,  /* removed when it exits (run --rm): volatile layer */
};
int monitor_launch(struct box_ctx *ctx, const char *name, unsigned flags,
		   json_t *config, struct mon_run *run, struct box_err *err);
/* The detached monitor's loop: returns when init has exited, with its
 * wait status.  Never prints. */
int monitor_serve(struct box_ctx *ctx, const char *name, struct mon_run *run);
/* Record the exit (wait status), remove cgroup and host network leftovers. */
void monitor_finish(struct box_ctx *ctx, const char *name, int wstatus,
		    bool have_status);
/* Give back what an idle monitor does not need: free heap, the stack below
 * the caller's frame, and the read-only file pages it touched (they fault
 * back in when used).  monitor_serve calls it whenever it goes quiet. */
void monitor_trim(void);
/* The code an idle monitor runs (its serve loop and the trim) lives in a
 * section of its own, which monitor_trim maps as a VMA of its own: the
 * kernel's fault-around (64 kB) then stops at that mapping's end instead
 * of mapping the neighbouring text of the front end. */
#define MONITOR_IDLE_TEXT __attribute__((section("boxtop_idle_text")))
/* Remove the cgroup of a container whose init is gone (kills stragglers). */
void monitor_cleanup_cgroup(struct box_ctx *ctx, const char *name);

#endif
