/* stats.h - internals of the stats module exposed for unit tests. */
#ifndef BOX_STATS_H
#define BOX_STATS_H

#include "box.h"

/* Sum the rx/tx byte counters of /proc/<pid>/net/dev text, loopback
 * excluded.  Returns the number of interfaces counted. */
int stats_parse_netdev(const char *text, uint64_t *rx, uint64_t *tx);
/* From /proc/stat text: busy and total jiffies of the "cpu " line. */
int stats_parse_procstat(const char *text, uint64_t *busy, uint64_t *total);
/* From /proc/meminfo text: MemTotal and MemTotal - MemAvailable, bytes. */
int stats_parse_meminfo(const char *text, uint64_t *total, uint64_t *used);
/* From /proc/<pid>/stat text: state, utime+stime ticks, starttime, rss
 * pages.  Handles a comm holding spaces and parentheses. */
int stats_parse_pidstat(const char *text, char *state, uint64_t *ticks,
			uint64_t *starttime, uint64_t *rss_pages);

/* The sampler's clock: the monotonic time of each of the newest
 * BOX_STATS_HIST + 1 ticks (one tick per box_stats_sample), shared by
 * every history: a sample's interval is from the tick before it to its
 * own. */
struct stats_clock {
	uint64_t ns[BOX_STATS_HIST + 1];
	uint64_t tick;          /* the newest tick */
	uint64_t ticks;         /* ticks taken, 0: none yet */
};
void stats_clock_tick(struct stats_clock *c, uint64_t t_ns);

/* The history of every metric of one container (or of the host): the
 * newest BOX_STATS_HIST samples as taken, slot tick % BOX_STATS_HIST, and
 * BOX_STATS_COARSE buckets of BOX_STATS_COARSE_S seconds of monotonic
 * time, slot bucket % BOX_STATS_COARSE, each the time-weighted mean of the
 * samples that ended in it.  NaN: not measured (a tick it missed, a
 * counter that does not exist).  Zeroed memory is an empty history. */
struct stats_hist {
	float fine[BOX_M_COUNT][BOX_STATS_HIST];
	float coarse[BOX_M_COUNT][BOX_STATS_COARSE];
	uint64_t last;          /* tick of the newest fine sample */
	uint64_t cb;            /* the bucket being summed (not in coarse) */
	float sum[BOX_M_COUNT], w[BOX_M_COUNT]; /* its value x seconds, seconds */
	unsigned n;             /* fine samples held */
	unsigned nc;            /* finished buckets held */
};
/* Record v (one value per metric) as the sample of the clock's newest
 * tick; ticks missed since the previous one become NaN. */
void stats_hist_push(struct stats_hist *h, const struct stats_clock *c,
		     const float v[BOX_M_COUNT]);
/* Up to max fine samples of metric m, the newest, oldest first. */
size_t stats_hist_recent(const struct stats_hist *h, int m, float *out,
			 size_t max);
/* n points covering the span_s seconds up to the newest tick, oldest
 * first: each the time-weighted mean of what was measured in its slice
 * (fine samples where they reach, coarse buckets before), NaN where
 * nothing was.  Returns n, or 0 when n is 0 or memory runs out. */
size_t stats_hist_span(const struct stats_hist *h, const struct stats_clock *c,
		       int m, double span_s, float *out, size_t n);

#endif
