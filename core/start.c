/* start.c - start a container detached, under its own monitor.
 *
 * The monitor is forked twice: it belongs to no front end (no zombie in a
 * long-lived TUI) and survives the command that started it.  A start is
 * split in two halves so that a batch can keep several monitors launching
 * at once: start_begin forks, start_finish waits for the report. */
#include "container.h"
#include "monitor.h"
#include "restart.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* run -d --rm: the container goes when its init exits. */
static bool wants_auto_remove(json_t *config)
{
	const char *v = json_string_value(json_object_get(
		json_object_get(config, "annotations"), "org.boxtop.autoremove"));
	return v && !strcmp(v, "true");
}

/* Set by SIGUSR1: stop, kill or the screen ended the container by hand,
 * which no restart policy undoes (restart.h). */
static volatile sig_atomic_t by_hand;

static void on_by_hand(int sig)
{
	(void)sig;
	by_hand = 1;
}


/* The back-off: the state says restarting (a start is refused, a stop
 * ends it: it signals us), then the wait, cut short by SIGUSR1. */
static void back_off(struct box_ctx *ctx, const char *name, unsigned ms)
{
	int lock = store_lock(ctx, name, NULL);
	struct box_state st;
	if (lock >= 0 && store_load_state(ctx, name, &st, NULL) == 0) {
		st.restarting = true;
		st.monitor = getpid();
		st.monitor_start = util_pid_starttime(st.monitor);
		store_save_state(ctx, name, &st, NULL);
	}
	if (lock >= 0)
		store_unlock(lock);
	struct timespec left = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (!by_hand && nanosleep(&left, &left) < 0 && errno == EINTR)
		;
}

/* After the init ended with ws: start it again if its policy says so.
 * Returns true with run filled when it runs again. */
static bool restart_after(struct box_ctx *ctx, const char *name,
			  json_t *config, int ws, bool ran_long,
			  unsigned *in_a_row, struct mon_run *run)
{
	struct restart_policy p;
	restart_policy_of(config, &p);
	if (p.kind == RESTART_NO)
		return false;
	struct box_state st;
	if (store_load_state(ctx, name, &st, NULL) < 0)
		return false;
	if (by_hand && p.kind == RESTART_UNLESS_STOPPED)
		restart_mark_stopped(ctx, name, true);
	if (!restart_wanted(&p, ws, st.restart_count, by_hand))
		return false;
	*in_a_row = ran_long ? 0 : *in_a_row + 1;
	back_off(ctx, name, restart_delay_ms(*in_a_row));
	int lock = store_lock(ctx, name, NULL);
	if (lock < 0)
		return false; /* removed meanwhile */
	bool go = !by_hand && store_load_state(ctx, name, &st, NULL) == 0 &&
		  st.status == BOX_STOPPED && st.restarting;
	if (store_load_state(ctx, name, &st, NULL) == 0 && st.restarting) {
		st.restarting = false;
		st.monitor = 0;
		st.monitor_start = 0;
		st.restart_count += go;
		store_save_state(ctx, name, &st, NULL);
	}
	struct box_err err = {0};
	if (go && monitor_launch(ctx, name, MON_DETACHED, NULL, run, &err) < 0) {
		/* recorded for `info` and the screen, as a failed start is */
		if (store_load_state(ctx, name, &st, NULL) == 0) {
			snprintf(st.error, sizeof st.error, "restart: %.240s", err.msg);
			store_save_state(ctx, name, &st, NULL);
		}
		go = false;
	}
	store_unlock(lock);
	return go;
}

/* The bounds of this process's command line in its memory (arg_start and
 * arg_end, fields 48 and 49 of /proc/self/stat). */
static int own_args(unsigned long *start, unsigned long *end)
{
	char buf[1024];
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = strrchr(buf, ')'); /* comm may hold spaces */
	if (!p)
		return -1;
	p++;
	for (int field = 3; field <= 49; field++) {
		char *e;
		unsigned long v = strtoul(p, &e, 10);
		if (e == p && field >= 4) /* field 3 is the state letter */
			return -1;
		if (field == 3) {
			while (*p == ' ')
				p++;
			e = p + 1;
		}
		if (field == 48)
			*start = v;
		if (field == 49)
			*end = v;
		p = e;
	}
	return *start && *end > *start ? 0 : -1;
}

/* What ps shows for a monitor, "[boxtop monitor NAME]", not the command
 * line of the front end it was forked from (every monitor a TUI started
 * showed as its "boxtop").  Its comm stays "boxtop".  As root the kernel
 * is told to read the line from a buffer of ours (PR_SET_MM, which needs
 * CAP_SYS_RESOURCE); without that the old line is written over when it is
 * long enough (the environment after it is left alone: /proc/PID/environ
 * stays whole).  Otherwise ps shows the old line: nothing depends on it.
 * The caller's strings must not point into the old line. */
