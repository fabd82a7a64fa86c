/*
 * an_plot_gp.h - pieces shared by the figure writers (an_plot.c,
 * an_plot_cores.c, an_plot_compare.c): the series of the timeline CSV and
 * what a trace has of them, axis units and ranges, the opening lines of
 * every script (terminal, output, folder), titles from the header, marks
 * (an_plot_marks.c), and running gnuplot.
 * Internal to the figure modules; the public API is an_plot.h.
 */
#ifndef AN_PLOT_GP_H
#define AN_PLOT_GP_H

#include <stdint.h>
#include <stdio.h>

#include "an_trace.h"

/* Series of the timeline CSV that the figures draw. */
enum an_series {
	AN_S_RSS, AN_S_FOOTPRINT, AN_S_PSS, AN_S_CPU, AN_S_THREADS,
	AN_S_GPU_ACTIVE, AN_S_GPU_W, AN_S_ANE_W, AN_S_SWAP, AN_S_N
};

/* Colour-blind-safe palette (Okabe and Ito), '#rrggbb'. */
extern const char *const an_plot_colors[];
extern const size_t an_plot_ncolors;

#define AN_PLOT_MARK_CHARS 24	/* characters of a mark's label shown */
#define AN_PLOT_MAX_MARK_LABELS 40	/* more marks: numbered and listed */

/* 1-based column of the timeline CSV named name (an_csv_columns), or 0. */
int an_plot_column(const char *name);

/* The script's variable holding the column number of a series ("c_rss"). */
const char *an_plot_series_var(enum an_series s);

/*
 * Writes the data file settings of a timeline CSV, its column numbers
 * (c_t, c_gap and one per series) and y(c), a column's value or NaN where
 * the line must break (empty cell, row after a gap).  Returns 0 or EOF.
 */
int an_plot_columns(FILE *f);

/*
 * Writes DIR/NAME-cores.csv and DIR/NAME-cores.gp (per-core activity,
 * system-wide, and the target's threads from data, the timeline CSV as the
 * script names it) and draws it as an_plot_finish() does.  Says so on msg
 * when the trace has no per-core data.  Returns 0 or -1.
 */
int an_plot_cores(const struct an_trace *tr, const char *dir, const char *name,
    const char *data, const char *format, int no_plot, FILE *msg);

/* What a figure knows of a trace before it writes a line of script. */
struct an_plot_facts {
	double span_s;			/* time axis: 0 .. the last row (> 0) */
	double app_end_s;		/* the target's series end here (after its last
					   live sample: the rows after it are of an
					   exited target, at 0 bytes); HUGE_VAL: no end */
	int app_alive;			/* rows where the target was alive (memory > 0) */
	double x_div;			/* seconds per unit of the time axis */
	const char *x_unit;		/* "seconds", "minutes", "hours" */
	int has[AN_S_N];		/* series with a value drawn */
	size_t npoints[AN_S_N];		/* rows with a value drawn */
	double max[AN_S_N];		/* largest value drawn (CSV units), 0 without */
};

/*
 * The facts of tr: a series is drawn on rows that do not follow a gap and,
 * for the target's own series (memory, CPU, threads), up to app_end_s.
 * Mirrors the timeline CSV (an_csv.c).
 */
void an_plot_facts(const struct an_trace *tr, struct an_plot_facts *pf);

/*
 * Writes app_end (s) and app(c): column c of the target, or NaN after the
 * target's end (an_plot_facts()).  Returns 0 or EOF.
 */
int an_plot_app_end(FILE *f, const struct an_plot_facts *pf);

/* Whether series s has a value drawn (an_plot_facts()). */
int an_plot_has(const struct an_trace *tr, enum an_series s);

/* Duration shown on the time axis, s (> 0): the last row's time. */
double an_plot_span(const struct an_trace *tr);

/* The unit of a time axis span_s long: seconds below 2 min, minutes below 2 h. */
void an_plot_time_unit(double span_s, double *div, const char **unit);

