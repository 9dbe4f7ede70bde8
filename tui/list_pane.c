/* list_pane.c - the container list: host totals, columns, sort, filter,
 * tags. */
#include "fmt.h"
#include "layout.h"
#include "tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const col_titles[COL_COUNT] = {
	"NAME", "STATUS", "PID", "IP", "CPU%", "MEM", "NET rx/tx",
	"IO r/w", "PIDS", "UPTIME", "IMAGE",
};

/* min, preferred, priority, right-aligned, grows */
static const struct col_def col_defs[COL_COUNT] = {
	[COL_NAME] = {"NAME", 6, 14, 0, false, true},
	[COL_STATUS] = {"STATUS", 7, 7, 0, false, false},
	[COL_PID] = {"PID", 5, 7, 2, true, false},
	[COL_IP] = {"IP", 9, 15, 2, false, false},
	/* "49.8/50": used/limit in % of one CPU, as MEM's used/limit */
	[COL_CPU] = {"CPU%", 7, 7, 1, true, false},
	[COL_MEM] = {"MEM", 5, 11, 1, true, false},
	[COL_NET] = {"NET", 9, 11, 2, true, false},
	[COL_IO] = {"IO", 9, 11, 3, true, false},
	[COL_PIDS] = {"PIDS", 4, 4, 3, true, false},
	[COL_UPTIME] = {"UPTIME", 6, 8, 3, true, false},
	[COL_IMAGE] = {"IMAGE", 6, 12, 4, false, false},
};

static int widths[COL_COUNT];

/* ---- tags ----------------------------------------------------------- */

bool list_is_tagged(const struct tui *t, const char *name)
{
	for (size_t i = 0; i < t->ntags; i++)
		if (!strcmp(t->tags[i], name))
			return true;
	return false;
}

void list_toggle_tag(struct tui *t, const char *name)
{
	for (size_t i = 0; i < t->ntags; i++)
		if (!strcmp(t->tags[i], name)) {
			free(t->tags[i]);
			t->tags[i] = t->tags[--t->ntags];
			return;
		}
	char **nt = realloc(t->tags, (t->ntags + 1) * sizeof *nt);
	if (!nt)
		return;
	t->tags = nt;
	if ((t->tags[t->ntags] = strdup(name)))
		t->ntags++;
}

void list_untag_all(struct tui *t)
{
	for (size_t i = 0; i < t->ntags; i++)
		free(t->tags[i]);
	free(t->tags);
	t->tags = NULL;
	t->ntags = 0;
}

/* ---- sort and filter --------------------------------------------------- */

static const struct tui *sort_t;

static int cmp_num(double a, double b)
{
	return a < b ? -1 : a > b;
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct box_stat_row *a = &sort_t->rows[*(const size_t *)pa];
	const struct box_stat_row *b = &sort_t->rows[*(const size_t *)pb];
	int c = 0;
	switch (sort_t->sort_col) {
	case COL_NAME: break;
	case COL_STATUS: c = (int)a->info.status - (int)b->info.status; break;
	case COL_PID: c = cmp_num(a->info.pid, b->info.pid); break;
	case COL_IP: c = strcmp(a->info.ip, b->info.ip); break;
	case COL_CPU: c = cmp_num(a->cpu_pct, b->cpu_pct); break;
	case COL_MEM: c = cmp_num((double)a->mem_bytes, (double)b->mem_bytes); break;
	case COL_NET:
		c = cmp_num(a->net_rx_bps + a->net_tx_bps, b->net_rx_bps + b->net_tx_bps);
		break;
	case COL_IO:
		c = cmp_num(a->blk_rd_bps + a->blk_wr_bps, b->blk_rd_bps + b->blk_wr_bps);
		break;
	case COL_PIDS: c = cmp_num((double)a->pids, (double)b->pids); break;
	case COL_UPTIME: /* longest running first when ascending */
		c = cmp_num((double)(a->info.started ? a->info.started : 1L << 62),
			    (double)(b->info.started ? b->info.started : 1L << 62));
		break;
	case COL_IMAGE: c = strcmp(a->info.image, b->info.image); break;
	default: break;
	}
	if (sort_t->sort_desc)
		c = -c;
	/* ties (and the name column) by name, always ascending for stability */
	if (!c) {
		/* natural order: box-2 before box-10 */
		c = strverscmp(a->info.name, b->info.name);
		if (sort_t->sort_col == COL_NAME && sort_t->sort_desc)
			c = -c;
	}
	return c;
}

