/* test_core.c - the core's pure parts: name and size validation, the OCI
 * config round trip, the state store, error wrapping. */
#include "unit.h"

#include "box.h"
#include "spec.h"
#include "image.h"
#include "store.h"
#include "util.h"
#include "sha256.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>

#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_names(void)
{
	struct box_err e = {0};
	CHECK("name ok", box_check_name("web-1_a.b", &e) == 0);
	CHECK("name empty", box_check_name("", &e) < 0 && strstr(e.msg, "empty"));
	CHECK("name slash", box_check_name("a/b", &e) < 0 && strstr(e.msg, "'/'"));
	CHECK("name dotdot", box_check_name("..", &e) < 0);
	CHECK("name leading dash", box_check_name("-x", &e) < 0);
	char longname[80];
	memset(longname, 'x', 65);
	longname[65] = 0;
	CHECK("name 65 chars", box_check_name(longname, &e) < 0 && strstr(e.msg, "at most 64"));
	longname[64] = 0;
	CHECK("name 64 chars ok", box_check_name(longname, &e) == 0);
}

static void test_sizes(void)
{
	struct box_err e = {0};
	int64_t v = 0;
	CHECK("size 512M", box_parse_size("512M", &v, &e) == 0 && v == 512LL << 20);
	CHECK("size 1G", box_parse_size("1G", &v, &e) == 0 && v == 1LL << 30);
	CHECK("size 64k", box_parse_size("64k", &v, &e) == 0 && v == 65536);
	CHECK("size 1.5G", box_parse_size("1.5G", &v, &e) == 0 && v == 3LL << 29);
	CHECK("size bytes", box_parse_size("4096", &v, &e) == 0 && v == 4096);
	CHECK("size 2MiB", box_parse_size("2MiB", &v, &e) == 0 && v == 2LL << 20);
	CHECK("size 12Q", box_parse_size("12Q", &v, &e) < 0 && strstr(e.msg, "unknown unit 'Q'"));
	CHECK("size empty", box_parse_size("", &v, &e) < 0);
	CHECK("size negative", box_parse_size("-1M", &v, &e) < 0);
	CHECK("size zero", box_parse_size("0", &v, &e) < 0);
	CHECK("size trailing", box_parse_size("5Mx", &v, &e) < 0 && strstr(e.msg, "trailing"));
	CHECK("size huge", box_parse_size("99999999T", &v, &e) < 0);
}

