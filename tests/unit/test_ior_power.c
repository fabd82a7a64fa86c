/*
 * test_ior_power.c - unit tests of analyze/powermetrics/ior_power.c, the
 * IOReport math, on readings written here whose results were worked out by
 * hand (each expected value's arithmetic is in the comment beside it):
 * energy channels in mJ, uJ and nJ, two CPU dies summed, power over each
 * reading's own elapsed time, GPU active % from state residencies, a
 * stalled counter, a reset, a 64-bit wrap, a missing channel, an idle ANE,
 * an over-long interval, a frozen reading, unknown and spelled-out units.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "powermetrics/ior_power.h"
#include "tap.h"

/* The table: two CPU dies (mJ, uJ), GPU (nJ), ANE (mJ), DRAM (uJ), the GPU
 * states OFF, IDLE, P1, P2, and GPU SRAM (recorded, not summed). */
static const char *const gst[] = { "OFF", "IDLE", "P1", "P2" };
static const struct pmt_ior_channel tab_ch[] = {
	{ PMT_IOR_SIMPLE, 1, "Energy Model", "", "DIE_0_CPU Energy", "mJ", 0, NULL },
	{ PMT_IOR_SIMPLE, 1, "Energy Model", "", "DIE_1_CPU Energy", "uJ", 0, NULL },
	{ PMT_IOR_SIMPLE, 1, "Energy Model", "", "GPU Energy", "nJ", 0, NULL },
	{ PMT_IOR_SIMPLE, 1, "Energy Model", "", "ANE", "mJ", 0, NULL },
	{ PMT_IOR_SIMPLE, 1, "Energy Model", "", "DRAM", "uJ", 0, NULL },
	{ PMT_IOR_STATE, 4, "GPU Stats", "GPU Performance States", "GPUPH", "", 4, gst },
	{ PMT_IOR_SIMPLE, 1, "Energy Model", "", "GPU SRAM", "mJ", 0, NULL },
};
static const struct pmt_ior_table tab = { 7, tab_ch, 10 };

/* Value indices. */
enum { C0, C1, GPU, ANE, DRAM, S_OFF, S_IDLE, S_P1, S_P2, SRAM, NV };

static struct ior_calc calc;		/* large: not on the stack */
static uint64_t v[NV];
static size_t nv = NV;			/* values per reading */

/* Feeds the current values v at t (missing: a channel index or -1). */
static int
feed(double t, int missing, struct ior_interval *out)
{
	uint32_t m = (uint32_t)missing;
	struct pmt_ior_sample s = { 0, nv, v, missing >= 0 ? 1 : 0, &m };

	return ior_calc_reading(&calc, t, &s, out);
}

/* Counts the issues of a kind (and of a channel, unless NULL). */
static size_t
issues(int kind, const char *ch)
{
	size_t n = 0;

	for (size_t i = 0; i < calc.nissues; i++)
		if (calc.issue[i].kind == kind && (ch == NULL ||
		    strcmp(calc.issue[i].channel, ch) == 0))
			n++;
	return n;
}

static void
test_rules(void)
{
	int rest;

	CHECK_NEAR(ior_unit_joules("mJ"), 1e-3, 0, "units: mJ");
	CHECK_NEAR(ior_unit_joules("uJ"), 1e-6, 0, "units: uJ");
	CHECK_NEAR(ior_unit_joules("\xc2\xb5J"), 1e-6, 0, "units: \xc2\xb5J (micro sign)");
	CHECK_NEAR(ior_unit_joules("nJ"), 1e-9, 0, "units: nJ");
	CHECK_NEAR(ior_unit_joules(" mJ  "), 1e-3, 0, "units: blanks around the label ignored");
	CHECK(ior_unit_joules("kJ") == 0 && ior_unit_joules("") == 0 &&
	    ior_unit_joules("J") == 0 && ior_unit_joules("mj") == 0,
	    "units: anything else is unknown (0), never guessed");
	CHECK(ior_domain_of("Energy Model", "", "CPU Energy", &rest) == IOR_CPU &&
	    ior_domain_of("Energy Model", "", "DIE_1_CPU Energy", &rest) == IOR_CPU,
	    "table: CPU Energy and per-die CPU energies count for CPU");
	CHECK(ior_domain_of("Energy Model", "", "ANE0_1", &rest) == IOR_ANE &&
	    ior_domain_of("Energy Model", "", "DRAM1", &rest) == IOR_DRAM &&
	    ior_domain_of("Energy Model", "", "GPU Energy", &rest) == IOR_GPU,
	    "table: ANE*, DRAM*, GPU Energy");
	CHECK(ior_domain_of("Energy Model", "", "GPU SRAM", &rest) == -1 &&
	    ior_domain_of("Energy Model", "", "EACC_CPU", &rest) == -1,
	    "table: GPU SRAM and cluster parts are not summed");
	CHECK(ior_domain_of("GPU Stats", "GPU Performance States", "GPUPH", &rest) ==
	    IOR_GPU_STATES, "table: GPU performance states give GPU active");
	CHECK(ior_state_idle("OFF") && ior_state_idle("IDLE") && ior_state_idle("DOWN") &&
	    !ior_state_idle("P1") && !ior_state_idle("off"), "table: OFF, IDLE, DOWN are idle");
}

