/* theme.h - colour themes as data: one fg,bg,attributes triple per role,
 * read from plain key=value files (themes/NAME.theme). */
#ifndef TUI_THEME_H
#define TUI_THEME_H

#include <stdbool.h>
#include <stddef.h>

enum theme_role {
	R_NORMAL,       /* list rows, pane text */
	R_HEADER,       /* host totals line */
	R_COLTITLE,     /* list column titles */
	R_SORTCOL,      /* the title of the sort column */
	R_SELECTED,     /* cursor row */
	R_TAGGED,       /* tagged rows */
	R_RUNNING,
	R_PAUSED,
	R_STOPPED,
	R_CREATED,
	R_GRAPH_LOW,    /* graph gradient: low / mid / high thirds */
	R_GRAPH_MID,
	R_GRAPH_HIGH,
	R_PANE_TITLE,
	R_BORDER,
	R_FKEY,         /* "F1" in the function bar */
	R_FLABEL,       /* "Help" in the function bar */
	R_DIALOG,
	R_INPUT,        /* dialog input field */
	R_ERROR,        /* the one-line message, errors */
	R_INFO,         /* the one-line message, information */
	R_PROGRESS,     /* progress bar fill */
	R_COUNT
};

#define THEME_BOLD 1
#define THEME_REVERSE 2
#define THEME_UNDERLINE 4
#define THEME_DIM 8

struct theme_style {
	short fg, bg;   /* 0..255, -1 = terminal default */
	int attr;       /* THEME_* */
};

struct theme {
	char name[64];
	struct theme_style s[R_COUNT];
};

/* Role names as used in files ("selected", "status_running", ...). */
const char *theme_role_name(enum theme_role r);
/* The built-in default (dark) theme. */
void theme_default(struct theme *t);
/* Parse file text over the defaults.  Lines: role = fg,bg[,attr...] with
 * colours by name (black red green yellow blue magenta cyan white default,
 * bright_*) or number 0..255.  -1 and "line N: why" in err on bad input. */
int theme_parse(const char *text, struct theme *t, char *err, size_t errlen);
/* Find NAME (or a path containing '/') and load it: $BOXTOP_THEMES,
 * ~/.config/boxtop/themes, the themes/ directory next to the binary's
 * ../, PREFIX/share/boxtop/themes.  On failure t holds the default theme
 * and err says why ("theme x: line 3: unknown colour 'purpel'"). */
int theme_load(const char *name, struct theme *t, char *err, size_t errlen);
/* The theme names found on disk (for the setup screen), up to max. */
size_t theme_list(char names[][64], size_t max);

/* false when every role uses the terminal's default colours (monochrome):
 * then colour is switched off and no colour codes are sent. */
bool theme_uses_color(const struct theme *t);

/* Curses side: init colour pairs (when colour is on) and return the
 * attribute for a role.  color false: attributes only (NO_COLOR, mono). */
void theme_apply(const struct theme *t, bool color);
int theme_attr(enum theme_role r);

#endif
