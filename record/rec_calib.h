/*
 * rec_calib.h - the units check at the start of a recording: a child of the
 * recorder measured through the platform and by the kernel.  A public
 * interface of the recorder: the recording (rec_loop.c) stores what it
 * measured as the CALIB record, and `phocus-record --check` prints it; it
 * needs no trace writer, only an initialised platform (platform_init).
 */
#ifndef REC_CALIB_H
#define REC_CALIB_H

#include <stddef.h>
#include <stdint.h>

#include "cmn_calib.h"
#include "platform.h"
#include "pmtrace.h"

enum {
	REC_CALIB_BURN_MS = 100,		/* CPU the child burns */
	REC_CALIB_BYTES = 64 << 20		/* fresh memory it touches */
};

/*
 * One units check: both sides' raw numbers (c.v[PMT_C_*], valid where
 * c.have has PMT_HAVE(PMT_C_*); CPU of the platform in c.v[PMT_C_UNIT_NUM] /
 * c.v[PMT_C_UNIT_DEN] ns units, the kernel's in ns, memory in bytes), what
 * could not be measured, and the verdict on them: the ratios platform /
 * kernel, whether each is off, and the factors that put CPU right.
 */
struct rec_calib {
	struct pmt_calib c;		/* the CALIB record's numbers (c.note points to note) */
	char note[128];			/* what could not be measured, and why; "" */
	struct cmn_calib_verdict verdict;	/* cmn_calib_judge() of c */
};

/*
 * Runs the check: forks a child that touches bytes of fresh memory and
 * burns CPU to burn_ms in all, reads it through platform_sample_proc() before and after
 * the touch and as a zombie, reaps it with wait4, and reads the recorder's
 * own reaped-children CPU before and after.  info (from platform_init) gives
 * the CPU unit.  What could not be read is left out of c->c.have and said
 * in c->note; c->verdict judges what was read (NaN ratios where nothing).
 * Takes about burn_ms of CPU and, on a loaded machine, up to a second or
 * so; the child is always reaped.  Call it while this process has no other
 * children that a wait for any child could reap.  Returns 0 when the child
 * ran, or -errno (fork, pipe failed; nothing to judge).  Use REC_CALIB_BURN_MS
 * and REC_CALIB_BYTES for the figures a recording stores.
 */
int rec_calib_run(struct rec_calib *c, const struct plat_info *info,
    unsigned burn_ms, size_t bytes);

#endif /* REC_CALIB_H */
