/* net_pool.c - IPv4 arithmetic, subnet choice and lease allocation.
 * Pure functions over numbers, so the rules are unit-tested without a
 * kernel. */
#include "net_pool.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int np_parse_ip(const char *s, uint32_t *out)
{
	struct in_addr a;
	if (!s || inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*out = ntohl(a.s_addr);
	return 0;
}

char *np_fmt_ip(uint32_t ip, char *buf)
{
	snprintf(buf, NP_IP_LEN, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
		 (ip >> 8) & 255, ip & 255);
	return buf;
}

uint32_t np_mask(int prefix)
{
	return prefix <= 0 ? 0 : 0xffffffffu << (32 - prefix);
}

int np_parse_cidr(const char *s, struct np_cidr *out, struct box_err *err)
{
	char buf[64];
	const char *slash = s ? strchr(s, '/') : NULL;
	if (!slash || (size_t)(slash - s) >= sizeof buf)
		return box_fail(err, BOX_EINVAL, 0,
				"subnet '%s': want ADDRESS/PREFIX", s ? s : "");
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	char *end;
	long prefix = strtol(slash + 1, &end, 10);
	uint32_t ip;
	if (np_parse_ip(buf, &ip) < 0 || *end || end == slash + 1)
		return box_fail(err, BOX_EINVAL, 0,
				"subnet '%s': want ADDRESS/PREFIX", s);
	/* /31 and /32 leave no host for a container next to a gateway. */
	if (prefix < 8 || prefix > 30)
		return box_fail(err, BOX_EINVAL, 0,
				"subnet '%s': prefix must be 8..30", s);
	if (ip & ~np_mask((int)prefix))
		return box_fail(err, BOX_EINVAL, 0,
				"subnet '%s': host bits set (did you mean %s/%ld?)",
				s, np_fmt_ip(ip & np_mask((int)prefix), buf),
				prefix);
	out->addr = ip;
	out->prefix = (int)prefix;
	return 0;
}

void np_fmt_cidr(const struct np_cidr *c, char *buf, size_t len)
{
	char ip[NP_IP_LEN];
	snprintf(buf, len, "%s/%d", np_fmt_ip(c->addr, ip), c->prefix);
}

uint32_t np_broadcast(const struct np_cidr *c)
{
	return c->addr | ~np_mask(c->prefix);
}

bool np_contains(const struct np_cidr *c, uint32_t ip)
{
	return (ip & np_mask(c->prefix)) == c->addr;
}

bool np_overlap(const struct np_cidr *a, const struct np_cidr *b)
{
	int p = a->prefix < b->prefix ? a->prefix : b->prefix;
	return (a->addr & np_mask(p)) == (b->addr & np_mask(p));
}

int np_parse_range(const char *s, uint32_t *lo, uint32_t *hi,
		   struct box_err *err)
{
	char a[NP_IP_LEN + 1];
	const char *dash = s ? strchr(s, '-') : NULL;
	if (!dash || (size_t)(dash - s) >= sizeof a)
		return box_fail(err, BOX_EINVAL, 0, "range '%s': want A-B",
				s ? s : "");
	memcpy(a, s, (size_t)(dash - s));
	a[dash - s] = '\0';
	if (np_parse_ip(a, lo) < 0 || np_parse_ip(dash + 1, hi) < 0)
		return box_fail(err, BOX_EINVAL, 0, "range '%s': want A-B", s);
	if (*lo > *hi)
		return box_fail(err, BOX_EINVAL, 0,
				"range '%s': start above end", s);
	return 0;
}

int np_pool_init(struct np_pool *p, const struct np_cidr *subnet,
		 uint32_t gateway, uint32_t lo, uint32_t hi,
		 struct box_err *err)
{
	char a[NP_IP_LEN], b[NP_IP_LEN];
	uint32_t first = subnet->addr + 1, last = np_broadcast(subnet) - 1;
	memset(p, 0, sizeof *p);
	p->subnet = *subnet;
	if (gateway && (gateway < first || gateway > last))
		return box_fail(err, BOX_EINVAL, 0,
				"gateway %s: not a host of the subnet",
				np_fmt_ip(gateway, a));
	p->gateway = gateway;
	if (!lo && !hi) {
		lo = first;
		hi = last;
	}
	if (lo < first || hi > last || lo > hi)
		return box_fail(err, BOX_EINVAL, 0,
				"range %s-%s: not inside the subnet's hosts",
				np_fmt_ip(lo, a), np_fmt_ip(hi, b));
	p->lo = lo;
	p->hi = hi;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

void np_sort(uint32_t *ips, size_t n)
{
	if (n)
		qsort(ips, n, sizeof *ips, cmp_u32);
}

bool np_is_leased(const struct np_pool *p, uint32_t ip)
{
	return p->n_leased &&
	       bsearch(&ip, p->leased, p->n_leased, sizeof ip, cmp_u32);
}

int np_check_fixed(const struct np_pool *p, uint32_t ip, struct box_err *err)
{
	char a[NP_IP_LEN], b[NP_IP_LEN], c[64];
	np_fmt_ip(ip, a);
	np_fmt_cidr(&p->subnet, c, sizeof c);
	if (!np_contains(&p->subnet, ip))
		return box_fail(err, BOX_EINVAL, 0,
				"ip %s: outside the subnet %s", a, c);
	if (ip == p->subnet.addr)
		return box_fail(err, BOX_EINVAL, 0,
				"ip %s: the network address of %s", a, c);
	if (ip == np_broadcast(&p->subnet))
		return box_fail(err, BOX_EINVAL, 0,
				"ip %s: the broadcast address of %s", a, c);
	if (ip == p->gateway)
		return box_fail(err, BOX_EINVAL, 0,
				"ip %s: the network's gateway", a);
	if (ip < p->lo || ip > p->hi)
		return box_fail(err, BOX_EINVAL, 0,
				"ip %s: outside the network's range %s-%s", a,
				np_fmt_ip(p->lo, b), np_fmt_ip(p->hi, c));
	if (np_is_leased(p, ip))
		return box_fail(err, BOX_EEXIST, 0, "ip %s: already leased", a);
	return 0;
}

static bool usable(const struct np_pool *p, uint32_t ip)
{
	return ip != p->gateway && !np_is_leased(p, ip);
}

int np_next_free(const struct np_pool *p, uint32_t *out, struct box_err *err)
{
	for (uint64_t ip = p->lo; ip <= p->hi; ip++)
		if (usable(p, (uint32_t)ip)) {
			*out = (uint32_t)ip;
			return 0;
		}
	char a[NP_IP_LEN], b[NP_IP_LEN];
	return box_fail(err, BOX_EINVAL, 0, "no free address left in %s-%s",
			np_fmt_ip(p->lo, a), np_fmt_ip(p->hi, b));
}

size_t np_free_count(const struct np_pool *p)
{
	size_t n = 0;
	for (uint64_t ip = p->lo; ip <= p->hi; ip++)
		n += usable(p, (uint32_t)ip);
	return n;
}

int np_plan_batch(const struct np_pool *p, uint32_t base, size_t count,
		  uint32_t *out, struct box_err *err)
{
	char a[NP_IP_LEN], b[NP_IP_LEN];
	if (!base)
		base = p->lo;
	else if (np_check_fixed(p, base, err) < 0)
		return box_err_wrap(err, "batch base");
	size_t got = 0;
	for (uint64_t ip = base; ip <= p->hi && got < count; ip++)
		if (usable(p, (uint32_t)ip))
			out[got++] = (uint32_t)ip;
	if (got < count)
		return box_fail(err, BOX_EINVAL, 0,
				"%zu addresses from %s: only %zu free up to %s",
				count, np_fmt_ip(base, a), got,
				np_fmt_ip(p->hi, b));
	return 0;
}

int np_choose_subnet(const struct np_cidr *used, size_t n_used,
		     const struct np_cidr *cands, size_t n_cands,
		     struct np_cidr *out)
{
	for (size_t i = 0; i < n_cands; i++) {
		bool clash = false;
		for (size_t j = 0; j < n_used && !clash; j++)
			clash = np_overlap(&cands[i], &used[j]);
		if (!clash) {
			*out = cands[i];
			return 0;
		}
	}
	return -1;
}
