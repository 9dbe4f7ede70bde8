/* seccomp_default.c - boxtop's default seccomp profile: Docker's default
 * (moby profiles/seccomp/default.json) as a table, given out in Docker's
 * JSON format so that it goes through the same resolution as a profile
 * file (seccomp_docker.c).
 *
 * Everything not listed fails with EPERM.  Left out, so blocked, among
 * others: keyctl, add_key, request_key (the kernel keyring is not
 * namespaced), userfaultfd, kexec_load, kexec_file_load, pivot_root,
 * swapon/swapoff, name_to_handle_at's partner open_by_handle_at (unless
 * CAP_DAC_READ_SEARCH), and everything a capability unlocks below while
 * the container does not have it: mount, unshare, setns, clone of new
 * namespaces, bpf, perf_event_open, ptrace, the module calls...
 *
 * One deviation from Docker: ptrace, process_vm_readv and
 * process_vm_writev need CAP_SYS_PTRACE here.  Docker allows them to
 * everyone on kernels since 4.8 (from then seccomp is re-checked after a
 * tracer changes a call); a container here does not get to read or steer
 * another process's memory unless given that capability. */
#include "seccomp_filter.h"
#include "util.h"

#include <string.h>

/* Always allowed. */
static const char base_allow[] =
	"accept accept4 access adjtimex alarm bind brk capget capset chdir "
	"chmod chown chown32 clock_adjtime clock_adjtime64 clock_getres "
	"clock_getres_time64 clock_gettime clock_gettime64 clock_nanosleep "
	"clock_nanosleep_time64 close close_range connect copy_file_range "
	"creat dup dup2 dup3 epoll_create epoll_create1 epoll_ctl "
	"epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait epoll_wait_old "
	"eventfd eventfd2 execve execveat exit exit_group faccessat faccessat2 "
	"fadvise64 fadvise64_64 fallocate fanotify_mark fchdir fchmod fchmodat "
	"fchown fchown32 fchownat fcntl fcntl64 fdatasync fgetxattr flistxattr "
	"flock fork fremovexattr fsetxattr fstat fstat64 fstatat64 fstatfs "
	"fstatfs64 fsync ftruncate ftruncate64 futex futex_time64 futex_waitv "
	"futimesat getcpu getcwd getdents getdents64 getegid getegid32 geteuid "
	"geteuid32 getgid getgid32 getgroups getgroups32 getitimer getpeername "
	"getpgid getpgrp getpid getppid getpriority getrandom getresgid "
	"getresgid32 getresuid getresuid32 getrlimit get_robust_list getrusage "
	"getsid getsockname getsockopt get_thread_area gettid gettimeofday "
	"getuid getuid32 getxattr inotify_add_watch inotify_init inotify_init1 "
	"inotify_rm_watch io_cancel ioctl io_destroy io_getevents "
	"io_pgetevents io_pgetevents_time64 ioprio_get ioprio_set io_setup "
	"io_submit io_uring_enter io_uring_register io_uring_setup ipc kill "
	"landlock_add_rule landlock_create_ruleset landlock_restrict_self "
	"lchown lchown32 lgetxattr link linkat listen listxattr llistxattr "
	"_llseek lremovexattr lseek lsetxattr lstat lstat64 madvise membarrier "
	"memfd_create memfd_secret mincore mkdir mkdirat mknod mknodat mlock "
	"mlock2 mlockall mmap mmap2 mprotect mq_getsetattr mq_notify mq_open "
	"mq_timedreceive mq_timedreceive_time64 mq_timedsend "
	"mq_timedsend_time64 mq_unlink mremap msgctl msgget msgrcv msgsnd msync "
	"munlock munlockall munmap name_to_handle_at nanosleep newfstatat "
	"_newselect open openat openat2 pause pidfd_open pidfd_send_signal "
	"pipe pipe2 pkey_alloc pkey_free pkey_mprotect poll ppoll "
	"ppoll_time64 prctl pread64 preadv preadv2 prlimit64 process_mrelease "
	"pselect6 pselect6_time64 pwrite64 pwritev pwritev2 read readahead "
	"readlink readlinkat readv recv recvfrom recvmmsg recvmmsg_time64 "
	"recvmsg remap_file_pages removexattr rename renameat renameat2 "
	"restart_syscall rmdir rseq rt_sigaction rt_sigpending rt_sigprocmask "
	"rt_sigqueueinfo rt_sigreturn rt_sigsuspend rt_sigtimedwait "
	"rt_sigtimedwait_time64 rt_tgsigqueueinfo sched_getaffinity "
	"sched_getattr sched_getparam sched_get_priority_max "
	"sched_get_priority_min sched_getscheduler sched_rr_get_interval "
	"sched_rr_get_interval_time64 sched_setaffinity sched_setattr "
	"sched_setparam sched_setscheduler sched_yield seccomp select semctl "
	"semget semop semtimedop semtimedop_time64 send sendfile sendfile64 "
	"sendmmsg sendmsg sendto setfsgid setfsgid32 setfsuid setfsuid32 "
	"setgid setgid32 setgroups setgroups32 setitimer setpgid setpriority "
	"setregid setregid32 setresgid setresgid32 setresuid setresuid32 "
	"setreuid setreuid32 setrlimit set_robust_list setsid setsockopt "
	"set_thread_area set_tid_address setuid setuid32 setxattr shmat shmctl "
	"shmdt shmget shutdown sigaltstack signalfd signalfd4 sigprocmask "
	"sigreturn socketcall socketpair splice stat stat64 statfs statfs64 "
	"statx symlink symlinkat sync sync_file_range syncfs sysinfo tee "
	"tgkill time timer_create timer_delete timer_getoverrun timer_gettime "
	"timer_gettime64 timer_settime timer_settime64 timerfd_create "
	"timerfd_gettime timerfd_gettime64 timerfd_settime timerfd_settime64 "
	"times tkill truncate truncate64 ugetrlimit umask uname unlink unlinkat "
	"utime utimensat utimensat_time64 utimes vfork vmsplice wait4 waitid "
	"waitpid write writev";

