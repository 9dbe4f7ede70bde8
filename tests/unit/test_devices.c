/* test_devices.c - the device allow-list: rule parsing and formatting, the
 * cgroup2 program generator (run here by a small interpreter against the
 * rule semantics, every request shape), and both enforcements on this
 * machine's real kernel: a BPF program attached to a test cgroup under the
 * cgroup2 mount, and the v1 devices hierarchy.  A forked child joins the
 * test cgroup, makes nodes in a tmpfs of its own mount namespace (never
 * the host's /dev) and tries to open them; both backends must agree. */
#include "devices.h"
#include "unit.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- parsing and formatting ------------------------------------------------ */

static void test_parse(void)
{
	unsigned a;
	CHECK("access rwm", dev_access_parse("rwm", &a) == 0 && a == DEV_ACC_ALL);
	CHECK("access mr", dev_access_parse("mr", &a) == 0 &&
				   a == (DEV_ACC_M | DEV_ACC_R));
	CHECK("access empty refused", dev_access_parse("", &a) < 0);
	CHECK("access twice refused", dev_access_parse("rr", &a) < 0);
	CHECK("access x refused", dev_access_parse("rx", &a) < 0);
	char s[8];
	dev_access_str(DEV_ACC_M | DEV_ACC_W, s);
	CHECK_STR("access string order", s, "wm");

	struct dev_rule *r;
	size_t n;
	struct box_err err = {0};
	CHECK("no key: the defaults",
	      dev_rules_parse(NULL, &r, &n, &err) == 0 &&
		      n == dev_n_default_rules && !r[0].allow && r[0].type == 'a');
	char line[64];
	dev_rule_str(&r[1], line, sizeof line);
	CHECK_STR("defaults: mknod of any char node", line, "c *:* m");
	dev_rule_str(&r[n - 1], line, sizeof line);
	CHECK_STR("defaults: the pts", line, "c 136:* rwm");
	CHECK("defaults do not allow all", !dev_rules_allow_all(r, n));
	/* the OCI form and back */
	json_t *j = dev_rules_json(r, n);
	struct dev_rule *r2;
	size_t n2;
	CHECK("json round trip",
	      dev_rules_parse(j, &r2, &n2, &err) == 0 && n2 == n &&
		      !memcmp(r, r2, n * sizeof *r));
	CHECK("wildcards leave major/minor out",
	      !json_object_get(json_array_get(j, 0), "major") &&
		      json_integer_value(json_object_get(json_array_get(j, 3),
							 "minor")) == 3);
	json_decref(j);
	free(r2);
	free(r);

	j = json_loads("[{\"allow\":false,\"access\":\"rwm\"},"
		       "{\"allow\":true,\"type\":\"c\",\"major\":-1,\"access\":\"rwm\"}]",
		       0, NULL);
	CHECK("-1 is any, type a by default",
	      dev_rules_parse(j, &r, &n, &err) == 0 && n == 2 &&
		      r[0].type == 'a' && r[1].major == DEV_ANY &&
		      r[1].minor == DEV_ANY);
	free(r);
	json_decref(j);
	j = json_loads("[{\"allow\":true}]", 0, NULL);
	CHECK("allow a, no access: allows all",
	      dev_rules_parse(j, &r, &n, &err) == 0 && dev_rules_allow_all(r, n));
	free(r);
	json_decref(j);
	static const char *const bad[] = {
		"[{\"type\":\"c\"}]",                         /* no allow */
		"[{\"allow\":true,\"type\":\"x\"}]",          /* type */
		"[{\"allow\":true,\"major\":5000}]",          /* major range */
		"[{\"allow\":true,\"minor\":\"1\"}]",         /* not a number */
		"[{\"allow\":true,\"access\":\"rwx\"}]",      /* access */
		"{}",                                         /* not an array */
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		j = json_loads(bad[i], 0, NULL);
		err.msg[0] = '\0';
		CHECK(bad[i], dev_rules_parse(j, &r, &n, &err) < 0 &&
				      strstr(err.msg, "linux.resources.devices"));
		json_decref(j);
	}

	struct dev_node *d;
	j = json_loads("[{\"path\":\"/dev/xdisk\",\"type\":\"b\",\"major\":7,"
		       "\"minor\":3,\"fileMode\":416,\"uid\":1,\"gid\":6}]",
		       0, NULL);
	CHECK("node parsed",
	      dev_nodes_parse(j, &d, &n, &err) == 0 && n == 1 &&
		      !strcmp(d[0].path, "/dev/xdisk") &&
		      d[0].mode == (S_IFBLK | 0640) &&
		      d[0].dev == makedev(7, 3) && d[0].uid == 1 && d[0].gid == 6);
	dev_nodes_free(d, n);
	json_decref(j);
	j = json_loads("[{\"path\":\"dev/x\",\"type\":\"c\",\"major\":1,\"minor\":3}]",
		       0, NULL);
	CHECK("node: relative path refused", dev_nodes_parse(j, &d, &n, &err) < 0);
	json_decref(j);
	j = json_loads("[{\"path\":\"/dev/x\",\"type\":\"c\",\"major\":1}]", 0, NULL);
	CHECK("node: no minor refused", dev_nodes_parse(j, &d, &n, &err) < 0);
	json_decref(j);
}

