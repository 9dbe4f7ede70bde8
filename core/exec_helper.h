/* exec_helper.h - the process box_exec forks to become a command inside a
 * running container. */
#ifndef BOX_EXEC_HELPER_H
#define BOX_EXEC_HELPER_H

#include "cgroup.h"
#include "spec.h"
#include "seccomp_filter.h"

/* Everything the helper keeps; any other fd it inherited is closed
 * before it joins anything. */
struct exec_fds {
	int stdio[3]; /* the command's 0-2: pipes, or the pty socket until
		       * the pty slave replaces them */
	int err;      /* why it failed, as text; EOF when exec succeeded */
	int pidfd;    /* the container's init, whose namespaces it joins */
	int sock;     /* -t: the pty master goes back on it; else -1 */
};

/* Join the cgroup and the namespaces (nsflags) of the init, fork into its
 * pid namespace and exec argv there; exit with the command's code.
 * Never returns. */
void exec_helper(const struct cg_layout *cg, const struct spec *s,
		 const struct seccomp_prog *filter, char *const argv[],
		 int nsflags, struct exec_fds f)
	__attribute__((noreturn));

#endif
