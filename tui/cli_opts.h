/* cli_opts.h - parsing of the create options shared by create, run, batch. */
#ifndef BOX_CLI_OPTS_H
#define BOX_CLI_OPTS_H

#include "box.h"

#include <getopt.h>

/* Long-option ids for the create options (beyond single letters). */
enum {
	OPT_IMAGE = 1000, OPT_HOSTNAME, OPT_MEMORY, OPT_CPUS, OPT_CPU_SHARES,
	OPT_PIDS, OPT_ENV, OPT_MOUNT, OPT_NET, OPT_IP, OPT_DNS, OPT_PROFILE,
	OPT_VERIFY, OPT_TTY, OPT_RM, OPT_COUNT, OPT_JSON, OPT_ALL, OPT_TIME,
	OPT_SIGNAL, OPT_FORCE, OPT_FOLLOW, OPT_READ_ONLY,
	OPT_ATTACH, OPT_INTERACTIVE, OPT_FORMAT, OPT_DETACH, OPT_NO_STREAM,
	OPT_ENTRYPOINT, OPT_WORKDIR, OPT_USER, OPT_ENV_FILE,
	OPT_DEVICE, OPT_CAP_ADD, OPT_CAP_DROP, OPT_PRIVILEGED,
	OPT_TAIL,
};

#define CREATE_LONG_OPTS                                                      \
	{"image", required_argument, 0, OPT_IMAGE},                           \
	{"hostname", required_argument, 0, OPT_HOSTNAME},                     \
	{"memory", required_argument, 0, OPT_MEMORY},                         \
	{"cpus", required_argument, 0, OPT_CPUS},                             \
	{"cpu-shares", required_argument, 0, OPT_CPU_SHARES},                 \
	{"pids", required_argument, 0, OPT_PIDS},                             \
	{"env", required_argument, 0, OPT_ENV},                               \
	{"mount", required_argument, 0, OPT_MOUNT},                           \
	{"net", required_argument, 0, OPT_NET},                               \
	{"ip", required_argument, 0, OPT_IP},                                 \
	{"dns", required_argument, 0, OPT_DNS},                               \
	{"profile", required_argument, 0, OPT_PROFILE},                       \
	{"verify", required_argument, 0, OPT_VERIFY},                         \
	{"tty", no_argument, 0, OPT_TTY},                                     \
	{"read-only", no_argument, 0, OPT_READ_ONLY},                       \
	{"entrypoint", required_argument, 0, OPT_ENTRYPOINT},                 \
	{"workdir", required_argument, 0, OPT_WORKDIR},                       \
	{"user", required_argument, 0, OPT_USER},                             \
	{"env-file", required_argument, 0, OPT_ENV_FILE},                       \
	{"device", required_argument, 0, OPT_DEVICE},                         \
	{"cap-add", required_argument, 0, OPT_CAP_ADD},                       \
	{"cap-drop", required_argument, 0, OPT_CAP_DROP},                     \
	{"privileged", no_argument, 0, OPT_PRIVILEGED}

/* Options being collected; free with create_opts_free. */
struct create_args {
	struct box_create_opts o;
	char **owned;   /* strings read from --env-file, freed with it */
	size_t n_owned;
};

/* Handle one getopt result for the create options: 1 handled, 0 not a
 * create option, -1 bad value (message printed, exit 2 or 1). */
int create_opt(struct create_args *a, int opt, const char *arg,
	       const char *cmd);
void create_args_free(struct create_args *a);
/* The command to run: argv[first] on, when there is anything there. */
void create_args_cmd(struct create_args *a, int argc, char **argv, int first);
/* Parse a positive integer option strictly; prints the error. */
int parse_count(const char *cmd, const char *what, const char *s, long long min,
		long long max, long long *out);

#endif
