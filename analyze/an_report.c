/*
 * an_report.c - prints the summary (an_summary.c) for people, as plain
 * text with units and the system-wide caveats, or as one JSON object for
 * scripts, plus the trace's integrity.  Every figure comes through the
 * table of an_metric.h (so text, JSON and compare print the same figure
 * under the same key).  Computes nothing itself.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "an_csv.h"
#include "an_cores.h"
#include "an_metric.h"
#include "an_report.h"
#include "cmn_units.h"

/* ======================= Formatting ======================= */

void
an_fmt_duration(double s, char *buf, size_t len)
{
	long long v = !(s >= 0) ? 0 : s < 1e12 ? (long long)(s + 0.5) : 1000000000000LL;

	snprintf(buf, len, "%lld:%02lld:%02lld", v / 3600, v / 60 % 60, v % 60);
}

void
an_fmt_duration_tenths(double s, char *buf, size_t len)
{
	long long d = !(s >= 0) ? 0 : s < 1e11 ? (long long)(s * 10 + 0.5) : 1000000000000LL;

	snprintf(buf, len, "%lld:%02lld:%02lld.%lld", d / 36000, d / 600 % 60,
	    d / 10 % 60, d % 10);
}

/* "1.23 GB", "45.6 MB" below 0.1 GB, or "n/a" (as the recorder's status line). */
static const char *
gb(double b, char *buf, size_t len)
{
	return cmn_units_bytes(b, 0, buf, len);
}

/* The same with a sign: "+1.23 GB". */
static const char *
gb_signed(double b, char *buf, size_t len)
{
	return cmn_units_bytes(b, 1, buf, len);
}

/* A number with a unit, or "n/a" (not recorded, or not finite). */
static const char *
num(double v, const char *fmt, char *buf, size_t len)
{
	if (isnan(v) || isinf(v))
		return "n/a";
	snprintf(buf, len, fmt, v);
	return buf;
}

static const char *
str_or(const char *s, const char *def)
{
	return s != NULL && s[0] != '\0' ? s : def;
}

void
an_report_machine(const struct an_trace *tr, char *buf, size_t len)
{
	const struct pmt_header *h = &tr->hdr;
	char cores[128] = "", lab[120], gpu[48] = "", ane[64] = "", where[512], ram[48];
	int host = h->host && h->host[0], model = h->model && h->model[0];

	an_cores_label(h, lab, sizeof(lab));
	if (lab[0] != '\0')
		snprintf(cores, sizeof(cores), ", %s", lab);
	if (h->gpu_cores >= 0)
		snprintf(gpu, sizeof(gpu), ", %lld-core GPU", (long long)h->gpu_cores);
	if (h->ane_cores >= 0)
		snprintf(ane, sizeof(ane), ", %lld-core Neural Engine",
		    (long long)h->ane_cores);
	snprintf(where, sizeof(where), "%s%s%s", host ? h->host : model ? "" : "?",
	    host && model ? " / " : "", model ? h->model : "");
	snprintf(buf, len, "%s%s%s on %s: %s%s%s%s, %s%s, %s%s%s",
	    str_or(h->target_name, "?"), h->target_version && h->target_version[0] ?
	    " " : "", str_or(h->target_version, ""), where,
	    str_or(h->chip, "unknown chip"), cores, gpu, ane,
	    h->ram_bytes ? cmn_units_ram(h->ram_bytes, ram, sizeof(ram)) : "RAM unknown",
	    h->ram_bytes ? " RAM" : "", str_or(h->os_name, "unknown OS"),
	    h->os_version && h->os_version[0] ? " " : "", str_or(h->os_version, ""));
}

/* ======================= Text ======================= */

/* Figure id of s. */
static double
val(const struct an_summary *s, enum an_metric_id id)
{
	return an_metric_value(id, s);
}

/* One memory line from the figures start, peak, end, growth (ids from start). */
static void
text_memory(FILE *f, const char *what, const struct an_summary *s,
    enum an_metric_id start)
{
	char a[32], b[32], c[32], d[32];

	if (isnan(val(s, start + 1)))
		return;
	fprintf(f, "  %-10s start %s, peak %s, end %s (%s)\n", what,
	    gb(val(s, start) * 1e9, a, sizeof(a)), gb(val(s, start + 1) * 1e9, b, sizeof(b)),
	    gb(val(s, start + 2) * 1e9, c, sizeof(c)),
	    gb_signed(val(s, start + 3) * 1e9, d, sizeof(d)));
}

