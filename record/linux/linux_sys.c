/*
 * linux_sys.c - system-wide counters (platform_sample_system): swap and RAM
 * from sysinfo(2), available RAM from /proc/meminfo, per-core ticks from the
 * "cpuN" lines of /proc/stat, and the default powermetrics command (none on
 * Linux).  It computes no usage: ticks stay cumulative.
 */
#include "linux.h"
#include "cmn_rate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>


/*
 * Measured on the development VM (2 vCPUs): sysinfo 0.4 us, pread of
 * /proc/stat 6.1 us (the kernel formats the whole file, interrupt counts
 * included, whatever is read; ~20 us with cold caches), of /proc/meminfo
 * 5.0 us.  The recorder asks for the system every 200 ms at most.
 *
 * MemAvailable moves slowly and its read costs as much as two stat reads:
 * it is refreshed at most every 500 ms and the last value is returned in
 * between (0 on kernels before 3.14, which lack it).
 */
#define LINUX_AVAIL_MIN_NS (500u * 1000000u)

enum {
	LINUX_NSTATES = 8,		/* user nice system idle iowait irq softirq steal */
	LINUX_STAT_MAX = 1 << 22	/* bytes of /proc/stat read at most */
};

static int stat_fd = -1;	/* /proc/stat */
static int mem_fd = -1;		/* /proc/meminfo */
static char *stat_buf;		/* holds the cpu lines of /proc/stat */
static size_t stat_cap;		/* size of stat_buf */
static uint64_t avail;		/* last MemAvailable, bytes */
/* when meminfo was read */
static struct cmn_rate avail_rate = { CMN_RATE_NEVER, LINUX_AVAIL_MIN_NS };

/* Opens "/proc/name" into *fd unless open.  Returns 0 or -errno. */
static int
linux_sys_open(int *fd, const char *name)
{
	int rc;

	if (*fd >= 0)
		return 0;
	if ((rc = linux_fd_open(linux_core.proc_fd, name, 0)) < 0)
		return rc;
	*fd = rc;
	return 0;
}

/*
 * Returns MemAvailable in bytes, re-read when LINUX_AVAIL_MIN_NS have
 * passed; 0 when unknown.
 */
static uint64_t
linux_sys_avail(uint64_t now)
{
	char buf[4096];
	uint64_t kb;
	int n;

	if (!cmn_rate_due(&avail_rate, now) || linux_sys_open(&mem_fd, "meminfo") < 0)
		return avail;
	cmn_rate_mark(&avail_rate, now);
	n = linux_read_fd(mem_fd, buf, sizeof buf);
	if (n >= 0 && linux_parse_kv(buf, (size_t)n, "MemAvailable", &kb) == 0)
		avail = kb * 1024;
	return avail;
}

/*
 * Reads /proc/stat into stat_buf, growing it until the text past the cpu
 * lines is in (one pread in the usual case).  Returns the length or -errno.
 */
static int
linux_sys_read_stat(void)
{
	char *nb;
	int n, rc;

	if ((rc = linux_sys_open(&stat_fd, "stat")) < 0)
		return rc;
	for (;;) {
		if (stat_buf == NULL) {
			if ((stat_buf = malloc(8192)) == NULL)
				return -ENOMEM;
			stat_cap = 8192;
		}
		if ((n = linux_read_fd(stat_fd, stat_buf, stat_cap)) < 0)
			return n;
		if ((size_t)n + 1 < stat_cap || strstr(stat_buf, "\nintr") ||
		    strstr(stat_buf, "\nctxt"))
			return n;
		if (stat_cap * 2 > LINUX_STAT_MAX ||
		    (nb = realloc(stat_buf, stat_cap * 2)) == NULL)
			return -ENOMEM;
		stat_buf = nb;
		stat_cap *= 2;
	}
}

/*
 * Parses one "cpuN a b c ..." line (p just past "cpuN") into row[0..7];
 * states the kernel does not print (old kernels) are 0.  Returns 0 or -EIO.
 */
