/*
 * test_rec_gpu.c - unit tests of record/rec_gpu.c: the IOUserClientCreator
 * parser and the per-pid GPU time sums.  Expected values are worked out by
 * hand from the inputs written here; nothing here touches an IORegistry.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rec_gpu.h"
#include "tap.h"

/* One parser case: input (len bytes), expected return, pid and name. */
struct creator_case {
	const char *what;		/* test description */
	const char *in;			/* input bytes */
	size_t len;			/* bytes of in to pass (0: strlen) */
	size_t name_len;		/* output buffer size */
	int ret;			/* expected return */
	int32_t pid;			/* expected pid (when ret == 0) */
	const char *name;		/* expected name (when ret == 0) */
};

static const struct creator_case cases[] = {
	{ "plain", "pid 1234, Phocus", 0, 64, 0, 1234, "Phocus" },
	{ "pid 0", "pid 0, kernel_task", 0, 64, 0, 0, "kernel_task" },
	{ "INT32_MAX", "pid 2147483647, x", 0, 64, 0, 2147483647, "x" },
	{ "INT32_MAX + 1 overflows", "pid 2147483648, x", 0, 64, -EINVAL, 0, "" },
	{ "20 digits overflow", "pid 99999999999999999999, x", 0, 64, -EINVAL, 0, "" },
	{ "extra blanks", "  pid \t 42 ,   Name With Spaces  ", 0, 64, 0, 42, "Name With Spaces" },
	{ "empty name", "pid 42,", 0, 64, 0, 42, "" },
	{ "empty name, trailing blank", "pid 42, ", 0, 64, 0, 42, "" },
	{ "comma inside name", "pid 9, a, b", 0, 64, 0, 9, "a, b" },
	{ "trailing newline", "pid 9, x\r\n", 0, 64, 0, 9, "x" },
	{ "no comma", "pid 42", 0, 64, -EINVAL, 0, "" },
	{ "no comma, name", "pid 42 Phocus", 0, 64, -EINVAL, 0, "" },
	{ "no digits", "pid , x", 0, 64, -EINVAL, 0, "" },
	{ "no blank after pid", "pid42, x", 0, 64, -EINVAL, 0, "" },
	{ "upper case PID", "PID 42, x", 0, 64, -EINVAL, 0, "" },
	{ "empty", "", 0, 64, -EINVAL, 0, "" },
	{ "only pid", "pid", 0, 64, -EINVAL, 0, "" },
	{ "letter after digits", "pid 12a, x", 0, 64, -EINVAL, 0, "" },
	{ "negative", "pid -5, x", 0, 64, -EINVAL, 0, "" },
	{ "invalid byte 0xff", "pid 7, Ph\xffocus", 0, 64, 0, 7, "Ph?ocus" },
	{ "valid 2-byte UTF-8 kept", "pid 7, Caf\xc3\xa9", 0, 64, 0, 7, "Caf\xc3\xa9" },
	{ "valid 4-byte UTF-8 kept", "pid 7, \xf0\x9f\x93\xb7", 0, 64, 0, 7, "\xf0\x9f\x93\xb7" },
	{ "overlong '/'", "pid 7, a\xc0\xaf", 0, 64, 0, 7, "a??" },
	{ "UTF-16 surrogate", "pid 7, \xed\xa0\x80z", 0, 64, 0, 7, "???z" },
	{ "above U+10FFFF", "pid 7, \xf4\x90\x80\x80", 0, 64, 0, 7, "????" },
	{ "truncated sequence at end", "pid 7, ab\xe2\x82", 0, 64, 0, 7, "ab??" },
	{ "stray continuation", "pid 7, \x80x", 0, 64, 0, 7, "?x" },
	{ "control bytes", "pid 7, a\tb\x01" "c\x7f", 0, 64, 0, 7, "a?b?c?" },
	{ "cut to name_len", "pid 7, Phocus", 0, 4, 0, 7, "Pho" },
	{ "cut at char boundary", "pid 7, a\xc3\xa9", 0, 3, 0, 7, "a" },
	{ "name_len 1", "pid 7, Phocus", 0, 1, 0, 7, "" },
	{ "len stops before comma", "pid 1234, Phocus", 7, 64, -EINVAL, 0, "" },
	{ "len stops after comma", "pid 1234, Phocus", 10, 64, 0, 1234, "" },
	{ "len stops inside name", "pid 1234, Phocus", 13, 64, 0, 1234, "Pho" },
	{ "embedded NUL ends input", "pid 5, ab\0cd", 12, 64, 0, 5, "ab" },
	{ "NUL inside digits", "pid 5\0" "6, x", 10, 64, -EINVAL, 0, "" },
};

/* Runs every row of cases[]. */
static void
test_parse_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct creator_case *t = &cases[i];
		char name[64];
		int32_t pid = -7;
		size_t len = t->len ? t->len : strlen(t->in);
		int r;

		memset(name, 'Z', sizeof(name));
		r = rec_gpu_parse_creator(t->in, len, &pid, name, t->name_len);
		CHECK_I64(r, t->ret, t->what);
		if (t->ret == 0) {
			CHECK_I64(pid, t->pid, t->what);
			CHECK_STR(name, t->name, t->what);
		} else {
			CHECK_I64(pid, -7, "pid untouched on error");
			CHECK_STR(name, "", "name emptied on error");
		}
	}
}

