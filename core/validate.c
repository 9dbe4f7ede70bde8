/* validate.c - checks on user input shared by every front end. */
#include "box.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int box_check_name(const char *name, struct box_err *err)
{
	if (!name || !*name)
		return box_fail(err, BOX_EINVAL, 0,
				"invalid name '': must not be empty");
	size_t len = strlen(name);
	if (len > BOX_NAME_MAX)
		return box_fail(err, BOX_EINVAL, 0,
				"invalid name '%.20s...': %zu characters, at most %d",
				name, len, BOX_NAME_MAX);
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return box_fail(err, BOX_EINVAL, 0,
				"invalid name '%s': reserved", name);
	/* The name becomes a directory, a cgroup and a hostname: keep it to
	 * what all three accept. */
	if (!isalnum((unsigned char)name[0]))
		return box_fail(err, BOX_EINVAL, 0,
				"invalid name '%s': must start with a letter or digit",
				name);
	for (const char *p = name; *p; p++) {
		if (!isalnum((unsigned char)*p) && !strchr("-_.", *p))
			return box_fail(err, BOX_EINVAL, 0,
					"invalid name '%s': character '%c' not allowed "
					"(letters, digits, '-', '_', '.')",
					name, *p);
	}
	return 0;
}

int box_parse_size(const char *s, int64_t *out, struct box_err *err)
{
	if (!s || !*s)
		return box_fail(err, BOX_EINVAL, 0, "invalid size '': empty");
	errno = 0;
	char *end;
	double v = strtod(s, &end);
	if (end == s || errno || v < 0 || v != v)
		return box_fail(err, BOX_EINVAL, 0,
				"invalid size '%s': not a positive number", s);
	int64_t mult = 1;
	if (*end) {
		switch (toupper((unsigned char)*end)) {
		case 'B': mult = 1; break;
		case 'K': mult = 1LL << 10; break;
		case 'M': mult = 1LL << 20; break;
		case 'G': mult = 1LL << 30; break;
		case 'T': mult = 1LL << 40; break;
		default:
			return box_fail(err, BOX_EINVAL, 0,
					"invalid size '%s': unknown unit '%c' "
					"(use B, K, M, G or T)",
					s, *end);
		}
		end++;
		/* allow "512MB", "512MiB" */
		if (toupper((unsigned char)*end) == 'I')
			end++;
		if (mult > 1 && toupper((unsigned char)*end) == 'B')
			end++;
		if (*end)
			return box_fail(err, BOX_EINVAL, 0,
					"invalid size '%s': trailing '%s'", s,
					end);
	}
	double bytes = v * (double)mult;
	if (bytes >= 9.2e18)
		return box_fail(err, BOX_EINVAL, 0, "invalid size '%s': too large",
				s);
	if (bytes < 1)
		return box_fail(err, BOX_EINVAL, 0,
				"invalid size '%s': must be greater than zero", s);
	*out = (int64_t)bytes;
	return 0;
}

const char *box_status_name(enum box_status s)
{
	switch (s) {
	case BOX_CREATED: return "created";
	case BOX_RUNNING: return "running";
	case BOX_PAUSED: return "paused";
	case BOX_STOPPED: return "stopped";
	case BOX_REMOVING: return "removing";
	}
	return "unknown";
}

int box_parse_userns(const char *s, enum box_userns *out, struct box_err *err)
{
	if (s && !strcmp(s, "auto"))
		*out = BOX_USERNS_AUTO;
	else if (s && !strcmp(s, "host"))
		*out = BOX_USERNS_HOST;
	else {
		char shown[40];
		return box_fail(err, BOX_EINVAL, 0,
				"invalid userns '%s': expected auto or host",
				util_printable(s ? s : "", shown, sizeof shown));
	}
	return 0;
}
