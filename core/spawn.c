/* spawn.c - clone the container init and bring it to exec. */
#include "spawn.h"
#include "net.h"
#include "net_link.h"
#include "console.h"
#include "rootfs.h"
#include "userns.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <linux/close_range.h>
#include <sched.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* PATH lookup in the container's own environment (execvpe would use ours). */
void spawn_exec_in_path(char *const argv[], char *const envp[], char *msg,
			 size_t len)
{
	const char *file = argv[0];
	if (strchr(file, '/')) {
		execve(file, argv, envp);
		snprintf(msg, len, "exec '%s': %s", file, strerror(errno));
		return;
	}
	const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	for (char *const *e = envp; e && *e; e++)
		if (!strncmp(*e, "PATH=", 5))
			path = *e + 5;
	int last_err = ENOENT;
	for (const char *p = path; *p;) {
		const char *colon = strchr(p, ':');
		size_t dlen = colon ? (size_t)(colon - p) : strlen(p);
		char full[PATH_MAX];
		snprintf(full, sizeof full, "%.*s/%s", (int)dlen, p, file);
		execve(full, argv, envp);
		if (errno != ENOENT)
			last_err = errno;
		p += dlen + (colon ? 1 : 0);
	}
	snprintf(msg, len, "exec '%s': %s", file,
		 last_err == ENOENT ? "command not found in PATH" : strerror(last_err));
}

/* clone3's argument block (linux/sched.h clashes with glibc's sched.h). */
struct clone3_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack,
		stack_size, tls, set_tid, set_tid_size, cgroup;
};
#define CLONE_INTO_CGROUP_ 0x200000000ULL

pid_t spawn_fork_into(const struct cg_layout *cg, const char *relpath,
		      int ns_flags, bool *in_unified)
{
	*in_unified = false;
	int cgfd = cg_clone_fd(cg, relpath, NULL);
	if (cgfd >= 0) {
		struct clone3_args a = {
			.flags = (uint64_t)ns_flags | CLONE_INTO_CGROUP_,
			.exit_signal = SIGCHLD,
			.cgroup = (uint64_t)cgfd,
		};
		pid_t pid = (pid_t)syscall(SYS_clone3, &a, sizeof a);
		int e = errno;
		close(cgfd); /* in the child too: no way out of its cgroup */
		if (pid == 0) {
			*in_unified = true;
			return 0;
		}
		if (pid > 0) {
			*in_unified = true;
			return pid;
		}
		/* ENOSYS (old kernel, valgrind), E2BIG, EINVAL: plain clone */
		errno = e;
	}
	/* A raw clone behaves like fork but creates the namespaces in one
	 * step; the caller is single-threaded (monitor or CLI). */
	return (pid_t)syscall(SYS_clone, SIGCHLD | ns_flags, 0, 0, 0, 0);
}

int spawn_check_cwd(const char *cwd, char *msg, size_t len)
{
	char buf[PATH_MAX];
	if (getcwd(buf, sizeof buf))
		return 0;
	snprintf(msg, len, "working directory '%s' is outside the container", cwd);
	return -1;
}

/* The signals the caller ignores, from /proc/self/status (SigIgn); all
 * of them (~0) when that cannot be read. */
static uint64_t ignored_signals(void)
{
	char text[2048];
	ssize_t n = util_read_at(AT_FDCWD, "/proc/self/status", text,
				 sizeof text);
	const char *p = n > 0 ? strstr(text, "\nSigIgn:") : NULL;
	uint64_t mask;
	return p && sscanf(p + 8, "%" SCNx64, &mask) == 1 ? mask : ~0ULL;
}

/* SIG_DFL through the kernel's own call: glibc refuses to touch the
 * signals it reserves for itself (32 and 33), which a parent built with
 * ASan leaves ignored. */
static void default_action(int sig)
{
	struct {
		void *handler; /* SIG_DFL */
		unsigned long flags;
		void *restorer;
		uint64_t mask;
	} ksa = {0};
	syscall(SYS_rt_sigaction, sig, &ksa, NULL, sizeof ksa.mask);
}

