/* run.c - `boxtop run`: create, start with the caller's terminal (through
 * a pty) or stdio (through pipes) relayed as the console, wait, record the
 * exit, remove with --rm; `start -a`: the same for a container that
 * exists.  The boxtop process itself is the monitor here: no extra
 * process, no socket. */
#include "console.h"
#include "container.h"
#include "monitor.h"
#include "store.h"
#include "util.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>

/* Start name (locked by the caller) with the caller's stdio relayed, wait
 * for its init, record the exit or, with rm, remove it.  config: the one
 * just made by box_run, or NULL. */
static int run_foreground(struct box_ctx *ctx, const char *name, int lock,
			  bool rm, json_t *config, int *exit_code,
			  struct box_err *err)
{
	struct mon_run run;
	int launched = monitor_launch(ctx, name, rm ? MON_DISCARD : 0, config,
				      &run, err);
	store_unlock(lock);
	if (launched < 0)
		return -1;
	int ws;
	if (run.master >= 0) {
		struct termios saved;
		bool raw;
		console_raw(&saved, &raw);
		console_relay(run.master, run.master, run.master, false, run.pidfd);
		console_restore(&saved, raw);
		while (waitpid(run.pid, &ws, 0) < 0 && errno == EINTR)
			;
		close(run.master);
	} else {
		/* its stdio through pipes; signals meant for it reach us */
		stdio_relay(&run.io, run.pidfd, run.pidfd);
		stdio_pipes_close_ours(&run.io);
		while (waitpid(run.pid, &ws, 0) < 0 && errno == EINTR)
			;
	}
	close(run.pidfd);
	*exit_code = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	if (!rm) {
		monitor_finish(ctx, name, ws, true);
		return 0;
	}
	/* no exit to record in a state that is removed next */
	return ct_discard(ctx, name, config, err);
}

int box_run(struct box_ctx *ctx, const struct box_create_opts *opts, bool rm,
	    int *exit_code, struct box_err *err)
{
	if (box_check_name(opts->name, err) < 0)
		return -1;
	/* `run` makes a new container, as docker's does: an existing one
	 * with this name is refused, never run with its old command nor
	 * removed by --rm (it holds someone's writable layer). */
	json_t *config = NULL; /* the one just made: not read back */
	/* With --rm the container is gone when we return: making its config
	 * durable would only cost an fsync. */
	if (ct_create(ctx, opts, !rm, &config, err) < 0) {
		if (err && err->kind == BOX_EEXIST)
			box_fail(err, BOX_EEXIST, 0,
				 "run %s: the name is in use by a container (run it again: boxtop start -a %s)",
				 opts->name, opts->name);
		return -1;
	}
	int lock = store_lock(ctx, opts->name, err);
	int rc = lock < 0 ? -1
			  : run_foreground(ctx, opts->name, lock, rm, config,
					   exit_code, err);
	/* a start that failed leaves the container created, as docker's
	 * run does, unless --rm asked for it to go */
	if (rc < 0 && rm)
		box_remove(ctx, opts->name, true, NULL);
	json_decref(config);
	return rc;
}

int box_start_attached(struct box_ctx *ctx, const char *name, int *exit_code,
		       struct box_err *err)
{
	if (box_check_name(name, err) < 0)
		return -1;
	int lock = store_lock(ctx, name, err);
	if (lock < 0)
		return -1;
	struct box_info info;
	if (box_info_get(ctx, name, &info, err) < 0) {
		store_unlock(lock);
		return -1;
	}
	if (info.status == BOX_RUNNING || info.status == BOX_PAUSED) {
		store_unlock(lock);
		return box_fail(err, BOX_ESTATE, 0,
				"start -a %s: already running (attach to its console with: boxtop attach %s)",
				name, name);
	}
	return run_foreground(ctx, name, lock, false, NULL, exit_code, err);
}
