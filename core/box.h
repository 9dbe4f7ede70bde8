/* box.h - the one public header of boxtop's embedded container core.
 *
 * Front ends (the TUI and the CLI in tui/) include only this file.  The core
 * never prints and never includes curses: every failure comes back as a
 * struct box_err holding an errno-style code and one message with context,
 * and the front end decides how to show it.
 */
#ifndef BOX_H
#define BOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define BOX_NAME_MAX 64
#define BOX_ERR_MAX 512
#define BOX_DEFAULT_ROOT "/var/lib/boxtop"
#define BOX_DEFAULT_IMAGE "busybox"
/* A container's pids limit unless told otherwise, as podman's: a fork
 * bomb stops there, far above what a service needs. */
#define BOX_DEFAULT_PIDS 2048
/* The least memory limit a container can start under (as docker's). */
#define BOX_MIN_MEMORY (6LL << 20)

/* ---- errors ------------------------------------------------------------ */

/* kind: what class of failure, so front ends can pick an exit status. */
enum box_err_kind {
	BOX_EOK = 0,
	BOX_EUSAGE,   /* bad arguments: exit status 2 */
	BOX_EINVAL,   /* bad value (name, size, config) */
	BOX_ENOENT,   /* no such container / image / network */
	BOX_EEXIST,   /* already exists */
	BOX_ESTATE,   /* wrong state for the operation (e.g. rm of running) */
	BOX_ESYS,     /* a system call failed; code holds errno */
};

struct box_err {
	enum box_err_kind kind;
	int code;               /* errno when kind == BOX_ESYS, else 0 */
	char msg[BOX_ERR_MAX];  /* "<what>: <why>", no trailing newline */
};

/* Fill err and return -1.  With kind BOX_ESYS and code != 0 the
 * strerror(code) text is appended as the final ": why". */
