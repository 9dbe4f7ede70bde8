/* test_theme.c - theme file parsing, errors naming the line, fallback. */
#include "kv.h"
#include "theme.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	struct theme t;
	char err[256] = "";
	theme_default(&t);
	CHECK("default selected fg", t.s[R_SELECTED].fg == 0 && t.s[R_SELECTED].bg == 6);
	CHECK("default uses colour", theme_uses_color(&t));

	CHECK("parse ok", theme_parse("# c\n\nselected = red , blue , bold\n"
				      "error = 196,default,reverse,underline\n",
				      &t, err, sizeof err) == 0);
	CHECK("parse fg", t.s[R_SELECTED].fg == 1 && t.s[R_SELECTED].bg == 4);
	CHECK("parse bold", t.s[R_SELECTED].attr == THEME_BOLD);
	CHECK("parse number", t.s[R_ERROR].fg == 196 && t.s[R_ERROR].bg == -1);
	CHECK("parse attrs", t.s[R_ERROR].attr == (THEME_REVERSE | THEME_UNDERLINE));
	CHECK("parse bright", theme_parse("normal = bright_red,black", &t, err,
					  sizeof err) == 0 && t.s[R_NORMAL].fg == 9);

	CHECK("bad colour", theme_parse("normal = white,black\nheader = purpel,black\n",
					&t, err, sizeof err) < 0);
	CHECK_STR("bad colour message", err, "line 2: header: unknown colour 'purpel'");
	CHECK("bad key", theme_parse("\n\n\nfoo = red,black\n", &t, err, sizeof err) < 0);
	CHECK_STR("bad key message", err, "line 4: unknown key 'foo'");
	CHECK("no equals", theme_parse("selected red\n", &t, err, sizeof err) < 0);
	CHECK_STR("no equals message", err, "line 1: expected key = value, got 'selected red'");
	CHECK("missing bg", theme_parse("selected = red\n", &t, err, sizeof err) < 0);
	CHECK("bad attr", theme_parse("selected = red,blue,blink\n", &t, err, sizeof err) < 0);
	CHECK_STR("bad attr message", err, "line 1: selected: unknown attribute 'blink'");
	CHECK("out of range", theme_parse("selected = 256,blue\n", &t, err, sizeof err) < 0);

	/* all-default colours: a monochrome theme */
	struct theme m;
	theme_default(&m);
	for (int r = 0; r < R_COUNT; r++)
		m.s[r].fg = m.s[r].bg = -1;
	CHECK("mono has no colour", !theme_uses_color(&m));

	/* loading from disk: a bad file falls back to the default with a message */
	char dir[] = "/tmp/bt-theme-XXXXXX";
	if (mkdtemp(dir)) {
		char path[256];
		snprintf(path, sizeof path, "%s/bad.theme", dir);
		FILE *f = fopen(path, "w");
		fputs("normal = white,black\nselected = black,nocolour\n", f);
		fclose(f);
		snprintf(path, sizeof path, "%s/good.theme", dir);
		f = fopen(path, "w");
		fputs("selected = red,green\n", f);
		fclose(f);
		setenv("BOXTOP_THEMES", dir, 1);
		CHECK("load bad fails", theme_load("bad", &t, err, sizeof err) < 0);
		char want[400];
		snprintf(want, sizeof want,
			 "theme %s/bad.theme: line 2: selected: unknown colour 'nocolour'", dir);
		CHECK_STR("load bad message", err, want);
		CHECK("load bad falls back", !strcmp(t.name, "default") && t.s[R_SELECTED].fg == 0);
		CHECK("load good", theme_load("good", &t, err, sizeof err) == 0 &&
				       t.s[R_SELECTED].fg == 1 && !strcmp(t.name, "good"));
		CHECK("load missing", theme_load("nosuch", &t, err, sizeof err) < 0);
		CHECK_STR("load missing message", err, "theme nosuch: not found");
		char names[16][64];
		size_t n = theme_list(names, 16);
		int seen = 0;
		for (size_t i = 0; i < n; i++)
			seen += !strcmp(names[i], "good") || !strcmp(names[i], "bad");
		CHECK("list finds files", seen == 2);
		unlink(path);
		snprintf(path, sizeof path, "%s/bad.theme", dir);
		unlink(path);
		rmdir(dir);
	}
	/* the shipped theme files all parse */
	const char *shipped[] = {"default", "light", "monochrome", "high-contrast"};
	for (int i = 0; i < 4; i++) {
		char p[256];
		snprintf(p, sizeof p, "themes/%s.theme", shipped[i]);
		if (access(p, R_OK) == 0) {
			char name[64];
			snprintf(name, sizeof name, "shipped theme %s parses", shipped[i]);
			CHECK(name, theme_load(p, &t, err, sizeof err) == 0);
		}
	}
	CHECK("shipped monochrome is colourless",
	      access("themes/monochrome.theme", R_OK) != 0 ||
	      (theme_load("themes/monochrome.theme", &t, err, sizeof err) == 0 &&
	       !theme_uses_color(&t)));
	UNIT_DONE();
}
