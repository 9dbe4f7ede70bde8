/* test_userns.c - the pure parts of --userns: /etc/subuid entries, where
 * boxtop's range goes, the maps in config.json and as the kernel takes
 * them. */
#include "unit.h"
#include "box.h"
#include "userns.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *slurp(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

/* The entries made in files of a temporary directory, as in /etc. */
static void test_pool(void)
{
	char dir[] = "/tmp/test_userns.XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK("pool: temporary directory", 0);
		return;
	}
	char u[256], g[256], lk[256], ulock[300];
	snprintf(u, sizeof u, "%s/subuid", dir);
	snprintf(g, sizeof g, "%s/subgid", dir);
	snprintf(lk, sizeof lk, "%s/.pwd.lock", dir);
	snprintf(ulock, sizeof ulock, "%s.lock", u);
	struct subid_files f = {u, g, lk, 200};
	struct subid_pool p;
	struct box_err err = {0};
	put(u, "alice:100000:65536\nbob:165536:65536");  /* no final newline */
	chmod(u, 0640);
	put(g, "alice:100000:65536\n");
	/* a lock left by a process that is gone is stale */
	pid_t dead = fork();
	if (dead == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	char pid[32];
	snprintf(pid, sizeof pid, "%d", (int)dead);
	put(ulock, pid);
	CHECK("pool: made", subid_pool(&f, &p, &err) == 0);
	CHECK("pool: above both files' entries, aligned",
	      p.ustart == 262144 && p.gstart == 262144 && p.ucount == (1u << 30) &&
		      p.gcount == (1u << 30));
	CHECK_STR("pool: subuid appended after its last line", slurp(u),
		  "alice:100000:65536\nbob:165536:65536\nboxtop:262144:1073741824\n");
	CHECK_STR("pool: subgid appended", slurp(g),
		  "alice:100000:65536\nboxtop:262144:1073741824\n");
	struct stat st;
	CHECK("pool: the file's mode kept", stat(u, &st) == 0 && (st.st_mode & 07777) == 0640);
	CHECK("pool: the stale lock gone, ours too", access(ulock, F_OK) < 0);
	char glock[300];
	snprintf(glock, sizeof glock, "%s.lock", g);
	CHECK("pool: no lock left on subgid", access(glock, F_OK) < 0);
	CHECK("pool: a second time", subid_pool(&f, &p, &err) == 0 && p.ustart == 262144);
	CHECK_STR("pool: ... adds nothing", slurp(u),
		  "alice:100000:65536\nbob:165536:65536\nboxtop:262144:1073741824\n");
	/* an entry an administrator made is used as it is */
	put(u, "boxtop:1000000:131072\n");
	put(g, "boxtop:2000000:65536\n");
	CHECK("pool: an existing entry", subid_pool(&f, &p, &err) == 0 &&
						  p.ustart == 1000000 && p.ucount == 131072 &&
						  p.gstart == 2000000 && p.gcount == 65536);
	/* only subgid lacks one: made above both, subuid left alone */
	put(g, "carol:500000:65536\n");
	CHECK("pool: one missing", subid_pool(&f, &p, &err) == 0 && p.ustart == 1000000 &&
					   p.gstart == 1179648);
	CHECK_STR("pool: ... subuid unchanged", slurp(u), "boxtop:1000000:131072\n");
	/* a lock held by a live process: waited for, then refused */
	unlink(g);
	put(g, "");
	snprintf(pid, sizeof pid, "%d", (int)getppid());
	put(glock, pid);
	CHECK("pool: a live lock holder refuses", subid_pool(&f, &p, &err) < 0);
	CHECK("pool: ... saying who", strstr(err.msg, "is held by process") != NULL);
	CHECK_STR("pool: ... nothing written", slurp(g), "");
	unlink(glock);
	/* lckpwdf's lock (a classic fcntl lock) held by another process,
	 * as useradd holds it: waited for, then refused */
	int ready[2];
	if (pipe(ready) == 0) {
		pid_t holder = fork();
		if (holder == 0) {
			int fd = open(lk, O_WRONLY | O_CREAT, 0600);
			struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
			if (fd >= 0 && fcntl(fd, F_SETLKW, &fl) == 0 &&
			    write(ready[1], "x", 1) == 1)
				pause();
			_exit(1);
		}
		char c;
		bool held = read(ready[0], &c, 1) == 1;
		CHECK("pool: lckpwdf's lock held elsewhere refuses",
		      held && subid_pool(&f, &p, &err) < 0 &&
			      strstr(err.msg, ".pwd.lock") != NULL);
		kill(holder, SIGKILL);
		waitpid(holder, NULL, 0);
		close(ready[0]);
		close(ready[1]);
		CHECK("pool: ... and goes on once it is free",
		      subid_pool(&f, &p, &err) == 0 && p.gstart == 1179648);
	}
	unlink(u);
	unlink(g);
	unlink(lk);
	rmdir(dir);
}