/* ---- the generator, checked by interpretation ---------------------------- */

/* What the rules say for one request: the last matching rule decides. */
static bool reference(const struct dev_rule *r, size_t n, int type,
		      unsigned acc, unsigned ma, unsigned mi)
{
	for (size_t i = n; i > 0; i--) {
		const struct dev_rule *x = &r[i - 1];
		if (x->type != 'a' && (x->type == 'b') != (type == BPF_DEVCG_DEV_BLOCK))
			continue;
		if (x->major != DEV_ANY && x->major != ma)
			continue;
		if (x->minor != DEV_ANY && x->minor != mi)
			continue;
		if (x->allow ? (acc & ~x->access) != 0 : (acc & x->access) == 0)
			continue;
		return x->allow;
	}
	return false;
}

/* Just the instructions the generator uses; -1 on anything else. */
static int interpret(const struct bpf_insn *p, int len,
		     const struct bpf_cgroup_dev_ctx *ctx)
{
	uint64_t reg[11] = {0};
	for (int pc = 0; pc >= 0 && pc < len; pc++) {
		const struct bpf_insn *i = &p[pc];
		uint64_t *d = &reg[i->dst_reg];
		switch (i->code) {
		case BPF_LDX | BPF_MEM | BPF_W:
			if (i->src_reg != BPF_REG_1 || i->off < 0 || i->off > 8)
				return -1;
			*d = *(const uint32_t *)((const char *)ctx + i->off);
			break;
		case BPF_ALU64 | BPF_MOV | BPF_X: *d = reg[i->src_reg]; break;
		case BPF_ALU64 | BPF_MOV | BPF_K: *d = (uint64_t)(int64_t)i->imm; break;
		case BPF_ALU64 | BPF_AND | BPF_K: *d &= (uint64_t)(int64_t)i->imm; break;
		case BPF_ALU64 | BPF_RSH | BPF_K: *d >>= i->imm; break;
		case BPF_JMP | BPF_JNE | BPF_K:
			if (*d != (uint64_t)(int64_t)i->imm)
				pc += i->off;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			if (*d == (uint64_t)(int64_t)i->imm)
				pc += i->off;
			break;
		case BPF_JMP | BPF_EXIT: return (int)reg[0];
		default: return -1;
		}
	}
	return -1; /* fell off the end: the verifier would refuse it */
}

static void check_program(const char *name, const struct dev_rule *r, size_t n)
{
	struct bpf_insn prog[512];
	int len = devbpf_build(r, n, prog, ARRAY_LEN(prog));
	int wrong = 0, bad = len < 0;
	static const unsigned nums[] = {0, 1, 3, 5, 7, 11, 136, 200, 240};
	for (int type = 1; type <= 2 && !bad; type++)
		for (unsigned acc = 1; acc <= 7; acc++)
			for (size_t a = 0; a < ARRAY_LEN(nums); a++)
				for (size_t b = 0; b < ARRAY_LEN(nums); b++) {
					struct bpf_cgroup_dev_ctx c = {
						acc << 16 | (unsigned)type, nums[a],
						nums[b]};
					int got = interpret(prog, len, &c);
					if (got < 0)
						bad = 1;
					else if (got != reference(r, n, type, acc,
								  nums[a], nums[b]))
						wrong++;
				}
	CHECK(name, !bad && !wrong);
}

#define ALLOW(t, ma, mi, acc) {true, t, ma, mi, acc}
#define DENY(t, ma, mi, acc) {false, t, ma, mi, acc}
static const struct dev_rule mixed[] = {
	DENY('a', DEV_ANY, DEV_ANY, DEV_ACC_ALL),
	ALLOW('c', DEV_ANY, DEV_ANY, DEV_ACC_M),
	ALLOW('b', DEV_ANY, DEV_ANY, DEV_ACC_M),
	ALLOW('c', 1, 3, DEV_ACC_ALL),
	ALLOW('c', 1, 5, DEV_ACC_ALL),
	ALLOW('b', 240, 0, DEV_ACC_R),
	DENY('c', 1, 3, DEV_ACC_W),
	ALLOW('a', 1, 11, DEV_ACC_R),
};

