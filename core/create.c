/* create.c - a new container: its directory, OCI config, network lease. */
#include "confine.h"
#include "container.h"
#include "image.h"
#include "monitor.h"
#include "net.h"
#include "seccomp_filter.h"
#include "spec.h"
#include "spare.h"
#include "userns.h"
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

static int create_applied(struct box_ctx *ctx,
			  const struct box_create_opts *o, bool durable,
			  json_t **keep, struct box_err *err);

/* A profile's defaults first, explicit options over them (image.h). */
int ct_create(struct box_ctx *ctx, const struct box_create_opts *in,
	      bool durable, json_t **keep, struct box_err *err)
{
	struct box_create_opts o;
	void *hold;
	if (profile_apply(ctx, in, &o, &hold, err) < 0)
		return box_err_wrap(err, "create %s", in->name ? in->name : "");
	int rc = create_applied(ctx, &o, durable, keep, err);
	profile_release(hold);
	return rc;
}

/* Is the directory behind the lock fd still the one at dir? */
static bool still_there(int lock, const char *dir)
{
	struct stat a, b;
	return fstat(lock, &a) == 0 && stat(dir, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* dir is taken: by a container (-1, EEXIST), or by what an interrupted
 * create or rm left, which is removed now, once whoever may be at it (the
 * lock holder) is done (1: try again); -1 with err set. */
static int clear_leftover(struct box_ctx *ctx, const char *name,
			  const char *dir, struct box_err *err)
{
	int rc = 0;
	if (!store_exists(ctx, name)) {
		int lock = store_lock(ctx, name, err);
		if (lock < 0) /* ENOENT: removed meanwhile */
			return err && err->kind == BOX_ENOENT ? 1 : -1;
		if (!still_there(lock, dir))
			rc = 1; /* removed meanwhile */
		else if (!store_exists(ctx, name))
			rc = ct_finish_removal(ctx, name, err) < 0 ? -1 : 1;
		store_unlock(lock);
	}
	if (rc == 0) /* a container, or made meanwhile */
		return box_fail(err, BOX_EEXIST, 0,
				"container '%s': already exists", name);
	return rc;
}

/* Reserve the container's directory and lock it: a removed container's
 * directory, writable layer included, if one is kept (spare.h), else a new
 * one (*fresh: its layer directories are still to be made); a read-only
 * root has no writable layer at all (spec.c).  Until locked, the directory
 * is one without config.json that an rm or create finishing interrupted
 * ones may take away: the lock counts once the directory locked is still
 * the one in place, else it starts again.  The lock fd, or -1. */
static int reserve(struct box_ctx *ctx, const struct box_create_opts *o,
		   const char *dir, int *fresh, struct box_err *err)
{
	for (int tries = 0;; tries++) {
		*fresh = o->read_only ? 1 : spare_take(ctx, o->name, err);
		if (*fresh < 0)
			return -1;
		if (*fresh && mkdir(dir, 0700) < 0) {
			if (errno != EEXIST)
				return box_fail(err, BOX_ESYS, errno, "mkdir %s",
						dir);
			int r = clear_leftover(ctx, o->name, dir, err);
			if (r <= 0)
				return -1;
		} else {
			int lock = store_lock(ctx, o->name, err);
			if (lock >= 0 && still_there(lock, dir))
				return lock;
			if (lock < 0 && err && err->kind != BOX_ENOENT)
				return -1;
			store_unlock(lock);
		}
		if (tries == 8) /* someone keeps taking it: say so */
			return box_fail(err, BOX_ESTATE, 0,
					"container '%s': being made and removed by others at once",
					o->name);
	}
}

static int create_applied(struct box_ctx *ctx,
			  const struct box_create_opts *o, bool durable,
			  json_t **keep, struct box_err *err)
{
	if (box_check_name(o->name, err) < 0)
		return -1;
	if (o->hostname && (!*o->hostname || strlen(o->hostname) > 64))
		return box_fail(err, BOX_EINVAL, 0,
				"invalid hostname '%.64s': 1 to 64 characters",
				o->hostname);
	/* RFC 1123 letters, digits, '-' and '.' ('_' as docker lets pass):
	 * a newline would forge lines in /etc/hosts */
	char shown[80];
	if (o->hostname && o->hostname[strspn(o->hostname,
			"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._")])
		return box_fail(err, BOX_EINVAL, 0,
				"invalid hostname '%s': only letters, digits, '-', '.' and '_'",
				util_printable(o->hostname, shown, sizeof shown));
	if (o->cpus < 0 || (o->cpus > 0 && o->cpus < 0.01))
		return box_fail(err, BOX_EINVAL, 0,
				"invalid cpus '%g': at least 0.01", o->cpus);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu > 0 && o->cpus > (double)ncpu)
		return box_fail(err, BOX_EINVAL, 0,
				"invalid cpus '%g': this host has %ld CPUs", o->cpus, ncpu);
	if (o->memory && o->memory < BOX_MIN_MEMORY)
		return box_fail(err, BOX_EINVAL, 0,
				"invalid memory limit %lld bytes: at least 6M (a container cannot start under less)",
				(long long)o->memory);
	if (o->pids < -1)
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
	/* capability names and --device nodes, before anything is made */
	if (confine_check(o, err) < 0)
		return box_err_wrap(err, "create %s", o->name);
	const char *image = o->image ? o->image : BOX_DEFAULT_IMAGE;
	struct img_ref img;
	if (image_resolve(ctx, image, &img, err) < 0)
		return box_err_wrap(err, "create %s", o->name);
	/* Held until config.json names the image: `image rm` waits for it,
	 * then sees this container as a user. */
	int pin = image_pin(ctx, image, err);
	if (pin < 0) {
		image_ref_free(&img);
		return box_err_wrap(err, "create %s", o->name);
	}

	char dir[PATH_MAX], path[PATH_MAX], cg[256];
	json_t *config = NULL;
	bool made_dir = false, net_done = false, claimed = false;
	struct userns_ids ids;
	int lock = -1;
	if (store_dir(ctx, o->name, NULL, dir, sizeof dir, err) < 0 ||
	    ctx_cgroup(ctx, o->name, cg, sizeof cg, err) < 0)
		goto fail;
	int fresh;
	if ((lock = reserve(ctx, o, dir, &fresh, err)) < 0)
		goto fail;
	made_dir = true;
	util_crash_point("create-reserved");
	/* the rootfs mountpoint is runtime state (monitor.c); upper/ is the
	 * container's /: 0755 whatever our umask */
	static const char *const subdirs[] = {"upper", "work"};
	for (size_t i = 0; fresh && !o->read_only && i < ARRAY_LEN(subdirs); i++) {
		if (store_dir(ctx, o->name, subdirs[i], path, sizeof path, err) < 0)
			goto fail;
		if (mkdir(path, 0755) < 0 || chmod(path, 0755) < 0) {
			box_fail(err, BOX_ESYS, errno, "mkdir %s", path);
			goto fail;
		}
	}
	/* --userns auto: a slice of ids of its own, and its writable layer
	 * (the root directory of the container's /) owned by its root */
	if (o->userns == BOX_USERNS_AUTO) {
		if (userns_alloc(ctx, o->name, &ids, err) < 0)
			goto fail;
		claimed = true;
		for (size_t i = 0; !o->read_only && i < ARRAY_LEN(subdirs); i++) {
			if (store_dir(ctx, o->name, subdirs[i], path, sizeof path, err) < 0)
				goto fail;
			if (chown(path, ids.uid, ids.gid) < 0) {
				box_fail(err, BOX_ESYS, errno, "chown %s", path);
				goto fail;
			}
		}
	}
	/* the integrity check's reference hashes, from the image as it is */
	if (verify_record(ctx, o->name, img.lowerdir, o->verify, o->n_verify,
			  err) < 0)
		goto fail;
	config = config_build(o, image, &img, cg, err);
	if (!config || seccomp_config_compiles(ctx, config, err) < 0 ||
	    (claimed && userns_config_set(config, &ids, err) < 0))
		goto fail;
	if (net_prepare(ctx, o->name, o, config, err) < 0)
		goto fail;
	net_done = true;
	util_crash_point("create-leased");
	/* No state.json: none means "created" (store.c).  Its run directory
	 * is made now all the same, so that one nobody else may trust is
	 * refused before the container exists.  config.json last: its
	 * presence is what makes the container exist. */
	if (store_run_make(ctx, o->name, err) < 0 ||
	    (durable ? store_save_config(ctx, o->name, config, err)
		     : store_save_config_fast(ctx, o->name, config, err)) < 0)
		goto fail;
	if (keep)
		*keep = config;
	else
		json_decref(config);
	image_ref_free(&img);
	image_unpin(pin);
	store_unlock(lock);
	return 0;
fail:
	if (net_done)
		net_release(ctx, o->name, NULL);
	json_decref(config);
	image_ref_free(&img);
	if (made_dir) {
		util_rm_rf(dir, NULL);
		store_run_remove(ctx, o->name);
	}
	if (claimed)
		userns_release(ctx, o->name, &ids);
	image_unpin(pin);
	store_unlock(lock);
	return box_err_wrap(err, "create %s", o->name);
}

int box_create(struct box_ctx *ctx, const struct box_create_opts *o,
	       struct box_err *err)
{
	return ct_create(ctx, o, true, NULL, err);
}
