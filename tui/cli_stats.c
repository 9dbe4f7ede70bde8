/* cli_stats.c - `stats` and `top`: live figures outside the screen.
 *   stats [NAME...] [--no-stream] [--json]  as docker's stats: CPU %,
 *       memory used/limit, net and block rates, pids, every second
 *       (two samples first: a rate needs an interval);
 *   top NAME [--json]  the container's processes, host and container PIDs,
 *       as `ps` inside would number them. */
#include "cli.h"
#include "cli_opts.h"
#include "fmt.h"

#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static bool named(const char *name, char **names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return n == 0;
}

/* Block rates: null where nothing counts them (never a false 0). */
static json_t *io_rate(const struct box_stat_row *r, double v)
{
	return r->io_src == BOX_IO_NONE ? json_null() : json_real(v);
}

static json_t *row_json(const struct box_stat_row *r)
{
	static const char *const src[] = {
		[BOX_IO_NONE] = NULL, [BOX_IO_CGROUP] = "cgroup",
		[BOX_IO_PROCS] = "processes"};
	return json_pack("{s:s, s:s, s:f, s:I, s:I, s:I, s:f, s:f, s:o, s:o, s:s?}",
			 "name", r->info.name, "status",
			 box_status_name(r->info.status), "cpu_pct", r->cpu_pct,
			 "mem_bytes", (json_int_t)r->mem_bytes, "mem_limit",
			 (json_int_t)r->mem_limit, "pids", (json_int_t)r->pids,
			 "net_rx_bps", r->net_rx_bps, "net_tx_bps", r->net_tx_bps,
			 "blk_rd_bps", io_rate(r, r->blk_rd_bps), "blk_wr_bps",
			 io_rate(r, r->blk_wr_bps), "io_source", src[r->io_src]);
}

static void print_rows(const struct box_stat_row *rows, size_t n,
		       char **names, int nn, bool json)
{
	json_t *arr = json ? json_array() : NULL;
	if (!json)
		printf("%-20s %7s %17s %7s %17s %17s %6s\n", "NAME", "CPU %",
		       "MEM USAGE / LIMIT", "MEM %", "NET RX/TX /s",
		       "BLOCK R/W /s", "PIDS");
	for (size_t i = 0; i < n; i++) {
		const struct box_stat_row *r = &rows[i];
		if (!r->sampled || !named(r->info.name, names, nn))
			continue;
		if (json) {
			json_array_append_new(arr, row_json(r));
			continue;
		}
		char mem[8], lim[8] = "-", rx[8], tx[8], rd[8], wr[8], pct[8] = "-";
		fmt_size(mem, sizeof mem, (double)r->mem_bytes);
		if (r->mem_limit) {
			fmt_size(lim, sizeof lim, (double)r->mem_limit);
			snprintf(pct, sizeof pct, "%.1f",
				 100.0 * (double)r->mem_bytes / (double)r->mem_limit);
		}
		fmt_size(rx, sizeof rx, r->net_rx_bps);
		fmt_size(tx, sizeof tx, r->net_tx_bps);
		fmt_size(rd, sizeof rd, r->blk_rd_bps);
		fmt_size(wr, sizeof wr, r->blk_wr_bps);
		char memcol[24], netcol[24], blkcol[24];
		snprintf(memcol, sizeof memcol, "%s / %s", mem, lim);
		snprintf(netcol, sizeof netcol, "%s / %s", rx, tx);
		if (r->io_src == BOX_IO_NONE)
			snprintf(blkcol, sizeof blkcol, "n/a");
		else
			snprintf(blkcol, sizeof blkcol, "%s / %s", rd, wr);
		printf("%-20s %7.1f %17s %7s %17s %17s %6llu\n", r->info.name,
		       r->cpu_pct, memcol, pct, netcol, blkcol,
		       (unsigned long long)r->pids);
	}
	if (json)
		cli_print_json(arr);
	fflush(stdout);
}

