/*
 * linux_tree.c - which processes exist (platform_list_pids) and whose
 * children they are (platform_list_children): from the per-thread children
 * files of /proc/PID/task where the kernel has them, else from a scan of
 * /proc.  It does not walk the tree (shared code does) or read counters.
 */
#include "linux.h"
#include "cmn_array.h"
#include "cmn_pid.h"
#include "cmn_rate.h"

#include <dirent.h>
#include <sys/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


/*
 * Both ways are gated by a signature of the whole process table: the
 * "threads/last_pid" fields of /proc/loadavg (one 1 us pread).  The kernel
 * changes nr_threads when a task is created or released (reaped) and
 * last_pid when any pid is allocated, so while the signature stands still no
 * process has been born or reaped and the last answer is still right.  It is
 * re-read at most every LINUX_SIG_TTL_NS: the recorder walks its whole tree
 * at the start of a tick for one pread, and an answer lags the process table
 * by at most that much.  A process that exits hands its children to a reaper
 * at once, but the signature moves only when it is reaped: linux_proc.c
 * calls linux_tree_zombie() when it sees a zombie, which makes every cached
 * answer stale.  Blind spot: as many reaps as births ending on the same last
 * pid look like no change; that takes a wrap of the whole pid space between
 * two looks, or a write to ns_last_pid (checkpoint/restore), and lasts until
 * the next birth or reap anywhere on the machine.
 *
 * Measured on the development VM (AMD EPYC, 2 vCPUs, kernel 6.18, ~70
 * processes): pread of /proc/loadavg 1.0 us, of a children file 1.3 us,
 * fstat of a task directory 0.4 us, getdents of a small task directory
 * 1.5 us, of /proc 27 us; open+read+close of a stat 6.7 us; a naive scan
 * (getdents of /proc and every stat) 680 us.  With caches cold after a
 * 10 ms sleep: loadavg 4.8 us, a children file 4.6 us, a stat 5.0 us.
 */
#define LINUX_SIG_TTL_NS 1000000u	/* loadavg re-read at most every 1 ms */

/*
 * Refreshing after a change (rescanning /proc: 27 us plus 6.7 us per new
 * process; re-reading the children of a pid: fstat and pread, ~9 us with
 * cold caches) may use at most 1/LINUX_TREE_DUTY of the elapsed time, with
 * LINUX_TREE_BURST_NS saved up in quiet periods: a tree that forks now and
 * then is seen at once, while churn elsewhere on the machine (the signature
 * then changes every tick) costs 0.5 us per ms, not a re-read of the whole
 * tree every tick (+30 us per 10 ms tick for 6 processes, measured).  The
 * debt is capped at LINUX_TREE_BURST_NS, and a changed table is re-read at
 * least every LINUX_TREE_MAX_AGE_NS whatever the credit, so a burst of
 * births (one scan that reads 300 new stats takes 2 ms) delays discovery by
 * that much at most, and no pid starves; a pid seen for the first time is
 * always read.
 */
#define LINUX_TREE_DUTY 2000
#define LINUX_TREE_BURST_NS (10 * 1000000)
#define LINUX_TREE_MAX_AGE_NS (250u * 1000000u)

/*
 * Children files: the task directory of a pid is listed again when its link
 * count (2 + threads) changed, or LINUX_RELIST_NS after the last listing.
 * Threads that come and go in equal numbers between two looks keep the count
 * unchanged: a child forked by such a new thread is found at the next
 * periodic listing (a dead thread's children file reads empty, and its
 * children are handed to a live thread we already read).
 */
#define LINUX_RELIST_NS (1000u * 1000000u)

enum {
	LINUX_DENT_BUF = 32768,		/* getdents buffer */
	LINUX_ROWS_MAX = 1 << 16,	/* processes in the scan table */
	LINUX_KENT_MAX = 16384,		/* pids with cached children files */
	LINUX_TFD_MAX = 64,		/* children files kept open per pid */
	LINUX_KBUF_MAX = 1 << 20	/* bytes of one children file */
};

