/* monitor.c - launch a container's init and supervise it until it exits. */
#include "monitor.h"
#include "restart.h"
#include "console.h"
#include "idle_syscall.h"
#include "image.h"
#include "net.h"
#include "scaffold.h"
#include "spawn.h"
#include "store.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

/* The console log is kept to LOG_MAX bytes plus one rotated generation. */
#define LOG_MAX (512 * 1024)
#define MAX_CLIENTS 8
/* A monitor that has been quiet this long gives back its idle memory. */
#define IDLE_TRIM_MS 2000

/* Console output passes through here; page aligned so that an idle
 * monitor can drop it (monitor_serve). */
static char relay_buf[16384] __attribute__((aligned(4096)));

static int pidfd_open_(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

void monitor_cleanup_cgroup(struct box_ctx *ctx, const char *name)
{
	char cg[256];
	const struct cg_layout *l = ctx_cg(ctx, NULL);
	if (!l || ctx_cgroup(ctx, name, cg, sizeof cg, NULL) < 0)
		return;
	if (!cg_exists(l, cg))
		return; /* already gone: so is our part of the prefix */
	/* Processes that escaped the pid namespace's teardown (none should)
	 * are killed; rmdir can race the last exit, so retry briefly. */
	for (int i = 0; i < 200 && cg_exists(l, cg); i++) {
		if (!cg_empty(l, cg))
			cg_kill(l, cg, SIGKILL, NULL);
		if (cg_destroy(l, cg, NULL) == 0)
			break;
		usleep(5000);
	}
	/* The root's shared parent stays: every start would otherwise make
	 * and remove it again in each hierarchy (0.3 ms a `run --rm` here).
	 * `rm` removes it (stop.c). */
}

/* The overlay is mounted in the container's own mount namespace, so its
 * mountpoint is only a name: an empty directory in the run directory
 * (memory) costs nothing to make, one on disk an inode each start. */
static int mountpoint_in_run(struct box_ctx *ctx, const char *name,
			     struct spec *s, struct box_err *err)
{
	char path[PATH_MAX];
	if (store_run(ctx, name, "rootfs", path, sizeof path, err) < 0 ||
	    store_run_make(ctx, name, err) < 0)
		return -1;
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return box_fail(err, BOX_ESYS, errno, "mkdir %s", path);
	char *p = strdup(path);
	if (!p)
		return box_fail(err, BOX_ESYS, ENOMEM, "rootfs");
	free(s->rootfs);
	s->rootfs = p;
	return 0;
}

/* overlay leaves $workdir/work/incompat/volatile/dirty (an empty file in
 * two directories) behind a volatile mount and refuses to mount the layer
 * again while it is there (its content may be incomplete after a crash).
 * A layer mounted volatile was meant to be thrown away; if it was not
 * (boxtop killed during run --rm), the user who starts it again keeps what
 * is there, as after any unclean stop.  Innermost first; any other
 * incompat feature stays, and the mount says so. */
static void clear_volatile_mark(const char *bundle)
{
	static const char *const mark[] = {"incompat/volatile/dirty",
					   "incompat/volatile", "incompat"};
	for (size_t i = 0; i < ARRAY_LEN(mark); i++) {
		char p[PATH_MAX];
		if (snprintf(p, sizeof p, "%s/work/work/%s", bundle, mark[i]) >=
			    (int)sizeof p ||
		    (i ? rmdir(p) : unlink(p)) < 0)
			return;
	}
}

int monitor_launch(struct box_ctx *ctx, const char *name, unsigned flags,
		   json_t *config, struct mon_run *run, struct box_err *err)
{
	bool detached = flags & MON_DETACHED;
	run->pid = -1;
	run->pidfd = -1;
	run->master = -1;
	for (int i = 0; i < 3; i++)
		run->io.theirs[i] = run->io.ours[i] = -1;
	/* We become init's parent: a container that sees us (one without a
	 * pid namespace of its own) must not reach /proc/<pid>/exe, our
	 * binary, nor anything else of ours; init inherits it until exec. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return box_fail(err, BOX_ESYS, errno, "start %s: not dumpable", name);
	const struct cg_layout *cgl = ctx_cg(ctx, err);
	if (!cgl)
		return -1;
	config = config ? json_incref(config) : store_load_config(ctx, name, err);
	if (!config)
		return -1;
	int rc = -1;
	bool cg_made = false;
	struct img_ref img = {0};
	struct spec s = {0};
	char bundle[PATH_MAX];
	const char *image = json_string_value(json_object_get(
		json_object_get(config, "annotations"), "org.boxtop.image"));
	if (store_dir(ctx, name, NULL, bundle, sizeof bundle, err) < 0)
		goto out;
	if (image && image_resolve(ctx, image, &img, err) < 0)
		goto out;
	/* files recorded with --verify must still match (image.h) */
	if (img.lowerdir && verify_check(ctx, name, img.lowerdir, err) < 0)
		goto out;
	if (spec_from_config(config, bundle, img.lowerdir, &s, err) < 0)
		goto out;
	if (s.overlay_data && mountpoint_in_run(ctx, name, &s, err) < 0)
		goto out;
	if ((flags & MON_DISCARD) && spec_set_volatile(&s, err) < 0)
		goto out;
	if (net_spec(ctx, name, config, &s, err) < 0 ||
	    scaffold_make(ctx, name, &s, err) < 0)
		goto out;
	if (s.overlay_data)
		clear_volatile_mark(bundle);
	struct restart_policy policy;
	restart_policy_of(config, &policy);
	if (policy.kind == RESTART_UNLESS_STOPPED) /* started again: forget */
		restart_mark_stopped(ctx, name, false);
	if (!*s.cgroup && ctx_cgroup(ctx, name, s.cgroup, sizeof s.cgroup, err) < 0)
		goto out;
	if (cg_exists(cgl, s.cgroup))
		monitor_cleanup_cgroup(ctx, name);
	/* the rest is made by spawn_container, beside the child's work */
	if (cg_create_clone_target(cgl, s.cgroup, err) < 0)
		goto out;
	cg_made = true;

	struct spawn_io io = {.console = false, .stdio = {-1, -1, -1}};
	if (detached || (s.terminal && isatty(0)))
		io.console = true;
	else if (stdio_pipes_open(&run->io, err) < 0)
		goto out;
	else
		memcpy(io.stdio, run->io.theirs, sizeof io.stdio);
	run->pid = spawn_container(ctx, name, config, &s, &io, &run->master, err);
	stdio_pipes_close_theirs(&run->io);
	if (run->pid < 0)
		goto out;
	if (!detached && run->master >= 0)
		console_copy_winsize(run->master);
	run->pidfd = pidfd_open_(run->pid);

	struct box_state st;
	if (store_load_state_with(ctx, name, config, &st, err) < 0)
		goto out;
	st.status = BOX_RUNNING;
	st.pid = run->pid;
	st.pid_start = util_pid_starttime(run->pid);
	st.monitor = getpid();
	st.monitor_start = util_pid_starttime(getpid());
	st.started = time(NULL);
	st.finished = 0;
	st.has_exit_code = false;
	st.oom_killed = false;
	st.error[0] = '\0';
	if (store_save_state(ctx, name, &st, err) < 0)
		goto out;
	/* The mark a volatile mount leaves has done its job once the layer
	 * is mounted (we clear it at every start anyway); removed now, while
	 * the container runs, it is not two more synchronous discards when
	 * the container is removed (stop.c). */
	if (s.overlay_volatile)
		clear_volatile_mark(bundle);
	rc = 0;
out:
	if (rc < 0) {
		if (run->pid > 0) {
			kill(run->pid, SIGKILL);
			waitpid(run->pid, NULL, 0);
		}
		if (run->pidfd >= 0)
			close(run->pidfd);
		if (run->master >= 0)
			close(run->master);
		stdio_pipes_close_ours(&run->io);
		run->pid = run->pidfd = run->master = -1;
		if (cg_made)
			monitor_cleanup_cgroup(ctx, name);
		box_err_wrap(err, "start %s", name);
	}
	spec_free(&s);
	image_ref_free(&img);
	json_decref(config);
	return rc;
}

static int open_log(struct box_ctx *ctx, const char *name, off_t *size)
{
	char path[PATH_MAX];
	if (store_dir(ctx, name, "console.log", path, sizeof path, NULL) < 0)
		return -1;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	struct stat st;
	*size = fd >= 0 && fstat(fd, &st) == 0 ? st.st_size : 0;
	return fd;
}

/* console.log -> console.log.1 once it holds LOG_MAX bytes. */
static int rotate_log(struct box_ctx *ctx, const char *name, int fd,
		      off_t *size)
{
	char path[PATH_MAX], old[PATH_MAX];
	if (store_dir(ctx, name, "console.log", path, sizeof path, NULL) < 0 ||
	    store_dir(ctx, name, "console.log.1", old, sizeof old, NULL) < 0)
		return fd;
	close(fd);
	rename(path, old);
	return open_log(ctx, name, size);
}

/* The console log, made with the first output: a quiet container (most
 * of a batch) costs no inode for it. */
struct mon_log {
	int fd;
	bool tried;
	off_t size;
};

static void log_put(struct box_ctx *ctx, const char *name, struct mon_log *l,
		    const char *buf, size_t n)
{
	if (!l->tried) {
		l->fd = open_log(ctx, name, &l->size);
		l->tried = true;
	}
	if (l->fd < 0)
		return;
	util_write_all(l->fd, buf, n);
	l->size += (off_t)n;
	if (l->size >= LOG_MAX)
		l->fd = rotate_log(ctx, name, l->fd, &l->size);
}

static int listen_console(struct box_ctx *ctx, const char *name)
{
	struct sockaddr_un addr;
	int dirfd;
	if (store_sock_addr(ctx, name, &addr, &dirfd, NULL) < 0)
		return -1;
	unlink(addr.sun_path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd >= 0 && (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 ||
			listen(fd, MAX_CLIENTS) < 0)) {
		close(fd);
		fd = -1;
	}
	if (dirfd >= 0)
		close(dirfd);
	return fd;
}

/* A client gets the pty master itself: it writes keystrokes and sets the
 * window size directly; only output flows through the monitor, which must
 * keep reading the master for the log. */
static bool send_master(int client, int master)
{
	return util_send_fd(client, master) == 0;
}

MONITOR_IDLE_TEXT int monitor_serve(struct box_ctx *ctx, const char *name,
				       struct mon_run *run)
{
	struct mon_log log = {.fd = -1};
	int lfd = listen_console(ctx, name);
	int clients[MAX_CLIENTS];
	int n_clients = 0;
	bool master_open = run->master >= 0;
	int wstatus = 0;
	/* poll with a timeout only while there is something to give back:
	 * at first (what launching touched) and after each burst of work */
	bool busy = true;
	for (;;) {
		struct pollfd p[3 + MAX_CLIENTS];
		p[0] = (struct pollfd){.fd = master_open ? run->master : -1, .events = POLLIN};
		p[1] = (struct pollfd){.fd = lfd, .events = POLLIN};
		p[2] = (struct pollfd){.fd = run->pidfd, .events = POLLIN};
		for (int i = 0; i < n_clients; i++)
			p[3 + i] = (struct pollfd){.fd = clients[i], .events = POLLIN};
		/* not libc's poll: after monitor_trim this loop must run
		 * without faulting libc's text back in (idle_syscall.h) */
		int ready = idle_poll(p, (nfds_t)(3 + n_clients),
				      busy ? IDLE_TRIM_MS : -1);
		if (ready < 0) {
			if (ready == -EINTR)
				continue;
			break;
		}
		if (ready == 0) {
			madvise(relay_buf, sizeof relay_buf, MADV_DONTNEED);
			monitor_trim(); /* last: what runs after it faults in */
			busy = false;
			continue;
		}
		busy = true;
		if (p[0].revents) {
			ssize_t n = read(run->master, relay_buf, sizeof relay_buf);
			if (n > 0) {
				log_put(ctx, name, &log, relay_buf, (size_t)n);
				for (int i = 0; i < n_clients; i++)
					(void)!send(clients[i], relay_buf, (size_t)n,
						    MSG_NOSIGNAL | MSG_DONTWAIT);
			} else if (n == 0 || errno != EINTR) {
				master_open = false; /* EIO: no writer left */
			}
		}
		if (p[1].revents & POLLIN) {
			int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			if (c >= 0 && (n_clients == MAX_CLIENTS || run->master < 0 ||
				       !send_master(c, run->master)))
				close(c);
			else if (c >= 0)
				clients[n_clients++] = c;
		}
		for (int i = n_clients - 1; i >= 0; i--) {
			if (!p[3 + i].revents)
				continue;
			/* Clients only ever close; anything else is noise. */
			ssize_t n = recv(clients[i], relay_buf, sizeof relay_buf, MSG_DONTWAIT);
			if (n == 0 || (n < 0 && errno != EAGAIN)) {
				close(clients[i]);
				clients[i] = clients[--n_clients];
			}
		}
		if (p[2].revents & POLLIN) {
			if (waitpid(run->pid, &wstatus, 0) < 0)
				wstatus = 0;
			break;
		}
	}
	/* Output written just before the exit is still in the pty. */
	if (master_open) {
		fcntl(run->master, F_SETFL, O_NONBLOCK);
		ssize_t n;
		while ((n = read(run->master, relay_buf, sizeof relay_buf)) > 0) {
			log_put(ctx, name, &log, relay_buf, (size_t)n);
			for (int i = 0; i < n_clients; i++)
				(void)!send(clients[i], relay_buf, (size_t)n, MSG_NOSIGNAL);
		}
	}
	for (int i = 0; i < n_clients; i++)
		close(clients[i]);
	if (lfd >= 0) {
		struct sockaddr_un addr;
		int dirfd;
		if (store_sock_addr(ctx, name, &addr, &dirfd, NULL) == 0)
			unlink(addr.sun_path);
		if (dirfd >= 0)
			close(dirfd);
		close(lfd);
	}
	if (log.fd >= 0)
		close(log.fd);
	return wstatus;
}

/* What an ended container holds goes: its cgroup (after reading whether
 * the OOM killer struck: the result) and its network links. */
static bool monitor_release(struct box_ctx *ctx, const char *name)
{
	char cg[256];
	struct cg_counters cnt = {0};
	const struct cg_layout *l = ctx_cg(ctx, NULL);
	if (l && ctx_cgroup(ctx, name, cg, sizeof cg, NULL) == 0)
		cg_read_counters(l, cg, &cnt, NULL);
	monitor_cleanup_cgroup(ctx, name);
	json_t *config = store_load_config(ctx, name, NULL);
	if (config)
		net_teardown(ctx, name, config);
	json_decref(config);
	return cnt.oom_kills > 0;
}

void monitor_finish(struct box_ctx *ctx, const char *name, int wstatus,
		    bool have_status)
{
	bool oom = monitor_release(ctx, name);
	int lock = store_lock(ctx, name, NULL);
	if (lock < 0)
		return; /* removed meanwhile */
	struct box_state st;
	if (store_load_state(ctx, name, &st, NULL) == 0) {
		st.status = BOX_STOPPED;
		st.finished = time(NULL);
		st.has_exit_code = have_status;
		if (WIFEXITED(wstatus))
			st.exit_code = WEXITSTATUS(wstatus);
		else if (WIFSIGNALED(wstatus))
			st.exit_code = 128 + WTERMSIG(wstatus);
		st.oom_killed = oom;
		st.pid = 0;
		st.pid_start = 0;
		st.monitor = 0;
		st.monitor_start = 0;
		store_save_state(ctx, name, &st, NULL);
	}
	store_unlock(lock);
}
