/*
 * test_rec_helpers.c - processes outside the tree that work for the target
 * (issue 9 defect 9), on the fake platform: which are found (responsible
 * process in the tree, not in the tree itself), how often every process is
 * looked at (a scan every 5 s, none in between), helpers that exit or whose
 * pid is reused, a system without the lookup, and the whole path through
 * a trace to the analyzer: the summary line, report --json keys and the
 * CSV columns, with figures worked out by hand from the counters set here.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "an_csv.h"
#include "an_report.h"
#include "an_summary.h"
#include "an_trace.h"
#include "fake_platform.h"
#include "rec_helpers.h"
#include "rec_sample.h"
#include "tap.h"

#define S 1000000000ull			/* ns per second */
#define MB 1000000ull
#define UNITS_PER_S 24000000ull		/* fake CPU unit: 125/3 ns */

enum { T_ROOT, T_KID, T_LAUNCHD, T_MTL, T_XPC, T_FINDER, T_OTHER, T_LATE, NT };

/* The machine: Phocus (500) and its child, launchd's children around them. */
static struct fake_proc table[NT] = {
	[T_ROOT] = { 500, 1, "Phocus", "/Applications/Phocus.app/Contents/MacOS/Phocus", { 0 }, 0 },
	[T_KID] = { 510, 500, "HNNR", "/x/HNNR", { 0 }, 0 },
	[T_LAUNCHD] = { 1, 0, "launchd", "/sbin/launchd", { 0 }, 0 },
	[T_MTL] = { 700, 1, "MTLCompilerService", "/System/MTLCompilerService", { 0 }, 0 },
	[T_XPC] = { 701, 1, "PhocusXPC", "/x/PhocusXPC.xpc", { 0 }, 0 },
	[T_FINDER] = { 702, 1, "Finder", "/x/Finder", { 0 }, 0 },
	[T_OTHER] = { 703, 1, "otherXPC", "/x/otherXPC", { 0 }, 0 },
	[T_LATE] = { 704, 1, "QuickLookUIService", "/x/QL", { 0 }, 0 },
};

/* 700 works for the root, 701 and 704 for the child, 703 for another app. */
static const int32_t resp_pids[] = { 700, 701, 703, 704 };
static const int32_t resp_of[] = { 500, 510, 600, 510 };

/* Counters at t seconds: CPU grows by rate_ms ms per second from base_s. */
static void
set_proc(struct fake_proc *p, uint64_t t, double base_s, double rate_s,
    uint64_t rss, uint64_t fp)
{
	p->c.have = PLAT_HAVE_CPU | PLAT_HAVE_RSS | PLAT_HAVE_FOOTPRINT |
	    PLAT_HAVE_START | PLAT_HAVE_THREADS;
	p->c.user = (uint64_t)((base_s + rate_s * (double)t) * (double)UNITS_PER_S);
	p->c.system = 0;
	p->c.rss = rss;
	p->c.footprint = fp;
	p->c.threads = 3;
	if (p->c.start_time == 0)
		p->c.start_time = 1000 + (uint64_t)p->pid;
}

/*
 * The table at t seconds (table entries present: n, in *t_out).  700 runs
 * until t = 5 (gone at 6), 704 from t = 2.
 */
static size_t
machine_at(struct fake_proc *t_out, uint64_t t)
{
	size_t n = 0;

	for (int i = 0; i < NT; i++) {
		struct fake_proc p = table[i];
		if ((i == T_MTL && t >= 6) || (i == T_LATE && t < 2))
			continue;
		set_proc(&p, t, i == T_LATE ? 10 : 1, i == T_MTL ? 0.5 : i == T_XPC ?
		    0.25 : i == T_LATE ? 1 : 0.1, i == T_MTL ? 80 * MB : i == T_XPC ?
		    40 * MB : i == T_LATE ? 160 * MB : 10 * MB, i == T_MTL ? 100 * MB :
		    i == T_XPC ? 50 * MB : i == T_LATE ? 200 * MB : 20 * MB);
		t_out[n++] = p;
	}
	return n;
}

/* Whether pid is among the helpers' rows. */
static const struct pmt_proc *
hrow(const struct rec_helpers *hp, int32_t pid)
{
	for (size_t i = 0; i < hp->nrows; i++)
		if (hp->rows[i].pid == pid)
			return &hp->rows[i];
	return NULL;
}

