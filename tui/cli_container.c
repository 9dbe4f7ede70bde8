/* cli_container.c - the container commands: create, run, start, stop, kill,
 * freeze, thaw, rm, batch, ls, info, exec, attach, logs. */
#include "cli.h"
#include "cli_opts.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const struct option create_run_longs[] = {
	CREATE_LONG_OPTS, {"rm", no_argument, 0, OPT_RM},
	{"detach", no_argument, 0, OPT_DETACH},
	{"json", no_argument, 0, OPT_JSON}, {0, 0, 0, 0}};

/* One pass of getopt over create/run options; 0, or the exit status. */
static int parse_create_run(struct cli *c, int argc, char **argv, bool run,
			    struct create_args *a, bool *rm, bool *detach)
{
	const char *cmd = run ? "run" : "create";
	int opt;
	optind = 1;
	opterr = 0;
	/* docker's short forms: -t, -e, -u, -w (and run's -d) */
	static const int shorts[][2] = {{'t', OPT_TTY}, {'d', OPT_DETACH},
		{'e', OPT_ENV}, {'u', OPT_USER}, {'w', OPT_WORKDIR}};
	while ((opt = getopt_long(argc, argv, run ? "+tde:u:w:" : "+te:u:w:",
				  create_run_longs, NULL)) != -1) {
		for (size_t i = 0; i < sizeof shorts / sizeof *shorts; i++)
			if (opt == shorts[i][0])
				opt = shorts[i][1];
		int r = create_opt(a, opt, optarg, cmd);
		if (r < 0)
			return 2;
		if (r > 0)
			continue;
		if (opt == OPT_RM && run)
			*rm = true;
		else if (opt == OPT_DETACH && run)
			*detach = true;
		else if (opt == OPT_JSON)
			c->json = true;
		else
			return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
	}
	return 0;
}

/* Containers without --net join the default network, made on first use:
 * say so, with the subnet chosen for it (it must not clash with the
 * host's routes, and the user should know what was picked). */
static void note_default_net(struct box_ctx *ctx, const char *net)
{
	struct box_net_info info;
	bool created = false;
	if (net || box_net_ensure_default(ctx, &info, &created, NULL) < 0 ||
	    !created)
		return;
	fprintf(stderr, "boxtop: made network %s: bridge %s, subnet %s, gateway %s\n",
		info.name, info.bridge, info.subnet, info.gateway);
}

/* The root for create and batch, with the default-network note. */
static struct box_ctx *ctx_for_create(struct cli *c, const char *net)
{
	struct box_ctx *ctx = cli_ctx(c);
	if (ctx)
		note_default_net(ctx, net);
	return ctx;
}

/* run -d: create and start under its monitor, print the name (docker
 * prints an id); with --rm the monitor removes it when it exits. */
static int run_detached(struct cli *c, struct box_ctx *ctx,
			struct box_create_opts *o, bool rm)
{
	struct box_err err = {0};
	o->auto_remove = rm;
	if (box_create(ctx, o, &err) < 0)
		return cli_fail(&err);
	if (box_start(ctx, o->name, &err) < 0) {
		int rc = cli_fail(&err);
		if (rm)
			box_remove(ctx, o->name, true, NULL);
		return rc;
	}
	if (!c->json)
		printf("%s\n", o->name);
	return 0;
}

/* create NAME [options] [-- CMD ARGS...] and run (same plus --rm).
 * Options may stand before or after NAME. */