/* Arguments the parser must refuse or accept without writing a name. */
static void
test_parse_args(void)
{
	int32_t pid = -1;
	char name[8];

	CHECK_I64(rec_gpu_parse_creator(NULL, 5, &pid, name, sizeof(name)),
	    -EINVAL, "NULL input");
	CHECK_I64(rec_gpu_parse_creator("pid 1, a", 8, NULL, name,
	    sizeof(name)), -EINVAL, "NULL pid");
	CHECK_I64(rec_gpu_parse_creator("pid 1, a", 8, &pid, NULL, 8),
	    -EINVAL, "NULL name with a length");
	CHECK_I64(rec_gpu_parse_creator("pid 31, a", 9, &pid, NULL, 0), 0,
	    "NULL name, length 0: pid only");
	CHECK_I64(pid, 31, "pid only: value");
}

/* Unsorted and sorted pid lists over the same five clients. */
static void
test_sum_basic(void)
{
	const struct plat_gpu_client c[] = {
		{ 100, 5 }, { 200, 7 }, { 100, 10 }, { 999, 1000 }, { 300, 0 },
	};
	const int32_t unsorted[] = { 300, 100, 200 };
	const int32_t sorted[] = { 100, 200, 300 };
	uint64_t t[3] = { 77, 77, 77 };

	/* 100: 5 + 10 = 15; 200: 7; 300: 0; 999 is not in the tree. */
	CHECK_I64(rec_gpu_sum_by_pid(unsorted, 3, c, 5, t), 4,
	    "unsorted: 4 clients matched");
	CHECK_U64(t[0], 0, "unsorted: pid 300");
	CHECK_U64(t[1], 15, "unsorted: pid 100");
	CHECK_U64(t[2], 7, "unsorted: pid 200");
	CHECK_I64(rec_gpu_sum_by_pid(sorted, 3, c, 5, t), 4,
	    "sorted: 4 clients matched");
	CHECK_U64(t[0], 15, "sorted: pid 100");
	CHECK_U64(t[1], 7, "sorted: pid 200");
	CHECK_U64(t[2], 0, "sorted: pid 300");
}

/* Duplicate pids, saturation, no clients, bad arguments. */
static void
test_sum_edges(void)
{
	const struct plat_gpu_client c[] = { { 100, 5 }, { 100, 10 } };
	const struct plat_gpu_client big[] = {
		{ 1, UINT64_MAX - 1 }, { 1, 5 },
	};
	const int32_t dup[] = { 100, 100 }, one[] = { 1 };
	uint64_t t[2] = { 77, 77 };

	CHECK_I64(rec_gpu_sum_by_pid(dup, 2, c, 2, t), 2,
	    "duplicate pid: 2 clients matched");
	CHECK_U64(t[0], 15, "duplicate pid: first copy");
	CHECK_U64(t[1], 15, "duplicate pid: second copy");
	CHECK_I64(rec_gpu_sum_by_pid(one, 1, big, 2, t), 2, "saturation: matched");
	CHECK_U64(t[0], UINT64_MAX, "saturation: stops at UINT64_MAX");
	t[0] = 77;
	CHECK_I64(rec_gpu_sum_by_pid(one, 1, NULL, 0, t), 0, "no clients");
	CHECK_U64(t[0], 0, "no clients: total zeroed");
	CHECK_I64(rec_gpu_sum_by_pid(NULL, 0, c, 2, NULL), 0, "no pids");
	CHECK_I64(rec_gpu_sum_by_pid(NULL, 1, c, 2, t), -EINVAL, "NULL pids");
	CHECK_I64(rec_gpu_sum_by_pid(one, 1, NULL, 2, t), -EINVAL, "NULL clients");
	CHECK_I64(rec_gpu_sum_by_pid(one, 1, c, 2, NULL), -EINVAL, "NULL totals");
}

/*
 * 1000 pids listed in reverse, client i owned by pid i with i ns, and one
 * more client for pid 500: sum of all totals is 1000*1001/2 + 500 = 501000,
 * and pid 500 (at index 1000 - 500 = 500) has 1000.
 */
static void
test_sum_large(void)
{
	enum { N = 1000 };
	int32_t *pids = malloc(N * sizeof(*pids));
	struct plat_gpu_client *c = malloc((N + 1) * sizeof(*c));
	uint64_t *t = malloc(N * sizeof(*t)), sum = 0;
	int i;

	if (pids == NULL || c == NULL || t == NULL) {
		CHECK(0, "large: allocation");
		goto done;
	}
	for (i = 0; i < N; i++) {
		pids[i] = N - i;
		c[i].pid = i + 1;
		c[i].gpu_ns = (uint64_t)(i + 1);
	}
	c[N].pid = 500;
	c[N].gpu_ns = 500;
	CHECK_I64(rec_gpu_sum_by_pid(pids, N, c, N + 1, t), N + 1,
	    "large: every client matched");
	for (i = 0; i < N; i++)
		sum += t[i];
	CHECK_U64(sum, 501000, "large: sum of totals");
	CHECK_U64(t[500], 1000, "large: pid 500 has two clients");
	CHECK_U64(t[0], 1000, "large: pid 1000 at index 0");
	CHECK_U64(t[N - 1], 1, "large: pid 1 at the last index");
done:
	free(pids);
	free(c);
	free(t);
}

int
main(void)
{
	test_parse_table();
	test_parse_args();
	test_sum_basic();
	test_sum_edges();
	test_sum_large();
	return tap_done();
}
