/*
 * rec_pm.h - capture of powermetrics' output as raw trace records.
 */
#ifndef REC_PM_H
#define REC_PM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pmtrace.h"

struct rec_pm {
	pid_t pid;			/* powermetrics (or the given command), -1 if none */
	int out_fd;			/* its stdout, non-blocking; -1 when closed */
	int err_fd;			/* its stderr, non-blocking; -1 when closed */
	uint8_t *buf;			/* bytes received, not yet written */
	size_t len, cap;
	uint64_t last_rx;		/* t when bytes last arrived */
	int seen_sample;		/* a sample (not the preamble) was written */
	int after_quiet;		/* the last unit was cut by the quiet timer */
	int reaped;			/* the process was waited for */
	int status;			/* its wait status, when reaped */
	int start_errno;		/* why it could not be started, else 0 */
	char errtext[256];		/* the start of what it wrote on stderr */
	size_t errlen;
	uint64_t samples;		/* units written */
	uint64_t bytes;			/* bytes written */
	int peek;			/* look for GPU/ANE power in each sample */
	double gpu_w, ane_w;		/* last values seen by peeking, or < 0 */
	/* sees every unit as it is stored (flags: PMT_PM_*), or NULL (--check) */
	void (*tap)(void *arg, const uint8_t *p, size_t n, uint32_t flags);
	void *tap_arg;
};

/* What rec_pm_start_dropping() dropped (empty strings: nothing). */
struct rec_pm_drops {
	char dropped[128];		/* samplers powermetrics refused, comma-separated */
	char refusal[200];		/* what it said when it refused the first one */
};

/*
 * Starts cmdline (argv words split on spaces, no shell) with its stdout and
 * stderr on pipes and stdin on /dev/null, in its own process group.  Returns
 * 0, or -errno (e.g. -ENOENT: not installed) with pm->pid = -1.
 */
int rec_pm_start(struct rec_pm *pm, const char *cmdline);

/*
 * Starts cmdline as rec_pm_start() does; when it exits at once because it
 * does not know a sampler ("powermetrics: unrecognized sampler: NAME":
 * samplers came and went across macOS releases), starts it again without
 * that one (cmdline is edited in place), at most REC_PM_DROP_MAX times,
 * noting what was dropped in *d.  Only a command that names samplers is
 * watched, for its first REC_PM_EARLY_MS (that long a delay of the start;
 * how fast powermetrics refuses is not measured on a Mac).  pm's peek and
 * tap are kept.  Returns what rec_pm_start() returned for the last start.
 */
enum { REC_PM_EARLY_MS = 300, REC_PM_DROP_MAX = 4 };
int rec_pm_start_dropping(struct rec_pm *pm, char *cmdline, struct rec_pm_drops *d);

/*
 * Reads what powermetrics wrote and writes every complete sample as one PM
 * record at time t.  Returns 0, 1 when its output has ended (all written),
 * or a PMT_E_* code from the writer.
 */
int rec_pm_read(struct rec_pm *pm, pmt_writer *w, uint64_t t);

/*
 * Writes what is pending when nothing arrived for quiet_ns (the last text
 * sample has no terminator).  Returns 0 or a PMT_E_* code.
 */
int rec_pm_quiet(struct rec_pm *pm, pmt_writer *w, uint64_t t, uint64_t quiet_ns);

/*
 * Stops powermetrics: closes its pipes (it ends at its next write, even
 * when it runs as root and we no longer do), writes what was pending, and
 * waits up to wait_ms for it.  Returns 0 or a PMT_E_* code.
 */
int rec_pm_stop(struct rec_pm *pm, pmt_writer *w, uint64_t t, unsigned wait_ms);

/*
 * Waits up to wait_ms for powermetrics to exit right after its start (as it
 * does when it refuses an option).  Returns 1 when it exited, with what it
 * wrote (stderr, then the start of stdout) in said, NUL-terminated; 0 when
 * it still runs.  Either way its output stays for rec_pm_read (a command
 * that did its work within wait_ms loses nothing).
 */
int rec_pm_exited_early(struct rec_pm *pm, unsigned wait_ms, char *said, size_t len);

/* Forgets a powermetrics that exited early (descriptors, buffer), for a retry. */
void rec_pm_discard(struct rec_pm *pm);

/* Reaps powermetrics if it has exited; returns 1 if it has, else 0. */
int rec_pm_reap(struct rec_pm *pm, unsigned wait_ms);

/* Describes how it ended ("exit status 1: powermetrics must be ..."). */
void rec_pm_describe_end(const struct rec_pm *pm, char *buf, size_t len);

/* Splits cmdline on spaces into at most max-1 words plus NULL; returns count. */
int rec_pm_split_argv(char *cmdline, char **argv, int max);

#endif /* REC_PM_H */