static int create_or_run(struct cli *c, int argc, char **argv, bool run)
{
	const char *cmd = argv[0];
	struct create_args a = {0};
	bool rm = false, detach = false;
	int rc = parse_create_run(c, argc, argv, run, &a, &rm, &detach);
	if (rc)
		goto out;
	rc = 2;
	if (optind >= argc) {
		rc = cli_usage(cmd, "missing container NAME");
		goto out;
	}
	a.o.name = argv[optind++];
	if (optind < argc && argv[optind][0] == '-' && strcmp(argv[optind], "--")) {
		/* getopt stops at NAME: go on from there as if it were argv[0] */
		argv += optind - 1;
		argc -= optind - 1;
		if ((rc = parse_create_run(c, argc, argv, run, &a, &rm, &detach)))
			goto out;
		rc = 2;
	}
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	create_args_cmd(&a, argc, argv, optind);
	/* `run` of a container that exists creates nothing: no default
	 * network either */
	struct box_ctx *ctx = cli_ctx(c);
	if (ctx && !(run && box_exists(ctx, a.o.name)))
		note_default_net(ctx, a.o.net);
	if (!ctx) {
		rc = 1;
		goto out;
	}
	struct box_err err = {0};
	if (!run) {
		rc = box_create(ctx, &a.o, &err) < 0 ? cli_fail(&err) : 0;
		if (rc == 0 && !c->json)
			printf("%s\n", a.o.name);
		goto out;
	}
	if (detach) {
		rc = run_detached(c, ctx, &a.o, rm);
		goto out;
	}
	/* run: a terminal on stdin means an interactive console, as -t. */
	if (isatty(0) && isatty(1))
		a.o.tty = true;
	int code = 0;
	if (box_run(ctx, &a.o, rm, &code, &err) < 0)
		rc = cli_fail(&err);
	else
		rc = code;
out:
	create_args_free(&a);
	return rc;
}

static int cmd_create(struct cli *c, int argc, char **argv)
{
	return create_or_run(c, argc, argv, false);
}

static int cmd_run(struct cli *c, int argc, char **argv)
{
	return create_or_run(c, argc, argv, true);
}

static int parse_signal(const char *s)
{
	static const struct {
		const char *name;
		int sig;
	} sigs[] = {
		{"HUP", SIGHUP}, {"INT", SIGINT}, {"QUIT", SIGQUIT},
		{"KILL", SIGKILL}, {"USR1", SIGUSR1}, {"USR2", SIGUSR2},
		{"TERM", SIGTERM}, {"CONT", SIGCONT}, {"STOP", SIGSTOP},
		{"ALRM", SIGALRM}, {"WINCH", SIGWINCH},
	};
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (!strcasecmp(s, sigs[i].name))
			return sigs[i].sig;
	char *end;
	long v = strtol(s, &end, 10);
	if (*s && !*end && v > 0 && v < NSIG)
		return (int)v;
	return -1;
}

/* Commands that act on NAME... or --all. */
enum act { ACT_START, ACT_STOP, ACT_KILL, ACT_FREEZE, ACT_THAW, ACT_RM, ACT_RESTART };

static int act_one(struct box_ctx *ctx, enum act act, const char *name,
		   int grace, int sig, bool force, struct box_err *err)
{
	switch (act) {
	case ACT_START: return box_start(ctx, name, err);
	case ACT_STOP: return box_stop(ctx, name, grace, err);
	case ACT_KILL: return box_kill(ctx, name, sig, err);
	case ACT_FREEZE: return box_freeze(ctx, name, err);
	case ACT_THAW: return box_thaw(ctx, name, err);
	case ACT_RM: return box_remove(ctx, name, force, err);
	case ACT_RESTART: return box_start(ctx, name, err); /* once stopped */
	}
	return -1;
}

/* With --all, which containers an action makes sense for. */
static bool all_applies(enum act act, enum box_status s)
{
	bool live = s == BOX_RUNNING || s == BOX_PAUSED;
	if (s == BOX_REMOVING) /* half removed: rm finishes it, nothing else */
		return act == ACT_RM;
	switch (act) {
	case ACT_START: return !live;
	case ACT_STOP:
	case ACT_KILL: return live;
	case ACT_FREEZE: return s == BOX_RUNNING;
	case ACT_THAW: return s == BOX_PAUSED;
	case ACT_RM:
	case ACT_RESTART: return true;
	}
	return false;
}

