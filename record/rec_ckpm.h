/*
 * rec_ckpm.h - phocus-record --check's look at powermetrics: the exact
 * command, whether it started, accepted its samplers, produced samples in
 * the expected format (parsed by the analyzer's own parser), and stopped.
 * Starting and stopping are rec_pm.c's, as in a recording.
 */
#ifndef REC_CKPM_H
#define REC_CKPM_H

#include <stdint.h>

#include "rec_ckrows.h"
#include "rec_pm.h"

struct rec_ckpm {
	char cmd[1024];			/* the command run (samplers dropped: without them) */
	char asked[1024];		/* the command as asked */
	int given;			/* --powermetrics-cmd gave it */
	int start_rc;			/* rec_pm_start(): 0 or -errno */
	int ended;			/* its output ended before the check stopped it */
	int stopped;			/* it was reaped after the check stopped it */
	int want;			/* enum pm_format the command asks for; UNKNOWN: either */
	int format_seen;		/* enum pm_format of the parsed samples */
	unsigned wait_ms;		/* how long samples were waited for */
	struct rec_pm pm;
	struct rec_pm_drops drops;
	unsigned units;			/* samples stored (not the preamble) */
	unsigned parsed;		/* of them, parsed in the expected format */
	unsigned other_format;		/* of them, in another format than expected */
	char first_err[200];		/* why the first bad sample did not parse */
	double cpu_w, gpu_w, ane_w;	/* the last parsed sample's power (NaN: not printed) */
	uint64_t t_start;		/* platform clock at the start */
};

/*
 * Starts cmd (dropping samplers it refuses, as a recording does); given:
 * the user gave it with --powermetrics-cmd.  Call as root when the
 * recording would, before the privilege drop.
 */
void rec_ckpm_begin(struct rec_ckpm *c, const char *cmd, int given);

/*
 * Reads its output until two samples came, it ended, or wait_ms passed
 * since the start, then stops it as a recording does (closed pipe,
 * SIGTERM, reaped).
 */
void rec_ckpm_finish(struct rec_ckpm *c, unsigned wait_ms);

/*
 * Adds the rows: command, started, samplers, samples, stopped.  needed:
 * a recording would use it (a failure makes the verdict NOT READY);
 * was_root: the check started as root.
 */
void rec_ckpm_rows(struct rec_ckpm *c, struct rec_ckrows *t, int needed, int was_root);

#endif /* REC_CKPM_H */
