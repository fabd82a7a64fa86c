/*
 * rec_loop.c - one recording: finds the target, starts powermetrics, drops
 * privileges, creates the trace, then runs the poll loop that samples on a
 * monotonic schedule, stores powermetrics output and marks as they arrive,
 * flushes at least once a second, and ends the trace cleanly on every way
 * out (signal, duration, target exit, full disk).  Sampling and capture
 * details live in rec_sample.c and rec_pm.c; option parsing in rec_main.c.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmn_rate.h"
#include "cmn_units.h"
#include "platform.h"
#include "cmn_calib.h"
#include "pmtrace.h"
#include "rec_ior.h"
#include "rec_calib.h"
#include "rec_loop.h"
#include "rec_helpers.h"
#include "rec_marks.h"
#include "rec_out.h"
#include "rec_pm.h"
#include "rec_sample.h"
#include "rec_spawn.h"
#include "rec_status.h"
#include "rec_target.h"

#define NS_PER_MS 1000000ull
#define NS_PER_S 1000000000ull
#define SYS_MIN_NS (200 * NS_PER_MS)	/* system counters at most 5 times a second */
#define PM_QUIET_NS (150 * NS_PER_MS)	/* a text sample is complete after this silence */
#define WAIT_POLL_NS (500 * NS_PER_MS)	/* --wait looks for the target this often */

static int sig_pipe[2] = { -1, -1 };

/* Everything one recording needs. */
struct rec {
	const struct rec_opts *o;
	struct plat_info info;		/* machine facts */
	uint64_t t0;			/* platform clock at t = 0 */
	uint64_t wall0;			/* Unix ns at t = 0 */
	int64_t utc_off;		/* local UTC offset at t = 0 */
	char tz[16];			/* local time zone abbreviation */
	int was_root;			/* started as root (powermetrics can run) */
	int32_t target;			/* the followed pid, 0 while waiting */
	pid_t child;			/* the -- COMMAND we started, 0 if none */
	char target_name[256];		/* its name, or --label */
	char target_version[64];
	char pm_cmd[1024];		/* powermetrics command, "" if none */
	struct rec_pm_drops pm_drops;	/* samplers powermetrics refused */
	struct rec_calib calib;		/* the units check, made before t = 0 */
	int calib_ran, calib_rc;	/* it was made; rec_calib_run's result */
	char path[PATH_MAX];		/* the trace */
	int fd;
	pmt_writer *w;
	int werr;			/* the writer failed with this PMT_E_* */
	struct rec_sampler smp;
	int smp_ready;
	struct rec_helpers hp;		/* processes outside the tree working for it */
	int hp_said;			/* the missing lookup was reported */
	struct rec_pm pm;
	int pm_on;			/* powermetrics is running */
	struct rec_marks marks;
	struct rec_ior ior;		/* IOReport energy counters (macOS) */
	int ior_said;			/* a failed IOReport reading was reported */
	struct rec_status st;
	uint64_t samples;
	uint64_t next_due;		/* t of the next sample */
	uint64_t last_sample;		/* t of the last sample, or CMN_RATE_NEVER */
	uint64_t first_proc, last_proc;	/* t of the first and last PROC records
					 * (first: CMN_RATE_NEVER while none) */
	uint64_t sys_slot;		/* next slot of the sampling grid with a system sample */
	int final_done;			/* the last sample of everything was taken */
	struct cmn_rate look_rate;	/* --wait looks for the target */
	uint64_t peak_rss;		/* bytes, summed over the tree */
	int stop;			/* stop now */
	uint32_t reason;		/* END reason */
	const char *why;		/* words for the summary */
	int exit_code;
};

/* ======================= Messages ======================= */

/* warnx() that first removes the status line. */
static void
say(struct rec *r, const char *fmt, ...)
{
	va_list ap;

	rec_status_clear(&r->st);
	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
}

/* ns since the start of the recording, on the platform's clock. */
static uint64_t
now_t(const struct rec *r)
{
	uint64_t n = platform_now_ns();

	return n > r->t0 ? n - r->t0 : 0;
}

/* Notes a writer failure once; the loop then stops. */
static void
write_failed(struct rec *r, int rc)
{
	char kept[32];

	if (rc == 0 || r->werr != 0)
		return;
	r->werr = rc;
	r->stop = 1;
	r->reason = PMT_END_ERROR;
	r->exit_code = REC_EXIT_FAIL;
	rec_status_clock(r->last_sample != CMN_RATE_NEVER ? r->last_sample : 0, kept,
	    sizeof(kept));
	if (rc == PMT_E_NOSPC)
		say(r, "%s: %s (%s); recording stopped, the trace is kept and "
		    "readable up to %s", r->path, pmt_strerror(rc),
		    strerror(pmt_writer_errno(r->w)), kept);
	else
		say(r, "%s: %s%s%s; recording stopped, the trace is kept up to %s",
		    r->path, pmt_strerror(rc), rc == PMT_E_IO ? ": " : "",
		    rc == PMT_E_IO ? strerror(pmt_writer_errno(r->w)) : "", kept);
}

/* Writes an event; a failure stops the recording. */
static void
event(struct rec *r, uint32_t kind, int64_t value, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->w != NULL && r->werr == 0)
		write_failed(r, pmt_write_event(r->w, now_t(r), kind, value, msg));
}

/* ======================= Signals ======================= */

static void
on_signal(int sig)
{
	unsigned char b = (unsigned char)sig;
	int e = errno;

	if (write(sig_pipe[1], &b, 1) < 0) {
		/* the pipe is full: a wake-up is pending anyway */
	}
	errno = e;
}

