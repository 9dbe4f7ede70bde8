/* test_deep_tree.c - trees deeper than any fixed limit, and longer than
 * PATH_MAX from their root: removal, the layer copy (commit, directory
 * import) and the size walks handle them whole, with few descriptors (the
 * test runs under RLIMIT_NOFILE 64).  A container's writable layer can hold
 * such a tree (mkdir d; cd d in a loop): a limit there made it unremovable. */
#include <limits.h>
#include "image_layer.h"
#include "unit.h"
#include "unit_sh.h"
#include "util.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[64];

/* depth directories named name below root (made), a file "leaf" holding
 * "deep" at the bottom and a symlink "up" to "/" beside it, a file "mid"
 * halfway.  Bytes of file data made. */
static uint64_t make_deep(const char *root, int depth, const char *name)
{
	mkdir(root, 0755);
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	uint64_t bytes = 0;
	for (int i = 0; i < depth && fd >= 0; i++) {
		mkdirat(fd, name, 0755);
		int nfd = openat(fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (i == depth / 2) {
			int f = openat(fd, "mid", O_WRONLY | O_CREAT | O_CLOEXEC,
				       0644);
			bytes += write(f, "middle", 6) == 6 ? 6 : 0;
			close(f);
		}
		close(fd);
		fd = nfd;
	}
	int f = openat(fd, "leaf", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	bytes += write(f, "deep", 4) == 4 ? 4 : 0;
	close(f);
	symlinkat("/", fd, "up");
	close(fd);
	return bytes;
}

/* The bottom's "leaf" under root, read by walking down by fds. */
static bool leaf_is(const char *root, int depth, const char *name,
		    const char *want)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (int i = 0; i < depth && fd >= 0; i++) {
		int nfd = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
						   O_CLOEXEC);
		close(fd);
		fd = nfd;
	}
	if (fd < 0)
		return false;
	char buf[16] = "";
	int f = openat(fd, "leaf", O_RDONLY | O_CLOEXEC);
	close(fd);
	if (f < 0)
		return false;
	ssize_t n = read(f, buf, sizeof buf - 1);
	close(f);
	return n > 0 && !strcmp(buf, want);
}

static int open_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

static bool gone(const char *path)
{
	struct stat st;
	return lstat(path, &st) < 0;
}

static void deep(int depth, const char *name, const char *what)
{
	char src[128], dst[128], dst2[128], label[160];
	snprintf(src, sizeof src, "%s/src", base);
	snprintf(dst, sizeof dst, "%s/dst", base);
	snprintf(dst2, sizeof dst2, "%s/dst2", base);
	uint64_t bytes = make_deep(src, depth, name);
	int fds = open_fds();
	struct box_err err = {0};

	snprintf(label, sizeof label, "%s: du counts the bottom", what);
	CHECK(label, layer_du(src) == (int64_t)bytes + 1 /* "/" */);
	snprintf(label, sizeof label, "%s: tree bytes count the bottom", what);
	CHECK(label, layer_tree_bytes(src) == bytes);

	char d1[72] = "", d2[72] = "";
	mkdir(dst, 0755);
	mkdir(dst2, 0755);
	snprintf(label, sizeof label, "%s: copied", what);
	int rc = layer_copy_tree(src, dst, 0, d1, NULL, &err);
	CHECK(label, rc == 0);
	if (rc)
		printf("  %s\n", err.msg);
	snprintf(label, sizeof label, "%s: the bottom file copied", what);
	CHECK(label, leaf_is(dst, depth, name, "deep"));
	snprintf(label, sizeof label, "%s: copy of the copy, same digest",
		 what);
	CHECK(label, layer_copy_tree(dst, dst2, 0, d2, NULL, &err) == 0 &&
			     !strcmp(d1, d2) && d1[0]);

	snprintf(label, sizeof label, "%s: removed", what);
	rc = util_rm_rf(dst, &err);
	CHECK(label, rc == 0 && gone(dst));
	if (rc)
		printf("  %s\n", err.msg);
	/* emptied around a kept entry, as a container's directory is */
	const char *const keep[] = {"src", NULL};
	snprintf(label, sizeof label, "%s: emptied but for one entry", what);
	CHECK(label, util_empty_dir(base, keep, &err) == 0 && gone(dst2) &&
			     !gone(src));
	snprintf(label, sizeof label, "%s: a kept directory emptied", what);
	const char *const keep_none[] = {NULL};
	CHECK(label, util_empty_dir(src, keep_none, &err) == 0 && !gone(src) &&
			     rmdir(src) == 0);
	snprintf(label, sizeof label, "%s: no descriptor left open", what);
	CHECK(label, open_fds() == fds);
}

int main(void)
{
	if (!unit_need_root("deep trees (chown in the copy)"))
		UNIT_DONE();
	snprintf(base, sizeof base, "/tmp/test_deep_tree.XXXXXX");
	if (!mkdtemp(base))
		return 1;
	/* bounded descriptors, whatever the depth */
	struct rlimit rl = {64, 64};
	setrlimit(RLIMIT_NOFILE, &rl);
	deep(600, "d", "600 levels"); /* past the old limits: 256 (rm), 512 (copy) */
	char longname[101];
	memset(longname, 'n', 100);
	longname[100] = '\0';
	deep(45, longname, "4.5 kB of path");
	/* the walk stays off symlinks: "up" -> / was not copied through */
	CHECK("nothing left", rmdir(base) == 0);
	UNIT_DONE();
}
