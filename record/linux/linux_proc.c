/*
 * linux_proc.c - the raw counters of one process (platform_sample_proc) and
 * its identity (platform_proc_ident), from /proc/PID/stat, io and
 * smaps_rollup through descriptors cached per pid.  It does not find
 * processes or children (linux_tree.c), decide what to sample, or convert.
 */
#include "linux.h"
#include "cmn_array.h"
#include "cmn_pid.h"
#include "cmn_rate.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


/*
 * Measured on the development VM (AMD EPYC, 2 vCPUs, kernel 6.18), hot in a
 * loop / cold after a 10 ms sleep: pread of stat 2.8 / 5.0 us (all of
 * platform_sample_proc: 3.1 us hot), of io 1.4 / 5.6 us, of smaps_rollup
 * 12-27 / 48-61 us for a small process and ~8 us per MiB of 4 KiB-page
 * resident memory; opening a file adds ~3.5 us, hence the kept descriptors.
 */
enum {
	LINUX_PENT_MAX = 16384,	/* pids with cached descriptors */
	LINUX_FD_DENIED = -2	/* io_fd: not permitted, do not retry */
};

/*
 * /proc/PID/io is read at most every 200 ms per pid (and on the first and
 * the zombie sample): at 5.6 us cold, every 10 ms tick it would cost almost
 * as much as stat itself.  Samples in between leave PLAT_HAVE_IO unset
 * rather than repeat old values, so rates computed between samples that
 * have it stay right.
 */
#define LINUX_IO_MIN_NS (200u * 1000000u)

/*
 * smaps_rollup walks the page tables; the next read of a pid waits at least
 * 1000 times as long as the last one took (8 ms for 1 GiB: every 8 s), so
 * PSS costs at most 0.1% of a CPU per process whatever the caller asks.
 */
#define LINUX_PSS_DUTY 1000u

/* Descriptors and state cached for one pid. */
struct linux_pent {
	int32_t pid;		/* key: the table is sorted by pid */
	int stat_fd;		/* /proc/PID/stat, -1 if not open */
	int io_fd;		/* /proc/PID/io, -1 if not open, or LINUX_FD_DENIED */
	int have_start;		/* start holds the starttime seen through stat_fd */
	int zombie;		/* was seen as a zombie */
	uint64_t start;		/* starttime read when stat_fd was opened */
	struct cmn_rate io;	/* reads of io */
	uint64_t pss_next_ns;	/* earliest next read of smaps_rollup */
	clockid_t cpu_clock;	/* the process CPU clock, when have_clock */
	int have_clock;		/* 1: cpu_clock is set; -1: not available */
};

static struct linux_pent *pents;	/* sorted by pid */
static size_t npents;			/* entries in use */
static size_t cap_pents;		/* entries allocated */

/* --------------------------------------------------------------- cache */

/*
 * Finds pid in the table.  Returns 1 with *at its index, or 0 with *at the
 * index where it would be inserted.
 */
static int
linux_pent_find(int32_t pid, size_t *at)
{
	return cmn_pid_find(pents, npents, sizeof *pents,
	    offsetof(struct linux_pent, pid), pid, at);
}

/* Sets *e to a fresh entry for pid, with no descriptor open. */
static void
linux_pent_init(struct linux_pent *e, int32_t pid)
{
	memset(e, 0, sizeof *e);
	e->pid = pid;
	e->stat_fd = -1;
	e->io_fd = -1;
	cmn_rate_init(&e->io, LINUX_IO_MIN_NS);
}

/*
 * Returns the cached entry of pid, inserting one if there is room in the
 * table and in the descriptor budget; otherwise returns tmp, initialized
 * (the caller then closes its descriptors at the end of the call).
 */
static struct linux_pent *
linux_pent_get(int32_t pid, struct linux_pent *tmp)
{
	size_t at;

	if (linux_pent_find(pid, &at))
		return &pents[at];
	linux_pent_init(tmp, pid);
	if (npents >= LINUX_PENT_MAX || !linux_fd_room(2))
		return tmp;
	if (cmn_array_grow((void **)&pents, &cap_pents, npents + 1,
	    sizeof *pents) != 0)
		return tmp;
	memmove(&pents[at + 1], &pents[at], (npents - at) * sizeof *pents);
	npents++;
	pents[at] = *tmp;
	return &pents[at];
}

