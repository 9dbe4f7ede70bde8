/* layout.c - column widths by priority and pane heights. */
#include "layout.h"

static int total(const int *w, int n)
{
	int t = 0, shown = 0;
	for (int i = 0; i < n; i++)
		if (w[i]) {
			t += w[i];
			shown++;
		}
	return shown ? t + shown - 1 : 0;
}

int layout_columns(const struct col_def *defs, int n, int width, int *widths)
{
	for (int i = 0; i < n; i++)
		widths[i] = defs[i].pref_w;
	int maxprio = 0;
	for (int i = 0; i < n; i++)
		if (defs[i].prio > maxprio)
			maxprio = defs[i].prio;
	/* From the lowest priority up: shrink that priority's columns to their
	 * minimum, and if it still does not fit drop them (rightmost first)
	 * before any more important column loses a character. */
	for (int p = maxprio; p >= 0 && total(widths, n) > width; p--) {
		for (int i = n - 1; i >= 0; i--) {
			int over = total(widths, n) - width;
			if (over <= 0)
				break;
			if (defs[i].prio != p)
				continue;
			int can = widths[i] - defs[i].min_w;
			widths[i] -= over < can ? over : can;
		}
		for (int i = n - 1; p > 0 && i >= 0 && total(widths, n) > width; i--)
			if (defs[i].prio == p)
				widths[i] = 0;
	}
	if (total(widths, n) > width)
		return -1;
	/* 3: spare room back: first to shrunk columns, then to the grower */
	int spare = width - total(widths, n);
	for (int p = 0; p <= maxprio && spare > 0; p++)
		for (int i = 0; i < n && spare > 0; i++)
			if (widths[i] && defs[i].prio == p &&
			    widths[i] < defs[i].pref_w) {
				int add = defs[i].pref_w - widths[i];
				add = add < spare ? add : spare;
				widths[i] += add;
				spare -= add;
			}
	for (int i = 0; i < n && spare > 0; i++)
		if (widths[i] && defs[i].grow) {
			widths[i] += spare;
			spare = 0;
		}
	int shown = 0;
	for (int i = 0; i < n; i++)
		shown += widths[i] > 0;
	return shown;
}

bool layout_too_small(int cols, int rows)
{
	return cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS;
}

int layout_lower_height(int rows, bool lower_shown)
{
	if (!lower_shown)
		return 0;
	/* header + column titles + function bar + message line = 4 fixed;
	 * keep at least 4 list rows, give the lower pane about half. */
	int avail = rows - 4;
	int h = avail / 2;
	if (avail - h < 4)
		h = avail - 4;
	return h < 5 ? 0 : h;
}
