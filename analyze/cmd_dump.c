/*
 * cmd_dump.c - "phocus-analyze dump": the raw data of a trace, without
 * summaries: powermetrics output byte for byte, the raw process counters as
 * CSV, the parsed powermetrics values as CSV, or the IOReport counters as
 * read, one CSV row per value.
 */
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_cmd.h"
#include "an_csv.h"
#include "an_trace.h"
#include "pmtrace.h"

enum { DUMP_PM = 256, DUMP_SAMPLES, DUMP_POWER, DUMP_IOR };

/* Tells what the reader could not read (stderr). */
static void
dump_problems(const char *path, pmt_reader *r)
{
	const struct pmt_problem *p;
	size_t n = pmt_reader_problems(r, &p);

	for (size_t i = 0; i < n; i++)
		if (p[i].kind != PMT_P_NO_END || n == 1)
			warnx("%s: %s", path, p[i].msg);
}

/* The powermetrics byte stream, exactly as recorded. */
static int
dump_powermetrics(const char *path)
{
	pmt_reader *r;
	struct pmt_record rec;
	char err[256];

	if (pmt_reader_open(&r, path, err, sizeof(err)) != 0) {
		warnx("%s: %s", path, err);
		return AN_EXIT_FAIL;
	}
	while (pmt_reader_next(r, &rec) == 1)
		if (rec.type == PMT_REC_PM)
			fwrite(rec.u.pm.data, 1, rec.u.pm.len, stdout);
	dump_problems(path, r);
	pmt_reader_close(r);
	return ferror(stdout) ? AN_EXIT_FAIL : AN_EXIT_OK;
}

/* One raw process row. */
static void
dump_row(uint64_t t, const struct pmt_proc *p)
{
	printf("%.6f,%d,", (double)t / 1e9, p->pid);
	if (p->have & PMT_HAVE(PMT_F_PPID))
		printf("%lld", (long long)(int64_t)p->v[PMT_F_PPID]);
	putchar(',');
	if (p->have & PMT_HAVE(PMT_F_NAME))
		an_csv_str(stdout, p->name, p->name_len);
	for (int f = PMT_F_START; f < PMT_NFIELDS; f++) {
		if (f == PMT_F_NAME)
			continue;
		putchar(',');
		if (p->have & PMT_HAVE(f))
			printf("%llu", (unsigned long long)p->v[f]);
	}
	putchar('\n');
}

/* Raw process counters, one CSV row per process per sample. */
static int
dump_samples(const char *path)
{
	pmt_reader *r;
	struct pmt_record rec;
	const struct pmt_header *h;
	char err[256];

	if (pmt_reader_open(&r, path, err, sizeof(err)) != 0) {
		warnx("%s: %s", path, err);
		return AN_EXIT_FAIL;
	}
	an_csv_comment(stdout, "phocus-analyze %s: raw process counters of %s",
	    PHOCUS_VERSION, path);
	an_csv_comment(stdout, "user, system, child_user, child_system: native CPU "
	    "time units (x num / den = ns, see below); rss, footprint, pss, "
	    "read_bytes, write_bytes: bytes; gpu_ns: ns; cpu_energy_nj: CPU energy "
	    "of the process, nJ (macOS recount, not billed energy); cpu_ns: own "
	    "CPU time (user + system) in ns, where the platform has it finer than "
	    "its units (Linux); empty = not recorded in that sample");
	printf("elapsed_s,pid,ppid,name,start_time,user,system,child_user,"
	    "child_system,rss,footprint,pss,threads,read_bytes,write_bytes,gpu_ns,"
	    "cpu_energy_nj,cpu_ns\n");
	while (pmt_reader_next(r, &rec) == 1) {
		if (rec.type == PMT_REC_HEADER && (h = rec.u.header) != NULL)
			an_csv_comment(stdout, "cpu time: num %llu, den %llu",
			    (unsigned long long)h->cpu_time_num,
			    (unsigned long long)h->cpu_time_den);
		if (rec.type != PMT_REC_PROC)
			continue;
		for (size_t i = 0; i < rec.u.proc.n; i++)
			dump_row(rec.t, &rec.u.proc.rows[i]);
	}
	dump_problems(path, r);
	pmt_reader_close(r);
	return ferror(stdout) ? AN_EXIT_FAIL : AN_EXIT_OK;
}

static void
num(double v)
{
	putchar(',');
	an_csv_num(stdout, v);
}

