/*
 * tap.h - the few assertions the C unit tests use.
 *
 * Each check prints "ok N - what" or "not ok N - what" (TAP), and
 * tap_done() prints the closing "N passed, N failed" line that tests/run
 * sums, and returns the exit status.  Header-only, for tests only.
 */
#ifndef TAP_H
#define TAP_H

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int tap_pass, tap_fail;

/* Records one check; prints what when it fails together with the location. */
static int
tap_check(int cond, const char *file, int line, const char *what)
{
	if (cond) {
		tap_pass++;
		printf("ok %d - %s\n", tap_pass + tap_fail, what);
	} else {
		tap_fail++;
		printf("not ok %d - %s (%s:%d)\n", tap_pass + tap_fail, what,
		    file, line);
	}
	return cond;
}

#define CHECK(cond, what) tap_check(!!(cond), __FILE__, __LINE__, (what))

#define CHECK_U64(got, want, what) do { \
	uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want); \
	if (!tap_check(g_ == w_, __FILE__, __LINE__, (what))) \
		printf("#   got %" PRIu64 ", want %" PRIu64 "\n", g_, w_); \
} while (0)

#define CHECK_I64(got, want, what) do { \
	int64_t g_ = (int64_t)(got), w_ = (int64_t)(want); \
	if (!tap_check(g_ == w_, __FILE__, __LINE__, (what))) \
		printf("#   got %" PRId64 ", want %" PRId64 "\n", g_, w_); \
} while (0)

#define CHECK_NEAR(got, want, tol, what) do { \
	double g_ = (double)(got), w_ = (double)(want); \
	if (!tap_check(fabs(g_ - w_) <= (tol), __FILE__, __LINE__, (what))) \
		printf("#   got %.9g, want %.9g (tolerance %g)\n", g_, w_, \
		    (double)(tol)); \
} while (0)

#define CHECK_NAN(got, what) do { \
	double g_ = (double)(got); \
	if (!tap_check(isnan(g_), __FILE__, __LINE__, (what))) \
		printf("#   got %.9g, want missing (NaN)\n", g_); \
} while (0)

#define CHECK_STR(got, want, what) do { \
	const char *g_ = (got), *w_ = (want); \
	if (!tap_check(g_ != NULL && strcmp(g_, w_) == 0, __FILE__, __LINE__, \
	    (what))) \
		printf("#   got \"%s\", want \"%s\"\n", g_ ? g_ : "(null)", w_); \
} while (0)

/* Prints the closing line; returns the process exit status. */
static int
tap_done(void)
{
	printf("%d passed, %d failed\n", tap_pass, tap_fail);
	return tap_fail != 0;
}

#endif /* TAP_H */
