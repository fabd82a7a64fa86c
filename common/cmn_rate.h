/*
 * cmn_rate.h - spacing of things done now and then (a costly read, a
 * redraw): "is it due at now?", with an explicit "never" instead of a time
 * stored plus one with 0 for never.  Times are ns of any monotonic clock.
 * It does not read the clock or sleep.
 */
#ifndef CMN_RATE_H
#define CMN_RATE_H

#include <stdint.h>

#define CMN_RATE_NEVER UINT64_MAX	/* last_ns before the first time */

struct cmn_rate {
	uint64_t last_ns;		/* when it was last done, or CMN_RATE_NEVER */
	uint64_t every_ns;		/* least spacing; 0: always due */
};

/* Sets r to "never done", due at least every_ns apart. */
void cmn_rate_init(struct cmn_rate *r, uint64_t every_ns);

/* Whether it is due at now: never done, or every_ns have passed since. */
int cmn_rate_due(const struct cmn_rate *r, uint64_t now);

/* Records that it was done at now. */
void cmn_rate_mark(struct cmn_rate *r, uint64_t now);

/* cmn_rate_due, and cmn_rate_mark when it is: true when it is to be done now. */
int cmn_rate_take(struct cmn_rate *r, uint64_t now);

#endif /* CMN_RATE_H */