/* Closes the descriptors of e and, unless it is tmp, removes it. */
static void
linux_pent_drop(struct linux_pent *e, const struct linux_pent *tmp)
{
	size_t at;

	linux_fd_close(&e->stat_fd);
	if (e->io_fd >= 0)
		linux_fd_close(&e->io_fd);
	if (e == tmp || !linux_pent_find(e->pid, &at))
		return;
	memmove(&pents[at], &pents[at + 1], (npents - at - 1) * sizeof *pents);
	npents--;
}

/* Closes every cached descriptor and frees the table. */
void
linux_proc_fini(void)
{
	size_t i;

	for (i = 0; i < npents; i++) {
		linux_fd_close(&pents[i].stat_fd);
		if (pents[i].io_fd >= 0)
			linux_fd_close(&pents[i].io_fd);
	}
	free(pents);
	pents = NULL;
	npents = cap_pents = 0;
}

/* ------------------------------------------------------------ opening */

/*
 * Opens "/proc/PID/name" for e into *fd.  Returns 0 or -errno; -ESRCH when
 * the process does not exist.
 */
static int
linux_pent_open1(const struct linux_pent *e, const char *name, int *fd)
{
	char path[32];
	int rc;

	snprintf(path, sizeof path, "%ld/%s", (long)e->pid, name);
	rc = linux_fd_open(linux_core.proc_fd, path, 0);
	if (rc == -ENOENT)
		rc = -ESRCH;
	if (rc >= 0)
		*fd = rc;
	return rc < 0 ? rc : 0;
}

/*
 * Opens what e lacks: stat, io (once; LINUX_FD_DENIED when not permitted,
 * as for other users' processes unless root), and smaps_rollup into
 * *smaps_fd when smaps_fd is not NULL.  Everything is opened BEFORE stat is
 * read: a successful read of stat afterwards proves the process was still
 * the same one when the others were opened (a pid is reused only after its
 * process is reaped, and a stale descriptor reads ESRCH).  Returns 0 or
 * -errno (-ESRCH: no such process); io and smaps_rollup failures are not
 * errors.  smaps_rollup of a zombie fails with ESRCH (it has no memory map,
 * measured on kernel 6.18), so that answer does not mean "gone": the read of
 * stat decides, and a zombie's final counters are still read.
 */
static int
linux_pent_open(struct linux_pent *e, int *smaps_fd)
{
	int rc;

	if (e->stat_fd < 0) {
		if ((rc = linux_pent_open1(e, "stat", &e->stat_fd)) < 0)
			return rc;
		e->have_start = 0;
	}
	if (e->io_fd == -1) {
		rc = linux_pent_open1(e, "io", &e->io_fd);
		if (rc == -EACCES || rc == -EPERM)
			e->io_fd = LINUX_FD_DENIED;
		else if (rc == -ESRCH)
			return rc;
	}
	if (smaps_fd != NULL)
		(void)linux_pent_open1(e, "smaps_rollup", smaps_fd);
	return 0;
}

/* ------------------------------------------------------------ reading */

/*
 * Reads the process's CPU time in ns into p->cpu_ns (PLAT_HAVE_CPU_NS):
 * the process CPU clock (clock_getcpuclockid, clock_gettime), which sums
 * the runtime of every thread, live and exited, in ns; /proc/PID/stat gives
 * the same in 10 ms ticks, too coarse for rates at short intervals.  Called
 * after the process's stat descriptor was opened and before it is read: a
 * successful read afterwards proves the clock belonged to that process and
 * not to a later one with the same pid.  A zombie's clock still reads its
 * final time (measured on kernel 6.18).  The kernel brings a running
 * thread's time up to date only at its scheduler ticks (CONFIG_HZ, 4 ms
 * here) unless the reader is in the same process, so a value lags by up to
 * one tick per running thread: the analyzer keeps rates within what the
 * machine can do (an_load.c).
 */
