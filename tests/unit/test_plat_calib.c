/*
 * test_plat_calib.c - the units check (record/rec_calib.c) on this
 * machine's real platform backend: a child that touches 64 MiB and burns
 * CPU, read through platform_sample_proc and counted by the kernel.  The
 * expected values come from the child's own accounting (its CPU clock, its
 * wait4) and from the 64 MiB it touched, not from the backend.  Under ASan
 * too: the resident growth must be the workload's own 64 MiB.
 */
#include <stdio.h>
#include <string.h>

#include "cmn_calib.h"
#include "platform.h"
#include "rec_calib.h"
#include "tap.h"

int
main(void)
{
	struct plat_info info;
	struct rec_calib c;
	const struct cmn_calib_verdict *v = &c.verdict;
	const uint64_t *x = c.c.v;
	uint64_t k;

	if (!CHECK(platform_init(&info) == 0, "platform_init"))
		return tap_done();
	CHECK_I64(rec_calib_run(&c, &info, REC_CALIB_BURN_MS, REC_CALIB_BYTES), 0,
	    "the check runs");
	if (c.note[0] != '\0')
		printf("# note: %s\n", c.note);
	CHECK_STR(c.note, "", "nothing missing");
	k = x[PMT_C_KERNEL_USER_NS] + x[PMT_C_KERNEL_SYSTEM_NS];
	printf("# kernel %llu ns, child's own clock %llu ns; rss %llu -> %llu\n",
	    (unsigned long long)k, (unsigned long long)x[PMT_C_SELF_CPU_NS],
	    (unsigned long long)x[PMT_C_RSS_BEFORE], (unsigned long long)x[PMT_C_RSS_AFTER]);
	CHECK(k >= REC_CALIB_BURN_MS * 1000000ull, "the kernel counted at least the CPU burnt");
	CHECK(x[PMT_C_SELF_CPU_NS] >= REC_CALIB_BURN_MS * 1000000ull &&
	    x[PMT_C_SELF_CPU_NS] <= k, "its own clock: at least what it burnt, at most "
	    "what the kernel counted in the end");
	CHECK_U64(x[PMT_C_TOUCHED], 64u << 20, "64 MiB touched");
	CHECK_NEAR((double)(x[PMT_C_RSS_AFTER] - x[PMT_C_RSS_BEFORE]) / (1 << 20), 64,
	    64 * 0.05, "resident growth: the 64 MiB touched (+-5%), under ASan too");
	printf("# CPU %.4f, children's CPU %.4f, memory %.4f, resolution %.3f\n",
	    v->cpu, v->children, v->memory, v->cpu_res);
	CHECK(!v->cpu_off && !v->children_off && !v->memory_off,
	    "this platform's units: CPU, children's CPU, memory right (the verdict filled in)");
	CHECK_NEAR(v->cpu, 1, v->cpu_res, "CPU 1.00 within two units of its resolution");
	CHECK_NEAR(v->memory, (double)(x[PMT_C_RSS_AFTER] - x[PMT_C_RSS_BEFORE]) /
	    (double)(64u << 20), 1e-12, "the verdict's memory ratio: growth / 64 MiB");
	return tap_done();
}
