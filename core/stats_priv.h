/* stats_priv.h - the sampler's internals, shared by stats.c (sampling)
 * and stats_procs.c (a container's process list). */
#ifndef BOX_STATS_PRIV_H
#define BOX_STATS_PRIV_H

#include "stats.h"
#include "cgroup.h"
#include "ctx.h"
#include "net_sample.h"

#include <sys/epoll.h>

#include <limits.h>
#include <time.h>


struct entry {
	char name[BOX_NAME_MAX + 1];
	struct timespec state_mtime;
	bool have_info;
	bool seen;
	bool dirty;             /* inotify: state.json replaced */
	int wd;                 /* inotify watch on its directory, -1 none */
	unsigned slow;          /* stagger for the slow counters */
	uint64_t mem_limit, oom_kills;
	unsigned age;           /* samples since box_info was read */
	struct box_stat_row row;
	bool have_prev;
	uint64_t prev_ns;       /* monotonic time of the previous counters */
	uint64_t prev_cpu, prev_rx, prev_tx, prev_rd, prev_wr;
	int net_fd;             /* /proc/<pid>/net/dev, kept open */
	pid_t net_pid;
	struct cg_handle cgh;   /* counter files, kept open while it runs */
	bool cgh_open;
	int frozen;             /* last freezer state read, -1 unknown */
	bool frz_changed;       /* the kernel signalled a change since */
	struct stats_hist *hist; /* allocated on its first sample */
	enum box_io_src io_src; /* where prev_rd/prev_wr came from */
};

struct proc_prev {
	pid_t pid;
	uint64_t starttime, ticks;
};

struct box_stats {
	struct box_ctx *ctx;
	int dirfd;              /* $ROOT/containers */
	struct entry **e;
	size_t n, cap;
	struct box_stat_row *rows;      /* the snapshot handed out */
	size_t nrows, rows_cap;
	struct box_host_stats host;
	struct stats_hist host_hist;
	struct stats_clock clock;       /* when each sample was taken */
	int stat_fd, mem_fd;    /* /proc/stat, /proc/meminfo */
	int ino_fd;             /* inotify, -1 without */
	int frz_ep;             /* epoll over the cgroup.events kept open */
	struct epoll_event *frz_ev;
	size_t frz_cap;
	struct nsample *net;    /* leases + host-side veth counters */
	bool names_dirty;       /* a container directory came or went */
	char dir[PATH_MAX];
	uint64_t prev_busy, prev_total;
	char focus[BOX_NAME_MAX + 1]; /* box_stats_focus */
	/* processes of the container last asked for, for per-process CPU % */
	char procs_name[BOX_NAME_MAX + 1];
	struct proc_prev *pprev;
	size_t n_pprev;
	uint64_t pprev_ns;
};

/* Disk bytes read and written by the processes in cgroup rel (the sum of
 * their /proc/<pid>/io); 0 or -1. */
int stats_procs_io(struct box_stats *st, const char *rel, uint64_t *rd,
		   uint64_t *wr);
/* The entry of a container by name, NULL if unknown. */
struct entry *stats_find(struct box_stats *st, const char *name);
uint64_t stats_now_ns(void);

#endif
