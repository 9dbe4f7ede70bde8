/* actions.c - what the action keys do: pick the target containers (the
 * tagged ones, else the selected one) and hand the work to the worker; the
 * few that cannot wait (Ctrl-K) or need the terminal (attach, exec) run
 * here. */
#include "tui.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The names an action applies to: the tagged rows, else the selected one. */
static size_t targets(struct tui *t, struct worker_task **out,
		      enum worker_op (*pick)(const struct box_stat_row *r, void *a),
		      void *arg)
{
	struct worker_task *tk = calloc(t->nrows + 1, sizeof *tk);
	size_t n = 0;
	if (!tk)
		return 0;
	for (size_t i = 0; i < t->nrows && t->ntags; i++)
		if (list_is_tagged(t, t->rows[i].info.name)) {
			snprintf(tk[n].name, sizeof tk[n].name, "%s", t->rows[i].info.name);
			tk[n].op = pick(&t->rows[i], arg);
			n++;
		}
	if (!n && tui_selected(t)) {
		const struct box_stat_row *r = tui_selected(t);
		snprintf(tk[0].name, sizeof tk[0].name, "%s", r->info.name);
		tk[0].op = pick(r, arg);
		n = 1;
	}
	*out = tk;
	return n;
}

static enum worker_op pick_fixed(const struct box_stat_row *r, void *arg)
{
	(void)r;
	return *(enum worker_op *)arg;
}
static enum worker_op pick_startstop(const struct box_stat_row *r, void *arg)
{
	(void)arg;
	return r->info.status == BOX_RUNNING || r->info.status == BOX_PAUSED
		       ? OP_STOP
		       : OP_START;
}
static enum worker_op pick_freeze(const struct box_stat_row *r, void *arg)
{
	(void)arg;
	return r->info.status == BOX_PAUSED ? OP_THAW : OP_FREEZE;
}

bool tui_may_act(struct tui *t)
{
	if (t->o.readonly)
		tui_message(t, true, "read-only mode (--readonly): actions are off");
	return !t->o.readonly;
}

bool tui_writable(struct tui *t)
{
	if (!tui_may_act(t))
		return false;
	if (worker_busy(t->worker)) {
		tui_message(t, true, "busy: wait for the running operation to finish");
		return false;
	}
	return true;
}

void tui_act(struct tui *t, const char *label,
	     enum worker_op (*pick)(const struct box_stat_row *, void *),
	     void *arg, int sig)
{
	if (!tui_writable(t))
		return;
	struct worker_task *tk;
	size_t n = targets(t, &tk, pick, arg);
	if (!n) {
		tui_message(t, true, "no container selected");
	} else if (worker_run(t->worker, box_root(t->ctx), label, tk, n, sig) < 0) {
		tui_message(t, true, "cannot start the worker thread");
	}
	free(tk);
}

void tui_act_op(struct tui *t, const char *label, enum worker_op op, int sig)
{
	tui_act(t, label, pick_fixed, &op, sig);
}

void tui_remove_selected(struct tui *t)
{
	if (!tui_writable(t))
		return;
	size_t n = t->ntags;
	const struct box_stat_row *r = tui_selected(t);
	if (!n && !r)
		return;
	bool yes = n ? dialog_confirm(t, "Remove %zu tagged containers?", n)
		     : dialog_confirm(t, "Remove %s?", r->info.name);
	if (yes)
		tui_act_op(t, "remove", OP_REMOVE, 0);
}

/* Ctrl-K: SIGKILL now, on this thread, even while a worker is busy. */
void tui_kill_now(struct tui *t)
{
	if (!tui_may_act(t))
		return;
	struct worker_task *tk;
	enum worker_op op = OP_KILL;
	size_t n = targets(t, &tk, pick_fixed, &op);
	size_t ok = 0;
	struct box_err err = {0};
	for (size_t i = 0; i < n; i++)
		ok += box_kill(t->ctx, tk[i].name, SIGKILL, &err) == 0;
	if (ok < n)
		tui_message(t, true, "%s", err.msg);
	else if (n)
		tui_message(t, false, "killed %s", n == 1 ? tk[0].name : "tagged containers");
	free(tk);
	tui_sample(t);
}

/* a / e: hand the terminal to the container and take it back. */
void tui_connect_terminal(struct tui *t, bool exec)
{
	if (!tui_may_act(t))
		return;
	const struct box_stat_row *r = tui_selected(t);
	if (!r)
		return;
	if (r->info.status != BOX_RUNNING) {
		tui_message(t, true, "%s: not running", r->info.name);
		return;
	}
	char name[BOX_NAME_MAX + 1];
	snprintf(name, sizeof name, "%s", r->info.name);
	def_prog_mode();
	endwin();
	if (!exec)
		printf("boxtop: attached to %s (detach: Ctrl-a q)\r\n", name);
	fflush(stdout);
	struct box_err err = {0};
	int code = 0, rc;
	if (exec) {
		char *argv[] = {"/bin/sh", NULL};
		rc = box_exec(t->ctx, name, argv, true, &code, &err);
	} else {
		rc = box_attach(t->ctx, name, &err);
	}
	reset_prog_mode();
	/* everything the container printed is gone: repaint all */
	clearok(curscr, TRUE);
	tui_layout(t);
	if (rc < 0)
		tui_message(t, true, "%s", err.msg);
	else
		tui_message(t, false, "%s %s: back", exec ? "exec in" : "detached from", name);
	tui_sample(t);
}

void tui_act_startstop(struct tui *t)
{
	tui_act(t, "start/stop", pick_startstop, NULL, 0);
}

void tui_act_freeze(struct tui *t)
{
	tui_act(t, "freeze/thaw", pick_freeze, NULL, 0);
}