static void
linux_proc_cpu_ns(struct linux_pent *e, struct plat_proc *p)
{
	struct timespec ts;

	if (e->have_clock == 0)
		e->have_clock = clock_getcpuclockid((pid_t)e->pid, &e->cpu_clock) == 0 ? 1 : -1;
	if (e->have_clock < 0 || clock_gettime(e->cpu_clock, &ts) != 0 ||
	    ts.tv_sec < 0 || ts.tv_nsec < 0)
		return;
	p->cpu_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	p->have |= PLAT_HAVE_CPU_NS;
}

/* Copies the fields of /proc/PID/stat into *p. */
static void
linux_proc_fill(struct plat_proc *p, const struct linux_stat *st)
{
	p->ppid = st->ppid;
	p->start_time = st->start;
	p->user = st->utime;
	p->system = st->stime;
	p->child_user = st->cutime;
	p->child_system = st->cstime;
	p->rss = st->rss_pages * linux_core.page_size;
	p->threads = st->threads;
	p->have |= PLAT_HAVE_CPU | PLAT_HAVE_CHILD_CPU | PLAT_HAVE_RSS |
	    PLAT_HAVE_THREADS | PLAT_HAVE_START | PLAT_HAVE_PPID;
	/* the name is in stat anyway: always given (exec renames) */
	linux_copy(p->name, sizeof p->name, st->comm, strlen(st->comm));
	p->have |= PLAT_HAVE_NAME;
}

/*
 * Reads read_bytes/write_bytes from /proc/PID/io into *p when due (see
 * LINUX_IO_MIN_NS), when the process is a zombie (its final counters), or
 * in the recording's final sample.
 * Sets PLAT_HAVE_IO only when it read them.
 */
static void
linux_proc_io(struct linux_pent *e, const struct linux_stat *st,
    uint64_t now, int final, struct plat_proc *p)
{
	char buf[512];
	int n;

	if (e->io_fd < 0 || (!cmn_rate_due(&e->io, now) && st->state != 'Z' && !final))
		return;
	n = linux_read_fd(e->io_fd, buf, sizeof buf);
	if (n == -EACCES || n == -EPERM) {
		linux_fd_close(&e->io_fd);
		e->io_fd = LINUX_FD_DENIED;
		return;
	}
	if (n < 0 ||
	    linux_parse_kv(buf, (size_t)n, "read_bytes", &p->read_bytes) < 0 ||
	    linux_parse_kv(buf, (size_t)n, "write_bytes", &p->write_bytes) < 0)
		return;
	p->have |= PLAT_HAVE_IO;
	cmn_rate_mark(&e->io, now);
}

/*
 * Reads the "Pss:" line (kB) of smaps_rollup into p->pss in bytes and sets
 * PLAT_HAVE_PSS; spaces the next read of this pid by LINUX_PSS_DUTY times
 * the cost of this one.  A zombie has no memory map: nothing is set.
 */
static void
linux_proc_pss(struct linux_pent *e, int fd, uint64_t now,
    struct plat_proc *p)
{
	char buf[4096];
	uint64_t kb;
	int n = linux_read_fd(fd, buf, sizeof buf);

	e->pss_next_ns = now + (linux_now_ns() - now) * LINUX_PSS_DUTY;
	if (n < 0 || linux_parse_kv(buf, (size_t)n, "Pss", &kb) < 0)
		return;
	p->pss = kb * 1024;
	p->have |= PLAT_HAVE_PSS;
}

/* ------------------------------------------------------------- public */

/*
 * Reads the raw counters of pid into *p: CPU times in clock ticks, rss in
 * bytes, io every LINUX_IO_MIN_NS, PSS on PLAT_WANT_COSTLY (both whatever
 * their spacing with PLAT_WANT_FINAL).  A zombie is
 * reported like any process (its stat holds the final CPU times).  When the
 * process behind a cached descriptor has died, returns -ESRCH even if its
 * pid was reused meanwhile, and drops the cache: the next call reads the new
 * process (the caller tells them apart by start_time).  Returns 0, -ESRCH,
 * -EIO (unreadable stat), or -errno.
 */
