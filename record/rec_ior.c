/*
 * rec_ior.c - IOReport energy counters in the recorder, shared part (see
 * rec_ior.h): the rule that picks the channels to record, and the channel
 * table and each reading written as trace records with the reading's own
 * time.  The operating-system calls are the backend's (platform_ior_*);
 * turning counters into watts and shares is the analyzer's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rec_ior.h"

/* ======================= The selection rule ======================= */

enum match { M_EXACT, M_PREFIX, M_SUFFIX, M_ANY };

/*
 * The channels recorded: the CPU, GPU, ANE and DRAM energy counters of the
 * "Energy Model" group and every channel of the GPU's performance states.
 * Names vary by chip: "CPU Energy" on one-die chips and "DIE_<n>_CPU Energy"
 * on Ultras; "ANE", "ANE0", "ANE0_<n>"; "DRAM", "DRAM0" ... (macmon
 * crates/lib/src/metrics.rs, the channel filter and the match on names; mactop
 * internal/app/ioreport.m samplePowerMetrics: strstr "CPU Energy", "GPU
 * Energy", prefixes "ANE", "DRAM", "GPU SRAM").  The per-cluster CPU
 * channels ("EACC_CPU", "PACC0_CPU" ...) are parts of "CPU Energy" and are
 * not recorded.  "GPU SRAM" is recorded beside "GPU Energy" (macmon counts it
 * as its own rail).  GPU states: macmon takes the whole subgroup "GPU
 * Performance States" of "GPU Stats"; mactop its channel "GPUPH".
 */
static const struct {
	const char *group;
	const char *subgroup;		/* NULL: any */
	enum match how;
	const char *pat;
	uint32_t kind;
	int domain;
} rule[] = {
	{ "Energy Model", NULL, M_SUFFIX, "CPU Energy", PLAT_IOR_SIMPLE, REC_IOR_CPU },
	{ "Energy Model", NULL, M_EXACT, "GPU Energy", PLAT_IOR_SIMPLE, REC_IOR_GPU },
	{ "Energy Model", NULL, M_PREFIX, "GPU SRAM", PLAT_IOR_SIMPLE, REC_IOR_GPU_SRAM },
	{ "Energy Model", NULL, M_PREFIX, "ANE", PLAT_IOR_SIMPLE, REC_IOR_ANE },
	{ "Energy Model", NULL, M_PREFIX, "DRAM", PLAT_IOR_SIMPLE, REC_IOR_DRAM },
	{ "GPU Stats", "GPU Performance States", M_ANY, "", PLAT_IOR_STATE,
	  REC_IOR_GPU_STATES },
};

/* True if s matches pat in the way how says. */
static int
name_matches(const char *s, enum match how, const char *pat)
{
	size_t n = strlen(s), k = strlen(pat);

	switch (how) {
	case M_EXACT: return strcmp(s, pat) == 0;
	case M_PREFIX: return strncmp(s, pat, k) == 0;
	case M_SUFFIX: return n >= k && strcmp(s + n - k, pat) == 0;
	case M_ANY: return 1;
	}
	return 0;
}

int
rec_ior_select(const char *group, const char *subgroup, const char *name,
    uint32_t *kind)
{
	if (group == NULL || name == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(rule) / sizeof(rule[0]); i++) {
		if (strcmp(group, rule[i].group) != 0)
			continue;
		if (rule[i].subgroup != NULL && (subgroup == NULL ||
		    strcmp(subgroup, rule[i].subgroup) != 0))
			continue;
		if (!name_matches(name, rule[i].how, rule[i].pat))
			continue;
		*kind = rule[i].kind;
		return rule[i].domain;
	}
	return -1;
}

const char *
rec_ior_domain_name(int d)
{
	static const char *const names[REC_IOR_NDOMAINS] = {
		"CPU", "GPU", "ANE", "DRAM", "GPU SRAM", "GPU states"
	};

	return d >= 0 && d < REC_IOR_NDOMAINS ? names[d] : "other";
}

/* ======================= The table ======================= */

