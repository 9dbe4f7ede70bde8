/* tui.c - the screen's main loop: options, the refresh timer, keys. */
#include "tui.h"
#include "fmt.h"
#include "layout.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#define CTRL(c) ((c) & 0x1f)

long tui_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void tui_message(struct tui *t, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	/* one line, always: a message never garbles the screen */
	for (char *p = t->msg; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	t->msg_err = error;
	t->msg_until_ms = tui_now_ms() + (error ? 8000 : 4000);
}

/* ---- screen set-up -------------------------------------------------------- */

static void free_windows(struct tui *t)
{
	WINDOW **ws[] = {&t->w_header, &t->w_list, &t->w_lower, &t->w_status,
			 &t->w_fkeys};
	for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++)
		if (*ws[i]) {
			delwin(*ws[i]);
			*ws[i] = NULL;
		}
}

void tui_layout(struct tui *t)
{
	free_windows(t);
	getmaxyx(stdscr, t->lines, t->cols);
	if (layout_too_small(t->cols, t->lines)) {
		t->list_h = t->lower_h = 0;
		return;
	}
	t->lower_h = layout_lower_height(t->lines, t->o.lower != LOWER_NONE);
	t->list_h = t->lines - 4 - t->lower_h;
	t->list_y = 2;
	t->w_header = newwin(2, t->cols, 0, 0);
	t->w_list = newwin(t->list_h, t->cols, 2, 0);
	if (t->lower_h)
		t->w_lower = newwin(t->lower_h, t->cols, 2 + t->list_h, 0);
	t->w_status = newwin(1, t->cols, t->lines - 2, 0);
	t->w_fkeys = newwin(1, t->cols, t->lines - 1, 0);
	keypad(t->w_list, TRUE);
	/* the terminal shows exactly what the windows hold from now on */
	clearok(curscr, TRUE);
}

static bool locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}

int setup_apply_theme(struct tui *t, const char *name)
{
	char err[400];
	int rc = theme_load(name, &t->theme, err, sizeof err);
	if (rc < 0)
		tui_message(t, true, "%s (using the default theme)", err);
	t->color = !t->o.no_color && has_colors() &&
		   theme_uses_color(&t->theme);
	if (t->color)
		start_color();
	theme_apply(&t->theme, t->color);
	return rc;
}

/* ---- drawing ----------------------------------------------------------- */

const struct box_stat_row *tui_selected(struct tui *t)
{
	if (t->sel < 0 || (size_t)t->sel >= t->nview)
		return NULL;
	return &t->rows[t->view[t->sel]];
}

static void draw_status(struct tui *t)
{
	WINDOW *w = t->w_status;
	werase(w);
	size_t done, total;
	bool bytes = false;
	char label[256], res[300];
	bool finished = false, failed = false;
	bool busy = worker_progress(t->worker, &done, &total, &bytes, label,
				    sizeof label, &finished, &failed, res, sizeof res);
	if (busy && tui_now_ms() < t->busy_note_until_ms) {
		/* a key was refused: say so, with what it waits for */
		char line[400];
		if (bytes)
			snprintf(line, sizeof line, "busy: %s - key ignored until it is done", label);
		else
			snprintf(line, sizeof line, "busy: %zu/%zu %s - key ignored until it is done",
				 done, total, label);
		wattrset(w, theme_attr(R_ERROR));
		mvwaddnstr(w, 0, 0, line, t->cols);
		wattrset(w, theme_attr(R_NORMAL));
	} else if (busy) {
		/* [#####.....] 37/100 label, or 1.2M/3.4M for bytes */
		int barw = t->cols / 3;
		int fill = total ? (int)((double)barw * (double)done / (double)total) : 0;
		wattrset(w, theme_attr(R_NORMAL));
		waddch(w, '[');
		wattrset(w, theme_attr(R_PROGRESS));
		for (int i = 0; i < barw; i++)
			waddch(w, i < fill ? '#' : ' ');
		wattrset(w, theme_attr(R_NORMAL));
		if (bytes) {
			/* an import: total is 0 until the core knows it */
			char d[16], tt[16];
			fmt_size(d, sizeof d, (double)done);
			fmt_size(tt, sizeof tt, (double)total);
			wprintw(w, "] %s%s%s %s", d, total ? "/" : "",
				total ? tt : "", label);
		} else {
			wprintw(w, "] %zu/%zu %s", done, total, label);
		}
	} else if (finished) {
		t->busy_note_until_ms = 0;
		tui_message(t, failed, "%s", res);
		/* show the result of the work now, not at the next tick */
		tui_sample(t);
		list_draw_header(t);
		list_draw(t);
	}
	if (!worker_busy(t->worker) && t->msg[0] &&
	    tui_now_ms() < t->msg_until_ms) {
		wattrset(w, theme_attr(t->msg_err ? R_ERROR : R_INFO));
		mvwaddnstr(w, 0, 0, t->msg, t->cols);
		wattrset(w, theme_attr(R_NORMAL));
	} else if (!worker_busy(t->worker)) {
		t->msg[0] = '\0';
	}
	wnoutrefresh(w);
}

