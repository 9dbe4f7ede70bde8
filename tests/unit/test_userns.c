/* test_userns.c - the pure parts of --userns: /etc/subuid entries, where
 * boxtop's range goes, the maps in config.json and as the kernel takes
 * them. */
#include "unit.h"
#include "box.h"
#include "userns.h"

#include <sched.h>
#include <stdlib.h>

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
	test_config();
	test_parse();
	UNIT_DONE();
}
