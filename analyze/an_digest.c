/*
 * an_digest.c - a trace at a glance (an_digest.h): the figures of one line
 * of `list`, taken from an_summarize() and the header, their table of keys,
 * and their text form for the list cache.  It reads no file and prints no
 * listing (cmd_list.c); every figure comes from an_summary.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_digest.h"
#include "an_metric.h"

#define RECORDING_S 60		/* a trace without END changed this recently is being recorded */

#define TXT(f) { #f, 0, offsetof(struct an_digest, f), sizeof(((struct an_digest *)0)->f) }
#define NUM(f) { #f, 1, offsetof(struct an_digest, f), sizeof(double) }

const struct an_digest_key an_digest_keys[] = {
	TXT(start), TXT(target), TXT(target_version), TXT(host), TXT(chip), TXT(model),
	TXT(os_name), TXT(os_version), NUM(ram_gb), NUM(duration_s), NUM(samples),
	TXT(memory_metric), NUM(memory_peak_gb), NUM(memory_trend_gb_per_mark), NUM(marks),
	NUM(cpu_seconds), NUM(gpu_energy_j), NUM(ane_energy_j), TXT(power_source),
	TXT(integrity), TXT(trace), TXT(error), NUM(start_unix),
};
const size_t an_digest_nkeys = sizeof(an_digest_keys) / sizeof(an_digest_keys[0]);

const struct an_digest_key *
an_digest_key(const char *name)
{
	for (size_t i = 0; i < an_digest_nkeys; i++)
		if (strcmp(an_digest_keys[i].key, name) == 0)
			return &an_digest_keys[i];
	return NULL;
}

/* ======================= Filling ======================= */

/* Copies s into buf (len bytes), cut at a UTF-8 character boundary. */
static void
digest_copy(char *buf, size_t len, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n >= len) {
		n = len - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(buf, s, n);
	buf[n] = '\0';
}

void
an_digest_init(struct an_digest *d, const char *path)
{
	memset(d, 0, sizeof(*d));
	for (size_t i = 0; i < an_digest_nkeys; i++)
		if (an_digest_keys[i].num)
			*(double *)((char *)d + an_digest_keys[i].off) = NAN;
	digest_copy(d->trace, sizeof(d->trace), path);
}

/* "complete", "damaged" or "no end": what the reader found. */
static const char *
digest_integrity(const struct an_trace *tr)
{
	for (size_t i = 0; i < tr->nproblems; i++)
		if (tr->problems[i].kind == PMT_P_DAMAGED || tr->problems[i].kind == PMT_P_COUNTS ||
		    tr->problems[i].kind == PMT_P_BAD_RECORD)
			return "damaged";
	return tr->have_end ? "complete" : "no end";
}

void
an_digest_make(struct an_digest *d, const struct an_trace *tr, const struct an_summary *s)
{
	const struct pmt_header *h = &tr->hdr;
	int64_t wall, off;

	if (tr->have_hdr && an_iso_time(tr, 0, d->start, sizeof(d->start)) == 0) {
		an_wall(tr, 0, &wall, &off);
		d->start_unix = (double)wall / 1e9;
	}
	digest_copy(d->target, sizeof(d->target), h->target_name);
	digest_copy(d->target_version, sizeof(d->target_version), h->target_version);
	digest_copy(d->host, sizeof(d->host), h->host);
	digest_copy(d->chip, sizeof(d->chip), h->chip);
	digest_copy(d->model, sizeof(d->model), h->model);
	digest_copy(d->os_name, sizeof(d->os_name), h->os_name);
	digest_copy(d->os_version, sizeof(d->os_version), h->os_version);
	d->ram_gb = h->ram_bytes > 0 ? (double)h->ram_bytes / 1e9 : NAN;
	d->duration_s = an_metric_value(AN_M_DURATION, s);
	d->samples = an_metric_value(AN_M_SAMPLES, s);
	digest_copy(d->memory_metric, sizeof(d->memory_metric), s->mem_metric);
	d->memory_peak_gb = an_metric_value(AN_M_MEM_PEAK, s);
	d->memory_trend_gb_per_mark = an_metric_value(AN_M_TREND, s);
	d->marks = an_metric_value(AN_M_MARKS, s);
	d->cpu_seconds = an_metric_value(AN_M_CPU_SECONDS, s);
	d->gpu_energy_j = an_metric_value(AN_M_GPU_J, s);
	d->ane_energy_j = an_metric_value(AN_M_ANE_J, s);
	digest_copy(d->power_source, sizeof(d->power_source),
	    tr->power_source == AN_POWER_IOR ? "ioreport" :
	    tr->power_source != AN_POWER_PM ? "none" :
	    an_pm_foreign(tr) ? "powermetrics from another machine" : "powermetrics");
	digest_copy(d->integrity, sizeof(d->integrity), digest_integrity(tr));
}

