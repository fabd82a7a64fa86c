/*
 * an_gpstr.c - turns text from a trace (labels, names, host and chip
 * strings, file names) into gnuplot string expressions that gnuplot cannot
 * run or expand (see an_gpstr.h for what gnuplot would otherwise do), and
 * cleans display text (UTF-8, no control characters, nothing the plot
 * fonts cannot draw, bounded length).  It writes no script itself and
 * knows nothing about figures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "an_gpstr.h"

#define REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD */
#define ELLIPSIS "\xe2\x80\xa6"		/* U+2026 */
#define UNDRAWABLE "\xe2\x96\xa1"	/* U+25A1 white square: characters the font lacks */

/* ======================= UTF-8 ======================= */

/*
 * Decodes the UTF-8 sequence at p (n bytes available) into *cp.  Returns
 * its length, or 0 when the bytes there are not valid UTF-8 (overlong
 * forms, surrogates and values above U+10FFFF are invalid).
 */
static size_t
utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t k;
	uint32_t c, min;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		k = 2, c = p[0] & 0x1f, min = 0x80;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		k = 3, c = p[0] & 0x0f, min = 0x800;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		k = 4, c = p[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (k > n)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return k;
}

/*
 * Characters a figure keeps: the scripts and symbols of DejaVu Sans (the
 * plot font on Linux; macOS's fonts cover more), read from its charset
 * (fc-query) and rounded to whole blocks where it covers almost all, plus
 * CJK and Hangul, which need a CJK font (macOS has one; Debian's
 * fonts-droid-fallback or fonts-noto-cjk).  Anything else - emoji, symbols
 * outside the font, scripts it has no glyphs for - is drawn by cairo as a
 * box of hex digits that can cover a large part of the image, so it is
 * replaced.  Sorted, inclusive.
 */
static const uint32_t font_ranges[][2] = {
	{ 0x0020, 0x007e }, { 0x00a0, 0x058f },		/* Latin .. Armenian */
	{ 0x0590, 0x06ff },				/* Hebrew, Arabic */
	{ 0x10a0, 0x10ff }, { 0x1100, 0x11ff },		/* Georgian, Hangul Jamo */
	{ 0x1d00, 0x1dbf }, { 0x1e00, 0x1fff },		/* phonetic, Latin and Greek ext. */
	{ 0x2000, 0x200a }, { 0x2010, 0x2027 }, { 0x202f, 0x205f },	/* punctuation */
	{ 0x2070, 0x20bf },				/* super/subscripts, currency */
	{ 0x2100, 0x22ff },				/* letterlike .. math operators */
	{ 0x2300, 0x2311 }, { 0x2318, 0x2319 },		/* technical: house .. command key */
	{ 0x2460, 0x2469 },				/* circled digits */
	{ 0x2500, 0x269c }, { 0x269e, 0x26b8 },		/* boxes, shapes, misc symbols */
	{ 0x2701, 0x2704 }, { 0x2706, 0x2709 }, { 0x270c, 0x2727 },	/* dingbats */
	{ 0x2729, 0x274b }, { 0x2761, 0x2794 },
	{ 0x27f0, 0x27ff },				/* long arrows */
	{ 0x2e80, 0x2fdf }, { 0x3000, 0x31ff },		/* CJK radicals, punctuation, kana */
	{ 0x3400, 0x4dbf }, { 0x4e00, 0x9fff },		/* CJK ideographs */
	{ 0xac00, 0xd7af }, { 0xf900, 0xfaff },		/* Hangul, CJK compatibility */
	{ 0xfb00, 0xfb06 }, { 0xff01, 0xffdc },		/* ligatures, full/halfwidth */
	{ 0xfffd, 0xfffd },
};

/* Whether c is in font_ranges (binary search). */
static int
font_has(uint32_t c)
{
	size_t lo = 0, hi = sizeof(font_ranges) / sizeof(font_ranges[0]);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c < font_ranges[mid][0])
			hi = mid;
		else if (c > font_ranges[mid][1])
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/*
 * Invisible glue of emoji sequences: zero-width joiner, variation
 * selectors, the keycap mark, skin tone modifiers, tags.  Dropped; after
 * a replaced character they belong to it.
 */
static int
is_glue(uint32_t c)
{
	return c == 0x200d || (c >= 0xfe00 && c <= 0xfe0f) || c == 0x20e3 ||
	    (c >= 0x1f3fb && c <= 0x1f3ff) || (c >= 0xe0000 && c <= 0xe007f);
}

/*
 * What display text does with a character: 0 keep, 1 make it a space,
 * 2 drop it, 3 replace it (the figure's fonts cannot draw it).
 */
static int
clean_class(uint32_t c)
{
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
		return 1;
	if (c == 0x2028 || c == 0x2029 || c == 0x85)
		return 1;
	if (c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069))
		return 2;	/* bidirectional controls: they reorder what follows */
	if (is_glue(c) || c == 0x200b || c == 0x200c || (c >= 0x2060 && c <= 0x206f) ||
	    c == 0xfeff)
		return 2;	/* zero-width: nothing to draw */
	return font_has(c) ? 0 : 3;
}

