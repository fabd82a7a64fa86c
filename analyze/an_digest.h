/*
 * an_digest.h - a trace at a glance: the few figures `list` shows of each
 * trace (when, what, on which machine, how long, peak memory, memory trend,
 * CPU-seconds, GPU and ANE energy, power source, integrity), computed from
 * the whole trace by an_summarize(), and kept as text in the list cache.
 * One table of keys (an_digest_keys) serves the cache, CSV, JSON, --sort and
 * --where.
 */
#ifndef AN_DIGEST_H
#define AN_DIGEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "an_summary.h"
#include "an_trace.h"

#define AN_DIGEST_STR 160	/* bytes of a text field kept (cut at a UTF-8 boundary) */

/* The figures of one trace; text is as stored (untrusted), numbers NaN when unknown. */
struct an_digest {
	char trace[4096];		/* the path as listed */
	char error[256];		/* "" or why the trace cannot be read */
	char start[40];			/* ISO 8601 local time, "" when unknown */
	double start_unix;		/* s since 1970, NaN when unknown */
	char target[AN_DIGEST_STR], target_version[AN_DIGEST_STR];
	char host[AN_DIGEST_STR], chip[AN_DIGEST_STR], model[AN_DIGEST_STR];
	char os_name[AN_DIGEST_STR], os_version[AN_DIGEST_STR];
	double ram_gb;			/* 10^9 bytes */
	double duration_s, samples;
	char memory_metric[16];		/* "footprint" or "rss": what peak and trend are of */
	double memory_peak_gb, memory_trend_gb_per_mark, marks;
	double cpu_seconds, gpu_energy_j, ane_energy_j;
	char power_source[64];		/* "powermetrics", "powermetrics from another machine", "ioreport", "none" */
	char integrity[16];		/* "complete", "damaged", "no end" (as read) */
};

/* A key of the digest: its name, whether a number, where it is. */
struct an_digest_key {
	const char *key;		/* CSV column, JSON key, --sort and --where name */
	int num;			/* 1: a double; 0: text */
	size_t off;			/* offsetof(struct an_digest, field) */
	size_t size;			/* of the text buffer */
};

extern const struct an_digest_key an_digest_keys[];
extern const size_t an_digest_nkeys;

/* The key named name, or NULL. */
const struct an_digest_key *an_digest_key(const char *name);

/* Clears d: empty text, NaN numbers, path copied. */
void an_digest_init(struct an_digest *d, const char *path);

/* Fills d from a loaded trace and its summary. */
void an_digest_make(struct an_digest *d, const struct an_trace *tr, const struct an_summary *s);

/* Field k of d: its number (NaN when text), and its text (numbers as %.6g; "" for NaN). */
double an_digest_num(const struct an_digest *d, const struct an_digest_key *k);
void an_digest_text(const struct an_digest *d, const struct an_digest_key *k, char *buf,
    size_t len);

/*
 * The integrity to show: "complete", "damaged", or for a trace without an
 * END record "recording" when the file changed less than 60 s before now
 * (a recorder flushes every second), else "unfinished".
 */
const char *an_digest_state(const struct an_digest *d, int64_t mtime_s, int64_t now_s);

/*
 * Writes d as "key=value" lines (text escaped: \\ \n \xHH) and reads them
 * back; lines with unknown keys are skipped.  an_digest_read returns 0, or
 * -1 when buf is malformed.
 */
int an_digest_write(FILE *f, const struct an_digest *d);
int an_digest_read(struct an_digest *d, const char *buf, size_t len);

#endif /* AN_DIGEST_H */
