/*
 * fixed.h -- decimal text to fixed point prices and back.
 *
 * Prices enter the engine as text (data files, configuration, typed
 * orders) and are held as td_px, TD_PX_SCALE (1e9) units per point.  These
 * parsers are exact: "4801.25" is 4801250000000, never a rounded double.
 * They are written for the ingest loop (no locale, no strtod, no errno).
 */
#ifndef TD_FIXED_H
#define TD_FIXED_H

#include "types.h"

/* Decimals a td_px can hold. */
#define FIXED_DECIMALS	9

/* Room fixed_format needs for any value and any decimals. */
#define FIXED_FMT_MAX	32

/*
 * Parse len bytes at s: optional '+' or '-', digits, optionally '.' and
 * 1 to 9 more digits (".5" is accepted, "5." is not).  Nothing else, no
 * blanks.  0 and *out set on success; -1 for empty text, a stray
 * character, more than 9 decimals or a value beyond the td_px range.
 */
int	 fixed_parse(const char *s, size_t len, td_px *out);

/* The same for a whole number: optional sign and digits only. */
int	 fixed_parse_int(const char *s, size_t len, int64_t *out);

/*
 * Write v with exactly decimals (0..9) digits after the point into buf
 * ("-4801.25" for decimals 2).  Extra precision of v is rounded half away
 * from zero.  The text is cut to fit len (FIXED_FMT_MAX always fits).
 * Returns buf.
 */
char	*fixed_format(td_px v, int decimals, char *buf, size_t len);

/* Digits after the point v needs to be written exactly (0..9). */
int	 fixed_decimals(td_px v);

#endif
