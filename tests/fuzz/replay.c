/* replay.c - main() for a harness outside libFuzzer: every file named, or
 * in a directory named (sorted; not its dot files), goes through
 * LLVMFuzzerTestOneInput once.  tests/run.sh unit runs each harness over its seed corpus, which
 * holds every input that ever crashed it. */
#include "fuzz.h"

#include <dirent.h>
#include <libgen.h>

static int replay_file(const char *path)
{
	size_t len;
	struct box_err err = {0};
	char *data = util_read_file(path, &len, &err);
	if (!data) {
		printf("FAIL: %s: %s\n", path, err.msg);
		return -1;
	}
	/* the file name first: the last line before a crash says which */
	fprintf(stderr, "replay %s\n", path);
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = basename(argv[0]);
	if (!strncmp(name, "replay_", 7))
		name += 7;
	size_t done = 0;
	int failed = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			printf("FAIL: fuzz corpus %s: %s: %s\n", name, argv[i],
			       strerror(errno));
			failed++;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			failed += replay_file(argv[i]) < 0;
			done++;
			continue;
		}
		char **names;
		size_t n;
		struct box_err err = {0};
		if (util_list_names(argv[i], NULL, &names, &n, &err) < 0) {
			printf("FAIL: fuzz corpus %s: %s\n", name, err.msg);
			failed++;
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			char path[PATH_MAX];
			snprintf(path, sizeof path, "%s/%s", argv[i], names[k]);
			failed += replay_file(path) < 0;
			done++;
		}
		util_names_free(names, n);
	}
	if (!failed)
		printf("PASS: fuzz corpus %s: %zu inputs replayed\n", name,
		       done);
	return failed ? 1 : 0;
}
