/*
 * test_rec_pmcmd.c - the powermetrics command line when powermetrics
 * refuses a sampler (rec_pmcmd.c): the complaint is recognized in what it
 * wrote (the words of tlkh/asitop issue #53), the sampler leaves the list,
 * nothing else changes.  Expected strings written by hand.
 */
#include <stdio.h>
#include <string.h>

#include "rec_pmcmd.h"
#include "tap.h"

/* cmd with name dropped (or "FAIL" when refused) into a static buffer. */
static const char *
drop(const char *cmd, const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s", cmd);
	return rec_pmcmd_drop(buf, name) == 0 ? buf : "FAIL";
}

int
main(void)
{
	const char *said = "powermetrics: unrecognized sampler: bandwidth\n";
	const char *cmd = "/usr/bin/powermetrics -i 1000 -f plist --samplers cpu_power,gpu_power,ane_power";
	char name[64];

	CHECK_I64(rec_pmcmd_refused(said, strlen(said), name, sizeof(name)), 0,
	    "asitop #53's words are recognized");
	CHECK_STR(name, "bandwidth", "... and name the sampler");
	CHECK_I64(rec_pmcmd_refused(said, 30, name, sizeof(name)), -1,
	    "cut before the name: not recognized");
	CHECK_I64(rec_pmcmd_refused("powermetrics must be invoked as the superuser\n", 46,
	    name, sizeof(name)), -1, "another complaint is not a refused sampler");
	CHECK_I64(rec_pmcmd_refused("unrecognized sampler: x;rm", 26, name, 3), 0,
	    "a name is letters, digits and _ only, cut to fit");
	CHECK_STR(name, "x", "... x");

	CHECK(rec_pmcmd_has_samplers(cmd), "--samplers found");
	CHECK(rec_pmcmd_has_samplers("powermetrics -s gpu_power -i 5"), "-s found");
	CHECK(!rec_pmcmd_has_samplers("pm-replay -i 50 capture.plist"), "no samplers");

	CHECK_STR(drop(cmd, "ane_power"),
	    "/usr/bin/powermetrics -i 1000 -f plist --samplers cpu_power,gpu_power",
	    "the last sampler dropped");
	CHECK_STR(drop(cmd, "cpu_power"),
	    "/usr/bin/powermetrics -i 1000 -f plist --samplers gpu_power,ane_power",
	    "the first sampler dropped");
	CHECK_STR(drop(cmd, "gpu_power"),
	    "/usr/bin/powermetrics -i 1000 -f plist --samplers cpu_power,ane_power",
	    "a middle sampler dropped");
	CHECK_STR(drop("powermetrics -s a,bandwidth,c -i 5", "bandwidth"),
	    "powermetrics -s a,c -i 5", "with -s, options after it kept");
	CHECK_STR(drop(cmd, "gpu"), "FAIL", "a prefix of a name is not the name");
	CHECK_STR(drop(cmd, "thermal"), "FAIL", "a sampler not asked for");
	CHECK_STR(drop("powermetrics --samplers gpu_power", "gpu_power"), "FAIL",
	    "the only sampler is never dropped");
	CHECK_STR(drop("pm-replay x", "gpu_power"), "FAIL", "no list at all");
	return tap_done();
}
