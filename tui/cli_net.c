/* cli_net.c - `boxtop net create|ls|rm|info|connect|disconnect`. */
#include "cli.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_JSON = 1000, O_TYPE, O_SUBNET, O_GATEWAY, O_PARENT, O_RANGE, O_NAT,
       O_IP };

static const struct option net_longs[] = {
	{"json", no_argument, 0, O_JSON},
	{"type", required_argument, 0, O_TYPE},
	{"subnet", required_argument, 0, O_SUBNET},
	{"gateway", required_argument, 0, O_GATEWAY},
	{"parent", required_argument, 0, O_PARENT},
	{"range", required_argument, 0, O_RANGE},
	{"nat", no_argument, 0, O_NAT},
	{"ip", required_argument, 0, O_IP},
	{0, 0, 0, 0},
};

/* Options of one subcommand: allowed says which are accepted. */
struct net_args {
	struct box_net_opts o;
	const char *ip;
	char **pos;   /* positional arguments */
	int n_pos;
};

static int parse(struct cli *c, const char *cmd, int argc, char **argv,
		 const int *allowed, struct net_args *a)
{
	memset(a, 0, sizeof *a);
	int opt;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", net_longs, NULL)) != -1) {
		bool ok = opt == O_JSON;
		for (const int *p = allowed; *p && !ok; p++)
			ok = *p == opt;
		if (opt == '?' || !ok)
			return cli_usage(cmd, "unknown option '%s'",
					 argv[optind - 1]);
		switch (opt) {
		case O_JSON: c->json = true; break;
		case O_TYPE: a->o.type = optarg; break;
		case O_SUBNET: a->o.subnet = optarg; break;
		case O_GATEWAY: a->o.gateway = optarg; break;
		case O_PARENT: a->o.parent = optarg; break;
		case O_RANGE: a->o.range = optarg; break;
		case O_NAT: a->o.nat = true; break;
		case O_IP: a->ip = optarg; break;
		}
	}
	a->pos = argv + optind;
	a->n_pos = argc - optind;
	return 0;
}

static json_t *info_json(const struct box_net_info *i)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:I,s:I}", "name",
			 i->name, "type", i->type, "subnet", i->subnet,
			 "gateway", i->gateway, "range", i->range, "parent",
			 i->parent, "bridge", i->bridge, "nat", i->nat, "used",
			 (json_int_t)i->leases, "free", (json_int_t)i->free);
}

static int net_create(struct cli *c, int argc, char **argv)
{
	static const int allowed[] = {O_TYPE, O_SUBNET, O_GATEWAY, O_PARENT,
				      O_RANGE, O_NAT, 0};
	struct net_args a;
	int rc = parse(c, "net create", argc, argv, allowed, &a);
	if (rc)
		return rc;
	if (a.n_pos != 1)
		return cli_usage("net create", "want one NAME");
	a.o.name = a.pos[0];
	struct box_ctx *ctx = cli_ctx(c);
	if (!ctx)
		return 1;
	struct box_err err = {0};
	struct box_net_info info;
	if (box_net_create(ctx, &a.o, &info, &err) < 0)
		return cli_fail(&err);
	if (c->json) {
		cli_print_json(info_json(&info));
		return 0;
	}
	printf("network %s: %s on %s, subnet %s%s%s%s\n", info.name, info.type,
	       info.type[0] == 'b' ? info.bridge : info.parent, info.subnet,
	       a.o.subnet ? "" : " (chosen: no host route or address overlaps it)",
	       info.gateway[0] ? ", gateway " : "", info.gateway);
	return 0;
}

static int net_ls(struct cli *c, int argc, char **argv)
{
	static const int allowed[] = {0};
	struct net_args a;
	int rc = parse(c, "net ls", argc, argv, allowed, &a);
	if (rc)
		return rc;
	if (a.n_pos)
		return cli_usage("net ls", "unexpected argument '%s'", a.pos[0]);
	struct box_ctx *ctx = cli_ctx(c);
	if (!ctx)
		return 1;
	struct box_err err = {0};
	struct box_net_info *v;
	size_t n;
	if (box_net_list(ctx, &v, &n, &err) < 0)
		return cli_fail(&err);
	if (c->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, info_json(&v[i]));
		cli_print_json(arr);
	} else {
		printf("%-16s %-8s %-18s %-15s %-12s %5s %7s\n", "NAME", "TYPE",
		       "SUBNET", "GATEWAY", "DEVICE", "USED", "FREE");
		for (size_t i = 0; i < n; i++)
			printf("%-16s %-8s %-18s %-15s %-12s %5zu %7zu\n",
			       v[i].name, v[i].type, v[i].subnet,
			       v[i].gateway[0] ? v[i].gateway : "-",
			       v[i].type[0] == 'b' ? v[i].bridge : v[i].parent,
			       v[i].leases, v[i].free);
	}
	free(v);
	return 0;
}

static int net_rm(struct cli *c, int argc, char **argv)
{
	static const int allowed[] = {0};
	struct net_args a;
	int rc = parse(c, "net rm", argc, argv, allowed, &a);
	if (rc)
		return rc;
	if (a.n_pos < 1)
		return cli_usage("net rm", "want NAME...");
	struct box_ctx *ctx = cli_ctx(c);
	if (!ctx)
		return 1;
	return cli_each(ctx, a.pos, a.n_pos, box_net_remove);
}

