/*
 * an_plot_gp.h - pieces shared by the figure writers (an_plot.c,
 * an_plot_cores.c, an_plot_compare.c): the series of the timeline CSV and
 * whether a trace has them, the opening lines of every script (terminal,
 * output, folder), titles from the header, marks, and running gnuplot.
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
#define AN_PLOT_MAX_MARK_LABELS 40	/* more marks: numbers only */

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

/*
 * Whether series s has a value on at least one row that does not follow a
 * gap: what the script draws (it breaks lines at gaps and empty cells).
 * Mirrors the timeline CSV (an_csv.c).
 */
int an_plot_has(const struct an_trace *tr, enum an_series s);

/* Duration shown on the time axis: the last row's time, s (> 0). */
double an_plot_span(const struct an_trace *tr);

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

/* The figure's title: "Phocus 4.0.1 · 2026-11-25 17:50 +01:00 · 0:45:12" (clean text). */
void an_plot_title(const struct an_trace *tr, char *buf, size_t len);

/* The machine line: chip, P+E cores, GPU and Neural Engine cores, RAM, OS. */
void an_plot_machine(const struct an_trace *tr, char *buf, size_t len);

/*
 * Writes the script's variables holding text from the trace, each cleaned
 * and escaped: title_text (title_prefix, then an_plot_title()),
 * machine_text (an_plot_machine()) and target (the target's name).
 * Returns 0 or EOF.
 */
int an_plot_trace_text(FILE *f, const struct an_trace *tr, const char *title_prefix);

/* Clean display text of a trace string (NULL or "" gives def). */
void an_plot_clean(const char *s, const char *def, size_t max_chars, char *buf, size_t len);

/* Which marks an_plot_marks() writes, and how. */
struct an_plot_markopt {
	double shift_s;			/* subtracted from mark times */
	double x0_s, x1_s;		/* only marks in this range (after the shift) */
	const char *color;		/* line colour '#rrggbb'; NULL: grey, dashed */
	const char *prefix;		/* before each label's text ("A: "), or "" */
	int text;			/* also their text, as labels */
	int front;			/* lines in front of the data, text boxed (heatmaps) */
	uint64_t skip;			/* mark number not written (the alignment mark), 0: none */
};

/*
 * Writes the marks of tr as vertical lines through every panel (arrows)
 * and, with o->text, their text as labels at the top of the panel drawn
 * next (unset them after it).  Times in minutes.  Tags of both start at
 * *tag, which is advanced.  More than AN_PLOT_MAX_MARK_LABELS marks: the
 * labels are mark numbers, for some of them.  Returns 0 or EOF.
 */
int an_plot_marks(FILE *f, const struct an_trace *tr, const struct an_plot_markopt *o,
    int *tag);

/* Writes 'x_min = ..; x_max = ..' and 'set xrange [x_min:x_max]'. */
void an_plot_xrange(FILE *f, double x0_s, double x1_s);

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
