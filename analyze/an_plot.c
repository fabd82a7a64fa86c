/*
 * an_plot.c - PLACEHOLDER until the figure is written (issue 6): writes no
 * script yet and says so.
 */
#include "an_plot.h"

int
an_plot_report(const struct an_trace *tr, const char *dir, const char *name,
    const char *csv_path, const char *format, int no_plot, int cores, FILE *msg)
{
	(void)tr; (void)dir; (void)name; (void)format; (void)no_plot; (void)cores;
	fprintf(msg, "\nWrote %s (figure: not written yet)\n", csv_path);
	return 0;
}