/* start --boot: one line per container, as it goes */
static void boot_report(void *arg, const char *name, const struct box_err *err)
{
	(void)arg;
	if (err)
		cli_fail(err);
	else
		printf("%s\n", name);
}

static int cmd_act(struct cli *c, int argc, char **argv, enum act act)
{
	const char *cmd = argv[0];
	static const struct option longs[] = {
		{"all", no_argument, 0, OPT_ALL}, {"time", required_argument, 0, OPT_TIME},
		{"signal", required_argument, 0, OPT_SIGNAL},
		{"force", no_argument, 0, OPT_FORCE}, {"json", no_argument, 0, OPT_JSON},
		{"attach", no_argument, 0, OPT_ATTACH},
		{"boot", no_argument, 0, OPT_BOOT}, {0, 0, 0, 0}};
	bool all = false, force = false, attach = false, boot = false;
	long long grace = 10;
	int sig = SIGKILL, opt;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "at:s:f", longs, NULL)) != -1) {
		switch (opt) {
		case 'a': /* start -a attaches, as docker's; elsewhere: --all */
			if (act == ACT_START)
				attach = true;
			else
				all = true;
			break;
		case OPT_ATTACH:
			if (act != ACT_START)
				return cli_usage(cmd, "--attach is for start");
			attach = true;
			break;
		case OPT_ALL: all = true; break;
		case OPT_BOOT:
			if (act != ACT_START)
				return cli_usage(cmd, "--boot is for start");
			boot = true;
			break;
		case 't':
		case OPT_TIME:
			if (act != ACT_STOP && act != ACT_RESTART)
				return cli_usage(cmd, "--time is for stop and restart");
			if (parse_count(cmd, "--time", optarg, 0, 3600, &grace) < 0)
				return 2;
			break;
		case 's':
		case OPT_SIGNAL:
			if (act != ACT_KILL)
				return cli_usage(cmd, "--signal is for kill");
			sig = parse_signal(optarg);
			if (sig < 0) {
				fprintf(stderr, "boxtop: kill: invalid signal '%s': use a name like TERM or a number\n",
					optarg);
				return 2;
			}
			break;
		case 'f':
		case OPT_FORCE:
			if (act != ACT_RM)
				return cli_usage(cmd, "--force is for rm");
			force = true;
			break;
		case OPT_JSON: c->json = true; break;
		default:
			return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (boot) {
		if (all || attach || optind < argc)
			return cli_usage(cmd, "start --boot takes no NAME");
		struct box_ctx *ctx = cli_ctx_existing(c);
		struct box_err err = {0};
		if (!ctx)
			return 1;
		return box_start_boot(ctx, boot_report, NULL, &err) < 0 ? 1 : 0;
	}
	if (all == (optind < argc))
		return cli_usage(cmd, all ? "give NAMEs or --all, not both"
					  : "missing container NAME (or --all)");
	if (attach && (all || argc - optind != 1))
		return cli_usage(cmd, "start --attach takes one container NAME");
	struct box_ctx *ctx = cli_ctx_existing(c);
	if (!ctx)
		return 1;
	struct box_err err = {0};
	int rc = 0;
	if (attach) {
		int code = 0;
		return box_start_attached(ctx, argv[optind], &code, &err) < 0
			       ? cli_fail(&err) : code;
	}
	/* The names to act on: those given, or every container it applies to. */
	struct box_info *v = NULL;
	size_t n = 0, k = 0;
	char **names, **listed = NULL;
	/* stop and rm --force look at each state themselves (only running
	 * ones are stopped; rm --force takes all): their names are enough,
	 * not a full info of every container (~0.1 ms each) */
	bool by_name = all && (act == ACT_STOP || (act == ACT_RM && force));
	if (by_name) {
		if (box_list_names(ctx, &listed, &n, &err) < 0)
			return cli_fail(&err);
		names = listed;
		k = n;
	} else if (all) {
		if (box_list(ctx, &v, &n, &err) < 0)
			return cli_fail(&err);
		names = calloc(n + 1, sizeof *names);
		for (size_t i = 0; names && i < n; i++) {
			bool live = v[i].status == BOX_RUNNING || v[i].status == BOX_PAUSED;
			/* rm --all removes running ones only with --force */
			if (all_applies(act, v[i].status) && !(act == ACT_RM && !force && live))
				names[k++] = v[i].name;
		}
	} else {
		names = calloc((size_t)(argc - optind) + 1, sizeof *names);
		for (int i = optind; names && i < argc; i++)
			names[k++] = argv[i];
	}
	if (!names && !(by_name && n == 0)) { /* no container: nothing to do */
		free(v);
		return 1;
	}
	if (act == ACT_STOP || act == ACT_RM) {
		/* One call for all: they are signalled together, then waited;
		 * every failure is its own line, in the order given. */
		struct box_err *errs = calloc(k ? k : 1, sizeof *errs);
		if (!errs) {
			box_fail(&err, BOX_ESYS, ENOMEM, "%s", cmd);
			rc = cli_fail(&err);
		} else if (act == ACT_STOP ? box_stop_each(ctx, names, k, (int)grace, errs)
					   : box_remove_each(ctx, names, k, force, errs)) {
			for (size_t i = 0; i < k; i++)
				if (errs[i].kind != BOX_EOK)
					cli_fail(&errs[i]);
			rc = 1;
		}
		free(errs);
	} else {
		/* restart: all stopped at once (as stop), then each started */
		bool stopped = act != ACT_RESTART ||
			       box_stop_many(ctx, names, k, (int)grace, &err) == 0;
		if (!stopped)
			rc = cli_fail(&err);
		for (size_t i = 0; stopped && i < k; i++) {
			box_err_clear(&err);
			if (act_one(ctx, act, names[i], (int)grace, sig, force, &err) < 0)
				rc = cli_fail(&err);
		}
	}
	if (listed)
		box_names_free(listed, n);
	else
		free(names);
	free(v);
	return rc;
}

static int cmd_start(struct cli *c, int argc, char **argv) { return cmd_act(c, argc, argv, ACT_START); }
static int cmd_stop(struct cli *c, int argc, char **argv) { return cmd_act(c, argc, argv, ACT_STOP); }
static int cmd_kill(struct cli *c, int argc, char **argv) { return cmd_act(c, argc, argv, ACT_KILL); }
static int cmd_freeze(struct cli *c, int argc, char **argv) { return cmd_act(c, argc, argv, ACT_FREEZE); }
static int cmd_thaw(struct cli *c, int argc, char **argv) { return cmd_act(c, argc, argv, ACT_THAW); }
static int cmd_restart(struct cli *c, int argc, char **argv) { return cmd_act(c, argc, argv, ACT_RESTART); }
static int cmd_rm(struct cli *c, int argc, char **argv) { return cmd_act(c, argc, argv, ACT_RM); }

static void batch_progress(void *arg, size_t done, size_t total, const char *name)
{
	(void)arg;
	if (isatty(2))
		fprintf(stderr, "\r%zu/%zu %s\033[K", done, total, name);
	if (done == total && isatty(2))
		fputc('\n', stderr);
}

static int cmd_batch(struct cli *c, int argc, char **argv)
{
	const char *cmd = argv[0];
	static const struct option longs[] = {
		CREATE_LONG_OPTS, {"count", required_argument, 0, OPT_COUNT},
		{"json", no_argument, 0, OPT_JSON}, {0, 0, 0, 0}};
	struct create_args a = {0};
	long long count = -1;
	const char *base_ip = NULL;
	int opt, rc = 2;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "n:", longs, NULL)) != -1) {
		if (opt == OPT_IP) {
			base_ip = optarg;
			continue;
		}
		int r = create_opt(&a, opt, optarg, cmd);
		if (r < 0)
			goto out;
		if (r > 0)
			continue;
		if (opt == OPT_COUNT || opt == 'n') {
			if (parse_count(cmd, "--count", optarg, 1, 10000, &count) < 0)
				goto out;
		} else if (opt == OPT_JSON) {
			c->json = true;
		} else {
			rc = cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
			goto out;
		}
	}
	if (optind >= argc) {
		rc = cli_usage(cmd, "missing BASE name");
		goto out;
	}
	if (count < 0) {
		rc = cli_usage(cmd, "missing --count N");
		goto out;
	}
	const char *base = argv[optind++];
	create_args_cmd(&a, argc, argv, optind);
	struct box_ctx *ctx = ctx_for_create(c, a.o.net);
	if (!ctx) {
		rc = 1;
		goto out;
	}
	struct box_err err = {0};
	rc = box_batch(ctx, base, (size_t)count, base_ip, &a.o, batch_progress,
		       NULL, &err) < 0
		     ? cli_fail(&err)
		     : 0;
