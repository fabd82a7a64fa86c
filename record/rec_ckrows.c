/*
 * rec_ckrows.c - the rows of phocus-record --check (see rec_ckrows.h):
 * stores them, prints them as a table or as JSON, and says the verdict.
 * It runs no check.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rec_ckrows.h"

/* The status as the table shows it, and as JSON says it. */
static const char *const status_table[] = { "pass", "FAIL", "-", "skip" };
static const char *const status_json[] = { "pass", "fail", "not on this system",
	"skipped" };

struct rec_ck_row *
rec_ckrows_add(struct rec_ckrows *t, const char *source, int needed, int status,
    const char *fmt, ...)
{
	struct rec_ck_row *r = &t->row[t->n < REC_CK_ROWS ? t->n++ : REC_CK_ROWS - 1];
	va_list ap;

	memset(r, 0, sizeof(*r));
	snprintf(r->source, sizeof(r->source), "%s", source);
	r->needed = needed;
	r->status = status;
	va_start(ap, fmt);
	vsnprintf(r->read, sizeof(r->read), fmt, ap);
	va_end(ap);
	return r;
}

void
rec_ckrows_advise(struct rec_ck_row *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->advice, sizeof(r->advice), fmt, ap);
	va_end(ap);
}

/* The next free value slot of r, named key, or NULL when full. */
static struct rec_ck_val *
val_new(struct rec_ck_row *r, const char *key)
{
	struct rec_ck_val *v;

	if (r->nvals >= REC_CK_VALS)
		return NULL;
	v = &r->vals[r->nvals++];
	snprintf(v->key, sizeof(v->key), "%s", key);
	return v;
}

void
rec_ckrows_num(struct rec_ck_row *r, const char *key, double x)
{
	struct rec_ck_val *v = val_new(r, key);

	if (v != NULL)
		v->num = x;
}

void
rec_ckrows_str(struct rec_ck_row *r, const char *key, const char *s)
{
	struct rec_ck_val *v = val_new(r, key);

	if (v != NULL) {
		v->is_str = 1;
		snprintf(v->str, sizeof(v->str), "%s", s ? s : "");
	}
}

/* Appends ", name" of the rows that failed (needed or not) to buf. */
static size_t
verdict_list(const struct rec_ckrows *t, int needed, char *buf, size_t len, size_t o)
{
	const char *sep = "";

	for (size_t i = 0; i < t->n && o < len; i++) {
		const struct rec_ck_row *r = &t->row[i];
		if (r->status != REC_CK_FAIL || r->needed != needed)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", sep, r->source);
		sep = ", ";
	}
	return o;
}

/* Failed rows that are (needed = 1) or are not (0) needed. */
static unsigned
count_failed(const struct rec_ckrows *t, int needed)
{
	unsigned n = 0;

	for (size_t i = 0; i < t->n; i++)
		n += t->row[i].status == REC_CK_FAIL && t->row[i].needed == needed;
	return n;
}

int
rec_ckrows_verdict(const struct rec_ckrows *t, char *buf, size_t len)
{
	unsigned bad = count_failed(t, 1), opt = count_failed(t, 0);
	size_t o;

	if (bad > 0) {
		o = (size_t)snprintf(buf, len, "NOT READY: a recording needs what failed "
		    "here: ");
		o = verdict_list(t, 1, buf, len, o);
	} else {
		o = (size_t)snprintf(buf, len, "ready: everything a recording needs works");
	}
	if (opt > 0 && o < len) {
		o += (size_t)snprintf(buf + o, len - o, "; optional, failed: ");
		o = verdict_list(t, 0, buf, len, o);
	}
	return bad > 0 ? 1 : 0;
}

void
rec_ckrows_print_table(FILE *f, const struct rec_ckrows *t)
{
	char verdict[1024];

	fprintf(f, "%s\n\n%-21s %-6s %s\n", t->title, "source", "status", "what was read");
	for (size_t i = 0; i < t->n; i++) {
		const struct rec_ck_row *r = &t->row[i];
		fprintf(f, "%-21s %-6s %s\n", r->source, status_table[r->status], r->read);
		if (r->advice[0] != '\0' && (r->status == REC_CK_FAIL || r->status == REC_CK_SKIP))
			fprintf(f, "%-21s %-6s what to do: %s\n", "", "", r->advice);
	}
	rec_ckrows_verdict(t, verdict, sizeof(verdict));
	fprintf(f, "\nVerdict: %s\n", verdict);
}

/* Writes s as a JSON string; bytes beyond ASCII become '?' (what was read
 * may be any bytes, and JSON must be UTF-8). */
static void
json_str(FILE *f, const char *s)
{
	putc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else if (*p >= 0x7f)
			putc('?', f);
		else
			putc(*p, f);
	}
	putc('"', f);
}

/* Writes a number: integers exactly, NaN and infinities as null. */
static void
json_num(FILE *f, double v)
{
	if (!isfinite(v))
		fputs("null", f);
	else if (v == floor(v) && fabs(v) < 9007199254740992.0)
		fprintf(f, "%.0f", v);
	else
		fprintf(f, "%.9g", v);
}

/* Writes one row as a JSON object. */
static void
json_row(FILE *f, const struct rec_ck_row *r)
{
	fputs("    {\"source\": ", f);
	json_str(f, r->source);
	fputs(", \"status\": ", f);
	json_str(f, status_json[r->status]);
	fprintf(f, ", \"needed\": %s, \"read\": ", r->needed ? "true" : "false");
	json_str(f, r->read);
	fputs(", \"advice\": ", f);
	json_str(f, r->advice);
	fputs(", \"values\": {", f);
	for (int k = 0; k < r->nvals; k++) {
		fputs(k ? ", " : "", f);
		json_str(f, r->vals[k].key);
		fputs(": ", f);
		if (r->vals[k].is_str)
			json_str(f, r->vals[k].str);
		else
			json_num(f, r->vals[k].num);
	}
	fputs("}}", f);
}

void
rec_ckrows_print_json(FILE *f, const struct rec_ckrows *t)
{
	char verdict[1024];
	int code = rec_ckrows_verdict(t, verdict, sizeof(verdict));

	fputs("{\n  \"title\": ", f);
	json_str(f, t->title);
	fputs(",\n  \"checks\": [\n", f);
	for (size_t i = 0; i < t->n; i++) {
		json_row(f, &t->row[i]);
		fputs(i + 1 < t->n ? ",\n" : "\n", f);
	}
	fputs("  ],\n  \"verdict\": ", f);
	json_str(f, verdict);
	fprintf(f, ",\n  \"ready\": %s,\n  \"exit_code\": %d\n}\n", code ? "false" : "true",
	    code);
}
