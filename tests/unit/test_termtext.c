/* test_termtext.c - console output made safe to draw: escape sequences
 * dropped, overwrites applied, controls shown as '?'. */
#include "termtext.h"
#include "unit.h"

static const char *clean(const char *in)
{
	static char out[TERMTEXT_CELLS * 4 + 1];
	termtext_clean(in, out, sizeof out);
	return out;
}

int main(void)
{
	CHECK_STR("plain text kept", clean("hello world"), "hello world");
	CHECK_STR("cursor query dropped", clean("pre\033[6npost"), "prepost");
	CHECK_STR("colours dropped", clean("\033[1;31mred\033[0m"), "red");
	CHECK_STR("private CSI dropped", clean("a\033[?2004hb"), "ab");
	CHECK_STR("OSC title (BEL) dropped", clean("\033]0;title\007text"), "text");
	CHECK_STR("OSC title (ST) dropped", clean("\033]2;t\033\\text"), "text");
	CHECK_STR("charset designation dropped", clean("\033(Bx"), "x");
	CHECK_STR("two-byte ESC dropped", clean("\0337x\0338"), "x");
	CHECK_STR("lone ESC at the end dropped", clean("x\033"), "x");
	CHECK_STR("unfinished CSI dropped", clean("x\033[12"), "x");
	CHECK_STR("CR overwrites from the start", clean("50%\r100%"), "100%");
	CHECK_STR("CR with shorter text keeps the rest", clean("abcdef\rxy"), "xycdef");
	CHECK_STR("backspace steps back", clean("ab\bc"), "ac");
	CHECK_STR("backspace at the start stays", clean("\bab"), "ab");
	CHECK_STR("tab is a space", clean("a\tb"), "a b");
	CHECK_STR("bell dropped", clean("a\007b"), "ab");
	CHECK_STR("other controls shown as ?", clean("a\001b\177c"), "a?b?c");
	CHECK_STR("UTF-8 kept", clean("caf\xc3\xa9 \xe2\x9c\x93"), "caf\xc3\xa9 \xe2\x9c\x93");
	CHECK_STR("UTF-8 overwritten by cells", clean("\xc3\xa9\xc3\xa9\rx"), "x\xc3\xa9");
	CHECK_STR("C1 control (8-bit CSI as UTF-8) shown as ?", clean("a\xc2\x9b" "6nb"), "a?6nb");
	CHECK_STR("invalid UTF-8 shown as ?", clean("a\xff\xc3(b"), "a?" "?(b");
	CHECK_STR("overlong UTF-8 shown as ?", clean("\xc0\xaf"), "??");
	char small[4];
	termtext_clean("abcdef", small, sizeof small);
	CHECK_STR("cut to the buffer, terminated", small, "abc");
	termtext_clean("\xc3\xa9\xc3\xa9", small, sizeof small);
	CHECK_STR("never half a character", small, "\xc3\xa9");
	UNIT_DONE();
}
