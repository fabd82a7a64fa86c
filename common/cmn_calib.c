/*
 * cmn_calib.c - judges the units check (cmn_calib.h): ratios of what the
 * platform's calls said to what the kernel counted, with the resolution of
 * the platform's CPU unit taken into account.  No I/O, no state, and no
 * libm (the format library carries common/'s objects).
 */
#include <math.h>

#include "cmn_calib.h"

/* |x| */
static double
dabs(double x)
{
	return x < 0 ? -x : x;
}

/* How many whole units of u fit in ns (ns >= 0, u > 0). */
static double
whole(uint64_t ns, double u)
{
	double q = (double)ns / u;

	return q < 9e18 ? (double)(uint64_t)q : q;
}

#define HAS(have, t) (((have) >> (t)) & 1u)

/* ns per CPU unit, or NaN when the unit is not usable. */
static double
unit_ns(uint32_t have, const uint64_t *v)
{
	if (!HAS(have, CMN_CALIB_UNIT_NUM) || !HAS(have, CMN_CALIB_UNIT_DEN) ||
	    v[CMN_CALIB_UNIT_NUM] == 0 || v[CMN_CALIB_UNIT_DEN] == 0)
		return NAN;
	return (double)v[CMN_CALIB_UNIT_NUM] / (double)v[CMN_CALIB_UNIT_DEN];
}

/*
 * One CPU ratio: units (as the backend counted) against the kernel's
 * figure as a backend counting in units of u ns would show it (user and
 * system truncated each); sets *off and *scale.  NaN when nothing to
 * compare.
 */
static double
cpu_ratio(double units, const uint64_t *v, double u, double res, int *off,
    double *scale)
{
	double q = (whole(v[CMN_CALIB_KERNEL_USER_NS], u) +
	    whole(v[CMN_CALIB_KERNEL_SYSTEM_NS], u)) * u;
	double k = (double)v[CMN_CALIB_KERNEL_USER_NS] + (double)v[CMN_CALIB_KERNEL_SYSTEM_NS];
	double ratio;

	*off = 0;
	*scale = 1;
	if (!(q > 0) || !(units >= 0))
		return NAN;
	ratio = units * u / q;
	*off = dabs(ratio - 1) > CMN_CALIB_OFF + res;
	if (*off && units > 0)
		*scale = k / (units * u);
	return ratio;
}

/* Growth from tag b to tag a against the memory touched, NaN when unknown. */
static double
mem_ratio(uint32_t have, const uint64_t *v, int b, int a, int *off)
{
	double r;

	*off = 0;
	if (!HAS(have, b) || !HAS(have, a) || !HAS(have, CMN_CALIB_TOUCHED) ||
	    v[CMN_CALIB_TOUCHED] == 0)
		return NAN;
	r = ((double)v[a] - (double)v[b]) / (double)v[CMN_CALIB_TOUCHED];
	*off = dabs(r - 1) > CMN_CALIB_OFF;
	return r;
}

/* The two CPU ratios into *out (kernel figure k ns > 0, unit u ns). */
static void
judge_cpu(uint32_t have, const uint64_t *v, double u, double k,
    struct cmn_calib_verdict *out)
{
	out->cpu_res = 2 * u / k;
	if (HAS(have, CMN_CALIB_CPU_USER) && HAS(have, CMN_CALIB_CPU_SYSTEM))
		out->cpu = cpu_ratio((double)v[CMN_CALIB_CPU_USER] +
		    (double)v[CMN_CALIB_CPU_SYSTEM], v, u, out->cpu_res,
		    &out->cpu_off, &out->cpu_scale);
	if (HAS(have, CMN_CALIB_PARENT_BEFORE) && HAS(have, CMN_CALIB_PARENT_AFTER) &&
	    v[CMN_CALIB_PARENT_AFTER] >= v[CMN_CALIB_PARENT_BEFORE])
		out->children = cpu_ratio((double)(v[CMN_CALIB_PARENT_AFTER] -
		    v[CMN_CALIB_PARENT_BEFORE]), v, u, out->cpu_res,
		    &out->children_off, &out->children_scale);
}

void
cmn_calib_judge(uint32_t have, const uint64_t v[CMN_CALIB_NTAGS],
    struct cmn_calib_verdict *out)
{
	double u = unit_ns(have, v);
	double k = (double)v[CMN_CALIB_KERNEL_USER_NS] + (double)v[CMN_CALIB_KERNEL_SYSTEM_NS];

	out->cpu = out->children = out->memory = out->footprint = out->cpu_res = NAN;
	out->cpu_off = out->children_off = out->memory_off = out->footprint_off = 0;
	out->cpu_scale = out->children_scale = 1;
	if (HAS(have, CMN_CALIB_KERNEL_USER_NS) && HAS(have, CMN_CALIB_KERNEL_SYSTEM_NS) &&
	    k > 0 && !isnan(u))
		judge_cpu(have, v, u, k, out);
	out->memory = mem_ratio(have, v, CMN_CALIB_RSS_BEFORE, CMN_CALIB_RSS_AFTER,
	    &out->memory_off);
	out->footprint = mem_ratio(have, v, CMN_CALIB_FP_BEFORE, CMN_CALIB_FP_AFTER,
	    &out->footprint_off);
}
