/* container.c - the container state machine: created, running, paused,
 * stopped; create, start, stop, kill, freeze, thaw, remove. */
#include "image.h"
#include "monitor.h"
#include "net.h"
#include "spec.h"
#include "store.h"
#include "util.h"

#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int pidfd_of(pid_t pid, uint64_t start)
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
static bool wait_exit(int pidfd, int ms)
{
	struct pollfd p = {.fd = pidfd, .events = POLLIN};
	for (;;) {
		int r = poll(&p, 1, ms);
		if (r < 0 && errno == EINTR)
			continue;
		return r > 0;
	}
}

int box_create(struct box_ctx *ctx, const struct box_create_opts *o,
	       struct box_err *err)
{
	if (box_check_name(o->name, err) < 0)
		return -1;
	if (o->hostname && (!*o->hostname || strlen(o->hostname) > 64))
		return box_fail(err, BOX_EINVAL, 0,
				"invalid hostname '%s': 1 to 64 characters",
				o->hostname);
	if (o->cpus < 0 || (o->cpus > 0 && o->cpus < 0.01))
		return box_fail(err, BOX_EINVAL, 0,
				"invalid cpus '%g': at least 0.01", o->cpus);
	if (o->pids < 0)
		return box_fail(err, BOX_EINVAL, 0,
				"invalid pids limit '%lld': must be positive",
				(long long)o->pids);
	if (o->cpu_shares && (o->cpu_shares < 2 || o->cpu_shares > 262144))
		return box_fail(err, BOX_EINVAL, 0,
				"invalid cpu shares '%llu': 2 to 262144",
				(unsigned long long)o->cpu_shares);
	for (size_t i = 0; i < o->n_mounts; i++) {
		struct stat st;
		if (!o->mounts[i].src || o->mounts[i].src[0] != '/' ||
		    !o->mounts[i].dst || o->mounts[i].dst[0] != '/')
			return box_fail(err, BOX_EINVAL, 0,
					"invalid mount '%s:%s': both paths must be absolute",
					o->mounts[i].src ? o->mounts[i].src : "",
					o->mounts[i].dst ? o->mounts[i].dst : "");
		if (stat(o->mounts[i].src, &st) < 0)
			return box_fail(err, BOX_EINVAL, errno,
					"invalid mount '%s': source does not exist",
					o->mounts[i].src);
	}
	const char *image = o->image ? o->image : BOX_DEFAULT_IMAGE;
	struct img_ref img;
	if (image_resolve(ctx, image, &img, err) < 0)
		return box_err_wrap(err, "create %s", o->name);

	char dir[PATH_MAX], path[PATH_MAX], cg[256];
	json_t *config = NULL;
	bool made_dir = false, net_done = false;
	int lock = -1;
	if (store_dir(ctx, o->name, NULL, dir, sizeof dir, err) < 0 ||
	    ctx_cgroup(ctx, o->name, cg, sizeof cg, err) < 0)
		goto fail;
	if (mkdir(dir, 0700) < 0) {
		if (errno == EEXIST)
			box_fail(err, BOX_EEXIST, 0,
				 "container '%s': already exists", o->name);
		else
			box_fail(err, BOX_ESYS, errno, "mkdir %s", dir);
		goto fail;
	}
	made_dir = true;
	if ((lock = store_lock(ctx, o->name, err)) < 0)
		goto fail;
	static const char *const subdirs[] = {"upper", "work", "rootfs"};
	for (size_t i = 0; i < ARRAY_LEN(subdirs); i++) {
		if (store_dir(ctx, o->name, subdirs[i], path, sizeof path, err) < 0)
			goto fail;
		if (mkdir(path, 0755) < 0) {
			box_fail(err, BOX_ESYS, errno, "mkdir %s", path);
			goto fail;
		}
	}
	config = config_build(o, image, img.cmd, img.env, img.cwd, cg, err);
	if (!config)
		goto fail;
	if (net_prepare(ctx, o->name, o, config, err) < 0)
		goto fail;
	net_done = true;
	struct box_state st = {.status = BOX_CREATED, .created = time(NULL)};
	/* config.json last: its presence is what makes the container exist. */
	if (store_save_state(ctx, o->name, &st, err) < 0 ||
	    store_save_config(ctx, o->name, config, err) < 0)
		goto fail;
	json_decref(config);
	image_ref_free(&img);
	store_unlock(lock);
	return 0;
fail:
	if (net_done)
		net_release(ctx, o->name, config, NULL);
	json_decref(config);
	image_ref_free(&img);
	if (made_dir)
		util_rm_rf(dir, NULL);
	store_unlock(lock);
	return box_err_wrap(err, "create %s", o->name);
}

