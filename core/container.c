/* container.c - the state machine: what a container's status really is,
 * and the operations on a running one (kill, freeze, thaw). */
#include "container.h"
#include "image.h"
#include "monitor.h"
#include "net.h"
#include "spec.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

int proc_pidfd(pid_t pid, uint64_t start)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	/* Check the start time after opening: from here the fd pins this
	 * very process, so a recycled pid cannot be signalled by mistake. */
	if (fd >= 0 && util_pid_starttime(pid) != start) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Wait until the process behind pidfd exits, at most ms; true if it did. */
bool proc_wait_exit(int pidfd, int ms)
{
	struct pollfd p = {.fd = pidfd, .events = POLLIN};
	for (;;) {
		int r = poll(&p, 1, ms);
		if (r < 0 && errno == EINTR)
			continue;
		return r > 0;
	}
}

/* ---- a freeze held by a command (commit) ----------------------------------
 * commit freezes a running container while it copies its layer.  Killed
 * meanwhile, it must not leave the container frozen for good: the holder
 * (pid and start time) is written to <run>/<name>/frozen-by first, and
 * whoever next finds the container frozen with that process gone thaws it
 * (ct_real_status: ls, info, the TUI's refresh, any operation).  A pause
 * or thaw asked for by the user drops the record: their pause stays. */

static int held_path(struct box_ctx *ctx, const char *name, char *buf,
		     size_t len, struct box_err *err)
{
	return store_run(ctx, name, "frozen-by", buf, len, err);
}

/* Frozen by a command that is gone: thaw it.  True if thawed. */
static bool thaw_orphaned(struct box_ctx *ctx, const char *name,
			  const struct cg_layout *l, const char *cg)
{
	char path[PATH_MAX], text[64];
	if (held_path(ctx, name, path, sizeof path, NULL) < 0)
		return false;
	ssize_t n = util_read_at(AT_FDCWD, path, text, sizeof text - 1);
	if (n <= 0)
		return false; /* none: paused by the user */
	text[n] = '\0';
	int pid = 0;
	unsigned long long start = 0;
	if (sscanf(text, "%d %llu", &pid, &start) != 2 ||
	    (pid > 0 && util_pid_starttime(pid) == start))
		return false; /* its holder is at work */
	if (cg_freeze(l, cg, false, NULL) < 0)
		return false;
	unlink(path);
	return true;
}

/* The status as it really is: a state.json saying "running" is checked
 * against the live process (pid + start time) and the freezer. */
enum box_status ct_real_status(struct box_ctx *ctx, const char *name,
				   const struct box_state *st)
{
	if (st->status != BOX_RUNNING)
		return st->status;
	if (!state_init_alive(st))
		return BOX_STOPPED;
	char cg[256];
	const struct cg_layout *l = ctx_cg(ctx, NULL);
	if (l && ctx_cgroup(ctx, name, cg, sizeof cg, NULL) == 0 &&
	    cg_is_frozen(l, cg) == 1 && !thaw_orphaned(ctx, name, l, cg))
		return BOX_PAUSED;
	return BOX_RUNNING;
}

/* A state that says running while init and monitor are both gone (killed
 * -9, host crash): clean up the cgroup and record the stop. */
void ct_reconcile(struct box_ctx *ctx, const char *name,
		      struct box_state *st)
{
	if (st->status != BOX_RUNNING || state_init_alive(st) ||
	    state_monitor_alive(st))
		return;
	monitor_cleanup_cgroup(ctx, name);
	st->status = BOX_STOPPED;
	if (!st->finished)
		st->finished = time(NULL);
	st->pid = 0;
	st->pid_start = 0;
	st->monitor = 0;
	store_save_state(ctx, name, st, NULL);
}

int ct_load_live(struct box_ctx *ctx, const char *name,
		     struct box_state *st, enum box_status *status,
		     struct box_err *err)
{
	return ct_load_live_opt(ctx, name, st, status, true, err);
}

int ct_load_live_opt(struct box_ctx *ctx, const char *name,
		     struct box_state *st, enum box_status *status, bool wait,
		     struct box_err *err)
{
	if (store_check(ctx, name, err) < 0 ||
	    store_load_state(ctx, name, st, err) < 0)
		return -1;
	/* Init just died and its monitor is recording the exit: wait for it
	 * (briefly), so "stopped" always comes with its exit code. */
	if (wait && st->status == BOX_RUNNING && !state_init_alive(st) &&
	    state_monitor_alive(st)) {
		int mfd = proc_pidfd(st->monitor, st->monitor_start);
		if (mfd >= 0) {
			proc_wait_exit(mfd, 2000);
			close(mfd);
		}
		if (store_load_state(ctx, name, st, err) < 0)
			return -1;
	}
	*status = ct_real_status(ctx, name, st);
	return 0;
}

