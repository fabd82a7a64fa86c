/*
 * test_an_json.c - the JSON string writer (an_json_str) on text from other
 * people's machines: every byte sequence that is not UTF-8 as RFC 3629
 * defines it (surrogates, code points above U+10FFFF, overlong forms,
 * stray continuation bytes, cut sequences) becomes U+FFFD, valid UTF-8 is
 * kept byte for byte, and control characters are escaped.  The expected
 * strings are written out by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_report.h"
#include "tap.h"

/* an_json_str of s[0..n) into buf (NUL-terminated). */
static void
json_of(const char *s, size_t n, char *buf, size_t len)
{
	FILE *f = fmemopen(buf, len, "w");

	an_json_str(f, s, n);
	fclose(f);
}

static void
check(const char *in, const char *want, const char *what)
{
	char got[256];

	json_of(in, strlen(in), got, sizeof(got));
	if (!CHECK(strcmp(got, want) == 0, what))
		printf("#   got %s, want %s\n", got, want);
}

int
main(void)
{
	check("abc", "\"abc\"", "ASCII kept");
	check("a\"b\\c", "\"a\\\"b\\\\c\"", "quote and backslash escaped");
	check("\x01\t\x1b\x7f", "\"\\u0001\\u0009\\u001b\\u007f\"", "control bytes escaped");
	check("\xc2\xb7 \xe6\x97\xa5 \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf",
	    "\"\xc2\xb7 \xe6\x97\xa5 \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf\"",
	    "2-, 3-, 4-byte UTF-8 and U+10FFFF kept");
	check("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", "a surrogate (U+D800) is not UTF-8");
	check("\xed\x9f\xbf", "\"\xed\x9f\xbf\"", "U+D7FF, just below the surrogates, kept");
	check("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"",
	    "above U+10FFFF is not UTF-8");
	check("\xc0\xaf", "\"\\ufffd\\ufffd\"", "overlong 2-byte '/' refused");
	check("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"", "overlong 3-byte refused");
	check("\xf0\x80\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "overlong 4-byte refused");
	check("\xf5\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "F5 never starts UTF-8");
	check("\x80x", "\"\\ufffdx\"", "a stray continuation byte");
	check("\xe6\x97", "\"\\ufffd\\ufffd\"", "a sequence cut at the end");
	check("\xe6\x97x", "\"\\ufffd\\ufffdx\"", "a sequence cut by ASCII");
	return tap_done();
}
