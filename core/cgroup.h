/* cgroup.h - one interface over cgroup v1, v2 and hybrid hosts.
 *
 * The layout is detected at runtime from /proc/self/mountinfo:
 *   v2      /sys/fs/cgroup is cgroup2 (controllers in cgroup.controllers)
 *   v1      per-controller hierarchies (cpu, cpuacct, memory, pids, freezer,
 *           blkio, devices, ...), possibly co-mounted ("cpu,cpuacct")
 *   hybrid  v1 controllers plus a cgroup2 mount (e.g. /sys/fs/cgroup/unified)
 *           that holds no controllers but gives cgroup.freeze/cgroup.kill and
 *           the process-tracking hierarchy.
 * A container's cgroup is the same relative path (e.g. "boxtop/web") in
 * every hierarchy that is used.
 */
#ifndef BOX_CGROUP_H
#define BOX_CGROUP_H

#include "box.h"

enum cg_mode { CG_V1, CG_V2, CG_HYBRID };

#define CG_MAX_HIER 16

struct cg_hier {
	char mount[256];        /* mount point */
	char controllers[128];  /* "cpu,cpuacct", "memory", "" for cgroup2 */
	bool v2;
};

struct cg_layout {
	enum cg_mode mode;
	struct cg_hier hier[CG_MAX_HIER];
	int n_hier;
	/* index into hier[] per role, -1 when absent.  devices: the v1
	 * devices hierarchy where one is mounted (its rules are files), else
	 * the cgroup2 one (a device program needs no controller) */
	int cpu, cpuacct, memory, pids, freezer, blkio, devices, unified;
	/* v1 hierarchies left without a role when cgroup2 took theirs (see
	 * cg_detect): no cgroup is made or joined there, but removal still
	 * clears what an older boxtop made */
	struct cg_hier legacy[2];
	int n_legacy;
};

struct cg_limits {
	int64_t memory;   /* bytes, 0 = none */
	int64_t cpu_quota_us; /* per cpu_period_us, 0 = none */
	int64_t cpu_period_us;
	uint64_t cpu_shares;  /* v1 shares (2..262144), 0 = default; v2 weight is derived */
	int64_t pids;     /* 0 = none */
};

struct cg_counters {
	uint64_t cpu_ns;        /* total CPU time used */
	uint64_t mem_bytes;     /* current usage */
	uint64_t mem_limit;     /* 0 = none */
	uint64_t pids;          /* current tasks */
	uint64_t blk_read;      /* bytes */
	uint64_t blk_write;
	/* blk_read/blk_write are what the kernel charged to the cgroup,
	 * every kind of write included: cgroup2 io.stat (it charges
	 * writeback to the page's owner).  v1 blkio's counts (still parsed)
	 * are not: a buffered write reaches the disk from the flusher,
	 * charged to the root, and since Linux 5.x blk-throttle counts a bio
	 * at all only on a device some cgroup set a throttle rule on
	 * (blk_should_throtl), so they read 0 while the container writes. */
	bool io_counts;
	uint64_t oom_kills;
};

/* Detect from mountinfo_path (normally "/proc/self/mountinfo"; tests pass a
 * fixture file).  Fails with a clear error when no usable hierarchy exists.
 * On a hybrid host, CPU usage and freezing come from the cgroup2 hierarchy
 * (cpu.stat and cgroup.freeze need no controller there, Linux 5.2 and
 * later): each start then makes, joins and removes two cgroups fewer than
 * with v1's cpuacct and freezer (~0.2 ms of a run --rm here). */
int cg_detect(struct cg_layout *out, const char *mountinfo_path,
	      struct box_err *err);

/* Create relpath in every used hierarchy, apply limits, and return 0.  On
 * failure everything it created is removed again. */
int cg_create(const struct cg_layout *l, const char *relpath,
	      const struct cg_limits *lim, struct box_err *err);
/* Move pid into relpath in every hierarchy. */
int cg_attach(const struct cg_layout *l, const char *relpath, pid_t pid,
	      struct box_err *err);
/* rmdir relpath in every hierarchy (ENOENT is fine); fails if not empty. */
int cg_destroy(const struct cg_layout *l, const char *relpath,
	       struct box_err *err);
int cg_exists(const struct cg_layout *l, const char *relpath);

/* Freeze or thaw: v2 cgroup.freeze when the unified hierarchy has it (real
 * v2 or hybrid), else v1 freezer.state.  Waits until the kernel reports the
 * new state (FROZEN / frozen 1). */
int cg_freeze(const struct cg_layout *l, const char *relpath, bool frozen,
	      struct box_err *err);
/* 1 frozen, 0 not, -1 error. */
int cg_is_frozen(const struct cg_layout *l, const char *relpath);

/* Signal every process: v2 cgroup.kill for SIGKILL where present; otherwise
 * freeze, signal every pid in cgroup.procs, thaw; for SIGKILL repeat until
 * the cgroup is empty. */
int cg_kill(const struct cg_layout *l, const char *relpath, int sig,
	    struct box_err *err);
/* SIGKILL every process without waiting for the cgroup to empty (cgroup.kill
 * where present, else one pass over cgroup.procs): lets a caller stopping
 * many containers have the kernel tear them all down at once. */
int cg_kill_nowait(const struct cg_layout *l, const char *relpath,
		   struct box_err *err);
/* Processes in the cgroup (malloc'd array in *pids). */
int cg_pids(const struct cg_layout *l, const char *relpath, pid_t **pids,
	    size_t *n, struct box_err *err);
/* true when no process is left. */
bool cg_empty(const struct cg_layout *l, const char *relpath);

