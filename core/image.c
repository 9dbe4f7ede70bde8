/* image.c - the image store (minimal: the built-in busybox image). */
#include "image.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define BUSYBOX_PATHS "/bin/busybox", "/usr/bin/busybox"

/* sha256 of a file as 64 hex chars. */
static int sha256_file(const char *path, char hex[65], struct box_err *err)
{
	auto_fd fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return box_fail(err, BOX_ESYS, errno, "open %s", path);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(md);
		return box_fail(err, BOX_ESYS, ENOMEM, "sha256 init");
	}
	char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		EVP_DigestUpdate(md, buf, (size_t)n);
	unsigned char dig[32];
	unsigned int dlen = 0;
	EVP_DigestFinal_ex(md, dig, &dlen);
	EVP_MD_CTX_free(md);
	if (n < 0)
		return box_fail(err, BOX_ESYS, errno, "read %s", path);
	for (int i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", dig[i]);
	return 0;
}

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

static int make_busybox(struct box_ctx *ctx, char layer_out[PATH_MAX],
			struct box_err *err)
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
	if (sha256_file(bb, hex, err) < 0)
		return -1;
	char layer[PATH_MAX], tmp[PATH_MAX];
	if (ctx_path(ctx, layer, sizeof layer, err, "layers/%s", hex) < 0 ||
	    ctx_path(ctx, tmp, sizeof tmp, err, "layers/.tmp-%s-%d", hex,
		     getpid()) < 0)
		return -1;
	struct stat st;
	if (stat(layer, &st) < 0) {
		/* Build beside, rename into place: a crash never leaves a
		 * half-made layer under its final name. */
		if (util_mkdir_p(tmp, 0755, err) < 0 ||
		    build_busybox_layer(bb, tmp, err) < 0 ||
		    (rename(tmp, layer) < 0 && errno != ENOTEMPTY &&
		     errno != EEXIST)) {
			if (!err->msg[0])
				box_fail(err, BOX_ESYS, errno, "rename %s", tmp);
			util_rm_rf(tmp, NULL);
			return box_err_wrap(err, "image busybox");
		}
		util_rm_rf(tmp, NULL);
	}
	snprintf(layer_out, PATH_MAX, "%s", layer);
	return 0;
}

int image_resolve(struct box_ctx *ctx, const char *name, struct img_ref *out,
		  struct box_err *err)
{
	memset(out, 0, sizeof *out);
	if (strcmp(name, "busybox"))
		return box_fail(err, BOX_ENOENT, 0,
				"image '%s': no such image", name);
	char layer[PATH_MAX];
	if (make_busybox(ctx, layer, err) < 0)
		return -1;
	snprintf(out->name, sizeof out->name, "%s", name);
	out->lowerdir = strdup(layer);
	out->cmd = calloc(2, sizeof(char *));
	out->env = calloc(2, sizeof(char *));
	if (!out->lowerdir || !out->cmd || !out->env) {
		image_ref_free(out);
		return box_fail(err, BOX_ESYS, ENOMEM, "image %s", name);
	}
	out->cmd[0] = strdup("/bin/sh");
	out->env[0] = strdup(
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	snprintf(out->cwd, sizeof out->cwd, "/");
	return 0;
}

void image_ref_free(struct img_ref *ref)
{
	free(ref->lowerdir);
	for (char **p = ref->cmd; p && *p; p++)
		free(*p);
	for (char **p = ref->env; p && *p; p++)
		free(*p);
	free(ref->cmd);
	free(ref->env);
	memset(ref, 0, sizeof *ref);
}
