/* net_hosts.c - /etc/hosts listing network peers by name, resolv.conf. */
#include "net_hosts.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int nhosts_path(struct box_ctx *ctx, const char *name, const char *file,
		char *buf, size_t len, struct box_err *err)
{
	return ctx_path(ctx, buf, len, err, "containers/%s/%s", name, file);
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

/* Is container c on network def? */
static bool member(const struct net_def *def, const char *c)
{
	return nlease_find(def, c, NULL) >= 0;
}

static int write_hosts(struct box_ctx *ctx, const char *c,
		       struct net_def *nets, size_t n, struct box_err *err)
{
	char path[PATH_MAX], dir[PATH_MAX], ip[NP_IP_LEN];
	struct stat st;
	if (ctx_path(ctx, dir, sizeof dir, err, "containers/%s", c) < 0)
		return -1;
	if (stat(dir, &st) < 0)
		return 0; /* a stale lease: reconcile drops it */
	if (nhosts_path(ctx, c, "hosts", path, sizeof path, err) < 0)
		return -1;
	size_t cap = 256, len = 0;
	auto_free char *text = malloc(cap);
	if (!text)
		return box_fail(err, BOX_ESYS, ENOMEM, "hosts of %s", c);
	len = (size_t)snprintf(text, cap, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n");
	/* Own addresses first, then the peers of each network, one line per
	 * lease (a peer on two shared networks is listed twice: the resolver
	 * takes the first, and skipping it would cost a scan per line). */
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < n; k++) {
			if (!member(&nets[k], c))
				continue;
			for (size_t i = 0; i < nlease_count(&nets[k]); i++) {
				struct net_lease l;
				nlease_get(&nets[k], i, &l);
				if ((pass == 0) != !strcmp(l.container, c))
					continue;
				char line[BOX_NAME_MAX + 32];
				int ll = snprintf(line, sizeof line, "%s\t%s\n",
						  np_fmt_ip(l.ip, ip),
						  l.container);
				if (len + (size_t)ll + 1 > cap) {
					cap = (cap + (size_t)ll) * 2;
					char *nt = realloc(text, cap);
					if (!nt)
						return box_fail(err, BOX_ESYS,
								ENOMEM,
								"hosts of %s", c);
					text = nt;
				}
				memcpy(text + len, line, (size_t)ll + 1);
				len += (size_t)ll;
			}
		}
	if (len == strlen("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n")) {
		/* On no network (--net none): still resolve our own name. */
		char line[BOX_NAME_MAX + 32];
		int ll = snprintf(line, sizeof line, "127.0.1.1\t%s\n", c);
		char *nt = realloc(text, len + (size_t)ll + 1);
		if (!nt)
			return box_fail(err, BOX_ESYS, ENOMEM, "hosts of %s", c);
		text = nt;
		memcpy(text + len, line, (size_t)ll + 1);
	}
	return write_in_place(path, text, err);
}

int nhosts_refresh(struct box_ctx *ctx, struct net_def *nets, size_t n,
		   const char *extra, struct box_err *err)
{
	/* Every container on any given network, each written once. */
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < nlease_count(&nets[k]); i++) {
			struct net_lease l;
			nlease_get(&nets[k], i, &l);
			bool seen = false;
			for (size_t k2 = 0; k2 <= k && !seen; k2++)
				for (size_t i2 = 0;
				     i2 < nlease_count(&nets[k2]) && !seen; i2++) {
					if (k2 == k && i2 >= i)
						break;
					struct net_lease l2;
					nlease_get(&nets[k2], i2, &l2);
					seen = !strcmp(l.container, l2.container);
				}
			if (!seen && write_hosts(ctx, l.container, nets, n, err) < 0)
				return -1;
		}
	if (extra)
		return write_hosts(ctx, extra, nets, n, err);
	return 0;
}
