/* cgroup_ctl.c - act on the processes of a cgroup: freeze, thaw, signal,
 * list, and wait for it to empty. */
#include "cgroup_priv.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void sleep_us(long us)
{
	nanosleep(&(struct timespec){us / 1000000, (us % 1000000) * 1000},
		  NULL);
}

/* Wait until "key want" shows in <unified>/<rel>/cgroup.events.  The kernel
 * signals changes to that file as POLLPRI; the poll timeout is kept short
 * so a missed wakeup only costs a re-read. 0 reached, -1 timeout/error. */
static int wait_events(const struct cg_layout *l, const char *rel,
		       const char *key, int64_t want, int timeout_ms)
{
	char p[PATH_MAX], buf[256];
	if (cg_path(l, l->unified, rel, "cgroup.events", p, sizeof p, NULL) < 0)
		return -1;
	auto_fd fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	uint64_t end = util_now_ms() + (uint64_t)timeout_ms;
	for (;;) {
		ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
		if (n < 0)
			return -1;
		buf[n] = '\0';
		if (cg_keyed(buf, key) == want)
			return 0;
		uint64_t now = util_now_ms();
		if (now >= end) {
			errno = ETIMEDOUT;
			return -1;
		}
		struct pollfd pfd = {.fd = fd, .events = POLLPRI};
		int left = (int)(end - now);
		poll(&pfd, 1, left < 20 ? left : 20);
	}
}

/* Freeze through cgroup2 whenever the container's unified cgroup has
 * cgroup.freeze (v2 and this VM's hybrid); the same test picks the source
 * for cg_is_frozen, so the two never disagree. */
static bool freeze_via_v2(const struct cg_layout *l, const char *rel)
{
	return cg_unified_has(l, rel, "cgroup.freeze");
}

int cg_freeze(const struct cg_layout *l, const char *relpath, bool frozen,
	      struct box_err *err)
{
	if (freeze_via_v2(l, relpath)) {
		if (cg_write(l, l->unified, relpath, "cgroup.freeze",
			     frozen ? "1" : "0", err) < 0)
			return box_err_wrap(err, "%s cgroup %s",
					    frozen ? "freeze" : "thaw", relpath);
		if (wait_events(l, relpath, "frozen", frozen, CG_WAIT_MS) < 0)
			return box_fail(err, BOX_ESYS, errno,
					"%s cgroup %s: kernel did not confirm",
					frozen ? "freeze" : "thaw", relpath);
		return 0;
	}
	if (l->freezer < 0 || l->hier[l->freezer].v2)
		return box_fail(err, BOX_ESYS, ENOTSUP,
				"freeze cgroup %s: no freezer", relpath);
	const char *want = frozen ? "FROZEN" : "THAWED";
	if (cg_write(l, l->freezer, relpath, "freezer.state", want, err) < 0)
		return box_err_wrap(err, "%s cgroup %s",
				    frozen ? "freeze" : "thaw", relpath);
	/* v1 reports FREEZING until every task stopped; reading the file is
	 * what advances the state machine. */
	uint64_t end = util_now_ms() + CG_WAIT_MS;
	long nap = 100;
	for (;;) {
		char st[32];
		if (cg_read(l, l->freezer, relpath, "freezer.state", st,
			    sizeof st) < 0)
			return box_fail(err, BOX_ESYS, errno,
					"read freezer.state of %s", relpath);
		if (!strncmp(st, want, strlen(want)))
			return 0;
		if (util_now_ms() >= end)
			return box_fail(err, BOX_ESYS, ETIMEDOUT,
					"freeze cgroup %s: still %.*s", relpath,
					(int)strcspn(st, "\n"), st);
		sleep_us(nap);
		if (nap < 5000)
			nap *= 2;
	}
}

int cg_is_frozen(const struct cg_layout *l, const char *relpath)
{
	char buf[256];
	if (freeze_via_v2(l, relpath)) {
		if (cg_read(l, l->unified, relpath, "cgroup.events", buf,
			    sizeof buf) < 0)
			return -1;
		int64_t v = cg_keyed(buf, "frozen");
		return v < 0 ? -1 : v == 1;
	}
	if (l->freezer < 0 || l->hier[l->freezer].v2 ||
	    cg_read(l, l->freezer, relpath, "freezer.state", buf, sizeof buf) < 0)
		return -1;
	return !strncmp(buf, "FROZEN", 6);
}

int cg_pids(const struct cg_layout *l, const char *relpath, pid_t **pids,
	    size_t *n, struct box_err *err)
{
	*pids = NULL;
	*n = 0;
	char p[PATH_MAX];
	if (!l->n_hier)
		return box_fail(err, BOX_ENOENT, 0, "no cgroup hierarchy");
	if (cg_path(l, cg_track_hier(l), relpath, "cgroup.procs", p, sizeof p,
		    err) < 0)
		return -1;
	size_t len;
	auto_free char *text = util_read_file(p, &len, err);
	if (!text)
		return -1;
	size_t cap = 0;
	for (size_t i = 0; i < len; i++)
		cap += text[i] == '\n';
	if (!cap)
		return 0;
	pid_t *out = malloc(cap * sizeof *out);
	if (!out)
		return box_fail(err, BOX_ESYS, ENOMEM, "read %s", p);
	size_t k = 0;
	for (char *s = text; *s && k < cap;) {
		char *e;
		long v = strtol(s, &e, 10);
		if (e == s)
			break;
		out[k++] = (pid_t)v;
		s = e + strspn(e, "\n");
	}
	*pids = out;
	*n = k;
	return 0;
}

