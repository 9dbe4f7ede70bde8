/* fmt.h - numbers for narrow columns: sizes, rates, durations; text cut
 * to a width, never silently: what does not fit is marked. */
#ifndef TUI_FMT_H
#define TUI_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 1023 -> "1023", 1536 -> "1.5K", 5 GiB -> "5.0G": at most 5 chars. */
void fmt_size(char *buf, size_t len, double bytes);
/* seconds -> "59s", "12m03s", "3h07m", "5d02h". */
void fmt_duration(char *buf, size_t len, long secs);

/* What marks cut text: "…" (U+2026), or "~" where the screen is ASCII
 * (fmt_set_ascii). */
void fmt_set_ascii(bool ascii);
const char *fmt_ellipsis(void);
/* Display columns of UTF-8 s (one per character). */
int fmt_cols(const char *s);
/* s in at most w columns.  When it is longer: FMT_CUT_END keeps the head
 * ("a-long-na…"), FMT_CUT_MID the head and the tail ("a-lo…name-7"), so
 * two names that differ only at their end still look different. */
enum fmt_cut { FMT_CUT_END, FMT_CUT_MID };
void fmt_fit(char *buf, size_t len, const char *s, int w, enum fmt_cut cut);
/* Cut s to at most w display columns as fmt_fit(FMT_CUT_MID), padding
 * with spaces to exactly w; right aligns when right. */
void fmt_cell(char *buf, size_t len, const char *s, int w, int right);
/* Word wrap: the first line of s in at most w columns, broken after the
 * last space that fits (anywhere when a word is longer than w).  Returns
 * its length in bytes (trailing spaces left out); *next is where the next
 * line starts (spaces skipped), at the NUL when none. */
size_t fmt_wrap(const char *s, int w, const char **next);

#endif