/* One power line from the figures mean, max, energy (ids from mean). */
static void
text_power(FILE *f, const char *what, const struct an_summary *s,
    enum an_metric_id mean)
{
	char a[32], b[32], c[32];
	double j = val(s, mean + 2);

	fprintf(f, "  %-14s mean %s, max %s, energy %s\n", what,
	    num(val(s, mean), "%.2f W", a, sizeof(a)),
	    num(val(s, mean + 1), "%.2f W", b, sizeof(b)),
	    num(j, j < 10 ? "%.3g J" : "%.0f J", c, sizeof(c)));
}

static void
text_segments(FILE *f, const struct an_trace *tr, const struct an_summary *s)
{
	char d[32], mc[32], cpu[32], gj[32], aj[32], gw[32], aw[32], r2[32];

	if (tr->nmarks == 0)
		return;
	fprintf(f, "\nPer mark interval (memory: %s of the target; GPU and ANE "
	    "system-wide):\n", s->mem_metric);
	fprintf(f, "  %-28s %8s %10s %8s %9s %9s %8s %8s\n", "from", "duration",
	    "memory", "CPU", "GPU J", "ANE J", "GPU W", "ANE W");
	for (size_t k = 0; k < s->nseg; k++) {
		const struct an_segment *g = &s->seg[k];
		char from[64];
		if (k == 0)
			snprintf(from, sizeof(from), "(start)");
		else
			an_mark_label(&tr->marks[k - 1], from, 29);
		for (char *p = from; *p; p++)
			if ((unsigned char)*p < 0x20)
				*p = ' ';
		an_fmt_duration(g->t1 - g->t0, d, sizeof(d));
		fprintf(f, "  %-28s %8s %10s %8s %9s %9s %8s %8s\n", from, d,
		    gb_signed(g->mem_end - g->mem_start, mc, sizeof(mc)),
		    num(g->cpu_mean_pct, "%.0f%%", cpu, sizeof(cpu)),
		    num(g->gpu_j, "%.1f", gj, sizeof(gj)), num(g->ane_j, "%.1f", aj, sizeof(aj)),
		    num(g->gpu_w, "%.2f", gw, sizeof(gw)), num(g->ane_w, "%.2f", aw, sizeof(aw)));
	}
	if (!isnan(val(s, AN_M_TREND)))
		fprintf(f, "  Memory trend across marks: %+.2f GB per mark (least squares "
		    "over %.0f marks, R\xc2\xb2 %s; %s at the end of each mark's interval)\n",
		    val(s, AN_M_TREND), val(s, AN_M_TREND_POINTS),
		    num(val(s, AN_M_TREND_R2), "%.2f", r2, sizeof(r2)), s->mem_metric);
}

/* The cross-check lines: each domain's mean from both sources. */
static void
text_xcheck(FILE *f, const struct an_summary *s)
{
	char a[32], b[32], c[32];

	if (isnan(val(s, AN_M_XC_SECONDS)))
		return;
	fprintf(f, "  Cross-check, powermetrics against IOReport (mean over the %.0f s "
	    "both cover):\n", val(s, AN_M_XC_SECONDS));
	for (int d = 0; d < IOR_NDOMAINS; d++) {
		enum an_metric_id pm = (enum an_metric_id)(AN_M_XC_CPU_PM + 3 * d);
		if (isnan(val(s, pm)) && isnan(val(s, pm + 1)))
			continue;
		fprintf(f, "    %-5s powermetrics %s, IOReport %s, difference %s\n",
		    ior_domain_name(d), num(val(s, pm), "%.2f W", a, sizeof(a)),
		    num(val(s, pm + 1), "%.2f W", b, sizeof(b)),
		    num(val(s, pm + 2), "%+.1f%%", c, sizeof(c)));
	}
}

