/* timeit.c - run one command and print what it cost, for the benchmark.
 *
 *   timeit [-m MNTNS] [-e CGFILE] CMD [ARGS...]
 *
 * -m MNTNS: join that mount namespace (a /proc/PID/ns/mnt path) before the
 * clock starts, so a peer that must run in its own mount namespace (crun
 * here) is timed without an extra nsenter/unshare exec in its figure.
 * -e CGFILE: after CMD exits, keep the clock running until the cgroup is
 * empty: CGFILE is a cgroup2 cgroup.events (waited for with poll(POLLPRI)
 * until "populated 0") or a v1 cgroup.procs (re-read every 0.2 ms until
 * empty).  Neither busy-waits, so the waiter does not steal the CPU the
 * kernel needs to tear the processes down.
 *
 * Prints one line to stdout, tab separated:
 *   wall_ns  user_us  sys_us  maxrss_kb  exit_status
 * Wall time is CLOCK_MONOTONIC around fork+exec+wait (what hyperfine times
 * too); CPU and maxrss come from wait4()'s rusage, so they cover the command
 * and every descendant it waited for.  The command's own stdout is sent to
 * /dev/null so the figures line stays alone on ours.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Is the cgroup behind this cgroup.events / cgroup.procs empty?  1 yes,
 * 0 no, -1 error.  cgroup.procs is opened afresh each time: a re-read of
 * the same open file does not restart its pid iterator. */
static int cg_empty(const char *path, int fd)
{
	char buf[4096];
	int own = fd < 0;
	if (own && (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT || errno == ENODEV ? 1 : -1; /* gone */
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	if (own)
		close(fd);
	if (n < 0)
		return errno == ENODEV ? 1 : -1;
	buf[n] = '\0';
	if (!own)
		return strstr(buf, "populated 0") != NULL;
	return n == 0;
}

/* Wait (at most 30 s) until the cgroup is empty.  0 empty, -1 not. */
static int wait_empty(const char *path)
{
	int fd = -1;
	if (strstr(path, "cgroup.events") &&
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : -1;
	long long end = now_ns() + 30LL * 1000000000LL;
	int r;
	while ((r = cg_empty(path, fd)) == 0 && now_ns() < end) {
		if (fd >= 0) {
			struct pollfd p = {.fd = fd, .events = POLLPRI};
			poll(&p, 1, 20);
		} else {
			nanosleep(&(struct timespec){0, 200 * 1000}, NULL);
		}
	}
	if (fd >= 0)
		close(fd);
	return r == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *wait_path = NULL;
	if (argc >= 3 && !strcmp(argv[1], "-m")) {
		int ns = open(argv[2], O_RDONLY | O_CLOEXEC);
		if (ns < 0 || setns(ns, CLONE_NEWNS) < 0) {
			perror("timeit: setns");
			return 1;
		}
		close(ns);
		argv += 2;
		argc -= 2;
	}
	if (argc >= 3 && !strcmp(argv[1], "-e")) {
		wait_path = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: timeit [-m MNTNS] CMD [ARGS...]\n");
		return 2;
	}
	fflush(stdout);
	long long t0 = now_ns();
	pid_t pid = fork();
	if (pid < 0) {
		perror("timeit: fork");
		return 1;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			close(fd);
		}
		execvp(argv[1], argv + 1);
		perror("timeit: exec");
		_exit(127);
	}
	int status = 0;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("timeit: wait4");
		return 1;
	}
	int waited = wait_path ? wait_empty(wait_path) : 0;
	if (waited < 0)
		fprintf(stderr, "timeit: %s: cgroup not empty after 30 s\n", wait_path);
	long long t1 = now_ns();
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (waited < 0 && code == 0)
		code = 124;
	printf("%lld\t%ld\t%ld\t%ld\t%d\n", t1 - t0,
	       ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec,
	       ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec,
	       ru.ru_maxrss, code);
	return 0;
}
