/* fkeys.c - the htop-style function key bar, its mouse map, and help. */
#include "tui.h"

#include <stdio.h>
#include <string.h>

struct fkey {
	const char *key;
	const char *label;
	int code;
};

/* Labels take at least 6 cells (with the blank after them). */
static int label_w(const char *label)
{
	int l = (int)strlen(label) + 1;
	return l < 6 ? 6 : l;
}

/* Labels per context; "main" changes with tags and read-only mode. */
static size_t bar_for(struct tui *t, const char *ctx, struct fkey *k)
{
	size_t n = 0;
	if (!strcmp(ctx, "dialog")) {
		k[n++] = (struct fkey){"Enter", "OK", '\n'};
		k[n++] = (struct fkey){"Esc", "Cancel", 27};
		k[n++] = (struct fkey){"Tab", "Next", '\t'};
		k[n++] = (struct fkey){"<>", "Choose", 0};
		return n;
	}
	if (!strcmp(ctx, "log")) {
		k[n++] = (struct fkey){"F", "Follow", 'F'};
		k[n++] = (struct fkey){"PgUp", "Up", KEY_PPAGE};
		k[n++] = (struct fkey){"PgDn", "Down", KEY_NPAGE};
		k[n++] = (struct fkey){"F10", "Back", KEY_F(10)};
		return n;
	}
	if (!strcmp(ctx, "images")) {
		k[n++] = (struct fkey){"PgUp", "Up", KEY_PPAGE};
		k[n++] = (struct fkey){"PgDn", "Down", KEY_NPAGE};
		k[n++] = (struct fkey){"F10", "Back", KEY_F(10)};
		return n;
	}
	if (!strcmp(ctx, "help")) {
		k[n++] = (struct fkey){"any key", "Back", 'q'};
		return n;
	}
	bool tags = t->ntags > 0;
	k[n++] = (struct fkey){"F1", "Help", KEY_F(1)};
	k[n++] = (struct fkey){"F2", "Setup", KEY_F(2)};
	k[n++] = (struct fkey){"F4", t->filter[0] ? "FILTER" : "Filter", KEY_F(4)};
	k[n++] = (struct fkey){"F5", t->o.lower == LOWER_GRAPHS   ? "Detail"
				     : t->o.lower == LOWER_DETAIL ? "NoPane"
								  : "Graphs",
			       KEY_F(5)};
	k[n++] = (struct fkey){"F6", "SortBy", KEY_F(6)};
	if (!t->o.readonly) {
		k[n++] = (struct fkey){"F7", "New", KEY_F(7)};
		k[n++] = (struct fkey){"F8", "All", KEY_F(8)};
		k[n++] = (struct fkey){"F9", tags ? "KillTag" : "Kill", KEY_F(9)};
	}
	k[n++] = (struct fkey){"F10", "Quit", KEY_F(10)};
	return n;
}

/* Where each entry goes on a bar of width cols: x[i] and w[i] (0: left
 * out).  Labels are padded like htop's when there is room; on a narrow
 * screen they are packed, and entries that still do not fit are left out
 * from the middle, keeping the last one (Quit / Back). */
static void bar_layout(const struct fkey *k, size_t n, int cols, int *x, int *w)
{
	int total = 0;
	for (size_t i = 0; i < n; i++)
		total += (int)strlen(k[i].key) + label_w(k[i].label);
	bool packed = total > cols;
	int last = 0; /* the width the last entry will take */
	if (n)
		last = (int)strlen(k[n - 1].key) +
		       (packed ? (int)strlen(k[n - 1].label) + 1
			       : label_w(k[n - 1].label));
	int pos = 0;
	for (size_t i = 0; i < n; i++) {
		int kw = (int)strlen(k[i].key);
		int lw = packed ? (int)strlen(k[i].label) + 1 : label_w(k[i].label);
		int room = cols - (i + 1 < n ? last : 0);
		if (pos + kw + lw > room) {
			x[i] = w[i] = 0;
			continue;
		}
		x[i] = pos;
		w[i] = kw + lw;
		pos += w[i];
	}
}

