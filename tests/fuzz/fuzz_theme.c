/* fuzz_theme.c - theme files (tui/theme.c over tui/kv.c): any text parsed
 * over the default theme, as theme_load does with a file it found. */
#include "fuzz.h"
#include "theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size);
	struct theme t;
	char err[256] = "";
	theme_default(&t);
	if (theme_parse(text, &t, err, sizeof err) < 0)
		FUZZ_ASSERT(!strncmp(err, "line ", 5));
	FUZZ_ASSERT(memchr(t.name, '\0', sizeof t.name));
	for (int r = 0; r < R_COUNT; r++)
		FUZZ_ASSERT(t.s[r].fg >= -1 && t.s[r].fg <= 255 &&
			    t.s[r].bg >= -1 && t.s[r].bg <= 255);
	theme_uses_color(&t);
	free(text);
	return 0;
}
