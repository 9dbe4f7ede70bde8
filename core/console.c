/* console.c - ptys, raw mode and the terminal relay. */
#include "console.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>

void console_copy_winsize(int master)
{
	struct winsize ws;
	if (ioctl(0, TIOCGWINSZ, &ws) == 0 || ioctl(1, TIOCGWINSZ, &ws) == 0)
		ioctl(master, TIOCSWINSZ, &ws);
}

int console_raw(struct termios *saved, bool *changed)
{
	*changed = false;
	if (!isatty(0))
		return 0;
	if (tcgetattr(0, saved) < 0)
		return -1;
	struct termios raw = *saved;
	cfmakeraw(&raw);
	if (tcsetattr(0, TCSANOW, &raw) < 0)
		return -1;
	*changed = true;
	return 0;
}

void console_restore(const struct termios *saved, bool changed)
{
	if (changed)
		tcsetattr(0, TCSANOW, saved);
}

#define CTRL_A 0x01

int console_relay(int in_fd, int out_fd, int winsize_fd, bool detach_keys,
		  int exit_pidfd)
{
	sigset_t mask, old;
	sigemptyset(&mask);
	sigaddset(&mask, SIGWINCH);
	sigprocmask(SIG_BLOCK, &mask, &old);
	auto_fd sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (winsize_fd >= 0)
		console_copy_winsize(winsize_fd);
	bool stdin_open = true, saw_ctrl_a = false;
	int rc = 0;
	char buf[8192];
	for (;;) {
		struct pollfd p[4] = {
			{.fd = out_fd, .events = POLLIN},
			{.fd = stdin_open ? 0 : -1, .events = POLLIN},
			{.fd = sfd, .events = POLLIN},
			{.fd = exit_pidfd, .events = POLLIN},
		};
		if (poll(p, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(out_fd, buf, sizeof buf);
			if (n <= 0 && !(n < 0 && errno == EINTR))
				break; /* EOF or EIO: the other side is gone */
			if (n > 0 && util_write_all(1, buf, (size_t)n) < 0)
				break;
		}
		if (p[1].revents & (POLLIN | POLLHUP)) {
			ssize_t n = read(0, buf, sizeof buf);
			if (n <= 0) {
				stdin_open = false;
			} else if (!detach_keys) {
				util_write_all(in_fd, buf, (size_t)n);
			} else {
				/* Ctrl-a q detaches; Ctrl-a Ctrl-a sends one. */
				char outb[sizeof buf * 2];
				size_t o = 0;
				for (ssize_t i = 0; i < n; i++) {
					char c = buf[i];
					if (saw_ctrl_a) {
						saw_ctrl_a = false;
						if (c == 'q') {
							util_write_all(in_fd, outb, o);
							rc = 1;
							goto out;
						}
						if (c != CTRL_A)
							outb[o++] = CTRL_A;
						outb[o++] = c;
					} else if (c == CTRL_A) {
						saw_ctrl_a = true;
					} else {
						outb[o++] = c;
					}
				}
				util_write_all(in_fd, outb, o);
			}
		}
		if (p[2].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof si) > 0)
				;
			if (winsize_fd >= 0)
				console_copy_winsize(winsize_fd);
		}
		if (p[3].revents & POLLIN) {
			/* The process ended: drain what it wrote, then stop. */
			int fl = fcntl(out_fd, F_GETFL);
			fcntl(out_fd, F_SETFL, fl | O_NONBLOCK);
			ssize_t n;
			while ((n = read(out_fd, buf, sizeof buf)) > 0)
				util_write_all(1, buf, (size_t)n);
			fcntl(out_fd, F_SETFL, fl);
			break;
		}
	}
out:
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}
