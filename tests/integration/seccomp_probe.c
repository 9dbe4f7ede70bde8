/* seccomp_probe.c - the hostile container's tools for t_confine_seccomp.sh
 * (busybox has no keyctl, bpf or userfaultfd).  Built static by the test,
 * bind-mounted read-only into the container.
 *
 *   seccomp_probe attack SERIAL  try each call; one "name=result" line each:
 *                                "ok" or the errno's name.  SERIAL is the
 *                                host's canary key, read then overwritten.
 *   seccomp_probe CALL           one of the calls of attack, alone
 *   seccomp_probe key-add DESC PAYLOAD   (host) add a user key to root's
 *                                user keyring, readable and writable by
 *                                uid 0 without possessing it; print serial
 *   seccomp_probe key-read SERIAL        (host) print its payload
 *   seccomp_probe key-drop SERIAL        (host) revoke it, unlink it
 *
 * The calls are made so that where the kernel itself refuses them without
 * a capability it says something other than EPERM (a missing mount point,
 * an unknown bpf command, a NULL perf attribute): EPERM then means the
 * filter. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define KEY_SPEC_USER_KEYRING -4
#define KEYCTL_UPDATE 2
#define KEYCTL_REVOKE 3
#define KEYCTL_UNLINK 9
#define KEYCTL_SETPERM 5
#define KEYCTL_READ 11

static const char *errname(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	case EACCES: return "EACCES";
	case ENOSYS: return "ENOSYS";
	case EBADF: return "EBADF";
	case ENOKEY: return "ENOKEY";
	case EKEYREVOKED: return "EKEYREVOKED";
	case ESRCH: return "ESRCH";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	}
	static char buf[32];
	snprintf(buf, sizeof buf, "errno%d", e);
	return buf;
}

static long serial;

/* In a child: the new namespace would leave us unmapped for the next
 * probes.  Its exit status carries the errno. */
static long in_child(long (*fn)(void))
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(fn() < 0 ? errno : 0);
	int ws;
	waitpid(pid, &ws, 0);
	errno = WIFEXITED(ws) ? WEXITSTATUS(ws) : EINTR;
	return errno ? -1 : 0;
}

static long unshare_user(void) { return unshare(CLONE_NEWUSER); }
static long p_unshare_user(void) { return in_child(unshare_user); }

static long p_clone_newuser(void)
{
	long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	return pid < 0 ? -1 : 0;
}

static long p_mount(void)
{
	return mount("none", "/no-such-mountpoint", "tmpfs", 0, NULL);
}

static long p_key_read(void)
{
	char buf[64] = "";
	long n = syscall(SYS_keyctl, KEYCTL_READ, serial, buf, sizeof buf - 1);
	if (n >= 0) {
		printf("key_payload=%s\n", buf);
		return 0;
	}
	return -1;
}

static long p_key_update(void)
{
	return syscall(SYS_keyctl, KEYCTL_UPDATE, serial, "pwned", 5);
}

static long p_add_key(void)
{
	long id = syscall(SYS_add_key, "user", "boxtop-container-key", "x", 1,
			  KEY_SPEC_USER_KEYRING);
	if (id >= 0) /* do not leave it in root's keyring */
		syscall(SYS_keyctl, KEYCTL_UNLINK, id, KEY_SPEC_USER_KEYRING);
	return id < 0 ? -1 : 0;
}

static long p_bpf(void) { return syscall(SYS_bpf, 9999, NULL, 0); }

static long p_perf(void)
{
	return syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0);
}

static long p_userfaultfd(void)
{
	/* UFFD_USER_MODE_ONLY (1): allowed to anyone by the kernel */
	long fd = syscall(SYS_userfaultfd, O_CLOEXEC | 1);
	if (fd >= 0)
		close((int)fd);
	return fd < 0 ? -1 : 0;
}

static long traceme(void) { return syscall(SYS_ptrace, 0 /* PTRACE_TRACEME */, 0, 0, 0); }
static long p_ptrace(void) { return in_child(traceme); }

static long p_kexec(void) { return syscall(SYS_kexec_load, 0, 0, NULL, 0); }

static long p_init_module(void) { return syscall(SYS_init_module, NULL, 0, ""); }

static long p_open_by_handle(void)
{
	return syscall(SYS_open_by_handle_at, AT_FDCWD, NULL, O_RDONLY);
}

static long p_fork(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	int ws;
	return pid > 0 && waitpid(pid, &ws, 0) == pid && WIFEXITED(ws) ? 0 : -1;
}

static const struct {
	const char *name;
	long (*fn)(void);
} probes[] = {
	{"unshare_user", p_unshare_user}, {"clone_newuser", p_clone_newuser},
	{"mount", p_mount}, {"key_read", p_key_read},
	{"key_update", p_key_update}, {"add_key", p_add_key},
	{"bpf", p_bpf}, {"perf_event_open", p_perf},
	{"userfaultfd", p_userfaultfd}, {"ptrace", p_ptrace},
	{"kexec_load", p_kexec}, {"init_module", p_init_module},
	{"open_by_handle_at", p_open_by_handle}, {"fork", p_fork},
};

static void run(size_t i)
{
	errno = 0;
	long r = probes[i].fn();
	printf("%s=%s\n", probes[i].name, r < 0 ? errname(errno) : "ok");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "key-add") && argc == 4) {
		long id = syscall(SYS_add_key, "user", argv[2], argv[3],
				  strlen(argv[3]), KEY_SPEC_USER_KEYRING);
		/* possessor and user: everything (0x3f3f0000) */
		if (id < 0 || syscall(SYS_keyctl, KEYCTL_SETPERM, id, 0x3f3f0000) < 0) {
			perror("add_key");
			return 1;
		}
		printf("%ld\n", id);
		return 0;
	}
	if (!strcmp(argv[1], "key-read") && argc == 3) {
		serial = atol(argv[2]);
		char buf[64] = "";
		if (syscall(SYS_keyctl, KEYCTL_READ, serial, buf, sizeof buf - 1) < 0) {
			printf("%s\n", errname(errno));
			return 1;
		}
		printf("%s\n", buf);
		return 0;
	}
	if (!strcmp(argv[1], "key-drop") && argc == 3) {
		serial = atol(argv[2]);
		syscall(SYS_keyctl, KEYCTL_REVOKE, serial);
		return syscall(SYS_keyctl, KEYCTL_UNLINK, serial, KEY_SPEC_USER_KEYRING) < 0;
	}
	if (!strcmp(argv[1], "attack")) {
		serial = argc > 2 ? atol(argv[2]) : 0;
		for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
			run(i);
		return 0;
	}
	for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
		if (!strcmp(argv[1], probes[i].name)) {
			run(i);
			return 0;
		}
	return 2;
}
