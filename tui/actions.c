/* actions.c - what the action keys do: pick the target containers (the
 * tagged ones, else the selected one) and hand the work to the worker; the
 * few that cannot wait (Ctrl-K) or need the terminal (attach, exec) run
 * here.  An action on tagged rows names them before it acts: the cursor
 * may be on a row that is not one of them. */
#include "tui.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The names an action applies to: the tagged rows (*tagged set), else the
 * selected one, with the op pick chooses for each. */
static size_t targets(struct tui *t, struct worker_task **out,
		      enum worker_op (*pick)(const struct box_stat_row *r, void *a),
		      void *arg, bool *tagged)
{
	struct worker_task *tk = calloc(t->nrows + 1, sizeof *tk);
	size_t n = 0;
	*out = tk;
	if (tagged)
		*tagged = false;
	if (!tk)
		return 0;
	for (size_t i = 0; i < t->nrows && t->ntags; i++)
		if (list_is_tagged(t, t->rows[i].info.name)) {
			snprintf(tk[n].name, sizeof tk[n].name, "%s", t->rows[i].info.name);
			tk[n].op = pick(&t->rows[i], arg);
			n++;
		}
	if (n && tagged)
		*tagged = true;
	if (!n && tui_selected(t)) {
		const struct box_stat_row *r = tui_selected(t);
		snprintf(tk[0].name, sizeof tk[0].name, "%s", r->info.name);
		tk[0].op = pick(r, arg);
		n = 1;
	}
	return n;
}

static enum worker_op pick_fixed(const struct box_stat_row *r, void *arg)
{
	(void)r;
	return *(enum worker_op *)arg;
}
/* OP_STOP for a live container (running or paused), else OP_START. */
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

size_t tui_targets(struct tui *t, struct worker_task **out)
{
	return targets(t, out, pick_startstop, NULL, NULL);
}

/* "a, b, c, +2 more": the first names of the tasks with op (OP_NONE: all). */
static void names_text(const struct worker_task *tk, size_t n, enum worker_op op,
		       char *buf, size_t len)
{
	size_t shown = 0, total = 0, off = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (op != OP_NONE && tk[i].op != op)
			continue;
		total++;
		if (shown == 3 || off >= len)
			continue;
		int k = snprintf(buf + off, len - off, "%s%s", shown ? ", " : "",
				 tk[i].name);
		if (k > 0)
			off += (size_t)k;
		shown++;
	}
	if (total > shown && off < len)
		snprintf(buf + off, len - off, ", +%zu more", total - shown);
}

void tui_targets_text(struct tui *t, const struct worker_task *tk, size_t n,
		      char *buf, size_t len)
{
	char names[160];
	names_text(tk, n, OP_NONE, names, sizeof names);
	bool tagged = false;
	for (size_t i = 0; i < n && !tagged; i++)
		tagged = list_is_tagged(t, tk[i].name);
	if (tagged)
		snprintf(buf, len, "%zu tagged: %s", n, names);
	else
		snprintf(buf, len, "%s", names);
}

bool tui_may_act(struct tui *t)
{
	if (t->o.readonly)
		tui_message(t, true, "read-only mode (--readonly): actions are off");
	return !t->o.readonly;
}

void tui_worker_refused(struct tui *t)
{
	if (worker_busy(t->worker))
		/* the status line shows it over the progress bar (draw_status) */
		t->busy_note_until_ms = tui_now_ms() + 4000;
	else
		tui_message(t, true, "cannot start the worker thread");
}

bool tui_writable(struct tui *t)
{
	if (!tui_may_act(t))
		return false;
	if (worker_busy(t->worker)) {
		tui_worker_refused(t);
		return false;
	}
	return true;
}

/* Hand n tasks to the worker under label ("stop", "remove", ...). */
static void run(struct tui *t, const char *label, struct worker_task *tk,
		size_t n, int sig)
{
	if (!n)
		tui_message(t, true, "no container selected");
	else if (worker_run(t->worker, box_root(t->ctx), label, tk, n, sig) < 0)
		tui_worker_refused(t);
}

void tui_act(struct tui *t, const char *label,
	     enum worker_op (*pick)(const struct box_stat_row *, void *),
	     void *arg, int sig)
{
	if (!tui_writable(t))
		return;
	struct worker_task *tk;
	size_t n = targets(t, &tk, pick, arg, NULL);
	run(t, label, tk, n, sig);
	free(tk);
}

void tui_act_op(struct tui *t, const char *label, enum worker_op op, int sig)
{
	tui_act(t, label, pick_fixed, &op, sig);
}

/* Keep the tasks whose op is op, in order; returns their count. */
static size_t keep_op(struct worker_task *tk, size_t n, enum worker_op op)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (tk[i].op == op)
			tk[k++] = tk[i];
	return k;
}

/* A toggle key (s, p) on targets that want both ops: never both at once
 * behind one key press.  A menu says which ones each would take. */