out:
	create_args_free(&a);
	return rc;
}

/* getopt for a command whose only option is one flag: the long option
 * id, or the letter (0: none) in shorts; sets *on when given.  0, or the
 * usage exit status. */
static int parse_one_flag(int argc, char **argv, const char *shorts,
			  const struct option *longs, int letter, int id,
			  bool *on)
{
	int opt;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (opt != id && !(letter && opt == letter))
			return cli_usage(argv[0], "unknown option '%s'", argv[optind - 1]);
		*on = true;
	}
	return 0;
}

/* Commands whose only option is --json; 0 or the usage exit status. */
static int parse_json_only(struct cli *c, int argc, char **argv)
{
	static const struct option longs[] = {{"json", no_argument, 0, OPT_JSON},
					      {0, 0, 0, 0}};
	return parse_one_flag(argc, argv, "", longs, 0, OPT_JSON, &c->json);
}

static int cmd_info(struct cli *c, int argc, char **argv)
{
	int rc = parse_json_only(c, argc, argv);
	if (rc)
		return rc;
	if (optind != argc - 1)
		return cli_usage(argv[0], "expected exactly one container NAME");
	struct box_ctx *ctx = cli_ctx_existing(c);
	if (!ctx)
		return 1;
	struct box_err err = {0};
	if (c->json)
		return cli_print_text(box_info_json(ctx, argv[optind], &err), &err);
	struct box_info i;
	if (box_info_get(ctx, argv[optind], &i, &err) < 0)
		return cli_fail(&err);
	char created[32] = "-", started[32] = "-";
	if (i.created)
		strftime(created, sizeof created, "%Y-%m-%d %H:%M:%S", localtime(&i.created));
	if (i.started)
		strftime(started, sizeof started, "%Y-%m-%d %H:%M:%S", localtime(&i.started));
	struct box_net_iface *ifs = NULL;
	size_t nif = 0;
	if (box_net_ifaces(ctx, argv[optind], 0, &ifs, &nif, &err) < 0)
		return cli_fail(&err);
	printf("Name:      %s\nStatus:    %s\nPID:       %d\nImage:     %s\n"
	       "Command:   %s\nHostname:  %s\n",
	       i.name, box_status_name(i.status), (int)i.pid, i.image, i.command,
	       i.hostname);
	/* every interface, eth0 and what `net connect` added */
	if (!nif)
		printf("Network:   %s%s%s\n", i.net, *i.ip ? " " : "", i.ip);
	for (size_t f = 0; f < nif; f++)
		printf("%s%s %s %s %s\n", f ? "           " : "Network:   ",
		       ifs[f].ifname, ifs[f].net, ifs[f].ip, ifs[f].mac);
	free(ifs);
	printf("Cgroup:    %s\nCreated:   %s\nStarted:   %s\n", i.cgroup,
	       created, started);
	if (i.read_only)
		printf("Root:      read-only\n");
	printf("Seccomp:   %s\n", i.seccomp);
	if (i.userns && i.gid_base == i.uid_base)
		printf("Userns:    0->%u (%u)\n", i.uid_base, i.userns_size);
	else if (i.userns)
		printf("Userns:    uid 0->%u, gid 0->%u (%u)\n", i.uid_base,
		       i.gid_base, i.userns_size);
	if (i.memory_limit)
		printf("Memory:    %lld bytes\n", (long long)i.memory_limit);
	if (i.cpus > 0)
		printf("CPUs:      %.2f\n", i.cpus);
	if (i.pids_limit)
		printf("Pids:      %lld\n", (long long)i.pids_limit);
	if (strcmp(i.restart_policy, "no") || i.restart_count)
		printf("Restart:   %s, %u restarts%s\n", i.restart_policy,
		       i.restart_count, i.restarting ? ", restarting" : "");
	struct box_confine conf;
	if (box_confine_get(ctx, argv[optind], &conf, &err) < 0)
		return cli_fail(&err);
	if (conf.privileged)
		printf("Mode:      privileged\n");
	printf("Caps:      %s\n", *conf.caps ? conf.caps : "(none)");
	for (char **d = conf.devices; *d; d++)
		printf("%s%s%s", d == conf.devices ? "Devices:   " : ", ", *d,
		       d[1] ? "" : "\n");
	box_confine_free(&conf);
	if (i.has_exit_code)
		printf("Exit code: %d%s\n", i.exit_code, i.oom_killed ? " (OOM killed)" : "");
	if (*i.error)
		printf("Error:     %s\n", i.error);
	return 0;
}

