/* test_stats.c - the stats module's parsers and ring buffers, and the
 * table that gives a container's network counters (net_sample.c). */
#include "stats.h"
#include "net_iface.h"
#include "net_sample.h"
#include "unit.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Leases and a fed "dump" in, counters and where they come from out. */
static void test_net_sample(void)
{
	char root[] = "/tmp/boxtop-unit.XXXXXX";
	struct box_err e = {0};
	if (!mkdtemp(root)) {
		CHECK("mkdtemp", 0);
		return;
	}
	struct box_ctx *ctx = box_open(root, &e);
	struct nsample *ns = ctx ? nsample_new(ctx) : NULL;
	CHECK("nsample made", ns != NULL);
	if (!ns) {
		box_close(ctx);
		rmdir(root);
		return;
	}
	uint64_t rx = 1, tx = 1;
	/* no networks directory: nobody has a lease */
	nsample_begin(ns);
	CHECK("no lease: lo only, nothing read",
	      nsample_get(ns, "a", &rx, &tx) == NSAMPLE_NONE && rx == 0 && tx == 0);
	nsample_add_lease(ns, "b", "eth0", true);
	nsample_add_lease(ns, "a", "eth0", true);
	nsample_add_lease(ns, "a", "eth1", true);
	nsample_add_lease(ns, "m", "eth0", false);
	nsample_add_lease(ns, "gone", "eth0", true);
	char a0[IFNAMSIZ], a1[IFNAMSIZ], b0[IFNAMSIZ];
	nif_host_name(ctx, "a", "eth0", a0);
	nif_host_name(ctx, "a", "eth1", a1);
	nif_host_name(ctx, "b", "eth0", b0);
	CHECK("host ends differ per interface", strcmp(a0, a1) && strcmp(a0, b0));
	struct nsample_link links[4] = {{"eth0", 9, 9}};
	snprintf(links[1].name, sizeof links[1].name, "%s", a1);
	links[1].rx = 100, links[1].tx = 2000;
	snprintf(links[2].name, sizeof links[2].name, "%s", a0);
	links[2].rx = 10, links[2].tx = 300;
	snprintf(links[3].name, sizeof links[3].name, "%s", b0);
	links[3].rx = 7, links[3].tx = 5;
	CHECK("dump fed", nsample_set_links(ns, links, 4) == 0);
	CHECK("bridged: from the host ends",
	      nsample_get(ns, "a", &rx, &tx) == NSAMPLE_DONE);
	CHECK("bridged: host tx is container rx, summed over veths", rx == 2300);
	CHECK("bridged: host rx is container tx, summed over veths", tx == 110);
	CHECK("other container: its own host end",
	      nsample_get(ns, "b", &rx, &tx) == NSAMPLE_DONE && rx == 5 && tx == 7);
	CHECK("macvlan: read in its netns",
	      nsample_get(ns, "m", &rx, &tx) == NSAMPLE_NETNS);
	CHECK("host end not in our namespace: read in its netns",
	      nsample_get(ns, "gone", &rx, &tx) == NSAMPLE_NETNS);
	CHECK("unknown name: nothing",
	      nsample_get(ns, "zz", &rx, &tx) == NSAMPLE_NONE && rx == 0 && tx == 0);
	nsample_begin(ns);
	CHECK("networks directory still missing: leases dropped",
	      nsample_get(ns, "a", &rx, &tx) == NSAMPLE_NONE);
	nsample_free(ns);
	util_rm_rf(root, &e);
	box_close(ctx);
}

/* ---- history rings ------------------------------------------------------ */

#define SEC 1000000000ull
static struct stats_clock clk;
static struct stats_hist hist;

/* One tick at t seconds; CPU value v (NaN: the container missed it). */
static void tick_at(double t, float v)
{
	stats_clock_tick(&clk, (uint64_t)(t * 1e9));
	if (v == v) {
		float vals[BOX_M_COUNT] = {v, v, v, v, v, v};
		stats_hist_push(&hist, &clk, vals);
	}
}

static bool near(float a, float b)
{
	return a - b < 0.01f && b - a < 0.01f;
}

static void hist_reset(void)
{
	memset(&clk, 0, sizeof clk);
	memset(&hist, 0, sizeof hist);
}

