/* child_msg.h - errors of code that runs in a freshly cloned child, where
 * nothing may allocate: FAIL(fmt, ...) writes "what: strerror(errno)" into
 * the caller's msg (of len bytes) and returns -1. */
#ifndef BOX_CHILD_MSG_H
#define BOX_CHILD_MSG_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define FAIL(...)                                                             \
	do {                                                                  \
		int e_ = errno;                                               \
		int n_ = snprintf(msg, len, __VA_ARGS__);                     \
		if (e_ && n_ >= 0 && (size_t)n_ < len)                        \
			snprintf(msg + n_, len - (size_t)n_, ": %s",          \
				 strerror(e_));                               \
		return -1;                                                    \
	} while (0)

#endif
