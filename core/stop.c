/* stop.c - stop and remove containers, one or many at once.
 *
 * Many at once is not a loop over one: every container is signalled first
 * and then waited for together, so the kernel tears them down in parallel
 * and their monitors record the exits side by side. */
#include "container.h"
#include "monitor.h"
#include "net.h"
#include "spare.h"
#include "userns.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

struct victim {
	const char *name;
	size_t idx;      /* its place in the caller's names (errors) */
	struct box_state st;
	char cg[256];
	int pidfd;       /* of init; -1 once it is gone */
	bool paused;
};

/* Collect errors: the first one is kept, the others counted; with each,
 * every name's own failure is kept at its index too. */
struct errs {
	struct box_err *first;
	struct box_err *each;
	size_t n;
};
static void note(struct errs *e, size_t idx, const struct box_err *one)
{
	/* a name counts once, with its first failure */
	if (e->each && e->each[idx].kind != BOX_EOK)
		return;
	if (e->n++ == 0 && e->first)
		*e->first = *one;
	if (e->each)
		e->each[idx] = *one;
}
static int errs_done(struct errs *e)
{
	if (!e->n)
		return 0;
	if (e->n > 1 && e->first)
		box_err_wrap(e->first, "%zu failed, the first", e->n);
	return -1;
}

/* Wait until every pidfd is readable (process gone) or the deadline. */
static void wait_all(struct victim *v, size_t n, int ms)
{
	uint64_t end = util_now_ms() + (uint64_t)ms;
	struct pollfd *p = calloc(n ? n : 1, sizeof *p);
	if (!p)
		return;
	for (;;) {
		size_t live = 0;
		for (size_t i = 0; i < n; i++) {
			p[i].fd = v[i].pidfd;
			p[i].events = POLLIN;
			p[i].revents = 0;
			live += v[i].pidfd >= 0;
		}
		uint64_t now = util_now_ms();
		if (!live || now >= end)
			break;
		if (poll(p, n, (int)(end - now)) < 0 && errno != EINTR)
			break;
		for (size_t i = 0; i < n; i++)
			if (v[i].pidfd >= 0 && (p[i].revents & POLLIN)) {
				close(v[i].pidfd);
				v[i].pidfd = -1;
			}
	}
	free(p);
}

/* One running (or paused) container to stop, from its loaded state. */
static void victim_set(struct box_ctx *ctx, struct victim *x, const char *name,
		       size_t idx, const struct box_state *st, bool paused)
{
	x->name = name;
	x->idx = idx;
	x->st = *st;
	x->paused = paused;
	x->pidfd = proc_pidfd(st->pid, st->pid_start);
	ctx_cgroup(ctx, name, x->cg, sizeof x->cg, NULL);
}

/* Each container's exit unmounts its writable layer, and overlayfs then
 * syncs the whole filesystem beneath (all its dirty pages and a disk cache
 * flush), in every one of them.  One sync before stopping several leaves
 * those syncs next to nothing to write (rm of 100 here: ~-6 %). */
static void sync_root(struct box_ctx *ctx)
{
	int fd = open(ctx->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		syncfs(fd);
		close(fd);
	}
}

/* Stop them all together: SIGTERM and grace_secs to exit (none when 0),
 * then SIGKILL to what is left; wait for the inits, then (monitors) for
 * their monitors, which record the exits and remove the cgroups. */
