/* net_pool.h - IPv4 arithmetic and address pools (pure: no I/O).
 * Addresses are host-order uint32_t; 0 means "none". */
#ifndef BOX_NET_POOL_H
#define BOX_NET_POOL_H

#include "box.h"

#define NP_IP_LEN 16   /* "255.255.255.255" + NUL */

struct np_cidr {
	uint32_t addr;  /* network address (host bits cleared) */
	int prefix;     /* 0..32 */
};

int np_parse_ip(const char *s, uint32_t *out);
/* buf holds at least NP_IP_LEN bytes; returns buf. */
char *np_fmt_ip(uint32_t ip, char *buf);
/* "10.1.2.0/24"; host bits set ("10.1.2.5/24") are refused, so a typo does
 * not silently become a different network. */
int np_parse_cidr(const char *s, struct np_cidr *out, struct box_err *err);
void np_fmt_cidr(const struct np_cidr *c, char *buf, size_t len);
uint32_t np_mask(int prefix);
uint32_t np_broadcast(const struct np_cidr *c);
bool np_contains(const struct np_cidr *c, uint32_t ip);
bool np_overlap(const struct np_cidr *a, const struct np_cidr *b);
/* "A-B" into two addresses. */
int np_parse_range(const char *s, uint32_t *lo, uint32_t *hi,
		   struct box_err *err);

/* A pool: the addresses [lo, hi] of a subnet, less the gateway and the
 * leased ones (sorted ascending). */
struct np_pool {
	struct np_cidr subnet;
	uint32_t gateway;
	uint32_t lo, hi;
	const uint32_t *leased;
	size_t n_leased;
};

/* Fill lo/hi: the given range (0,0 = every host of the subnet), checked to
 * lie inside it; the gateway (0 = none) must be a host of the subnet. */
int np_pool_init(struct np_pool *p, const struct np_cidr *subnet,
		 uint32_t gateway, uint32_t lo, uint32_t hi,
		 struct box_err *err);
bool np_is_leased(const struct np_pool *p, uint32_t ip);
/* May ip be given to a new container?  Error says why not. */
int np_check_fixed(const struct np_pool *p, uint32_t ip, struct box_err *err);
int np_next_free(const struct np_pool *p, uint32_t *out, struct box_err *err);
size_t np_free_count(const struct np_pool *p);
/* count addresses ascending from base (0: the pool's start), skipping the
 * gateway and leased ones, into out[count]; fails (and fills nothing
 * useful) when the pool cannot hold them all. */
int np_plan_batch(const struct np_pool *p, uint32_t base, size_t count,
		  uint32_t *out, struct box_err *err);
/* The first candidate that overlaps none of used[]; -1 if none is left. */
int np_choose_subnet(const struct np_cidr *used, size_t n_used,
		     const struct np_cidr *cands, size_t n_cands,
		     struct np_cidr *out);
/* Sort addresses ascending (for np_pool.leased). */
void np_sort(uint32_t *ips, size_t n);

#endif
