/* stats.c - sampling every container's counters into ring buffers.
 *
 * One sample: list $ROOT/containers (only when inotify says a name came
 * or went), re-read a container's box_info only when its state.json was
 * replaced (inotify on each container's run directory; stat where no watch
 * could be set), when its init died, or every INFO_REFRESH samples as a
 * safety net; then read the cgroup counters of the running and paused ones
 * through descriptors kept open between samples (the freezer's state only
 * when the kernel signalled a change, through one epoll_wait), and their
 * network counters through net_sample.h (nothing for --net none, one
 * netlink dump for all bridged veths, /proc/<init>/net/dev only for
 * macvlan and --net host).  Rates come from the difference to the
 * previous sample over the monotonic clock.  The TUI reads the result as a
 * snapshot and never touches /proc or /sys itself.
 */
#include "stats_priv.h"
#include "cgroup.h"
#include "ctx.h"
#include "net_stats.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

/* Safety net: re-read box_info every INFO_REFRESH samples even when no
 * change was seen; read the memory limit and OOM counter (which rarely
 * change) every SLOW_EVERY samples, staggered across containers. */
#define INFO_REFRESH 120
#define SLOW_EVERY 10

uint64_t stats_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Read a /proc file through a descriptor kept open: pread at 0 makes the
 * kernel regenerate it. */
static ssize_t pread_all(int fd, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

struct box_stats *box_stats_new(struct box_ctx *ctx, struct box_err *err)
{
	struct box_stats *st = calloc(1, sizeof *st);
	if (!st) {
		box_fail(err, BOX_ESYS, ENOMEM, "stats");
		return NULL;
	}
	st->ctx = ctx;
	char dir[PATH_MAX];
	if (ctx_path(ctx, dir, sizeof dir, err, "containers") < 0)
		goto fail;
	snprintf(st->dir, sizeof st->dir, "%s", dir);
	st->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (st->dirfd < 0) {
		box_fail(err, BOX_ESYS, errno, "stats: open %s", dir);
		goto fail;
	}
	/* about eight descriptors stay open per running container: use the
	 * hard limit (1000 containers need ~8000) */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	st->stat_fd = open("/proc/stat", O_RDONLY | O_CLOEXEC);
	st->mem_fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
	st->frz_ep = epoll_create1(EPOLL_CLOEXEC);
	st->net = nsample_new(ctx);
	st->names_dirty = true;
	st->ino_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (st->ino_fd >= 0 &&
	    inotify_add_watch(st->ino_fd, dir,
			      IN_CREATE | IN_DELETE | IN_MOVED_FROM |
				      IN_MOVED_TO | IN_ONLYDIR) < 0) {
		close(st->ino_fd);
		st->ino_fd = -1;
	}
	long nc = sysconf(_SC_NPROCESSORS_ONLN);
	st->host.ncpu = nc > 0 ? (int)nc : 1;
	return st;
fail:
	free(st);
	return NULL;
}

/* Close what is kept open for a running container (it stopped, or the
 * entry goes). */
static void entry_close(struct box_stats *st, struct entry *e)
{
	if (e->net_fd >= 0)
		close(e->net_fd);
	e->net_fd = -1;
	if (e->cgh_open) {
		/* explicitly: a forked child may still share the file, and
		 * epoll would then go on reporting a freed entry */
		if (e->cgh.frz_notifies && st->frz_ep >= 0)
			epoll_ctl(st->frz_ep, EPOLL_CTL_DEL, e->cgh.frz_fd, NULL);
		cg_close(&e->cgh);
	}
	e->cgh_open = false;
	e->frozen = -1;
}

static void entry_free(struct box_stats *st, struct entry *e)
{
	if (e->wd >= 0 && st->ino_fd >= 0)
		inotify_rm_watch(st->ino_fd, e->wd);
	entry_close(st, e);
	free(e->hist);
	free(e);
}

void box_stats_free(struct box_stats *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n; i++)
		entry_free(st, st->e[i]);
	free(st->e);
	free(st->rows);
	free(st->pprev);
	if (st->dirfd >= 0)
		close(st->dirfd);
	if (st->stat_fd >= 0)
		close(st->stat_fd);
	if (st->mem_fd >= 0)
		close(st->mem_fd);
	if (st->ino_fd >= 0)
		close(st->ino_fd);
	if (st->frz_ep >= 0)
		close(st->frz_ep);
	nsample_free(st->net);
	free(st->frz_ev);
	free(st);
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp((*(struct entry *const *)a)->name,
		      (*(struct entry *const *)b)->name);
}

