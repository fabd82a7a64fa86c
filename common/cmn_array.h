/*
 * cmn_array.h - growth of malloc'd arrays, for both programs and the trace
 * library: one doubling policy and one overflow check instead of one per
 * file.  It does not shrink, free or initialize elements.
 */
#ifndef CMN_ARRAY_H
#define CMN_ARRAY_H

#include <stddef.h>

/*
 * Makes room for n elements of size bytes in *arr, which holds *cap: when
 * n > *cap, reallocates to 64 elements or to *cap doubled until n fit, and
 * updates *arr and *cap.  Returns 0, or -ENOMEM (out of memory, or a size
 * that would overflow) with *arr and *cap unchanged: the old block stays
 * valid and the caller's to free.
 */
int cmn_array_grow(void **arr, size_t *cap, size_t n, size_t size);

#endif /* CMN_ARRAY_H */