static void test_generator(void)
{
	check_program("program = rules: defaults", dev_default_rules,
		      dev_n_default_rules);
	check_program("program = rules: mixed allow/deny, type a, partial access",
		      mixed, ARRAY_LEN(mixed));
	static const struct dev_rule all[] = {ALLOW('a', DEV_ANY, DEV_ANY, DEV_ACC_ALL)};
	check_program("program = rules: allow all", all, 1);
	check_program("program = rules: none (deny all)", NULL, 0);
	static const struct dev_rule late[] = {
		ALLOW('c', 1, 3, DEV_ACC_ALL),
		DENY('a', DEV_ANY, DEV_ANY, DEV_ACC_ALL),
		ALLOW('c', 1, 5, DEV_ACC_R),
	};
	check_program("program = rules: a later deny-all hides earlier rules",
		      late, ARRAY_LEN(late));
	struct bpf_insn prog[64];
	int len = devbpf_build(all, 1, prog, ARRAY_LEN(prog));
	CHECK("allow all: no dead code after the deciding rule",
	      len > 0 && prog[len - 1].code == (BPF_JMP | BPF_EXIT) &&
		      prog[len - 2].imm == 1);
	CHECK("too small a buffer fails",
	      devbpf_build(dev_default_rules, dev_n_default_rules, prog, 8) < 0);
}

/* ---- the real kernel ------------------------------------------------------ */

struct probe {
	const char *name;
	char type;
	unsigned ma, mi;
	int flags;
	bool denied; /* with the mixed rules */
};

/* The mixed rules' verdicts; "allowed" opens may still fail for want of a
 * driver (ENXIO): only EPERM is the cgroup's refusal. */
static const struct probe probes[] = {
	{"zero read", 'c', 1, 5, O_RDONLY, false},
	{"null read", 'c', 1, 3, O_RDONLY, false},
	{"null write (a later deny of w)", 'c', 1, 3, O_WRONLY, true},
	{"kmsg read (type a rule)", 'c', 1, 11, O_RDONLY, false},
	{"kmsg write", 'c', 1, 11, O_WRONLY, true},
	{"c 1:12 read (not listed)", 'c', 1, 12, O_RDONLY, true},
	{"b 240:0 read (allowed r)", 'b', 240, 0, O_RDONLY, false},
	{"b 240:0 write", 'b', 240, 0, O_WRONLY, true},
	{"b 240:1 read (not listed)", 'b', 240, 1, O_RDONLY, true},
};

/* In the child, already in the cgroup: a tmpfs of its own (the host's
 * /dev is never touched), a node per probe (mknod: the m rules), then the
 * opens.  Writes one char per probe to out: 'D' refused, 'A' allowed, 'M'
 * mknod refused, '?' setup failed. */
static void probe_child(const char *dir, int out)
{
	char res[ARRAY_LEN(probes) + 1];
	memset(res, '?', sizeof res);
	if (unshare(CLONE_NEWNS) == 0 &&
	    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0 &&
	    mount("tmpfs", dir, "tmpfs", 0, "size=64k") == 0) {
		for (size_t i = 0; i < ARRAY_LEN(probes); i++) {
			const struct probe *p = &probes[i];
			char path[PATH_MAX];
			snprintf(path, sizeof path, "%s/n%zu", dir, i);
			if (mknod(path, (p->type == 'b' ? S_IFBLK : S_IFCHR) | 0600,
				  makedev(p->ma, p->mi)) < 0) {
				res[i] = 'M';
				continue;
			}
			int fd = open(path, p->flags | O_CLOEXEC | O_NONBLOCK);
			res[i] = fd < 0 && errno == EPERM ? 'D' : 'A';
			if (fd >= 0)
				close(fd);
		}
	}
	(void)!write(out, res, ARRAY_LEN(probes));
	_exit(0);
}

/* Fork a child into rel of the one-hierarchy layout l, run the probes,
 * and return what it saw (ARRAY_LEN(probes) chars), "" on failure. */
