/*
 * cmn_array.c - array growth (contract in cmn_array.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "cmn_array.h"

#define FIRST_CAP 64		/* elements of a first allocation */

int
cmn_array_grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap = *cap ? *cap : FIRST_CAP;
	void *na;

	if (n <= *cap)
		return 0;
	if (size == 0 || n > SIZE_MAX / size)
		return -ENOMEM;
	while (ncap < n)
		ncap = ncap > SIZE_MAX / 2 ? n : ncap * 2;
	if (ncap > SIZE_MAX / size)
		ncap = n;
	if ((na = realloc(*arr, ncap * size)) == NULL)
		return -ENOMEM;
	*arr = na;
	*cap = ncap;
	return 0;
}
