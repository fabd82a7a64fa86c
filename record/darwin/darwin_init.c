/*
 * darwin_init.c - macOS backend: machine facts, timebase and the rusage
 * flavour (once, platform_init), the clock, and releasing the backend.
 * Per-sample work is in darwin_tree.c, darwin_proc.c, darwin_sys.c and
 * darwin_gpu.c.
 */
#include "platform.h"
#include "darwin.h"
#include "rec_osver.h"

#include <errno.h>
#include <libproc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <mach/mach.h>
#include <mach/mach_time.h>
#include <mach/processor_info.h>
#include <sys/proc_info.h>
#include <sys/resource.h>
#include <sys/sysctl.h>


struct darwin_state darwin = { 0, MACH_PORT_NULL, 0, 0, 1, 1, -1, 0, 0 };


/* ---- sysctl helpers ---- */

/* String sysctl into buf (contract in darwin.h). */
int
darwin_sysctl_str(const char *name, char *buf, size_t len)
{
	size_t sz = len;

	if (buf == NULL || len == 0)
		return -EINVAL;
	if (sysctlbyname(name, buf, &sz, NULL, 0) != 0) {
		buf[0] = '\0';
		return -errno;
	}
	buf[sz < len ? sz : len - 1] = '\0';
	return 0;
}

/* Integer sysctl of 4 or 8 bytes (contract in darwin.h). */
int
darwin_sysctl_i64(const char *name, int64_t *v)
{
	union { int32_t i32; int64_t i64; } u;
	size_t sz = sizeof(u);

	*v = 0;
	u.i64 = 0;
	if (sysctlbyname(name, &u, &sz, NULL, 0) != 0)
		return -errno;
	if (sz == sizeof(int32_t))
		*v = u.i32;
	else if (sz == sizeof(int64_t))
		*v = u.i64;
	else
		return -EIO;
	return 0;
}

/* macOS major version from kern.osproductversion (contract in darwin.h). */
int
darwin_os_major(void)
{
	char raw[48], rel[48], v[64];

	if (darwin_sysctl_str("kern.osproductversion", raw, sizeof(raw)) != 0)
		raw[0] = '\0';
	if (darwin_sysctl_str("kern.osrelease", rel, sizeof(rel)) != 0)
		rel[0] = '\0';
	rec_osver_true(raw, rel, v, sizeof(v));
	return (int)strtol(v, NULL, 10);
}


/* ---- platform_init pieces ---- */