/* Parsed powermetrics values, one CSV row per sample. */
static int
dump_power(const char *path)
{
	struct an_trace tr;
	size_t ncpu = 0;

	if (an_cmd_load(&tr, path) != 0)
		return AN_EXIT_FAIL;
	for (size_t i = 0; i < tr.npm; i++)
		if (tr.pm[i].ncpu > ncpu)
			ncpu = tr.pm[i].ncpu;
	an_csv_comment(stdout, "phocus-analyze %s: powermetrics samples of %s, "
	    "system-wide, re-parsed from the raw output", PHOCUS_VERSION, path);
	an_csv_comment(stdout, "elapsed_s: end of the sample, since the trace start; "
	    "interval_ms: the sample's own length as powermetrics printed it; "
	    "watts, MHz, percent; empty = not printed by this powermetrics, or out of "
	    "range (see info)");
	printf("elapsed_s,interval_ms,gpu_active_pct,gpu_power_w,ane_power_w,"
	    "cpu_power_w,combined_power_w,gpu_freq_mhz,package_power_w,"
	    "dram_power_w,combined_derived,timestamp");
	for (int k = 0; k < tr.ncl_names; k++)
		printf(",%s_active_pct,%s_freq_mhz", tr.cl_names[k], tr.cl_names[k]);
	for (size_t c = 0; c < ncpu; c++)
		printf(",cpu%zu_active_pct", c);
	putchar('\n');
	for (size_t i = 0; i < tr.npm; i++) {
		const struct an_pm *p = &tr.pm[i];
		an_csv_num(stdout, p->t_end);
		num(p->elapsed_ms);
		num(p->gpu_active_pct);
		num(p->gpu_w);
		num(p->ane_w);
		num(p->cpu_w);
		num(p->combined_w);
		num(p->gpu_freq_mhz);
		num(p->package_w);
		num(p->dram_w);
		printf(",%d,", p->combined_derived);
		if (!isnan(p->timestamp))
			printf("%.0f", p->timestamp);
		for (int k = 0; k < tr.ncl_names; k++) {
			int in = k < p->nclusters;
			num(in ? tr.cl_pct[p->cl_off + (size_t)k] : NAN);
			num(in ? tr.cl_mhz[p->cl_off + (size_t)k] : NAN);
		}
		for (size_t c = 0; c < ncpu; c++)
			num(c < p->ncpu ? tr.cpu_pct[p->cpu_off + c] : NAN);
		putchar('\n');
	}
	for (size_t i = 0; i < tr.nbad_pm && i < 20; i++)
		warnx("%s: powermetrics sample at %.1f s skipped: %s", path,
		    tr.bad_pm[i].t, tr.bad_pm[i].why);
	an_free(&tr);
	return ferror(stdout) ? AN_EXIT_FAIL : AN_EXIT_OK;
}

/* ---- IOReport: the counters as read ---- */

/* A copy of the current channel table (the reader's lasts one record). */
struct ior_copy {
	size_t n;
	struct pmt_ior_channel *ch;	/* strings: strdup'ed */
	char **states;			/* all state names, channel by channel */
	size_t nstates;
};

static void
ior_copy_free(struct ior_copy *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free((char *)c->ch[i].group);
		free((char *)c->ch[i].subgroup);
		free((char *)c->ch[i].name);
		free((char *)c->ch[i].unit);
	}
	for (size_t i = 0; i < c->nstates; i++)
		free(c->states[i]);
	free(c->ch);
	free(c->states);
	memset(c, 0, sizeof(*c));
}

/* Copies a channel table.  Returns 0 or -1 (out of memory). */
static int
ior_copy_set(struct ior_copy *c, const struct pmt_ior_table *t)
{
	size_t ns = 0;

	ior_copy_free(c);
	for (size_t i = 0; i < t->n; i++)
		ns += t->ch[i].nstates;
	if ((c->ch = calloc(t->n + 1, sizeof(*c->ch))) == NULL ||
	    (c->states = calloc(ns + 1, sizeof(*c->states))) == NULL)
		return -1;
	c->n = t->n;
	for (size_t i = 0; i < t->n; i++) {
		struct pmt_ior_channel *o = &c->ch[i];
		*o = t->ch[i];
		o->group = strdup(o->group);
		o->subgroup = strdup(o->subgroup);
		o->name = strdup(o->name);
		o->unit = strdup(o->unit);
		o->states = (const char *const *)(c->states + c->nstates);
		for (uint32_t k = 0; k < t->ch[i].nstates; k++)
			c->states[c->nstates++] = strdup(t->ch[i].states[k]);
		if (!o->group || !o->subgroup || !o->name || !o->unit)
			return -1;
	}
	return 0;
}

/* One CSV field (after a comma). */
static void
field(const char *s)
{
	putchar(',');
	an_csv_str(stdout, s ? s : "", s ? strlen(s) : 0);
}

