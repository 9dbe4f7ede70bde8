/* logview.c - the console log of a container, scrollable, following new
 * output while at the bottom. */
#include "termtext.h"
#include "tui.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOG_MAX (1 << 20) /* the tail we show: the log itself is bounded */

struct logbuf {
	char *text;
	size_t len;
	char **lines;
	size_t n;
};

static void log_free(struct logbuf *b)
{
	free(b->text);
	free(b->lines);
	memset(b, 0, sizeof *b);
}

/* Read the last LOG_MAX bytes and split into lines. */
static int log_read(const char *path, struct logbuf *b, char *err, size_t elen)
{
	log_free(b);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, elen, "%s: %s", path,
			 errno == ENOENT ? "no console output yet" : strerror(errno));
		return -1;
	}
	struct stat st;
	off_t from = 0;
	if (fstat(fd, &st) == 0 && st.st_size > LOG_MAX)
		from = st.st_size - LOG_MAX;
	b->text = malloc(LOG_MAX + 1);
	ssize_t n = b->text ? pread(fd, b->text, LOG_MAX, from) : -1;
	close(fd);
	if (n < 0) {
		snprintf(err, elen, "%s: %s", path, strerror(errno));
		return -1;
	}
	b->text[n] = '\0';
	b->len = (size_t)n;
	size_t cap = 0;
	char *p = b->text;
	if (from)
		p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p; /* partial first line */
	while (*p) {
		if (b->n == cap) {
			cap = cap ? cap * 2 : 256;
			char **nl = realloc(b->lines, cap * sizeof *nl);
			if (!nl)
				break;
			b->lines = nl;
		}
		b->lines[b->n++] = p;
		char *e = strchr(p, '\n');
		if (!e)
			break;
		*e = '\0';
		if (e > p && e[-1] == '\r')
			e[-1] = '\0';
		p = e + 1;
	}
	return 0;
}

/* Escape sequences and control characters from the console would move
 * the cursor or leave debris ("?[6n"): the line is drawn as the
 * container's terminal showed it (termtext.c). */
static void put_clean(WINDOW *w, int y, const char *line, int wd)
{
	char clean[TERMTEXT_CELLS * 4 + 1];
	termtext_clean(line, clean, sizeof clean);
	wmove(w, y, 0);
	const char *s = clean;
	for (int x = 0; *s && x < wd; x++) {
		/* one character: its UTF-8 continuation bytes with it */
		size_t n = 1;
		while ((s[n] & 0xC0) == 0x80)
			n++;
		waddnstr(w, s, (int)n);
		s += n;
	}
}

void logview_show(struct tui *t, const char *name)
{
	char path[4096], err[4400] = "";
	struct box_err berr = {0};
	if (box_log_path(t->ctx, name, path, sizeof path, &berr) < 0) {
		tui_message(t, true, "%s", berr.msg);
		return;
	}
	WINDOW *w = newwin(t->lines - 1, t->cols, 0, 0);
	if (!w)
		return;
	keypad(w, TRUE);
	const char *saved = t->fctx;
	t->fctx = "log";
	struct logbuf b = {0};
	bool follow = true;
	long top = 0;
	long last_read = 0;
	bool tick = true;
	while (!t->quit) {
		long now = tui_now_ms();
		/* [follow] follows: every refresh tick reads the log again,
		 * keys (scrolling) at most once a refresh */
		if (tick || now - last_read >= t->o.delay * 100L) {
			err[0] = '\0';
			log_read(path, &b, err, sizeof err);
			last_read = now;
		}
		int h = getmaxy(w) - 1, wd = getmaxx(w);
		long maxtop = (long)b.n > h ? (long)b.n - h : 0;
		if (follow || top > maxtop)
			top = maxtop;
		if (top < 0)
			top = 0;
		werase(w);
		wattrset(w, theme_attr(R_COLTITLE));
		mvwhline(w, 0, 0, ' ', wd);
		mvwprintw(w, 0, 0, "log: %s  %zu lines%s", name, b.n,
			  follow ? "  [follow]" : "");
		wattrset(w, theme_attr(R_NORMAL));
		if (err[0]) {
			wattrset(w, theme_attr(R_ERROR));
			mvwaddnstr(w, 1, 0, err, wd);
			wattrset(w, theme_attr(R_NORMAL));
		}
		for (int y = 0; y < h && top + y < (long)b.n; y++)
			put_clean(w, y + 1, b.lines[top + y], wd);
		wnoutrefresh(w);
		fkeys_draw(t, "log");
		doupdate();
		bool fk = false;
		int ch = tui_getkey_tick(t, w, &fk);
		tick = ch == ERR;
		if (tick)
			continue;
		if (fk) {
			switch (ch) {
			case KEY_UP: top--; follow = false; break;
			case KEY_DOWN: top++; break;
			case KEY_PPAGE: top -= h; follow = false; break;
			case KEY_NPAGE: top += h; break;
			case KEY_HOME: top = 0; follow = false; break;
			case KEY_END: follow = true; break;
			case KEY_RESIZE:
				delwin(w);
				tui_layout(t);
				w = newwin(t->lines - 1, t->cols, 0, 0);
				keypad(w, TRUE);
				break;
			case KEY_F(10): goto out;
			}
			if (top >= maxtop)
				follow = true;
			continue;
		}
		if (ch == 'q' || ch == 27 || ch == 'l')
			break;
		if (ch == 'F' || ch == 'f')
			follow = !follow;
	}
out:
	log_free(&b);
	delwin(w);
	t->fctx = saved;
	tui_layout(t);
}
