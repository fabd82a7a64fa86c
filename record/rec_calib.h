/*
 * rec_calib.h - the units check at the start of a recording: a child of the
 * recorder measured through the platform and by the kernel.
 */
#ifndef REC_CALIB_H
#define REC_CALIB_H

#include <stddef.h>
#include <stdint.h>

#include "platform.h"
#include "pmtrace.h"

enum {
	REC_CALIB_BURN_MS = 100,		/* CPU the child burns */
	REC_CALIB_BYTES = 64 << 20		/* fresh memory it touches */
};

/* One units check: the CALIB record's numbers and its note. */
struct rec_calib {
	struct pmt_calib c;		/* what to write (c.note points to note) */
	char note[128];			/* what could not be measured, and why */
};

/*
 * Runs the check: forks a child that touches bytes of fresh memory and
 * burns CPU to burn_ms in all, reads it through platform_sample_proc() before and after
 * the touch and as a zombie, reaps it with wait4, and reads the recorder's
 * own reaped-children CPU before and after.  info gives the CPU unit.  What
 * could not be read is left out of c->c.have and said in c->note.  Returns
 * 0 when the child ran, or -errno (fork, pipe, mmap failed; nothing to judge).
 */
int rec_calib_run(struct rec_calib *c, const struct plat_info *info,
    unsigned burn_ms, size_t bytes);

/*
 * Writes one byte to every page of p[0..len), with page size step, through
 * code the address sanitizer does not instrument: the resident growth is
 * the workload's own, with no shadow memory (ASan's shadow of 64 MiB is
 * 8 MiB, which made 64 read as 72).
 */
void rec_calib_touch(volatile char *p, size_t len, size_t step);

#endif /* REC_CALIB_H */
