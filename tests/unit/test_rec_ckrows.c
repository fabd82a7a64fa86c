/*
 * test_rec_ckrows.c - the rows of phocus-record --check (rec_ckrows.c): the
 * verdict and exit code from which rows failed (needed or optional), the
 * table's layout, and JSON that escapes what was read (quotes, control
 * bytes, bytes beyond ASCII) and prints numbers exactly or as null.
 * Expected texts written by hand.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rec_ckrows.h"
#include "tap.h"

static struct rec_ckrows t;

/* What f holds, from its start, into buf. */
static const char *
slurp(FILE *f, char *buf, size_t len)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	return buf;
}

static void
test_verdict(void)
{
	char v[256];

	memset(&t, 0, sizeof(t));
	rec_ckrows_add(&t, "a", 1, REC_CK_PASS, "fine");
	rec_ckrows_add(&t, "b", 0, REC_CK_NA, "not on this system");
	CHECK(rec_ckrows_verdict(&t, v, sizeof(v)) == 0, "all passed: exit 0");
	CHECK_STR(v, "ready: everything a recording needs works", "ready");
	rec_ckrows_add(&t, "IOReport", 0, REC_CK_FAIL, "not loaded");
	CHECK(rec_ckrows_verdict(&t, v, sizeof(v)) == 0, "an optional failure: exit 0");
	CHECK_STR(v, "ready: everything a recording needs works; optional, failed: "
	    "IOReport", "the optional failure is named");
	rec_ckrows_add(&t, "process list", 1, REC_CK_FAIL, "cannot list");
	rec_ckrows_add(&t, "counters", 1, REC_CK_FAIL, "missing");
	CHECK(rec_ckrows_verdict(&t, v, sizeof(v)) == 1, "a needed failure: exit 1");
	CHECK_STR(v, "NOT READY: a recording needs what failed here: process list, "
	    "counters; optional, failed: IOReport", "needed failures first");
	CHECK(rec_ckrows_verdict(&t, NULL, 0) == 1, "no buffer: the code alone");
	rec_ckrows_add(&t, "x", 1, REC_CK_SKIP, "skipped");
	CHECK(rec_ckrows_verdict(&t, v, sizeof(v)) == 1, "a skip is no failure");
}

static void
test_table(void)
{
	char buf[4096];
	FILE *f = tmpfile();
	struct rec_ck_row *r;

	memset(&t, 0, sizeof(t));
	snprintf(t.title, sizeof(t.title), "title");
	rec_ckrows_add(&t, "threads", 0, REC_CK_PASS, "3");
	r = rec_ckrows_add(&t, "disk bytes", 0, REC_CK_FAIL, "0 B");
	rec_ckrows_advise(r, "report it");
	r = rec_ckrows_add(&t, "GPU cores", 0, REC_CK_NA, "not on this system");
	rec_ckrows_advise(r, "never shown: not a failure");
	rec_ckrows_print_table(f, &t);
	CHECK_STR(slurp(f, buf, sizeof(buf)),
	    "title\n\n"
	    "source                status what was read\n"
	    "threads               pass   3\n"
	    "disk bytes            FAIL   0 B\n"
	    "                             what to do: report it\n"
	    "GPU cores             -      not on this system\n"
	    "\nVerdict: ready: everything a recording needs works; optional, failed: "
	    "disk bytes\n", "the table");
	fclose(f);
}

static void
test_json(void)
{
	char buf[4096];
	FILE *f = tmpfile();
	struct rec_ck_row *r;

	memset(&t, 0, sizeof(t));
	snprintf(t.title, sizeof(t.title), "t");
	r = rec_ckrows_add(&t, "s", 1, REC_CK_NA, "a \"b\"\\c\td\xc3\xa9");
	rec_ckrows_num(r, "n", 25769803776.0);
	rec_ckrows_num(r, "x", 0.023);
	rec_ckrows_num(r, "nan", NAN);
	rec_ckrows_str(r, "s", "q\"");
	rec_ckrows_print_json(f, &t);
	CHECK_STR(slurp(f, buf, sizeof(buf)),
	    "{\n  \"title\": \"t\",\n  \"checks\": [\n"
	    "    {\"source\": \"s\", \"status\": \"not on this system\", \"needed\": true, "
	    "\"read\": \"a \\\"b\\\"\\\\c\\u0009d??\", \"advice\": \"\", \"values\": "
	    "{\"n\": 25769803776, \"x\": 0.023, \"nan\": null, \"s\": \"q\\\"\"}}\n"
	    "  ],\n  \"verdict\": \"ready: everything a recording needs works\",\n"
	    "  \"ready\": true,\n  \"exit_code\": 0\n}\n", "the JSON document");
	fclose(f);
}

static void
test_full(void)
{
	memset(&t, 0, sizeof(t));
	for (int i = 0; i < REC_CK_ROWS + 5; i++)
		rec_ckrows_add(&t, "r", 0, REC_CK_PASS, "%d", i);
	CHECK(t.n == REC_CK_ROWS, "a full table keeps its size");
	CHECK_STR(t.row[REC_CK_ROWS - 1].read, "52", "the last row is reused");
	for (int i = 0; i < REC_CK_VALS + 3; i++)
		rec_ckrows_num(&t.row[0], "k", i);
	CHECK(t.row[0].nvals == REC_CK_VALS, "values beyond the room are left out");
}

int
main(void)
{
	test_verdict();
	test_table();
	test_json();
	test_full();
	return tap_done();
}
