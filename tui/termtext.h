/* termtext.h - a container's console output made safe to draw. */
#ifndef TUI_TERMTEXT_H
#define TUI_TERMTEXT_H

#include <stddef.h>

/* One line of console output as a terminal would have shown it, into out
 * (len bytes, always NUL-terminated): escape sequences (CSI such as a
 * shell's cursor query ESC[6n, OSC titles, DCS, charset and other ESC x)
 * are dropped; a carriage return goes back to the start of the line and
 * what follows writes over it; a backspace steps back one character; a
 * tab is a space; any other control character, C1 control or byte that
 * is not UTF-8 shows as '?'.  At most TERMTEXT_CELLS characters. */
#define TERMTEXT_CELLS 1024
void termtext_clean(const char *in, char *out, size_t len);

#endif
