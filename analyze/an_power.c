/*
 * an_power.c - which power source feeds the summary, the CSV and the
 * figure: powermetrics' samples (recorded with sudo) or the intervals
 * derived from IOReport energy counters (recorded without root).  It only
 * points at one of the two series the loader built; it computes nothing.
 */
#include <string.h>

#include "an_trace.h"

int
an_power_choose(struct an_trace *tr, int want)
{
	tr->power_wanted = want;
	if (want == AN_POWER_AUTO)
		want = tr->npm > 0 ? AN_POWER_PM : tr->nior > 0 ? AN_POWER_IOR : AN_POWER_NONE;
	tr->power = NULL;
	tr->npower = 0;
	tr->power_source = AN_POWER_NONE;
	if (want == AN_POWER_PM && tr->npm > 0) {
		tr->power = tr->pm;
		tr->npower = tr->npm;
	} else if (want == AN_POWER_IOR && tr->nior > 0) {
		tr->power = tr->ior;
		tr->npower = tr->nior;
	} else
		return want == AN_POWER_NONE ? 0 : -1;
	tr->power_source = want;
	return 0;
}

const char *
an_power_source_name(int source)
{
	switch (source) {
	case AN_POWER_PM: return "powermetrics";
	case AN_POWER_IOR: return "IOReport";
	default: return "none";
	}
}

const char *
an_power_source_key(int source)
{
	switch (source) {
	case AN_POWER_PM: return "powermetrics";
	case AN_POWER_IOR: return "ioreport";
	default: return "none";
	}
}

const char *
an_power_missing(const struct an_trace *tr, int wanted)
{
	if (wanted == AN_POWER_IOR && tr->nior == 0)
		return tr->npm > 0 ? "no IOReport data in this trace (it has powermetrics: "
		    "--power-source powermetrics)" : "no IOReport data in this trace";
	if (wanted == AN_POWER_PM && tr->npm == 0)
		return tr->nior > 0 ? "no powermetrics data in this trace (it has IOReport: "
		    "--power-source ioreport)" : "no powermetrics data in this trace";
	if (tr->ior_readings > 0)
		return "IOReport was recorded but gave no interval with power";
	return "no powermetrics or IOReport data (on macOS, phocus-record reads IOReport "
	    "without sudo; with sudo also powermetrics)";
}

int
an_power_source_parse(const char *s, int *source)
{
	if (strcmp(s, "powermetrics") == 0)
		*source = AN_POWER_PM;
	else if (strcmp(s, "ioreport") == 0)
		*source = AN_POWER_IOR;
	else
		return -1;
	return 0;
}