/* One sample of tree and helpers at t s; what the scan returned, or -1. */
static int
step(struct rec_sampler *s, struct rec_helpers *hp, uint64_t t)
{
	static struct fake_proc now[NT];
	int found;

	fake_set_procs(now, machine_at(now, t));
	if (rec_sample_tree(s, t * S) != 0)
		return -1;
	found = rec_helpers_scan(hp, s->rows, s->nrows, t * S, 0);
	rec_helpers_sample(hp, 0);
	return found;
}

/* Who is found, how often all processes are looked at, exits. */
static void
test_scan(void)
{
	static struct rec_sampler s;
	static struct rec_helpers hp;
	struct plat_info info;
	const struct pmt_proc *r;
	int calls;

	platform_init(&info);
	fake_set_responsible(resp_pids, resp_of, 4, 0);
	CHECK_I64(rec_helpers_init(&hp, REC_HELPERS_SCAN_MS), REC_HELPERS_ON,
	    "lookup present: helpers are looked for");
	CHECK(rec_sample_init(&s, &info, 500) == 0, "sampler ready");
	CHECK_I64(step(&s, &hp, 0), 2, "t=0: the first scan finds 700 and 701");
	CHECK(hp.nfound == 2 && hp.found[0].pid == 700 && hp.found[0].for_pid == 500 &&
	    hp.found[1].pid == 701 && hp.found[1].for_pid == 510,
	    "... each with the tree's process it works for");
	CHECK(strcmp(hp.found[0].name, "MTLCompilerService") == 0, "... and its name");
	CHECK(hp.nrows == 2 && hrow(&hp, 702) == NULL && hrow(&hp, 703) == NULL &&
	    hrow(&hp, 500) == NULL, "not Finder (its own), not another app's, not the tree");
	r = hrow(&hp, 700);
	CHECK(r != NULL && (r->have & PMT_HAVE(PMT_F_NAME)) && r->v[PMT_F_FOOTPRINT] ==
	    100 * MB && r->v[PMT_F_USER] == UNITS_PER_S,
	    "700's row: its name the first time, its counters raw");
	calls = fake_responsible_calls();
	CHECK(step(&s, &hp, 1) == 0 && fake_responsible_calls() == calls,
	    "t=1: no scan, no lookup at all between scans");
	r = hrow(&hp, 700);
	CHECK(r != NULL && !(r->have & PMT_HAVE(PMT_F_NAME)) &&
	    r->v[PMT_F_USER] == UNITS_PER_S * 3 / 2, "t=1: 700 read again, no name");
	CHECK(step(&s, &hp, 2) == 0 && hrow(&hp, 704) == NULL,
	    "t=2: 704 started, not known before the next scan");
	CHECK(step(&s, &hp, 4) == 0 && hp.nrows == 2, "t=4: still 2");
	calls = fake_responsible_calls();
	CHECK_I64(step(&s, &hp, 5), 1, "t=5: the next scan finds 704");
	CHECK_I64(fake_responsible_calls() - calls, 6,
	    "t=5: one lookup per process outside the tree (8 - 2)");
	CHECK(hp.nrows == 3 && hrow(&hp, 704) != NULL, "t=5: three helpers");
	CHECK(step(&s, &hp, 6) == 0 && hp.nrows == 2 && hrow(&hp, 700) == NULL,
	    "t=6: 700 exited, dropped at once");
	table[T_XPC].c.start_time = 99999;	/* pid 701 now names another process */
	CHECK(step(&s, &hp, 7) == 0 && hrow(&hp, 701) == NULL && hp.nrows == 1,
	    "t=7: a reused pid is not followed");
	table[T_XPC].c.start_time = 0;
	CHECK_U64(hp.scans, 2, "two scans in 7 s");
	CHECK_U64(hp.seen, 3, "three helpers found in all");
	rec_helpers_free(&hp);
	rec_sample_free(&s);
}

