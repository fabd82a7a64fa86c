/*
 * rec_ior.h - IOReport energy counters in the recorder, shared part: which
 * channels to record (the selection rule), and the table and readings as
 * trace records.  The backend subscribes and reads (platform_ior_* in
 * platform.h); this module only chooses, times and stores.  No watts, no
 * deltas: the analyzer derives them (analyze/powermetrics/ior_power.c).
 */
#ifndef REC_IOR_H
#define REC_IOR_H

#include <stddef.h>
#include <stdint.h>

#include "cmn_ior.h"
#include "platform.h"
#include "pmtrace.h"

/*
 * The selection rule (the table in common/cmn_ior.c): whether the channel
 * group/subgroup/name is recorded.  Returns its enum cmn_ior_domain and sets
 * *kind (enum plat_ior_kind), or -1 for a channel that is not recorded.
 * subgroup may be NULL.
 */
int rec_ior_select(const char *group, const char *subgroup, const char *name,
    uint32_t *kind);

/* The recorder's IOReport state. */
struct rec_ior {
	int on;				/* subscribed: every sample reads it */
	size_t nch;			/* channels */
	size_t nvalues;			/* values per reading */
	const struct plat_ior_channel *pch;	/* the backend's description */
	struct pmt_ior_channel ch[PLAT_IOR_MAX];	/* the same, for the writer */
	const char *states[PLAT_IOR_MAX][PLAT_IOR_STATES];
	unsigned count[CMN_IOR_NDOMAINS];	/* channels per domain */
	uint64_t values[PLAT_IOR_VALUES];	/* last reading */
	uint8_t have[PLAT_IOR_MAX];	/* channels the last reading returned */
	uint32_t missing[PLAT_IOR_MAX];
	uint64_t reads;			/* readings stored */
	uint64_t failures;		/* readings that failed */
	int last_err;			/* -errno of the last failed reading */
	char why[256];			/* why open failed */
};

/*
 * Subscribes (platform_ior_open) and prepares the table.  Returns the number
 * of channels; -ENOTSUP where the platform has no IOReport; or -errno with
 * the reason in x->why (also when the backend's table is unusable: -EINVAL).
 */
int rec_ior_open(struct rec_ior *x);

/* Writes "7 channels: CPU 2, GPU 1, ANE 1, DRAM 2, GPU states 1" into buf. */
void rec_ior_describe(const struct rec_ior *x, char *buf, size_t len);

/* Writes the channel table at t.  Returns 0 or a PMT_E_* code. */
int rec_ior_write_table(struct rec_ior *x, pmt_writer *w, uint64_t t);

/*
 * Reads every channel once and writes the reading.  now() is the trace's
 * clock (ns since its start): the reading's time is when the read returned,
 * and the read's own duration is stored with it.  Returns 0; 1 when the read
 * failed (nothing written; x->last_err says why, x->failures counts it); or
 * a PMT_E_* code from the writer.
 */
int rec_ior_sample(struct rec_ior *x, pmt_writer *w, uint64_t (*now)(void *),
    void *arg);

/* Ends the subscription. */
void rec_ior_close(struct rec_ior *x);

/* What a quick look at IOReport found (for phocus-record --check). */
struct rec_ior_probe {
	int rc;				/* rec_ior_open(): channels, -ENOTSUP, -errno */
	char why[256];			/* why it could not be used */
	unsigned count[CMN_IOR_NDOMAINS];	/* channels per domain */
	unsigned moved[CMN_IOR_NDOMAINS];	/* of them, the ones whose values changed */
	int read_err;			/* 0, or -errno of a failed reading */
	uint64_t read_ns;		/* how long the second reading took */
};

/*
 * Subscribes, reads every channel twice wait_ms apart, and ends the
 * subscription: whether IOReport loaded, how many channels of each domain
 * it has, and how many of them moved in between.
 */
void rec_ior_probe(struct rec_ior_probe *p, unsigned wait_ms);

/*
 * One line for --check into buf: "loaded: 6 channels: CPU 2 (2 moving),
 * ...", "not on this platform", or why it could not be used.  Returns 1
 * when IOReport loaded and every channel moved, else 0.
 */
int rec_ior_probe_text(const struct rec_ior_probe *p, char *buf, size_t len);

#endif /* REC_IOR_H */
