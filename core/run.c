/* run.c - `boxtop run`: create (unless it exists), start with the caller's
 * stdio as the console, wait, record the exit, remove with --rm.  The boxtop
 * process itself is the monitor here: no extra process, no socket. */
#include "console.h"
#include "container.h"
#include "monitor.h"
#include "store.h"
#include "util.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

/* Without a terminal, signals meant for the container reach us: pass them
 * on to its init until it exits. */
static int wait_forwarding(struct mon_run *run)
{
	sigset_t mask, old;
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGQUIT);
	sigprocmask(SIG_BLOCK, &mask, &old);
	auto_fd sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	for (;;) {
		struct pollfd p[2] = {{.fd = run->pidfd, .events = POLLIN},
				      {.fd = sfd, .events = POLLIN}};
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof si) == sizeof si)
				kill(run->pid, (int)si.ssi_signo);
		}
		if (p[0].revents & POLLIN)
			break;
	}
	int ws = 0;
	while (waitpid(run->pid, &ws, 0) < 0 && errno == EINTR)
		;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ws;
}

int box_run(struct box_ctx *ctx, const struct box_create_opts *opts, bool rm,
	    int *exit_code, struct box_err *err)
{
	if (box_check_name(opts->name, err) < 0)
		return -1;
	bool created = false;
	json_t *config = NULL; /* the one just made: not read back */
	if (!store_exists(ctx, opts->name)) {
		/* With --rm the container is gone when we return: making its
		 * config durable would only cost an fsync. */
		if (ct_create(ctx, opts, !rm, &config, err) < 0)
			return -1;
		created = true;
	}
	int lock = store_lock(ctx, opts->name, err);
	if (lock < 0) {
		json_decref(config);
		return -1;
	}
	/* one just made is not running; an old one may be */
	struct box_info info;
	if (!created && box_info_get(ctx, opts->name, &info, err) < 0)
		goto fail;
	if (!created &&
	    (info.status == BOX_RUNNING || info.status == BOX_PAUSED)) {
		box_fail(err, BOX_ESTATE, 0, "run %s: already running", opts->name);
		goto fail;
	}
	struct mon_run run;
	int launched = monitor_launch(ctx, opts->name, rm ? MON_DISCARD : 0,
				      config, &run, err);
	if (launched < 0)
		goto fail;
	store_unlock(lock);
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
		ws = wait_forwarding(&run);
	}
	close(run.pidfd);
	*exit_code = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	if (!rm) {
		json_decref(config);
		monitor_finish(ctx, opts->name, ws, true);
		return 0;
	}
	/* no exit to record in a state that is removed next */
	int rc = ct_discard(ctx, opts->name, config, err);
	json_decref(config);
	return rc;
fail:
	json_decref(config);
	store_unlock(lock);
	if (created && rm)
		box_remove(ctx, opts->name, true, NULL);
	return -1;
}
