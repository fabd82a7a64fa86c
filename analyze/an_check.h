/*
 * an_check.h - what a trace can mean: the limits of the values a machine
 * can record, and the checks the loader (an_load.c) applies to the header,
 * clock records and samples of a trace from someone else's machine.  A
 * value beyond them is not used (unknown: -1, 0 or NaN) and is named in
 * an_trace.refused, so that no figure, sum or time of day is built on it
 * and no arithmetic on it overflows.  It reads no trace and prints nothing.
 */
#ifndef AN_CHECK_H
#define AN_CHECK_H

#include <stdint.h>

#include "an_trace.h"
#include "powermetrics/pm_parse.h"

/*
 * What no machine can have: more than 1 PiB of memory or swap, more than
 * 2^22 threads in a process (Linux's pid space), more CPU or GPU time in an
 * interval than 4096 cores (the format's limit) busy for all of it, more
 * than 1 TB/s of disk bytes.
 */
#define AN_MAX_BYTES 1125899906842624.0	/* 2^50 */
#define AN_MAX_THREADS 4194304.0
#define AN_MAX_CORES 4096.0
#define AN_MAX_IO_BPS 1e12

/* Notes a value not used: the first AN_REFUSED_KEPT notes kept, all counted. */
void an_check_refuse(struct an_trace *tr, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Whether ns is a wall clock the analyzer can use: a date from 1970 to 2200. */
int an_check_wall(uint64_t ns);

/* Whether s is a UTC offset: within +-18 h. */
int an_check_offset(int64_t s);

/*
 * Checks the header just copied into tr: sets tr->wall_known,
 * offset_known, interval_s and cpu_ns_per_unit, and makes impossible
 * counts, RAM, interval, CPU time unit, wall clock and offset unknown.
 */
void an_check_header(struct an_trace *tr);

/* v when it is at most max (or NaN), else NaN and ++*bad. */
double an_check_max(double v, double max, uint64_t *bad);

/*
 * Checks a parsed powermetrics sample in place: a share beyond 100 %, a
 * negative or absurd power or frequency, a length beyond a day become NaN;
 * each adds 1 to *bad.
 */
void an_check_pm(struct pm_sample *s, uint64_t *bad);

/* Names what the loader counted as not used (nothing when all are 0). */
void an_check_counted(struct an_trace *tr, uint64_t values, uint64_t pm_values,
    uint64_t clocks);

#endif /* AN_CHECK_H */
