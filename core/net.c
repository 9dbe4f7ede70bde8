/* net.c - container networking hooks (minimal: own netns with lo up). */
#include "net.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <netlink/route/link.h>
#include <netlink/socket.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

int net_prepare(struct box_ctx *ctx, const char *name,
		const struct box_create_opts *opts, json_t *config,
		struct box_err *err)
{
	(void)ctx, (void)name, (void)config;
	if (opts->net && strcmp(opts->net, "none"))
		return box_fail(err, BOX_EINVAL, 0,
				"network '%s': only 'none' is supported yet",
				opts->net);
	if (opts->ip)
		return box_fail(err, BOX_EINVAL, 0,
				"ip '%s': container has no network", opts->ip);
	return 0;
}

/* Bring lo up inside the netns of pid, over rtnetlink. */
static int lo_up(pid_t pid, struct box_err *err)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/ns/net", (int)pid);
	auto_fd nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0)
		return box_fail(err, BOX_ESYS, errno, "open %s", path);
	auto_fd self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return box_fail(err, BOX_ESYS, errno, "open own netns");
	if (setns(nsfd, CLONE_NEWNET) < 0)
		return box_fail(err, BOX_ESYS, errno, "enter netns of %d", pid);
	/* The netlink socket belongs to the netns it was made in. */
	struct nl_sock *sk = nl_socket_alloc();
	int rc = -1;
	if (!sk || nl_connect(sk, NETLINK_ROUTE) < 0) {
		box_fail(err, BOX_ESYS, EIO, "netlink connect");
		goto out;
	}
	struct rtnl_link *req = rtnl_link_alloc();
	struct rtnl_link *lo = NULL;
	if (!req || rtnl_link_get_kernel(sk, 0, "lo", &lo) < 0) {
		box_fail(err, BOX_ESYS, ENODEV, "find lo");
		rtnl_link_put(req);
		goto out;
	}
	rtnl_link_set_flags(req, IFF_UP);
	int r = rtnl_link_change(sk, lo, req, 0);
	rtnl_link_put(req);
	rtnl_link_put(lo);
	if (r < 0) {
		box_fail(err, BOX_ESYS, EIO, "set lo up: %s", nl_geterror(r));
		goto out;
	}
	rc = 0;
out:
	if (sk)
		nl_socket_free(sk);
	if (setns(self, CLONE_NEWNET) < 0 && rc == 0)
		rc = box_fail(err, BOX_ESYS, errno, "return to own netns");
	return rc;
}

int net_setup(struct box_ctx *ctx, const char *name, json_t *config, pid_t pid,
	      struct box_err *err)
{
	(void)ctx, (void)name;
	/* No network namespace in the config (--net host): nothing to do. */
	json_t *nss = json_object_get(json_object_get(config, "linux"),
				      "namespaces");
	size_t i;
	json_t *ns;
	json_array_foreach(nss, i, ns)
	{
		const char *t = json_string_value(json_object_get(ns, "type"));
		if (t && !strcmp(t, "network"))
			return lo_up(pid, err);
	}
	return 0;
}

void net_teardown(struct box_ctx *ctx, const char *name, json_t *config)
{
	(void)ctx, (void)name, (void)config;
}

int net_release(struct box_ctx *ctx, const char *name, json_t *config,
		struct box_err *err)
{
	(void)ctx, (void)name, (void)config, (void)err;
	return 0;
}
