/* theme.c - theme files: parse, find on disk, turn into curses attributes. */
#include "theme.h"
#include "kv.h"

#include <curses.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const role_names[R_COUNT] = {
	[R_NORMAL] = "normal",         [R_HEADER] = "header",
	[R_COLTITLE] = "column_title", [R_SORTCOL] = "sort_column",
	[R_SELECTED] = "selected",     [R_TAGGED] = "tagged",
	[R_RUNNING] = "status_running", [R_PAUSED] = "status_paused",
	[R_STOPPED] = "status_stopped", [R_CREATED] = "status_created",
	[R_GRAPH_LOW] = "graph_low",   [R_GRAPH_MID] = "graph_mid",
	[R_GRAPH_HIGH] = "graph_high", [R_PANE_TITLE] = "pane_title",
	[R_BORDER] = "border",         [R_FKEY] = "fkey",
	[R_FLABEL] = "fkey_label",     [R_DIALOG] = "dialog",
	[R_INPUT] = "input",           [R_ERROR] = "error",
	[R_INFO] = "info",             [R_PROGRESS] = "progress",
};

const char *theme_role_name(enum theme_role r)
{
	return r < R_COUNT ? role_names[r] : "?";
}

/* The same text ships as themes/default.theme; built in so a missing or
 * broken file never leaves the screen without colours. */
static const char default_text[] =
	"normal = white,default\n"
	"header = cyan,default,bold\n"
	"column_title = black,green\n"
	"sort_column = black,cyan,bold\n"
	"selected = black,cyan\n"
	"tagged = yellow,default,bold\n"
	"status_running = green,default,bold\n"
	"status_paused = yellow,default\n"
	"status_stopped = red,default\n"
	"status_created = blue,default,bold\n"
	"graph_low = green,default\n"
	"graph_mid = yellow,default\n"
	"graph_high = red,default\n"
	"pane_title = cyan,default,bold\n"
	"border = blue,default\n"
	"fkey = white,default\n"
	"fkey_label = black,cyan\n"
	"dialog = white,blue\n"
	"input = black,white\n"
	"error = white,red,bold\n"
	"info = black,green\n"
	"progress = black,green\n";

static const char *const color_names[] = {"black", "red",     "green",
					  "yellow", "blue",   "magenta",
					  "cyan",  "white"};

static int parse_color(const char *s, short *out)
{
	if (!strcmp(s, "default") || !strcmp(s, "-1")) {
		*out = -1;
		return 0;
	}
	int base = 0;
	if (!strncmp(s, "bright_", 7)) {
		base = 8;
		s += 7;
	}
	for (int i = 0; i < 8; i++)
		if (!strcmp(s, color_names[i])) {
			*out = (short)(base + i);
			return 0;
		}
	if (base)
		return -1;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < 0 || v > 255)
		return -1;
	*out = (short)v;
	return 0;
}

static int parse_attr(const char *s, int *out)
{
	static const struct { const char *n; int a; } attrs[] = {
		{"bold", THEME_BOLD}, {"reverse", THEME_REVERSE},
		{"underline", THEME_UNDERLINE}, {"dim", THEME_DIM},
		{"normal", 0},
	};
	for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
		if (!strcmp(s, attrs[i].n)) {
			*out |= attrs[i].a;
			return 0;
		}
	return -1;
}

static int set_role(void *arg, const char *key, const char *val, char *why,
		    size_t whylen)
{
	struct theme *t = arg;
	if (!strcmp(key, "name")) {
		snprintf(t->name, sizeof t->name, "%s", val);
		return 0;
	}
	int r;
	for (r = 0; r < R_COUNT; r++)
		if (!strcmp(key, role_names[r]))
			break;
	if (r == R_COUNT) {
		snprintf(why, whylen, "unknown key '%.40s'", key);
		return -1;
	}
	struct theme_style st = {-1, -1, 0};
	char buf[128];
	snprintf(buf, sizeof buf, "%s", val);
	int field = 0;
	char *save = NULL;
	for (char *tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save), field++) {
		while (*tok == ' ' || *tok == '\t')
			tok++;
		char *e = tok + strlen(tok);
		while (e > tok && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		int bad = field == 0   ? parse_color(tok, &st.fg)
			  : field == 1 ? parse_color(tok, &st.bg)
				       : parse_attr(tok, &st.attr);
		if (bad) {
			snprintf(why, whylen, "%s: unknown %s '%.40s'", key,
				 field < 2 ? "colour" : "attribute", tok);
			return -1;
		}
	}
	if (field < 2) {
		snprintf(why, whylen, "%s: want fg,bg[,attribute...]", key);
		return -1;
	}
	t->s[r] = st;
	return 0;
}

int theme_parse(const char *text, struct theme *t, char *err, size_t errlen)
{
	return kv_parse(text, set_role, t, err, errlen);
}

void theme_default(struct theme *t)
{
	char err[64];
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "default");
	theme_parse(default_text, t, err, sizeof err);
}