/* One process in the scan table. */
struct linux_row {
	int32_t pid;		/* key: the table is sorted by pid */
	int32_t ppid;		/* parent; -1 once the process vanished */
	uint32_t ino;		/* inode of /proc/PID: a new one means a new process */
	uint32_t fresh;		/* ppid was read in this scan */
};

/* One parent-child link, for lookups by parent. */
struct linux_edge {
	int32_t ppid;		/* sort key */
	int32_t pid;		/* second sort key */
};

/* One thread's children file. */
struct linux_tfd {
	int32_t tid;		/* key: sorted by tid */
	int fd;			/* open children file, or -1: open it each time */
};

/* cmn_pid_cmp_first sorts these tables: their key comes first. */
_Static_assert(offsetof(struct linux_row, pid) == 0, "linux_row: pid first");
_Static_assert(offsetof(struct linux_tfd, tid) == 0, "linux_tfd: tid first");

/* What the children-file way caches for one pid. */
struct linux_kent {
	int32_t pid;		/* key: the table is sorted by pid */
	int task_fd;		/* /proc/PID/task, -1 if not open */
	uint64_t nlink;		/* link count of task_fd at the last listing */
	uint64_t listed_ns;	/* time of the last listing */
	struct linux_tfd *tfd;	/* threads, sorted by tid */
	uint32_t ntfd;		/* threads in tfd */
	int32_t *kids;		/* children as of kids_epoch */
	uint32_t nkids;		/* entries in kids */
	uint32_t cap_kids;	/* entries allocated in kids */
	uint64_t kids_epoch;	/* epoch when kids was read */
	uint64_t kids_ns;	/* time when kids was read */
	int kids_ok;		/* kids is valid for kids_epoch */
};

/* A directory entry as getdents64 gives it. */
struct linux_dent {
	uint64_t ino;		/* inode number */
	const char *name;	/* NUL-terminated, inside the buffer */
};

static _Alignas(8) char dent_buf[LINUX_DENT_BUF];

static int sig_fd = -1;		/* /proc/loadavg */
static uint64_t sig_last;	/* last signature read */
/* when the signature was read */
static struct cmn_rate sig_rate = { CMN_RATE_NEVER, LINUX_SIG_TTL_NS };
static uint64_t epoch = 1;	/* bumped whenever the table may have changed */
static uint64_t sig_fails;	/* makes a new signature when unreadable */

static struct linux_row *rows, *rows_new;	/* scan table, and the next one */
static size_t nrows, nrows_new, cap_rows, cap_rows_new;
static struct linux_edge *edges;	/* rows by parent */
static size_t nedges, cap_edges;
static int scan_done;		/* rows holds a scan */
static uint64_t scan_epoch;	/* epoch when it was made */
static uint64_t scan_ns;	/* time when it was made */
static int64_t credit;		/* ns of refreshing allowed now */
static uint64_t credit_ns;	/* when credit was last topped up */

static struct linux_kent *kents;	/* children-file cache, sorted by pid */
static size_t nkents, cap_kents;
static char *kbuf;		/* buffer for children files */
static size_t kbuf_cap;

/* -------------------------------------------------------- directories */

/*
 * Takes the next entry at *off of a getdents64 buffer of len bytes.
 * Returns 1, or 0 at the end or at a malformed record.
 */
static int
linux_dent_next(const char *buf, size_t len, size_t *off, struct linux_dent *d)
{
	const size_t name_at = offsetof(struct dirent64, d_name);
	unsigned short reclen;

	if (*off + name_at >= len)
		return 0;
	memcpy(&reclen, buf + *off + offsetof(struct dirent64, d_reclen),
	    sizeof reclen);
	if (reclen <= name_at || reclen > len - *off ||
	    memchr(buf + *off + name_at, '\0', reclen - name_at) == NULL)
		return 0;
	memcpy(&d->ino, buf + *off + offsetof(struct dirent64, d_ino),
	    sizeof d->ino);
	d->name = buf + *off + name_at;
	*off += reclen;
	return 1;
}