int spawn_exec_final(const struct spec *s, const struct seccomp_prog *filter,
		     char *const argv[], char *msg, size_t len)
{
	if (caps_set(s->caps, msg, len) < 0)
		return -1;
	if (s->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(msg, len, "no_new_privs: %s", strerror(errno));
		return -1;
	}
	if (chdir(s->cwd) < 0) {
		snprintf(msg, len, "chdir '%s': %s", s->cwd, strerror(errno));
		return -1;
	}
	if (spawn_check_cwd(s->cwd, msg, len) < 0)
		return -1;
	/* Nothing of ours may leak into the container: every fd above 2 is
	 * closed by exec, the error pipe included (its EOF says "exec ok"). */
	syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
	spawn_reset_signals();
	if (spawn_seccomp(s, filter, true, msg, len) < 0)
		return -1;
	spawn_exec_in_path(argv, s->env, msg, len);
	return -1;
}

void spawn_reset_signals(void)
{
	/* exec sets caught signals back to the default itself; only the
	 * ignored ones would survive it (one call each instead of 64). */
	uint64_t ign = ignored_signals();
	for (int sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && (ign >> (sig - 1) & 1))
			default_action(sig);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* The child: never returns.  Writes any error to errfd and exits 127.
 * syncfd brings its network namespace first when late_net, then "go". */
static void __attribute__((noreturn))
child_main(const struct spec *s, const struct seccomp_prog *filter,
	   const struct spawn_io *io, int syncfd, int errfd, int consock,
	   bool late_net)
{
	int slave = -1;
	char msg[512] = "";
	char go;
	int r;
	/* Until the parent says go, die with it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Before anything of the container: not dumpable (a container
	 * process that shares our pid namespace or sees us before exec must
	 * not reach /proc/<pid>/exe, our host binary: CVE-2019-5736; the
	 * monitor is already, this is in case), and only the fds we need
	 * (a front end's files would be a way out: CVE-2024-21626).  Without
	 * a console, stdio takes its place now; exec makes us dumpable. */
	int keep[] = {syncfd, errfd, consock};
	r = util_fds_keep(io->console ? (const int[3]){-1, -1, -1} : io->stdio,
			  keep, ARRAY_LEN(keep));
	syncfd = keep[0], errfd = keep[1], consock = keep[2];
	if (r < 0) {
		snprintf(msg, sizeof msg, "keep only our fds: %s", strerror(-r));
		goto fail;
	}
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		snprintf(msg, sizeof msg, "not dumpable: %s", strerror(errno));
		goto fail;
	}
	if (setsid() < 0) {
		snprintf(msg, sizeof msg, "setsid: %s", strerror(errno));
		goto fail;
	}
	/* In a user namespace: our maps and root first (userns.h); what it
	 * fills in is ours, in this copy. */
	struct spec own;
	if (s->userns) {
		own = *s;
		s = &own;
		if (userns_enter(&own, syncfd, msg, sizeof msg) < 0)
			goto fail;
	}
	if ((s->ns_flags & CLONE_NEWNS) &&
	    (rootfs_prepare(s, io->console ? consock : -1, &slave,
			    late_net ? syncfd : -1, msg, sizeof msg) < 0 ||
	     rootfs_pivot(s, msg, sizeof msg) < 0 ||
	     rootfs_finish(s, msg, sizeof msg) < 0))
		goto fail;
	if (!(s->ns_flags & CLONE_NEWNS) && late_net) {
		r = nlk_netns_join_from(syncfd);
		if (r == -EPIPE)
			_exit(127);
		if (r < 0) {
			snprintf(msg, sizeof msg, "join the network namespace: %s",
				 strerror(-r));
			goto fail;
		}
	}
	/* Go: our cgroups exist, limits set, network configured; with it
	 * come the files that join them (cg_open_join), opened by the parent
	 * while we built the root: we have no path to them after pivot_root,
	 * and opening them here would be on the way to exec. */
	int joinfds[CG_MAX_HIER];
	int njoin = util_recv_fds(syncfd, &go, joinfds, CG_MAX_HIER);
	if (njoin < 0)
		_exit(127);
	/* From here the container outlives its monitor, like any init. */
	prctl(PR_SET_PDEATHSIG, 0);
	close(syncfd);
	/* Join the cgroups ourselves: a process moving itself skips the
	 * kernel's slow global lock that moving another process takes.  No
	 * code of the container has run yet. */
	r = cg_join(joinfds, njoin);
	for (int i = 0; i < njoin; i++)
		close(joinfds[i]);
	if (r < 0) {
		snprintf(msg, sizeof msg, "join cgroup %s: %s", s->cgroup,
			 strerror(-r));
		goto fail;
	}
	if (s->cgroup_ns && unshare(CLONE_NEWCGROUP) < 0) {
		snprintf(msg, sizeof msg, "unshare cgroup namespace: %s", strerror(errno));
		goto fail;
	}
	if (io->console) {
		if (slave < 0) {
			snprintf(msg, sizeof msg, "a console needs a mount namespace");
			goto fail;
		}
		if (ioctl(slave, TIOCSCTTY, 0) < 0) {
			snprintf(msg, sizeof msg, "set controlling tty: %s", strerror(errno));
			goto fail;
		}
		for (int i = 0; i < 3; i++)
			dup2(slave, i);
	} else {
		/* the given stdio is in place (util_fds_keep above); the rest
		 * is the container's own /dev/null */
		int devnull = -1;
		for (int i = 0; i < 3; i++) {
			if (io->stdio[i] >= 0)
				continue;
			if (devnull < 0)
				devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
			if (devnull >= 0 && devnull != i)
				dup2(devnull, i);
			else if (devnull == i)
				fcntl(i, F_SETFD, 0);
		}
	}
	if ((s->ns_flags & CLONE_NEWUTS) && *s->hostname &&
	    sethostname(s->hostname, strlen(s->hostname)) < 0) {
		snprintf(msg, sizeof msg, "sethostname '%s': %s", s->hostname,
			 strerror(errno));
		goto fail;
	}
	for (size_t i = 0; i < s->n_rlimits; i++)
		if (setrlimit(s->rlimits[i].resource, &s->rlimits[i].lim) < 0) {
			snprintf(msg, sizeof msg, "setrlimit %d: %s",
				 s->rlimits[i].resource, strerror(errno));
			goto fail;
		}
	if (spawn_seccomp(s, filter, false, msg, sizeof msg) < 0)
		goto fail;
	/* The kernel's calls, not glibc's: glibc changes the ids of every
	 * thread it knows of and waits for each, and a parent with threads
	 * (a TUI) leaves them in its list here, not in this process, which
	 * has one thread: it would wait forever. */
	if (caps_drop_bounding(s->caps, msg, sizeof msg) < 0)
		goto fail;
	if (userns_become(s->uid, s->gid, msg, sizeof msg) < 0)
		goto fail;
	spawn_exec_final(s, filter, s->argv, msg, sizeof msg);
fail:
	if (write(errfd, msg, strlen(msg)) < 0)
		_exit(126);
	_exit(127);
}

