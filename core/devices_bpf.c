/* devices_bpf.c - the cgroup2 device allow-list: a small generator turns
 * the rules into a BPF_PROG_TYPE_CGROUP_DEVICE program, loaded with
 * bpf(BPF_PROG_LOAD) and attached to the container's cgroup.  cgroup2 has
 * no devices.allow file: the kernel asks the program at every open and
 * mknod of a device node (1 allows, 0 refuses with EPERM). */
#include "devices.h"
#include "util.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

/* ---- instructions -------------------------------------------------------- */

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src,
			    int16_t off, int32_t imm)
{
	return (struct bpf_insn){.code = code, .dst_reg = dst, .src_reg = src,
				 .off = off, .imm = imm};
}

/* r_dst = *(u32 *)(r1 + off): a field of struct bpf_cgroup_dev_ctx */
static struct bpf_insn ld_ctx(uint8_t dst, int16_t off)
{
	return insn(BPF_LDX | BPF_MEM | BPF_W, dst, BPF_REG_1, off, 0);
}

static struct bpf_insn alu_imm(uint8_t op, uint8_t dst, int32_t imm)
{
	return insn(BPF_ALU64 | op | BPF_K, dst, 0, 0, imm);
}

static struct bpf_insn mov_reg(uint8_t dst, uint8_t src)
{
	return insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
}

/* A conditional jump whose offset is patched once the block's end is known. */
static struct bpf_insn jmp_imm(uint8_t op, uint8_t dst, int32_t imm)
{
	return insn(BPF_JMP | op | BPF_K, dst, 0, 0, imm);
}

