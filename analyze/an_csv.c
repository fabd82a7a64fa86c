/*
 * an_csv.c - writes CSV: the timeline (one row per process sample, the
 * covering powermetrics sample and system sample beside it, marks made
 * since the previous row), and the primitives the other CSV writers use.
 * Strings go through libcsv so commas, quotes and newlines round-trip.
 * Numbers are computed elsewhere (an_load.c); this file only formats.
 */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <csv.h>

#include "an_csv.h"
#include "an_helpers.h"
#include "cmn_units.h"

const char *const an_csv_columns[] = {
	"elapsed_s", "wall_time", "rss_gb", "footprint_gb", "cpu_pct", "threads",
	"procs", "gpu_active_pct", "gpu_power_w", "ane_power_w", "cpu_power_w",
	"combined_power_w", "swap_used_gb", "mark",
	"pss_gb", "app_gpu_pct", "disk_read_mb_s", "disk_write_mb_s", "gap",
	"dram_power_w", "pss_age_s",
	"helpers_rss_gb", "helpers_cpu_pct", "helpers_procs",
};
const size_t an_csv_ncolumns = sizeof(an_csv_columns) / sizeof(an_csv_columns[0]);

/* ======================= Primitives ======================= */

void
an_csv_num(FILE *f, double v)
{
	if (!isnan(v) && !isinf(v))
		fprintf(f, "%.6g", v);
}

int
an_csv_str(FILE *f, const char *s, size_t n)
{
	char buf[2048];

	if (n > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
	    s[0] == '\t' || s[0] == '\r')) {
		size_t k = n < sizeof(buf) - 1 ? n : sizeof(buf) - 1;
		buf[0] = '\'';
		memcpy(buf + 1, s, k);
		return csv_fwrite(f, buf, k + 1);
	}
	return csv_fwrite(f, s, n);
}

void
an_csv_comment(FILE *f, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (char *p = buf; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	fprintf(f, "# %s\n", buf);
}

static const char *
str_or(const char *s, const char *def)
{
	return s != NULL && s[0] != '\0' ? s : def;
}

/* "8" or "unknown" for a count that may be -1. */
static const char *
count_str(int64_t v, char *buf, size_t len)
{
	if (v < 0)
		return "unknown";
	snprintf(buf, len, "%lld", (long long)v);
	return buf;
}

void
an_csv_describe(FILE *f, const struct an_trace *tr, double t0_s)
{
	const struct pmt_header *h = &tr->hdr;
	char start[48], p[24], e[24], g[24], a[24], ram[48];

	an_iso_time(tr, t0_s, start, sizeof(start));
	an_csv_comment(f, "trace: %s", tr->path);
	an_csv_comment(f, "recorded on: %s (%s)", str_or(h->host, "unknown host"),
	    str_or(h->model, "unknown model"));
	an_csv_comment(f, "chip: %s", str_or(h->chip, "unknown"));
	an_csv_comment(f, "cores: %s P + %s E; GPU cores: %s; Neural Engine cores: %s%s%s%s",
	    count_str(h->cores_p, p, sizeof(p)), count_str(h->cores_e, e, sizeof(e)),
	    count_str(h->gpu_cores, g, sizeof(g)), count_str(h->ane_cores, a, sizeof(a)),
	    h->ane_cores >= 0 ? " (" : "", h->ane_cores >= 0 ?
	    str_or(h->ane_cores_source, "source unknown") : "", h->ane_cores >= 0 ? ")" : "");
	an_csv_comment(f, "RAM: %s", cmn_units_ram(h->ram_bytes, ram, sizeof(ram)));
	an_csv_comment(f, "OS: %s %s%s%s%s", str_or(h->os_name, "unknown"),
	    str_or(h->os_version, ""), h->os_build && h->os_build[0] ? " (" : "",
	    str_or(h->os_build, ""), h->os_build && h->os_build[0] ? ")" : "");
	an_csv_comment(f, "target: %s%s%s (pid %lld)", str_or(h->target_name, "unknown"),
	    h->target_version && h->target_version[0] ? " " : "",
	    str_or(h->target_version, ""), (long long)h->target_pid);
	an_csv_comment(f, "start: %s", start);
	an_csv_comment(f, "interval: %.0f ms", tr->interval_s * 1e3);
}

void
an_mark_label(const struct an_mark *m, char *buf, size_t len)
{
	if (m->len == 0)
		snprintf(buf, len, "#%llu", (unsigned long long)m->number);
	else
		snprintf(buf, len, "%.*s", (int)(m->len < len ? m->len : len - 1), m->label);
}

/* ======================= Timeline ======================= */

/* Joins the labels of marks in (t0, t1] ("; " between them). */
static size_t
marks_between(const struct an_trace *tr, double t0, double t1, int first, int last,
    char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < tr->nmarks; i++) {
		const struct an_mark *m = &tr->marks[i];
		char one[1100];
		if (!((m->t > t0 || first) && (m->t <= t1 || last)))
			continue;
		an_mark_label(m, one, sizeof(one));
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "; " : "", one);
		if (o >= len)
			return len - 1;
	}
	return o;
}

/*
 * The processes outside the tree working for it at t (recorded with the
 * tree's sample at t): memory, CPU % since their previous record, count;
 * empty where not recorded.
 */
