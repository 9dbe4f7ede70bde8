/* worker.c - long operations (batch create, stop with grace, actions on
 * many tagged containers, image import) on a thread of their own, so the screen keeps
 * refreshing and keys keep working.  The thread opens its own box_ctx; the
 * UI thread only reads the progress under the mutex. */
#include "tui.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct worker {
	pthread_mutex_t mu;
	pthread_t th;
	bool running, joined, finished, failed;
	int grace;              /* seconds a stop waits before SIGKILL */
	/* the job */
	char root[4096];
	char label[96];
	struct worker_task *tasks;
	size_t n;
	int sig;
	bool create, create_start, batch, import;
	struct box_create_opts opts;
	char o_name[BOX_NAME_MAX + 1], o_image[128], o_ip[64], o_cmd[256];
	char *o_argv[32];
	char base[BOX_NAME_MAX + 1];
	size_t count;
	char source[4096];      /* import: what to import as o_name */
	/* progress: done/total count containers, or bytes for an import */
	size_t done, total;
	char current[128];
	size_t n_failed;
	char result[BOX_ERR_MAX + 128];
};

struct worker *worker_new(void)
{
	struct worker *w = calloc(1, sizeof *w);
	if (w) {
		pthread_mutex_init(&w->mu, NULL);
		w->joined = true;
		w->grace = 10;
	}
	return w;
}

void worker_set_grace(struct worker *w, int secs)
{
	w->grace = secs;
}

static void reap(struct worker *w)
{
	pthread_mutex_lock(&w->mu);
	bool done = !w->joined && !w->running;
	pthread_mutex_unlock(&w->mu);
	if (done) {
		pthread_join(w->th, NULL);
		w->joined = true;
		free(w->tasks);
		w->tasks = NULL;
	}
}

void worker_free(struct worker *w)
{
	if (!w)
		return;
	/* let a running job finish: half-done work is worse than a wait */
	if (!w->joined)
		pthread_join(w->th, NULL);
	free(w->tasks);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

bool worker_busy(struct worker *w)
{
	pthread_mutex_lock(&w->mu);
	bool b = w->running;
	pthread_mutex_unlock(&w->mu);
	return b;
}

static void progress(void *arg, size_t done, size_t total, const char *name)
{
	struct worker *w = arg;
	pthread_mutex_lock(&w->mu);
	w->done = done;
	w->total = total;
	snprintf(w->current, sizeof w->current, "%s", name ? name : "");
	pthread_mutex_unlock(&w->mu);
}

static void fail(struct worker *w, const struct box_err *err)
{
	pthread_mutex_lock(&w->mu);
	if (!w->n_failed++)
		snprintf(w->result, sizeof w->result, "%s", err->msg);
	pthread_mutex_unlock(&w->mu);
}

static int do_task(struct box_ctx *ctx, struct worker *w,
		   const struct worker_task *tk, struct box_err *err)
{
	switch (tk->op) {
	case OP_START:
	case OP_RESTART: /* stopped already, with the others */
		return box_start(ctx, tk->name, err);
	case OP_FREEZE: return box_freeze(ctx, tk->name, err);
	case OP_THAW: return box_thaw(ctx, tk->name, err);
	case OP_KILL: return box_kill(ctx, tk->name, w->sig, err);
	default: return 0;
	}
}

/* "a, b, c" (cut short with ", ...") for the progress line. */
static void join_names(char *buf, size_t len, char *const *names, size_t n)
{
	size_t off = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int k = snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
				 names[i]);
		if (k < 0 || (size_t)k >= len - off) {
			snprintf(buf + (off < len - 6 ? off : len - 6), 6, ", ...");
			return;
		}
		off += (size_t)k;
	}
}

/* The tasks of one op that are done all at once, as the CLI does
 * (box_stop_each, box_remove_each): a stop of N waits one grace period,
 * not N.  failed[] marks the ones that failed (a restart then does not
 * start).  Returns how many tasks are done with that (restarts are not:
 * they start next). */
