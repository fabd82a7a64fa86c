/*
 * cmd_info.c - "phocus-analyze info": what a trace holds (header, machine,
 * duration, record counts, events, marks), the units check's raw numbers
 * and whether it is complete.
 */
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "an_cmd.h"
#include "an_cores.h"
#include "an_csv.h"
#include "an_report.h"
#include "an_trace.h"
#include "cmn_units.h"
#include "powermetrics/pm_parse.h"

#define NOUN(n, one, many) cmn_units_noun((uint64_t)(n), (one), (many))

static const char *
s_or(const char *s, const char *def)
{
	return s != NULL && s[0] != '\0' ? s : def;
}

static const char *
event_kind(uint32_t k)
{
	static const char *names[] = {
		[PMT_EV_TARGET_START] = "target start",
		[PMT_EV_TARGET_EXIT] = "target exit",
		[PMT_EV_PM_START] = "powermetrics start",
		[PMT_EV_PM_FAILED] = "powermetrics failed",
		[PMT_EV_CLOCK_GAP] = "clock gap",
		[PMT_EV_WARNING] = "warning",
		[PMT_EV_STOP] = "stop",
		[PMT_EV_PM_SAMPLER_DROPPED] = "sampler dropped",
		[PMT_EV_PM_STOPPED] = "powermetrics ended",
		[PMT_EV_REAPED] = "reaped",
		[PMT_EV_LOSS] = "not read",
		[PMT_EV_LOSS_COUNT] = "not read, count",
		[PMT_EV_HELPERS_MISSING] = "helpers lookup missing",
		[PMT_EV_HELPER_FOUND] = "helper found",
		[PMT_EV_IOR_START] = "IOReport start",
		[PMT_EV_IOR_FAILED] = "IOReport failed",
	};

	return k < sizeof(names) / sizeof(names[0]) && names[k] != NULL ?
	    names[k] : "unknown";
}

/* Prints a string from the trace with control bytes shown as spaces. */
static void
print_clean(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		putchar((unsigned char)s[i] < 0x20 ? ' ' : s[i]);
}

/* Prints s (from the trace) with control bytes as spaces, "" when NULL. */
static void
print_str(const char *s)
{
	if (s != NULL)
		print_clean(s, strlen(s));
}

/*
 * The OS version as the system answered it next to the true one (macOS 26
 * answers 16.x to older programs), and the core levels by their names.
 */
static void
info_os_cores(const struct pmt_header *h)
{
	struct an_core_level lv[AN_CORE_LEVELS_MAX];
	size_t n = an_core_levels(h, lv, AN_CORE_LEVELS_MAX);

	const char *v = s_or(h->os_version, "");

	if (strcmp(s_or(h->os_version_raw, v), v) != 0 || h->os_compat == 1 ||
	    strcmp(s_or(h->os_release, v), v) != 0) {
		printf("OS version:   ");
		print_str(s_or(h->os_version, "?"));
		printf(" (the system answered ");
		print_str(s_or(h->os_version_raw, "nothing"));
		printf("%s; kernel release ", h->os_compat == 1 ?
		    " in compatibility mode" : h->os_compat == 0 ? "" :
		    ", compatibility mode unknown");
		print_str(s_or(h->os_release, "unknown"));
		printf(")\n");
	}
	if (n == 0)
		return;
	printf("Core levels:  ");
	for (size_t i = 0; i < n; i++) {
		printf("%s%d ", i ? ", " : "", lv[i].cores);
		print_str(lv[i].name);
	}
	printf(" (highest performance first, named by the system)\n");
}

