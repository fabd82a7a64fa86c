/*
 * an_plot.h - the figures: gnuplot scripts that read CSV files written
 * beside them, and running gnuplot when it is installed.  A script finds
 * its data beside itself (from ARG0), so `gnuplot DIR/NAME.gp` works from
 * any folder; gnuplot is run without a shell, in DIR.  Text from a trace is
 * written into scripts only as inert gnuplot strings (an_gpstr.h).
 */
#ifndef AN_PLOT_H
#define AN_PLOT_H

#include <stdint.h>
#include <stdio.h>

#include "an_trace.h"

/*
 * Writes DIR/NAME.gp, the 5-panel figure of the timeline CSV at csv_path
 * (memory, CPU with threads, GPU active %, GPU and ANE power, swap), and
 * with cores also DIR/NAME-cores.gp and DIR/NAME-cores.csv (per-core
 * activity); unless no_plot, runs gnuplot to make DIR/NAME.<format> (png,
 * svg or pdf), or says how to install it.  csv_path "-" (standard output):
 * no figure, and says so.  Messages go to msg, failures to stderr.
 * Returns 0, or -1 when a file could not be written or gnuplot failed.
 */
int an_plot_report(const struct an_trace *tr, const char *dir, const char *name,
    const char *csv_path, const char *format, int no_plot, int cores, FILE *msg);

/* One trace of a comparison figure. */
struct an_plot_input {
	const struct an_trace *tr;
	const char *label;		/* legend text ("A: Phocus 4.0.1 · Apple M1 Pro 32 GB") */
	double shift_s;			/* its time 0 in the figure (0: its start; a mark's time) */
};

/*
 * Writes DIR/NAME-1.csv .. DIR/NAME-n.csv (each trace's timeline CSV with
 * elapsed_s shifted by -shift_s) and DIR/NAME.gp, the report's panels with
 * one colour per trace; unless no_plot runs gnuplot to make
 * DIR/NAME.<format>.  align_mark: the mark number at time 0 (one line for
 * all traces), or 0; align_text says what time 0 is ("the start of each
 * trace").  Messages go to msg, failures to stderr.  Returns 0 or -1.
 */
int an_plot_compare(const struct an_plot_input *in, size_t n, const char *dir,
    const char *name, uint64_t align_mark, const char *align_text, const char *format,
    int no_plot, FILE *msg);

#endif /* AN_PLOT_H */
