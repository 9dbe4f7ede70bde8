/* kv.h - the plain "key = value" line format shared by theme files and
 * ~/.config/boxtop/boxtoprc.  '#' starts a comment; blank lines are skipped. */
#ifndef TUI_KV_H
#define TUI_KV_H

#include <stddef.h>

/* Called for each key=value line; returns 0 or -1 after writing a reason
 * (without the line number) into why. */
typedef int (*kv_fn)(void *arg, const char *key, const char *val, char *why,
		     size_t whylen);

/* Parse text; on the first bad line fill err with "line N: <why>" and return
 * -1.  Keys and values are trimmed; text is not modified. */
int kv_parse(const char *text, kv_fn fn, void *arg, char *err, size_t errlen);

#endif
