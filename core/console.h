/* console.h - ptys and the relay between a user's terminal and a
 * container's terminal (attach, exec -t, run -t). */
#ifndef BOX_CONSOLE_H
#define BOX_CONSOLE_H

#include "box.h"

#include <termios.h>

/* Copy the caller's window size (fd 0 or 1) to the pty master. */
void console_copy_winsize(int master);

/* Put the caller's terminal (fd 0) in raw mode; restore with the saved
 * state.  Returns 0 when fd 0 is no tty (nothing to do). */
int console_raw(struct termios *saved, bool *changed);
void console_restore(const struct termios *saved, bool changed);

/* Relay until the output side closes: fd 0 -> in_fd, out_fd -> fd 1.
 * detach_keys: when true, Ctrl-a q ends the relay (returns 1); Ctrl-a a
 * sends a literal Ctrl-a.  exit_pidfd (or -1): stop when it becomes
 * readable, after draining output.  Returns 0 when output closed. */
int console_relay(int in_fd, int out_fd, int winsize_fd, bool detach_keys,
		  int exit_pidfd);

#endif