static void
text_power_block(FILE *f, const struct an_trace *tr, const struct an_summary *s)
{
	char a[32], b[32], c[32];

	if (s->power_samples == 0) {
		fprintf(f, "\nGPU, Neural Engine and CPU power: %s\n",
		    an_power_missing(tr, tr->power_wanted));
		return;
	}
	fprintf(f, "\nSystem-wide (the whole machine; power from %s: %.0f %s, %s):\n",
	    an_power_source_name(s->power_source), val(s, AN_M_POWER_SAMPLES),
	    s->power_source == AN_POWER_IOR ? cmn_units_noun(s->power_samples,
	    "interval between readings", "intervals between readings") :
	    cmn_units_noun(s->power_samples, "sample", "samples"),
	    num(val(s, AN_M_POWER_SECONDS), "%.0f s", c, sizeof(c)));
	fprintf(f, "  GPU active     mean %s, p95 %s\n",
	    num(val(s, AN_M_GPU_MEAN), "%.1f%%", a, sizeof(a)),
	    num(val(s, AN_M_GPU_P95), "%.1f%%", b, sizeof(b)));
	text_power(f, "GPU power", s, AN_M_GPU_W_MEAN);
	text_power(f, "ANE power", s, AN_M_ANE_W_MEAN);
	if (!isnan(val(s, AN_M_ANE_SHARE)))
		fprintf(f, "  Neural Engine active (above %.2f W): %s, %.0f%% of the time\n",
		    val(s, AN_M_ANE_THRESHOLD),
		    (an_fmt_duration(val(s, AN_M_ANE_ACTIVE_S), a, sizeof(a)), a),
		    val(s, AN_M_ANE_SHARE));
	text_power(f, "CPU power", s, AN_M_CPU_W_MEAN);
	text_power(f, "CPU+GPU+ANE", s, AN_M_ALL_W_MEAN);
	if (!isnan(val(s, AN_M_DRAM_W_MEAN)))
		text_power(f, "DRAM power", s, AN_M_DRAM_W_MEAN);
	text_xcheck(f, s);
}

/* "1 sample", "5 samples". */
static const char *
count(size_t n, const char *one, const char *many, char *buf, size_t len)
{
	snprintf(buf, len, "%zu %s", n, cmn_units_noun(n, one, many));
	return buf;
}

/* The line that says when, how long, and what the timeline holds. */
static void
text_recorded(FILE *f, const struct an_trace *tr, const struct an_summary *s)
{
	char start[48], dur[32], every[48], a[48], b[48];

	an_iso_time(tr, 0, start, sizeof(start));
	an_fmt_duration(val(s, AN_M_DURATION), dur, sizeof(dur));
	if (tr->interval_s > 0)
		snprintf(every, sizeof(every), " every %.0f ms", tr->interval_s * 1e3);
	else
		snprintf(every, sizeof(every), " (interval unknown)");
	fprintf(f, "Recorded %s for %s: ", start, dur);
	if (tr->timeline == AN_TL_PROC)
		fprintf(f, "%s%s, %s seen", count((size_t)val(s, AN_M_SAMPLES), "sample",
		    "samples", a, sizeof(a)), every, count((size_t)val(s, AN_M_PROCESSES),
		    "process", "processes", b, sizeof(b)));
	else if (tr->timeline == AN_TL_PM)
		fprintf(f, "%s%s", count(tr->npm, "powermetrics sample", "powermetrics samples",
		    a, sizeof(a)), every);
	else if (tr->timeline == AN_TL_IOR)
		fprintf(f, "%s%s", count(tr->nior, "IOReport interval", "IOReport intervals",
		    a, sizeof(a)), every);
	else
		fprintf(f, "%s%s", count(tr->nsys, "system sample", "system samples", a,
		    sizeof(a)), every);
	if (val(s, AN_M_GAPS) > 0)
		fprintf(f, ", %s (%.0f s, sleep or stall)", count((size_t)val(s, AN_M_GAPS),
		    "gap", "gaps", a, sizeof(a)), val(s, AN_M_GAP_SECONDS));
	fputc('\n', f);
}

/*
 * The processes outside the tree that worked for it (macOS XPC services and
 * system services whose responsible process is the target): one line, only
 * when the trace looked for them.
 */