bool cg_empty(const struct cg_layout *l, const char *relpath)
{
	char buf[256];
	if (!l->n_hier)
		return true;
	int hi = cg_track_hier(l);
	if (l->hier[hi].v2 && relpath && *relpath) {
		/* a missing cgroup has no processes */
		if (cg_read(l, hi, relpath, "cgroup.events", buf, sizeof buf) < 0)
			return true;
		return cg_keyed(buf, "populated") == 0;
	}
	if (cg_read(l, hi, relpath, "cgroup.procs", buf, 16) < 0)
		return true;
	return buf[0] == '\0';
}

/* 0 once empty, -1 after timeout_ms. */
static int wait_empty(const struct cg_layout *l, const char *rel,
		      int timeout_ms)
{
	if (l->hier[cg_track_hier(l)].v2) {
		int r = wait_events(l, rel, "populated", 0, timeout_ms);
		/* removed meanwhile: nothing left in it either */
		return r < 0 && errno == ENOENT ? 0 : r;
	}
	uint64_t end = util_now_ms() + (uint64_t)timeout_ms;
	long nap = 50;
	while (!cg_empty(l, rel)) {
		if (util_now_ms() >= end) {
			errno = ETIMEDOUT;
			return -1;
		}
		sleep_us(nap);
		if (nap < 2000)
			nap *= 2;
	}
	return 0;
}

/* Signal every listed pid once; ESRCH (already gone) is fine. */
static int signal_all(const struct cg_layout *l, const char *rel, int sig,
		      struct box_err *err)
{
	pid_t *pids;
	size_t n;
	if (cg_pids(l, rel, &pids, &n, err) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n; i++)
		if (kill(pids[i], sig) < 0 && errno != ESRCH && !rc)
			rc = box_fail(err, BOX_ESYS, errno, "kill %d",
				      (int)pids[i]);
	free(pids);
	return rc;
}

int cg_kill_nowait(const struct cg_layout *l, const char *relpath,
		   struct box_err *err)
{
	if (!relpath || !*relpath)
		return box_fail(err, BOX_EINVAL, 0, "kill: no cgroup");
	if (cg_unified_has(l, relpath, "cgroup.kill"))
		return cg_write(l, l->unified, relpath, "cgroup.kill", "1", err) < 0 &&
				       cg_exists(l, relpath)
			       ? -1
			       : 0;
	return signal_all(l, relpath, SIGKILL, err);
}

int cg_kill(const struct cg_layout *l, const char *relpath, int sig,
	    struct box_err *err)
{
	if (!relpath || !*relpath)
		return box_fail(err, BOX_EINVAL, 0, "kill: no cgroup");
	if (!cg_exists(l, relpath))
		return box_fail(err, BOX_ENOENT, 0, "kill cgroup %s: not found",
				relpath);
	if (sig != SIGKILL) {
		if (signal_all(l, relpath, sig, err) < 0)
			return box_err_wrap(err, "signal cgroup %s", relpath);
		return 0;
	}
	if (cg_unified_has(l, relpath, "cgroup.kill")) {
		/* the kernel kills the whole subtree and races no fork */
		if (cg_write(l, l->unified, relpath, "cgroup.kill", "1", err) < 0) {
			if (!cg_exists(l, relpath))
				return 0; /* gone meanwhile: nothing to kill */
			return box_err_wrap(err, "kill cgroup %s", relpath);
		}
	} else {
		/* Without cgroup.kill a fork bomb outruns a plain pass over
		 * cgroup.procs: freeze so nobody forks, signal all, thaw so
		 * the signals land, and go again until nothing is left. */
		uint64_t end = util_now_ms() + CG_WAIT_MS;
		bool can_freeze = freeze_via_v2(l, relpath) ||
				  (l->freezer >= 0 && !l->hier[l->freezer].v2);
		while (!cg_empty(l, relpath)) {
			if (util_now_ms() >= end)
				return box_fail(err, BOX_ESYS, ETIMEDOUT,
						"kill cgroup %s: not empty",
						relpath);
			bool fz = can_freeze &&
				  cg_freeze(l, relpath, true, NULL) == 0;
			int r = signal_all(l, relpath, SIGKILL, err);
			if (fz)
				cg_freeze(l, relpath, false, NULL);
			if (r < 0)
				return box_err_wrap(err, "kill cgroup %s",
						    relpath);
			if (wait_empty(l, relpath, 20) == 0)
				break;
		}
	}
	/* The owner (a monitor) may remove the cgroup as it empties: a
	 * cgroup that is gone has no processes left. */
	if (wait_empty(l, relpath, CG_WAIT_MS) < 0 && cg_exists(l, relpath) &&
	    !cg_empty(l, relpath))
		return box_fail(err, BOX_ESYS, ETIMEDOUT,
				"kill cgroup %s: processes remain", relpath);
	return 0;
}