/* Greatest common divisor, for reducing the timebase fraction. */
static uint64_t
darwin_gcd(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/*
 * Sets darwin.tb_num/tb_den so that Mach ticks * num / den = ns.  Native:
 * mach_timebase_info (125/3 on Apple silicon, 24 MHz; 1/1 on Intel).  Under
 * Rosetta 2 that call describes the translated clock (1/1) while the kernel
 * still counts task times in native ticks (htop's workaround for the same
 * problem: darwin/PlatformHelpers.c); there we derive the ratio from
 * hw.tbfrequency, or fall back to 125/3.  Returns 0 or -EIO.
 */
static int
darwin_init_timebase(void)
{
	mach_timebase_info_data_t tb;
	int64_t translated = 0, hz = 0;
	uint64_t g;

	if (mach_timebase_info(&tb) != KERN_SUCCESS || tb.numer == 0 ||
	    tb.denom == 0)
		return -EIO;
	darwin.tb_num = tb.numer;
	darwin.tb_den = tb.denom;
	if (darwin_sysctl_i64("sysctl.proc_translated", &translated) != 0 ||
	    translated != 1)
		return 0;
	if (darwin_sysctl_i64("hw.tbfrequency", &hz) == 0 && hz > 0) {
		darwin.tb_num = 1000000000u;
		darwin.tb_den = (uint64_t)hz;
	} else {
		darwin.tb_num = 125;
		darwin.tb_den = 3;
	}
	g = darwin_gcd(darwin.tb_num, darwin.tb_den);
	darwin.tb_num /= g;
	darwin.tb_den /= g;
	return 0;
}

/*
 * Appends "name:cores" of perflevel l to info->core_levels.  The names come
 * from hw.perflevelN.name (XNU bsd/kern/kern_mib.c HW_PERFLEVEL_NAME, from
 * xnu-8796 = macOS 13; osfmk/arm/machine_routines_common.c names
 * "Performance", "Efficiency", "Standard"); macmon src_lib/sources.rs
 * notes that on the newest chips level 0 is not "Performance" and there may
 * be no efficiency level.  Returns 0, or -1 when the name is not there.
 */
static int
darwin_level_add(struct plat_info *info, int l, int64_t cores)
{
	char key[64], nm[64];
	size_t n = strlen(info->core_levels);

	snprintf(key, sizeof(key), "hw.perflevel%d.name", l);
	if (darwin_sysctl_str(key, nm, sizeof(nm)) != 0 || nm[0] == '\0' ||
	    strpbrk(nm, ":,") != NULL)
		return -1;
	snprintf(info->core_levels + n, sizeof(info->core_levels) - n, "%s%s:%lld",
	    n > 0 ? "," : "", nm, (long long)cores);
	return 0;
}

/*
 * Cores per level.  Apple silicon: hw.perflevel0 is the highest performance
 * level (kern_mib.c: "Perflevel 0 corresponds to the highest performance
 * one"), the others lower ones; cores_p counts level 0, cores_e the rest,
 * and core_levels keeps every level by the name the kernel gives it (""
 * when a name is missing: before macOS 13).  Intel: no hw.perflevelN (or
 * only level 0 on newer macOS): every core is a P core, cores_e = 0.
 */
static void
darwin_init_cores(struct plat_info *info)
{
	int64_t v = 0, levels = 0;
	char name[64];
	int l, named = 1;

	info->cores_p = info->cores_e = info->cpus_logical = -1;
	info->core_levels[0] = '\0';
	if (darwin_sysctl_i64("hw.perflevel0.physicalcpu", &v) == 0) {
		info->cores_p = (int32_t)v;
		info->cores_e = 0;
		named = darwin_level_add(info, 0, v) == 0;
		if (darwin_sysctl_i64("hw.nperflevels", &levels) != 0)
			levels = 2;
		for (l = 1; l < levels && l < 8; l++) {
			snprintf(name, sizeof(name),
			    "hw.perflevel%d.physicalcpu", l);
			if (darwin_sysctl_i64(name, &v) != 0)
				continue;
			info->cores_e += (int32_t)v;
			named = named && darwin_level_add(info, l, v) == 0;
		}
	} else if (darwin_sysctl_i64("hw.physicalcpu", &v) == 0) {
		info->cores_p = (int32_t)v;
		info->cores_e = 0;
	}
	if (!named)
		info->core_levels[0] = '\0';	/* all levels by name, or none */
	if (darwin_sysctl_i64("hw.logicalcpu", &v) == 0 ||
	    darwin_sysctl_i64("hw.ncpu", &v) == 0)
		info->cpus_logical = (int32_t)v;
}

/*
 * Neural Engine cores by chip name, from Apple's published specifications:
 * 16 for M1-M4 and their Pro and Max; 32 for an Ultra (two dies: M1 Ultra,
 * M2 Ultra, M3 Ultra).  -1 for anything else (Intel, newer chips, Rosetta's
 * "VirtualApple" brand string).
 */
static int32_t
darwin_ane_cores(const char *chip)
{
	const char *rest;

	if (strncmp(chip, "Apple M", 7) != 0 || chip[7] < '1' || chip[7] > '4')
		return -1;
	rest = chip + 8;
	if (rest[0] == '\0' || strcmp(rest, " Pro") == 0 ||
	    strcmp(rest, " Max") == 0)
		return 16;
	if (strcmp(rest, " Ultra") == 0)
		return 32;
	return -1;
}

/* RAM size, kernel page size, Apple silicon or not. */
static void
darwin_init_memory(void)
{
	vm_size_t ps = 0;
	int64_t v = 0;

	darwin.ram_bytes = 0;
	if (darwin_sysctl_i64("hw.memsize", &v) == 0 && v > 0)
		darwin.ram_bytes = (uint64_t)v;
	darwin.page_size = (uint64_t)getpagesize();
	if (host_page_size(darwin.host, &ps) == KERN_SUCCESS && ps > 0)
		darwin.page_size = ps;
	darwin.arm64 = darwin_sysctl_i64("hw.optional.arm64", &v) == 0 &&
	    v == 1;
}

/*
 * Checks that this process's own CPU time reads the same through
 * PROC_PIDTASKINFO and proc_pid_rusage (ri has just been read with the
 * working flavour).  Both are Mach ticks in XNU: pti_total_user is
 * recount_task_times().rtm_user (osfmk/kern/bsd_kern.c, fill_taskprocinfo),
 * ri_user_time is task_power_info's total_user, also rm_time_mach
 * (fill_task_rusage), and ri_child_user_time/ri_child_system_time are sums
 * of exited children's ri_user_time/ri_system_time (update_rusage_info_child,
 * bsd/kern/kern_resource.c).  So own and child times share one unit and
 * need no conversion.  Should a kernel ever report the rusage times in ns,
 * they would be num/den (41.7 on Apple silicon) times larger than the
 * ticks: then darwin.child_ns makes darwin_proc.c convert child times back
 * to ticks.  Where a tick is (nearly) a ns the two cannot be told apart and
 * nothing needs converting.
 */
static void
darwin_check_child_unit(const struct rusage_info_v6 *ri)
{
	struct proc_taskinfo ti;
	uint64_t t, r;

	darwin.child_ns = 0;
	if (darwin.tb_num < 16 * darwin.tb_den)
		return;
	if (proc_pidinfo(getpid(), PROC_PIDTASKINFO, 0, &ti, sizeof(ti)) !=
	    (int)sizeof(ti))
		return;
	t = ti.pti_total_user + ti.pti_total_system;
	r = ri->ri_user_time + ri->ri_system_time;
	if (t > 0 && r / 8 > t)
		darwin.child_ns = 1;
}

/*
 * Finds the newest proc_pid_rusage flavour the running kernel accepts
 * (an unknown flavour fails with EINVAL), trying this process.  V6 is the
 * newest in the 13.3 SDK and the only one with ri_energy_nj; V2 is the
 * oldest with disk I/O and child times.
 */
static void
darwin_probe_rusage(void)
{
	static const int flavors[] = {
		RUSAGE_INFO_V6, RUSAGE_INFO_V5, RUSAGE_INFO_V4, RUSAGE_INFO_V3,
		RUSAGE_INFO_V2,
	};
	struct rusage_info_v6 ri;
	size_t i;

	darwin.rusage_flavor = -1;
	for (i = 0; i < sizeof(flavors) / sizeof(flavors[0]); i++) {
		memset(&ri, 0, sizeof(ri));
		if (proc_pid_rusage(getpid(), flavors[i], (rusage_info_t *)&ri)
		    == 0) {
			darwin.rusage_flavor = flavors[i];
			darwin_check_child_unit(&ri);
			return;
		}
	}
}

/*
 * The OS version, raw and true.  kern.osproductversion answers with the
 * version in SystemVersionCompat.plist when this task runs in system
 * version compatibility mode (XNU bsd/kern/kern_sysctl.c,
 * sysctl_osproductversion: task_has_system_version_compat_enabled), which
 * macOS 26 turns on for programs built with an older SDK: 16.x for 26.x
 * (cpython #135675).  kern.system_version_compat reads that flag for this
 * task (same file); kern.osrelease, the Darwin version, is never
 * translated.  The true version: rec_osver_true().
 */
static void
darwin_init_version(struct plat_info *info)
{
	int64_t compat = -1;

	darwin_sysctl_str("kern.osproductversion", info->os_version_raw,
	    sizeof(info->os_version_raw));
	darwin_sysctl_str("kern.osrelease", info->os_release,
	    sizeof(info->os_release));
	if (darwin_sysctl_i64("kern.system_version_compat", &compat) != 0)
		compat = -1;
	info->os_compat = compat < 0 ? -1 : compat != 0;
	rec_osver_true(info->os_version_raw, info->os_release, info->os_version,
	    sizeof(info->os_version));
}

/* Host name, OS and chip strings. */
static void
darwin_init_strings(struct plat_info *info)
{
	snprintf(info->platform, sizeof(info->platform), "darwin");
	snprintf(info->os_name, sizeof(info->os_name), "macOS");
	darwin_init_version(info);
	darwin_sysctl_str("kern.osversion", info->os_build,
	    sizeof(info->os_build));
	darwin_sysctl_str("machdep.cpu.brand_string", info->chip,
	    sizeof(info->chip));
	darwin_sysctl_str("hw.model", info->model, sizeof(info->model));
	if (gethostname(info->host, sizeof(info->host)) != 0)
		info->host[0] = '\0';
	info->host[sizeof(info->host) - 1] = '\0';
}

/* Reads the machine's static facts (contract in platform.h). */
int
platform_init(struct plat_info *info)
{
	int r;

	if (info == NULL)
		return -EINVAL;
	if (darwin.inited)
		platform_fini();
	memset(info, 0, sizeof(*info));
	darwin.host = mach_host_self();
	if ((r = darwin_init_timebase()) != 0)
		goto fail;
	darwin_init_strings(info);
	darwin_init_cores(info);
	darwin_init_memory();
	darwin_probe_rusage();
	info->ram_bytes = darwin.ram_bytes;
	info->page_size = darwin.page_size;
	info->cpu_time_num = darwin.tb_num;
	info->cpu_time_den = darwin.tb_den;
	/* PROCESSOR_CPU_LOAD_INFO ticks are 10 ms: XNU divides CPU time by
	 * hz_tick_interval = NSEC_PER_SEC / 100 (osfmk/kern/clock.c,
	 * processor.c).  They are 32-bit and wrap (~497 days of one state). */
	info->core_tick_hz = 100;
	snprintf(info->core_tick_states, sizeof(info->core_tick_states),
	    "user,system,idle,nice");
	info->costly_min_ms = 0;	/* nothing costly to read on macOS */
	/* a reaped child's rusage_info goes to its parent's ri_child_* (CPU,
	 * wakeups, pageins, elapsed), never its disk bytes: XNU
	 * bsd/kern/kern_resource.c, update_rusage_info_child */
	info->io_children = 0;
	info->gpu_cores = darwin_gpu_init();
	info->ane_cores = darwin_ane_cores(info->chip);
	snprintf(info->ane_cores_source, sizeof(info->ane_cores_source), "%s",
	    info->ane_cores >= 0 ? "table (by chip name)" : "unknown");
	darwin.inited = 1;
	return 0;
fail:
	mach_port_deallocate(mach_task_self(), darwin.host);
	darwin.host = MACH_PORT_NULL;
	return r;
}

/* Releases the host port and the GPU services (contract in platform.h). */
void
platform_fini(void)
{
	darwin_gpu_fini();
	if (darwin.host != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), darwin.host);
	darwin.host = MACH_PORT_NULL;
	darwin.inited = 0;
}

/*
 * CLOCK_MONOTONIC_RAW is mach_continuous_time in ns: it keeps counting
 * while the machine sleeps and is not stepped or slewed.  (macOS's
 * CLOCK_MONOTONIC also counts sleep but is derived from the wall clock
 * minus boot time, in microseconds; CLOCK_UPTIME_RAW stops during sleep.
 * Sources: clock_gettime(3) on macOS; Apple's mach_continuous_time docs.)
 */
uint64_t
platform_now_ns(void)
{
	return clock_gettime_nsec_np(CLOCK_MONOTONIC_RAW);
}

/*
 * What macOS has (contract in platform.h): everything; the GPU clients,
 * GPU cores and Neural Engine only on Apple silicon (AGXAccelerator, the
 * ANE), where darwin.arm64 says so.
 */
unsigned
platform_features(void)
{
	unsigned f = PLAT_F_FOOTPRINT | PLAT_F_CORE_LEVELS | PLAT_F_RESPONSIBLE |
	    PLAT_F_CPU_ENERGY;

	if (darwin.arm64)
		f |= PLAT_F_GPU_CLIENTS | PLAT_F_GPU_CORES | PLAT_F_ANE_CORES;
	return f;
}