static void act_toggle(struct tui *t,
		       enum worker_op (*pick)(const struct box_stat_row *, void *),
		       enum worker_op op_a, const char *verb_a, const char *state_a,
		       enum worker_op op_b, const char *verb_b, const char *state_b)
{
	if (!tui_writable(t))
		return;
	struct worker_task *tk;
	size_t n = targets(t, &tk, pick, NULL, NULL), na = 0, nb = 0;
	for (size_t i = 0; i < n; i++) {
		na += tk[i].op == op_a;
		nb += tk[i].op == op_b;
	}
	enum worker_op op = na ? op_a : op_b;
	if (na && nb) {
		char a[200], b[200], names[160], title[80];
		names_text(tk, n, op_a, names, sizeof names);
		snprintf(a, sizeof a, "%s the %zu %s: %s", verb_a, na, state_a, names);
		names_text(tk, n, op_b, names, sizeof names);
		snprintf(b, sizeof b, "%s the %zu %s: %s", verb_b, nb, state_b, names);
		snprintf(title, sizeof title, "%zu tagged: %zu %s, %zu %s", n, na,
			 state_a, nb, state_b);
		const char *items[] = {a, b};
		int k = dialog_menu(t, title, items, 2, 0);
		if (k < 0) {
			free(tk);
			return;
		}
		op = k == 0 ? op_a : op_b;
	}
	n = keep_op(tk, n, op);
	char label[16];
	snprintf(label, sizeof label, "%s", op == op_a ? verb_a : verb_b);
	label[0] = (char)(label[0] | 0x20); /* "Start" -> "start" */
	run(t, label, tk, n, 0);
	free(tk);
}

void tui_act_startstop(struct tui *t)
{
	act_toggle(t, pick_startstop, OP_START, "Start", "stopped", OP_STOP,
		   "Stop", "running");
}

void tui_act_freeze(struct tui *t)
{
	act_toggle(t, pick_freeze, OP_FREEZE, "Freeze", "running", OP_THAW,
		   "Thaw", "paused");
}

void tui_remove_selected(struct tui *t)
{
	if (!tui_writable(t))
		return;
	struct worker_task *tk;
	size_t n = targets(t, &tk, pick_startstop, NULL, NULL);
	if (!n) {
		free(tk);
		return;
	}
	/* a live one is killed: say so, and how many */
	size_t live = 0;
	for (size_t i = 0; i < n; i++)
		live += tk[i].op == OP_STOP;
	char what[200], warn[64] = "";
	tui_targets_text(t, tk, n, what, sizeof what);
	if (live && n == 1)
		snprintf(warn, sizeof warn, " It is running: it will be killed.");
	else if (live)
		snprintf(warn, sizeof warn, " %zu running will be killed.", live);
	if (dialog_confirm(t, "Remove %s?%s", what, warn)) {
		for (size_t i = 0; i < n; i++)
			tk[i].op = OP_REMOVE;
		run(t, "remove", tk, n, 0);
	}
	free(tk);
}

/* Ctrl-K: SIGKILL now, on this thread, even while a worker is busy.  The
 * row under the cursor goes without a question; tagged rows (maybe not
 * the one under the cursor) are named and confirmed first. */
void tui_kill_now(struct tui *t)
{
	if (!tui_may_act(t))
		return;
	struct worker_task *tk;
	enum worker_op op = OP_KILL;
	bool tagged;
	size_t n = targets(t, &tk, pick_fixed, &op, &tagged);
	char what[200];
	tui_targets_text(t, tk, n, what, sizeof what);
	if (n && tagged && !dialog_confirm(t, "Kill %s? (SIGKILL)", what)) {
		free(tk);
		return;
	}
	size_t ok = 0;
	struct box_err err = {0}, first = {0};
	for (size_t i = 0; i < n; i++) {
		if (box_kill(t->ctx, tk[i].name, SIGKILL, &err) == 0)
			ok++;
		else if (!first.msg[0])
			first = err;
	}
	if (ok < n && n > 1)
		tui_message(t, true, "kill: %zu of %zu failed, first: %s", n - ok,
			    n, first.msg);
	else if (ok < n)
		tui_message(t, true, "%s", first.msg);
	else if (n)
		tui_message(t, false, "killed %s", what);
	free(tk);
	tui_sample(t);
}

/* The terminal's own screen is left as it was: the container gets the
 * alternate screen, cleared (where the terminal has one; else the screen
 * is cleared), so neither the list under it nor the container's output
 * after it stays behind. */
static void term_put(const char *capname)
{
	char *cap = tigetstr(capname);
	if (cap && cap != (char *)-1)
		putp(cap);
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
	term_put("smcup");
	term_put("clear");
	fflush(stdout);
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
	term_put("clear");
	term_put("rmcup");
	fflush(stdout);
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