int box_fail(struct box_err *err, enum box_err_kind kind, int code,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Prepend "context: " to an error already set, as it travels up. */
int box_err_wrap(struct box_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void box_err_clear(struct box_err *err);

/* ---- context ----------------------------------------------------------- */

struct box_ctx;   /* opaque: root dir, cgroup layout, open handles */

/* root == NULL: $BOXTOP_ROOT, else BOX_DEFAULT_ROOT.  The root's
 * directories are made when missing. */
struct box_ctx *box_open(const char *root, struct box_err *err);
/* The same for what only looks at or acts on containers that exist (ls,
 * info, stop, rm...): nothing is made, and a root that is not there is
 * one without containers (a mistyped --root leaves no tree behind). */
struct box_ctx *box_open_existing(const char *root, struct box_err *err);
void box_close(struct box_ctx *ctx);
const char *box_root(const struct box_ctx *ctx);

/* ---- containers --------------------------------------------------------- */

enum box_status {
	BOX_CREATED = 0,
	BOX_RUNNING,
	BOX_PAUSED,
	BOX_STOPPED,
	/* half made or half removed (a create or rm was interrupted): the
	 * next rm, or create of the name, removes the rest */
	BOX_REMOVING,
};
const char *box_status_name(enum box_status s);

struct box_mount_opt {
	char *src;
	char *dst;
	bool ro;
};

/* --device HOST[:CONTAINER][:ACCESS]: a host device node given to the
 * container, made at CONTAINER (default: the host path) at each start and
 * allowed with ACCESS (letters of "rwm"; NULL: "rwm"). */
struct box_device_opt {
	const char *host;
	const char *path;
	const char *access;
};

/* Whose ids a container's processes and files have (--userns). */
enum box_userns {
	BOX_USERNS_UNSET = 0,   /* a profile's choice, else host */
	BOX_USERNS_HOST,        /* the host's: container root is host root */
	/* a user namespace: container ids 0..65535 are a slice of boxtop's
	 * range in /etc/subuid and /etc/subgid, its own (unprivileged) */
	BOX_USERNS_AUTO,
};

/* Options for create/run/batch.  Zero means "not set" for every number. */
struct box_create_opts {
	const char *name;
	const char *image;      /* NULL: BOX_DEFAULT_IMAGE */
	const char *hostname;   /* NULL: the container name */
	int64_t memory;         /* bytes */
	double cpus;            /* CPU quota in CPUs, e.g. 0.5 */
	uint64_t cpu_shares;    /* relative weight (v1 shares, 2..262144) */
	int64_t pids;           /* max tasks; 0: BOX_DEFAULT_PIDS, -1: no limit */
	char **env;             /* "K=V" */
	size_t n_env;
	struct box_mount_opt *mounts;
	size_t n_mounts;
	char **argv;            /* NULL: the image's default command */
	size_t argc;
	const char *net;        /* NULL: default network; "none", "host", NAME */
	const char *ip;         /* fixed address on that network */
	bool tty;               /* process.terminal: a pty as the console */
	const char *dns;        /* resolv.conf nameserver, NULL: host's */
	const char *profile;    /* profile name whose defaults apply first */
	char **verify;          /* paths whose sha256 is checked at start */
	size_t n_verify;
	/* root.readonly: the image itself is the root, read-only; no
	 * writable layer is made on disk */
	bool read_only;
	/* removed when its init exits, by the detached monitor (run -d --rm):
	 * annotation org.boxtop.autoremove */
	bool auto_remove;
	/* as docker's: NULL keeps the image's; "" for --entrypoint: none */
	const char *entrypoint; /* replaces the image's (and its CMD) */
	const char *workdir;    /* absolute path inside */
	const char *user;       /* "UID[:GID]" (numbers) */
	/* no, on-failure[:N], always, unless-stopped: kept by the monitor */
	const char *restart;
	/* confinement (README "Security model: devices and capabilities"):
	 * capability names for process.capabilities ("NET_ADMIN",
	 * "cap_net_admin" or "ALL"), drops applied to Docker's default set
	 * first, then adds; a name the kernel does not know is refused */
	char **cap_add, **cap_drop;
	size_t n_cap_add, n_cap_drop;
	struct box_device_opt *devices;
	size_t n_devices;
	/* every capability and every device allowed ("a *:* rwm") */
	bool privileged;
	/* --security-opt seccomp=: NULL the default profile (Docker's),
	 * "unconfined" none, else a Docker JSON profile file */
	const char *seccomp;
	enum box_userns userns;
};

struct box_info {
	char name[BOX_NAME_MAX + 1];
	enum box_status status;
	pid_t pid;              /* 0 when not running */
	char image[128];
	time_t created;
	time_t started;         /* 0 if never started */
	time_t finished;        /* 0 if not exited */
	bool has_exit_code;
	int exit_code;          /* 128+signal when killed by a signal */
	char ip[64];            /* first address, "" if none */
	char net[64];
	char hostname[128];
	int64_t memory_limit;   /* 0 = none */
	double cpus;
	int64_t pids_limit;
	char command[256];      /* argv joined with spaces, for display */
	char cgroup[256];       /* the container's cgroup path, relative */
	bool oom_killed;        /* the last run ended in the OOM killer */
	char error[256];        /* why the last start failed, "" if it did not */
	bool read_only;         /* root.readonly: the root cannot be written */
	char restart_policy[24]; /* "no", "always", "on-failure:3", ... */
	unsigned restart_count; /* starts by the monitor's policy */
	bool restarting;        /* stopped, its monitor waits to start it */
	char seccomp[32];       /* "default", "unconfined", "custom (N rules)" */
	/* a user namespace: container ids from 0 are host ids from
	 * uid_base/gid_base, userns_size of them (false: the host's ids) */
	bool userns;
	uint32_t uid_base, gid_base, userns_size;
};

int box_create(struct box_ctx *ctx, const struct box_create_opts *opts,
	       struct box_err *err);
/* Start a created or stopped container detached: returns once its init
 * runs, under a small monitor process that outlives the caller. */
int box_start(struct box_ctx *ctx, const char *name, struct box_err *err);
/* Create (refused if the name exists: BOX_EEXIST), start with the caller's
 * stdio, wait, and return the exit code in *exit_code; remove afterwards
 * when rm. */
int box_run(struct box_ctx *ctx, const struct box_create_opts *opts, bool rm,
	    int *exit_code, struct box_err *err);
/* Start an existing, stopped container with the caller's stdio as its
 * console (`start -a`), wait, record and return its exit code. */
int box_start_attached(struct box_ctx *ctx, const char *name, int *exit_code,
		       struct box_err *err);
/* `start --boot`: start every container whose restart policy is always,
 * or unless-stopped and it was not stopped by hand (core/restart.c);
 * report is called with each one started (err NULL) or not. */
typedef void (*box_boot_fn)(void *arg, const char *name,
			    const struct box_err *err);
int box_start_boot(struct box_ctx *ctx, box_boot_fn report, void *arg,
		   struct box_err *err);
/* Copy src to dst between the host and the container's root (to_container:
 * dst is inside it, else src), as docker's cp (core/copy.c). */
int box_cp(struct box_ctx *ctx, const char *name, const char *src,
	   const char *dst, bool to_container, struct box_err *err);
/* SIGTERM to init, SIGKILL to the whole cgroup after grace_secs. */
int box_stop(struct box_ctx *ctx, const char *name, int grace_secs,
	     struct box_err *err);
/* Send sig to every process of the container's cgroup. */
int box_kill(struct box_ctx *ctx, const char *name, int sig,
	     struct box_err *err);
/* Many at once: all are signalled first, then waited for together.  err
 * holds the first failure (others are counted in it); the rest go on. */
int box_stop_many(struct box_ctx *ctx, char *const names[], size_t n,
		  int grace_secs, struct box_err *err);
int box_remove_many(struct box_ctx *ctx, char *const names[], size_t n,
		    bool force, struct box_err *err);
/* The same, every name's own failure in errs[i] (n of them; kind
 * BOX_EOK: that one went well), for front ends that report each one.
 * Returns how many failed. */
size_t box_stop_each(struct box_ctx *ctx, char *const names[], size_t n,
		     int grace_secs, struct box_err *errs);
size_t box_remove_each(struct box_ctx *ctx, char *const names[], size_t n,
		       bool force, struct box_err *errs);
int box_freeze(struct box_ctx *ctx, const char *name, struct box_err *err);
int box_thaw(struct box_ctx *ctx, const char *name, struct box_err *err);
/* force: stop a running/paused container first. */
int box_remove(struct box_ctx *ctx, const char *name, bool force,
	       struct box_err *err);

int box_info_get(struct box_ctx *ctx, const char *name, struct box_info *out,
		 struct box_err *err);
/* The same, never waiting for a monitor that is recording an exit (up to
 * 2 s otherwise): for samplers on a UI thread.  Such a container shows as
 * stopped without its exit code until its state file changes. */
int box_info_peek(struct box_ctx *ctx, const char *name, struct box_info *out,
		  struct box_err *err);
/* All containers sorted by name; free with free(). */
int box_list(struct box_ctx *ctx, struct box_info **out, size_t *n,
	     struct box_err *err);
/* Only their names, sorted (no state or config read: what `rm --all
 * --force` and `stop --all` need); free with box_names_free. */
int box_list_names(struct box_ctx *ctx, char ***names, size_t *n,
		   struct box_err *err);
void box_names_free(char **names, size_t n);
/* The stored OCI config.json and state.json, as JSON text (malloc'd). */
char *box_config_text(struct box_ctx *ctx, const char *name,
		      struct box_err *err);

/* Everything `info --json` shows (state, config, cgroup, namespaces,
 * limits) as a malloc'd JSON text. */
char *box_info_json(struct box_ctx *ctx, const char *name,
		    struct box_err *err);
/* `ls --json`: an array of name, status, pid, image, created, exit_code,
 * ... (malloc'd text). */
char *box_list_json(struct box_ctx *ctx, struct box_err *err);
/* The cgroup directory all containers of this root live under. */
const char *box_cgroup_prefix(const struct box_ctx *ctx);
/* The directory in memory holding this root's runtime state (ctx.h). */
const char *box_rundir(const struct box_ctx *ctx);

/* Batch: create and start BASE-k for count names, numbering after the
 * highest existing BASE-k; base_ip (may be NULL) gives ascending addresses.
 * progress (may be NULL) is called after each container. */
typedef void (*box_progress_fn)(void *arg, size_t done, size_t total,
				const char *name);
int box_batch(struct box_ctx *ctx, const char *base, size_t count,
	      const char *base_ip, const struct box_create_opts *tmpl,
	      box_progress_fn progress, void *arg, struct box_err *err);

/* Run argv (NULL: /bin/sh) inside the running container, joining every
 * namespace and its cgroup; with tty a pty connects it to the caller's
 * terminal.  Returns the process's exit code in *exit_code. */
int box_exec(struct box_ctx *ctx, const char *name, char *const argv[],
	     bool tty, int *exit_code, struct box_err *err);
/* Connect the caller's terminal to the container's console until the user
 * types Ctrl-a q or the container exits. */
int box_attach(struct box_ctx *ctx, const char *name, struct box_err *err);
/* The console log path (the file may not exist yet). */
int box_log_path(struct box_ctx *ctx, const char *name, char *buf, size_t len,
		 struct box_err *err);

/* What a container may do, from its config.json (`info`). */
struct box_confine {
	bool privileged;
	char *caps;     /* the bounding set: "CHOWN KILL ..." ("" for none) */
	char **devices; /* the device rules in order, "allow c 1:3 rwm",
			 * "deny a *:* rwm"; NULL-terminated */
};
int box_confine_get(struct box_ctx *ctx, const char *name,
		    struct box_confine *out, struct box_err *err);
void box_confine_free(struct box_confine *c);

/* ---- validation helpers the front ends share ----------------------------- */

/* --security-opt seccomp=VALUE: "unconfined" or a profile file that is
 * readable Docker JSON with known actions (BOX_EUSAGE otherwise). */
int box_seccomp_check(const char *value, struct box_err *err);

/* Parse "512M", "1G", "1048576", "64k" (binary units).  */
int box_parse_size(const char *s, int64_t *out, struct box_err *err);
int box_check_name(const char *name, struct box_err *err);
/* "auto" or "host" (--userns). */
int box_parse_userns(const char *s, enum box_userns *out, struct box_err *err);
/* A container of that name exists in this root. */
bool box_exists(struct box_ctx *ctx, const char *name);

/* ---- stats (sampling for the TUI) -------------------------------------- */
/* (owned by the stats module: core/stats.c) */

/* History kept per container, in two rings: the newest BOX_STATS_HIST
 * samples as taken (3 minutes at the default 1 s refresh), and before
 * them BOX_STATS_COARSE means of BOX_STATS_COARSE_S seconds each (16
 * minutes whatever the refresh): about 9 KB a container. */
#define BOX_STATS_HIST 180
#define BOX_STATS_COARSE_S 5
#define BOX_STATS_COARSE 192
#define BOX_STATS_KEEP_S (BOX_STATS_COARSE_S * BOX_STATS_COARSE)

enum box_metric {
	BOX_M_CPU,      /* % of one CPU */
	BOX_M_MEM,      /* bytes in use */
	BOX_M_NET_RX,   /* bytes/s received */
	BOX_M_NET_TX,   /* bytes/s sent */
	BOX_M_BLK_RD,   /* bytes/s read from block devices */
	BOX_M_BLK_WR,   /* bytes/s written */
	BOX_M_COUNT
};

/* Where a container's disk I/O figures come from. */
enum box_io_src {
	BOX_IO_NONE,    /* nothing counts it: show n/a, never 0 */
	BOX_IO_CGROUP,  /* the cgroup's io.stat (cgroup2 io controller) */
	BOX_IO_PROCS,   /* its processes' /proc/<pid>/io (box_stats_focus) */
};

/* One container as of the last sample.  Rates are 0 on the first sample. */
struct box_stat_row {
	struct box_info info;   /* status, pid, ip, image, limits, ... */
	bool sampled;           /* counters below are valid (running/paused) */
	double cpu_pct;         /* % of one CPU (info.cpus: its limit) */
	uint64_t mem_bytes, mem_limit;
	uint64_t pids;
	double net_rx_bps, net_tx_bps;
	double blk_rd_bps, blk_wr_bps;  /* valid when io_src is not NONE */
	uint64_t net_rx_bytes, net_tx_bytes;    /* totals since start */
	/* disk totals: the cgroup's since start, or its living processes'
	 * (a reaped child's are its parent's) */
	uint64_t blk_rd_bytes, blk_wr_bytes;
	enum box_io_src io_src;
	uint64_t oom_kills;
};

struct box_host_stats {
	unsigned n_running, n_paused, n_stopped, n_created;
	int ncpu;
	double cpu_pct;         /* whole host busy, % of all CPUs */
	double box_cpu_pct;     /* sum over containers, % of one CPU */
	uint64_t mem_total, mem_used;   /* host: MemTotal - MemAvailable */
	uint64_t box_mem;       /* sum over containers */
	double net_rx_bps, net_tx_bps, blk_rd_bps, blk_wr_bps; /* sums */
	double sample_us;       /* what the last sample cost (wall time) */
};

/* A process inside a container, for the detail pane. */
struct box_proc {
	pid_t pid;              /* as the host sees it */
	pid_t ns_pid;           /* inside the container (NSpid), 0 unknown */
	pid_t ppid;             /* parent, host view */
	char user[32];
	double cpu_pct;
	uint64_t rss;           /* bytes */
	char state;             /* R, S, D, Z, ... */
	char command[200];      /* cmdline, spaces between args */
};

struct box_stats;

struct box_stats *box_stats_new(struct box_ctx *ctx, struct box_err *err);
void box_stats_free(struct box_stats *st);
/* Take one sample of every container: state is re-read only for
 * containers whose state/config files changed; counters are read for the
 * running and paused ones (descriptors kept open between samples). */
int box_stats_sample(struct box_stats *st, struct box_err *err);
/* The rows of the last sample, sorted by name; valid until the next
 * box_stats_sample or box_stats_free. */
size_t box_stats_rows(struct box_stats *st, const struct box_stat_row **rows);
const struct box_host_stats *box_stats_host(struct box_stats *st);
/* Copy up to max samples of a metric, oldest first, into out; name NULL:
 * host totals (BOX_M_CPU is then host busy % of all CPUs, BOX_M_MEM host
 * memory used, the rates sums over containers).  Returns the count.  A
 * value not measured (disk I/O nothing counts, a missed tick) is NaN. */
size_t box_stats_history(struct box_stats *st, const char *name,
			 enum box_metric m, float *out, size_t max);
/* The last span_s seconds (up to BOX_STATS_KEEP_S) of a metric as n
 * points, oldest first, each the time-weighted mean of the samples in its
 * n-th of the span (older ones from the coarse ring); NaN where nothing
 * was measured.  Returns n, 0 for an unknown name. */
size_t box_stats_history_span(struct box_stats *st, const char *name,
			      enum box_metric m, double span_s, float *out,
			      size_t n);
/* The container the screen graphs (NULL: none).  Where the cgroup cannot
 * count its disk I/O (no cgroup2 io controller: v1 blkio counts no
 * buffered write, and nothing at all unless a throttle rule is set on the
 * device), that container's figures come from its processes'
 * /proc/<pid>/io instead (reaped children's I/O is added to their
 * parent's, so the sum over the living ones keeps it); the others' are
 * BOX_IO_NONE. */
void box_stats_focus(struct box_stats *st, const char *name);
/* The processes in a running container (malloc'd array, free()).  CPU %
 * is measured since the previous call for the same container. */
int box_stats_procs(struct box_stats *st, const char *name,
		    struct box_proc **out, size_t *n, struct box_err *err);



/* ---- networks ----------------------------------------------------------- */
/* (owned by the net module: core/net*.c) */

/* A container's network (box_create_opts.net) is "none" (own netns, lo
 * only), "host" (the host's netns) or the name of a network.  Not given:
 * $BOXTOP_NET_DEFAULT if set, else the bridge network "boxtop0", made on
 * first use with a subnet no host route or address overlaps. */
#define BOX_NET_DEFAULT "boxtop0"

struct box_net_opts {
	const char *name;
	const char *type;       /* "bridge" (NULL) or "macvlan" */
	const char *subnet;     /* CIDR; NULL for bridge: chosen for you */
	const char *gateway;    /* NULL: first host (bridge), none (macvlan) */
	const char *parent;     /* macvlan: host interface */
	const char *range;      /* "A-B": addresses handed out, NULL: subnet */
	bool nat;               /* not supported yet: refused */
};

struct box_net_info {
	char name[BOX_NAME_MAX + 1];
	char type[16];          /* "bridge", "macvlan" */
	char subnet[32];
	char gateway[16];       /* "" if none */
	char range[40];         /* "A-B" */
	char parent[16];        /* macvlan */
	char bridge[16];        /* bridge: the host bridge's name */
	bool nat;
	size_t leases;          /* addresses in use */
	size_t free;            /* addresses left */
};

struct box_net_lease {
	char ip[16];
	char container[BOX_NAME_MAX + 1];
	char ifname[16];
	char mac[18];
};

int box_net_create(struct box_ctx *ctx, const struct box_net_opts *opts,
		   struct box_net_info *out, struct box_err *err);
/* Make the default network if missing; *created says whether it was made
 * now (a front end then says which subnet was chosen). */
int box_net_ensure_default(struct box_ctx *ctx, struct box_net_info *out,
			   bool *created, struct box_err *err);
/* All networks sorted by name; free with free(). */
int box_net_list(struct box_ctx *ctx, struct box_net_info **out, size_t *n,
		 struct box_err *err);
/* One network and its leases (leases may be NULL; else free() it). */
int box_net_get(struct box_ctx *ctx, const char *name,
		struct box_net_info *out, struct box_net_lease **leases,
		size_t *n, struct box_err *err);
/* Refused while a container holds a lease; removes the bridge. */
int box_net_remove(struct box_ctx *ctx, const char *name, struct box_err *err);

/* Batch addressing: the count addresses a batch on net (NULL: default)
 * gets from base_ip (NULL: the pool's next free ones), ascending, skipping
 * leased ones; fails when the pool cannot hold them all, so box_batch can
 * fail before creating anything.  *ips: malloc'd count x 16 chars. */
int box_net_plan_batch(struct box_ctx *ctx, const char *net,
		       const char *base_ip, size_t count, char (**ips)[16],
		       struct box_err *err);
int box_net_reserve_check(struct box_ctx *ctx, const char *net,
			  const char *base_ip, size_t count,
			  struct box_err *err);

/* Live: give the running container one more interface (eth1, eth2, ...)
 * on net, ip NULL for the next free address; ifname (may be NULL) gets its
 * name.  It stays across restarts until disconnect. */
int box_net_connect(struct box_ctx *ctx, const char *container,
		    const char *net, const char *ip, char ifname[16],
		    struct box_err *err);
int box_net_disconnect(struct box_ctx *ctx, const char *container,
		       const char *net, struct box_err *err);

/* Interfaces of a container for the detail pane: its leases, with counters
 * read in its netns when pid > 0 (else zero). */
struct box_net_iface {
	char ifname[16];
	char net[BOX_NAME_MAX + 1];
	char ip[16];
	char mac[18];
	uint64_t rx_bytes, rx_packets, tx_bytes, tx_packets;
};
int box_net_ifaces(struct box_ctx *ctx, const char *container, pid_t pid,
		   struct box_net_iface **out, size_t *n, struct box_err *err);
/* rx/tx totals over every interface but lo in pid's netns
 * (/proc/<pid>/net/dev); the TUI turns two samples into rates. */
struct box_net_counters {
	uint64_t rx_bytes, rx_packets, tx_bytes, tx_packets;
};
int box_net_counters(pid_t pid, struct box_net_counters *out,
		     struct box_err *err);


/* ---- images and profiles ------------------------------------------------ */
/* (owned by the image module: core/image*.c, core/profile.c) */

/* An image: metadata over read-only layers shared by digest. */
struct box_image_info {
	char name[BOX_NAME_MAX + 1];
	char description[256];
	char os[32];
	char architecture[32];
	time_t created;
	char source[256];       /* what it was imported from */
	size_t n_layers;
	int64_t size;           /* bytes of file data over all its layers */
	size_t used_by;         /* containers made from it */
	char command[256];      /* default entrypoint + cmd, joined */
	char workdir[256];
	bool builtin;           /* the built-in busybox image */
};

/* Import SOURCE as image name: a rootfs directory, a rootfs tarball (.tar,
 * .tar.gz, .tar.xz, .tar.zst, .tar.bz2; told by content), or an OCI image
 * layout directory or tar archive, optionally "PATH:TAG".  Builds in
 * temporary directories and renames into place: on failure nothing is left.
 * progress (may be NULL) gets bytes done/total and what is being done. */
int box_image_import(struct box_ctx *ctx, const char *name,
		     const char *source, const char *description,
		     box_progress_fn progress, void *arg,
		     struct box_err *err);
/* All images sorted by name (the built-in busybox included); free(). */
int box_image_list(struct box_ctx *ctx, struct box_image_info **out,
		   size_t *n, struct box_err *err);
int box_image_info_get(struct box_ctx *ctx, const char *name,
		       struct box_image_info *out, struct box_err *err);
/* The image's metadata as JSON text (malloc'd): image.json plus
 * "used_by": [containers]. */
char *box_image_json(struct box_ctx *ctx, const char *name,
		     struct box_err *err);
/* Refused (BOX_ESTATE) while a container uses it; layers no other image
 * names are removed with it. */
int box_image_remove(struct box_ctx *ctx, const char *name,
		     struct box_err *err);
/* The image's merged root filesystem as a tar file (compressed when file
 * ends in .gz, .xz, .zst or .bz2). */
int box_image_export(struct box_ctx *ctx, const char *name, const char *file,
		     box_progress_fn progress, void *arg, struct box_err *err);
/* A new image from a container: its image's layers plus its writable layer
 * on top.  A running container is frozen while its layer is copied. */
int box_commit(struct box_ctx *ctx, const char *container, const char *image,
	       const char *description, struct box_err *err);

/* Profiles: named default create options ($ROOT/profiles/<name>.json).
 * From opts these fields are kept: image, memory, cpus, pids, env, mounts,
 * net, dns, tty, verify (name and argv are not). */
int box_profile_save(struct box_ctx *ctx, const char *name,
		     const struct box_create_opts *opts, bool replace,
		     struct box_err *err);
/* Profile names, sorted; free each and the array. */
int box_profile_list(struct box_ctx *ctx, char ***names, size_t *n,
		     struct box_err *err);
/* The profile as JSON text (malloc'd). */
char *box_profile_json(struct box_ctx *ctx, const char *name,
		       struct box_err *err);
int box_profile_remove(struct box_ctx *ctx, const char *name,
		       struct box_err *err);

/* Integrity check of a container: the files recorded at create (--verify)
 * checked against the image now.  *bad gets the number of mismatching
 * files; the message in err names them. */
int box_verify(struct box_ctx *ctx, const char *container, size_t *bad,
	       struct box_err *err);



#endif
