/* image_busybox.c - the built-in image: the host's static busybox, one
 * symlink per applet and the few files a shell expects.  Zero downloads.
 * Its layer is named by the sha256 of the busybox binary, so a host
 * upgrade of busybox makes a new layer and never changes a used one. */
#include "image_store.h"
#include "image_layer.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define BUSYBOX_PATHS "/bin/busybox", "/usr/bin/busybox"

static int write_text(const char *dir, const char *name, const char *text,
		      struct box_err *err)
{
	char path[PATH_MAX];
	if (util_path(path, sizeof path, err, "%s/%s", dir, name) < 0)
		return -1;
	return util_write_atomic(path, text, strlen(text), 0644, err);
}

/* Populate a layer directory from the host's static busybox: the binary, a
 * symlink per applet, and the few files a shell expects. */
static int build_busybox_layer(const char *bb, const char *dir,
			       struct box_err *err)
{
	static const char *const dirs[] = {"bin", "sbin", "usr", "usr/bin",
		"usr/sbin", "etc", "proc", "sys", "dev", "tmp", "root", "var",
		"var/log", "run", "home"};
	char path[PATH_MAX];
	for (size_t i = 0; i < ARRAY_LEN(dirs); i++) {
		if (util_path(path, sizeof path, err, "%s/%s", dir, dirs[i]) < 0 ||
		    util_mkdir_p(path, 0755, err) < 0)
			return -1;
	}
	chmod(path, 0755);
	if (util_path(path, sizeof path, err, "%s/tmp", dir) < 0)
		return -1;
	chmod(path, 01777);
	/* copy the binary */
	if (util_path(path, sizeof path, err, "%s/bin/busybox", dir) < 0)
		return -1;
	size_t len;
	char *data = util_read_file(bb, &len, err);
	if (!data)
		return -1;
	int r = util_write_atomic(path, data, len, 0755, err);
	free(data);
	if (r < 0)
		return -1;
	/* one symlink per applet, from `busybox --list-full` */
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return box_fail(err, BOX_ESYS, errno, "pipe");
	pid_t pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return box_fail(err, BOX_ESYS, errno, "fork");
	}
	if (pid == 0) {
		dup2(pfd[1], 1);
		execl(bb, "busybox", "--list-full", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	FILE *f = fdopen(pfd[0], "r");
	char line[256];
	while (f && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line || strstr(line, ".."))
			continue;
		int depth = 0;
		for (char *p = line; *p; p++)
			depth += *p == '/';
		char target[64] = "";
		for (int i = 0; i < depth; i++)
			strcat(target, "../");
		strcat(target, "bin/busybox");
		if (!strcmp(line, "bin/busybox"))
			continue;
		if (util_path(path, sizeof path, err, "%s/%s", dir, line) < 0)
			break;
		symlink(target, path);
	}
	if (f)
		fclose(f);
	int st;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return box_fail(err, BOX_EINVAL, 0,
				"%s --list-full failed: not a busybox binary?",
				bb);
	if (write_text(dir, "etc/passwd",
		       "root:x:0:0:root:/root:/bin/sh\n"
		       "nobody:x:65534:65534:nobody:/home:/bin/false\n",
		       err) < 0 ||
	    write_text(dir, "etc/group", "root:x:0:\nnogroup:x:65534:\n",
		       err) < 0 ||
	    write_text(dir, "etc/hostname", "busybox\n", err) < 0 ||
	    write_text(dir, "etc/hosts", "127.0.0.1 localhost\n", err) < 0 ||
	    write_text(dir, "etc/resolv.conf", "", err) < 0)
		return -1;
	return 0;
}

int busybox_layer(struct box_ctx *ctx, char digest[72], struct box_err *err)
{
	static const char *const candidates[] = {BUSYBOX_PATHS};
	const char *bb = NULL;
	for (size_t i = 0; i < ARRAY_LEN(candidates); i++)
		if (access(candidates[i], X_OK) == 0) {
			bb = candidates[i];
			break;
		}
	if (!bb)
		return box_fail(err, BOX_ENOENT, 0,
				"image busybox: no busybox binary on the host "
				"(apt-get install busybox-static)");
	char hex[65];
	{
		auto_fd fd = open(bb, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return box_fail(err, BOX_ESYS, errno, "open %s", bb);
		if (sha256_fd(fd, hex, err) < 0)
			return box_err_wrap(err, "image busybox: %s", bb);
	}
	snprintf(digest, 72, "sha256:%s", hex);
	if (istore_layer_exists(ctx, digest))
		return 0;
	/* Build beside, rename into place: a crash never leaves a half-made
	 * layer under its final name. */
	char tmp[PATH_MAX];
	if (istore_tmp_dir(ctx, tmp, err) < 0)
		return box_err_wrap(err, "image busybox");
	if (build_busybox_layer(bb, tmp, err) < 0 ||
	    istore_install_layer(ctx, tmp, digest, err) < 0) {
		util_rm_rf(tmp, NULL);
		return box_err_wrap(err, "image busybox");
	}
	return 0;
}