/* Routes the stop signals and SIGCHLD to the self-pipe; ignores the rest. */
static int
signals_setup(void)
{
	struct sigaction sa;
	const int caught[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD };
	const int *ignored;
	size_t nign = rec_spawn_ignored(&ignored);	/* children get them back */

	if (pipe(sig_pipe) != 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		(void)fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
		(void)fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaction(caught[i], &sa, NULL);
	sa.sa_handler = SIG_IGN;
	for (size_t i = 0; i < nign; i++)
		sigaction(ignored[i], &sa, NULL);
	return 0;
}

/* ======================= Setting up ======================= */

/* Reads the clocks at t = 0 and the local time zone. */
static void
clock_anchor(struct rec *r)
{
	struct timespec ts;
	struct tm tm;
	time_t now;

	r->t0 = platform_now_ns();
	clock_gettime(CLOCK_REALTIME, &ts);
	r->wall0 = (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
	now = ts.tv_sec;
	localtime_r(&now, &tm);
	r->utc_off = tm.tm_gmtoff;
	snprintf(r->tz, sizeof(r->tz), "%s", tm.tm_zone ? tm.tm_zone : "");
}

/* The last path component of a command, for names. */
static const char *
cmd_base(const char *s)
{
	const char *b = strrchr(s, '/');

	return b ? b + 1 : s;
}

/*
 * Finds the target given by -p or -n (not -- COMMAND, started later).
 * Returns 0, or an exit code after saying why.
 */
static int
target_resolve(struct rec *r)
{
	char path[PLAT_PATH_MAX];
	int32_t pid;
	int rc;

	if (r->o->command != NULL) {
		snprintf(r->target_name, sizeof(r->target_name), "%s",
		    cmd_base(r->o->command[0]));
		if ((rc = rec_spawn_check(r->o->command[0])) != 0) {
			say(r, "cannot run %s: %s", r->o->command[0], rc == -ENOENT ?
			    "command not found" : rc == -EACCES ? "permission denied (not "
			    "executable)" : rc == -EISDIR ? "it is a directory" : strerror(-rc));
			return REC_EXIT_USAGE;
		}
		return 0;
	}
	if (r->o->pid > 0) {
		if (platform_proc_ident(r->o->pid, r->target_name,
		    sizeof(r->target_name), path, sizeof(path)) != 0) {
			say(r, "no process with pid %d is running", (int)r->o->pid);
			return REC_EXIT_USAGE;
		}
		r->target = r->o->pid;
		return 0;
	}
	snprintf(r->target_name, sizeof(r->target_name), "%s", r->o->name);
	pid = rec_target_find(r->o->name);
	if (pid > 0) {
		r->target = pid;
		return 0;
	}
	if (r->o->wait)
		return 0;
	say(r, "no running process named '%s' (matched case-insensitively "
	    "against process names and executable names); start it first, or "
	    "use --wait to wait for it, -p PID, or -- COMMAND", r->o->name);
	return REC_EXIT_USAGE;
}

/* Records and says, once, which samplers powermetrics refused. */
static void
pm_dropped_note(struct rec *r)
{
	int many = strchr(r->pm_drops.dropped, ',') != NULL;

	event(r, PMT_EV_PM_SAMPLER_DROPPED, 0, "powermetrics refused sampler%s %s "
	    "(it said: %s); recording without: %s", many ? "s" : "", r->pm_drops.dropped,
	    r->pm_drops.refusal, r->pm_cmd);
	say(r, "powermetrics does not know the sampler%s %s (it said: %s); "
	    "recording without %s", many ? "s" : "", r->pm_drops.dropped, r->pm_drops.refusal,
	    many ? "them" : "it");
}

/* Starts powermetrics (still as root, if we are).  Failure is not fatal. */
static void
pm_begin(struct rec *r)
{
	int rc;

	r->pm_cmd[0] = '\0';
	if (r->o->no_pm)
		return;
	if (r->o->pm_cmd != NULL)
		snprintf(r->pm_cmd, sizeof(r->pm_cmd), "%s", r->o->pm_cmd);
	else
		platform_pm_command(r->o->interval_ms < 100 ? 100 : r->o->interval_ms,
		    r->pm_cmd, sizeof(r->pm_cmd));
	if (r->pm_cmd[0] == '\0')
		return;
	r->pm.peek = r->st.on;
	rc = rec_pm_start_dropping(&r->pm, r->pm_cmd, &r->pm_drops);
	r->pm_on = rc == 0;
	if (rc != 0)
		r->pm.start_errno = -rc;	/* said once the trace exists */
}

/* Fills the trace header from the machine, the target and the options. */
static void
header_fill(const struct rec *r, struct pmt_header *h, char *writer, size_t wl)
{
	snprintf(writer, wl, "phocus-record %s", PHOCUS_VERSION);
	pmt_header_init(h);
	h->writer = writer;
	h->command_line = r->o->cmdline;
	h->host = r->info.host;
	h->platform = r->info.platform;
	h->os_name = r->info.os_name;
	h->os_version = r->info.os_version;
	h->os_version_raw = r->info.os_version_raw;
	h->os_release = r->info.os_release;
	h->os_compat = r->info.os_compat;
	h->core_levels = r->info.core_levels;
	h->os_build = r->info.os_build;
	h->chip = r->info.chip;
	h->model = r->info.model;
	h->cores_p = r->info.cores_p;
	h->cores_e = r->info.cores_e;
	h->cpus_logical = r->info.cpus_logical;
	h->gpu_cores = r->info.gpu_cores;
	h->ane_cores = r->info.ane_cores;
	h->ane_cores_source = r->info.ane_cores_source;
	h->ram_bytes = r->info.ram_bytes;
	h->page_size = r->info.page_size;
	h->target_name = r->target_name;
	h->target_version = r->target_version;
	h->target_pid = r->target > 0 ? r->target : -1;
	h->mono_anchor_ns = r->t0;
	h->wall_anchor_ns = r->wall0;
	h->utc_offset_s = r->utc_off;
	h->timezone = r->tz;
	h->interval_ns = (uint64_t)r->o->interval_ms * NS_PER_MS;
	h->cpu_time_num = r->info.cpu_time_num;
	h->cpu_time_den = r->info.cpu_time_den;
	h->core_tick_hz = r->info.core_tick_hz;
	h->core_tick_states = r->info.core_tick_states;
	h->costly_what = r->info.costly_what;
	h->costly_every_ns = (uint64_t)r->info.costly_min_ms * NS_PER_MS;
	h->io_children = r->info.io_children;
	h->pm_command = r->pm_cmd;
	if (r->hp.state == REC_HELPERS_ON) {
		h->helpers_lookup = platform_responsible_lookup();
		h->helpers_scan_ns = (uint64_t)REC_HELPERS_SCAN_MS * NS_PER_MS;
	}
}

/*
 * Creates the trace file and writes its header.  Returns 0, or an exit
 * code after saying why.
 */
static int
trace_begin(struct rec *r)
{
	struct pmt_header h;
	char writer[64];
	int rc;

	if (r->o->output != NULL)
		snprintf(r->path, sizeof(r->path), "%s", r->o->output);
	else
		rec_out_default_name(r->target_name, (time_t)(r->wall0 / NS_PER_S),
		    r->path, sizeof(r->path));
	r->fd = rec_out_create(r->path, r->o->force);
	if (r->fd == -EEXIST) {
		say(r, "%s already exists; use --force to replace it, or -o to "
		    "choose another name; nothing recorded", r->path);
		return REC_EXIT_USAGE;
	}
	if (r->fd == -EISDIR) {
		say(r, "%s is a directory: name a trace file with -o; nothing recorded",
		    r->path);
		return REC_EXIT_USAGE;
	}
	if (r->fd < 0) {
		say(r, "cannot create %s: %s%s; nothing recorded", r->path, strerror(-r->fd),
		    r->fd == -ELOOP ? " (it is a symbolic link; refusing to follow it)" : "");
		return REC_EXIT_USAGE;
	}
	if ((rc = pmt_writer_open(&r->w, r->fd, NULL)) != 0) {
		say(r, "%s: %s", r->path, pmt_strerror(rc));
		return REC_EXIT_FAIL;
	}
	header_fill(r, &h, writer, sizeof(writer));
	if ((rc = pmt_write_header(r->w, &h)) != 0 ||
	    (rc = pmt_write_clock(r->w, 0, r->wall0, r->utc_off)) != 0 ||
	    (rc = pmt_writer_flush(r->w)) != 0) {
		write_failed(r, rc);
		return REC_EXIT_FAIL;
	}
	return 0;
}

/* Notes how powermetrics ended (or failed to start), once. */
static void
pm_failed(struct rec *r, int spawn_errno)
{
	char how[320];

	if (spawn_errno != 0) {
		event(r, PMT_EV_PM_FAILED, spawn_errno, "cannot run '%s': %s",
		    r->pm_cmd, strerror(spawn_errno));
		say(r, "cannot run '%s' (%s): GPU/ANE power will be missing; "
		    "recording process data only", r->pm_cmd, strerror(spawn_errno));
		return;
	}
	rec_pm_reap(&r->pm, 200);
	rec_pm_describe_end(&r->pm, how, sizeof(how));
	event(r, PMT_EV_PM_FAILED, r->pm.status, "powermetrics ended: %s", how);
	if (!r->was_root && r->pm.samples == 0)
		say(r, "GPU/ANE power needs root: run with sudo (powermetrics: %s); "
		    "recording process data only", how);
	else
		say(r, "powermetrics stopped (%s); recording process data only", how);
}

/*
 * Subscribes to the IOReport energy counters (macOS; no root needed) and
 * writes their channel table.  A platform without IOReport stays silent; a
 * failure is an event and one message, and the recording goes on.
 */
static void
ior_begin(struct rec *r)
{
	char d[256];
	int n;

	if (r->o->no_ioreport)
		return;
	n = rec_ior_open(&r->ior);
	if (n == -ENOTSUP)
		return;
	if (n < 0) {
		event(r, PMT_EV_IOR_FAILED, -n, "IOReport unavailable: %s", r->ior.why);
		say(r, "IOReport unavailable (%s): %s", r->ior.why, r->pm_on ?
		    "power comes from powermetrics only" :
		    "no GPU, ANE or CPU power (with sudo, powermetrics records them)");
		return;
	}
	rec_ior_describe(&r->ior, d, sizeof(d));
	write_failed(r, rec_ior_write_table(&r->ior, r->w, now_t(r)));
	event(r, PMT_EV_IOR_START, n, "IOReport: %s", d);
}

/*
 * The units check (rec_calib.c), first of all: before t = 0, before
 * powermetrics, so it costs the recording nothing and its child inherits
 * nothing of them.  Said now only when it is off; stored once the trace
 * exists (calib_store).
 */
static void
calib_run(struct rec *r)
{
	const struct cmn_calib_verdict *v = &r->calib.verdict;

	r->calib_rc = rec_calib_run(&r->calib, &r->info, REC_CALIB_BURN_MS,
	    REC_CALIB_BYTES);
	r->calib_ran = 1;
	if (r->calib_rc != 0) {
		say(r, "units check: %s; recording without it", r->calib.note);
		return;
	}
	if (v->cpu_off)
		say(r, "units check: CPU time read through this platform is %.3g "
		    "times what the kernel counted for a test process; phocus-analyze "
		    "scales it", v->cpu);
	if (v->memory_off || v->footprint_off)
		say(r, "units check: memory read through this platform grew by %.3g "
		    "times the %d MiB a test process touched", v->memory_off ?
		    v->memory : v->footprint, REC_CALIB_BYTES >> 20);
}

/* Writes the units check into the trace (t = 0: it came before). */
static void
calib_store(struct rec *r)
{
	if (!r->calib_ran)
		return;
	write_failed(r, pmt_write_calib(r->w, 0, &r->calib.c));
	if (r->calib_rc != 0)
		event(r, PMT_EV_WARNING, -r->calib_rc, "units check: %s", r->calib.note);
}

/* Starts following the target (sampler and TARGET_START event). */
static int
target_begin(struct rec *r, int32_t pid)
{
	int rc = rec_sample_init(&r->smp, &r->info, pid);

	if (rc != 0) {
		say(r, "out of memory");
		return REC_EXIT_FAIL;
	}
	r->smp_ready = 1;
	r->target = pid;
	event(r, PMT_EV_TARGET_START, pid, "following %s (pid %d)%s%s",
	    r->target_name, (int)pid, r->target_version[0] ? " version " : "",
	    r->target_version);
	return 0;
}

/* ======================= The loop ======================= */

/* Ends the recording because the target went away. */
static void
target_gone(struct rec *r, int32_t code, int known)
{
	if (known)
		event(r, PMT_EV_TARGET_EXIT, code, "%s (pid %d) exited: %s %d",
		    r->target_name, (int)r->target, code >= 0 ? "exit code" : "signal",
		    code >= 0 ? code : -code);
	else
		event(r, PMT_EV_TARGET_EXIT, INT64_MIN, "%s (pid %d) exited "
		    "(exit code unknown: not started by the recorder)",
		    r->target_name, (int)r->target);
	r->stop = 1;
	r->reason = PMT_END_TARGET_EXIT;
	r->why = "the target exited";
}

/*
 * Writes the first occurrence of each kind of loss not written yet (EVENT
 * LOSS) and says it once on the terminal; the recording goes on.
 */
static void
losses_write(struct rec *r)
{
	const char *msg;
	int kind;

	while ((kind = rec_loss_next(&r->smp.loss, &msg)) != 0) {
		event(r, PMT_EV_LOSS, kind, "%s", msg);
		say(r, "warning: %s (counted; said once)", msg);
	}
}

/* How often each kind of loss happened (EVENT LOSS_COUNT, value: count * 256 + kind). */
static void
losses_count(struct rec *r)
{
	char text[160];

	for (int k = 1; k < PMT_LOSS_N; k++) {
		uint64_t n = r->smp.loss.count[k];
		if (n == 0)
			continue;
		if (n > (uint64_t)INT64_MAX / 256)
			n = (uint64_t)INT64_MAX / 256;
		rec_loss_count_text(k, n, text, sizeof(text));
		event(r, PMT_EV_LOSS_COUNT, (int64_t)(n * 256 + (uint64_t)k), "%s", text);
	}
}

/*
 * Samples the system counters with the process sample of grid slot slot
 * (t = slot * interval, give or take the loop's lateness), at most 5 times a
 * second: every slot at intervals of 200 ms and more, every k-th slot below
 * (k = 200 ms / interval, rounded up).  Counting slots, not elapsed time,
 * keeps a sample that comes a little early from being dropped.  force: the
 * final sample, always.
 */
static void
sample_system(struct rec *r, uint64_t t, uint64_t slot, int force)
{
	uint64_t iv = (uint64_t)r->o->interval_ms * NS_PER_MS;
	uint64_t k = (SYS_MIN_NS + iv - 1) / iv;
	struct pmt_sys s;
	int rc;

	if (!force && slot < r->sys_slot)
		return;
	r->sys_slot = slot - slot % k + k;
	if ((rc = rec_sample_system(&s)) == 0)
		write_failed(r, pmt_write_sys(r->w, t, &s));
	else
		rec_loss_note(&r->smp.loss, PMT_LOSS_SYSTEM, "a system sample failed "
		    "(%s): swap, memory and core load are missing where that happens",
		    strerror(-rc));
	losses_write(r);
}

/* The trace's clock, for rec_ior_sample(). */
static uint64_t
ior_now(void *arg)
{
	return now_t(arg);
}

/* Reads the IOReport counters (every sample); a failure is said once. */
static void
sample_ior(struct rec *r)
{
	int rc;

	if (!r->ior.on || r->werr != 0)
		return;
	rc = rec_ior_sample(&r->ior, r->w, ior_now, r);
	if (rc < 0) {
		write_failed(r, rc);
		return;
	}
	if (rc == 1 && !r->ior_said) {
		r->ior_said = 1;
		event(r, PMT_EV_IOR_FAILED, -r->ior.last_err, "IOReport reading failed: "
		    "%s; trying again at every sample", strerror(-r->ior.last_err));
		say(r, "IOReport reading failed (%s); trying again at every sample",
		    strerror(-r->ior.last_err));
	}
}

/* Says once that the responsible-pid lookup is missing, and notes it. */
static void
helpers_missing(struct rec *r)
{
	static const char msg[] = "this system lacks the lookup of a process's "
	    "responsible process: the processes outside the tree that work for "
	    "the target (XPC services, system services) are not recorded";

	if (r->hp_said)
		return;
	r->hp_said = 1;
	say(r, "%s", msg);
	event(r, PMT_EV_HELPERS_MISSING, 0, "%s", msg);
}

/*
 * The processes outside the tree working for it, at t, after the tree's
 * sample: a scan of every process when one is due (a few seconds apart),
 * then their counters.  Nothing where the platform has no such notion.
 */
static void
sample_helpers(struct rec *r, uint64_t t, int final)
{
	int k = rec_helpers_scan(&r->hp, r->smp.rows, r->smp.nrows, t, 0);

	if (k == -ENOSYS || r->hp.state == REC_HELPERS_MISSING)
		helpers_missing(r);
	for (size_t i = 0; i < r->hp.nfound; i++) {
		const struct rec_helper *h = &r->hp.found[i];
		event(r, PMT_EV_HELPER_FOUND, h->pid, "%s (pid %d) works for pid %d",
		    h->name[0] ? h->name : "?", (int)h->pid, (int)h->for_pid);
	}
	if (r->hp.state != REC_HELPERS_ON)
		return;
	rec_helpers_sample(&r->hp, final ? PLAT_WANT_COSTLY | PLAT_WANT_FINAL : 0);
	write_failed(r, pmt_write_helpers(r->w, t, r->hp.rows, r->hp.nrows));
}

/*
 * One sample of the tree at t (final: the last one, which reads everything).
 * Returns 0, or -ESRCH if the target is gone.
 */
static int
sample_tree(struct rec *r, uint64_t t, int final)
{
	int rc = final ? rec_sample_tree_final(&r->smp, t) : rec_sample_tree(&r->smp, t);
	char hint[320];

	if (rc == -EACCES) {
		rec_out_denied_hint(hint, sizeof(hint));
		say(r, "cannot read process %d: %s", (int)r->target, hint);
		r->stop = 1;
		r->reason = PMT_END_ERROR;
		r->exit_code = REC_EXIT_FAIL;
		r->why = "the target could not be read";
		return rc;
	}
	losses_write(r);
	if (rc != 0)
		return rc;
	write_failed(r, pmt_write_proc(r->w, t, r->smp.rows, r->smp.nrows));
	if (r->first_proc == CMN_RATE_NEVER)
		r->first_proc = t;
	r->last_proc = t;
	if (r->smp.rss_sum > r->peak_rss)
		r->peak_rss = r->smp.rss_sum;
	sample_helpers(r, t, final);
	return 0;
}

/* Looks for the --wait target at most every WAIT_POLL_NS. */
static void
look_for_target(struct rec *r, uint64_t t)
{
	int32_t pid;

	if (!cmn_rate_take(&r->look_rate, t))
		return;
	pid = rec_target_find(r->o->name);
	if (pid > 0) {
		rec_status_clear(&r->st);
		fprintf(stderr, "phocus-record: %s started (pid %d)\n",
		    r->target_name, (int)pid);
		platform_app_version(pid, r->target_version, sizeof(r->target_version));
		if (r->o->app_version != NULL)
			snprintf(r->target_version, sizeof(r->target_version), "%s",
			    r->o->app_version);
		if (target_begin(r, pid) != 0)
			r->stop = 1;
	}
}

/* Takes the samples that are due at t. */
static void
sample_due(struct rec *r, uint64_t t)
{
	uint64_t iv = (uint64_t)r->o->interval_ms * NS_PER_MS;
	uint64_t slot = r->next_due / iv;

	if (t < r->next_due)
		return;
	if (r->last_sample != CMN_RATE_NEVER && t - r->last_sample > 3 * iv) {
		event(r, PMT_EV_CLOCK_GAP, (int64_t)(t - r->last_sample),
		    "no sample for %.1f s (sleep, or the recorder was stopped)",
		    (double)(t - r->last_sample) / 1e9);
		write_failed(r, pmt_write_clock(r->w, t, r->wall0 + t, r->utc_off));
	}
	if (r->target == 0)
		look_for_target(r, t);
	if (r->smp_ready && !r->stop && sample_tree(r, t, 0) == -ESRCH) {
		target_gone(r, 0, 0);
		r->final_done = 1;	/* the tree is gone: nothing left to read */
		sample_system(r, t, slot, 1);
	} else
		sample_system(r, t, slot, 0);
	sample_ior(r);
	r->samples++;
	r->last_sample = t;
	/* the next slot on the fixed grid; missed slots are skipped, not faked */
	r->next_due += iv;
	if (r->next_due <= t)
		r->next_due = t - (t % iv) + iv;
}

/* The REAPED event's message (a static buffer). */
static const char *
msg_reaped(const struct rec *r, const struct rec_spawn_usage *u)
{
	static char msg[512];

	snprintf(msg, sizeof(msg), "%s (pid %d) and the processes it waited for "
	    "used %.3f s of CPU (wait4: user %.3f s, system %.3f s)",
	    r->target_name, (int)r->child, (double)(u->user_ns + u->system_ns) / 1e9,
	    (double)u->user_ns / 1e9, (double)u->system_ns / 1e9);
	return msg;
}

/*
 * The last sample of everything (tree, system, what is read only now and
 * then), at every way out: signal, duration, target exit, error.  Once.
 */
static void
sample_final(struct rec *r, uint64_t t)
{
	if (r->final_done || r->w == NULL || r->werr != 0)
		return;
	r->final_done = 1;
	if (r->smp_ready)
		(void)sample_tree(r, t, 1);
	sample_system(r, t, 0, 1);
	sample_ior(r);
	r->samples++;
	r->last_sample = t;
}

/*
 * The command we started has exited: the last sample (of the zombie, whose
 * counters still hold all its reaped children), then reap it; its wait4
 * rusage, the exact CPU time of all it started, closes the account.
 */
static void
child_exited(struct rec *r)
{
	struct rec_spawn_usage u;
	uint64_t t;
	int32_t code;

	if (r->child <= 0 || rec_spawn_exited(r->child) != 1)
		return;
	t = now_t(r);
	sample_final(r, t);
	code = rec_spawn_reap(r->child, &u);
	if (u.have && r->w != NULL && r->werr == 0) {
		write_failed(r, pmt_write_event(r->w, t, PMT_EV_REAPED,
		    (int64_t)(u.user_ns + u.system_ns), msg_reaped(r, &u)));
		if (r->first_proc != CMN_RATE_NEVER && t > r->last_proc)
			r->last_proc = t;	/* the account closes here (an_load.c) */
	}
	r->child = 0;
	target_gone(r, code, code != INT32_MIN);
}

/* Drains the self-pipe; returns the stop signal seen, if any. */
static int
read_signals(struct rec *r)
{
	unsigned char b[64];
	ssize_t k;
	int stop_sig = 0;

	while ((k = read(sig_pipe[0], b, sizeof(b))) > 0)
		for (ssize_t i = 0; i < k; i++) {
			if (b[i] == SIGCHLD)
				child_exited(r);
			else
				stop_sig = b[i];
		}
	return stop_sig;
}

/* A mark typed by the user: store it (flushed at once) and echo it. */
static int
on_mark(void *arg, const struct rec_mark *m)
{
	struct rec *r = arg;
	uint64_t t = now_t(r);
	static char shown[4 * REC_MARK_MAX + 1];
	char clk[32];

	write_failed(r, pmt_write_mark(r->w, t, m->number, m->label, m->len));
	rec_status_clock(t, clk, sizeof(clk));
	rec_status_clear(&r->st);
	rec_marks_escape(m->label, m->len, shown, sizeof(shown));
	if (m->len > 0)
		fprintf(stderr, "mark %llu at %s: %s%s\n", (unsigned long long)m->number,
		    clk, shown, m->cut ? " [line cut: its first " REC_MARK_MAX_S " bytes kept]" : "");
	else
		fprintf(stderr, "mark %llu at %s\n", (unsigned long long)m->number, clk);
	return 0;
}

/* Reads powermetrics' output; notes its end. */
static void
pm_poll(struct rec *r, uint64_t t)
{
	int rc = rec_pm_read(&r->pm, r->w, t);

	if (rc < 0) {
		write_failed(r, rc);
		return;
	}
	if (rc == 1) {
		r->pm_on = 0;
		pm_failed(r, 0);
	}
}

/* When --duration ends the recording (t), or UINT64_MAX. */
static uint64_t
end_t(const struct rec *r)
{
	return r->o->duration_s > 0 ? (uint64_t)(r->o->duration_s * 1e9) : UINT64_MAX;
}

/* How long poll may sleep: until the next sample or the end, at most 500 ms. */
static int
poll_timeout(const struct rec *r, uint64_t t)
{
	uint64_t due = r->next_due < end_t(r) ? r->next_due : end_t(r);
	uint64_t until = due > t ? due - t : 0;

	if (until > 500 * NS_PER_MS)
		until = 500 * NS_PER_MS;
	if (r->pm_on && r->pm.len > 0 && until > PM_QUIET_NS)
		until = PM_QUIET_NS;
	return (int)((until + NS_PER_MS - 1) / NS_PER_MS);
}

/* Waits for input or the next deadline, and handles what arrived. */
static void
loop_wait(struct rec *r)
{
	struct pollfd p[4];
	int n = 0, ipm = -1, ierr = -1, iin = -1, sig;

	p[n++] = (struct pollfd){ sig_pipe[0], POLLIN, 0 };
	if (r->marks.fd >= 0) {
		iin = n;
		p[n++] = (struct pollfd){ r->marks.fd, POLLIN, 0 };
	}
	if (r->pm_on && r->pm.out_fd >= 0) {
		ipm = n;
		p[n++] = (struct pollfd){ r->pm.out_fd, POLLIN, 0 };
	}
	if (r->pm_on && r->pm.err_fd >= 0) {
		ierr = n;
		p[n++] = (struct pollfd){ r->pm.err_fd, POLLIN, 0 };
	}
	if (poll(p, (nfds_t)n, poll_timeout(r, now_t(r))) <= 0)
		return;
	if (p[0].revents && (sig = read_signals(r)) != 0 && !r->stop) {
		r->stop = 1;
		r->reason = PMT_END_SIGNAL;
		r->why = sig == SIGINT ? "Ctrl-C" : sig == SIGTERM ? "SIGTERM" : "SIGHUP";
	}
	if (iin >= 0 && p[iin].revents)
		rec_marks_read(&r->marks, on_mark, r);
	if ((ipm >= 0 && p[ipm].revents) || (ierr >= 0 && p[ierr].revents))
		pm_poll(r, now_t(r));
}

/* Redraws the status line. */
static void
status_show(struct rec *r, uint64_t t, int force)
{
	struct rec_status_info i = {
		.t = t, .samples = r->samples, .procs = r->smp.nrows,
		.rss = r->smp.rss_sum,
		.cpu_ns = pmt_ticks_to_ns(r->smp.cpu_sum, r->info.cpu_time_num,
		    r->info.cpu_time_den),
		.gpu_w = r->pm.gpu_w, .ane_w = r->pm.ane_w,
		.bytes = r->w ? pmt_writer_bytes(r->w) : 0,
		.waiting_for = r->target == 0 ? r->target_name : NULL,
	};

	rec_status_update(&r->st, &i, force);
}

/* The poll loop, until something stops it. */
static void
loop_run(struct rec *r)
{
	uint64_t end = end_t(r);

	while (!r->stop) {
		uint64_t t;

		loop_wait(r);
		t = now_t(r);
		if (!r->stop && t >= end) {	/* the final sample ends it */
			r->stop = 1;
			r->reason = PMT_END_DURATION;
			r->why = "the duration was reached";
		}
		if (!r->stop)
			sample_due(r, t);
		if (r->pm_on && r->werr == 0)
			write_failed(r, rec_pm_quiet(&r->pm, r->w, t, PM_QUIET_NS));
		if (r->werr == 0)
			write_failed(r, pmt_writer_tick(r->w, t, r->wall0 + t, r->utc_off));
		status_show(r, t, 0);
	}
}

/* ======================= Ending ======================= */

static const char *
reason_words(uint32_t reason)
{
	switch (reason) {
	case PMT_END_SIGNAL: return "signal";
	case PMT_END_DURATION: return "duration";
	case PMT_END_TARGET_EXIT: return "target exit";
	default: return "error";
	}
}

/*
 * Notes how powermetrics ended when the recording stopped it (closed pipe,
 * SIGTERM).  One that still runs may run as root, where the recorder can no
 * longer signal it: say so, with what to do.
 */
static void
pm_stopped(struct rec *r)
{
	char how[320];
	int64_t v = INT64_MIN;

	rec_pm_describe_end(&r->pm, how, sizeof(how));
	if (r->pm.reaped && WIFEXITED(r->pm.status))
		v = WEXITSTATUS(r->pm.status);
	else if (r->pm.reaped && WIFSIGNALED(r->pm.status))
		v = -(int64_t)WTERMSIG(r->pm.status);
	event(r, PMT_EV_PM_STOPPED, v, "powermetrics (pid %d) %s%s", (int)r->pm.pid,
	    r->pm.reaped ? "ended: " : "", how);
	if (!r->pm.reaped)
		say(r, "powermetrics (pid %d) is still running after its pipe was "
		    "closed; end it with: sudo kill %d", (int)r->pm.pid, (int)r->pm.pid);
}

/* Takes the final sample, stops powermetrics, writes STOP and END, closes the file. */
static void
trace_end(struct rec *r)
{
	uint64_t t;
	int rc;

	child_exited(r);		/* the command ended, its SIGCHLD not read yet */
	sample_final(r, now_t(r));
	losses_write(r);
	losses_count(r);
	t = now_t(r);

	if (r->pm.pid > 0 && r->werr == 0) {
		rc = rec_pm_stop(&r->pm, r->w, t, r->o->interval_ms + 1500);
		write_failed(r, rc);
		if (r->pm_on)
			pm_stopped(r);
	}
	if (r->werr == 0)
		event(r, PMT_EV_STOP, r->reason, "recording stopped: %s",
		    r->why ? r->why : reason_words(r->reason));
	if (r->werr == 0) {
		rc = pmt_writer_close(r->w, now_t(r), r->reason);
		r->w = NULL;
		if (rc != 0) {
			say(r, "%s: %s", r->path, pmt_strerror(rc));
			r->exit_code = REC_EXIT_FAIL;
		}
	} else {
		pmt_writer_abort(r->w);
		r->w = NULL;
	}
	if (close(r->fd) != 0 && r->exit_code == 0) {
		say(r, "%s: %s", r->path, strerror(errno));
		r->exit_code = REC_EXIT_FAIL;
	}
}

/* The closing paragraph and the command to run next. */
static void
summary_print(const struct rec *r)
{
	char clk[32], ior[64] = "", rss[32];
	uint64_t n = r->samples, p = r->smp.procs_seen, m = r->marks.count, k = r->pm.samples;
	uint64_t span = r->first_proc != CMN_RATE_NEVER ? r->last_proc - r->first_proc :
	    r->last_sample != CMN_RATE_NEVER ? r->last_sample : 0;

	/* from the first process sample to the last, to the nearest tenth of a
	 * second: what phocus-analyze info says */
	rec_status_clock(span + 50000000u, clk, sizeof(clk));
	if (r->ior.on)
		snprintf(ior, sizeof(ior), ", %llu IOReport %s",
		    (unsigned long long)r->ior.reads, cmn_units_noun(r->ior.reads,
		    "reading", "readings"));
	printf("Recorded %s of %s%s%s", clk, r->target_name,
	    r->target_version[0] ? " " : "", r->target_version);
	if (r->target > 0)
		printf(" (pid %d)", (int)r->target);
	printf(": %llu %s every %u ms, %llu %s seen, peak RSS %s, %llu %s, %llu "
	    "powermetrics %s%s%s. Stopped: %s. Trace: %s.\n",
	    (unsigned long long)n, cmn_units_noun(n, "sample", "samples"), r->o->interval_ms,
	    (unsigned long long)p, cmn_units_noun(p, "process", "processes"),
	    cmn_units_bytes((double)r->peak_rss, 0, rss, sizeof(rss)),
	    (unsigned long long)m, cmn_units_noun(m, "mark", "marks"),
	    (unsigned long long)k, cmn_units_noun(k, "sample", "samples"),
	    r->pm_cmd[0] == '\0' ? " (no powermetrics)" : "", ior,
	    r->why ? r->why : reason_words(r->reason), r->path);
	printf("Next: phocus-analyze report %s\n", r->path);
	fflush(stdout);
}

/* ======================= Entry ======================= */

/*
 * With --wait and --duration, a target that never appeared: says so,
 * removes the trace (nothing of a target in it) and returns 1.
 */
static int
wait_unmet(struct rec *r)
{
	if (!r->o->wait || r->smp_ready || r->reason != PMT_END_DURATION ||
	    r->exit_code != 0)
		return 0;
	say(r, "%s did not appear in %g s; nothing recorded", r->target_name,
	    r->o->duration_s);
	if (unlink(r->path) != 0)
		say(r, "%s: %s", r->path, strerror(errno));
	return 1;
}

/* Everything before the loop.  Returns 0 or an exit code. */
static int
rec_setup(struct rec *r)
{
	char err[256];
	int rc;

	if (platform_init(&r->info) != 0) {
		say(r, "cannot read this machine's basic facts");
		return REC_EXIT_FAIL;
	}
	if (signals_setup() != 0) {
		say(r, "cannot set up signal handling: %s", strerror(errno));
		return REC_EXIT_FAIL;
	}
	if ((rc = target_resolve(r)) != 0)
		return rc;
	if (r->o->label != NULL)
		snprintf(r->target_name, sizeof(r->target_name), "%s", r->o->label);
	if (!r->o->no_calibration)
		calib_run(r);
	rec_helpers_init(&r->hp, REC_HELPERS_SCAN_MS);
	clock_anchor(r);
	r->was_root = geteuid() == 0;
	pm_begin(r);			/* as root, before dropping privileges */
	if (rec_out_drop_privileges(err, sizeof(err)) < 0) {
		say(r, "%s", err);
		return REC_EXIT_FAIL;
	}
	if (r->target > 0)
		platform_app_version(r->target, r->target_version, sizeof(r->target_version));
	if (r->o->app_version != NULL)
		snprintf(r->target_version, sizeof(r->target_version), "%s", r->o->app_version);
	if ((rc = trace_begin(r)) != 0)
		return rc;
	if (r->pm_drops.dropped[0] != '\0')
		pm_dropped_note(r);
	if (r->hp.state == REC_HELPERS_MISSING)
		helpers_missing(r);
	if (r->pm_cmd[0] != '\0') {
		if (r->pm_on)
			event(r, PMT_EV_PM_START, r->pm.pid, "started: %s", r->pm_cmd);
		else
			pm_failed(r, r->pm.start_errno);
	}
	calib_store(r);
	ior_begin(r);
	if (r->o->command != NULL) {
		pid_t pid = rec_spawn_command(r->o->command);
		if (pid < 0) {
			say(r, "cannot run %s: %s", r->o->command[0], strerror(-pid));
			event(r, PMT_EV_WARNING, -pid, "cannot run %s: %s",
			    r->o->command[0], strerror(-pid));
			r->reason = PMT_END_ERROR;
			r->why = "the command could not be started";
			return REC_EXIT_FAIL;
		}
		r->child = pid;
		r->target = pid;
	}
	if (r->target > 0 && (rc = target_begin(r, r->target)) != 0)
		return rc;
	return 0;
}

int
rec_run(const struct rec_opts *o)
{
	static struct rec r;		/* large (sampler tables): not on the stack;
					 * zero at start, and not memset: pages of
					 * tables never used stay out of RSS */
	int rc;

	r.o = o;
	r.fd = -1;
	r.last_sample = r.first_proc = CMN_RATE_NEVER;
	cmn_rate_init(&r.look_rate, WAIT_POLL_NS);
	r.pm.pid = -1;
	r.pm.out_fd = r.pm.err_fd = -1;
	r.pm.gpu_w = r.pm.ane_w = -1;
	rec_status_init(&r.st, !o->quiet && isatty(2));
	rec_marks_init(&r.marks, fcntl(0, F_GETFL) == -1 ? -1 : 0);
	rc = rec_setup(&r);
	if (rc == 0) {
		loop_run(&r);
		trace_end(&r);
		rec_status_clear(&r.st);
		if (wait_unmet(&r)) {
			rc = REC_EXIT_USAGE;
		} else {
			summary_print(&r);
			rc = r.exit_code;
		}
	} else if (r.w != NULL) {	/* the trace was started: end it cleanly */
		r.stop = 1;
		r.exit_code = rc;
		trace_end(&r);
	} else if (r.pm.pid > 0) {
		rec_pm_stop(&r.pm, NULL, 0, 0);
	}
	if (r.child > 0)
		rec_spawn_stop(r.child, 5000);
	if (r.smp_ready)
		rec_sample_free(&r.smp);
	rec_helpers_free(&r.hp);
	free(r.pm.buf);
	rec_ior_close(&r.ior);
	platform_fini();
	return rc;
}