static void
text_helpers(FILE *f, const struct an_summary *s)
{
	char a[32], b[32];
	double n = val(s, AN_M_HELPERS_PROCS);

	if (isnan(n))
		return;
	fprintf(f, "\nWorking for it (outside the tree, not counted above): %.0f %s, "
	    "peak %s %s, %s CPU-seconds\n", n, cmn_units_noun((uint64_t)n, "process",
	    "processes"), s->helpers_mem_metric, gb(val(s, AN_M_HELPERS_MEM_PEAK) * 1e9, a,
	    sizeof(a)), num(val(s, AN_M_HELPERS_CPU_S), "%.1f", b, sizeof(b)));
}

/* What the trace holds of the target: its processes, or why nothing. */
static void
text_target(FILE *f, const struct an_trace *tr, const struct an_summary *s)
{
	char a[32], b[32], c[32], d[32], e[32];

	if (tr->timeline != AN_TL_PROC) {
		fprintf(f, "\nThe target: no process samples in this trace (%s); the timeline "
		    "is its %s samples\n", tr->hdr.platform && strcmp(tr->hdr.platform,
		    "import") == 0 ? "an imported powermetrics log" : "the target was not "
		    "seen while recording", an_timeline_name(tr));
		return;
	}
	fprintf(f, "\nThe target (all its processes):\n");
	text_memory(f, "footprint", s, AN_M_FOOT_START);
	text_memory(f, "RSS", s, AN_M_RSS_START);
	text_memory(f, "PSS", s, AN_M_PSS_START);
	if (!isnan(val(s, AN_M_PSS_START + 1)) && val(s, AN_M_PSS_END_AGE) >= 0.05)
		fprintf(f, "             (PSS is read now and then: its end figure is from "
		    "%.1f s before the end)\n", val(s, AN_M_PSS_END_AGE));
	fprintf(f, "  CPU        mean %s, p95 %s, max %s (100%% = one core); %s "
	    "CPU-seconds; threads max %s\n", num(val(s, AN_M_CPU_MEAN), "%.0f%%", a, sizeof(a)),
	    num(val(s, AN_M_CPU_P95), "%.0f%%", b, sizeof(b)),
	    num(val(s, AN_M_CPU_MAX), "%.0f%%", c, sizeof(c)),
	    num(val(s, AN_M_CPU_SECONDS), "%.1f", d, sizeof(d)),
	    num(val(s, AN_M_THREADS), "%.0f", e, sizeof(e)));
	if (!isnan(val(s, AN_M_DISK_READ)))
		fprintf(f, "  Disk       read %s, written %s (storage, children that exited "
		    "included)\n", gb(val(s, AN_M_DISK_READ) * 1e9, a, sizeof(a)),
		    gb(val(s, AN_M_DISK_WRITTEN) * 1e9, b, sizeof(b)));
	if (!isnan(val(s, AN_M_APP_GPU_SECONDS)))
		fprintf(f, "  GPU time   %.1f s, mean %s (the target's own GPU clients)\n",
		    val(s, AN_M_APP_GPU_SECONDS), num(val(s, AN_M_APP_GPU_MEAN), "%.1f%%", a,
		    sizeof(a)));
	text_helpers(f, s);
}

/*
 * What the units check found wrong, first of all and in plain words: CPU
 * times the platform reported in another unit than it said (scaled to the
 * kernel's, unless --no-calibration), memory that did not grow by what was
 * touched.
 */
static void
text_calib_warning(FILE *f, const struct an_trace *tr)
{
	const struct an_calib *c = &tr->calib;
	const struct cmn_calib_verdict *v = &c->verdict;
	double mem = v->memory_off ? v->memory : v->footprint;

	if (!c->have)
		return;
	if (v->cpu_off || v->children_off)
		fprintf(f, "WARNING: the units check at the start of this recording "
		    "found the CPU times this machine reported %.3g times what the "
		    "kernel counted for a test process (%s); %s.\n", v->cpu_off ?
		    v->cpu : v->children, v->cpu_off ? "its own CPU" : "CPU of "
		    "reaped children", c->scaled ? "the CPU figures below are scaled "
		    "to the kernel's count (--no-calibration shows them as recorded)" :
		    "the CPU figures below are as recorded (--no-calibration)");
	if (v->memory_off || v->footprint_off)
		fprintf(f, "WARNING: the units check at the start of this recording "
		    "found the %s this machine reported grew by %.3g times the %.0f MiB "
		    "a test process touched: the memory figures below may be in the "
		    "wrong unit.\n", v->memory_off ? "resident memory" : "physical "
		    "footprint", mem, (double)c->v[PMT_C_TOUCHED] / 1048576);
	if (v->cpu_off || v->children_off || v->memory_off || v->footprint_off)
		fputc('\n', f);
}

