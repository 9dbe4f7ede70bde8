/* test_layout.c - column fitting by priority, pane heights, cell formats. */
#include "fmt.h"
#include "layout.h"
#include "unit.h"

#include <string.h>

static const struct col_def cols[] = {
	{"NAME", 6, 12, 0, false, true},
	{"STATUS", 4, 7, 0, false, false},
	{"CPU%", 5, 5, 1, true, false},
	{"MEM", 5, 11, 1, true, false},
	{"IP", 7, 15, 2, false, false},
	{"IMAGE", 5, 10, 3, false, false},
};
#define N (int)(sizeof cols / sizeof cols[0])

static int sum(const int *w)
{
	int t = 0, s = 0;
	for (int i = 0; i < N; i++)
		if (w[i]) {
			t += w[i];
			s++;
		}
	return t + s - 1;
}

/* Text cut to a width is marked, and names keep their end. */
static void test_fit(void)
{
	char b[256], a2[256];
	const char *n1 = "web-frontend-production-europe-west-replica-set-0001-abcdefgh-01";
	const char *n2 = "web-frontend-production-europe-west-replica-set-0001-abcdefgh-02";
	fmt_cell(b, sizeof b, n1, 20, 0);
	fmt_cell(a2, sizeof a2, n2, 20, 0);
	CHECK("two long names differing at the end look different", strcmp(b, a2));
	CHECK("a cut cell is as wide as its column", fmt_cols(b) == 20);
	CHECK("a cut name keeps its end", strstr(b, "-01") && strstr(b, "\xe2\x80\xa6"));
	fmt_fit(b, sizeof b, "hello world", 8, FMT_CUT_END);
	CHECK_STR("cut at the end keeps the head", b, "hello w\xe2\x80\xa6");
	fmt_fit(b, sizeof b, "short", 8, FMT_CUT_END);
	CHECK_STR("what fits is left alone", b, "short");
	fmt_set_ascii(true);
	fmt_fit(b, sizeof b, "abcdefgh", 5, FMT_CUT_MID);
	CHECK_STR("ascii screens mark with ~", b, "ab~gh");
	fmt_set_ascii(false);
	fmt_fit(b, sizeof b, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3, FMT_CUT_MID);
	CHECK_STR("utf8 cut by characters", b, "\xc3\xa9\xe2\x80\xa6\xc3\xa9");

	const char *next;
	const char *mac = "eth0   10.77.0.2       02:b0:12:34:56:78  lab";
	size_t l = fmt_wrap(mac, 30, &next);
	CHECK("wrap breaks between words", l == strlen("eth0   10.77.0.2"));
	CHECK("wrap: the next line starts at the next word", !strcmp(next, "02:b0:12:34:56:78  lab"));
	l = fmt_wrap(next, 30, &next);
	CHECK("wrap: the rest fits whole", l == 22 && !*next);
	l = fmt_wrap("abcdefghij", 4, &next);
	CHECK("wrap: a long word is split", l == 4 && !strcmp(next, "efghij"));
	l = fmt_wrap("", 4, &next);
	CHECK("wrap: empty", l == 0 && !*next);
}

int main(void)
{
	int w[N];
	/* wide: everything at preferred width, spare to the grower */
	CHECK("wide shows all", layout_columns(cols, N, 100, w) == N);
	CHECK("wide fills width", sum(w) == 100);
	CHECK("wide name grows", w[0] == 12 + 100 - 65);
	CHECK("wide ip preferred", w[4] == 15);

	/* exactly preferred: 12+7+5+11+15+10 + 5 spaces = 65 */
	CHECK("exact", layout_columns(cols, N, 65, w) == N && sum(w) == 65);

	/* a bit narrower: the lowest priority shrinks before anything drops */
	CHECK("shrink keeps all", layout_columns(cols, N, 60, w) == N);
	CHECK("shrink image first", w[5] == 5 && w[4] == 15);
	CHECK("shrink fits", sum(w) == 60);

	/* narrower: image dropped, ip shrunk */
	int shown = layout_columns(cols, N, 46, w);
	CHECK("drop image", w[5] == 0 && shown == N - 1);
	CHECK("drop fits", sum(w) <= 46);

	/* very narrow: only priority 0 left, at their minimum or more */
	shown = layout_columns(cols, N, 12, w);
	CHECK("only essentials", shown == 2 && w[0] >= 6 && w[1] >= 4);
	CHECK("essentials fit", sum(w) <= 12);

	/* too narrow for the essentials */
	CHECK("too narrow", layout_columns(cols, N, 8, w) == -1);

	/* the rightmost of a priority drops first: mem goes, cpu stays */
	layout_columns(cols, N, 30, w);
	CHECK("30 drops ip and image", w[4] == 0 && w[5] == 0);
	CHECK("30 keeps cpu, drops mem", w[2] > 0 && w[3] == 0);
	CHECK("30 fits", sum(w) == 30);
	/* an important column is not shrunk while a lower one is shown */
	layout_columns(cols, N, 56, w);
	CHECK("56 keeps mem whole", w[3] == 11 && w[4] > 0 && w[5] == 0);

	CHECK("too small", layout_too_small(39, 24) && layout_too_small(80, 11));
	CHECK("not too small", !layout_too_small(60, 20));
	int lh = layout_lower_height(24, true);
	CHECK("lower pane at 24 rows", lh >= 5 && 24 - 4 - lh >= 4);
	CHECK("lower pane hidden", layout_lower_height(24, false) == 0);
	CHECK("lower pane small screen", layout_lower_height(12, true) == 0);

	char b[32];
	fmt_size(b, sizeof b, 1023);
	CHECK_STR("size bytes", b, "1023");
	fmt_size(b, sizeof b, 1536);
	CHECK_STR("size K", b, "1.5K");
	fmt_size(b, sizeof b, 5.0 * 1024 * 1024 * 1024);
	CHECK_STR("size G", b, "5.0G");
	fmt_size(b, sizeof b, 300.0 * 1024 * 1024);
	CHECK_STR("size 300M", b, "300M");
	fmt_duration(b, sizeof b, 59);
	CHECK_STR("dur s", b, "59s");
	fmt_duration(b, sizeof b, 723);
	CHECK_STR("dur m", b, "12m03s");
	fmt_duration(b, sizeof b, 3 * 3600 + 7 * 60);
	CHECK_STR("dur h", b, "3h07m");
	fmt_duration(b, sizeof b, 5 * 86400 + 2 * 3600);
	CHECK_STR("dur d", b, "5d02h");
	fmt_cell(b, sizeof b, "abcdef", 4, 0);
	CHECK_STR("cell cut: marked, head and tail kept", b, "ab\xe2\x80\xa6" "f");
	fmt_cell(b, sizeof b, "ab", 4, 1);
	CHECK_STR("cell right", b, "  ab");
	fmt_cell(b, sizeof b, "\xc3\xa9t\xc3\xa9", 4, 0);
	CHECK_STR("cell utf8", b, "\xc3\xa9t\xc3\xa9 ");
	test_fit();
	UNIT_DONE();
}
