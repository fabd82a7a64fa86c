/*
 * test_an_load.c - the loader against hostile but well-formed traces: one
 * case per class of value a broken or malicious machine could store (wall
 * clock and UTC offset near the integer limits, impossible header counts,
 * clock records out of range, ...).  Each trace is written here with the
 * format library; the expected values are worked out by hand (1700000000 s
 * is 2023-11-14T22:13:20Z).  Under ASan+UBSan (build/tests-asan) any
 * undefined behaviour aborts the test.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "an_trace.h"
#include "pmtrace.h"
#include "tap.h"

#define ANCHOR 1700000000000000000ull	/* 2023-11-14T22:13:20Z, in ns */

static char path[64];

/* A header with sane values; tests change what they test. */
static void
header_sane(struct pmt_header *h)
{
	pmt_header_init(h);
	h->target_name = "editor";
	h->wall_anchor_ns = ANCHOR;
	h->utc_offset_s = 3600;
	h->interval_ns = 1000000000;
	h->cpu_time_num = 1000000000;
	h->cpu_time_den = 100;
	h->ram_bytes = 16000000000ull;
	h->cores_p = 8;
	h->cores_e = 2;
}

/* One process sample at t ns. */
static void
one_sample(pmt_writer *w, uint64_t t, uint64_t user)
{
	struct pmt_proc r = { .pid = 7, .have = PMT_HAVE(PMT_F_RSS) |
	    PMT_HAVE(PMT_F_USER) | PMT_HAVE(PMT_F_SYSTEM) | PMT_HAVE(PMT_F_THREADS) };

	r.v[PMT_F_RSS] = 1000000000;
	r.v[PMT_F_USER] = user;
	r.v[PMT_F_THREADS] = 2;
	pmt_write_proc(w, t, &r, 1);
}

/* Clock records to write after the header: at t, wall, offset. */
struct clk {
	uint64_t t, wall;
	int64_t off;
};

/* Writes a trace with header h, samples at 0, 1, 2 s, the clocks; loads it. */
static int
load_with(const struct pmt_header *h, const struct clk *c, size_t nc, struct an_trace *tr)
{
	pmt_writer *w;
	char err[256];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || pmt_writer_open(&w, fd, NULL) != 0)
		return -1;
	pmt_write_header(w, h);
	for (size_t i = 0; i < nc; i++)
		pmt_write_clock(w, c[i].t, c[i].wall, c[i].off);
	for (uint64_t i = 0; i < 3; i++)
		one_sample(w, i * 1000000000ull, i * 10);
	pmt_writer_close(w, 2000000000ull, PMT_END_SIGNAL);
	close(fd);
	return an_load(tr, path, err, sizeof(err));
}

/* Whether any refused-value note of tr contains s. */
static int
refused_says(const struct an_trace *tr, const char *s)
{
	for (size_t i = 0; i < tr->nrefused && i < AN_REFUSED_KEPT; i++)
		if (strstr(tr->refused[i], s) != NULL)
			return 1;
	return 0;
}

static void
check_iso(const struct an_trace *tr, double t, int want_rc, const char *want, const char *what)
{
	char buf[64];
	int rc = an_iso_time(tr, t, buf, sizeof(buf));

	if (!CHECK(rc == want_rc && strcmp(buf, want) == 0, what))
		printf("#   got %d \"%s\", want %d \"%s\"\n", rc, buf, want_rc, want);
}

/* ======================= Cases ======================= */

static void
test_sane(void)
{
	struct pmt_header h;
	struct an_trace tr;

	header_sane(&h);
	h.wall_anchor_ns = ANCHOR + 123456789;
	CHECK(load_with(&h, NULL, 0, &tr) == 0, "sane: loads");
	check_iso(&tr, 0, 0, "2023-11-14T23:13:20.123+01:00", "sane: local time with offset");
	check_iso(&tr, 2, 0, "2023-11-14T23:13:22.123+01:00", "sane: 2 s later");
	CHECK(tr.nrefused == 0, "sane: nothing refused");
	an_free(&tr);
}

