/* unit.h - the smallest test harness: each CHECK prints PASS/FAIL lines that
 * tests/run.sh counts; main returns non-zero if any failed. */
#ifndef UNIT_H
#define UNIT_H
#include <stdio.h>
#include <string.h>

static int unit_failed;
#define CHECK(name, cond)                                                     \
	do {                                                                  \
		if (cond)                                                     \
			printf("PASS: %s\n", name);                           \
		else {                                                        \
			printf("FAIL: %s - %s:%d: %s\n", name, __FILE__,      \
			       __LINE__, #cond);                              \
			unit_failed++;                                        \
		}                                                             \
	} while (0)
#define CHECK_STR(name, got, want)                                            \
	do {                                                                  \
		const char *g_ = (got), *w_ = (want);                         \
		if (g_ && w_ && !strcmp(g_, w_))                              \
			printf("PASS: %s\n", name);                           \
		else {                                                        \
			printf("FAIL: %s - got '%s', want '%s'\n", name,      \
			       g_ ? g_ : "(null)", w_ ? w_ : "(null)");       \
			unit_failed++;                                        \
		}                                                             \
	} while (0)
#define UNIT_DONE() return unit_failed ? 1 : 0
#endif
