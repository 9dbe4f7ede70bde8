/* cgroup_stats.c - the counters the list pane shows (CPU time, memory,
 * tasks, block I/O, OOM kills), read from v1 or v2 files.
 *
 * Sampling is the hot path (every container, every refresh), so a
 * cg_handle keeps each counter file open and re-reads it with pread() at
 * offset 0, which makes the kernel regenerate the text: one system call
 * per file, no allocation, no path building. */
#include "cgroup_priv.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

/* v1 prints "no limit" as PAGE_COUNTER_MAX pages: anything this large is
 * unlimited. */
#define CG_V1_UNLIMITED (1ULL << 62)

static int open_in(const struct cg_layout *l, int hi, const char *rel,
		   const char *file)
{
	char p[PATH_MAX];
	if (hi < 0 || cg_path(l, hi, rel, file, p, sizeof p, NULL) < 0)
		return -1;
	return open(p, O_RDONLY | O_CLOEXEC);
}

int cg_open(const struct cg_layout *l, const char *relpath,
	    struct cg_handle *h, struct box_err *err)
{
	for (int i = 0; i < CGF_N; i++) {
		h->fd[i] = -1;
		h->v2[i] = false;
	}
	h->frz_fd = -1;
	h->frz_notifies = false;
	h->io_known = false;
	if (!relpath || !*relpath || !cg_exists(l, relpath))
		return box_fail(err, BOX_ENOENT, 0, "cgroup %s: not found",
				relpath ? relpath : "");
	struct {
		int role;
		const char *v1, *v1_alt, *v2;
	} const files[CGF_N] = {
		[CGF_CPU] = {l->cpuacct, "cpuacct.usage", NULL, "cpu.stat"},
		[CGF_MEM] = {l->memory, "memory.usage_in_bytes", NULL,
			     "memory.current"},
		[CGF_MEMLIMIT] = {l->memory, "memory.limit_in_bytes", NULL,
				  "memory.max"},
		[CGF_OOM] = {l->memory, "memory.oom_control", NULL,
			     "memory.events"},
		[CGF_PIDS] = {l->pids, "pids.current", NULL, "pids.current"},
		[CGF_IO] = {l->blkio, "blkio.throttle.io_service_bytes_recursive",
			    "blkio.throttle.io_service_bytes", "io.stat"},
	};
	for (int i = 0; i < CGF_N; i++) {
		int hi = files[i].role;
		if (hi < 0)
			continue;
		h->v2[i] = l->hier[hi].v2;
		h->fd[i] = open_in(l, hi, relpath,
				   h->v2[i] ? files[i].v2 : files[i].v1);
		if (h->fd[i] < 0 && !h->v2[i] && files[i].v1_alt)
			h->fd[i] = open_in(l, hi, relpath, files[i].v1_alt);
	}
	/* the same choice as cg_freeze / cg_is_frozen */
	if (cg_unified_has(l, relpath, "cgroup.freeze")) {
		h->frz_fd = open_in(l, l->unified, relpath, "cgroup.events");
		h->frz_notifies = h->frz_fd >= 0;
	} else if (l->freezer >= 0 && !l->hier[l->freezer].v2) {
		h->frz_fd = open_in(l, l->freezer, relpath, "freezer.state");
	}
	return 0;
}

void cg_close(struct cg_handle *h)
{
	for (int i = 0; i < CGF_N; i++) {
		if (h->fd[i] >= 0)
			close(h->fd[i]);
		h->fd[i] = -1;
	}
	if (h->frz_fd >= 0)
		close(h->frz_fd);
	h->frz_fd = -1;
}

