/*
 * an_plot_gp.c - what every figure script shares: which series a trace
 * has and their extent (mirroring the timeline CSV), axis units and ranges,
 * the opening lines (terminal, output, the script's own folder), titles and
 * the machine line from the header (fitted to the figure's width), hints,
 * and the last step (run gnuplot or say how to install it).  Trace text goes
 * into scripts only through an_gpstr.c.  No panel layout here; marks are
 * an_plot_marks.c.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "an_cores.h"
#include "an_csv.h"
#include "an_gpstr.h"
#include "an_plot_gp.h"
#include "an_report.h"
#include "cmn_units.h"

const char *const an_plot_colors[] = {
	"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
	"#000000", "#F0E442",
};
const size_t an_plot_ncolors = sizeof(an_plot_colors) / sizeof(an_plot_colors[0]);

/* ======================= Series ======================= */

/* Timeline CSV column and script variable of each series. */
static const struct { const char *column, *var; } series_names[AN_S_N] = {
	{ "rss_gb", "c_rss" }, { "footprint_gb", "c_footprint" }, { "pss_gb", "c_pss" },
	{ "cpu_pct", "c_cpu" }, { "threads", "c_threads" },
	{ "gpu_active_pct", "c_gpu" }, { "gpu_power_w", "c_gpu_w" },
	{ "ane_power_w", "c_ane_w" }, { "swap_used_gb", "c_swap" },
};

int
an_plot_column(const char *name)
{
	for (size_t c = 0; c < an_csv_ncolumns; c++)
		if (strcmp(an_csv_columns[c], name) == 0)
			return (int)c + 1;
	return 0;
}

const char *
an_plot_series_var(enum an_series s)
{
	return series_names[s].var;
}

int
an_plot_columns(FILE *f)
{
	fputs("# ---- data: timeline CSV, one row per sample ('#' lines are comments) ----\n"
	    "set datafile separator ','\n"
	    "set datafile columnheaders\n"
	    "# column numbers, by the names in the CSV's header row\n", f);
	fprintf(f, "%-12s = %2d   # %s\n", "c_t", an_plot_column("elapsed_s"), "elapsed_s");
	for (int s = 0; s < AN_S_N; s++)
		fprintf(f, "%-12s = %2d   # %s\n", series_names[s].var,
		    an_plot_column(series_names[s].column), series_names[s].column);
	fprintf(f, "%-12s = %2d   # %s\n", "c_gap", an_plot_column("gap"), "gap");
	fprintf(f, "%-12s = %2d   # %s\n", "c_pss_age", an_plot_column("pss_age_s"), "pss_age_s");
	fputs("# y(c): column c, or NaN where the cell is empty or the row follows a gap\n"
	    "# (more than 3 intervals without a sample: sleep), so that lines are\n"
	    "# broken there, never bridged\n"
	    "y(c) = (column(c_gap) == 1 || !valid(c)) ? NaN : column(c)\n\n", f);
	return ferror(f) ? EOF : 0;
}

/* The value of series s at row i as the timeline CSV writes it (NaN: empty). */
static double
series_value(const struct an_trace *tr, size_t i, enum an_series s)
{
	const struct an_row *r = &tr->rows[i];
	const struct an_pm *p;
	const struct an_sys *y;

	switch (s) {
	case AN_S_RSS: return r->rss;
	case AN_S_FOOTPRINT: return r->footprint;
	case AN_S_PSS: return r->pss;
	case AN_S_CPU:
		return !isnan(r->cpu_s) && !r->gap && r->dt > 0 ? r->cpu_s / r->dt : NAN;
	case AN_S_THREADS: return r->threads;
	case AN_S_SWAP:
		y = an_sys_at(tr, r->t);
		return y ? y->swap_used : NAN;
	default:
		break;
	}
	p = an_pm_at(tr, r->t);
	if (p == NULL)
		return NAN;
	return s == AN_S_GPU_ACTIVE ? p->gpu_active_pct : s == AN_S_GPU_W ? p->gpu_w :
	    p->ane_w;
}

/* What series_value() is multiplied by to give the CSV's unit (GB, %). */
static double
series_csv_unit(enum an_series s)
{
	return s == AN_S_RSS || s == AN_S_FOOTPRINT || s == AN_S_PSS || s == AN_S_SWAP ? 1e-9 :
	    s == AN_S_CPU ? 100 : 1;
}