/* wall: anchors that are no date, and anchors a record's time pushes past the limits */
static void
test_wall(void)
{
	static const uint64_t bad[] = { 0, UINT64_MAX, UINT64_MAX - 1, (uint64_t)INT64_MAX,
	    (uint64_t)INT64_MAX + 1, (uint64_t)INT64_MAX - 100000000 };
	struct pmt_header h;
	struct an_trace tr;
	int64_t wall, off;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		header_sane(&h);
		h.wall_anchor_ns = bad[i];
		CHECK(load_with(&h, NULL, 0, &tr) == 0, "wall: a trace with a bad anchor loads");
		check_iso(&tr, 1, -1, "(date unknown)", "wall: a bad anchor gives no date");
		CHECK(an_wall(&tr, 1, &wall, &off) == -1, "wall: an_wall says unknown");
		CHECK(bad[i] == 0 || refused_says(&tr, "wall-clock"),
		    "wall: the refused anchor is named");
		an_free(&tr);
	}
	/* a sane anchor, a moment 584 years after it (t near 2^64 ns) */
	header_sane(&h);
	CHECK(load_with(&h, NULL, 0, &tr) == 0, "wall: loads");
	check_iso(&tr, 18446744073.0, -1, "(date unknown)",
	    "wall: anchor + t beyond the integer range: no date");
	check_iso(&tr, -18446744073.0, -1, "(date unknown)", "wall: far before the anchor: no date");
	check_iso(&tr, NAN, -1, "(date unknown)", "wall: t NaN: no date");
	an_free(&tr);
}

/* offset: UTC offsets beyond +-18 h are refused; times shown in UTC ("Z") */
static void
test_offset(void)
{
	static const int64_t bad[] = { INT64_MIN, INT64_MIN + 1, INT64_MAX, -1 - 18 * 3600,
	    18 * 3600 + 1, 86400LL * 366 };
	struct pmt_header h;
	struct an_trace tr;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		header_sane(&h);
		h.utc_offset_s = bad[i];
		CHECK(load_with(&h, NULL, 0, &tr) == 0, "offset: loads");
		check_iso(&tr, 0, 0, "2023-11-14T22:13:20.000Z", "offset: shown in UTC");
		CHECK(refused_says(&tr, "UTC offset"), "offset: the refused offset is named");
		an_free(&tr);
	}
	header_sane(&h);
	h.utc_offset_s = -(9 * 3600 + 30 * 60);
	CHECK(load_with(&h, NULL, 0, &tr) == 0, "offset: loads");
	check_iso(&tr, 0, 0, "2023-11-14T12:43:20.000-09:30", "offset: -09:30 kept");
	an_free(&tr);
}

/* clock records with impossible values are skipped; the good ones still count */
static void
test_clock_records(void)
{
	const struct clk c[] = {
		{ 500000000, UINT64_MAX, 0 },
		{ 600000000, ANCHOR, INT64_MIN },
		{ 1000000000, ANCHOR + 10000000000ull, 0 },	/* +10 s, UTC: good */
	};
	struct pmt_header h;
	struct an_trace tr;

	header_sane(&h);
	CHECK(load_with(&h, c, 3, &tr) == 0, "clock: loads");
	check_iso(&tr, 0.7, 0, "2023-11-14T23:13:20.700+01:00", "clock: bad records skipped");
	check_iso(&tr, 2, 0, "2023-11-14T22:13:31.000+00:00", "clock: a good record is used");
	CHECK(refused_says(&tr, "2 clock records"), "clock: the skipped records are counted");
	an_free(&tr);
}