static void stop_victims(struct box_ctx *ctx, const struct cg_layout *l,
			 struct victim *v, size_t k, int grace_secs,
			 bool monitors, struct errs *e)
{
	for (size_t i = 0; i < k; i++)
		ct_stopped_by_hand(&v[i].st); /* before its init can exit */
	if (grace_secs > 0) {
		for (size_t i = 0; i < k; i++) {
			if (v[i].pidfd < 0)
				continue;
			syscall(SYS_pidfd_send_signal, v[i].pidfd, SIGTERM, NULL, 0);
			/* A frozen init cannot handle SIGTERM: let it run. */
			if (v[i].paused)
				cg_freeze(l, v[i].cg, false, NULL);
		}
		wait_all(v, k, grace_secs * 1000);
	}
	/* The inits first, one syscall each: with its init a pid namespace
	 * dies, so every container starts tearing down at once; then the
	 * cgroup kill (~70 us each) for anything outside that namespace. */
	for (size_t i = 0; i < k; i++)
		if (v[i].pidfd >= 0)
			syscall(SYS_pidfd_send_signal, v[i].pidfd, SIGKILL, NULL, 0);
	for (size_t i = 0; i < k; i++)
		if (v[i].pidfd >= 0)
			cg_kill_nowait(l, v[i].cg, NULL);
	wait_all(v, k, 10000);
	for (size_t i = 0; i < k; i++) {
		if (v[i].pidfd < 0)
			continue;
		struct box_err one;
		box_fail(&one, BOX_ESYS, ETIMEDOUT, "stop %s: init did not die",
			 v[i].name);
		note(e, v[i].idx, &one);
		close(v[i].pidfd);
	}
	for (size_t i = 0; monitors && i < k; i++)
		ct_wait_stopped(ctx, v[i].name, &v[i].st);
}

static int stop_names(struct box_ctx *ctx, char *const names[], size_t n,
		      int grace_secs, struct errs *ep)
{
	struct errs e = *ep;
	struct box_err one;
	const struct cg_layout *l = ctx_cg(ctx, &one);
	struct victim *v = l ? calloc(n ? n : 1, sizeof *v) : NULL;
	if (!v) {
		if (l)
			box_fail(&one, BOX_ESYS, ENOMEM, "stop");
		if (!n && e.first)
			*e.first = one;
		for (size_t i = 0; i < n; i++)
			note(&e, i, &one);
		*ep = e;
		return n ? errs_done(ep) : -1;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		struct box_state st;
		enum box_status status;
		box_err_clear(&one);
		if (ct_load_live(ctx, names[i], &st, &status, &one) < 0) {
			/* half removed: nothing of it runs (stop --all
			 * passes over it) */
			if (!store_incomplete(ctx, names[i]))
				note(&e, i, &one);
			continue;
		}
		if (status != BOX_RUNNING && status != BOX_PAUSED) {
			if (!ct_cancel_restart(ctx, names[i], &st))
				ct_reconcile(ctx, names[i], &st); /* idempotent */
			continue;
		}
		victim_set(ctx, &v[k++], names[i], i, &st, status == BOX_PAUSED);
	}
	if (k > 1)
		sync_root(ctx);
	stop_victims(ctx, l, v, k, grace_secs, true, &e);
	free(v);
	*ep = e;
	return errs_done(ep);
}

/* errs[i] cleared first: kind BOX_EOK is "that one went well". */
static struct errs errs_each(struct box_err *errs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		box_err_clear(&errs[i]);
	return (struct errs){NULL, errs, 0};
}

int box_stop_many(struct box_ctx *ctx, char *const names[], size_t n,
		  int grace_secs, struct box_err *err)
{
	struct errs e = {err, NULL, 0};
	return stop_names(ctx, names, n, grace_secs, &e);
}

size_t box_stop_each(struct box_ctx *ctx, char *const names[], size_t n,
		     int grace_secs, struct box_err *errs)
{
	struct errs e = errs_each(errs, n);
	stop_names(ctx, names, n, grace_secs, &e);
	return e.n;
}

int box_stop(struct box_ctx *ctx, const char *name, int grace_secs,
	     struct box_err *err)
{
	char *names[] = {(char *)name};
	return box_stop_many(ctx, names, 1, grace_secs, err);
}

struct cg_job {
	struct box_ctx *ctx;
	const char *name;
};

static void *cleanup_cgroup_job(void *arg)
{
	struct cg_job *j = arg;
	monitor_cleanup_cgroup(j->ctx, j->name);
	return NULL;
}

/* The slice of ids of a container with a user namespace, from its config.
 * Only one whose writable layer is not root's (its root's, since create)
 * or that has none can have one: the others are told by a stat instead of
 * reading their config (rm of many).  A removal finished after its config
 * went (see remove_rest) knows the slice by that layer's owner. */
