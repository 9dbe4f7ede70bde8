/* stats_parse.c - the sampler's pure parts: parsers of /proc text (unit
 * tested; the history rings are in stats_hist.c). */
#include "stats.h"
#include "net_stats.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* The one /proc/<pid>/net/dev parser lives in net_stats.c. */
int stats_parse_netdev(const char *text, uint64_t *rx, uint64_t *tx)
{
	struct box_net_counters c;
	int n = nstats_parse(text, NULL, &c);
	*rx = c.rx_bytes;
	*tx = c.tx_bytes;
	return n;
}

int stats_parse_procstat(const char *text, uint64_t *busy, uint64_t *total)
{
	unsigned long long v[8] = {0};
	if (strncmp(text, "cpu ", 4) ||
	    sscanf(text + 4, "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) < 4)
		return -1;
	uint64_t t = 0;
	for (int i = 0; i < 8; i++)
		t += v[i];
	*total = t;
	*busy = t - v[3] - v[4]; /* minus idle and iowait */
	return 0;
}

int stats_parse_meminfo(const char *text, uint64_t *total, uint64_t *used)
{
	unsigned long long t = 0, avail = 0;
	const char *p = strstr(text, "MemTotal:");
	const char *a = strstr(text, "MemAvailable:");
	if (!p || !a || sscanf(p + 9, "%llu", &t) != 1 ||
	    sscanf(a + 13, "%llu", &avail) != 1)
		return -1;
	*total = t * 1024;
	*used = (t > avail ? t - avail : 0) * 1024;
	return 0;
}

int stats_parse_pidstat(const char *text, char *state, uint64_t *ticks,
			uint64_t *starttime, uint64_t *rss_pages)
{
	const char *p = strrchr(text, ')');
	if (!p || p[1] != ' ')
		return -1;
	p += 2;
	/* fields from 3: state ppid pgrp session tty tpgid flags minflt
	 * cminflt majflt cmajflt utime stime cutime cstime priority nice
	 * threads itrealvalue starttime vsize rss */
	char st;
	unsigned long long utime, stime, start, rss;
	if (sscanf(p,
		   "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d "
		   "%*d %*d %*d %*d %llu %*u %llu",
		   &st, &utime, &stime, &start, &rss) != 5)
		return -1;
	*state = st;
	*ticks = utime + stime;
	*starttime = start;
	*rss_pages = rss;
	return 0;
}