/* A round upper end for an axis whose data reach v (>= 0): 1, 1.2, 1.5, 2 .. x 10^k. */
double an_plot_nice_max(double v);

/*
 * The top of an axis whose data reach v: a round value a little above v
 * (so that a line at the maximum stays off the frame), at most cap when
 * v <= cap (100 for a percentage of a whole), no cap when cap is 0.
 */
double an_plot_axis_max(double v, double cap);

/* An integer tick step for counts up to v (1, 2, 5, 10, 20 ..), at most 6 ticks. */
double an_plot_count_step(double v);

/*
 * Writes the opening of a script: what it draws (comment lines), the
 * terminal and output lines for format ("png", "svg", "pdf") at w x h
 * pixels, the folder of the script (so it runs from any folder), and
 * out_name (a file name in that folder) as the output.  Returns 0 or EOF.
 */
int an_plot_open_script(FILE *f, const char *what, const char *out_name,
    const char *format, int w, int h);

/* Writes "name = <path beside the script>" for a data file. */
int an_plot_data_var(FILE *f, const char *var, const char *file);

#define AN_PLOT_TITLE_FONT 26	/* pt: a figure's title */
#define AN_PLOT_MACHINE_FONT 19	/* pt: the machine line under it */
#define AN_PLOT_MIN_FONT 10	/* pt: a line never shrinks below this */
#define AN_PLOT_PANEL_FONT 19	/* pt: a panel's title */
#define AN_PLOT_KEY_FONT 16	/* pt: a panel's legend */

/*
 * The figure's title: "Phocus 4.0.1 · 2026-11-25 17:50 UTC+01:00 · 0:45:12"
 * (a duration under 10 s in seconds: "0.1 s"), clean text.
 */
void an_plot_title(const struct an_trace *tr, char *buf, size_t len);

/*
 * The machine line: chip (without trademarks and clock), cores, GPU and
 * Neural Engine cores, RAM, OS; what is unknown is left out; and when the
 * powermetrics data came from another machine (an_pm_foreign), that
 * machine.  Clean text.
 */
void an_plot_machine(const struct an_trace *tr, char *buf, size_t len);

/* "powermetrics from another machine: Macmini9,1, 8 CPUs (macOS build 20D80)". */
void an_plot_pm_machine(const struct an_trace *tr, char *buf, size_t len);

/* How to get power data on the trace's platform (a panel's "no data" hint). */
const char *an_plot_pm_hint(const struct an_trace *tr);

/*
 * The largest font, at most want_pt (and at least AN_PLOT_MIN_FONT), at
 * which UTF-8 text s fits in width_px pixels of a PNG (estimated on the
 * wide side).
 */
int an_plot_fit_font(const char *s, int want_pt, int width_px);

/* Width of UTF-8 text at pt points in a PNG, pixels (an_plot_fit_font()'s estimate). */
double an_plot_text_px(const char *s, int pt);

/*
 * Width of a one-line legend of entries titles[0..n), pixels (estimated;
 * gnuplot gives each entry the room of the widest).
 */
double an_plot_key_px(const char *const *titles, size_t n);

/*
 * Writes label 1, a panel's title above its plot: fmt with "%s" the
 * target's name (cleaned), its font shrunk so that it fits room_px pixels
 * (the plot's width less its legend's).  Returns 0 or EOF.
 */
int an_plot_panel_title(FILE *f, const struct an_trace *tr, const char *fmt, double room_px);

/*
 * Writes the script's variables holding text from the trace, each cleaned
 * and escaped: title_text and title_font (title_prefix, then
 * an_plot_title()), machine_text and machine_font (an_plot_machine()), each
 * font the largest that fits 95% of fig_w pixels, and target (the target's
 * name).  Returns 0 or EOF.
 */
int an_plot_trace_text(FILE *f, const struct an_trace *tr, const char *title_prefix,
    int fig_w);

/* Clean display text of a trace string (NULL or "" gives def). */
void an_plot_clean(const char *s, const char *def, size_t max_chars, char *buf, size_t len);