void list_rebuild_view(struct tui *t)
{
	if (t->view_cap < t->nrows) {
		size_t *nv = realloc(t->view, t->nrows * sizeof *nv);
		if (!nv)
			return;
		t->view = nv;
		t->view_cap = t->nrows;
	}
	t->nview = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct box_info *in = &t->rows[i].info;
		if (t->filter[0] && !strcasestr(in->name, t->filter) &&
		    !strcasestr(in->image, t->filter))
			continue;
		t->view[t->nview++] = i;
	}
	sort_t = t;
	/* an empty root: view may still be NULL, which qsort must not get */
	if (t->nview)
		qsort(t->view, t->nview, sizeof *t->view, row_cmp);
	/* the selection follows its container, not its row number; when
	 * that is gone (removed, filtered out) it stays at the same place,
	 * the new last row if it was the last */
	int old = t->sel;
	t->sel = old < 0 ? 0 : (size_t)old < t->nview ? old
			: t->nview ? (int)t->nview - 1 : 0;
	for (size_t i = 0; i < t->nview; i++)
		if (!strcmp(t->rows[t->view[i]].info.name, t->sel_name)) {
			t->sel = (int)i;
			break;
		}
	if (t->nview)
		snprintf(t->sel_name, sizeof t->sel_name, "%s",
			 t->rows[t->view[t->sel]].info.name);
}

/* ---- drawing ------------------------------------------------------------- */

static enum theme_role status_role(enum box_status s)
{
	switch (s) {
	case BOX_RUNNING: return R_RUNNING;
	case BOX_PAUSED: return R_PAUSED;
	case BOX_STOPPED: return R_STOPPED;
	default: return R_CREATED;
	}
}

