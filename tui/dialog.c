/* dialog.c - forms, menus and confirmations drawn over the screen; the
 * refresh keeps running underneath while they wait for keys. */
#include "tui.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_ESC 27
#define DLG_W 60
#define IMAGES_MAX 256     /* the Image field's choices */

static WINDOW *dlg_open(struct tui *t, int h, int w)
{
	if (w > t->cols - 2)
		w = t->cols - 2;
	if (h > t->lines - 2)
		h = t->lines - 2;
	WINDOW *d = newwin(h, w, (t->lines - h) / 2, (t->cols - w) / 2);
	if (!d)
		return NULL;
	keypad(d, TRUE);
	wbkgdset(d, (chtype)theme_attr(R_DIALOG));
	return d;
}

static void dlg_frame(struct tui *t, WINDOW *d, const char *title)
{
	werase(d);
	wattrset(d, theme_attr(R_DIALOG));
	tui_box(t, d);
	/* a long title (names of targets) is cut, never wrapped into the
	 * dialog's lines */
	char tt[300];
	snprintf(tt, sizeof tt, " %s ", title);
	mvwaddnstr(d, 0, 2, tt, getmaxx(d) - 4);
}

static bool is_backspace(int ch, bool fk)
{
	return (fk && ch == KEY_BACKSPACE) || (!fk && (ch == 127 || ch == 8));
}

/* After a resize under a dialog: lay the screen out again and redraw it. */
static void relayout(struct tui *t)
{
	tui_layout(t);
	tui_draw(t);
}

/* The terminal was resized: redraw behind, open the dialog again. */
static WINDOW *dlg_reopen(struct tui *t, WINDOW *d, int h, int w)
{
	delwin(d);
	relayout(t);
	return dlg_open(t, h, w);
}

/* Close the dialog and give the screen back to the context before it. */
static void dlg_close(struct tui *t, WINDOW *d, const char *saved_fctx)
{
	if (d)
		delwin(d);
	t->fctx = saved_fctx;
	tui_layout(t);
}

bool dialog_form(struct tui *t, const char *title, struct form_field *f,
		 size_t n, const char *(*validate)(struct tui *, struct form_field *,
						   char *, size_t))
{
	const char *saved = t->fctx;
	t->fctx = "dialog";
	tui_draw(t);
	int h = (int)n + 6;
	WINDOW *d = dlg_open(t, h, DLG_W);
	size_t cur = 0;
	char err[200] = "";
	bool ok = false;
	while (d && !t->quit) {
		int w = getmaxx(d);
		dlg_frame(t, d, title);
		int lw = 10;
		for (size_t i = 0; i < n; i++) {
			wattrset(d, theme_attr(R_DIALOG));
			mvwprintw(d, 1 + (int)i, 2, "%-*s", lw, f[i].label);
			wattrset(d, theme_attr(i == cur ? R_INPUT : R_DIALOG));
			int fw = w - lw - 4;
			char shown[160];
			snprintf(shown, sizeof shown, f[i].choices ? "< %s >" : "%s",
				 f[i].value);
			int len = (int)strlen(shown);
			/* show the end of a long value: that is where you type */
			const char *from = len > fw - 1 ? shown + len - (fw - 1) : shown;
			mvwprintw(d, 1 + (int)i, 2 + lw, "%-*.*s", fw, fw, from);
		}
		/* on a short screen the dialog is cut to fit: the error line
		 * keeps its place above the border, the key hint goes first */
		int dh = getmaxy(d);
		bool hint = dh >= (int)n + 5;
		wattrset(d, theme_attr(R_ERROR));
		if (err[0])
			mvwaddnstr(d, dh - (hint ? 3 : 2), 2, err, w - 4);
		wattrset(d, theme_attr(R_DIALOG));
		if (hint)
			mvwaddnstr(d, dh - 2, 2,
				   "Enter: OK  Esc: cancel  Tab/Up/Down: field  Left/Right: choose",
				   w - 4);
		wnoutrefresh(d);
		doupdate();
		bool fk = false;
		int ch = tui_getkey(t, d, &fk);
		struct form_field *cf = &f[cur];
		size_t vl = strlen(cf->value);
		if (fk && ch == KEY_RESIZE) {
			d = dlg_reopen(t, d, h, DLG_W);
		} else if (!fk && ch == KEY_ESC) {
			break;
		} else if ((!fk && (ch == '\n' || ch == '\r')) || (fk && ch == KEY_ENTER)) {
			const char *bad = validate ? validate(t, f, err, sizeof err) : NULL;
			if (!bad) {
				ok = true;
				break;
			}
		} else if ((!fk && ch == '\t') || (fk && ch == KEY_DOWN)) {
			cur = (cur + 1) % n;
		} else if ((fk && (ch == KEY_UP || ch == KEY_BTAB))) {
			cur = (cur + n - 1) % n;
		} else if (fk && (ch == KEY_LEFT || ch == KEY_RIGHT) && cf->choices &&
			   cf->nchoices) {
			size_t k;
			for (k = 0; k < cf->nchoices && strcmp(cf->choices[k], cf->value); k++)
				;
			if (k == cf->nchoices)
				k = 0;
			else
				k = (k + (ch == KEY_RIGHT ? 1 : cf->nchoices - 1)) % cf->nchoices;
			snprintf(cf->value, sizeof cf->value, "%s", cf->choices[k]);
		} else if (is_backspace(ch, fk)) {
			if (vl)
				cf->value[vl - 1] = '\0';
		} else if (!fk && ch == 21) { /* Ctrl-U clears the field */
			cf->value[0] = '\0';
		} else if (!fk && ch >= 32 && ch < 127 && vl + 1 < sizeof cf->value) {
			cf->value[vl] = (char)ch;
			cf->value[vl + 1] = '\0';
		}
	}
	dlg_close(t, d, saved);
	return ok;
}

