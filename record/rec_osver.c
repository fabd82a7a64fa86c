/*
 * rec_osver.c - works out the true macOS version from the compatibility
 * answer macOS gives programs built with an older SDK (rec_osver.h).  Pure
 * string work, so it is tested on any platform; the macOS backend reads
 * the sysctls.  It does not read anything itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rec_osver.h"

/* The leading number of s and where it ends, or -1 when s has none. */
static long
osver_major(const char *s, const char **rest)
{
	char *end;
	long v;

	if (s == NULL || s[0] < '0' || s[0] > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (v < 0 || v > 1000)
		return -1;
	if (rest != NULL)
		*rest = end;
	return v;
}

/* macOS major version of Darwin major d (20 = 11, ..., 24 = 15, 25 = 26), or -1. */
static long
osver_of_darwin(long d)
{
	if (d >= 25)
		return d + 1;
	if (d >= 20)
		return d - 9;
	return -1;		/* 10.x: no compatibility answers then */
}

int
rec_osver_true(const char *raw, const char *release, char *out, size_t len)
{
	const char *rest = "";
	long want = osver_of_darwin(osver_major(release, NULL));
	long have = osver_major(raw, &rest);

	if (len == 0)
		return 0;
	if (raw == NULL)
		raw = "";
	if (want < 0 || have == want || (have >= 0 && have > want)) {
		snprintf(out, len, "%s", raw);
		return 0;
	}
	if (want >= 26 && have == want - 10)	/* 16.x.y answered for 26.x.y */
		snprintf(out, len, "%ld%s", want, rest);
	else					/* 10.16 for 11.x: no minor */
		snprintf(out, len, "%ld", want);
	return strcmp(out, raw) != 0;
}