/* Candidate directories in search order; n returned. */
static int theme_dirs(char dirs[][PATH_MAX], int max)
{
	int n = 0;
	const char *env = getenv("BOXTOP_THEMES");
	if (env && *env && n < max)
		snprintf(dirs[n++], PATH_MAX, "%s", env);
	const char *home = getenv("HOME");
	if (home && *home && n < max)
		snprintf(dirs[n++], PATH_MAX, "%s/.config/boxtop/themes", home);
	char exe[PATH_MAX - 64];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0 && n < max) {
		exe[len] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			/* build/boxtop -> themes/; bin/boxtop -> share/boxtop/themes */
			snprintf(dirs[n++], PATH_MAX, "%s/../themes", exe);
			if (n < max)
				snprintf(dirs[n++], PATH_MAX,
					 "%s/../share/boxtop/themes", exe);
		}
	}
	if (n < max)
		snprintf(dirs[n++], PATH_MAX, "/usr/local/share/boxtop/themes");
	if (n < max)
		snprintf(dirs[n++], PATH_MAX, "/usr/share/boxtop/themes");
	return n;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	char *buf = malloc(65536);
	size_t n = buf ? fread(buf, 1, 65535, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

int theme_load(const char *name, struct theme *t, char *err, size_t errlen)
{
	theme_default(t);
	if (!name || !*name || !strcmp(name, "default"))
		name = "default";
	char path[PATH_MAX + 80] = "";
	char *text = NULL;
	if (strchr(name, '/')) {
		snprintf(path, sizeof path, "%s", name);
		text = slurp(path);
	} else {
		char dirs[6][PATH_MAX];
		int nd = theme_dirs(dirs, 6);
		for (int i = 0; i < nd && !text; i++) {
			if (snprintf(path, sizeof path, "%s/%s.theme", dirs[i],
				     name) < (int)sizeof path)
				text = slurp(path);
		}
	}
	if (!text) {
		if (!strcmp(name, "default"))
			return 0; /* the built-in copy is the default */
		snprintf(err, errlen, "theme %s: not found", name);
		return -1;
	}
	char why[256];
	struct theme loaded;
	theme_default(&loaded);
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	snprintf(loaded.name, sizeof loaded.name, "%.*s",
		 (int)strcspn(base, "."), base);
	int rc = theme_parse(text, &loaded, why, sizeof why);
	free(text);
	if (rc < 0) {
		snprintf(err, errlen, "theme %s: %s", path, why);
		return -1;
	}
	*t = loaded;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

size_t theme_list(char names[][64], size_t max)
{
	size_t n = 0;
	char dirs[6][PATH_MAX];
	int nd = theme_dirs(dirs, 6);
	for (int i = 0; i < nd; i++) {
		DIR *d = opendir(dirs[i]);
		if (!d)
			continue;
		struct dirent *de;
		while ((de = readdir(d)) && n < max) {
			size_t l = strlen(de->d_name);
			if (l < 7 || l - 6 >= 64 ||
			    strcmp(de->d_name + l - 6, ".theme"))
				continue;
			char nm[64];
			snprintf(nm, sizeof nm, "%.*s", (int)(l - 6), de->d_name);
			size_t j;
			for (j = 0; j < n && strcmp(names[j], nm); j++)
				;
			if (j == n)
				memcpy(names[n++], nm, 64);
		}
		closedir(d);
	}
	if (n == 0 && max)
		snprintf(names[n++], 64, "default");
	qsort(names, n, 64, name_cmp);
	return n;
}

bool theme_uses_color(const struct theme *t)
{
	for (int r = 0; r < R_COUNT; r++)
		if (t->s[r].fg != -1 || t->s[r].bg != -1)
			return true;
	return false;
}

/* ---- curses ---------------------------------------------------------- */

static int role_attr[R_COUNT];

void theme_apply(const struct theme *t, bool color)
{
	bool defaults = color && use_default_colors() == OK;
	for (int r = 0; r < R_COUNT; r++) {
		const struct theme_style *st = &t->s[r];
		int a = 0;
		if (st->attr & THEME_BOLD)
			a |= A_BOLD;
		if (st->attr & THEME_REVERSE)
			a |= A_REVERSE;
		if (st->attr & THEME_UNDERLINE)
			a |= A_UNDERLINE;
		if (st->attr & THEME_DIM)
			a |= A_DIM;
		if (color) {
			short fg = st->fg, bg = st->bg;
			/* bright colours on an 8-colour terminal: base + bold */
			if (fg >= COLORS) {
				if (fg >= 8 && fg < 16)
					a |= A_BOLD;
				fg = fg % 8;
			}
			if (bg >= COLORS)
				bg = bg % 8;
			if (!defaults) {
				if (fg < 0)
					fg = COLOR_WHITE;
				if (bg < 0)
					bg = COLOR_BLACK;
			}
			init_pair((short)(r + 1), fg, bg);
			a |= COLOR_PAIR(r + 1);
		} else if (r == R_SELECTED || r == R_FLABEL || r == R_COLTITLE ||
			   r == R_INPUT || r == R_PROGRESS || r == R_SORTCOL) {
			/* without colour the bars still need to stand out */
			a |= A_REVERSE;
		}
		role_attr[r] = a;
	}
}

int theme_attr(enum theme_role r)
{
	return r < R_COUNT ? role_attr[r] : 0;
}