/* The namespace flags of clone: CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC,
 * NEWUSER, NEWPID, NEWNET.  clone is allowed only with none of them
 * unless the container has CAP_SYS_ADMIN. */
#define CLONE_NS_FLAGS 0x7E020000ULL

/* One group: the same action for each name, under the same conditions.
 * Lists are space-separated; NULL means no condition. */
struct group {
	const char *names;
	const char *action;        /* NULL: SCMP_ACT_ALLOW */
	int errno_ret;             /* with SCMP_ACT_ERRNO */
	int arg;                   /* -1: none; else the index compared */
	const char *op;
	unsigned long long value;
	const char *if_caps;       /* all of them present */
	const char *unless_caps;   /* none of them present */
	const char *if_arches;     /* Docker's names: amd64, arm64, ... */
	const char *unless_arches;
};

#define ALLOW(n) {.names = (n), .arg = -1}
#define ALLOW_WITH_CAP(n, cap) {.names = (n), .arg = -1, .if_caps = (cap)}
#define ALLOW_ON(n, arches) {.names = (n), .arg = -1, .if_arches = (arches)}
#define ALLOW_IF_ARG0(n, o, v) {.names = (n), .arg = 0, .op = (o), .value = (v)}

static const struct group groups[] = {
	ALLOW(base_allow),
	/* no AF_VSOCK sockets: they reach the hypervisor */
	ALLOW_IF_ARG0("socket", "SCMP_CMP_NE", 40),
	/* personality: only the harmless ones (query, Linux, 32-bit, uname26) */
	ALLOW_IF_ARG0("personality", "SCMP_CMP_EQ", 0x0),
	ALLOW_IF_ARG0("personality", "SCMP_CMP_EQ", 0x8),
	ALLOW_IF_ARG0("personality", "SCMP_CMP_EQ", 0x20000),
	ALLOW_IF_ARG0("personality", "SCMP_CMP_EQ", 0x20008),
	ALLOW_IF_ARG0("personality", "SCMP_CMP_EQ", 0xffffffff),
	/* what one architecture needs */
	ALLOW_ON("sync_file_range2 swapcontext", "ppc64le"),
	ALLOW_ON("arm_fadvise64_64 arm_sync_file_range sync_file_range2 "
		 "breakpoint cacheflush set_tls", "arm arm64"),
	ALLOW_ON("arch_prctl", "amd64 x32"),
	ALLOW_ON("modify_ldt", "amd64 x32 x86"),
	ALLOW_ON("s390_pci_mmio_read s390_pci_mmio_write s390_runtime_instr",
		 "s390 s390x"),
	ALLOW_ON("riscv_flush_icache", "riscv64"),
	/* what a capability unlocks */
	ALLOW_WITH_CAP("open_by_handle_at", "CAP_DAC_READ_SEARCH"),
	ALLOW_WITH_CAP("bpf clone clone3 fanotify_init fsconfig fsmount fsopen "
		       "fspick lookup_dcookie mount mount_setattr move_mount "
		       "open_tree perf_event_open quotactl quotactl_fd "
		       "setdomainname sethostname setns syslog umount umount2 "
		       "unshare", "CAP_SYS_ADMIN"),
	{.names = "clone", .arg = 0, .op = "SCMP_CMP_MASKED_EQ",
	 .value = CLONE_NS_FLAGS, .unless_caps = "CAP_SYS_ADMIN",
	 .unless_arches = "s390 s390x"},
	/* s390 passes clone's flags second */
	{.names = "clone", .arg = 1, .op = "SCMP_CMP_MASKED_EQ",
	 .value = CLONE_NS_FLAGS, .unless_caps = "CAP_SYS_ADMIN",
	 .if_arches = "s390 s390x"},
	/* clone3's flags are in memory, out of a filter's reach: ENOSYS
	 * makes the C library fall back to clone, which is checked */
	{.names = "clone3", .action = "SCMP_ACT_ERRNO", .errno_ret = 38,
	 .arg = -1, .unless_caps = "CAP_SYS_ADMIN"},
	ALLOW_WITH_CAP("reboot", "CAP_SYS_BOOT"),
	ALLOW_WITH_CAP("chroot", "CAP_SYS_CHROOT"),
	ALLOW_WITH_CAP("delete_module init_module finit_module", "CAP_SYS_MODULE"),
	ALLOW_WITH_CAP("acct", "CAP_SYS_PACCT"),
	ALLOW_WITH_CAP("kcmp pidfd_getfd process_madvise process_vm_readv "
		       "process_vm_writev ptrace", "CAP_SYS_PTRACE"),
	ALLOW_WITH_CAP("iopl ioperm", "CAP_SYS_RAWIO"),
	ALLOW_WITH_CAP("settimeofday stime clock_settime clock_settime64",
		       "CAP_SYS_TIME"),
	ALLOW_WITH_CAP("vhangup", "CAP_SYS_TTY_CONFIG"),
	ALLOW_WITH_CAP("get_mempolicy mbind set_mempolicy "
		       "set_mempolicy_home_node", "CAP_SYS_NICE"),
	ALLOW_WITH_CAP("syslog", "CAP_SYSLOG"),
	ALLOW_WITH_CAP("bpf", "CAP_BPF"),
	ALLOW_WITH_CAP("perf_event_open", "CAP_PERFMON"),
};