void
an_report_text(FILE *f, const struct an_trace *tr, const struct an_summary *s)
{
	char m[512], a[32], b[32];

	text_calib_warning(f, tr);
	an_report_machine(tr, m, sizeof(m));
	fprintf(f, "%s\n", m);
	text_recorded(f, tr, s);
	text_target(f, tr, s);
	text_power_block(f, tr, s);
	if (!isnan(val(s, AN_M_SWAP_PEAK)))
		fprintf(f, "  Swap used      start %s, peak %s\n",
		    gb(val(s, AN_M_SWAP_START) * 1e9, a, sizeof(a)),
		    gb(val(s, AN_M_SWAP_PEAK) * 1e9, b, sizeof(b)));
	text_segments(f, tr, s);
	fputc('\n', f);
	an_report_integrity(f, tr);
}

/* ======================= Integrity ======================= */

/* A loss the recorder said (EVENT LOSS e) in one line, control bytes as spaces. */
static void
loss_text(const struct an_trace *tr, const struct an_event *e, char *line, size_t len)
{
	int64_t n = an_trace_loss_count(tr, e->value);
	char msg[200];
	size_t i;

	for (i = 0; e->msg != NULL && e->msg[i] != '\0' && i + 1 < sizeof(msg); i++)
		msg[i] = (unsigned char)e->msg[i] < 0x20 ? ' ' : e->msg[i];
	msg[i] = '\0';
	if (n >= 0)
		snprintf(line, len, "not read: %s (first at %.1f s, %lld %s in all)", msg, e->t,
		    (long long)n, n == 1 ? "time" : "times");
	else
		snprintf(line, len, "not read: %s (first at %.1f s; how often is not known: "
		    "the recording did not end cleanly)", msg, e->t);
}

/* A ratio to two decimals ("1.00", "41.7", "0.000244"), or "n/a". */
static const char *
ratio_str(double r, char *buf, size_t len)
{
	if (isnan(r) || isinf(r))
		return "n/a";
	snprintf(buf, len, r >= 0.01 && r < 10 ? "%.2f" : "%.3g", r);
	return buf;
}

