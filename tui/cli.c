/* cli.c - helpers shared by every command, and weak stand-ins for the
 * commands whose modules are not linked in. */
#include "cli.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static struct box_ctx *open_ctx(struct cli *c, bool make)
{
	if (c->ctx)
		return c->ctx;
	struct box_err err = {0};
	c->ctx = make ? box_open(c->root, &err) : box_open_existing(c->root, &err);
	if (!c->ctx)
		cli_fail(&err);
	return c->ctx;
}

struct box_ctx *cli_ctx(struct cli *c)
{
	return open_ctx(c, true);
}

struct box_ctx *cli_ctx_existing(struct cli *c)
{
	return open_ctx(c, false);
}

int cli_fail(const struct box_err *err)
{
	fprintf(stderr, "boxtop: %s\n", err->msg[0] ? err->msg : "failed");
	return err->kind == BOX_EUSAGE ? 2 : 1;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "boxtop: %s: %s (see 'boxtop help')\n", cmd, msg);
	return 2;
}

void cli_print_json(void *json)
{
	char *text = json_dumps(json, JSON_INDENT(2));
	if (text)
		puts(text);
	free(text);
	json_decref(json);
}

int cli_print_text(char *text, const struct box_err *err)
{
	if (!text)
		return cli_fail(err);
	puts(text);
	free(text);
	return 0;
}

int cli_each(struct box_ctx *ctx, char **names, int n,
	     int (*fn)(struct box_ctx *, const char *, struct box_err *))
{
	int rc = 0;
	for (int i = 0; i < n; i++) {
		struct box_err err = {0};
		if (fn(ctx, names[i], &err) < 0)
			rc = cli_fail(&err);
	}
	return rc;
}

int cli_dispatch(struct cli *c, int argc, char **argv, const char *group,
		 const char *want, const struct cli_sub *subs, size_t n)
{
	if (argc < 2)
		return cli_usage(group, "%s", want);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].fn(c, argc - 1, argv + 1);
	return cli_usage(group, "unknown subcommand '%s'", argv[1]);
}

/* Stand-ins, replaced by the real commands when their files are built. */
static int not_built(const char *what)
{
	fprintf(stderr, "boxtop: %s: not available in this build\n", what);
	return 1;
}
__attribute__((weak)) int cli_net(struct cli *c, int argc, char **argv)
{
	(void)c, (void)argc, (void)argv;
	return not_built("net");
}
__attribute__((weak)) int cli_image(struct cli *c, int argc, char **argv)
{
	(void)c, (void)argc, (void)argv;
	return not_built("image");
}
__attribute__((weak)) int cli_profile(struct cli *c, int argc, char **argv)
{
	(void)c, (void)argc, (void)argv;
	return not_built("profile");
}
__attribute__((weak)) int cli_commit(struct cli *c, int argc, char **argv)
{
	(void)c, (void)argc, (void)argv;
	return not_built("commit");
}
__attribute__((weak)) int tui_main(struct cli *c, int argc, char **argv)
{
	(void)c, (void)argc, (void)argv;
	return not_built("the screen");
}