/* header: counts, sizes and units a machine cannot have become "unknown" */
static void
test_header_values(void)
{
	struct pmt_header h;
	struct an_trace tr;

	header_sane(&h);
	h.cores_p = INT64_MAX;
	h.cores_e = INT64_MIN;
	h.gpu_cores = 1LL << 40;
	h.ane_cores = -5;
	h.cpus_logical = 100000;
	h.target_pid = INT64_MIN;
	h.ram_bytes = UINT64_MAX;
	h.interval_ns = UINT64_MAX;
	h.cpu_time_num = UINT64_MAX;
	h.cpu_time_den = 1;
	CHECK(load_with(&h, NULL, 0, &tr) == 0, "header: loads");
	CHECK(tr.hdr.cores_p == -1 && tr.hdr.cores_e == -1 && tr.hdr.gpu_cores == -1 &&
	    tr.hdr.ane_cores == -1 && tr.hdr.cpus_logical == -1,
	    "header: impossible core counts become unknown (-1)");
	CHECK(tr.hdr.target_pid == -1, "header: an impossible target pid becomes unknown");
	CHECK(tr.hdr.ram_bytes == 0, "header: RAM of 2^64-1 bytes becomes unknown (0)");
	CHECK(tr.interval_s == 0, "header: an interval of 584 years becomes unknown (0)");
	CHECK(isnan(tr.cpu_ns_per_unit), "header: a CPU time unit of 2^64-1 ns is unknown");
	CHECK(tr.nrows == 3 && isnan(tr.rows[1].cpu_s) && isnan(tr.rows[2].cpu_s),
	    "header: with the CPU unit unknown, CPU is not shown");
	CHECK(refused_says(&tr, "cores") && refused_says(&tr, "RAM") &&
	    refused_says(&tr, "interval") && refused_says(&tr, "CPU time unit"),
	    "header: each refused value is named");
	an_free(&tr);

	header_sane(&h);
	h.cpu_time_num = 1000000000;
	h.cpu_time_den = 0;		/* division by zero */
	CHECK(load_with(&h, NULL, 0, &tr) == 0, "header: loads");
	CHECK(isnan(tr.cpu_ns_per_unit) && isnan(tr.rows[1].cpu_s),
	    "header: CPU time unit x/0 is unknown, not 1 ns");
	an_free(&tr);

	header_sane(&h);
	h.cores_e = 0;
	h.cpus_logical = 4096;
	CHECK(load_with(&h, NULL, 0, &tr) == 0, "header: loads");
	CHECK(tr.hdr.cores_e == 0 && tr.hdr.cpus_logical == 4096 && tr.nrefused == 0,
	    "header: 0 E cores and 4096 CPUs are possible, kept");
	CHECK(tr.rows[1].cpu_s > 0.0999 && tr.rows[1].cpu_s < 0.1001,
	    "header: 10 ticks of 10 ms are 0.1 CPU-seconds");
	an_free(&tr);
}

/* time: series out of time order are refused or held, so lookups can bisect */
static void
test_time_order(void)
{
	static const uint64_t ts[] = { 0, 2000000000, 1000000000, 2000000000, 3000000000,
	    UINT64_MAX, 4000000000 };
	struct pmt_header h;
	struct an_trace tr;
	pmt_writer *w;
	char err[256];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600), ok = 1;

	header_sane(&h);
	if (fd < 0 || pmt_writer_open(&w, fd, NULL) != 0)
		return;
	pmt_write_header(w, &h);
	for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		struct pmt_sys s = { .have = PMT_HAVE(PMT_S_SWAP_USED) };
		s.v[PMT_S_SWAP_USED] = 1000 * i;
		one_sample(w, ts[i], 10 * i);
		pmt_write_sys(w, ts[i], &s);
		pmt_write_pm(w, ts[i], 0, "x", 1);
		pmt_write_mark(w, ts[i], i + 1, "m", 1);
	}
	pmt_writer_close(w, 5000000000ull, PMT_END_SIGNAL);
	close(fd);
	CHECK(an_load(&tr, path, err, sizeof(err)) == 0, "time: loads");
	/* kept: 0, 2, (1 refused), 2, 3, 2^64-1 ns, (4 refused) */
	CHECK(tr.nrows == 5 && tr.nsys == 5, "time: samples before the previous one are refused");
	for (size_t i = 1; i < tr.nrows; i++)
		ok &= tr.rows[i].t >= tr.rows[i - 1].t && tr.sys[i].t >= tr.sys[i - 1].t;
	for (size_t i = 1; i < tr.nmarks; i++)
		ok &= tr.marks[i].t >= tr.marks[i - 1].t;
	CHECK(ok, "time: rows, system samples and marks are in time order");
	CHECK(tr.nmarks == 7, "time: every mark is kept (late ones at the latest time before)");
	CHECK(refused_says(&tr, "out of time order"), "time: the refused records are counted");
	an_free(&tr);
}