static void
helpers_cols(FILE *f, const struct an_trace *tr, double t)
{
	const struct an_helper_row *h = an_helpers_at(tr, t);
	int ok = h != NULL && !isnan(h->cpu_s) && h->dt > 0;

	fputc(',', f);
	an_csv_num(f, h ? h->rss / 1e9 : NAN);
	fputc(',', f);
	an_csv_num(f, ok ? 100 * h->cpu_s / h->dt : NAN);
	fputc(',', f);
	if (h != NULL)
		fprintf(f, "%d", h->procs);
}

/* Writes one timeline row, its elapsed_s less shift_s. */
static void
timeline_row(FILE *f, const struct an_trace *tr, size_t i, double shift_s)
{
	const struct an_row *r = &tr->rows[i];
	const struct an_pm *p = an_pm_at(tr, r->t);
	const struct an_sys *s = an_sys_at(tr, r->t);
	int ok = !isnan(r->cpu_s) && !r->gap && r->dt > 0;
	char wall[48], mk[4096];
	size_t ml = marks_between(tr, i ? tr->rows[i - 1].t : -1, r->t, i == 0,
	    i + 1 == tr->nrows, mk, sizeof(mk));

	if (an_iso_time(tr, r->t, wall, sizeof(wall)) != 0)
		wall[0] = '\0';	/* not known: empty, like every value not recorded */
	an_csv_num(f, r->t - shift_s);
	fprintf(f, ",%s,", wall);
	an_csv_num(f, r->rss / 1e9);
	fputc(',', f);
	an_csv_num(f, r->footprint / 1e9);
	fputc(',', f);
	an_csv_num(f, ok ? 100 * r->cpu_s / r->dt : NAN);
	fputc(',', f);
	an_csv_num(f, r->threads);
	fputc(',', f);
	if (r->procs >= 0)
		fprintf(f, "%d", r->procs);
	fputc(',', f);
	an_csv_num(f, p ? p->gpu_active_pct : NAN);
	fputc(',', f);
	an_csv_num(f, p ? p->gpu_w : NAN);
	fputc(',', f);
	an_csv_num(f, p ? p->ane_w : NAN);
	fputc(',', f);
	an_csv_num(f, p ? p->cpu_w : NAN);
	fputc(',', f);
	an_csv_num(f, p ? p->combined_w : NAN);
	fputc(',', f);
	an_csv_num(f, s ? s->swap_used / 1e9 : NAN);
	fputc(',', f);
	if (ml > 0)
		an_csv_str(f, mk, ml);
	fputc(',', f);
	an_csv_num(f, r->pss / 1e9);
	fputc(',', f);
	an_csv_num(f, ok && !isnan(r->gpu_s) ? 100 * r->gpu_s / r->gpu_dt : NAN);
	fputc(',', f);
	an_csv_num(f, ok && !isnan(r->read_b) ? r->read_b / 1e6 / r->io_dt : NAN);
	fputc(',', f);
	an_csv_num(f, ok && !isnan(r->write_b) ? r->write_b / 1e6 / r->io_dt : NAN);
	fprintf(f, ",%d,", r->gap);
	an_csv_num(f, p ? p->dram_w : NAN);
	fputc(',', f);
	an_csv_num(f, r->pss_age);
	helpers_cols(f, tr, r->t);
	fputc('\n', f);
}

int
an_csv_timeline(FILE *f, const struct an_trace *tr, double shift_s)
{
	an_csv_comment(f, "phocus-analyze %s timeline: one row per sample of the "
	    "target's process tree", PHOCUS_VERSION);
	an_csv_describe(f, tr, shift_s);
	an_csv_comment(f, "units: GB = 10^9 bytes; cpu_pct 100 = one core, summed over "
	    "the target's processes, children that exited included");
	an_csv_comment(f, "per application: rss_gb, footprint_gb, pss_gb, cpu_pct, "
	    "threads, procs, app_gpu_pct, disk_*");
	an_csv_comment(f, "system-wide (the whole machine, not only the target): "
	    "gpu_active_pct, gpu_power_w, ane_power_w, cpu_power_w, "
	    "combined_power_w, dram_power_w, swap_used_gb");
	an_csv_comment(f, "power_source: %s (power and GPU active columns; %s)",
	    an_power_source_key(tr->power_source), tr->power_source == AN_POWER_IOR ?
	    "IOReport energy counters over each reading's own interval" :
	    tr->power_source == AN_POWER_PM ? "powermetrics samples" :
	    an_power_missing(tr, tr->power_wanted));
	an_csv_comment(f, "empty = not recorded; gap = 1 after more than 3 intervals "
	    "without a sample (sleep, stall): no interpolation across it");
	an_csv_comment(f, "pss_gb: each process's latest PSS reading (read now and "
	    "then), pss_age_s: how many seconds before the row the oldest was read");
	if (tr->helpers_known)
		an_csv_comment(f, "helpers_*: the processes outside the tree working for "
		    "the target (macOS: its responsible process), not in the other columns");
	for (size_t c = 0; c < an_csv_ncolumns; c++)
		fprintf(f, "%s%s", c ? "," : "", an_csv_columns[c]);
	fputc('\n', f);
	for (size_t i = 0; i < tr->nrows; i++)
		timeline_row(f, tr, i, shift_s);
	return ferror(f) ? EOF : 0;
}
