/* err.c - error values: the core reports, the front end prints. */
#include "box.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int box_fail(struct box_err *err, enum box_err_kind kind, int code,
	     const char *fmt, ...)
{
	if (!err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		err->msg[0] = '\0';
	err->kind = kind;
	err->code = kind == BOX_ESYS ? code : 0;
	if (kind == BOX_ESYS && code) {
		size_t len = strlen(err->msg);
		snprintf(err->msg + len, sizeof err->msg - len, ": %s",
			 strerror(code));
	}
	return -1;
}

int box_err_wrap(struct box_err *err, const char *fmt, ...)
{
	if (!err)
		return -1;
	char prefix[BOX_ERR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	/* Build in a larger buffer, then cut to size: context first. */
	char joined[2 * BOX_ERR_MAX + 2];
	snprintf(joined, sizeof joined, "%s: %s", prefix, err->msg);
	snprintf(err->msg, sizeof err->msg, "%.*s", BOX_ERR_MAX - 1, joined);
	return -1;
}

void box_err_clear(struct box_err *err)
{
	if (err) {
		err->kind = BOX_EOK;
		err->code = 0;
		err->msg[0] = '\0';
	}
}
