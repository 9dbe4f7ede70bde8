/* test_cgroup_real.c - core/cgroup*.c against this machine's real cgroup
 * hierarchies (v1, v2 or hybrid), under a prefix of our own
 * ("boxtop-test-<pid>").  Only processes this test forks are signalled, and
 * everything it made is removed at the end, failed checks or not. */
#include "cgroup.h"
#include "unit.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <linux/sched.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct cg_layout HOST; /* as detected */
static struct cg_layout L;    /* the view under test: HOST or v1-only */
static const char *tag = "real";

/* "<tag>: what" for check names (one per CHECK, so a static buffer). */
static const char *nm(const char *what)
{
	static char buf[256];
	snprintf(buf, sizeof buf, "%s: %s", tag, what);
	return buf;
}
static char prefix[64];
static pid_t kids[1100];
static size_t n_kids;

static void nap_ms(long ms)
{
	nanosleep(&(struct timespec){ms / 1000, (ms % 1000) * 1000000}, NULL);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* fork a child running fn; remembered so cleanup can kill it. */
static pid_t spawn(void (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	if (pid > 0 && n_kids < sizeof kids / sizeof kids[0])
		kids[n_kids++] = pid;
	return pid;
}

static void reap(pid_t pid, int *status)
{
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (status)
		*status = st;
	for (size_t i = 0; i < n_kids; i++)
		if (kids[i] == pid)
			kids[i] = 0;
}

static void child_pause(void *arg)
{
	(void)arg;
	for (;;)
		pause();
}

static void child_spin(void *arg)
{
	(void)arg;
	for (volatile unsigned long i = 0;; i++)
		;
}

static const char *sub[] = {"limits", "attach", "self", "freeze",
			    "kill",   "oom",    "bomb", "runaway"};

static void rel(char *buf, size_t len, const char *leaf)
{
	snprintf(buf, len, "%s/%s", prefix, leaf);
}

/* Make the test's cgroup <prefix>/<leaf> (name in r) with lim; false,
 * after a failed check "create for <what>", if it cannot be made. */
static bool make_cg(char *r, size_t len, const char *leaf,
		    const struct cg_limits *lim, const char *what,
		    struct box_err *err)
{
	rel(r, len, leaf);
	if (cg_create(&L, r, lim, err) == 0)
		return true;
	char name[128];
	snprintf(name, sizeof name, "create for %s", what);
	CHECK(nm(name), 0);
	return false;
}

struct gate {
	void (*fn)(void *);
	int fd;
};

/* In the child: wait for the go byte, then run fn. */
static void gated_child(void *arg)
{
	const struct gate *g = arg;
	char c;
	if (read(g->fd, &c, 1) != 1)
		_exit(1);
	g->fn(NULL);
}

/* Fork fn and hold it on a pipe until it is attached to r, so that all it
 * forks is born inside the cgroup; false if no pipe. */
static bool spawn_gated(void (*fn)(void *), const char *r, pid_t *pid,
			struct box_err *err)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return false;
	struct gate g = {fn, pfd[0]};
	*pid = spawn(gated_child, &g);
	close(pfd[0]);
	cg_attach(&L, r, *pid, err);
	if (write(pfd[1], "g", 1) != 1)
		printf("  write: %s\n", strerror(errno));
	close(pfd[1]);
	return true;
}

/* Sample r's counters every 10 ms until it holds want processes (at most
 * tries times); the last sample. */
static struct cg_counters wait_pids(const char *r, uint64_t want, int tries)
{
	struct cg_counters c = {0};
	for (int i = 0; i < tries; i++) {
		cg_read_counters(&L, r, &c, NULL);
		if (c.pids >= want)
			break;
		nap_ms(10);
	}
	return c;
}

/* cg_kill(SIGKILL) of r, its duration in *ms (printed, never asserted). */
static int timed_kill(const char *r, double *ms, struct box_err *err)
{
	double t0 = now_ms();
	int rc = cg_kill(&L, r, SIGKILL, err);
	*ms = now_ms() - t0;
	return rc;
}

/* Everything this test may have left: our own children, frozen cgroups,
 * directories. */
static void cleanup(void)
{
	L = HOST;
	for (size_t i = 0; i < n_kids; i++)
		if (kids[i] > 0) {
			kill(kids[i], SIGKILL);
			reap(kids[i], NULL);
		}
	char r[128];
	for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
		rel(r, sizeof r, sub[i]);
		if (cg_is_frozen(&L, r) == 1)
			cg_freeze(&L, r, false, NULL);
		cg_destroy(&L, r, NULL);
	}
	cg_destroy_prefix(&L, prefix, NULL);
}

