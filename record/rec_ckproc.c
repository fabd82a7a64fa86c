/*
 * rec_ckproc.c - phocus-record --check, the process sources (see
 * rec_ckproc.h).  Everything is read through platform.h and the shared
 * target code, as a recording reads it; the known child is a fork of the
 * check whose threads and disk writes are known by construction.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rec_ckproc.h"
#include "rec_target.h"

#define MIB (1024.0 * 1024.0)

/* ======================= The process list, itself ======================= */

/* How many processes the list has, and whether pid is one.  -errno. */
static int
ckproc_list(int32_t pid, int *found)
{
	int32_t *pids = NULL;
	int n = platform_list_pids(NULL, 0);

	*found = 0;
	for (int tries = 0; n >= 0 && tries < 4; tries++) {
		int32_t *p = realloc(pids, (size_t)(n + 64) * sizeof(*pids));
		if (p == NULL) {
			n = -ENOMEM;
			break;
		}
		pids = p;
		int cap = n + 64;
		if ((n = platform_list_pids(pids, (size_t)cap)) <= cap)
			break;
	}
	for (int i = 0; i < n; i++)
		*found |= pids[i] == pid;
	free(pids);
	return n;
}

/* The target-matching row: the check's own name finds the check. */
static void
ckproc_match(struct rec_ckrows *t, int32_t self, const char *name, const char *path)
{
	char other[PLAT_NAME_MAX], opath[PLAT_PATH_MAX];
	int32_t found = rec_target_find(name);
	struct rec_ck_row *r;

	if (found == self) {
		r = rec_ckrows_add(t, "target matching", 1, REC_CK_PASS,
		    "the name \"%s\" finds this check (pid %d)", name, (int)self);
	} else if (found > 0 && platform_proc_ident(found, other, sizeof(other), opath,
	    sizeof(opath)) == 0 && rec_target_score(name, other, opath) > 0 &&
	    rec_target_score(name, name, path) > 0) {
		r = rec_ckrows_add(t, "target matching", 1, REC_CK_PASS,
		    "the name \"%s\" finds pid %d, another %s (this check, pid %d, "
		    "matches as well)", name, (int)found, other, (int)self);
	} else {
		r = rec_ckrows_add(t, "target matching", 1, REC_CK_FAIL,
		    "the name \"%s\" of this check (pid %d) finds %d", name, (int)self,
		    (int)found);
		rec_ckrows_advise(r, "follow the target with -p PID; and please report "
		    "this row");
	}
	rec_ckrows_num(r, "found_pid", found);
}

void
rec_ckproc_self(struct rec_ckrows *t)
{
	char name[PLAT_NAME_MAX], path[PLAT_PATH_MAX];
	int32_t self = (int32_t)getpid();
	struct rec_ck_row *r;
	int found, n = ckproc_list(self, &found);

	if (n < 0 || !found) {
		if (n < 0)
			r = rec_ckrows_add(t, "process list", 1, REC_CK_FAIL,
			    "cannot list processes: %s", strerror(-n));
		else
			r = rec_ckrows_add(t, "process list", 1, REC_CK_FAIL, "%d processes, "
			    "this check (pid %d) not among them", n, (int)self);
		rec_ckrows_advise(r, "please report this row: nothing can be recorded");
		return;
	}
	r = rec_ckrows_add(t, "process list", 1, REC_CK_PASS,
	    "%d processes, this check (pid %d) among them", n, (int)self);
	rec_ckrows_num(r, "processes", n);
	rec_ckrows_num(r, "self_pid", self);
	if (platform_proc_ident(self, name, sizeof(name), path, sizeof(path)) != 0 ||
	    name[0] == '\0') {
		r = rec_ckrows_add(t, "target matching", 1, REC_CK_FAIL,
		    "cannot read the name of this check (pid %d)", (int)self);
		rec_ckrows_advise(r, "follow the target with -p PID; and please report "
		    "this row");
		return;
	}
	ckproc_match(t, self, name, path);
}