void tui_draw(struct tui *t)
{
	if (layout_too_small(t->cols, t->lines)) {
		erase();
		mvprintw(0, 0, "boxtop needs at least %dx%d (this is %dx%d)",
			 LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS, t->cols, t->lines);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	list_draw_header(t);
	list_draw(t);
	if (t->w_lower) {
		if (t->o.lower == LOWER_DETAIL)
			detail_draw(t, t->w_lower);
		else
			graph_pane_draw(t, t->w_lower);
		wnoutrefresh(t->w_lower);
	}
	draw_status(t);
	fkeys_draw(t, t->fctx ? t->fctx : "main");
	doupdate();
}

void tui_sample(struct tui *t)
{
	struct box_err err = {0};
	/* the graphed container gets its disk I/O measured even where the
	 * cgroup cannot count it */
	box_stats_focus(t->stats, t->sel_name);
	if (box_stats_sample(t->stats, &err) < 0)
		tui_message(t, true, "%s", err.msg);
	t->nrows = box_stats_rows(t->stats, &t->rows);
	list_rebuild_view(t);
}

/* ---- input ----------------------------------------------------------- */

/* tick: return ERR after each refresh tick (views that show more than
 * the sample, like the log, redraw themselves then). */
static int getkey(struct tui *t, WINDOW *win, bool *is_key, bool tick)
{
	static long next_tick;
	for (;;) {
		long now = tui_now_ms();
		if (!next_tick)
			next_tick = now + t->o.delay * 100L;
		long wait = next_tick - now;
		if (worker_busy(t->worker) && wait > 100)
			wait = 100; /* keep the progress bar moving */
		if (wait < 0)
			wait = 0;
		wtimeout(win, (int)wait);
		wint_t ch;
		int rc = wget_wch(win, &ch);
		now = tui_now_ms();
		if (now >= next_tick) {
			next_tick = now + t->o.delay * 100L;
			if (!t->frozen_display)
				tui_sample(t);
			static long iters;
			if (t->o.max_iter && ++iters >= t->o.max_iter)
				t->quit = true;
			/* redraw what is under the dialog, then the dialog again */
			tui_draw(t);
			if (win != t->w_list) {
				touchwin(win);
				wnoutrefresh(win);
				doupdate();
			}
			if (tick && rc == ERR)
				return ERR;
		} else if (rc == ERR && win != t->w_status &&
			   (!t->fctx || !strcmp(t->fctx, "dialog")) &&
			   t->w_status) {
			/* the progress bar moves between ticks; full-screen views
			 * (help, log) cover the status line and are left alone */
			draw_status(t);
			if (win != t->w_list) {
				touchwin(win);
				wnoutrefresh(win);
			}
			doupdate();
		}
		if (t->quit && win == t->w_list)
			return ERR;
		if (rc == ERR)
			continue;
		*is_key = rc == KEY_CODE_YES;
		return (int)ch;
	}
}

int tui_getkey(struct tui *t, WINDOW *win, bool *is_key)
{
	return getkey(t, win, is_key, false);
}

int tui_getkey_tick(struct tui *t, WINDOW *win, bool *is_key)
{
	return getkey(t, win, is_key, true);
}

static void move_sel(struct tui *t, int to)
{
	if (!t->nview) {
		t->sel = 0;
		return;
	}
	if (to < 0)
		to = 0;
	if ((size_t)to >= t->nview)
		to = (int)t->nview - 1;
	t->sel = to;
	snprintf(t->sel_name, sizeof t->sel_name, "%s",
		 t->rows[t->view[to]].info.name);
}

static void sort_by(struct tui *t, enum col_id c)
{
	if (t->sort_col == c)
		t->sort_desc = !t->sort_desc;
	else
		t->sort_desc = c == COL_CPU || c == COL_MEM || c == COL_NET ||
			       c == COL_IO || c == COL_PIDS;
	t->sort_col = c;
	list_rebuild_view(t);
}

static void handle_mouse(struct tui *t)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		move_sel(t, t->sel - 3);
		return;
	}
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED) {
		move_sel(t, t->sel + 3);
		return;
	}
