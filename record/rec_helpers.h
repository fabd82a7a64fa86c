/*
 * rec_helpers.h - processes outside the target's tree that work for it
 * (issue 9): an app's XPC services and the system services launchd starts
 * on its behalf (the Metal shader compiler, for one) are launchd's
 * children, not the app's, but the system names the app as their
 * responsible process.  This module finds them by asking every process's
 * responsible pid, at most every few seconds, and reads the same counters
 * for them as for the tree, as trace rows.  It does not walk the tree
 * (rec_sample.c), write the trace (rec_loop.c) or sum anything (the
 * analyzer).  Where the platform has no such notion (Linux) it does nothing.
 */
#ifndef REC_HELPERS_H
#define REC_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include "cmn_rate.h"
#include "platform.h"
#include "pmtrace.h"
#include "rec_target.h"

enum {
	REC_HELPERS_MAX = 256,		/* helpers followed at most */
	REC_HELPERS_SCAN_MS = 5000	/* every process is looked at this often */
};

enum rec_helpers_state {
	REC_HELPERS_OFF = 0,		/* no such notion here: nothing recorded or said */
	REC_HELPERS_ON = 1,		/* looked for and recorded */
	REC_HELPERS_MISSING = 2		/* this system lacks the lookup: say so once */
};

/* One process working for the tree. */
struct rec_helper {
	int32_t pid;			/* first: cmn_pid tables */
	int32_t for_pid;		/* the tree's process it works for */
	uint64_t start;			/* start token when found, 0 unknown */
	int named;			/* its name is in the trace */
	char name[PLAT_NAME_MAX];	/* short name, "" when not readable */
};

struct rec_helpers {
	int state;			/* enum rec_helpers_state */
	struct cmn_rate scan_rate;	/* scans of every process */
	struct rec_helper h[REC_HELPERS_MAX];	/* followed now, sorted by pid */
	size_t n;
	struct rec_helper found[REC_HELPERS_MAX];	/* new in the last scan */
	size_t nfound;
	struct pmt_proc rows[REC_HELPERS_MAX];	/* the last sample, for the writer */
	char names[REC_HELPERS_MAX][PLAT_NAME_MAX];	/* names the rows point to */
	size_t nrows;
	int32_t tree[REC_TREE_MAX];	/* scan scratch: the tree's pids, sorted */
	int32_t *all;			/* scan scratch: every pid */
	size_t all_cap;
	uint64_t scans;			/* scans done */
	uint64_t seen;			/* helpers found, all told */
	uint64_t cut;			/* helpers left out: more than REC_HELPERS_MAX */
	uint64_t rss_sum;		/* the last sample's RSS, bytes */
	uint64_t peak_rss;		/* the largest rss_sum */
};

/*
 * Prepares hp (zeroed here) to scan every scan_ms and asks the platform
 * whether it has the lookup.  Returns the state (enum rec_helpers_state).
 */
int rec_helpers_init(struct rec_helpers *hp, uint32_t scan_ms);

void rec_helpers_free(struct rec_helpers *hp);

/*
 * When a scan is due at t (or force), looks at every process outside the
 * tree (rows[0..n), this sample's) and follows those whose responsible
 * process is one of the tree's; hp->found lists the new ones.  Returns how
 * many are new, 0 when no scan was due, or -errno (-ENOSYS: the lookup went
 * missing, state is then REC_HELPERS_MISSING; -ENOMEM).
 */
int rec_helpers_scan(struct rec_helpers *hp, const struct pmt_proc *rows,
    size_t n, uint64_t t, int force);

/*
 * Reads the counters of every helper into hp->rows[0..nrows), with its
 * name the first time; helpers that are gone (or whose pid now names
 * another process) are dropped.  want: PLAT_WANT_* beyond the name, as for
 * the tree.  Returns nrows.
 */
size_t rec_helpers_sample(struct rec_helpers *hp, unsigned want);

#endif /* REC_HELPERS_H */
