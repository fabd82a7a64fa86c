/*
 * test_cmn_array.c - unit tests of common/cmn_array.c (growth of arrays)
 * and common/cmn_pid.c (search in pid-sorted tables), on tables written
 * out below; indexes are counted by hand.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "cmn_array.h"
#include "cmn_pid.h"
#include "tap.h"

/* A table element with its key not at offset 0, as in the recorder. */
struct elem {
	uint64_t payload;
	int32_t pid;
};

static void
test_grow(void)
{
	int *a = NULL;
	size_t cap = 0;

	CHECK_I64(cmn_array_grow((void **)&a, &cap, 0, sizeof(*a)), 0, "room for 0");
	CHECK(a == NULL && cap == 0, "room for 0: nothing allocated");
	CHECK_I64(cmn_array_grow((void **)&a, &cap, 1, sizeof(*a)), 0, "room for 1");
	CHECK_U64(cap, 64, "first allocation: 64 elements");
	a[63] = 7;
	CHECK_I64(cmn_array_grow((void **)&a, &cap, 64, sizeof(*a)), 0, "room for 64");
	CHECK_U64(cap, 64, "64 fit: no change");
	CHECK_I64(cmn_array_grow((void **)&a, &cap, 65, sizeof(*a)), 0, "room for 65");
	CHECK_U64(cap, 128, "doubled");
	CHECK_I64(cmn_array_grow((void **)&a, &cap, 1000, sizeof(*a)), 0, "room for 1000");
	CHECK_U64(cap, 1024, "doubled until it fits: 1024");
	CHECK_I64(a[63], 7, "contents kept");
	a[999] = 1;
	CHECK_I64(cmn_array_grow((void **)&a, &cap, SIZE_MAX / 2, sizeof(*a)), -ENOMEM,
	    "a size that overflows");
	CHECK(cap == 1024 && a[63] == 7 && a[999] == 1,
	    "after a failure: array and capacity unchanged");
	free(a);
}

/* pid keys 3, 5, 5, 9, 12 at indexes 0..4. */
static const struct elem table[] = {
	{ 100, 3 }, { 101, 5 }, { 102, 5 }, { 103, 9 }, { 104, 12 },
};

#define FIND(key, at) cmn_pid_find(table, 5, sizeof(table[0]), \
	offsetof(struct elem, pid), (key), (at))

static void
test_pid(void)
{
	size_t at = 99;

	CHECK_I64(FIND(9, &at), 1, "9 is there");
	CHECK_U64(at, 3, "9 at index 3");
	CHECK_I64(FIND(5, &at), 1, "5 is there");
	CHECK_U64(at, 1, "5: the first of two");
	CHECK_I64(FIND(3, &at), 1, "the first element");
	CHECK_U64(at, 0, "3 at index 0");
	CHECK_I64(FIND(12, &at), 1, "the last element");
	CHECK_U64(at, 4, "12 at index 4");
	CHECK_I64(FIND(1, &at), 0, "1 is not there");
	CHECK_U64(at, 0, "1 would go first");
	CHECK_I64(FIND(6, &at), 0, "6 is not there");
	CHECK_U64(at, 3, "6 would go before 9");
	CHECK_I64(FIND(13, &at), 0, "13 is not there");
	CHECK_U64(at, 5, "13 would go last");
	CHECK_I64(FIND(-1, NULL), 0, "a negative pid, no index wanted");
	CHECK_I64(cmn_pid_find(NULL, 0, sizeof(table[0]), 8, 3, &at), 0,
	    "an empty table");
	CHECK_U64(at, 0, "empty: insert at 0");
	CHECK_U64(cmn_pid_lower(table, 5, sizeof(table[0]),
	    offsetof(struct elem, pid), 10), 4, "lower bound of 10: index 4");
	CHECK_U64(cmn_pid_lower(table, 5, sizeof(table[0]),
	    offsetof(struct elem, pid), INT32_MIN), 0, "lower bound of INT32_MIN");
	CHECK_U64(cmn_pid_lower(table, 5, sizeof(table[0]),
	    offsetof(struct elem, pid), INT32_MAX), 5, "lower bound of INT32_MAX");
}

int
main(void)
{
	test_grow();
	test_pid();
	return tap_done();
}
