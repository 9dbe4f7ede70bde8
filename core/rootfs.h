/* rootfs.h - the container child's filesystem setup (runs after clone, in
 * the new mount namespace, before pivot_root). */
#ifndef BOX_ROOTFS_H
#define BOX_ROOTFS_H

#include "spec.h"

#include <pthread.h>

/* Each returns 0, or -1 with msg filled (the child has no box_err to pass
 * up: it writes msg into the error pipe for its parent). */
/* console_sock >= 0: make a pty in the container's devpts, bind its slave
 * on /dev/console, send the master over console_sock; *console_slave gets
 * the slave for the init's stdio. */
/* root_sock >= 0: the overlay comes ready-made from the parent over it
 * (rootfs_overlay_*); without one, or if none arrives, it is mounted here. */
int rootfs_prepare(const struct spec *s, int root_sock, int console_sock,
		   int *console_slave, char *msg, size_t len);
int rootfs_pivot(const struct spec *s, char *msg, size_t len);
int rootfs_finish(const struct spec *s, char *msg, size_t len);

/* The overlay made by a thread of the parent while it clones
 * (rootfs_overlay.c).  begin: before clone, false if there is none to
 * make; hand_over: after clone, sends it (or word that there is none) to
 * the child over sock and joins the thread (sock -1: only joins);
 * receive: in the child, the mount's fd or -1. */
struct rootfs_overlay {
	const struct spec *spec;
	pthread_t thread;
	bool running;
	int fd;
};
bool rootfs_overlay_begin(struct rootfs_overlay *o, const struct spec *s);
void rootfs_overlay_hand_over(struct rootfs_overlay *o, int sock);
int rootfs_overlay_receive(int sock);

#endif