/* Whether s is one of the target's own series (ended with the target). */
static int
series_app(enum an_series s)
{
	return s == AN_S_RSS || s == AN_S_FOOTPRINT || s == AN_S_PSS || s == AN_S_CPU ||
	    s == AN_S_THREADS;
}

/* Whether row i holds a live target: some memory above 0 bytes. */
static int
row_alive(const struct an_row *r)
{
	return r->rss > 0 || r->footprint > 0;
}

/*
 * Where the target's series end: between the last row with a live target
 * and the row after it (so that the CSV's rounded times fall on the right
 * side), when only rows of an exited target follow; else HUGE_VAL.
 */
static double
facts_app_end(const struct an_trace *tr, int *alive)
{
	size_t last = tr->nrows;

	*alive = 0;
	for (size_t i = 0; i < tr->nrows; i++)
		if (row_alive(&tr->rows[i])) {
			(*alive)++;
			last = i;
		}
	if (last == tr->nrows)
		return -HUGE_VAL;	/* never alive: nothing of the target drawn */
	if (last + 1 == tr->nrows)
		return HUGE_VAL;
	return (tr->rows[last].t + tr->rows[last + 1].t) / 2;
}

void
an_plot_facts(const struct an_trace *tr, struct an_plot_facts *pf)
{
	memset(pf, 0, sizeof(*pf));
	pf->span_s = an_plot_span(tr);
	pf->app_end_s = facts_app_end(tr, &pf->app_alive);
	an_plot_time_unit(pf->span_s, &pf->x_div, &pf->x_unit);
	for (size_t i = 0; i < tr->nrows; i++) {
		if (tr->rows[i].gap)
			continue;
		for (int s = 0; s < AN_S_N; s++) {
			double v = series_value(tr, i, (enum an_series)s);
			if (isnan(v) || isinf(v) ||
			    (series_app((enum an_series)s) && !(tr->rows[i].t < pf->app_end_s)))
				continue;
			v *= series_csv_unit((enum an_series)s);
			pf->has[s] = 1;
			pf->npoints[s]++;
			if (v > pf->max[s])
				pf->max[s] = v;
		}
	}
}

int
an_plot_app_end(FILE *f, const struct an_plot_facts *pf)
{
	fputs("# ---- the target's series end at its last live sample (after it: an exited\n"
	    "# target at 0 bytes, not a drop to 0) ----\n", f);
	if (isinf(pf->app_end_s))
		fprintf(f, "app_end = %s\n", pf->app_end_s > 0 ? "1e300   # none" :
		    "-1e300   # never alive");
	else
		fprintf(f, "app_end = %.9g   # s\n", pf->app_end_s);
	fputs("app(c) = column(c_t) > app_end ? NaN : y(c)\n\n", f);
	return ferror(f) ? EOF : 0;
}

int
an_plot_has(const struct an_trace *tr, enum an_series s)
{
	struct an_plot_facts pf;

	an_plot_facts(tr, &pf);
	return pf.has[s];
}

double
an_plot_span(const struct an_trace *tr)
{
	double t = tr->nrows > 0 ? tr->rows[tr->nrows - 1].t : 0;

	return t > 0 ? t : 1;
}

void
an_plot_time_unit(double span_s, double *div, const char **unit)
{
	if (span_s < 120) {
		*div = 1;
		*unit = "seconds";
	} else if (span_s < 2 * 3600) {
		*div = 60;
		*unit = "minutes";
	} else {
		*div = 3600;
		*unit = "hours";
	}
}

double
an_plot_nice_max(double v)
{
	static const double steps[] = { 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 };
	double e, m;

	if (!(v > 0) || isinf(v))
		return 1;
	e = pow(10, floor(log10(v)));
	m = v / e;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (m <= steps[i] * (1 + 1e-9))
			return steps[i] * e;
	return 10 * e;
}

double
an_plot_axis_max(double v, double cap)
{
	double top = an_plot_nice_max(v * 1.04);

	return cap > 0 && v <= cap && top > cap ? cap : top;
}