/* A mark to draw: where, which, of which trace. */
struct an_plot_mark {
	double x;			/* on the time axis, in its units */
	const struct an_mark *m;
	int set;			/* its trace: index into the sets */
};

/* How the marks of one trace are drawn. */
struct an_plot_markset {
	const char *color;		/* '#rrggbb'; NULL: grey */
	const char *prefix;		/* before its marks' numbers ("B" for "B3"), or "" */
	int dt;				/* dash type of its lines; 0: 2 (dashed) */
};

/* Where the marks go. */
struct an_plot_marklayout {
	double x0, x1;			/* the time axis' range, in its units */
	double plot_px;			/* width of the plot area, pixels */
	int fig_w;			/* width of the figure, pixels */
	int text;			/* write their text (else lines only) */
	int front;			/* lines in front of the data, text boxed (heatmaps) */
	double list_y;			/* screen y of the lowest line of the list */
	double list_dy;			/* screen height of a line of the list */
	int list_max;			/* lines of the list at most */
};

/*
 * Fills out (room for tr->nmarks) with the marks of tr whose time minus
 * shift_s is within x0_s .. x1_s, except mark number skip (0: none), at
 * x = time / x_div, of trace set.  Returns how many.
 */
size_t an_plot_marks_collect(const struct an_trace *tr, double shift_s, double x_div,
    double x0_s, double x1_s, uint64_t skip, int set, struct an_plot_mark *out);

/*
 * Writes the marks mk[0..n) (reordered) as vertical lines through every
 * panel and, with lo->text, their text for the panel drawn next (unset
 * its labels after it): along each line when every label fits beside its
 * line; else a number on each line ("3", "B3"), staggered so that none
 * overprints another, and the list "number label" under the figure in
 * *list_lines lines (screen labels; the caller leaves room for them).
 * Tags start at *tag, which is advanced.  Returns 0 or EOF.
 */
int an_plot_marks(FILE *f, struct an_plot_mark *mk, size_t n,
    const struct an_plot_markset *sets, const struct an_plot_marklayout *lo, int *tag,
    int *list_lines);

/* an_plot_marks() of the marks of one trace on the axis lo->x0 .. lo->x1. */
int an_plot_trace_marks(FILE *f, const struct an_trace *tr, double x_div,
    const struct an_plot_markset *set, const struct an_plot_marklayout *lo, int *tag,
    int *list_lines);

/*
 * Writes 'x_div = ..', 'x_min = ..; x_max = ..' (in units of x_div
 * seconds) and 'set xrange [x_min:x_max]'.  The range is a hair wider than
 * x0_s .. x1_s so that the end samples, rounded in the CSV, stay inside.
 */
void an_plot_xrange(FILE *f, double x0_s, double x1_s, double x_div);

/* Finds prog in PATH; its path in buf.  Returns 0 or -1. */
int an_plot_find(const char *prog, char *buf, size_t len);

/*
 * Runs gnuplot (exe) on script (a path relative to dir, starting "./")
 * with dir as working directory, no shell.  Returns 0 when gnuplot exited
 * with 0, else -1 with its standard error (or why it could not run) in err.
 */
int an_plot_run(const char *exe, const char *dir, const char *script, char *err, size_t errlen);

/*
 * The end of every figure: unless no_plot, runs gnuplot on dir/script to
 * make dir/out, or says how to install gnuplot (on msg).  Returns 0, or
 * -1 when gnuplot failed: then its standard error is shown on stderr.
 */
int an_plot_finish(const char *dir, const char *script, const char *out, int no_plot,
    FILE *msg);

/* Writes one file of a figure. */
typedef int (*an_plot_writer)(FILE *f, const void *arg);

/*
 * Writes dir/name through fn (which returns 0 or EOF); reports a failure
 * on stderr as one line naming the file.  Returns 0 or -1.
 */
int an_plot_write(const char *dir, const char *name, an_plot_writer fn, const void *arg);

/* Writes "dir/name" to f for a message (control bytes shown as '?'). */
void an_plot_put_path(FILE *f, const char *dir, const char *name);

#endif /* AN_PLOT_GP_H */
