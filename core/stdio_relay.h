/* stdio_relay.h - a container process's stdio as pipes that the front
 * process copies (exec and run without a terminal), as docker and
 * containerd do.  The container never holds the caller's own files: not
 * its terminal (TIOCSTI would push keys into the admin's shell), not a
 * file its output was redirected to (reopened through /proc/<pid>/fd it
 * could be read, truncated or written anywhere). */
#ifndef BOX_STDIO_RELAY_H
#define BOX_STDIO_RELAY_H

#include "box.h"

struct stdio_pipes {
	int theirs[3]; /* the container's 0, 1, 2: stdin's read end, the
			* write ends of stdout and stderr */
	int ours[3];   /* stdin's write end, stdout's and stderr's read ends */
};

/* Three pipes, close-on-exec, none in 0-2.  On failure all are -1. */
int stdio_pipes_open(struct stdio_pipes *p, struct box_err *err);
/* Close the container's ends (once it holds them) or ours; -1 after. */
void stdio_pipes_close_theirs(struct stdio_pipes *p);
void stdio_pipes_close_ours(struct stdio_pipes *p);

/* Copy our fd 0 into the container's stdin and its stdout and stderr to
 * our 1 and 2 until exit_pidfd becomes readable, then what the pipes
 * still hold.  Meanwhile SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to us
 * go to signal_pidfd (the calling thread blocks them).  EOF on our stdin
 * closes the container's; when our stdout or stderr breaks, that pipe is
 * closed (the container's next write there gets SIGPIPE, as it would
 * writing to us directly).  Output written after the exit by processes
 * the command left behind is not waited for. */
void stdio_relay(struct stdio_pipes *p, int exit_pidfd, int signal_pidfd);

#endif