/* Binary search in the first n entries (kept sorted by name). */
static struct entry *find_in(struct box_stats *st, size_t n, const char *name)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(st->e[mid]->name, name);
		if (!c)
			return st->e[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct entry *stats_find(struct box_stats *st, const char *name)
{
	return find_in(st, st->n, name);
}

static bool ts_eq(struct timespec a, struct timespec b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

/* Paused or not, from the freezer file kept open in the cgroup handle.
 * For a running container cgroup.events is re-read only after the kernel
 * signalled a change on it (poll_freezers collects those once per sample).
 * The kernel may hold a signal back up to 10 ms after the previous one
 * (cgroup_file_notify): a quick freeze then shows a sample late, and a
 * paused container (rare) is simply read every sample so a quick thaw is
 * not missed.  v1 freezer.state gives no signal: read every time.
 * -1 unknown. */
static int read_frozen(struct box_stats *st, struct entry *e)
{
	if (!e->cgh_open) { /* out of descriptors: open and close */
		const char *rel = e->row.info.cgroup;
		return st->ctx->cg_ok && rel[0] ? cg_is_frozen(&st->ctx->cg, rel)
						: -1;
	}
	if (e->cgh.frz_notifies && e->frozen == 0 && !e->frz_changed)
		return 0;
	e->frz_changed = false;
	e->frozen = cg_handle_frozen(&e->cgh);
	return e->frozen;
}

/* One epoll_wait for all containers instead of one read each: mark the
 * entries whose cgroup.events changed (frozen or populated).  Level
 * triggered: a marked entry not read this sample is reported again. */
static void poll_freezers(struct box_stats *st)
{
	if (st->frz_ep < 0 || !st->n)
		return;
	if (st->frz_cap < st->n) { /* room for all: one call sees every one */
		struct epoll_event *ev = realloc(st->frz_ev, st->n * sizeof *ev);
		if (!ev)
			return;
		st->frz_ev = ev;
		st->frz_cap = st->n;
	}
	int n = epoll_wait(st->frz_ep, st->frz_ev, (int)st->frz_cap, 0);
	for (int i = 0; i < n; i++)
		((struct entry *)st->frz_ev[i].data.ptr)->frz_changed = true;
}

/* Re-read box_info when the files changed, the init died, or it is old. */
static void refresh_info(struct box_stats *st, struct entry *e)
{
	/* state.json changes on every start, stop and exit; config.json only
	 * at create (and the periodic re-read covers edits) */
	char p[PATH_MAX + BOX_NAME_MAX + 16];
	struct stat sst = {0};
	bool changed = e->dirty;
	if (e->wd < 0) {
		snprintf(p, sizeof p, "%s/%s/state.json", st->ctx->run, e->name);
		stat(p, &sst);
		changed = !ts_eq(sst.st_mtim, e->state_mtime);
	}
	bool stale = !e->have_info || changed || ++e->age >= INFO_REFRESH;
	const struct box_info *in = &e->row.info;
	/* an init that died without its state being written (monitor killed
	 * too): no tasks left in the cgroup, or no such pid */
	if (!stale && (in->status == BOX_RUNNING || in->status == BOX_PAUSED) &&
	    in->pid > 0 &&
	    ((e->row.sampled && e->row.pids == 0) ||
	     (!e->row.sampled && kill(in->pid, 0) < 0 && errno == ESRCH)))
		stale = true;
	if (!stale) {
		/* freezing changes no file: the freezer says paused or not */
		if (in->status == BOX_RUNNING || in->status == BOX_PAUSED) {
			int fz = read_frozen(st, e);
			if (fz >= 0)
				e->row.info.status = fz ? BOX_PAUSED : BOX_RUNNING;
		}
		return;
	}
	struct box_err err = {0};
	struct box_info info;
	if (box_info_peek(st->ctx, e->name, &info, &err) < 0)
		return; /* half-made or going away: keep what we had */
	if (info.pid != e->row.info.pid || info.status != e->row.info.status)
		entry_close(st, e); /* a new init, maybe a new cgroup: reopen */
	e->row.info = info;
	e->have_info = true;
	e->state_mtime = sst.st_mtim;
	e->dirty = false;
	e->age = 0;
}

/* /proc/<pid>/net/dev through a descriptor kept open: every interface of
 * the container's netns but lo. */
static void read_netns(struct entry *e, pid_t pid, uint64_t *rx, uint64_t *tx)
{
	*rx = *tx = 0;
	if (e->net_pid != pid && e->net_fd >= 0) {
		close(e->net_fd);
		e->net_fd = -1;
	}
	if (e->net_fd < 0) {
		char p[64];
		snprintf(p, sizeof p, "/proc/%d/net/dev", (int)pid);
		e->net_fd = open(p, O_RDONLY | O_CLOEXEC);
		e->net_pid = pid;
		if (e->net_fd < 0)
			return;
	}
	char buf[4096];
	if (pread_all(e->net_fd, buf, sizeof buf) > 0)
		stats_parse_netdev(buf, rx, tx);
}

/* Traffic over the container's real interfaces (lo is not counted, as in
 * `docker stats`): none without a lease, bridged veths from the host-side
 * dump, the rest (macvlan, --net host) from its netns. */
static void read_net(struct box_stats *st, struct entry *e, pid_t pid,
		     uint64_t *rx, uint64_t *tx)
{
	*rx = *tx = 0;
	if (st->net && strcmp(e->row.info.net, "host")) {
		enum nsample_src src = nsample_get(st->net, e->name, rx, tx);
		if (src != NSAMPLE_NETNS) {
			if (e->net_fd >= 0)
				close(e->net_fd);
			e->net_fd = -1;
			return;
		}
	}
	read_netns(e, pid, rx, tx);
}

static double rate(uint64_t cur, uint64_t prev, double secs)
{
	return cur >= prev && secs > 0 ? (double)(cur - prev) / secs : 0;
}

/* Where the container's disk I/O comes from this sample: the cgroup's
 * io.stat where it exists (cgroup2 io controller), else, for the focused
 * container (box_stats_focus), its processes' /proc/<pid>/io, else
 * nowhere: n/a, not 0 (see io_counts in cgroup.h). */
static enum box_io_src io_source(struct box_stats *st, struct entry *e,
				 const char *cg, bool ok, struct cg_counters *c)
{
	if (!ok)
		return BOX_IO_NONE;
	if (c->io_counts)
		return BOX_IO_CGROUP;
	uint64_t rd, wr;
	if (!strcmp(st->focus, e->name) &&
	    stats_procs_io(st, cg, &rd, &wr) == 0) {
		c->blk_read = rd;
		c->blk_write = wr;
		return BOX_IO_PROCS;
	}
	return BOX_IO_NONE;
}

static void sample_counters(struct box_stats *st, struct entry *e, uint64_t t)
{
	struct box_stat_row *r = &e->row;
	enum box_status s = r->info.status;
	bool live = (s == BOX_RUNNING || s == BOX_PAUSED) && r->info.pid > 0;
	if (!e->hist) {
		e->hist = calloc(1, sizeof *e->hist);
		if (!e->hist)
			return;
	}
	struct cg_counters c = {0};
	uint64_t rx = 0, tx = 0;
	bool ok = false;
	enum box_io_src io = BOX_IO_NONE;
	if (live && st->ctx->cg_ok) {
		struct box_err err;
		char rel[256];
		const char *cg = r->info.cgroup;
		if (!*cg && ctx_cgroup(st->ctx, e->name, rel, sizeof rel, &err) == 0)
			cg = rel;
		if (!e->cgh_open) {
			e->cgh_open = cg_open(&st->ctx->cg, cg, &e->cgh, &err) == 0;
			e->slow = 0; /* first read is a full one */
			e->frozen = -1;
			if (e->cgh_open)
				cg_handle_drop_v1_io(&e->cgh);
			struct epoll_event ev = {.events = EPOLLPRI, .data.ptr = e};
			if (e->cgh_open && e->cgh.frz_notifies &&
			    (st->frz_ep < 0 ||
			     epoll_ctl(st->frz_ep, EPOLL_CTL_ADD, e->cgh.frz_fd,
				       &ev) < 0))
				e->cgh.frz_notifies = false; /* read it every time */
		}
		if (e->cgh_open) {
			/* the limit and the OOM count rarely change: read them
			 * every SLOW_EVERY samples (a closed fd is skipped) */
			bool slow = e->slow++ % SLOW_EVERY == 0;
			struct cg_handle *h = &e->cgh;
			int lim = h->fd[CGF_MEMLIMIT], oom = h->fd[CGF_OOM];
			if (!slow)
				h->fd[CGF_MEMLIMIT] = h->fd[CGF_OOM] = -1;
			ok = cg_handle_read(h, &c, &err) == 0;
			h->fd[CGF_MEMLIMIT] = lim;
			h->fd[CGF_OOM] = oom;
			if (slow) {
				e->mem_limit = c.mem_limit;
				e->oom_kills = c.oom_kills;
			}
			c.mem_limit = e->mem_limit;
			c.oom_kills = e->oom_kills;
		}
		else /* out of descriptors: open and close each time */
			ok = cg_read_counters(&st->ctx->cg, cg, &c, &err) == 0;
		read_net(st, e, r->info.pid, &rx, &tx);
		io = io_source(st, e, cg, ok, &c);
	}
	if (!ok) {
		entry_close(st, e);
		r->sampled = false;
		r->cpu_pct = r->net_rx_bps = r->net_tx_bps = 0;
		r->blk_rd_bps = r->blk_wr_bps = 0;
		r->blk_rd_bytes = r->blk_wr_bytes = 0;
		r->mem_bytes = r->pids = 0;
		e->have_prev = false;
		r->io_src = BOX_IO_NONE;
	} else {
		double secs = e->have_prev ? (double)(t - e->prev_ns) / 1e9 : 0;
		r->sampled = true;
		r->cpu_pct = e->have_prev && secs > 0
				     ? rate(c.cpu_ns, e->prev_cpu, secs) / 1e7
				     : 0;
		r->net_rx_bps = e->have_prev ? rate(rx, e->prev_rx, secs) : 0;
		r->net_tx_bps = e->have_prev ? rate(tx, e->prev_tx, secs) : 0;
		/* a change of source restarts the rates: the two counts are
		 * not comparable */
		bool io_prev = e->have_prev && io == e->io_src;
		r->blk_rd_bps = io_prev ? rate(c.blk_read, e->prev_rd, secs) : 0;
		r->blk_wr_bps = io_prev ? rate(c.blk_write, e->prev_wr, secs) : 0;
		r->blk_rd_bytes = c.blk_read;
		r->blk_wr_bytes = c.blk_write;
		r->io_src = io;
		r->mem_bytes = c.mem_bytes;
		r->mem_limit = c.mem_limit;
		r->pids = c.pids;
		r->oom_kills = c.oom_kills;
		r->net_rx_bytes = rx;
		r->net_tx_bytes = tx;
		e->prev_ns = t;
		e->prev_cpu = c.cpu_ns;
		e->prev_rx = rx;
		e->prev_tx = tx;
		e->prev_rd = c.blk_read;
		e->prev_wr = c.blk_write;
		e->have_prev = true;
	}
	e->io_src = r->io_src;
	/* unknown disk I/O is a gap in the graph, not a 0 (a container that
	 * does not run does none: that 0 is true) */
	float io_rd = (float)r->blk_rd_bps, io_wr = (float)r->blk_wr_bps;
	if (r->io_src == BOX_IO_NONE && live)
		io_rd = io_wr = NAN;
	const float v[BOX_M_COUNT] = {(float)r->cpu_pct, (float)r->mem_bytes,
				      (float)r->net_rx_bps, (float)r->net_tx_bps,
				      io_rd, io_wr};
	stats_hist_push(e->hist, &st->clock, v);
}

/* Bring the entry list in line with the directory: add new names, drop
 * removed ones, keep it sorted for binary search. */
static int sync_names(struct box_stats *st, struct box_err *err)
{
	int fd = fcntl(st->dirfd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return box_fail(err, BOX_ESYS, errno, "stats: containers");
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return box_fail(err, BOX_ESYS, errno, "stats: containers");
	}
	rewinddir(d);
	size_t sorted = st->n;
	for (size_t i = 0; i < st->n; i++)
		st->e[i]->seen = false;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) > BOX_NAME_MAX)
			continue;
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		/* new names are appended past the sorted part, sorted once below */
		struct entry *e = find_in(st, sorted, de->d_name);
		if (!e) {
			if (st->n == st->cap) {
				size_t cap = st->cap ? st->cap * 2 : 64;
				struct entry **ne = realloc(st->e, cap * sizeof *ne);
				if (!ne)
					break;
				st->e = ne;
				st->cap = cap;
			}
			e = calloc(1, sizeof *e);
			if (!e)
				break;
			snprintf(e->name, sizeof e->name, "%.*s", BOX_NAME_MAX, de->d_name);
			e->net_fd = e->frozen = -1;
			e->slow = (unsigned)st->n;
			e->wd = -1;
			if (st->ino_fd >= 0) {
				char p[PATH_MAX + BOX_NAME_MAX + 2];
				snprintf(p, sizeof p, "%s/%s", st->ctx->run,
					 e->name);
				/* state.json (runtime state, ctx.h) is
				 * replaced by rename */
				e->wd = inotify_add_watch(st->ino_fd, p,
							  IN_MOVED_TO | IN_CLOSE_WRITE |
								  IN_ONLYDIR);
			}
			st->e[st->n++] = e;
		}
		e->seen = true;
	}
	closedir(d);
	if (st->n > sorted)
		qsort(st->e, st->n, sizeof *st->e, entry_cmp);
	size_t w = 0;
	for (size_t i = 0; i < st->n; i++) {
		if (st->e[i]->seen)
			st->e[w++] = st->e[i];
		else
			entry_free(st, st->e[i]);
	}
	st->n = w;
	return 0;
}