static struct bpf_insn exit_insn(void)
{
	return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* Registers the prologue fills: the device type (BPF_DEVCG_DEV_*), the
 * access asked for (BPF_DEVCG_ACC_*, the DEV_ACC_* bits), major, minor. */
enum { R_TYPE = BPF_REG_2, R_ACC = BPF_REG_3, R_MAJOR = BPF_REG_4,
       R_MINOR = BPF_REG_5, R_TMP = BPF_REG_1 };

struct gen {
	struct bpf_insn *out;
	size_t n, max;
	bool full;
};

static void emit(struct gen *g, struct bpf_insn i)
{
	if (g->n < g->max)
		g->out[g->n] = i;
	else
		g->full = true;
	g->n++;
}

/* One rule: each condition jumps past the block when it does not hold;
 * when all hold the rule decides.  Returns true when the rule has no
 * condition (it matches every request): nothing before it can matter. */
static bool emit_rule(struct gen *g, const struct dev_rule *r)
{
	size_t jumps[8], nj = 0;
	if (r->type != 'a') {
		jumps[nj++] = g->n;
		emit(g, jmp_imm(BPF_JNE, R_TYPE,
				r->type == 'b' ? BPF_DEVCG_DEV_BLOCK
					       : BPF_DEVCG_DEV_CHAR));
	}
	if (r->access != DEV_ACC_ALL) {
		/* allow: every access asked for is in the rule; deny: any
		 * access asked for is (v1 behaves the same way) */
		emit(g, mov_reg(R_TMP, R_ACC));
		emit(g, alu_imm(BPF_AND, R_TMP,
				(int32_t)(r->allow ? DEV_ACC_ALL & ~r->access
						   : r->access)));
		jumps[nj++] = g->n;
		emit(g, jmp_imm(r->allow ? BPF_JNE : BPF_JEQ, R_TMP, 0));
	}
	if (r->major != DEV_ANY) {
		jumps[nj++] = g->n;
		emit(g, jmp_imm(BPF_JNE, R_MAJOR, (int32_t)r->major));
	}
	if (r->minor != DEV_ANY) {
		jumps[nj++] = g->n;
		emit(g, jmp_imm(BPF_JNE, R_MINOR, (int32_t)r->minor));
	}
	emit(g, alu_imm(BPF_MOV, BPF_REG_0, r->allow ? 1 : 0));
	emit(g, exit_insn());
	for (size_t j = 0; j < nj; j++)
		if (jumps[j] < g->max)
			g->out[jumps[j]].off = (int16_t)(g->n - jumps[j] - 1);
	return nj == 0;
}

int devbpf_build(const struct dev_rule *r, size_t n, struct bpf_insn *out,
		 size_t max)
{
	struct gen g = {out, 0, max, false};
	emit(&g, ld_ctx(R_TYPE, offsetof(struct bpf_cgroup_dev_ctx, access_type)));
	emit(&g, mov_reg(R_ACC, R_TYPE));
	emit(&g, alu_imm(BPF_AND, R_TYPE, 0xffff));
	emit(&g, alu_imm(BPF_RSH, R_ACC, 16));
	emit(&g, ld_ctx(R_MAJOR, offsetof(struct bpf_cgroup_dev_ctx, major)));
	emit(&g, ld_ctx(R_MINOR, offsetof(struct bpf_cgroup_dev_ctx, minor)));
	/* The last matching rule decides, so the program tries them from the
	 * last; after one that matches everything the rest is dead code,
	 * which the verifier refuses. */
	bool decided = false;
	for (size_t i = n; i > 0 && !decided; i--)
		decided = emit_rule(&g, &r[i - 1]);
	if (!decided) {
		/* nothing matched: refused */
		emit(&g, alu_imm(BPF_MOV, BPF_REG_0, 0));
		emit(&g, exit_insn());
	}
	return g.full ? -1 : (int)g.n;
}

/* ---- loading and attaching ----------------------------------------------- */

static int bpf_call(int cmd, union bpf_attr *a)
{
	return (int)syscall(SYS_bpf, cmd, a, sizeof *a);
}

static int load(const struct bpf_insn *prog, int len, char *log,
		size_t loglen)
{
	union bpf_attr a;
	memset(&a, 0, sizeof a);
	a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.insns = (uint64_t)(uintptr_t)prog;
	a.insn_cnt = (uint32_t)len;
	a.license = (uint64_t)(uintptr_t)"GPL";
	snprintf(a.prog_name, sizeof a.prog_name, "boxtop_devices");
	if (log) {
		a.log_buf = (uint64_t)(uintptr_t)log;
		a.log_size = (uint32_t)loglen;
		a.log_level = 1;
	}
	return bpf_call(BPF_PROG_LOAD, &a);
}

/* The verifier's last words, for an error message. */
static const char *last_line(char *log)
{
	size_t len = strlen(log);
	while (len && log[len - 1] == '\n')
		log[--len] = '\0';
	char *nl = strrchr(log, '\n');
	return nl ? nl + 1 : log;
}

int devbpf_attach(int cgfd, const struct dev_rule *r, size_t n,
		  struct box_err *err)
{
	/* a rule takes at most 8 instructions, the prologue and the default
	 * 8 together */
	size_t max = 8 * n + 8;
	struct bpf_insn *prog = calloc(max, sizeof *prog);
	if (!prog)
		return box_fail(err, BOX_ESYS, ENOMEM, "device program");
	int len = devbpf_build(r, n, prog, max);
	int rc = -1, fd = -1;
	if (len < 0) {
		box_fail(err, BOX_EINVAL, 0, "device program: %zu rules", n);
		goto out;
	}
	fd = load(prog, len, NULL, 0);
	if (fd < 0) {
		int e = errno;
		/* again with the verifier's log, which says why */
		char log[4096] = "";
		int again = load(prog, len, log, sizeof log);
		if (again >= 0)
			close(again);
		box_fail(err, BOX_ESYS, e, "load the device program%s%s",
			 *log ? ": " : "", *log ? last_line(log) : "");
		goto out;
	}
	union bpf_attr a;
	memset(&a, 0, sizeof a);
	a.target_fd = (uint32_t)cgfd;
	a.attach_bpf_fd = (uint32_t)fd;
	a.attach_type = BPF_CGROUP_DEVICE;
	a.attach_flags = BPF_F_ALLOW_MULTI;
	/* the cgroup keeps the program: our fd may close */
	if (bpf_call(BPF_PROG_ATTACH, &a) < 0) {
		box_fail(err, BOX_ESYS, errno, "attach the device program");
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(prog);
	return rc;
}
