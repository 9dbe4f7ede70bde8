/* util_fds.c - shrink a process to the fds it needs before it goes where a
 * container can look at it (exec's helper, a container's init): an fd it
 * kept by accident (a TUI's files, a cgroup directory, the caller's
 * terminal) would be the container's way out through /proc/<pid>/fd or a
 * working directory of /proc/self/fd/N (CVE-2024-21626). */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <stdlib.h>
#include <sys/syscall.h>

#define KEEP_MAX 16

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* close_range, or one close at a time where the kernel lacks it. */
static void close_span(unsigned from, unsigned to)
{
	if (syscall(SYS_close_range, from, to, 0) == 0)
		return;
	for (unsigned fd = from; fd <= to && fd < 65536; fd++)
		close((int)fd);
}

int util_close_except(const int *keep, size_t n)
{
	int k[KEEP_MAX];
	size_t m = 0;
	if (n > KEEP_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (keep[i] >= 0)
			k[m++] = keep[i];
	qsort(k, m, sizeof *k, cmp_int);
	unsigned from = 0;
	for (size_t i = 0; i < m; i++) {
		if ((unsigned)k[i] > from)
			close_span(from, (unsigned)k[i] - 1);
		if ((unsigned)k[i] >= from)
			from = (unsigned)k[i] + 1;
	}
	close_span(from, ~0U);
	return 0;
}

int util_fds_keep(const int stdio[3], int *keep, size_t n)
{
	if (n + 3 > KEEP_MAX)
		return -EINVAL;
	/* Whatever we need that sits in 0-2 moves up first: putting stdio
	 * in place would close it.  The copies are close-on-exec. */
	int src[3];
	for (int i = 0; i < 3; i++) {
		src[i] = stdio[i];
		if (src[i] >= 0 && src[i] < 3 && src[i] != i &&
		    (src[i] = fcntl(src[i], F_DUPFD_CLOEXEC, 3)) < 0)
			return -errno;
	}
	for (size_t i = 0; i < n; i++)
		if (keep[i] >= 0 && keep[i] < 3 &&
		    (keep[i] = fcntl(keep[i], F_DUPFD_CLOEXEC, 3)) < 0)
			return -errno;
	/* stdio survives exec: dup2 clears close-on-exec, and a source
	 * already in place has it cleared by hand */
	for (int i = 0; i < 3; i++) {
		if (src[i] < 0)
			continue;
		if (src[i] == i ? fcntl(i, F_SETFD, 0) < 0 : dup2(src[i], i) < 0)
			return -errno;
	}
	int all[KEEP_MAX] = {0, 1, 2};
	for (size_t i = 0; i < n; i++)
		all[3 + i] = keep[i];
	return util_close_except(all, n + 3);
}
