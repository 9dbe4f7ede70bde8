/* stats_procs.c - the processes inside one container, for the detail pane
 * (pid, user, CPU %, memory, command). */
#include "stats_priv.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A bigger /etc/passwd is not read: user names are a courtesy. */
#define PASSWD_MAX (64 * 1024)

/* The container's own /etc/passwd, read through a process of it: its
 * users are the ones its processes run as (uid 1000 inside is whoever
 * the image says, not the host's 1000).  Files only, like the container
 * itself would see them without a name service; NULL when it has none.
 * The container owns that file and we read it as host root: it is
 * resolved inside the container's root (a symlink to a host path stays
 * inside), and only a regular file is opened (a FIFO would hang the
 * screen). */
static char *container_passwd(pid_t pid)
{
	char p[64];
	snprintf(p, sizeof p, "/proc/%d/root", (int)pid);
	auto_fd root = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return root < 0 ? NULL
			: util_read_in_root(root, "etc/passwd", PASSWD_MAX, NULL);
}

/* "name:x:uid:..." lines: the name of uid, copied into buf. */
static bool passwd_name(const char *passwd, unsigned uid, char *buf, size_t len)
{
	for (const char *l = passwd; l && *l;) {
		const char *end = strchr(l, '\n');
		const char *c1 = strchr(l, ':');
		const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		char *num_end;
		if (c2 && (!end || c2 < end) && c2[1] >= '0' && c2[1] <= '9' &&
		    strtoul(c2 + 1, &num_end, 10) == uid && *num_end == ':' &&
		    c1 > l) {
			snprintf(buf, len, "%.*s", (int)(c1 - l), l);
			return true;
		}
		l = end ? end + 1 : NULL;
	}
	return false;
}

/* uid as the container knows it: through its user namespace's map
 * ("inside host count" lines of /proc/<pid>/uid_map, which is "0 0
 * 4294967295" without one); a host id outside the map as it is. */
static unsigned inside_uid(const char *map, unsigned uid)
{
	for (const char *l = map; l && *l;) {
		unsigned in, host, count;
		if (sscanf(l, "%u %u %u", &in, &host, &count) == 3 &&
		    uid >= host && uid - host < count)
			return in + (uid - host);
		l = strchr(l, '\n');
		l = l ? l + 1 : NULL;
	}
	return uid;
}

/* From /proc/<pid>/status: the user (named by the container's passwd,
 * through its uid map), the parent, and the pid inside the container
 * (NSpid's last field). */
static void proc_status(struct box_proc *bp, const char *passwd,
			const char *map)
{
	char p[64], text[2048];
	snprintf(p, sizeof p, "/proc/%d/status", (int)bp->pid);
	unsigned uid = 0;
	const char *u;
	if (util_read_at(AT_FDCWD, p, text, sizeof text) <= 0 ||
	    !(u = strstr(text, "\nUid:")) || sscanf(u + 5, "%u", &uid) != 1) {
		snprintf(bp->user, sizeof bp->user, "?");
		return;
	}
	uid = inside_uid(map, uid);
	if (!passwd_name(passwd, uid, bp->user, sizeof bp->user))
		snprintf(bp->user, sizeof bp->user, "%u", uid);
	const char *pp = strstr(text, "\nPPid:");
	if (pp)
		bp->ppid = (pid_t)atoi(pp + 6);
	const char *ns = strstr(text, "\nNSpid:");
	if (ns) {
		const char *end = strchr(ns + 1, '\n');
		const char *last = end ? end : ns + strlen(ns);
		while (last > ns && (last[-1] == ' ' || last[-1] == '\t'))
			last--;
		while (last > ns && last[-1] >= '0' && last[-1] <= '9')
			last--;
		bp->ns_pid = (pid_t)atoi(last);
	}
}

static void proc_cmdline(pid_t pid, char *buf, size_t len, const char *stat)
{
	char p[64];
	snprintf(p, sizeof p, "/proc/%d/cmdline", (int)pid);
	ssize_t n = util_read_at(AT_FDCWD, p, buf, len);
	if (n > 0) {
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] == '\0')
				buf[i] = ' ';
		while (n > 0 && buf[n - 1] == ' ')
			buf[--n] = '\0';
		return;
	}
	/* kernel threads and zombies: the comm in brackets, as ps does */
	const char *o = strchr(stat, '('), *c = strrchr(stat, ')');
	if (o && c && c > o)
		snprintf(buf, len, "[%.*s]", (int)(c - o - 1), o + 1);
	else
		snprintf(buf, len, "?");
}

