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

struct kvw {
	WINDOW *w;
	int y, x, wd, h;
};

static void kv(struct kvw *k, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void kv(struct kvw *k, const char *key, const char *fmt, ...)
{
	if (k->y >= k->h)
		return;
	char val[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(val, sizeof val, fmt, ap);
	va_end(ap);
	for (char *p = val; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	wattrset(k->w, theme_attr(R_PANE_TITLE));
	mvwaddnstr(k->w, k->y, k->x, key, k->wd);
	wattrset(k->w, theme_attr(R_NORMAL));
	int kw = 11;
	if (k->wd > kw)
		mvwaddnstr(k->w, k->y, k->x + kw, val, k->wd - kw);
	k->y++;
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
	kv(k, "cgroup", "%s", in->cgroup[0] ? in->cgroup : "-");
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
	}
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
	char line[512];
	snprintf(line, sizeof line, "%7s %-8s %5s %6s %-*s", "PID", "USER", "CPU%",
		 "RSS", wd > 31 ? wd - 31 : 1, "COMMAND");
	mvwaddnstr(w, y, x, line, wd);
	wattrset(w, theme_attr(R_NORMAL));
	if (!t->nprocs) {
		mvwaddnstr(w, y + 1, x, " (no processes: not running)", wd);
		return;
	}
	for (size_t i = 0; i < t->nprocs && (int)i < h - 1; i++) {
		const struct box_proc *p = &t->procs[i];
		char rss[16];
		fmt_size(rss, sizeof rss, (double)p->rss);
		snprintf(line, sizeof line, "%7d %-8.8s %5.1f %6s %s", (int)p->pid,
			 p->user, p->cpu_pct, rss, p->command);
		mvwaddnstr(w, y + 1 + (int)i, x, line, wd);
	}
	if ((int)t->nprocs > h - 1) {
		snprintf(line, sizeof line, " ... %zu processes", t->nprocs);
		mvwaddnstr(w, y + h - 1, x, line, wd);
	}
}

void detail_draw(struct tui *t, WINDOW *w)
{
	werase(w);
	int h, wd;
	getmaxyx(w, h, wd);
	tui_hline(t, w, 0, 0, wd);
	const struct box_stat_row *r = tui_selected(t);
	wattrset(w, theme_attr(R_PANE_TITLE));
	mvwprintw(w, 0, 2, " detail: %s  (Tab: none) ", r ? r->info.name : "-");
	if (!r) {
		wattrset(w, theme_attr(R_NORMAL));
		return;
	}
	detail_refresh(t, r);
	/* wide: config left, processes right; narrow: config, then processes */
	struct kvw k = {w, 1, 1, wd - 2, h};
	if (wd >= 100) {
		k.wd = wd / 2 - 2;
		draw_config(t, &k, r);
		draw_procs(t, w, 1, wd / 2, h - 1, wd - wd / 2);
	} else {
		k.h = h - (h - 1) / 3;
		draw_config(t, &k, r);
		int py = k.y < k.h ? k.y : k.h;
		if (h - py >= 2)
			draw_procs(t, w, py, 1, h - py, wd - 2);
	}
	wattrset(w, theme_attr(R_NORMAL));
}