static void
test_intervals(void)
{
	struct ior_interval o;
	int rc;

	memset(&calc, 0, sizeof(calc));
	calc.interval_s = 1;
	CHECK(ior_calc_table(&calc, 0, &tab) == 0 && calc.nvalues == NV,
	    "table: 10 values (5 energies, 4 states, GPU SRAM)");
	/* R0 at 10.000 s: the base */
	v[C0] = 1000; v[C1] = 2000000; v[GPU] = 5000000000ull; v[ANE] = 100;
	v[DRAM] = 300000; v[S_OFF] = 1000; v[S_IDLE] = 500; v[SRAM] = 7;
	CHECK(feed(10.000, -1, &o) == 0, "first reading: no interval yet");

	/* R1 at 11.010 s: dt = 1.010 s (its own time, not the requested 1 s) */
	v[C0] += 1515;			/* 1.515 J */
	v[C1] += 505000;		/* 0.505 J */
	v[GPU] += 2020000000;		/* 2.020 J */
	v[ANE] += 1212;			/* 1.212 J */
	v[DRAM] += 101000;		/* 0.101 J */
	v[S_IDLE] += 250; v[S_P1] += 500; v[S_P2] += 250;
	v[SRAM] += 1;
	rc = feed(11.010, -1, &o);
	CHECK(rc == 1 && o.t0 == 10.000 && o.t1 == 11.010, "R1: interval 10.000-11.010 s");
	CHECK_NEAR(o.w[IOR_CPU], 2.0, 1e-9, "R1: CPU (1.515 + 0.505) J / 1.010 s = 2.0 W, two dies summed");
	CHECK_NEAR(o.w[IOR_GPU], 2.0, 1e-9, "R1: GPU 2.020 J / 1.010 s = 2.0 W (nJ)");
	CHECK_NEAR(o.w[IOR_ANE], 1.2, 1e-9, "R1: ANE 1.212 J / 1.010 s = 1.2 W (mJ)");
	CHECK_NEAR(o.w[IOR_DRAM], 0.1, 1e-9, "R1: DRAM 0.101 J / 1.010 s = 0.1 W (uJ)");
	CHECK_NEAR(o.gpu_active_pct, 75, 1e-9, "R1: GPU active (500 + 250) / 1000 = 75 %");

	/* R2 at 12.010 s: DIE_0 stalls while the rest moves; the ANE is idle */
	v[C1] += 300000;
	v[GPU] += 1000000000;		/* 1.0 J */
	v[DRAM] += 50000;		/* 0.05 J */
	v[S_OFF] += 600; v[S_IDLE] += 400;
	rc = feed(12.010, -1, &o);
	CHECK(rc == 1 && isnan(o.w[IOR_CPU]), "R2: a stalled CPU die makes CPU a gap, not 0 W");
	CHECK(issues(IOR_I_STALL, "DIE_0_CPU Energy") == 1, "R2: ... reported as a stall of DIE_0_CPU Energy");
	CHECK_NEAR(o.w[IOR_GPU], 1.0, 1e-9, "R2: GPU 1.0 J / 1.0 s = 1.0 W");
	CHECK_NEAR(o.w[IOR_ANE], 0.0, 0, "R2: an ANE counter standing still is an idle ANE: 0 W");
	CHECK(issues(IOR_I_STALL, "ANE") == 0, "R2: ... not a stall");
	CHECK_NEAR(o.w[IOR_DRAM], 0.05, 1e-9, "R2: DRAM 0.05 J / 1.0 s = 0.05 W");
	CHECK_NEAR(o.gpu_active_pct, 0, 0, "R2: GPU only OFF and IDLE: 0 % active");

	/* R3 at 13.010 s: the GPU counter resets to 10 nJ */
	v[C0] += 1000; v[C1] += 1000000;	/* 1.0 J + 1.0 J */
	v[GPU] = 10;
	v[DRAM] += 100000;
	v[S_P2] += 1000;
	rc = feed(13.010, -1, &o);
	CHECK_NEAR(o.w[IOR_CPU], 2.0, 1e-9, "R3: CPU back: (1.0 + 1.0) J / 1.0 s = 2.0 W");
	CHECK(rc == 1 && isnan(o.w[IOR_GPU]), "R3: a GPU counter that went back is a gap");
	CHECK(issues(IOR_I_BACK, "GPU Energy") == 1, "R3: ... reported as a reset");
	CHECK_NEAR(o.gpu_active_pct, 100, 1e-9, "R3: only P2: 100 % active");

	/* R4 at 14.010 s: DRAM missing from the read */
	v[C0] += 500; v[C1] += 500000;	/* 1.0 J */
	v[GPU] += 500000000;		/* from the reset value: 0.5 J */
	v[ANE] += 1600;			/* 1.6 J */
	v[S_IDLE] += 500; v[S_P1] += 500;
	rc = feed(14.010, DRAM, &o);
	CHECK_NEAR(o.w[IOR_CPU], 1.0, 1e-9, "R4: CPU 1.0 W");
	CHECK_NEAR(o.w[IOR_GPU], 0.5, 1e-9, "R4: GPU counts on from the reset value: 0.5 W");
	CHECK_NEAR(o.w[IOR_ANE], 1.6, 1e-9, "R4: ANE 1.6 J / 1.0 s = 1.6 W");
	CHECK(rc == 1 && isnan(o.w[IOR_DRAM]), "R4: DRAM missing from the read: a gap");
	CHECK_NEAR(o.gpu_active_pct, 50, 1e-9, "R4: 500 of 1000 active: 50 %");

	/* R5 at 15.010 s: DRAM is back but has no base yet */
	v[C0] += 1000; v[C1] += 1000000; v[GPU] += 1000000000; v[DRAM] += 200000;
	v[S_IDLE] += 1000;
	rc = feed(15.010, -1, &o);
	CHECK(rc == 1 && isnan(o.w[IOR_DRAM]), "R5: DRAM's first interval after a missing read is a gap");
	CHECK_NEAR(o.w[IOR_CPU], 2.0, 1e-9, "R5: CPU 2.0 W");
	CHECK(issues(IOR_I_MISSING, "DRAM") == 1, "R4-R5: the missing DRAM is reported once");

	/* R6 at 20.010 s: 5 s since the last reading, over 3 intervals: a gap */
	v[C0] += 5000; v[C1] += 5000000; v[GPU] += 1; v[DRAM] += 500000; v[S_IDLE] += 5000;
	rc = feed(20.010, -1, &o);
	CHECK(rc == 1 && isnan(o.w[IOR_CPU]) && isnan(o.w[IOR_GPU]) && isnan(o.gpu_active_pct),
	    "R6: an interval of 5 s (> 3 x 1 s) is a gap in every domain");
	CHECK(issues(IOR_I_LONG, NULL) == 1, "R6: ... reported");

	/* R7 at 21.010 s normal; R8 at 22.010 s repeats R7 exactly */
	v[C0] += 1000; v[C1] += 1000000; v[GPU] += 1000000000; v[DRAM] += 100000;
	v[S_P1] += 1000;
	feed(21.010, -1, &o);
	CHECK_NEAR(o.w[IOR_DRAM], 0.1, 1e-9, "R7: DRAM 0.1 W again");
	rc = feed(22.010, -1, &o);
	CHECK(rc == 1 && isnan(o.w[IOR_CPU]) && isnan(o.w[IOR_ANE]) && isnan(o.w[IOR_DRAM]),
	    "R8: a reading identical to the previous: every domain a gap (not 0 W)");
	CHECK(issues(IOR_I_FROZEN, NULL) == 1, "R8: ... reported as a frozen reading");

	/* R9 at 23.010 s: GPU busy (P1) but its energy counter stands still */
	v[C0] += 1000; v[C1] += 1000000; v[DRAM] += 100000; v[S_P1] += 1000;
	rc = feed(23.010, -1, &o);
	CHECK(rc == 1 && isnan(o.w[IOR_GPU]), "R9: GPU energy still while the GPU states are busy: a gap");
	CHECK(issues(IOR_I_STALL, "GPU Energy") == 1, "R9: ... reported as a stall");
	CHECK_NEAR(o.gpu_active_pct, 100, 1e-9, "R9: GPU active 100 %");

	/* R10 at 23.110 s: 0.1 s; DIE_0 (mJ) still: at 5 mW it would move
	 * 0.5 count, so not a stall; DIE_1 (uJ) moved 100 uJ */
	v[C1] += 100; v[GPU] += 1000; v[DRAM] += 10; v[S_IDLE] += 100;
	rc = feed(23.110, -1, &o);
	CHECK_NEAR(o.w[IOR_CPU], 0.001, 1e-12, "R10: short interval, coarse counter still: (0 + 100e-6) J / 0.1 s = 1 mW");
	CHECK(issues(IOR_I_STALL, "DIE_0_CPU Energy") == 1, "R10: ... and no new stall");
	ior_calc_free(&calc);
}