static void
info_header(const struct an_trace *tr)
{
	const struct pmt_header *h = &tr->hdr;
	char m[512], start[48], dur[32], every[48];
	double t0, t1;
	size_t n = tr->timeline == AN_TL_PROC ? tr->nrows : 0;

	an_timeline_span(tr, &t0, &t1);
	if (tr->timeline == AN_TL_PROC && !isnan(tr->reaped_cpu_s) && tr->reaped_t > t1)
		t1 = tr->reaped_t;	/* the account closes there, as the recorder says */
	an_report_machine(tr, m, sizeof(m));
	an_iso_time(tr, 0, start, sizeof(start));
	an_fmt_duration_tenths(t1 - t0, dur, sizeof(dur));
	printf("Trace:        %s (%llu %s, format %u.%u, %llu %s, %llu %s)\n",
	    tr->path, (unsigned long long)tr->file_size, NOUN(tr->file_size, "byte", "bytes"),
	    tr->major, tr->minor, (unsigned long long)tr->frames,
	    NOUN(tr->frames, "frame", "frames"), (unsigned long long)tr->batches,
	    NOUN(tr->batches, "batch", "batches"));
	printf("Recorded by:  %s\n", s_or(h->writer, "unknown"));
	printf("Command:      %s\n", s_or(h->command_line, "unknown"));
	printf("Machine:      %s\n", m);
	printf("Platform:     %s; CPU time unit %llu/%llu ns; per-core ticks %llu/s "
	    "(%s)\n", s_or(h->platform, "?"), (unsigned long long)h->cpu_time_num,
	    (unsigned long long)h->cpu_time_den, (unsigned long long)h->core_tick_hz,
	    s_or(h->core_tick_states, "none"));
	info_os_cores(h);
	if (h->ane_cores >= 0)
		printf("Neural Engine cores: %lld (%s)\n", (long long)h->ane_cores,
		    s_or(h->ane_cores_source, "source unknown"));
	if (h->costly_what && h->costly_what[0])
		printf("Costly reads: %s every %.1f s at most\n", h->costly_what,
		    (double)h->costly_every_ns / 1e9);
	printf("Start:        %s %s\n", start, s_or(h->timezone, ""));
	if (tr->interval_s > 0)
		snprintf(every, sizeof(every), "interval %.0f ms", tr->interval_s * 1e3);
	else
		snprintf(every, sizeof(every), "interval unknown");
	printf("Duration:     %s (%zu process %s, %s%s%s)\n", dur, n,
	    NOUN(n, "sample", "samples"), every, tr->timeline == AN_TL_PROC ||
	    tr->timeline == AN_TL_NONE ? "" : "; timeline from the ", tr->timeline ==
	    AN_TL_PM ? "powermetrics samples" : tr->timeline == AN_TL_IOR ?
	    "IOReport intervals" : tr->timeline == AN_TL_SYS ? "system samples" : "");
	if (!isnan(tr->reaped_cpu_s))
		printf("CPU total:    %.3f s by the command's wait4 rusage; the samples "
		    "missed %.3f s of it (added to the last interval)\n",
		    tr->reaped_cpu_s, tr->cpu_closed_s);
}

/* The IOReport line: readings, channels by domain, intervals, issues. */
static void
info_ioreport(const struct an_trace *tr)
{
	if (tr->ior_readings == 0 && tr->ior_channels == 0) {
		printf("IOReport:     not recorded\n");
		return;
	}
	printf("IOReport:     %llu %s of %zu %s (energy: CPU %zu, GPU %zu, "
	    "ANE %zu, DRAM %zu; GPU states %zu); %zu %s, %zu %s%s\n",
	    (unsigned long long)tr->ior_readings, NOUN(tr->ior_readings, "reading",
	    "readings"), tr->ior_channels, NOUN(tr->ior_channels, "channel", "channels"),
	    tr->ior_domain_ch[IOR_CPU], tr->ior_domain_ch[IOR_GPU],
	    tr->ior_domain_ch[IOR_ANE], tr->ior_domain_ch[IOR_DRAM], tr->ior_state_ch,
	    tr->nior, NOUN(tr->nior, "interval", "intervals"), tr->nior_issues,
	    NOUN(tr->nior_issues, "issue", "issues"), tr->nior_issues ? " (see Integrity)" : "");
}

