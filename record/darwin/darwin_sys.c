/*
 * darwin_sys.c - macOS backend: swap, memory and per-core ticks (every
 * sample) and the default powermetrics command.  Machine facts are
 * darwin_init.c's.
 */
#include "platform.h"
#include "darwin.h"

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


/* ---- system-wide counters ---- */

/*
 * Free + inactive pages in bytes (psutil's "available" on macOS; vm_stat's
 * "Pages free" + "Pages speculative" + "Pages inactive"), 0 on failure.  Not
 * Activity Monitor's figure, which also counts purgeable and file cache.
 */
static uint64_t
darwin_ram_available(void)
{
	vm_statistics64_data_t vm;
	mach_msg_type_number_t n = HOST_VM_INFO64_COUNT;

	if (darwin.host == MACH_PORT_NULL ||
	    host_statistics64(darwin.host, HOST_VM_INFO64, (host_info64_t)&vm,
	    &n) != KERN_SUCCESS)
		return 0;
	return ((uint64_t)vm.free_count + vm.inactive_count) * darwin.page_size;
}

/*
 * Per-core cumulative ticks (100 Hz) in the order of core_tick_states.
 * Sets s->ncpu and s->nstates; returns 0, -ENOSPC when s->ticks holds fewer
 * than ncpu * 4 values (nothing stored), or -EIO.
 */
static int
darwin_read_ticks(struct plat_sys *s)
{
	static const int col[4] = {
		CPU_STATE_USER, CPU_STATE_SYSTEM, CPU_STATE_IDLE, CPU_STATE_NICE
	};
	processor_info_array_t info = NULL;
	mach_msg_type_number_t cnt = 0;
	natural_t ncpu = 0, i, k;
	int r = 0;

	if (host_processor_info(darwin.host, PROCESSOR_CPU_LOAD_INFO, &ncpu,
	    &info, &cnt) != KERN_SUCCESS)
		return -EIO;
	s->ncpu = ncpu;
	s->nstates = 4;
	if (cnt < (uint64_t)ncpu * CPU_STATE_MAX)
		r = -EIO;
	else if (s->ticks == NULL || s->ticks_cap / 4 < ncpu)
		r = -ENOSPC;
	else
		for (i = 0; i < ncpu; i++)
			for (k = 0; k < 4; k++)
				s->ticks[i * 4 + k] = (uint32_t)
				    info[i * CPU_STATE_MAX + col[k]];
	vm_deallocate(mach_task_self(), (vm_address_t)info,
	    (vm_size_t)cnt * sizeof(*info));
	return r;
}

/* Swap, memory and per-core ticks (contract in platform.h). */
int
platform_sample_system(struct plat_sys *s)
{
	struct xsw_usage xsw;
	size_t sz = sizeof(xsw);
	int r = 0, t;

	if (s == NULL)
		return -EINVAL;
	if (darwin.host == MACH_PORT_NULL)
		return -EINVAL;		/* platform_init() first */
	s->swap_used = s->swap_total = 0;
	errno = 0;
	if (sysctlbyname("vm.swapusage", &xsw, &sz, NULL, 0) == 0 &&
	    sz == sizeof(xsw)) {
		s->swap_used = xsw.xsu_used;
		s->swap_total = xsw.xsu_total;
	} else {
		r = (errno != 0) ? -errno : -EIO;
	}
	s->ram_total = darwin.ram_bytes;
	s->ram_available = darwin_ram_available();
	t = darwin_read_ticks(s);
	return t != 0 ? t : r;
}


/* ---- powermetrics ---- */

/*
 * The samplers for CPU, GPU and ANE power and per-core residency.  macOS 13
 * (Ventura) added an "ane_power" sampler (and removed "bandwidth"); naming a
 * sampler powermetrics does not know makes it exit ("unrecognized sampler",
 * tlkh/asitop issues #41 and #43, 2022).  Before 13 the ANE figure comes in
 * the cpu_power sampler's output (asitop reads processor/ane_energy with
 * --samplers cpu_power,gpu_power,thermal).  Intel Macs have no ANE.  When
 * the version cannot be read on Apple silicon we assume 13 or later (every
 * macOS this binary runs on, given its deployment target).
 */
static const char *
darwin_pm_samplers(void)
{
	int64_t arm = 0;
	int major = darwin_os_major();

	if (darwin_sysctl_i64("hw.optional.arm64", &arm) != 0 || arm != 1)
		return "cpu_power,gpu_power";
	if (major != 0 && major < 13)
		return "cpu_power,gpu_power";
	return "cpu_power,gpu_power,ane_power";
}

/*
 * The default powermetrics command line (contract in platform.h).  By its
 * absolute path, /usr/bin/powermetrics (where macOS installs it: macmon
 * research/powermetrics/trace.sh copies it from there): it runs as root, so
 * a user-writable directory early in PATH must not supply it.
 */
int
platform_pm_command(unsigned interval_ms, char *buf, size_t len)
{
	int n;

	if (buf == NULL || len == 0 || interval_ms == 0)
		return -EINVAL;
	n = snprintf(buf, len, "/usr/bin/powermetrics -i %u -f plist --samplers %s",
	    interval_ms, darwin_pm_samplers());
	if (n < 0 || (size_t)n >= len) {
		buf[0] = '\0';
		return -ENAMETOOLONG;
	}
	return 0;
}