int
platform_sample_proc(int32_t pid, unsigned want, struct plat_proc *p)
{
	struct linux_pent tmp, *e;
	struct linux_stat st;
	char buf[LINUX_STAT_BUF];
	uint64_t now;
	int smaps_fd = -1, want_pss, rc;

	if (p == NULL)
		return -EINVAL;
	memset(p, 0, sizeof *p);
	p->pid = pid;
	if (pid <= 0)
		return -EINVAL;
	if ((rc = linux_setup()) < 0)
		return rc;
	now = linux_now_ns();
	e = linux_pent_get(pid, &tmp);
	want_pss = (want & PLAT_WANT_COSTLY) &&
	    (now >= e->pss_next_ns || (want & PLAT_WANT_FINAL));
	if ((rc = linux_pent_open(e, want_pss ? &smaps_fd : NULL)) < 0)
		goto out;
	linux_proc_cpu_ns(e, p);	/* before stat: see there */
	if ((rc = linux_read_fd(e->stat_fd, buf, sizeof buf)) < 0)
		goto out;
	if (linux_parse_stat(buf, (size_t)rc, &st) < 0) {
		rc = -EIO;
		goto out;
	}
	if (e->have_start && st.start != e->start) {
		rc = -ESRCH;
		goto out;
	}
	e->start = st.start;
	e->have_start = 1;
	if (st.state == 'Z' && !e->zombie) {
		e->zombie = 1;
		linux_tree_zombie(pid);
	}
	linux_proc_fill(p, &st);
	linux_proc_io(e, &st, now, (want & PLAT_WANT_FINAL) != 0, p);
	if (smaps_fd >= 0)
		linux_proc_pss(e, smaps_fd, now, p);
	else if (want_pss && st.state == 'Z') {
		p->pss = 0;		/* a zombie holds no memory */
		p->have |= PLAT_HAVE_PSS;
	}
	rc = 0;
out:
	linux_fd_close(&smaps_fd);
	if (rc == -ENOENT)
		rc = -ESRCH;
	if (rc == -ESRCH || e == &tmp)
		linux_pent_drop(e, &tmp);
	return rc;
}

/* pid left the tree: closes its descriptors and forgets its children. */
void
platform_forget_proc(int32_t pid)
{
	size_t at;

	if (linux_pent_find(pid, &at))
		linux_pent_drop(&pents[at], NULL);
	linux_tree_forget(pid);
}

/*
 * Stores the name (/proc/PID/comm) and executable path (/proc/PID/exe) of
 * pid; the path is "" when not readable (kernel threads, zombies, other
 * users' processes unless root) or longer than path_len - 1.  Both are read
 * through one descriptor of /proc/PID so they belong to the same process.
 * Returns 0, -ESRCH, or -errno.
 */
int
platform_proc_ident(int32_t pid, char *name, size_t name_len,
    char *path, size_t path_len)
{
	char dir[16], buf[PLAT_PATH_MAX];
	ssize_t len;
	int dfd, n, rc;

	if (name != NULL && name_len > 0)
		name[0] = '\0';
	if (path != NULL && path_len > 0)
		path[0] = '\0';
	if (pid <= 0)
		return -EINVAL;
	if ((rc = linux_setup()) < 0)
		return rc;
	snprintf(dir, sizeof dir, "%ld", (long)pid);
	dfd = openat(linux_core.proc_fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	if ((n = linux_read_path(dfd, "comm", buf, sizeof buf)) < 0) {
		rc = (n == -ENOENT || n == -ESRCH) ? -ESRCH : n;
		goto out;
	}
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (name != NULL)
		linux_copy(name, name_len, buf, (size_t)n);
	len = readlinkat(dfd, "exe", buf, sizeof buf);
	if (path != NULL && len > 0 && (size_t)len < sizeof buf &&
	    (size_t)len < path_len)
		linux_copy(path, path_len, buf, (size_t)len);
	rc = 0;
out:
	close(dfd);
	return rc;
}