static void
test_wrap_and_units(void)
{
	static const struct pmt_ior_channel ch[] = {
		{ PMT_IOR_SIMPLE, 1, "Energy Model", "", "CPU Energy", "kJ", 0, NULL },
		{ PMT_IOR_SIMPLE, 1, "Energy Model", "", "ANE", "\xc2\xb5J", 0, NULL },
		{ PMT_IOR_SIMPLE, 1, "Energy Model", "", "DRAM", "mJ ", 0, NULL },
	};
	const struct pmt_ior_table t = { 3, ch, 3 };
	struct ior_interval o;
	char line[256];

	memset(&calc, 0, sizeof(calc));
	ior_calc_table(&calc, 0, &t);
	nv = 3;
	CHECK(issues(IOR_I_UNIT, "CPU Energy") == 1 && strcmp(calc.issue[0].detail, "kJ") == 0,
	    "units: kJ is reported as unknown");
	ior_issue_text(&calc.issue[0], line, sizeof(line));
	printf("#   %s\n", line);
	/* the DRAM counter is 500 mJ short of 2^64 and wraps past it */
	v[0] = 5; v[1] = 1000; v[2] = UINT64_MAX - 499;
	feed(1.0, -1, &o);
	v[0] = 6; v[1] = 1000 + 300000; v[2] = 500;	/* 1000 mJ later */
	feed(3.0, -1, &o);
	CHECK(isnan(o.w[IOR_CPU]), "units: the kJ channel's domain has no power");
	CHECK_NEAR(o.w[IOR_ANE], 0.15, 1e-12, "units: ANE 300000 \xc2\xb5J / 2 s = 0.15 W");
	CHECK_NEAR(o.w[IOR_DRAM], 0.5, 1e-12, "wrap: past 2^64, (500 + 500) mJ / 2 s = 0.5 W");
	CHECK(issues(IOR_I_BACK, NULL) == 0, "wrap: a 64-bit wrap is not a reset");
	v[2] = 400;
	CHECK(feed(3.5, -1, &o) == 1 && isnan(o.w[IOR_DRAM]) && issues(IOR_I_BACK, "DRAM") == 1,
	    "wrap: but 100 mJ back is a reset");
	nv = 9;
	CHECK(feed(4.0, -1, &o) == 0 && issues(IOR_I_SHAPE, NULL) == 1,
	    "shape: a reading with more values than the table is skipped and reported");
	ior_calc_free(&calc);
}

int
main(void)
{
	test_rules();
	test_intervals();
	test_wrap_and_units();
	return tap_done();
}
