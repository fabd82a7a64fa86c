/*
 * an_smooth.h - the CPU of each row kept within what its counters and the
 * machine allow (an_smooth.c).
 */
#ifndef AN_SMOOTH_H
#define AN_SMOOTH_H

#include <stddef.h>

#include "an_trace.h"

#define AN_TICK_WINDOW 10	/* rows from tick counters span at least this many ticks */

/*
 * Rows whose CPU came from tick counters of tick_s seconds (cpu_coarse) are
 * merged into windows of at least AN_TICK_WINDOW ticks; then, if ncpu > 0,
 * no row shows more than ncpu CPUs over its interval (the excess moves to
 * earlier rows, else later ones).  The sum of cpu_s does not change.
 */
void an_smooth_cpu(struct an_row *rows, size_t n, double tick_s, int ncpu);

#endif /* AN_SMOOTH_H */