/* A text sample of powermetrics with the values given. */
static int
pm_text(char *buf, size_t len, const char *elapsed, const char *gpu_pct, const char *gpu_mw,
    const char *ane_mw, const char *cpu0_pct)
{
	return snprintf(buf, len,
	    "*** Sampled system activity (Tue Nov 14 23:13:21 2023 +0100) (%sms elapsed) ***\n\n"
	    "**** Processor usage ****\n\n"
	    "E-Cluster HW active frequency: 977 MHz\n"
	    "E-Cluster HW active residency:   5.68%% (600 MHz: 5.2%%)\n"
	    "cpu 0 frequency: 1023 MHz\ncpu 0 active residency: %s%% (600 MHz: .08%%)\n\n"
	    "ANE Power: %s mW\nCPU Power: 417 mW\nGPU Power: %s mW\n\n"
	    "**** GPU usage ****\n\n"
	    "GPU HW active frequency: 712 MHz\nGPU HW active residency: %s%% (396 MHz: .02%%)\n"
	    "GPU Power: %s mW\n\n\n", elapsed, cpu0_pct, ane_mw, gpu_mw, gpu_pct, gpu_mw);
}

/* pm: values no powermetrics sample can hold are not used, the rest is */
static void
test_pm_values(void)
{
	struct pmt_header h;
	struct an_trace tr;
	pmt_writer *w;
	char err[256], a[2048], b[2048];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int na = pm_text(a, sizeof(a), "1000", "25.5", "2000", "1200", "40");
	int nb = pm_text(b, sizeof(b), "-5", "1e300", "1e308", "-7", "250");

	header_sane(&h);
	if (fd < 0 || pmt_writer_open(&w, fd, NULL) != 0)
		return;
	pmt_write_header(w, &h);
	pmt_write_pm(w, 1000000000, 0, a, (size_t)na);
	pmt_write_pm(w, 2000000000, 0, b, (size_t)nb);
	pmt_write_pm(w, 3000000000, 0, a, (size_t)na);
	pmt_writer_close(w, 3000000000ull, PMT_END_SIGNAL);
	close(fd);
	CHECK(an_load(&tr, path, err, sizeof(err)) == 0, "pm: loads");
	CHECK(tr.npm == 3, "pm: three samples");
	if (tr.npm == 3) {
		const struct an_pm *p = &tr.pm[1];
		CHECK(tr.pm[0].gpu_active_pct == 25.5 && fabs(tr.pm[0].gpu_w - 2) < 1e-9 &&
		    fabs(tr.pm[0].ane_w - 1.2) < 1e-9 && tr.pm[0].elapsed_ms == 1000 &&
		    tr.cpu_pct[tr.pm[0].cpu_off] == 40, "pm: sane values kept");
		CHECK(isnan(p->elapsed_ms) && isnan(p->t_start), "pm: a length of -5 ms is unknown");
		CHECK(isnan(p->gpu_active_pct), "pm: GPU active 1e300 % is not used");
		CHECK(isnan(p->gpu_w), "pm: GPU power 1e305 W is not used");
		CHECK(isnan(p->ane_w), "pm: negative ANE power is not used");
		CHECK(p->ncpu >= 1 && isnan(tr.cpu_pct[p->cpu_off]), "pm: CPU 0 active 250 % is not used");
		CHECK(p->cpu_w > 0.4169 && p->cpu_w < 0.4171, "pm: the sane CPU power of it is kept");
	}
	CHECK(refused_says(&tr, "powermetrics values"), "pm: the values not used are counted");
	an_free(&tr);
}

/*
 * counters: a process's memory, threads, and an interval's CPU, GPU time
 * and disk bytes that no machine can have (2^64-1 bytes of RSS, CPU beyond
 * 4096 cores busy for the interval) are not shown; the sane ones are
 */
