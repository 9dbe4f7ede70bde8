/* termtext.c - a container's console output made safe to draw: nothing in
 * it may move the cursor or change the terminal, and what was overwritten
 * on the container's terminal (progress meters: CR, backspace) is not
 * shown twice. */
#include "termtext.h"

#include <string.h>

/* Bytes of the UTF-8 character at s (1..4), 0 when it is not valid UTF-8;
 * *cp gets the code point. */
static size_t utf8_len(const unsigned char *s, unsigned *cp)
{
	size_t n;
	unsigned c = s[0], min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xE0) == 0xC0)
		n = 2, c &= 0x1F, min = 0x80;
	else if ((c & 0xF0) == 0xE0)
		n = 3, c &= 0x0F, min = 0x800;
	else if ((c & 0xF8) == 0xF0)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/* The length of the escape sequence starting at s (s[0] is ESC). */
static size_t esc_len(const unsigned char *s)
{
	size_t i = 1;
	switch (s[1]) {
	case '\0':
		return 1;
	case '[': /* CSI: parameters, intermediates, one final byte */
		for (i = 2; s[i] >= 0x20 && s[i] <= 0x3F; i++)
			;
		for (; s[i] >= 0x20 && s[i] <= 0x2F; i++)
			;
		return s[i] >= 0x40 && s[i] <= 0x7E ? i + 1 : i;
	case ']': /* OSC */
	case 'P': /* DCS */
	case 'X': /* SOS */
	case '^': /* PM */
	case '_': /* APC: all end at BEL or ST (ESC \) */
		for (i = 2; s[i]; i++) {
			if (s[i] == 7)
				return i + 1;
			if (s[i] == 27 && s[i + 1] == '\\')
				return i + 2;
		}
		return i;
	default: /* ESC, intermediates (charsets: ESC ( B), one final byte */
		for (; s[i] >= 0x20 && s[i] <= 0x2F; i++)
			;
		return s[i] ? i + 1 : i;
	}
}

void termtext_clean(const char *in, char *out, size_t len)
{
	/* the line as cells, each one character of up to 4 bytes */
	char cell[TERMTEXT_CELLS][5];
	size_t ncell = 0, pos = 0;
	const unsigned char *s = (const unsigned char *)in;
	while (*s) {
		char ch[5] = "";
		unsigned cp = 0;
		size_t n;
		if (*s == 27) {
			s += esc_len(s);
			continue;
		}
		if (*s == '\r') {
			pos = 0;
			s++;
			continue;
		}
		if (*s == '\b') {
			if (pos)
				pos--;
			s++;
			continue;
		}
		if (*s == 7) { /* the bell rings nothing here */
			s++;
			continue;
		}
		n = utf8_len(s, &cp);
		if (*s == '\t') {
			strcpy(ch, " ");
			n = 1;
		} else if (!n || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
			strcpy(ch, "?");
			n = n ? n : 1;
		} else {
			memcpy(ch, s, n);
			ch[n] = '\0';
		}
		s += n;
		if (pos >= TERMTEXT_CELLS)
			continue;
		memcpy(cell[pos], ch, sizeof ch);
		if (++pos > ncell)
			ncell = pos;
	}
	size_t off = 0;
	for (size_t i = 0; i < ncell && len; i++) {
		size_t l = strlen(cell[i]);
		if (off + l + 1 > len)
			break;
		memcpy(out + off, cell[i], l);
		off += l;
	}
	if (len)
		out[off] = '\0';
}