static size_t run_many(struct box_ctx *ctx, struct worker *w, bool stop,
		       bool *failed, size_t done)
{
	char **names = calloc(w->n + 1, sizeof *names);
	size_t *at = calloc(w->n + 1, sizeof *at);
	struct box_err *errs = calloc(w->n + 1, sizeof *errs);
	size_t k = 0, finished = 0;
	if (!names || !at || !errs) {
		struct box_err err;
		box_fail(&err, BOX_ESYS, ENOMEM, "%s", w->label);
		fail(w, &err);
		for (size_t i = 0; i < w->n; i++)
			failed[i] = true;
	}
	for (size_t i = 0; names && at && errs && i < w->n; i++) {
		enum worker_op op = w->tasks[i].op;
		if (stop ? op == OP_STOP || op == OP_RESTART : op == OP_REMOVE) {
			at[k] = i;
			names[k++] = w->tasks[i].name;
			finished += op != OP_RESTART;
		}
	}
	if (k) {
		char cur[128];
		join_names(cur, sizeof cur, names, k);
		progress(w, done, w->n, cur);
		if (stop)
			box_stop_each(ctx, names, k, w->grace, errs);
		else
			box_remove_each(ctx, names, k, true, errs);
		for (size_t j = 0; j < k; j++)
			if (errs[j].kind != BOX_EOK) {
				failed[at[j]] = true;
				fail(w, &errs[j]);
			}
	}
	free(names);
	free(at);
	free(errs);
	return finished;
}

static void run_tasks(struct box_ctx *ctx, struct worker *w)
{
	bool *failed = calloc(w->n + 1, sizeof *failed);
	if (!failed) {
		struct box_err err;
		box_fail(&err, BOX_ESYS, ENOMEM, "%s", w->label);
		fail(w, &err);
		return;
	}
	size_t done = run_many(ctx, w, true, failed, 0);
	done += run_many(ctx, w, false, failed, done);
	for (size_t i = 0; i < w->n; i++) {
		enum worker_op op = w->tasks[i].op;
		if (op == OP_STOP || op == OP_REMOVE ||
		    (op == OP_RESTART && failed[i]))
			continue;
		struct box_err err = {0};
		progress(w, done, w->n, w->tasks[i].name);
		if (do_task(ctx, w, &w->tasks[i], &err) < 0)
			fail(w, &err);
		done++;
	}
	free(failed);
	progress(w, w->n, w->n, "");
}

