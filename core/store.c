/* store.c - config.json and state.json of a container, written atomically,
 * guarded by a per-container flock.  config.json (and the writable layer,
 * the console log) are on disk under <root>/containers/<name>; state.json
 * and the console socket are runtime state in <run>/<name> (ctx.h). */
#include "store.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>

int store_dir(const struct box_ctx *ctx, const char *name, const char *file,
	      char *buf, size_t len, struct box_err *err)
{
	if (file)
		return ctx_path(ctx, buf, len, err, "containers/%s/%s", name,
				file);
	return ctx_path(ctx, buf, len, err, "containers/%s", name);
}

int store_run(const struct box_ctx *ctx, const char *name, const char *file,
	      char *buf, size_t len, struct box_err *err)
{
	if (file)
		return ctx_run_path(ctx, buf, len, err, "%s/%s", name, file);
	return ctx_run_path(ctx, buf, len, err, "%s", name);
}

int store_run_make(const struct box_ctx *ctx, const char *name,
		   struct box_err *err)
{
	char path[PATH_MAX];
	/* checked every time: it may sit in a directory anyone can write */
	if (store_run(ctx, name, NULL, path, sizeof path, err) < 0 ||
	    ctx_run_make(ctx, err) < 0)
		return -1;
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return box_fail(err, BOX_ESYS, errno, "mkdir %s", path);
	return 0;
}

void store_run_remove(const struct box_ctx *ctx, const char *name)
{
	char path[PATH_MAX];
	if (ctx_run_check(ctx, NULL) < 0)
		return; /* not ours (or not there): touch nothing in it */
	if (store_run(ctx, name, NULL, path, sizeof path, NULL) == 0)
		util_rm_rf(path, NULL);
	/* the root's last container takes the directory with it; another
	 * container's entry keeps it (ENOTEMPTY) */
	rmdir(ctx->run);
}

bool store_exists(const struct box_ctx *ctx, const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	return store_dir(ctx, name, "config.json", path, sizeof path, NULL) == 0 &&
	       stat(path, &st) == 0;
}

bool box_exists(struct box_ctx *ctx, const char *name)
{
	return box_check_name(name, NULL) == 0 && store_exists(ctx, name);
}

bool store_incomplete(const struct box_ctx *ctx, const char *name)
{
	/* a valid name first: "..", ".spare" are directories without a
	 * config.json too, and a finished removal removes what it names */
	char path[PATH_MAX];
	struct stat st;
	return box_check_name(name, NULL) == 0 &&
	       store_dir(ctx, name, NULL, path, sizeof path, NULL) == 0 &&
	       lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
	       !store_exists(ctx, name);
}

bool store_orphan(const struct box_ctx *ctx, const char *name)
{
	char path[PATH_MAX];
	if (box_check_name(name, NULL) < 0 ||
	    store_dir(ctx, name, NULL, path, sizeof path, NULL) < 0)
		return false;
	auto_fd fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	/* its lock held: a create or rm under way, not ours to show */
	if (fd < 0 || flock(fd, LOCK_SH | LOCK_NB) < 0)
		return false;
	return faccessat(fd, "config.json", F_OK, 0) < 0 && errno == ENOENT;
}

int store_check(const struct box_ctx *ctx, const char *name,
		struct box_err *err)
{
	if (box_check_name(name, err) < 0)
		return -1;
	if (store_exists(ctx, name))
		return 0;
	if (store_incomplete(ctx, name))
		return box_fail(err, BOX_ESTATE, 0,
				"container '%s': being removed (a create or rm "
				"did not finish): boxtop rm %s removes the rest",
				name, name);
	return box_fail(err, BOX_ENOENT, 0,
			"container '%s': no such container", name);
}

int store_lock(const struct box_ctx *ctx, const char *name,
	       struct box_err *err)
{
	/* The container's directory itself is the lock: no extra file to
	 * create (inode allocation is what a batch spends most on), and it
	 * goes away with the container. */
	char path[PATH_MAX];
	if (store_dir(ctx, name, NULL, path, sizeof path, err) < 0)
		return -1;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return box_fail(err, errno == ENOENT ? BOX_ENOENT : BOX_ESYS,
				errno == ENOENT ? 0 : errno,
				"container '%s': no such container", name);
	return util_flock(fd, LOCK_EX, path, err);
}

