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

/* One ring buffer of BOX_STATS_HIST floats. */
struct stats_ring {
	float v[BOX_STATS_HIST];
	unsigned head;  /* next slot to write */
	unsigned n;     /* valid samples */
};
void stats_ring_push(struct stats_ring *r, float v);
/* Oldest first, up to max; returns the count. */
size_t stats_ring_copy(const struct stats_ring *r, float *out, size_t max);

#endif
