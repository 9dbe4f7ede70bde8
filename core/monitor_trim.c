/* monitor_trim.c - shrink an idle monitor to what it really keeps using.
 *
 * A monitor is forked from whatever front end started it (a command, the
 * TUI, a batch) and then waits for days.  At fork it shares every page of
 * the front end; once the front end exits, the pages only the monitor still
 * maps count fully to its PSS: free heap, deep stack, and the program text
 * and read-only data the front end ran through.  The figure the benchmark
 * watches (item 4: resident cost per container) is made of exactly these. */
#include "monitor.h"
#include "idle_syscall.h"

#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The read-only private file mappings hold no private copy of anything
 * (smaps "Anonymous: 0"): dropping their pages unmaps them, the mapping
 * stays, and what is used again faults back in from the page cache.  A
 * mapping with anonymous pages (relocated RELRO data) is left alone:
 * dropping those would bring back the file's unrelocated bytes. */
static bool clean_file_mapping(const char *line, int path_at,
			       const char *perms)
{
	return path_at > 0 && line[path_at] == '/' && perms[1] != 'w' &&
	       perms[3] == 'p';
}

/* The linker names the bounds of a section whose name is an identifier. */
extern const char __start_boxtop_idle_text[], __stop_boxtop_idle_text[];

/* Split the idle code's pages off the program's text mapping.  Any
 * madvise that sets a flag on part of a mapping splits it; MADV_RANDOM
 * (no read-ahead on a major fault) is the one that also says what we
 * mean: fault in only what runs. */
static void isolate_idle_text(long pg)
{
	uintptr_t lo = (uintptr_t)__start_boxtop_idle_text & ~(uintptr_t)(pg - 1);
	uintptr_t hi = ((uintptr_t)__stop_boxtop_idle_text + (uintptr_t)pg - 1) &
		       ~(uintptr_t)(pg - 1);
	madvise((void *)lo, hi - lo, MADV_RANDOM);
}

MONITOR_IDLE_TEXT void monitor_trim(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	malloc_trim(0);
	isolate_idle_text(pg);
	/* First read which mappings to drop, then drop them as the very last
	 * thing: reading smaps after a drop would fault the parser's code and
	 * format strings straight back in (64 kB at a time: fault-around). */
	struct range {
		unsigned long lo, hi;
	} drop[64];
	size_t n = 0;
	unsigned long stack_lo = 0;
	FILE *f = fopen("/proc/self/smaps", "re");
	if (!f)
		return;
	char line[512];
	unsigned long lo = 0, hi = 0;
	bool candidate = false;
	while (fgets(line, sizeof line, f)) {
		unsigned long a, b, kb;
		char perms[8];
		int path_at = 0;
		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &a, &b, perms,
			   &path_at) == 3) {
			lo = a, hi = b;
			candidate = clean_file_mapping(line, path_at, perms);
			if (path_at > 0 && !strncmp(line + path_at, "[stack]", 7))
				stack_lo = a;
			continue;
		}
		if (candidate && sscanf(line, "Anonymous: %lu kB", &kb) == 1) {
			if (kb == 0 && n < sizeof drop / sizeof drop[0])
				drop[n++] = (struct range){lo, hi};
			candidate = false;
		}
	}
	fclose(f);
	/* The stack below this frame (less a margin) is garbage: the front
	 * end's deep calls left it dirty. */
	volatile char here = 0;
	uintptr_t top = ((uintptr_t)&here & ~(uintptr_t)(pg - 1)) - 2 * (uintptr_t)pg;
	if (stack_lo && top > stack_lo)
		madvise((void *)stack_lo, top - stack_lo, MADV_DONTNEED);
	/* libc's text is among the dropped: from here on, no libc call */
	for (size_t i = 0; i < n; i++)
		idle_madvise((void *)drop[i].lo, drop[i].hi - drop[i].lo,
			     MADV_DONTNEED);
}
