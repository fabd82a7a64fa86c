/*
 * rec_bundle.c - finds an app bundle's Info.plist (cmn_file_read reads it)
 * and takes one top-level string out of an XML property list, with a small bounds-checked
 * scanner.  Not an XML parser: no DTD, namespaces, UTF-16 or binary plists
 * (the Darwin backend gives binary ones to CoreFoundation).
 */
#include "rec_bundle.h"
#include "cmn_xml.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>


/* ---- the Info.plist path ---- */

/* True when s[0..n) equals the NUL-terminated lit, ignoring ASCII case. */
static int
rec_bundle_eq_nocase(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char a = s[i], b = lit[i];
		if (b == '\0')
			return 0;
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (char)(b - 'A' + 'a');
		if (a != b)
			return 0;
	}
	return lit[n] == '\0';
}

/*
 * Finds the path component that ends at *end (exclusive) of p: sets *start
 * to its first byte and moves *end to the end of the component before it
 * (slashes skipped).  Returns the component's length (0 when there is none).
 */
static size_t
rec_bundle_prev_component(const char *p, size_t *start, size_t *end)
{
	size_t b = *end, a = b;

	while (a > 0 && p[a - 1] != '/')
		a--;
	*start = a;
	while (a > 0 && p[a - 1] == '/')
		a--;
	*end = a;
	return b - *start;
}

/* True when p[a..a+n) is a usable name: not empty, ".", "..". */
static int
rec_bundle_is_name(const char *p, size_t a, size_t n)
{
	return n > 0 && !(n == 1 && p[a] == '.') &&
	    !(n == 2 && p[a] == '.' && p[a + 1] == '.');
}

/* True when the bundle name p[a..a+n) has an extension ("B.app"). */
static int
rec_bundle_has_ext(const char *p, size_t a, size_t n)
{
	size_t k;

	for (k = n; k > 1; k--)
		if (p[a + k - 1] == '.')
			return k < n;
	return 0;
}

/* Info.plist of the bundle executable exe (contract in rec_bundle.h). */
int
rec_bundle_find_plist(const char *exe, char *out, size_t out_len)
{
	static const char tail[] = "/Contents/Info.plist";
	size_t end, a, n, bundle_end;

	if (out != NULL && out_len > 0)
		out[0] = '\0';
	if (exe == NULL || out == NULL || exe[0] == '\0')
		return -EINVAL;
	end = strlen(exe);
	if (exe[end - 1] == '/')
		return -ENOENT;		/* a directory, not an executable */
	n = rec_bundle_prev_component(exe, &a, &end);
	if (!rec_bundle_is_name(exe, a, n))
		return -ENOENT;
	n = rec_bundle_prev_component(exe, &a, &end);
	if (!rec_bundle_eq_nocase(exe + a, n, "MacOS"))
		return -ENOENT;
	n = rec_bundle_prev_component(exe, &a, &end);
	if (!rec_bundle_eq_nocase(exe + a, n, "Contents"))
		return -ENOENT;
	bundle_end = end;
	n = rec_bundle_prev_component(exe, &a, &end);
	if (!rec_bundle_is_name(exe, a, n) || !rec_bundle_has_ext(exe, a, n))
		return -ENOENT;
	if (bundle_end + sizeof(tail) > out_len)
		return -ENAMETOOLONG;
	memcpy(out, exe, bundle_end);
	memcpy(out + bundle_end, tail, sizeof(tail));
	return 0;
}


/* Binary plist magic (contract in rec_bundle.h). */
int
rec_bundle_is_binary(const char *data, size_t len)
{
	return data != NULL && len >= 6 && memcmp(data, "bplist", 6) == 0;
}


/* ---- the XML scanner ---- */

struct rec_bundle_doc {
	const char *s;			/* the document */
	size_t n;			/* its length in bytes */
	size_t i;			/* read position */
};

struct rec_bundle_out {
	char *buf;			/* destination, NUL-terminated */
	size_t cap;			/* its size in bytes */
	size_t pos;			/* bytes written, NUL excluded */
	int overflow;			/* something did not fit */
};

struct rec_bundle_tag {
	const char *name;		/* element name (points into the doc) */
	size_t len;			/* its length */
};

