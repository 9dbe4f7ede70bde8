/* test_fkeys.c - the function key bar: what a click at a column means, at
 * different widths and in read-only mode (the bar's layout is pure). */
#include "tui.h"
#include "unit.h"

/* the last column holding key code k, -1 if not on the bar */
static int last_x(struct tui *t, const char *ctx, int k)
{
	int found = -1;
	for (int x = 0; x < t->cols; x++)
		if (fkeys_key_at(t, ctx, x) == k)
			found = x;
	return found;
}

int main(void)
{
	struct tui t = {0};
	t.cols = 80;
	t.o.lower = LOWER_GRAPHS;
	CHECK("F1 at the left edge", fkeys_key_at(&t, "main", 0) == KEY_F(1));
	CHECK("F10 on the 80 column bar", last_x(&t, "main", KEY_F(10)) > 60);
	CHECK("F9 on the 80 column bar", last_x(&t, "main", KEY_F(9)) > 0);
	CHECK("nothing past the last entry", fkeys_key_at(&t, "main", 79) == 0);

	/* narrow: entries drop from the middle, Quit stays */
	t.cols = 40;
	CHECK("40 columns keeps F1", fkeys_key_at(&t, "main", 0) == KEY_F(1));
	int q = last_x(&t, "main", KEY_F(10));
	CHECK("40 columns keeps F10", q > 0 && q < 40);
	CHECK("40 columns drops F9", last_x(&t, "main", KEY_F(9)) == -1);

	/* read-only: no action keys at all */
	t.cols = 80;
	t.o.readonly = true;
	CHECK("readonly has no F7", last_x(&t, "main", KEY_F(7)) == -1);
	CHECK("readonly has no F9", last_x(&t, "main", KEY_F(9)) == -1);
	CHECK("readonly keeps F10", last_x(&t, "main", KEY_F(10)) > 0);

	/* contexts: a dialog's bar and the log view's */
	CHECK("dialog Enter", fkeys_key_at(&t, "dialog", 0) == '\n');
	CHECK("log view back", last_x(&t, "log", KEY_F(10)) > 0);
	UNIT_DONE();
}