#endif
	if (ev.y == t->lines - 1) {
		int k = fkeys_key_at(t, "main", ev.x);
		if (k)
			ungetch(k);
		return;
	}
	if (ev.y == 1) { /* column title: sort by it */
		int c = list_col_at(t, ev.x);
		if (c >= 0)
			sort_by(t, (enum col_id)c);
		return;
	}
	int row = list_row_at(t, ev.y);
	if (row >= 0)
		move_sel(t, row);
}

static void handle_key(struct tui *t, int ch, bool fkey)
{
	const struct box_stat_row *r = tui_selected(t);
	if (fkey) {
		switch (ch) {
		case KEY_UP: move_sel(t, t->sel - 1); break;
		case KEY_DOWN: move_sel(t, t->sel + 1); break;
		case KEY_PPAGE: move_sel(t, t->sel - t->list_h + 1); break;
		case KEY_NPAGE: move_sel(t, t->sel + t->list_h - 1); break;
		case KEY_HOME: move_sel(t, 0); break;
		case KEY_END: move_sel(t, (int)t->nview - 1); break;
		case KEY_F(1): help_show(t); break;
		case KEY_F(2): setup_show(t); break;
		case KEY_F(4): dialog_filter(t); break;
		case KEY_F(5): t->o.lower = (t->o.lower + 1) % LOWER_COUNT; tui_layout(t); break;
		case KEY_F(6): dialog_sort(t); break;
		case KEY_F(7): if (tui_writable(t)) dialog_create(t); break;
		case KEY_F(8): dialog_all(t); break;
		case KEY_F(9): dialog_signal(t); break;
		case KEY_F(10): t->quit = true; break;
		case KEY_DC: tui_remove_selected(t); break;
		case KEY_RESIZE: tui_layout(t); break;
		case KEY_MOUSE: handle_mouse(t); break;
		case KEY_ENTER: t->o.lower = LOWER_DETAIL; tui_layout(t); break;
		}
		return;
	}
	switch (ch) {
	case 'q': t->quit = true; break;
	case 'k': dialog_signal(t); break;
	case CTRL('k'): tui_kill_now(t); break;
	case 'j': move_sel(t, t->sel + 1); break;
	case ' ':
		if (r) {
			list_toggle_tag(t, r->info.name);
			move_sel(t, t->sel + 1);
		}
		break;
	case 'U': list_untag_all(t); break;
	case 'n': if (tui_writable(t)) dialog_create(t); break;
	case 'b': if (tui_writable(t)) dialog_batch(t); break;
	case 's': tui_act_startstop(t); break;
	case 'p': tui_act_freeze(t); break;
	case 'r': tui_act_op(t, "restart", OP_RESTART, 0); break;
	case 'x': tui_remove_selected(t); break;
	case 'A': dialog_all(t); break;
	case 'a': tui_connect_terminal(t, false); break;
	case 'e': tui_connect_terminal(t, true); break;
	case 'w': dialog_net(t); break;
	case 'i': if (tui_writable(t)) dialog_import(t); break;
	case 'v': imageview_show(t); break;
	case 'l':
		if (r)
			logview_show(t, r->info.name);
		break;
	case '/': dialog_filter(t); break;
	case 27: /* Esc clears the filter */
		if (t->filter[0]) {
			t->filter[0] = '\0';
			list_rebuild_view(t);
		}
		break;
	case '<': sort_by(t, t->sort_col ? t->sort_col - 1 : COL_COUNT - 1); t->sort_desc = false; list_rebuild_view(t); break;
	case '>': sort_by(t, (t->sort_col + 1) % COL_COUNT); t->sort_desc = false; list_rebuild_view(t); break;
	case 'P': sort_by(t, COL_CPU); t->sort_desc = true; list_rebuild_view(t); break;
	case 'M': sort_by(t, COL_MEM); t->sort_desc = true; list_rebuild_view(t); break;
	case 'N': sort_by(t, COL_NAME); t->sort_desc = false; list_rebuild_view(t); break;
	case 'I': t->sort_desc = !t->sort_desc; list_rebuild_view(t); break;
	case 'h': case '?': help_show(t); break;
	case 'd': dialog_delay(t); break;
	case '+': case '=':
		if (t->o.delay < 600)
			t->o.delay += t->o.delay >= 10 ? 5 : 1;
		tui_message(t, false, "delay %.1f s", t->o.delay / 10.0);
		break;
	case '-':
		if (t->o.delay > 1)
			t->o.delay -= t->o.delay > 10 ? 5 : 1;
		tui_message(t, false, "delay %.1f s", t->o.delay / 10.0);
		break;
	case 'Z':
		t->frozen_display = !t->frozen_display;
		tui_message(t, false, "display %s", t->frozen_display ? "paused (Z resumes)" : "running");
		break;
	case '\t': t->o.lower = (t->o.lower + 1) % LOWER_COUNT; tui_layout(t); break;
	case '[': if (t->detail_scroll > 0) t->detail_scroll--; break;
	case ']': t->detail_scroll++; break; /* clamped where drawn */
	case 'z': {
		char l[16];
		t->span = (t->span + 1) % GRAPH_SPANS;
		graph_span_label(graph_span_secs(t->span), l, sizeof l);
		tui_message(t, false, "graphs: the last %s", l + 1);
		break;
	}
	case 'g':
		t->o.graph = (t->o.graph + 1) % GRAPH_STYLE_COUNT;
		tui_message(t, false, "graphs: %s", graph_style_name(t->o.graph));
		break;
	case '\n': case '\r': t->o.lower = LOWER_DETAIL; tui_layout(t); break;
	case CTRL('l'): clearok(curscr, TRUE); break;
	}
}

