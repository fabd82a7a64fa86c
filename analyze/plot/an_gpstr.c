/*
 * an_gpstr.c - turns text from a trace (labels, names, host and chip
 * strings, file names) into gnuplot string expressions that gnuplot cannot
 * run or expand (see an_gpstr.h for what gnuplot would otherwise do), and
 * cleans display text (UTF-8, no control characters, bounded length).  It
 * writes no script itself and knows nothing about figures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "an_gpstr.h"

#define REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD */
#define ELLIPSIS "\xe2\x80\xa6"		/* U+2026 */

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

/* What display text does with a character: 0 keep, 1 make it a space, 2 drop it. */
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
	return 0;
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

size_t
an_gp_clean(const char *s, size_t n, size_t max_chars, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	struct clean_out c = { out, 0, 0, max_chars, 0, 0 };
	size_t spaces = 0;

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
		} else if (cls == 0) {
			for (; spaces > 0 && !c.full; spaces--)
				clean_put(&c, " ", 1);
			if (k == 0)
				clean_put(&c, REPLACEMENT, 3);
			else
				clean_put(&c, s + i, k);
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