enum rec_bundle_tok {
	REC_TOK_END,			/* input ended between elements */
	REC_TOK_OPEN,			/* <name ...> */
	REC_TOK_EMPTY,			/* <name .../> */
	REC_TOK_CLOSE,			/* </name> */
	REC_TOK_BAD			/* malformed, or cut short */
};

/* True when the document has lit at position i. */
static int
rec_bundle_at(const struct rec_bundle_doc *d, size_t i, const char *lit)
{
	size_t k = strlen(lit);

	return i <= d->n && d->n - i >= k && memcmp(d->s + i, lit, k) == 0;
}

/* Returns the position just after the first lit at or after i, or 0. */
static size_t
rec_bundle_skip_past(const struct rec_bundle_doc *d, size_t i,
    const char *lit)
{
	size_t k = strlen(lit);

	for (; i <= d->n && d->n - i >= k; i++)
		if (memcmp(d->s + i, lit, k) == 0)
			return i + k;
	return 0;
}

/* Appends s[0..k) to o, or marks o as overflowed. */
static void
rec_bundle_put(struct rec_bundle_out *o, const char *s, size_t k)
{
	if (o->overflow || o->cap - o->pos <= k) {
		o->overflow = 1;
		return;
	}
	memcpy(o->buf + o->pos, s, k);
	o->pos += k;
	o->buf[o->pos] = '\0';
}

/*
 * Decodes the reference at d->i (which is '&') into o and moves past its
 * ';'.  Returns 0, or -EINVAL for an unknown, malformed or unterminated one.
 */
static int
rec_bundle_entity(struct rec_bundle_doc *d, struct rec_bundle_out *o)
{
	char u[4];
	size_t used, k = cmn_xml_ref(d->s + d->i, d->n - d->i, u, &used);

	if (k == 0)
		return -EINVAL;
	d->i += used;
	rec_bundle_put(o, u, k);
	return 0;
}

/* Reads an element name at d->i into *t; returns its length (0: none). */
static size_t
rec_bundle_name(struct rec_bundle_doc *d, struct rec_bundle_tag *t)
{
	size_t a = d->i;

	while (d->i < d->n) {
		char c = d->s[d->i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		    c == ':' || c == '.'))
			break;
		d->i++;
	}
	t->name = d->s + a;
	t->len = d->i - a;
	return t->len;
}

/* True when the tag's name is lit. */
static int
rec_bundle_tag_is(const struct rec_bundle_tag *t, const char *lit)
{
	return strlen(lit) == t->len && memcmp(t->name, lit, t->len) == 0;
}

/* Parses "</name>" at d->i into *t; returns REC_TOK_CLOSE or REC_TOK_BAD. */
static enum rec_bundle_tok
rec_bundle_close_tag(struct rec_bundle_doc *d, struct rec_bundle_tag *t)
{
	d->i += 2;
	if (rec_bundle_name(d, t) == 0)
		return REC_TOK_BAD;
	while (d->i < d->n && (d->s[d->i] == ' ' || d->s[d->i] == '\t' ||
	    d->s[d->i] == '\r' || d->s[d->i] == '\n'))
		d->i++;
	if (d->i >= d->n || d->s[d->i] != '>')
		return REC_TOK_BAD;
	d->i++;
	return REC_TOK_CLOSE;
}

/* Parses "<name attrs>" or "<name attrs/>" at d->i into *t. */
static enum rec_bundle_tok
rec_bundle_open_tag(struct rec_bundle_doc *d, struct rec_bundle_tag *t)
{
	char quote = 0, prev = 0;

	d->i++;
	if (rec_bundle_name(d, t) == 0)
		return REC_TOK_BAD;
	for (; d->i < d->n; d->i++) {
		char c = d->s[d->i];
		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '<') {
			return REC_TOK_BAD;
		} else if (c == '>') {
			d->i++;
			return prev == '/' ? REC_TOK_EMPTY : REC_TOK_OPEN;
		}
		prev = c;
	}
	return REC_TOK_BAD;
}

