/*
 * test_rec_gpu.c - unit tests of record/rec_gpu.c: the IOUserClientCreator
 * parser and the per-pid GPU time that follows clients by registry id
 * (closed clients keep their time, a counter that falls adds nothing).  Expected values are worked out by
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

/* rec_gpu_wanted: a sorted list, and NULL meaning everyone. */
static void
test_wanted(void)
{
	const int32_t pids[] = { 3, 50, 700 };

	CHECK(rec_gpu_wanted(pids, 3, 50), "wanted: 50 is listed");
	CHECK(rec_gpu_wanted(pids, 3, 700), "wanted: the last one too");
	CHECK(!rec_gpu_wanted(pids, 3, 51), "wanted: 51 is not");
	CHECK(!rec_gpu_wanted(pids, 0, 3), "wanted: an empty list wants nobody");
	CHECK(rec_gpu_wanted(NULL, 0, 12345), "wanted: NULL wants everyone");
}

/* Feeds one read (copied: update sorts it) and returns pid's total. */
static uint64_t
feed(struct rec_gpu_track *t, const struct plat_gpu_client *c, size_t n,
    int32_t pid)
{
	struct plat_gpu_client buf[8];
	uint64_t ns;

	if (n > 0)
		memcpy(buf, c, n * sizeof(*c));
	CHECK_I64(rec_gpu_track_update(t, buf, n), 0, "update accepted");
	rec_gpu_track_total(t, pid, &ns);
	return ns;
}

/*
 * A client that closes keeps what it used: pid 100 has clients 11 (10 ns)
 * and 12 (5 ns): 15.  Then 12 closes and 11 reaches 30: 15 + 20 = 35 (a sum
 * of what is open now would say 30, a fall).  Then 13 opens with 7: 42.
 */
static void
test_track_closed(void)
{
	struct rec_gpu_track t;
	const struct plat_gpu_client r1[] = { { 100, 10, 11 }, { 100, 5, 12 } };
	const struct plat_gpu_client r2[] = { { 100, 30, 11 } };
	const struct plat_gpu_client r3[] = { { 100, 7, 13 }, { 100, 30, 11 } };

	rec_gpu_track_init(&t);
	CHECK_U64(feed(&t, r1, 2, 100), 15, "closed: two clients, 10 + 5");
	CHECK_U64(feed(&t, r2, 1, 100), 35, "closed: client 12 closed, its 5 kept, 11 grew by 20");
	CHECK_U64(t.closed, 1, "closed: one client counted as closed");
	CHECK_U64(feed(&t, r3, 2, 100), 42, "closed: a new client 13 adds all of its 7");
	CHECK_U64(feed(&t, NULL, 0, 100), 42, "closed: every client gone, the total stays");
	CHECK_U64(t.closed, 3, "closed: 12, then 11 and 13");
	rec_gpu_track_free(&t);
}

/*
 * A counter that goes down adds nothing and becomes the base: 50, 40, 45
 * give totals 50, 50, 55 (never 50 - 10).  Other pids are unaffected.
 */
static void
test_track_lowered(void)
{
	struct rec_gpu_track t;
	const struct plat_gpu_client a[] = { { 7, 50, 1 }, { 8, 1, 2 } };
	const struct plat_gpu_client b[] = { { 7, 40, 1 }, { 8, 3, 2 } };
	const struct plat_gpu_client c[] = { { 7, 45, 1 }, { 8, 3, 2 } };
	uint64_t ns;

	rec_gpu_track_init(&t);
	CHECK_U64(feed(&t, a, 2, 7), 50, "lowered: first read");
	CHECK_U64(feed(&t, b, 2, 7), 50, "lowered: 50 -> 40 adds nothing");
	CHECK_U64(t.lowered, 1, "lowered: counted once");
	CHECK_U64(feed(&t, c, 2, 7), 55, "lowered: 40 -> 45 adds 5");
	CHECK(rec_gpu_track_total(&t, 8, &ns) == 1 && ns == 3, "lowered: pid 8 has 1 + 2");
	CHECK(rec_gpu_track_total(&t, 9, &ns) == 0 && ns == 0, "lowered: pid 9 has nothing");
	rec_gpu_track_free(&t);
}

