/*
 * cmn_units.c - the words and units both programs print (cmn_units.h).
 */
#include <math.h>
#include <stdio.h>

#include "cmn_units.h"

const char *
cmn_units_bytes(double b, int sign, char *buf, size_t len)
{
	if (isnan(b) || isinf(b))
		return "n/a";
	if (fabs(b) < 1e8)
		snprintf(buf, len, sign ? "%+.1f MB" : "%.1f MB", b / 1e6);
	else
		snprintf(buf, len, sign ? "%+.2f GB" : "%.2f GB", b / 1e9);
	return buf;
}

const char *
cmn_units_ram(uint64_t b, char *buf, size_t len)
{
	const uint64_t gib = UINT64_C(1) << 30;

	if (b == 0)
		return "unknown";
	if (b % gib == 0)
		snprintf(buf, len, "%.1f GB (%llu GiB)", (double)b / 1e9,
		    (unsigned long long)(b / gib));
	else
		snprintf(buf, len, "%.1f GB", (double)b / 1e9);
	return buf;
}

const char *
cmn_units_noun(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}
