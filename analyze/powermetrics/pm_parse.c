/*
 * pm_parse.c - the powermetrics parser's public entry points and shared core.
 * Dispatches to pm_text.c or pm_plist.c, owns the one place where printed
 * units become W/MHz/% (pm_unit_convert), stores table values and derives
 * what a version does not print.  It does not read either format itself.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pm_internal.h"

/* ========================= Units ========================= */

/*
 * How each printed unit becomes canonical: value * mul / div (dividing by
 * an exact power of ten keeps "7284 mW" exactly 7.284 W), and the suffix
 * that follows the number in text output.
 */
#define PM_UNIT_DEF(mul, div, suffix) { mul, div, suffix, sizeof(suffix) - 1 }

static const struct pm_unit_def {
	double mul;		/* multiply the printed value by this */
	double div;		/* then divide by this */
	const char *suffix;	/* what follows the number in text output */
	size_t suffix_len;	/* strlen(suffix) */
} pm_units[PM_UNIT_COUNT] = {
	[PM_UNIT_PCT] = PM_UNIT_DEF(1, 1, "%"),
	[PM_UNIT_RATIO] = PM_UNIT_DEF(100, 1, ""),	/* 0..1 -> % */
	[PM_UNIT_MW] = PM_UNIT_DEF(1, 1e3, "mW"),	/* -> W */
	[PM_UNIT_MJ] = PM_UNIT_DEF(1, 1e3, "mJ"),	/* -> J */
	[PM_UNIT_MHZ] = PM_UNIT_DEF(1, 1, "MHz"),
	[PM_UNIT_HZ] = PM_UNIT_DEF(1, 1e6, "Hz"),	/* -> MHz */
	[PM_UNIT_MS] = PM_UNIT_DEF(1, 1, "ms"),
	[PM_UNIT_NS] = PM_UNIT_DEF(1, 1e6, "ns"),	/* -> ms */
	[PM_UNIT_ID] = PM_UNIT_DEF(1, 1, ""),
	[PM_UNIT_TEXT] = PM_UNIT_DEF(1, 1, ""),
	[PM_UNIT_DATE] = PM_UNIT_DEF(1, 1, ""),	/* Unix s already */
};

/* Converts v printed in unit u to the canonical unit. */
double
pm_unit_convert(double v, enum pm_unit u)
{
	if ((unsigned)u >= PM_UNIT_COUNT)
		return NAN;
	return v * pm_units[u].mul / pm_units[u].div;
}

/* Returns the text suffix of unit u ("" if none) and its length in *len. */
const char *
pm_unit_suffix(enum pm_unit u, size_t *len)
{
	if ((unsigned)u >= PM_UNIT_COUNT) {
		*len = 0;
		return "";
	}
	*len = pm_units[u].suffix_len;
	return pm_units[u].suffix;
}

/* ========================= Samples ========================= */

/*
 * Sets every field of *s to "not printed".  The cluster and CPU arrays are
 * left alone (a sample is 11 KB): a slot is set up when it is added.
 */
void
pm_sample_init(struct pm_sample *s, enum pm_format f)
{
	s->format = f;
	s->is_summary = 0;
	s->elapsed_ms = s->timestamp = NAN;
	s->tz_offset_min = 0;
	s->gpu_active_pct = s->gpu_idle_pct = s->gpu_freq_mhz = NAN;
	s->gpu_power_w = s->ane_power_w = s->cpu_power_w = NAN;
	s->combined_power_w = s->package_power_w = s->dram_power_w = NAN;
	s->cpu_energy_j = s->gpu_energy_j = s->ane_energy_j = NAN;
	s->combined_derived = 0;
	s->n_clusters = s->n_cpus = 0;
	s->hw_model[0] = s->os_build[0] = '\0';
}

/* Makes clusters[0..ci] valid; returns 0, or -1 when ci is out of range. */
int
pm_sample_cluster(struct pm_sample *s, int ci)
{
	struct pm_cluster *c;

	if (ci < 0 || ci >= PM_MAX_CLUSTERS)
		return -1;
	for (; s->n_clusters <= ci; s->n_clusters++) {
		c = &s->clusters[s->n_clusters];
		c->name[0] = '\0';
		c->active_pct = c->idle_pct = c->down_pct = NAN;
		c->freq_mhz = c->power_w = NAN;
	}
	return 0;
}