void store_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

static const char *status_word(enum box_status s)
{
	return box_status_name(s);
}

static enum box_status parse_status(const char *s)
{
	if (s && !strcmp(s, "running"))
		return BOX_RUNNING;
	if (s && !strcmp(s, "stopped"))
		return BOX_STOPPED;
	if (s && !strcmp(s, "paused"))
		return BOX_PAUSED;
	return BOX_CREATED;
}

json_t *store_json_time(time_t t)
{
	if (!t)
		return json_null();
	char buf[32];
	util_iso8601(t, buf, sizeof buf);
	return json_string(buf);
}

int store_save_state(const struct box_ctx *ctx, const char *name,
		     const struct box_state *st, struct box_err *err)
{
	char path[PATH_MAX];
	if (store_run(ctx, name, "state.json", path, sizeof path, err) < 0)
		return -1;
	json_t *j = json_pack(
		"{s:s, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:b, s:s}",
		"status", status_word(st->status), "pid", (json_int_t)st->pid,
		"pid_start", (json_int_t)st->pid_start, "monitor_pid",
		(json_int_t)st->monitor, "monitor_start",
		(json_int_t)st->monitor_start, "created", store_json_time(st->created),
		"started", store_json_time(st->started), "finished",
		store_json_time(st->finished), "exit_code",
		st->has_exit_code ? json_integer(st->exit_code) : json_null(),
		"oom_killed", st->oom_killed, "error", st->error);
	if (j && st->restart_count)
		json_object_set_new(j, "restart_count",
				    json_integer((json_int_t)st->restart_count));
	if (j && st->restarting)
		json_object_set_new(j, "restarting", json_true());
	if (!j)
		return box_fail(err, BOX_ESYS, ENOMEM, "state of %s", name);
	char *text = json_dumps(j, JSON_INDENT(2));
	json_decref(j);
	if (!text)
		return box_fail(err, BOX_ESYS, ENOMEM, "state of %s", name);
	/* the run directory is made by the first write (create, or the
	 * first start after a reboot emptied it) */
	int r = store_run_make(ctx, name, err);
	if (r == 0)
		r = util_write_replace(path, text, strlen(text), 0644, err);
	free(text);
	return r;
}

/* No runtime state: a container made before the last reboot is
 * "created" again (its processes are gone with the reboot); its creation
 * time is kept in config.json.  No config either: no such container. */
static int no_state(const struct box_ctx *ctx, const char *name,
		    json_t *config, struct box_state *st, struct box_err *err)
{
	config = config ? json_incref(config) : store_load_config(ctx, name, err);
	if (!config)
		return -1;
	st->status = BOX_CREATED;
	st->created = util_parse_iso8601(json_string_value(json_object_get(
		json_object_get(config, "annotations"), "org.boxtop.created")));
	json_decref(config);
	return 0;
}

int store_load_state(const struct box_ctx *ctx, const char *name,
		     struct box_state *st, struct box_err *err)
{
	return store_load_state_with(ctx, name, NULL, st, err);
}

