/*
 * rec_check.h - phocus-record --check: reads every source a recording
 * reads, checks each, and prints for each what was read, whether it passed
 * and what to do if not (a table, or JSON with --json), then a verdict.
 * It records nothing.
 */
#ifndef REC_CHECK_H
#define REC_CHECK_H

#include "rec_ckrows.h"
#include "rec_loop.h"

/*
 * Runs every check for the options o and returns the rows (static storage,
 * valid until the next call); prints nothing.
 */
const struct rec_ckrows *rec_check_collect(const struct rec_opts *o);

/*
 * Runs the check for the options o (target, powermetrics command,
 * --no-powermetrics, --no-ioreport, --json).  Returns the exit code:
 * REC_EXIT_OK when everything a recording needs works, REC_EXIT_FAIL when
 * something it needs failed (the verdict says what).
 */
int rec_check_run(const struct rec_opts *o);

#endif /* REC_CHECK_H */
