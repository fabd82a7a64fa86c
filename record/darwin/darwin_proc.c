/*
 * darwin_proc.c - macOS backend: the identity and raw counters of one
 * process, through libproc, in the kernel's units (CPU times in Mach
 * ticks).  It does not list processes (darwin_tree.c), walk the tree,
 * convert units or cache per pid.
 */
#include "platform.h"
#include "darwin.h"

#include <errno.h>
#include <libproc.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/proc_info.h>
#include <sys/resource.h>


/* ---- errors ---- */

/* errno of a failed per-pid call to the platform.h convention (darwin.h). */
int
darwin_gone_or_denied(int32_t pid, int err)
{
	if (err == EPERM || err == EACCES)
		return -EACCES;
	if (err == ESRCH || err == 0) {
		if (pid > 0 && kill(pid, 0) != 0 && errno == EPERM)
			return -EACCES;
		return -ESRCH;
	}
	return -err;
}


/* ---- one process ---- */

/* Copies the fixed-size, maybe unterminated field src[0..n) into dst. */
static void
darwin_copy_field(char *dst, size_t len, const char *src, size_t n)
{
	size_t k = strnlen(src, n);

	if (len == 0)
		return;
	if (k >= len)
		k = len - 1;
	memcpy(dst, src, k);
	dst[k] = '\0';
}

/*
 * Short name and parent of pid.  PROC_PIDTBSDINFO (what proc_name() reads:
 * pbi_name, 32 bytes, else pbi_comm) needs the same user; for other users'
 * processes PROC_PIDT_SHORTBSDINFO still gives pbsi_comm (16 bytes).  A
 * non-zero arg makes XNU find zombies too for these two flavours
 * (proc_pidinfo in bsd/kern/proc_info.c).  Returns 0, or -1 with
 * errno set.
 */
static int
darwin_read_bsd(int32_t pid, char *name, size_t len, int32_t *ppid)
{
	struct proc_bsdinfo bi;
	struct proc_bsdshortinfo si;

	if (proc_pidinfo(pid, PROC_PIDTBSDINFO, 1, &bi, sizeof(bi)) ==
	    (int)sizeof(bi)) {
		if (bi.pbi_name[0] != '\0')
			darwin_copy_field(name, len, bi.pbi_name,
			    sizeof(bi.pbi_name));
		else
			darwin_copy_field(name, len, bi.pbi_comm,
			    sizeof(bi.pbi_comm));
		*ppid = (int32_t)bi.pbi_ppid;
		return 0;
	}
	if (proc_pidinfo(pid, PROC_PIDT_SHORTBSDINFO, 1, &si, sizeof(si)) ==
	    (int)sizeof(si)) {
		darwin_copy_field(name, len, si.pbsi_comm,
		    sizeof(si.pbsi_comm));
		*ppid = (int32_t)si.pbsi_ppid;
		return 0;
	}
	return -1;
}

/* Name and executable path of pid (contract in platform.h). */
int
platform_proc_ident(int32_t pid, char *name, size_t name_len, char *path,
    size_t path_len)
{
	char p[PROC_PIDPATHINFO_MAXSIZE];
	int32_t ppid;
	int got_name, n, err;

	if (pid < 0 || (name == NULL && name_len > 0) ||
	    (path == NULL && path_len > 0))
		return -EINVAL;
	if (name_len > 0)
		name[0] = '\0';
	if (path_len > 0)
		path[0] = '\0';
	errno = 0;
	got_name = darwin_read_bsd(pid, name, name_len, &ppid) == 0;
	err = errno;
	errno = 0;
	n = proc_pidpath(pid, p, sizeof(p));
	if (n > 0 && (size_t)n < sizeof(p) && (size_t)n < path_len) {
		memcpy(path, p, (size_t)n);	/* cut: "", not a wrong path */
		path[n] = '\0';
	}
	if (got_name || n > 0)
		return 0;
	return darwin_gone_or_denied(pid, errno != 0 ? errno : err);
}

/* ns to Mach ticks (only if a kernel reported child times in ns). */
static uint64_t
darwin_ns_to_ticks(uint64_t ns)
{
	return ns / darwin.tb_num * darwin.tb_den +
	    ns % darwin.tb_num * darwin.tb_den / darwin.tb_num;
}