/* A system without the lookup, and one without the notion (Linux). */
static void
test_states(void)
{
	static struct rec_helpers hp;
	struct pmt_proc row = { .pid = 500 };

	fake_set_responsible(NULL, NULL, 0, -ENOSYS);
	CHECK_I64(rec_helpers_init(&hp, 5000), REC_HELPERS_MISSING,
	    "lookup missing: said (state MISSING)");
	CHECK(rec_helpers_scan(&hp, &row, 1, 0, 1) == 0 && rec_helpers_sample(&hp, 0) == 0,
	    "lookup missing: nothing scanned or sampled");
	fake_set_responsible(NULL, NULL, 0, -ENOTSUP);
	CHECK_I64(rec_helpers_init(&hp, 5000), REC_HELPERS_OFF,
	    "no such notion (Linux): off, nothing to say");
	fake_set_responsible(resp_pids, resp_of, 4, 0);
	CHECK_I64(rec_helpers_init(&hp, 5000), REC_HELPERS_ON, "lookup back: on");
	fake_set_responsible(NULL, NULL, 0, -ENOSYS);
	CHECK_I64(rec_helpers_scan(&hp, &row, 1, 0, 1), -ENOSYS,
	    "a lookup that goes missing during a scan: -ENOSYS");
	CHECK_I64(hp.state, REC_HELPERS_MISSING, "... and the state says so");
	rec_helpers_free(&hp);
}

/* Writes a trace of samples t = 0..6 s; 0 or -1. */
static int
write_trace(const char *path, int with_helpers)
{
	static struct rec_sampler s;
	static struct rec_helpers hp;
	struct plat_info info;
	struct pmt_header h;
	pmt_writer *w = NULL;
	FILE *f = fopen(path, "wb");
	int rc = -1;

	platform_init(&info);
	fake_set_responsible(resp_pids, resp_of, 4, with_helpers ? 0 : -ENOTSUP);
	rec_helpers_init(&hp, REC_HELPERS_SCAN_MS);
	if (f == NULL || rec_sample_init(&s, &info, 500) != 0 ||
	    pmt_writer_open(&w, fileno(f), NULL) != 0)
		goto done;
	pmt_header_init(&h);
	h.platform = "fake";
	h.target_name = "Phocus";
	h.target_pid = 500;
	h.interval_ns = S;
	h.cpu_time_num = info.cpu_time_num;
	h.cpu_time_den = info.cpu_time_den;
	h.cpus_logical = 8;
	if (hp.state == REC_HELPERS_ON) {
		h.helpers_lookup = platform_responsible_lookup();
		h.helpers_scan_ns = REC_HELPERS_SCAN_MS * 1000000ull;
	}
	if (pmt_write_header(w, &h) != 0 || pmt_write_clock(w, 0, 1700000000ull * S, 0) != 0)
		goto done;
	for (uint64_t t = 0; t <= 6; t++) {
		if (step(&s, &hp, t) < 0 ||
		    pmt_write_proc(w, t * S, s.rows, s.nrows) != 0 ||
		    (hp.state == REC_HELPERS_ON &&
		    pmt_write_helpers(w, t * S, hp.rows, hp.nrows) != 0))
			goto done;
	}
	rc = pmt_writer_close(w, 6 * S, PMT_END_SIGNAL);
	w = NULL;
done:
	pmt_writer_abort(w);
	if (f != NULL)
		fclose(f);
	rec_helpers_free(&hp);
	rec_sample_free(&s);
	return rc;
}

/* The CSV line at elapsed t, as fields; the number of fields, 0 if none. */
static size_t
csv_line(const char *csv, const char *t, char fields[40][32])
{
	const char *p = csv;
	size_t n = 0, len = strlen(t);

	while ((p = strstr(p, "\n")) != NULL) {
		p++;
		if (strncmp(p, t, len) != 0 || p[len] != ',')
			continue;
		while (*p != '\n' && *p != '\0' && n < 40) {
			size_t k = strcspn(p, ",\n");
			snprintf(fields[n++], 32, "%.*s", (int)k, p);
			p += k;
			if (*p == ',')
				p++;
			else
				break;
		}
		return n;
	}
	return 0;
}

/* Index of column name in the CSV header, or -1. */
static int
csv_col(const char *csv, const char *name)
{
	const char *h = strstr(csv, "\nelapsed_s,");
	int i = 0;

	if (h == NULL)
		return -1;
	for (h++; *h != '\n' && *h != '\0'; i++) {
		size_t k = strcspn(h, ",\n");
		if (strlen(name) == k && strncmp(h, name, k) == 0)
			return i;
		h += k + (h[k] == ',');
	}
	return -1;
}