/* The rows of one reading: one per value, in table order. */
static void
ior_rows(const struct ior_copy *c, uint64_t t, const struct pmt_ior_sample *s)
{
	size_t v = 0, m = 0;

	for (size_t i = 0; i < c->n && v < s->nvalues; i++) {
		const struct pmt_ior_channel *h = &c->ch[i];
		int returned = 1;
		while (m < s->nmissing && s->missing[m] < i)
			m++;
		if (m < s->nmissing && s->missing[m] == i)
			returned = 0;
		for (uint32_t k = 0; k < h->nvalues && v < s->nvalues; k++, v++) {
			printf("%.6f,%llu,%zu", (double)t / 1e9,
			    (unsigned long long)s->read_ns, i);
			field(h->group);
			field(h->subgroup);
			field(h->name);
			field(h->unit);
			field(k < h->nstates ? h->states[k] : "");
			printf(",%lld,%d\n", (long long)(int64_t)s->values[v], returned);
		}
	}
}

/* IOReport channels and readings, raw: one CSV row per value. */
static int
dump_ioreport(const char *path)
{
	pmt_reader *r;
	struct pmt_record rec;
	struct ior_copy c = { 0 };
	char err[256];
	int rc = AN_EXIT_OK;

	if (pmt_reader_open(&r, path, err, sizeof(err)) != 0) {
		warnx("%s: %s", path, err);
		return AN_EXIT_FAIL;
	}
	an_csv_comment(stdout, "phocus-analyze %s: IOReport counters of %s as read "
	    "(cumulative; energy in the unit given, state residencies in ticks)",
	    PHOCUS_VERSION, path);
	an_csv_comment(stdout, "elapsed_s: when the reading returned, since the trace "
	    "start; read_ns: how long it took; returned 0: the read did not return "
	    "the channel (its value repeats the previous one)");
	printf("elapsed_s,read_ns,channel,group,subgroup,name,unit,state,value,returned\n");
	while (rc == AN_EXIT_OK && pmt_reader_next(r, &rec) == 1) {
		if (rec.type == PMT_REC_IOR_CHANNELS && ior_copy_set(&c, rec.u.ior_channels) != 0) {
			warnx("%s: out of memory", path);
			rc = AN_EXIT_FAIL;
		} else if (rec.type == PMT_REC_IOR_SAMPLE)
			ior_rows(&c, rec.t, rec.u.ior_sample);
	}
	dump_problems(path, r);
	pmt_reader_close(r);
	ior_copy_free(&c);
	return ferror(stdout) ? AN_EXIT_FAIL : rc;
}

static int cmd_dump(int argc, char **argv);

static const struct cmn_opt dump_opts[] = {
	{ DUMP_PM, "powermetrics", NULL, CMN_OPT_NOSYN,
	  "the raw powermetrics output, byte for byte" },
	{ DUMP_SAMPLES, "samples", NULL, CMN_OPT_NOSYN,
	  "raw process counters as CSV, one row per process per sample" },
	{ DUMP_POWER, "power", NULL, CMN_OPT_NOSYN,
	  "parsed powermetrics values as CSV, one row per sample" },
	{ DUMP_IOR, "ioreport", NULL, CMN_OPT_NOSYN,
	  "IOReport counters as read, CSV, one row per value" },
	CMN_OPT_HELP,
	CMN_OPT_END
};

const struct an_command an_command_dump = {
	"dump", cmd_dump, "TRACE --powermetrics | --samples | --power | --ioreport",
	"raw data: --powermetrics, --samples, --power or --ioreport",
	"Writes one kind of the trace's raw data to standard output.\n",
	dump_opts
};

static int
cmd_dump(int argc, char **argv)
{
	int c, what = 0;

	while ((c = an_cmd_getopt(&an_command_dump, argc, argv)) != -1) {
		if (c == 'h')
			return AN_EXIT_OK;
		if (c == '?')
			return AN_EXIT_USAGE;
		if (what != 0 && what != c) {
			warnx("dump: one of --powermetrics, --samples, --power and --ioreport");
			an_cmd_usage(stderr, &an_command_dump);
			return AN_EXIT_USAGE;
		}
		what = c;
	}
	if (what == 0 || optind + 1 != argc) {
		warnx(what == 0 ? "dump: --powermetrics, --samples, --power or --ioreport?" :
		    optind >= argc ? "dump: which trace?" : "dump: one trace at a time");
		an_cmd_usage(stderr, &an_command_dump);
		return AN_EXIT_USAGE;
	}
	if (what == DUMP_PM)
		return dump_powermetrics(argv[optind]);
	if (what == DUMP_SAMPLES)
		return dump_samples(argv[optind]);
	if (what == DUMP_IOR)
		return dump_ioreport(argv[optind]);
	return dump_power(argv[optind]);
}
