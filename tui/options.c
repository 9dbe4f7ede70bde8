/* options.c - the screen's command-line options (htop-like). */
#include "tui.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: boxtop [--delay|-d TENTHS] [-n N] [--readonly] [--theme NAME]\n"
	"              [--time|-t SECS] [--ascii] [--block] [--no-color]\n";

static int opt_num(const char *opt, const char *v, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long n = v ? strtol(v, &end, 10) : 0;
	if (!v || !*v || *end || errno || n < lo || n > hi) {
		fprintf(stderr, "boxtop: %s: want a number %ld..%ld, got '%s'\n",
			opt, lo, hi, v ? v : "");
		return -1;
	}
	*out = n;
	return 0;
}

int tui_parse_opts(struct tui_opts *o, int argc, char **argv)
{
	/* argv[0] is the program (or whatever preceded the options) */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = NULL;
		char opt[64];
		snprintf(opt, sizeof opt, "%s", a);
		char *eq = strchr(opt, '=');
		if (!strncmp(a, "--", 2) && eq) {
			*eq = '\0';
			v = strchr(a, '=') + 1;
		}
		bool takes = !strcmp(opt, "-d") || !strcmp(opt, "--delay") ||
			     !strcmp(opt, "-n") || !strcmp(opt, "--theme") ||
			     !strcmp(opt, "--iterations") || !strcmp(opt, "-t") ||
			     !strcmp(opt, "--time");
		if (takes && !v) {
			if (i + 1 >= argc) {
				fprintf(stderr, "boxtop: %s: needs a value\n", opt);
				return 2;
			}
			v = argv[++i];
		}
		long n;
		if (!strcmp(opt, "-d") || !strcmp(opt, "--delay")) {
			if (opt_num(opt, v, 1, 600, &n) < 0)
				return 2;
			o->delay = (int)n;
		} else if (!strcmp(opt, "-n") || !strcmp(opt, "--iterations")) {
			if (opt_num(opt, v, 1, 1000000000L, &n) < 0)
				return 2;
			o->max_iter = n;
		} else if (!strcmp(opt, "-t") || !strcmp(opt, "--time")) {
			/* as `stop --time`: the grace before SIGKILL */
			if (opt_num(opt, v, 0, 3600, &n) < 0)
				return 2;
			o->stop_time = (int)n;
		} else if (!strcmp(opt, "--theme")) {
			snprintf(o->theme, sizeof o->theme, "%s", v);
		} else if (!strcmp(opt, "--readonly")) {
			o->readonly = true;
		} else if (!strcmp(opt, "--ascii")) {
			o->ascii = true;
		} else if (!strcmp(opt, "--block")) {
			o->graph = GRAPH_BLOCK;
		} else if (!strcmp(opt, "--no-color") || !strcmp(opt, "--no-colour")) {
			o->no_color = true;
		} else if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			fputs(usage_text, stdout);
			return 1;
		} else {
			fprintf(stderr, "boxtop: unknown option '%s' (see boxtop --help)\n", a);
			return 2;
		}
	}
	return 0;
}
