/* image_dialog.c - "i": import an image from the screen.  The dialog only
 * asks NAME and SOURCE; the import itself (box_image_import) runs in the
 * worker thread and its progress (bytes done, what it is doing) shows in
 * the status line's progress bar while keys and the refresh keep going. */
#include "tui.h"

#include <stdio.h>
#include <string.h>

enum { I_NAME, I_SOURCE, I_N };

static const char *check_import(struct tui *t, struct form_field *f,
				char *buf, size_t len)
{
	(void)t;
	struct box_err err = {0};
	if (box_check_name(f[I_NAME].value, &err) < 0) {
		snprintf(buf, len, "%s", err.msg);
		return buf;
	}
	const char *src = f[I_SOURCE].value;
	if (!src[0]) {
		snprintf(buf, len, "source: a directory, tarball or OCI DIR[:TAG]");
		return buf;
	}
	/* "-" is standard input to the core: here that is the terminal */
	if (!strcmp(src, "-") || !strncmp(src, "-:", 2)) {
		snprintf(buf, len, "source '-': standard input is the screen here");
		return buf;
	}
	/* whether the source exists and what it is, the core says (in the
	 * worker): the screen reads no files itself */
	return NULL;
}

void dialog_import(struct tui *t)
{
	struct form_field f[I_N] = {
		[I_NAME] = {"Name", "", NULL, 0},
		[I_SOURCE] = {"Source", "", NULL, 0},
	};
	if (!dialog_form(t, "Import an image (dir, tarball, OCI DIR[:TAG])", f,
			 I_N, check_import))
		return;
	if (worker_run_import(t->worker, box_root(t->ctx), f[I_NAME].value,
			      f[I_SOURCE].value) < 0)
		tui_worker_refused(t);
}
