/* graph_pane.c - history graphs of the selected container and the host.
 *
 * Every graph says its scale in brackets (a fixed one: the container's
 * CPU or memory limit, the host's CPUs or memory; else the round number
 * the shown peak rounds up to), the pane's title says the time the graphs
 * span (z zooms: 1, 5, 15 minutes; the core averages older samples into
 * wider points), and a figure nothing measures is "n/a" with no plot. */
#include "fmt.h"
#include "tui.h"

#include <stdio.h>
#include <string.h>

#define MAX_COLS 160

struct gspec {
	const char *name;       /* container, NULL: host */
	enum box_metric m, m2;  /* m2 != m: plotted as the sum of both */
	double fixed_max;       /* > 0: the scale, said by scale */
	char scale[24];
	bool rate;              /* auto-scaled bytes per second */
	bool na;                /* nothing measures it: no plot */
	char label[96];
};

static void draw_graph(struct tui *t, WINDOW *w, int y, int x, int h, int wd,
		       const struct gspec *g)
{
	static float v[MAX_COLS * 2], v2[MAX_COLS * 2];
	if (wd > MAX_COLS)
		wd = MAX_COLS;
	size_t want = (size_t)wd * (size_t)graph_per_cell(t->o.graph);
	double span = graph_span_secs(t->span);
	size_t n = g->na ? 0
			 : box_stats_history_span(t->stats, g->name, g->m,
						  span, v, want);
	if (g->m2 != g->m && n) {
		size_t n2 = box_stats_history_span(t->stats, g->name, g->m2,
						   span, v2, want);
		for (size_t i = 0; i < n && i < n2; i++)
			v[i] += v2[i]; /* NaN stays NaN: not measured */
	}
	float max;
	char scale[24];
	if (g->fixed_max > 0) {
		max = (float)g->fixed_max;
		snprintf(scale, sizeof scale, "%s", g->scale);
	} else {
		float peak = 0;
		for (size_t i = 0; i < n; i++)
			if (v[i] > peak) /* false for NaN */
				peak = v[i];
		/* 1-2-5 steps in KiB, so the scale reads "200K", not "195K" */
		max = graph_nice_max(peak / 1024, 1) * 1024;
		char m[16];
		fmt_size(m, sizeof m, max);
		snprintf(scale, sizeof scale, "%s%s", m, g->rate ? "/s" : "");
	}
	char title[160], fit[480];
	if (g->na)
		snprintf(title, sizeof title, "%s", g->label);
	else
		snprintf(title, sizeof title, "%s  [%s]", g->label, scale);
	fmt_fit(fit, sizeof fit, title, wd, FMT_CUT_END);
	wattrset(w, theme_attr(R_PANE_TITLE));
	mvwaddstr(w, y, x, fit);
	int rows = h - 1;
	if (rows < 1 || wd < 2 || !n)
		return;
	char buf[8][GRAPH_LINE_BYTES(MAX_COLS)];
	char *out[8];
	if (rows > 8)
		rows = 8;
	for (int r = 0; r < rows; r++)
		out[r] = buf[r];
	graph_render(v, n, max, t->o.graph, rows, wd, out);
	static const enum theme_role band[3] = {R_GRAPH_LOW, R_GRAPH_MID,
						R_GRAPH_HIGH};
	for (int r = 0; r < rows; r++) {
		wattrset(w, theme_attr(band[graph_band(r, rows)]));
		mvwaddstr(w, y + 1 + r, x, out[r]);
	}
}

/* The graphs of container r: CPU, memory, network, disk. */
static void container_graphs(struct tui *t, const struct box_stat_row *r,
			     struct gspec *g)
{
	const struct box_host_stats *hs = box_stats_host(t->stats);
	const char *name = r->info.name;
	char a[16], b[16];
	g[0] = (struct gspec){.name = name, .m = BOX_M_CPU, .m2 = BOX_M_CPU};
	g[0].fixed_max = graph_cpu_scale(r->info.cpus, hs->ncpu, g[0].scale,
					 sizeof g[0].scale);
	snprintf(g[0].label, sizeof g[0].label, "CPU %.1f%%", r->cpu_pct);

	g[1] = (struct gspec){.name = name, .m = BOX_M_MEM, .m2 = BOX_M_MEM};
	if (r->mem_limit && r->mem_limit < (1ull << 60)) {
		g[1].fixed_max = (double)r->mem_limit;
		fmt_size(g[1].scale, sizeof g[1].scale, (double)r->mem_limit);
	}
	fmt_size(a, sizeof a, (double)r->mem_bytes);
	snprintf(g[1].label, sizeof g[1].label, "MEM %s", a);

