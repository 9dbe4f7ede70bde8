/* graph.c - braille, block and ASCII rendering of a history series. */
#include "graph.h"

#include <stdio.h>
#include <string.h>

static const char *const style_names[] = {"braille", "block", "ascii"};

const char *graph_style_name(enum graph_style s)
{
	return s < GRAPH_STYLE_COUNT ? style_names[s] : "?";
}

int graph_style_parse(const char *s)
{
	for (int i = 0; i < GRAPH_STYLE_COUNT; i++)
		if (!strcmp(s, style_names[i]))
			return i;
	return -1;
}

int graph_per_cell(enum graph_style s)
{
	return s == GRAPH_BRAILLE ? 2 : 1;
}

/* Height of one sample in sub-cell units (levels per cell times rows). */
static int height(float v, float max, int units)
{
	if (!(v > 0) || !(max > 0))
		return 0;
	float f = v / max;
	if (f > 1)
		f = 1;
	int h = (int)(f * (float)units + 0.5f);	/* f >= 0: rounds half up */
	return h < 1 ? 1 : h;
}

static char *put_utf8(char *p, unsigned cp)
{
	/* only code points U+0800..U+FFFF are used here: three bytes */
	*p++ = (char)(0xE0 | (cp >> 12));
	*p++ = (char)(0x80 | ((cp >> 6) & 0x3F));
	*p++ = (char)(0x80 | (cp & 0x3F));
	return p;
}

/* Filled dots of a braille column from the bottom, left and right. */
static const unsigned char dots_left[5] = {0, 0x40, 0x44, 0x46, 0x47};
static const unsigned char dots_right[5] = {0, 0x80, 0xA0, 0xB0, 0xB8};

void graph_render(const float *v, size_t n, float max, enum graph_style st,
		  int rows, int cols, char **out)
{
	int per = graph_per_cell(st);
	int levels = st == GRAPH_BRAILLE ? 4 : st == GRAPH_BLOCK ? 8 : 4;
	int units = rows * levels;
	size_t want = (size_t)cols * (size_t)per;
	char *p[rows > 0 ? rows : 1];
	for (int r = 0; r < rows; r++)
		p[r] = out[r];
	for (int c = 0; c < cols; c++) {
		int h[2] = {0, 0};
		for (int k = 0; k < per; k++) {
			/* sample index for this sub-column, right-aligned */
			size_t slot = (size_t)c * (size_t)per + (size_t)k;
			if (n >= want - slot) {
				size_t idx = n - (want - slot);
				h[k] = height(v[idx], max, units);
			}
		}
		for (int r = 0; r < rows; r++) {
			/* units below this line: the bottom line is row rows-1 */
			int base = (rows - 1 - r) * levels;
			int in[2];
			for (int k = 0; k < 2; k++) {
				int x = h[k] - base;
				in[k] = x < 0 ? 0 : x > levels ? levels : x;
			}
			switch (st) {
			case GRAPH_BRAILLE: {
				unsigned bits = dots_left[in[0]] | dots_right[in[1]];
				if (!bits)
					*p[r]++ = ' ';
				else
					p[r] = put_utf8(p[r], 0x2800 + bits);
				break;
			}
			case GRAPH_BLOCK:
				if (!in[0])
					*p[r]++ = ' ';
				else /* U+2581 lower one eighth .. U+2588 full */
					p[r] = put_utf8(p[r], 0x2580 + (unsigned)in[0]);
				break;
			default:
				*p[r]++ = " .:|#"[in[0]];
				break;
			}
		}
	}
	for (int r = 0; r < rows; r++)
		*p[r] = '\0';
}

float graph_nice_max(float peak, float min_max)
{
	if (!(peak > min_max))
		return min_max;
	/* the power of ten at or below peak, without libm (one library fewer
	 * to map and relocate in every boxtop process, monitors included) */
	float mag = 1;
	while (mag * 10 <= peak)
		mag *= 10;
	while (mag > peak)
		mag /= 10;
	static const float steps[] = {1, 2, 5, 10};
	for (size_t i = 0; i < 4; i++)
		if (steps[i] * mag >= peak)
			return steps[i] * mag;
	return 10 * mag;
}

int graph_band(int r, int rows)
{
	if (rows <= 1)
		return 0;
	/* top third high, bottom third low */
	int from_bottom = rows - 1 - r;
	int b = from_bottom * 3 / rows;
	return b > 2 ? 2 : b;
}

int graph_span_secs(int i)
{
	static const int spans[GRAPH_SPANS] = {60, 300, 900};
	i %= GRAPH_SPANS;
	return spans[i < 0 ? i + GRAPH_SPANS : i];
}

void graph_span_label(int secs, char *buf, size_t len)
{
	if (secs < 120 || secs % 60)
		snprintf(buf, len, "-%ds", secs);
	else
		snprintf(buf, len, "-%dm", secs / 60);
}

double graph_cpu_scale(double cpus, int ncpu, char *label, size_t len)
{
	if (ncpu < 1)
		ncpu = 1;
	if (cpus > 0) {
		snprintf(label, len, "%g CPU", cpus);
		return 100.0 * cpus;
	}
	snprintf(label, len, "%d CPU", ncpu);
	return 100.0 * ncpu;
}
