/* stdio_relay.c - pipes for a container process's stdio and the loop that
 * copies them (stdio_relay.h). */
#include "stdio_relay.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>

#define BUF 16384
/* What the pipes may still hand over once the process has exited: its
 * last words fit many times over (a pipe holds 64 KiB); something it left
 * behind that keeps writing must not keep us. */
#define DRAIN_MAX (1024 * 1024)

static void close_set(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* A pipe end never takes 0-2 (when ours are closed): the relay reads fd 0
 * and writes 1 and 2 as the caller's own. */
static int above_stdio(int fd)
{
	if (fd > 2)
		return fd;
	int up = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return up;
}

int stdio_pipes_open(struct stdio_pipes *p, struct box_err *err)
{
	for (int i = 0; i < 3; i++)
		p->theirs[i] = p->ours[i] = -1;
	for (int i = 0; i < 3; i++) {
		int fds[2];
		if (pipe2(fds, O_CLOEXEC) < 0)
			goto fail;
		int rd = above_stdio(fds[0]), wr = above_stdio(fds[1]);
		/* stdin: the container reads, we write; 1 and 2 the other way */
		p->theirs[i] = i == 0 ? rd : wr;
		p->ours[i] = i == 0 ? wr : rd;
		if (rd < 0 || wr < 0)
			goto fail;
	}
	return 0;
fail:;
	int e = errno;
	stdio_pipes_close_theirs(p);
	stdio_pipes_close_ours(p);
	return box_fail(err, BOX_ESYS, e, "pipes for the container's stdio");
}

void stdio_pipes_close_theirs(struct stdio_pipes *p)
{
	for (int i = 0; i < 3; i++)
		close_set(&p->theirs[i]);
}

void stdio_pipes_close_ours(struct stdio_pipes *p)
{
	for (int i = 0; i < 3; i++)
		close_set(&p->ours[i]);
}

/* All of buf to fd, waiting for room when fd is non-blocking (a terminal
 * shared with other programs may be). */
static int put(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);
		if (w < 0 && errno == EAGAIN) {
			struct pollfd p = {.fd = fd, .events = POLLOUT};
			poll(&p, 1, -1);
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* One read of a container's output pipe, copied to our fd `to`.  The pipe
 * is closed at its EOF, and when `to` is broken: the container's next
 * write there then fails (SIGPIPE) instead of filling a pipe nobody
 * reads. */
static void copy_out(int *from, int to, char *buf)
{
	ssize_t n = read(*from, buf, BUF);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0 || put(to, buf, (size_t)n) < 0)
		close_set(from);
}

/* What the pipe holds now, without waiting for more. */
static void drain(int from, int to, char *buf)
{
	if (from < 0)
		return;
	fcntl(from, F_SETFL, fcntl(from, F_GETFL) | O_NONBLOCK);
	for (size_t total = 0; total < DRAIN_MAX;) {
		ssize_t n = read(from, buf, BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || put(to, buf, (size_t)n) < 0)
			break;
		total += (size_t)n;
	}
}

static void forward(int sfd, int pidfd)
{
	struct signalfd_siginfo si;
	while (sfd >= 0 && read(sfd, &si, sizeof si) == sizeof si)
		syscall(SYS_pidfd_send_signal, pidfd, (int)si.ssi_signo, NULL, 0);
}

void stdio_relay(struct stdio_pipes *p, int exit_pidfd, int signal_pidfd)
{
	sigset_t fwd, block, old, pipe_only;
	sigemptyset(&fwd);
	sigaddset(&fwd, SIGINT);
	sigaddset(&fwd, SIGTERM);
	sigaddset(&fwd, SIGHUP);
	sigaddset(&fwd, SIGQUIT);
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	/* SIGPIPE blocked: a broken stdout of ours is an error value */
	block = fwd;
	sigaddset(&block, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	auto_fd sfd = signalfd(-1, &fwd, SFD_CLOEXEC | SFD_NONBLOCK);
	/* Our end of their stdin never blocks us: a container that does not
	 * read must not stop its output from being copied. */
	if (p->ours[0] >= 0)
		fcntl(p->ours[0], F_SETFL, fcntl(p->ours[0], F_GETFL) | O_NONBLOCK);
	char in[BUF], out[BUF];
	size_t in_off = 0, in_len = 0;
	for (;;) {
		bool in_open = p->ours[0] >= 0;
		struct pollfd pf[6] = {
			{.fd = in_open && !in_len ? 0 : -1, .events = POLLIN},
			{.fd = in_open && in_len ? p->ours[0] : -1, .events = POLLOUT},
			{.fd = p->ours[1], .events = POLLIN},
			{.fd = p->ours[2], .events = POLLIN},
			{.fd = sfd, .events = POLLIN},
			{.fd = exit_pidfd, .events = POLLIN},
		};
		/* without a pidfd (old kernel) the outputs' EOF ends it */
		if (exit_pidfd < 0 && p->ours[1] < 0 && p->ours[2] < 0)
			break;
		if (poll(pf, 6, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[0].revents) {
			ssize_t n = read(0, in, sizeof in);
			if (n > 0) {
				in_off = 0;
				in_len = (size_t)n;
			} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
				/* EOF, or no stdin at all: theirs ends */
				close_set(&p->ours[0]);
			}
		}
		if (pf[1].revents) {
			ssize_t n = write(p->ours[0], in + in_off, in_len);
			if (n > 0) {
				in_off += (size_t)n;
				in_len -= (size_t)n;
			} else if (n < 0 && errno != EINTR && errno != EAGAIN) {
				/* it closed its stdin: read no more of ours */
				close_set(&p->ours[0]);
				in_len = 0;
			}
		}
		for (int i = 1; i <= 2; i++)
			if (pf[1 + i].revents)
				copy_out(&p->ours[i], i, out);
		if (pf[4].revents)
			forward(sfd, signal_pidfd);
		if (pf[5].revents) {
			drain(p->ours[1], 1, out);
			drain(p->ours[2], 2, out);
			break;
		}
	}
	/* a signal that came with the exit goes where the others went; a
	 * SIGPIPE our own writes raised is dropped */
	forward(sfd, signal_pidfd);
	struct timespec zero = {0};
	while (sigtimedwait(&pipe_only, NULL, &zero) > 0)
		;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}