static const char *run_probes(const struct cg_layout *l, const char *rel,
			      const char *dir)
{
	static char got[ARRAY_LEN(probes) + 1];
	int p[2];
	got[0] = '\0';
	if (pipe2(p, O_CLOEXEC) < 0)
		return got;
	fflush(stdout); /* valgrind's exit would flush the child's copy */
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (cg_attach_self(l, rel, false) < 0)
			_exit(1);
		probe_child(dir, p[1]);
	}
	close(p[1]);
	ssize_t n = pid > 0 ? read(p[0], got, ARRAY_LEN(probes)) : -1;
	got[n > 0 ? n : 0] = '\0';
	close(p[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return got;
}

static const char *want_mixed(void)
{
	static char w[ARRAY_LEN(probes) + 1];
	for (size_t i = 0; i < ARRAY_LEN(probes); i++)
		w[i] = probes[i].denied ? 'D' : 'A';
	return w;
}

/* One backend: rules into a fresh cgroup of the one hierarchy mnt. */
static void test_backend(const char *tag, const char *mnt, bool v2,
			 const char *dir)
{
	struct cg_layout l = {.mode = v2 ? CG_V2 : CG_V1, .n_hier = 1,
			      .cpu = -1, .cpuacct = -1, .memory = -1,
			      .pids = -1, .freezer = -1, .blkio = -1,
			      .devices = 0, .unified = v2 ? 0 : -1};
	snprintf(l.hier[0].mount, sizeof l.hier[0].mount, "%s", mnt);
	l.hier[0].v2 = v2;
	char rel[64], name[128];
	struct box_err err = {0};
	snprintf(rel, sizeof rel, "boxtop-unit-dev-%d", (int)getpid());
	snprintf(name, sizeof name, "%s: applied at clone only on cgroup2", tag);
	CHECK(name, cg_devices_at_clone(&l) == v2);

	snprintf(name, sizeof name, "%s: apply the rules", tag);
	bool made = cg_create(&l, rel, NULL, &err) == 0;
	CHECK(name, made && cg_devices_apply(&l, rel, mixed, ARRAY_LEN(mixed),
					     &err) == 0);
	if (!made) {
		printf("  %s\n", err.msg);
		return;
	}
	snprintf(name, sizeof name, "%s: a process in the cgroup gets what the rules say",
		 tag);
	CHECK_STR(name, run_probes(&l, rel, dir), want_mixed());
	if (!v2) {
		char list[512], path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s/devices.list", mnt, rel);
		ssize_t n = util_read_at(AT_FDCWD, path, list, sizeof list);
		snprintf(name, sizeof name, "%s: devices.list has no 'a' (type a split in c and b)",
			 tag);
		CHECK(name, n > 0 && !strstr(list, "a ") &&
				    strstr(list, "c 1:11 r") && strstr(list, "b 1:11 r"));
	}
	cg_destroy(&l, rel, NULL);

	/* allow all (--privileged): the same probes all get through */
	static const struct dev_rule all[] = {
		DENY('a', DEV_ANY, DEV_ANY, DEV_ACC_ALL),
		ALLOW('a', DEV_ANY, DEV_ANY, DEV_ACC_ALL),
	};
	snprintf(name, sizeof name, "%s: allow all lets every open through", tag);
	if (cg_create(&l, rel, NULL, &err) == 0 &&
	    cg_devices_apply(&l, rel, all, ARRAY_LEN(all), &err) == 0) {
		char w[ARRAY_LEN(probes) + 1];
		memset(w, 'A', ARRAY_LEN(probes));
		w[ARRAY_LEN(probes)] = '\0';
		CHECK_STR(name, run_probes(&l, rel, dir), w);
	} else {
		CHECK(name, 0);
	}
	cg_destroy(&l, rel, NULL);
	snprintf(name, sizeof name, "%s: the test cgroup is gone", tag);
	char p[PATH_MAX];
	snprintf(p, sizeof p, "%s/%s", mnt, rel);
	CHECK(name, access(p, F_OK) < 0);
}

static void test_real(void)
{
	if (geteuid() != 0) {
		printf("SKIP: devices on the real kernel - need root\n");
		return;
	}
	struct cg_layout host;
	if (cg_detect(&host, "/proc/self/mountinfo", NULL) < 0) {
		printf("SKIP: devices on the real kernel - no cgroups\n");
		return;
	}
	char dir[] = "/tmp/boxtop-unit-dev.XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK("temp dir", 0);
		return;
	}
	if (host.unified >= 0)
		test_backend("cgroup2 device program", host.hier[host.unified].mount,
			     true, dir);
	else
		printf("SKIP: cgroup2 device program - no cgroup2 mount\n");
	if (host.devices >= 0 && !host.hier[host.devices].v2)
		test_backend("v1 devices", host.hier[host.devices].mount, false,
			     dir);
	else
		printf("SKIP: v1 devices - no devices hierarchy\n");
	rmdir(dir);
}

int main(void)
{
	test_parse();
	test_generator();
	test_real();
	UNIT_DONE();
}
