/*
 * ior_power.h - the analyzer's IOReport math: turns the raw readings the
 * recorder stored (cumulative energy counters and GPU state residencies,
 * FORMAT.md 2.2 and 3.3) into CPU, GPU, ANE and DRAM power and GPU active %
 * per interval between two readings, over the readings' own elapsed time.
 * Which channel counts for which domain, and which states mean idle, is one
 * documented table, common/cmn_ior.c, which the recorder records by too.
 * Counters that stall or go back make their interval a gap (NaN), never
 * 0 W, and are listed as issues.  No I/O, no printing; input is untrusted
 * (any table, any values).
 */
#ifndef IOR_POWER_H
#define IOR_POWER_H

#include <stddef.h>
#include <stdint.h>

#include "pmtrace.h"

/* What the power is summed into. */
enum ior_domain { IOR_CPU, IOR_GPU, IOR_ANE, IOR_DRAM, IOR_NDOMAINS };

/* One interval between two readings. */
struct ior_interval {
	double t0, t1;			/* s: the two readings' own times */
	double w[IOR_NDOMAINS];		/* mean power, W; NaN: no channel, or a gap */
	double gpu_active_pct;		/* non-idle share of GPU residency; NaN */
};

/* What can be wrong with a channel or a reading (issues). */
enum ior_issue_kind {
	IOR_I_STALL = 1,		/* did not move while others did */
	IOR_I_BACK,			/* went back (reset or wrap) */
	IOR_I_MISSING,			/* the read did not return it */
	IOR_I_UNIT,			/* unit label not mJ/uJ/nJ: channel unknown */
	IOR_I_SHAPE,			/* reading does not fit the table: skipped */
	IOR_I_FROZEN,			/* reading identical to the previous one */
	IOR_I_LONG			/* interval over 3 requested intervals: a gap */
};

/* One issue, or a run of the same issue of one channel. */
struct ior_issue {
	int kind;			/* enum ior_issue_kind */
	double t0, t1;			/* first interval's start, last one's end (s) */
	uint64_t count;			/* intervals (readings for SHAPE) */
	char channel[72];		/* channel name, "" for the whole reading */
	char detail[40];		/* e.g. the unknown unit label */
};

enum { IOR_MAX_ISSUES = 32, IOR_MAX_CH = PMT_IOR_MAX_CHANNELS };

/* A channel of the current table, as the math sees it. */
struct ior_chan {
	int domain;			/* enum ior_domain, IOR_GPU_STATES, or -1 */
	double j_per_count;		/* energy channel: joules per count; 0 unknown */
	int may_rest;			/* its counter may stand still (unit idle) */
	size_t off;			/* first value in a reading */
	uint32_t nvalues;
	uint64_t idle;			/* state channel: bit k = state k is idle */
	char name[72];
};

/* The calculator: table, previous reading, issues.  Zero it, then use. */
struct ior_calc {
	double interval_s;		/* requested interval; 0: unknown */
	size_t nch, nvalues;
	int have_table;
	struct ior_chan ch[IOR_MAX_CH];
	uint64_t *prev;			/* previous reading's values */
	uint8_t *prev_ok;		/* per channel: a usable base */
	size_t prev_cap;
	double prev_t;
	int have_prev;
	size_t domain_ch[IOR_NDOMAINS];	/* energy channels per domain */
	size_t state_ch;		/* GPU state channels */
	struct ior_issue issue[IOR_MAX_ISSUES];
	size_t nissues;
	uint64_t more_issues;		/* beyond IOR_MAX_ISSUES */
};

#define IOR_GPU_STATES IOR_NDOMAINS	/* domain value of a GPU state channel */

/*
 * Sets the channel table written at t (s).  A new table drops the previous
 * reading: the next interval starts at the next reading.  Channels with an
 * unknown unit label are listed as issues.  Returns 0, or -1 out of memory.
 */
int ior_calc_table(struct ior_calc *c, double t, const struct pmt_ior_table *tab);

/*
 * Adds a reading taken at t (s).  Returns 1 and fills *out with the interval
 * from the previous reading, or 0 when there is no interval yet (first
 * reading, no table, a reading that does not fit), or -1 out of memory.
 */
int ior_calc_reading(struct ior_calc *c, double t, const struct pmt_ior_sample *s,
    struct ior_interval *out);

void ior_calc_free(struct ior_calc *c);

/*
 * Joules per count for a unit label ("mJ", "uJ", "µJ", "nJ"; blanks around
 * it ignored), or 0 for any other label: that channel is unknown.
 */
double ior_unit_joules(const char *unit);

/*
 * The table: the domain a channel counts for (enum ior_domain), IOR_GPU_STATES
 * for a GPU state channel, or -1 when it is not summed.  *may_rest says
 * whether its counter may legitimately stand still.
 */
int ior_domain_of(const char *group, const char *subgroup, const char *name,
    int *may_rest);

/* Whether a state name means idle or off. */
int ior_state_idle(const char *state);

/* "CPU", "GPU", "ANE", "DRAM". */
const char *ior_domain_name(int d);

/* One line describing an issue (for the Integrity section), into buf. */
void ior_issue_text(const struct ior_issue *i, char *buf, size_t len);

#endif /* IOR_POWER_H */
