/* kv.c - a line parser for key=value files (themes, boxtoprc). */
#include "kv.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static void trim(char **s, char **e)
{
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

int kv_parse(const char *text, kv_fn fn, void *arg, char *err, size_t errlen)
{
	int lineno = 0;
	const char *p = text;
	while (*p) {
		lineno++;
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];
		if (len >= sizeof line) {
			snprintf(err, errlen, "line %d: too long", lineno);
			return -1;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (nl ? 1 : 0);

		char *s = line, *e = line + len;
		char *hash = strchr(s, '#');
		if (hash)
			e = hash;
		trim(&s, &e);
		if (s == e)
			continue;
		*e = '\0';
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "line %d: expected key = value, got '%.60s'",
				 lineno, s);
			return -1;
		}
		char *ks = s, *ke = eq, *vs = eq + 1, *ve = e;
		trim(&ks, &ke);
		trim(&vs, &ve);
		*ke = '\0';
		*ve = '\0';
		if (!*ks) {
			snprintf(err, errlen, "line %d: missing key", lineno);
			return -1;
		}
		char why[200] = "";
		if (fn(arg, ks, vs, why, sizeof why) < 0) {
			snprintf(err, errlen, "line %d: %s", lineno, why);
			return -1;
		}
	}
	return 0;
}