/* Each architecture with those whose calls it also runs (a 64-bit x86
 * kernel runs 32-bit and x32 programs too). */
static const char *const arch_map[] = {
	"SCMP_ARCH_X86_64 SCMP_ARCH_X86 SCMP_ARCH_X32",
	"SCMP_ARCH_AARCH64 SCMP_ARCH_ARM",
	"SCMP_ARCH_MIPS64 SCMP_ARCH_MIPS SCMP_ARCH_MIPS64N32",
	"SCMP_ARCH_MIPS64N32 SCMP_ARCH_MIPS SCMP_ARCH_MIPS64",
	"SCMP_ARCH_MIPSEL64 SCMP_ARCH_MIPSEL SCMP_ARCH_MIPSEL64N32",
	"SCMP_ARCH_MIPSEL64N32 SCMP_ARCH_MIPSEL SCMP_ARCH_MIPSEL64",
	"SCMP_ARCH_S390X SCMP_ARCH_S390",
	"SCMP_ARCH_RISCV64",
};

static json_t *words(const char *list)
{
	json_t *a = json_array();
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, " ");
		if (n) /* our own ASCII: no UTF-8 check */
			json_array_append_new(a, json_stringn_nocheck(p, n));
		p += n + (p[n] == ' ');
	}
	return a;
}

/* includes/excludes: {"caps": [...], "arches": [...]} */
static void set_cond(json_t *rule, const char *key, const char *caps,
		     const char *arches)
{
	if (!caps && !arches)
		return;
	json_t *c = json_object();
	if (caps)
		json_object_set_new(c, "caps", words(caps));
	if (arches)
		json_object_set_new(c, "arches", words(arches));
	json_object_set_new(rule, key, c);
}

static json_t *group_json(const struct group *g)
{
	json_t *r = json_pack("{s:o, s:s}", "names", words(g->names), "action",
			      g->action ? g->action : "SCMP_ACT_ALLOW");
	if (g->errno_ret)
		json_object_set_new(r, "errnoRet", json_integer(g->errno_ret));
	if (g->arg >= 0)
		json_object_set_new(
			r, "args",
			json_pack("[{s:i, s:I, s:s}]", "index", g->arg, "value",
				  (json_int_t)g->value, "op", g->op));
	set_cond(r, "includes", g->if_caps, g->if_arches);
	set_cond(r, "excludes", g->unless_caps, g->unless_arches);
	return r;
}

json_t *seccomp_default_profile(void)
{
	json_t *map = json_array(), *rules = json_array();
	for (size_t i = 0; i < ARRAY_LEN(arch_map); i++) {
		json_t *w = words(arch_map[i]);
		json_t *arch = json_incref(json_array_get(w, 0));
		json_array_remove(w, 0);
		json_array_append_new(map, json_pack("{s:o, s:o}", "architecture",
						     arch, "subArchitectures", w));
	}
	for (size_t i = 0; i < ARRAY_LEN(groups); i++)
		json_array_append_new(rules, group_json(&groups[i]));
	return json_pack("{s:s, s:i, s:o, s:o}", "defaultAction",
			 "SCMP_ACT_ERRNO", "defaultErrnoRet", 1, "archMap", map,
			 "syscalls", rules);
}
