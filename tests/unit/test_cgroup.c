/* test_cgroup.c - cgroup layout detection and counter parsing on fixture
 * files (tests/fixtures/cgroup: layouts this VM does not have), plus the
 * pure conversions.  The real-kernel tests are in test_cgroup_real.c. */
#include "cgroup.h"
#include "unit.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char fix[PATH_MAX + 64]; /* tests/fixtures/cgroup of this checkout */

/* The binary is <repo>/<build>/tests/unit/test_cgroup. */
static void find_fixtures(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	for (int i = 0; i < 4; i++) {
		char *s = strrchr(exe, '/');
		if (s)
			*s = '\0';
	}
	snprintf(fix, sizeof fix, "%s/tests/fixtures/cgroup", exe);
}

/* core_v2: 1 or 0 forces cg_detect_with's choice, -1 is this kernel's */
static int detect_v2(struct cg_layout *l, const char *name, bool rooted,
		     int core_v2, struct box_err *err)
{
	char mi[PATH_MAX + 128], root[PATH_MAX + 128];
	snprintf(mi, sizeof mi, "%s/%s/mountinfo", fix, name);
	snprintf(root, sizeof root, "%s/%s/root", fix, name);
	return core_v2 < 0 ? cg_detect_at(l, mi, rooted ? root : "", err)
			   : cg_detect_with(l, mi, rooted ? root : "", core_v2,
					    err);
}

static int detect(struct cg_layout *l, const char *name, bool rooted,
		  struct box_err *err)
{
	return detect_v2(l, name, rooted, -1, err);
}

static const char *mount_of(const struct cg_layout *l, int role)
{
	return role >= 0 ? l->hier[role].mount : "(none)";
}

static void test_v2(void)
{
	struct cg_layout l;
	struct box_err err = {0};
	CHECK("v2: detect", detect(&l, "v2", false, &err) == 0);
	CHECK("v2: mode", l.mode == CG_V2);
	CHECK("v2: one hierarchy (bind mount of a sub-cgroup ignored)",
	      l.n_hier == 1 && l.unified == 0);
	CHECK_STR("v2: mount", mount_of(&l, l.unified), "/sys/fs/cgroup");
	/* without the fixture root there is no cgroup.controllers to read:
	 * only the controller-less roles are filled */
	CHECK("v2: no controllers without cgroup.controllers",
	      l.memory < 0 && l.pids < 0 && l.cpu < 0 && l.blkio < 0 &&
		      l.cpuacct == 0 && l.freezer == 0);
	CHECK("v2: devices on cgroup2 (a device program needs no controller)",
	      l.devices == 0);

	CHECK("v2 rooted: detect", detect(&l, "v2", true, &err) == 0);
	CHECK("v2 rooted: every role on the one hierarchy",
	      l.cpu == 0 && l.cpuacct == 0 && l.memory == 0 && l.pids == 0 &&
		      l.blkio == 0 && l.freezer == 0 && l.unified == 0);
	CHECK_STR("v2 rooted: controllers to enable", l.hier[0].controllers,
		  "cpu,memory,pids,io");
	CHECK("v2 rooted: mount under the root",
	      strstr(l.hier[0].mount, "/v2/root/sys/fs/cgroup") != NULL);

	CHECK("v2partial: detect", detect(&l, "v2partial", true, &err) == 0);
	CHECK("v2partial: only cpu and pids",
	      l.cpu == 0 && l.pids == 0 && l.memory < 0 && l.blkio < 0);
	CHECK_STR("v2partial: controllers", l.hier[0].controllers, "cpu,pids");
}

