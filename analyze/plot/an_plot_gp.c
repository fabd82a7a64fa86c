/*
 * an_plot_gp.c - what every figure script shares: which series a trace
 * has (mirroring the timeline CSV), the opening lines (terminal, output,
 * the script's own folder), titles from the header, marks as vertical
 * lines, and the last step (run gnuplot or say how to install it).  Trace
 * text goes into scripts only through an_gpstr.c.  No panel layout here.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "an_csv.h"
#include "an_gpstr.h"
#include "an_plot_gp.h"
#include "an_report.h"

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

int
an_plot_has(const struct an_trace *tr, enum an_series s)
{
	for (size_t i = 0; i < tr->nrows; i++) {
		double v = tr->rows[i].gap ? NAN : series_value(tr, i, s);
		if (!isnan(v) && !isinf(v))
			return 1;
	}
	return 0;
}

double
an_plot_span(const struct an_trace *tr)
{
	double t = tr->nrows > 0 ? tr->rows[tr->nrows - 1].t : 0;

	return t > 0 ? t : 1;
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

int
an_plot_trace_text(FILE *f, const struct an_trace *tr, const char *title_prefix)
{
	char title[1024], machine[1024], target[256];
	size_t n;

	snprintf(title, sizeof(title), "%s", title_prefix);
	n = strlen(title);
	an_plot_title(tr, title + n, sizeof(title) - n);
	an_plot_machine(tr, machine, sizeof(machine));
	an_plot_clean(tr->hdr.target_name, "the target", 24, target, sizeof(target));
	fputs("\n# ---- text from the trace ----\ntitle_text = ", f);
	an_gp_str(f, title, strlen(title));
	fputs("\nmachine_text = ", f);
	an_gp_str(f, machine, strlen(machine));
	fputs("\ntarget = ", f);
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

	an_plot_clean(tr->hdr.target_name, "unknown target", 40, name, sizeof(name));
	an_plot_clean(tr->hdr.target_version, "", 24, ver, sizeof(ver));
	if (an_iso_time(tr, 0, iso, sizeof(iso)) != 0)
		snprintf(when, sizeof(when), "date unknown");
	else			/* 2026-11-25T17:50:12.345+01:00, or ...345Z */
		snprintf(when, sizeof(when), "%.10s %.5s UTC%.6s", iso, iso + 11,
		    iso[23] == 'Z' ? "" : iso + 23);
	an_fmt_duration(an_plot_span(tr), dur, sizeof(dur));
	snprintf(buf, len, "%s%s%s \xc2\xb7 %s \xc2\xb7 %s", name, ver[0] ? " " : "", ver,
	    when, dur);
}

/* "8P+2E cores", "2 cores", "P+E cores: unknown". */
static void
machine_cores(const struct pmt_header *h, char *buf, size_t len)
{
	if (h->cores_p < 0 && h->cores_e < 0)
		snprintf(buf, len, "P+E cores: unknown");
	else if (h->cores_e == 0)
		snprintf(buf, len, "%lld cores", (long long)h->cores_p);
	else if (h->cores_e < 0)
		snprintf(buf, len, "%lldP+unknown E cores", (long long)h->cores_p);
	else if (h->cores_p < 0)
		snprintf(buf, len, "unknown P+%lldE cores", (long long)h->cores_e);
	else
		snprintf(buf, len, "%lldP+%lldE cores", (long long)h->cores_p,
		    (long long)h->cores_e);
}