/*
 * Calls fn(ctx, entry) for every entry of the directory fd, from its start.
 * fn returns 0 to go on or a negative errno to stop.  Returns 0, fn's error,
 * or -errno (-ENOENT: the directory of a dead process).
 */
static int
linux_dir_walk(int fd, int (*fn)(void *, const struct linux_dent *),
    void *ctx)
{
	struct linux_dent d;
	size_t off;
	ssize_t n;
	int rc;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	for (;;) {
		n = getdents64(fd, dent_buf, sizeof dent_buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		off = 0;
		while (linux_dent_next(dent_buf, (size_t)n, &off, &d))
			if ((rc = fn(ctx, &d)) < 0)
				return rc;
	}
}

/* Parses a directory name made only of digits into *pid.  Returns 1 or 0. */
static int
linux_name_pid(const char *name, int32_t *pid)
{
	const char *p = name;
	uint64_t v;

	if (linux_parse_u64(&p, p + strlen(p), &v) < 0 || *p != '\0' ||
	    name[0] == ' ' || name[0] == '\t' || v == 0 || v > INT32_MAX)
		return 0;
	*pid = (int32_t)v;
	return 1;
}

/* ---------------------------------------------------------- signature */

/*
 * Reads the signature of the process table from /proc/loadavg
 * ("0.00 0.01 0.00 1/120 4380": nr_threads after '/', then last_pid).
 * When it cannot be read or parsed, returns a value never returned before,
 * so that callers treat the table as changed.
 */
static uint64_t
linux_sig_read(void)
{
	char buf[128];
	const char *p, *end;
	uint64_t threads, last;
	int n;

	if (sig_fd < 0 && (n = linux_fd_open(linux_core.proc_fd, "loadavg",
	    0)) >= 0)
		sig_fd = n;
	if (sig_fd < 0 || (n = linux_read_fd(sig_fd, buf, sizeof buf)) < 0)
		goto fail;
	end = buf + n;
	if ((p = memchr(buf, '/', (size_t)n)) == NULL)
		goto fail;
	p++;
	if (linux_parse_u64(&p, end, &threads) < 0 ||
	    linux_parse_u64(&p, end, &last) < 0 || threads > INT32_MAX ||
	    last > UINT32_MAX)
		goto fail;
	return threads << 32 | last;
fail:
	return (1ull << 63) | ++sig_fails;
}

/*
 * Returns the epoch of the process table: a number that changes when the
 * signature changes (re-read when fresh is set or when older than
 * LINUX_SIG_TTL_NS) or when linux_tree_zombie() is called.
 */
static uint64_t
linux_epoch_get(uint64_t now, int fresh)
{
	uint64_t sig;

	if (fresh || cmn_rate_due(&sig_rate, now)) {
		sig = linux_sig_read();
		if (sig != sig_last)
			epoch++;
		sig_last = sig;
		cmn_rate_mark(&sig_rate, now);
	}
	return epoch;
}

/* ---------------------------------------------------------- /proc scan */

/*
 * Reads the parent of pid from a freshly opened /proc/PID/stat.  Returns it,
 * or -1 when the process is gone or its stat unreadable.
 */
static int32_t
linux_scan_ppid(int32_t pid)
{
	char path[32], buf[LINUX_STAT_BUF];
	struct linux_stat st;
	int n;

	snprintf(path, sizeof path, "%ld/stat", (long)pid);
	n = linux_read_path(linux_core.proc_fd, path, buf, sizeof buf);
	if (n < 0 || linux_parse_stat(buf, (size_t)n, &st) < 0)
		return -1;
	return st.ppid;
}

/* linux_dir_walk callback: appends a numeric /proc entry to rows_new. */
static int
linux_scan_add(void *ctx, const struct linux_dent *d)
{
	struct linux_row *r;
	int32_t pid;

	(void)ctx;
	if (!linux_name_pid(d->name, &pid))
		return 0;
	if (nrows_new >= LINUX_ROWS_MAX)
		return -ENOMEM;
	if (cmn_array_grow((void **)&rows_new, &cap_rows_new, nrows_new + 1,
	    sizeof *rows_new) < 0)
		return -ENOMEM;
	r = &rows_new[nrows_new++];
	r->pid = pid;
	r->ppid = -1;
	r->ino = (uint32_t)d->ino;
	r->fresh = 1;
	return 0;
}

/* qsort comparator of edges by parent, then pid. */
static int
linux_edge_cmp(const void *a, const void *b)
{
	const struct linux_edge *x = a, *y = b;

	if (x->ppid != y->ppid)
		return (x->ppid > y->ppid) - (x->ppid < y->ppid);
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Finds pid in a table of n rows sorted by pid.  Returns the row or NULL. */
static struct linux_row *
linux_row_find(struct linux_row *t, size_t n, int32_t pid)
{
	size_t at;

	return cmn_pid_find(t, n, sizeof *t, offsetof(struct linux_row, pid), pid,
	    &at) ? &t[at] : NULL;
}

/*
 * Fills the parents of rows_new: carried over from rows for a pid whose
 * /proc inode is unchanged, read from stat for a new (or reused) pid.  A
 * carried-over row whose parent vanished or is a new process was reparented
 * and is read again.  Rows that vanished meanwhile keep ppid -1.
 */
static void
linux_scan_merge(void)
{
	struct linux_row *r, *old, *par;
	size_t i;

	for (i = 0; i < nrows_new; i++) {
		r = &rows_new[i];
		old = linux_row_find(rows, nrows, r->pid);
		if (old != NULL && old->ino == r->ino && old->ppid >= 0) {
			r->ppid = old->ppid;
			r->fresh = 0;
		} else {
			r->ppid = linux_scan_ppid(r->pid);
		}
	}
	for (i = 0; i < nrows_new; i++) {
		r = &rows_new[i];
		if (r->fresh || r->ppid <= 0)
			continue;
		par = linux_row_find(rows_new, nrows_new, r->ppid);
		if (par == NULL || par->fresh)
			r->ppid = linux_scan_ppid(r->pid);
	}
}

/* Rebuilds edges from rows, skipping vanished rows.  Returns 0/-ENOMEM. */
static int
linux_scan_edges(void)
{
	size_t i, n = 0;

	nedges = 0;
	if (cmn_array_grow((void **)&edges, &cap_edges, nrows, sizeof *edges) < 0)
		return -ENOMEM;
	for (i = 0; i < nrows; i++) {
		if (rows[i].ppid < 0)
			continue;
		edges[n].ppid = rows[i].ppid;
		edges[n].pid = rows[i].pid;
		n++;
	}
	if (n > 1)
		qsort(edges, n, sizeof *edges, linux_edge_cmp);
	nedges = n;
	return 0;
}

/*
 * Scans /proc into a new table of every process and its parent, reusing
 * what the last scan learned.  Returns 0 or -errno (the old table stays).
 */
static int
linux_scan(void)
{
	struct linux_row *t;
	size_t c;
	int rc;

	nrows_new = 0;
	rc = linux_dir_walk(linux_core.proc_fd, linux_scan_add, NULL);
	if (rc < 0)
		return rc;
	if (nrows_new > 1)
		qsort(rows_new, nrows_new, sizeof *rows_new, cmn_pid_cmp_first);
	linux_scan_merge();
	t = rows;
	rows = rows_new;
	rows_new = t;
	c = cap_rows;
	cap_rows = cap_rows_new;
	cap_rows_new = c;
	nrows = nrows_new;
	return linux_scan_edges();
}

/*
 * Tells whether a refresh may run now (1) or not (0), topping up the credit
 * at 1 ns per LINUX_TREE_DUTY ns elapsed, up to LINUX_TREE_BURST_NS.
 */
static int
linux_credit_allows(uint64_t now)
{
	uint64_t add;

	if (credit_ns == 0)
		credit = LINUX_TREE_BURST_NS;
	else if (now > credit_ns) {
		add = (now - credit_ns) / LINUX_TREE_DUTY;
		if (add > LINUX_TREE_BURST_NS)
			add = LINUX_TREE_BURST_NS;
		credit += (int64_t)add;
		if (credit > LINUX_TREE_BURST_NS)
			credit = LINUX_TREE_BURST_NS;
	}
	credit_ns = now;
	return credit > 0;
}

/* Charges a refresh that began at t0 to the credit (debt capped). */
static void
linux_credit_charge(uint64_t t0)
{
	credit -= (int64_t)(linux_now_ns() - t0);
	if (credit < -(int64_t)LINUX_TREE_BURST_NS)
		credit = -(int64_t)LINUX_TREE_BURST_NS;
}

/*
 * Brings the scan table up to date if the process table changed and the
 * credit allows or the table is older than LINUX_TREE_MAX_AGE_NS (the first
 * scan is always made and not charged: it reads every stat once).  Returns
 * 0 or -errno.
 */
static int
linux_scan_refresh(uint64_t now, uint64_t ep)
{
	uint64_t t0;
	int rc;

	if (scan_done && (ep == scan_epoch || (!linux_credit_allows(now) &&
	    now - scan_ns < LINUX_TREE_MAX_AGE_NS)))
		return 0;
	t0 = linux_now_ns();
	ep = linux_epoch_get(t0, 1);
	if ((rc = linux_scan()) < 0)
		return rc;
	if (scan_done)
		linux_credit_charge(t0);
	scan_epoch = ep;
	scan_ns = t0;
	scan_done = 1;
	return 0;
}

/*
 * Children of pid from the scan table.  A pid missing from the table was
 * born after the last scan (it has no known children yet) or is gone.
 * Returns the number of children or -ESRCH.
 */
static int
linux_kids_scan(int32_t pid, uint64_t now, uint64_t ep, int32_t *kids,
    size_t cap)
{
	const struct linux_row *r;
	size_t lo, n = 0;
	int rc;

	if ((rc = linux_scan_refresh(now, ep)) < 0)
		return rc;
	r = linux_row_find(rows, nrows, pid);
	if (r == NULL || r->ppid < 0)
		return kill(pid, 0) < 0 && errno == ESRCH ? -ESRCH : 0;
	lo = cmn_pid_lower(edges, nedges, sizeof *edges,
	    offsetof(struct linux_edge, ppid), pid);
	for (; lo < nedges && edges[lo].ppid == pid; lo++, n++)
		if (n < cap)
			kids[n] = edges[lo].pid;
	return n > INT32_MAX ? -EOVERFLOW : (int)n;
}

/* ------------------------------------------------------ children files */

/* Finds pid among kents.  Returns 1 with *at its index, or 0 (insert at). */
static int
linux_kent_find(int32_t pid, size_t *at)
{
	return cmn_pid_find(kents, nkents, sizeof *kents,
	    offsetof(struct linux_kent, pid), pid, at);
}

/* Closes the descriptors of one kent and frees its arrays. */
static void
linux_kent_clear(struct linux_kent *k)
{
	uint32_t i;

	for (i = 0; i < k->ntfd; i++)
		linux_fd_close(&k->tfd[i].fd);
	linux_fd_close(&k->task_fd);
	free(k->tfd);
	free(k->kids);
	k->tfd = NULL;
	k->kids = NULL;
	k->ntfd = k->nkids = k->cap_kids = 0;
}

/* Removes the kent at index at. */
static void
linux_kent_drop(size_t at)
{
	linux_kent_clear(&kents[at]);
	memmove(&kents[at], &kents[at + 1], (nkents - at - 1) * sizeof *kents);
	nkents--;
}

/*
 * Returns the kent of pid, inserted (empty) if new, or NULL when the table
 * is full or out of memory.
 */
static struct linux_kent *
linux_kent_get(int32_t pid)
{
	size_t at;

	if (linux_kent_find(pid, &at))
		return &kents[at];
	if (nkents >= LINUX_KENT_MAX || cmn_array_grow((void **)&kents,
	    &cap_kents, nkents + 1, sizeof *kents) < 0)
		return NULL;
	memmove(&kents[at + 1], &kents[at], (nkents - at) * sizeof *kents);
	nkents++;
	memset(&kents[at], 0, sizeof kents[at]);
	kents[at].pid = pid;
	kents[at].task_fd = -1;
	return &kents[at];
}

/* A task directory being listed: the threads found so far. */
struct linux_relist {
	struct linux_kent *k;	/* whose task directory */
	struct linux_tfd *tfd;	/* new thread list */
	size_t n;		/* entries in tfd */
	size_t cap;		/* entries allocated */
};

/*
 * linux_dir_walk callback: adds a thread to the new list, taking over its
 * open children file from the old list, or opening one while the budget
 * (LINUX_TFD_MAX per pid, and the backend's) allows.
 */
static int
linux_relist_add(void *ctx, const struct linux_dent *d)
{
	struct linux_relist *r = ctx;
	struct linux_tfd key, *old = NULL;
	char path[32];
	size_t at;
	int fd;

	if (!linux_name_pid(d->name, &key.tid))
		return 0;
	if (cmn_array_grow((void **)&r->tfd, &r->cap, r->n + 1, sizeof *r->tfd) < 0)
		return -ENOMEM;
	key.fd = -1;
	if (cmn_pid_find(r->k->tfd, r->k->ntfd, sizeof key,
	    offsetof(struct linux_tfd, tid), key.tid, &at))
		old = &r->k->tfd[at];
	if (old != NULL) {
		key.fd = old->fd;
		old->fd = -1;
	} else if (r->n < LINUX_TFD_MAX && linux_fd_room(1)) {
		snprintf(path, sizeof path, "%ld/children", (long)key.tid);
		if ((fd = linux_fd_open(r->k->task_fd, path, 0)) >= 0)
			key.fd = fd;
	}
	r->tfd[r->n++] = key;
	return 0;
}

/*
 * Lists the threads of k->pid again, keeping the children files of threads
 * still there and closing the others.  Returns 0, -ESRCH (process gone) or
 * -errno.
 */
static int
linux_kent_relist(struct linux_kent *k, uint64_t nlink, uint64_t now)
{
	struct linux_relist r = { .k = k };
	uint32_t i;
	int rc;

	rc = linux_dir_walk(k->task_fd, linux_relist_add, &r);
	if (rc < 0) {
		for (i = 0; i < r.n; i++)
			linux_fd_close(&r.tfd[i].fd);
		free(r.tfd);
		return rc == -ENOENT ? -ESRCH : rc;
	}
	for (i = 0; i < k->ntfd; i++)
		linux_fd_close(&k->tfd[i].fd);
	free(k->tfd);
	if (r.n > 1)
		qsort(r.tfd, r.n, sizeof *r.tfd, cmn_pid_cmp_first);
	k->tfd = r.tfd;
	k->ntfd = (uint32_t)r.n;
	k->nlink = nlink;
	k->listed_ns = now;
	return 0;
}

/*
 * Appends the pids of one children file ("12 34 56 ") to k->kids.
 * Returns 0, -EIO (unexpected content) or -ENOMEM.
 */
static int
linux_kent_parse(struct linux_kent *k, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	uint64_t v;

	while (p < end) {
		if (*p == ' ' || *p == '\n') {
			p++;
			continue;
		}
		if (linux_parse_u64(&p, end, &v) < 0 || v == 0 ||
		    v > INT32_MAX)
			return -EIO;
		if (k->nkids == k->cap_kids) {
			size_t cap = k->cap_kids;

			if (cmn_array_grow((void **)&k->kids, &cap,
			    (size_t)k->nkids + 1, sizeof *k->kids) < 0)
				return -ENOMEM;
			k->cap_kids = (uint32_t)cap;
		}
		k->kids[k->nkids++] = (int32_t)v;
	}
	return 0;
}

/*
 * Reads the children file of every thread of k into k->kids.  A dead
 * thread's file reads empty.  Returns 0 or -errno.
 */
static int
linux_kent_read(struct linux_kent *k)
{
	char path[32];
	uint32_t i;
	int fd, n, rc;

	k->nkids = 0;
	for (i = 0; i < k->ntfd; i++) {
		fd = k->tfd[i].fd;
		if (fd < 0) {
			snprintf(path, sizeof path, "%ld/children",
			    (long)k->tfd[i].tid);
			if ((fd = openat(k->task_fd, path, O_RDONLY |
			    O_CLOEXEC)) < 0)
				continue;
		}
		n = linux_read_grow(fd, &kbuf, &kbuf_cap, LINUX_KBUF_MAX);
		if (fd != k->tfd[i].fd)
			close(fd);
		if (n == -ESRCH || n == -ENOENT)
			continue;
		if (n < 0)
			return n;
		if ((rc = linux_kent_parse(k, kbuf, (size_t)n)) < 0)
			return rc;
	}
	return 0;
}

/*
 * Brings k->kids up to date for epoch ep: opens the task directory,
 * lists it again when needed (see LINUX_RELIST_NS), and reads every
 * thread's children file.  Returns 0, -ESRCH or -errno.
 */
static int
linux_kent_update(struct linux_kent *k, uint64_t now, uint64_t ep)
{
	struct stat sb;
	char path[32];
	int rc;

	if (k->task_fd < 0) {
		snprintf(path, sizeof path, "%ld/task", (long)k->pid);
		rc = linux_fd_open(linux_core.proc_fd, path, O_DIRECTORY);
		if (rc < 0)
			return rc == -ENOENT ? -ESRCH : rc;
		k->task_fd = rc;
	}
	if (fstat(k->task_fd, &sb) < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	if (k->ntfd == 0 || (uint64_t)sb.st_nlink != k->nlink ||
	    now - k->listed_ns >= LINUX_RELIST_NS)
		if ((rc = linux_kent_relist(k, (uint64_t)sb.st_nlink, now)) < 0)
			return rc;
	if ((rc = linux_kent_read(k)) < 0)
		return rc;
	k->kids_epoch = ep;
	k->kids_ns = now;
	k->kids_ok = 1;
	return 0;
}

/*
 * Children of pid from its threads' children files, re-read when the
 * process table changed and the credit allows (see LINUX_TREE_DUTY).
 * Returns the number of children, -ESRCH or -errno.
 */
static int
linux_kids_files(int32_t pid, uint64_t now, uint64_t ep, int32_t *kids,
    size_t cap)
{
	struct linux_kent *k = linux_kent_get(pid);
	size_t at, i;
	int rc;

	if (k == NULL)
		return -ENOMEM;
	if (!k->kids_ok || (k->kids_epoch != ep && (linux_credit_allows(now) ||
	    now - k->kids_ns >= LINUX_TREE_MAX_AGE_NS))) {
		if ((rc = linux_kent_update(k, now, ep)) < 0) {
			if (linux_kent_find(pid, &at))
				linux_kent_drop(at);
			return rc;
		}
		linux_credit_charge(now);
	}
	for (i = 0; i < k->nkids && i < cap; i++)
		kids[i] = k->kids[i];
	return (int)k->nkids;
}

/* ------------------------------------------------------------- public */

/*
 * Stores up to cap pids of the direct children of pid, as of at most
 * LINUX_SIG_TTL_NS ago when the machine is quiet, LINUX_TREE_MAX_AGE_NS
 * when it churns.  Returns the number
 * of children (possibly more than cap), -ESRCH if pid is gone, or -errno.
 */
int
platform_list_children(int32_t pid, int32_t *kids, size_t cap)
{
	uint64_t now, ep;
	int rc;

	if (pid <= 0 || (kids == NULL && cap > 0))
		return -EINVAL;
	if ((rc = linux_setup()) < 0)
		return rc;
	now = linux_now_ns();
	ep = linux_epoch_get(now, 0);
	if (linux_core.kids_files)
		return linux_kids_files(pid, now, ep, kids, cap);
	return linux_kids_scan(pid, now, ep, kids, cap);
}

/* Where linux_list_add() stores pids. */
struct linux_pidlist {
	int32_t *pids;		/* caller's buffer */
	size_t cap;		/* its capacity */
	size_t n;		/* pids seen */
};

/* linux_dir_walk callback: stores one numeric /proc entry. */
static int
linux_list_add(void *ctx, const struct linux_dent *d)
{
	struct linux_pidlist *l = ctx;
	int32_t pid;

	if (!linux_name_pid(d->name, &pid))
		return 0;
	if (l->n < l->cap)
		l->pids[l->n] = pid;
	l->n++;
	return 0;
}

/*
 * Stores up to cap pids of all processes (one getdents pass over /proc).
 * Returns the number of processes, possibly more than cap, or -errno.
 */
int
platform_list_pids(int32_t *pids, size_t cap)
{
	struct linux_pidlist l = { .pids = pids, .cap = cap };
	int rc;

	if (pids == NULL && cap > 0)
		return -EINVAL;
	if ((rc = linux_setup()) < 0)
		return rc;
	if ((rc = linux_dir_walk(linux_core.proc_fd, linux_list_add, &l)) < 0)
		return rc;
	return l.n > INT32_MAX ? -EOVERFLOW : (int)l.n;
}

/*
 * pid was seen turning into a zombie: the kernel has already handed its
 * children to a reaper, though the signature moves only when pid is reaped.
 * Makes every cached answer stale, and marks pid's children in the scan
 * table so that their parent is read again.
 */
void
linux_tree_zombie(int32_t pid)
{
	size_t i;

	epoch++;
	for (i = 0; i < nrows; i++)
		if (rows[i].ppid == pid)
			rows[i].ino = 0;
}

/* pid left the tree: drops its children files. */
void
linux_tree_forget(int32_t pid)
{
	size_t at;

	if (linux_kent_find(pid, &at))
		linux_kent_drop(at);
}

/* Closes every descriptor and frees every table of this module. */
void
linux_tree_fini(void)
{
	while (nkents > 0)
		linux_kent_drop(nkents - 1);
	free(kents);
	free(kbuf);
	free(rows);
	free(rows_new);
	free(edges);
	kents = NULL;
	kbuf = NULL;
	rows = rows_new = NULL;
	edges = NULL;
	nkents = cap_kents = kbuf_cap = 0;
	nrows = nrows_new = cap_rows = cap_rows_new = 0;
	nedges = cap_edges = 0;
	linux_fd_close(&sig_fd);
	cmn_rate_init(&sig_rate, LINUX_SIG_TTL_NS);
	sig_last = 0;
	scan_done = 0;
	credit_ns = 0;
}

/* Linux has no responsible pid (contract in platform.h). */
int32_t
platform_responsible_pid(int32_t pid)
{
	(void)pid;
	return -ENOTSUP;
}

/* No responsible-pid lookup on Linux (contract in platform.h). */
const char *
platform_responsible_lookup(void)
{
	return "";
}

/* A fork of a process that dropped privileges (contract in platform.h). */
void
platform_child_readable(void)
{
	(void)prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}