/* Read the counters the list pane shows, one open+read per file. */
int cg_read_counters(const struct cg_layout *l, const char *relpath,
		     struct cg_counters *out, struct box_err *err);

/* Convert --cpus to quota/period: 0.5 -> 50000/100000. */
void cg_cpus_to_quota(double cpus, int64_t *quota_us, int64_t *period_us);

/* ---- additions (cgroup module) ------------------------------------------ */

/* cg_detect with every mount point taken relative to root ("" or NULL: the
 * real /); lets tests point the layout at a fixture tree. */
int cg_detect_at(struct cg_layout *out, const char *mountinfo_path,
		 const char *root, struct box_err *err);
/* The same with the cgroup2 preference above on or off (off: every role a
 * v1 hierarchy carries stays there, as on a kernel before 5.2). */
int cg_detect_with(struct cg_layout *out, const char *mountinfo_path,
		   const char *root, bool core_v2, struct box_err *err);
/* rmdir the shared prefix (e.g. "boxtop-1234abcd") in every hierarchy if it
 * is empty; a prefix still holding containers is left alone (returns 0). */
int cg_destroy_prefix(const struct cg_layout *l, const char *prefix,
		      struct box_err *err);
/* Fast joining for a freshly forked, single-threaded child (spawn, exec).
 * Moving another process (cg_attach) takes the kernel's global
 * cgroup_threadgroup_rwsem for writing, which waits for an RCU grace period
 * (~7 ms on this VM) on the first move after a quiet spell.  Two ways
 * around it:
 *  - clone3(CLONE_INTO_CGROUP) with cg_clone_fd() places the child in the
 *    cgroup2 (unified) cgroup at fork time, without that wait;
 *  - cg_attach_self() run by the child writes "0" to each v1 hierarchy's
 *    "tasks" file, which moves the calling thread without the global lock
 *    (for a single-threaded process that is the whole process).
 * cg_clone_fd: an O_PATH fd of relpath in the unified hierarchy, for
 * clone_args.cgroup; -1 with err set when there is no cgroup2 hierarchy. */
int cg_clone_fd(const struct cg_layout *l, const char *relpath,
		struct box_err *err);
/* Move the calling single-threaded process into relpath in every hierarchy
 * (skip_unified: it already is there through CLONE_INTO_CGROUP).  Only
 * open/write/close: safe after fork() in a multi-threaded parent.  Returns
 * 0 or -errno. */
int cg_attach_self(const struct cg_layout *l, const char *relpath,
		   bool skip_unified);
/* The same in two steps, for a child that has no path to the hierarchies
 * (it pivoted into its own root) and whose parent has time to spare:
 * cg_open_join, run by the parent, opens the file a process writes to join
 * relpath in each hierarchy (skip_unified as above) and returns how many,
 * or -1 with err set; the child gets them (SCM_RIGHTS) and cg_join writes
 * "0" to each: 0 or -errno. */
int cg_open_join(const struct cg_layout *l, const char *relpath,
		 bool skip_unified, int fds[CG_MAX_HIER], struct box_err *err);
int cg_join(const int *fds, int n);
/* Only the cgroup a clone3(CLONE_INTO_CGROUP) needs (the unified
 * hierarchy's; nothing without one): a start makes the rest with
 * cg_create while the child prepares its root. */
int cg_create_clone_target(const struct cg_layout *l, const char *relpath,
			   struct box_err *err);
/* v1 cpu.shares -> v2 cpu.weight, the way crun converts it. */
uint64_t cg_shares_to_weight(uint64_t shares);
/* Bound (ms) on waiting for the kernel to confirm freeze/thaw and for
 * cg_kill to see the cgroup empty. */
#define CG_WAIT_MS 5000

/* A container's cgroup kept open for sampling: the counter files stay open
 * and are re-read with pread(), so a sample costs one pread per file and no
 * open/close or allocation.  Files that do not exist are skipped. */
enum {
	CGF_CPU, CGF_MEM, CGF_MEMLIMIT, CGF_OOM, CGF_PIDS, CGF_IO, CGF_N
};
struct cg_handle {
	int fd[CGF_N];          /* -1 when absent */
	bool v2[CGF_N];         /* format of each file */
	/* the freezer's state, the file cg_is_frozen reads: v2
	 * cgroup.events where the unified cgroup has cgroup.freeze, else v1
	 * freezer.state; -1 when neither */
	int frz_fd;
	bool frz_notifies;      /* cgroup.events: the kernel signals every
				 * change as EPOLLPRI on frz_fd */
	/* v1 blkio charges a bio to the cgroup of the task that submits it
	 * (writeback goes to the root; only v2 charges it to the page's
	 * owner), so without CPU time used no new bytes can show: the block
	 * counters of the last read, and the CPU time they go with, let
	 * cg_handle_read skip the re-read of an idle container. */
	bool io_known;
	uint64_t io_cpu_ns, io_rd, io_wr;
};
int cg_open(const struct cg_layout *l, const char *relpath,
	    struct cg_handle *h, struct box_err *err);
int cg_handle_read(struct cg_handle *h, struct cg_counters *out,
		   struct box_err *err);
/* 1 frozen, 0 not, -1 unknown (no freezer file or a read error).  Reading
 * also clears a pending EPOLLPRI on frz_fd. */
int cg_handle_frozen(struct cg_handle *h);
void cg_close(struct cg_handle *h);
/* Close v1 blkio's file (see io_counts): a sampler need not read what
 * does not count. */
void cg_handle_drop_v1_io(struct cg_handle *h);

#endif
