/* setup.c - the F2 setup screen and ~/.config/boxtop/boxtoprc
 * (theme, delay, graph style, lower pane), in the same key=value format as
 * themes. */
#include "kv.h"
#include "tui.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const lower_names[LOWER_COUNT] = {"graphs", "detail", "none"};

static int rc_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;
	if (xdg && *xdg)
		n = snprintf(buf, len, "%s/boxtop/boxtoprc", xdg);
	else if (home && *home)
		n = snprintf(buf, len, "%s/.config/boxtop/boxtoprc", home);
	else
		return -1;
	return n > 0 && (size_t)n < len ? 0 : -1;
}

static int rc_set(void *arg, const char *k, const char *v, char *why, size_t wl)
{
	struct tui_opts *o = arg;
	if (!strcmp(k, "theme")) {
		snprintf(o->theme, sizeof o->theme, "%s", v);
	} else if (!strcmp(k, "delay")) {
		long d = strtol(v, NULL, 10);
		if (d < 1 || d > 600) {
			snprintf(why, wl, "delay: want 1..600");
			return -1;
		}
		o->delay = (int)d;
	} else if (!strcmp(k, "graph")) {
		int g = graph_style_parse(v);
		if (g < 0) {
			snprintf(why, wl, "graph: want braille, block or ascii");
			return -1;
		}
		o->graph = (enum graph_style)g;
	} else if (!strcmp(k, "lower")) {
		int i;
		for (i = 0; i < LOWER_COUNT && strcmp(v, lower_names[i]); i++)
			;
		if (i == LOWER_COUNT) {
			snprintf(why, wl, "lower: want graphs, detail or none");
			return -1;
		}
		o->lower = (enum lower_pane)i;
	}
	/* unknown keys are ignored: a newer boxtop may have written them */
	return 0;
}

void setup_load_rc(struct tui_opts *o)
{
	char path[PATH_MAX];
	if (rc_path(path, sizeof path) < 0)
		return;
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	char text[8192];
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	char err[256];
	struct tui_opts copy = *o;
	/* a broken rc file changes nothing rather than half */
	if (kv_parse(text, rc_set, &copy, err, sizeof err) == 0)
		*o = copy;
}

static int save_rc(struct tui *t, char *err, size_t elen)
{
	char path[PATH_MAX];
	if (rc_path(path, sizeof path) < 0) {
		snprintf(err, elen, "no HOME: cannot save settings");
		return -1;
	}
	/* mkdir -p of the parent */
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0755);
			*p = '/';
		}
	char tmp[PATH_MAX + 8];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "we");
	if (!f) {
		snprintf(err, elen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	fprintf(f, "# boxtop settings (written by the F2 setup screen)\n"
		   "theme = %s\ndelay = %d\ngraph = %s\nlower = %s\n",
		t->o.theme[0] ? t->o.theme : "default", t->o.delay,
		graph_style_name(t->o.graph), lower_names[t->o.lower]);
	if (fclose(f) != 0 || rename(tmp, path) < 0) {
		snprintf(err, elen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	snprintf(err, elen, "saved %s", path);
	return 0;
}

void setup_show(struct tui *t)
{
	char names[32][64];
	size_t nt = theme_list(names, 32);
	const char *themes[32];
	for (size_t i = 0; i < nt; i++)
		themes[i] = names[i];
	static const char *const graphs[] = {"braille", "block", "ascii"};
	struct form_field f[4] = {
		{"Theme", "", themes, nt},
		{"Delay", "", NULL, 0},
		{"Graphs", "", graphs, 3},
		{"Lower", "", lower_names, LOWER_COUNT},
	};
	snprintf(f[0].value, sizeof f[0].value, "%.*s",
		 (int)sizeof f[0].value - 1, t->o.theme[0] ? t->o.theme : "default");
	snprintf(f[1].value, sizeof f[1].value, "%d", t->o.delay);
	snprintf(f[2].value, sizeof f[2].value, "%s", graph_style_name(t->o.graph));
	snprintf(f[3].value, sizeof f[3].value, "%s", lower_names[t->o.lower]);
	if (!dialog_form(t, "Setup (saved to ~/.config/boxtop/boxtoprc)", f, 4, NULL))
		return;
	struct tui_opts o = t->o;
	char why[200], err[PATH_MAX + 64];
	if (rc_set(&o, "delay", f[1].value, why, sizeof why) < 0 ||
	    rc_set(&o, "graph", f[2].value, why, sizeof why) < 0 ||
	    rc_set(&o, "lower", f[3].value, why, sizeof why) < 0) {
		tui_message(t, true, "setup: %s", why);
		return;
	}
	if (o.graph != GRAPH_ASCII && (!t->utf8 || t->o.ascii))
		o.graph = GRAPH_ASCII; /* the terminal cannot show it */
	snprintf(o.theme, sizeof o.theme, "%s", f[0].value);
	t->o = o;
	if (setup_apply_theme(t, o.theme) < 0)
		return; /* the message says why */
	tui_layout(t);
	int rc = save_rc(t, err, sizeof err);
	tui_message(t, rc < 0, "%s", err);
}