/* ======================= The known child ======================= */

/* A thread of the child: waits until the check lets the child go. */
static void *
child_thread(void *arg)
{
	char b;
	int fd = *(int *)arg;

	while (read(fd, &b, 1) > 0 || errno == EINTR)
		;
	return NULL;
}

/* Writes and syncs REC_CK_DISK_BYTES to a file in TMPDIR and removes it.
 * Returns 0 or -1. */
static int
child_write(void)
{
	static char block[64 << 10];
	const char *dir = getenv("TMPDIR");
	char path[1024];
	int fd, rc = 0;

	snprintf(path, sizeof(path), "%s/phocus-check.XXXXXX",
	    dir != NULL && dir[0] != '\0' ? dir : "/tmp");
	if ((fd = mkstemp(path)) < 0)
		return -1;
	(void)unlink(path);
	memset(block, 'x', sizeof(block));
	for (size_t done = 0; done < REC_CK_DISK_BYTES && rc == 0; done += sizeof(block))
		rc = write(fd, block, sizeof(block)) == (ssize_t)sizeof(block) ? 0 : -1;
	if (rc == 0)
		rc = fsync(fd);
	close(fd);
	return rc;
}

/* The child: threads, the file, "ready", then waits to be let go. */
static void
child_main(int ready_w, int hold_r)
{
	pthread_t th;
	char ok;

	platform_child_readable();
	for (int i = 1; i < REC_CK_THREADS; i++)
		if (pthread_create(&th, NULL, child_thread, &hold_r) != 0)
			_exit(1);
	ok = child_write() == 0 ? 'w' : 'n';
	if (write(ready_w, &ok, 1) != 1)
		_exit(1);
	child_thread(&hold_r);
	_exit(0);
}

/* The known child while it runs. */
struct ck_child {
	pid_t pid;
	int hold_w;			/* closing it lets the child go */
	char ready;			/* 'w': wrote the file, 'n': could not, 0: died */
};

/* Starts the child and waits for it to be ready.  0 or -errno. */
static int
child_start(struct ck_child *c)
{
	int rd[2], hold[2];

	if (pipe(rd) != 0)
		return -errno;
	if (pipe(hold) != 0) {
		close(rd[0]);
		close(rd[1]);
		return -errno;
	}
	fflush(NULL);
	if ((c->pid = fork()) == 0) {
		close(rd[0]);
		close(hold[1]);
		child_main(rd[1], hold[0]);
	}
	close(rd[1]);
	close(hold[0]);
	c->hold_w = hold[1];
	c->ready = 0;
	if (c->pid < 0) {
		close(rd[0]);
		close(hold[1]);
		return -errno;
	}
	while (read(rd[0], &c->ready, 1) < 0 && errno == EINTR)
		;
	close(rd[0]);
	return 0;
}

/* Lets the child go and reaps it. */
static void
child_end(struct ck_child *c)
{
	int st;

	close(c->hold_w);
	while (waitpid(c->pid, &st, 0) < 0 && errno == EINTR)
		;
}

/* The tree row: the child is found below the check.  1 if so. */
static int
ckproc_tree(struct rec_ckrows *t, pid_t child)
{
	static int32_t tree[REC_TREE_MAX], parents[REC_TREE_MAX];
	int32_t self = (int32_t)getpid();
	size_t cut;
	int n = rec_target_walk(self, tree, parents, REC_TREE_MAX, &cut);
	struct rec_ck_row *r;

	for (int i = 0; i < n; i++)
		if (tree[i] == (int32_t)child && parents[i] == self) {
			rec_ckrows_add(t, "process tree", 1, REC_CK_PASS, "this check's tree: "
			    "%d process%s, its child (pid %d) among them", n, n == 1 ? "" :
			    "es", (int)child);
			return 1;
		}
	r = rec_ckrows_add(t, "process tree", 1, REC_CK_FAIL, "this check's tree "
	    "(%d process%s) lacks its child, pid %d", n, n == 1 ? "" : "es", (int)child);
	rec_ckrows_advise(r, "please report this row: a recording would miss the "
	    "target's children");
	return 0;
}

