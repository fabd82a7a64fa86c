/*
 * an_helpers.h - the processes outside the target's tree that worked for
 * it (HELPERS records, format 1.1; macOS: XPC services and system services
 * whose responsible process is the target): one row per HELPERS record,
 * their memory summed and the CPU they used since the record before.  The
 * tree's own figures never include them.  Traces without the records (1.0,
 * Linux) have no rows and helpers_known 0: the analyzer says nothing.
 */
#ifndef AN_HELPERS_H
#define AN_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include "an_trace.h"

/* What the loader keeps between HELPERS records. */
struct an_helpers_acc {
	struct an_helper_state *prev, *cur;	/* last record's processes, by pid */
	size_t nprev, cap_prev, cap_cur;
	double prev_t;			/* its time, s */
	int have_prev;
};

/*
 * Adds one HELPERS record (rows rec->u.proc, at rec->t) to tr->helpers,
 * with the CPU its processes used since the previous one (processes in
 * both, same start: their own CPU's growth; a process seen for the first
 * time is a baseline).  Returns 0, or -1 out of memory.
 */
int an_helpers_add(struct an_trace *tr, struct an_helpers_acc *a,
    const struct pmt_record *rec);

void an_helpers_acc_free(struct an_helpers_acc *a);

/* The helpers row recorded with the timeline row at t (same time), or NULL. */
const struct an_helper_row *an_helpers_at(const struct an_trace *tr, double t);

#endif /* AN_HELPERS_H */
