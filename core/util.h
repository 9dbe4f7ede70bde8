/* util.h - small helpers shared by the core modules (not public API). */
#ifndef BOX_UTIL_H
#define BOX_UTIL_H

#include "box.h"

#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

/* Scope-bound cleanup, as crun does: the fd or buffer goes when the
 * variable goes out of scope, on every error path. */
static inline void util_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
static inline void util_freep(void *p)
{
	free(*(void **)p);
}
#define auto_fd __attribute__((cleanup(util_closep))) int
#define auto_free __attribute__((cleanup(util_freep)))

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* snprintf into buf; fails with an error naming the path if it would be cut. */
int util_path(char *buf, size_t len, struct box_err *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* mkdir -p with mode for every new component. */
int util_mkdir_p(const char *path, mode_t mode, struct box_err *err);
/* s cut to fit buf, every control character shown as '?': a value quoted
 * in a one-line error stays on one line. */
const char *util_printable(const char *s, char *buf, size_t len);
/* Mark dir as the top of independent hierarchies (chattr +T) where the
 * filesystem knows the flag (ext2/3/4): its subdirectories are then
 * spread over the block groups (ext4's Orlov allocator) instead of packed
 * beside it.  Best effort, errors ignored. */
void util_set_topdir(const char *dir);
/* A depth-first walk below the directory dirfd, iterative: any depth, and
 * a bounded number of descriptors (the top levels keep theirs; deeper
 * directories are left by "..", checked to be the one the walk came down
 * from).  A directory is never entered through a symlink.  With a mirror
 * (a directory fd, else -1) the walk goes down and up the same names in
 * it too, in step: a copy's destination. */
struct stat;
struct util_walk_pos {
	int fd;                 /* a directory of the walk */
	int mirror;             /* the same one in the mirror, or -1 */
};
struct util_walk_ops {
	/* Each entry of the directory at, as lstat gives it (entries gone
	 * meanwhile are skipped): 1 enters it (a directory; with a mirror,
	 * visit has made it there), 0 goes on, <0 stops the walk with that
	 * value. */
	int (*visit)(void *arg, const struct util_walk_pos *at,
		     const char *name, const struct stat *st);
	/* Just entered dir (may be NULL), before its entries. */
	int (*enter)(void *arg, const struct util_walk_pos *dir,
		     const struct stat *st);
	/* After the entries of dir, held by parent as name (may be NULL).
	 * Neither is called for dirfd itself. */
	int (*leave)(void *arg, const struct util_walk_pos *parent,
		     const char *name, const struct util_walk_pos *dir,
		     const struct stat *st);
	bool sorted;            /* entries in strcmp order, else as read */
};
/* 0, a callback's value <0, or -errno: a directory that cannot be opened
 * or read, or -ESTALE for one moved during the walk. */
int util_walk(int dirfd, int mirror, const struct util_walk_ops *ops,
	      void *arg);
/* rm -rf that stays on one filesystem and never follows symlinks, at any
 * depth. */
int util_rm_rf(const char *path, struct box_err *err);
/* The same for the entry name of the directory dirfd; what names it in
 * errors. */
int util_rm_rf_at(int dirfd, const char *name, const char *what,
		  struct box_err *err);
/* The same, with the entry `last` of the directory removed only after all
 * the others: a removal that fails midway leaves it in place (a container
 * keeps its config.json and stays listed, to be removed again). */
int util_rm_rf_last(const char *path, const char *last, struct box_err *err);
/* Remove every entry of the directory path except those named in keep
 * (NULL-terminated): a kept directory is emptied instead, a kept file
 * left as it is.  Same rules as above; a missing path is empty. */
int util_empty_dir(const char *path, const char *const *keep,
		   struct box_err *err);
/* A JSON file, as json_load_file would (NULL and je filled on failure,
 * errno ENOENT for a missing one) but read with util_read_file: opened
 * O_CLOEXEC and read in blocks, where jansson's fopen is not close-on-exec
 * and reads a getc() at a time. */
json_t *util_json_load(const char *path, json_error_t *je);
/* Whole file into a NUL-terminated malloc'd buffer. */
char *util_read_file(const char *path, size_t *len, struct box_err *err);
/* Read a small file (e.g. a cgroup or /proc knob) through an open dirfd. */
ssize_t util_read_at(int dirfd, const char *name, char *buf, size_t len);
/* Write a string to a file, no create, no truncate (cgroup/proc knobs). */
int util_write_knob(const char *path, const char *val, struct box_err *err);
/* Atomic replace: write tmp, fsync, rename. */
int util_write_atomic(const char *path, const char *data, size_t len,
		      mode_t mode, struct box_err *err);
/* The same without fsync: for files rebuilt from live state anyway
 * (state.json is checked against the running processes on every read),
 * where an fsync would cost milliseconds on every start and stop. */
int util_write_replace(const char *path, const char *data, size_t len,
		       mode_t mode, struct box_err *err);
/* Clock: seconds since the epoch as "2026-11-24T03:49:53Z". */
void util_iso8601(time_t t, char *buf, size_t len);
time_t util_parse_iso8601(const char *s);
/* Monotonic milliseconds. */
uint64_t util_now_ms(void);
/* Start time of pid in clock ticks since boot (field 22 of /proc/pid/stat),
 * 0 if the process does not exist.  With the pid it names a process
 * uniquely, so a recycled pid is never mistaken for a container. */
uint64_t util_pid_starttime(pid_t pid);
/* Test hook: BOXTOP_TEST_CRASH_AT=STEP (or STEP:N, the Nth time that step
 * is reached in this process) makes the process kill itself with SIGKILL
 * at that step, as a kill -9 landing there would.  t_faults proves with it
 * that every step of a multi-step operation is recoverable.  Unset (the
 * normal case) it costs one getenv, no system call. */
void util_crash_point(const char *step);
/* Close every fd >= from, except keep (-1 for none). */
void util_close_from(int from);
/* Close every fd but those in keep (n at most 16; -1 entries ignored).
 * 0 or -EINVAL. */
int util_close_except(const int *keep, size_t n);
/* What a process keeps before a container can see it (util_fds.c):
 * stdio[i] becomes fd i (-1: fd i stays as it is) without close-on-exec,
 * the fds of keep stay open (one that sat in 0-2 moves up: keep is
 * updated), every other fd is closed.  0 or -errno. */
int util_fds_keep(const int stdio[3], int *keep, size_t n);
/* A regular file inside the tree rootfd, never out of it (util_inroot.c):
 * path resolves as if rootfd were / (openat2 RESOLVE_IN_ROOT: "..",
 * absolute symlinks), through no /proc magic link, and only a regular file
 * is ever opened (a FIFO would block, a device node act): O_RDONLY,
 * O_CLOEXEC, O_NONBLOCK.  -1 with errno (EINVAL: not a regular file). */
int util_open_in_root(int rootfd, const char *path);
/* Its content, NUL-terminated and malloc'd, when it holds at most max
 * bytes (else EFBIG); NULL with errno. */
char *util_read_in_root(int rootfd, const char *path, size_t max, size_t *len);
/* The entries of dir not starting with '.', sorted; with suffix (".json")
 * only those ending in it, with it cut off.  A missing dir is an empty
 * list.  Free with util_names_free. */
int util_list_names(const char *dir, const char *suffix, char ***names,
		    size_t *n, struct box_err *err);
void util_names_free(char **names, size_t n);
/* flock(fd, op), retried on EINTR; on failure closes fd and fails with
 * "lock <path>". Returns fd. */
int util_flock(int fd, int op, const char *path, struct box_err *err);
/* Open (creating, 0600) the lock file path and take a shared or exclusive
 * flock on it: the fd holds the lock until closed. */
int util_lock_file(const char *path, bool exclusive, struct box_err *err);
/* Write all of buf, retrying on EINTR and short writes. */
int util_write_all(int fd, const void *buf, size_t len);
/* Pass an fd over a unix socket (SCM_RIGHTS, one byte with it); receive
 * one (O_CLOEXEC), -1 on EOF, error or a message without exactly one. */
int util_send_fd(int sock, int fd);
int util_recv_fd(int sock);
/* The same for up to UTIL_MAX_FDS descriptors (n may be 0) with a payload
 * byte of the caller's.  util_recv_fds: the count received (O_CLOEXEC) into
 * fds, or -1 on EOF or error (EMSGSIZE: more than max came; none kept). */
#define UTIL_MAX_FDS 16
int util_send_fds(int sock, char byte, const int *fds, int n);
int util_recv_fds(int sock, char *byte, int *fds, int max);

#endif