/* Fills x->ch[i] from the backend's channel c.  Returns 0 or -EINVAL. */
static int
table_channel(struct rec_ior *x, size_t i, const struct plat_ior_channel *c)
{
	struct pmt_ior_channel *o = &x->ch[i];
	uint32_t kind = 0;
	int d = rec_ior_select(c->group, c->subgroup, c->name, &kind);

	if ((c->kind != PLAT_IOR_SIMPLE && c->kind != PLAT_IOR_STATE) ||
	    (c->kind == PLAT_IOR_STATE && (c->nstates < 1 || c->nstates > PLAT_IOR_STATES)))
		return -EINVAL;
	memset(o, 0, sizeof(*o));
	o->kind = c->kind;
	o->group = c->group;
	o->subgroup = c->subgroup;
	o->name = c->name;
	o->unit = c->unit;
	o->nstates = c->kind == PLAT_IOR_STATE ? c->nstates : 0;
	o->nvalues = c->kind == PLAT_IOR_STATE ? c->nstates : 1;
	for (uint32_t k = 0; k < o->nstates; k++)
		x->states[i][k] = c->states[k];
	o->states = o->nstates ? x->states[i] : NULL;
	if (d >= 0)
		x->count[d]++;
	return 0;
}

int
rec_ior_open(struct rec_ior *x)
{
	const struct plat_ior_channel *c = NULL;
	int n;

	memset(x, 0, sizeof(*x));
	n = platform_ior_open(&c, x->why, sizeof(x->why));
	if (n < 0)
		return n;
	if (n == 0 || n > PLAT_IOR_MAX || c == NULL) {
		snprintf(x->why, sizeof(x->why), "the backend described %d channels", n);
		platform_ior_close();
		return -EINVAL;
	}
	for (int i = 0; i < n; i++) {
		if (table_channel(x, (size_t)i, &c[i]) != 0 ||
		    x->nvalues + x->ch[i].nvalues > PLAT_IOR_VALUES) {
			snprintf(x->why, sizeof(x->why), "channel %d (%s) is not usable",
			    i, c[i].name);
			platform_ior_close();
			return -EINVAL;
		}
		x->nvalues += x->ch[i].nvalues;
	}
	x->pch = c;
	x->nch = (size_t)n;
	x->on = 1;
	return n;
}

void
rec_ior_describe(const struct rec_ior *x, char *buf, size_t len)
{
	size_t o = (size_t)snprintf(buf, len, "%zu channel%s", x->nch,
	    x->nch == 1 ? "" : "s");
	const char *sep = ": ";

	for (int d = 0; d < REC_IOR_NDOMAINS && o < len; d++) {
		if (x->count[d] == 0)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s %u", sep,
		    rec_ior_domain_name(d), x->count[d]);
		sep = ", ";
	}
}

int
rec_ior_write_table(struct rec_ior *x, pmt_writer *w, uint64_t t)
{
	return pmt_write_ior_channels(w, t, x->ch, x->nch);
}

/* ======================= Readings ======================= */

int
rec_ior_sample(struct rec_ior *x, pmt_writer *w, uint64_t (*now)(void *), void *arg)
{
	struct pmt_ior_sample s = { 0 };
	uint64_t t0, t1;
	int rc;

	if (!x->on)
		return 0;
	t0 = now(arg);
	rc = platform_ior_read(x->values, x->nvalues, x->have);
	t1 = now(arg);
	if (rc != 0) {
		x->failures++;
		x->last_err = rc;
		return 1;
	}
	for (size_t i = 0; i < x->nch; i++)
		if (!x->have[i])
			x->missing[s.nmissing++] = (uint32_t)i;
	s.read_ns = t1 > t0 ? t1 - t0 : 0;
	s.nvalues = x->nvalues;
	s.values = x->values;
	s.missing = x->missing;
	if ((rc = pmt_write_ior_sample(w, t1, &s)) != 0)
		return rc;
	x->reads++;
	return 0;
}

void
rec_ior_close(struct rec_ior *x)
{
	if (x->on)
		platform_ior_close();
	x->on = 0;
}