void list_draw_header(struct tui *t)
{
	WINDOW *w = t->w_header;
	const struct box_host_stats *h = box_stats_host(t->stats);
	char mu[16], mt[16], bm[16];
	fmt_size(mu, sizeof mu, (double)h->mem_used);
	fmt_size(mt, sizeof mt, (double)h->mem_total);
	fmt_size(bm, sizeof bm, (double)h->box_mem);
	werase(w);
	wattrset(w, theme_attr(R_HEADER));
	/* segments in order of importance; the less important ones are left
	 * out on a narrow screen rather than cut in the middle */
	char seg[6][128];
	snprintf(seg[0], sizeof seg[0], "%s%s%u running %u paused %u stopped",
		 t->o.readonly ? "[READ-ONLY] " : "",
		 t->frozen_display ? "[PAUSED] " : "", h->n_running, h->n_paused,
		 h->n_stopped);
	snprintf(seg[1], sizeof seg[1], "CPU %.1f%%", h->cpu_pct);
	snprintf(seg[2], sizeof seg[2], "Mem %s/%s", mu, mt);
	snprintf(seg[3], sizeof seg[3], "%.1fs", t->o.delay / 10.0);
	snprintf(seg[4], sizeof seg[4], "boxes CPU %.1f%% mem %s", h->box_cpu_pct, bm);
	snprintf(seg[5], sizeof seg[5], "%u created", h->n_created);
	static const int order[6] = {0, 5, 1, 2, 4, 3};      /* on screen */
	static const int importance[6] = {0, 1, 2, 5, 3, 4}; /* kept first */
	/* the filter and the tag count, right-aligned, have their room
	 * first: the segments fit in what is left, so neither covers the
	 * other; a long filter is cut, marked, to half the width */
	char extra[200] = "";
	if (t->filter[0] || t->ntags) {
		char f[160] = "";
		if (t->filter[0])
			fmt_fit(f, sizeof f, t->filter, t->cols / 2 - 8, FMT_CUT_MID);
		int n = t->filter[0] ? snprintf(extra, sizeof extra, " filter:%s", f)
				     : 0;
		if (t->ntags && n >= 0 && (size_t)n < sizeof extra)
			snprintf(extra + n, sizeof extra - (size_t)n, " tagged:%zu",
				 t->ntags);
	}
	int room = t->cols - fmt_cols(extra);
	bool used[6] = {false};
	int len = 0;
	for (int k = 0; k < 6; k++) {
		int i = importance[k];
		int l = (int)strlen(seg[i]) + (len ? 2 : 0);
		if (len + l <= room) {
			used[i] = true;
			len += l;
		}
	}
	char line[800] = "";
	size_t off = 0;
	for (int k = 0; k < 6; k++) {
		int i = order[k];
		if (!used[i])
			continue;
		int n = snprintf(line + off, sizeof line - off, "%s%s",
				 off ? "  " : "", seg[i]);
		if (n > 0 && (size_t)n < sizeof line - off)
			off += (size_t)n;
	}
	mvwaddnstr(w, 0, 0, line, t->cols);
	if (extra[0]) {
		wattrset(w, theme_attr(R_TAGGED));
		int x = t->cols - fmt_cols(extra);
		mvwaddstr(w, 0, x > 0 ? x : 0, extra);
	}

	/* column titles */
	layout_columns(col_defs, COL_COUNT, t->cols, widths);
	wattrset(w, theme_attr(R_COLTITLE));
	wmove(w, 1, 0);
	for (int x = 0; x < t->cols; x++)
		waddch(w, ' ');
	int x = 0;
	for (int c = 0; c < COL_COUNT; c++) {
		if (!widths[c])
			continue;
		char cell[128], title[32];
		snprintf(title, sizeof title, "%s%s", col_titles[c],
			 c == (int)t->sort_col ? (t->sort_desc ? "v" : "^") : "");
		fmt_cell(cell, sizeof cell, title, widths[c], col_defs[c].right);
		wattrset(w, theme_attr(c == (int)t->sort_col ? R_SORTCOL : R_COLTITLE));
		mvwaddstr(w, 1, x, cell);
		x += widths[c] + 1;
	}
	wnoutrefresh(w);
}

int list_col_at(struct tui *t, int x)
{
	(void)t;
	int pos = 0;
	for (int c = 0; c < COL_COUNT; c++) {
		if (!widths[c])
			continue;
		if (x >= pos && x < pos + widths[c] + 1)
			return c;
		pos += widths[c] + 1;
	}
	return -1;
}

/* "rx/tx"-like pair of sizes (NET, IO columns). */
static void size_pair(char *buf, size_t len, double x, double y)
{
	char a[16], b[16];
	fmt_size(a, sizeof a, x);
	fmt_size(b, sizeof b, y);
	snprintf(buf, len, "%s/%s", a, b);
}

/* How the last run ended, whole in w columns: "exit 137" (a SIGKILL),
 * "OOM 137" (the OOM killer); shorter forms on a narrow column, never a
 * cut number. */
static void exit_text(const struct box_info *in, int w, char *buf, size_t len)
{
	char code[16] = "";
	if (in->has_exit_code)
		snprintf(code, sizeof code, "%d", in->exit_code);
	const char *word = in->oom_killed ? "OOM" : "exit";
	int n = snprintf(buf, len, "%s%s%s", word, code[0] ? " " : "", code);
	if (n > w && in->oom_killed)
		snprintf(buf, len, "OOM");
	else if (n > w)
		snprintf(buf, len, "ex %s", code);
}

