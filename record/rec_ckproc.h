/*
 * rec_ckproc.h - phocus-record --check, the process sources: the process
 * list and target matching (the check finds itself), the tree and the
 * per-process counters of a known child of the check (threads, disk bytes,
 * footprint), the target's counters, and the responsible-pid lookup.
 * Each adds its rows; the calibration and the machine are rec_check.c's.
 */
#ifndef REC_CKPROC_H
#define REC_CKPROC_H

#include <stdint.h>

#include "platform.h"
#include "rec_ckrows.h"

enum {
	REC_CK_THREADS = 3,		/* the known child's threads, its main one included */
	REC_CK_DISK_BYTES = 1 << 20	/* what it writes and syncs to a file */
};

/* Process list, and whether matching by name finds the check itself. */
void rec_ckproc_self(struct rec_ckrows *t);

/*
 * Starts a known child (REC_CK_THREADS threads; writes and syncs
 * REC_CK_DISK_BYTES to a file in TMPDIR, then removes it), finds it in the
 * check's tree, reads it through platform_sample_proc, ends it, and adds
 * the rows: process tree, counters, threads, disk bytes, footprint, CPU
 * energy.
 */
void rec_ckproc_child(struct rec_ckrows *t, const struct plat_info *info,
    unsigned features);

/*
 * The target a recording would follow: pid (> 0), else the process
 * matching name.  Its counters, or why it cannot be read.  A pid given
 * that does not exist is a failure a recording would have; a name not
 * running now is not checked.
 */
void rec_ckproc_target(struct rec_ckrows *t, const struct plat_info *info,
    int32_t pid, const char *name);

/* The responsible-pid lookup, tried on the check itself. */
void rec_ckproc_responsible(struct rec_ckrows *t, unsigned features);

#endif /* REC_CKPROC_H */
