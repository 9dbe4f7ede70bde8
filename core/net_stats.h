/* net_stats.h - interface counters read in a container's netns. */
#ifndef BOX_NET_STATS_H
#define BOX_NET_STATS_H

#include "box.h"

/* Counters of ifname (NULL: every interface but lo, summed) from the text
 * of a /proc/<pid>/net/dev file.  Returns the number of matched lines. */
int nstats_parse(const char *text, const char *ifname,
		 struct box_net_counters *out);

#endif
