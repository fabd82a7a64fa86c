/*
 * rec_loop.h - one recording, from finding the target to the END record.
 */
#ifndef REC_LOOP_H
#define REC_LOOP_H

#include <stdint.h>

/* What the user asked for (phocus-record's options). */
struct rec_opts {
	const char *output;		/* trace path, NULL: default name */
	const char *name;		/* follow the process with this name */
	int32_t pid;			/* follow this pid (0: not given) */
	char **command;			/* start and follow this (NULL: none) */
	unsigned interval_ms;		/* sampling interval */
	double duration_s;		/* stop after this long (0: no limit) */
	int wait;			/* wait for the named target to appear */
	const char *pm_cmd;		/* powermetrics command, NULL: platform default */
	int no_pm;			/* no powermetrics at all */
	int no_ioreport;		/* do not read IOReport (macOS energy counters) */
	int no_calibration;		/* skip the units check at the start */
	int quiet;			/* no status line */
	int force;			/* replace an existing trace */
	const char *app_version;	/* target version given by the user */
	const char *label;		/* --label: the target's name (NULL: its own) */
	const char *cmdline;		/* the recorder's own command line */
	int check;			/* --check: check every source, record nothing */
	int json;			/* --json: the check as one JSON document */
	int named;			/* --name was given */
};

/* Exit codes. */
enum {
	REC_EXIT_OK = 0,		/* recorded and closed cleanly */
	REC_EXIT_FAIL = 1,		/* stopped by an error; what was recorded is kept */
	REC_EXIT_USAGE = 2		/* nothing recorded: bad options, no target, ... */
};

/* Records as asked; prints errors, the summary and the next command.
 * Returns an exit code. */
int rec_run(const struct rec_opts *o);

#endif /* REC_LOOP_H */
