/* layout.h - fitting the list pane's columns into the terminal width.
 * Each column has a preferred and a minimum width and a priority; when the
 * screen is narrow, low-priority columns shrink first, then drop. */
#ifndef TUI_LAYOUT_H
#define TUI_LAYOUT_H

#include <stdbool.h>

struct col_def {
	const char *title;
	int min_w, pref_w;
	int prio;       /* 0 = never dropped; higher numbers drop first */
	bool right;     /* right-aligned (numbers) */
	bool grow;      /* takes the spare width */
};

/* Fill widths[i] for n columns in width cells (one space between shown
 * columns); 0 means dropped.  Returns the number shown, or -1 when even the
 * priority-0 columns at their minimum do not fit. */
int layout_columns(const struct col_def *defs, int n, int width, int *widths);

/* The smallest terminal the TUI draws into; below it, a message. */
#define LAYOUT_MIN_COLS 40
#define LAYOUT_MIN_ROWS 12
bool layout_too_small(int cols, int rows);

/* Lower pane height for a terminal of rows lines (0: list only). */
int layout_lower_height(int rows, bool lower_shown);

#endif
