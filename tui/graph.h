/* graph.h - history graphs as text: braille (2x4 dots per cell), block
 * characters (8 levels per cell) or plain ASCII.  Pure functions: they fill
 * strings, the graph pane puts them on the screen. */
#ifndef TUI_GRAPH_H
#define TUI_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

enum graph_style { GRAPH_BRAILLE, GRAPH_BLOCK, GRAPH_ASCII, GRAPH_STYLE_COUNT };

const char *graph_style_name(enum graph_style s);
/* "braille", "block", "ascii" -> style; -1 if unknown. */
int graph_style_parse(const char *s);

/* Samples one cell column shows (2 for braille, else 1). */
int graph_per_cell(enum graph_style s);

/* Render v[0..n) (oldest first) scaled to [0, max] into rows lines of cols
 * cells; the newest sample is at the right edge, older ones scroll left and
 * missing history is blank.  out[r] (r = 0 is the top line) must hold
 * GRAPH_LINE_BYTES(cols) bytes; each is NUL-terminated UTF-8 (ASCII for
 * GRAPH_ASCII).  A value above zero always shows at least one dot, so a
 * busy-but-small container is visible. */
#define GRAPH_LINE_BYTES(cols) ((size_t)(cols) * 3 + 1)
void graph_render(const float *v, size_t n, float max, enum graph_style st,
		  int rows, int cols, char **out);

/* A round upper bound for auto-scaled graphs (net, I/O): 1, 2, 5 x 10^k
 * at or above peak; min_max when peak is smaller. */
float graph_nice_max(float peak, float min_max);

/* The time spans the graphs show, z cycling them: 1, 5, 15 minutes. */
#define GRAPH_SPANS 3
int graph_span_secs(int i);
/* The left end of the time axis: "-60s", "-5m", "-15m". */
void graph_span_label(int secs, char *buf, size_t len);

/* The full scale of a container's CPU graph in % of one CPU: its limit
 * (cpus > 0, e.g. 0.5 -> 50) or else every CPU of the host (ncpu x 100),
 * so the scale never moves with the value; *label says it ("0.5 CPU",
 * "2 CPU"). */
double graph_cpu_scale(double cpus, int ncpu, char *label, size_t len);

/* Level 0..2 (low/mid/high) for the colour gradient of line r of rows. */
int graph_band(int r, int rows);

#endif
