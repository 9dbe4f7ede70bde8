/* attach.c - connect the caller's terminal to a running container's console
 * through its monitor's socket. */
#include "console.h"
#include "store.h"
#include "util.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/un.h>

int box_attach(struct box_ctx *ctx, const char *name, struct box_err *err)
{
	struct box_info info;
	if (box_info_get(ctx, name, &info, err) < 0)
		return -1;
	if (info.status != BOX_RUNNING && info.status != BOX_PAUSED)
		return box_fail(err, BOX_ESTATE, 0, "attach %s: not running (%s)",
				name, box_status_name(info.status));
	struct sockaddr_un addr;
	int dirfd;
	if (store_sock_addr(ctx, name, &addr, &dirfd, err) < 0)
		return -1;
	auto_fd sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int r = sock < 0 ? -1 : connect(sock, (struct sockaddr *)&addr, sizeof addr);
	int e = errno;
	if (dirfd >= 0)
		close(dirfd);
	if (r < 0)
		return box_fail(err, BOX_ESYS, e,
				"attach %s: its monitor does not answer", name);
	auto_fd master = util_recv_fd(sock);
	if (master < 0)
		return box_fail(err, BOX_ESYS, 0,
				"attach %s: the monitor refused (too many clients?)",
				name);
	struct termios saved;
	bool raw;
	console_raw(&saved, &raw);
	/* Keys go straight into the pty; output arrives via the monitor,
	 * which also writes it to the log. */
	console_relay(master, sock, master, true, -1);
	console_restore(&saved, raw);
	return 0;
}
