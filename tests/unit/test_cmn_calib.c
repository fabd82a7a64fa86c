/*
 * test_cmn_calib.c - the verdict of the units check (common/cmn_calib.c) on
 * numbers written by hand: a Linux backend in 10 ms ticks (user and system
 * truncated each), a Mac's Mach ticks (125/3 ns), a backend that reports
 * CPU in the wrong unit (ns claimed as Mach ticks: x 125/3) and memory in
 * 16 KiB pages instead of bytes.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmn_calib.h"
#include "tap.h"

static uint64_t v[CMN_CALIB_NTAGS];
static uint32_t have;

static void
set(int tag, uint64_t x)
{
	v[tag] = x;
	have |= 1u << tag;
}

/* A child that used ku + ks ns (wait4), touched 64 MiB, read in num/den units. */
static void
child(uint64_t num, uint64_t den, uint64_t ku, uint64_t ks)
{
	memset(v, 0, sizeof(v));
	have = 0;
	set(CMN_CALIB_TOUCHED, 64u << 20);
	set(CMN_CALIB_UNIT_NUM, num);
	set(CMN_CALIB_UNIT_DEN, den);
	set(CMN_CALIB_KERNEL_USER_NS, ku);
	set(CMN_CALIB_KERNEL_SYSTEM_NS, ks);
}

int
main(void)
{
	struct cmn_calib_verdict o;

	/* Linux: wait4 says 41.436 ms user + 79.106 ms system; /proc counts
	 * 10 ms ticks, 4 + 7 (measured with a zombie on the development VM) */
	child(1000000000, 100, 41436000, 79106000);
	set(CMN_CALIB_CPU_USER, 4);
	set(CMN_CALIB_CPU_SYSTEM, 7);
	set(CMN_CALIB_PARENT_BEFORE, 0);
	set(CMN_CALIB_PARENT_AFTER, 12);	/* the parent's sum rounds up once */
	set(CMN_CALIB_RSS_BEFORE, 610304);
	set(CMN_CALIB_RSS_AFTER, 610304 + (64u << 20) + 8192);
	cmn_calib_judge(have, v, &o);
	CHECK_NEAR(o.cpu, 1.0, 1e-12, "Linux ticks: 11 ticks are the kernel's 120.5 ms truncated per field: 1.00");
	CHECK(!o.cpu_off, "... not off");
	CHECK_NEAR(o.children, 12.0 / 11.0, 1e-12, "children: 12 ticks for 11: 1.09");
	CHECK_NEAR(o.cpu_res, 2 * 1e7 / 120542000.0, 1e-9, "resolution: two 10 ms ticks of 120.5 ms");
	CHECK(!o.children_off, "... within 10% plus the resolution: not off");
	CHECK_NEAR(o.memory, 1 + 8192.0 / (64 << 20), 1e-12, "memory: 64 MiB and 2 pages: 1.0001");
	CHECK(!o.memory_off, "... not off");
	CHECK_NAN(o.footprint, "no footprint on Linux: not judged");
	CHECK_NEAR(o.cpu_scale, 1, 0, "nothing to scale");

	/* a Mac: 100 ms = 2400000 ticks of 125/3 ns; footprint grows 64 MiB */
	child(125, 3, 90000000, 10000000);
	set(CMN_CALIB_CPU_USER, 2160000);
	set(CMN_CALIB_CPU_SYSTEM, 240000);
	set(CMN_CALIB_FP_BEFORE, 1 << 20);
	set(CMN_CALIB_FP_AFTER, (1 << 20) + (64u << 20));
	cmn_calib_judge(have, v, &o);
	CHECK_NEAR(o.cpu, 1.0, 1e-9, "Mach ticks: 2400000 x 125/3 ns = 100 ms: 1.00");
	CHECK_NEAR(o.footprint, 1.0, 1e-12, "footprint grew by the 64 MiB touched");
	CHECK_NAN(o.children, "the parent's children not read: not judged");

	/* the wrong unit: ns reported, Mach ticks claimed (x 125/3) */
	child(125, 3, 90000000, 10000000);
	set(CMN_CALIB_CPU_USER, 90000000);
	set(CMN_CALIB_CPU_SYSTEM, 10000000);
	set(CMN_CALIB_PARENT_BEFORE, 1000);
	set(CMN_CALIB_PARENT_AFTER, 1000 + 100000000);
	set(CMN_CALIB_RSS_BEFORE, 40);		/* pages of 16 KiB, not bytes */
	set(CMN_CALIB_RSS_AFTER, 40 + 4096);
	cmn_calib_judge(have, v, &o);
	CHECK_NEAR(o.cpu, 125.0 / 3, 1e-6, "ns read as Mach ticks: 41.67");
	CHECK(o.cpu_off, "... off");
	CHECK_NEAR(o.cpu_scale, 3.0 / 125, 1e-12, "... scaled by 3/125");
	CHECK(o.children_off, "children: off too");
	CHECK_NEAR(o.children_scale, 3.0 / 125, 1e-12, "... scaled by 3/125");
	CHECK_NEAR(o.memory, 4096.0 / (64 << 20), 1e-15, "pages for bytes: 1/16384");
	CHECK(o.memory_off, "... off");

	/* not measured at all, or nonsense */
	memset(v, 0, sizeof(v));
	cmn_calib_judge(0, v, &o);
	CHECK(isnan(o.cpu) && isnan(o.children) && isnan(o.memory) && isnan(o.footprint),
	    "nothing measured: every ratio NaN");
	CHECK(!o.cpu_off && !o.memory_off && o.cpu_scale == 1, "... nothing off, nothing scaled");
	child(0, 0, 1000000, 0);
	set(CMN_CALIB_CPU_USER, 5);
	set(CMN_CALIB_CPU_SYSTEM, 0);
	cmn_calib_judge(have, v, &o);
	CHECK(isnan(o.cpu) && o.cpu_scale == 1, "a unit of 0/0: not judged");
	child(1, 1, 0, 0);
	set(CMN_CALIB_CPU_USER, 5);
	set(CMN_CALIB_CPU_SYSTEM, 0);
	cmn_calib_judge(have, v, &o);
	CHECK(isnan(o.cpu), "the kernel counted nothing: not judged");
	child(1, 1, UINT64_MAX, UINT64_MAX);
	set(CMN_CALIB_CPU_USER, UINT64_MAX);
	set(CMN_CALIB_CPU_SYSTEM, UINT64_MAX);
	cmn_calib_judge(have, v, &o);
	CHECK(!isnan(o.cpu) && !isinf(o.cpu), "2^64 - 1 everywhere: a finite ratio");
	return tap_done();
}