/* Appends a CPU of cluster ci; returns its slot, or -1 when full. */
int
pm_sample_add_cpu(struct pm_sample *s, int id, int ci)
{
	struct pm_cpu *c;

	if (s->n_cpus >= PM_MAX_CPUS)
		return -1;
	c = &s->cpus[s->n_cpus];
	c->id = id;
	c->cluster = ci >= 0 && ci < s->n_clusters ? ci : -1;
	c->active_pct = c->idle_pct = c->down_pct = c->freq_mhz = NAN;
	return s->n_cpus++;
}

/* Returns 100 - idle - down (down counts only when printed), or NaN. */
static double
pm_sample_active(double idle_pct, double down_pct)
{
	if (isnan(idle_pct))
		return NAN;
	return 100.0 - idle_pct - (isnan(down_pct) ? 0.0 : down_pct);
}

/* Returns energy / elapsed in W when the power was not printed. */
static double
pm_sample_power(double power_w, double energy_j, double elapsed_ms)
{
	if (!isnan(power_w) || isnan(energy_j) || !(elapsed_ms > 0))
		return power_w;
	return energy_j / (elapsed_ms / 1000.0);
}

/* Derives what the version did not print. */
void
pm_sample_finish(struct pm_sample *s)
{
	int i;

	if (isnan(s->gpu_active_pct) && !isnan(s->gpu_idle_pct))
		s->gpu_active_pct = 100.0 - s->gpu_idle_pct;
	for (i = 0; i < s->n_clusters; i++)
		if (isnan(s->clusters[i].active_pct))
			s->clusters[i].active_pct = pm_sample_active(
			    s->clusters[i].idle_pct, s->clusters[i].down_pct);
	for (i = 0; i < s->n_cpus; i++)
		if (isnan(s->cpus[i].active_pct))
			s->cpus[i].active_pct = pm_sample_active(
			    s->cpus[i].idle_pct, s->cpus[i].down_pct);
	s->cpu_power_w = pm_sample_power(s->cpu_power_w, s->cpu_energy_j,
	    s->elapsed_ms);
	s->gpu_power_w = pm_sample_power(s->gpu_power_w, s->gpu_energy_j,
	    s->elapsed_ms);
	s->ane_power_w = pm_sample_power(s->ane_power_w, s->ane_energy_j,
	    s->elapsed_ms);
	if (isnan(s->combined_power_w) && !isnan(s->cpu_power_w) &&
	    !isnan(s->gpu_power_w) && !isnan(s->ane_power_w)) {
		s->combined_power_w = s->cpu_power_w + s->gpu_power_w +
		    s->ane_power_w;
		s->combined_derived = 1;
	}
}

/* Returns the object a target of scope t->scope lives in, or NULL. */
static char *
pm_store_object(struct pm_sample *s, const struct pm_target *t, int cl,
    int cpu)
{
	switch (t->scope) {
	case PM_SCOPE_SAMPLE:
		return (char *)s;
	case PM_SCOPE_CLUSTER:
		if (cl < 0 || cl >= s->n_clusters)
			return NULL;
		return (char *)&s->clusters[cl];
	case PM_SCOPE_CPU:
		if (cpu < 0 || cpu >= s->n_cpus)
			return NULL;
		return (char *)&s->cpus[cpu];
	}
	return NULL;
}

/* Stores a number into its target, first value wins. */
void
pm_store_num(struct pm_sample *s, const struct pm_target *t, int cl, int cpu,
    double v)
{
	char *obj = pm_store_object(s, t, cl, cpu);
	double d;
	int id;

	if (obj == NULL)
		return;
	if (t->unit == PM_UNIT_ID && t->size == sizeof(int)) {
		if (!(v >= 0 && v <= INT_MAX))
			return;
		id = (int)v;
		memcpy(obj + t->off, &id, sizeof(id));
		return;
	}
	if (t->size != sizeof(double))
		return;
	memcpy(&d, obj + t->off, sizeof(d));
	if (!isnan(d))
		return;
	d = pm_unit_convert(v, t->unit);
	memcpy(obj + t->off, &d, sizeof(d));
}

