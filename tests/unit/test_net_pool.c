/* test_net_pool.c - IPv4 arithmetic, subnet choice and lease allocation. */
#include "net_pool.h"
#include "net_stats.h"
#include "unit.h"

static uint32_t ip(const char *s)
{
	uint32_t v = 0;
	np_parse_ip(s, &v);
	return v;
}

int main(void)
{
	struct box_err err;
	struct np_cidr c;
	char buf[64];

	CHECK("parse cidr", np_parse_cidr("10.88.0.0/16", &c, &err) == 0 &&
				    c.addr == ip("10.88.0.0") && c.prefix == 16);
	CHECK("cidr host bits refused",
	      np_parse_cidr("10.88.0.5/16", &c, &err) < 0 &&
		      strstr(err.msg, "10.88.0.0/16"));
	CHECK("cidr no prefix", np_parse_cidr("10.88.0.0", &c, &err) < 0);
	CHECK("cidr prefix 31", np_parse_cidr("10.0.0.0/31", &c, &err) < 0);
	CHECK("cidr junk", np_parse_cidr("10.0.0.0/2x", &c, &err) < 0);
	np_parse_cidr("192.168.7.0/24", &c, &err);
	np_fmt_cidr(&c, buf, sizeof buf);
	CHECK_STR("fmt cidr", buf, "192.168.7.0/24");
	CHECK("broadcast", np_broadcast(&c) == ip("192.168.7.255"));
	CHECK("contains", np_contains(&c, ip("192.168.7.9")) &&
				  !np_contains(&c, ip("192.168.8.1")));

	struct np_cidr a = {ip("10.0.0.0"), 8}, b = {ip("10.5.0.0"), 16},
		       d = {ip("11.0.0.0"), 16};
	CHECK("overlap inner", np_overlap(&a, &b) && np_overlap(&b, &a));
	CHECK("no overlap", !np_overlap(&b, &d));

	uint32_t lo, hi;
	CHECK("range parse", np_parse_range("10.0.0.5-10.0.0.9", &lo, &hi,
					    &err) == 0 &&
				     lo == ip("10.0.0.5") && hi == ip("10.0.0.9"));
	CHECK("range reversed",
	      np_parse_range("10.0.0.9-10.0.0.5", &lo, &hi, &err) < 0);

	/* pool: 10.1.0.0/24, gateway .1, leased .2 .3 .10 */
	struct np_pool p;
	struct np_cidr s24 = {ip("10.1.0.0"), 24};
	uint32_t leased[] = {ip("10.1.0.10"), ip("10.1.0.2"), ip("10.1.0.3")};
	np_sort(leased, 3);
	CHECK("pool init", np_pool_init(&p, &s24, ip("10.1.0.1"), 0, 0,
					&err) == 0 &&
				   p.lo == ip("10.1.0.1") &&
				   p.hi == ip("10.1.0.254"));
	p.leased = leased;
	p.n_leased = 3;
	uint32_t got;
	CHECK("next free skips gw and leases",
	      np_next_free(&p, &got, &err) == 0 && got == ip("10.1.0.4"));
	CHECK("fixed ok", np_check_fixed(&p, ip("10.1.0.50"), &err) == 0);
	CHECK("fixed outside subnet",
	      np_check_fixed(&p, ip("10.2.0.5"), &err) < 0 &&
		      strstr(err.msg, "outside the subnet"));
	CHECK("fixed gateway", np_check_fixed(&p, ip("10.1.0.1"), &err) < 0 &&
				       strstr(err.msg, "gateway"));
	CHECK("fixed broadcast",
	      np_check_fixed(&p, ip("10.1.0.255"), &err) < 0 &&
		      strstr(err.msg, "broadcast"));
	CHECK("fixed network addr",
	      np_check_fixed(&p, ip("10.1.0.0"), &err) < 0 &&
		      strstr(err.msg, "network address"));
	CHECK("fixed leased", np_check_fixed(&p, ip("10.1.0.10"), &err) < 0 &&
				      err.kind == BOX_EEXIST &&
				      strstr(err.msg, "already leased"));
	CHECK("free count", np_free_count(&p) == 254 - 1 - 3);

	uint32_t out[20];
	CHECK("batch from base skips leased",
	      np_plan_batch(&p, ip("10.1.0.8"), 4, out, &err) == 0 &&
		      out[0] == ip("10.1.0.8") && out[1] == ip("10.1.0.9") &&
		      out[2] == ip("10.1.0.11") && out[3] == ip("10.1.0.12"));
	CHECK("batch from pool start",
	      np_plan_batch(&p, 0, 2, out, &err) == 0 &&
		      out[0] == ip("10.1.0.4") && out[1] == ip("10.1.0.5"));
	CHECK("batch too big for the tail",
	      np_plan_batch(&p, ip("10.1.0.250"), 10, out, &err) < 0 &&
		      strstr(err.msg, "only 5 free"));
	CHECK("batch base leased",
	      np_plan_batch(&p, ip("10.1.0.10"), 1, out, &err) < 0);

	/* range-limited pool (macvlan --range) */
	CHECK("range outside subnet",
	      np_pool_init(&p, &s24, 0, ip("10.1.0.200"), ip("10.1.1.5"),
			   &err) < 0);
	np_pool_init(&p, &s24, 0, ip("10.1.0.200"), ip("10.1.0.201"), &err);
	CHECK("fixed outside range",
	      np_check_fixed(&p, ip("10.1.0.50"), &err) < 0 &&
		      strstr(err.msg, "range"));
	uint32_t two[] = {ip("10.1.0.200"), ip("10.1.0.201")};
	p.leased = two;
	p.n_leased = 2;
	CHECK("exhausted", np_next_free(&p, &got, &err) < 0 &&
				   strstr(err.msg, "no free address"));
	CHECK("gateway outside subnet",
	      np_pool_init(&p, &s24, ip("10.9.0.1"), 0, 0, &err) < 0);

	/* subnet choice skips what the host uses */
	struct np_cidr used[] = {{ip("10.88.0.0"), 16}, {ip("172.16.0.0"), 12},
				 {ip("10.89.3.7"), 32}};
	struct np_cidr cands[] = {{ip("10.88.0.0"), 16}, {ip("10.89.0.0"), 16},
				  {ip("172.20.0.0"), 16}, {ip("10.90.0.0"), 16}};
	struct np_cidr pick;
	CHECK("choose subnet", np_choose_subnet(used, 3, cands, 4, &pick) == 0 &&
				       pick.addr == ip("10.90.0.0"));
	CHECK("choose none left", np_choose_subnet(used, 3, cands, 3, &pick) < 0);

	/* /proc/<pid>/net/dev as a container sees it */
	const char *dev =
		"Inter-|   Receive                                                |  Transmit\n"
		" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
		"    lo:     100       2    0    0    0     0          0         0      100       2    0    0    0     0       0          0\n"
		"  eth0:    5000      40    0    0    0     0          0         0     3000      30    0    0    0     0       0          0\n"
		"  eth1: 123456789012 7    0    0    0     0          0         0        9       1    0    0    0     0       0          0\n";
	struct box_net_counters nc;
	CHECK("stats: all but lo", nstats_parse(dev, NULL, &nc) == 2 &&
					   nc.rx_bytes == 5000 + 123456789012ULL &&
					   nc.rx_packets == 47 &&
					   nc.tx_bytes == 3009 && nc.tx_packets == 31);
	CHECK("stats: one interface", nstats_parse(dev, "eth0", &nc) == 1 &&
					      nc.rx_packets == 40 &&
					      nc.tx_packets == 30);
	CHECK("stats: eth1 is not eth10", nstats_parse(dev, "eth10", &nc) == 0 &&
						  nc.rx_bytes == 0);
	UNIT_DONE();
}