/* Read what inotify saw since the last sample: names that came or went,
 * state files replaced.  An overflow marks everything for a re-read. */
static void drain_events(struct box_stats *st)
{
	if (st->ino_fd < 0)
		return;
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	for (;;) {
		ssize_t n = read(st->ino_fd, buf, sizeof buf);
		if (n <= 0)
			break;
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const void *)p;
			p += sizeof *ev + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				st->names_dirty = true;
				for (size_t i = 0; i < st->n; i++)
					st->e[i]->dirty = true;
				continue;
			}
			if (ev->mask & (IN_CREATE | IN_DELETE | IN_MOVED_FROM) ||
			    ((ev->mask & IN_MOVED_TO) && ev->mask & IN_ISDIR)) {
				st->names_dirty = true;
				continue;
			}
			if (!ev->len || strcmp(ev->name, "state.json"))
				continue;
			for (size_t i = 0; i < st->n; i++)
				if (st->e[i]->wd == ev->wd)
					st->e[i]->dirty = true;
		}
	}
}

static void sample_host(struct box_stats *st)
{
	char buf[4096];
	uint64_t busy, total, mt, mu;
	struct box_host_stats *h = &st->host;
	if (st->stat_fd >= 0 && pread_all(st->stat_fd, buf, sizeof buf) > 0 &&
	    stats_parse_procstat(buf, &busy, &total) == 0) {
		if (st->prev_total && total > st->prev_total)
			h->cpu_pct = 100.0 * (double)(busy - st->prev_busy) /
				     (double)(total - st->prev_total);
		st->prev_busy = busy;
		st->prev_total = total;
	}
	if (st->mem_fd >= 0 && pread_all(st->mem_fd, buf, sizeof buf) > 0 &&
	    stats_parse_meminfo(buf, &mt, &mu) == 0) {
		h->mem_total = mt;
		h->mem_used = mu;
	}
}

