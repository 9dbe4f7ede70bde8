/* main.c - boxtop's entry: global options, then a command, or the screen. */
#include "cli.h"
#include "cli_opts.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BOXTOP_VERSION "0.1.0"

extern const struct cli_cmd cli_container_cmds[];

static const struct cli_cmd other_cmds[] = {
	{"net", cli_net, "net create|ls|rm|info|connect|disconnect|ifaces ...",
	 "  net create NAME [--type bridge|macvlan] [--subnet CIDR] [--gateway IP]\n"
	 "                  [--parent IFACE] [--range A-B]\n"
	 "  net ls [--json] | net info NAME [--json] | net rm NAME...\n"
	 "  net connect CONTAINER NETWORK [--ip IP] | net disconnect CONTAINER NETWORK\n"
	 "  net ifaces CONTAINER [--json]   its interfaces with rx/tx counters\n"},
	{"image", cli_image, "image import|ls|info|rm|export ...",
	 "  image import NAME SOURCE [--description TEXT]   a directory, tarball or OCI layout\n"
	 "  image ls [--json] | image info NAME [--json] | image rm NAME...\n"
	 "  image export NAME FILE\n"},
	{"profile", cli_profile, "profile create|ls|show|rm ...",
	 "  profile create NAME [create options] [--replace]\n"
	 "  profile ls [--json] | profile show NAME | profile rm NAME...\n"},
	{"commit", cli_commit, "commit CONTAINER IMAGE [--description TEXT]", NULL},
	{NULL, NULL, NULL, NULL},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: boxtop [--root DIR] [TUI options]      the full-screen view\n"
		   "       boxtop [--root DIR] COMMAND [ARGS...]  one operation\n\n"
		   "commands:\n");
	for (const struct cli_cmd *t = cli_container_cmds; t->name; t++)
		if (t->usage)
			fprintf(f, "  %s\n", t->usage);
	for (const struct cli_cmd *t = other_cmds; t->name; t++)
		fprintf(f, "  %s\n%s", t->usage, t->help ? t->help : "");
	fprintf(f, "\n%s", CREATE_OPTIONS_HELP);
	fprintf(f, "\nTUI options: -d/--delay TENTHS, -n/--iterations N, --readonly, --theme NAME,\n"
		   "             -t/--time SECS (stop grace), --ascii, --block (graph glyphs),\n"
		   "             --no-color\n"
		   "Root: --root DIR or $BOXTOP_ROOT (default /var/lib/boxtop).\n"
		   "See boxtop(1).\n");
}

/* An fd 0-2 our caller closed would go to the next file we open, and
 * exec's and run's relay would then copy that file (a pidfd, a pipe of
 * ours) as if it were the caller's stdin or stdout: /dev/null takes the
 * place, as glibc does for setuid programs. */
static void stdio_fill(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			int n = open("/dev/null", O_RDWR); /* the lowest: fd */
			if (n > fd)
				close(n);
		}
}

static const struct cli_cmd *find(const char *name)
{
	for (const struct cli_cmd *t = cli_container_cmds; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	for (const struct cli_cmd *t = other_cmds; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

/* COMMAND ... --help (or -h) before any "--": the command's own usage. */
static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	/* One malloc arena for every thread: a few threads that allocate
	 * little (TUI worker, batch and rm helpers) gain nothing from arenas
	 * of their own, and a monitor forked after them would inherit each
	 * arena's pages and dirty them in malloc_trim (monitor_trim.c):
	 * ~30 kB more per monitor in a batch. */
	mallopt(M_ARENA_MAX, 1);
	stdio_fill();
	struct cli c = {0};
	int i = 1;
	/* Global options come before the command. */
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--root") || !strcmp(argv[i], "-r")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "boxtop: --root: missing DIR\n");
				return 2;
			}
			c.root = argv[++i];
		} else if (!strncmp(argv[i], "--root=", 7)) {
			c.root = argv[i] + 7;
		} else if (!strcmp(argv[i], "--json")) {
			c.json = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h") ||
			   (!strcmp(argv[i], "help") && i == 1)) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V")) {
			printf("boxtop %s\n", BOXTOP_VERSION);
			return 0;
		} else {
			break;
		}
	}
	int rc;
	if (i < argc && argv[i][0] != '-') {
		const struct cli_cmd *cmd = find(argv[i]);
		if (!cmd) {
			fprintf(stderr, "boxtop: unknown command '%s' (see 'boxtop help')\n",
				argv[i]);
			return 2;
		}
		if (wants_help(argc - i, argv + i)) {
			printf("usage: boxtop %s\n%sSee boxtop(1).\n",
			       cmd->usage ? cmd->usage : cmd->name,
			       cmd->help ? cmd->help : "");
			return 0;
		}
		rc = cmd->fn(&c, argc - i, argv + i);
	} else {
		/* No command: the screen, with whatever options follow. */
		rc = tui_main(&c, argc - i + 1, argv + i - 1);
	}
	if (c.ctx)
		box_close(c.ctx);
	return rc;
}