/* exec's flags, before or after NAME (`exec -it NAME`, `exec NAME -t --
 * CMD`), up to the command: 0, or the usage exit status. */
static int exec_flags(const char *cmd, int argc, char **argv, bool *tty)
{
	static const struct option longs[] = {
		{"tty", no_argument, 0, OPT_TTY},
		{"interactive", no_argument, 0, OPT_INTERACTIVE}, {0, 0, 0, 0}};
	int opt;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+it", longs, NULL)) != -1) {
		if (opt == 't' || opt == OPT_TTY)
			*tty = true;
		else if (opt != 'i' && opt != OPT_INTERACTIVE)
			return cli_usage(cmd, "unknown option '%s'",
					 argv[optind - 1]);
		/* -i: stdin always reaches the command, as docker's -i */
	}
	return 0;
}

static int cmd_exec(struct cli *c, int argc, char **argv)
{
	bool tty = false;
	optind = 1;
	int rc = exec_flags(argv[0], argc, argv, &tty);
	if (rc)
		return rc;
	if (optind >= argc)
		return cli_usage(argv[0], "missing container NAME");
	const char *name = argv[optind];
	if (optind + 1 < argc && argv[optind + 1][0] == '-' &&
	    strcmp(argv[optind + 1], "--")) {
		/* flags after NAME: parse on as if NAME were argv[0] */
		int at = optind;
		optind = 1;
		if ((rc = exec_flags(argv[0], argc - at, argv + at, &tty)))
			return rc;
		optind += at;
	} else {
		optind++;
	}
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	struct box_ctx *ctx = cli_ctx_existing(c);
	if (!ctx)
		return 1;
	struct box_err err = {0};
	int code = 0;
	if (box_exec(ctx, name, optind < argc ? argv + optind : NULL, tty, &code,
		     &err) < 0)
		return cli_fail(&err);
	return code;
}

