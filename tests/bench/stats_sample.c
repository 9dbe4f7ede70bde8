/* stats_sample.c - CPU time of one stats sample per running container
 * (issue 6, item 5).  Built and run by tests/bench/tui_cost.sh against the
 * containers of $BOXTOP_ROOT:  stats_sample [SAMPLES]  */
#include "box.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

static double cpu_us(void)
{
	struct rusage r;
	getrusage(RUSAGE_SELF, &r);
	return (double)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e6 +
	       (double)(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
}

int main(int argc, char **argv)
{
	struct box_err err = {0};
	struct box_ctx *ctx = box_open(NULL, &err);
	struct box_stats *st = ctx ? box_stats_new(ctx, &err) : NULL;
	if (!st) {
		fprintf(stderr, "stats_sample: %s\n", err.msg);
		return 1;
	}
	int n = argc > 1 ? atoi(argv[1]) : 30;
	if (n < 1)
		n = 1;
	/* the first sample reads every container's state: not steady state */
	box_stats_sample(st, &err);
	double t0 = cpu_us();
	for (int i = 0; i < n; i++)
		box_stats_sample(st, &err);
	double per = (cpu_us() - t0) / n;
	const struct box_host_stats *h = box_stats_host(st);
	unsigned live = h->n_running + h->n_paused;
	printf("stats: %u running, %.0f us CPU per sample, %.1f us per container\n",
	       live, per, per / (live ? live : 1));
	box_stats_free(st);
	box_close(ctx);
	return 0;
}
