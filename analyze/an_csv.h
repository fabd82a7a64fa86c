/*
 * an_csv.h - CSV output: numbers in the C locale, strings through libcsv
 * (quoted, formula-neutralised), "# " comment lines, and the timeline CSV
 * with one row per sample of the process tree.
 */
#ifndef AN_CSV_H
#define AN_CSV_H

#include <stdio.h>

#include "an_trace.h"

/* The timeline columns, in order (the first 14 are an interface). */
extern const char *const an_csv_columns[];
extern const size_t an_csv_ncolumns;

/* Writes v with "%.6g", or nothing for NaN. */
void an_csv_num(FILE *f, double v);

/*
 * Writes a string field quoted by libcsv; a field that a spreadsheet would
 * run as a formula (starting with = + - @, tab or CR) gets a leading '.
 * Returns 0 or EOF.
 */
int an_csv_str(FILE *f, const char *s, size_t n);

/* Writes "# text" with every control byte of text replaced by a space. */
void an_csv_comment(FILE *f, const char *fmt, ...);

/*
 * Writes the standard "# " lines describing the trace (machine, target,
 * time); "start" is the wall time at elapsed t0_s (0: the trace's start).
 */
void an_csv_describe(FILE *f, const struct an_trace *tr, double t0_s);

/* Label of mark m for display: its text, or "#N" for an unnamed mark. */
void an_mark_label(const struct an_mark *m, char *buf, size_t len);

/*
 * Writes the timeline CSV (comments, column row, rows), elapsed_s less
 * shift_s (compare aligns traces this way; 0: the trace's own times; the
 * wall_time column stays the recording's).  Returns 0 or EOF.
 */
int an_csv_timeline(FILE *f, const struct an_trace *tr, double shift_s);

#endif /* AN_CSV_H */