/* pread at 0 into buf; length or -1. */
static ssize_t reread(int fd, char *buf, size_t len)
{
	if (fd < 0)
		return -1;
	ssize_t n = pread(fd, buf, len - 1, 0);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

static uint64_t num(const char *s)
{
	return strtoull(s, NULL, 10);
}

/* Sum rbytes=/wbytes= (v2 io.stat) or the Read/Write lines (v1 blkio
 * "MAJ:MIN Read N"), over every device. */
static void parse_io(const char *buf, bool v2, uint64_t *rd, uint64_t *wr)
{
	*rd = *wr = 0;
	for (const char *p = buf; *p;) {
		const char *eol = strchr(p, '\n');
		if (!eol)
			eol = p + strlen(p);
		if (v2) {
			const char *r = strstr(p, "rbytes=");
			if (r && r < eol)
				*rd += num(r + 7);
			const char *w = strstr(p, "wbytes=");
			if (w && w < eol)
				*wr += num(w + 7);
		} else {
			const char *sp = strchr(p, ' ');
			if (sp && sp < eol) {
				if (!strncmp(sp, " Read ", 6))
					*rd += num(sp + 6);
				else if (!strncmp(sp, " Write ", 7))
					*wr += num(sp + 7);
			}
		}
		p = *eol ? eol + 1 : eol;
	}
}

int cg_handle_read(struct cg_handle *h, struct cg_counters *out,
		   struct box_err *err)
{
	char buf[4096];
	memset(out, 0, sizeof *out);
	bool any = false;
	if (reread(h->fd[CGF_CPU], buf, sizeof buf) >= 0) {
		any = true;
		if (h->v2[CGF_CPU]) {
			int64_t us = cg_keyed(buf, "usage_usec");
			out->cpu_ns = us > 0 ? (uint64_t)us * 1000 : 0;
		} else {
			out->cpu_ns = num(buf);
		}
	}
	if (reread(h->fd[CGF_MEM], buf, sizeof buf) >= 0) {
		any = true;
		out->mem_bytes = num(buf);
	}
	if (reread(h->fd[CGF_MEMLIMIT], buf, sizeof buf) >= 0) {
		uint64_t v = strncmp(buf, "max", 3) ? num(buf) : 0;
		out->mem_limit = v >= CG_V1_UNLIMITED ? 0 : v;
	}
	if (reread(h->fd[CGF_OOM], buf, sizeof buf) >= 0) {
		int64_t v = cg_keyed(buf, "oom_kill");
		out->oom_kills = v > 0 ? (uint64_t)v : 0;
	}
	if (reread(h->fd[CGF_PIDS], buf, sizeof buf) >= 0) {
		any = true;
		out->pids = num(buf);
	}
	bool cpu_read = any;
	if (h->io_known && cpu_read && !h->v2[CGF_IO] &&
	    out->cpu_ns == h->io_cpu_ns) {
		/* idle since the last read: see io_known in cgroup.h */
		out->blk_read = h->io_rd;
		out->blk_write = h->io_wr;
	} else if (reread(h->fd[CGF_IO], buf, sizeof buf) >= 0) {
		parse_io(buf, h->v2[CGF_IO], &out->blk_read, &out->blk_write);
		out->io_counts = h->v2[CGF_IO];
		h->io_known = cpu_read;
		h->io_cpu_ns = out->cpu_ns;
		h->io_rd = out->blk_read;
		h->io_wr = out->blk_write;
	}
	if (!any)
		return box_fail(err, BOX_ESYS, errno, "read cgroup counters");
	return 0;
}

void cg_handle_drop_v1_io(struct cg_handle *h)
{
	if (h->fd[CGF_IO] >= 0 && !h->v2[CGF_IO]) {
		close(h->fd[CGF_IO]);
		h->fd[CGF_IO] = -1;
	}
}

int cg_handle_frozen(struct cg_handle *h)
{
	char buf[256];
	if (reread(h->frz_fd, buf, sizeof buf) < 0)
		return -1;
	if (!h->frz_notifies)
		return !strncmp(buf, "FROZEN", 6);
	int64_t v = cg_keyed(buf, "frozen");
	return v < 0 ? -1 : v == 1;
}

int cg_read_counters(const struct cg_layout *l, const char *relpath,
		     struct cg_counters *out, struct box_err *err)
{
	struct cg_handle h;
	if (cg_open(l, relpath, &h, err) < 0)
		return -1;
	int rc = cg_handle_read(&h, out, err);
	cg_close(&h);
	if (rc < 0)
		return box_err_wrap(err, "cgroup %s", relpath);
	return 0;
}