static void test_errors(void)
{
	struct box_err e = {0};
	box_fail(&e, BOX_ESYS, 2, "open %s", "/x");
	CHECK_STR("strerror appended", e.msg, "open /x: No such file or directory");
	box_err_wrap(&e, "start %s", "web");
	CHECK_STR("context prepended", e.msg, "start web: open /x: No such file or directory");
	box_fail(&e, BOX_EINVAL, 5, "bad");
	CHECK("non-sys error keeps no errno", e.code == 0 && !strcmp(e.msg, "bad"));
	char big[BOX_ERR_MAX * 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	box_fail(&e, BOX_EINVAL, 0, "%s", big);
	box_err_wrap(&e, "ctx");
	CHECK("wrap of a long message stays bounded", strlen(e.msg) == BOX_ERR_MAX - 1 && !strncmp(e.msg, "ctx: ", 5));
}

static void test_config_roundtrip(void)
{
	struct box_err e = {0};
	char *argv[] = {"sleep", "10"};
	char *env[] = {"FOO=bar", "PATH=/x"};
	struct box_mount_opt mounts[] = {{"/src", "/dst", true}};
	struct box_create_opts o = {
		.name = "web", .memory = 64 << 20, .cpus = 0.5, .cpu_shares = 512,
		.pids = 50, .env = env, .n_env = 2, .mounts = mounts, .n_mounts = 1,
		.argv = argv, .argc = 2, .tty = true,
	};
	char *img_cmd[] = {"/bin/sh", NULL}, *no_entry[] = {NULL};
	char *img_env[] = {"PATH=/bin", "HOME=/root", NULL};
	struct img_ref img = {.entrypoint = no_entry, .cmd = img_cmd, .env = img_env, .cwd = "/"};
	json_t *c = config_build(&o, "busybox", &img, "boxtop/web", &e);
	CHECK("config builds", c != NULL);
	if (!c)
		return;
	CHECK_STR("ociVersion", json_string_value(json_object_get(c, "ociVersion")), "1.0.2");
	CHECK_STR("hostname defaults to name", json_string_value(json_object_get(c, "hostname")), "web");
	CHECK_STR("image annotation",
		  json_string_value(json_object_get(json_object_get(c, "annotations"), "org.boxtop.image")),
		  "busybox");
	struct spec s;
	CHECK("spec parses", spec_from_config(c, "/b", "/l1:/l2", &s, &e) == 0);
	CHECK_STR("args", s.argv[0], "sleep");
	CHECK("args NULL-terminated", s.argv[2] == NULL);
	/* --env PATH replaces the image's PATH; the image's HOME stays */
	int path_n = 0;
	bool home = false, foo = false, term = false;
	for (char **p = s.env; *p; p++) {
		path_n += !strncmp(*p, "PATH=", 5);
		home |= !strcmp(*p, "HOME=/root");
		foo |= !strcmp(*p, "FOO=bar");
		term |= !strncmp(*p, "TERM=", 5);
	}
	CHECK("env override keeps one PATH", path_n == 1);
	CHECK("env keeps image HOME and adds FOO", home && foo);
	CHECK("tty adds TERM", term);
	CHECK("terminal", s.terminal);
	CHECK("all namespaces", (s.ns_flags & (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET)) ==
					(CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET) && s.cgroup_ns);
	CHECK_STR("rootfs under bundle", s.rootfs, "/b/rootfs");
	CHECK_STR("overlay options", s.overlay_data, "lowerdir=/l1:/l2,upperdir=/b/upper,workdir=/b/work");
	CHECK("docker caps", s.caps == 0xa80425fbULL);
	CHECK("no_new_privs", s.no_new_privs);
	CHECK("limits", s.limits.memory == 64 << 20 && s.limits.cpu_quota_us == 50000 &&
				s.limits.cpu_period_us == 100000 && s.limits.cpu_shares == 512 && s.limits.pids == 50);
	CHECK_STR("cgroup path", s.cgroup, "boxtop/web");
	bool proc = false, ro_bind = false;
	for (size_t i = 0; i < s.n_mounts; i++) {
		if (!strcmp(s.mounts[i].dst, "/proc"))
			proc = !strcmp(s.mounts[i].type, "proc") && (s.mounts[i].flags & MS_NOSUID);
		if (!strcmp(s.mounts[i].dst, "/dst"))
			ro_bind = s.mounts[i].bind && (s.mounts[i].flags & MS_RDONLY) && (s.mounts[i].flags & MS_REC);
	}
	CHECK("proc mount nosuid", proc);
	CHECK("--mount ro is a read-only rbind", ro_bind);
	bool kcore = false;
	for (char **p = s.masked; *p; p++)
		kcore |= !strcmp(*p, "/proc/kcore");
	CHECK("kcore masked", kcore);
	spec_free(&s);

	/* broken configs */
	json_object_set_new(json_object_get(c, "process"), "args", json_array());
	CHECK("empty args refused", spec_from_config(c, "/b", NULL, &s, &e) < 0 && strstr(e.msg, "process.args"));
	json_decref(c);
	c = json_pack("{s:{s:[s]}, s:{s:[{s:s}]}}", "process", "args", "x", "linux", "namespaces", "type", "time-travel");
	CHECK("unknown namespace refused", spec_from_config(c, "/b", NULL, &s, &e) < 0 && strstr(e.msg, "time-travel"));
	json_decref(c);
	o.n_env = 1;
	char *bad_env[] = {"NOEQUALS"};
	o.env = bad_env;
	c = config_build(&o, "busybox", &img, "x", &e);
	CHECK("bad env refused", !c && strstr(e.msg, "NOEQUALS"));
	o.env = NULL;
	o.n_env = 0;
	o.argc = 0;
	char *no_cmd[] = {NULL};
	img.cmd = no_cmd;
	c = config_build(&o, "img", &img, "x", &e);
	CHECK("no command refused", !c && strstr(e.msg, "no command"));
	/* docker's rules: the command follows the ENTRYPOINT and replaces the
	 * CMD; --entrypoint replaces the ENTRYPOINT and drops the CMD */
	char *entry[] = {"/init", "-v", NULL}, *cmd[] = {"serve", NULL};
	char *given[] = {"debug"};
	img.entrypoint = entry;
	img.cmd = cmd;
	c = config_build(&o, "img", &img, "x", &e);
	json_t *args = c ? json_object_get(json_object_get(c, "process"), "args") : NULL;
	CHECK("entrypoint + cmd", args && json_array_size(args) == 3 &&
	      !strcmp(json_string_value(json_array_get(args, 2)), "serve"));
	json_decref(c);
	o.argv = given;
	o.argc = 1;
	c = config_build(&o, "img", &img, "x", &e);
	args = c ? json_object_get(json_object_get(c, "process"), "args") : NULL;
	CHECK("entrypoint + the command given", args && json_array_size(args) == 3 &&
	      !strcmp(json_string_value(json_array_get(args, 2)), "debug"));
	json_decref(c);
	o.entrypoint = "/bin/sh";
	o.argc = 0;
	c = config_build(&o, "img", &img, "x", &e);
	args = c ? json_object_get(json_object_get(c, "process"), "args") : NULL;
	CHECK("--entrypoint drops the image's CMD", args && json_array_size(args) == 1 &&
	      !strcmp(json_string_value(json_array_get(args, 0)), "/bin/sh"));
	json_decref(c);
	o.entrypoint = NULL;
	o.user = "1000:x";
	c = config_build(&o, "img", &img, "x", &e);
	CHECK("a user name refused", !c && strstr(e.msg, "invalid user '1000:x'"));
	o.user = "1000";
	c = config_build(&o, "img", &img, "x", &e);
	json_t *user = c ? json_object_get(json_object_get(c, "process"), "user") : NULL;
	CHECK("--user UID: gid the same", user &&
	      json_integer_value(json_object_get(user, "uid")) == 1000 &&
	      json_integer_value(json_object_get(user, "gid")) == 1000);
	json_decref(c);
	o.user = NULL;
	o.workdir = "rel";
	c = config_build(&o, "img", &img, "x", &e);
	CHECK("a relative workdir refused", !c && strstr(e.msg, "invalid workdir 'rel'"));
	o.workdir = NULL;
}

static void test_state_store(void)
{
	struct box_err e = {0};
	char root[] = "/tmp/boxtop-unit.XXXXXX";
	if (!mkdtemp(root)) {
		CHECK("mkdtemp", 0);
		return;
	}
	struct box_ctx *ctx = box_open(root, &e);
	CHECK("open root", ctx != NULL);
	if (!ctx)
		return;
	char dir[4096];
	store_dir(ctx, "c1", NULL, dir, sizeof dir, &e);
	util_mkdir_p(dir, 0700, &e);
	struct box_state st = {.status = BOX_RUNNING, .pid = 123, .pid_start = 456,
			       .created = 1700000000, .started = 1700000100,
			       .has_exit_code = true, .exit_code = 137, .oom_killed = true};
	snprintf(st.error, sizeof st.error, "boom");
	CHECK("save state", store_save_state(ctx, "c1", &st, &e) == 0);
	struct box_state back;
	CHECK("load state", store_load_state(ctx, "c1", &back, &e) == 0);
	CHECK("state round trip", back.status == BOX_RUNNING && back.pid == 123 &&
					  back.pid_start == 456 && back.created == 1700000000 &&
					  back.started == 1700000100 && back.finished == 0 &&
					  back.has_exit_code && back.exit_code == 137 &&
					  back.oom_killed && !strcmp(back.error, "boom"));
	CHECK("a dead pid is not alive", !state_init_alive(&back));
	back.pid = getpid();
	back.pid_start = util_pid_starttime(getpid());
	CHECK("our own pid with its start time is alive", state_init_alive(&back));
	back.pid_start++;
	CHECK("same pid, other start time: not alive", !state_init_alive(&back));
	CHECK("missing container", store_load_state(ctx, "nope", &back, &e) < 0 && e.kind == BOX_ENOENT);
	int lock = store_lock(ctx, "c1", &e);
	CHECK("lock", lock >= 0);
	store_unlock(lock);
	char ts[32];
	util_iso8601(1700000000, ts, sizeof ts);
	CHECK_STR("iso8601", ts, "2023-11-14T22:13:20Z");
	CHECK("iso8601 parse", util_parse_iso8601(ts) == 1700000000);
	util_iso8601(0, ts, sizeof ts);
	CHECK_STR("iso8601 of the epoch", ts, "1970-01-01T00:00:00Z");
	util_iso8601(951782400, ts, sizeof ts);
	CHECK_STR("iso8601 of a leap day", ts, "2000-02-29T00:00:00Z");
	util_iso8601(4107542399, ts, sizeof ts);
	CHECK_STR("iso8601 past 2100 (no leap day)", ts, "2100-02-28T23:59:59Z");
	/* a day a week of 1900..2400 and back, against the C library */
	bool all = true;
	for (time_t t = -2208988800; t < 13569465600 && all; t += 7 * 86400 + 3661) {
		struct tm tm;
		char want[32];
		gmtime_r(&t, &tm);
		strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
		util_iso8601(t, ts, sizeof ts);
		all = !strcmp(ts, want) && util_parse_iso8601(ts) == t;
		if (!all)
			fprintf(stderr, "iso8601 %lld: %s, want %s\n", (long long)t, ts, want);
	}
	CHECK("iso8601 agrees with gmtime_r from 1900 to 2400, and parses back", all);
	CHECK("iso8601: fractions and offsets (OCI created)",
	      util_parse_iso8601("2023-11-14T22:13:20.123456789Z") == 1700000000 &&
		      util_parse_iso8601("2023-11-15T00:13:20+02:00") == 1700000000 &&
		      util_parse_iso8601("2023-11-14T21:13:20-01:00") == 1700000000);
	CHECK("iso8601: not a time", util_parse_iso8601("2023-13-14T22:13:20Z") == 0 &&
		      util_parse_iso8601("2023-11-14T22:13:20") == 0 &&
		      util_parse_iso8601("yesterday") == 0 &&
		      util_parse_iso8601("2023-11-14T22:13:20Zjunk") == 0);
	CHECK("state.json in the run directory",
	      strncmp(box_rundir(ctx), "/run/", 5) == 0 ||
		      strncmp(box_rundir(ctx), "/dev/shm/", 9) == 0);
	store_run_remove(ctx, "c1");
	CHECK("run directory removed with the last container",
	      access(box_rundir(ctx), F_OK) < 0);
	util_rm_rf(root, &e);
	box_close(ctx);
	CHECK("root removed", access(root, F_OK) < 0);
}

/* data fed in pieces of chunk bytes (0: one piece) */
static void sha256_of(const void *data, size_t len, size_t chunk, char hex[65])
{
	struct box_err e = {0};
	struct sha256 *h = sha256_new(&e);
	if (!h) {
		strcpy(hex, "(no context)");
		return;
	}
	const char *p = data;
	for (size_t off = 0; off < len;) {
		size_t n = chunk && chunk < len - off ? chunk : len - off;
		sha256_update(h, p + off, n);
		off += n;
	}
	sha256_final(h, hex);
}

/* FIPS 180-4 examples (and NIST's one million 'a'), on each code path
 * this CPU has, in one piece and in pieces that straddle the 64-byte
 * blocks and the padding's boundary. */
static void test_sha256(void)
{
	static const struct {
		const char *text;
		size_t repeat;
		const char *digest;
	} v[] = {
		{"", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
		 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
		{"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
		 "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", 1,
		 "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
		{"a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
	};
	static const size_t chunks[] = {0, 1, 55, 63, 64, 65, 4096};
	char *big = malloc(1000000);
	if (!big)
		return;
	char first[65] = "", hex[65];
	for (int portable = 1; portable >= 0; portable--) {
		const char *impl = sha256_impl(portable);
		char label[160];
		for (size_t i = 0; i < ARRAY_LEN(v); i++) {
			size_t len = strlen(v[i].text) * v[i].repeat;
			memset(big, 'a', len); /* the repeated one is "a" */
			const char *data = v[i].repeat > 1 ? big : v[i].text;
			for (size_t c = 0; c < ARRAY_LEN(chunks); c++) {
				sha256_of(data, len, chunks[c], hex);
				snprintf(label, sizeof label,
					 "sha256 (%s) vector %zu in pieces of %zu", impl,
					 i, chunks[c]);
				CHECK_STR(label, hex, v[i].digest);
			}
		}
		/* every length 0..200: both code paths agree */
		for (size_t n = 0; n < 1000000; n++)
			big[n] = (char)(n * 131 + (n >> 7));
		struct sha256 *all = sha256_new(NULL);
		for (size_t len = 0; all && len <= 200; len++) {
			sha256_of(big, len, 0, hex);
			sha256_update(all, hex, 64);
		}
		if (all)
			sha256_final(all, hex);
		if (!*first)
			strcpy(first, hex);
		else
			CHECK_STR("sha256: the code paths agree on lengths 0 to 200",
				  hex, first);
	}
	free(big);
	struct box_err e = {0};
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	CHECK("sha256 of an empty fd", sha256_fd(fd, hex, &e) == 0);
	close(fd);
	CHECK_STR("sha256(empty fd)", hex,
		  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		(void)!write(fd, text, strlen(text));
		close(fd);
	}
}

/* A tree like a container's: files, nested directories, "config.json"
 * to go last.  mkdir -p + a file at each path. */
static void make_tree(const char *root)
{
	static const char *const dirs[] = {"upper/etc", "work/work/incompat/volatile",
					   "a/b/c/d", "e"};
	static const char *const files[] = {"config.json", "hosts", "upper/etc/x",
					    "a/b/c/d/f", "e/g"};
	char p[PATH_MAX];
	struct box_err e = {0};
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		snprintf(p, sizeof p, "%s/%s", root, dirs[i]);
		util_mkdir_p(p, 0755, &e);
	}
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		snprintf(p, sizeof p, "%s/%s", root, files[i]);
		write_text(p, "");
	}
}

static void test_rm_rf_last(void)
{
	char root[] = "/tmp/boxtop-rmlast.XXXXXX";
	if (!mkdtemp(root)) {
		CHECK("mkdtemp", 0);
		return;
	}
	char dir[PATH_MAX / 2], p[PATH_MAX];
	struct box_err e = {0};
	snprintf(dir, sizeof dir, "%s/c", root);
	make_tree(dir);
	CHECK("rm_rf_last", util_rm_rf_last(dir, "config.json", &e) == 0 &&
				    access(dir, F_OK) < 0 && errno == ENOENT);
	/* Emptied but for the kept entries: kept directories emptied, a kept
	 * file left, the rest gone. */
	{
		snprintf(dir, sizeof dir, "%s/k", root);
		make_tree(dir);
		const char *const keep[] = {"config.json", "upper", "work", NULL};
		int r = util_empty_dir(dir, keep, &e);
		DIR *d = opendir(dir);
		struct dirent *de;
		int n = 0;
		while (d && (de = readdir(d)))
			n += de->d_name[0] != '.';
		if (d)
			closedir(d);
		snprintf(p, sizeof p, "%s/upper", dir);
		struct stat st;
		/* kept as a directory, and empty: rmdir takes it */
		bool upper_empty = stat(p, &st) == 0 && S_ISDIR(st.st_mode) &&
				   rmdir(p) == 0;
		snprintf(p, sizeof p, "%s/work/work", dir);
		bool work_emptied = access(p, F_OK) < 0;
		snprintf(p, sizeof p, "%s/config.json", dir);
		CHECK("util_empty_dir", r == 0 && n == 3 && upper_empty && work_emptied &&
				    access(p, F_OK) == 0);
	}
	/* A mount point inside is never crossed: the removal fails, names
	 * it, and the entry kept for last stays. */
	bool mounted = false;
	if (unshare(CLONE_NEWNS) == 0 &&
	    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0) {
		snprintf(dir, sizeof dir, "%s/m", root);
		make_tree(dir);
		snprintf(p, sizeof p, "%s/a/b", dir);
		mounted = mount("tmpfs", p, "tmpfs", 0, "size=64k") == 0;
	}
	if (mounted) {
		int r = util_rm_rf_last(dir, "config.json", &e);
		snprintf(p, sizeof p, "%s/config.json", dir);
		CHECK("rm_rf_last: failure keeps the last entry",
		      r < 0 && strstr(e.msg, "remove") && access(p, F_OK) == 0);
		snprintf(p, sizeof p, "%s/work", dir);
		CHECK("rm_rf_last: the other entries are gone",
		      access(p, F_OK) < 0);
		snprintf(p, sizeof p, "%s/a/b", dir);
		umount2(p, MNT_DETACH);
	} else {
		printf("SKIP: rm_rf_last failure - no mount namespace\n");
	}
	util_rm_rf(root, &e);
}

static void test_json_load(void)
{
	char dir[] = "/tmp/boxtop-json.XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK("mkdtemp", 0);
		return;
	}
	char p[256];
	json_error_t je;
	snprintf(p, sizeof p, "%s/ok.json", dir);
	write_text(p, "{\"a\": [1, 2, 3]}");
	json_t *j = util_json_load(p, &je);
	CHECK("json load", j && json_array_size(json_object_get(j, "a")) == 3);
	json_decref(j);
	snprintf(p, sizeof p, "%s/missing.json", dir);
	errno = 0;
	CHECK("json load of a missing file",
	      !util_json_load(p, &je) && errno == ENOENT &&
		      strstr(je.text, "unable to open"));
	snprintf(p, sizeof p, "%s/bad.json", dir);
	write_text(p, "{\n\"a\": 1,\n}");
	CHECK("json load of a corrupt file names the line",
	      !util_json_load(p, &je) && je.line == 3);
	/* bigger than the first buffer */
	static char big[40000];
	size_t n = 0;
	n += (size_t)snprintf(big + n, sizeof big - n, "[");
	for (int i = 0; i < 5000; i++)
		n += (size_t)snprintf(big + n, sizeof big - n, "%s%d", i ? "," : "", i);
	snprintf(big + n, sizeof big - n, "]");
	snprintf(p, sizeof p, "%s/big.json", dir);
	write_text(p, big);
	j = util_json_load(p, NULL);
	CHECK("json load of a file bigger than 8 kB",
	      j && json_array_size(j) == 5000 &&
		      json_integer_value(json_array_get(j, 4999)) == 4999);
	json_decref(j);
	struct box_err e = {0};
	util_rm_rf(dir, &e);
}

/* Descriptors over a socket: several with a byte, none, too many. */
static void test_fd_passing(void)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		CHECK("socketpair", false);
		return;
	}
	int out[3] = {open("/dev/null", O_RDONLY | O_CLOEXEC),
		      open("/", O_PATH | O_CLOEXEC),
		      open("/proc/self/status", O_RDONLY | O_CLOEXEC)};
	int in[UTIL_MAX_FDS], n;
	char byte = 0;
	struct stat a, b;
	CHECK("three sent", util_send_fds(sv[0], 'g', out, 3) == 0);
	n = util_recv_fds(sv[1], &byte, in, UTIL_MAX_FDS);
	CHECK("three received with the byte, the same files, close-on-exec",
	      n == 3 && byte == 'g' && fstat(in[1], &a) == 0 &&
		      stat("/", &b) == 0 && a.st_ino == b.st_ino &&
		      (fcntl(in[2], F_GETFD) & FD_CLOEXEC));
	for (int i = 0; i < n; i++)
		close(in[i]);
	CHECK("none: the byte alone", util_send_fds(sv[0], 'x', NULL, 0) == 0 &&
					      util_recv_fds(sv[1], &byte, in, 4) == 0 &&
					      byte == 'x');
	/* more than the receiver has room for: an error, none left open */
	int before = open("/dev/null", O_RDONLY | O_CLOEXEC);
	close(before);
	util_send_fds(sv[0], 'g', out, 3);
	n = util_recv_fds(sv[1], &byte, in, 2);
	int after = open("/dev/null", O_RDONLY | O_CLOEXEC);
	close(after);
	CHECK("too many: EMSGSIZE, none kept", n < 0 && errno == EMSGSIZE &&
						       after == before);
	CHECK("one: util_recv_fd", util_send_fd(sv[0], out[0]) == 0 &&
					   (n = util_recv_fd(sv[1])) >= 0);
	close(n);
	close(sv[0]);
	CHECK("EOF: -1", util_recv_fds(sv[1], &byte, in, 4) < 0);
	close(sv[1]);
	for (int i = 0; i < 3; i++)
		close(out[i]);
}

int main(void)
{
	test_fd_passing();
	test_sha256();
	test_names();
	test_sizes();
	test_errors();
	test_config_roundtrip();
	test_state_store();
	test_rm_rf_last();
	test_json_load();
	UNIT_DONE();
}