int box_stats_sample(struct box_stats *st, struct box_err *err)
{
	uint64_t t0 = stats_now_ns();
	drain_events(st);
	if (st->names_dirty || st->ino_fd < 0) {
		if (sync_names(st, err) < 0)
			return -1;
		st->names_dirty = false;
	}
	struct box_host_stats *h = &st->host;
	h->n_running = h->n_paused = h->n_stopped = h->n_created = 0;
	h->box_cpu_pct = 0;
	h->box_mem = 0;
	h->net_rx_bps = h->net_tx_bps = h->blk_rd_bps = h->blk_wr_bps = 0;
	if (st->rows_cap < st->n) {
		struct box_stat_row *nr = realloc(st->rows, st->n * sizeof *nr);
		if (!nr)
			return box_fail(err, BOX_ESYS, ENOMEM, "stats");
		st->rows = nr;
		st->rows_cap = st->n;
	}
	uint64_t t = stats_now_ns();
	stats_clock_tick(&st->clock, t);
	size_t nrows = 0;
	poll_freezers(st);
	if (st->net)
		nsample_begin(st->net);
	for (size_t i = 0; i < st->n; i++) {
		struct entry *e = st->e[i];
		refresh_info(st, e);
		if (!e->have_info)
			continue;
		sample_counters(st, e, t);
		const struct box_stat_row *r = &e->row;
		switch (r->info.status) {
		case BOX_RUNNING: h->n_running++; break;
		case BOX_PAUSED: h->n_paused++; break;
		case BOX_STOPPED: h->n_stopped++; break;
		default: h->n_created++; break;
		}
		h->box_cpu_pct += r->cpu_pct;
		h->box_mem += r->mem_bytes;
		h->net_rx_bps += r->net_rx_bps;
		h->net_tx_bps += r->net_tx_bps;
		h->blk_rd_bps += r->blk_rd_bps;
		h->blk_wr_bps += r->blk_wr_bps;
		st->rows[nrows++] = *r;
	}
	sample_host(st);
	const float hv[BOX_M_COUNT] = {(float)h->cpu_pct, (float)h->mem_used,
				       (float)h->net_rx_bps, (float)h->net_tx_bps,
				       (float)h->blk_rd_bps, (float)h->blk_wr_bps};
	stats_hist_push(&st->host_hist, &st->clock, hv);
	h->sample_us = (double)(stats_now_ns() - t0) / 1000.0;
	st->nrows = nrows;
	return 0;
}

size_t box_stats_rows(struct box_stats *st, const struct box_stat_row **rows)
{
	*rows = st->rows;
	return st->nrows;
}

const struct box_host_stats *box_stats_host(struct box_stats *st)
{
	return &st->host;
}

/* The history of name (NULL: the host's), NULL if there is none. */
static const struct stats_hist *hist_of(struct box_stats *st, const char *name)
{
	if (!name)
		return &st->host_hist;
	struct entry *e = stats_find(st, name);
	return e ? e->hist : NULL;
}

size_t box_stats_history(struct box_stats *st, const char *name,
			 enum box_metric m, float *out, size_t max)
{
	const struct stats_hist *h = hist_of(st, name);
	if (m >= BOX_M_COUNT || !h)
		return 0;
	return stats_hist_recent(h, (int)m, out, max);
}

size_t box_stats_history_span(struct box_stats *st, const char *name,
			      enum box_metric m, double span_s, float *out,
			      size_t n)
{
	const struct stats_hist *h = hist_of(st, name);
	if (m >= BOX_M_COUNT || !h || !(span_s > 0))
		return 0;
	return stats_hist_span(h, &st->clock, (int)m, span_s, out, n);
}
