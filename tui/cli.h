/* cli.h - the command-line face: one function per command, a shared table.
 * Every TUI action is also a command here (that is how it is tested). */
#ifndef BOX_CLI_H
#define BOX_CLI_H

#include "box.h"

struct cli {
	const char *root;       /* --root, NULL: $BOXTOP_ROOT or default */
	bool json;              /* --json given anywhere */
	struct box_ctx *ctx;    /* opened by cli_ctx() on first use */
};

/* A command: argv[0] is the command name; returns the exit status. */
typedef int (*cli_fn)(struct cli *c, int argc, char **argv);

struct cli_cmd {
	const char *name;
	cli_fn fn;
	const char *usage;      /* one line, shown on usage errors */
	const char *help;       /* more lines for --help, or NULL */
};

/* The root context, opened once; NULL after printing the error. */
struct box_ctx *cli_ctx(struct cli *c);
/* For commands on containers that exist: the root is not made
 * (box_open_existing). */
struct box_ctx *cli_ctx_existing(struct cli *c);
/* Print "boxtop: <msg>" and return the exit status for the error kind
 * (2 for usage errors, 1 otherwise). */
int cli_fail(const struct box_err *err);
/* Print "boxtop: <cmd>: <fmt...>" plus the usage line; returns 2. */
int cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print a JSON value (jansson json_t *) with a newline; steals the ref. */
void cli_print_json(void *json);
/* Print (and free) text the core made, or, when it is NULL, the error:
 * the exit status. */
int cli_print_text(char *text, const struct box_err *err);
/* Call fn on each of n names, going on past failures (each printed);
 * the exit status: 0, or that of the last failure. */
int cli_each(struct box_ctx *ctx, char **names, int n,
	     int (*fn)(struct box_ctx *, const char *, struct box_err *));

/* A subcommand of a command group (image, profile, net). */
struct cli_sub {
	const char *name;
	cli_fn fn;
};
/* Run the subcommand argv[1] of group with argv shifted by one; usage
 * errors say want when it is missing. */
int cli_dispatch(struct cli *c, int argc, char **argv, const char *group,
		 const char *want, const struct cli_sub *subs, size_t n);

/* Commands defined in other files (tui/cli_*.c). */
int cli_net(struct cli *c, int argc, char **argv);      /* cli_net.c */
int cli_image(struct cli *c, int argc, char **argv);    /* cli_image.c */
int cli_profile(struct cli *c, int argc, char **argv);  /* cli_image.c */
int cli_commit(struct cli *c, int argc, char **argv);   /* cli_image.c */
int cli_list(struct cli *c, int argc, char **argv);     /* cli_ps.c: ls, ps */
int cli_stats(struct cli *c, int argc, char **argv);    /* cli_stats.c */
int cli_top(struct cli *c, int argc, char **argv);      /* cli_stats.c */

/* The full-screen TUI (tui/tui.c): argv holds the TUI's own options. */
int tui_main(struct cli *c, int argc, char **argv);

#endif
