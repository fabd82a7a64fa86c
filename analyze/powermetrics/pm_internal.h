/*
 * pm_internal.h - what pm_parse.c, pm_text.c and pm_plist.c share.
 *
 * Not an API: targets (where a table entry's value goes), units (how a
 * printed value becomes watts/MHz/percent, in pm_parse.c only), the number
 * and date readers, the error formatter and word-at-a-time byte scanning.
 * The readers called for every line or tag are inline here.  Other
 * modules use pm_parse.h.
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

enum { PM_NUM_NPOW10 = 23 };

/* 1e0 .. 1e22: the powers of ten that are exact in a double. */
extern const double pm_num_pow10[PM_NUM_NPOW10];

/* The general case of pm_num_parse() (signs, exponents, many digits). */
const char *pm_num_parse_any(const char *p, const char *end, double *out);

/*
 * Reads a decimal number ([+-]digits[.digits][e[+-]digits]) at p, never past
 * end, whatever the locale.  Returns the end of the number, or NULL when
 * there is none or it is out of range.
 *
 * Inline, as the line readers call it for every value: what powermetrics
 * prints ("1025", "9.61", ".20") is read here with no sign, exponent or
 * digit-count checks per digit.  At most PM_NUM_FAST bytes are looked at
 * (a number that may go on after them goes to pm_num_parse_any()), so
 * m < 10^15 < 2^53 is exact and m / 10^f the correctly rounded value, the
 * same pm_num_parse_any() gives; anything else goes there too.
 */
#define PM_NUM_FAST 15

static inline const char *
pm_num_parse(const char *p, const char *end, double *out)
{
	const char *q = p, *lim = end - p > PM_NUM_FAST ? p + PM_NUM_FAST : end;
	const char *frac;
	uint64_t m = 0;
	unsigned d;
	int ni, nf = 0;

	for (; q < lim && (d = (unsigned)(*q - '0')) <= 9; q++)
		m = m * 10 + d;
	ni = (int)(q - p);
	if (q < lim && *q == '.') {
		for (frac = ++q; q < lim &&
		    (d = (unsigned)(*q - '0')) <= 9; q++)
			m = m * 10 + d;
		nf = (int)(q - frac);
	}
	if (ni + nf == 0 || (q < end && (q == lim || *q == 'e' || *q == 'E')))
		return pm_num_parse_any(p, end, out);
	*out = nf > 0 && m != 0 ? (double)m / pm_num_pow10[nf] : (double)m;
	return q;
}

/*
 * Reads an unsigned decimal integer < 2^31; returns its end or NULL.
 * Inline: every CPU line starts with one.
 */
static inline const char *
pm_int_parse(const char *p, const char *end, int *out)
{
	const char *start = p;
	long v = 0;

	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > INT32_MAX)
			return NULL;
	}
	if (p == start)
		return NULL;
	*out = (int)v;
	return p;
}

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

/* ========================= Bytes (word at a time) ========================= */

/*
 * The scanners look at 8 bytes at once: a word is loaded little-endian
 * whatever the host (byte i of the input is bits 8i..8i+7), so the lowest
 * set bit of a byte mask is the first byte.  A mask has bit 7 of a byte set
 * where the byte matches; it is 0 exactly when no byte matches, and its
 * lowest set byte is the first match, but bytes after a match may be set
 * too (a borrow): only the first match of a mask is used.  The caller
 * checks that 8 bytes are there.
 */
#define PM_W_ONES UINT64_C(0x0101010101010101)
#define PM_W_LOW7 UINT64_C(0x7f7f7f7f7f7f7f7f)
#define PM_W_HIGH UINT64_C(0x8080808080808080)

/* Returns the 8 bytes at p as a little-endian word. */
static inline uint64_t
pm_w_load(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 |
	    (uint64_t)u[3] << 24 | (uint64_t)u[4] << 32 |
	    (uint64_t)u[5] << 40 | (uint64_t)u[6] << 48 |
	    (uint64_t)u[7] << 56;
}

/* Returns the 4 bytes at p as a little-endian word. */
static inline uint32_t
pm_w_load4(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 |
	    (uint32_t)u[3] << 24;
}

/* Returns a mask of the zero bytes of w (its first one is right). */
static inline uint64_t
pm_w_zero(uint64_t w)
{
	return (w - PM_W_ONES) & ~w & PM_W_HIGH;
}

/* Returns a mask of the bytes of w equal to c (its first one is right). */
static inline uint64_t
pm_w_eq(uint64_t w, unsigned char c)
{
	return pm_w_zero(w ^ (PM_W_ONES * c));
}

/* Returns the index (0..63) of the lowest set bit of a non-zero word. */
static inline unsigned
pm_w_bit(uint64_t w)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_ctzll(w);
#else
	unsigned i = 0;

	while (!(w & 1))
		w >>= 1, i++;
	return i;
#endif
}

/* Returns the index (0..7) of the first byte of a non-zero mask. */
static inline unsigned
pm_w_first(uint64_t mask)
{
	return pm_w_bit(mask) >> 3;
}

/* Returns the mask of the first n bytes of a word (n 0..8). */
static inline uint64_t
pm_w_head(unsigned n)
{
	return n >= 8 ? ~UINT64_C(0) : (UINT64_C(1) << (8 * n)) - 1;
}

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