int store_load_state_with(const struct box_ctx *ctx, const char *name,
			  json_t *config, struct box_state *st,
			  struct box_err *err)
{
	memset(st, 0, sizeof *st);
	char path[PATH_MAX];
	if (store_run(ctx, name, "state.json", path, sizeof path, err) < 0)
		return -1;
	json_error_t jerr;
	json_t *j = util_json_load(path, &jerr);
	if (!j) {
		if (access(path, F_OK) < 0)
			return no_state(ctx, name, config, st, err);
		return box_fail(err, BOX_EINVAL, 0,
				"container '%s': corrupt state.json: line %d: %s",
				name, jerr.line, jerr.text);
	}
	if (!json_is_object(j)) {
		json_decref(j);
		return box_fail(err, BOX_EINVAL, 0,
				"container '%s': corrupt state.json: not an object",
				name);
	}
	st->status = parse_status(json_string_value(json_object_get(j, "status")));
	st->pid = (pid_t)json_integer_value(json_object_get(j, "pid"));
	st->pid_start = (uint64_t)json_integer_value(json_object_get(j, "pid_start"));
	st->monitor = (pid_t)json_integer_value(json_object_get(j, "monitor_pid"));
	st->monitor_start =
		(uint64_t)json_integer_value(json_object_get(j, "monitor_start"));
	st->created = util_parse_iso8601(json_string_value(json_object_get(j, "created")));
	st->started = util_parse_iso8601(json_string_value(json_object_get(j, "started")));
	st->finished = util_parse_iso8601(json_string_value(json_object_get(j, "finished")));
	json_t *ec = json_object_get(j, "exit_code");
	st->has_exit_code = json_is_integer(ec);
	st->exit_code = (int)json_integer_value(ec);
	st->oom_killed = json_is_true(json_object_get(j, "oom_killed"));
	const char *e = json_string_value(json_object_get(j, "error"));
	snprintf(st->error, sizeof st->error, "%s", e ? e : "");
	st->restart_count =
		(unsigned)json_integer_value(json_object_get(j, "restart_count"));
	st->restarting = json_is_true(json_object_get(j, "restarting"));
	json_decref(j);
	return 0;
}

json_t *store_load_config(const struct box_ctx *ctx, const char *name,
			  struct box_err *err)
{
	char path[PATH_MAX];
	if (store_dir(ctx, name, "config.json", path, sizeof path, err) < 0)
		return NULL;
	json_error_t jerr;
	json_t *j = util_json_load(path, &jerr);
	if (!j) {
		if (access(path, F_OK) < 0)
			box_fail(err, BOX_ENOENT, 0,
				 "container '%s': no such container", name);
		else
			box_fail(err, BOX_EINVAL, 0,
				 "container '%s': corrupt config.json: line %d: %s",
				 name, jerr.line, jerr.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		box_fail(err, BOX_EINVAL, 0,
			 "container '%s': corrupt config.json: not an object",
			 name);
		return NULL;
	}
	return j;
}

static int save_config(const struct box_ctx *ctx, const char *name,
		       json_t *config, bool durable, struct box_err *err)
{
	char path[PATH_MAX];
	if (store_dir(ctx, name, "config.json", path, sizeof path, err) < 0)
		return -1;
	char *text = json_dumps(config, JSON_INDENT(2));
	if (!text)
		return box_fail(err, BOX_ESYS, ENOMEM, "config of %s", name);
	int r = durable ? util_write_atomic(path, text, strlen(text), 0644, err)
			: util_write_replace(path, text, strlen(text), 0644, err);
	free(text);
	return r;
}

int store_save_config(const struct box_ctx *ctx, const char *name,
		      json_t *config, struct box_err *err)
{
	return save_config(ctx, name, config, true, err);
}

int store_save_config_fast(const struct box_ctx *ctx, const char *name,
			   json_t *config, struct box_err *err)
{
	return save_config(ctx, name, config, false, err);
}

static bool alive(pid_t pid, uint64_t start)
{
	return pid > 0 && start && util_pid_starttime(pid) == start;
}

bool state_init_alive(const struct box_state *st)
{
	return alive(st->pid, st->pid_start);
}

bool state_monitor_alive(const struct box_state *st)
{
	return alive(st->monitor, st->monitor_start);
}

int store_sock_addr(const struct box_ctx *ctx, const char *name,
		    struct sockaddr_un *addr, int *dirfd, struct box_err *err)
{
	char path[PATH_MAX];
	*dirfd = -1;
	memset(addr, 0, sizeof *addr);
	addr->sun_family = AF_UNIX;
	if (store_run(ctx, name, "console.sock", path, sizeof path, err) < 0)
		return -1;
	if (strlen(path) < sizeof addr->sun_path) {
		memcpy(addr->sun_path, path, strlen(path) + 1);
		return 0;
	}
	if (store_run(ctx, name, NULL, path, sizeof path, err) < 0)
		return -1;
	*dirfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (*dirfd < 0)
		return box_fail(err, BOX_ESYS, errno, "open %s", path);
	snprintf(addr->sun_path, sizeof addr->sun_path,
		 "/proc/self/fd/%d/console.sock", *dirfd);
	return 0;
}
