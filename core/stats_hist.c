/* stats_hist.c - the history rings behind the graphs (pure, unit tested).
 *
 * Two rings per container: every sample as taken, for the last
 * BOX_STATS_HIST ticks, and coarse buckets of BOX_STATS_COARSE_S seconds
 * for BOX_STATS_KEEP_S.  Every sample of a container is ~24 bytes (six
 * floats); keeping 15 minutes of 1 s samples would be 21.6 KB a
 * container, the two rings are 9 KB and hold 16 minutes at any refresh
 * rate.  Reading resamples both onto the time axis the screen asks for:
 * each value is a mean over the interval it was measured in (a rate over
 * the time since the previous sample), so every point of the result is
 * the time-weighted mean over its own slice of the span, whatever the
 * refresh delay was when the samples were taken. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

#define CLOCK_N (BOX_STATS_HIST + 1)
#define COARSE_NS ((uint64_t)BOX_STATS_COARSE_S * 1000000000ull)

void stats_clock_tick(struct stats_clock *c, uint64_t t_ns)
{
	if (c->ticks)
		c->tick++;
	c->ticks++;
	c->ns[c->tick % CLOCK_N] = t_ns;
}

/* The time a tick's sample began (the tick before it), or its own time
 * when the clock holds no earlier one. */
static uint64_t tick_start(const struct stats_clock *c, uint64_t tick)
{
	uint64_t end = c->ns[tick % CLOCK_N];
	bool have_prev = tick > 0 && c->tick - (tick - 1) < CLOCK_N &&
			 c->ticks > c->tick - (tick - 1);
	return have_prev ? c->ns[(tick - 1) % CLOCK_N] : end;
}

static void coarse_close(struct stats_hist *h, uint64_t bucket)
{
	/* the bucket summed so far, then NaN for any skipped */
	for (int m = 0; m < BOX_M_COUNT; m++) {
		h->coarse[m][h->cb % BOX_STATS_COARSE] =
			h->w[m] > 0 ? h->sum[m] / h->w[m] : NAN;
		h->sum[m] = h->w[m] = 0;
	}
	uint64_t gap = bucket - h->cb;
	for (uint64_t b = 1; b < gap && b <= BOX_STATS_COARSE; b++)
		for (int m = 0; m < BOX_M_COUNT; m++)
			h->coarse[m][(h->cb + b) % BOX_STATS_COARSE] = NAN;
	h->nc = gap + h->nc >= BOX_STATS_COARSE ? BOX_STATS_COARSE
						: h->nc + (unsigned)gap;
	h->cb = bucket;
}

void stats_hist_push(struct stats_hist *h, const struct stats_clock *c,
		     const float v[BOX_M_COUNT])
{
	if (!c->ticks)
		return;
	uint64_t tick = c->tick, t = c->ns[tick % CLOCK_N];
	uint64_t bucket = t / COARSE_NS;
	bool first = !h->n;
	if (first) {
		h->n = 1;
		h->cb = bucket;
	} else if (tick > h->last) {
		uint64_t gap = tick - h->last;
		for (uint64_t k = 1; k < gap && k <= BOX_STATS_HIST; k++)
			for (int m = 0; m < BOX_M_COUNT; m++)
				h->fine[m][(h->last + k) % BOX_STATS_HIST] = NAN;
		h->n = gap + h->n >= BOX_STATS_HIST ? BOX_STATS_HIST
						    : h->n + (unsigned)gap;
	}
	h->last = tick;
	for (int m = 0; m < BOX_M_COUNT; m++)
		h->fine[m][tick % BOX_STATS_HIST] = v[m];
	if (bucket > h->cb)
		coarse_close(h, bucket);
	/* weighted by the time the sample covers (1 ns for a first sample,
	 * which has no interval yet) */
	uint64_t from = tick_start(c, tick);
	float secs = t > from ? (float)(t - from) / 1e9f : 1e-9f;
	for (int m = 0; m < BOX_M_COUNT; m++)
		if (!isnan(v[m])) {
			h->sum[m] += v[m] * secs;
			h->w[m] += secs;
		}
}

size_t stats_hist_recent(const struct stats_hist *h, int m, float *out,
			 size_t max)
{
	size_t n = h->n < max ? h->n : max;
	for (size_t i = 0; i < n; i++)
		out[i] = h->fine[m][(h->last - (n - 1 - i)) % BOX_STATS_HIST];
	return n;
}

/* Spreading measured intervals over the output slices. */
struct spread {
	double lo, w;           /* start of the span, width of a slice (ns) */
	size_t n;
	double *sum, *wt;
};

/* Value v held over [a, b) ns (relative to the span's end, negative). */
static void spread_add(struct spread *s, double a, double b, float v)
{
	if (isnan(v))
		return;
	if (a < s->lo)
		a = s->lo;
	if (b > 0)
		b = 0;
	if (b <= a)
		return;
	size_t i = (size_t)((a - s->lo) / s->w);
	for (; i < s->n; i++) {
		double x0 = s->lo + (double)i * s->w, x1 = x0 + s->w;
		if (x0 >= b)
			break;
		double ov = (b < x1 ? b : x1) - (a > x0 ? a : x0);
		if (ov > 0) {
			s->sum[i] += (double)v * ov;
			s->wt[i] += ov;
		}
	}
}

size_t stats_hist_span(const struct stats_hist *h, const struct stats_clock *c,
		       int m, double span_s, float *out, size_t n)
{
	if (!n)
		return 0;
	double *buf = calloc(2 * n, sizeof *buf);
	if (!buf)
		return 0;
	struct spread s = {-span_s * 1e9, span_s * 1e9 / (double)n, n, buf,
			   buf + n};
	uint64_t now = c->ns[c->tick % CLOCK_N];
	/* the fine samples, newest first, as long as the clock knows when
	 * each began */
	double fine_from = 0;   /* the oldest time they cover */
	bool any_fine = false;
	for (unsigned j = 0; c->ticks && j < h->n; j++) {
		uint64_t tick = h->last - j;
		if (tick > c->tick || c->tick - tick >= CLOCK_N - 1)
			break;
		double a = (double)tick_start(c, tick) - (double)now;
		double b = (double)c->ns[tick % CLOCK_N] - (double)now;
		spread_add(&s, a, b, h->fine[m][tick % BOX_STATS_HIST]);
		fine_from = a;
		any_fine = true;
		if (a <= s.lo)
			break;
	}
	/* the coarse buckets before them */
	for (unsigned j = 0; j < h->nc; j++) {
		uint64_t bk = h->cb - 1 - j;
		double a = (double)(bk * COARSE_NS) - (double)now;
		double b = (double)((bk + 1) * COARSE_NS) - (double)now;
		if (any_fine && b > fine_from)
			b = fine_from;
		if (b <= s.lo)
			break;
		spread_add(&s, a, b, h->coarse[m][bk % BOX_STATS_COARSE]);
	}
	for (size_t i = 0; i < n; i++)
		out[i] = s.wt[i] > 0 ? (float)(s.sum[i] / s.wt[i]) : NAN;
	free(buf);
	return n;
}
