/* cli_opts.c - the create options (create, run, batch). */
#include "cli_opts.h"
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int parse_count(const char *cmd, const char *what, const char *s, long long min,
		long long max, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || errno || v < min || v > max) {
		fprintf(stderr, "boxtop: %s: invalid %s '%s': expected a whole number from %lld to %lld\n",
			cmd, what, s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static char **push(char **v, size_t *n, char *s)
{
	char **nv = realloc(v, (*n + 2) * sizeof *nv);
	if (!nv) {
		perror("boxtop");
		exit(1);
	}
	nv[(*n)++] = s;
	nv[*n] = NULL;
	return nv;
}

/* --env-file FILE, as docker's: a KEY=VALUE a line, blank lines and
 * lines starting with # skipped, a bare KEY takes the caller's value (or
 * is left out when unset). */
static int env_file(struct create_args *a, const char *path, const char *cmd)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		fprintf(stderr, "boxtop: %s: --env-file '%s': %s\n", cmd, path,
			strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 1, no = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		no++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		const char *s = line + strspn(line, " \t");
		if (!*s || *s == '#')
			continue;
		char *kv;
		if (strchr(s, '=')) {
			kv = strdup(s);
		} else if (getenv(s)) {
			if (asprintf(&kv, "%s=%s", s, getenv(s)) < 0)
				kv = NULL;
		} else {
			continue;
		}
		if (!kv || *kv == '=' || strpbrk(s, " \t=") == s) {
			fprintf(stderr, "boxtop: %s: --env-file '%s': line %d: expected KEY=VALUE\n",
				cmd, path, no);
			free(kv);
			rc = -1;
			break;
		}
		a->owned = push(a->owned, &a->n_owned, kv);
		a->o.env = push(a->o.env, &a->o.n_env, kv);
	}
	free(line);
	fclose(f);
	return rc;
}

/* --device HOST[:CONTAINER][:ACCESS]: split here; the core checks the
 * node, the paths and the access letters. */
static int device_opt(struct box_create_opts *o, const char *arg,
		      const char *cmd)
{
	char *copy = strdup(arg);
	if (!copy) {
		perror("boxtop");
		exit(1);
	}
	char *part[4] = {copy, NULL, NULL, NULL};
	int n = 1;
	for (char *p = copy; (p = strchr(p, ':')) && n < 4;)
		*p++ = '\0', part[n++] = p;
	/* HOST:ACCESS when the second part is no path */
	if (n == 2 && part[1][0] != '/')
		part[2] = part[1], part[1] = NULL;
	bool empty = !*part[0] || (part[1] && !*part[1]) ||
		     (part[2] && !*part[2]);
	if (n > 3 || empty) {
		fprintf(stderr, "boxtop: %s: invalid --device '%s': expected HOST_PATH[:CONTAINER_PATH][:rwm]\n",
			cmd, arg);
		free(copy);
		return -1;
	}
	struct box_device_opt *nd =
		realloc(o->devices, (o->n_devices + 1) * sizeof *nd);
	if (!nd) {
		free(copy);
		return -1;
	}
	o->devices = nd;
	o->devices[o->n_devices++] =
		(struct box_device_opt){part[0], part[1], part[2]};
	return 1;
}

/* --security-opt seccomp=unconfined|FILE (Docker's spelling; its old
 * "seccomp:" too).  The profile is checked now, before anything is made. */
static int security_opt(struct box_create_opts *o, const char *arg,
			const char *cmd)
{
	struct box_err err = {0};
	if (strncmp(arg, "seccomp", 7) || (arg[7] != '=' && arg[7] != ':')) {
		fprintf(stderr, "boxtop: %s: invalid --security-opt '%s': expected seccomp=unconfined or seccomp=PROFILE.json\n",
			cmd, arg);
		return -1;
	}
	if (box_seccomp_check(arg + 8, &err) < 0) {
		fprintf(stderr, "boxtop: %s: --security-opt: %s\n", cmd, err.msg);
		return -1;
	}
	o->seccomp = arg + 8;
	return 1;
}

int create_opt(struct create_args *a, int opt, const char *arg,
	       const char *cmd)
{
	struct box_create_opts *o = &a->o;
	struct box_err err = {0};
	long long n;
	switch (opt) {
	case OPT_IMAGE: o->image = arg; return 1;
	case OPT_HOSTNAME: o->hostname = arg; return 1;
	case OPT_NET: o->net = arg; return 1;
	case OPT_IP: o->ip = arg; return 1;
	case OPT_DNS: o->dns = arg; return 1;
	case OPT_PROFILE: o->profile = arg; return 1;
	case OPT_TTY: o->tty = true; return 1;
	case OPT_READ_ONLY: o->read_only = true; return 1;
	case OPT_SECURITY_OPT: return security_opt(o, arg, cmd);
	case OPT_USERNS:
		if (box_parse_userns(arg, &o->userns, &err) < 0) {
			fprintf(stderr, "boxtop: %s: --userns: %s\n", cmd, err.msg);
			return -1;
		}
		return 1;
	case OPT_MEMORY:
		if (box_parse_size(arg, &o->memory, &err) < 0) {
			fprintf(stderr, "boxtop: %s: --memory: %s\n", cmd, err.msg);
			return -1;
		}
		return 1;
	case OPT_CPUS: {
		char *end;
		errno = 0;
		double v = strtod(arg, &end);
		if (!*arg || *end || errno || !(v > 0) || v > 4096) {
			fprintf(stderr, "boxtop: %s: invalid --cpus '%s': expected a number of CPUs greater than 0, like 0.5\n",
				cmd, arg);
			return -1;
		}
		o->cpus = v;
		return 1;
	}
	case OPT_CPU_SHARES:
		if (parse_count(cmd, "--cpu-shares", arg, 2, 262144, &n) < 0)
			return -1;
		o->cpu_shares = (uint64_t)n;
		return 1;
	case OPT_PIDS:
		if (!strcmp(arg, "max")) { /* no limit, as cgroup's pids.max */
			o->pids = -1;
			return 1;
		}
		if (parse_count(cmd, "--pids", arg, 1, 1LL << 30, &n) < 0)
			return -1;
		o->pids = n;
		return 1;
	case OPT_ENV:
		if (!strchr(arg, '=') || arg[0] == '=') {
			fprintf(stderr, "boxtop: %s: invalid --env '%s': expected KEY=VALUE\n",
				cmd, arg);
			return -1;
		}
		o->env = push(o->env, &o->n_env, (char *)arg);
		return 1;
	case OPT_ENTRYPOINT: o->entrypoint = arg; return 1;
	case OPT_WORKDIR: o->workdir = arg; return 1;
	case OPT_USER: o->user = arg; return 1;
	case OPT_RESTART: o->restart = arg; return 1;
	case OPT_ENV_FILE: return env_file(a, arg, cmd);
	case OPT_VERIFY:
		o->verify = push(o->verify, &o->n_verify, (char *)arg);
		return 1;
	case OPT_CAP_ADD:
		o->cap_add = push(o->cap_add, &o->n_cap_add, (char *)arg);
		return 1;
	case OPT_CAP_DROP:
		o->cap_drop = push(o->cap_drop, &o->n_cap_drop, (char *)arg);
		return 1;
	case OPT_PRIVILEGED: o->privileged = true; return 1;
	case OPT_DEVICE: return device_opt(o, arg, cmd);
	case OPT_MOUNT: {
		/* SRC:DST[:ro] */
		char *copy = strdup(arg);
		char *dst = copy ? strchr(copy, ':') : NULL;
		if (!dst) {
			fprintf(stderr, "boxtop: %s: invalid --mount '%s': expected SRC:DST[:ro]\n",
				cmd, arg);
			free(copy);
			return -1;
		}
		*dst++ = '\0';
		bool ro = false;
		char *mode = strchr(dst, ':');
		if (mode) {
			*mode++ = '\0';
			if (strcmp(mode, "ro") && strcmp(mode, "rw")) {
				fprintf(stderr, "boxtop: %s: invalid --mount '%s': mode '%s' is not ro or rw\n",
					cmd, arg, mode);
				free(copy);
				return -1;
			}
			ro = !strcmp(mode, "ro");
		}
		struct box_mount_opt *nm =
			realloc(o->mounts, (o->n_mounts + 1) * sizeof *nm);
		if (!nm) {
			free(copy);
			return -1;
		}
		o->mounts = nm;
		o->mounts[o->n_mounts++] = (struct box_mount_opt){copy, dst, ro};
		return 1;
	}
	}
	return 0;
}

void create_args_cmd(struct create_args *a, int argc, char **argv, int first)
{
	if (first < argc) {
		a->o.argv = argv + first;
		a->o.argc = (size_t)(argc - first);
	}
}

void create_args_free(struct create_args *a)
{
	for (size_t i = 0; i < a->n_owned; i++)
		free(a->owned[i]);
	free(a->owned);
	free(a->o.env);
	free(a->o.verify);
	for (size_t i = 0; i < a->o.n_mounts; i++)
		free(a->o.mounts[i].src);
	free(a->o.mounts);
	free(a->o.cap_add);
	free(a->o.cap_drop);
	for (size_t i = 0; i < a->o.n_devices; i++)
		free((char *)a->o.devices[i].host);
	free(a->o.devices);
}