static bool slice_of(struct box_ctx *ctx, const char *name, json_t *config,
		     struct userns_ids *ids)
{
	char upper[PATH_MAX];
	struct stat st;
	bool have_upper = !config &&
		store_dir(ctx, name, "upper", upper, sizeof upper, NULL) == 0 &&
		stat(upper, &st) == 0;
	if (have_upper && st.st_uid == 0)
		return false;
	json_t *own = config ? NULL : store_load_config(ctx, name, NULL);
	bool has = userns_config_get(config ? config : own, ids);
	json_decref(own);
	if (!has && have_upper) {
		*ids = (struct userns_ids){st.st_uid, st.st_gid, USERNS_SLICE};
		has = true;
	}
	return has;
}

/* The rest of a removal, once config.json is gone (the container no
 * longer exists, it is "removing"): each step undoes what create or start
 * made and may be done again, so a removal interrupted anywhere is finished
 * by the next one, from here.  Caller holds the lock.  config: for
 * discard's network teardown, or NULL. */
static int remove_rest(struct box_ctx *ctx, const char *name, bool discard,
		       json_t *config, const struct userns_ids *slice,
		       struct box_err *err)
{
	/* A cgroup still there (rmdir in each hierarchy) and the files
	 * (inodes freed on disk) are both kernel work of ~0.4 ms here and
	 * independent: the cgroup goes on a second thread meanwhile.  That
	 * thread touches only cgroup files and reads ctx. */
	struct cg_job job = {ctx, name};
	pthread_t t;
	bool threaded = false;
	char cg[256];
	const struct cg_layout *l = ctx_cg(ctx, NULL);
	if (l && ctx_cgroup(ctx, name, cg, sizeof cg, NULL) == 0 &&
	    cg_exists(l, cg))
		threaded = pthread_create(&t, NULL, cleanup_cgroup_job, &job) == 0;
	if (!threaded)
		monitor_cleanup_cgroup(ctx, name);
	/* What a monitor leaves (host-side links) is gone with it, unless
	 * run --rm was the monitor. */
	if (discard && config)
		net_teardown(ctx, name, config);
	/* a lease of a name whose directory is there is kept (net_store.c):
	 * it goes before the directory does */
	net_release(ctx, name, NULL);
	util_crash_point("rm-released");
	/* its slice of ids (--userns auto) goes only with its directory: a
	 * container that stays keeps it */
	struct userns_ids ids = slice ? *slice : (struct userns_ids){0};
	bool userns = slice ? slice->size > 0 : slice_of(ctx, name, config, &ids);
	store_run_remove(ctx, name);
	/* the directory last: while it is there, the container is listed
	 * as removing and the next rm finishes it */
	int rc = spare_retire(ctx, name, err);
	if (rc == 0 && userns)
		userns_release(ctx, name, &ids);
	if (threaded)
		pthread_join(t, NULL);
	return rc;
}

/* Remove a container whose init is gone.  discard: `run --rm` reaped it
 * itself, so what a monitor releases (network links) goes here too.
 * config: its config if the caller has it (borrowed), else NULL.  One that
 * an interrupted create or rm left without config.json is finished. */