/* Own CPU time of p in seconds (NaN when not read). */
static double
ckproc_cpu_s(const struct plat_info *info, const struct plat_proc *p)
{
	if (p->have & PLAT_HAVE_CPU_NS)
		return (double)p->cpu_ns / 1e9;
	if (!(p->have & PLAT_HAVE_CPU) || info->cpu_time_den == 0)
		return 0.0 / 0.0;
	return (double)(p->user + p->system) * (double)info->cpu_time_num /
	    (double)info->cpu_time_den / 1e9;
}

/* The counters row: what a recording reads of every process. */
static void
ckproc_counters(struct rec_ckrows *t, const struct plat_info *info,
    const struct plat_proc *p, int rc)
{
	const unsigned must = PLAT_HAVE_CPU | PLAT_HAVE_RSS | PLAT_HAVE_START;
	struct rec_ck_row *r;

	if (rc != 0 || (p->have & must) != must) {
		r = rec_ckrows_add(t, "counters", 1, REC_CK_FAIL, "the check's child "
		    "(pid %d): %s", (int)p->pid, rc != 0 ? strerror(-rc) :
		    "CPU time, resident size or start time missing");
		rec_ckrows_advise(r, "please report this row: a recording would have "
		    "no CPU or memory");
		return;
	}
	r = rec_ckrows_add(t, "counters", 1, REC_CK_PASS, "the check's child (pid %d, "
	    "%s): CPU %.3f s, resident %.1f MiB; reaped children's CPU %s; CPU unit "
	    "%llu/%llu ns", (int)p->pid, p->name, ckproc_cpu_s(info, p),
	    (double)p->rss / MIB, p->have & PLAT_HAVE_CHILD_CPU ? "read" : "not read",
	    (unsigned long long)info->cpu_time_num, (unsigned long long)info->cpu_time_den);
	rec_ckrows_num(r, "pid", p->pid);
	rec_ckrows_num(r, "cpu_s", ckproc_cpu_s(info, p));
	rec_ckrows_num(r, "rss_bytes", (double)p->rss);
}

/* The threads row: the child has REC_CK_THREADS. */
static void
ckproc_threads(struct rec_ckrows *t, const struct plat_proc *p)
{
	struct rec_ck_row *r;

	if (!(p->have & PLAT_HAVE_THREADS)) {
		r = rec_ckrows_add(t, "threads", 0, REC_CK_FAIL, "not read");
		rec_ckrows_advise(r, "please report this row: traces will have no "
		    "thread counts");
		return;
	}
	r = rec_ckrows_add(t, "threads", 0, p->threads == REC_CK_THREADS ? REC_CK_PASS :
	    REC_CK_FAIL, "the check's child has %llu (it started %d)",
	    (unsigned long long)p->threads, REC_CK_THREADS);
	if (p->threads != REC_CK_THREADS)
		rec_ckrows_advise(r, "please report this row: thread counts are off");
	rec_ckrows_num(r, "threads", (double)p->threads);
}

/* The disk-bytes row: the child wrote and synced REC_CK_DISK_BYTES. */
static void
ckproc_disk(struct rec_ckrows *t, const struct plat_proc *p, char ready)
{
	struct rec_ck_row *r;

	if (!(p->have & PLAT_HAVE_IO)) {
		r = rec_ckrows_add(t, "disk bytes", 0, REC_CK_FAIL, "not read");
		rec_ckrows_advise(r, "please report this row: traces will have no disk bytes");
		return;
	}
	if (ready != 'w') {
		r = rec_ckrows_add(t, "disk bytes", 0, REC_CK_PASS, "read %.1f MiB, written "
		    "%.1f MiB (the child could not write its file in TMPDIR: not checked)",
		    (double)p->read_bytes / MIB, (double)p->write_bytes / MIB);
		return;
	}
	r = rec_ckrows_add(t, "disk bytes", 0, p->write_bytes >= REC_CK_DISK_BYTES ?
	    REC_CK_PASS : REC_CK_FAIL, "the check's child wrote and synced %.1f MiB: "
	    "%.1f MiB written counted", REC_CK_DISK_BYTES / MIB,
	    (double)p->write_bytes / MIB);
	if (p->write_bytes < REC_CK_DISK_BYTES)
		rec_ckrows_advise(r, "disk writes are undercounted here (TMPDIR on a "
		    "file system in memory?); please report this row");
	rec_ckrows_num(r, "write_bytes", (double)p->write_bytes);
}

