/* unit_sh.h - helpers for the unit tests that build trees on disk as root
 * (test_image_store, test_image_unpack). */
#ifndef UNIT_SH_H
#define UNIT_SH_H
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* system() of a printf-formatted shell command: fixtures and cleanup. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* False, after "SKIP: <what> - needs root", when not root. */
static bool unit_need_root(const char *what) __attribute__((unused));
static bool unit_need_root(const char *what)
{
	if (geteuid() == 0)
		return true;
	printf("SKIP: %s - needs root\n", what);
	return false;
}
#endif