static void name_monitor(const char *name)
{
	static char title[BOX_NAME_MAX + 32];
	snprintf(title, sizeof title, "[boxtop monitor %s]", name);
	size_t len = strlen(title) + 1;
	unsigned long start = (unsigned long)title, a = 0, b = 0;
	/* the buffer lies below the stack that holds the old line: a new
	 * start first keeps start <= end at every step */
	if (prctl(PR_SET_MM, PR_SET_MM_ARG_START, start, 0, 0) == 0) {
		prctl(PR_SET_MM, PR_SET_MM_ARG_END, start + len, 0, 0);
		return;
	}
	if (own_args(&a, &b) < 0 || b - a < len)
		return;
	memset((char *)a, 0, b - a);
	memcpy((char *)a, title, len);
}

/* The monitor process: never returns. */
static void __attribute__((noreturn))
run_monitor(struct box_ctx *ctx, const char *name, int report)
{
	name_monitor(name);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	/* before anyone can know our pid: a stop by hand must never kill us */
	struct sigaction sa = {.sa_handler = on_by_hand};
	sigaction(SIGUSR1, &sa, NULL);
	int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int i = 0; i < 3 && nul >= 0; i++)
		dup2(nul, i);
	/* Keep nothing of the front end's open (a TUI's files, a shell's
	 * pipe that would never see EOF, other starts' locks): fd 3 is the
	 * report. */
	if (report != 3) {
		dup3(report, 3, O_CLOEXEC);
		report = 3;
	}
	util_close_from(4);
	struct mon_run run;
	struct box_err merr = {0};
	if (monitor_launch(ctx, name, MON_DETACHED, NULL, &run, &merr) < 0) {
		(void)!write(report, merr.msg, strlen(merr.msg));
		_exit(1);
	}
	close(report);
	json_t *config = NULL; /* read once the init has ended */
	unsigned in_a_row = 0;
	for (;;) {
		time_t began = time(NULL);
		int ws = monitor_serve(ctx, name, &run);
		monitor_finish(ctx, name, ws, true);
		if (!config)
			config = store_load_config(ctx, name, NULL);
		bool ran_long = time(NULL) - began >= 10;
		if (!restart_after(ctx, name, config, ws, ran_long, &in_a_row, &run))
			break;
	}
	if (wants_auto_remove(config))
		box_remove(ctx, name, true, NULL);
	json_decref(config);
	_exit(0);
}

int start_begin(struct box_ctx *ctx, const char *name, struct start_op *op,
		struct box_err *err)
{
	op->lock = op->report = -1;
	if (store_check(ctx, name, err) < 0)
		return -1;
	snprintf(op->name, sizeof op->name, "%s", name);
	op->lock = store_lock(ctx, name, err);
	if (op->lock < 0)
		return -1;
	struct box_state st;
	if (store_load_state(ctx, name, &st, err) < 0)
		goto fail;
	enum box_status s = ct_real_status(ctx, name, &st);
	if (s == BOX_RUNNING || s == BOX_PAUSED) {
		box_fail(err, BOX_ESTATE, 0, "start %s: already running", name);
		goto fail;
	}
	if (st.restarting && state_monitor_alive(&st)) {
		box_fail(err, BOX_ESTATE, 0,
			 "start %s: its monitor is about to restart it (stop it to cancel)",
			 name);
		goto fail;
	}
	int rep[2];
	if (pipe2(rep, O_CLOEXEC) < 0) {
		box_fail(err, BOX_ESYS, errno, "pipe");
		goto fail;
	}
	pid_t mid = fork();
	if (mid < 0) {
		close(rep[0]), close(rep[1]);
		box_fail(err, BOX_ESYS, errno, "fork");
		goto fail;
	}
	if (mid == 0) {
		close(rep[0]);
		setsid();
		pid_t mon = fork();
		if (mon != 0)
			_exit(mon < 0 ? 1 : 0);
		/* op->name: the caller's name may be in the command line
		 * the monitor writes over */
		run_monitor(ctx, op->name, rep[1]);
	}
	close(rep[1]);
	while (waitpid(mid, NULL, 0) < 0 && errno == EINTR)
		;
	op->report = rep[0];
	return 0;
fail:
	store_unlock(op->lock);
	op->lock = -1;
	return -1;
}

int start_finish(struct box_ctx *ctx, struct start_op *op, struct box_err *err)
{
	char msg[BOX_ERR_MAX];
	ssize_t n;
	do
		n = read(op->report, msg, sizeof msg - 1);
	while (n < 0 && errno == EINTR);
	close(op->report);
	op->report = -1;
	struct box_state st;
	int rc = 0;
	if (n > 0) {
		msg[n] = '\0';
		rc = box_fail(err, BOX_ESYS, 0, "%s", msg);
		/* Record why, for `info` and the TUI. */
		if (store_load_state(ctx, op->name, &st, NULL) == 0) {
			snprintf(st.error, sizeof st.error, "%.255s", msg);
			store_save_state(ctx, op->name, &st, NULL);
		}
	} else if (store_load_state(ctx, op->name, &st, err) < 0) {
		rc = -1;
	} else if (st.status != BOX_RUNNING) {
		rc = box_fail(err, BOX_ESYS, 0, "start %s: the monitor died", op->name);
	}
	store_unlock(op->lock);
	op->lock = -1;
	return rc;
}

int box_start(struct box_ctx *ctx, const char *name, struct box_err *err)
{
	struct start_op op;
	if (start_begin(ctx, name, &op, err) < 0)
		return -1;
	return start_finish(ctx, &op, err);
}
