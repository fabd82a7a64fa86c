/*
 * cmn_ior.h - the one table of IOReport channels (macOS energy counters
 * and GPU state residencies) that both programs use: the recorder records
 * the channels it lists, the analyzer sums them per domain by it, and the
 * states it names as idle are left out of GPU active %.  Names and lookups
 * only: no I/O, no state, no math.
 */
#ifndef CMN_IOR_H
#define CMN_IOR_H

/* What a channel counts for. */
enum cmn_ior_domain {
	CMN_IOR_CPU, CMN_IOR_GPU, CMN_IOR_ANE, CMN_IOR_DRAM,	/* energies, summed */
	CMN_IOR_GPU_SRAM,		/* energy recorded, not summed (see the table) */
	CMN_IOR_GPU_STATES,		/* state residencies: GPU active % */
	CMN_IOR_NDOMAINS
};

/* Whether a channel's counter may stand still over an interval. */
enum cmn_ior_rest {
	CMN_IOR_NEVER,			/* never while the machine is awake: a stall */
	CMN_IOR_ALWAYS,			/* whenever its unit is idle */
	CMN_IOR_GPU_IDLE		/* only while the GPU states say idle */
};

/* A row of the table. */
struct cmn_ior_rule {
	const char *group;		/* IOReport group, exactly */
	const char *subgroup;		/* exactly, or NULL for any */
	int how;			/* CMN_IOR_EXACT, _PREFIX, _SUFFIX, _ANY */
	const char *pattern;		/* of the channel name */
	int kind;			/* 1 one counter (energy), 2 state residencies */
	int domain;			/* enum cmn_ior_domain */
	int rest;			/* enum cmn_ior_rest */
};

enum { CMN_IOR_EXACT, CMN_IOR_PREFIX, CMN_IOR_SUFFIX, CMN_IOR_ANY };

/*
 * The first row that group/subgroup/name matches, or NULL for a channel
 * that is not recorded.  NULL strings match nothing (subgroup: "").
 */
const struct cmn_ior_rule *cmn_ior_match(const char *group, const char *subgroup,
    const char *name);

/* Whether a state name means idle or off (not active). */
int cmn_ior_state_idle(const char *state);

/* "CPU", "GPU", "ANE", "DRAM", "GPU SRAM", "GPU states"; "other". */
const char *cmn_ior_domain_name(int domain);

#endif /* CMN_IOR_H */