/* The footprint and CPU-energy rows (macOS sources). */
static void
ckproc_macos(struct rec_ckrows *t, const struct plat_proc *p, unsigned features)
{
	struct rec_ck_row *r;

	if (!(features & PLAT_F_FOOTPRINT))
		rec_ckrows_add(t, "footprint", 0, REC_CK_NA, "not on this system "
		    "(macOS physical footprint)");
	else if (!(p->have & PLAT_HAVE_FOOTPRINT))
		rec_ckrows_advise(rec_ckrows_add(t, "footprint", 0, REC_CK_FAIL, "not read"),
		    "please report this row: traces will have no footprint");
	else {
		r = rec_ckrows_add(t, "footprint", 0, REC_CK_PASS, "the check's child: "
		    "%.1f MiB", (double)p->footprint / MIB);
		rec_ckrows_num(r, "footprint_bytes", (double)p->footprint);
	}
	if (!(features & PLAT_F_CPU_ENERGY))
		rec_ckrows_add(t, "CPU energy", 0, REC_CK_NA, "not on this system "
		    "(macOS per-process CPU energy)");
	else if (!(p->have & PLAT_HAVE_CPU_ENERGY))
		rec_ckrows_add(t, "CPU energy", 0, REC_CK_SKIP, "not read (older macOS "
		    "without it in proc_pid_rusage)");
	else
		rec_ckrows_add(t, "CPU energy", 0, REC_CK_PASS, "the check's child: "
		    "%.3f J", (double)p->cpu_energy_nj / 1e9);
}

void
rec_ckproc_child(struct rec_ckrows *t, const struct plat_info *info, unsigned features)
{
	struct ck_child c;
	struct plat_proc p;
	int rc = child_start(&c);

	if (rc != 0 || c.ready == 0) {
		rec_ckrows_advise(rec_ckrows_add(t, "process tree", 1, REC_CK_FAIL,
		    "cannot start a child to look at: %s", rc ? strerror(-rc) :
		    "it died"), "please report this row");
		if (rc == 0)
			child_end(&c);
		return;
	}
	(void)ckproc_tree(t, c.pid);
	memset(&p, 0, sizeof(p));
	rc = platform_sample_proc(c.pid, PLAT_WANT_NAME | PLAT_WANT_COSTLY |
	    PLAT_WANT_FINAL, &p);
	p.pid = c.pid;
	ckproc_counters(t, info, &p, rc);
	if (rc == 0) {
		ckproc_threads(t, &p);
		ckproc_disk(t, &p, c.ready);
		ckproc_macos(t, &p, features);
	}
	child_end(&c);
	platform_forget_proc(c.pid);
}

/* ======================= The target ======================= */

