/* imageview.c - "v": the images in the store over the whole screen, one
 * row each (name, layers, size, containers using it, source), like the log
 * view.  The list comes from box_image_list: on opening, and again when the
 * worker goes idle (an import may just have landed).  It is not re-read on
 * every tick: listing takes the store's shared lock, and a long image rm
 * holding it must not stall the screen. */
#include "tui.h"
#include "fmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void list_images(struct tui *t, struct box_image_info **imgs,
			size_t *n, char *err, size_t elen)
{
	struct box_err berr = {0};
	free(*imgs);
	*imgs = NULL;
	*n = 0;
	err[0] = '\0';
	if (box_image_list(t->ctx, imgs, n, &berr) < 0)
		snprintf(err, elen, "%s", berr.msg);
}

static void draw(WINDOW *w, const struct box_image_info *imgs,
		 size_t n, long top, const char *err)
{
	int h = getmaxy(w) - 2, wd = getmaxx(w);
	werase(w);
	wattrset(w, theme_attr(R_PANE_TITLE));
	mvwhline(w, 0, 0, ' ', wd);
	mvwprintw(w, 0, 0, "images: %zu", n);
	wattrset(w, theme_attr(R_COLTITLE));
	mvwhline(w, 1, 0, ' ', wd);
	mvwaddnstr(w, 1, 0,
		   "NAME                 LAYERS   SIZE  USED BY  SOURCE", wd);
	wattrset(w, theme_attr(R_NORMAL));
	if (err[0]) {
		wattrset(w, theme_attr(R_ERROR));
		mvwaddnstr(w, 2, 0, err, wd);
		wattrset(w, theme_attr(R_NORMAL));
		return;
	}
	for (int y = 0; y < h && top + y < (long)n; y++) {
		const struct box_image_info *im = &imgs[top + y];
		char size[16], line[512];
		fmt_size(size, sizeof size, (double)im->size);
		snprintf(line, sizeof line, "%-20.20s %6zu %6s %8zu  %s", im->name,
			 im->n_layers, size, im->used_by,
			 im->builtin ? "(built in)" : im->source);
		/* names and sources are the store's; keep the row printable */
		for (char *p = line; *p; p++)
			if ((unsigned char)*p < 32 || *p == 127)
				*p = '?';
		mvwaddnstr(w, 2 + y, 0, line, wd);
	}
}

void imageview_show(struct tui *t)
{
	WINDOW *w = newwin(t->lines - 1, t->cols, 0, 0);
	if (!w)
		return;
	keypad(w, TRUE);
	const char *saved = t->fctx;
	t->fctx = "images";
	struct box_image_info *imgs = NULL;
	size_t n = 0;
	char err[BOX_ERR_MAX] = "";
	list_images(t, &imgs, &n, err, sizeof err);
	bool was_busy = worker_busy(t->worker);
	long top = 0;
	while (!t->quit) {
		bool busy = worker_busy(t->worker);
		if (was_busy && !busy)
			list_images(t, &imgs, &n, err, sizeof err);
		was_busy = busy;
		int h = getmaxy(w) - 2;
		long maxtop = (long)n > h ? (long)n - h : 0;
		if (top > maxtop)
			top = maxtop;
		if (top < 0)
			top = 0;
		draw(w, imgs, n, top, err);
		wnoutrefresh(w);
		fkeys_draw(t, "images");
		doupdate();
		bool fk = false;
		int ch = tui_getkey(t, w, &fk);
		if (fk) {
			switch (ch) {
			case KEY_UP: top--; break;
			case KEY_DOWN: top++; break;
			case KEY_PPAGE: top -= h; break;
			case KEY_NPAGE: top += h; break;
			case KEY_HOME: top = 0; break;
			case KEY_END: top = maxtop; break;
			case KEY_RESIZE:
				delwin(w);
				tui_layout(t);
				w = newwin(t->lines - 1, t->cols, 0, 0);
				if (!w)
					goto out;
				keypad(w, TRUE);
				break;
			case KEY_F(10): goto out;
			}
			continue;
		}
		if (ch == 'q' || ch == 27 || ch == 'v')
			break;
	}
out:
	free(imgs);
	if (w)
		delwin(w);
	t->fctx = saved;
	tui_layout(t);
}