int cli_stats(struct cli *c, int argc, char **argv)
{
	const char *cmd = argv[0];
	static const struct option longs[] = {
		{"no-stream", no_argument, 0, OPT_NO_STREAM},
		{"json", no_argument, 0, OPT_JSON}, {0, 0, 0, 0}};
	bool once = false;
	int opt;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		if (opt == OPT_NO_STREAM)
			once = true;
		else if (opt == OPT_JSON)
			c->json = true;
		else
			return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
	}
	struct box_ctx *ctx = cli_ctx_existing(c);
	if (!ctx)
		return 1;
	struct box_err err = {0};
	char **names = argv + optind;
	int nn = argc - optind;
	for (int i = 0; i < nn; i++) {
		struct box_info info;
		if (box_info_get(ctx, names[i], &info, &err) < 0)
			return cli_fail(&err);
	}
	struct box_stats *st = box_stats_new(ctx, &err);
	if (!st)
		return cli_fail(&err);
	int rc = 0;
	bool tty = isatty(1);
	/* one container asked for: its disk I/O is measured even where the
	 * cgroup cannot count it (box_stats_focus) */
	if (nn == 1)
		box_stats_focus(st, names[0]);
	if (box_stats_sample(st, &err) < 0)
		goto fail;
	for (;;) {
		sleep(1);
		if (box_stats_sample(st, &err) < 0)
			goto fail;
		const struct box_stat_row *rows;
		size_t n = box_stats_rows(st, &rows);
		if (tty && !once && !c->json)
			fputs("\033[H\033[J", stdout); /* a fresh screen, as docker's */
		print_rows(rows, n, names, nn, c->json);
		if (once)
			break;
	}
	box_stats_free(st);
	return rc;
fail:
	box_stats_free(st);
	return cli_fail(&err);
}

int cli_top(struct cli *c, int argc, char **argv)
{
	const char *cmd = argv[0];
	static const struct option longs[] = {
		{"json", no_argument, 0, OPT_JSON}, {0, 0, 0, 0}};
	int opt;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		if (opt != OPT_JSON)
			return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
		c->json = true;
	}
	if (optind != argc - 1)
		return cli_usage(cmd, "expected exactly one container NAME");
	const char *name = argv[optind];
	struct box_ctx *ctx = cli_ctx_existing(c);
	if (!ctx)
		return 1;
	struct box_err err = {0};
	struct box_info info;
	if (box_info_get(ctx, name, &info, &err) < 0)
		return cli_fail(&err);
	if (info.status != BOX_RUNNING && info.status != BOX_PAUSED) {
		box_fail(&err, BOX_ESTATE, 0, "top %s: not running (%s)", name,
			 box_status_name(info.status));
		return cli_fail(&err);
	}
	struct box_stats *st = box_stats_new(ctx, &err);
	struct box_proc *p = NULL;
	size_t n = 0;
	if (!st || box_stats_sample(st, &err) < 0 ||
	    box_stats_procs(st, name, &p, &n, &err) < 0) {
		box_stats_free(st);
		return cli_fail(&err);
	}
	json_t *arr = c->json ? json_array() : NULL;
	if (!c->json)
		printf("%7s %7s %7s %-10s %1s %6s %s\n", "PID", "CT PID", "PPID",
		       "USER", "S", "RSS", "COMMAND");
	for (size_t i = 0; i < n; i++) {
		if (arr) {
			json_array_append_new(arr, json_pack(
				"{s:i, s:i, s:i, s:s, s:s#, s:I, s:s}", "pid",
				(int)p[i].pid, "ns_pid", (int)p[i].ns_pid, "ppid",
				(int)p[i].ppid, "user", p[i].user, "state",
				&p[i].state, (size_t)1, "rss", (json_int_t)p[i].rss,
				"command", p[i].command));
			continue;
		}
		char rss[8];
		fmt_size(rss, sizeof rss, (double)p[i].rss);
		printf("%7d %7d %7d %-10.10s %c %6s %s\n", (int)p[i].pid,
		       (int)p[i].ns_pid, (int)p[i].ppid, p[i].user, p[i].state,
		       rss, p[i].command);
	}
	if (arr)
		cli_print_json(arr);
	free(p);
	box_stats_free(st);
	return 0;
}
