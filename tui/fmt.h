/* fmt.h - numbers for narrow columns: sizes, rates, durations. */
#ifndef TUI_FMT_H
#define TUI_FMT_H

#include <stddef.h>
#include <stdint.h>

/* 1023 -> "1023", 1536 -> "1.5K", 5 GiB -> "5.0G": at most 5 chars. */
void fmt_size(char *buf, size_t len, double bytes);
/* seconds -> "59s", "12m03s", "3h07m", "5d02h". */
void fmt_duration(char *buf, size_t len, long secs);
/* Cut s to at most w display columns (UTF-8 aware), padding with spaces
 * to exactly w; right aligns when right. */
void fmt_cell(char *buf, size_t len, const char *s, int w, int right);

#endif