static void test_v1(void)
{
	struct cg_layout l;
	struct box_err err = {0};
	CHECK("v1: detect", detect(&l, "v1", false, &err) == 0);
	CHECK("v1: mode", l.mode == CG_V1);
	CHECK("v1: no unified", l.unified < 0);
	CHECK("v1: cpu and cpuacct co-mounted", l.cpu >= 0 && l.cpu == l.cpuacct);
	CHECK_STR("v1: co-mounted controllers", l.hier[l.cpu].controllers,
		  "cpu,cpuacct");
	CHECK_STR("v1: cpu mount", mount_of(&l, l.cpu),
		  "/sys/fs/cgroup/cpu,cpuacct");
	CHECK_STR("v1: memory mount (first mount wins)", mount_of(&l, l.memory),
		  "/sys/fs/cgroup/memory");
	CHECK_STR("v1: pids mount", mount_of(&l, l.pids), "/sys/fs/cgroup/pids");
	CHECK_STR("v1: freezer mount", mount_of(&l, l.freezer),
		  "/sys/fs/cgroup/freezer");
	CHECK_STR("v1: blkio mount", mount_of(&l, l.blkio),
		  "/sys/fs/cgroup/blkio");
	CHECK_STR("v1: devices mount", mount_of(&l, l.devices),
		  "/sys/fs/cgroup/devices");
	CHECK("v1: only used hierarchies (no systemd, cpuset...)",
	      l.n_hier == 6);
}

static void test_hybrid(void)
{
	struct cg_layout l;
	struct box_err err = {0};
	/* a kernel before 5.2: every role a v1 hierarchy has stays there */
	CHECK("hybrid: detect", detect_v2(&l, "hybrid", true, 0, &err) == 0);
	CHECK("hybrid: mode", l.mode == CG_HYBRID);
	CHECK("hybrid: cpu and cpuacct separate",
	      l.cpu >= 0 && l.cpuacct >= 0 && l.cpu != l.cpuacct);
	CHECK("hybrid: unified present", l.unified >= 0 && l.hier[l.unified].v2);
	CHECK("hybrid: controllers from v1, not the unified mount",
	      l.memory != l.unified && l.pids != l.unified &&
		      l.blkio != l.unified && l.freezer != l.unified &&
		      !l.hier[l.memory].v2);
	CHECK_STR("hybrid: unified enables nothing (only hugetlb there)",
		  l.hier[l.unified].controllers, "");
	CHECK("hybrid: unified mount",
	      strstr(l.hier[l.unified].mount, "/sys/fs/cgroup/unified") != NULL);
	CHECK("hybrid: cpu, cpuacct, memory, pids, freezer, blkio, devices + "
	      "unified",
	      l.n_hier == 8 && l.n_legacy == 0);
	CHECK("hybrid: devices from v1 (rules as files, no program)",
	      l.devices >= 0 && !l.hier[l.devices].v2 &&
		      strstr(l.hier[l.devices].mount, "/devices") != NULL);
	/* 5.2 and later: CPU usage and freezing from cgroup2, whose cpu.stat
	 * and cgroup.freeze need no controller; cpuacct and freezer are then
	 * only cleared on removal */
	CHECK("hybrid 5.2+: detect", detect_v2(&l, "hybrid", true, 1, &err) == 0);
	CHECK("hybrid 5.2+: CPU usage and freezing from the unified mount",
	      l.unified >= 0 && l.cpuacct == l.unified && l.freezer == l.unified);
	CHECK("hybrid 5.2+: the rest from v1",
	      l.cpu >= 0 && !l.hier[l.cpu].v2 && !l.hier[l.memory].v2 &&
		      !l.hier[l.pids].v2 && !l.hier[l.blkio].v2);
	const char *cpu_mount = l.hier[l.cpu].mount, *want = "/sys/fs/cgroup/cpu";
	CHECK("hybrid 5.2+: cpu mount",
	      strlen(cpu_mount) >= strlen(want) &&
		      !strcmp(cpu_mount + strlen(cpu_mount) - strlen(want), want));
	CHECK("hybrid 5.2+: cpu, memory, pids, blkio, devices + unified",
	      l.n_hier == 6 && l.devices >= 0 && !l.hier[l.devices].v2);
	CHECK("hybrid 5.2+: cpuacct and freezer kept for removal",
	      l.n_legacy == 2 && strstr(l.legacy[0].mount, "cpuacct") &&
		      strstr(l.legacy[1].mount, "freezer"));
}

