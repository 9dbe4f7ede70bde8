/* cli_image.c - image, profile and commit commands:
 *   boxtop image import NAME SOURCE [--description TEXT]
 *   boxtop image ls [--json] | info NAME [--json] | rm NAME... |
 *                export NAME FILE
 *   boxtop commit CONTAINER IMAGE [--description TEXT]
 *   boxtop profile create NAME [create options] [--replace] |
 *                  ls [--json] | show NAME | rm NAME... */
#include "cli.h"
#include "cli_opts.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { OPT_DESC = 2000, OPT_REPLACE };

static void human(int64_t n, char *buf, size_t len)
{
	static const char units[] = "BKMGT";
	double v = (double)n;
	int u = 0;
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%lldB", (long long)n);
	else
		snprintf(buf, len, "%.1f%c", v, units[u]);
}

/* Progress on a terminal only: scripts get clean stderr. */
struct progress {
	bool on;
	bool shown;
	uint64_t last_ms;
};

static void show_progress(void *arg, size_t done, size_t total,
			  const char *what)
{
	struct progress *p = arg;
	if (!p->on)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t now = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	if (p->shown && now - p->last_ms < 100 && done != total)
		return;
	p->last_ms = now;
	p->shown = true;
	char d[32], t[32];
	human((int64_t)done, d, sizeof d);
	if (total) {
		human((int64_t)total, t, sizeof t);
		fprintf(stderr, "\r\033[K%s: %s / %s (%d%%)", what, d, t,
			(int)(100.0 * (double)done / (double)total));
	} else
		fprintf(stderr, "\r\033[K%s: %s", what, d);
	fflush(stderr);
}

static void end_progress(struct progress *p)
{
	if (p->shown)
		fprintf(stderr, "\r\033[K");
}

/* getopt over argv with --json and --description; positional arguments
 * are gathered in order into pos. */
static int parse(struct cli *c, int argc, char **argv, const char *cmd,
		 const char **desc, char **pos, int max_pos, int *npos)
{
	static const struct option longs[] = {
		{"json", no_argument, 0, OPT_JSON},
		{"description", required_argument, 0, OPT_DESC},
		{0, 0, 0, 0}};
	optind = 1;
	opterr = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		if (opt == OPT_JSON)
			c->json = true;
		else if (opt == OPT_DESC && desc)
			*desc = optarg;
		else
			return cli_usage(cmd, "unknown option '%s'",
					 argv[optind - 1]);
	}
	*npos = 0;
	for (int i = optind; i < argc; i++) {
		if (*npos >= max_pos)
			return cli_usage(cmd, "unexpected argument '%s'",
					 argv[i]);
		pos[(*npos)++] = argv[i];
	}
	return 0;
}

static int image_import(struct cli *c, int argc, char **argv)
{
	const char *desc = NULL;
	char *pos[2];
	int n;
	if (parse(c, argc, argv, "image import", &desc, pos, 2, &n))
		return 2;
	if (n != 2)
		return cli_usage("image import", "want NAME SOURCE");
	struct box_ctx *ctx = cli_ctx(c);
	if (!ctx)
		return 1;
	struct progress p = {.on = isatty(2)};
	struct box_err err = {0};
	int rc = box_image_import(ctx, pos[0], pos[1], desc, show_progress, &p,
				  &err);
	end_progress(&p);
	if (rc < 0)
		return cli_fail(&err);
	struct box_image_info info;
	if (box_image_info_get(ctx, pos[0], &info, &err) == 0) {
		char sz[32];
		human(info.size, sz, sizeof sz);
		printf("imported %s: %zu layer%s, %s\n", info.name,
		       info.n_layers, info.n_layers == 1 ? "" : "s", sz);
	}
	return 0;
}

static json_t *info_json(const struct box_image_info *i)
{
	char created[32];
	struct tm tm;
	gmtime_r(&i->created, &tm);
	strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:s,s:s,s:b}",
			 "name", i->name, "description", i->description, "os",
			 i->os, "architecture", i->architecture, "created",
			 created, "source", i->source, "layers",
			 (json_int_t)i->n_layers, "size", (json_int_t)i->size,
			 "used_by", (json_int_t)i->used_by, "command",
			 i->command, "workdir", i->workdir, "builtin",
			 i->builtin);
}

