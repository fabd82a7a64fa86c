/*
 * linux_init.c - the static facts of a Linux machine (platform_init), the
 * clock, and releasing the backend (platform_fini).  It reads /proc/cpuinfo
 * and sysfs once, at init; it samples nothing.
 */
#include "linux.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>


enum {
	LINUX_CPU_MAX = 8192		/* CPUs the topology code looks at */
};

/* A set of CPU numbers, read from a sysfs cpulist such as "0-3,8-11". */
struct linux_cpuset {
	unsigned char bit[LINUX_CPU_MAX / 8];	/* bit n set: CPU n in the set */
};

/* ------------------------------------------------------------ strings */

/* Copies s into dst, without leading and trailing white space. */
static void
linux_copy_trim(char *dst, size_t cap, const char *s)
{
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == ' ' ||
	    s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	linux_copy(dst, cap, s, len);
}

/*
 * Reads the first line of a small text file (sysfs) into dst, trimmed.
 * Returns 0, or -errno (dst is then "").
 */
static int
linux_read_line(const char *path, char *dst, size_t cap)
{
	char buf[512];
	int n = linux_read_path(AT_FDCWD, path, buf, sizeof buf);

	dst[0] = '\0';
	if (n < 0)
		return n;
	buf[strcspn(buf, "\n")] = '\0';
	linux_copy_trim(dst, cap, buf);
	return 0;
}

/* ---------------------------------------------------------- cpuinfo */

/*
 * Fills info->chip from /proc/cpuinfo: the first "model name" (x86, most
 * arm64 kernels), else "Hardware" (32-bit arm, at the end of the file), else
 * the arm "CPU implementer"/"CPU part" codes.  Leaves "" when none is there.
 */
static void
linux_read_chip(struct plat_info *info)
{
	char model[PLAT_STR_MAX] = "", hw[PLAT_STR_MAX] = "";
	char impl[32] = "", part[32] = "";
	char *line = NULL, *colon;
	size_t cap = 0;
	FILE *f = fopen("/proc/cpuinfo", "re");

	if (f == NULL)
		return;
	while (getline(&line, &cap, f) > 0) {
		if ((colon = strchr(line, ':')) == NULL)
			continue;
		*colon = '\0';
		if (strncmp(line, "model name", 10) == 0 && model[0] == '\0')
			linux_copy_trim(model, sizeof model, colon + 1);
		else if (strncmp(line, "Hardware", 8) == 0 && hw[0] == '\0')
			linux_copy_trim(hw, sizeof hw, colon + 1);
		else if (strncmp(line, "CPU implementer", 15) == 0 &&
		    impl[0] == '\0')
			linux_copy_trim(impl, sizeof impl, colon + 1);
		else if (strncmp(line, "CPU part", 8) == 0 && part[0] == '\0')
			linux_copy_trim(part, sizeof part, colon + 1);
	}
	free(line);
	fclose(f);
	if (model[0] != '\0')
		linux_copy(info->chip, sizeof info->chip, model, strlen(model));
	else if (hw[0] != '\0')
		linux_copy(info->chip, sizeof info->chip, hw, strlen(hw));
	else if (part[0] != '\0')
		snprintf(info->chip, sizeof info->chip,
		    "arm implementer %s part %s", impl, part);
}

/* --------------------------------------------------------- topology */

/*
 * Reads a sysfs cpulist file ("0-3,8-11\n") into *set.  Returns 0, or
 * -errno / -EINVAL when the file is missing or malformed.
 */
static int
linux_read_cpuset(const char *path, struct linux_cpuset *set)
{
	char buf[4096];
	const char *p = buf, *end;
	uint64_t lo, hi, c;
	int n = linux_read_path(AT_FDCWD, path, buf, sizeof buf);

	memset(set, 0, sizeof *set);
	if (n < 0)
		return n;
	end = buf + n;
	while (p < end && *p != '\n') {
		if (linux_parse_u64(&p, end, &lo) < 0)
			return -EINVAL;
		hi = lo;
		if (p < end && *p == '-') {
			p++;
			if (linux_parse_u64(&p, end, &hi) < 0 || hi < lo)
				return -EINVAL;
		}
		for (c = lo; c <= hi && c < LINUX_CPU_MAX; c++)
			set->bit[c / 8] |= (unsigned char)(1u << (c % 8));
		if (p < end && *p == ',')
			p++;
	}
	return 0;
}

/* Tells whether CPU c is in *set. */
static int
linux_cpuset_has(const struct linux_cpuset *set, unsigned c)
{
	return c < LINUX_CPU_MAX && (set->bit[c / 8] >> (c % 8)) & 1;
}

/*
 * Tells whether CPU c is the lowest-numbered hardware thread of its core
 * (so counting such CPUs counts physical cores).  Returns 1, 0, or -errno
 * when sysfs has no topology.
 */
static int
linux_cpu_leads_core(unsigned c)
{
	char path[128], buf[64];
	const char *p = buf;
	uint64_t first;
	int n;

	snprintf(path, sizeof path,
	    "/sys/devices/system/cpu/cpu%u/topology/thread_siblings_list", c);
	if ((n = linux_read_path(AT_FDCWD, path, buf, sizeof buf)) < 0)
		return n;
	if (linux_parse_u64(&p, buf + n, &first) < 0)
		return -EINVAL;
	return first == c;
}