void
an_report_calib(FILE *f, const struct an_trace *tr)
{
	const struct an_calib *c = &tr->calib;
	const struct cmn_calib_verdict *v = &c->verdict;
	char a[32], b[32], d[32], e[32];

	if (!c->have) {
		if (tr->nrows > 0)
			fprintf(f, "Units: not checked at the start (recorded with "
			    "--no-calibration, or by a recorder before format 1.1).\n");
		return;
	}
	fprintf(f, "Units checked at start: CPU %s, children's CPU %s, memory %s",
	    ratio_str(v->cpu, a, sizeof(a)), ratio_str(v->children, b, sizeof(b)),
	    ratio_str(v->memory, d, sizeof(d)));
	if (!isnan(v->footprint))
		fprintf(f, ", footprint %s", ratio_str(v->footprint, e, sizeof(e)));
	if (v->cpu_res > 0.02 && !isinf(v->cpu_res))
		fprintf(f, " (the CPU counters count in %.3g ms: +-%.2f)",
		    (double)c->v[PMT_C_UNIT_NUM] / (double)c->v[PMT_C_UNIT_DEN] / 1e6,
		    v->cpu_res);
	if (c->scaled)
		fputs("; scaled to the kernel's count:", f);
	if (c->scaled && v->cpu_off)
		fprintf(f, " CPU times x %.3g", v->cpu_scale);
	if (c->scaled && v->children_off)
		fprintf(f, "%s reaped children's CPU x %.3g", v->cpu_off ? "," : "",
		    v->children_scale);
	if (c->disabled && (v->cpu_off || v->children_off))
		fprintf(f, "; off, shown as recorded (--no-calibration)");
	fprintf(f, ".\n");
	if (c->note[0] != '\0') {
		fprintf(f, "  not measured: ");
		for (const char *p = c->note; *p != '\0'; p++)
			fputc((unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p, f);
		fputc('\n', f);
	}
}

void
an_report_integrity(FILE *f, const struct an_trace *tr)
{
	int clean = an_trace_complete(tr);

	an_report_calib(f, tr);
	if (clean) {
		fprintf(f, "Integrity: complete (ended cleanly, every checksum matched).\n");
		return;
	}
	fprintf(f, "Integrity: %s\n", tr->have_end ? "ended cleanly, but:" :
	    "the recording did not end cleanly; everything that was recorded is "
	    "reported above:");
	for (size_t i = 0; i < tr->nproblems; i++) {
		const struct pmt_problem *p = &tr->problems[i];
		fprintf(f, "  - %s", p->msg);
		if (p->t_before != UINT64_MAX && p->t_after != UINT64_MAX)
			fprintf(f, " (data lost between %.1f s and %.1f s)",
			    (double)p->t_before / 1e9, (double)p->t_after / 1e9);
		else if (p->t_before != UINT64_MAX)
			fprintf(f, " (last data at %.1f s)", (double)p->t_before / 1e9);
		fputc('\n', f);
	}
	if (tr->more_problems > 0)
		fprintf(f, "  - ... and %llu more %s the reader found, not listed\n",
		    (unsigned long long)tr->more_problems, cmn_units_noun(tr->more_problems,
		    "problem", "problems"));
	for (size_t i = 0; i < tr->nevents; i++) {
		char line[400];
		if (tr->events[i].kind != PMT_EV_LOSS)
			continue;
		loss_text(tr, &tr->events[i], line, sizeof(line));
		fprintf(f, "  - %s\n", line);
	}
	for (size_t i = 0; i < tr->nrefused && i < AN_REFUSED_KEPT; i++)
		fprintf(f, "  - %s\n", tr->refused[i]);
	if (tr->nrefused > AN_REFUSED_KEPT)
		fprintf(f, "  - ... and %zu more %s refused\n", tr->nrefused - AN_REFUSED_KEPT,
		    cmn_units_noun(tr->nrefused - AN_REFUSED_KEPT, "value", "values"));
	for (size_t i = 0; i < tr->nior_issues; i++) {
		char line[320];
		ior_issue_text(&tr->ior_issues[i], line, sizeof(line));
		fprintf(f, "  - %s\n", line);
	}
	if (tr->ior_more_issues > 0)
		fprintf(f, "  - ... and %llu more IOReport %s\n",
		    (unsigned long long)tr->ior_more_issues, cmn_units_noun(tr->ior_more_issues,
		    "issue", "issues"));
	if (tr->nbad_pm > 0) {
		size_t shown = sizeof(tr->bad_pm) / sizeof(tr->bad_pm[0]);
		fprintf(f, "  - %llu powermetrics %s could not be parsed and %s skipped:\n",
		    (unsigned long long)tr->nbad_pm, cmn_units_noun(tr->nbad_pm, "sample",
		    "samples"), tr->nbad_pm == 1 ? "was" : "were");
		for (size_t i = 0; i < tr->nbad_pm && i < shown && i < 5; i++)
			fprintf(f, "      at %.1f s: %s\n", tr->bad_pm[i].t, tr->bad_pm[i].why);
	}
}

/* ======================= JSON ======================= */

void
an_json_num(FILE *f, double v)
{
	if (isnan(v) || isinf(v))
		fputs("null", f);
	else
		fprintf(f, "%.6g", v);
}

/*
 * Length of a valid UTF-8 sequence at p (at most n bytes), or 0: the
 * well-formed sequences of RFC 3629 (section 4), so no overlong forms, no
 * surrogates (U+D800..DFFF) and nothing above U+10FFFF, which JSON
 * parsers refuse.
 */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;	/* range of the second byte */
	size_t k;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		k = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		k = 3;
		lo = p[0] == 0xe0 ? 0xa0 : 0x80;
		hi = p[0] == 0xed ? 0x9f : 0xbf;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		k = 4;
		lo = p[0] == 0xf0 ? 0x90 : 0x80;
		hi = p[0] == 0xf4 ? 0x8f : 0xbf;
	} else
		return 0;
	if (k > n || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < k; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return k;
}

