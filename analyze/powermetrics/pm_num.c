/*
 * pm_num.c - locale-independent numbers and dates for the powermetrics parser.
 * Reads decimals, small integers, text timestamps and plist ISO 8601 dates
 * from a bounded span, with no strtod, strptime, locale or time zone data.
 * The common short cases of decimals and integers are inline readers in
 * pm_internal.h; this is the general case.  It does not know what the
 * values mean.
 */
#include <math.h>
#include <stdint.h>

#include "pm_internal.h"

/* Powers of ten that are exact in a double. */
const double pm_num_pow10[PM_NUM_NPOW10] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

#define PM_NUM_MAX_M UINT64_C(10000000000000000)	/* keep 17 digits */
#define PM_NUM_MAX_EXP 400	/* beyond this a double is 0 or infinite */

/* Returns 1 for an ASCII digit. */
static int
pm_num_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Returns m * 10^e.  Exact (correctly rounded) when m < 2^53 and |e| <= 22,
 * which covers everything powermetrics prints; within a few ulps otherwise.
 */
static double
pm_num_scale(uint64_t m, int e)
{
	double v = (double)m;

	if (m == 0 || e == 0)
		return v;
	if (m < (UINT64_C(1) << 53) && e > 0 && e <= 22)
		return v * pm_num_pow10[e];
	if (m < (UINT64_C(1) << 53) && e < 0 && e >= -22)
		return v / pm_num_pow10[-e];
	return e > 0 ? v * pow(10.0, e) : v / pow(10.0, -e);
}

/* Reads an optional exponent "e[+-]digits" at *pp; adds it to *e10. */
static void
pm_num_exponent(const char **pp, const char *end, int *e10)
{
	const char *p = *pp;
	int neg = 0, e = 0, nd = 0;

	if (p >= end || (*p != 'e' && *p != 'E'))
		return;
	p++;
	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	for (; p < end && pm_num_isdigit(*p); p++, nd++)
		if (e < 100000)
			e = e * 10 + (*p - '0');
	if (nd == 0)
		return;		/* "1e": the number 1, then 'e' */
	*e10 += neg ? -e : e;
	*pp = p;
}

/*
 * Reads [+-]digits[.digits][e[+-]digits] at p: the general case, for what
 * pm_num_parse() leaves (signs, exponents, many digits, no digits).
 */
const char *
pm_num_parse_any(const char *p, const char *end, double *out)
{
	uint64_t m = 0;
	unsigned d;
	int neg = 0, nd = 0, e10 = 0;
	double v;

	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	for (; p < end && (d = (unsigned)(*p - '0')) <= 9; p++, nd++) {
		if (m < PM_NUM_MAX_M)
			m = m * 10 + d;
		else if (e10 <= PM_NUM_MAX_EXP)
			e10++;		/* digits beyond 17: dropped */
	}
	if (p < end && *p == '.') {
		for (p++; p < end && (d = (unsigned)(*p - '0')) <= 9;
		    p++, nd++) {
			if (m < PM_NUM_MAX_M && e10 >= -PM_NUM_MAX_EXP) {
				m = m * 10 + d;
				e10--;
			}
		}
	}
	if (nd == 0)
		return NULL;
	pm_num_exponent(&p, end, &e10);
	if (e10 > PM_NUM_MAX_EXP || e10 < -PM_NUM_MAX_EXP)
		return NULL;
	v = pm_num_scale(m, e10);
	if (!isfinite(v))
		return NULL;
	*out = neg ? -v : v;
	return p;
}

/* ========================= Dates ========================= */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
pm_num_days(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Returns 1 when y-m-d hh:mm:ss is a real date and time (leap second ok). */
static int
pm_num_valid(int y, int m, int d, int hh, int mm, int ss)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	if (d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return 0;
	return hh < 24 && mm < 60 && ss <= 60;
}

/* Reads exactly n digits at *pp into *v; returns 0 or -1. */
static int
pm_num_digits(const char **pp, const char *end, int n, int *v)
{
	const char *p = *pp;
	int i;

	if (end - p < n)
		return -1;
	for (*v = 0, i = 0; i < n; i++) {
		if (!pm_num_isdigit(p[i]))
			return -1;
		*v = *v * 10 + (p[i] - '0');
	}
	*pp = p + n;
	return 0;
}

/* Reads "hh:mm:ss" at *pp; returns 0 or -1. */
static int
pm_num_clock(const char **pp, const char *end, int *hh, int *mm, int *ss)
{
	const char *p = *pp;

	if (pm_num_digits(&p, end, 2, hh) || p >= end || *p++ != ':' ||
	    pm_num_digits(&p, end, 2, mm) || p >= end || *p++ != ':' ||
	    pm_num_digits(&p, end, 2, ss))
		return -1;
	*pp = p;
	return 0;
}

/* Skips spaces; returns the next word [*w, *w + *n) or -1 if none. */
static int
pm_num_word(const char **pp, const char *end, const char **w, size_t *n)
{
	const char *p = *pp;

	while (p < end && *p == ' ')
		p++;
	*w = p;
	while (p < end && *p != ' ')
		p++;
	*n = (size_t)(p - *w);
	*pp = p;
	return *n ? 0 : -1;
}

/* Returns 1..12 for "Jan".."Dec", or 0. */
static int
pm_num_month(const char *w, size_t n)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int i;

	if (n != 3)
		return 0;
	for (i = 0; i < 12; i++)
		if (w[0] == names[3 * i] && w[1] == names[3 * i + 1] &&
		    w[2] == names[3 * i + 2])
			return i + 1;
	return 0;
}