static void test_hist(void)
{
	static float out[1000];
	hist_reset();
	CHECK("hist: empty has no recent samples",
	      stats_hist_recent(&hist, BOX_M_CPU, out, 10) == 0);
	CHECK("hist: empty span is all unmeasured",
	      stats_hist_span(&hist, &clk, BOX_M_CPU, 60, out, 4) == 4 &&
		      out[0] != out[0] && out[3] != out[3]);

	/* 1 s ticks: recent samples oldest first, a missed tick is NaN */
	for (int k = 0; k < 5; k++)
		tick_at(1000 + k, (float)k);
	tick_at(1005, NAN);
	tick_at(1006, 6);
	size_t n = stats_hist_recent(&hist, BOX_M_CPU, out, 10);
	CHECK("hist: recent count counts the gap", n == 7);
	CHECK("hist: recent oldest first", out[0] == 0 && out[4] == 4 && out[6] == 6);
	CHECK("hist: a missed tick is NaN", out[5] != out[5]);
	CHECK("hist: recent newest only",
	      stats_hist_recent(&hist, BOX_M_CPU, out, 2) == 2 &&
		      out[0] != out[0] && out[1] == 6);
	/* span: one point per second, each the sample of its second */
	CHECK("hist: span 7 s in 7 points",
	      stats_hist_span(&hist, &clk, BOX_M_CPU, 7, out, 7) == 7);
	CHECK("hist: span points are the samples", near(out[1], 1) &&
							  near(out[4], 4) &&
							  near(out[6], 6));
	CHECK("hist: span keeps the gap and what came before history",
	      out[5] != out[5] && out[0] != out[0]);
	/* half as many points: each the mean of two samples */
	stats_hist_span(&hist, &clk, BOX_M_CPU, 6, out, 3);
	CHECK("hist: wider points average", near(out[0], 1.5f) &&
						    near(out[1], 3.5f) &&
						    near(out[2], 6));

	/* the fine ring wraps: only the newest BOX_STATS_HIST */
	hist_reset();
	for (int k = 0; k < BOX_STATS_HIST + 7; k++)
		tick_at(1000 + k, (float)k);
	n = stats_hist_recent(&hist, BOX_M_CPU, out, 1000);
	CHECK("hist: fine ring full", n == BOX_STATS_HIST);
	CHECK("hist: fine ring order",
	      out[0] == 7 && out[n - 1] == BOX_STATS_HIST + 6);

	/* 20 minutes of 1 s samples alternating 0 and 10: 15 minutes are
	 * there, the older part from the coarse ring, every 10 s point the
	 * mean 5 */
	hist_reset();
	for (int k = 0; k < 1200; k++)
		tick_at(1000 + k, (float)(k % 2 ? 10 : 0));
	stats_hist_span(&hist, &clk, BOX_M_CPU, 900, out, 90);
	bool all5 = true;
	for (int i = 0; i < 90; i++)
		all5 &= near(out[i], 5);
	CHECK("hist: 15 minutes kept, older samples averaged", all5);
	CHECK("hist: at least 15 minutes", BOX_STATS_KEEP_S >= 900);
	/* what is older than the coarse ring is not made up */
	stats_hist_span(&hist, &clk, BOX_M_CPU, 1200, out, 120);
	CHECK("hist: nothing before what is kept",
	      out[0] != out[0] && near(out[119], 5));
	/* 10 s slices over fine samples at a 0.5 s delay, then 2 s */
	hist_reset();
	for (int k = 0; k < 40; k++)
		tick_at(1000 + k * 0.5, 2);
	for (int k = 1; k <= 10; k++)
		tick_at(1019.5 + k * 2, 8);
	stats_hist_span(&hist, &clk, BOX_M_CPU, 40, out, 4);
	CHECK("hist: any delay: each point is its time's mean",
	      near(out[0], 2) && near(out[1], 2) && near(out[2], 8) &&
		      near(out[3], 8));
	/* the memory it costs a container */
	CHECK("hist: about 9 KB a container", sizeof(struct stats_hist) <= 9 * 1024 + 512);
}

int main(void)
{
	const char *netdev =
		"Inter-|   Receive                                                |  Transmit\n"
		" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
		"    lo:  123456     100    0    0    0     0          0         0   123456     100    0    0    0     0       0          0\n"
		"  eth0:    1000      10    0    0    0     0          0         0     2000      20    0    0    0     0       0          0\n"
		"veth1:500 5 0 0 0 0 0 0 700 7 0 0 0 0 0 0\n";
	uint64_t rx, tx;
	CHECK("netdev counts two", stats_parse_netdev(netdev, &rx, &tx) == 2);
	CHECK("netdev rx sum without lo", rx == 1500);
	CHECK("netdev tx sum without lo", tx == 2700);
	CHECK("netdev empty", stats_parse_netdev("", &rx, &tx) == 0 && rx == 0);

	uint64_t busy, total;
	CHECK("procstat", stats_parse_procstat("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1\n",
					      &busy, &total) == 0);
	CHECK("procstat busy", busy == 150 && total == 1000);
	CHECK("procstat bad", stats_parse_procstat("intr 1\n", &busy, &total) < 0);

	uint64_t mt, mu;
	CHECK("meminfo", stats_parse_meminfo("MemTotal:  1000 kB\nMemFree: 10 kB\n"
					     "MemAvailable:  400 kB\n", &mt, &mu) == 0);
	CHECK("meminfo values", mt == 1024000 && mu == 600 * 1024);
	CHECK("meminfo bad", stats_parse_meminfo("MemTotal: 5 kB\n", &mt, &mu) < 0);

	char state;
	uint64_t ticks, start, rss;
	const char *pstat = "42 (my (odd) prog) S 1 42 42 0 -1 4194560 100 0 0 0 "
			    "7 3 0 0 20 0 1 0 5555 1000000 250 18446744073709551615";
	CHECK("pidstat", stats_parse_pidstat(pstat, &state, &ticks, &start, &rss) == 0);
	CHECK("pidstat fields", state == 'S' && ticks == 10 && start == 5555 && rss == 250);
	CHECK("pidstat bad", stats_parse_pidstat("42 prog S", &state, &ticks, &start, &rss) < 0);

	test_hist();
	test_net_sample();
	UNIT_DONE();
}