double
an_plot_count_step(double v)
{
	double step = 1;

	for (int k = 0; v / step > 6 && k < 30; k++)
		step *= k % 3 == 1 ? 2.5 : 2;	/* 1, 2, 5, 10, 20, 50 .. */
	return step;
}

/* ======================= Script opening ======================= */

/* The terminal line for a format at w x h pixels. */
static void
open_terminal(FILE *f, const char *format, int w, int h, int commented)
{
	const char *c = commented ? "#   " : "";

	if (strcmp(format, "svg") == 0)
		fprintf(f, "%sset terminal svg size %d,%d dynamic font 'Sans,20' linewidth 2 "
		    "background rgb 'white' noenhanced\n", c, w, h);
	else if (strcmp(format, "pdf") == 0)
		fprintf(f, "%sset terminal pdfcairo size %.4gin,%.4gin font 'Sans,7' "
		    "linewidth 1 noenhanced\n", c, w / 200.0, h / 200.0);
	else
		fprintf(f, "%sset terminal pngcairo size %d,%d font 'Sans,20' linewidth 2 "
		    "noenhanced\n", c, w, h);
}

int
an_plot_open_script(FILE *f, const char *what, const char *out_name, const char *format,
    int w, int h)
{
	static const char *const formats[] = { "png", "svg", "pdf" };

	fprintf(f, "# %s\n", what);
	fprintf(f, "# Written by phocus-analyze %s.  Restyle it freely, then run it again:\n"
	    "#   gnuplot path/to/this-script.gp\n"
	    "# from any folder: data files are read from, and the figure written to,\n"
	    "# the folder of this script.  Text that comes from the trace is in single\n"
	    "# quotes (no substitution there); the characters gnuplot could act on\n"
	    "# (backquote, at sign, backslash, control characters) are written as\n"
	    "# \"\\ooo\" octal escapes joined with '.'.\n\n", PHOCUS_VERSION);
	fprintf(f, "# ---- output: terminal and file ----\n");
	open_terminal(f, format, w, h, 0);
	fputs("out_file = ", f);
	an_gp_str(f, out_name, strlen(out_name));
	fprintf(f, "\n# other formats (change out_file's extension to match):\n");
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i], format) != 0)
			open_terminal(f, formats[i], w, h, 1);
	fputs("\n# ---- this script's folder (from ARG0): files are found beside it ----\n"
	    "here = './'\n"
	    "if (exists('ARG0') && strstrt(ARG0, '/') > 0) {\n"
	    "    k = strlen(ARG0)\n"
	    "    while (ARG0[k:k] ne '/') { k = k - 1 }\n"
	    "    here = ARG0[1:k]\n"
	    "    if (here[1:1] ne '/' && here[1:1] ne '.') { here = './' . here }\n"
	    "}\n"
	    "set output here . out_file\n"
	    "set encoding utf8\n\n", f);
	return ferror(f) ? EOF : 0;
}

int
an_plot_data_var(FILE *f, const char *var, const char *file)
{
	fprintf(f, "%s = ", var);
	if (file[0] != '/')
		fputs("here . ", f);
	an_gp_str(f, file, strlen(file));
	fputc('\n', f);
	return ferror(f) ? EOF : 0;
}

/* ======================= Titles ======================= */

/*
 * Width of UTF-8 text in ems of the plot font, estimated on the wide side
 * (measured on DejaVu Sans: mixed text 0.51, digits 0.65, 'M' 0.87, CJK 1).
 */
static double
text_ems(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	double w = 0;

	for (; *p != '\0'; p++) {
		if ((*p & 0xc0) == 0x80)
			continue;			/* continuation byte */
		if (*p >= 0xe3 && *p <= 0xef)
			w += 1.0;			/* U+3000 .. U+FFFF: CJK, fullwidth */
		else if (*p >= 0x80)
			w += 0.75;
		else if (*p == ' ')
			w += 0.32;
		else if (*p >= 'A' && *p <= 'Z')
			w += 0.78;
		else if (*p >= '0' && *p <= '9')
			w += 0.64;
		else if (*p >= 'a' && *p <= 'z')
			w += 0.56;
		else
			w += 0.5;
	}
	return w;
}