/* Reads a "+0200" / "-0800" UTC offset word into minutes; 0 or -1. */
static int
pm_num_tz(const char *w, size_t n, int *tz_min)
{
	const char *p = w + 1;
	int hh, mm;

	if (n != 5 || (w[0] != '+' && w[0] != '-'))
		return -1;
	if (pm_num_digits(&p, w + n, 2, &hh) ||
	    pm_num_digits(&p, w + n, 2, &mm) || hh > 14 || mm > 59)
		return -1;
	*tz_min = (w[0] == '-' ? -1 : 1) * (hh * 60 + mm);
	return 0;
}

/* Reads the next word as exactly n digits (n 0: 1 or 2 digits); 0 or -1. */
static int
pm_num_word_int(const char **pp, const char *end, int n, int *v)
{
	const char *w, *q;
	size_t len;

	if (pm_num_word(pp, end, &w, &len) != 0)
		return -1;
	if (n == 0 && (len < 1 || len > 2))
		return -1;
	q = w;
	return pm_num_digits(&q, w + len, n ? n : (int)len, v) == 0 &&
	    q == w + len ? 0 : -1;
}

/* Reads the next word as "hh:mm:ss"; 0 or -1. */
static int
pm_num_word_clock(const char **pp, const char *end, int *hh, int *mm, int *ss)
{
	const char *w, *q;
	size_t len;

	if (pm_num_word(pp, end, &w, &len) != 0)
		return -1;
	q = w;
	return pm_num_clock(&q, w + len, hh, mm, ss) == 0 && q == w + len ?
	    0 : -1;
}

/* Reads "Sun Feb 28 00:17:04 2021 -0800"; see pm_internal.h. */
int
pm_date_text(const char *p, const char *end, double *unix_s, int *tz_min)
{
	const char *w;
	size_t n;
	int mon, day = 0, hh = 0, mm = 0, ss = 0, year = 0, tz = 0;

	if (pm_num_word(&p, end, &w, &n) != 0 || n != 3)	/* weekday */
		return -1;
	if (pm_num_word(&p, end, &w, &n) != 0 ||
	    (mon = pm_num_month(w, n)) == 0)
		return -1;
	if (pm_num_word_int(&p, end, 0, &day) != 0 ||
	    pm_num_word_clock(&p, end, &hh, &mm, &ss) != 0 ||
	    pm_num_word_int(&p, end, 4, &year) != 0)
		return -1;
	if (pm_num_word(&p, end, &w, &n) != 0 || pm_num_tz(w, n, &tz) != 0)
		return -1;
	if (pm_num_word(&p, end, &w, &n) == 0 ||	/* trailing words */
	    !pm_num_valid(year, mon, day, hh, mm, ss))
		return -1;
	*unix_s = (double)(pm_num_days(year, mon, day) * 86400 +
	    hh * 3600 + mm * 60 + ss - (int64_t)tz * 60);
	*tz_min = tz;
	return 0;
}

/* Reads "2025-03-24T16:57:20Z" (optional fraction); see pm_internal.h. */
int
pm_date_iso(const char *p, const char *end, double *unix_s)
{
	int y = 0, mo = 0, d = 0, hh = 0, mm = 0, ss = 0;
	double frac = 0;

	if (pm_num_digits(&p, end, 4, &y) || p >= end || *p++ != '-' ||
	    pm_num_digits(&p, end, 2, &mo) || p >= end || *p++ != '-' ||
	    pm_num_digits(&p, end, 2, &d) || p >= end || *p++ != 'T' ||
	    pm_num_clock(&p, end, &hh, &mm, &ss))
		return -1;
	if (p < end && *p == '.') {
		const char *q = pm_num_parse(p, end, &frac);

		if (q == NULL || q == p + 1)
			return -1;
		p = q;
	}
	if (p >= end || *p++ != 'Z' || p != end ||
	    !pm_num_valid(y, mo, d, hh, mm, ss))
		return -1;
	*unix_s = (double)(pm_num_days(y, mo, d) * 86400 + hh * 3600 +
	    mm * 60 + ss) + frac;
	return 0;
}
