/* detail_pane.c - everything about the selected container: config, state,
 * cgroup, namespaces, addresses, mounts and the processes inside. */
#include "fmt.h"
#include "tui.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CFG_REFRESH_MS 5000
#define PROCS_REFRESH_MS 1000

void detail_forget(struct tui *t)
{
	free(t->detail_cfg);
	t->detail_cfg = NULL;
	free(t->procs);
	t->procs = NULL;
	t->nprocs = 0;
	free(t->ifaces);
	t->ifaces = NULL;
	t->nifaces = 0;
	t->detail_name[0] = '\0';
}

/* Keep the config text and the process list of the selected container
 * fresh: config every few seconds (it rarely changes), processes every
 * refresh. */
static void detail_refresh(struct tui *t, const struct box_stat_row *r)
{
	long now = tui_now_ms();
	bool changed = strcmp(t->detail_name, r->info.name) != 0;
	if (changed) {
		detail_forget(t);
		t->detail_scroll = 0;
		snprintf(t->detail_name, sizeof t->detail_name, "%s", r->info.name);
	}
	struct box_err err = {0};
	if (changed || now - t->detail_cfg_ms > CFG_REFRESH_MS) {
		free(t->detail_cfg);
		t->detail_cfg = box_config_text(t->ctx, r->info.name, &err);
		t->detail_cfg_ms = now;
		free(t->ifaces);
		t->ifaces = NULL;
		t->nifaces = 0;
		box_net_ifaces(t->ctx, r->info.name, 0, &t->ifaces, &t->nifaces,
			       &err);
	}
	if (changed || now - t->procs_ms >= PROCS_REFRESH_MS) {
		free(t->procs);
		t->procs = NULL;
		t->nprocs = 0;
		if (r->info.status == BOX_RUNNING || r->info.status == BOX_PAUSED)
			box_stats_procs(t->stats, r->info.name, &t->procs,
					&t->nprocs, &err);
		t->procs_ms = now;
	}
}

/* The config side is collected as lines first, then drawn: a value too
 * long for its column wraps (between words where it can), and what does
 * not fit the pane ends in a line saying how much more there is.  Nothing
 * is cut silently. */
#define KEY_W 11                /* "namespaces" and a space */
#define KV_LINES 96
#define KV_WRAP 4               /* lines one value may take */

struct kvw {
	WINDOW *w;
	int y, x, wd, h;        /* first row, column, width, rows */
	int n;                  /* lines collected */
	char key[KV_LINES][16];
	char text[KV_LINES][320];
};

static void kv_line(struct kvw *k, const char *key, const char *text,
		    size_t len)
{
	if (k->n >= KV_LINES)
		return;
	snprintf(k->key[k->n], sizeof k->key[0], "%s", key);
	snprintf(k->text[k->n], sizeof k->text[0], "%.*s", (int)len, text);
	k->n++;
}