int tui_main(struct cli *c, int argc, char **argv)
{
	struct tui t = {0};
	t.cli = c;
	t.o.delay = 10;
	t.o.stop_time = 10;
	t.o.graph = GRAPH_BRAILLE;
	t.o.lower = LOWER_GRAPHS;
	setup_load_rc(&t.o);
	int rc = tui_parse_opts(&t.o, argc, argv);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "boxtop: the screen needs a terminal (use a command, see boxtop help)\n");
		return 1;
	}
	t.ctx = cli_ctx(c);
	if (!t.ctx)
		return 1;
	struct box_err err = {0};
	t.stats = box_stats_new(t.ctx, &err);
	if (!t.stats) {
		fprintf(stderr, "boxtop: %s\n", err.msg);
		return 1;
	}
	t.worker = worker_new();
	if (t.worker)
		worker_set_grace(t.worker, t.o.stop_time);
	t.last_signal = SIGTERM;
	t.sort_col = COL_NAME;

	setlocale(LC_ALL, "");
	t.utf8 = locale_utf8();
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		t.o.no_color = true;
	/* a non-UTF-8 locale cannot show braille or blocks */
	if (!t.utf8 || t.o.ascii)
		t.o.graph = GRAPH_ASCII;
	fmt_set_ascii(!t.utf8 || t.o.ascii); /* what marks cut text */
	/* ncurses: no Escape wait, no signals eaten */
	set_escdelay(25);
	/* newterm, not initscr: an unknown TERM is an error we report, not an
	 * exit inside ncurses */
	SCREEN *scr = term_known() ? newterm(NULL, stdout, stdin) : NULL;
	if (!scr) {
		fprintf(stderr, "boxtop: terminal '%s': unknown to terminfo (try TERM=xterm)\n",
			getenv("TERM") ? getenv("TERM") : "");
		worker_free(t.worker);
		box_stats_free(t.stats);
		return 1;
	}
	set_term(scr);
	cbreak();
	noecho();
	nonl();
	curs_set(0);
	intrflush(stdscr, FALSE);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
			  | BUTTON5_PRESSED
#endif
		  , NULL);
	mouseinterval(0);
	setup_apply_theme(&t, t.o.theme[0] ? t.o.theme : "default");
	tui_layout(&t);
	tui_sample(&t);
	tui_draw(&t);
	while (!t.quit) {
		bool fkey = false;
		int ch = tui_getkey(&t, t.w_list ? t.w_list : stdscr, &fkey);
		if (ch == ERR)
			break;
		if (layout_too_small(t.cols, t.lines) &&
		    !(fkey && ch == KEY_RESIZE) && ch != 'q')
			continue;
		handle_key(&t, ch, fkey);
		if (!t.quit)
			tui_draw(&t);
	}
	free_windows(&t);
	endwin();
	delscreen(scr);
	if (worker_busy(t.worker))
		fprintf(stderr, "boxtop: waiting for the running operation to finish\n");
	worker_free(t.worker);
	detail_forget(&t);
	list_untag_all(&t);
	free(t.view);
	box_stats_free(t.stats);
	return 0;
}