static int remove_gone(struct box_ctx *ctx, const char *name, bool discard,
		       json_t *config, struct box_err *err)
{
	/* what it removes is named by name: never "..", ".spare" */
	if (box_check_name(name, err) < 0)
		return box_err_wrap(err, "rm");
	int lock = store_lock(ctx, name, err);
	if (lock < 0)
		return -1;
	struct box_state st;
	if (store_load_state(ctx, name, &st, NULL) == 0 &&
	    ct_real_status(ctx, name, &st) == BOX_RUNNING &&
	    store_exists(ctx, name)) {
		store_unlock(lock);
		return box_fail(err, BOX_ESTATE, 0,
				"rm %s: container was started again meanwhile", name);
	}
	/* read for the network teardown while it is there */
	if (discard)
		config = config ? json_incref(config)
				: store_load_config(ctx, name, NULL);
	/* The commit point: from here the container is gone, whatever
	 * stops the rest (ENOENT: an interrupted one, being finished). */
	/* its slice of ids, known by its config while there is one (a
	 * read-only root has no layer to tell it by afterwards) */
	struct userns_ids slice = {0};
	if (!slice_of(ctx, name, config, &slice))
		slice.size = 0;
	char path[PATH_MAX];
	int rc = store_dir(ctx, name, "config.json", path, sizeof path, err);
	if (rc == 0 && unlink(path) < 0 && errno != ENOENT)
		rc = box_fail(err, BOX_ESYS, errno, "unlink %s", path);
	if (rc == 0) {
		util_crash_point("rm-unlinked");
		rc = remove_rest(ctx, name, discard, config, &slice, err);
	}
	if (discard)
		json_decref(config);
	store_unlock(lock);
	return rc < 0 ? box_err_wrap(err, "rm %s", name) : 0;
}

int ct_finish_removal(struct box_ctx *ctx, const char *name,
		      struct box_err *err)
{
	if (box_check_name(name, err) < 0 ||
	    remove_rest(ctx, name, false, NULL, NULL, err) < 0)
		return box_err_wrap(err, "finish removing %s", name);
	return 0;
}

int ct_discard(struct box_ctx *ctx, const char *name, json_t *config,
	       struct box_err *err)
{
	return remove_gone(ctx, name, true, config, err);
}

/* Removing is mostly waiting: every block a container's files and
 * directories free is a synchronous discard on a filesystem mounted with
 * -o discard and no journal (this VM: ~50 of the ~70 us an rmdir takes),
 * and the kernel's cgroup teardown.  Workers that take the next container
 * from a shared counter overlap those waits: more of them than CPUs (100
 * stopped containers here: 2 workers 59 ms, 4 48, 8 36, 12 and 16 36). */
#define RM_THREADS 8

struct rm_job {
	struct box_ctx *ctx;
	char *const *names;
	const bool *ok;
	struct victim *const *killed; /* [i]: names[i] was stopped for rm */
	size_t n;
	size_t next; /* taken with an atomic add */
	struct box_err *errv;
	int *rcv;
};

static void *rm_worker(void *arg)
{
	struct rm_job *j = arg;
	for (;;) {
		size_t i = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED);
		if (i >= j->n)
			return NULL;
		if (!j->ok[i])
			continue;
		/* Its monitor is still recording the exit while others are
		 * removed already: these waits overlap the removals. */
		if (j->killed[i])
			ct_wait_stopped(j->ctx, j->names[i], &j->killed[i]->st);
		j->rcv[i] = remove_gone(j->ctx, j->names[i], false, NULL,
					&j->errv[i]);
	}
}

static void remove_all(struct box_ctx *ctx, char *const names[],
		       const bool *ok, struct victim *const *killed, size_t n,
		       struct errs *e)
{
	struct box_err *errv = calloc(n ? n : 1, sizeof *errv);
	int *rcv = calloc(n ? n : 1, sizeof *rcv);
	struct rm_job job = {ctx, names, ok, killed, n, 0, errv, rcv};
	if (!errv || !rcv) {
		free(errv), free(rcv);
		for (size_t i = 0; i < n; i++) {
			struct box_err one = {0};
			if (killed[i])
				ct_wait_stopped(ctx, names[i], &killed[i]->st);
			if (ok[i] && remove_gone(ctx, names[i], false, NULL, &one) < 0)
				note(e, i, &one);
		}
		return;
	}
	/* this thread is one worker; no more workers than containers */
	pthread_t t[RM_THREADS - 1];
	size_t k = 0;
	while (k < RM_THREADS - 1 && k + 1 < n &&
	       pthread_create(&t[k], NULL, rm_worker, &job) == 0)
		k++;
	rm_worker(&job);
	while (k)
		pthread_join(t[--k], NULL);
	/* errors in the order of the names */
	for (size_t i = 0; i < n; i++)
		if (ok[i] && rcv[i] < 0)
			note(e, i, &errv[i]);
	free(errv);
	free(rcv);
}