void
an_json_str(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		size_t k;
		if (p[i] == '"' || p[i] == '\\')
			fprintf(f, "\\%c", p[i]);
		else if (p[i] < 0x20 || p[i] == 0x7f)
			fprintf(f, "\\u%04x", p[i]);
		else if (p[i] < 0x80)
			fputc(p[i], f);
		else if ((k = utf8_len(p + i, n - i)) > 0) {
			fwrite(p + i, 1, k, f);
			i += k - 1;
		} else
			fputs("\\ufffd", f);
	}
	fputc('"', f);
}

static void
json_key_num(FILE *f, const char *key, double v, int comma)
{
	fprintf(f, "%s\"%s\":", comma ? "," : "", key);
	an_json_num(f, v);
}

/* Every figure of the table, flat: "key":value. */
static void
json_metrics(FILE *f, const struct an_summary *s)
{
	for (size_t i = 0; i < AN_M_N; i++) {
		double v = an_metric_value((enum an_metric_id)i, s);
		fprintf(f, ",\"%s\":", an_metrics[i].key);
		if ((an_metrics[i].flags & AN_M_WHOLE) && !isnan(v) && fabs(v) < 9e15)
			fprintf(f, "%.0f", v);
		else
			an_json_num(f, v);
	}
	fprintf(f, ",\"memory_metric\":\"%s\",\"power_source\":\"%s\"", s->mem_metric,
	    an_power_source_key(s->power_source));
}

/* "core_levels":[{"name":"Performance","cores":8},...], [] when unknown. */
static void
json_core_levels(FILE *f, const struct pmt_header *h)
{
	struct an_core_level lv[AN_CORE_LEVELS_MAX];
	size_t n = an_core_levels(h, lv, AN_CORE_LEVELS_MAX);

	fputs(",\"core_levels\":[", f);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",{\"name\":" : "{\"name\":", f);
		an_json_str(f, lv[i].name, strlen(lv[i].name));
		fprintf(f, ",\"cores\":%d}", lv[i].cores);
	}
	fputc(']', f);
}

static void
json_header(FILE *f, const struct an_trace *tr)
{
	const struct pmt_header *h = &tr->hdr;
	const struct { const char *k; const char *v; } s[] = {
		{ "host", h->host }, { "model", h->model }, { "chip", h->chip },
		{ "os_name", h->os_name }, { "os_version", h->os_version },
		{ "os_build", h->os_build }, { "target", h->target_name },
		{ "target_version", h->target_version },
		{ "os_version_raw", h->os_version_raw }, { "os_release", h->os_release },
	};
	char start[48];

	fputs("\"trace\":", f);
	an_json_str(f, tr->path, strlen(tr->path));
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		fprintf(f, ",\"%s\":", s[i].k);
		if (s[i].v)
			an_json_str(f, s[i].v, strlen(s[i].v));
		else
			fputs("null", f);
	}
	if (an_iso_time(tr, 0, start, sizeof(start)) == 0)
		fprintf(f, ",\"start\":\"%s\"", start);
	else
		fputs(",\"start\":null", f);
	json_key_num(f, "os_compat", h->os_compat == 0 || h->os_compat == 1 ?
	    (double)h->os_compat : NAN, 1);
	json_core_levels(f, h);
	json_key_num(f, "cores_p", h->cores_p < 0 ? NAN : (double)h->cores_p, 1);
	json_key_num(f, "cores_e", h->cores_e < 0 ? NAN : (double)h->cores_e, 1);
	json_key_num(f, "gpu_cores", h->gpu_cores < 0 ? NAN : (double)h->gpu_cores, 1);
	json_key_num(f, "ane_cores", h->ane_cores < 0 ? NAN : (double)h->ane_cores, 1);
	json_key_num(f, "ram_gb", h->ram_bytes ? (double)h->ram_bytes / 1e9 : NAN, 1);
	json_key_num(f, "interval_s", tr->interval_s > 0 ? tr->interval_s : NAN, 1);
	fprintf(f, ",\"timeline\":\"%s\"", an_timeline_name(tr));
}

