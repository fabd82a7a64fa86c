/*
 * rec_check.c - phocus-record --check (see rec_check.h): the order of the
 * checks, the privileges (powermetrics starts as root, then privileges are
 * dropped as in a recording), the machine (system info, memory and swap,
 * per-core ticks, OS version), the GPU clients and IOReport over a short
 * window, and printing.  The process rows are rec_ckproc.c's, the
 * powermetrics rows rec_ckpm.c's, the table and JSON rec_ckrows.c's.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmn_calib.h"
#include "platform.h"
#include "rec_check.h"
#include "rec_ckpm.h"
#include "rec_ckproc.h"
#include "rec_ckrows.h"
#include "rec_calib.h"
#include "rec_ior.h"
#include "rec_out.h"
#include "rec_sample.h"

#define NS_PER_MS 1000000ull
#define CK_WINDOW_MS 500	/* GPU time, ticks and IOReport are watched this long */
#define CK_PM_INTERVAL_MS 250	/* the default powermetrics command's interval */
#define CK_PM_WAIT_MS 3000	/* powermetrics gets this long for two samples */
#define CK_TICKS 16384		/* per-core tick values read at most */
#define CK_GPU 4096		/* GPU clients looked at at most */
#define MIB (1024.0 * 1024.0)
#define GIB (1024.0 * MIB)

/* Everything one check holds (large: static). */
struct ck {
	const struct rec_opts *o;
	struct plat_info info;
	unsigned features;
	struct rec_ckrows rows;
	int was_root;
	struct rec_ckpm pm;
	int pm_on;			/* a command was started (or tried) */
	int pm_needed;			/* a recording would run it */
	char pm_recording[1024];	/* what a recording at -i would run */
	uint64_t ticks0[CK_TICKS], ticks1[CK_TICKS];
	struct plat_sys sys0, sys1;
	int sys_rc0, sys_rc1;
	struct plat_gpu_client gpu0[CK_GPU], gpu1[CK_GPU];
	int ngpu0, ngpu1;
	struct rec_ior_probe ior;
	struct rec_calib calib;		/* the units check */
	int calib_rc;			/* rec_calib_run(): 0 or -errno */
};

/* ======================= Privileges and powermetrics ======================= */

/* Starts powermetrics, still as root when the check runs under sudo. */
static void
ck_pm_begin(struct ck *c)
{
	char cmd[1024];

	if (c->o->no_pm)
		return;
	platform_pm_command(c->o->interval_ms, c->pm_recording, sizeof(c->pm_recording));
	if (c->o->pm_cmd != NULL)
		snprintf(cmd, sizeof(cmd), "%s", c->o->pm_cmd);
	else
		platform_pm_command(CK_PM_INTERVAL_MS, cmd, sizeof(cmd));
	if (cmd[0] == '\0')
		return;
	c->pm_on = 1;
	c->pm_needed = c->o->pm_cmd != NULL || c->was_root;
	rec_ckpm_begin(&c->pm, cmd, c->o->pm_cmd != NULL);
}

/* Drops privileges as a recording does, and says so. */
static void
ck_privileges(struct ck *c)
{
	char err[256];
	int d = rec_out_drop_privileges(err, sizeof(err));
	struct rec_ck_row *r;

	if (d < 0) {
		r = rec_ckrows_add(&c->rows, "privileges", 1, REC_CK_FAIL, "%s", err);
		rec_ckrows_advise(r, "check SUDO_UID and SUDO_GID, or run without sudo");
	} else if (d > 0) {
		rec_ckrows_add(&c->rows, "privileges", 1, REC_CK_PASS, "started as root "
		    "by sudo: %s, then dropped to uid %d with its groups, for good",
		    c->pm_on ? "powermetrics started as root" : "nothing started as root",
		    (int)getuid());
	} else {
		rec_ckrows_add(&c->rows, "privileges", 1, REC_CK_PASS, "uid %d%s", (int)getuid(),
		    c->was_root ? ", root without sudo: nothing to drop" :
		    ", not root: powermetrics (GPU and ANE power as a cross-check) needs sudo");
	}
}

