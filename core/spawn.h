/* spawn.h - clone a container's init into new namespaces.
 *
 * The caller (the monitor, or `boxtop run` in the foreground) becomes its
 * parent.  While the child builds its root, the parent makes its network
 * namespace (handed over on a sync socket, joined before sysfs is
 * mounted), its cgroups and its network; then the parent says go, the
 * child joins its cgroups and execs.  Exec failure or any setup error
 * comes back as text on a CLOEXEC error pipe, so a clean EOF means exec
 * succeeded.  With a user namespace the network namespace is made with it
 * at clone, and the parent first writes the maps and sends the root it
 * made (userns.h). */
#ifndef BOX_SPAWN_H
#define BOX_SPAWN_H

#include "seccomp_filter.h"
#include "spec.h"

struct spawn_io {
	/* A terminal: the child makes a pty in the container's own devpts
	 * (a host pty could not be bind-mounted on /dev/console from inside
	 * the new mount namespace) and passes the master back; it arrives
	 * in *console_master. */
	bool console;
	int stdio[3];   /* without a terminal: fds for 0, 1, 2 (-1: /dev/null) */
};

/* Start the init; returns its pid (host view) or -1.  The child is set up
 * completely: in its cgroup, with its network, exec'd. */
pid_t spawn_container(struct box_ctx *ctx, const char *name, json_t *config,
		      const struct spec *s, const struct spawn_io *io,
		      int *console_master, struct box_err *err);

/* fork (with ns_flags: new namespaces) straight into the unified cgroup of
 * relpath with clone3(CLONE_INTO_CGROUP) where the host has one; the child
 * then joins the v1 hierarchies itself with cg_attach_self(...,
 * *in_unified), which also avoids the kernel's slow path for moving a
 * process.  Returns like fork. */
pid_t spawn_fork_into(const struct cg_layout *cg, const char *relpath,
		      int ns_flags, bool *in_unified);

/* execve argv[0] searched in the PATH of envp (not ours); on return msg
 * says why it failed. */
void spawn_exec_in_path(char *const argv[], char *const envp[], char *msg,
			size_t len);

/* 0 when the working directory just entered lies inside the root; else
 * -1 and msg.  One reached through an fd (cwd /proc/self/fd/N, from an
 * image's WorkingDir: CVE-2024-21626) may not: getcwd then fails, as the
 * kernel calls its path "(unreachable)". */
int spawn_check_cwd(const char *cwd, char *msg, size_t len);
/* The last steps of a container process, init or exec'd, once it is its
 * user: its capability sets, no_new_privs, its cwd (inside the root),
 * only fds 0-2, default signals, the late seccomp filter, execve of argv.
 * Returns only on failure, msg saying why. */
int spawn_exec_final(const struct spec *s, const struct seccomp_prog *filter,
		     char *const argv[], char *msg, size_t len);

/* Every signal back to its default action and none blocked: dispositions
 * set to "ignore" by the monitor would survive exec otherwise. */
void spawn_reset_signals(void);

/* The seccomp filter goes on as late as it may, so that as little of our
 * own setup as possible runs under it: last before exec (late) when
 * no_new_privs is set; without no_new_privs the kernel lets only a
 * holder of CAP_SYS_ADMIN install a filter, so then it goes on early,
 * before the ids change and the capabilities are dropped.  Child side. */
static inline int spawn_seccomp(const struct spec *s,
				const struct seccomp_prog *p, bool late,
				char *msg, size_t len)
{
	return s->no_new_privs == late ? seccomp_prog_load(p, msg, len) : 0;
}

/* Capabilities: keep only the mask in bounding, permitted, effective;
 * inheritable and ambient empty.  Child side; msg on error. */
int caps_apply(uint64_t keep, char *msg, size_t len);
/* Its two halves, for a process that changes its user in between (as
 * runc does): the bounding set needs CAP_SETPCAP, which a new uid no
 * longer has in effect; the sets after the change only narrow what
 * PR_SET_KEEPCAPS kept. */
int caps_drop_bounding(uint64_t keep, char *msg, size_t len);
int caps_set(uint64_t keep, char *msg, size_t len);

#endif
