/* main.c - boxtop's entry: no arguments opens the TUI, else a command. */
#include "box.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	fprintf(stderr, "boxtop: not yet\n");
	return 1;
}