/* ======================= Fields ======================= */

double
an_digest_num(const struct an_digest *d, const struct an_digest_key *k)
{
	return k->num ? *(const double *)((const char *)d + k->off) : NAN;
}

void
an_digest_text(const struct an_digest *d, const struct an_digest_key *k, char *buf,
    size_t len)
{
	double v;

	if (!k->num) {
		snprintf(buf, len, "%s", (const char *)d + k->off);
		return;
	}
	v = an_digest_num(d, k);
	if (isnan(v) || isinf(v))
		buf[0] = '\0';
	else
		snprintf(buf, len, "%.6g", v);
}

const char *
an_digest_state(const struct an_digest *d, int64_t mtime_s, int64_t now_s)
{
	if (strcmp(d->integrity, "no end") != 0)
		return d->integrity;
	return now_s - mtime_s < RECORDING_S ? "recording" : "unfinished";
}

/* ======================= Text form (the cache) ======================= */

/* Writes s escaped: \\, \n and \xHH for other control bytes. */
static void
put_escaped(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\\')
			fputs("\\\\", f);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

int
an_digest_write(FILE *f, const struct an_digest *d)
{
	for (size_t i = 0; i < an_digest_nkeys; i++) {
		const struct an_digest_key *k = &an_digest_keys[i];
		fprintf(f, "%s=", k->key);
		if (k->num)
			fprintf(f, "%.17g", an_digest_num(d, k));
		else
			put_escaped(f, (const char *)d + k->off);
		fputc('\n', f);
	}
	return ferror(f) ? EOF : 0;
}

/* Unescapes v[0..n) into buf (len bytes).  0, or -1 when malformed or too long. */
static int
get_escaped(const char *v, size_t n, char *buf, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (c == '\\') {
			if (i + 1 >= n)
				return -1;
			c = v[++i];
			if (c == 'n')
				c = '\n';
			else if (c == 'x') {
				char hex[3] = { 0 };
				if (i + 2 >= n)
					return -1;
				memcpy(hex, v + i + 1, 2);
				c = (char)strtol(hex, NULL, 16);
				i += 2;
			} else if (c != '\\')
				return -1;
		}
		if (o + 1 >= len)
			return -1;
		buf[o++] = c;
	}
	buf[o] = '\0';
	return 0;
}

/* Reads one "key=value" line (without its newline) into d.  0 or -1. */
static int
read_line(struct an_digest *d, const char *line, size_t n)
{
	const char *eq = memchr(line, '=', n);
	const struct an_digest_key *k = NULL;
	char key[64], num[64];

	if (eq == NULL || (size_t)(eq - line) >= sizeof(key))
		return -1;
	memcpy(key, line, (size_t)(eq - line));
	key[eq - line] = '\0';
	if ((k = an_digest_key(key)) == NULL)
		return 0;		/* a key of another version: skipped */
	eq++;
	n -= (size_t)(eq - line);
	if (!k->num)
		return get_escaped(eq, n, (char *)d + k->off, k->size);
	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, eq, n);
	num[n] = '\0';
	*(double *)((char *)d + k->off) = strtod(num, NULL);
	return 0;
}

int
an_digest_read(struct an_digest *d, const char *buf, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (buf + i)) : len - i;
		if (read_line(d, buf + i, n) != 0)
			return -1;
		i += n + 1;
	}
	return 0;
}