/* A new network namespace, sent to the child on sock; we keep an fd for
 * net_setup. */
static int give_netns(int sock, struct box_err *err)
{
	int fd = nlk_netns_new(err);
	if (fd >= 0 && util_send_fd(sock, fd) < 0) {
		box_fail(err, BOX_ESYS, errno,
			 "hand the network namespace to the container");
		close(fd);
		fd = -1;
	}
	return fd;
}

pid_t spawn_container(struct box_ctx *ctx, const char *name, json_t *config,
		      const struct spec *s, const struct spawn_io *io,
		      int *console_master, struct box_err *err)
{
	int syncp[2], errp[2], consp[2] = {-1, -1};
	*console_master = -1;
	const struct cg_layout *cg = ctx_cg(ctx, err);
	if (!cg)
		return -1;
	/* On cgroup2 the child is in its cgroup from the clone on
	 * (CLONE_INTO_CGROUP): the device rules are there before it. */
	bool devs_early = cg_devices_at_clone(cg);
	if (devs_early && cg_devices_apply(cg, s->cgroup, s->dev_rules,
					   s->n_dev_rules, err) < 0)
		return -1;
	if (io->console &&
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, consp) < 0)
		return box_fail(err, BOX_ESYS, errno, "socketpair");
	/* a socket: it may carry the network namespace before "go" */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, syncp) < 0)
		return box_fail(err, BOX_ESYS, errno, "socketpair");
	if (pipe2(errp, O_CLOEXEC) < 0) {
		close(syncp[0]);
		close(syncp[1]);
		return box_fail(err, BOX_ESYS, errno, "pipe");
	}
	/* the system call filter, ready in memory before the child exists */
	struct seccomp_prog filter;
	if (seccomp_prog_get(ctx, json_object_get(json_object_get(config, "linux"),
						  "seccomp"),
			     &filter, err) < 0) {
		close(syncp[0]), close(syncp[1]), close(errp[0]), close(errp[1]);
		if (consp[0] >= 0)
			close(consp[0]), close(consp[1]);
		return -1;
	}
	/* The network namespace is the costly one to make (~0.3 ms here):
	 * we make it on this CPU while the child builds its root on the
	 * other, and hand it over before the child mounts sysfs.  Not with
	 * a user namespace: the network namespace must belong to that one
	 * (a sysfs of it, and the container's root may configure it), so it
	 * is made with it at clone. */
	bool late_net = (s->ns_flags & CLONE_NEWNET) && !s->userns;
	bool in_unified;
	pid_t pid = spawn_fork_into(cg, s->cgroup,
				    late_net ? s->ns_flags & ~CLONE_NEWNET : s->ns_flags,
				    &in_unified);
	if (pid < 0) {
		int e = errno;
		close(syncp[0]), close(syncp[1]), close(errp[0]), close(errp[1]);
		seccomp_prog_free(&filter);
		return box_fail(err, BOX_ESYS, e, "clone");
	}
	if (pid == 0) {
		close(syncp[1]);
		close(errp[0]);
		if (consp[0] >= 0)
			close(consp[0]);
		child_main(s, &filter, io, syncp[0], errp[1], consp[1], late_net);
	}
	seccomp_prog_free(&filter);
	close(syncp[0]);
	close(errp[1]);
	if (consp[1] >= 0)
		close(consp[1]);
	/* While the child builds its root (the other CPU): the rest of its
	 * cgroups with their limits and (v1) device rules, which bind it
	 * once it joins them after "go", then its network. */
	int rc = 0;
	bool child_first = false;
	auto_fd netns = late_net ? give_netns(syncp[1], err) : -1;
	if ((late_net && netns < 0) ||
	    (s->userns && userns_launch(pid, s, syncp[1], &netns, err) < 0) ||
	    cg_create(cg, s->cgroup, &s->limits, err) < 0 ||
	    (!devs_early && cg_devices_apply(cg, s->cgroup, s->dev_rules,
					     s->n_dev_rules, err) < 0) ||
	    net_setup(ctx, name, config, netns, err) < 0) {
		rc = -1;
		/* A child that failed on its own has written why before it
		 * exited, and its exit may be what failed us (the network
		 * namespace sent to a closed socket): then its word is the cause.
		 * One that fails after us only says what our failure did to it
		 * (a closed socket). */
		struct pollfd said = {.fd = errp[0], .events = POLLIN};
		child_first = poll(&said, 1, 0) > 0;
	}
	int joinfds[CG_MAX_HIER], njoin = 0;
	if (rc == 0 && (njoin = cg_open_join(cg, s->cgroup, in_unified,
					     joinfds, err)) < 0)
		rc = -1;
	if (rc == 0) {
		/* A child that failed early has closed its end: EPIPE, not a
		 * SIGPIPE that would kill us; its message follows below. */
		if (util_send_fds(syncp[1], 'g', joinfds, njoin) < 0)
			rc = -1;
	}
	while (njoin > 0)
		close(joinfds[--njoin]);
	close(syncp[1]); /* on failure: EOF, the child exits */
	/* The console master comes before exec; EOF here means the child
	 * failed, and says why on the error pipe. */
	if (rc == 0 && consp[0] >= 0)
		*console_master = util_recv_fd(consp[0]);
	if (consp[0] >= 0)
		close(consp[0]);
	/* Read errors even when we failed: the child may have said why. */
	{
		char msg[512];
		ssize_t n;
		do
			n = read(errp[0], msg, sizeof msg - 1);
		while (n < 0 && errno == EINTR);
		if (n > 0 && (rc == 0 || child_first || !err || !*err->msg)) {
			msg[n] = '\0';
			rc = box_fail(err, BOX_ESYS, 0, "%s", msg);
		} else if (rc < 0 && err && !*err->msg) {
			box_fail(err, BOX_ESYS, 0, "container init died during setup");
		}
	}
	close(errp[0]);
	if (rc == 0 && io->console && *console_master < 0)
		rc = box_fail(err, BOX_ESYS, 0, "the container's console did not arrive");
	if (rc < 0) {
		if (*console_master >= 0)
			close(*console_master);
		*console_master = -1;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}
