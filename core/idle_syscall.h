/* idle_syscall.h - the two system calls an idle monitor makes, without libc.
 *
 * monitor_trim drops every clean file page the monitor maps, libc's text
 * included.  Calling libc's poll() or madvise() afterwards would fault its
 * text back in, and the kernel's fault-around maps 64 kB of it per fault:
 * 128 kB of libc resident per idle monitor for two syscall wrappers.  So
 * the idle loop enters the kernel itself.  The functions are static inline
 * and so compiled into their callers' section (MONITOR_IDLE_TEXT).
 *
 * They return what the kernel returns: a count, or -errno (errno is not
 * touched).  Other architectures fall back to libc and only lose the
 * saving. */
#ifndef BOX_IDLE_SYSCALL_H
#define BOX_IDLE_SYSCALL_H

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#if defined(__x86_64__)
static inline long idle_syscall5(long nr, long a, long b, long c, long d,
				 long e)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}
#define IDLE_RAW 1
#elif defined(__aarch64__)
static inline long idle_syscall5(long nr, long a, long b, long c, long d,
				 long e)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			 : "memory");
	return x0;
}
#define IDLE_RAW 1
#else
#define IDLE_RAW 0
#endif

/* poll(2) with a timeout in ms (-1: none); ppoll is the call every
 * architecture has. */
static inline int idle_poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	struct timespec ts = {timeout_ms / 1000, (timeout_ms % 1000) * 1000000L};
#if IDLE_RAW
	return (int)idle_syscall5(SYS_ppoll, (long)fds, (long)n,
				  timeout_ms < 0 ? 0L : (long)&ts, 0L,
				  (long)(_NSIG / 8));
#else
	int r = ppoll(fds, n, timeout_ms < 0 ? NULL : &ts, NULL);
	return r < 0 ? -errno : r;
#endif
}

static inline int idle_madvise(void *addr, size_t len, int advice)
{
#if IDLE_RAW
	return (int)idle_syscall5(SYS_madvise, (long)addr, (long)len,
				  (long)advice, 0L, 0L);
#else
	return madvise(addr, len, advice) < 0 ? -errno : 0;
#endif
}

#endif
