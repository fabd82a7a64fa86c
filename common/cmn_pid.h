/*
 * cmn_pid.h - binary search in tables sorted by pid: arrays of structs
 * holding an int32_t key (a pid, tid or parent pid) at a known offset,
 * sorted ascending by it.  The recorder keeps its process caches, scan
 * tables and previous samples this way.  It does not insert.
 */
#ifndef CMN_PID_H
#define CMN_PID_H

#include <stddef.h>
#include <stdint.h>

/*
 * The index of the first of the n elements (each size bytes, from base)
 * whose key (the int32_t at byte off of the element) is >= pid; n when
 * none.  Use offsetof(struct ..., pid) for off.
 */
size_t cmn_pid_lower(const void *base, size_t n, size_t size, size_t off,
    int32_t pid);

/*
 * Whether pid is in the table: 1 with *at its index (the first, if it is
 * there more than once), or 0 with *at the index where it would be
 * inserted to keep the order.  at may be NULL.
 */
int cmn_pid_find(const void *base, size_t n, size_t size, size_t off,
    int32_t pid, size_t *at);

/*
 * qsort comparator of elements whose first member is their int32_t key
 * (ascending), so that such tables are sorted the way cmn_pid_find searches.
 */
int cmn_pid_cmp_first(const void *a, const void *b);

#endif /* CMN_PID_H */
