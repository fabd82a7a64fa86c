/*
 * cmn_pid.c - binary search in pid-sorted tables (contract in cmn_pid.h).
 */
#include <string.h>

#include "cmn_pid.h"

/* The key of element i. */
static int32_t
pid_key(const void *base, size_t i, size_t size, size_t off)
{
	int32_t k;

	memcpy(&k, (const char *)base + i * size + off, sizeof(k));
	return k;
}

size_t
cmn_pid_lower(const void *base, size_t n, size_t size, size_t off, int32_t pid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (pid_key(base, mid, size, off) < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
cmn_pid_cmp_first(const void *a, const void *b)
{
	int32_t x = pid_key(a, 0, 0, 0), y = pid_key(b, 0, 0, 0);

	return (x > y) - (x < y);
}

int
cmn_pid_find(const void *base, size_t n, size_t size, size_t off, int32_t pid,
    size_t *at)
{
	size_t i = cmn_pid_lower(base, n, size, off, pid);

	if (at != NULL)
		*at = i;
	return i < n && pid_key(base, i, size, off) == pid;
}