static void cell_text(const struct tui *t, const struct box_stat_row *r,
		      int c, char *buf, size_t len)
{
	const struct box_info *in = &r->info;
	/* Columns that come from a sample show "-" until there is one. */
	static const bool sampled[COL_COUNT] = {
		[COL_CPU] = true, [COL_MEM] = true, [COL_NET] = true,
		[COL_IO] = true,  [COL_PIDS] = true};
	buf[0] = '\0';
	if (c >= 0 && c < COL_COUNT && sampled[c] && !r->sampled) {
		snprintf(buf, len, "-");
		return;
	}
	switch (c) {
	case COL_NAME:
		snprintf(buf, len, "%s%s", list_is_tagged(t, in->name) ? "*" : "",
			 in->name);
		break;
	case COL_STATUS: snprintf(buf, len, "%s", box_status_name(in->status)); break;
	case COL_PID:
		if (in->pid > 0)
			snprintf(buf, len, "%d", (int)in->pid);
		else
			snprintf(buf, len, "-");
		break;
	case COL_IP: snprintf(buf, len, "%s", in->ip[0] ? in->ip : "-"); break;
	case COL_CPU:
		/* % of one CPU, against the limit when there is one */
		snprintf(buf, len, r->cpu_pct < 100 ? "%.1f" : "%.0f", r->cpu_pct);
		if (in->cpus > 0) {
			size_t n = strlen(buf);
			snprintf(buf + n, len - n, "/%g", 100.0 * in->cpus);
		}
		break;
	case COL_MEM:
		if (r->mem_limit && r->mem_limit < (1ull << 60))
			size_pair(buf, len, (double)r->mem_bytes,
				  (double)r->mem_limit);
		else
			fmt_size(buf, len, (double)r->mem_bytes);
		break;
	case COL_NET: size_pair(buf, len, r->net_rx_bps, r->net_tx_bps); break;
	case COL_IO:
		if (r->io_src == BOX_IO_NONE) /* nothing counts it: not 0 */
			snprintf(buf, len, "n/a");
		else
			size_pair(buf, len, r->blk_rd_bps, r->blk_wr_bps);
		break;
	case COL_PIDS:
		snprintf(buf, len, "%llu", (unsigned long long)r->pids);
		break;
	case COL_UPTIME:
		if ((in->status == BOX_RUNNING || in->status == BOX_PAUSED) && in->started)
			fmt_duration(buf, len, (long)(time(NULL) - in->started));
		else if (in->has_exit_code || in->oom_killed)
			exit_text(in, widths[c], buf, len);
		else
			snprintf(buf, len, "-");
		break;
	case COL_IMAGE: snprintf(buf, len, "%s", in->image); break;
	}
}

void list_draw(struct tui *t)
{
	WINDOW *w = t->w_list;
	werase(w);
	/* keep the selection on screen */
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + t->list_h)
		t->top = t->sel - t->list_h + 1;
	if (t->top > 0 && (size_t)t->top + (size_t)t->list_h > t->nview)
		t->top = t->nview > (size_t)t->list_h ? (int)t->nview - t->list_h : 0;
	if (!t->nview) {
		wattrset(w, theme_attr(R_NORMAL));
		mvwaddnstr(w, 0, 1,
			   t->nrows ? "no container matches the filter (Esc clears it)"
				    : "no containers yet: n creates one, b creates a batch",
			   t->cols - 1);
	}
	for (int y = 0; y < t->list_h && (size_t)(t->top + y) < t->nview; y++) {
		int i = t->top + y;
		const struct box_stat_row *r = &t->rows[t->view[i]];
		bool sel = i == t->sel;
		bool tag = list_is_tagged(t, r->info.name);
		int base = theme_attr(sel ? R_SELECTED : tag ? R_TAGGED : R_NORMAL);
		wattrset(w, base);
		wmove(w, y, 0);
		if (sel)
			for (int x = 0; x < t->cols; x++)
				waddch(w, ' ');
		int x = 0;
		for (int c = 0; c < COL_COUNT; c++) {
			if (!widths[c])
				continue;
			char txt[160], cell[400];
			cell_text(t, r, c, txt, sizeof txt);
			fmt_cell(cell, sizeof cell, txt, widths[c], col_defs[c].right);
			if (c == COL_STATUS && !sel)
				wattrset(w, theme_attr(status_role(r->info.status)));
			mvwaddstr(w, y, x, cell);
			wattrset(w, base);
			x += widths[c] + 1;
		}
	}
	wnoutrefresh(w);
}

int list_row_at(struct tui *t, int y)
{
	int row = y - t->list_y;
	if (row < 0 || row >= t->list_h)
		return -1;
	row += t->top;
	return (size_t)row < t->nview ? row : -1;
}