/* Skips "<!DOCTYPE ...>" (with an internal [subset]) at d->i; 0 or -1. */
static int
rec_bundle_skip_decl(struct rec_bundle_doc *d)
{
	char quote = 0;
	int bracket = 0;

	for (d->i += 2; d->i < d->n; d->i++) {
		char c = d->s[d->i];
		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '[') {
			bracket++;
		} else if (c == ']') {
			bracket--;
		} else if (c == '>' && bracket <= 0) {
			d->i++;
			return 0;
		}
	}
	return -1;
}

/*
 * Skips a comment, processing instruction or CDATA section at d->i.
 * Returns 1 when one was skipped, 0 when there is none, -1 when one is
 * unterminated.  With o, the CDATA text is appended to o.
 */
static int
rec_bundle_skip_misc(struct rec_bundle_doc *d, struct rec_bundle_out *o)
{
	size_t e;

	if (rec_bundle_at(d, d->i, "<!--"))
		e = rec_bundle_skip_past(d, d->i + 4, "-->");
	else if (rec_bundle_at(d, d->i, "<?"))
		e = rec_bundle_skip_past(d, d->i + 2, "?>");
	else if (rec_bundle_at(d, d->i, "<![CDATA[")) {
		e = rec_bundle_skip_past(d, d->i + 9, "]]>");
		if (e != 0 && o != NULL)
			rec_bundle_put(o, d->s + d->i + 9, e - 3 - (d->i + 9));
	} else
		return 0;
	if (e == 0)
		return -1;
	d->i = e;
	return 1;
}

/* Returns the next tag after d->i, skipping text, comments and the like. */
static enum rec_bundle_tok
rec_bundle_next_tag(struct rec_bundle_doc *d, struct rec_bundle_tag *t)
{
	for (;;) {
		int m;
		while (d->i < d->n && d->s[d->i] != '<')
			d->i++;
		if (d->i >= d->n)
			return REC_TOK_END;
		if ((m = rec_bundle_skip_misc(d, NULL)) < 0)
			return REC_TOK_BAD;
		if (m > 0)
			continue;
		if (rec_bundle_at(d, d->i, "<!")) {
			if (rec_bundle_skip_decl(d) != 0)
				return REC_TOK_BAD;
			continue;
		}
		if (rec_bundle_at(d, d->i, "</"))
			return rec_bundle_close_tag(d, t);
		return rec_bundle_open_tag(d, t);
	}
}

/*
 * Reads the text content of the element t just opened, up to its close tag,
 * into o (entities decoded, CDATA kept, comments dropped).  Returns 0, or
 * -EINVAL when it holds an element, a bad entity, or is cut short.
 */
static int
rec_bundle_content(struct rec_bundle_doc *d, const struct rec_bundle_tag *t,
    struct rec_bundle_out *o)
{
	struct rec_bundle_tag c;
	int m;

	while (d->i < d->n) {
		size_t j = d->i;
		if (d->s[j] == '&') {
			if (rec_bundle_entity(d, o) != 0)
				return -EINVAL;
			continue;
		}
		if (d->s[j] != '<') {
			while (j < d->n && d->s[j] != '<' && d->s[j] != '&')
				j++;
			rec_bundle_put(o, d->s + d->i, j - d->i);
			d->i = j;
			continue;
		}
		if ((m = rec_bundle_skip_misc(d, o)) < 0)
			return -EINVAL;
		if (m > 0)
			continue;
		if (!rec_bundle_at(d, j, "</") ||
		    rec_bundle_close_tag(d, &c) != REC_TOK_CLOSE ||
		    c.len != t->len || memcmp(c.name, t->name, c.len) != 0)
			return -EINVAL;
		return 0;
	}
	return -EINVAL;
}

/* State of the walk through the document in rec_bundle_find(). */
struct rec_bundle_walk {
	size_t depth;			/* elements open now */
	size_t root;			/* level of the top dict, or SIZE_MAX */
	int seen_root;			/* a level-0 element was opened */
	int root_is_plist;		/* ... and it was <plist> */
	int want_value;			/* the key just read is the one */
};

/*
 * Handles an opening (or empty) tag t at level w->depth.  Returns 1 to go
 * on, or the final result: 0 (value copied to o), -ENOENT, -EINVAL.
 */
