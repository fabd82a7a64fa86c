/*
 * test_plat_backend.c - the real platform backend against real processes
 * that this test forks: CPU, memory, I/O, children, zombies, reaped pids,
 * system ticks, descriptor leaks.  Expected values come from the workloads'
 * own accounting (getrusage, what they allocated or wrote), never from the
 * backend.  Uses only platform.h and POSIX, so it fits any real backend;
 * the few Linux-only cross-checks are marked and skipped (and counted)
 * elsewhere.  It does not test the fake backend or the recorder.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "platform.h"
#include "tap.h"


#define MIB (1024u * 1024u)

enum {
	KIDS_MAX = 64,		/* children a listing is read into */
	POLL_MS = 5,		/* poll period when waiting for the backend */
	POLL_TRIES = 600	/* 3 s at most */
};

/* A forked workload and its two pipes. */
struct kid {
	pid_t pid;	/* the child */
	int from;	/* what the child reports */
	int to;		/* commands to the child; closing it ends the child */
};

/* What a workload reports: a tag and a number. */
struct msg {
	char tag;	/* 'U' usage ns, 'P' pid, 'R' ready, 'T' touched */
	int64_t val;	/* the number */
};

/* A workload run in the child: reports on out, reads commands on in. */
typedef void (*kid_fn)(int out, int in);

static struct plat_info info;
static const char *self_path;	/* argv[0] of this test */

/* ------------------------------------------------------------ helpers */

