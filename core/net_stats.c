/* net_stats.c - rx/tx bytes and packets of a container's interfaces.
 * /proc/<pid>/net/dev shows the netns of pid, so no setns is needed. */
#include "net_stats.h"
#include "net_store.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int nstats_parse(const char *text, const char *ifname,
		 struct box_net_counters *out)
{
	memset(out, 0, sizeof *out);
	int matched = 0;
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		const char *colon = strchr(line, ':');
		if (colon && (!nl || colon < nl)) {
			const char *name = line;
			while (*name == ' ')
				name++;
			size_t len = (size_t)(colon - name);
			bool want = ifname ? strlen(ifname) == len &&
						     !strncmp(name, ifname, len)
					   : !(len == 2 && !strncmp(name, "lo", 2));
			uint64_t v[16] = {0};
			if (want &&
			    sscanf(colon + 1,
				   "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
				   " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
				   " %" SCNu64 " %" SCNu64,
				   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
				   &v[6], &v[7], &v[8], &v[9]) == 10) {
				out->rx_bytes += v[0];
				out->rx_packets += v[1];
				out->tx_bytes += v[8];
				out->tx_packets += v[9];
				matched++;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return matched;
}

static char *read_dev(pid_t pid, struct box_err *err)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/net/dev", (int)pid);
	return util_read_file(path, NULL, err);
}

int box_net_counters(pid_t pid, struct box_net_counters *out,
		     struct box_err *err)
{
	auto_free char *text = read_dev(pid, err);
	if (!text)
		return -1;
	nstats_parse(text, NULL, out);
	return 0;
}

int box_net_ifaces(struct box_ctx *ctx, const char *container, pid_t pid,
		   struct box_net_iface **out, size_t *n, struct box_err *err)
{
	*out = NULL;
	*n = 0;
	struct net_all all;
	auto_fd lock = nstore_lock_load_all(ctx, false, &all, err);
	if (lock < 0)
		return -1;
	auto_free char *text = pid > 0 ? read_dev(pid, NULL) : NULL;
	size_t cap = 0;
	int rc = 0;
	for (size_t k = 0; k < all.n && rc == 0; k++)
		for (size_t i = 0; i < nlease_count(&all.v[k]); i++) {
			struct net_lease l;
			nlease_get(&all.v[k], i, &l);
			if (strcmp(l.container, container))
				continue;
			if (*n == cap) {
				cap = cap ? cap * 2 : 4;
				struct box_net_iface *nv =
					realloc(*out, cap * sizeof *nv);
				if (!nv) {
					rc = box_fail(err, BOX_ESYS, ENOMEM,
						      "interfaces of %s", container);
					break;
				}
				*out = nv;
			}
			struct box_net_iface *f = &(*out)[(*n)++];
			memset(f, 0, sizeof *f);
			snprintf(f->ifname, sizeof f->ifname, "%s", l.ifname);
			snprintf(f->net, sizeof f->net, "%s", all.v[k].name);
			np_fmt_ip(l.ip, f->ip);
			snprintf(f->mac, sizeof f->mac, "%s", l.mac);
			struct box_net_counters c;
			if (text && nstats_parse(text, l.ifname, &c) > 0) {
				f->rx_bytes = c.rx_bytes;
				f->rx_packets = c.rx_packets;
				f->tx_bytes = c.tx_bytes;
				f->tx_packets = c.tx_packets;
			}
		}
	nstore_free_all(&all);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
