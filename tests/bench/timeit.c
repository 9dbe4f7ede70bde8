/* timeit.c - run one command and print what it cost, for the benchmark.
 *
 *   timeit [-m MNTNS] CMD [ARGS...]
 *
 * -m MNTNS: join that mount namespace (a /proc/PID/ns/mnt path) before the
 * clock starts, so a peer that must run in its own mount namespace (crun
 * here) is timed without an extra nsenter/unshare exec in its figure.
 *
 * Prints one line to stdout, tab separated:
 *   wall_ns  user_us  sys_us  maxrss_kb  exit_status
 * Wall time is CLOCK_MONOTONIC around fork+exec+wait (what hyperfine times
 * too); CPU and maxrss come from wait4()'s rusage, so they cover the command
 * and every descendant it waited for.  The command's own stdout is sent to
 * /dev/null so the figures line stays alone on ours.
 */
#define _GNU_SOURCE
#include <fcntl.h>
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

int main(int argc, char **argv)
{
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
	long long t1 = now_ns();
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("%lld\t%ld\t%ld\t%ld\t%d\n", t1 - t0,
	       ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec,
	       ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec,
	       ru.ru_maxrss, code);
	return 0;
}
