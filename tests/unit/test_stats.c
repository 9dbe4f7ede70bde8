/* test_stats.c - the stats module's parsers and ring buffers. */
#include "stats.h"
#include "unit.h"

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

	static struct stats_ring r;
	float out[BOX_STATS_HIST];
	CHECK("ring empty", stats_ring_copy(&r, out, 10) == 0);
	for (int i = 0; i < 5; i++)
		stats_ring_push(&r, (float)i);
	CHECK("ring copy n", stats_ring_copy(&r, out, 10) == 5);
	CHECK("ring oldest first", out[0] == 0 && out[4] == 4);
	CHECK("ring newest only", stats_ring_copy(&r, out, 2) == 2 && out[0] == 3 && out[1] == 4);
	for (int i = 0; i < BOX_STATS_HIST + 7; i++)
		stats_ring_push(&r, (float)i);
	size_t n = stats_ring_copy(&r, out, BOX_STATS_HIST);
	CHECK("ring wraps full", n == BOX_STATS_HIST);
	CHECK("ring wrap order", out[0] == 7 && out[n - 1] == BOX_STATS_HIST + 6);
	CHECK("five minutes at 1 s", BOX_STATS_HIST >= 300);
	UNIT_DONE();
}