/*
 * Adds what proc_pid_rusage gives (the flavour platform_init found):
 * physical footprint (bytes; Activity Monitor's "Memory"), disk bytes read
 * and written, CPU time of reaped children (Mach ticks, the unit of
 * pti_total_*: see darwin_check_child_unit), the start time (Mach absolute
 * time, a token) and, from V6 on Apple silicon, the CPU energy the process
 * used (nJ: ri_energy_nj, which XNU fills from recount's CPU energy
 * counters, osfmk/kern/bsd_kern.c fill_task_rusage, recount.h "CPU energy
 * in nanojoules"; not ri_billed_energy, the energy billed to it).
 * With own, also the process's own CPU time (ri_user_time/ri_system_time,
 * Mach ticks like pti_total_*): for a zombie, whose task (and so
 * PROC_PIDTASKINFO) is gone but whose final rusage the kernel keeps.
 * Returns 0, or -1 (p untouched) when the call fails.
 */
static int
darwin_read_rusage(int32_t pid, struct plat_proc *p, int own)
{
	struct rusage_info_v6 ri;	/* older flavours fill a prefix */

	if (darwin.rusage_flavor < 0)
		return -1;
	memset(&ri, 0, sizeof(ri));
	if (proc_pid_rusage(pid, darwin.rusage_flavor, (rusage_info_t *)&ri)
	    != 0)
		return -1;
	if (own) {
		p->user = ri.ri_user_time;
		p->system = ri.ri_system_time;
		p->have |= PLAT_HAVE_CPU;
	}
	p->footprint = ri.ri_phys_footprint;
	p->read_bytes = ri.ri_diskio_bytesread;
	p->write_bytes = ri.ri_diskio_byteswritten;
	p->child_user = ri.ri_child_user_time;
	p->child_system = ri.ri_child_system_time;
	if (darwin.child_ns) {
		p->child_user = darwin_ns_to_ticks(p->child_user);
		p->child_system = darwin_ns_to_ticks(p->child_system);
	}
	p->start_time = ri.ri_proc_start_abstime;
	p->have |= PLAT_HAVE_FOOTPRINT | PLAT_HAVE_IO | PLAT_HAVE_CHILD_CPU |
	    PLAT_HAVE_START;
	/* ri_energy_nj is new in rusage_info_v6; XNU counts it only where
	 * CONFIG_PERVASIVE_ENERGY is built in (arm64), Intel reads 0. */
	if (darwin.rusage_flavor >= RUSAGE_INFO_V6 && darwin.arm64) {
		p->cpu_energy_nj = ri.ri_energy_nj;
		p->have |= PLAT_HAVE_CPU_ENERGY;
	}
	return 0;
}

/*
 * Raw counters of pid (contract in platform.h).  PROC_PIDTASKINFO must
 * return the whole struct: pti_total_user/system (Mach ticks),
 * pti_resident_size (bytes), pti_threadnum.  A short read means gone, not
 * ours, or a zombie; a zombie still answers proc_pid_rusage (XNU looks up
 * zombies there), which then supplies its final CPU time.  With
 * PLAT_WANT_NAME, the short name and the parent from the BSD info.
 */
int
platform_sample_proc(int32_t pid, unsigned want, struct plat_proc *p)
{
	struct proc_taskinfo ti;
	int task, err;

	if (p == NULL || pid < 0)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	errno = 0;
	task = proc_pidinfo(pid, PROC_PIDTASKINFO, 0, &ti, sizeof(ti)) ==
	    (int)sizeof(ti);
	err = errno;
	if (task) {
		p->user = ti.pti_total_user;
		p->system = ti.pti_total_system;
		p->rss = ti.pti_resident_size;
		p->threads = ti.pti_threadnum > 0 ?
		    (uint64_t)ti.pti_threadnum : 0;
		p->have = PLAT_HAVE_CPU | PLAT_HAVE_RSS | PLAT_HAVE_THREADS;
	}
	if (darwin_read_rusage(pid, p, !task) != 0 && !task)
		return darwin_gone_or_denied(pid, err);
	if ((want & PLAT_WANT_NAME) &&
	    darwin_read_bsd(pid, p->name, sizeof(p->name), &p->ppid) == 0)
		p->have |= PLAT_HAVE_NAME | PLAT_HAVE_PPID;
	return 0;
}

/* Nothing is cached per pid on macOS. */
void
platform_forget_proc(int32_t pid)
{
	(void)pid;
}