static void test_find(void)
{
	uint32_t s = 0, n = 0;
	const char *t = "alice:100000:65536\nboxtop:231072:6553600\n";
	CHECK("find: boxtop's entry", subid_find(t, "boxtop", &s, &n) &&
					      s == 231072 && n == 6553600);
	CHECK("find: none for bob", !subid_find(t, "bob", &s, &n));
	CHECK("find: a prefix is not the name", !subid_find("boxtopx:1:2\n", "boxtop", &s, &n));
	CHECK("find: empty text", !subid_find("", "boxtop", &s, &n));
	CHECK("find: no final newline",
	      subid_find("boxtop:5:6", "boxtop", &s, &n) && s == 5 && n == 6);
	/* malformed lines are skipped, the good one after them found */
	CHECK("find: past malformed lines",
	      subid_find("boxtop:x:1\nboxtop:1\n:1:2\nboxtop:1:2:3\nboxtop:7:8\n",
			 "boxtop", &s, &n) && s == 7 && n == 8);
	CHECK("find: ids above 2^32 are no ids",
	      !subid_find("boxtop:4294967296:1\n", "boxtop", &s, &n));
}

static void test_place(void)
{
	uint32_t s = 0, n = 0;
	CHECK("place: empty files: at the minimum, aligned",
	      subid_place("", "", 100000, 65536 * 16, &s, &n) && s == 131072 &&
		      n == 65536 * 16);
	CHECK("place: above every entry of both files",
	      subid_place("a:100000:65536\n", "b:300000:10\n", 100000, 65536,
			  &s, &n) && s == 327680 && n == 65536);
	CHECK("place: an entry already aligned",
	      subid_place("a:131072:65536\n", "", 100000, 65536, &s, &n) &&
		      s == 196608);
	/* near the top of the id space: what fits, in whole slices */
	CHECK("place: cut to what fits under 2^32-1",
	      subid_place("a:0:4294049792\n", "", 0, 65536u * 100, &s, &n) &&
		      s == 4294049792u && n == 65536u * 13);
	CHECK("place: nothing fits", !subid_place("a:0:4294901760\n", "", 0, 65536, &s, &n));
}

static void test_config(void)
{
	json_t *c = json_pack("{s:{s:[{s:s}]}}", "linux", "namespaces", "type", "pid");
	struct userns_ids ids = {231072, 296608, 65536}, got = {0};
	CHECK("config: no user namespace yet", !userns_config_get(c, &got));
	CHECK("config: set", userns_config_set(c, &ids, NULL) == 0);
	CHECK("config: read back", userns_config_get(c, &got) && got.uid == 231072 &&
					    got.gid == 296608 && got.size == 65536);
	json_t *ns = json_array_get(json_object_get(json_object_get(c, "linux"), "namespaces"), 1);
	CHECK_STR("config: a user namespace", json_string_value(json_object_get(ns, "type")), "user");
	struct spec s = {0};
	struct box_err err = {0};
	CHECK("spec: maps as the kernel takes them",
	      userns_spec(json_object_get(c, "linux"), &s, &err) == 0);
	CHECK_STR("spec: uid_map", s.uid_map, "0 231072 65536\n");
	CHECK_STR("spec: gid_map", s.gid_map, "0 296608 65536\n");
	free(s.uid_map);
	free(s.gid_map);
	s.uid_map = s.gid_map = NULL;
	/* a map the kernel would refuse or misread is refused here */
	json_object_set_new(json_object_get(c, "linux"), "gidMappings",
			    json_pack("[{s:i, s:i, s:i}]", "containerID", 0, "hostID", -1, "size", 1));
	CHECK("spec: a negative id refused", userns_spec(json_object_get(c, "linux"), &s, &err) < 0);
	CHECK("spec: ... saying which", strstr(err.msg, "linux.gidMappings[0]") != NULL);
	free(s.uid_map);
	s.uid_map = NULL;
	json_object_del(json_object_get(c, "linux"), "uidMappings");
	CHECK("spec: no uidMappings refused", userns_spec(json_object_get(c, "linux"), &s, &err) < 0);
	CHECK("spec: ... saying so", strstr(err.msg, "needs linux.uidMappings") != NULL);
	json_decref(c);
}

static void test_parse(void)
{
	enum box_userns u = BOX_USERNS_UNSET;
	struct box_err err = {0};
	CHECK("parse: auto", box_parse_userns("auto", &u, &err) == 0 && u == BOX_USERNS_AUTO);
	CHECK("parse: host", box_parse_userns("host", &u, &err) == 0 && u == BOX_USERNS_HOST);
	CHECK("parse: keep-id refused", box_parse_userns("keep-id", &u, &err) < 0);
	CHECK_STR("parse: the message", err.msg, "invalid userns 'keep-id': expected auto or host");
	CHECK("parse: a newline shown as '?'",
	      box_parse_userns("a\nb", &u, &err) < 0 && !strchr(err.msg, '\n'));
}

int main(void)
{
	test_find();
	test_place();
	test_pool();
	test_config();
	test_parse();
	UNIT_DONE();
}