static int net_info(struct cli *c, int argc, char **argv)
{
	static const int allowed[] = {0};
	struct net_args a;
	int rc = parse(c, "net info", argc, argv, allowed, &a);
	if (rc)
		return rc;
	if (a.n_pos != 1)
		return cli_usage("net info", "want one NAME");
	struct box_ctx *ctx = cli_ctx(c);
	if (!ctx)
		return 1;
	struct box_err err = {0};
	struct box_net_info info;
	struct box_net_lease *l;
	size_t n;
	if (box_net_get(ctx, a.pos[0], &info, &l, &n, &err) < 0)
		return cli_fail(&err);
	if (c->json) {
		json_t *j = info_json(&info), *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(
				arr, json_pack("{s:s,s:s,s:s,s:s}", "ip", l[i].ip,
					       "container", l[i].container,
					       "ifname", l[i].ifname, "mac",
					       l[i].mac));
		json_object_set_new(j, "leases", arr);
		cli_print_json(j);
	} else {
		printf("name:    %s\ntype:    %s\nsubnet:  %s\ngateway: %s\n"
		       "range:   %s\n",
		       info.name, info.type, info.subnet,
		       info.gateway[0] ? info.gateway : "-", info.range);
		if (info.type[0] == 'b')
			printf("bridge:  %s\n", info.bridge);
		else
			printf("parent:  %s (macvlan, bridge mode)\n", info.parent);
		printf("leases:  %zu used, %zu free\n", info.leases, info.free);
		for (size_t i = 0; i < n; i++)
			printf("  %-15s %-20s %-6s %s\n", l[i].ip, l[i].container,
			       l[i].ifname, l[i].mac);
	}
	free(l);
	return 0;
}

static int net_connect(struct cli *c, int argc, char **argv, bool connect)
{
	static const int with_ip[] = {O_IP, 0}, none[] = {0};
	const char *cmd = connect ? "net connect" : "net disconnect";
	struct net_args a;
	int rc = parse(c, cmd, argc, argv, connect ? with_ip : none, &a);
	if (rc)
		return rc;
	if (a.n_pos != 2)
		return cli_usage(cmd, "want CONTAINER NETWORK");
	struct box_ctx *ctx = cli_ctx(c);
	if (!ctx)
		return 1;
	struct box_err err = {0};
	char ifname[16] = "";
	if (connect ? box_net_connect(ctx, a.pos[0], a.pos[1], a.ip, ifname,
				      &err)
		    : box_net_disconnect(ctx, a.pos[0], a.pos[1], &err))
		return cli_fail(&err);
	if (connect && c->json)
		cli_print_json(json_pack("{s:s,s:s,s:s}", "container", a.pos[0],
					 "network", a.pos[1], "ifname", ifname));
	else if (connect)
		printf("%s\n", ifname);
	return 0;
}

/* `net ifaces CONTAINER`: its interfaces with rx/tx counters (what the TUI
 * detail pane shows). */
static int net_ifaces(struct cli *c, int argc, char **argv)
{
	static const int allowed[] = {0};
	struct net_args a;
	int rc = parse(c, "net ifaces", argc, argv, allowed, &a);
	if (rc)
		return rc;
	if (a.n_pos != 1)
		return cli_usage("net ifaces", "want one CONTAINER");
	struct box_ctx *ctx = cli_ctx(c);
	if (!ctx)
		return 1;
	struct box_err err = {0};
	struct box_info bi;
	if (box_info_get(ctx, a.pos[0], &bi, &err) < 0)
		return cli_fail(&err);
	bool live = bi.status == BOX_RUNNING || bi.status == BOX_PAUSED;
	struct box_net_iface *v;
	size_t n;
	if (box_net_ifaces(ctx, a.pos[0], live ? bi.pid : 0, &v, &n, &err) < 0)
		return cli_fail(&err);
	if (c->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(
				arr,
				json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I}",
					  "ifname", v[i].ifname, "network",
					  v[i].net, "ip", v[i].ip, "mac", v[i].mac,
					  "rx_bytes", (json_int_t)v[i].rx_bytes,
					  "rx_packets", (json_int_t)v[i].rx_packets,
					  "tx_bytes", (json_int_t)v[i].tx_bytes,
					  "tx_packets", (json_int_t)v[i].tx_packets));
		cli_print_json(arr);
	} else {
		printf("%-6s %-16s %-15s %-17s %12s %9s %12s %9s\n", "IFACE",
		       "NETWORK", "IP", "MAC", "RX_BYTES", "RX_PKTS",
		       "TX_BYTES", "TX_PKTS");
		for (size_t i = 0; i < n; i++)
			printf("%-6s %-16s %-15s %-17s %12llu %9llu %12llu %9llu\n",
			       v[i].ifname, v[i].net, v[i].ip, v[i].mac,
			       (unsigned long long)v[i].rx_bytes,
			       (unsigned long long)v[i].rx_packets,
			       (unsigned long long)v[i].tx_bytes,
			       (unsigned long long)v[i].tx_packets);
	}
	free(v);
	return 0;
}

static int net_connect_cmd(struct cli *c, int argc, char **argv)
{
	return net_connect(c, argc, argv, true);
}

static int net_disconnect_cmd(struct cli *c, int argc, char **argv)
{
	return net_connect(c, argc, argv, false);
}

int cli_net(struct cli *c, int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{"create", net_create},   {"ls", net_ls},
		{"list", net_ls},         {"rm", net_rm},
		{"remove", net_rm},       {"info", net_info},
		{"inspect", net_info},    {"connect", net_connect_cmd},
		{"disconnect", net_disconnect_cmd}, {"ifaces", net_ifaces}};
	return cli_dispatch(c, argc, argv, "net",
			    "want create|ls|rm|info|connect|disconnect|ifaces",
			    subs, sizeof subs / sizeof subs[0]);
}