static void
info_counts(const struct an_trace *tr)
{
	size_t rows = 0, n = tr->timeline == AN_TL_PROC ? tr->nrows : 0;

	for (size_t i = 0; i < tr->nrows; i++)
		rows += tr->rows[i].procs > 0 ? (size_t)tr->rows[i].procs : 0;
	printf("Records:      %zu process %s (%zu %s, %zu %s seen), %zu system %s, "
	    "%llu powermetrics %s (%llu %s), %zu %s, %zu %s\n",
	    n, NOUN(n, "sample", "samples"), rows, NOUN(rows, "row", "rows"),
	    tr->nprocs, NOUN(tr->nprocs, "process", "processes"),
	    tr->nsys, NOUN(tr->nsys, "sample", "samples"),
	    (unsigned long long)tr->pm_records, NOUN(tr->pm_records, "record", "records"),
	    (unsigned long long)tr->pm_bytes, NOUN(tr->pm_bytes, "byte", "bytes"),
	    tr->nmarks, NOUN(tr->nmarks, "mark", "marks"),
	    tr->nevents, NOUN(tr->nevents, "event", "events"));
	printf("powermetrics: %s\n", s_or(tr->hdr.pm_command, "not recorded"));
	if (tr->pm_records > 0)
		printf("              %s format; %zu %s parsed, %llu summary %s, "
		    "%llu could not be parsed%s%s%s%s\n",
		    pm_format_name((enum pm_format)tr->pm_format), tr->npm,
		    NOUN(tr->npm, "sample", "samples"), (unsigned long long)tr->pm_summaries,
		    NOUN(tr->pm_summaries, "block", "blocks"),
		    (unsigned long long)tr->nbad_pm, tr->pm_model[0] ? "; machine " : "",
		    tr->pm_model, tr->pm_os[0] ? ", OS build " : "", tr->pm_os);
	info_ioreport(tr);
}

static void
info_lists(const struct an_trace *tr)
{
	char lab[1100];

	if (tr->nprocs > 0) {
		printf("Processes:\n");
		for (size_t i = 0; i < tr->nprocs && i < 50; i++) {
			const struct an_proc *p = &tr->procs[i];
			char cpu[32];
			if (isnan(tr->cpu_ns_per_unit))
				snprintf(cpu, sizeof(cpu), "n/a");
			else
				snprintf(cpu, sizeof(cpu), "%.2f s", p->cpu_s);
			printf("  pid %-7d ppid %-7d %8.1f s .. %8.1f s  cpu %10s  "
			    "peak rss %7.3f GB  ", p->pid, p->ppid, p->first_t, p->last_t,
			    cpu, p->peak_rss / 1e9);
			print_clean(p->name, strlen(p->name));
			putchar('\n');
		}
		if (tr->nprocs > 50)
			printf("  ... and %zu more\n", tr->nprocs - 50);
	}
	if (tr->nevents > 0)
		printf("Events:\n");
	for (size_t i = 0; i < tr->nevents; i++) {
		printf("  %9.3f s  %-19s ", tr->events[i].t, event_kind(tr->events[i].kind));
		print_clean(tr->events[i].msg, strlen(tr->events[i].msg));
		putchar('\n');
	}
	if (tr->nmarks > 0)
		printf("Marks:\n");
	for (size_t i = 0; i < tr->nmarks; i++) {
		an_mark_label(&tr->marks[i], lab, sizeof(lab));
		printf("  %9.3f s  %3llu  ", tr->marks[i].t,
		    (unsigned long long)tr->marks[i].number);
		print_clean(lab, strlen(lab));
		putchar('\n');
	}
}

/* The units check: field f as seconds ("n/a" when not measured); CPU units (unit ns each) or ns. */
static const char *
calib_s(const struct an_calib *c, int f, double unit, char *b, size_t len)
{
	if (!(c->set & PMT_HAVE(f)) || isnan(unit))
		return "n/a";
	snprintf(b, len, "%.3f s", (double)c->v[f] * unit / 1e9);
	return b;
}

/* The same for memory, MiB. */
static const char *
calib_mib(const struct an_calib *c, int f, char *b, size_t len)
{
	if (!(c->set & PMT_HAVE(f)))
		return "n/a";
	snprintf(b, len, "%.1f MiB", (double)c->v[f] / 1048576);
	return b;
}

/*
 * The units check's raw numbers, both sides, as the trace holds them (the
 * ratios follow in the integrity section): what to paste into a bug.
 */
