/*
 * an_plot.h - the figures: gnuplot scripts that read the CSV written beside
 * them, and running gnuplot when it is installed.
 */
#ifndef AN_PLOT_H
#define AN_PLOT_H

#include <stdio.h>

#include "an_trace.h"

/*
 * Writes DIR/NAME.gp, the 5-panel figure of the timeline CSV at csv_path
 * (memory, CPU with threads, GPU active %, GPU and ANE power, swap), and
 * with cores also DIR/NAME-cores.gp (+ its data file); unless no_plot, runs
 * gnuplot to make DIR/NAME.<format> (png, svg or pdf), or says how to
 * install it.  Messages go to msg.  Returns 0, or -1 when a file could not
 * be written or gnuplot failed.
 */
int an_plot_report(const struct an_trace *tr, const char *dir, const char *name,
    const char *csv_path, const char *format, int no_plot, int cores, FILE *msg);

#endif /* AN_PLOT_H */