/* Sleeps ms milliseconds. */
static void
nap(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* CPU time (user + system) of who (RUSAGE_SELF/CHILDREN), in ns. */
static int64_t
usage_ns(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return ((int64_t)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) *
	    1000000000 + ((int64_t)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) *
	    1000;
}

static volatile uint64_t burn_sink;	/* keeps burn_ms() from being elided */

/* Spins until this process has used ms more milliseconds of CPU. */
static void
burn_ms(unsigned ms)
{
	int64_t end = usage_ns(RUSAGE_SELF) + (int64_t)ms * 1000000;

	while (usage_ns(RUSAGE_SELF) < end)
		for (int i = 0; i < 10000; i++)
			burn_sink += (uint64_t)i;
}

/* Converts backend CPU units to ns with plat_info's num/den. */
static double
units_ns(uint64_t units)
{
	return (double)units * (double)info.cpu_time_num /
	    (double)info.cpu_time_den;
}

/* CPU tolerance: pct percent of want plus ticks units of the backend. */
static double
cpu_tol(double want, double pct, double ticks)
{
	return want * pct / 100.0 + units_ns(1) * ticks;
}

/* Writes one message (atomic: smaller than PIPE_BUF). */
static void
msg_send(int fd, char tag, int64_t val)
{
	struct msg m = { tag, val };

	if (write(fd, &m, sizeof m) != (ssize_t)sizeof m)
		_exit(2);
}

/* Reads one message.  Returns 0, or -1 at end of file. */
static int
msg_recv(int fd, struct msg *m)
{
	size_t got = 0;
	ssize_t n;

	while (got < sizeof *m) {
		n = read(fd, (char *)m + got, sizeof *m - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/* In a workload: waits for a command byte; ends the child at end of file. */
static char
cmd_wait(int in)
{
	char c;
	ssize_t n;

	do
		n = read(in, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(0);
	return c;
}

/* Closes every descriptor but keep1 and keep2 and the standard ones. */
static void
close_others(int keep1, int keep2)
{
	for (int fd = 3; fd < 1024; fd++)
		if (fd != keep1 && fd != keep2)
			close(fd);
}

/* Forks a child that runs fn.  Returns 0, or -1 (the check fails). */
static int
kid_start(struct kid *k, kid_fn fn)
{
	int up[2], down[2];

	if (pipe(up) < 0)
		return -1;
	if (pipe(down) < 0) {
		close(up[0]);
		close(up[1]);
		return -1;
	}
	fflush(stdout);
	if ((k->pid = fork()) == 0) {
		close_others(up[1], down[0]);
		fn(up[1], down[0]);
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	k->from = up[0];
	k->to = down[1];
	return k->pid > 0 ? 0 : -1;
}

/* Sends command c to the child. */
static void
kid_cmd(struct kid *k, char c)
{
	if (write(k->to, &c, 1) != 1)
		perror("kid_cmd");
}

/* Ends the child (end of file on its commands) and reaps it. */
static void
kid_end(struct kid *k)
{
	close(k->to);
	waitpid(k->pid, NULL, 0);
	close(k->from);
}

/* Samples pid.  Returns platform_sample_proc's value. */
static int
sample(pid_t pid, unsigned want, struct plat_proc *p)
{
	return platform_sample_proc((int32_t)pid, want, p);
}

/* Tells whether the n pids of a and of b are the same set. */
static int
same_set(const int32_t *a, const int32_t *b, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < n && a[i] != b[j]; j++)
			;
		if (j == n)
			return 0;
	}
	return 1;
}

/*
 * Waits until the children of pid are exactly want[0..n) (a backend may
 * answer from a snapshot a few ms old).  Returns 1, or 0 after POLL_TRIES
 * with the last answer printed.
 */
static int
kids_become(pid_t pid, const int32_t *want, size_t n)
{
	int32_t got[KIDS_MAX];
	int rc = 0, i, t;

	for (t = 0; t < POLL_TRIES; t++) {
		rc = platform_list_children((int32_t)pid, got, KIDS_MAX);
		if (rc == (int)n && same_set(got, want, n))
			return 1;
		nap(POLL_MS);
	}
	printf("#   children of %ld: rc %d:", (long)pid, rc);
	for (i = 0; i < rc && i < KIDS_MAX; i++)
		printf(" %ld", (long)got[i]);
	printf("\n");
	return 0;
}

/* Counts the open descriptors of this process (fcntl, no /proc). */
static int
count_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 4096; fd++)
		if (fcntl(fd, F_GETFD) != -1)
			n++;
	return n;
}

/* Records a skipped check (counted as passed, marked SKIP). */
static void
skip(const char *what, const char *why)
{
	char line[256];

	snprintf(line, sizeof line, "%s # SKIP %s", what, why);
	CHECK(1, line);
}

/* -------------------------------------------------------- workloads */

/* Blocks until end of file. */
static void
work_idle(int out, int in)
{
	(void)out;
	for (;;)
		cmd_wait(in);
}

/* Burns 500 ms of CPU, reports its own usage, then idles. */
static void
work_burn(int out, int in)
{
	burn_ms(500);
	msg_send(out, 'U', usage_ns(RUSAGE_SELF));
	work_idle(out, in);
}

/* Burns 300 ms of CPU, reports its usage and exits (becomes a zombie). */
static void
work_burn_exit(int out, int in)
{
	(void)in;
	burn_ms(300);
	msg_send(out, 'U', usage_ns(RUSAGE_SELF));
	_exit(0);
}

/*
 * One store per page, not instrumented: under ASan every checked store (and
 * memset's interceptor) faults in the range's shadow too, so 64 MiB touched
 * read as 72 (64 x 9/8).  The attribute is GCC's and clang's spelling.
 */
__attribute__((no_sanitize_address)) static void
touch_pages(volatile char *p, size_t len)
{
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 0x5a;
}

/* Maps 64 MiB, reports 'R'; on command touches it all, reports 'T'. */
static void
work_mem(int out, int in)
{
	size_t len = 64 * (size_t)MIB;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		_exit(3);
	msg_send(out, 'R', 0);
	cmd_wait(in);
	touch_pages(p, len);
	msg_send(out, 'T', (int64_t)len);
	work_idle(out, in);
}

/* Forks a grandchild that forks a great-grandchild; all report and idle. */
static void
work_tree(int out, int in)
{
	pid_t b = fork(), c;
	char x;

	if (b == 0) {
		if ((c = fork()) == 0) {
			msg_send(out, 'C', getpid());
			work_idle(out, in);
		}
		msg_send(out, 'B', getpid());
		while (read(in, &x, 1) > 0)
			;
		waitpid(c, NULL, 0);
		_exit(0);
	}
	while (read(in, &x, 1) > 0)
		;
	waitpid(b, NULL, 0);
}

/* ------------------------------------------------------------- tests */

/* platform_init's static facts are sane. */
static void
test_init(void)
{
	int rc = platform_init(&info);
	long ps = sysconf(_SC_PAGESIZE);

	CHECK_I64(rc, 0, "init returns 0");
	CHECK(info.platform[0] != '\0', "init: platform named");
	CHECK(info.os_name[0] != '\0', "init: os_name set");
	CHECK(info.cpus_logical >= 1, "init: cpus_logical >= 1");
	CHECK(info.cores_p >= 1 && info.cores_p <= info.cpus_logical,
	    "init: 1 <= cores_p <= cpus_logical");
	CHECK(info.cores_e >= -1, "init: cores_e >= -1");
	CHECK(info.ram_bytes > 0, "init: ram_bytes > 0");
	CHECK_U64(info.page_size, (uint64_t)ps, "init: page_size = sysconf");
	CHECK(info.cpu_time_num > 0 && info.cpu_time_den > 0,
	    "init: cpu_time_num/den > 0");
	CHECK(info.core_tick_hz > 0, "init: core_tick_hz > 0");
	CHECK(info.core_tick_states[0] != '\0', "init: tick states named");
	CHECK(info.costly_what[0] == '\0' || info.costly_min_ms > 0,
	    "init: costly_min_ms set when something is costly");
}

/* The clock moves forward by about a sleep. */
static void
test_clock(void)
{
	uint64_t t0 = platform_now_ns(), t1;

	nap(20);
	t1 = platform_now_ns();
	CHECK(t1 > t0, "now_ns increases");
	CHECK(t1 - t0 >= 20000000u && t1 - t0 < 1000000000u,
	    "now_ns advances by a 20 ms sleep");
}

/* list_pids has this process; the count does not depend on cap. */
static void
test_list_pids(void)
{
	int32_t *pids;
	int n, n0, i, found = 0;

	n0 = platform_list_pids(NULL, 0);
	CHECK(n0 >= 1, "list_pids(NULL, 0) counts processes");
	pids = calloc((size_t)n0 + 256, sizeof *pids);
	n = platform_list_pids(pids, (size_t)n0 + 256);
	for (i = 0; i < n && i < n0 + 256; i++)
		found |= pids[i] == getpid();
	CHECK(found, "list_pids contains getpid()");
	CHECK(platform_list_pids(pids, 1) >= 1, "list_pids with cap 1");
	free(pids);
}

/* proc_ident of self: name and path as this test was started. */
static void
test_ident_self(void)
{
	char name[PLAT_NAME_MAX], path[PLAT_PATH_MAX], real[PATH_MAX];
	const char *base = strrchr(self_path, '/');
	size_t blen, nlen;

	base = base ? base + 1 : self_path;
	blen = strlen(base);
	CHECK_I64(platform_proc_ident(getpid(), name, sizeof name, path,
	    sizeof path), 0, "proc_ident(self) returns 0");
	nlen = strlen(name);
	CHECK(nlen >= (blen < 15 ? blen : 15) && strncmp(name, base, nlen) == 0,
	    "proc_ident(self): name is the program name (maybe truncated)");
	if (strchr(self_path, '/') != NULL && realpath(self_path, real))
		CHECK_STR(path, real, "proc_ident(self): path is the program");
	else
		skip("proc_ident(self): path", "argv[0] has no '/'");
	CHECK_I64(platform_proc_ident(getpid(), name, 4, path, 4), 0,
	    "proc_ident with small buffers");
	CHECK(strlen(name) <= 3 && strlen(path) <= 3,
	    "proc_ident truncates into small buffers");
}

/* Sampling self: the cheap counters and what they say about us. */
static void
test_sample_self(void)
{
	struct plat_proc p;
	int rc = sample(getpid(), PLAT_WANT_NAME, &p);
	const unsigned need = PLAT_HAVE_CPU | PLAT_HAVE_RSS | PLAT_HAVE_START |
	    PLAT_HAVE_PPID | PLAT_HAVE_THREADS | PLAT_HAVE_NAME;

	CHECK_I64(rc, 0, "sample(self) returns 0");
	CHECK((p.have & need) == need, "sample(self): cpu rss start ppid "
	    "threads name present");
	CHECK_I64(p.pid, getpid(), "sample(self): pid");
	CHECK_I64(p.ppid, getppid(), "sample(self): ppid = getppid()");
	CHECK(p.rss > 0, "sample(self): rss > 0");
	CHECK(p.threads >= 1, "sample(self): threads >= 1");
	CHECK(p.name[0] != '\0', "sample(self): name");
	CHECK(units_ns(p.user + p.system) <= (double)usage_ns(RUSAGE_SELF) +
	    cpu_tol(0, 0, 2), "sample(self): cpu <= own getrusage");
	CHECK(platform_sample_proc(0, 0, &p) < 0, "sample(0) fails");
	CHECK(platform_sample_proc(-5, 0, &p) < 0, "sample(-5) fails");
}

/* Blocks on a pipe until it closes. */
static void *
thread_block(void *arg)
{
	char c;

	while (read(*(int *)arg, &c, 1) > 0)
		;
	return NULL;
}

/* The thread count follows threads this test creates. */
static void
test_threads(void)
{
	struct plat_proc p0, p1;
	pthread_t t[3];
	int fds[2], i;

	if (pipe(fds) < 0)
		return;
	sample(getpid(), 0, &p0);
	for (i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, thread_block, &fds[0]);
	sample(getpid(), 0, &p1);
	CHECK_U64(p1.threads, p0.threads + 3, "threads: +3 after 3 threads");
	close(fds[1]);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	close(fds[0]);
}

/* A child's CPU matches its own getrusage; forget + sample again works. */
static void
test_cpu_child(void)
{
	struct kid k;
	struct msg m;
	struct plat_proc p, q;
	double got;

	if (kid_start(&k, work_burn) < 0 || msg_recv(k.from, &m) < 0) {
		CHECK(0, "cpu child started");
		return;
	}
	CHECK_I64(sample(k.pid, 0, &p), 0, "sample(cpu child) returns 0");
	got = units_ns(p.user + p.system);
	CHECK_NEAR(got / 1e6, (double)m.val / 1e6,
	    cpu_tol((double)m.val, 2, 2) / 1e6,
	    "cpu child: user+system (ms) = its getrusage");
	CHECK_I64(p.ppid, getpid(), "cpu child: ppid is this test");
	platform_forget_proc(k.pid);
	CHECK_I64(sample(k.pid, 0, &q), 0, "forget then sample again: 0");
	CHECK_U64(q.start_time, p.start_time, "forget: same start_time");
	CHECK(q.user + q.system >= p.user + p.system,
	    "forget: cpu does not go back");
	kid_end(&k);
	platform_forget_proc(k.pid);
}

/* A zombie child reports its final CPU; once reaped, -ESRCH. */
static void
test_zombie(void)
{
	struct kid k;
	struct msg m;
	struct plat_proc p;
	siginfo_t si;
	char name[PLAT_NAME_MAX], path[PLAT_PATH_MAX];
	int rc, t;

	if (kid_start(&k, work_burn_exit) < 0 || msg_recv(k.from, &m) < 0) {
		CHECK(0, "zombie child started");
		return;
	}
	memset(&si, 0, sizeof si);
	waitid(P_PID, (id_t)k.pid, &si, WEXITED | WNOWAIT);
	CHECK_I64(si.si_pid, k.pid, "zombie: exited, not reaped");
	rc = sample(k.pid, 0, &p);
	CHECK_I64(rc, 0, "sample(zombie) returns 0");
	CHECK(p.have & PLAT_HAVE_CPU, "sample(zombie): cpu present");
	CHECK_NEAR(units_ns(p.user + p.system) / 1e6, (double)m.val / 1e6,
	    cpu_tol((double)m.val, 2, 2) / 1e6,
	    "zombie: final user+system (ms) = its getrusage");
	CHECK_I64(platform_proc_ident(k.pid, name, sizeof name, path,
	    sizeof path), 0, "proc_ident(zombie) returns 0");
	/* a zombie has no memory map to read PSS from, yet it is there */
	rc = sample(k.pid, PLAT_WANT_COSTLY, &p);
	CHECK_I64(rc, 0, "sample(zombie, costly) returns 0");
	CHECK_NEAR(units_ns(p.user + p.system) / 1e6, (double)m.val / 1e6,
	    cpu_tol((double)m.val, 2, 2) / 1e6,
	    "zombie, costly: final user+system (ms) = its getrusage");
	CHECK((p.have & PLAT_HAVE_PSS) && p.pss == 0,
	    "zombie, costly: PSS 0 (it holds no memory)");
	kid_end(&k);
	CHECK_I64(sample(k.pid, 0, &p), -ESRCH, "sample(reaped) = -ESRCH");
	CHECK_I64(sample(k.pid, 0, &p), -ESRCH, "sample(reaped) again");
	CHECK_I64(platform_proc_ident(k.pid, name, sizeof name, path,
	    sizeof path), -ESRCH, "proc_ident(reaped) = -ESRCH");
	for (t = 0; t < POLL_TRIES; t++) {
		if ((rc = platform_list_children(k.pid, NULL, 0)) == -ESRCH)
			break;
		nap(POLL_MS);
	}
	CHECK_I64(rc, -ESRCH, "list_children(reaped) = -ESRCH");
	platform_forget_proc(k.pid);
}

/* A child touching 64 MiB: rss grows by 64 MiB; PSS on request. */
static void
test_memory(void)
{
	struct kid k;
	struct msg m;
	struct plat_proc p0, p1, p2;
	double want = 64.0 * MIB;

	if (kid_start(&k, work_mem) < 0 || msg_recv(k.from, &m) < 0) {
		CHECK(0, "memory child started");
		return;
	}
	sample(k.pid, 0, &p0);
	kid_cmd(&k, 't');
	if (msg_recv(k.from, &m) < 0) {
		CHECK(0, "memory child touched its memory");
		kid_end(&k);
		return;
	}
	CHECK_I64(sample(k.pid, 0, &p1), 0, "sample(memory child) returns 0");
	CHECK(p1.rss >= 64u * MIB, "memory child: rss >= 64 MiB");
	CHECK_NEAR((double)(p1.rss - p0.rss) / MIB, want / MIB,
	    want * 0.10 / MIB, "memory child: rss grew by 64 MiB (+-10%)");
	CHECK_I64(sample(k.pid, PLAT_WANT_COSTLY, &p2), 0,
	    "sample(memory child, costly) returns 0");
	if (strcmp(info.costly_what, "pss") == 0) {
		CHECK(p2.have & PLAT_HAVE_PSS, "costly: pss present");
		CHECK(p2.pss >= (uint64_t)(want * 0.95) &&
		    p2.pss <= p2.rss + MIB, "costly: 64 MiB <= pss <= rss");
	} else {
		skip("costly: pss present", "backend reads no pss");
		skip("costly: 64 MiB <= pss <= rss", "backend reads no pss");
	}
	CHECK(!(p1.have & PLAT_HAVE_PSS), "pss absent unless asked");
	kid_end(&k);
	platform_forget_proc(k.pid);
}

/* Reaping a CPU-burning child raises child_user + child_system. */
static void
test_child_cpu(void)
{
	struct kid k;
	struct msg m;
	struct plat_proc p0, p1;
	int64_t r0 = usage_ns(RUSAGE_CHILDREN), r1;

	sample(getpid(), 0, &p0);
	if (kid_start(&k, work_burn_exit) < 0 || msg_recv(k.from, &m) < 0) {
		CHECK(0, "child-cpu child started");
		return;
	}
	kid_end(&k);
	r1 = usage_ns(RUSAGE_CHILDREN);
	CHECK_I64(sample(getpid(), 0, &p1), 0, "sample(self) after reaping");
	CHECK(p1.have & PLAT_HAVE_CHILD_CPU, "child cpu present");
	CHECK_NEAR(units_ns(p1.child_user + p1.child_system -
	    p0.child_user - p0.child_system) / 1e6, (double)m.val / 1e6,
	    cpu_tol((double)m.val, 3, 3) / 1e6,
	    "child cpu grew by the reaped child's getrusage (ms)");
	CHECK_NEAR((double)(r1 - r0) / 1e6, (double)m.val / 1e6,
	    cpu_tol((double)m.val, 3, 3) / 1e6,
	    "(workload check: RUSAGE_CHILDREN agrees)");
	platform_forget_proc(k.pid);
}

/* Two processes started 50 ms apart have different start times. */
static void
test_start_time(void)
{
	struct kid a, b;
	struct plat_proc pa, pb, ps;

	if (kid_start(&a, work_idle) < 0)
		return;
	nap(50);
	if (kid_start(&b, work_idle) < 0) {
		kid_end(&a);
		return;
	}
	sample(a.pid, 0, &pa);
	sample(b.pid, 0, &pb);
	sample(getpid(), 0, &ps);
	CHECK(pa.have & pb.have & PLAT_HAVE_START, "start_time present");
	CHECK(pa.start_time != pb.start_time, "start_time: two children "
	    "50 ms apart differ");
	CHECK(ps.start_time != pa.start_time, "start_time: self and child "
	    "differ");
	kid_end(&a);
	kid_end(&b);
	platform_forget_proc(a.pid);
	platform_forget_proc(b.pid);
}

/* What the forking thread shares with the main one. */
struct fork_thread {
	struct kid k;	/* child forked by the thread */
	int go[2];	/* the thread waits on go[0] before it exits */
	int ready[2];	/* the thread reports on ready[1] once it has forked */
};

/* Thread: forks an idle child, says so, and stays alive until told. */
static void *
thread_fork(void *arg)
{
	struct fork_thread *ft = arg;
	char c = 'f';

	kid_start(&ft->k, work_idle);
	if (write(ft->ready[1], &c, 1) != 1)
		return NULL;
	while (read(ft->go[0], &c, 1) > 0)
		;
	return NULL;
}

/* list_children of this test: exactly the children it forked. */
static void
test_children(void)
{
	struct fork_thread ft;
	struct kid a, b;
	pthread_t t;
	int32_t want[3], none[1] = { 0 };
	char c;

	if (pipe(ft.go) < 0 || pipe(ft.ready) < 0)
		return;
	CHECK(kids_become(getpid(), none, 0), "children: none at first");
	kid_start(&a, work_idle);
	kid_start(&b, work_idle);
	pthread_create(&t, NULL, thread_fork, &ft);
	if (read(ft.ready[0], &c, 1) != 1)
		CHECK(0, "thread forked");
	want[0] = a.pid;
	want[1] = b.pid;
	want[2] = ft.k.pid;
	CHECK(kids_become(getpid(), want, 3),
	    "children: the 3 forked (one from a second thread)");
	CHECK_I64(platform_list_children(getpid(), want, 1), 3,
	    "children: count with cap 1 is still 3");
	kid_end(&a);
	kid_end(&b);
	want[0] = ft.k.pid;
	CHECK(kids_become(getpid(), want, 1),
	    "children: reaped ones are gone");
	kid_end(&ft.k);
	close(ft.go[1]);
	pthread_join(t, NULL);
	CHECK(kids_become(getpid(), none, 0), "children: none after reaping");
	close(ft.go[0]);
	close(ft.ready[0]);
	close(ft.ready[1]);
	platform_forget_proc(a.pid);
	platform_forget_proc(b.pid);
	platform_forget_proc(ft.k.pid);
}

/* 300 children at once (their list spans several KiB of text). */
static void
test_many_children(void)
{
	enum { MANY = 300 };
	int32_t *want = calloc(MANY, sizeof *want);
	int32_t *got = calloc(2 * MANY, sizeof *got);
	int fds[2], i, n = 0, rc = 0, t;
	char c;

	if (want == NULL || got == NULL || pipe(fds) < 0) {
		CHECK(0, "many children: setup");
		free(want);
		free(got);
		return;
	}
	fflush(stdout);
	for (i = 0; i < MANY; i++) {
		if ((want[n] = fork()) == 0) {
			close_others(fds[0], -1);
			while (read(fds[0], &c, 1) > 0)
				;
			_exit(0);
		}
		n += want[n] > 0;
	}
	for (t = 0; t < POLL_TRIES; t++) {
		rc = platform_list_children(getpid(), got, 2 * MANY);
		if (rc == n && same_set(got, want, (size_t)n))
			break;
		nap(POLL_MS);
	}
	CHECK(rc == MANY && same_set(got, want, MANY),
	    "many children: all 300 listed");
	CHECK_I64(platform_list_children(getpid(), got, 10), MANY,
	    "many children: count beyond cap");
	close(fds[0]);
	close(fds[1]);
	for (i = 0; i < n; i++) {
		waitpid(want[i], NULL, 0);
		platform_forget_proc(want[i]);
	}
	free(want);
	free(got);
}

/* Adds the descendants of pid to set[*n..], depth first. */
static void
walk(int32_t pid, int32_t *set, size_t *n, size_t cap)
{
	int32_t kids[KIDS_MAX];
	int rc = platform_list_children(pid, kids, KIDS_MAX);

	for (int i = 0; i < rc && i < KIDS_MAX && *n < cap; i++) {
		set[(*n)++] = kids[i];
		walk(kids[i], set, n, cap);
	}
}

/* A three-level tree is found by walking list_children. */
static void
test_tree(void)
{
	struct kid k;
	struct msg m1, m2;
	int32_t want[3], got[8];
	size_t n = 0;
	int t, ok = 0;

	if (kid_start(&k, work_tree) < 0 || msg_recv(k.from, &m1) < 0 ||
	    msg_recv(k.from, &m2) < 0) {
		CHECK(0, "tree started");
		return;
	}
	want[0] = k.pid;
	want[1] = (int32_t)m1.val;
	want[2] = (int32_t)m2.val;
	for (t = 0; t < POLL_TRIES && !ok; t++) {
		n = 0;
		got[n++] = k.pid;
		walk(k.pid, got, &n, 8);
		ok = n == 3 && same_set(got, want, 3);
		if (!ok)
			nap(POLL_MS);
	}
	CHECK(ok, "tree: walking list_children finds child and grandchild");
	kid_end(&k);
	for (t = 0; t < 3; t++)
		platform_forget_proc(want[t]);
}

/* Bytes written and fsync'ed show in write_bytes. */
static void
test_io(void)
{
	struct plat_proc p0, p1;
	char path[PATH_MAX], *buf;
	const char *slash = strrchr(self_path, '/');
	size_t len = 8 * (size_t)MIB;
	int fd, t;

	for (t = 0; t < POLL_TRIES; t++)
		if (sample(getpid(), 0, &p0) == 0 && (p0.have & PLAT_HAVE_IO))
			break;
		else
			nap(POLL_MS);
	if (!(p0.have & PLAT_HAVE_IO)) {
		skip("io: write_bytes grows by what was written",
		    "no io counters");
		return;
	}
	snprintf(path, sizeof path, "%.*s/tpb-io-XXXXXX",
	    slash ? (int)(slash - self_path) : 1, slash ? self_path : ".");
	buf = malloc(len);
	fd = mkstemp(path);
	if (buf == NULL || fd < 0) {
		CHECK(0, "io: temporary file");
		free(buf);
		return;
	}
	memset(buf, 'w', len);
	CHECK(write(fd, buf, len) == (ssize_t)len && fsync(fd) == 0,
	    "io: wrote and fsync'ed 8 MiB");
	close(fd);
	unlink(path);
	free(buf);
	for (t = 0; t < POLL_TRIES; t++)
		if (sample(getpid(), 0, &p1) == 0 && (p1.have & PLAT_HAVE_IO))
			break;
		else
			nap(POLL_MS);
	CHECK(p1.write_bytes >= p0.write_bytes + len &&
	    p1.write_bytes <= p0.write_bytes + len + 2 * MIB,
	    "io: write_bytes grew by the 8 MiB written");
	CHECK(p1.read_bytes >= p0.read_bytes, "io: read_bytes monotonic");
}

/* Sum of every tick of every core. */
static uint64_t
ticks_sum(const struct plat_sys *s)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < (size_t)s->ncpu * s->nstates; i++)
		sum += s->ticks[i];
	return sum;
}

