/*
 * an_report.h - the summary as text people can quote, and as one JSON object.
 */
#ifndef AN_REPORT_H
#define AN_REPORT_H

#include <stdio.h>

#include "an_summary.h"
#include "an_trace.h"

/* Prints the summary in plain text. */
void an_report_text(FILE *f, const struct an_trace *tr, const struct an_summary *s);

/* Prints the summary as one JSON object (valid UTF-8, NaN as null). */
void an_report_json(FILE *f, const struct an_trace *tr, const struct an_summary *s);

/*
 * Prints the units check of the recording's start ("Units checked at start:
 * CPU 1.00, children's CPU 1.00, memory 1.00"), or that there was none.
 */
void an_report_calib(FILE *f, const struct an_trace *tr);

/* Prints the units check, then what could not be read, or that the trace is complete. */
void an_report_integrity(FILE *f, const struct an_trace *tr);

/* One line: "Phocus 4.0.1 on MacBookPro18,3: Apple M1 Pro, 8P+2E cores, ...". */
void an_report_machine(const struct an_trace *tr, char *buf, size_t len);

/* Writes s[0..n) as a JSON string (quotes included). */
void an_json_str(FILE *f, const char *s, size_t n);

/* Writes a JSON number, or null for NaN. */
void an_json_num(FILE *f, double v);

/* "1:02:03" for seconds. */
void an_fmt_duration(double s, char *buf, size_t len);

/* The same to the nearest tenth of a second ("0:01:05.3"), as the recorder
 * prints how long it recorded. */
void an_fmt_duration_tenths(double s, char *buf, size_t len);

#endif /* AN_REPORT_H */