int dialog_menu(struct tui *t, const char *title, const char *const *items,
		size_t n, int pre)
{
	const char *saved = t->fctx;
	t->fctx = "dialog";
	tui_draw(t);
	int h = (int)n + 2, wd = (int)strlen(title) + 6;
	for (size_t i = 0; i < n; i++)
		if ((int)strlen(items[i]) + 6 > wd)
			wd = (int)strlen(items[i]) + 6;
	WINDOW *d = dlg_open(t, h, wd);
	int cur = pre >= 0 && (size_t)pre < n ? pre : 0, res = -1;
	int top = 0;
	while (d && !t->quit) {
		int vis = getmaxy(d) - 2;
		if (cur < top)
			top = cur;
		if (cur >= top + vis)
			top = cur - vis + 1;
		dlg_frame(t, d, title);
		for (int i = 0; i < vis && (size_t)(top + i) < n; i++) {
			wattrset(d, theme_attr(top + i == cur ? R_SELECTED : R_DIALOG));
			mvwprintw(d, 1 + i, 1, " %-*s ", getmaxx(d) - 4, items[top + i]);
		}
		wnoutrefresh(d);
		doupdate();
		bool fk = false;
		int ch = tui_getkey(t, d, &fk);
		if (fk && ch == KEY_RESIZE) {
			d = dlg_reopen(t, d, h, wd);
		} else if (fk && ch == KEY_UP) {
			cur = cur > 0 ? cur - 1 : (int)n - 1;
		} else if (fk && ch == KEY_DOWN) {
			cur = (size_t)cur + 1 < n ? cur + 1 : 0;
		} else if ((!fk && (ch == '\n' || ch == '\r')) || (fk && ch == KEY_ENTER)) {
			res = cur;
			break;
		} else if ((!fk && (ch == KEY_ESC || ch == 'q')) ||
			   (fk && ch == KEY_F(10))) {
			break;
		}
	}
	dlg_close(t, d, saved);
	return res;
}