/* The status as it really is: a state.json saying "running" is checked
 * against the live process (pid + start time) and the freezer. */
static enum box_status real_status(struct box_ctx *ctx, const char *name,
				   const struct box_state *st)
{
	if (st->status != BOX_RUNNING)
		return st->status;
	if (!state_init_alive(st))
		return BOX_STOPPED;
	char cg[256];
	const struct cg_layout *l = ctx_cg(ctx, NULL);
	if (l && ctx_cgroup(ctx, name, cg, sizeof cg, NULL) == 0 &&
	    cg_is_frozen(l, cg) == 1)
		return BOX_PAUSED;
	return BOX_RUNNING;
}

/* A state that says running while init and monitor are both gone (killed
 * -9, host crash): clean up the cgroup and record the stop. */
static void reconcile(struct box_ctx *ctx, const char *name,
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

/* Fork twice: the monitor belongs to no front end (no zombie in a
 * long-lived TUI) and survives the command that started it. */
int box_start(struct box_ctx *ctx, const char *name, struct box_err *err)
{
	if (box_check_name(name, err) < 0)
		return -1;
	int lock = store_lock(ctx, name, err);
	if (lock < 0)
		return -1;
	struct box_state st;
	if (store_load_state(ctx, name, &st, err) < 0)
		goto fail;
	if (!store_exists(ctx, name)) {
		box_fail(err, BOX_ENOENT, 0, "container '%s': no such container", name);
		goto fail;
	}
	if (real_status(ctx, name, &st) == BOX_RUNNING ||
	    real_status(ctx, name, &st) == BOX_PAUSED) {
		box_fail(err, BOX_ESTATE, 0, "start %s: already running", name);
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
		close(lock); /* the starter keeps the lock, not us */
		setsid();
		pid_t mon = fork();
		if (mon != 0)
			_exit(mon < 0 ? 1 : 0);
		/* The monitor: no terminal, no inherited signal handling. */
		signal(SIGPIPE, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		signal(SIGINT, SIG_IGN);
		int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
		for (int i = 0; i < 3 && nul >= 0; i++)
			dup2(nul, i);
		/* Keep nothing of the front end's open (a TUI's files, a
		 * shell's pipe that would never see EOF): fd 3 is the report. */
		if (rep[1] != 3) {
			dup3(rep[1], 3, O_CLOEXEC);
			rep[1] = 3;
		}
		util_close_from(4);
		struct mon_run run;
		struct box_err merr = {0};
		if (monitor_launch(ctx, name, true, &run, &merr) < 0) {
			(void)!write(rep[1], merr.msg, strlen(merr.msg));
			_exit(1);
		}
		(void)!write(rep[1], "", 0);
		close(rep[1]);
		int ws = monitor_serve(ctx, name, &run);
		monitor_finish(ctx, name, ws, true);
		_exit(0);
	}
	close(rep[1]);
	waitpid(mid, NULL, 0);
	char msg[BOX_ERR_MAX];
	ssize_t n;
	do
		n = read(rep[0], msg, sizeof msg - 1);
	while (n < 0 && errno == EINTR);
	close(rep[0]);
	if (n > 0) {
		msg[n] = '\0';
		box_fail(err, BOX_ESYS, 0, "%s", msg);
		/* Record why, for `info` and the TUI. */
		if (store_load_state(ctx, name, &st, NULL) == 0) {
			snprintf(st.error, sizeof st.error, "%.255s", msg);
			store_save_state(ctx, name, &st, NULL);
		}
		goto fail;
	}
	if (store_load_state(ctx, name, &st, err) < 0)
		goto fail;
	if (st.status != BOX_RUNNING) {
		box_fail(err, BOX_ESYS, 0, "start %s: the monitor died", name);
		goto fail;
	}
	store_unlock(lock);
	return 0;
fail:
	store_unlock(lock);
	return -1;
}

static int load_live(struct box_ctx *ctx, const char *name,
		     struct box_state *st, enum box_status *status,
		     struct box_err *err)
{
	if (box_check_name(name, err) < 0)
		return -1;
	if (!store_exists(ctx, name))
		return box_fail(err, BOX_ENOENT, 0,
				"container '%s': no such container", name);
	if (store_load_state(ctx, name, st, err) < 0)
		return -1;
	/* Init just died and its monitor is recording the exit: wait for it
	 * (briefly), so "stopped" always comes with its exit code. */
	if (st->status == BOX_RUNNING && !state_init_alive(st) &&
	    state_monitor_alive(st)) {
		int mfd = pidfd_of(st->monitor, st->monitor_start);
		if (mfd >= 0) {
			wait_exit(mfd, 2000);
			close(mfd);
		}
		if (store_load_state(ctx, name, st, err) < 0)
			return -1;
	}
	*status = real_status(ctx, name, st);
	return 0;
}

/* Wait for the monitor to record the exit (it removes the cgroup); if it is
 * gone, do its part. */
static void wait_stopped(struct box_ctx *ctx, const char *name,
			 struct box_state *st)
{
	int mfd = st->monitor ? pidfd_of(st->monitor, st->monitor_start) : -1;
	if (mfd >= 0) {
		wait_exit(mfd, 10000);
		close(mfd);
	}
	struct box_state now;
	if (store_load_state(ctx, name, &now, NULL) == 0)
		reconcile(ctx, name, &now);
}

int box_stop(struct box_ctx *ctx, const char *name, int grace_secs,
	     struct box_err *err)
{
	struct box_state st;
	enum box_status status;
	if (load_live(ctx, name, &st, &status, err) < 0)
		return -1;
	if (status != BOX_RUNNING && status != BOX_PAUSED) {
		reconcile(ctx, name, &st);
		return 0; /* already stopped: stop is idempotent */
	}
	char cg[256];
	const struct cg_layout *l = ctx_cg(ctx, err);
	if (!l || ctx_cgroup(ctx, name, cg, sizeof cg, err) < 0)
		return -1;
	int pfd = pidfd_of(st.pid, st.pid_start);
	if (pfd < 0) {
		wait_stopped(ctx, name, &st);
		return 0;
	}
	bool gone = false;
	if (grace_secs > 0) {
		syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 0);
		/* A frozen init cannot handle SIGTERM: let it run. */
		if (status == BOX_PAUSED)
			cg_freeze(l, cg, false, NULL);
		gone = wait_exit(pfd, grace_secs * 1000);
	}
	if (!gone) {
		if (cg_kill(l, cg, SIGKILL, err) < 0) {
			close(pfd);
			return box_err_wrap(err, "stop %s", name);
		}
		wait_exit(pfd, 10000);
	}
	close(pfd);
	wait_stopped(ctx, name, &st);
	return 0;
}

int box_kill(struct box_ctx *ctx, const char *name, int sig,
	     struct box_err *err)
{
	struct box_state st;
	enum box_status status;
	if (load_live(ctx, name, &st, &status, err) < 0)
		return -1;
	if (status != BOX_RUNNING && status != BOX_PAUSED)
		return box_fail(err, BOX_ESTATE, 0, "kill %s: not running (%s)",
				name, box_status_name(status));
	char cg[256];
	const struct cg_layout *l = ctx_cg(ctx, err);
	if (!l || ctx_cgroup(ctx, name, cg, sizeof cg, err) < 0)
		return -1;
	if (cg_kill(l, cg, sig, err) < 0)
		return box_err_wrap(err, "kill %s", name);
	if (sig == SIGKILL)
		wait_stopped(ctx, name, &st);
	return 0;
}

static int set_frozen(struct box_ctx *ctx, const char *name, bool frozen,
		      struct box_err *err)
{
	struct box_state st;
	enum box_status status;
	if (load_live(ctx, name, &st, &status, err) < 0)
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

int box_freeze(struct box_ctx *ctx, const char *name, struct box_err *err)
{
	return set_frozen(ctx, name, true, err);
}

int box_thaw(struct box_ctx *ctx, const char *name, struct box_err *err)
{
	return set_frozen(ctx, name, false, err);
}

int box_remove(struct box_ctx *ctx, const char *name, bool force,
	       struct box_err *err)
{
	struct box_state st;
	enum box_status status;
	if (load_live(ctx, name, &st, &status, err) < 0) {
		/* A corrupt state.json must not make a container immortal:
		 * --force removes it anyway, processes and cgroup included. */
		if (err->kind != BOX_EINVAL || !force)
			return -1;
		box_err_clear(err);
		status = BOX_STOPPED;
		monitor_cleanup_cgroup(ctx, name);
	}
	if (status == BOX_RUNNING || status == BOX_PAUSED) {
		if (!force)
			return box_fail(err, BOX_ESTATE, 0,
					"rm %s: container is %s (stop it first, or use --force)",
					name, box_status_name(status));
		if (box_stop(ctx, name, 0, err) < 0)
			return -1;
	}
	int lock = store_lock(ctx, name, err);
	if (lock < 0)
		return -1;
	if (store_load_state(ctx, name, &st, NULL) == 0 &&
	    real_status(ctx, name, &st) == BOX_RUNNING) {
		store_unlock(lock);
		return box_fail(err, BOX_ESTATE, 0,
				"rm %s: container was started again meanwhile", name);
	}
	monitor_cleanup_cgroup(ctx, name);
	json_t *config = store_load_config(ctx, name, NULL);
	if (config) {
		net_release(ctx, name, config, NULL);
		json_decref(config);
	}
	char dir[PATH_MAX];
	int rc = store_dir(ctx, name, NULL, dir, sizeof dir, err);
	if (rc == 0)
		rc = util_rm_rf(dir, err);
	store_unlock(lock);
	return rc < 0 ? box_err_wrap(err, "rm %s", name) : 0;
}

static void join_args(json_t *args, char *buf, size_t len)
{
	size_t i, o = 0;
	json_t *a;
	buf[0] = '\0';
	json_array_foreach(args, i, a)
	{
		int n = snprintf(buf + o, len - o, "%s%s", i ? " " : "",
				 json_string_value(a) ? json_string_value(a) : "");
		if (n < 0 || (size_t)n >= len - o)
			break;
		o += (size_t)n;
	}
}

int box_info_get(struct box_ctx *ctx, const char *name, struct box_info *out,
		 struct box_err *err)
{
	memset(out, 0, sizeof *out);
	struct box_state st;
	enum box_status status;
	if (load_live(ctx, name, &st, &status, err) < 0)
		return -1;
	json_t *config = store_load_config(ctx, name, err);
	if (!config)
		return -1;
	snprintf(out->name, sizeof out->name, "%s", name);
	out->status = status;
	out->pid = (status == BOX_RUNNING || status == BOX_PAUSED) ? st.pid : 0;
	json_t *ann = json_object_get(config, "annotations");
	const char *s = json_string_value(json_object_get(ann, "org.boxtop.image"));
	snprintf(out->image, sizeof out->image, "%s", s ? s : "");
	s = json_string_value(json_object_get(ann, "org.boxtop.ip"));
	snprintf(out->ip, sizeof out->ip, "%s", s ? s : "");
	s = json_string_value(json_object_get(ann, "org.boxtop.net"));
	snprintf(out->net, sizeof out->net, "%s", s ? s : "none");
	s = json_string_value(json_object_get(config, "hostname"));
	snprintf(out->hostname, sizeof out->hostname, "%s", s ? s : "");
	s = json_string_value(json_object_get(json_object_get(config, "linux"),
					      "cgroupsPath"));
	snprintf(out->cgroup, sizeof out->cgroup, "%s", s ? s : "");
	join_args(json_object_get(json_object_get(config, "process"), "args"),
		  out->command, sizeof out->command);
	struct cg_limits lim;
	config_limits(config, &lim);
	out->memory_limit = lim.memory;
	out->pids_limit = lim.pids;
	out->cpus = lim.cpu_quota_us && lim.cpu_period_us
			    ? (double)lim.cpu_quota_us / (double)lim.cpu_period_us
			    : 0;
	out->created = st.created;
	out->started = st.started;
	out->finished = st.finished;
	out->has_exit_code = st.has_exit_code;
	out->exit_code = st.exit_code;
	out->oom_killed = st.oom_killed;
	snprintf(out->error, sizeof out->error, "%s", st.error);
	json_decref(config);
	return 0;
}

static int cmp_info(const void *a, const void *b)
{
	return strcmp(((const struct box_info *)a)->name,
		      ((const struct box_info *)b)->name);
}

int box_list(struct box_ctx *ctx, struct box_info **out, size_t *n,
	     struct box_err *err)
{
	*out = NULL;
	*n = 0;
	char dir[PATH_MAX];
	if (ctx_path(ctx, dir, sizeof dir, err, "containers") < 0)
		return -1;
	DIR *d = opendir(dir);
	if (!d)
		return box_fail(err, BOX_ESYS, errno, "open %s", dir);
	size_t cap = 0;
	struct box_info *v = NULL;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !store_exists(ctx, de->d_name))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			struct box_info *nv = realloc(v, cap * sizeof *v);
			if (!nv) {
				free(v);
				closedir(d);
				return box_fail(err, BOX_ESYS, ENOMEM, "list");
			}
			v = nv;
		}
		/* A container that cannot be read (corrupt state) is still
		 * listed, so it can be seen and removed. */
		struct box_err e2;
		if (box_info_get(ctx, de->d_name, &v[*n], &e2) < 0) {
			memset(&v[*n], 0, sizeof v[*n]);
			snprintf(v[*n].name, sizeof v[*n].name, "%.64s", de->d_name);
			v[*n].status = BOX_STOPPED;
		}
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof *v, cmp_info);
	*out = v;
	return 0;
}

char *box_config_text(struct box_ctx *ctx, const char *name,
		      struct box_err *err)
{
	if (box_check_name(name, err) < 0)
		return NULL;
	json_t *config = store_load_config(ctx, name, err);
	if (!config)
		return NULL;
	char *text = json_dumps(config, JSON_INDENT(2));
	json_decref(config);
	if (!text)
		box_fail(err, BOX_ESYS, ENOMEM, "config of %s", name);
	return text;
}

int box_log_path(struct box_ctx *ctx, const char *name, char *buf, size_t len,
		 struct box_err *err)
{
	if (box_check_name(name, err) < 0)
		return -1;
	if (!store_exists(ctx, name))
		return box_fail(err, BOX_ENOENT, 0,
				"container '%s': no such container", name);
	return store_dir(ctx, name, "console.log", buf, len, err);
}