static int cmd_attach(struct cli *c, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage(argv[0], "expected exactly one container NAME");
	struct box_ctx *ctx = cli_ctx_existing(c);
	if (!ctx)
		return 1;
	struct box_err err = {0};
	/* The banner only for a container there is to attach to: a missing
	 * or stopped one gets box_attach's error alone. */
	struct box_info in;
	if (isatty(2) && box_info_get(ctx, argv[1], &in, &err) == 0 &&
	    (in.status == BOX_RUNNING || in.status == BOX_PAUSED))
		fprintf(stderr, "[attached to %s: Ctrl-a q detaches]\r\n", argv[1]);
	box_err_clear(&err);
	if (box_attach(ctx, argv[1], &err) < 0)
		return cli_fail(&err);
	return 0;
}

static int copy_file(const char *path, off_t *pos)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (pos && lseek(fd, *pos, SEEK_SET) < 0) {
		close(fd);
		return -1;
	}
	char buf[16384];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		fwrite(buf, 1, (size_t)n, stdout);
		if (pos)
			*pos += n;
	}
	fflush(stdout);
	close(fd);
	return 0;
}

/* The last n lines of the log (the rotated generation, then the current
 * one, both bounded), as docker's --tail. */
static void print_tail(const char *old, const char *path, long long n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (!m)
		return;
	const char *files[] = {old, path};
	for (int i = 0; i < 2; i++) {
		FILE *f = fopen(files[i], "re");
		char buf[16384];
		size_t k;
		while (f && (k = fread(buf, 1, sizeof buf, f)) > 0)
			fwrite(buf, 1, k, m);
		if (f)
			fclose(f);
	}
	fclose(m);
	/* back from the end: the k-th newline met (not the last byte's)
	 * starts the k last lines, an unfinished last one included */
	size_t start = len;
	long long seen = 0;
	while (n > 0 && start > 0) {
		if (text[start - 1] == '\n' && start != len && ++seen >= n)
			break;
		start--;
	}
	fwrite(text + start, 1, len - start, stdout);
	fflush(stdout);
	free(text);
}