static bool file_is(int hi, const char *r, const char *file, const char *want)
{
	char p[512], buf[256] = "";
	snprintf(p, sizeof p, "%s/%s/%s", L.hier[hi].mount, r, file);
	FILE *f = fopen(p, "re");
	if (!f)
		return false;
	if (!fgets(buf, sizeof buf, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	if (strcmp(buf, want))
		printf("  %s: '%s', want '%s'\n", p, buf, want);
	return !strcmp(buf, want);
}

static bool gone_everywhere(const char *r)
{
	for (int hi = 0; hi < L.n_hier; hi++) {
		char p[512];
		struct stat st;
		snprintf(p, sizeof p, "%s/%s", L.hier[hi].mount, r);
		if (stat(p, &st) == 0) {
			printf("  still there: %s\n", p);
			return false;
		}
	}
	return true;
}

static bool in_pids(const char *r, pid_t pid)
{
	pid_t *p;
	size_t n;
	if (cg_pids(&L, r, &p, &n, NULL) < 0)
		return false;
	bool found = false;
	for (size_t i = 0; i < n; i++)
		found |= p[i] == pid;
	free(p);
	return found;
}

/* /proc/<pid>/cgroup names relpath on every hierarchy line we use. */
static bool proc_cgroup_has(pid_t pid, const char *r)
{
	char p[64], line[512];
	snprintf(p, sizeof p, "/proc/%d/cgroup", (int)pid);
	FILE *f = fopen(p, "re");
	if (!f)
		return false;
	int hits = 0;
	char want[256];
	snprintf(want, sizeof want, ":/%s\n", r);
	while (fgets(line, sizeof line, f)) {
		size_t ll = strlen(line), wl = strlen(want);
		if (ll >= wl && !strcmp(line + ll - wl, want))
			hits++;
	}
	fclose(f);
	return hits >= L.n_hier;
}

static void test_limits(void)
{
	char r[128];
	rel(r, sizeof r, "limits");
	struct box_err err = {0};
	struct cg_limits lim = {.memory = 64 << 20,
				.cpu_quota_us = 50000,
				.cpu_period_us = 100000,
				.cpu_shares = 512,
				.pids = 300};
	int rc = cg_create(&L, r, &lim, &err);
	CHECK(nm("create with limits"), rc == 0);
	if (rc)
		printf("  %s\n", err.msg);
	CHECK(nm("exists after create"), cg_exists(&L, r));
	if (L.memory >= 0 && !L.hier[L.memory].v2) {
		CHECK(nm("v1 memory.limit_in_bytes"),
		      file_is(L.memory, r, "memory.limit_in_bytes", "67108864"));
		char p[512];
		snprintf(p, sizeof p, "%s/%s/memory.memsw.limit_in_bytes",
			 L.hier[L.memory].mount, r);
		if (access(p, F_OK) == 0)
			CHECK(nm("v1 memsw limit equals memory limit"),
			      file_is(L.memory, r, "memory.memsw.limit_in_bytes",
				      "67108864"));
	} else if (L.memory >= 0) {
		CHECK(nm("v2 memory.max"),
		      file_is(L.memory, r, "memory.max", "67108864"));
		CHECK(nm("v2 memory.swap.max"),
		      file_is(L.memory, r, "memory.swap.max", "0"));
	}
	if (L.cpu >= 0 && !L.hier[L.cpu].v2) {
		CHECK(nm("v1 cpu.cfs_quota_us"),
		      file_is(L.cpu, r, "cpu.cfs_quota_us", "50000"));
		CHECK(nm("v1 cpu.cfs_period_us"),
		      file_is(L.cpu, r, "cpu.cfs_period_us", "100000"));
		CHECK(nm("v1 cpu.shares"), file_is(L.cpu, r, "cpu.shares", "512"));
	} else if (L.cpu >= 0) {
		CHECK(nm("v2 cpu.max"),
		      file_is(L.cpu, r, "cpu.max", "50000 100000"));
		char w[32];
		snprintf(w, sizeof w, "%llu",
			 (unsigned long long)cg_shares_to_weight(512));
		CHECK(nm("v2 cpu.weight"), file_is(L.cpu, r, "cpu.weight", w));
	}
	if (L.pids >= 0)
		CHECK(nm("pids.max"), file_is(L.pids, r, "pids.max", "300"));
	struct cg_counters c;
	CHECK(nm("counters of an empty cgroup"),
	      cg_read_counters(&L, r, &c, NULL) == 0 && c.pids == 0 &&
		      c.mem_limit == (64u << 20));
	CHECK(nm("empty cgroup is empty"), cg_empty(&L, r));
	CHECK(nm("destroy"), cg_destroy(&L, r, &err) == 0);
	CHECK(nm("destroy leaves no directory"), gone_everywhere(r));
	CHECK(nm("exists after destroy"), !cg_exists(&L, r));

	/* a limit the kernel refuses rolls everything back */
	struct cg_limits bad = {.cpu_quota_us = 500, .cpu_period_us = 100000};
	CHECK(nm("bad limit fails"), cg_create(&L, r, &bad, &err) < 0);
	CHECK(nm("bad limit leaves nothing"), gone_everywhere(r));
	CHECK(nm("bad relpath refused"),
	      cg_create(&L, "../escape", NULL, &err) < 0 &&
		      cg_create(&L, "/abs", NULL, &err) < 0);
}

static void test_attach(void)
{
	char r[128];
	struct box_err err = {0};
	if (!make_cg(r, sizeof r, "attach", NULL, "attach", &err))
		return;
	pid_t pid = spawn(child_pause, NULL);
	int rc = cg_attach(&L, r, pid, &err);
	CHECK(nm("attach"), rc == 0);
	if (rc)
		printf("  %s\n", err.msg);
	CHECK(nm("attached pid in cg_pids"), in_pids(r, pid));
	CHECK(nm("/proc/pid/cgroup names the cgroup everywhere"),
	      proc_cgroup_has(pid, r));
	CHECK(nm("not empty with a process"), !cg_empty(&L, r));
	struct cg_counters c;
	CHECK(nm("counters see the task"),
	      cg_read_counters(&L, r, &c, NULL) == 0 && c.pids == 1 &&
		      c.mem_limit == 0);
	CHECK(nm("destroy of a busy cgroup fails"),
	      cg_destroy(&L, r, &err) < 0 && cg_exists(&L, r));
	kill(pid, SIGTERM);
	int st;
	reap(pid, &st);
	CHECK(nm("empty after exit"), cg_empty(&L, r));
	CHECK(nm("destroy after exit"), cg_destroy(&L, r, &err) == 0 &&
						   gone_everywhere(r));
}

/* The child joins by itself: "0" into v1 tasks files, and with clone3's
 * CLONE_INTO_CGROUP for the unified hierarchy. */
static const char *self_rel;
static int self_pipe;
static void child_self(void *arg)
{
	bool skip_unified = arg != NULL;
	int r = cg_attach_self(&L, self_rel, skip_unified);
	char c = r == 0 ? 'y' : 'n';
	if (write(self_pipe, &c, 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

/* The same through the join files its parent opened (cg_open_join) and
 * sent over a socket, after the child's root moved away from
 * /sys/fs/cgroup (as a container's does before it joins). */
static char self_chroot[64];
static int self_sock;
static void child_self_at(void *arg)
{
	(void)arg;
	int fds[CG_MAX_HIER], n = -1, r = 0;
	char byte;
	if (chroot(self_chroot) < 0 || chdir("/") < 0)
		r = -errno;
	if (r == 0 && (n = util_recv_fds(self_sock, &byte, fds, CG_MAX_HIER)) < 0)
		r = -errno;
	if (r == 0)
		r = cg_join(fds, n);
	char c = r == 0 && byte == 'g' ? 'y' : 'n';
	if (write(self_pipe, &c, 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

static void test_attach_self_at(void)
{
	char r[128];
	struct box_err err = {0};
	if (!make_cg(r, sizeof r, "selfat", NULL, "attach_self_at", &err))
		return;
	int pfd[2], sv[2];
	snprintf(self_chroot, sizeof self_chroot, "/tmp/boxtop-chroot.XXXXXX");
	if (!mkdtemp(self_chroot) || pipe2(pfd, O_CLOEXEC) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return;
	self_rel = r;
	self_pipe = pfd[1];
	self_sock = sv[1];
	pid_t pid = spawn(child_self_at, NULL);
	int fds[CG_MAX_HIER];
	int n = cg_open_join(&L, r, false, fds, &err);
	CHECK(nm("cg_open_join: a file in every hierarchy"), n == L.n_hier);
	CHECK(nm("sent to the child"),
	      n > 0 && util_send_fds(sv[0], 'g', fds, n) == 0);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	char c = 0;
	CHECK(nm("cg_join after chroot"),
	      read(pfd[0], &c, 1) == 1 && c == 'y');
	CHECK(nm("joined through descriptors: in every hierarchy"),
	      proc_cgroup_has(pid, r));
	close(sv[0]);
	close(sv[1]);
	kill(pid, SIGKILL);
	reap(pid, NULL);
	close(pfd[0]);
	close(pfd[1]);
	rmdir(self_chroot);
	CHECK(nm("destroy after cg_join"),
	      cg_destroy(&L, r, &err) == 0 && gone_everywhere(r));
}

static void test_attach_self(void)
{
	char r[128];
	struct box_err err = {0};
	if (!make_cg(r, sizeof r, "self", NULL, "attach_self", &err))
		return;
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return;
	self_rel = r;
	self_pipe = pfd[1];
	pid_t pid = spawn(child_self, NULL);
	char c = 0;
	CHECK(nm("cg_attach_self in the child"),
	      read(pfd[0], &c, 1) == 1 && c == 'y');
	CHECK(nm("self-attached child in cg_pids"), in_pids(r, pid));
	CHECK(nm("self-attached child everywhere in /proc/pid/cgroup"),
	      proc_cgroup_has(pid, r));
	kill(pid, SIGKILL);
	reap(pid, NULL);

	if (L.unified >= 0) {
		int cfd = cg_clone_fd(&L, r, &err);
		CHECK(nm("cg_clone_fd"), cfd >= 0);
		struct clone_args ca = {.flags = CLONE_INTO_CGROUP,
					.exit_signal = SIGCHLD,
					.cgroup = (uint64_t)cfd};
		pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
		if (pid == 0)
			child_self((void *)1);
		if (pid > 0)
			kids[n_kids++] = pid;
		close(cfd);
		if (pid < 0 && errno == ENOSYS) {
			/* valgrind does not implement clone3 */
			printf("SKIP: real: clone3 into the cgroup - no clone3\n");
			goto out;
		}
		CHECK(nm("clone3 into the cgroup + attach_self"),
		      pid > 0 && read(pfd[0], &c, 1) == 1 && c == 'y');
		CHECK(nm("cloned child everywhere in /proc/pid/cgroup"),
		      pid > 0 && proc_cgroup_has(pid, r));
		if (pid > 0) {
			kill(pid, SIGKILL);
			reap(pid, NULL);
		}
	}
out:
	close(pfd[0]);
	close(pfd[1]);
	CHECK(nm("destroy after attach_self"), cg_destroy(&L, r, &err) == 0);
}

static uint64_t cpu_of(const char *r)
{
	struct cg_counters c = {0};
	cg_read_counters(&L, r, &c, NULL);
	return c.cpu_ns;
}

static void test_freeze(void)
{
	char r[128];
	struct box_err err = {0};
	if (!make_cg(r, sizeof r, "freeze", NULL, "freeze", &err))
		return;
	pid_t pid = spawn(child_spin, NULL);
	cg_attach(&L, r, pid, &err);
	nap_ms(50);
	uint64_t a = cpu_of(r);
	nap_ms(150);
	uint64_t b = cpu_of(r);
	CHECK(nm("busy child's CPU advances"), b > a);
	CHECK(nm("not frozen before"), cg_is_frozen(&L, r) == 0);
	int rc = cg_freeze(&L, r, true, &err);
	CHECK(nm("freeze"), rc == 0);
	if (rc)
		printf("  %s\n", err.msg);
	CHECK(nm("is_frozen after freeze"), cg_is_frozen(&L, r) == 1);
	a = cpu_of(r);
	nap_ms(150);
	b = cpu_of(r);
	CHECK(nm("frozen child's CPU stands still"), a == b && a > 0);
	rc = cg_freeze(&L, r, false, &err);
	CHECK(nm("thaw"), rc == 0);
	CHECK(nm("not frozen after thaw"), cg_is_frozen(&L, r) == 0);
	a = cpu_of(r);
	nap_ms(150);
	b = cpu_of(r);
	CHECK(nm("thawed child's CPU advances again"), b > a);

	/* SIGKILL reaches a frozen cgroup too */
	cg_freeze(&L, r, true, NULL);
	rc = cg_kill(&L, r, SIGKILL, &err);
	CHECK(nm("kill of a frozen cgroup"), rc == 0 && cg_empty(&L, r));
	if (rc)
		printf("  %s\n", err.msg);
	int st;
	reap(pid, &st);
	CHECK(nm("frozen child died of SIGKILL"),
	      WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	cg_freeze(&L, r, false, NULL);
	CHECK(nm("destroy after freeze test"), cg_destroy(&L, r, &err) == 0);
}

static void test_kill(void)
{
	char r[128];
	struct box_err err = {0};
	if (!make_cg(r, sizeof r, "kill", NULL, "kill", &err))
		return;
	enum { N = 200 };
	pid_t pids[N];
	bool attached = true;
	for (int i = 0; i < N; i++) {
		pids[i] = spawn(child_pause, NULL);
		attached &= pids[i] > 0 && cg_attach(&L, r, pids[i], &err) == 0;
	}
	CHECK(nm("200 children attached"), attached);
	pid_t *list;
	size_t n = 0;
	if (cg_pids(&L, r, &list, &n, &err) == 0)
		free(list);
	CHECK(nm("cg_pids lists 200"), n == N);

	/* SIGTERM: every listed process gets it */
	pid_t one = pids[0];
	(void)one;
	double ms;
	int rc = timed_kill(r, &ms, &err);
	CHECK(nm("cg_kill of 200"), rc == 0);
	if (rc)
		printf("  %s\n", err.msg);
	CHECK(nm("empty after cg_kill"), cg_empty(&L, r));
	printf("  cg_kill of %d processes: %.2f ms\n", N, ms);
	int killed = 0;
	for (int i = 0; i < N; i++) {
		int st;
		reap(pids[i], &st);
		killed += WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
	}
	CHECK(nm("all 200 died of SIGKILL"), killed == N);

	/* other signals go to every listed pid */
	pid_t a = spawn(child_pause, NULL), b = spawn(child_pause, NULL);
	cg_attach(&L, r, a, NULL);
	cg_attach(&L, r, b, NULL);
	CHECK(nm("cg_kill SIGTERM"), cg_kill(&L, r, SIGTERM, &err) == 0);
	int sa, sb;
	reap(a, &sa);
	reap(b, &sb);
	CHECK(nm("SIGTERM reached both"),
	      WIFSIGNALED(sa) && WTERMSIG(sa) == SIGTERM && WIFSIGNALED(sb) &&
		      WTERMSIG(sb) == SIGTERM);
	CHECK(nm("cg_kill of a missing cgroup says so"),
	      cg_kill(&L, "boxtop-test-none/x", SIGKILL, &err) < 0 &&
		      err.kind == BOX_ENOENT);
	CHECK(nm("destroy after kill"),
	      cg_destroy(&L, r, &err) == 0 && gone_everywhere(r));
}

/* A leader that forks n-1 more children inside the cgroup (a small fork
 * bomb that stops at n), then waits. */
static int bomb_n;
static void child_bomb(void *arg)
{
	(void)arg;
	for (int i = 1; i < bomb_n; i++)
		if (fork() == 0)
			for (;;)
				pause();
	for (;;)
		pause();
}

static void test_bomb(void)
{
	char r[128];
	struct box_err err = {0};
	if (!make_cg(r, sizeof r, "bomb", NULL, "bomb", &err))
		return;
	bomb_n = 1000;
	pid_t leader;
	if (!spawn_gated(child_bomb, r, &leader, &err))
		return;
	struct cg_counters c = wait_pids(r, (uint64_t)bomb_n, 1000);
	CHECK(nm("1000 processes in the cgroup"), c.pids == (uint64_t)bomb_n);
	double ms;
	int rc = timed_kill(r, &ms, &err);
	CHECK(nm("cg_kill of 1000 empties the cgroup"),
	      rc == 0 && cg_empty(&L, r));
	printf("  cg_kill of %d processes: %.2f ms\n", bomb_n, ms);
	int st;
	reap(leader, &st);
	CHECK(nm("destroy after bomb"),
	      cg_destroy(&L, r, &err) == 0 && gone_everywhere(r));
}

/* Every process forks for ever; pids.max is all that holds it. */
static void child_runaway(void *arg)
{
	(void)arg;
	for (;;)
		fork();
}

static void test_runaway(void)
{
	char r[128];
	struct box_err err = {0};
	struct cg_limits lim = {.pids = 200};
	if (!make_cg(r, sizeof r, "runaway", &lim, "runaway fork bomb", &err))
		return;
	pid_t leader;
	if (!spawn_gated(child_runaway, r, &leader, &err))
		return;
	struct cg_counters c = wait_pids(r, 150, 500);
	CHECK(nm("runaway fork bomb grows"), c.pids >= 150);
	double ms;
	int rc = timed_kill(r, &ms, &err);
	CHECK(nm("cg_kill stops a runaway fork bomb"), rc == 0 && cg_empty(&L, r));
	if (rc)
		printf("  %s\n", err.msg);
	printf("  cg_kill of a runaway fork bomb (%llu processes): %.2f ms\n",
	       (unsigned long long)c.pids, ms);
	reap(leader, NULL);
	CHECK(nm("destroy after runaway"),
	      cg_destroy(&L, r, &err) == 0 && gone_everywhere(r));
}

static void child_hog(void *arg)
{
	(void)arg;
	size_t len = 256 << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(2);
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	_exit(0);
}

static void test_oom(void)
{
	char r[128];
	struct box_err err = {0};
	struct cg_limits lim = {.memory = 32 << 20};
	if (L.memory < 0) {
		CHECK(nm("create for oom"), 0);
		return;
	}
	if (!make_cg(r, sizeof r, "oom", &lim, "oom", &err))
		return;
	struct cg_counters c0 = {0}, c1 = {0};
	cg_read_counters(&L, r, &c0, NULL);
	pid_t pid;
	if (!spawn_gated(child_hog, r, &pid, &err))
		return;
	int st;
	reap(pid, &st);
	CHECK(nm("over the memory limit is OOM-killed"),
	      WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	cg_read_counters(&L, r, &c1, NULL);
	CHECK(nm("oom_kills counter rises"), c1.oom_kills > c0.oom_kills);
	CHECK(nm("destroy after oom"),
	      cg_destroy(&L, r, &err) == 0 && gone_everywhere(r));
}

/* L = this host as a kernel before 5.2 sees it (every role a v1
 * hierarchy has stays there), minus the unified hierarchy; false when
 * that leaves no freezer. */
static bool v1_view(void)
{
	struct cg_layout v;
	if (cg_detect_with(&v, "/proc/self/mountinfo", "", false, NULL) < 0 ||
	    v.unified < 0 || v.freezer < 0 || v.hier[v.freezer].v2)
		return false;
	int u = v.unified;
	for (int i = u; i + 1 < v.n_hier; i++)
		v.hier[i] = v.hier[i + 1];
	v.n_hier--;
	int *roles[] = {&v.cpu,  &v.cpuacct, &v.memory, &v.pids,
			&v.freezer, &v.blkio, &v.devices};
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (*roles[i] == u)
			*roles[i] = -1;
		else if (*roles[i] > u)
			(*roles[i])--;
	v.unified = -1;
	v.mode = CG_V1;
	L = v;
	return true;
}

int main(void)
{
	if (geteuid() != 0) {
		printf("SKIP: cgroup real tests - need root\n");
		return 0;
	}
	struct box_err err = {0};
	int rc = cg_detect(&HOST, "/proc/self/mountinfo", &err);
	L = HOST;
	CHECK(nm("detect this host"), rc == 0);
	if (rc) {
		printf("  %s\n", err.msg);
		UNIT_DONE();
	}
	snprintf(prefix, sizeof prefix, "boxtop-test-%d", (int)getpid());
	atexit(cleanup);
	test_limits();
	test_attach();
	test_attach_self();
	test_attach_self_at();
	test_freeze();
	test_kill();
	test_bomb();
	test_oom();
	test_runaway();
	/* The same host seen without its cgroup2 hierarchy, as a pure v1 host
	 * is: freezing through freezer.state and killing without cgroup.kill
	 * (freeze, signal, thaw, repeat) on the real kernel. */
	if (v1_view()) {
		tag = "real v1-view";
		test_attach();
		test_freeze();
		test_kill();
		test_bomb();
		test_runaway();
		L = HOST;
		tag = "real";
	}
	cleanup();
	CHECK(nm("prefix removed everywhere"), gone_everywhere(prefix));
	UNIT_DONE();
}
