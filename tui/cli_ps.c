/* cli_ps.c - `ls` and `ps`: the containers, as docker's ps lists them.
 *   ls  every container (boxtop's own habit);
 *   ps  running and paused ones, -a for all (docker's);
 * both: -q names only, --filter status=|name=|image= (repeatable; the
 * same key twice is either, different keys all), --json or --format json. */
#include "cli.h"
#include "cli_opts.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_FILTERS 16

struct filter {
	const char *key, *value;
};

static void fmt_age(time_t t, char *buf, size_t len)
{
	long d = t ? (long)(time(NULL) - t) : -1;
	if (d < 0)
		snprintf(buf, len, "-");
	else if (d < 60)
		snprintf(buf, len, "%lds", d);
	else if (d < 3600)
		snprintf(buf, len, "%ldm", d / 60);
	else if (d < 86400)
		snprintf(buf, len, "%ldh", d / 3600);
	else
		snprintf(buf, len, "%ldd", d / 86400);
}

static bool is_live(const struct box_info *i)
{
	return i->status == BOX_RUNNING || i->status == BOX_PAUSED;
}

/* One filter: name= matches a part of the name (as docker's), image= and
 * status= the whole value. */
static bool filter_hit(const struct box_info *i, const struct filter *f)
{
	if (!strcmp(f->key, "name"))
		return strstr(i->name, f->value) != NULL;
	if (!strcmp(f->key, "image"))
		return !strcmp(i->image, f->value);
	return !strcmp(box_status_name(i->status), f->value);
}

static bool shown(const struct box_info *i, bool all, const struct filter *f,
		  size_t nf)
{
	if (!all && !is_live(i))
		return false;
	for (size_t k = 0; k < nf; k++) {
		bool hit = false;
		/* filters with this key: any one matches */
		for (size_t j = 0; j < nf; j++)
			if (!strcmp(f[j].key, f[k].key))
				hit = hit || filter_hit(i, &f[j]);
		if (!hit)
			return false;
	}
	return true;
}

static int parse_filter(const char *cmd, const char *arg, struct filter *f)
{
	static const char *const keys[] = {"status", "name", "image"};
	static const char *const states[] = {"created", "running", "paused",
					     "stopped"};
	const char *eq = strchr(arg, '=');
	size_t klen = eq ? (size_t)(eq - arg) : 0;
	for (size_t k = 0; eq && k < sizeof keys / sizeof *keys; k++) {
		if (strlen(keys[k]) != klen || strncmp(arg, keys[k], klen))
			continue;
		f->key = keys[k];
		f->value = eq + 1;
		if (k != 0)
			return 0;
		for (size_t s = 0; s < sizeof states / sizeof *states; s++)
			if (!strcmp(f->value, states[s]))
				return 0;
		return cli_usage(cmd, "invalid --filter '%s': status is created, running, paused or stopped", arg);
	}
	return cli_usage(cmd, "invalid --filter '%s': expected status=, name= or image=", arg);
}

static void print_table(const struct box_info *v, size_t n)
{
	printf("%-20s %-8s %7s %-12s %-15s %6s %s\n", "NAME", "STATUS", "PID",
	       "IMAGE", "IP", "UP", "COMMAND");
	for (size_t i = 0; i < n; i++) {
		char age[32], st[32];
		fmt_age(is_live(&v[i]) ? v[i].started : 0, age, sizeof age);
		if (v[i].restarting)
			snprintf(st, sizeof st, "restarting");
		else if (v[i].status == BOX_STOPPED && v[i].oom_killed)
			snprintf(st, sizeof st, "OOM %d", v[i].exit_code);
		else if (v[i].status == BOX_STOPPED && v[i].has_exit_code)
			snprintf(st, sizeof st, "exit %d", v[i].exit_code);
		else
			snprintf(st, sizeof st, "%s", box_status_name(v[i].status));
		printf("%-20s %-8s %7d %-12s %-15s %6s %.40s\n", v[i].name, st,
		       (int)v[i].pid, v[i].image, *v[i].ip ? v[i].ip : "-", age,
		       v[i].command);
	}
}

/* The core's JSON list, keeping the entries named in keep. */
static int print_json(struct box_ctx *ctx, const struct box_info *keep,
		      size_t n)
{
	struct box_err err = {0};
	char *text = box_list_json(ctx, &err);
	if (!text)
		return cli_fail(&err);
	json_t *all = json_loads(text, 0, NULL);
	free(text);
	json_t *out = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(all, i, e) {
		const char *name = json_string_value(json_object_get(e, "name"));
		for (size_t k = 0; name && k < n; k++)
			if (!strcmp(keep[k].name, name))
				json_array_append(out, e);
	}
	json_decref(all);
	cli_print_json(out);
	return 0;
}

int cli_list(struct cli *c, int argc, char **argv)
{
	const char *cmd = argv[0];
	static const struct option longs[] = {
		{"all", no_argument, 0, 'a'}, {"quiet", no_argument, 0, 'q'},
		{"filter", required_argument, 0, 'f'},
		{"format", required_argument, 0, OPT_FORMAT},
		{"json", no_argument, 0, OPT_JSON}, {0, 0, 0, 0}};
	bool all = !strcmp(cmd, "ls"), quiet = false;
	struct filter f[MAX_FILTERS];
	size_t nf = 0;
	int opt;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "aqf:", longs, NULL)) != -1) {
		switch (opt) {
		case 'a': all = true; break;
		case 'q': quiet = true; break;
		case 'f':
			if (nf == MAX_FILTERS)
				return cli_usage(cmd, "at most %d --filter", MAX_FILTERS);
			if (parse_filter(cmd, optarg, &f[nf++]))
				return 2;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "json"))
				return cli_usage(cmd, "invalid --format '%s': only json", optarg);
			/* fall through */
		case OPT_JSON: c->json = true; break;
		default:
			return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	struct box_ctx *ctx = cli_ctx_existing(c);
	if (!ctx)
		return 1;
	struct box_err err = {0};
	if (c->json && all && !nf && !quiet) /* everything: no need to look */
		return cli_print_text(box_list_json(ctx, &err), &err);
	struct box_info *v;
	size_t n, k = 0;
	if (box_list(ctx, &v, &n, &err) < 0)
		return cli_fail(&err);
	for (size_t i = 0; i < n; i++)
		if (shown(&v[i], all, f, nf))
			v[k++] = v[i];
	int rc = 0;
	if (quiet)
		for (size_t i = 0; i < k; i++)
			puts(v[i].name);
	else if (c->json)
		rc = print_json(ctx, v, k);
	else
		print_table(v, k);
	free(v);
	return rc;
}