static int
rec_bundle_on_open(struct rec_bundle_doc *d, struct rec_bundle_walk *w,
    const struct rec_bundle_tag *t, int empty, const char *key,
    struct rec_bundle_out *o)
{
	size_t level = w->depth;

	if (w->want_value) {
		if (!rec_bundle_tag_is(t, "string"))
			return -ENOENT;	/* the key's value is no string */
		return empty ? 0 : rec_bundle_content(d, t, o);
	}
	if (level == 0) {
		w->seen_root = 1;
		w->root_is_plist = rec_bundle_tag_is(t, "plist");
	}
	if (w->root == SIZE_MAX && rec_bundle_tag_is(t, "dict") &&
	    (level == 0 || (level == 1 && w->root_is_plist))) {
		if (empty)
			return -ENOENT;		/* <dict/>: no keys at all */
		w->root = level;
	} else if (w->root != SIZE_MAX && level == w->root + 1 &&
	    rec_bundle_tag_is(t, "key")) {
		char kbuf[256];
		struct rec_bundle_out ko = { kbuf, sizeof(kbuf), 0, 0 };
		kbuf[0] = '\0';
		if (!empty && rec_bundle_content(d, t, &ko) != 0)
			return -EINVAL;
		w->want_value = !ko.overflow && strcmp(kbuf, key) == 0;
		return 1;		/* the key's close tag is consumed */
	}
	if (!empty)
		w->depth++;
	return 1;
}

/* Walks the document for key's value (rec_bundle_get_xml_string's result). */
static int
rec_bundle_find(struct rec_bundle_doc *d, const char *key,
    struct rec_bundle_out *o)
{
	struct rec_bundle_walk w = { 0, SIZE_MAX, 0, 0, 0 };
	struct rec_bundle_tag t;
	enum rec_bundle_tok tok;
	int r;

	for (;;) {
		switch ((tok = rec_bundle_next_tag(d, &t))) {
		case REC_TOK_END:
			return (w.seen_root && w.depth == 0) ? -ENOENT :
			    -EINVAL;
		case REC_TOK_BAD:
			return -EINVAL;
		case REC_TOK_OPEN:
		case REC_TOK_EMPTY:
			r = rec_bundle_on_open(d, &w, &t, tok == REC_TOK_EMPTY,
			    key, o);
			if (r != 1)
				return r;
			break;
		case REC_TOK_CLOSE:
			if (w.depth == 0 || w.want_value)
				return -EINVAL;	/* stray, or key alone */
			w.depth--;
			if (w.root != SIZE_MAX && w.depth == w.root)
				return -ENOENT;	/* the top-level dict ended */
			break;
		}
	}
}

/* One top-level string of an XML plist (contract in rec_bundle.h). */
int
rec_bundle_get_xml_string(const char *xml, size_t len, const char *key,
    char *out, size_t out_len)
{
	struct rec_bundle_doc d = { xml, len, 0 };
	struct rec_bundle_out o = { out, out_len, 0, 0 };
	int r;

	if (xml == NULL || key == NULL || key[0] == '\0' || out == NULL ||
	    out_len == 0)
		return -EINVAL;
	out[0] = '\0';
	if (rec_bundle_at(&d, 0, "\xef\xbb\xbf"))
		d.i = 3;		/* UTF-8 byte order mark */
	r = rec_bundle_find(&d, key, &o);
	if (r == 0 && o.overflow)
		r = -ERANGE;
	if (r != 0)
		out[0] = '\0';
	return r;
}

/* The bundle version of an XML Info.plist (contract in rec_bundle.h). */
int
rec_bundle_get_xml_version(const char *xml, size_t len, char *out,
    size_t out_len)
{
	int r;

	r = rec_bundle_get_xml_string(xml, len, "CFBundleShortVersionString",
	    out, out_len);
	if (r == 0 && out[0] != '\0')
		return 0;
	if (r != 0 && r != -ENOENT)
		return r;
	r = rec_bundle_get_xml_string(xml, len, "CFBundleVersion", out,
	    out_len);
	if (r == 0 && out[0] == '\0')
		return -ENOENT;
	return r;
}