void fkeys_draw(struct tui *t, const char *ctx)
{
	WINDOW *w = t->w_fkeys;
	struct fkey k[12];
	int xs[12], ws[12];
	size_t n = bar_for(t, ctx, k);
	bar_layout(k, n, t->cols, xs, ws);
	werase(w);
	wattrset(w, theme_attr(R_FLABEL));
	mvwhline(w, 0, 0, ' ', t->cols);
	for (size_t i = 0; i < n; i++) {
		if (!ws[i])
			continue;
		int kw = (int)strlen(k[i].key);
		wattrset(w, theme_attr(R_FKEY));
		mvwaddstr(w, 0, xs[i], k[i].key);
		wattrset(w, theme_attr(R_FLABEL));
		/* the last cell of the screen cannot take a character without
		 * scrolling: stop one short there */
		int lw = ws[i] - kw;
		if (xs[i] + ws[i] >= t->cols)
			lw = t->cols - 1 - xs[i] - kw;
		if (lw > 0)
			wprintw(w, "%-*.*s", lw, lw, k[i].label);
	}
	wnoutrefresh(w);
}

int fkeys_key_at(struct tui *t, const char *ctx, int x)
{
	struct fkey k[12];
	int xs[12], ws[12];
	size_t n = bar_for(t, ctx, k);
	bar_layout(k, n, t->cols, xs, ws);
	for (size_t i = 0; i < n; i++)
		if (ws[i] && x >= xs[i] && x < xs[i] + ws[i])
			return k[i].code;
	return 0;
}

void tui_box(struct tui *t, WINDOW *w)
{
	if (t->o.ascii || !t->utf8)
		wborder(w, '|', '|', '-', '-', '+', '+', '+', '+');
	else
		box(w, 0, 0);
}

void tui_hline(struct tui *t, WINDOW *w, int y, int x, int n)
{
	wattrset(w, theme_attr(R_BORDER));
	mvwhline(w, y, x, t->o.ascii || !t->utf8 ? '-' : ACS_HLINE, n);
}

static const char *const help_lines[] = {
	"boxtop - keys",
	"",
	"Up/Down j PgUp/PgDn Home/End  move    Mouse  select, click F-keys/titles",
	"Space    tag/untag, move down         U      untag all",
	"n  F7    create dialog                b      batch create & start",
	"s        start / stop (a mix asks)    p      freeze / thaw (a mix asks)",
	"r        restart                      x  Del remove (asks first)",
	"k  F9    signal menu (last used)      Ctrl-K kill now (SIGKILL)",
	"A  F8    Start all / Stop all / Remove all (asks first)",
	"a        attach console (Ctrl-a q)    e      exec a shell",
	"w        add / remove a network (live: eth1, eth2, ...)",
	"i        import an image (dir, tar)   v      images: size, layers, use",
	"l        console log                  Enter  detail pane, [ ] scroll",
	"/  F4    filter by name or image      Esc    clear filter",
	"F6 < >   sort column                  P M N  sort CPU / memory / name",
	"I        invert sort                  Tab F5 graphs / detail / none",
	"g        graph style                  d + -  refresh delay",
	"Z        pause display                z      graph span 1/5/15 min",
	"F2       setup (theme, delay, graphs, saved to ~/.config/boxtop/boxtoprc)",
	"h ? F1   this help   Ctrl-L redraw    q F10  quit",
	"",
	"Tagged rows take the actions; Ctrl-K, x and k name them before acting.",
	"Options: -d TENTHS -n N -t SECS --readonly --theme NAME --ascii --no-color",
};

void help_show(struct tui *t)
{
	WINDOW *w = newwin(t->lines - 1, t->cols, 0, 0);
	if (!w)
		return;
	keypad(w, TRUE);
	wbkgdset(w, (chtype)theme_attr(R_NORMAL));
	werase(w);
	for (size_t i = 0; i < sizeof help_lines / sizeof help_lines[0] &&
			   (int)i < t->lines - 1;
	     i++) {
		wattrset(w, theme_attr(i == 0 ? R_PANE_TITLE : R_NORMAL));
		mvwaddnstr(w, (int)i, 1, help_lines[i], t->cols - 2);
	}
	wnoutrefresh(w);
	t->fctx = "help";
	fkeys_draw(t, "help");
	doupdate();
	bool fk;
	int ch;
	do
		ch = tui_getkey(t, w, &fk);
	while (fk && (ch == KEY_MOUSE || ch == KEY_RESIZE) && !t->quit);
	t->fctx = NULL;
	delwin(w);
	tui_layout(t);
}
