/* rootfs_overlay.c - the container's overlay made beside clone, not after.
 *
 * Making an overlay (its superblock: lookups of every layer, the work
 * directory's checks, which create and remove inodes on the disk beneath)
 * is the most expensive step of the child's root, ~0.2 ms, and the child
 * could only begin it after clone3, whose namespaces take the parent
 * ~0.6 ms.  So a helper thread of the parent makes it as a detached mount
 * (fsopen/fsmount) while the main thread clones; the parent hands the
 * mount to the child over a socket and the child only attaches it
 * (move_mount).  A detached mount belongs to no namespace until attached,
 * so it lands in the child's mount namespace and nowhere else.
 *
 * Anything the new mount API cannot do here (an old kernel) ends as "no
 * mount sent": the child then mounts the overlay itself as before. */
#include "rootfs.h"
#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

/* One fs context for data ("k=v,k=v,flag"), without "volatile" if
 * !with_volatile.  Returns the detached mount's fd or -errno.  No malloc:
 * the caller clones while this runs. */
static int fsmount_overlay(const char *data, bool with_volatile)
{
	int fs = fsopen("overlay", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -errno;
	char opt[8192];
	const char *p = data;
	/* the name mount(2) gives it, for mountinfo and df */
	int rc = fsconfig(fs, FSCONFIG_SET_STRING, "source", "overlay", 0) < 0
			 ? -errno
			 : 0;
	while (*p && rc == 0) {
		size_t n = strcspn(p, ",");
		if (n >= sizeof opt) {
			rc = -ENAMETOOLONG;
			break;
		}
		memcpy(opt, p, n);
		opt[n] = '\0';
		p += n + (p[n] == ',');
		char *eq = strchr(opt, '=');
		if (eq) {
			*eq = '\0';
			if (fsconfig(fs, FSCONFIG_SET_STRING, opt, eq + 1, 0) < 0)
				rc = -errno;
		} else if (with_volatile || strcmp(opt, "volatile")) {
			if (fsconfig(fs, FSCONFIG_SET_FLAG, opt, NULL, 0) < 0)
				rc = -errno;
		}
	}
	if (rc == 0 && fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		rc = -errno;
	int mnt = rc == 0 ? fsmount(fs, FSMOUNT_CLOEXEC, 0) : -1;
	if (rc == 0 && mnt < 0)
		rc = -errno;
	close(fs);
	return rc < 0 ? rc : mnt;
}

static void *overlay_job(void *arg)
{
	struct rootfs_overlay *o = arg;
	o->fd = fsmount_overlay(o->spec->overlay_data, true);
	/* a kernel without "volatile" (before 5.10): a plain layer */
	if (o->fd == -EINVAL && o->spec->overlay_volatile)
		o->fd = fsmount_overlay(o->spec->overlay_data, false);
	return NULL;
}

bool rootfs_overlay_begin(struct rootfs_overlay *o, const struct spec *s)
{
	o->spec = s;
	o->fd = -1;
	o->running = s->overlay_data &&
		     pthread_create(&o->thread, NULL, overlay_job, o) == 0;
	return o->running;
}

void rootfs_overlay_hand_over(struct rootfs_overlay *o, int sock)
{
	if (!o->running)
		return;
	pthread_join(o->thread, NULL);
	o->running = false;
	if (sock >= 0 && o->fd >= 0)
		console_send_fd(sock, o->fd);
	else if (sock >= 0) /* none: the child makes it, and says why not */
		(void)!write(sock, "-", 1);
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
}

int rootfs_overlay_receive(int sock)
{
	return sock >= 0 ? console_recv_fd(sock) : -1;
}
