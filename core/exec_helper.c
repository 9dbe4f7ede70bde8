/* exec_helper.c - the process box_exec forks: it joins a running
 * container's cgroup and every namespace of its init (one setns on a
 * pidfd), forks once more to be inside the pid namespace, drops to the
 * container's capabilities and execs the command.
 *
 * All of that before the command's execve happens where the container
 * can look: in its cgroup, then in its namespaces, then (the grandchild)
 * in its pid namespace, where a container process may open
 * /proc/<pid>/{fd,exe,cwd,mem} of anything as dumpable as itself.  So
 * before it joins anything the helper has shrunk to what it needs:
 *  - a session of its own: no controlling terminal to push keys into;
 *  - not dumpable: its /proc files are then out of reach without
 *    CAP_SYS_PTRACE, among them /proc/<pid>/exe, a way to reopen the
 *    host's boxtop binary for writing (CVE-2019-5736); the command's own
 *    execve makes it dumpable again, as any process;
 *  - only the fds box_exec handed it (CVE-2024-21626): none of a TUI's
 *    files, and the cgroup directory it clones into is closed in the
 *    child at once (spawn_fork_into).
 * Its stdio are pipes or a pty the front copies, never the caller's.
 *
 * Not covered (runc and crun cover it by running from a sealed memfd copy
 * or a read-only overlay of their binary): a command that is a script
 * naming /proc/self/exe (or a symlink to it) as its interpreter makes the
 * kernel exec the host's boxtop inside the container, a dumpable process
 * whose /proc/<pid>/exe the container may open.  Writing through it fails
 * with ETXTBSY as long as any process runs the binary (the container's
 * monitor does, for as long as the container runs); a monitor killed by
 * hand while no other boxtop runs would leave that open. */
#include "exec_helper.h"
#include "userns.h"
#include "spawn.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* The signals the front forwards to us (stdio_relay): each intermediate
 * process passes them on to the one below it, down to the command. */
static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
static pid_t forward_to;

static void forward(int sig)
{
	kill(forward_to, sig);
}

static void block_forwarded(int how)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < ARRAY_LEN(forwarded); i++)
		sigaddset(&set, forwarded[i]);
	sigprocmask(how, &set, NULL);
}

/* An intermediate process: holds nothing open (EOF on the stdio pipes,
 * the error pipe and the pty socket depends on the command alone), passes
 * signals on to pid and exits with its code. */
static void __attribute__((noreturn)) relay_exit(pid_t pid)
{
	syscall(SYS_close_range, 0, ~0U, 0);
	forward_to = pid;
	struct sigaction sa = {.sa_handler = forward, .sa_flags = SA_RESTART};
	for (size_t i = 0; i < ARRAY_LEN(forwarded); i++)
		sigaction(forwarded[i], &sa, NULL);
	/* blocked since the helper began: what came meanwhile goes on now */
	block_forwarded(SIG_UNBLOCK);
	int ws;
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	_exit(WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws));
}

/* The grandchild, inside every namespace: becomes the command. */
static void __attribute__((noreturn))
exec_child(const struct spec *s, const struct seccomp_prog *filter,
	   char *const argv[], int sock, int errfd)
{
	char msg[512] = "";
	/* the bounding set while we are still host root (CAP_SETPCAP), the
	 * early filter while we may still load one without no_new_privs */
	if (caps_drop_bounding(s->caps, msg, sizeof msg) < 0 ||
	    spawn_seccomp(s, filter, false, msg, sizeof msg) < 0)
		goto fail;
	/* The container's user and no groups of ours: in a user namespace
	 * host root's ids are no ids there (and would still own what host
	 * root owns); before the pty, so that it is the user's. */
	if (userns_become(s->uid, s->gid, msg, sizeof msg) < 0)
		goto fail;
	if (sock >= 0) {
		/* The pty comes from the container's own devpts, so the
		 * command sees a /dev/pts/N that exists in there. */
		int m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
		int sl = -1;
		if (m >= 0 && unlockpt(m) == 0)
			sl = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (sl < 0 || util_send_fd(sock, m) < 0) {
			snprintf(msg, sizeof msg, "open a pty in the container: %s",
				 strerror(errno));
			goto fail;
		}
		close(m);
		/* the helper's session has no terminal; this one gets the pty */
		setsid();
		ioctl(sl, TIOCSCTTY, 0);
		for (int i = 0; i < 3; i++)
			dup2(sl, i);
		close(sl);
	}
	spawn_exec_final(s, filter, argv, msg, sizeof msg);
fail:
	(void)!write(errfd, msg, strlen(msg));
	_exit(127);
}

void exec_helper(const struct cg_layout *cg, const struct spec *s,
		 const struct seccomp_prog *filter, char *const argv[],
		 int nsflags, struct exec_fds f)
{
	char msg[512] = "";
	/* Forwarded signals wait until each process knows where they go. */
	block_forwarded(SIG_BLOCK);
	int keep[] = {f.err, f.pidfd, f.sock};
	int r = util_fds_keep(f.stdio, keep, ARRAY_LEN(keep));
	int errfd = keep[0], pidfd = keep[1], sock = keep[2];
	if (r < 0)
		snprintf(msg, sizeof msg, "keep only our fds: %s", strerror(-r));
	else if (setsid() < 0)
		snprintf(msg, sizeof msg, "setsid: %s", strerror(errno));
	else if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		snprintf(msg, sizeof msg, "not dumpable: %s", strerror(errno));
	if (*msg)
		goto fail;
	bool in_unified;
	pid_t c2 = spawn_fork_into(cg, s->cgroup, 0, &in_unified);
	if (c2 > 0)
		relay_exit(c2);
	r = c2 < 0 ? -errno : cg_attach_self(cg, s->cgroup, in_unified);
	if (r < 0) {
		snprintf(msg, sizeof msg, "join cgroup: %s", strerror(-r));
	} else if (setns(pidfd, nsflags) < 0) {
		snprintf(msg, sizeof msg, "join namespaces: %s", strerror(errno));
	} else {
		pid_t gc = fork();
		if (gc == 0)
			exec_child(s, filter, argv, sock, errfd);
		if (gc > 0)
			relay_exit(gc);
		snprintf(msg, sizeof msg, "fork: %s", strerror(errno));
	}
fail:
	(void)!write(errfd, msg, strlen(msg));
	_exit(127);
}
