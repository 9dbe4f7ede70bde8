/* test_graph.c - braille/block/ASCII rendering and graph scaling. */
#include "graph.h"
#include "unit.h"

#include <math.h>
#include <stdlib.h>

static char lines[8][GRAPH_LINE_BYTES(40)];
static char *out[8];

static void render(const float *v, size_t n, float max, enum graph_style st,
		   int rows, int cols)
{
	for (int i = 0; i < 8; i++)
		out[i] = lines[i];
	graph_render(v, n, max, st, rows, cols, out);
}

int main(void)
{
	/* ASCII: 4 levels per cell, newest sample at the right edge */
	float v1[] = {100, 50, 0};
	render(v1, 3, 100, GRAPH_ASCII, 2, 5);
	CHECK_STR("ascii top line", lines[0], "  #  ");
	CHECK_STR("ascii bottom line", lines[1], "  ## ");

	/* empty history is blank, not garbage */
	render(NULL, 0, 100, GRAPH_ASCII, 1, 4);
	CHECK_STR("ascii empty", lines[0], "    ");

	/* a tiny positive value still shows one dot */
	float tiny[] = {0.01f};
	render(tiny, 1, 100, GRAPH_ASCII, 2, 1);
	CHECK_STR("tiny visible", lines[1], ".");
	CHECK_STR("tiny top blank", lines[0], " ");

	/* values above max are clipped */
	float big[] = {500};
	render(big, 1, 100, GRAPH_ASCII, 2, 1);
	CHECK_STR("clip top", lines[0], "#");

	/* braille: two samples per cell; full left + empty right = dots 1,2,3,7 */
	float v2[] = {100, 0};
	render(v2, 2, 100, GRAPH_BRAILLE, 1, 1);
	CHECK_STR("braille left column", lines[0], "\xe2\xa1\x87"); /* U+2847 */
	float v3[] = {100, 100};
	render(v3, 2, 100, GRAPH_BRAILLE, 1, 1);
	CHECK_STR("braille full cell", lines[0], "\xe2\xa3\xbf"); /* U+28FF */
	float v4[] = {0, 25};
	render(v4, 2, 100, GRAPH_BRAILLE, 1, 1);
	CHECK_STR("braille right bottom dot", lines[0], "\xe2\xa2\x80"); /* U+2880 */
	/* more history than fits: only the newest samples are drawn */
	float v5[] = {100, 100, 100, 100, 0, 0};
	render(v5, 6, 100, GRAPH_BRAILLE, 1, 2);
	CHECK_STR("braille scrolls", lines[0], "\xe2\xa3\xbf ");

	/* block: 8 levels per cell */
	float v6[] = {50, 100};
	render(v6, 2, 100, GRAPH_BLOCK, 1, 2);
	CHECK_STR("block levels", lines[0], "\xe2\x96\x84\xe2\x96\x88"); /* ▄█ */
	render(v6, 2, 100, GRAPH_BLOCK, 2, 2);
	CHECK_STR("block two rows top", lines[0], " \xe2\x96\x88");
	CHECK_STR("block two rows bottom", lines[1], "\xe2\x96\x88\xe2\x96\x88");

	/* styles by name */
	CHECK("style parse", graph_style_parse("block") == GRAPH_BLOCK);
	CHECK("style parse bad", graph_style_parse("dots") == -1);
	CHECK_STR("style name", graph_style_name(GRAPH_BRAILLE), "braille");

	/* nice scale */
	CHECK("nice max small", graph_nice_max(3, 1024) == 1024);
	CHECK("nice max 1-2-5", graph_nice_max(1300, 1) == 2000);
	CHECK("nice max exact", graph_nice_max(5000, 1) == 5000);
	CHECK("nice max 5", graph_nice_max(4100, 1) == 5000);

	/* an unmeasured point (NaN) is a gap, not a value */
	float gap[] = {100, NAN, 100};
	render(gap, 3, 100, GRAPH_ASCII, 1, 3);
	CHECK_STR("NaN is a gap", lines[0], "# #");

	/* CPU scale: the limit, else every CPU; labelled; fixed */
	char l[32];
	CHECK("cpu scale: the limit", graph_cpu_scale(0.5, 2, l, sizeof l) == 50);
	CHECK_STR("cpu scale label: the limit", l, "0.5 CPU");
	CHECK("cpu scale: no limit, all CPUs", graph_cpu_scale(0, 2, l, sizeof l) == 200);
	CHECK_STR("cpu scale label: all CPUs", l, "2 CPU");
	CHECK("cpu scale: 1.5 of 4", graph_cpu_scale(1.5, 4, l, sizeof l) == 150);
	CHECK_STR("cpu scale label: 1.5", l, "1.5 CPU");
	/* a value just over the limit clips at the top, the scale stays */
	float over[] = {50.4f};
	render(over, 1, (float)graph_cpu_scale(0.5, 2, l, sizeof l), GRAPH_ASCII, 1, 1);
	CHECK_STR("cpu over the limit clips", lines[0], "#");

	/* zoom spans and their labels */
	CHECK("spans 1, 5, 15 min", graph_span_secs(0) == 60 &&
					   graph_span_secs(1) == 300 &&
					   graph_span_secs(2) == 900 &&
					   graph_span_secs(3) == 60);
	graph_span_label(60, l, sizeof l);
	CHECK_STR("span label 60s", l, "-60s");
	graph_span_label(300, l, sizeof l);
	CHECK_STR("span label 5m", l, "-5m");
	graph_span_label(900, l, sizeof l);
	CHECK_STR("span label 15m", l, "-15m");

	/* gradient: top high, bottom low */
	CHECK("band top", graph_band(0, 6) == 2);
	CHECK("band bottom", graph_band(5, 6) == 0);
	CHECK("band single", graph_band(0, 1) == 0);
	UNIT_DONE();
}