double
an_plot_text_px(const char *s, int pt)
{
	return text_ems(s) * pt * 4.0 / 3.0;
}

double
an_plot_key_px(const char *const *titles, size_t n)
{
	double w = 0;

	for (size_t i = 0; i < n; i++)	/* gnuplot gives every entry the widest's room */
		w = fmax(w, an_plot_text_px(titles[i], AN_PLOT_KEY_FONT));
	return (double)n * (w + 80);	/* the line sample and gaps */
}

int
an_plot_panel_title(FILE *f, const struct an_trace *tr, const char *fmt, double room_px)
{
	char target[256], text[600];

	an_plot_clean(tr->hdr.target_name, "the target", 24, target, sizeof(target));
	snprintf(text, sizeof(text), fmt, target);
	fputs("set label 1 ", f);
	an_gp_str(f, text, strlen(text));
	fprintf(f, " at graph 0, graph 1 offset 0, character 0.9 left font ',%d' "
	    "tc rgb '#222222'\n", an_plot_fit_font(text, AN_PLOT_PANEL_FONT, (int)room_px));
	return ferror(f) ? EOF : 0;
}

int
an_plot_fit_font(const char *s, int want_pt, int width_px)
{
	double ems = text_ems(s);
	int pt = want_pt;

	/* pngcairo draws 1 pt as 4/3 px (96 dpi) */
	while (pt > AN_PLOT_MIN_FONT && ems * pt * 4.0 / 3.0 > width_px)
		pt--;
	return pt;
}

/* Writes name = text and name_font = ',N', the font fitting width_px. */
static void
trace_text_var(FILE *f, const char *name, const char *text, int pt, int width_px)
{
	fprintf(f, "%s_text = ", name);
	an_gp_str(f, text, strlen(text));
	fprintf(f, "\n%s_font = ',%d'\n", name, an_plot_fit_font(text, pt, width_px));
}

int
an_plot_trace_text(FILE *f, const struct an_trace *tr, const char *title_prefix, int fig_w)
{
	char title[1024], machine[1024], target[256];
	int width = fig_w * 95 / 100;
	size_t n;

	snprintf(title, sizeof(title), "%s", title_prefix);
	n = strlen(title);
	an_plot_title(tr, title + n, sizeof(title) - n);
	an_plot_machine(tr, machine, sizeof(machine));
	an_plot_clean(tr->hdr.target_name, "the target", 24, target, sizeof(target));
	fputs("\n# ---- text from the trace; fonts shrunk so that each line fits ----\n", f);
	trace_text_var(f, "title", title, AN_PLOT_TITLE_FONT, width);
	trace_text_var(f, "machine", machine, AN_PLOT_MACHINE_FONT, width);
	fputs("target = ", f);
	an_gp_str(f, target, strlen(target));
	fputc('\n', f);
	return ferror(f) ? EOF : 0;
}

void
an_plot_clean(const char *s, const char *def, size_t max_chars, char *buf, size_t len)
{
	if (s == NULL || an_gp_clean(s, strlen(s), max_chars, buf, len) == 0)
		snprintf(buf, len, "%s", def);
}

void
an_plot_title(const struct an_trace *tr, char *buf, size_t len)
{
	char name[256], ver[256], iso[64], when[64], dur[32];
	double span = an_plot_span(tr);

	an_plot_clean(tr->hdr.target_name, "unknown target", 40, name, sizeof(name));
	an_plot_clean(tr->hdr.target_version, "", 24, ver, sizeof(ver));
	if (an_iso_time(tr, 0, iso, sizeof(iso)) != 0)
		snprintf(when, sizeof(when), "date unknown");
	else			/* 2026-11-25T17:50:12.345+01:00, or ...345Z */
		snprintf(when, sizeof(when), "%.10s %.5s UTC%.6s", iso, iso + 11,
		    iso[23] == 'Z' ? "" : iso + 23);
	if (tr->nrows == 0 && tr->npm == 0 && tr->nior == 0)
		snprintf(dur, sizeof(dur), "nothing recorded");
	else if (span < 10)
		snprintf(dur, sizeof(dur), "%.2g s", span);
	else		/* as the summary says it: from the first row to the last */
		an_fmt_duration(tr->nrows ? span - tr->rows[0].t : span, dur, sizeof(dur));
	snprintf(buf, len, "%s%s%s \xc2\xb7 %s \xc2\xb7 %s", name, ver[0] ? " " : "", ver,
	    when, dur);
}

