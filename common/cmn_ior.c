/*
 * cmn_ior.c - the table of IOReport channels (contract in cmn_ior.h): which
 * channels are recorded, what each counts for, whether its counter may
 * stand still, and which states mean idle.
 */
#include <string.h>

#include "cmn_ior.h"

/*
 * IOReport channels, one row per channel-name pattern, first match wins.
 * The recorder records these and no others; the analyzer sums each domain's
 * channels (several per domain on some chips).
 *
 *   Energy Model / *"CPU Energy"   CPU   "CPU Energy" (one die), "DIE_0_CPU Energy",
 *                                        "DIE_1_CPU Energy" (Ultra).  The per-cluster
 *                                        channels ("EACC_CPU", "PACC0_CPU") are parts
 *                                        of it: not recorded.
 *   Energy Model / "GPU Energy"    GPU
 *   Energy Model / "GPU SRAM"*     -     recorded, not summed into GPU: whether
 *                                        powermetrics' GPU Power holds it is not
 *                                        known without a Mac (macmon counts it apart)
 *   Energy Model / "ANE"*          ANE   "ANE", "ANE0", "ANE0_1"
 *   Energy Model / "DRAM"*         DRAM  "DRAM", "DRAM0", ...
 *   GPU Stats / GPU Performance States / *   the GPU's state residencies
 *
 * Names from vladkens/macmon crates/lib/src/metrics.rs (the channel filter
 * of the sampler and the match on names: "GPU Energy", ends_with "CPU
 * Energy", starts_with "ANE", "DRAM", "GPU SRAM"; the subgroup "GPU
 * Performance States") and metaspartan/mactop internal/app/ioreport.m
 * samplePowerMetrics (strstr "CPU Energy", "GPU Energy", prefixes "ANE",
 * "DRAM", "GPU SRAM"; the GPUPH channel).
 *
 * Standing still: the CPU complex and DRAM draw power whenever the machine
 * is awake, so their counters never may (macmon issue #76: a "CPU Energy"
 * that stalls on a macOS beta); the ANE is power-gated when idle, so its
 * counter may (a stalled ANE counter cannot be told from an idle ANE); the
 * GPU's may only while its states say it was idle.
 */
static const struct cmn_ior_rule rules[] = {
	{ "Energy Model", NULL, CMN_IOR_SUFFIX, "CPU Energy", 1, CMN_IOR_CPU, CMN_IOR_NEVER },
	{ "Energy Model", NULL, CMN_IOR_EXACT, "GPU Energy", 1, CMN_IOR_GPU, CMN_IOR_GPU_IDLE },
	{ "Energy Model", NULL, CMN_IOR_PREFIX, "GPU SRAM", 1, CMN_IOR_GPU_SRAM, CMN_IOR_ALWAYS },
	{ "Energy Model", NULL, CMN_IOR_PREFIX, "ANE", 1, CMN_IOR_ANE, CMN_IOR_ALWAYS },
	{ "Energy Model", NULL, CMN_IOR_PREFIX, "DRAM", 1, CMN_IOR_DRAM, CMN_IOR_NEVER },
	{ "GPU Stats", "GPU Performance States", CMN_IOR_ANY, "", 2, CMN_IOR_GPU_STATES,
	  CMN_IOR_ALWAYS },
};

/*
 * States that mean idle or off: GPU active % is the share of residency
 * outside them (macmon metrics.rs is_active_state: not IDLE, DOWN, OFF;
 * mactop: OFF, IDLE, DOWN for GPUPH; powermetrics counts IDLE and DOWN as
 * not active, macmon research/powermetrics/readme.md).
 */
static const char *const idle_states[] = { "OFF", "IDLE", "DOWN" };

/* True if s matches pattern p the way how says. */
static int
name_matches(const char *s, int how, const char *p)
{
	size_t n = strlen(s), k = strlen(p);

	switch (how) {
	case CMN_IOR_EXACT: return strcmp(s, p) == 0;
	case CMN_IOR_PREFIX: return strncmp(s, p, k) == 0;
	case CMN_IOR_SUFFIX: return n >= k && strcmp(s + n - k, p) == 0;
	default: return 1;
	}
}

const struct cmn_ior_rule *
cmn_ior_match(const char *group, const char *subgroup, const char *name)
{
	if (group == NULL || name == NULL)
		return NULL;
	if (subgroup == NULL)
		subgroup = "";
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (strcmp(group, rules[i].group) == 0 && (rules[i].subgroup == NULL ||
		    strcmp(subgroup, rules[i].subgroup) == 0) &&
		    name_matches(name, rules[i].how, rules[i].pattern))
			return &rules[i];
	return NULL;
}

int
cmn_ior_state_idle(const char *state)
{
	for (size_t i = 0; i < sizeof(idle_states) / sizeof(idle_states[0]); i++)
		if (strcmp(state, idle_states[i]) == 0)
			return 1;
	return 0;
}

const char *
cmn_ior_domain_name(int domain)
{
	static const char *const names[CMN_IOR_NDOMAINS] = {
		"CPU", "GPU", "ANE", "DRAM", "GPU SRAM", "GPU states"
	};

	return domain >= 0 && domain < CMN_IOR_NDOMAINS ? names[domain] : "other";
}