/* System sample: sizes, -ENOSPC, memory facts, monotonic ticks. */
static void
test_system(void)
{
	struct plat_sys s0 = { 0 }, s1;
	unsigned nstates = 1;
	size_t n, i, mono = 1;
	const char *c;
	int rc;

	for (c = info.core_tick_states; *c; c++)
		nstates += *c == ',';
	rc = platform_sample_system(&s0);
	CHECK_I64(rc, -ENOSPC, "system: no buffer gives -ENOSPC");
	CHECK(s0.ncpu >= 1, "system: ncpu >= 1");
	CHECK_U64(s0.ncpu, (uint64_t)sysconf(_SC_NPROCESSORS_ONLN),
	    "system: ncpu = online CPUs");
	CHECK_U64(s0.nstates, nstates, "system: nstates = tick states named");
	n = (size_t)s0.ncpu * s0.nstates;
	s0.ticks = calloc(n, sizeof *s0.ticks);
	s0.ticks_cap = n - 1;
	CHECK_I64(platform_sample_system(&s0), -ENOSPC,
	    "system: one slot short gives -ENOSPC");
	s0.ticks_cap = n;
	CHECK_I64(platform_sample_system(&s0), 0, "system: returns 0");
	CHECK(s0.ram_total > 0 && s0.ram_total <= info.ram_bytes + MIB,
	    "system: ram_total");
	CHECK(s0.ram_available <= s0.ram_total, "system: available <= total");
	CHECK(s0.swap_used <= s0.swap_total, "system: swap used <= total");
	s1 = s0;
	s1.ticks = calloc(n, sizeof *s1.ticks);
	burn_ms(50);
	nap(30);
	CHECK_I64(platform_sample_system(&s1), 0, "system: again");
	for (i = 0; i < n; i++)
		mono &= s1.ticks[i] >= s0.ticks[i];
	CHECK(mono, "system: every tick counter monotonic");
	CHECK(ticks_sum(&s1) > ticks_sum(&s0), "system: ticks advance");
	free(s0.ticks);
	free(s1.ticks);
}

