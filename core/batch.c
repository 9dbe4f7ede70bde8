/* batch.c - create and start BASE-1..BASE-N in one call (numbering goes on
 * after the highest existing BASE-k); all or nothing. */
#include "container.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define BATCH_MAX 10000

/* Highest k among existing containers named BASE-k. */
static unsigned long highest_index(struct box_ctx *ctx, const char *base)
{
	char dir[PATH_MAX];
	if (ctx_path(ctx, dir, sizeof dir, NULL, "containers") < 0)
		return 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	size_t blen = strlen(base);
	unsigned long max = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, base, blen) || de->d_name[blen] != '-')
			continue;
		const char *num = de->d_name + blen + 1;
		char *end;
		unsigned long k = strtoul(num, &end, 10);
		if (*num && !*end && k > max)
			max = k;
	}
	closedir(d);
	return max;
}

/* A creating thread: every step-th name from `first`, until one of the
 * threads fails. */
struct create_job {
	struct box_ctx *ctx;
	const struct box_create_opts *tmpl;
	char **names;
	size_t count, first, step;
	char (*ips)[16];
	bool with_ip;
	bool *ok;
	int *stop; /* set by the first failure, read by both */
	struct box_err err;
};

static void *create_some(void *arg)
{
	struct create_job *j = arg;
	for (size_t i = j->first; i < j->count; i += j->step) {
		if (__atomic_load_n(j->stop, __ATOMIC_RELAXED))
			break;
		struct box_create_opts o = *j->tmpl;
		o.name = j->names[i];
		/* The planned address even without --ip: two threads taking
		 * the next free one would hand them out of name order. */
		if (j->ips)
			o.ip = j->ips[i];
		int rc = ct_create(j->ctx, &o, false, NULL, &j->err);
		/* Leased by another create meanwhile: without --ip any free
		 * address does. */
		if (rc < 0 && !j->with_ip && o.ip && j->err.kind == BOX_EEXIST) {
			o.ip = NULL;
			box_err_clear(&j->err);
			rc = ct_create(j->ctx, &o, false, NULL, &j->err);
		}
		if (rc < 0) {
			__atomic_store_n(j->stop, 1, __ATOMIC_RELAXED);
			break;
		}
		j->ok[i] = true;
	}
	return NULL;
}

/* Create every name; on failure the ones made are moved to the front of
 * names (for the caller's rollback) and *made counts them. */
static int create_all(struct box_ctx *ctx, const struct box_create_opts *tmpl,
		      char **names, size_t count, char (*ips)[16],
		      bool with_ip, size_t *made, struct box_err *err)
{
	bool *ok = calloc(count, sizeof *ok);
	if (!ok)
		return box_fail(err, BOX_ESYS, ENOMEM, "batch");
	/* jansson seeds its hash function with the first object made; do
	 * that here, not racing in two threads */
	json_decref(json_object());
	int stop = 0;
	struct create_job a = {ctx, tmpl, names, count, 0, 2, ips, with_ip, ok,
			       &stop, {0}};
	struct create_job b = a;
	b.first = 1;
	pthread_t t;
	bool two = count > 1 && pthread_create(&t, NULL, create_some, &b) == 0;
	if (!two)
		a.step = 1; /* no second thread: this one does every name */
	create_some(&a);
	if (two)
		pthread_join(t, NULL);
	/* made ones first, in order; the others' names after them */
	size_t w = 0;
	for (size_t i = 0; i < count; i++)
		if (ok[i]) {
			char *n = names[w];
			names[w++] = names[i];
			names[i] = n;
		}
	*made = w;
	free(ok);
	if (!stop)
		return 0;
	*err = a.err.msg[0] ? a.err : b.err;
	return -1;
}

/* Monitors launching at once: enough to keep both cores busy while others
 * wait on the kernel, few enough not to thrash. */
#define BATCH_WINDOW 8

int box_batch(struct box_ctx *ctx, const char *base, size_t count,
	      const char *base_ip, const struct box_create_opts *tmpl,
	      box_progress_fn progress, void *arg, struct box_err *err)
{
	if (box_check_name(base, err) < 0)
		return box_err_wrap(err, "batch");
	if (count == 0 || count > BATCH_MAX)
		return box_fail(err, BOX_EINVAL, 0,
				"batch %s: invalid count %zu: 1 to %d", base,
				count, BATCH_MAX);
	unsigned long first = highest_index(ctx, base) + 1;
	char name[BOX_NAME_MAX + 32];
	snprintf(name, sizeof name, "%s-%lu", base, first + count - 1);
	if (box_check_name(name, err) < 0)
		return box_err_wrap(err, "batch %s", base);
	/* The network must hold the whole batch before anything is made:
	 * base_ip, base_ip+1, ... skipping leased ones (the net module). */
	char(*ips)[16] = NULL;
	if (box_net_plan_batch(ctx, tmpl->net, base_ip, count, &ips, err) < 0)
		return box_err_wrap(err, "batch %s", base);
	char **names = calloc(count, sizeof *names);
	struct start_op *ops = calloc(count, sizeof *ops);
	if (!names || !ops) {
		free(names);
		free(ops);
		free(ips);
		return box_fail(err, BOX_ESYS, ENOMEM, "batch %s", base);
	}
	size_t made = 0, begun = 0, done = 0;
	int rc = 0;
	for (size_t i = 0; i < count; i++) {
		snprintf(name, sizeof name, "%s-%lu", base, first + i);
		if (!(names[i] = strdup(name))) {
			rc = box_fail(err, BOX_ESYS, ENOMEM, "batch %s", base);
			break;
		}
	}
	/* spread over the disk's block groups (ctx.c), also in a root made
	 * before that was done */
	char cdir[PATH_MAX];
	if (rc == 0 && ctx_path(ctx, cdir, sizeof cdir, NULL, "containers") == 0)
		util_set_topdir(cdir);
	/* Create them all (two threads: it is mostly the kernel making
	 * inodes and directories), then make the configs durable with one
	 * syncfs instead of one fsync each. */
	if (rc == 0)
		rc = create_all(ctx, tmpl, names, count, ips, base_ip != NULL,
				&made, err);
	char root[PATH_MAX];
	if (ctx_path(ctx, root, sizeof root, NULL, "containers") == 0) {
		auto_fd dfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0)
			syncfs(dfd);
	}
	util_crash_point("batch-created");
	/* Start them with up to BATCH_WINDOW monitors launching at once. */
	while (rc == 0 && done < made) {
		while (begun < made && begun - done < BATCH_WINDOW) {
			if (start_begin(ctx, names[begun], &ops[begun], err) < 0) {
				rc = -1;
				break;
			}
			begun++;
		}
		if (done < begun) {
			struct box_err e2 = {0};
			if (start_finish(ctx, &ops[done], &e2) < 0 && rc == 0) {
				*err = e2;
				rc = -1;
			}
			done++;
			util_crash_point("batch-started");
			if (rc == 0 && progress)
				progress(arg, done, count, names[done - 1]);
		}
	}
	/* On failure: let the launches under way report, then remove every
	 * container of this batch again. */
	while (done < begun)
		start_finish(ctx, &ops[done++], NULL);
	if (rc < 0) {
		box_err_wrap(err, "batch %s (%zu of %zu made, all removed again)",
			     base, made, count);
		box_remove_many(ctx, names, made, true, NULL);
	}
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
	free(ops);
	free(ips);
	return rc;
}