void ct_stopped_by_hand(const struct box_state *st)
{
	int fd = st->monitor ? proc_pidfd(st->monitor, st->monitor_start) : -1;
	if (fd >= 0) {
		syscall(SYS_pidfd_send_signal, fd, SIGUSR1, NULL, 0);
		close(fd);
	}
}

bool ct_cancel_restart(struct box_ctx *ctx, const char *name,
		       struct box_state *st)
{
	if (!st->restarting || !state_monitor_alive(st))
		return false;
	ct_stopped_by_hand(st);
	ct_wait_stopped(ctx, name, st);
	return true;
}

/* Wait for the monitor to record the exit (it removes the cgroup); if it is
 * gone, do its part. */
void ct_wait_stopped(struct box_ctx *ctx, const char *name,
			 struct box_state *st)
{
	int mfd = st->monitor ? proc_pidfd(st->monitor, st->monitor_start) : -1;
	if (mfd >= 0) {
		proc_wait_exit(mfd, 10000);
		close(mfd);
	}
	struct box_state now;
	if (store_load_state(ctx, name, &now, NULL) == 0)
		ct_reconcile(ctx, name, &now);
}

int box_kill(struct box_ctx *ctx, const char *name, int sig,
	     struct box_err *err)
{
	struct box_state st;
	enum box_status status;
	if (ct_load_live(ctx, name, &st, &status, err) < 0)
		return -1;
	/* a crash loop killed from the screen stays dead */
	if (ct_cancel_restart(ctx, name, &st))
		return 0;
	if (status != BOX_RUNNING && status != BOX_PAUSED)
		return box_fail(err, BOX_ESTATE, 0, "kill %s: not running (%s)",
				name, box_status_name(status));
	if (sig == SIGKILL || sig == SIGTERM || sig == SIGINT || sig == SIGQUIT)
		ct_stopped_by_hand(&st);
	char cg[256];
	const struct cg_layout *l = ctx_cg(ctx, err);
	if (!l || ctx_cgroup(ctx, name, cg, sizeof cg, err) < 0)
		return -1;
	if (cg_kill(l, cg, sig, err) < 0)
		return box_err_wrap(err, "kill %s", name);
	if (sig == SIGKILL)
		ct_wait_stopped(ctx, name, &st);
	return 0;
}

static int set_frozen(struct box_ctx *ctx, const char *name, bool frozen,
		      struct box_err *err)
{
	struct box_state st;
	enum box_status status;
	if (ct_load_live(ctx, name, &st, &status, err) < 0)
		return -1;
	const char *verb = frozen ? "freeze" : "thaw";
	if (status != BOX_RUNNING && status != BOX_PAUSED)
		return box_fail(err, BOX_ESTATE, 0, "%s %s: not running (%s)",
				verb, name, box_status_name(status));
	char cg[256];
	const struct cg_layout *l = ctx_cg(ctx, err);
	if (!l || ctx_cgroup(ctx, name, cg, sizeof cg, err) < 0)
		return -1;
	if (cg_freeze(l, cg, frozen, err) < 0)
		return box_err_wrap(err, "%s %s", verb, name);
	return 0;
}

/* The user's pause or thaw: no command's freeze to undo any more. */
static int user_frozen(struct box_ctx *ctx, const char *name, bool frozen,
		       struct box_err *err)
{
	if (set_frozen(ctx, name, frozen, err) < 0)
		return -1;
	char path[PATH_MAX];
	if (held_path(ctx, name, path, sizeof path, NULL) == 0)
		unlink(path);
	return 0;
}

int box_freeze(struct box_ctx *ctx, const char *name, struct box_err *err)
{
	return user_frozen(ctx, name, true, err);
}

int box_thaw(struct box_ctx *ctx, const char *name, struct box_err *err)
{
	return user_frozen(ctx, name, false, err);
}

int ct_freeze_hold(struct box_ctx *ctx, const char *name,
		   struct box_err *err)
{
	/* the record first: a kill before the freeze leaves one of a dead
	 * process on a container not frozen, which nothing reads */
	char path[PATH_MAX], text[64];
	pid_t me = getpid();
	snprintf(text, sizeof text, "%d %llu\n", (int)me,
		 (unsigned long long)util_pid_starttime(me));
	if (held_path(ctx, name, path, sizeof path, err) < 0 ||
	    util_write_replace(path, text, strlen(text), 0600, err) < 0)
		return -1;
	if (set_frozen(ctx, name, true, err) < 0) {
		unlink(path);
		return -1;
	}
	return 0;
}

int ct_freeze_release(struct box_ctx *ctx, const char *name,
		      struct box_err *err)
{
	int rc = set_frozen(ctx, name, false, err);
	char path[PATH_MAX];
	if (held_path(ctx, name, path, sizeof path, NULL) == 0)
		unlink(path);
	return rc;
}
