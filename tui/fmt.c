/* fmt.c - compact human-readable numbers for table cells. */
#include "fmt.h"

#include <stdio.h>
#include <string.h>

void fmt_size(char *buf, size_t len, double bytes)
{
	static const char units[] = "BKMGTP";
	int u = 0;
	while (bytes >= 1024 && u < 5) {
		bytes /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%.0f", bytes);
	else if (bytes < 10)
		snprintf(buf, len, "%.1f%c", bytes, units[u]);
	else
		snprintf(buf, len, "%.0f%c", bytes, units[u]);
}

void fmt_duration(char *buf, size_t len, long s)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(buf, len, "%lds", s);
	else if (s < 3600)
		snprintf(buf, len, "%ldm%02lds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%ldh%02ldm", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%ldd%02ldh", s / 86400, s % 86400 / 3600);
}

void fmt_cell(char *buf, size_t len, const char *s, int w, int right)
{
	/* count display columns: one per UTF-8 lead byte */
	size_t bytes = 0;
	int cols = 0;
	while (s[bytes] && cols < w) {
		bytes++;
		while ((s[bytes] & 0xC0) == 0x80)
			bytes++;
		cols++;
	}
	int pad = w - cols;
	if (len < bytes + (size_t)pad + 1) {
		if (len)
			buf[0] = '\0';
		return;
	}
	char *p = buf;
	if (right) {
		memset(p, ' ', (size_t)pad);
		p += pad;
	}
	memcpy(p, s, bytes);
	p += bytes;
	if (!right) {
		memset(p, ' ', (size_t)pad);
		p += pad;
	}
	*p = '\0';
}
