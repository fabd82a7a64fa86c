/*
 * cmn_xml.c - XML references to UTF-8 (contract in cmn_xml.h).
 */
#include <stdint.h>
#include <string.h>

#include "cmn_xml.h"

#define REF_MAX 12		/* bytes between '&' and ';' at the most */

/* Whether XML 1.0 allows code point c in a document (production Char). */
static int
xml_is_char(uint32_t c)
{
	return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0xd7ff) ||
	    (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

/* Value of the numeric reference body e[0..n) ("#65", "#x41"), or 0. */
static uint32_t
xml_charref(const char *e, size_t n)
{
	uint32_t v = 0, base = 10;
	size_t k = 1;

	if (n >= 2 && e[1] == 'x') {
		base = 16;
		k = 2;
	}
	if (k == n)
		return 0;
	for (; k < n; k++) {
		char c = e[k];
		uint32_t dv;
		if (c >= '0' && c <= '9')
			dv = (uint32_t)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			dv = (uint32_t)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			dv = (uint32_t)(c - 'A' + 10);
		else
			return 0;
		v = v * base + dv;
		if (v > 0x10ffff)
			return 0;
	}
	return xml_is_char(v) ? v : 0;
}

/* Writes code point cp as UTF-8 into u; returns its length. */
static size_t
xml_utf8(uint32_t cp, char u[4])
{
	if (cp < 0x80) {
		u[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	u[0] = (char)(0xf0 | (cp >> 18));
	u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	u[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

size_t
cmn_xml_ref(const char *s, size_t n, char out[4], size_t *used)
{
	static const struct { const char *name; char c; } named[] = {
		{ "amp", '&' }, { "lt", '<' }, { "gt", '>' },
		{ "quot", '"' }, { "apos", '\'' },
	};
	const char *e = s + 1;
	size_t k = 0;
	uint32_t cp;

	if (n < 3 || s[0] != '&')
		return 0;
	while (1 + k < n && k < REF_MAX && e[k] != ';')
		k++;
	if (1 + k >= n || e[k] != ';' || k == 0)
		return 0;
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (strlen(named[i].name) == k && memcmp(e, named[i].name, k) == 0) {
			out[0] = named[i].c;
			*used = k + 2;
			return 1;
		}
	if (e[0] != '#' || (cp = xml_charref(e, k)) == 0)
		return 0;
	*used = k + 2;
	return xml_utf8(cp, out);
}

size_t
cmn_xml_unescape(char *dst, size_t cap, const char *s, size_t n)
{
	size_t o = 0, i = 0, k, used;
	char u[4];

	while (i < n) {
		if (s[i] == '&' && (k = cmn_xml_ref(s + i, n - i, u, &used)) > 0) {
			if (cap - o < k)
				break;
			memcpy(dst + o, u, k);
			o += k;
			i += used;
		} else {
			if (o == cap)
				break;
			dst[o++] = s[i++];
		}
	}
	return o;
}
