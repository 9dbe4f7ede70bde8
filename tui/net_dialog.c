/* net_dialog.c - the TUI's Add Net / Remove Net (key w, the seed's actions):
 * connect the selected running container to a network (eth1, eth2, ...) or
 * disconnect it from one.  Both are one netlink round trip or two, so they
 * run inline rather than on the worker. */
#include "tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NET_MENU_MAX 32

static const char *check_ip(struct tui *t, struct form_field *f, char *buf,
			    size_t len)
{
	(void)t;
	unsigned a, b, c, d;
	char tail;
	if (!f[0].value[0] ||
	    (sscanf(f[0].value, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4 &&
	     a < 256 && b < 256 && c < 256 && d < 256))
		return NULL;
	snprintf(buf, len, "ip '%s': want an IPv4 address or nothing",
		 f[0].value);
	return buf;
}

void dialog_net(struct tui *t)
{
	if (!tui_may_act(t))
		return;
	const struct box_stat_row *r = tui_selected(t);
	if (!r)
		return;
	if (r->info.status != BOX_RUNNING && r->info.status != BOX_PAUSED) {
		tui_message(t, true, "%s: not running", r->info.name);
		return;
	}
	char name[BOX_NAME_MAX + 1];
	snprintf(name, sizeof name, "%s", r->info.name);
	struct box_err err = {0};
	struct box_net_info *nets = NULL;
	struct box_net_iface *ifs = NULL;
	size_t nn = 0, ni = 0;
	if (box_net_list(t->ctx, &nets, &nn, &err) < 0 ||
	    box_net_ifaces(t->ctx, name, 0, &ifs, &ni, &err) < 0) {
		tui_message(t, true, "%s", err.msg);
		free(nets);
		return;
	}
	/* One entry per network: disconnect where it is on it, else connect. */
	char labels[NET_MENU_MAX][BOX_NAME_MAX + 48];
	const char *items[NET_MENU_MAX];
	bool joined[NET_MENU_MAX];
	size_t n = 0;
	for (size_t i = 0; i < nn && n < NET_MENU_MAX; i++, n++) {
		const char *ifname = NULL;
		for (size_t k = 0; k < ni && !ifname; k++)
			if (!strcmp(ifs[k].net, nets[i].name))
				ifname = ifs[k].ifname;
		joined[n] = ifname != NULL;
		if (ifname)
			snprintf(labels[n], sizeof labels[n], "Remove %s (%s)",
				 nets[i].name, ifname);
		else
			snprintf(labels[n], sizeof labels[n], "Add %s  %s",
				 nets[i].name, nets[i].subnet);
		items[n] = labels[n];
	}
	int pick = n ? dialog_menu(t, "Network", items, n, 0) : -1;
	if (!n)
		tui_message(t, true, "no networks: boxtop net create NAME ...");
	if (pick >= 0) {
		const char *net = nets[pick].name;
		char ifname[16] = "";
		struct form_field f[1] = {{"IP", "", NULL, 0}};
		char title[BOX_NAME_MAX + 40];
		snprintf(title, sizeof title, "Add %s (IP empty: next free)", net);
		if (joined[pick]) {
			if (box_net_disconnect(t->ctx, name, net, &err) < 0)
				tui_message(t, true, "%s", err.msg);
			else
				tui_message(t, false, "%s left %s", name, net);
		} else if (dialog_form(t, title, f, 1, check_ip)) {
			if (box_net_connect(t->ctx, name, net,
					    f[0].value[0] ? f[0].value : NULL,
					    ifname, &err) < 0)
				tui_message(t, true, "%s", err.msg);
			else
				tui_message(t, false, "%s joined %s as %s", name,
					    net, ifname);
		}
		t->detail_cfg_ms = 0; /* the detail pane shows it at once */
	}
	free(nets);
	free(ifs);
}