/* "8P+2E cores" (by the levels' own names when known), "2 cores", "" when unknown. */
static void
machine_cores(const struct pmt_header *h, char *buf, size_t len)
{
	an_cores_label(h, buf, len);
	if (buf[0] == '\0' && h->cpus_logical > 0)
		snprintf(buf, len, "%lld %s", (long long)h->cpus_logical,
		    cmn_units_noun((uint64_t)h->cpus_logical, "CPU", "CPUs"));
}

/*
 * A CPU name without its trademarks and clock ("Intel(R) Xeon(R) CPU
 * E5-2690 v4 @ 2.60GHz" -> "Intel Xeon E5-2690 v4"), cleaned, in buf.
 */
static void
machine_chip(const char *chip, char *buf, size_t len)
{
	static const char *const drop[] = { "(R)", "(r)", "(TM)", "(tm)", " CPU", " Processor" };
	char tmp[256], *at;

	an_plot_clean(chip, "", 60, tmp, sizeof(tmp));
	if ((at = strstr(tmp, " @ ")) != NULL)
		*at = '\0';
	for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
		while ((at = strstr(tmp, drop[i])) != NULL)
			memmove(at, at + strlen(drop[i]), strlen(at + strlen(drop[i])) + 1);
	an_plot_clean(tmp, "", 40, buf, len);	/* spaces collapsed, length capped */
}

/* Appends " · " (unless buf is empty) and the part (unless it is empty). */
static void
machine_part(char *buf, size_t len, const char *part)
{
	size_t n = strlen(buf);

	if (part[0] == '\0' || n + 1 >= len)
		return;
	snprintf(buf + n, len - n, "%s%s", n ? " \xc2\xb7 " : "", part);
}

void
an_plot_pm_machine(const struct an_trace *tr, char *buf, size_t len)
{
	char model[96], os[64], cpus[32] = "";
	int n = an_pm_cpus(tr);

	an_plot_clean(tr->pm_model, "", 30, model, sizeof(model));
	an_plot_clean(tr->pm_os, "", 16, os, sizeof(os));
	if (n > 0)
		snprintf(cpus, sizeof(cpus), "%d %s", n, cmn_units_noun((uint64_t)n, "CPU",
		    "CPUs"));
	snprintf(buf, len, "powermetrics from another machine%s%s%s%s%s%s%s",
	    model[0] || cpus[0] ? ": " : "", model, model[0] && cpus[0] ? ", " : "", cpus,
	    os[0] ? " (macOS build " : "", os, os[0] ? ")" : "");
}

void
an_plot_machine(const struct an_trace *tr, char *buf, size_t len)
{
	const struct pmt_header *h = &tr->hdr;
	char part[256], osv[128], osb[64];

	buf[0] = '\0';
	machine_chip(h->chip, part, sizeof(part));
	machine_part(buf, len, part);
	machine_cores(h, part, sizeof(part));
	machine_part(buf, len, part);
	if (h->gpu_cores > 0) {
		snprintf(part, sizeof(part), "%lld-core GPU", (long long)h->gpu_cores);
		machine_part(buf, len, part);
	}
	if (h->ane_cores > 0) {
		snprintf(part, sizeof(part), "%lld-core Neural Engine", (long long)h->ane_cores);
		machine_part(buf, len, part);
	}
	if (h->ram_bytes > 0) {
		char ram[48];
		snprintf(part, sizeof(part), "%s RAM", cmn_units_ram(h->ram_bytes, ram,
		    sizeof(ram)));
		machine_part(buf, len, part);
	}
	an_plot_clean(h->os_name, "", 20, part, sizeof(part));
	an_plot_clean(h->os_version, "", 30, osv, sizeof(osv));
	an_plot_clean(h->os_build, "", 16, osb, sizeof(osb));
	snprintf(part + strlen(part), sizeof(part) - strlen(part), "%s%s%s%s%s",
	    osv[0] && part[0] ? " " : "", osv, osb[0] ? " (" : "", osb, osb[0] ? ")" : "");
	machine_part(buf, len, part);
	if (an_pm_foreign(tr)) {
		an_plot_pm_machine(tr, part, sizeof(part));
		machine_part(buf, len, part);
	}
	if (buf[0] == '\0')
		snprintf(buf, len, "machine unknown");
}

