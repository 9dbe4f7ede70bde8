/* restart.c - restart policies, kept by the container's monitor.
 *
 * As docker's --restart: no, on-failure[:N], always, unless-stopped.  The
 * policy is the annotation org.boxtop.restart in config.json.  A container
 * stopped or killed by hand (stop, kill, the screen) is never restarted
 * by its monitor; unless-stopped also remembers that across a reboot
 * (the file "stopped" in its directory), so `start --boot` leaves it. */
#include "restart.h"
#include "store.h"

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define RESTART_ANNOTATION "org.boxtop.restart"

int restart_parse(const char *s, struct restart_policy *p, struct box_err *err)
{
	memset(p, 0, sizeof *p);
	if (!s || !strcmp(s, "no"))
		return 0;
	if (!strcmp(s, "always")) {
		p->kind = RESTART_ALWAYS;
		return 0;
	}
	if (!strcmp(s, "unless-stopped")) {
		p->kind = RESTART_UNLESS_STOPPED;
		return 0;
	}
	if (!strncmp(s, "on-failure", 10) && (!s[10] || s[10] == ':')) {
		p->kind = RESTART_ON_FAILURE;
		if (!s[10])
			return 0;
		char *end;
		long n = strtol(s + 11, &end, 10);
		if (s[11] >= '0' && s[11] <= '9' && !*end && n >= 1 && n <= 1000000) {
			p->max = (unsigned)n;
			return 0;
		}
	}
	return box_fail(err, BOX_EINVAL, 0,
			"invalid restart policy '%s': no, on-failure[:N] (N >= 1), always or unless-stopped",
			s);
}

void restart_policy_of(json_t *config, struct restart_policy *p)
{
	const char *s = json_string_value(json_object_get(
		json_object_get(config, "annotations"), RESTART_ANNOTATION));
	if (restart_parse(s, p, NULL) < 0)
		memset(p, 0, sizeof *p); /* an edited config: as "no" */
}

const char *restart_name(const struct restart_policy *p, char *buf, size_t len)
{
	static const char *const names[] = {"no", "on-failure", "always",
					    "unless-stopped"};
	if (p->kind == RESTART_ON_FAILURE && p->max)
		snprintf(buf, len, "on-failure:%u", p->max);
	else
		snprintf(buf, len, "%s", names[p->kind]);
	return buf;
}

int restart_annotate(json_t *config, const char *policy, struct box_err *err)
{
	struct restart_policy p;
	if (restart_parse(policy, &p, err) < 0)
		return -1;
	if (p.kind == RESTART_NO)
		return 0;
	json_t *ann = json_object_get(config, "annotations");
	char buf[32];
	if (!ann || json_object_set_new(ann, RESTART_ANNOTATION,
					json_string(restart_name(&p, buf, sizeof buf))))
		return box_fail(err, BOX_ESYS, 0, "restart policy: no annotations");
	return 0;
}

bool restart_wanted(const struct restart_policy *p, int wstatus,
		    unsigned restarts, bool by_hand)
{
	if (by_hand || p->kind == RESTART_NO)
		return false;
	if (p->kind != RESTART_ON_FAILURE)
		return true;
	bool failed = !WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0;
	return failed && (!p->max || restarts < p->max);
}

unsigned restart_delay_ms(unsigned failures)
{
	/* docker's: 100 ms doubled at each restart in a row, at most a
	 * minute; a run of 10 s or more starts the count again (caller) */
	unsigned ms = 100;
	for (unsigned i = 0; i < failures && ms < 60000; i++)
		ms *= 2;
	return ms < 60000 ? ms : 60000;
}

void restart_mark_stopped(struct box_ctx *ctx, const char *name, bool stopped)
{
	char path[PATH_MAX];
	if (store_dir(ctx, name, RESTART_STOPPED_FILE, path, sizeof path, NULL) < 0)
		return;
	if (!stopped) {
		unlink(path);
		return;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
}

/* After a reboot every container is "created" again (its state lived in
 * memory): start those whose policy asks for it, as docker's daemon does
 * at its start.  on-failure ones are not (they did not fail). */
int box_start_boot(struct box_ctx *ctx, box_boot_fn report, void *arg,
		   struct box_err *err)
{
	char **names;
	size_t n;
	if (box_list_names(ctx, &names, &n, err) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *config = store_load_config(ctx, names[i], NULL);
		struct restart_policy p;
		restart_policy_of(config, &p);
		json_decref(config);
		char path[PATH_MAX];
		bool by_hand = store_dir(ctx, names[i], RESTART_STOPPED_FILE, path,
					 sizeof path, NULL) == 0 &&
			       access(path, F_OK) == 0;
		if (p.kind != RESTART_ALWAYS &&
		    !(p.kind == RESTART_UNLESS_STOPPED && !by_hand))
			continue;
		struct box_info info;
		if (box_info_get(ctx, names[i], &info, NULL) < 0 ||
		    info.status == BOX_RUNNING || info.status == BOX_PAUSED)
			continue;
		struct box_err one = {0};
		int r = box_start(ctx, names[i], &one);
		if (r < 0 && rc == 0 && err)
			*err = one;
		rc = r < 0 ? -1 : rc;
		if (report)
			report(arg, names[i], r < 0 ? &one : NULL);
	}
	box_names_free(names, n);
	return rc;
}