/*
 * The same id twice in one read counts once; forgetting a pid drops its
 * total and clients, so the same open client then counts in full again;
 * saturation at UINT64_MAX; bad arguments.
 */
static void
test_track_edges(void)
{
	struct rec_gpu_track t;
	const struct plat_gpu_client dup[] = { { 5, 9, 4 }, { 5, 9, 4 } };
	const struct plat_gpu_client big[] = { { 1, UINT64_MAX - 1, 20 }, { 1, 5, 21 } };
	const struct plat_gpu_client more[] = { { 5, 12, 4 } };
	uint64_t ns;

	rec_gpu_track_init(&t);
	CHECK_U64(feed(&t, dup, 2, 5), 9, "edges: a client listed twice counts once");
	rec_gpu_track_forget(&t, 5);
	CHECK(rec_gpu_track_total(&t, 5, &ns) == 0, "edges: forgotten pid has no total");
	CHECK_U64(feed(&t, more, 1, 5), 12, "edges: after forget, client 4 counts in full");
	CHECK_U64(feed(&t, big, 2, 1), UINT64_MAX, "edges: totals stop at UINT64_MAX");
	CHECK(rec_gpu_track_total(&t, 5, &ns) == 1 && ns == 12,
	    "edges: pid 5's client closed, its total stays 12");
	rec_gpu_track_free(&t);
	CHECK_I64(rec_gpu_track_update(&t, NULL, 1), -EINVAL, "edges: NULL clients");
	CHECK_I64(rec_gpu_track_update(&t, NULL, 0), 0, "edges: an empty read");
	rec_gpu_track_free(&t);
}

/*
 * 1000 clients, client i (id 1000 + i) owned by pid i % 10 with i ns, fed
 * in reverse order; then every client grows by 1 and the even ones close.
 * Pid p's first total is the sum of i over i = p (mod 10), i < 1000:
 * 100 p + 10 * 99 * 100 / 2 = 100 p + 49500; the second adds 1 per open
 * client: i = p (mod 10) is odd exactly when p is, so an odd p gains 100
 * and an even p (all its clients closed) keeps its total.
 */
static void
test_track_large(void)
{
	enum { N = 1000 };
	struct plat_gpu_client *c = malloc(N * sizeof(*c));
	struct rec_gpu_track t;
	uint64_t ns;
	size_t i, n = 0;
	int p, ok = 1;

	rec_gpu_track_init(&t);
	if (c == NULL) {
		CHECK(0, "large: allocation");
		goto done;
	}
	for (i = 0; i < N; i++) {
		c[N - 1 - i].pid = (int32_t)(i % 10);
		c[N - 1 - i].gpu_ns = i;
		c[N - 1 - i].id = 1000 + i;
	}
	CHECK_I64(rec_gpu_track_update(&t, c, N), 0, "large: first read");
	for (p = 0; p < 10; p++)
		ok &= rec_gpu_track_total(&t, p, &ns) == 1 &&
		    ns == 100u * (unsigned)p + 49500u;
	CHECK(ok, "large: every pid's first total is 100 p + 49500");
	for (i = 0; i < N; i++)
		if (c[i].id % 2 == 1) {		/* i odd: id 1000 + i odd */
			c[n] = c[i];
			c[n++].gpu_ns++;
		}
	CHECK_I64(rec_gpu_track_update(&t, c, n), 0, "large: second read");
	CHECK_U64(t.closed, 500, "large: 500 clients closed");
	for (p = 0, ok = 1; p < 10; p++)
		ok &= rec_gpu_track_total(&t, p, &ns) == 1 &&
		    ns == 100u * (unsigned)p + 49500u + (p % 2 ? 100u : 0u);
	CHECK(ok, "large: odd pids gained 1 per open client, even ones kept theirs");
done:
	free(c);
	rec_gpu_track_free(&t);
}

int
main(void)
{
	test_parse_table();
	test_parse_args();
	test_wanted();
	test_track_closed();
	test_track_lowered();
	test_track_edges();
	test_track_large();
	return tap_done();
}