/* The powermetrics rows, after collecting what it wrote. */
static void
ck_pm_rows(struct ck *c)
{
	struct rec_ck_row *r;

	if (c->o->no_pm) {
		rec_ckrows_add(&c->rows, "powermetrics", 0, REC_CK_SKIP, "turned off by "
		    "--no-powermetrics");
		return;
	}
	if (!c->pm_on) {
		rec_ckrows_add(&c->rows, "powermetrics", 0, REC_CK_NA, "not on this system "
		    "(macOS; --powermetrics-cmd gives a stand-in)");
		return;
	}
	rec_ckpm_finish(&c->pm, CK_PM_WAIT_MS);
	rec_ckpm_rows(&c->pm, &c->rows, c->pm_needed, c->was_root);
	if (c->o->pm_cmd == NULL && strcmp(c->pm_recording, c->pm.asked) != 0) {
		r = rec_ckrows_add(&c->rows, "powermetrics", 0, REC_CK_PASS, "a recording "
		    "at -i %u runs: %s", c->o->interval_ms, c->pm_recording);
		rec_ckrows_str(r, "recording_command", c->pm_recording);
	}
}

/* ======================= The window: ticks, GPU time, IOReport ======================= */

/* Reads the system counters and GPU clients into slot 0 or 1. */
static void
ck_snapshot(struct ck *c, int second)
{
	struct plat_sys *s = second ? &c->sys1 : &c->sys0;

	memset(s, 0, sizeof(*s));
	s->ticks = second ? c->ticks1 : c->ticks0;
	s->ticks_cap = CK_TICKS;
	if (second) {
		c->sys_rc1 = platform_sample_system(s);
		c->ngpu1 = platform_gpu_clients(c->gpu1, CK_GPU);
	} else {
		c->sys_rc0 = platform_sample_system(s);
		c->ngpu0 = platform_gpu_clients(c->gpu0, CK_GPU);
	}
}

