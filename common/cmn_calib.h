/*
 * cmn_calib.h - the verdict of the units check a recording makes at its
 * start (FORMAT.md 2.3): from the raw numbers of both sides - what the
 * platform's calls said of a child of the recorder, and what the kernel
 * counted for it - the ratios, whether each is off, and by what factor CPU
 * times must be scaled to be right.  The recorder says it at the start and
 * in --check; the analyzer prints it and scales.  Arithmetic only.
 */
#ifndef CMN_CALIB_H
#define CMN_CALIB_H

#include <stdint.h>

#define CMN_CALIB_OFF 0.10	/* a ratio is off beyond 1 +- this (plus resolution for CPU) */

/*
 * What was measured, indexed by the CALIB record's tags (FORMAT.md 2.3;
 * pmtrace.h enum pmt_calib_field has the same numbers): v[tag] is valid
 * where have has 1 << tag.
 */
enum {
	CMN_CALIB_TOUCHED = 1, CMN_CALIB_UNIT_NUM, CMN_CALIB_UNIT_DEN,
	CMN_CALIB_CPU_USER, CMN_CALIB_CPU_SYSTEM, CMN_CALIB_KERNEL_USER_NS,
	CMN_CALIB_KERNEL_SYSTEM_NS, CMN_CALIB_RSS_BEFORE, CMN_CALIB_RSS_AFTER,
	CMN_CALIB_PARENT_BEFORE, CMN_CALIB_PARENT_AFTER, CMN_CALIB_FP_BEFORE,
	CMN_CALIB_FP_AFTER, CMN_CALIB_NTAGS = 16
};

/* The verdict.  Ratios are NaN where the numbers were not measured. */
struct cmn_calib_verdict {
	double cpu;			/* the child's CPU: backend / kernel */
	double children;		/* the recorder's reaped-children CPU: backend / kernel */
	double memory;			/* resident growth / memory touched */
	double footprint;		/* footprint growth / memory touched */
	double cpu_res;			/* the CPU ratios' resolution (two units / kernel) */
	int cpu_off, children_off, memory_off, footprint_off;	/* beyond the tolerance */
	double cpu_scale;		/* makes own CPU times right: kernel / backend when off, else 1 */
	double children_scale;		/* the same for reaped-children CPU */
};

/*
 * Judges the numbers (have, v) into *out.  The backend's CPU is compared with the kernel's figure
 * truncated to the backend's unit field by field (a backend counting in 10
 * ms ticks truncates user and system time each); a CPU ratio is off when it
 * is more than CMN_CALIB_OFF plus two units (its resolution) away from 1,
 * a memory ratio when more than CMN_CALIB_OFF.
 */
void cmn_calib_judge(uint32_t have, const uint64_t v[CMN_CALIB_NTAGS],
    struct cmn_calib_verdict *out);

#endif /* CMN_CALIB_H */