int box_stats_procs(struct box_stats *st, const char *name,
		    struct box_proc **out, size_t *n, struct box_err *err)
{
	*out = NULL;
	*n = 0;
	struct entry *e = stats_find(st, name);
	if (!e || !e->have_info)
		return box_fail(err, BOX_ENOENT, 0, "container %s: not found", name);
	const struct cg_layout *l = ctx_cg(st->ctx, err);
	if (!l)
		return -1;
	char rel[256];
	const char *cg = e->row.info.cgroup;
	if (!*cg) {
		if (ctx_cgroup(st->ctx, name, rel, sizeof rel, err) < 0)
			return -1;
		cg = rel;
	}
	pid_t *pids = NULL;
	size_t np = 0;
	if (cg_pids(l, cg, &pids, &np, err) < 0)
		return box_err_wrap(err, "processes of %s", name);
	struct box_proc *procs = calloc(np ? np : 1, sizeof *procs);
	struct proc_prev *prev = calloc(np ? np : 1, sizeof *prev);
	if (!procs || !prev) {
		free(pids);
		free(procs);
		free(prev);
		return box_fail(err, BOX_ESYS, ENOMEM, "processes of %s", name);
	}
	bool same = !strcmp(st->procs_name, name);
	uint64_t t = stats_now_ns();
	double secs = same ? (double)(t - st->pprev_ns) / 1e9 : 0;
	long hz = sysconf(_SC_CLK_TCK);
	long page = sysconf(_SC_PAGESIZE);
	/* one read per sample: its processes share the root */
	char *passwd = np ? container_passwd(pids[0]) : NULL;
	/* and its user namespace (--userns auto) */
	char map[512] = "", mp[64];
	if (np) {
		snprintf(mp, sizeof mp, "/proc/%d/uid_map", (int)pids[0]);
		if (util_read_at(AT_FDCWD, mp, map, sizeof map) < 0)
			map[0] = '\0';
	}
	size_t k = 0;
	for (size_t i = 0; i < np; i++) {
		char p[64], text[1024];
		snprintf(p, sizeof p, "/proc/%d/stat", (int)pids[i]);
		uint64_t ticks, start, rss;
		char state;
		if (util_read_at(AT_FDCWD, p, text, sizeof text) <= 0 ||
		    stats_parse_pidstat(text, &state, &ticks, &start, &rss) < 0)
			continue; /* exited meanwhile */
		struct box_proc *bp = &procs[k];
		bp->pid = pids[i];
		bp->state = state;
		bp->rss = rss * (uint64_t)page;
		for (size_t j = 0; same && j < st->n_pprev; j++)
			if (st->pprev[j].pid == pids[i] &&
			    st->pprev[j].starttime == start && secs > 0 &&
			    ticks >= st->pprev[j].ticks)
				bp->cpu_pct = 100.0 *
					      (double)(ticks - st->pprev[j].ticks) /
					      (double)hz / secs;
		proc_status(bp, passwd, map);
		proc_cmdline(pids[i], bp->command, sizeof bp->command, text);
		prev[k] = (struct proc_prev){pids[i], start, ticks};
		k++;
	}
	free(passwd);
	free(pids);
	free(st->pprev);
	st->pprev = prev;
	st->n_pprev = k;
	st->pprev_ns = t;
	snprintf(st->procs_name, sizeof st->procs_name, "%s", name);
	*out = procs;
	*n = k;
	return 0;
}

int stats_procs_io(struct box_stats *st, const char *rel, uint64_t *rd,
		   uint64_t *wr)
{
	const struct cg_layout *l = ctx_cg(st->ctx, NULL);
	pid_t *pids = NULL;
	size_t np = 0;
	if (!l || cg_pids(l, rel, &pids, &np, NULL) < 0)
		return -1;
	*rd = *wr = 0;
	for (size_t i = 0; i < np; i++) {
		char p[64], text[512];
		snprintf(p, sizeof p, "/proc/%d/io", (int)pids[i]);
		if (util_read_at(AT_FDCWD, p, text, sizeof text) <= 0)
			continue; /* exited meanwhile: its reaper has it now */
		uint64_t r = 0, w = 0;
		const char *f = strstr(text, "\nread_bytes: ");
		if (f)
			r = strtoull(f + 13, NULL, 10);
		f = strstr(text, "\nwrite_bytes: ");
		if (f)
			w = strtoull(f + 14, NULL, 10);
		*rd += r;
		*wr += w;
	}
	free(pids);
	return 0;
}

void box_stats_focus(struct box_stats *st, const char *name)
{
	snprintf(st->focus, sizeof st->focus, "%s", name ? name : "");
}