static void kv(struct kvw *k, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void kv(struct kvw *k, const char *key, const char *fmt, ...)
{
	char val[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(val, sizeof val, fmt, ap);
	va_end(ap);
	for (char *p = val; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	int vw = k->wd - KEY_W;
	if (vw < 4)
		vw = 4;
	const char *p = val;
	for (int i = 0; i < KV_WRAP; i++) {
		const char *next;
		size_t len = fmt_wrap(p, vw, &next);
		if (i == KV_WRAP - 1 && *next) {
			/* the last line it may take: the rest, marked */
			char fit[320];
			fmt_fit(fit, sizeof fit, p, vw, FMT_CUT_END);
			kv_line(k, i ? "" : key, fit, strlen(fit));
			return;
		}
		kv_line(k, i ? "" : key, p, len);
		p = next;
		if (!*p)
			return;
	}
}

/* Draw the lines collected into rows rows from k->y, from line *scroll
 * on (clamped here); lines above or below what fits are not dropped
 * silently: the first or last row says how many, and that [ and ] scroll.
 * Returns the rows used. */
static int kv_flush(struct kvw *k, int rows, int *scroll)
{
	if (rows <= 0)
		return 0;
	int top = 0, vis = k->n;
	if (k->n > rows) {
		/* the furthest down: a marker on top, the last line at the end */
		int max = k->n - (rows - 1);
		if (*scroll > max)
			*scroll = max;
		top = *scroll;
		vis = rows - (top > 0);
		if (top + vis < k->n)
			vis--;
	} else {
		*scroll = 0;
	}
	int y = k->y;
	char note[96], fit[160];
	if (top > 0) {
		snprintf(note, sizeof note, "%s %d line%s above ([ scrolls up)",
			 fmt_ellipsis(), top, top > 1 ? "s" : "");
		fmt_fit(fit, sizeof fit, note, k->wd, FMT_CUT_END);
		wattrset(k->w, theme_attr(R_PANE_TITLE));
		mvwaddstr(k->w, y++, k->x, fit);
	}
	for (int i = top; i < top + vis; i++, y++) {
		wattrset(k->w, theme_attr(R_PANE_TITLE));
		mvwaddnstr(k->w, y, k->x, k->key[i], KEY_W - 1);
		wattrset(k->w, theme_attr(R_NORMAL));
		mvwaddstr(k->w, y, k->x + KEY_W, k->text[i]);
	}
	int below = k->n - top - vis;
	if (below > 0) {
		snprintf(note, sizeof note, "%s %d more line%s (] scrolls down)",
			 fmt_ellipsis(), below, below > 1 ? "s" : "");
		fmt_fit(fit, sizeof fit, note, k->wd, FMT_CUT_END);
		wattrset(k->w, theme_attr(R_PANE_TITLE));
		mvwaddstr(k->w, y++, k->x, fit);
	}
	wattrset(k->w, theme_attr(R_NORMAL));
	return y - k->y;
}

/* The stored text is config.json, or {"config": ..., "state": ...}. */
static json_t *config_of(json_t *root)
{
	json_t *c = json_object_get(root, "config");
	return json_is_object(c) ? c : root;
}

static void join_array(json_t *arr, const char *field, char *buf, size_t len)
{
	size_t i, n = 0;
	json_t *v;
	buf[0] = '\0';
	json_array_foreach(arr, i, v) {
		json_t *s = field ? json_object_get(v, field) : v;
		if (!json_is_string(s))
			continue;
		int w = snprintf(buf + n, len - n, "%s%s", n ? " " : "",
				 json_string_value(s));
		if (w < 0 || (size_t)w >= len - n)
			break;
		n += (size_t)w;
	}
}

/* How the last run ended: the whole code, the signal that ended it, and
 * OOM when the OOM killer did. */
static void draw_exit(struct kvw *k, const struct box_info *in)
{
	char code[64] = "";
	const char *sig = in->has_exit_code && in->exit_code > 128 &&
				  in->exit_code < 128 + NSIG
			  ? sigabbrev_np(in->exit_code - 128)
			  : NULL;
	if (in->has_exit_code)
		snprintf(code, sizeof code, "%d%s%s%s", in->exit_code,
			 sig ? " (SIG" : "", sig ? sig : "", sig ? ")" : "");
	kv(k, "exit code", "%s%s%s", code, code[0] && in->oom_killed ? "  " : "",
	   in->oom_killed ? "OOM: killed by the out-of-memory killer" : "");
}

static void draw_config(struct tui *t, struct kvw *k, const struct box_stat_row *r)
{
	const struct box_info *in = &r->info;
	char a[16], b[16];
	kv(k, "name", "%s  %s", in->name, box_status_name(in->status));
	if (in->pid > 0)
		kv(k, "pid", "%d", (int)in->pid);
	if (in->has_exit_code || in->oom_killed)
		draw_exit(k, in);
	kv(k, "image", "%s", in->image);
	kv(k, "command", "%s", in->command);
	kv(k, "hostname", "%s", in->hostname[0] ? in->hostname : in->name);
	if (in->read_only)
		kv(k, "root", "read-only");
	/* whose ids its root has on the host (--userns auto) */
	if (in->userns && in->gid_base == in->uid_base)
		kv(k, "userns", "0->%u (%u)", in->uid_base, in->userns_size);
	else if (in->userns)
		kv(k, "userns", "uid 0->%u gid 0->%u (%u)", in->uid_base,
		   in->gid_base, in->userns_size);
	if (in->memory_limit)
		fmt_size(a, sizeof a, (double)in->memory_limit);
	else
		snprintf(a, sizeof a, "none");
	if (in->cpus > 0)
		snprintf(b, sizeof b, "%.2f", in->cpus);
	else
		snprintf(b, sizeof b, "all");
	char c[32];
	if (in->pids_limit)
		snprintf(c, sizeof c, "%lld", (long long)in->pids_limit);
	else
		snprintf(c, sizeof c, "none");
	kv(k, "limits", "mem %s  cpus %s  pids %s", a, b, c);
	/* one line per interface (eth0 and what `net connect` added) */
	if (!t->nifaces)
		kv(k, "network", "%s", in->net[0] ? in->net : "-");
	for (size_t i = 0; i < t->nifaces; i++)
		kv(k, i ? "" : "network", "%-6s %-15s %s  %s", t->ifaces[i].ifname,
		   t->ifaces[i].ip, t->ifaces[i].mac, t->ifaces[i].net);
	if (r->sampled) {
		fmt_size(a, sizeof a, (double)r->net_rx_bytes);
		fmt_size(b, sizeof b, (double)r->net_tx_bytes);
		kv(k, "traffic", "rx %s  tx %s  oom kills %llu", a, b,
		   (unsigned long long)r->oom_kills);
		/* disk totals and where they come from; n/a, never a 0
		 * nothing measured */
		fmt_size(a, sizeof a, (double)r->blk_rd_bytes);
		fmt_size(b, sizeof b, (double)r->blk_wr_bytes);
		if (r->io_src == BOX_IO_CGROUP)
			kv(k, "disk", "read %s  written %s  (cgroup io.stat)", a, b);
		else if (r->io_src == BOX_IO_PROCS)
			kv(k, "disk", "read %s  written %s  (its processes' /proc/PID/io)",
			   a, b);
		else
			kv(k, "disk", "n/a (no counter for its disk I/O here)");
	}
	kv(k, "cgroup", "%s", in->cgroup[0] ? in->cgroup : "-");
	if (!t->detail_cfg)
		return;
	json_error_t jerr;
	json_t *root = json_loads(t->detail_cfg, 0, &jerr);
	if (!root)
		return;
	json_t *cfg = config_of(root);
	char buf[512];
	json_t *ns = json_object_get(json_object_get(cfg, "linux"), "namespaces");
	join_array(ns, "type", buf, sizeof buf);
	kv(k, "namespaces", "%s", buf[0] ? buf : "-");
	json_t *mounts = json_object_get(cfg, "mounts");
	size_t i;
	json_t *m;
	json_array_foreach(mounts, i, m) {
		const char *dst = json_string_value(json_object_get(m, "destination"));
		const char *typ = json_string_value(json_object_get(m, "type"));
		const char *src = json_string_value(json_object_get(m, "source"));
		kv(k, i ? "" : "mounts", "%s %s %s", dst ? dst : "?",
		   typ ? typ : "", src ? src : "");
	}
	json_decref(root);
}

static void draw_procs(struct tui *t, WINDOW *w, int y, int x, int h, int wd)
{
	wattrset(w, theme_attr(R_COLTITLE));
	char line[512], fit[1024];
	snprintf(line, sizeof line, "%7s %-8s %5s %6s %-*s", "PID", "USER", "CPU%",
		 "RSS", wd > 31 ? wd - 31 : 1, "COMMAND");
	mvwaddnstr(w, y, x, line, wd);
	wattrset(w, theme_attr(R_NORMAL));
	if (!t->nprocs) {
		mvwaddnstr(w, y + 1, x, " (no processes: not running)", wd);
		return;
	}
	/* rows under the title; when they are too few, the last says how
	 * many processes are not shown instead of covering one */
	int rows = h - 1;
	int shown = (int)t->nprocs <= rows ? (int)t->nprocs : rows - 1;
	for (int i = 0; i < shown; i++) {
		const struct box_proc *p = &t->procs[i];
		char rss[16], user[64];
		fmt_size(rss, sizeof rss, (double)p->rss);
		fmt_fit(user, sizeof user, p->user, 8, FMT_CUT_MID);
		int pad = 8 - fmt_cols(user);
		snprintf(line, sizeof line, "%7d %s%*s %5.1f %6s %s", (int)p->pid,
			 user, pad > 0 ? pad : 0, "", p->cpu_pct, rss, p->command);
		fmt_fit(fit, sizeof fit, line, wd, FMT_CUT_END);
		mvwaddstr(w, y + 1 + i, x, fit);
	}
	if (shown < (int)t->nprocs && rows > 0) {
		snprintf(line, sizeof line, " %s %zu more processes (%zu in all)",
			 fmt_ellipsis(), t->nprocs - (size_t)shown, t->nprocs);
		fmt_fit(fit, sizeof fit, line, wd, FMT_CUT_END);
		mvwaddstr(w, y + 1 + shown, x, fit);
	}
}

void detail_draw(struct tui *t, WINDOW *w)
{
	werase(w);
	int h, wd;
	getmaxyx(w, h, wd);
	tui_hline(t, w, 0, 0, wd);
	const struct box_stat_row *r = tui_selected(t);
	char name[256], title[320];
	const char *rest = "  (Tab: none) ";
	fmt_fit(name, sizeof name, r ? r->info.name : "-",
		wd - 4 - (int)strlen(" detail: ") - (int)strlen(rest), FMT_CUT_MID);
	snprintf(title, sizeof title, " detail: %s%s", name, rest);
	wattrset(w, theme_attr(R_PANE_TITLE));
	mvwaddstr(w, 0, 2, title);
	if (!r) {
		wattrset(w, theme_attr(R_NORMAL));
		return;
	}
	detail_refresh(t, r);
	/* wide: config left, processes right; narrow: config, then processes
	 * (at least a third of the pane, when there are any) */
	static struct kvw k;
	k = (struct kvw){.w = w, .y = 1, .x = 1, .wd = wd - 2, .h = h - 1};
	if (wd >= 100) {
		k.wd = wd / 2 - 2;
		draw_config(t, &k, r);
		kv_flush(&k, h - 1, &t->detail_scroll);
		draw_procs(t, w, 1, wd / 2, h - 1, wd - wd / 2);
	} else {
		/* the processes take the rows they need, up to a third */
		draw_config(t, &k, r);
		int prows = (int)t->nprocs + 1;
		if (prows < 2)
			prows = 2;
		if (prows > (h - 1) / 3)
			prows = (h - 1) / 3;
		int cap = h - 1 - prows;
		int used = kv_flush(&k, k.n < cap ? k.n : cap, &t->detail_scroll);
		int py = 1 + used;
		if (h - py >= 2)
			draw_procs(t, w, py, 1, h - py, wd - 2);
	}
	wattrset(w, theme_attr(R_NORMAL));
}
