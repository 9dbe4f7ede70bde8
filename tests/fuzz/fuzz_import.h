/* fuzz_import.h - what the image-import harnesses (oci, docker) share. */
#ifndef FUZZ_IMPORT_H
#define FUZZ_IMPORT_H

#include "fuzz.h"
#include "image_import.h"

/* Import dir with fn as job "fuzz": it succeeds with a layer or fails
 * with a message, nothing else. */
static FUZZ_UNUSED void
fuzz_import(struct box_ctx *ctx, const char *dir, const char *tag,
	    int (*fn)(struct import_job *, const char *, const char *,
		      struct box_err *),
	    const char *what)
{
	struct import_job job;
	struct box_err err = {0};
	job_init(&job, ctx, "fuzz");
	int rc = fn(&job, dir, tag, &err);
	FUZZ_SAY("%s: %d %s\n", what, rc, err.msg);
	FUZZ_ASSERT(rc == 0 || (rc == -1 && err.msg[0]));
	if (rc == 0)
		FUZZ_ASSERT(job.meta.n_layers >= 1);
	job_free(&job);
}

#endif