/* The target row for a pid that runs. */
static void
ckproc_target_read(struct rec_ckrows *t, const struct plat_info *info, int32_t pid)
{
	static int32_t tree[REC_TREE_MAX], parents[REC_TREE_MAX];
	char name[PLAT_NAME_MAX] = "", path[PLAT_PATH_MAX] = "";
	struct plat_proc p;
	struct rec_ck_row *r;
	size_t cut;
	int n, rc;

	(void)platform_proc_ident(pid, name, sizeof(name), path, sizeof(path));
	memset(&p, 0, sizeof(p));
	rc = platform_sample_proc(pid, PLAT_WANT_NAME | PLAT_WANT_FINAL, &p);
	if (rc != 0) {
		r = rec_ckrows_add(t, "target", 1, REC_CK_FAIL, "pid %d (%s): cannot be "
		    "read: %s", (int)pid, name, strerror(-rc));
		rec_ckrows_advise(r, "%s", rc == -EACCES ? "it belongs to another user: "
		    "run as that user, or with sudo" : "please report this row");
		return;
	}
	n = rec_target_walk(pid, tree, parents, REC_TREE_MAX, &cut);
	r = rec_ckrows_add(t, "target", 1, REC_CK_PASS, "pid %d (%s): CPU %.3f s, "
	    "resident %.1f MiB, %llu threads; its tree: %d process%s%s", (int)pid, name,
	    ckproc_cpu_s(info, &p), (double)p.rss / MIB, (unsigned long long)p.threads,
	    n, n == 1 ? "" : "es", cut > 0 ? " (more not followed)" : "");
	rec_ckrows_num(r, "pid", pid);
	rec_ckrows_str(r, "name", name);
	rec_ckrows_num(r, "cpu_s", ckproc_cpu_s(info, &p));
	rec_ckrows_num(r, "rss_bytes", (double)p.rss);
	rec_ckrows_num(r, "threads", p.have & PLAT_HAVE_THREADS ? (double)p.threads :
	    0.0 / 0.0);
	rec_ckrows_num(r, "tree_processes", n);
}

void
rec_ckproc_target(struct rec_ckrows *t, const struct plat_info *info, int32_t pid,
    const char *name)
{
	char nm[PLAT_NAME_MAX], path[PLAT_PATH_MAX];
	int32_t found;

	if (pid > 0) {
		if (platform_proc_ident(pid, nm, sizeof(nm), path, sizeof(path)) == -ESRCH)
			rec_ckrows_advise(rec_ckrows_add(t, "target", 1, REC_CK_FAIL,
			    "no process with pid %d", (int)pid), "give the pid of a running "
			    "process (-p), or its name (-n)");
		else
			ckproc_target_read(t, info, pid);
		return;
	}
	if ((found = rec_target_find(name)) > 0) {
		ckproc_target_read(t, info, found);
		return;
	}
	rec_ckrows_add(t, "target", 0, REC_CK_SKIP, "no process named \"%s\" runs now "
	    "(start it before recording, or record with --wait)", name);
}

/* ======================= The responsible pid ======================= */

void
rec_ckproc_responsible(struct rec_ckrows *t, unsigned features)
{
	char name[PLAT_NAME_MAX] = "", path[PLAT_PATH_MAX];
	int32_t self = (int32_t)getpid();
	int32_t r = platform_responsible_pid(self);
	const char *how = platform_responsible_lookup();
	struct rec_ck_row *row;

	if (r == -ENOTSUP || !(features & PLAT_F_RESPONSIBLE)) {
		rec_ckrows_add(t, "responsible pid", 0, REC_CK_NA, "not on this system "
		    "(macOS: the app an XPC service or helper works for)");
		return;
	}
	if (r < 0) {
		row = rec_ckrows_add(t, "responsible pid", 0, REC_CK_FAIL, "%s",
		    r == -ENOSYS || how[0] == '\0' ? "responsibility_get_pid_responsible_"
		    "for_pid is missing from this macOS" : strerror(-r));
		rec_ckrows_advise(row, "helper processes outside the target's tree "
		    "(XPC services) cannot be found; please report this row");
		return;
	}
	(void)platform_proc_ident(r, name, sizeof(name), path, sizeof(path));
	row = rec_ckrows_add(t, "responsible pid", 0, REC_CK_PASS, "%s: this check "
	    "(pid %d) answers to pid %d (%s)", how, (int)self, (int)r, name);
	rec_ckrows_num(row, "responsible_pid", r);
	rec_ckrows_str(row, "lookup", how);
}