/* Sleeps what is left of ms after t0 (platform clock), measured once. */
static void
ck_sleep_until(uint64_t t0, unsigned ms)
{
	uint64_t now = platform_now_ns(), end = t0 + ms * NS_PER_MS;
	uint64_t left = end > now ? end - now : 0;
	struct timespec ts = { (time_t)(left / 1000000000u), (long)(left % 1000000000u) };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Takes both snapshots CK_WINDOW_MS apart, IOReport's probe in between. */
static void
ck_window(struct ck *c)
{
	uint64_t t0;

	ck_snapshot(c, 0);
	t0 = platform_now_ns();
	if (!c->o->no_ioreport)
		rec_ior_probe(&c->ior, CK_WINDOW_MS);
	ck_sleep_until(t0, CK_WINDOW_MS);
	ck_snapshot(c, 1);
}

/* The per-core ticks row. */
static void
ck_ticks(struct ck *c)
{
	const struct plat_sys *a = &c->sys0, *b = &c->sys1;
	uint64_t moved = 0;
	size_t n = (size_t)b->ncpu * b->nstates;
	struct rec_ck_row *r;

	if (c->sys_rc0 != 0 || c->sys_rc1 != 0 || b->ncpu == 0 || a->ncpu != b->ncpu ||
	    a->nstates != b->nstates) {
		r = rec_ckrows_add(&c->rows, "per-core ticks", 1, REC_CK_FAIL, "%s",
		    c->sys_rc1 ? strerror(-c->sys_rc1) : "no cores, or the count changed");
		rec_ckrows_advise(r, "please report this row: the figure's core panel "
		    "would be empty");
		return;
	}
	for (size_t i = 0; i < n; i++)
		moved += b->ticks[i] > a->ticks[i] ? b->ticks[i] - a->ticks[i] : 0;
	r = rec_ckrows_add(&c->rows, "per-core ticks", 1, moved > 0 ? REC_CK_PASS :
	    REC_CK_FAIL, "%u cores (%d logical CPUs online) x %u states (%s) at %u Hz; "
	    "%llu ticks in %d ms", b->ncpu, c->info.cpus_logical, b->nstates,
	    c->info.core_tick_states, c->info.core_tick_hz, (unsigned long long)moved,
	    CK_WINDOW_MS);
	if (moved == 0)
		rec_ckrows_advise(r, "the counters did not move: please report this row");
	rec_ckrows_num(r, "cores", b->ncpu);
	rec_ckrows_num(r, "ticks_moved", (double)moved);
}

/* Whether client b (by its registry entry id) is new or its GPU time moved since a[0..n). */
static int
ck_gpu_moved(const struct plat_gpu_client *a, int n, const struct plat_gpu_client *b)
{
	for (int i = 0; i < n; i++)
		if (a[i].id == b->id)
			return a[i].gpu_ns != b->gpu_ns;
	return 1;
}

/* The GPU clients row. */
static void
ck_gpu(struct ck *c)
{
	int n = c->ngpu1 < CK_GPU ? c->ngpu1 : CK_GPU, moving = 0;
	int n0 = c->ngpu0 < CK_GPU ? c->ngpu0 : CK_GPU;
	struct rec_ck_row *r;

	if (!(c->features & PLAT_F_GPU_CLIENTS)) {
		rec_ckrows_add(&c->rows, "GPU clients", 0, REC_CK_NA, "not on this system "
		    "(macOS on Apple silicon: per-process GPU time)");
		return;
	}
	if (c->ngpu0 < 0 || c->ngpu1 < 0) {
		r = rec_ckrows_add(&c->rows, "GPU clients", 0, REC_CK_FAIL, "cannot be "
		    "read: %s", strerror(-(c->ngpu1 < 0 ? c->ngpu1 : c->ngpu0)));
		rec_ckrows_advise(r, "per-process GPU time will be missing; please "
		    "report this row");
		return;
	}
	for (int i = 0; i < n; i++)
		moving += ck_gpu_moved(c->gpu0, n0, &c->gpu1[i]);
	r = rec_ckrows_add(&c->rows, "GPU clients", 0, REC_CK_PASS, "%d client%s; the "
	    "GPU time of %d moved in %d ms%s", c->ngpu1, c->ngpu1 == 1 ? "" : "s",
	    moving, CK_WINDOW_MS, moving ? "" : " (nothing used the GPU: run the "
	    "check again while an app renders to see it move)");
	rec_ckrows_num(r, "clients", c->ngpu1);
	rec_ckrows_num(r, "clients_moving", moving);
}

/* The IOReport row (issue 14): loaded, channels per domain, moving. */
static void
ck_ior(struct ck *c)
{
	char text[512];
	unsigned moved = 0;
	struct rec_ck_row *r;
	int st;

	if (c->o->no_ioreport) {
		rec_ckrows_add(&c->rows, "IOReport", 0, REC_CK_SKIP, "turned off by "
		    "--no-ioreport");
		return;
	}
	(void)rec_ior_probe_text(&c->ior, text, sizeof(text));
	if (c->ior.rc == -ENOTSUP) {
		rec_ckrows_add(&c->rows, "IOReport", 0, REC_CK_NA, "not on this system "
		    "(macOS on Apple silicon: GPU, ANE, CPU, DRAM energy without sudo)");
		return;
	}
	for (int d = 0; d < CMN_IOR_NDOMAINS; d++)
		moved += c->ior.moved[d];
	st = c->ior.rc > 0 && c->ior.read_err == 0 && moved > 0 ? REC_CK_PASS : REC_CK_FAIL;
	r = rec_ckrows_add(&c->rows, "IOReport", 0, st, "%s", text);
	if (st != REC_CK_PASS)
		rec_ckrows_advise(r, "power without sudo will be missing (with sudo, "
		    "powermetrics records it); please report this row");
	rec_ckrows_num(r, "channels", c->ior.rc > 0 ? c->ior.rc : 0);
	for (int d = 0; d < CMN_IOR_NDOMAINS; d++) {
		char key[24];
		snprintf(key, sizeof(key), "%s", cmn_ior_domain_name(d));
		rec_ckrows_num(r, key, c->ior.count[d]);
	}
	rec_ckrows_num(r, "moving", moved);
}

/* ======================= The machine ======================= */

/* The machine row: chip, model, CPUs. */
static void
ck_machine(struct ck *c)
{
	const struct plat_info *i = &c->info;
	struct rec_ck_row *r;
	int ok = i->chip[0] != '\0' && i->cpus_logical > 0;

	r = rec_ckrows_add(&c->rows, "system info", 1, ok ? REC_CK_PASS : REC_CK_FAIL,
	    "chip \"%s\", model \"%s\", host \"%s\", %d logical CPUs, page %llu bytes",
	    i->chip, i->model, i->host, i->cpus_logical, (unsigned long long)i->page_size);
	if (!ok)
		rec_ckrows_advise(r, "please report this row: traces would not say "
		    "what machine they come from");
	rec_ckrows_str(r, "chip", i->chip);
	rec_ckrows_str(r, "model", i->model);
	rec_ckrows_num(r, "cpus_logical", i->cpus_logical);
}

/* The core-levels row: names and sizes of the performance levels. */
static void
ck_levels(struct ck *c)
{
	const struct plat_info *i = &c->info;
	struct rec_ck_row *r;

	if (!(c->features & PLAT_F_CORE_LEVELS)) {
		rec_ckrows_add(&c->rows, "core levels", 0, REC_CK_NA, "not on this system "
		    "(macOS hw.perflevelN names); performance cores %d, efficiency "
		    "cores %d", (int)i->cores_p, (int)i->cores_e);
		return;
	}
	r = rec_ckrows_add(&c->rows, "core levels", 0, i->core_levels[0] ? REC_CK_PASS :
	    REC_CK_FAIL, "\"%s\": performance cores %d, efficiency cores %d",
	    i->core_levels, (int)i->cores_p, (int)i->cores_e);
	if (i->core_levels[0] == '\0')
		rec_ckrows_advise(r, "cores will not be labelled by level; please report "
		    "this row");
	rec_ckrows_str(r, "core_levels", i->core_levels);
}

/* A count row of the GPU or the Neural Engine. */
static void
ck_count(struct ck *c, const char *what, unsigned feature, int32_t n, const char *src)
{
	struct rec_ck_row *r;

	if (!(c->features & feature)) {
		rec_ckrows_add(&c->rows, what, 0, REC_CK_NA, "not on this system "
		    "(Apple silicon)");
		return;
	}
	if (n > 0) {
		r = rec_ckrows_add(&c->rows, what, 0, REC_CK_PASS, "%d%s%s", (int)n,
		    src[0] ? ", from the " : "", src);
	} else {
		r = rec_ckrows_add(&c->rows, what, 0, REC_CK_FAIL, "unknown");
		rec_ckrows_advise(r, "traces will not say it; please report this row with "
		    "your Mac's model");
	}
	rec_ckrows_num(r, "cores", n > 0 ? n : 0.0 / 0.0);
}

/* The memory and swap row. */
static void
ck_memory(struct ck *c)
{
	const struct plat_sys *s = &c->sys1;
	struct rec_ck_row *r;
	int ok = c->sys_rc1 == 0 && c->info.ram_bytes > 0;

	r = rec_ckrows_add(&c->rows, "memory and swap", 1, ok ? REC_CK_PASS : REC_CK_FAIL,
	    "RAM %.1f GiB (%.1f GiB available), swap %.2f of %.2f GiB used",
	    (double)c->info.ram_bytes / GIB, (double)s->ram_available / GIB,
	    (double)s->swap_used / GIB, (double)s->swap_total / GIB);
	if (!ok)
		rec_ckrows_advise(r, "please report this row: swap would be missing");
	rec_ckrows_num(r, "ram_bytes", (double)c->info.ram_bytes);
	rec_ckrows_num(r, "swap_used_bytes", (double)s->swap_used);
	rec_ckrows_num(r, "swap_total_bytes", (double)s->swap_total);
}

/* The OS version row: the true version and the raw answer. */
static void
ck_os(struct ck *c)
{
	const struct plat_info *i = &c->info;
	struct rec_ck_row *r;

	r = rec_ckrows_add(&c->rows, "OS version", 1, i->os_version[0] ? REC_CK_PASS :
	    REC_CK_FAIL, "%s %s%s%s (as answered: \"%s\"%s; kernel release %s)",
	    i->os_name, i->os_version, i->os_build[0] ? " build " : "", i->os_build,
	    i->os_version_raw, i->os_compat == 1 ? ", a compatibility answer" : "",
	    i->os_release);
	if (!i->os_version[0])
		rec_ckrows_advise(r, "please report this row");
	rec_ckrows_str(r, "version", i->os_version);
	rec_ckrows_str(r, "version_raw", i->os_version_raw);
	rec_ckrows_str(r, "release", i->os_release);
}

/* ======================= The units check ======================= */

/* "1.00", or "n/a" for a ratio that was not measured. */
static const char *
ck_ratio(double r, char *buf, size_t len)
{
	if (isnan(r))
		snprintf(buf, len, "n/a");
	else
		snprintf(buf, len, "%.2f", r);
	return buf;
}

/* The calibration row's numbers for --json. */
static void
ck_calib_values(struct rec_ck_row *r, const struct rec_calib *k)
{
	const struct cmn_calib_verdict *v = &k->verdict;

	rec_ckrows_num(r, "cpu", v->cpu);
	rec_ckrows_num(r, "children_cpu", v->children);
	rec_ckrows_num(r, "memory", v->memory);
	rec_ckrows_num(r, "footprint", v->footprint);
	rec_ckrows_num(r, "cpu_scale", v->cpu_scale);
	if (k->c.have & PMT_HAVE(PMT_C_KERNEL_USER_NS))
		rec_ckrows_num(r, "kernel_cpu_s", (double)(k->c.v[PMT_C_KERNEL_USER_NS] +
		    k->c.v[PMT_C_KERNEL_SYSTEM_NS]) / 1e9);
	if (k->c.have & PMT_HAVE(PMT_C_TOUCHED))
		rec_ckrows_num(r, "touched_bytes", (double)k->c.v[PMT_C_TOUCHED]);
	if (k->c.have & PMT_HAVE(PMT_C_RSS_AFTER))
		rec_ckrows_num(r, "rss_growth_bytes", (double)k->c.v[PMT_C_RSS_AFTER] -
		    (double)k->c.v[PMT_C_RSS_BEFORE]);
}

/*
 * The units check (issue 9 section 2), made as a recording makes it and at
 * the same point: first, before powermetrics starts (rec_calib_run wants no
 * other child a wait could reap) and before the privilege drop.
 */
static void
ck_calib_run(struct ck *c)
{
	memset(&c->calib, 0, sizeof(c->calib));
	if (!c->o->no_calibration)
		c->calib_rc = rec_calib_run(&c->calib, &c->info, REC_CALIB_BURN_MS,
		    REC_CALIB_BYTES);
}

/* The calibration row: the ratios platform / kernel of the units check. */
static void
ck_calibration(struct ck *c)
{
	const struct rec_calib *k = &c->calib;
	const struct cmn_calib_verdict *v = &k->verdict;
	char a[16], b[16], m[16], f[16];
	struct rec_ck_row *r;
	int rc = c->calib_rc, off;

	if (c->o->no_calibration) {
		rec_ckrows_add(&c->rows, "calibration", 0, REC_CK_SKIP, "turned off by "
		    "--no-calibration");
		return;
	}
	if (rc != 0) {
		r = rec_ckrows_add(&c->rows, "calibration", 1, REC_CK_FAIL, "the units "
		    "check could not run: %s", k->note[0] ? k->note : strerror(-rc));
		rec_ckrows_advise(r, "please report this row");
		return;
	}
	off = v->cpu_off || v->children_off || v->memory_off;
	r = rec_ckrows_add(&c->rows, "calibration", 1, off ? REC_CK_FAIL : REC_CK_PASS,
	    "units checked on a child (%.1f s CPU, %.0f MiB touched): CPU %s, children's "
	    "CPU %s, memory %s, footprint %s (platform / kernel)%s%s", REC_CALIB_BURN_MS / 1e3,
	    REC_CALIB_BYTES / MIB, ck_ratio(v->cpu, a, sizeof(a)),
	    ck_ratio(v->children, b, sizeof(b)), ck_ratio(v->memory, m, sizeof(m)),
	    ck_ratio(v->footprint, f, sizeof(f)), k->note[0] ? "; " : "", k->note);
	if (off)
		rec_ckrows_advise(r, "this platform's units are off (the analyzer scales "
		    "CPU times by the measured factor); please report this row");
	ck_calib_values(r, k);
}
/* ======================= Entry ======================= */

/* The title line: program, system, user, time. */
static void
ck_title(struct ck *c)
{
	char when[64];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	snprintf(c->rows.title, sizeof(c->rows.title), "phocus-record %s --check on %s "
	    "(%s %s), uid %d%s, %s", PHOCUS_VERSION, c->info.platform, c->info.os_name,
	    c->info.os_version, (int)getuid(), c->was_root ? " (started as root)" : "",
	    when);
}

/* Every check, in the order of the table. */
static void
ck_all(struct ck *c)
{
	ck_calib_run(c);		/* first, as in a recording */
	ck_pm_begin(c);			/* as root, before dropping privileges */
	ck_privileges(c);
	ck_title(c);			/* says the uid the check runs as now */
	rec_ckproc_self(&c->rows);
	rec_ckproc_child(&c->rows, &c->info, c->features);
	ck_calibration(c);
	rec_ckproc_target(&c->rows, &c->info, c->o->pid, c->o->name);
	ck_window(c);
	ck_gpu(c);
	ck_ior(c);
	ck_machine(c);
	ck_levels(c);
	ck_count(c, "GPU cores", PLAT_F_GPU_CORES, c->info.gpu_cores, "IORegistry");
	ck_count(c, "ANE cores", PLAT_F_ANE_CORES, c->info.ane_cores,
	    c->info.ane_cores_source);
	ck_memory(c);
	ck_os(c);
	ck_ticks(c);
	ck_pm_rows(c);
	rec_ckproc_responsible(&c->rows, c->features);
}

const struct rec_ckrows *
rec_check_collect(const struct rec_opts *o)
{
	static struct ck c;

	memset(&c, 0, sizeof(c));
	c.o = o;
	c.was_root = geteuid() == 0;
	if (platform_init(&c.info) != 0) {
		rec_ckrows_advise(rec_ckrows_add(&c.rows, "system info", 1, REC_CK_FAIL,
		    "cannot read this machine's basic facts"), "please report this row");
		return &c.rows;
	}
	c.features = platform_features();
	ck_all(&c);
	platform_fini();
	return &c.rows;
}

int
rec_check_run(const struct rec_opts *o)
{
	const struct rec_ckrows *t = rec_check_collect(o);

	if (o->json)
		rec_ckrows_print_json(stdout, t);
	else
		rec_ckrows_print_table(stdout, t);
	return rec_ckrows_verdict(t, NULL, 0) ? REC_EXIT_FAIL : REC_EXIT_OK;
}
