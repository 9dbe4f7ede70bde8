/* term_check.c - is $TERM known to terminfo?  Kept apart because <term.h>
 * defines macros (lines, columns, ...) that clash with ordinary names. */
#include <curses.h>
#include <stdbool.h>
#include <term.h>
#include <unistd.h>

bool term_known(void);

bool term_known(void)
{
	int err = 0;
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK)
		return false;
	del_curterm(cur_term);
	return true;
}
