/*
 * pm_internal.h - what pm_parse.c, pm_text.c and pm_plist.c share.
 *
 * Not an API: targets (where a table entry's value goes), units (how a
 * printed value becomes watts/MHz/percent, in pm_parse.c only), the number
 * and date readers and the error formatter.  Other modules use pm_parse.h.
 */
#ifndef PM_INTERNAL_H
#define PM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "pm_parse.h"

/* Which object a table entry writes into. */
enum pm_scope {
	PM_SCOPE_SAMPLE,	/* struct pm_sample */
	PM_SCOPE_CLUSTER,	/* struct pm_cluster of the current cluster */
	PM_SCOPE_CPU		/* struct pm_cpu of the current CPU */
};

/* The unit a value is printed in; pm_unit_convert() makes it canonical. */
enum pm_unit {
	PM_UNIT_PCT,		/* "9.61%" -> percent */
	PM_UNIT_RATIO,		/* 0.0961 -> percent */
	PM_UNIT_MW,		/* "11 mW" -> W */
	PM_UNIT_MJ,		/* mJ -> J */
	PM_UNIT_MHZ,		/* "1025 MHz" -> MHz */
	PM_UNIT_HZ,		/* Hz -> MHz */
	PM_UNIT_MS,		/* ms -> ms */
	PM_UNIT_NS,		/* ns -> ms */
	PM_UNIT_ID,		/* an integer id (int field) */
	PM_UNIT_TEXT,		/* a string (char array field) */
	PM_UNIT_DATE,		/* "2025-03-24T16:57:20Z" -> Unix s */
	PM_UNIT_COUNT
};

/* Where a value goes: a field of the sample, of a cluster or of a CPU. */
struct pm_target {
	enum pm_scope scope;	/* object the field belongs to */
	enum pm_unit unit;	/* unit as printed */
	size_t off;		/* offsetof the field in its object */
	size_t size;		/* sizeof the field (string capacity) */
};

#define PM_FIELD_SIZE(type, f) sizeof(((type *)0)->f)
#define PM_T_SAMPLE(f, u) { PM_SCOPE_SAMPLE, (u), \
	offsetof(struct pm_sample, f), PM_FIELD_SIZE(struct pm_sample, f) }
#define PM_T_CLUSTER(f, u) { PM_SCOPE_CLUSTER, (u), \
	offsetof(struct pm_cluster, f), PM_FIELD_SIZE(struct pm_cluster, f) }
#define PM_T_CPU(f, u) { PM_SCOPE_CPU, (u), \
	offsetof(struct pm_cpu, f), PM_FIELD_SIZE(struct pm_cpu, f) }

/* ========================= pm_parse.c ========================= */

/* Sets every field of *s to "not printed" (NaN, "", counts 0). */
void pm_sample_init(struct pm_sample *s, enum pm_format f);

/* Derives what the version did not print (active %, power, combined). */
void pm_sample_finish(struct pm_sample *s);

/* Makes clusters[0..ci] valid; returns 0, or -1 when ci is out of range. */
int pm_sample_cluster(struct pm_sample *s, int ci);

/* Appends a CPU of cluster ci (-1 unknown); returns its slot or -1 if full. */
int pm_sample_add_cpu(struct pm_sample *s, int id, int ci);

/* Converts v printed in unit u to the canonical unit (the only place). */
double pm_unit_convert(double v, enum pm_unit u);

/* Returns the text suffix of unit u ("mW", "MHz", "%"), "" if none. */
const char *pm_unit_suffix(enum pm_unit u, size_t *len);

/*
 * Stores a number printed in t->unit into the target field of s (object
 * index cl or cpu for cluster/CPU scope).  The first value printed wins: a
 * field that is already set is left alone.  Out-of-range objects are
 * ignored.
 */
void pm_store_num(struct pm_sample *s, const struct pm_target *t, int cl,
    int cpu, double v);

/* Stores a string (t->unit PM_UNIT_TEXT), truncated to fit, first wins. */
void pm_store_text(struct pm_sample *s, const struct pm_target *t, int cl,
    int cpu, const char *p, size_t n);

/* ========================= pm_num.c ========================= */

/*
 * Reads a decimal number ([+-]digits[.digits][e[+-]digits]) at p, never past
 * end, whatever the locale.  Returns the end of the number, or NULL when
 * there is none or it is out of range.
 */
const char *pm_num_parse(const char *p, const char *end, double *out);

/* Reads an unsigned decimal integer < 2^31; returns its end or NULL. */
const char *pm_int_parse(const char *p, const char *end, int *out);

/*
 * Reads a text timestamp "Sun Feb 28 00:17:04 2021 -0800" filling the
 * whole span [p, end).  Returns 0 with Unix seconds and the UTC offset in
 * minutes, or -1.
 */
int pm_date_text(const char *p, const char *end, double *unix_s, int *tz_min);

/* Reads "2025-03-24T16:57:20Z" filling [p, end); 0 with Unix s, or -1. */
int pm_date_iso(const char *p, const char *end, double *unix_s);

/* ========================= pm_parse.c: errors ========================= */

/*
 * Formats a one-line reason into err (printf-like); control characters
 * become '?'.  Always returns -1 so callers can "return pm_fail(...)".
 */
int pm_fail(char *err, size_t errlen, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Copies at most dstlen-1 bytes of [p, p+n) into dst, '?' for unprintables. */
void pm_snippet(char *dst, size_t dstlen, const char *p, size_t n);

/* ========================= pm_text.c ========================= */

/* Parses one text sample into s (already initialised); 0 or -1 with err. */
int pm_text_parse(const char *p, size_t len, struct pm_sample *s, char *err,
    size_t errlen);

/* Reads the text preamble; see pm_parse_preamble(). */
int pm_text_preamble(const char *p, size_t len, char *model, size_t model_len,
    char *os_build, size_t os_len);

/* Returns 1 when p (at its first non-blank byte) looks like text output. */
int pm_text_looks_like(const char *p, size_t len);

/* ========================= pm_plist.c ========================= */

/* Parses one plist record into s (already initialised); 0 or -1 with err. */
int pm_plist_parse(const char *p, size_t len, struct pm_sample *s, char *err,
    size_t errlen);


#endif /* PM_INTERNAL_H */