static void *run(void *arg)
{
	struct worker *w = arg;
	struct box_err err = {0};
	struct box_ctx *ctx = box_open(w->root, &err);
	if (!ctx) {
		fail(w, &err);
	} else if (w->batch) {
		if (box_batch(ctx, w->base, w->count, w->o_ip[0] ? w->o_ip : NULL,
			      &w->opts, progress, w, &err) < 0)
			fail(w, &err);
	} else if (w->import) {
		progress(w, 0, 0, "");
		if (box_image_import(ctx, w->o_name, w->source, NULL, progress, w,
				     &err) < 0)
			fail(w, &err);
	} else if (w->create) {
		progress(w, 0, w->create_start ? 2 : 1, w->o_name);
		if (box_create(ctx, &w->opts, &err) < 0)
			fail(w, &err);
		else if (progress(w, 1, w->create_start ? 2 : 1, w->o_name),
			 w->create_start && box_start(ctx, w->o_name, &err) < 0)
			fail(w, &err);
		progress(w, w->create_start ? 2 : 1, w->create_start ? 2 : 1, w->o_name);
	} else {
		run_tasks(ctx, w);
	}
	box_close(ctx);
	pthread_mutex_lock(&w->mu);
	size_t total = w->total;
	if (!w->n_failed && w->import)
		snprintf(w->result, sizeof w->result, "image %s imported",
			 w->o_name);
	else if (!w->n_failed && w->create) /* one container, two steps */
		snprintf(w->result, sizeof w->result, "%s: %s", w->o_name,
			 w->create_start ? "created and started" : "created");
	else if (!w->n_failed)
		snprintf(w->result, sizeof w->result, "%s: done (%zu)", w->label,
			 total);
	else if (w->n_failed > 1) {
		char first[BOX_ERR_MAX];
		snprintf(first, sizeof first, "%.*s", (int)sizeof first - 1, w->result);
		snprintf(w->result, sizeof w->result, "%s: %zu failed, first: %s",
			 w->label, w->n_failed, first);
	}
	w->failed = w->n_failed > 0;
	w->finished = true;
	w->running = false;
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static int launch(struct worker *w, const char *root, const char *label)
{
	snprintf(w->root, sizeof w->root, "%s", root);
	snprintf(w->label, sizeof w->label, "%s", label);
	w->done = w->n_failed = 0;
	w->total = w->n;
	w->current[0] = w->result[0] = '\0';
	w->finished = w->failed = false;
	w->running = true;
	w->joined = false;
	if (pthread_create(&w->th, NULL, run, w) != 0) {
		w->running = false;
		w->joined = true;
		return -1;
	}
	return 0;
}

int worker_run(struct worker *w, const char *root, const char *label,
	       struct worker_task *tasks, size_t n, int sig)
{
	reap(w);
	if (w->running)
		return -1;
	w->tasks = malloc(n * sizeof *tasks);
	if (!w->tasks)
		return -1;
	memcpy(w->tasks, tasks, n * sizeof *tasks);
	w->n = n;
	w->sig = sig;
	w->create = w->batch = w->import = false;
	return launch(w, root, label);
}

/* Copy the options the dialogs fill (strings into the worker's own
 * buffers: the dialog's go away). */
static void copy_opts(struct worker *w, const struct box_create_opts *o)
{
	w->opts = *o;
	snprintf(w->o_name, sizeof w->o_name, "%s", o->name ? o->name : "");
	snprintf(w->o_image, sizeof w->o_image, "%s", o->image ? o->image : "");
	snprintf(w->o_ip, sizeof w->o_ip, "%s", o->ip ? o->ip : "");
	w->opts.name = w->o_name;
	w->opts.image = w->o_image[0] ? w->o_image : NULL;
	w->opts.ip = w->o_ip[0] ? w->o_ip : NULL;
	w->opts.argv = NULL;
	w->opts.argc = 0;
	if (o->argc) {
		/* the command, split on spaces into o_cmd */
		size_t off = 0, k = 0;
		for (size_t i = 0; i < o->argc && k < 31; i++) {
			int n = snprintf(w->o_cmd + off, sizeof w->o_cmd - off, "%s",
					 o->argv[i]);
			if (n < 0 || (size_t)n >= sizeof w->o_cmd - off)
				break;
			w->o_argv[k++] = w->o_cmd + off;
			off += (size_t)n + 1;
		}
		w->o_argv[k] = NULL;
		w->opts.argv = w->o_argv;
		w->opts.argc = k;
	}
}

int worker_run_create(struct worker *w, const char *root,
		      const struct box_create_opts *o, bool start)
{
	reap(w);
	if (w->running)
		return -1;
	copy_opts(w, o);
	w->create = true;
	w->batch = w->import = false;
	w->create_start = start;
	w->n = start ? 2 : 1;
	return launch(w, root, "create");
}

int worker_run_batch(struct worker *w, const char *root, const char *base,
		     size_t count, const char *base_ip,
		     const struct box_create_opts *tmpl)
{
	reap(w);
	if (w->running)
		return -1;
	copy_opts(w, tmpl);
	snprintf(w->o_ip, sizeof w->o_ip, "%s", base_ip ? base_ip : "");
	w->opts.ip = NULL;
	w->opts.name = NULL;
	snprintf(w->base, sizeof w->base, "%s", base);
	w->count = count;
	w->batch = true;
	w->create = w->import = false;
	w->n = count;
	return launch(w, root, "batch");
}

/* The import runs in this thread like the rest: the core's progress
 * callback (bytes done of total, and what it is doing) lands in done,
 * total and current under the mutex. */
int worker_run_import(struct worker *w, const char *root, const char *name,
		      const char *source)
{
	reap(w);
	if (w->running)
		return -1;
	snprintf(w->o_name, sizeof w->o_name, "%s", name);
	snprintf(w->source, sizeof w->source, "%s", source);
	w->import = true;
	w->create = w->batch = false;
	w->n = 0;
	char label[sizeof w->label];
	snprintf(label, sizeof label, "import %s", name);
	return launch(w, root, label);
}

bool worker_progress(struct worker *w, size_t *done, size_t *total,
		     bool *bytes, char *label, size_t llen, bool *finished,
		     bool *failed, char *msg, size_t mlen)
{
	pthread_mutex_lock(&w->mu);
	bool r = w->running;
	*done = w->done;
	*total = w->total;
	*bytes = w->import;
	snprintf(label, llen, "%s %s", w->label, w->current);
	if (!r && w->finished) {
		*finished = true;
		*failed = w->failed;
		snprintf(msg, mlen, "%s", w->result);
		w->finished = false;
	}
	pthread_mutex_unlock(&w->mu);
	if (!r)
		reap(w);
	return r;
}
