/* graph_pane.c - history graphs of the selected container and the host. */
#include "fmt.h"
#include "tui.h"

#include <stdio.h>
#include <string.h>

struct gspec {
	const char *title;
	const char *name;       /* container, NULL: host */
	enum box_metric m, m2;  /* m2 != m: plotted as the sum of both */
	bool percent;           /* fixed 0..max scale in % */
	double fixed_max;       /* memory: the limit or host total */
};

static void draw_graph(struct tui *t, WINDOW *w, int y, int x, int h, int wd,
		       const struct gspec *g, const char *label)
{
	static float v[BOX_STATS_HIST], v2[BOX_STATS_HIST];
	size_t n = box_stats_history(t->stats, g->name, g->m, v, BOX_STATS_HIST);
	if (g->m2 != g->m) {
		size_t n2 = box_stats_history(t->stats, g->name, g->m2, v2,
					      BOX_STATS_HIST);
		for (size_t i = 0; i < n && i < n2; i++)
			v[i] += v2[i];
	}
	float max;
	if (g->percent) {
		max = (float)g->fixed_max;
	} else if (g->fixed_max > 0) {
		max = (float)g->fixed_max;
	} else {
		float peak = 0;
		size_t shown = (size_t)wd * (size_t)graph_per_cell(t->o.graph);
		for (size_t i = n > shown ? n - shown : 0; i < n; i++)
			if (v[i] > peak)
				peak = v[i];
		/* 1-2-5 steps in KiB, so the scale reads "200K", not "195K" */
		max = graph_nice_max(peak / 1024, 1) * 1024;
	}
	wattrset(w, theme_attr(R_PANE_TITLE));
	char title[700];
	if (g->percent) {
		snprintf(title, sizeof title, "%s", label);
	} else {
		char m[16];
		fmt_size(m, sizeof m, max);
		/* an auto-scaled graph says its scale */
		snprintf(title, sizeof title, "%s  [%s%s]", label, m,
			 g->m == BOX_M_MEM ? "" : "/s");
	}
	mvwaddnstr(w, y, x, title, wd);
	int rows = h - 1;
	if (rows < 1 || wd < 2)
		return;
	char buf[8][GRAPH_LINE_BYTES(160)];
	char *out[8];
	if (rows > 8)
		rows = 8;
	if (wd > 160)
		wd = 160;
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

void graph_pane_draw(struct tui *t, WINDOW *w)
{
	werase(w);
	int h, wd;
	getmaxyx(w, h, wd);
	const struct box_stat_row *r = tui_selected(t);
	const struct box_host_stats *hs = box_stats_host(t->stats);
	tui_hline(t, w, 0, 0, wd);
	wattrset(w, theme_attr(R_PANE_TITLE));
	mvwprintw(w, 0, 2, " %s  (Tab: detail, g: %s) ",
		  r ? r->info.name : "no container", graph_style_name(t->o.graph));

	const char *name = r ? r->info.name : NULL;
	char l[6][96], a[16], b[16];
	double mem_max = r && r->mem_limit && r->mem_limit < (1ull << 60)
				 ? (double)r->mem_limit
				 : 0;
	struct gspec g[6] = {
		{"CPU", name, BOX_M_CPU, BOX_M_CPU, true, 100.0 * hs->ncpu},
		{"MEM", name, BOX_M_MEM, BOX_M_MEM, false, mem_max},
		{"NET", name, BOX_M_NET_RX, BOX_M_NET_TX, false, 0},
		{"IO", name, BOX_M_BLK_RD, BOX_M_BLK_WR, false, 0},
		{"HOST CPU", NULL, BOX_M_CPU, BOX_M_CPU, true, 100},
		{"HOST MEM", NULL, BOX_M_MEM, BOX_M_MEM, false, (double)hs->mem_total},
	};
	/* CPU of one container: scale to its quota, or to one CPU */
	if (r && r->info.cpus > 0)
		g[0].fixed_max = 100.0 * r->info.cpus;
	else
		g[0].fixed_max = 100.0;
	if (r && r->cpu_pct > g[0].fixed_max)
		g[0].fixed_max = 100.0 * hs->ncpu;
	snprintf(l[0], sizeof l[0], "CPU %.1f%%", r ? r->cpu_pct : 0.0);
	fmt_size(a, sizeof a, r ? (double)r->mem_bytes : 0);
	snprintf(l[1], sizeof l[1], "MEM %s", a);
	fmt_size(a, sizeof a, r ? r->net_rx_bps : 0);
	fmt_size(b, sizeof b, r ? r->net_tx_bps : 0);
	snprintf(l[2], sizeof l[2], "NET rx %s/s tx %s/s", a, b);
	fmt_size(a, sizeof a, r ? r->blk_rd_bps : 0);
	fmt_size(b, sizeof b, r ? r->blk_wr_bps : 0);
	snprintf(l[3], sizeof l[3], "IO r %s/s w %s/s", a, b);
	snprintf(l[4], sizeof l[4], "HOST CPU %.1f%%", hs->cpu_pct);
	fmt_size(a, sizeof a, (double)hs->mem_used);
	fmt_size(b, sizeof b, (double)hs->mem_total);
	snprintf(l[5], sizeof l[5], "HOST MEM %s/%s", a, b);

	int gcols = wd >= 90 ? 3 : 2;
	int ng = 6;
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
		draw_graph(t, w, gy, gx, gh, gw, &g[i], l[i]);
	}
	wattrset(w, theme_attr(R_NORMAL));
}