	g[2] = (struct gspec){.name = name, .m = BOX_M_NET_RX,
			      .m2 = BOX_M_NET_TX, .rate = true};
	fmt_size(a, sizeof a, r->net_rx_bps);
	fmt_size(b, sizeof b, r->net_tx_bps);
	snprintf(g[2].label, sizeof g[2].label, "NET rx %s/s tx %s/s", a, b);

	g[3] = (struct gspec){.name = name, .m = BOX_M_BLK_RD,
			      .m2 = BOX_M_BLK_WR, .rate = true};
	if (r->sampled && r->io_src == BOX_IO_NONE) {
		g[3].na = true;
		snprintf(g[3].label, sizeof g[3].label, "IO n/a (no counter)");
	} else {
		fmt_size(a, sizeof a, r->blk_rd_bps);
		fmt_size(b, sizeof b, r->blk_wr_bps);
		snprintf(g[3].label, sizeof g[3].label, "IO r %s/s w %s/s", a, b);
	}
}

/* The host's CPU (busy % of all its CPUs) and memory. */
static void host_graphs(struct tui *t, struct gspec *g)
{
	const struct box_host_stats *hs = box_stats_host(t->stats);
	char a[16], b[16];
	g[0] = (struct gspec){.m = BOX_M_CPU, .m2 = BOX_M_CPU, .fixed_max = 100};
	snprintf(g[0].scale, sizeof g[0].scale, "%d CPU", hs->ncpu);
	snprintf(g[0].label, sizeof g[0].label, "HOST CPU %.1f%%", hs->cpu_pct);
	g[1] = (struct gspec){.m = BOX_M_MEM, .m2 = BOX_M_MEM,
			      .fixed_max = (double)hs->mem_total};
	fmt_size(g[1].scale, sizeof g[1].scale, (double)hs->mem_total);
	fmt_size(a, sizeof a, (double)hs->mem_used);
	fmt_size(b, sizeof b, (double)hs->mem_total);
	snprintf(g[1].label, sizeof g[1].label, "HOST MEM %s/%s", a, b);
}

/* " NAME  -60s..now  (z: zoom, g: braille, Tab: detail) ", the name cut
 * (head and tail kept) before anything else. */
static void draw_title(struct tui *t, WINDOW *w, int wd, const char *who)
{
	char span[16], rest[128], name[256], line[512];
	graph_span_label(graph_span_secs(t->span), span, sizeof span);
	snprintf(rest, sizeof rest, "  %s..now  (z: zoom, g: %s, Tab: detail) ",
		 span, graph_style_name(t->o.graph));
	int room = wd - 3 - fmt_cols(rest);
	if (room < 8) { /* narrow: the span before the keys */
		snprintf(rest, sizeof rest, "  %s..now ", span);
		room = wd - 3 - fmt_cols(rest);
	}
	fmt_fit(name, sizeof name, who, room, FMT_CUT_MID);
	snprintf(line, sizeof line, " %s%s", name, rest);
	wattrset(w, theme_attr(R_PANE_TITLE));
	mvwaddstr(w, 0, 2, line);
}

void graph_pane_draw(struct tui *t, WINDOW *w)
{
	werase(w);
	int h, wd;
	getmaxyx(w, h, wd);
	const struct box_stat_row *r = tui_selected(t);
	tui_hline(t, w, 0, 0, wd);
	draw_title(t, w, wd, r ? r->info.name : "host: no container selected");

	struct gspec g[6];
	int ng, gcols;
	if (r) {
		container_graphs(t, r, g);
		host_graphs(t, g + 4);
		ng = 6;
		gcols = wd >= 90 ? 3 : 2;
	} else {
		/* nothing selected: only what is the host's, said so */
		host_graphs(t, g);
		ng = 2;
		gcols = 2;
	}
	int grows = (ng + gcols - 1) / gcols;
	int avail = h - 1;
	/* small panes: fewer graphs rather than unreadable ones */
	while (grows > 1 && avail / grows < 3) {
		grows--;
		ng = grows * gcols;
	}
	int gh = avail / grows;
	int gw = (wd - (gcols - 1)) / gcols;
	for (int i = 0; i < ng; i++) {
		int gy = 1 + (i / gcols) * gh;
		int gx = (i % gcols) * (gw + 1);
		draw_graph(t, w, gy, gx, gh, gw, &g[i]);
	}
	wattrset(w, theme_attr(R_NORMAL));
}
