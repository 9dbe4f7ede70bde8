/* store.h - a container's files on disk: config.json, state.json, lock. */
#ifndef BOX_STORE_H
#define BOX_STORE_H

#include "ctx.h"

#include <jansson.h>

/* What the monitor and the lifecycle record about a run. */
struct box_state {
	enum box_status status;   /* as written: created, running or stopped */
	pid_t pid;                /* container init, host pid */
	uint64_t pid_start;       /* its start time in ticks (pid reuse guard) */
	pid_t monitor;            /* the monitor process (0: none, foreground) */
	uint64_t monitor_start;
	time_t created, started, finished;
	bool has_exit_code;
	int exit_code;
	bool oom_killed;
	char error[256];          /* why the last start failed, "" if none */
	unsigned restart_count;   /* starts by its monitor's restart policy */
	bool restarting;          /* its monitor waits to start it again */
};

/* $ROOT/containers/<name>[/<file>] */
int store_dir(const struct box_ctx *ctx, const char *name, const char *file,
	      char *buf, size_t len, struct box_err *err);
/* "<run>/<name>[/<file>]": the container's runtime directory (ctx.h). */
int store_run(const struct box_ctx *ctx, const char *name, const char *file,
	      char *buf, size_t len, struct box_err *err);
/* Make <run>/<name> (and <run>) if missing. */
int store_run_make(const struct box_ctx *ctx, const char *name,
		   struct box_err *err);
/* Remove <run>/<name>, and <run> when it was the last one. */
void store_run_remove(const struct box_ctx *ctx, const char *name);
bool store_exists(const struct box_ctx *ctx, const char *name);
/* What makes a container exist is its config.json: create writes it last
 * (its commit point), rm removes it first.  A directory without one is a
 * create or rm under way, or one a kill -9 interrupted: "removing", until
 * the next rm (or create of the name) finishes the removal (stop.c).
 * store_incomplete: a valid name whose directory is there without
 * config.json.
 * store_orphan: the same, and nobody holds its lock (not under way). */
bool store_incomplete(const struct box_ctx *ctx, const char *name);
bool store_orphan(const struct box_ctx *ctx, const char *name);
/* A valid name of an existing container, or the error saying which not
 * (BOX_ESTATE for an incomplete one). */
int store_check(const struct box_ctx *ctx, const char *name,
		struct box_err *err);
/* A time as ISO 8601 JSON string, null for 0. */
json_t *store_json_time(time_t t);

/* Exclusive lock on the container (flock on its directory): two boxtop
 * processes never change one container at once.  Returns the fd. */
int store_lock(const struct box_ctx *ctx, const char *name,
	       struct box_err *err);
void store_unlock(int fd);

int store_load_state(const struct box_ctx *ctx, const char *name,
		     struct box_state *st, struct box_err *err);
/* The same with the container's config.json in hand (may be NULL): a
 * container without state (created) takes its creation time from it
 * instead of reading the file again (it holds the seccomp profile: the
 * larger part of it). */
int store_load_state_with(const struct box_ctx *ctx, const char *name,
			  json_t *config, struct box_state *st,
			  struct box_err *err);
int store_save_state(const struct box_ctx *ctx, const char *name,
		     const struct box_state *st, struct box_err *err);
json_t *store_load_config(const struct box_ctx *ctx, const char *name,
			  struct box_err *err);
int store_save_config(const struct box_ctx *ctx, const char *name,
		      json_t *config, struct box_err *err);
/* Without fsync: the caller makes it durable later (one syncfs for a
 * whole batch). */
int store_save_config_fast(const struct box_ctx *ctx, const char *name,
			   json_t *config, struct box_err *err);

/* The console socket's address.  sun_path holds 107 bytes: a deeper root
 * goes through /proc/self/fd/<dirfd>, and *dirfd must be closed after
 * bind/connect (-1 when not used). */
struct sockaddr_un;
int store_sock_addr(const struct box_ctx *ctx, const char *name,
		    struct sockaddr_un *addr, int *dirfd, struct box_err *err);

/* Is the recorded init still the same live process? */
bool state_init_alive(const struct box_state *st);
bool state_monitor_alive(const struct box_state *st);

/* name, status, pid, image, created, ... as a JSON object (info.c). */
json_t *info_summary_json(const struct box_info *info);

#endif
