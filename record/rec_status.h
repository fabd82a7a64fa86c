/*
 * rec_status.h - the live status line on a terminal.
 */
#ifndef REC_STATUS_H
#define REC_STATUS_H

#include <stdint.h>

#include "cmn_rate.h"

struct rec_status {
	int on;				/* stderr is a terminal and not --quiet */
	int shown;			/* a status line is on screen now */
	struct cmn_rate redraw;		/* at most once a second */
	uint64_t prev_cpu_ns;		/* tree CPU at the previous update */
	uint64_t prev_t;
	double cpu_pct;			/* last computed CPU %, < 0 unknown */
};

/* What the status line shows. */
struct rec_status_info {
	uint64_t t;			/* ns since start */
	uint64_t samples;
	uint64_t procs;			/* processes in the tree now */
	uint64_t rss;			/* bytes */
	uint64_t cpu_ns;		/* own CPU of the tree's processes now, ns */
	double gpu_w, ane_w;		/* < 0: not known */
	uint64_t bytes;			/* trace size */
	const char *waiting_for;	/* non-NULL: no target yet */
};

void rec_status_init(struct rec_status *s, int on);

/* Redraws the line if a second has passed (or force). */
void rec_status_update(struct rec_status *s, const struct rec_status_info *i, int force);

/* Removes the line so other output starts on a clean line. */
void rec_status_clear(struct rec_status *s);

/* Formats t (ns) as H:MM:SS.s into buf. */
void rec_status_clock(uint64_t t, char *buf, size_t len);

#endif /* REC_STATUS_H */
