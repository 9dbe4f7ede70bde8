/* scaffold.c - the mountpoints a read-only root may lack.
 *
 * A container made with --read-only has no writable layer: its root is
 * the image's layers alone, mounted read-only, and nothing can be created
 * in it.  Every target of its mounts (/proc, /dev, /etc/hosts, a --mount
 * destination the image does not have) must exist all the same.  They are
 * made at each start in its run directory (memory) as a layer under the
 * image's: where the image has the path, the image's wins (a symlink of
 * its stays a symlink); where it has not, the scaffold's empty directory
 * or file is there to mount on. */
#include "scaffold.h"
#include "store.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int make_target(const char *top, const struct spec_mount *m,
		       struct box_err *err)
{
	/* the child resolves targets inside the root; here they are plain
	 * paths under top, which ".." would leave */
	if (!strcmp(m->dst, "..") || !strncmp(m->dst, "../", 3) ||
	    strstr(m->dst, "/../") ||
	    (strlen(m->dst) >= 3 && !strcmp(m->dst + strlen(m->dst) - 3, "/..")))
		return box_fail(err, BOX_EINVAL, 0,
				"mount target '%s': no '..' in a read-only root",
				m->dst);
	char path[PATH_MAX];
	if (util_path(path, sizeof path, err, "%s%s%s", top,
		      m->dst[0] == '/' ? "" : "/", m->dst) < 0)
		return -1;
	struct stat st;
	bool file = m->bind && stat(m->src, &st) == 0 && !S_ISDIR(st.st_mode);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	if (util_mkdir_p(path, 0755, err) < 0)
		return -1;
	*slash = '/';
	if (!slash[1])
		return 0; /* the root itself */
	if (file) {
		int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
			      0644);
		if (fd < 0)
			return box_fail(err, BOX_ESYS, errno, "make %s", path);
		close(fd);
	} else if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		return box_fail(err, BOX_ESYS, errno, "make %s", path);
	}
	return 0;
}

int scaffold_make(struct box_ctx *ctx, const char *name, struct spec *s,
		  struct box_err *err)
{
	if (!s->overlay_lower_only)
		return 0;
	char top[PATH_MAX];
	if (store_run(ctx, name, "scaffold", top, sizeof top, err) < 0 ||
	    util_rm_rf(top, err) < 0)
		return box_err_wrap(err, "read-only root");
	if (mkdir(top, 0755) < 0)
		return box_fail(err, BOX_ESYS, errno, "read-only root: make %s",
				top);
	for (size_t i = 0; i < s->n_mounts; i++)
		if (make_target(top, &s->mounts[i], err) < 0)
			return box_err_wrap(err, "read-only root");
	return spec_add_bottom_layer(s, top, err);
}