/* Renders report text, JSON and CSV of the trace at path into out (malloc'd). */
static int
render(const char *path, char **text, char **json, char **csv)
{
	struct an_trace tr;
	struct an_summary s;
	char err[256];
	size_t n;
	FILE *f;

	if (an_load(&tr, path, err, sizeof(err)) != 0)
		return -1;
	if (an_summarize(&tr, AN_ANE_THRESHOLD_W, &s) != 0) {
		an_free(&tr);
		return -1;
	}
	f = open_memstream(text, &n);
	an_report_text(f, &tr, &s);
	fclose(f);
	f = open_memstream(json, &n);
	an_report_json(f, &tr, &s);
	fclose(f);
	f = open_memstream(csv, &n);
	an_csv_timeline(f, &tr, 0);
	fclose(f);
	an_summary_free(&s);
	an_free(&tr);
	return 0;
}

/*
 * The figures, by hand.  CPU: 700 grows 0.5 s/s and is followed t = 0..5
 * (5 intervals: 2.5 s), 701 0.25 s/s over t = 0..6 (1.5 s), 704 1 s/s
 * from its first sample at t = 5 (1 interval: 1 s): 5.0 CPU-seconds.
 * Footprint: 150 MB until t = 4, 100 + 50 + 200 = 350 MB at t = 5 (the
 * peak), 250 MB at t = 6.  CSV at t = 5: RSS 80 + 40 + 160 = 280 MB, CPU
 * (0.5 + 0.25 + 0) / 1 s = 75 %, 3 processes; at t = 6: 125 %, 2.
 */
static void
test_path(void)
{
	char path[] = "/tmp/pmt-helpers-XXXXXX", *text = NULL, *json = NULL, *csv = NULL;
	char f[40][32];
	int fd = mkstemp(path), c;

	if (fd >= 0)
		close(fd);
	CHECK(fd >= 0 && write_trace(path, 1) == 0, "path: trace written");
	CHECK(render(path, &text, &json, &csv) == 0, "path: trace analyzed");
	CHECK(text && strstr(text, "Working for it (outside the tree, not counted "
	    "above): 3 processes, peak footprint 0.35 GB, 5.0 CPU-seconds") != NULL,
	    "summary: the helpers line, figures by hand");
	CHECK(json && strstr(json, "\"helpers_processes\":3,") != NULL &&
	    strstr(json, "\"helpers_memory_peak_gb\":0.35,") != NULL &&
	    strstr(json, "\"helpers_cpu_s\":5,") != NULL, "json: the helpers keys");
	c = csv_col(csv ? csv : "", "helpers_rss_gb");
	CHECK(c > 0 && csv_col(csv, "pss_age_s") == c - 1 &&
	    csv_col(csv, "helpers_cpu_pct") == c + 1 &&
	    csv_col(csv, "helpers_procs") == c + 2, "csv: the helpers columns come last");
	CHECK(c > 0 && csv_line(csv, "5", f) == (size_t)c + 3 &&
	    strcmp(f[c], "0.28") == 0 && strcmp(f[c + 1], "75") == 0 &&
	    strcmp(f[c + 2], "3") == 0, "csv t=5: 0.28 GB, 75 %, 3 processes");
	CHECK(c > 0 && csv_line(csv, "6", f) == (size_t)c + 3 &&
	    strcmp(f[c + 1], "125") == 0 && strcmp(f[c + 2], "2") == 0,
	    "csv t=6: 125 %, 2 processes");
	CHECK(c > 0 && csv_line(csv, "0", f) == (size_t)c + 3 && f[c + 1][0] == '\0',
	    "csv t=0: no CPU % for the first record");
	free(text);
	free(json);
	free(csv);
	text = json = csv = NULL;
	CHECK(write_trace(path, 0) == 0 && render(path, &text, &json, &csv) == 0,
	    "path: a trace without helpers (as on Linux) analyzed");
	CHECK(text && strstr(text, "Working for it") == NULL, "... its summary says nothing of them");
	CHECK(json && strstr(json, "\"helpers_processes\":null") != NULL, "... JSON null");
	CHECK(csv && strstr(csv, "helpers_*") == NULL, "... no CSV note on them");
	free(text);
	free(json);
	free(csv);
	unlink(path);
}

int
main(void)
{
	test_scan();
	test_states();
	test_path();
	return tap_done();
}