/* Idles as the program run by test_name(), until stdin closes. */
static int
child_sleep(void)
{
	char c;

	while (read(0, &c, 1) > 0)
		;
	return 0;
}

/* A name with spaces and parentheses (exec'd through a symlink). */
static void
test_name(void)
{
	const char *odd = "x) y (z";
	char dir[] = "/tmp/tpb-name-XXXXXX", link[PATH_MAX], real[PATH_MAX];
	char name[PLAT_NAME_MAX], path[PLAT_PATH_MAX];
	struct plat_proc p;
	int fds[2], t;
	pid_t pid;

	if (realpath(self_path, real) == NULL || mkdtemp(dir) == NULL ||
	    pipe(fds) < 0) {
		skip("name with ') ('", "cannot re-run this program");
		return;
	}
	snprintf(link, sizeof link, "%s/%s", dir, odd);
	if (symlink(real, link) < 0) {
		skip("name with ') ('", "no symlink");
		rmdir(dir);
		return;
	}
	fflush(stdout);
	if ((pid = fork()) == 0) {
		dup2(fds[0], 0);
		close_others(-1, -1);
		execl(link, odd, "--child-sleep", (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	for (t = 0; t < POLL_TRIES; t++) {
		if (sample(pid, PLAT_WANT_NAME, &p) == 0 &&
		    strcmp(p.name, odd) == 0)
			break;
		nap(POLL_MS);
	}
	CHECK_STR(p.name, odd, "name: \"x) y (z\" read back");
	CHECK_I64(p.ppid, getpid(), "name: fields after it still parse");
	CHECK_I64(platform_proc_ident(pid, name, sizeof name, path,
	    sizeof path), 0, "name: proc_ident returns 0");
	CHECK_STR(name, odd, "name: proc_ident name");
	CHECK_STR(path, real, "name: proc_ident path is the real program");
	close(fds[1]);
	waitpid(pid, NULL, 0);
	unlink(link);
	rmdir(dir);
	platform_forget_proc(pid);
}

/* Many forks, samples, listings and forgets leave no descriptor open. */
static void
test_no_leak(void)
{
	struct plat_proc p;
	struct kid k;
	char name[PLAT_NAME_MAX], path[PLAT_PATH_MAX];
	int before, after, i, bad = 0;

	sample(getpid(), 0, &p);
	platform_list_children(getpid(), NULL, 0);
	before = count_fds();
	for (i = 0; i < 300; i++) {
		if (kid_start(&k, work_idle) < 0) {
			bad++;
			break;
		}
		bad += sample(k.pid, PLAT_WANT_NAME | PLAT_WANT_COSTLY, &p) != 0;
		platform_list_children(k.pid, NULL, 0);
		platform_list_children(getpid(), NULL, 0);
		platform_proc_ident(k.pid, name, sizeof name, path,
		    sizeof path);
		if (i % 2) {
			platform_forget_proc(k.pid);
			kid_end(&k);
		} else {
			kid_end(&k);
			bad += sample(k.pid, 0, &p) != -ESRCH;
			platform_forget_proc(k.pid);
		}
	}
	after = count_fds();
	CHECK_I64(bad, 0, "leak: 300 children sampled, then -ESRCH");
	CHECK_I64(after, before, "leak: descriptors back to the count before");
}

#ifdef __linux__
/*
 * Forks a child that pauses (until killed), reports it, and exits on
 * command, orphaning it.
 */
static void
work_orphan(int out, int in)
{
	pid_t b = fork();

	if (b == 0) {
		close(in);
		for (;;)
			pause();
	}
	msg_send(out, 'P', b);
	cmd_wait(in);
	_exit(0);
}

/*
 * Linux only: with this test a subreaper (prctl), a grandchild whose parent
 * exits is reparented to this test, and list_children follows.
 */
static void
test_orphan(void)
{
	const char *what[] = { "orphan: grandchild listed",
	    "orphan: exited (zombie) parent lists no child",
	    "orphan: the child is ours before its parent is reaped",
	    "orphan: reparented grandchild listed under its new parent" };
	struct kid a;
	struct msg m;
	struct plat_proc p;
	siginfo_t si;
	int32_t want[1];
	int t;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		for (t = 0; t < 4; t++)
			skip(what[t], "no subreaper");
		return;
	}
	if (kid_start(&a, work_orphan) < 0 || msg_recv(a.from, &m) < 0) {
		CHECK(0, "orphan: started");
		return;
	}
	want[0] = a.pid;
	kids_become(getpid(), want, 1);
	want[0] = (int32_t)m.val;
	CHECK(kids_become(a.pid, want, 1), what[0]);
	kid_cmd(&a, 'x');
	waitid(P_PID, (id_t)a.pid, &si, WEXITED | WNOWAIT);
	sample(a.pid, 0, &p);
	CHECK(kids_become(a.pid, want, 0), what[1]);
	CHECK(kids_become(getpid(), (int32_t[]){ a.pid, (int32_t)m.val }, 2),
	    what[2]);
	waitpid(a.pid, NULL, 0);
	CHECK(kids_become(getpid(), want, 1), what[3]);
	kill((pid_t)m.val, SIGKILL);
	waitpid((pid_t)m.val, NULL, 0);
	close(a.to);
	close(a.from);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	platform_forget_proc(a.pid);
	platform_forget_proc((pid_t)m.val);
}

/* On each command byte forks an idle child and reports its pid. */
static void
work_forker(int out, int in)
{
	pid_t g[32], p;
	int n = 0, i;
	char c;

	while (read(in, &c, 1) == 1) {
		if ((p = fork()) == 0) {
			close(in);
			for (;;)
				pause();
		}
		if (p > 0 && n < 32)
			g[n++] = p;
		msg_send(out, 'P', p);
	}
	for (i = 0; i < n; i++) {
		kill(g[i], SIGKILL);
		waitpid(g[i], NULL, 0);
	}
	_exit(0);
}

/*
 * Linux only, root only: makes a grandchild (child of f) take the pid of a
 * reaped child a (/proc/sys/kernel/ns_last_pid).  The descriptor cached for
 * a must not read the new process as if it were a, and the new process
 * must be listed under its own parent, not under a's.
 */
static void
test_pid_reuse(void)
{
	const char *what[] = { "pid reuse: stale descriptor not read",
	    "pid reuse: new process sampled",
	    "pid reuse: not a child of the old parent",
	    "pid reuse: a child of its new parent" };
	struct kid a = { .pid = -1 }, f, x;
	struct msg m = { 0, 0 };
	struct plat_proc pa, pb;
	int32_t want[1], gs[20];
	char buf[32];
	int fd, t, rc;

	if (geteuid() != 0 ||
	    (fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY)) < 0) {
		for (t = 0; t < 4; t++)
			skip(what[t], "needs root");
		return;
	}
	if (kid_start(&f, work_forker) < 0) {
		close(fd);
		return;
	}
	for (t = 0; t < 20; t++) {
		if (kid_start(&a, work_burn) < 0 || msg_recv(a.from, &m) < 0)
			break;
		sample(a.pid, 0, &pa);
		kids_become(getpid(), (int32_t[]){ f.pid, a.pid }, 2);
		kid_end(&a);
		snprintf(buf, sizeof buf, "%ld", (long)a.pid - 1);
		if (pwrite(fd, buf, strlen(buf), 0) < 0)
			break;
		kid_cmd(&f, 'f');
		if (msg_recv(f.from, &m) < 0)
			break;
		gs[t] = (int32_t)m.val;
		if (m.val == a.pid)
			break;
		platform_forget_proc(a.pid);
	}
	close(fd);
	if (m.val != a.pid) {
		for (t = 0; t < 4; t++)
			skip(what[t], "pid not reused");
		kid_end(&f);
		return;
	}
	/*
	 * Reaping a and forking the same pid left the kernel's thread count
	 * and last pid as they were (only ns_last_pid, or a wrap of the whole
	 * pid space, can do that); one more birth, as on any live system,
	 * makes the change visible to a backend that watches them.
	 */
	if (kid_start(&x, work_idle) == 0)
		kid_end(&x);
	want[0] = f.pid;
	rc = sample(a.pid, 0, &pb);
	CHECK(rc == -ESRCH || (rc == 0 && pb.start_time != pa.start_time),
	    what[0]);
	rc = sample(a.pid, 0, &pb);
	CHECK(rc == 0 && pb.ppid == f.pid &&
	    pb.user + pb.system < pa.user + pa.system, what[1]);
	CHECK(kids_become(getpid(), want, 1), what[2]);
	CHECK(kids_become(f.pid, gs, (size_t)t + 1), what[3]);
	kid_end(&f);
	platform_forget_proc(a.pid);
	platform_forget_proc(f.pid);
}
#else
/* Elsewhere: the Linux-only checks are counted as skipped. */
static void
test_orphan(void)
{
	for (int t = 0; t < 4; t++)
		skip("orphan", "Linux only");
}

/* Elsewhere: the Linux-only checks are counted as skipped. */
static void
test_pid_reuse(void)
{
	for (int t = 0; t < 4; t++)
		skip("pid reuse", "Linux only");
}
#endif

/* Entries of platform.h that some platforms do not have. */
static void
test_stubs(void)
{
	struct plat_gpu_client c[4];
	char buf[256];

	CHECK(platform_gpu_clients(c, 4) >= 0, "gpu_clients >= 0");
#ifdef __linux__
	CHECK_I64(platform_gpu_clients_of(NULL, 0, c, 4), -ENOTSUP,
	    "gpu_clients_of: no per-process GPU time on Linux");
#else
	CHECK(platform_gpu_clients_of(NULL, 0, c, 4) >= -ENOTSUP,
	    "gpu_clients_of: clients, or -ENOTSUP");
#endif
	CHECK_I64(platform_pm_command(100, buf, sizeof buf), 0,
	    "pm_command returns 0");
	CHECK(platform_app_version(getpid(), buf, sizeof buf) == -ENOENT ||
	    buf[0] != '\0', "app_version: -ENOENT or a version");
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--child-sleep") == 0)
		return child_sleep();
	self_path = argv[0];
	signal(SIGPIPE, SIG_IGN);
	alarm(300);	/* a hung workload fails the test instead of hanging it */
	test_init();
	test_clock();
	test_list_pids();
	test_ident_self();
	test_sample_self();
	test_threads();
	test_cpu_child();
	test_zombie();
	test_memory();
	test_child_cpu();
	test_start_time();
	test_children();
	test_many_children();
	test_tree();
	test_io();
	test_system();
	test_name();
	test_stubs();
	test_orphan();
	test_pid_reuse();
	test_no_leak();
	platform_fini();
	return tap_done();
}
