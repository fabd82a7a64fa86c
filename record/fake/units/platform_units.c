/*
 * platform_units.c - a platform backend that gets its units wrong on
 * purpose, for the test of the units check (tests/t2250): it wraps this
 * machine's real backend (compiled with platform_init and
 * platform_sample_proc renamed real_*, see the Makefile) and says CPU times
 * are Mach ticks of 125/3 ns while it gives nanoseconds, so every CPU time
 * reads 125/3 times too long, and gives resident memory in pages instead of
 * bytes.  A process's own CPU comes from its CPU clock (clock_getcpuclockid,
 * ns, zombies too) where the system has one (POSIX CPT: Linux; not macOS,
 * whose backend counts in Mach ticks, fine enough), so the wrong unit is
 * all that is wrong; like the macOS backend it reports no separate ns CPU
 * time (plat_proc.cpu_ns), so the analyzer counts CPU from the wrong unit
 * alone.  For tests only: never a recorder to use.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "platform.h"

int real_platform_init(struct plat_info *info);
int real_platform_sample_proc(int32_t pid, unsigned want, struct plat_proc *p);

static uint64_t unit_num = 1, unit_den = 1;	/* the real backend's CPU unit */
static uint64_t page = 4096;			/* its page size */

int
platform_init(struct plat_info *info)
{
	int rc = real_platform_init(info);

	if (rc != 0)
		return rc;
	unit_num = info->cpu_time_num;
	unit_den = info->cpu_time_den ? info->cpu_time_den : 1;
	page = info->page_size ? info->page_size : 4096;
	info->cpu_time_num = 125;		/* claimed: Mach ticks */
	info->cpu_time_den = 3;
	snprintf(info->platform, sizeof(info->platform), "fake-units");
	return 0;
}

/* pid's CPU time in ns from its CPU clock, or 0 when there is none. */
static uint64_t
cpu_clock_ns(int32_t pid)
{
#if defined(_POSIX_CPUTIME) && _POSIX_CPUTIME >= 0
	struct timespec ts;
	clockid_t clk;

	if (clock_getcpuclockid((pid_t)pid, &clk) != 0 ||
	    clock_gettime(clk, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
#else
	(void)pid;
	return 0;
#endif
}

int
platform_sample_proc(int32_t pid, unsigned want, struct plat_proc *p)
{
	int rc = real_platform_sample_proc(pid, want, p);
	uint64_t ns;

	if (rc != 0)
		return rc;
	if (p->have & PLAT_HAVE_CPU) {
		if ((ns = cpu_clock_ns(pid)) > 0) {
			p->user = ns;		/* ns, where ticks are claimed */
			p->system = 0;
		} else {
			p->user = p->user * unit_num / unit_den;
			p->system = p->system * unit_num / unit_den;
		}
	}
	p->have &= ~(uint32_t)PLAT_HAVE_CPU_NS;	/* no finer clock: as on macOS */
	p->child_user = p->child_user * unit_num / unit_den;
	p->child_system = p->child_system * unit_num / unit_den;
	p->rss /= page;				/* pages, where bytes are claimed */
	p->pss /= page;
	return 0;
}