static int cmd_logs(struct cli *c, int argc, char **argv)
{
	const char *cmd = argv[0];
	static const struct option longs[] = {
		{"follow", no_argument, 0, OPT_FOLLOW},
		{"tail", required_argument, 0, OPT_TAIL}, {0, 0, 0, 0}};
	bool follow = false;
	long long tail = -1;
	int opt;
	(void)c;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "fn:", longs, NULL)) != -1) {
		if (opt == 'f' || opt == OPT_FOLLOW)
			follow = true;
		else if ((opt == 'n' || opt == OPT_TAIL) && !strcmp(optarg, "all"))
			tail = -1;
		else if (opt == 'n' || opt == OPT_TAIL) {
			if (parse_count(cmd, "--tail", optarg, 0, 1LL << 40, &tail) < 0)
				return 2;
		} else
			return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
	}
	if (optind != argc - 1)
		return cli_usage(cmd, "expected exactly one container NAME");
	const char *name = argv[optind];
	struct box_ctx *ctx = cli_ctx_existing(c);
	if (!ctx)
		return 1;
	struct box_err err = {0};
	char path[4096], old[4200];
	if (box_log_path(ctx, name, path, sizeof path, &err) < 0)
		return cli_fail(&err);
	snprintf(old, sizeof old, "%s.1", path);
	off_t pos = 0;
	if (tail >= 0) {
		print_tail(old, path, tail);
		struct stat st;
		pos = stat(path, &st) == 0 ? st.st_size : 0;
	} else {
		copy_file(old, NULL);
		copy_file(path, &pos);
	}
	/* -f: follow growth (and rotation) while the container lives. */
	while (follow) {
		struct box_info i;
		bool live = box_info_get(ctx, name, &i, NULL) == 0 &&
			    (i.status == BOX_RUNNING || i.status == BOX_PAUSED);
		struct stat st;
		if (stat(path, &st) == 0 && st.st_size < pos)
			pos = 0; /* rotated */
		copy_file(path, &pos);
		if (!live)
			break;
		poll(NULL, 0, 200);
	}
	return 0;
}

/* NAME:PATH names a container's path (docker's rule: a colon before any
 * slash); a host path with a colon is written ./a:b.  *path on return. */
static bool container_side(char *arg, char **path)
{
	char *colon = strchr(arg, ':');
	if (!colon || colon == arg || memchr(arg, '/', (size_t)(colon - arg)))
		return false;
	*colon = '\0';
	*path = colon + 1;
	return true;
}