/* Stores a string into its target, truncated, first value wins. */
void
pm_store_text(struct pm_sample *s, const struct pm_target *t, int cl,
    int cpu, const char *p, size_t n)
{
	char *obj = pm_store_object(s, t, cl, cpu);
	char *dst;

	if (obj == NULL || t->unit != PM_UNIT_TEXT || t->size == 0)
		return;
	dst = obj + t->off;
	if (dst[0] != '\0')
		return;
	if (n >= t->size)
		n = t->size - 1;
	memcpy(dst, p, n);
	dst[n] = '\0';
}

/* ========================= Errors ========================= */

/* Formats a one-line reason into err; always returns -1. */
int
pm_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	size_t i;

	if (err == NULL || errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	for (i = 0; err[i] != '\0'; i++)
		if ((unsigned char)err[i] < 0x20 || err[i] == 0x7f)
			err[i] = '?';
	return -1;
}

/* Copies at most dstlen-1 bytes of [p, p+n), non-printables as '?'. */
void
pm_snippet(char *dst, size_t dstlen, const char *p, size_t n)
{
	size_t i;

	if (dstlen == 0)
		return;
	if (n >= dstlen)
		n = dstlen - 1;
	for (i = 0; i < n; i++)
		dst[i] = (unsigned char)p[i] < 0x20 || (unsigned char)p[i] >=
		    0x7f ? '?' : p[i];
	dst[n] = '\0';
}

/* ========================= Public API ========================= */

/* Returns the name of a format. */
const char *
pm_format_name(enum pm_format f)
{
	switch (f) {
	case PM_FORMAT_TEXT:
		return "text";
	case PM_FORMAT_PLIST:
		return "plist";
	case PM_FORMAT_UNKNOWN:
		break;
	}
	return "unknown";
}

/* Returns 1 for the bytes a sample may be padded with. */
static int
pm_parse_isblank(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Guesses the format of buf; see pm_parse.h. */
enum pm_format
pm_detect(const void *buf, size_t len)
{
	const char *p = buf, *end = p + len;

	if (buf == NULL)
		return PM_FORMAT_UNKNOWN;
	while (p < end && pm_parse_isblank(*p))
		p++;
	if (p == end)
		return PM_FORMAT_UNKNOWN;
	if (*p == '<')
		return PM_FORMAT_PLIST;
	if (pm_text_looks_like(p, (size_t)(end - p)))
		return PM_FORMAT_TEXT;
	return PM_FORMAT_UNKNOWN;
}

/* Parses one sample; see pm_parse.h. */
int
pm_parse_sample(const void *buf, size_t len, struct pm_sample *out, char *err,
    size_t errlen)
{
	enum pm_format f;
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (out == NULL)
		return pm_fail(err, errlen, "no output sample");
	f = buf == NULL ? PM_FORMAT_UNKNOWN : pm_detect(buf, len);
	pm_sample_init(out, f);
	if (buf == NULL || len == 0)
		return pm_fail(err, errlen, "empty sample");
	if (f == PM_FORMAT_PLIST)
		rc = pm_plist_parse(buf, len, out, err, errlen);
	else if (f == PM_FORMAT_TEXT)
		rc = pm_text_parse(buf, len, out, err, errlen);
	else
		return pm_fail(err, errlen,
		    "neither powermetrics text nor a plist");
	if (rc == 0)
		pm_sample_finish(out);
	else
		pm_sample_init(out, f);	/* no half-read sample */
	return rc;
}

/* Reads the text preamble; see pm_parse.h. */
int
pm_parse_preamble(const void *buf, size_t len, char *model, size_t model_len,
    char *os_build, size_t os_len)
{
	if (buf == NULL || model == NULL || model_len == 0 ||
	    os_build == NULL || os_len == 0)
		return -1;
	return pm_text_preamble(buf, len, model, model_len, os_build, os_len);
}

