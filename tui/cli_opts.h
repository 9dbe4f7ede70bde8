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
	OPT_TAIL, OPT_RESTART, OPT_BOOT, OPT_SECURITY_OPT, OPT_USERNS,
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
	{"env-file", required_argument, 0, OPT_ENV_FILE},                     \
	{"restart", required_argument, 0, OPT_RESTART},                       \
	{"device", required_argument, 0, OPT_DEVICE},                         \
	{"cap-add", required_argument, 0, OPT_CAP_ADD},                       \
	{"cap-drop", required_argument, 0, OPT_CAP_DROP},                     \
	{"privileged", no_argument, 0, OPT_PRIVILEGED},                       \
	{"security-opt", required_argument, 0, OPT_SECURITY_OPT},             \
	{"userns", required_argument, 0, OPT_USERNS}

/* --help of create, run, batch and profile create: every create option. */
#define CREATE_OPTIONS_HELP \
"create options:\n" \
"  --image IMG            the image (default busybox)\n" \
"  --hostname H           letters, digits, '-', '.', '_' (default: the name)\n" \
"  --memory SIZE          memory limit (B, K, M, G, T; at least 6M)\n" \
"  --cpus N.N             CPU quota (at most the host's CPUs)\n" \
"  --cpu-shares N         relative weight, 2..262144\n" \
"  --pids N|max           tasks limit (default 2048)\n" \
"  -e, --env K=V          environment (repeatable)\n" \
"  --env-file FILE        KEY=VALUE lines (repeatable)\n" \
"  --mount SRC:DST[:ro]   bind mount with its submounts (repeatable)\n" \
"  --net NET              none, host, or a network (default boxtop0)\n" \
"  --ip IP                a fixed address on that network\n" \
"  --dns IP               resolv.conf nameserver\n" \
"  --profile NAME         a profile's defaults first\n" \
"  --verify PATH          check the image layers' copy of PATH at each start\n" \
"                         (the image layers only, not the container's own)\n" \
"  -t, --tty              a pty as the console\n" \
"  --read-only            the image is the root, read-only\n" \
"  --entrypoint CMD       replace the image's ENTRYPOINT (and its CMD)\n" \
"  -w, --workdir DIR      working directory (absolute)\n" \
"  -u, --user UID[:GID]   run as (numbers)\n" \
"  --device HOST[:CT][:rwm]  pass a host device (repeatable)\n" \
"  --cap-add CAP, --cap-drop CAP|ALL  change the capability set\n" \
"  --privileged           every capability and device, no seccomp filter\n" \
"                         (loudly unsafe)\n" \
"  --security-opt seccomp=unconfined|PROFILE.json\n" \
"                         no seccomp filter, or a Docker JSON profile\n" \
"                         instead of Docker's default\n" \
"  --restart POLICY       no, on-failure[:N], always, unless-stopped\n" \
"  --userns auto|host     auto: root is an unprivileged slice of host ids\n"

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