bool dialog_confirm(struct tui *t, const char *fmt, ...)
{
	char q[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(q, sizeof q, fmt, ap);
	va_end(ap);
	const char *saved = t->fctx;
	t->fctx = "dialog";
	tui_draw(t);
	int wd = (int)strlen(q) + 6;
	if (wd < 30)
		wd = 30;
	WINDOW *d = dlg_open(t, 5, wd);
	bool yes = false;
	while (d && !t->quit) {
		dlg_frame(t, d, "Confirm");
		mvwaddnstr(d, 1, 2, q, getmaxx(d) - 4);
		mvwaddnstr(d, 3, 2, "y: yes   n/Esc: no", getmaxx(d) - 4);
		wnoutrefresh(d);
		doupdate();
		bool fk = false;
		int ch = tui_getkey(t, d, &fk);
		if (fk && ch == KEY_RESIZE) {
			d = dlg_reopen(t, d, 5, wd);
			continue;
		}
		if (!fk && (ch == 'y' || ch == 'Y'))
			yes = true;
		if (fk && ch == KEY_MOUSE)
			continue;
		break;
	}
	dlg_close(t, d, saved);
	return yes;
}

/* "/" and F4: type in the status line; the list filters as you type.  The
 * prompt is a window of its own over the status line, so a refresh tick
 * underneath does not wipe it. */
void dialog_filter(struct tui *t)
{
	const char *saved = t->fctx;
	t->fctx = "dialog";
	WINDOW *w = NULL;
	for (;;) {
		tui_draw(t);
		if (!w) {
			w = newwin(1, t->cols, t->lines - 2, 0);
			if (!w)
				break;
			keypad(w, TRUE);
		}
		werase(w);
		wattrset(w, theme_attr(R_INPUT));
		mvwprintw(w, 0, 0, "Filter (name or image): %s_", t->filter);
		wattrset(w, theme_attr(R_NORMAL));
		wnoutrefresh(w);
		doupdate();
		bool fk = false;
		int ch = tui_getkey(t, w, &fk);
		size_t l = strlen(t->filter);
		if (t->quit)
			break;
		if (fk && ch == KEY_RESIZE) {
			delwin(w);
			w = NULL;
			tui_layout(t);
			continue;
		}
		if (!fk && ch == KEY_ESC) {
			t->filter[0] = '\0';
			break;
		}
		if ((!fk && (ch == '\n' || ch == '\r')) || (fk && ch == KEY_ENTER) ||
		    (fk && ch == KEY_F(4)))
			break;
		if (is_backspace(ch, fk)) {
			if (l)
				t->filter[l - 1] = '\0';
		} else if (!fk && ch == 21) {
			t->filter[0] = '\0';
		} else if (!fk && ch >= 32 && ch < 127 && l + 1 < sizeof t->filter) {
			t->filter[l] = (char)ch;
			t->filter[l + 1] = '\0';
		}
		list_rebuild_view(t);
	}
	if (w)
		delwin(w);
	t->fctx = saved;
	list_rebuild_view(t);
	tui_layout(t);
}

/* ---- the container dialogs -------------------------------------------- */

/* Images to choose from: every image in the store (box_image_list), the
 * default first.  The names point into *list, which the caller frees when
 * the dialog is done.  Should the store not answer, the default alone is
 * offered and the error shown: the create itself still works. */
static size_t image_choices(struct tui *t, const char **out, size_t max,
			    struct box_image_info **list)
{
	size_t n = 0, nl = 0;
	struct box_err err = {0};
	out[n++] = BOX_DEFAULT_IMAGE;
	*list = NULL;
	if (box_image_list(t->ctx, list, &nl, &err) < 0) {
		tui_message(t, true, "%s", err.msg);
		return n;
	}
	for (size_t i = 0; i < nl && n < max; i++)
		if (strcmp((*list)[i].name, BOX_DEFAULT_IMAGE))
			out[n++] = (*list)[i].name;
	return n;
}

/* The Image field: the images to choose from, the default one preset. */
static void image_field(struct tui *t, struct form_field *f,
			const char **imgs, size_t max,
			struct box_image_info **list)
{
	*f = (struct form_field){"Image", "", imgs,
				 image_choices(t, imgs, max, list)};
	snprintf(f->value, sizeof f->value, "%s", imgs[0]);
}

/* A container name (or batch base name) the core would refuse. */
static const char *check_name(struct form_field *name, char *buf, size_t len)
{
	struct box_err err = {0};
	if (box_check_name(name->value, &err) < 0) {
		snprintf(buf, len, "%s", err.msg);
		return buf;
	}
	return NULL;
}

static const char *check_common(struct form_field *mem, struct form_field *cpus,
				char *buf, size_t len)
{
	struct box_err err = {0};
	int64_t m;
	if (mem && mem->value[0] && box_parse_size(mem->value, &m, &err) < 0) {
		snprintf(buf, len, "%s", err.msg);
		return buf;
	}
	if (cpus && cpus->value[0]) {
		char *end;
		double c = strtod(cpus->value, &end);
		if (*end || !(c > 0)) {
			snprintf(buf, len, "cpus '%s': want a number above 0", cpus->value);
			return buf;
		}
	}
	return NULL;
}

/* The Root field: a writable layer over the image, or the image itself
 * read-only (--read-only). */
static const char *const root_choices[] = {"writable", "read-only"};
#define ROOT_FIELD \
	{"Root", "writable", root_choices, sizeof root_choices / sizeof *root_choices}

static bool read_only_root(const struct form_field *root)
{
	return !strcmp(root->value, "read-only");
}

enum { C_NAME, C_IMAGE, C_IP, C_MEM, C_CPUS, C_CMD, C_ROOT, C_N };

static const char *check_create(struct tui *t, struct form_field *f, char *buf,
				size_t len)
{
	if (check_name(&f[C_NAME], buf, len))
		return buf;
	/* here, not in the worker: the dialog stays open with what was
	 * typed, and the name can be changed */
	if (box_exists(t->ctx, f[C_NAME].value)) {
		snprintf(buf, len, "name '%s': already exists", f[C_NAME].value);
		return buf;
	}
	return check_common(&f[C_MEM], &f[C_CPUS], buf, len);
}

static void fill_opts(struct box_create_opts *o, struct form_field *img,
		      struct form_field *mem, struct form_field *cpus,
		      struct form_field *cmd, char **argv, size_t max)
{
	struct box_err err;
	o->image = img->value[0] ? img->value : NULL;
	if (mem && mem->value[0])
		box_parse_size(mem->value, &o->memory, &err);
	if (cpus && cpus->value[0])
		o->cpus = strtod(cpus->value, NULL);
	if (cmd && cmd->value[0]) {
		size_t k = 0;
		char *save = NULL;
		for (char *a = strtok_r(cmd->value, " ", &save); a && k + 1 < max;
		     a = strtok_r(NULL, " ", &save))
			argv[k++] = a;
		argv[k] = NULL;
		o->argv = argv;
		o->argc = k;
	}
}

/* The form of a create or batch dialog, its image field (index img)
 * choosing among the stored images; false when cancelled. */
static bool image_form(struct tui *t, const char *title, struct form_field *f,
		       int n, int img,
		       const char *(*check)(struct tui *, struct form_field *,
					    char *, size_t))
{
	const char *imgs[IMAGES_MAX];
	struct box_image_info *list;
	image_field(t, &f[img], imgs, IMAGES_MAX, &list);
	bool ok = dialog_form(t, title, f, n, check);
	free(list);
	return ok;
}

void dialog_create(struct tui *t)
{
	struct form_field f[C_N] = {
		[C_NAME] = {"Name", "", NULL, 0},
		[C_IP] = {"IP", "", NULL, 0},
		[C_MEM] = {"Memory", "", NULL, 0},
		[C_CPUS] = {"CPUs", "", NULL, 0},
		[C_CMD] = {"Command", "", NULL, 0},
		[C_ROOT] = ROOT_FIELD,
	};
	if (!image_form(t, "Create and start a container", f, C_N, C_IMAGE,
			check_create))
		return;
	struct box_create_opts o = {0};
	char *argv[32];
	o.name = f[C_NAME].value;
	o.ip = f[C_IP].value[0] ? f[C_IP].value : NULL;
	o.read_only = read_only_root(&f[C_ROOT]);
	fill_opts(&o, &f[C_IMAGE], &f[C_MEM], &f[C_CPUS], &f[C_CMD], argv, 32);
	if (worker_run_create(t->worker, box_root(t->ctx), &o, true) < 0)
		tui_worker_refused(t);
	snprintf(t->sel_name, sizeof t->sel_name, "%s", o.name);
}

enum { B_BASE, B_IMAGE, B_IP, B_COUNT, B_MEM, B_CMD, B_ROOT, B_N };

static const char *check_batch(struct tui *t, struct form_field *f, char *buf,
			       size_t len)
{
	(void)t;
	if (check_name(&f[B_BASE], buf, len))
		return buf;
	char *end;
	long n = strtol(f[B_COUNT].value, &end, 10);
	if (!f[B_COUNT].value[0] || *end || n < 1 || n > 10000) {
		snprintf(buf, len, "count '%s': want 1..10000", f[B_COUNT].value);
		return buf;
	}
	return check_common(&f[B_MEM], NULL, buf, len);
}

void dialog_batch(struct tui *t)
{
	struct form_field f[B_N] = {
		[B_BASE] = {"Base name", "box", NULL, 0},
		[B_IP] = {"Base IP", "", NULL, 0},
		[B_COUNT] = {"Count", "10", NULL, 0},
		[B_MEM] = {"Memory", "", NULL, 0},
		[B_CMD] = {"Command", "", NULL, 0},
		[B_ROOT] = ROOT_FIELD,
	};
	if (!image_form(t, "Batch create & start", f, B_N, B_IMAGE, check_batch))
		return;
	struct box_create_opts o = {.read_only = read_only_root(&f[B_ROOT])};
	char *argv[32];
	fill_opts(&o, &f[B_IMAGE], &f[B_MEM], NULL, &f[B_CMD], argv, 32);
	size_t count = (size_t)strtol(f[B_COUNT].value, NULL, 10);
	if (worker_run_batch(t->worker, box_root(t->ctx), f[B_BASE].value, count,
			     f[B_IP].value[0] ? f[B_IP].value : NULL, &o) < 0)
		tui_worker_refused(t);
}

static const int sig_nums[] = {SIGTERM, SIGKILL, SIGHUP, SIGINT, SIGQUIT,
			       SIGUSR1, SIGUSR2, SIGSTOP, SIGCONT};
static const char *const sig_names[] = {
	"15 SIGTERM", "9  SIGKILL", "1  SIGHUP", "2  SIGINT", "3  SIGQUIT",
	"10 SIGUSR1", "12 SIGUSR2", "19 SIGSTOP", "18 SIGCONT"};

void dialog_signal(struct tui *t)
{
	if (!tui_may_act(t))
		return;
	int pre = 0;
	for (size_t i = 0; i < sizeof sig_nums / sizeof sig_nums[0]; i++)
		if (sig_nums[i] == t->last_signal)
			pre = (int)i;
	/* the title names the targets: tagged rows may not include the one
	 * under the cursor */
	struct worker_task *tk;
	size_t n = tui_targets(t, &tk), idle = 0;
	char what[200], title[260];
	tui_targets_text(t, tk, n, what, sizeof what);
	for (size_t i = 0; i < n; i++)
		idle += tk[i].op != OP_STOP; /* not running: nothing to signal */
	free(tk);
	if (!n) {
		tui_message(t, true, "no container selected");
		return;
	}
	if (idle)
		snprintf(title, sizeof title, "Send signal to %s (%zu not running)",
			 what, idle);
	else
		snprintf(title, sizeof title, "Send signal to %s", what);
	int k = dialog_menu(t, title, sig_names, sizeof sig_nums / sizeof sig_nums[0],
			    pre);
	if (k < 0)
		return;
	t->last_signal = sig_nums[k];
	tui_act_op(t, "signal", OP_KILL, sig_nums[k]);
}

void dialog_all(struct tui *t)
{
	if (!tui_writable(t))
		return;
	static const char *const items[] = {"Start all", "Stop all", "Remove all"};
	int k = dialog_menu(t, "All containers", items, 3, 0);
	if (k < 0)
		return;
	static const enum worker_op ops[] = {OP_START, OP_STOP, OP_REMOVE};
	struct worker_task *tk = calloc(t->nrows + 1, sizeof *tk);
	size_t n = 0, n_live = 0;
	for (size_t i = 0; tk && i < t->nrows; i++) {
		enum box_status s = t->rows[i].info.status;
		bool live = s == BOX_RUNNING || s == BOX_PAUSED;
		if ((ops[k] == OP_START && live) || (ops[k] == OP_STOP && !live))
			continue;
		n_live += live;
		snprintf(tk[n].name, sizeof tk[n].name, "%s", t->rows[i].info.name);
		tk[n++].op = ops[k];
	}
	char warn[64] = "";
	if (ops[k] == OP_REMOVE && n_live)
		snprintf(warn, sizeof warn, " %zu running will be killed.", n_live);
	if (!n)
		tui_message(t, false, "nothing to do");
	else if (dialog_confirm(t, "%s: %zu containers?%s", items[k], n, warn) &&
		 worker_run(t->worker, box_root(t->ctx), items[k], tk, n, 0) < 0)
		tui_worker_refused(t);
	free(tk);
}

static const char *check_delay(struct tui *t, struct form_field *f, char *buf,
			       size_t len)
{
	(void)t;
	char *end;
	long v = strtol(f[0].value, &end, 10);
	if (!f[0].value[0] || *end || v < 1 || v > 600) {
		snprintf(buf, len, "delay '%s': want 1..600 tenths of a second",
			 f[0].value);
		return buf;
	}
	return NULL;
}

void dialog_delay(struct tui *t)
{
	struct form_field f[1] = {{"Tenths", "", NULL, 0}};
	snprintf(f[0].value, sizeof f[0].value, "%d", t->o.delay);
	if (dialog_form(t, "Refresh delay (tenths of a second)", f, 1, check_delay))
		t->o.delay = (int)strtol(f[0].value, NULL, 10);
}

void dialog_sort(struct tui *t)
{
	int k = dialog_menu(t, "Sort by", col_titles, COL_COUNT, (int)t->sort_col);
	if (k < 0)
		return;
	if ((enum col_id)k == t->sort_col)
		t->sort_desc = !t->sort_desc;
	else
		t->sort_desc = k == COL_CPU || k == COL_MEM || k == COL_NET ||
			       k == COL_IO || k == COL_PIDS;
	t->sort_col = (enum col_id)k;
	list_rebuild_view(t);
}