static int
linux_sys_parse_row(const char *p, const char *eol, uint64_t *row)
{
	int i;

	for (i = 0; i < LINUX_NSTATES; i++) {
		row[i] = 0;
		while (p < eol && *p == ' ')
			p++;
		if (p == eol)
			continue;
		if (linux_parse_u64(&p, eol, &row[i]) < 0)
			return -EIO;
	}
	return 0;
}

/*
 * Fills s->ticks from the "cpuN" lines in the len bytes at buf, one row per
 * line in file order (offline CPUs have no line), while they fit in
 * s->ticks_cap; sets s->ncpu and s->nstates.  Returns 0, -ENOSPC (ncpu and
 * nstates set: grow ticks and call again), or -EIO.
 */
static int
linux_sys_parse_ticks(const char *buf, size_t len, struct plat_sys *s)
{
	const char *p = buf, *end = buf + len, *eol;
	uint64_t row[LINUX_NSTATES];
	uint32_t ncpu = 0;

	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (eol - p < 4 || memcmp(p, "cpu", 3) != 0)
			break;
		if (p[3] < '0' || p[3] > '9')
			continue;
		p += 3;
		while (p < eol && *p >= '0' && *p <= '9')
			p++;
		if (linux_sys_parse_row(p, eol, row) < 0)
			return -EIO;
		if (s->ticks != NULL &&
		    ((size_t)ncpu + 1) * LINUX_NSTATES <= s->ticks_cap)
			memcpy(&s->ticks[(size_t)ncpu * LINUX_NSTATES], row,
			    sizeof row);
		ncpu++;
	}
	s->ncpu = ncpu;
	s->nstates = LINUX_NSTATES;
	if (ncpu == 0)
		return -EIO;
	if (s->ticks == NULL || (size_t)ncpu * LINUX_NSTATES > s->ticks_cap)
		return -ENOSPC;
	return 0;
}

/*
 * Reads swap used/total and RAM total (sysinfo), RAM available (see
 * LINUX_AVAIL_MIN_NS) and the cumulative ticks of every online core in the
 * order of core_tick_states.  Returns 0, -ENOSPC when s->ticks_cap is too
 * small (s->ncpu and s->nstates tell the size needed), or -errno.
 */
int
platform_sample_system(struct plat_sys *s)
{
	struct sysinfo si;
	uint64_t unit;
	int n, rc;

	if (s == NULL)
		return -EINVAL;
	if ((rc = linux_setup()) < 0)
		return rc;
	if (sysinfo(&si) < 0)
		return -errno;
	unit = si.mem_unit ? si.mem_unit : 1;
	s->swap_total = (uint64_t)si.totalswap * unit;
	s->swap_used = si.totalswap > si.freeswap ?
	    (uint64_t)(si.totalswap - si.freeswap) * unit : 0;
	s->ram_total = (uint64_t)si.totalram * unit;
	s->ram_available = linux_sys_avail(linux_now_ns());
	if ((n = linux_sys_read_stat()) < 0)
		return n;
	return linux_sys_parse_ticks(stat_buf, (size_t)n, s);
}

/* Closes the descriptors and frees the buffer. */
void
linux_sys_fini(void)
{
	linux_fd_close(&stat_fd);
	linux_fd_close(&mem_fd);
	free(stat_buf);
	stat_buf = NULL;
	stat_cap = 0;
	avail = 0;
	cmn_rate_init(&avail_rate, LINUX_AVAIL_MIN_NS);
}

/* Linux has no powermetrics: writes "".  Returns 0, or -ENAMETOOLONG. */
int
platform_pm_command(unsigned interval_ms, char *buf, size_t len)
{
	(void)interval_ms;
	if (buf == NULL || len == 0)
		return -ENAMETOOLONG;
	buf[0] = '\0';
	return 0;
}