static void
test_counters(void)
{
	struct pmt_header h;
	struct an_trace tr;
	pmt_writer *w;
	char err[256];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	const uint32_t have = PMT_HAVE(PMT_F_RSS) | PMT_HAVE(PMT_F_USER) |
	    PMT_HAVE(PMT_F_SYSTEM) | PMT_HAVE(PMT_F_THREADS) | PMT_HAVE(PMT_F_GPU_NS) |
	    PMT_HAVE(PMT_F_READ_BYTES) | PMT_HAVE(PMT_F_WRITE_BYTES);
	/* per sample (1 s apart): rss, threads, user ticks, gpu ns, read bytes */
	static const uint64_t v[5][5] = {
		{ 1000000000, 4, 0, 0, 0 },
		{ UINT64_MAX, UINT64_MAX, 50, 500000000, 1000000 },	/* sane CPU, GPU, I/O */
		{ 2000000000, 8, UINT64_MAX, UINT64_MAX, UINT64_MAX },	/* jumps */
		{ 2000000000, 8, 100, 600000000, 2000000 },		/* back: a reset */
		{ 2000000000, 8, 150, 700000000, 3000000 },
	};
	struct pmt_sys sys = { .have = PMT_HAVE(PMT_S_SWAP_USED) };

	header_sane(&h);
	if (fd < 0 || pmt_writer_open(&w, fd, NULL) != 0)
		return;
	pmt_write_header(w, &h);
	for (int i = 0; i < 5; i++) {
		struct pmt_proc r = { .pid = 7, .have = have };
		r.v[PMT_F_RSS] = v[i][0];
		r.v[PMT_F_THREADS] = v[i][1];
		r.v[PMT_F_USER] = v[i][2];
		r.v[PMT_F_GPU_NS] = v[i][3];
		r.v[PMT_F_READ_BYTES] = v[i][4];
		pmt_write_proc(w, (uint64_t)i * 1000000000, &r, 1);
		sys.v[PMT_S_SWAP_USED] = i == 2 ? UINT64_MAX : 1000000000;
		pmt_write_sys(w, (uint64_t)i * 1000000000, &sys);
	}
	pmt_writer_close(w, 4000000000ull, PMT_END_SIGNAL);
	close(fd);
	CHECK(an_load(&tr, path, err, sizeof(err)) == 0 && tr.nrows == 5, "counters: loads");
	if (tr.nrows == 5 && tr.nsys == 5) {
		CHECK(tr.rows[0].rss == 1e9 && tr.rows[0].threads == 4, "counters: sane memory kept");
		CHECK(isnan(tr.rows[1].rss) && isnan(tr.rows[1].threads),
		    "counters: 2^64-1 bytes of RSS and 2^64-1 threads are not shown");
		CHECK(fabs(tr.rows[1].cpu_s - 0.5) < 1e-9 && fabs(tr.rows[1].gpu_s - 0.5) < 1e-9 &&
		    tr.rows[1].read_b == 1e6, "counters: sane CPU, GPU and I/O growth kept");
		CHECK(isnan(tr.rows[2].cpu_s) && isnan(tr.rows[2].gpu_s) && isnan(tr.rows[2].read_b),
		    "counters: a jump to 2^64-1 is not CPU, GPU time or bytes read");
		CHECK(tr.rows[3].cpu_s == 0 && tr.rows[3].gpu_s == 0 && tr.rows[3].read_b == 0,
		    "counters: going back is a reset (no growth)");
		CHECK(fabs(tr.rows[4].cpu_s - 0.5) < 1e-9, "counters: then growth again");
		CHECK(isnan(tr.sys[2].swap_used) && tr.sys[1].swap_used == 1e9,
		    "counters: 2^64-1 bytes of swap are not shown");
		CHECK(tr.procs[0].peak_rss == 2e9, "counters: the peak RSS of the process is sane");
		CHECK(tr.procs[0].cpu_s > 0.9999 && tr.procs[0].cpu_s < 1.0001,
		    "counters: the process's own CPU without the jump");
	}
	CHECK(refused_says(&tr, "impossible"), "counters: the values not shown are counted");
	an_free(&tr);
}

int
main(void)
{
	snprintf(path, sizeof(path), "/tmp/test_an_load.%d.pmtrace", (int)getpid());
	test_sane();
	test_wall();
	test_offset();
	test_clock_records();
	test_header_values();
	test_time_order();
	test_pm_values();
	test_counters();
	if (getenv("KEEP") == NULL)	/* KEEP=1: the last trace stays for a look */
		unlink(path);
	return tap_done();
}
