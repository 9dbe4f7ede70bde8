/* stats_probe.c - item 5: CPU cost of one stats sample of every container,
 * through the core's own sampler (box_stats_sample, what the TUI calls once
 * per refresh).  Built by run.sh only when core/box.h declares it.
 *
 *   stats_probe ROOT SAMPLES
 *
 * Takes one warm-up sample (opens the counter files it keeps), then SAMPLES
 * samples, and prints one line per sample: "CPU_US WALL_US ROWS", where CPU
 * is the process user+system time for that sample.
 */
#include "box.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long us(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: stats_probe ROOT SAMPLES\n");
		return 2;
	}
	struct box_err err = {0};
	struct box_ctx *ctx = box_open(argv[1], &err);
	if (!ctx) {
		fprintf(stderr, "stats_probe: %s\n", err.msg);
		return 1;
	}
	struct box_stats *st = box_stats_new(ctx, &err);
	if (!st || box_stats_sample(st, &err) < 0) {
		fprintf(stderr, "stats_probe: %s\n", err.msg);
		return 1;
	}
	int n = atoi(argv[2]);
	for (int i = 0; i < n; i++) {
		struct timespec pause = {0, 100 * 1000 * 1000};
		nanosleep(&pause, NULL); /* counters move between samples, as in the TUI */
		long long c0 = us(CLOCK_PROCESS_CPUTIME_ID), w0 = us(CLOCK_MONOTONIC);
		if (box_stats_sample(st, &err) < 0) {
			fprintf(stderr, "stats_probe: %s\n", err.msg);
			return 1;
		}
		long long c1 = us(CLOCK_PROCESS_CPUTIME_ID), w1 = us(CLOCK_MONOTONIC);
		const struct box_stat_row *rows;
		size_t nr = box_stats_rows(st, &rows);
		printf("%lld %lld %zu\n", c1 - c0, w1 - w0, nr);
	}
	box_stats_free(st);
	box_close(ctx);
	return 0;
}