/* cp NAME:PATH HOSTPATH | HOSTPATH NAME:PATH */
static int cmd_cp(struct cli *c, int argc, char **argv)
{
	const char *cmd = argv[0];
	if (argc != 3)
		return cli_usage(cmd, "expected SRC and DST, one of them NAME:PATH");
	char *path_in[2] = {NULL, NULL};
	bool in[2] = {container_side(argv[1], &path_in[0]),
		      container_side(argv[2], &path_in[1])};
	if (in[0] == in[1])
		return cli_usage(cmd, in[0] ? "copying between two containers is not supported: copy through the host"
					    : "one of SRC and DST must be NAME:PATH, inside a container");
	const char *name = in[0] ? argv[1] : argv[2];
	const char *src = in[0] ? path_in[0] : argv[1];
	const char *dst = in[1] ? path_in[1] : argv[2];
	struct box_ctx *ctx = cli_ctx_existing(c);
	if (!ctx)
		return 1;
	struct box_err err = {0};
	return box_cp(ctx, name, src, dst, in[1], &err) < 0 ? cli_fail(&err) : 0;
}

/* debug-cgroup-prefix, debug-rundir: where this root's cgroups and
 * runtime state live (for tests and for looking around by hand) */
static int cmd_debug_where(struct cli *c, int argc, char **argv)
{
	(void)argc;
	struct box_ctx *ctx = cli_ctx_existing(c);
	if (!ctx)
		return 1;
	puts(strcmp(argv[0], "debug-rundir") ? box_cgroup_prefix(ctx)
					      : box_rundir(ctx));
	return 0;
}

const struct cli_cmd cli_container_cmds[] = {
	{"create", cmd_create, "create NAME [create options] [-- CMD ARGS...]", CREATE_OPTIONS_HELP},
	{"run", cmd_run, "run NAME [create options] [--rm] [-d] [-- CMD ARGS...]", CREATE_OPTIONS_HELP},
	{"start", cmd_start, "start NAME... | --all | -a NAME | --boot", NULL},
	{"stop", cmd_stop, "stop NAME... | --all [--time SECS]", NULL},
	{"kill", cmd_kill, "kill NAME... | --all [--signal SIG]", NULL},
	{"freeze", cmd_freeze, "freeze NAME... | --all", NULL},
	{"thaw", cmd_thaw, "thaw NAME... | --all", NULL},
	{"rm", cmd_rm, "rm NAME... | --all [--force]", NULL},
	{"restart", cmd_restart, "restart NAME... | --all [--time SECS]", NULL},
	{"batch", cmd_batch, "batch BASE --count N [--ip BASE_IP] [create options] [-- CMD ARGS...]", CREATE_OPTIONS_HELP},
	{"ls", cli_list, "ls [-a] [-q] [--filter KEY=VALUE]... [--json | --format json]", NULL},
	{"ps", cli_list, "ps [-a] [-q] [--filter KEY=VALUE]... [--json | --format json]", NULL},
	{"stats", cli_stats, "stats [NAME...] [--no-stream] [--json]", NULL},
	{"top", cli_top, "top NAME [--json]", NULL},
	{"info", cmd_info, "info NAME [--json]", NULL},
	{"exec", cmd_exec, "exec [-i] [-t] NAME [-i] [-t] [-- CMD ARGS...]", NULL},
	{"attach", cmd_attach, "attach NAME", NULL},
	{"cp", cmd_cp, "cp NAME:PATH HOSTPATH | HOSTPATH NAME:PATH", NULL},
	{"logs", cmd_logs, "logs NAME [-f] [-n|--tail N|all]", NULL},
	{"debug-cgroup-prefix", cmd_debug_where, NULL, NULL},
	{"debug-rundir", cmd_debug_where, NULL, NULL},
	{NULL, NULL, NULL, NULL},
};