static int image_ls(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int n;
	if (parse(c, argc, argv, "image ls", NULL, pos, 0, &n))
		return 2;
	struct box_ctx *ctx = cli_ctx(c);
	if (!ctx)
		return 1;
	struct box_image_info *list;
	size_t cnt;
	struct box_err err = {0};
	if (box_image_list(ctx, &list, &cnt, &err) < 0)
		return cli_fail(&err);
	if (c->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < cnt; i++)
			json_array_append_new(a, info_json(&list[i]));
		cli_print_json(a);
	} else {
		printf("%-20s %6s %9s %5s  %-20s %s\n", "NAME", "LAYERS", "SIZE",
		       "USED", "CREATED", "DESCRIPTION");
		for (size_t i = 0; i < cnt; i++) {
			char sz[32], created[32];
			human(list[i].size, sz, sizeof sz);
			struct tm tm;
			localtime_r(&list[i].created, &tm);
			strftime(created, sizeof created, "%Y-%m-%d %H:%M", &tm);
			printf("%-20s %6zu %9s %5zu  %-20s %s\n", list[i].name,
			       list[i].n_layers, sz, list[i].used_by, created,
			       list[i].description);
		}
	}
	free(list);
	return 0;
}

static int image_info(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int n;
	if (parse(c, argc, argv, "image info", NULL, pos, 1, &n))
		return 2;
	if (n != 1)
		return cli_usage("image info", "want NAME");
	struct box_ctx *ctx = cli_ctx(c);
	if (!ctx)
		return 1;
	struct box_err err = {0};
	char *text = box_image_json(ctx, pos[0], &err);
	if (c->json)
		return cli_print_text(text, &err);
	if (!text)
		return cli_fail(&err);
	json_t *j = json_loads(text, 0, NULL);
	free(text);
	struct box_image_info i;
	if (box_image_info_get(ctx, pos[0], &i, &err) < 0) {
		json_decref(j);
		return cli_fail(&err);
	}
	char sz[32], created[32];
	human(i.size, sz, sizeof sz);
	struct tm tm;
	localtime_r(&i.created, &tm);
	strftime(created, sizeof created, "%Y-%m-%d %H:%M:%S", &tm);
	printf("name:         %s\n", i.name);
	printf("description:  %s\n", i.description);
	printf("platform:     %s/%s\n", i.os, i.architecture);
	printf("created:      %s\n", created);
	printf("source:       %s\n", i.source);
	printf("command:      %s\n", i.command);
	printf("workdir:      %s\n", i.workdir);
	printf("size:         %s\n", sz);
	size_t k;
	json_t *v;
	printf("env:\n");
	json_array_foreach(json_object_get(j, "env"), k, v)
		printf("  %s\n", json_string_value(v));
	printf("layers (bottom first):\n");
	json_array_foreach(json_object_get(j, "layers"), k, v)
	{
		char lsz[32];
		human(json_integer_value(json_object_get(v, "size")), lsz,
		      sizeof lsz);
		printf("  %s  %s\n",
		       json_string_value(json_object_get(v, "digest")), lsz);
	}
	printf("used by:     ");
	json_array_foreach(json_object_get(j, "used_by"), k, v)
		printf(" %s", json_string_value(v));
	printf("%s\n", i.used_by ? "" : " (none)");
	json_decref(j);
	return 0;
}

/* image rm / profile rm NAME...: remove each, going on past failures. */
static int rm_names(struct cli *c, int argc, char **argv, const char *cmd,
		    int (*rm)(struct box_ctx *, const char *, struct box_err *))
{
	char *pos[64];
	int n;
	if (parse(c, argc, argv, cmd, NULL, pos, 64, &n))
		return 2;
	if (n < 1)
		return cli_usage(cmd, "want NAME...");
	struct box_ctx *ctx = cli_ctx(c);
	if (!ctx)
		return 1;
	return cli_each(ctx, pos, n, rm);
}

static int image_rm(struct cli *c, int argc, char **argv)
{
	return rm_names(c, argc, argv, "image rm", box_image_remove);
}

static int image_export(struct cli *c, int argc, char **argv)
{
	char *pos[2];
	int n;
	if (parse(c, argc, argv, "image export", NULL, pos, 2, &n))
		return 2;
	if (n != 2)
		return cli_usage("image export", "want NAME FILE");
	struct box_ctx *ctx = cli_ctx(c);
	if (!ctx)
		return 1;
	struct progress p = {.on = isatty(2)};
	struct box_err err = {0};
	int rc = box_image_export(ctx, pos[0], pos[1], show_progress, &p, &err);
	end_progress(&p);
	return rc < 0 ? cli_fail(&err) : 0;
}

