/* test_seccomp.c - the seccomp profile forms: Docker's JSON resolved into
 * OCI for given capabilities, the built-in default, what is refused, and
 * the compile to BPF (the filter is loaded only in a forked child). */
#include "unit.h"

#include "seccomp_filter.h"

#include <errno.h>
#include <stdlib.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CAP(c) (1ULL << (c))

/* The OCI rule allowing name (the first one naming it), or NULL. */
static json_t *rule_for(json_t *oci, const char *name)
{
	size_t i, k;
	json_t *r, *n;
	json_array_foreach(json_object_get(oci, "syscalls"), i, r)
	{
		json_array_foreach(json_object_get(r, "names"), k, n)
		{
			if (!strcmp(json_string_value(n), name))
				return r;
		}
	}
	return NULL;
}

static json_t *profile(const char *text)
{
	json_error_t je;
	json_t *p = json_loads(text, 0, &je);
	if (!p)
		printf("bad test JSON: %s\n", je.text);
	return p;
}

static void test_default(void)
{
	struct box_err e = {0};
	json_t *p = seccomp_default_profile();
	json_t *plain = seccomp_docker_to_oci(p, CAP(CAP_CHOWN) | CAP(CAP_SYS_CHROOT), "default", &e);
	json_t *admin = seccomp_docker_to_oci(p, CAP(CAP_SYS_ADMIN) | CAP(CAP_SYS_PTRACE), "default", &e);
	json_decref(p);
	CHECK("default resolves", plain && admin);
	if (!plain || !admin)
		return;
	CHECK_STR("default action", json_string_value(json_object_get(plain, "defaultAction")),
		  "SCMP_ACT_ERRNO");
	CHECK("default errno EPERM", json_integer_value(json_object_get(plain, "defaultErrnoRet")) == EPERM);
#ifdef __x86_64__
	json_t *arch = json_object_get(plain, "architectures");
	CHECK("x86_64 with i386 and x32", json_array_size(arch) == 3 &&
		  !strcmp(json_string_value(json_array_get(arch, 0)), "SCMP_ARCH_X86_64"));
	CHECK("arch_prctl on amd64", rule_for(plain, "arch_prctl") != NULL);
	CHECK("no s390 calls here", rule_for(plain, "s390_runtime_instr") == NULL);
#endif
	CHECK("read allowed", rule_for(plain, "read") != NULL);
	CHECK("keyctl not allowed", rule_for(plain, "keyctl") == NULL && rule_for(admin, "keyctl") == NULL);
	CHECK("userfaultfd not allowed", rule_for(plain, "userfaultfd") == NULL);
	CHECK("mount needs CAP_SYS_ADMIN", rule_for(plain, "mount") == NULL && rule_for(admin, "mount"));
	CHECK("unshare needs CAP_SYS_ADMIN", rule_for(plain, "unshare") == NULL && rule_for(admin, "unshare"));
	CHECK("ptrace needs CAP_SYS_PTRACE", rule_for(plain, "ptrace") == NULL && rule_for(admin, "ptrace"));
	CHECK("chroot with CAP_SYS_CHROOT", rule_for(plain, "chroot") && !rule_for(admin, "chroot"));
	json_t *clone = rule_for(plain, "clone");
	json_t *a0 = json_array_get(json_object_get(clone, "args"), 0);
	CHECK("clone without namespace flags", clone &&
		  !strcmp(json_string_value(json_object_get(a0, "op")), "SCMP_CMP_MASKED_EQ") &&
		  json_integer_value(json_object_get(a0, "value")) == 0x7E020000);
	json_t *c3 = rule_for(plain, "clone3");
	CHECK("clone3 ENOSYS without CAP_SYS_ADMIN", c3 &&
		  json_integer_value(json_object_get(c3, "errnoRet")) == ENOSYS);
	CHECK("clone3 allowed with CAP_SYS_ADMIN",
	      !strcmp(json_string_value(json_object_get(rule_for(admin, "clone3"), "action")),
		      "SCMP_ACT_ALLOW"));
	struct seccomp_prog prog;
	CHECK("default compiles", seccomp_compile(plain, &prog, &e) == 0 && prog.n > 100);

	/* in a child: the filter holds there (not under valgrind, which
	 * knows no seccomp(2) and would run under the filter itself) */
	pid_t pid = getenv("BOXTOP_VALGRIND") ? -1 : fork();
	if (pid < 0)
		printf("SKIP: filter in a child - under valgrind\n");
	if (pid == 0) {
		char msg[256];
		if (syscall(SYS_prctl, 38 /* PR_SET_NO_NEW_PRIVS */, 1, 0, 0, 0) < 0 ||
		    seccomp_prog_load(&prog, msg, sizeof msg) < 0)
			_exit(10);
		/* the kernel has its copy */
		seccomp_prog_free(&prog);
		json_decref(plain);
		json_decref(admin);
		if (syscall(SYS_unshare, 0x10000000 /* CLONE_NEWUSER */) == 0 || errno != EPERM)
			_exit(11);
		if (syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -4, 0) >= 0 || errno != EPERM)
			_exit(12);
		if (syscall(SYS_clone3, NULL, 0) >= 0 || errno != ENOSYS)
			_exit(13);
		if (getppid() <= 0)
			_exit(14);
		_exit(0);
	}
	int ws = 0;
	if (pid > 0) {
		waitpid(pid, &ws, 0);
		CHECK("filter blocks unshare, keyctl; clone3 ENOSYS; getppid works",
		      WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
		if (!WIFEXITED(ws) || WEXITSTATUS(ws))
			printf("  child status %d\n", WEXITSTATUS(ws));
	}
	seccomp_prog_free(&prog);
	json_decref(plain);
	json_decref(admin);
}

