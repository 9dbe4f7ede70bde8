/* exec.c - run a new process inside a running container: join its cgroup
 * and every namespace of its init (one setns on a pidfd), fork once more to
 * be inside the pid namespace, drop to the container's capabilities. */
#include "console.h"
#include "spawn.h"
#include "store.h"
#include "userns.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/close_range.h>

/* An intermediate process: exit with the code of the one it waits for
 * (keyboard signals are for the command, not for us). */
static void __attribute__((noreturn)) relay_exit(pid_t pid)
{
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	int ws;
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	_exit(WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws));
}

/* The grandchild, inside every namespace: becomes the command. */
static void __attribute__((noreturn))
exec_child(const struct spec *s, char *const argv[], int sock, int errfd)
{
	char msg[512] = "";
	/* The container's user and no groups of ours: in a user namespace
	 * host root's ids are no ids there (and would still own what host
	 * root owns); first, so that the pty below is the user's. */
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
		setsid();
		ioctl(sl, TIOCSCTTY, 0);
		for (int i = 0; i < 3; i++)
			dup2(sl, i);
		close(sl);
	}
	if (caps_apply(s->caps, msg, sizeof msg) < 0)
		goto fail;
	if (s->no_new_privs)
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (chdir(s->cwd) < 0 && chdir("/") < 0) {
		snprintf(msg, sizeof msg, "chdir '%s': %s", s->cwd, strerror(errno));
		goto fail;
	}
	syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
	spawn_reset_signals();
	spawn_exec_in_path(argv, s->env, msg, sizeof msg);
fail:
	(void)!write(errfd, msg, strlen(msg));
	_exit(127);
}

int box_exec(struct box_ctx *ctx, const char *name, char *const argv[],
	     bool tty, int *exit_code, struct box_err *err)
{
	static char *const default_argv[] = {"/bin/sh", NULL};
	if (!argv || !argv[0])
		argv = default_argv;
	struct box_info info;
	if (box_info_get(ctx, name, &info, err) < 0)
		return -1;
	if (info.status == BOX_PAUSED)
		return box_fail(err, BOX_ESTATE, 0, "exec %s: container is paused (thaw it first)", name);
	if (info.status != BOX_RUNNING)
		return box_fail(err, BOX_ESTATE, 0, "exec %s: not running (%s)",
				name, box_status_name(info.status));
	const struct cg_layout *cg = ctx_cg(ctx, err);
	if (!cg)
		return -1;
	struct box_state st;
	if (store_load_state(ctx, name, &st, err) < 0)
		return -1;
	json_t *config = store_load_config(ctx, name, err);
	if (!config)
		return -1;
	struct spec s;
	char bundle[PATH_MAX];
	int rc = store_dir(ctx, name, NULL, bundle, sizeof bundle, err);
	if (rc == 0)
		rc = spec_from_config(config, bundle, NULL, &s, err);
	json_decref(config);
	if (rc < 0)
		return box_err_wrap(err, "exec %s", name);

	int pidfd = (int)syscall(SYS_pidfd_open, st.pid, 0);
	if (pidfd < 0 || util_pid_starttime(st.pid) != st.pid_start) {
		if (pidfd >= 0)
			close(pidfd);
		spec_free(&s);
		return box_fail(err, BOX_ESTATE, 0, "exec %s: container exited", name);
	}
	int sv[2] = {-1, -1}, errp[2];
	if (tty && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		close(pidfd);
		spec_free(&s);
		return box_fail(err, BOX_ESYS, errno, "socketpair");
	}
	if (pipe2(errp, O_CLOEXEC) < 0) {
		close(pidfd);
		spec_free(&s);
		return box_fail(err, BOX_ESYS, errno, "pipe");
	}
	int nsflags = s.ns_flags | (s.cgroup_ns ? CLONE_NEWCGROUP : 0);
	/* A real fork first: the caller may be the multi-threaded TUI, and
	 * only fork() makes malloc safe in the child.  The child, single-
	 * threaded, then clones straight into the cgroup. */
	pid_t child = fork();
	if (child < 0) {
		rc = box_fail(err, BOX_ESYS, errno, "fork");
		goto out;
	}
	if (child == 0) {
		char msg[512] = "";
		bool in_unified;
		pid_t c2 = spawn_fork_into(cg, s.cgroup, 0, &in_unified);
		if (c2 > 0) {
			close(errp[1]);
			if (sv[1] >= 0)
				close(sv[1]);
			relay_exit(c2);
		}
		int r = c2 < 0 ? -errno : cg_attach_self(cg, s.cgroup, in_unified);
		if (r < 0) {
			snprintf(msg, sizeof msg, "join cgroup: %s", strerror(-r));
		} else if (setns(pidfd, nsflags) < 0) {
			snprintf(msg, sizeof msg, "join namespaces: %s", strerror(errno));
		} else {
			pid_t gc = fork();
			if (gc == 0)
				exec_child(&s, argv, sv[1], errp[1]);
			if (gc < 0) {
				snprintf(msg, sizeof msg, "fork: %s", strerror(errno));
			} else {
				close(errp[1]);
				if (sv[1] >= 0)
					close(sv[1]);
				relay_exit(gc);
			}
		}
		(void)!write(errp[1], msg, strlen(msg));
		_exit(127);
	}
	close(errp[1]);
	errp[1] = -1;
	int master = -1;
	if (tty) {
		close(sv[1]);
		sv[1] = -1;
		master = util_recv_fd(sv[0]);
	}
	char msg[512];
	ssize_t n;
	do
		n = read(errp[0], msg, sizeof msg - 1);
	while (n < 0 && errno == EINTR);
	int ws = 0;
	if (n > 0) {
		msg[n] = '\0';
		waitpid(child, &ws, 0);
		rc = box_fail(err, BOX_ESYS, 0, "exec %s: %s", name, msg);
		goto out;
	}
	if (master >= 0) {
		int cfd = (int)syscall(SYS_pidfd_open, child, 0);
		struct termios saved;
		bool raw;
		console_raw(&saved, &raw);
		console_relay(master, master, master, false, cfd);
		console_restore(&saved, raw);
		if (cfd >= 0)
			close(cfd);
		close(master);
	}
	while (waitpid(child, &ws, 0) < 0 && errno == EINTR)
		;
	*exit_code = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	rc = 0;
out:
	close(errp[0]);
	if (errp[1] >= 0)
		close(errp[1]);
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	close(pidfd);
	spec_free(&s);
	return rc;
}
