/* exec.c - `boxtop exec`: the front of a new process inside a running
 * container.  The helper it forks joins the container (exec_helper.c);
 * the front copies the command's stdio (pipes, stdio_relay.c) or its pty
 * (console.c) to the caller's: the container never gets the caller's
 * terminal or open files. */
#include "console.h"
#include "exec_helper.h"
#include "stdio_relay.h"
#include "store.h"
#include "userns.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

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
	/* the container's own system call filter: an exec'd process is as
	 * confined as its init */
	struct seccomp_prog filter = {0};
	char bundle[PATH_MAX];
	int rc = store_dir(ctx, name, NULL, bundle, sizeof bundle, err);
	if (rc == 0)
		rc = spec_from_config(config, bundle, NULL, &s, err);
	if (rc == 0 &&
	    (rc = seccomp_prog_get(ctx, json_object_get(json_object_get(config, "linux"),
							"seccomp"),
				   &filter, err)) < 0)
		spec_free(&s);
	json_decref(config);
	if (rc < 0)
		return box_err_wrap(err, "exec %s", name);

	int pidfd = (int)syscall(SYS_pidfd_open, st.pid, 0);
	if (pidfd < 0 || util_pid_starttime(st.pid) != st.pid_start) {
		if (pidfd >= 0)
			close(pidfd);
		spec_free(&s);
		seccomp_prog_free(&filter);
		return box_fail(err, BOX_ESTATE, 0, "exec %s: container exited", name);
	}
	int sv[2] = {-1, -1}, errp[2] = {-1, -1};
	struct stdio_pipes io = {{-1, -1, -1}, {-1, -1, -1}};
	if (tty && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		rc = box_fail(err, BOX_ESYS, errno, "socketpair");
		goto out;
	}
	if (!tty && stdio_pipes_open(&io, err) < 0) {
		rc = -1;
		goto out;
	}
	if (pipe2(errp, O_CLOEXEC) < 0) {
		rc = box_fail(err, BOX_ESYS, errno, "pipe");
		goto out;
	}
	int nsflags = s.ns_flags | (s.cgroup_ns ? CLONE_NEWCGROUP : 0);
	/* A real fork first: the caller may be the multi-threaded TUI, and
	 * only fork() makes malloc safe in the child.  The child, single-
	 * threaded, then clones straight into the cgroup.  With -t its stdio
	 * is the pty socket until the pty slave takes its place. */
	pid_t child = fork();
	if (child < 0) {
		rc = box_fail(err, BOX_ESYS, errno, "fork");
		goto out;
	}
	if (child == 0)
		exec_helper(cg, &s, &filter, argv, nsflags,
			    (struct exec_fds){
				    .stdio = {tty ? sv[1] : io.theirs[0],
					      tty ? sv[1] : io.theirs[1],
					      tty ? sv[1] : io.theirs[2]},
				    .err = errp[1],
				    .pidfd = pidfd,
				    .sock = sv[1],
			    });
	/* the command's ends are its own: EOF on ours then depends on it */
	stdio_pipes_close_theirs(&io);
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
		if (master >= 0)
			close(master);
		waitpid(child, &ws, 0);
		rc = box_fail(err, BOX_ESYS, 0, "exec %s: %s", name, msg);
		goto out;
	}
	int cfd = (int)syscall(SYS_pidfd_open, child, 0);
	if (master >= 0) {
		struct termios saved;
		bool raw;
		console_raw(&saved, &raw);
		console_relay(master, master, master, false, cfd);
		console_restore(&saved, raw);
		close(master);
	} else if (!tty) {
		stdio_relay(&io, cfd, cfd);
	}
	if (cfd >= 0)
		close(cfd);
	while (waitpid(child, &ws, 0) < 0 && errno == EINTR)
		;
	*exit_code = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	rc = 0;
out:
	stdio_pipes_close_theirs(&io);
	stdio_pipes_close_ours(&io);
	for (int i = 0; i < 2; i++) {
		if (errp[i] >= 0)
			close(errp[i]);
		if (sv[i] >= 0)
			close(sv[i]);
	}
	close(pidfd);
	spec_free(&s);
	seccomp_prog_free(&filter);
	return rc;
}