static void test_conditions(void)
{
	struct box_err e = {0};
	json_t *p = profile(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\","
		" \"architectures\": [\"SCMP_ARCH_X86_64\"],"
		" \"syscalls\": ["
		"  {\"names\": [\"a1\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		"  {\"name\": \"a2\", \"action\": \"SCMP_ACT_ALLOW\","
		"   \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\", \"CAP_NET_ADMIN\"]}},"
		"  {\"names\": [\"a3\"], \"action\": \"SCMP_ACT_ALLOW\","
		"   \"excludes\": {\"caps\": [\"CAP_NET_ADMIN\", \"CAP_SYS_TIME\"]}},"
		"  {\"names\": [\"a4\"], \"action\": \"SCMP_ACT_ALLOW\","
		"   \"includes\": {\"minKernel\": \"2.6\"}},"
		"  {\"names\": [\"a5\"], \"action\": \"SCMP_ACT_ALLOW\","
		"   \"includes\": {\"minKernel\": \"99.0\"}},"
		"  {\"names\": [\"a6\"], \"action\": \"SCMP_ACT_ALLOW\","
		"   \"excludes\": {\"minKernel\": \"2.6\"}},"
		"  {\"names\": [\"a7\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38,"
		"   \"args\": [{\"index\": 1, \"value\": 5, \"op\": \"SCMP_CMP_GT\"}],"
		"   \"comment\": \"kept with its errno and args\"}"
		" ]}");
	json_t *o = seccomp_docker_to_oci(p, CAP(CAP_SYS_ADMIN), "t.json", &e);
	CHECK("profile resolves", o != NULL);
	if (!o) {
		printf("  %s\n", e.msg);
		json_decref(p);
		return;
	}
	CHECK("plain rule kept", rule_for(o, "a1"));
	CHECK("includes: one cap missing", rule_for(o, "a2") == NULL);
	CHECK("excludes: none of the caps held", rule_for(o, "a3"));
	CHECK("includes minKernel reached", rule_for(o, "a4"));
	CHECK("includes minKernel not reached", !rule_for(o, "a5"));
	CHECK("excludes minKernel reached", !rule_for(o, "a6"));
	json_t *a7 = rule_for(o, "a7");
	CHECK("errnoRet and args kept", a7 && json_integer_value(json_object_get(a7, "errnoRet")) == 38 &&
		  json_integer_value(json_object_get(json_array_get(json_object_get(a7, "args"), 0), "index")) == 1);
	json_decref(o);
	o = seccomp_docker_to_oci(p, CAP(CAP_SYS_ADMIN) | CAP(CAP_NET_ADMIN), "t.json", &e);
	CHECK("includes: all caps held (old single \"name\")", o && rule_for(o, "a2") && !rule_for(o, "a3"));
	json_decref(o);
	json_decref(p);
}

/* Each profile refused, with a message containing want. */
static void refused(const char *name, const char *text, const char *want)
{
	struct box_err e = {0};
	json_t *p = profile(text);
	json_t *o = p ? seccomp_docker_to_oci(p, 0, "bad.json", &e) : NULL;
	bool ok = !o && e.kind == BOX_EUSAGE && strstr(e.msg, want) &&
		  strstr(e.msg, "bad.json") && !strchr(e.msg, '\n');
	CHECK(name, ok);
	if (!ok)
		printf("  got '%s'\n", e.msg);
	json_decref(o);
	json_decref(p);
}

static void test_refused(void)
{
	refused("not an object", "[1]", "not a JSON object");
	refused("unknown default action", "{\"defaultAction\": \"SCMP_ACT_MAYBE\"}",
		"unknown action 'SCMP_ACT_MAYBE'");
	refused("notify refused", "{\"defaultAction\": \"SCMP_ACT_NOTIFY\"}",
		"unknown action 'SCMP_ACT_NOTIFY'");
	refused("unknown rule action",
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
		"{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		"{\"names\": [\"keyctl\"], \"action\": \"SCMP_ACT_DENY\"}]}",
		"syscalls[1].action: unknown action 'SCMP_ACT_DENY'");
	/* checked also when the rule does not apply to this container */
	refused("bad rule checked though excluded",
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
		"{\"names\": [\"x\"], \"action\": \"BOGUS\","
		" \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}",
		"unknown action 'BOGUS'");
	refused("unknown op",
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"x\"],"
		" \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"LIKE\"}]}]}",
		"unknown comparison 'LIKE'");
	refused("arg index 6",
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"x\"],"
		" \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
		"index: expected 0 to 5");
	refused("no names", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"action\": \"SCMP_ACT_ERRNO\"}]}",
		"no syscall names");
	refused("unknown capability",
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"x\"],"
		" \"action\": \"SCMP_ACT_ERRNO\", \"includes\": {\"caps\": [\"CAP_FLY\"]}}]}",
		"unknown capability 'CAP_FLY'");
	refused("unknown architecture",
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_Z80\"]}",
		"unknown architecture 'SCMP_ARCH_Z80'");
	refused("architectures and archMap",
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86\"],"
		" \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}]}",
		"not both");
	refused("bad errno", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": -3}",
		"expected an errno");
	refused("bad minKernel",
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"x\"],"
		" \"action\": \"SCMP_ACT_ERRNO\", \"includes\": {\"minKernel\": \"new\"}}]}",
		"minKernel");
}

static void test_compile(void)
{
	struct box_err e = {0};
	struct seccomp_prog prog;
	CHECK("no seccomp: no filter", seccomp_compile(NULL, &prog, &e) == 0 && prog.n == 0);
	json_t *o = profile("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
			    "{\"names\": [\"no_such_call\", \"getpid\"], \"action\": \"SCMP_ACT_ERRNO\"},"
			    "{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\"},"
			    "{\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": ["
			    " {\"index\": 1, \"value\": 9, \"op\": \"SCMP_CMP_EQ\"},"
			    " {\"index\": 1, \"value\": 15, \"op\": \"SCMP_CMP_EQ\"}]}]}");
	CHECK("unknown names skipped, same-default rule skipped, same arg ORed",
	      seccomp_compile(o, &prog, &e) == 0 && prog.n > 0);
	seccomp_prog_free(&prog);
	json_decref(o);
	o = profile("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_NOPE\"]}");
	CHECK("unknown flag refused at compile", seccomp_compile(o, &prog, &e) < 0 && strstr(e.msg, "NOPE"));
	json_decref(o);
	o = profile("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"]}");
	CHECK("known flag kept", seccomp_compile(o, &prog, &e) == 0 && prog.flags == 2);
	seccomp_prog_free(&prog);
	json_decref(o);
}

static void test_describe(void)
{
	char buf[64];
	json_t *c = profile("{\"linux\": {}}");
	seccomp_describe(c, buf, sizeof buf);
	CHECK_STR("no seccomp: unconfined", buf, "unconfined");
	json_decref(c);
	c = profile("{\"linux\": {\"seccomp\": {\"syscalls\": [{}, {}]}},"
		    " \"annotations\": {\"org.boxtop.seccomp\": \"default\"}}");
	seccomp_describe(c, buf, sizeof buf);
	CHECK_STR("default", buf, "default");
	json_object_del(json_object_get(c, "annotations"), "org.boxtop.seccomp");
	seccomp_describe(c, buf, sizeof buf);
	CHECK_STR("custom", buf, "custom (2 rules)");
	json_decref(c);
}

int main(void)
{
	test_default();
	test_conditions();
	test_refused();
	test_compile();
	test_describe();
	UNIT_DONE();
}
