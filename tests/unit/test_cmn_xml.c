/*
 * test_cmn_xml.c - unit tests of common/cmn_xml.c: XML references decoded
 * to UTF-8.  The two copies this replaces disagreed on &#NN;: the Info.plist
 * reader decoded it, the powermetrics plist parser left it as text.  XML 1.0
 * (4.1 "Character and Entity References") says a character reference
 * stands for the character, so both now decode it.  UTF-8 bytes below are
 * worked out by hand from the code points (RFC 3629 table).
 */
#include <string.h>

#include "cmn_xml.h"
#include "tap.h"

/* One reference case: input, expected UTF-8 (NULL: refused), length used. */
struct ref_case {
	const char *what;
	const char *in;
	const char *out;
	size_t used;
};

static const struct ref_case refs[] = {
	{ "&amp;", "&amp;x", "&", 5 },
	{ "&lt;", "&lt;", "<", 4 },
	{ "&gt;", "&gt;", ">", 4 },
	{ "&quot;", "&quot;", "\"", 6 },
	{ "&apos;", "&apos;", "'", 6 },
	{ "decimal", "&#65;", "A", 5 },
	{ "decimal, leading zeros", "&#0065;", "A", 7 },
	{ "hex", "&#x41;", "A", 6 },
	{ "hex, upper-case digits", "&#xE9;", "\xc3\xa9", 6 },
	{ "U+00E9 as decimal", "&#233;", "\xc3\xa9", 6 },
	{ "U+20AC: three bytes", "&#x20AC;", "\xe2\x82\xac", 8 },
	{ "U+1F600: four bytes", "&#x1F600;", "\xf0\x9f\x98\x80", 9 },
	{ "U+10FFFF, the last", "&#x10FFFF;", "\xf4\x8f\xbf\xbf", 10 },
	{ "tab is a Char", "&#9;", "\t", 4 },
	{ "U+FFFD is a Char", "&#xFFFD;", "\xef\xbf\xbd", 8 },
	{ "&#0; refused", "&#0;", NULL, 0 },
	{ "&#8; (no Char) refused", "&#8;", NULL, 0 },
	{ "&#1; (no Char) refused", "&#1;", NULL, 0 },
	{ "a surrogate refused", "&#xD800;", NULL, 0 },
	{ "U+FFFE refused", "&#xFFFE;", NULL, 0 },
	{ "above U+10FFFF refused", "&#1114112;", NULL, 0 },
	{ "&#X41; (capital X) refused", "&#X41;", NULL, 0 },
	{ "no digits", "&#;", NULL, 0 },
	{ "no hex digits", "&#x;", NULL, 0 },
	{ "bad digit", "&#6a;", NULL, 0 },
	{ "unknown name", "&nbsp;", NULL, 0 },
	{ "no ';'", "&amp", NULL, 0 },
	{ "empty", "&;", NULL, 0 },
	{ "';' beyond 12 bytes", "&#000000000065;", NULL, 0 },
	{ "not a reference", "amp;", NULL, 0 },
};

static void
test_ref(void)
{
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		const struct ref_case *c = &refs[i];
		char out[5] = "", what[96];
		size_t used = 0;
		size_t k = cmn_xml_ref(c->in, strlen(c->in), out, &used);
		out[k < 5 ? k : 4] = '\0';
		snprintf(what, sizeof(what), "%s: %s", c->what,
		    c->out ? "decoded" : "refused");
		if (c->out == NULL) {
			CHECK_U64(k, 0, what);
			continue;
		}
		CHECK_STR(out, c->out, what);
		snprintf(what, sizeof(what), "%s: length used", c->what);
		CHECK_U64(used, c->used, what);
	}
	/* The reference must lie inside n, not just inside the string. */
	{
		char out[4];
		size_t used;
		CHECK_U64(cmn_xml_ref("&amp;", 4, out, &used), 0, "';' past n: refused");
	}
}

/* cmn_xml_unescape into a buffer of cap bytes; the result as a string. */
static const char *
unescape(const char *in, size_t cap)
{
	static char buf[64];
	size_t n = cmn_xml_unescape(buf, cap, in, strlen(in));

	buf[n] = '\0';
	return buf;
}

static void
test_unescape(void)
{
	CHECK_STR(unescape("A&amp;B &lt;1&gt;", 63), "A&B <1>", "named entities");
	CHECK_STR(unescape("caf&#233; &#x41;", 63), "caf\xc3\xa9 A", "character references");
	CHECK_STR(unescape("R&D & co &nbsp; &#1;", 63), "R&D & co &nbsp; &#1;",
	    "what is no reference stays as it is");
	CHECK_STR(unescape("", 63), "", "empty");
	CHECK_STR(unescape("abc", 2), "ab", "cut at cap");
	CHECK_STR(unescape("a&#233;", 2), "a", "a character that does not fit whole is left out");
	CHECK_STR(unescape("a&#233;", 3), "a\xc3\xa9", "it fits exactly");
	CHECK_STR(unescape("&amp;", 0), "", "cap 0");
}

int
main(void)
{
	test_ref();
	test_unescape();
	return tap_done();
}