static void
json_segments(FILE *f, const struct an_trace *tr, const struct an_summary *s)
{
	fputs(",\"mark_intervals\":[", f);
	for (size_t k = 0; k < s->nseg; k++) {
		const struct an_segment *g = &s->seg[k];
		fprintf(f, "%s{\"mark\":%llu,\"label\":", k ? "," : "",
		    (unsigned long long)g->mark);
		if (k == 0)
			fputs("null", f);
		else
			an_json_str(f, tr->marks[k - 1].label, tr->marks[k - 1].len);
		json_key_num(f, "start_s", g->t0, 1);
		json_key_num(f, "duration_s", g->t1 - g->t0, 1);
		json_key_num(f, "memory_change_gb", (g->mem_end - g->mem_start) / 1e9, 1);
		json_key_num(f, "cpu_mean_pct", g->cpu_mean_pct, 1);
		json_key_num(f, "gpu_energy_j", g->gpu_j, 1);
		json_key_num(f, "ane_energy_j", g->ane_j, 1);
		json_key_num(f, "gpu_mean_w", g->gpu_w, 1);
		json_key_num(f, "ane_mean_w", g->ane_w, 1);
		fputc('}', f);
	}
	fputc(']', f);
}

/* The units check: "units_check":{...} (no nested object), null without one. */
static void
json_calib(FILE *f, const struct an_trace *tr)
{
	const struct an_calib *c = &tr->calib;
	const struct cmn_calib_verdict *v = &c->verdict;

	if (!c->have) {
		fputs(",\"units_check\":null", f);
		return;
	}
	fputs(",\"units_check\":{", f);
	json_key_num(f, "cpu", v->cpu, 0);
	json_key_num(f, "children_cpu", v->children, 1);
	json_key_num(f, "memory", v->memory, 1);
	json_key_num(f, "footprint", v->footprint, 1);
	json_key_num(f, "cpu_resolution", v->cpu_res, 1);
	fprintf(f, ",\"cpu_off\":%s,\"children_cpu_off\":%s,\"memory_off\":%s,"
	    "\"footprint_off\":%s", v->cpu_off ? "true" : "false", v->children_off ?
	    "true" : "false", v->memory_off ? "true" : "false", v->footprint_off ?
	    "true" : "false");
	json_key_num(f, "cpu_scale", c->scaled ? v->cpu_scale : 1, 1);
	json_key_num(f, "children_cpu_scale", c->scaled ? v->children_scale : 1, 1);
	fprintf(f, ",\"scaled\":%s,\"note\":", c->scaled ? "true" : "false");
	an_json_str(f, c->note, strlen(c->note));
	fputc('}', f);
}

static void
json_integrity(FILE *f, const struct an_trace *tr)
{
	fprintf(f, ",\"integrity\":{\"complete\":%s,\"problems\":[",
	    an_trace_complete(tr) ? "true" : "false");
	for (size_t i = 0; i < tr->nproblems; i++) {
		fputs(i ? "," : "", f);
		an_json_str(f, tr->problems[i].msg, strlen(tr->problems[i].msg));
	}
	for (size_t i = 0; i < tr->nrefused && i < AN_REFUSED_KEPT; i++) {
		fputs(i || tr->nproblems ? "," : "", f);
		an_json_str(f, tr->refused[i], strlen(tr->refused[i]));
	}
	fputs("],\"not_read\":[", f);
	for (size_t i = 0, k = 0; i < tr->nevents; i++) {
		char line[400];
		if (tr->events[i].kind != PMT_EV_LOSS)
			continue;
		loss_text(tr, &tr->events[i], line, sizeof(line));
		fputs(k++ ? "," : "", f);
		an_json_str(f, line, strlen(line));
	}
	fprintf(f, "],\"problems_not_listed\":%llu", (unsigned long long)tr->more_problems);
	fputs(",\"ioreport\":[", f);
	for (size_t i = 0; i < tr->nior_issues; i++) {
		char line[320];
		ior_issue_text(&tr->ior_issues[i], line, sizeof(line));
		fputs(i ? "," : "", f);
		an_json_str(f, line, strlen(line));
	}
	fprintf(f, "],\"unparsed_powermetrics_samples\":%llu",
	    (unsigned long long)tr->nbad_pm);
	json_calib(f, tr);
	fputc('}', f);
}

void
an_report_json(FILE *f, const struct an_trace *tr, const struct an_summary *s)
{
	fputc('{', f);
	json_header(f, tr);
	json_metrics(f, s);
	json_segments(f, tr, s);
	json_integrity(f, tr);
	fputs("}\n", f);
}