const char *
an_plot_pm_hint(const struct an_trace *tr)
{
	const char *os = tr->hdr.os_name ? tr->hdr.os_name : "";

	if (strcmp(os, "macOS") == 0)
		return "on macOS: IOReport needs no sudo (unless --no-ioreport); "
		    "powermetrics needs sudo";
	if (strcmp(os, "Linux") == 0)
		return "Linux has none: give --powermetrics-cmd, e.g. scripts/pm-replay";
	return "record on macOS with sudo, or give --powermetrics-cmd";
}

/* ======================= Time axis ======================= */

void
an_plot_xrange(FILE *f, double x0_s, double x1_s, double x_div)
{
	double pad;

	if (!(x1_s > x0_s))
		x1_s = x0_s + 1;
	pad = (x1_s - x0_s) * 1e-5;
	fprintf(f, "x_div = %g   # seconds per unit of the time axis\n", x_div);
	fprintf(f, "x_min = %.9g; x_max = %.9g\n", (x0_s - pad) / x_div, (x1_s + pad) / x_div);
	fprintf(f, "set xrange [x_min:x_max]\n");
}

/* ======================= Running ======================= */

void
an_plot_put_path(FILE *f, const char *dir, const char *name)
{
	an_put_visible(f, dir);
	fputc('/', f);
	an_put_visible(f, name);
}

int
an_plot_write(const char *dir, const char *name, an_plot_writer fn, const void *arg)
{
	char path[8192];
	FILE *f;
	int bad;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL) {
		fprintf(stderr, "phocus-analyze: cannot write ");
		an_put_visible(stderr, path);
		fprintf(stderr, ": %s\n", strerror(errno));
		return -1;
	}
	errno = 0;
	bad = fn(f, arg) != 0 || ferror(f);
	bad |= fclose(f) != 0;
	if (bad) {
		fprintf(stderr, "phocus-analyze: cannot write ");
		an_put_visible(stderr, path);
		fprintf(stderr, ": %s\n", errno ? strerror(errno) : "write error");
		return -1;
	}
	return 0;
}

/* Writes gnuplot's messages: newlines and tabs kept, other control bytes as '?'. */
static void
finish_stderr(FILE *f, const char *s)
{
	for (; *s != '\0'; s++)
		fputc(((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t') || *s == 0x7f ?
		    '?' : *s, f);
	if (s[-1] != '\n')
		fputc('\n', f);
}

/* "cd DIR && gnuplot SCRIPT", quoted for a shell. */
static void
finish_command(FILE *f, const char *dir, const char *script)
{
	fputs("cd ", f);
	an_sh_quote(f, dir);
	fputs(" && gnuplot ", f);
	an_sh_quote(f, script);
}

int
an_plot_finish(const char *dir, const char *script, const char *out, int no_plot,
    FILE *msg)
{
	char exe[4096], err[4096], rel[1024];

	if (no_plot) {
		fputs("Figure not drawn (--no-plot); to draw it: ", msg);
		finish_command(msg, dir, script);
		fputc('\n', msg);
		return 0;
	}
	if (an_plot_find("gnuplot", exe, sizeof(exe)) != 0) {
		fputs("gnuplot not found: install it (Debian/Ubuntu: apt-get install "
		    "gnuplot-nox; macOS: brew install gnuplot), then run: ", msg);
		finish_command(msg, dir, script);
		fputc('\n', msg);
		return 0;
	}
	snprintf(rel, sizeof(rel), "./%s", script);
	if (an_plot_run(exe, dir, rel, err, sizeof(err)) != 0) {
		fputs("phocus-analyze: gnuplot failed on ", stderr);
		an_plot_put_path(stderr, dir, script);
		fputs(":\n", stderr);
		if (err[0] != '\0')
			finish_stderr(stderr, err);
		return -1;
	}
	fputs("Figure: ", msg);
	an_plot_put_path(msg, dir, out);
	fputc('\n', msg);
	return 0;
}
