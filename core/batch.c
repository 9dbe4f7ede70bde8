/* batch.c - create and start BASE-1..BASE-N in one call (numbering goes on
 * after the highest existing BASE-k); all or nothing. */
#include "store.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define BATCH_MAX 10000

/* Highest k among existing containers named BASE-k. */
static unsigned long highest_index(struct box_ctx *ctx, const char *base)
{
	char dir[PATH_MAX];
	if (ctx_path(ctx, dir, sizeof dir, NULL, "containers") < 0)
		return 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	size_t blen = strlen(base);
	unsigned long max = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, base, blen) || de->d_name[blen] != '-')
			continue;
		const char *num = de->d_name + blen + 1;
		char *end;
		unsigned long k = strtoul(num, &end, 10);
		if (*num && !*end && k > max)
			max = k;
	}
	closedir(d);
	return max;
}

int box_batch(struct box_ctx *ctx, const char *base, size_t count,
	      const char *base_ip, const struct box_create_opts *tmpl,
	      box_progress_fn progress, void *arg, struct box_err *err)
{
	if (box_check_name(base, err) < 0)
		return box_err_wrap(err, "batch");
	if (count == 0 || count > BATCH_MAX)
		return box_fail(err, BOX_EINVAL, 0,
				"batch %s: invalid count %zu: 1 to %d", base,
				count, BATCH_MAX);
	unsigned long first = highest_index(ctx, base) + 1;
	char name[BOX_NAME_MAX + 32];
	snprintf(name, sizeof name, "%s-%lu", base, first + count - 1);
	if (box_check_name(name, err) < 0)
		return box_err_wrap(err, "batch %s", base);
	/* The network must hold the whole batch before anything is made:
	 * base_ip, base_ip+1, ... skipping leased ones (the net module). */
	char(*ips)[16] = NULL;
	if (box_net_plan_batch(ctx, tmpl->net, base_ip, count, &ips, err) < 0)
		return box_err_wrap(err, "batch %s", base);
	size_t done = 0;
	for (; done < count; done++) {
		struct box_create_opts o = *tmpl;
		snprintf(name, sizeof name, "%s-%lu", base, first + done);
		o.name = name;
		if (base_ip && ips)
			o.ip = ips[done];
		if (box_create(ctx, &o, err) < 0)
			goto rollback;
		if (box_start(ctx, name, err) < 0) {
			box_remove(ctx, name, true, NULL);
			goto rollback;
		}
		if (progress)
			progress(arg, done + 1, count, name);
	}
	free(ips);
	return 0;
rollback:
	free(ips);
	box_err_wrap(err, "batch %s (%zu of %zu made, all removed again)", base,
		     done, count);
	while (done-- > 0) {
		snprintf(name, sizeof name, "%s-%lu", base, first + done);
		box_remove(ctx, name, true, NULL);
	}
	return -1;
}
