/* net_hosts.c - /etc/hosts listing network members by name, resolv.conf. */
#include "net_hosts.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#define LOCALHOST "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n"

int nhosts_path(struct box_ctx *ctx, const char *name, const char *file,
		char *buf, size_t len, struct box_err *err)
{
	return ctx_path(ctx, buf, len, err, "containers/%s/%s", name, file);
}

int nhosts_net_path(struct box_ctx *ctx, const char *net, char *buf,
		    size_t len, struct box_err *err)
{
	return ctx_path(ctx, buf, len, err, "networks/%s.hosts", net);
}

/* Replace the contents in place (O_TRUNC on the same inode). */
static int write_in_place(const char *path, const char *text,
			  struct box_err *err)
{
	auto_fd fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return box_fail(err, BOX_ESYS, errno, "open %s", path);
	if (util_write_all(fd, text, strlen(text)) < 0)
		return box_fail(err, BOX_ESYS, errno, "write %s", path);
	return 0;
}

int nhosts_write_resolv(struct box_ctx *ctx, const char *name,
			const char *dns, struct box_err *err)
{
	char path[PATH_MAX];
	if (nhosts_path(ctx, name, "resolv.conf", path, sizeof path, err) < 0)
		return -1;
	if (!dns) {
		struct box_err e2;
		auto_free char *host = util_read_file("/etc/resolv.conf", NULL,
						      &e2);
		return write_in_place(path, host ? host : "", err);
	}
	char text[1024] = "", one[64];
	const char *p = dns;
	while (*p) {
		size_t len = strcspn(p, ",");
		uint32_t ip;
		if (len >= sizeof one - 1)
			len = sizeof one - 1;
		memcpy(one, p, len);
		one[len] = '\0';
		if (np_parse_ip(one, &ip) < 0)
			return box_fail(err, BOX_EINVAL, 0,
					"dns '%s': not an IPv4 address", one);
		size_t tl = strlen(text);
		snprintf(text + tl, sizeof text - tl, "nameserver %s\n", one);
		p += strcspn(p, ",");
		if (*p)
			p++;
	}
	return write_in_place(path, text, err);
}

int nhosts_write_net(struct box_ctx *ctx, const struct net_def *def,
		     struct box_err *err)
{
	char path[PATH_MAX], ip[NP_IP_LEN];
	if (nhosts_net_path(ctx, def->name, path, sizeof path, err) < 0)
		return -1;
	size_t n = nlease_count(def);
	size_t cap = sizeof LOCALHOST + n * (NP_IP_LEN + BOX_NAME_MAX + 2);
	auto_free char *text = malloc(cap);
	if (!text)
		return box_fail(err, BOX_ESYS, ENOMEM, "hosts of %s", def->name);
	size_t len = (size_t)snprintf(text, cap, "%s", LOCALHOST);
	for (size_t i = 0; i < n; i++) {
		struct net_lease l;
		nlease_get(def, i, &l);
		len += (size_t)snprintf(text + len, cap - len, "%s\t%s\n",
					np_fmt_ip(l.ip, ip), l.container);
	}
	return write_in_place(path, text, err);
}

int nhosts_write_alone(const char *path, const char *name,
		       struct box_err *err)
{
	char text[BOX_NAME_MAX + sizeof LOCALHOST + 16];
	snprintf(text, sizeof text, "%s127.0.1.1\t%s\n", LOCALHOST, name);
	return write_in_place(path, text, err);
}

void nhosts_remove_net(struct box_ctx *ctx, const char *net)
{
	char path[PATH_MAX];
	if (nhosts_net_path(ctx, net, path, sizeof path, NULL) == 0)
		unlink(path);
}
