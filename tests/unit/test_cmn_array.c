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

/* A search: the pid, whether it is there, its index or where it would go. */
struct find_case {
	int32_t pid;
	int found;
	size_t at;
	const char *what;
};

static const struct find_case finds[] = {
	{ 9, 1, 3, "9 at index 3" },
	{ 5, 1, 1, "5: the first of two, index 1" },
	{ 3, 1, 0, "the first element" },
	{ 12, 1, 4, "the last element" },
	{ 1, 0, 0, "1 is not there: it would go first" },
	{ 6, 0, 3, "6 is not there: it would go before 9" },
	{ 13, 0, 5, "13 is not there: it would go last" },
	{ -1, 0, 0, "a negative pid" },
	{ INT32_MIN, 0, 0, "INT32_MIN" },
	{ INT32_MAX, 0, 5, "INT32_MAX" },
};

static void
test_pid(void)
{
	size_t off = offsetof(struct elem, pid), at;
	struct elem t[5];

	for (size_t i = 0; i < sizeof(finds) / sizeof(finds[0]); i++) {
		const struct find_case *c = &finds[i];
		at = 99;
		CHECK_I64(cmn_pid_find(table, 5, sizeof(table[0]), off, c->pid, &at),
		    c->found, c->what);
		CHECK_U64(at, c->at, c->what);
		CHECK_U64(cmn_pid_lower(table, 5, sizeof(table[0]), off, c->pid), c->at,
		    "the lower bound is the same index");
	}
	CHECK_I64(cmn_pid_find(table, 5, sizeof(table[0]), off, 9, NULL), 1,
	    "no index wanted");
	CHECK_I64(cmn_pid_find(NULL, 0, sizeof(table[0]), off, 3, &at), 0, "an empty table");
	CHECK_U64(at, 0, "empty: insert at 0");
	/* a table with its key first, sorted by cmn_pid_cmp_first */
	t[0] = (struct elem){ 1, 12 }, t[1] = (struct elem){ 2, -4 };
	t[2] = (struct elem){ 3, 7 }, t[3] = (struct elem){ 4, INT32_MIN };
	t[4] = (struct elem){ 5, 7 };
	CHECK(cmn_pid_cmp_first(&t[0].pid, &t[2].pid) > 0 &&
	    cmn_pid_cmp_first(&t[2].pid, &t[4].pid) == 0 &&
	    cmn_pid_cmp_first(&t[3].pid, &t[1].pid) < 0, "cmn_pid_cmp_first: >, =, <");
}

int
main(void)
{
	test_grow();
	test_pid();
	return tap_done();
}