void
an_plot_machine(const struct an_trace *tr, char *buf, size_t len)
{
	const struct pmt_header *h = &tr->hdr;
	char chip[256], cores[64], gpu[48], ane[64], ram[32], os[256], osv[256], osb[128];

	an_plot_clean(h->chip, "chip: unknown", 40, chip, sizeof(chip));
	machine_cores(h, cores, sizeof(cores));
	if (h->gpu_cores >= 0)
		snprintf(gpu, sizeof(gpu), "%lld-core GPU", (long long)h->gpu_cores);
	else
		snprintf(gpu, sizeof(gpu), "GPU cores: unknown");
	if (h->ane_cores >= 0)
		snprintf(ane, sizeof(ane), "%lld-core Neural Engine", (long long)h->ane_cores);
	else
		snprintf(ane, sizeof(ane), "Neural Engine cores: unknown");
	if (h->ram_bytes > 0)
		snprintf(ram, sizeof(ram), "%.0f GB RAM",
		    (double)h->ram_bytes / (1024.0 * 1024 * 1024));
	else
		snprintf(ram, sizeof(ram), "RAM: unknown");
	an_plot_clean(h->os_name, "OS: unknown", 30, os, sizeof(os));
	an_plot_clean(h->os_version, "", 30, osv, sizeof(osv));
	an_plot_clean(h->os_build, "", 20, osb, sizeof(osb));
	snprintf(buf, len, "%s \xc2\xb7 %s \xc2\xb7 %s \xc2\xb7 %s \xc2\xb7 %s \xc2\xb7 %s%s%s%s%s%s",
	    chip, cores, gpu, ane, ram, os, osv[0] ? " " : "", osv, osb[0] ? " (" : "", osb,
	    osb[0] ? ")" : "");
}

/* ======================= Marks ======================= */

/* Writes the label of mark m (tag) at x minutes, for the top panel. */
static void
marks_label(FILE *f, const struct an_mark *m, const struct an_plot_markopt *o,
    int numbers_only, int tag, double x)
{
	char raw[1100], text[4 * AN_PLOT_MARK_CHARS + 8];

	if (numbers_only)
		snprintf(raw, sizeof(raw), "#%llu", (unsigned long long)m->number);
	else
		an_mark_label(m, raw, sizeof(raw));
	an_gp_clean(raw, strlen(raw), AN_PLOT_MARK_CHARS, text, sizeof(text));
	fprintf(f, "mark_%d = ", tag);
	if (o->prefix[0] != '\0') {
		an_gp_str(f, o->prefix, strlen(o->prefix));
		fputs(" . ", f);
	}
	an_gp_str(f, text, strlen(text));
	fprintf(f, "\nset label %d mark_%d at first %.6g, graph 0.98 right rotate by 90 "
	    "offset character -1,0 font ',13' tc rgb '%s' front%s\n", tag, tag, x,
	    o->color ? o->color : "#555555", o->front ? " boxed" : "");
}

int
an_plot_marks(FILE *f, const struct an_trace *tr, const struct an_plot_markopt *o,
    int *tag)
{
	size_t every = 1;
	int numbers_only = tr->nmarks > AN_PLOT_MAX_MARK_LABELS;

	if (numbers_only)
		every = (tr->nmarks + AN_PLOT_MAX_MARK_LABELS - 1) / AN_PLOT_MAX_MARK_LABELS;
	for (size_t i = 0; i < tr->nmarks; i++) {
		const struct an_mark *m = &tr->marks[i];
		double t = m->t - o->shift_s;
		if (!(t >= o->x0_s && t <= o->x1_s) || (o->skip && m->number == o->skip))
			continue;
		fprintf(f, "set arrow %d from first %.6g, graph 0 to first %.6g, graph 1 nohead "
		    "%s lw 1 dt 2 lc rgb '%s'\n", *tag, t / 60, t / 60,
		    o->front ? "front" : "back", o->color ? o->color : "#777777");
		if (o->text && i % every == 0)
			marks_label(f, m, o, numbers_only, *tag, t / 60);
		(*tag)++;
	}
	return ferror(f) ? EOF : 0;
}

void
an_plot_xrange(FILE *f, double x0_s, double x1_s)
{
	if (!(x1_s > x0_s))
		x1_s = x0_s + 1;
	fprintf(f, "x_min = %.6g; x_max = %.6g   # minutes\n", x0_s / 60, x1_s / 60);
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
