/*
 * rec_calib.c - the units check at the start of every recording (FORMAT.md
 * 2.3): a child of the recorder burns about 100 ms of CPU and touches
 * 64 MiB of fresh memory; the recorder reads it through the same platform
 * call it uses for the target (platform_sample_proc) with the memory mapped
 * and then touched, and once more as a zombie, then reaps it with wait4:
 * the kernel's own accounting.  It also reads its own reaped-children CPU
 * before and after.  It measures and stores; common/cmn_calib.c judges.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmn_calib.h"
#include "rec_calib.h"

_Static_assert((int)PMT_C_TOUCHED == (int)CMN_CALIB_TOUCHED &&
    (int)PMT_C_FOOTPRINT_AFTER == (int)CMN_CALIB_FP_AFTER &&
    (int)PMT_C_PARENT_AFTER == (int)CMN_CALIB_PARENT_AFTER &&
    (int)PMT_C_N == (int)CMN_CALIB_NTAGS, "CALIB tags: pmtrace.h and cmn_calib.h agree");

enum { CALIB_WAIT_MS = 10000 };		/* the child answers well within this */

/* ======================= The child ======================= */

/* This process's CPU time (user + system), ns. */
static uint64_t
self_cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Writes one byte to every page of p[0..len), with page size step, through
 * code the address sanitizer does not instrument: the resident growth is
 * the workload's own, with no shadow memory (ASan's shadow of 64 MiB is
 * 8 MiB, which made 64 read as 72).
 */
__attribute__((no_sanitize_address)) static void
calib_touch(volatile char *p, size_t len, size_t step)
{
	for (size_t i = 0; i < len; i += step)
		p[i] = 1;
}

static volatile uint64_t calib_sink;	/* keeps calib_burn's loop from being elided */

/* Spins until this process has used ms milliseconds of CPU in all. */
static void
calib_burn(unsigned ms)
{
	uint64_t end = (uint64_t)ms * 1000000u;

	while (self_cpu_ns() < end)
		for (int i = 0; i < 20000; i++)
			calib_sink += (uint64_t)i;
}

/*
 * The child: maps the memory and says 'R'; on 'G' touches every page, then
 * burns CPU until it has used burn_ms in all (touching may cost that much
 * already: 0.26 s for 64 MiB of 4 KiB pages on the development VM), and
 * says 'T' with its own CPU clock; exits when the parent closes its pipe.  Nothing here allocates or calls back into libraries
 * that a fork of a multi-threaded parent could find locked.
 */
static void
calib_child(int in, int out, unsigned burn_ms, size_t bytes)
{
	long ps = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON,
	    -1, 0);
	char msg[1 + sizeof(uint64_t)], go;
	uint64_t self;

	if (p == MAP_FAILED || write(out, "R", 1) != 1 || read(in, &go, 1) != 1)
		_exit(1);
	calib_touch(p, bytes, ps > 0 ? (size_t)ps : 4096);
	calib_burn(burn_ms);
	self = self_cpu_ns();
	msg[0] = 'T';
	memcpy(msg + 1, &self, sizeof(self));
	if (write(out, msg, sizeof(msg)) != (ssize_t)sizeof(msg))
		_exit(1);
	while (read(in, &go, 1) > 0)
		;
	_exit(0);
}

/* ======================= The parent ======================= */

/* Reads exactly n bytes from fd within CALIB_WAIT_MS.  0 or -1. */
static int
calib_recv(int fd, void *buf, size_t n)
{
	struct pollfd p = { fd, POLLIN, 0 };
	size_t got = 0;

	while (got < n) {
		ssize_t k;
		if (poll(&p, 1, CALIB_WAIT_MS) <= 0)
			return -1;
		k = read(fd, (char *)buf + got, n - got);
		if (k <= 0 && !(k < 0 && errno == EINTR))
			return -1;
		if (k > 0)
			got += (size_t)k;
	}
	return 0;
}

/* Stores field f = v. */
static void
calib_set(struct rec_calib *c, int f, uint64_t v)
{
	c->c.v[f] = v;
	c->c.have |= PMT_HAVE(f);
}

/* Notes what could not be measured (the first reason only). */
static void
calib_note(struct rec_calib *c, const char *what)
{
	if (c->note[0] == '\0')
		snprintf(c->note, sizeof(c->note), "%s", what);
}

/* The recorder's own reaped-children CPU, into field f. */
static void
calib_parent(struct rec_calib *c, int f)
{
	struct plat_proc p;

	if (platform_sample_proc((int32_t)getpid(), 0, &p) == 0 &&
	    (p.have & PLAT_HAVE_CHILD_CPU))
		calib_set(c, f, p.child_user + p.child_system);
	else
		calib_note(c, "the recorder's reaped-children CPU could not be read");
}