static void test_odd(void)
{
	struct cg_layout l;
	struct box_err err = {0};
	CHECK("escaped: detect", detect(&l, "escaped", false, &err) == 0);
	CHECK_STR("escaped: \\040 is a space", l.hier[0].mount,
		  "/run/my cgroups");
	CHECK("none: fails", detect(&l, "none", false, &err) < 0);
	CHECK("none: says why", strstr(err.msg, "no cgroup") != NULL);
	CHECK("missing mountinfo fails",
	      cg_detect(&l, "/nonexistent/mountinfo", &err) < 0 &&
		      err.kind == BOX_ENOENT);
}

static void test_counters(void)
{
	struct cg_layout l;
	struct box_err err = {0};
	struct cg_counters c;
	detect(&l, "v2", true, &err);
	CHECK("v2 counters: read", cg_read_counters(&l, "boxtop/web", &c, &err) == 0);
	CHECK("v2 counters: cpu_ns from usage_usec", c.cpu_ns == 1234567000ULL);
	CHECK("v2 counters: memory.current", c.mem_bytes == 52428800);
	CHECK("v2 counters: memory.max max -> 0", c.mem_limit == 0);
	CHECK("v2 counters: pids.current", c.pids == 3);
	CHECK("v2 counters: io.stat rbytes summed", c.blk_read == 1030);
	CHECK("v2 counters: io.stat wbytes summed", c.blk_write == 2040);
	CHECK("v2 counters: oom_kill (not oom_group_kill)", c.oom_kills == 1);
	CHECK("v2 counters: db limit",
	      cg_read_counters(&l, "boxtop/db", &c, &err) == 0 &&
		      c.mem_limit == 268435456 && c.blk_read == 0 &&
		      c.oom_kills == 0);
	CHECK("v2 counters: missing cgroup fails",
	      cg_read_counters(&l, "boxtop/nope", &c, &err) < 0);

	struct cg_handle h;
	CHECK("v2 handle: open", cg_open(&l, "boxtop/web", &h, &err) == 0);
	struct cg_counters a, b;
	CHECK("v2 handle: read twice gives the same",
	      cg_handle_read(&h, &a, &err) == 0 &&
		      cg_handle_read(&h, &b, &err) == 0 &&
		      !memcmp(&a, &b, sizeof a) && a.cpu_ns == 1234567000ULL &&
		      a.blk_write == 2040);
	cg_close(&h);

	pid_t *pids;
	size_t n;
	CHECK("v2 fixture: cg_pids",
	      cg_pids(&l, "boxtop/web", &pids, &n, &err) == 0 && n == 3 &&
		      pids[0] == 101 && pids[2] == 103);
	free(pids);
	CHECK("v2 fixture: populated 1 is not empty", !cg_empty(&l, "boxtop/web"));
	CHECK("v2 fixture: populated 0 is empty", cg_empty(&l, "boxtop/db"));
	CHECK("v2 fixture: frozen from cgroup.events",
	      cg_is_frozen(&l, "boxtop/web") == 0 &&
		      cg_is_frozen(&l, "boxtop/db") == 1);
	CHECK("v2 fixture: exists", cg_exists(&l, "boxtop/web") &&
					    !cg_exists(&l, "boxtop/nope"));

	detect(&l, "v1", true, &err);
	CHECK("v1 counters: read", cg_read_counters(&l, "boxtop/web", &c, &err) == 0);
	CHECK("v1 counters: cpuacct.usage", c.cpu_ns == 987654321ULL);
	CHECK("v1 counters: usage_in_bytes", c.mem_bytes == 1048576);
	CHECK("v1 counters: unlimited limit -> 0", c.mem_limit == 0);
	CHECK("v1 counters: pids.current", c.pids == 7);
	CHECK("v1 counters: blkio Read lines summed", c.blk_read == 4196);
	CHECK("v1 counters: blkio Write lines summed", c.blk_write == 8392);
	CHECK("v1 counters: oom_control oom_kill", c.oom_kills == 3);
	CHECK("v1 fixture: freezer.state FROZEN", cg_is_frozen(&l, "boxtop/web") == 1);
	CHECK("v1 fixture: cg_pids from freezer",
	      cg_pids(&l, "boxtop/web", &pids, &n, &err) == 0 && n == 2 &&
		      pids[1] == 202);
	free(pids);
}