static int remove_names(struct box_ctx *ctx, char *const names[], size_t n,
			bool force, struct errs *ep)
{
	struct errs e = *ep;
	struct box_err one;
	struct victim *live = calloc(n ? n : 1, sizeof *live);
	struct victim **killed = calloc(n ? n : 1, sizeof *killed);
	bool *ok = calloc(n ? n : 1, sizeof *ok);
	if (!live || !killed || !ok) {
		free(live);
		free(killed);
		free(ok);
		box_fail(&one, BOX_ESYS, ENOMEM, "rm");
		if (!n && e.first)
			*e.first = one;
		for (size_t i = 0; i < n; i++)
			note(&e, i, &one);
		*ep = e;
		return -1;
	}
	size_t n_live = 0;
	for (size_t i = 0; i < n; i++) {
		struct box_state st = {0}; /* not loaded for a half-made one */
		enum box_status status;
		box_err_clear(&one);
		if (ct_load_live(ctx, names[i], &st, &status, &one) < 0) {
			/* A corrupt state.json must not make a container
			 * immortal: --force removes it anyway.  What an
			 * interrupted create or rm left is finished, with
			 * or without --force: nothing of it runs. */
			if (store_incomplete(ctx, names[i]))
				status = BOX_REMOVING;
			else if (one.kind != BOX_EINVAL || !force ||
				 box_check_name(names[i], NULL) < 0) {
				/* (an invalid name is EINVAL too: `rm
				 * --force ..` removed the whole root) */
				note(&e, i, &one);
				continue;
			} else {
				monitor_cleanup_cgroup(ctx, names[i]);
				status = BOX_STOPPED;
			}
		}
		ct_cancel_restart(ctx, names[i], &st);
		if (status == BOX_RUNNING || status == BOX_PAUSED) {
			if (!force) {
				box_fail(&one, BOX_ESTATE, 0,
					 "rm %s: container is %s (stop it first, or use --force)",
					 names[i], box_status_name(status));
				note(&e, i, &one);
				continue;
			}
			if (n_live == 0 && n > 1)
				sync_root(ctx);
			killed[i] = &live[n_live];
			struct victim *x = &live[n_live++];
			victim_set(ctx, x, names[i], i, &st,
				   status == BOX_PAUSED);
			ct_stopped_by_hand(&st);
			/* killed now: its teardown overlaps loading the others
			 * (stop_victims kills what is left of it) */
			if (x->pidfd >= 0)
				syscall(SYS_pidfd_send_signal, x->pidfd, SIGKILL,
					NULL, 0);
		}
		ok[i] = true;
	}
	const struct cg_layout *l = ctx_cg(ctx, &one);
	for (size_t i = 0; n_live && !l && i < n_live; i++)
		note(&e, live[i].idx, &one);
	if (n_live && l)
		stop_victims(ctx, l, live, n_live, 0, false, &e);
	remove_all(ctx, names, ok, killed, n, &e);
	free(live);
	free(killed);
	free(ok);
	/* The root's parent cgroup goes once no container runs (rmdir of a
	 * parent with children fails, which is right); a start makes it
	 * again. */
	if (l)
		cg_destroy_prefix(l, ctx->cg_prefix, NULL);
	*ep = e;
	return errs_done(ep);
}

int box_remove_many(struct box_ctx *ctx, char *const names[], size_t n,
		    bool force, struct box_err *err)
{
	struct errs e = {err, NULL, 0};
	return remove_names(ctx, names, n, force, &e);
}

size_t box_remove_each(struct box_ctx *ctx, char *const names[], size_t n,
		       bool force, struct box_err *errs)
{
	struct errs e = errs_each(errs, n);
	remove_names(ctx, names, n, force, &e);
	return e.n;
}

int box_remove(struct box_ctx *ctx, const char *name, bool force,
	       struct box_err *err)
{
	char *names[] = {(char *)name};
	return box_remove_many(ctx, names, 1, force, err);
}