static void
info_calib(const struct an_trace *tr)
{
	const struct an_calib *c = &tr->calib;
	const uint64_t *v = c->v;
	double u = NAN;
	char a[5][40];

	if (!c->have)
		return;
	if ((c->set & PMT_HAVE(PMT_C_UNIT_NUM)) && (c->set & PMT_HAVE(PMT_C_UNIT_DEN)) &&
	    v[PMT_C_UNIT_DEN] != 0)
		u = (double)v[PMT_C_UNIT_NUM] / (double)v[PMT_C_UNIT_DEN];
	printf("Units check:  a child of the recorder; through this platform's calls: CPU "
	    "user %s, system %s", calib_s(c, PMT_C_CPU_USER, u, a[0], sizeof(a[0])),
	    calib_s(c, PMT_C_CPU_SYSTEM, u, a[1], sizeof(a[1])));
	if ((c->set & PMT_HAVE(PMT_C_CPU_USER)) && (c->set & PMT_HAVE(PMT_C_CPU_SYSTEM)) &&
	    !isnan(u))
		printf(" (%llu + %llu units of %.4g ns)", (unsigned long long)v[PMT_C_CPU_USER],
		    (unsigned long long)v[PMT_C_CPU_SYSTEM], u);
	putchar('\n');
	printf("              by the kernel (wait4): user %s, system %s; its own CPU clock %s\n",
	    calib_s(c, PMT_C_KERNEL_USER_NS, 1, a[0], sizeof(a[0])),
	    calib_s(c, PMT_C_KERNEL_SYSTEM_NS, 1, a[1], sizeof(a[1])),
	    calib_s(c, PMT_C_SELF_CPU_NS, 1, a[2], sizeof(a[2])));
	printf("              the recorder's reaped children's CPU: %s before, %s after\n",
	    calib_s(c, PMT_C_PARENT_BEFORE, u, a[0], sizeof(a[0])),
	    calib_s(c, PMT_C_PARENT_AFTER, u, a[1], sizeof(a[1])));
	printf("              resident %s -> %s, footprint %s -> %s, for %s touched\n",
	    calib_mib(c, PMT_C_RSS_BEFORE, a[0], sizeof(a[0])),
	    calib_mib(c, PMT_C_RSS_AFTER, a[1], sizeof(a[1])),
	    calib_mib(c, PMT_C_FOOTPRINT_BEFORE, a[2], sizeof(a[2])),
	    calib_mib(c, PMT_C_FOOTPRINT_AFTER, a[3], sizeof(a[3])),
	    calib_mib(c, PMT_C_TOUCHED, a[4], sizeof(a[4])));
}

static int cmd_info(int argc, char **argv);

enum { OPT_NO_CALIB = 256 };

static const struct cmn_opt info_opts[] = {
	AN_OPT_NO_CALIB(OPT_NO_CALIB),
	CMN_OPT_HELP,
	CMN_OPT_END
};

const struct an_command an_command_info = {
	"info", cmd_info, "TRACE",
	"header, machine, duration, counts and integrity",
	"Prints what the trace holds and whether it is complete.\n",
	info_opts
};

static int
cmd_info(int argc, char **argv)
{
	struct an_trace tr;
	int c;

	while ((c = an_cmd_getopt(&an_command_info, argc, argv)) != -1) {
		if (c == OPT_NO_CALIB)
			an_load_calibration(0);
		else
			return c == 'h' ? AN_EXIT_OK : AN_EXIT_USAGE;
	}
	if (optind + 1 != argc) {
		warnx(optind >= argc ? "info: which trace?" : "info: one trace at a time");
		an_cmd_usage(stderr, &an_command_info);
		return AN_EXIT_USAGE;
	}
	if (an_cmd_load(&tr, argv[optind]) != 0)
		return AN_EXIT_FAIL;
	info_header(&tr);
	info_counts(&tr);
	info_lists(&tr);
	info_calib(&tr);
	an_report_integrity(stdout, &tr);
	an_free(&tr);
	return AN_EXIT_OK;
}