/* Reads the child's memory into the two fields given (resident, footprint). */
static void
calib_memory(struct rec_calib *c, pid_t pid, int f_rss, int f_fp)
{
	struct plat_proc p;

	if (platform_sample_proc((int32_t)pid, 0, &p) != 0) {
		calib_note(c, "the child could not be read");
		return;
	}
	if (p.have & PLAT_HAVE_RSS)
		calib_set(c, f_rss, p.rss);
	if (p.have & PLAT_HAVE_FOOTPRINT)
		calib_set(c, f_fp, p.footprint);
}

/* A struct timeval in ns. */
static uint64_t
tv_ns(const struct timeval *tv)
{
	if (tv->tv_sec < 0 || tv->tv_usec < 0)
		return 0;
	return (uint64_t)tv->tv_sec * 1000000000u + (uint64_t)tv->tv_usec * 1000u;
}

/*
 * The child has said 'T': lets it exit, reads its zombie's CPU through the
 * backend (its final counters, as for a target that exits), reaps it.
 */
static void
calib_finish(struct rec_calib *c, pid_t pid, int *to)
{
	struct plat_proc p;
	struct rusage ru;
	siginfo_t si;
	int st, r;

	close(*to);
	*to = -1;
	memset(&si, 0, sizeof(si));
	do
		r = waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT);
	while (r != 0 && errno == EINTR);
	if (r != 0)
		calib_note(c, "the child's exit could not be awaited");
	else if (platform_sample_proc((int32_t)pid, 0, &p) == 0 && (p.have & PLAT_HAVE_CPU)) {
		calib_set(c, PMT_C_CPU_USER, p.user);
		calib_set(c, PMT_C_CPU_SYSTEM, p.system);
	} else
		calib_note(c, "the child's CPU could not be read after its exit");
	platform_forget_proc((int32_t)pid);
	memset(&ru, 0, sizeof(ru));
	do
		r = (int)wait4(pid, &st, 0, &ru);
	while (r < 0 && errno == EINTR);
	if (r == pid) {
		calib_set(c, PMT_C_KERNEL_USER_NS, tv_ns(&ru.ru_utime));
		calib_set(c, PMT_C_KERNEL_SYSTEM_NS, tv_ns(&ru.ru_stime));
	} else
		calib_note(c, "the child could not be reaped");
}

/* The parent's side of the conversation with child pid. */
static void
calib_drive(struct rec_calib *c, pid_t pid, int from, int *to)
{
	char msg[1 + sizeof(uint64_t)];
	uint64_t self;

	if (calib_recv(from, msg, 1) != 0 || msg[0] != 'R') {
		calib_note(c, "the child did not start");
		return;
	}
	calib_memory(c, pid, PMT_C_RSS_BEFORE, PMT_C_FOOTPRINT_BEFORE);
	if (write(*to, "G", 1) != 1 || calib_recv(from, msg, sizeof(msg)) != 0 ||
	    msg[0] != 'T') {
		calib_note(c, "the child did not finish its work");
		return;
	}
	memcpy(&self, msg + 1, sizeof(self));
	calib_set(c, PMT_C_SELF_CPU_NS, self);
	calib_memory(c, pid, PMT_C_RSS_AFTER, PMT_C_FOOTPRINT_AFTER);
	calib_finish(c, pid, to);
}

int
rec_calib_run(struct rec_calib *c, const struct plat_info *info,
    unsigned burn_ms, size_t bytes)
{
	int down[2] = { -1, -1 }, up[2] = { -1, -1 }, rc = 0, st;
	pid_t pid;

	memset(c, 0, sizeof(*c));
	calib_set(c, PMT_C_TOUCHED, bytes);
	calib_set(c, PMT_C_UNIT_NUM, info->cpu_time_num);
	calib_set(c, PMT_C_UNIT_DEN, info->cpu_time_den);
	if (pipe(down) != 0 || pipe(up) != 0) {
		rc = -errno;
		goto out;
	}
	calib_parent(c, PMT_C_PARENT_BEFORE);
	if ((pid = fork()) < 0) {
		rc = -errno;
		goto out;
	}
	if (pid == 0) {
		close(down[1]);
		close(up[0]);
		calib_child(down[0], up[1], burn_ms, bytes);
	}
	close(down[0]);
	close(up[1]);
	down[0] = up[1] = -1;
	calib_drive(c, pid, up[0], &down[1]);
	if (down[1] >= 0) {		/* it did not get that far: end it */
		kill(pid, SIGKILL);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	}
	calib_parent(c, PMT_C_PARENT_AFTER);
out:
	for (int i = 0; i < 2; i++) {
		if (down[i] >= 0)
			close(down[i]);
		if (up[i] >= 0)
			close(up[i]);
	}
	if (rc != 0)
		snprintf(c->note, sizeof(c->note), "the check could not run: %s",
		    strerror(-rc));
	c->c.note = c->note[0] != '\0' ? c->note : NULL;
	c->c.note_len = strlen(c->note);
	cmn_calib_judge(c->c.have, c->c.v, &c->verdict);
	return rc;
}
