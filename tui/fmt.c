/* fmt.c - compact human-readable numbers for table cells, and text fitted
 * to a width. */
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

static bool ascii_only;

void fmt_set_ascii(bool ascii)
{
	ascii_only = ascii;
}

const char *fmt_ellipsis(void)
{
	return ascii_only ? "~" : "\xe2\x80\xa6";
}

/* one display column per UTF-8 lead byte */
static bool lead(char c)
{
	return ((unsigned char)c & 0xC0) != 0x80;
}

int fmt_cols(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += lead(*s);
	return n;
}

/* Bytes of the first cols columns of s. */
static size_t head_bytes(const char *s, int cols)
{
	size_t b = 0;
	while (s[b] && cols > 0) {
		b++;
		while (s[b] && !lead(s[b]))
			b++;
		cols--;
	}
	return b;
}

/* Where the last cols columns of s (len bytes) begin. */
static size_t tail_start(const char *s, size_t len, int cols)
{
	size_t b = len;
	while (b > 0 && cols > 0) {
		b--;
		while (b > 0 && !lead(s[b]))
			b--;
		cols--;
	}
	return b;
}

void fmt_fit(char *buf, size_t len, const char *s, int w, enum fmt_cut cut)
{
	if (!len)
		return;
	buf[0] = '\0';
	if (w <= 0)
		return;
	if (fmt_cols(s) <= w) {
		snprintf(buf, len, "%s", s);
		return;
	}
	/* one column for the mark; the tail gets the smaller half */
	int keep = w - 1;
	int tail = cut == FMT_CUT_MID ? keep / 2 : 0;
	size_t hb = head_bytes(s, keep - tail);
	size_t sl = strlen(s);
	size_t tb = tail_start(s, sl, tail);
	snprintf(buf, len, "%.*s%s%s", (int)hb, s, fmt_ellipsis(),
		 tail ? s + tb : "");
}

void fmt_cell(char *buf, size_t len, const char *s, int w, int right)
{
	char fit[512];
	fmt_fit(fit, sizeof fit, s, w, FMT_CUT_MID);
	size_t bytes = strlen(fit);
	int pad = w - fmt_cols(fit);
	if (pad < 0)
		pad = 0;
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
	memcpy(p, fit, bytes);
	p += bytes;
	if (!right) {
		memset(p, ' ', (size_t)pad);
		p += pad;
	}
	*p = '\0';
}

size_t fmt_wrap(const char *s, int w, const char **next)
{
	size_t b = 0, brk = 0;
	int cols = 0;
	if (w < 1)
		w = 1; /* always progress */
	while (s[b] && cols < w) {
		if (s[b] == ' ')
			brk = b;
		b++;
		while (s[b] && !lead(s[b]))
			b++;
		cols++;
	}
	size_t end = b;
	/* it all fit, or the cut falls on a space: no word is split */
	if (s[b] && s[b] != ' ' && brk > 0)
		end = brk;
	const char *n = s + end;
	while (*n == ' ')
		n++;
	*next = n;
	while (end > 0 && s[end - 1] == ' ')
		end--;
	return end;
}