int cli_image(struct cli *c, int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{"import", image_import}, {"ls", image_ls},
		{"list", image_ls},       {"info", image_info},
		{"rm", image_rm},         {"export", image_export}};
	return cli_dispatch(c, argc, argv, "image",
			    "want import, ls, info, rm or export", subs,
			    sizeof subs / sizeof subs[0]);
}

int cli_commit(struct cli *c, int argc, char **argv)
{
	const char *desc = NULL;
	char *pos[2];
	int n;
	if (parse(c, argc, argv, "commit", &desc, pos, 2, &n))
		return 2;
	if (n != 2)
		return cli_usage("commit", "want CONTAINER IMAGE");
	struct box_ctx *ctx = cli_ctx(c);
	if (!ctx)
		return 1;
	struct box_err err = {0};
	if (box_commit(ctx, pos[0], pos[1], desc, &err) < 0)
		return cli_fail(&err);
	printf("committed %s as image %s\n", pos[0], pos[1]);
	return 0;
}

/* ---- profiles ----------------------------------------------------------- */

static int profile_create(struct cli *c, int argc, char **argv)
{
	static const struct option longs[] = {
		CREATE_LONG_OPTS, {"replace", no_argument, 0, OPT_REPLACE},
		{"json", no_argument, 0, OPT_JSON}, {0, 0, 0, 0}};
	struct create_args a = {0};
	bool replace = false;
	const char *name = NULL;
	int opt, rc = 2;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "t", longs, NULL)) != -1) {
		if (opt == 't')
			opt = OPT_TTY;
		int r = create_opt(&a, opt, optarg, "profile create");
		if (r < 0)
			goto out;
		if (r > 0)
			continue;
		if (opt == OPT_REPLACE)
			replace = true;
		else if (opt == OPT_JSON)
			c->json = true;
		else {
			rc = cli_usage("profile create", "unknown option '%s'",
				       argv[optind - 1]);
			goto out;
		}
	}
	if (optind != argc - 1) {
		rc = cli_usage("profile create", "want one NAME");
		goto out;
	}
	name = argv[optind];
	if (a.o.profile || a.o.ip || a.o.hostname) {
		rc = cli_usage("profile create",
			       "--profile, --ip and --hostname are per "
			       "container, not profile settings");
		goto out;
	}
	struct box_ctx *ctx = cli_ctx(c);
	if (!ctx) {
		rc = 1;
		goto out;
	}
	struct box_err err = {0};
	rc = box_profile_save(ctx, name, &a.o, replace, &err) < 0
		     ? cli_fail(&err)
		     : 0;
out:
	create_args_free(&a);
	return rc;
}

static int profile_ls(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int n;
	if (parse(c, argc, argv, "profile ls", NULL, pos, 0, &n))
		return 2;
	struct box_ctx *ctx = cli_ctx(c);
	if (!ctx)
		return 1;
	char **names;
	size_t cnt;
	struct box_err err = {0};
	if (box_profile_list(ctx, &names, &cnt, &err) < 0)
		return cli_fail(&err);
	json_t *a = c->json ? json_array() : NULL;
	for (size_t i = 0; i < cnt; i++) {
		if (a) {
			char *text = box_profile_json(ctx, names[i], &err);
			json_t *p = text ? json_loads(text, 0, NULL) : NULL;
			free(text);
			if (!p)
				p = json_object();
			json_object_set_new(p, "name", json_string(names[i]));
			json_array_append_new(a, p);
		} else
			puts(names[i]);
		free(names[i]);
	}
	free(names);
	if (a)
		cli_print_json(a);
	return 0;
}

static int profile_show(struct cli *c, int argc, char **argv)
{
	char *pos[1];
	int n;
	if (parse(c, argc, argv, "profile show", NULL, pos, 1, &n))
		return 2;
	if (n != 1)
		return cli_usage("profile show", "want NAME");
	struct box_ctx *ctx = cli_ctx(c);
	if (!ctx)
		return 1;
	struct box_err err = {0};
	return cli_print_text(box_profile_json(ctx, pos[0], &err), &err);
}

static int profile_rm(struct cli *c, int argc, char **argv)
{
	return rm_names(c, argc, argv, "profile rm", box_profile_remove);
}

int cli_profile(struct cli *c, int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{"create", profile_create}, {"ls", profile_ls},
		{"list", profile_ls},       {"show", profile_show},
		{"rm", profile_rm}};
	return cli_dispatch(c, argc, argv, "profile",
			    "want create, ls, show or rm", subs,
			    sizeof subs / sizeof subs[0]);
}