/*
 * Counts the physical cores among the online CPUs that are in *kind (all
 * online CPUs when kind is NULL).  Returns the count, or -1 when the
 * topology cannot be read.
 */
static int32_t
linux_count_cores(const struct linux_cpuset *online,
    const struct linux_cpuset *kind)
{
	int32_t cores = 0;
	unsigned c;
	int lead;

	for (c = 0; c < LINUX_CPU_MAX; c++) {
		if (!linux_cpuset_has(online, c) ||
		    (kind != NULL && !linux_cpuset_has(kind, c)))
			continue;
		if ((lead = linux_cpu_leads_core(c)) < 0)
			return -1;
		cores += lead;
	}
	return cores;
}

/*
 * Fills cores_p and cores_e.  Linux knows no performance/efficiency split in
 * general, so every core counts as a performance core and cores_e is 0;
 * hybrid Intel parts are the exception: /sys/devices/cpu_core/cpus and
 * /sys/devices/cpu_atom/cpus list the CPUs of each kind.  Falls back to the
 * logical CPU count when the topology is not readable.
 */
static void
linux_read_cores(struct plat_info *info)
{
	struct linux_cpuset online, pset, eset;
	int32_t p, e;

	info->cores_p = info->cpus_logical;
	info->cores_e = 0;
	if (linux_read_cpuset("/sys/devices/system/cpu/online", &online) < 0)
		return;
	if (linux_read_cpuset("/sys/devices/cpu_core/cpus", &pset) == 0 &&
	    linux_read_cpuset("/sys/devices/cpu_atom/cpus", &eset) == 0) {
		p = linux_count_cores(&online, &pset);
		e = linux_count_cores(&online, &eset);
		if (p > 0 && e >= 0) {
			info->cores_p = p;
			info->cores_e = e;
		}
		return;
	}
	if ((p = linux_count_cores(&online, NULL)) > 0)
		info->cores_p = p;
}

/* ------------------------------------------------------------ public */

/*
 * Reads the static facts into *info and prepares the backend (opens /proc).
 * CPU times are clock ticks (cpu_time_num/den = 1e9/CLK_TCK); PSS is the
 * costly read (see costly_min_ms below).  Returns 0, or -errno.
 */
int
platform_init(struct plat_info *info)
{
	struct utsname un;
	struct sysinfo si;
	long tck = sysconf(_SC_CLK_TCK), ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int rc;

	if (info == NULL)
		return -EINVAL;
	memset(info, 0, sizeof *info);
	platform_fini();
	if ((rc = linux_setup()) < 0)
		return rc;
	if (tck <= 0)
		tck = 100;
	strcpy(info->platform, "linux");
	strcpy(info->os_name, "Linux");
	info->os_compat = -1;
	if (uname(&un) == 0) {
		linux_copy(info->os_version, sizeof info->os_version,
		    un.release, strlen(un.release));
		linux_copy(info->os_version_raw, sizeof info->os_version_raw,
		    un.release, strlen(un.release));
		linux_copy(info->os_release, sizeof info->os_release,
		    un.release, strlen(un.release));
		linux_copy(info->host, sizeof info->host, un.nodename,
		    strlen(un.nodename));
	}
	linux_read_chip(info);
	if (linux_read_line("/sys/class/dmi/id/product_name", info->model,
	    sizeof info->model) < 0)
		linux_read_line("/sys/firmware/devicetree/base/model",
		    info->model, sizeof info->model);
	info->cpus_logical = ncpu > 0 ? (int32_t)ncpu : 1;
	linux_read_cores(info);
	info->gpu_cores = -1;
	info->ane_cores = -1;
	if (sysinfo(&si) == 0)
		info->ram_bytes = (uint64_t)si.totalram *
		    (si.mem_unit ? si.mem_unit : 1);
	info->page_size = linux_core.page_size;
	info->cpu_time_num = 1000000000u;
	info->cpu_time_den = (uint64_t)tck;
	info->core_tick_hz = (uint32_t)tck;
	strcpy(info->core_tick_states,
	    "user,nice,system,idle,iowait,irq,softirq,steal");
	/*
	 * smaps_rollup costs 48-61 us for a small process with cold caches
	 * and ~8 us per MiB of 4 KiB-page resident memory (measured): every
	 * 2 s, a 6-process tree pays ~1.6 us per 10 ms tick, 3% of the floor;
	 * linux_proc.c spaces the reads of large processes further.
	 */
	info->costly_min_ms = 2000;
	strcpy(info->costly_what, "pss");
	/* wait_task_zombie (kernel/exit.c) adds the reaped child's ioac to its
	 * parent's signal ioac, which /proc/PID/io sums in */
	info->io_children = 1;
	return 0;
}

/* Releases every descriptor and buffer the backend holds. */
void
platform_fini(void)
{
	linux_tree_fini();
	linux_proc_fini();
	linux_sys_fini();
	linux_util_fini();
}

/* CLOCK_BOOTTIME in ns: counts suspend, so a sleep shows up as a gap. */
uint64_t
platform_now_ns(void)
{
	return linux_now_ns();
}

/*
 * What Linux has (contract in platform.h): none of the macOS-only sources
 * (no physical footprint, GPU clients, GPU or Neural Engine core counts,
 * named core levels, responsible pid or per-process CPU energy).
 */
unsigned
platform_features(void)
{
	return 0;
}