/* ======================= Display text ======================= */

/* Output state of an_gp_clean(). */
struct clean_out {
	char *buf;
	size_t o;			/* bytes written */
	size_t chars;			/* characters written */
	size_t max;			/* characters allowed */
	size_t cut;			/* offset after max - 1 characters */
	int full;			/* a character did not fit */
};

/* Appends one character (len bytes); sets full when max would be passed. */
static void
clean_put(struct clean_out *c, const char *p, size_t len)
{
	if (c->chars == c->max) {
		c->full = 1;
		return;
	}
	if (c->chars + 1 == c->max)
		c->cut = c->o;
	memcpy(c->buf + c->o, p, len);
	c->o += len;
	c->chars++;
}

/* Writes the pending spaces, then one character (len bytes at p). */
static void
clean_emit(struct clean_out *c, size_t *spaces, const char *p, size_t len)
{
	for (; *spaces > 0 && !c->full; (*spaces)--)
		clean_put(c, " ", 1);
	clean_put(c, p, len);
}

size_t
an_gp_clean(const char *s, size_t n, size_t max_chars, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	struct clean_out c = { out, 0, 0, max_chars, 0, 0 };
	size_t spaces = 0;
	int boxed = 0;			/* the last character written stands for undrawable ones */

	if (outlen == 0)
		return 0;
	if (outlen < 4 * max_chars + 4)
		c.max = outlen >= 8 ? (outlen - 4) / 4 : 0;
	if (c.max == 0) {
		out[0] = '\0';
		return 0;
	}
	for (size_t i = 0; i < n && !c.full;) {
		uint32_t cp;
		size_t k = utf8_decode(p + i, n - i, &cp);
		int cls = k ? clean_class(cp) : 0;
		if (cls == 1 || (k == 1 && cp == ' ')) {
			spaces += c.chars > 0;	/* leading spaces are dropped */
			boxed = 0;
		} else if (cls == 0) {
			clean_emit(&c, &spaces, k ? s + i : REPLACEMENT, k ? k : 3);
			boxed = 0;
		} else if (cls == 3 && !boxed) {
			clean_emit(&c, &spaces, UNDRAWABLE, 3);
			boxed = 1;
		}
		i += k ? k : 1;
	}
	if (c.full) {
		c.o = c.cut;
		while (c.o > 0 && out[c.o - 1] == ' ')
			c.o--;
		memcpy(out + c.o, ELLIPSIS, 3);
		c.o += 3;
	}
	out[c.o] = '\0';
	return c.o;
}

/* ======================= gnuplot strings ======================= */

/* Length of the literal (single-quotable) character at p, or 0 to escape it. */
static size_t
literal_len(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t k;

	if (p[0] >= 0x20 && p[0] < 0x7f)
		return p[0] == '`' || p[0] == '@' || p[0] == '\\' ? 0 : 1;
	if (p[0] < 0x80)
		return 0;
	k = utf8_decode(p, n, &cp);
	return k > 0 && cp > 0x9f ? k : 0;
}

int
an_gp_str(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	int mode = 0;			/* 0 none yet, '\'' or '"': inside that quote */

	if (n == 0)
		fputs("''", f);
	for (size_t i = 0; i < n;) {
		size_t k = literal_len(p + i, n - i);
		int want = k ? '\'' : '"';
		if (mode != want) {
			if (mode != 0)
				fprintf(f, "%c.", mode);
			fputc(want, f);
			mode = want;
		}
		if (k == 0) {
			fprintf(f, "\\%03o", p[i]);
			i++;
			continue;
		}
		if (p[i] == '\'')
			fputc('\'', f);
		fwrite(p + i, 1, k, f);
		i += k;
	}
	if (mode != 0)
		fputc(mode, f);
	return ferror(f) ? EOF : 0;
}

int
an_gp_text(FILE *f, const char *s, size_t n, size_t max_chars)
{
	char buf[4 * AN_GP_TEXT_MAX + 4];
	size_t len = an_gp_clean(s, n, max_chars, buf, sizeof(buf));

	return an_gp_str(f, buf, len);
}

int
an_gp_path(FILE *f, const char *path)
{
	size_t n = strlen(path);
	char *buf;
	int rc;

	if (path[0] == '/')
		return an_gp_str(f, path, n);
	buf = malloc(n + 3);
	if (buf == NULL)
		return EOF;
	memcpy(buf, "./", 2);
	memcpy(buf + 2, path, n + 1);
	rc = an_gp_str(f, buf, n + 2);
	free(buf);
	return rc;
}

/* ======================= Messages ======================= */

void
an_sh_quote(FILE *f, const char *path)
{
	const char *safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_./:,+=%@-";

	if (path[0] != '\0' && path[0] != '-' && path[strspn(path, safe)] == '\0') {
		fputs(path, f);
		return;
	}
	fputc('\'', f);
	for (const char *p = path; *p != '\0'; p++) {
		if (*p == '\'')
			fputs("'\\''", f);
		else
			fputc((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p, f);
	}
	fputc('\'', f);
}

void
an_put_visible(FILE *f, const char *s)
{
	for (; *s != '\0'; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}