/* Overwrite a file of a fixture copy (pread at 0 then sees the new text). */
static void put(const char *dir, const char *rel, const char *text)
{
	char p[PATH_MAX * 2];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	FILE *f = fopen(p, "we");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* A kept-open handle on copies of the fixtures: the freezer file it picks,
 * and the v1 block counters re-read only after CPU time was used. */
static void test_handle_fixture(void)
{
	char tmp[] = "/tmp/boxtop-cgfix.XXXXXX";
	if (!mkdtemp(tmp)) {
		CHECK("handle fixture copy", 0);
		return;
	}
	char cmd[sizeof fix * 4 + 256], mi[PATH_MAX];
	snprintf(cmd, sizeof cmd,
		 "cp -a '%s/v1/root' '%s/v1' && cp '%s/v1/mountinfo' '%s/v1.mi' && "
		 "cp -a '%s/v2/root' '%s/v2' && cp '%s/v2/mountinfo' '%s/v2.mi'",
		 fix, tmp, fix, tmp, fix, tmp, fix, tmp);
	CHECK("handle fixture copy", system(cmd) == 0);
	struct cg_layout l;
	struct box_err err = {0};
	struct cg_handle h;
	struct cg_counters c;
	char root[PATH_MAX];

	snprintf(mi, sizeof mi, "%s/v1.mi", tmp);
	snprintf(root, sizeof root, "%s/v1", tmp);
	CHECK("v1 handle: open", cg_detect_at(&l, mi, root, &err) == 0 &&
					 cg_open(&l, "boxtop/web", &h, &err) == 0);
	CHECK("v1 handle: freezer.state, no change signal",
	      h.frz_fd >= 0 && !h.frz_notifies && cg_handle_frozen(&h) == 1);
	CHECK("v1 handle: first read", cg_handle_read(&h, &c, &err) == 0 &&
					       c.blk_write == 8392);
	const char *blk = "v1/sys/fs/cgroup/blkio/boxtop/web/"
			  "blkio.throttle.io_service_bytes_recursive";
	put(tmp, blk, "8:0 Read 5000\n8:0 Write 9000\nTotal 14000\n");
	CHECK("v1 handle: no CPU used, block counters kept",
	      cg_handle_read(&h, &c, &err) == 0 && c.blk_read == 4196 &&
		      c.blk_write == 8392);
	put(tmp, "v1/sys/fs/cgroup/cpu,cpuacct/boxtop/web/cpuacct.usage",
	    "987654999\n");
	CHECK("v1 handle: CPU used, block counters re-read",
	      cg_handle_read(&h, &c, &err) == 0 && c.blk_read == 5000 &&
		      c.blk_write == 9000);
	put(tmp, "v1/sys/fs/cgroup/freezer/boxtop/web/freezer.state", "THAWED\n");
	CHECK("v1 handle: freezer re-read", cg_handle_frozen(&h) == 0);
	cg_close(&h);
	CHECK("v1 handle: closed", h.frz_fd == -1 && h.fd[CGF_IO] == -1);

	snprintf(mi, sizeof mi, "%s/v2.mi", tmp);
	snprintf(root, sizeof root, "%s/v2", tmp);
	CHECK("v2 handle: open", cg_detect_at(&l, mi, root, &err) == 0 &&
					 cg_open(&l, "boxtop/web", &h, &err) == 0);
	CHECK("v2 handle: cgroup.events, signals changes",
	      h.frz_fd >= 0 && h.frz_notifies && cg_handle_frozen(&h) == 0);
	CHECK("v2 handle: first read", cg_handle_read(&h, &c, &err) == 0 &&
					       c.blk_write == 2040);
	put(tmp, "v2/sys/fs/cgroup/boxtop/web/io.stat",
	    "8:0 rbytes=1 wbytes=3000 rios=1 wios=1\n");
	CHECK("v2 handle: io.stat re-read without CPU (writeback is charged)",
	      cg_handle_read(&h, &c, &err) == 0 && c.blk_write == 3000);
	cg_close(&h);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	CHECK("handle fixture removed", system(cmd) == 0);
}

/* cg_create on a copy of the v2 fixture: controllers enabled in the parent,
 * and a failure rolls back what it made. */
static void test_create_fixture(void)
{
	char tmp[] = "/tmp/boxtop-cgfix.XXXXXX";
	if (!mkdtemp(tmp)) {
		CHECK("fixture copy", 0);
		return;
	}
	char cmd[PATH_MAX * 4];
	snprintf(cmd, sizeof cmd, "cp -a '%s/v2/root/.' '%s/' && cp '%s/v2/mountinfo' '%s/'",
		 fix, tmp, fix, tmp);
	CHECK("fixture copy", system(cmd) == 0);
	struct cg_layout l;
	struct box_err err = {0};
	char mi[PATH_MAX];
	snprintf(mi, sizeof mi, "%s/mountinfo", tmp);
	CHECK("fixture create: detect", cg_detect_at(&l, mi, tmp, &err) == 0);
	/* the prefix exists (with its cgroup.subtree_control); the leaf is new */
	CHECK("fixture create: leaf under an existing prefix",
	      cg_create(&l, "boxtop/new", NULL, &err) == 0);
	char p[PATH_MAX * 2], buf[256] = "";
	snprintf(p, sizeof p, "%s/sys/fs/cgroup/boxtop/cgroup.subtree_control",
		 tmp);
	FILE *f = fopen(p, "re");
	if (f) {
		if (!fgets(buf, sizeof buf, f))
			buf[0] = '\0';
		fclose(f);
	}
	CHECK_STR("fixture create: controllers enabled in the parent", buf,
		  "+cpu +memory +pids +io");
	CHECK("fixture create: destroy", cg_destroy(&l, "boxtop/new", &err) == 0 &&
						 !cg_exists(&l, "boxtop/new"));
	/* a limit file the fake tree lacks: fails, leaf removed again */
	struct cg_limits lim = {.memory = 1 << 20};
	CHECK("fixture create: failing limit fails",
	      cg_create(&l, "boxtop/new", &lim, &err) < 0);
	CHECK("fixture create: error names the file",
	      strstr(err.msg, "memory.max") != NULL);
	CHECK("fixture create: failure leaves no leaf", !cg_exists(&l, "boxtop/new"));
	/* a new prefix gets no cgroup.subtree_control on a plain fs: the
	 * whole new chain goes again */
	CHECK("fixture create: failing parent fails",
	      cg_create(&l, "other/deep/leaf", NULL, &err) < 0);
	struct stat st;
	snprintf(p, sizeof p, "%s/sys/fs/cgroup/other", tmp);
	CHECK("fixture create: failure removes the parents it made",
	      stat(p, &st) < 0);
	CHECK("fixture create: prefix kept while in use",
	      cg_destroy_prefix(&l, "boxtop", &err) == 0 &&
		      cg_exists(&l, "boxtop"));
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	CHECK("fixture cleanup", system(cmd) == 0);
}

static void test_conversions(void)
{
	int64_t q, p;
	cg_cpus_to_quota(0.5, &q, &p);
	CHECK("cpus 0.5 -> 50000/100000", q == 50000 && p == 100000);
	cg_cpus_to_quota(2, &q, &p);
	CHECK("cpus 2 -> 200000/100000", q == 200000 && p == 100000);
	cg_cpus_to_quota(1.25, &q, &p);
	CHECK("cpus 1.25 -> 125000", q == 125000);
	cg_cpus_to_quota(0.001, &q, &p);
	CHECK("cpus 0.001 -> kernel minimum 1000", q == 1000);
	cg_cpus_to_quota(0, &q, &p);
	CHECK("cpus 0 -> no quota", q == 0);
	CHECK("shares 2 -> weight 1", cg_shares_to_weight(2) == 1);
	CHECK("shares 1024 -> weight 39", cg_shares_to_weight(1024) == 39);
	CHECK("shares 262144 -> weight 10000", cg_shares_to_weight(262144) == 10000);
	CHECK("shares 0 -> unset", cg_shares_to_weight(0) == 0);
}

int main(void)
{
	find_fixtures();
	test_v2();
	test_v1();
	test_hybrid();
	test_odd();
	test_counters();
	test_create_fixture();
	test_handle_fixture();
	test_conversions();
	UNIT_DONE();
}
