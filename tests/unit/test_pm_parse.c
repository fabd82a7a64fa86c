/*
 * test_pm_parse.c - unit tests of the powermetrics parser (analyze/powermetrics/pm_*.c).
 * Parses every capture in tests/data/powermetrics (or argv[1]) against values
 * read by hand, checks plist energy vs power, and feeds hostile input (cuts,
 * unbalanced tags, garbage, broken numbers).  Ends with "N passed, N failed".
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmn_file.h"
#include "tap.h"
#include "powermetrics/pm_parse.h"
#include "pmtrace.h"

/* ========================= Fixtures ========================= */

enum fixture_id {
	M1_12, M1_GPULOAD, M1_TAIL, M1MAX_13, M2_12, M4MAX_15, M4PRO_26,
	M1PRO_PLIST, M4PRO_PLIST, N_FIXTURES
};

/* The captures of tests/data/powermetrics/README.md. */
static const struct fixture {
	const char *name;	/* file name */
	enum pm_format format;	/* what pm_detect must say */
	int samples;		/* sample blocks in the file (README) */
	const char *model;	/* "Machine model:" of the preamble, or NULL */
	const char *os;		/* "OS version:" of the preamble */
} fixtures[N_FIXTURES] = {
	[M1_12] = { "m1-macmini-macos11.2.2-text-cpu_gpu-12samples.txt",
	    PM_FORMAT_TEXT, 12, "Macmini9,1", "20D80" },
	[M1_GPULOAD] = {
	    "m1-macmini-macos11.2.2-text-cpu_gpu-gpuload-slice-4samples.txt",
	    PM_FORMAT_TEXT, 4, NULL, NULL },
	[M1_TAIL] = { "m1-macmini-macos11.2.2-text-cpu_gpu-tail-3samples-"
	    "plus-summary.txt", PM_FORMAT_TEXT, 4, NULL, NULL },
	[M1MAX_13] = { "m1max-macos13.6-text-tasks_cpu_power.txt",
	    PM_FORMAT_TEXT, 1, "MacBookPro18,4", "22G120" },
	[M2_12] = { "m2-macos12-text-cpu_power-composite.txt",
	    PM_FORMAT_TEXT, 2, "Mac14,2", "21G72" },
	[M4MAX_15] = { "m4max-macos15.5-text-default-trimmed.txt",
	    PM_FORMAT_TEXT, 1, "Mac16,6", "24F74" },
	[M4PRO_26] = { "m4pro-macos26.0-text-summary.txt",
	    PM_FORMAT_TEXT, 1, "Mac16,8", "25A362" },
	[M1PRO_PLIST] = { "m1pro-macos15.3.2-plist-showall-5samples.plist",
	    PM_FORMAT_PLIST, 5, NULL, NULL },
	[M4PRO_PLIST] = { "m4pro-macos15.5-plist-gpu_power-1sample.plist",
	    PM_FORMAT_PLIST, 1, NULL, NULL },
};

#define MAX_CHUNKS 64

/* A file split into chunks by the test's own helpers. */
struct capture {
	char *buf;			/* whole file */
	size_t len;			/* its size */
	int n;				/* chunks */
	size_t off[MAX_CHUNKS];		/* chunk starts */
	size_t clen[MAX_CHUNKS];	/* chunk lengths */
	int is_sample[MAX_CHUNKS];	/* 0: the text preamble */
	int n_samples;			/* chunks that are samples */
	int sample_chunk[MAX_CHUNKS];	/* chunk index of sample i */
	struct pm_sample *s;		/* parsed samples, n_samples */
};

static struct capture caps[N_FIXTURES];
static const char *data_dir = "tests/data/powermetrics";

/* The whole file at path (NUL after it), or NULL. */
static char *
load_file(const char *path, size_t *len)
{
	char *p;

	return cmn_file_read(path, CMN_FILE_NO_CAP, 0, &p, len) == 0 ? p : NULL;
}

/* Returns 1 when a line starting at p (len bytes left) is a header. */
static int
is_header_line(const char *p, size_t left)
{
	static const char *const h[] = { "*** Sampled system activity",
	    "*** Summary system activity" };
	int i;

	for (i = 0; i < 2; i++)
		if (left >= strlen(h[i]) && memcmp(p, h[i], strlen(h[i])) == 0)
			return 1;
	return 0;
}

/* Adds chunk [off, end) to c. */
static void
add_chunk(struct capture *c, size_t off, size_t end, int is_sample)
{
	if (c->n >= MAX_CHUNKS || end <= off)
		return;
	c->off[c->n] = off;
	c->clen[c->n] = end - off;
	c->is_sample[c->n] = is_sample;
	if (is_sample)
		c->sample_chunk[c->n_samples++] = c->n;
	c->n++;
}

/* Splits text at lines starting with a sample header. */
static void
split_text(struct capture *c)
{
	size_t i, start = 0;

	for (i = 0; i < c->len; i++) {
		if ((i == 0 || c->buf[i - 1] == '\n') &&
		    is_header_line(c->buf + i, c->len - i) && i > start) {
			add_chunk(c, start, i, is_header_line(c->buf + start,
			    c->len - start));
			start = i;
		}
	}
	add_chunk(c, start, c->len, is_header_line(c->buf + start,
	    c->len - start));
}

/* Splits a plist stream at NUL bytes (the NULs are left out). */
static void
split_plist(struct capture *c)
{
	size_t i, start = 0;

	for (i = 0; i <= c->len; i++) {
		if (i < c->len && c->buf[i] != '\0')
			continue;
		add_chunk(c, start, i, 1);
		start = i + 1;
	}
}

/* Returns the parsed sample i of fixture f (NULL if missing). */
static const struct pm_sample *
sample_of(enum fixture_id f, int i)
{
	if (caps[f].s == NULL || i >= caps[f].n_samples)
		return NULL;
	return &caps[f].s[i];
}

/* ========================= Every capture parses ========================= */

/* Loads fixture f, splits it and parses every chunk. */
static void
test_fixture(enum fixture_id f)
{
	const struct fixture *fx = &fixtures[f];
	struct capture *c = &caps[f];
	char path[1024], msg[256], err[256], model[32], os[16];
	int i, ci, rc, bad = 0;

	snprintf(path, sizeof(path), "%s/%s", data_dir, fx->name);
	c->buf = load_file(path, &c->len);
	snprintf(msg, sizeof(msg), "%s: readable", fx->name);
	if (!CHECK(c->buf != NULL, msg))
		return;
	snprintf(msg, sizeof(msg), "%s: detected as %s", fx->name,
	    pm_format_name(fx->format));
	CHECK(pm_detect(c->buf, c->len) == fx->format, msg);
	if (fx->format == PM_FORMAT_TEXT)
		split_text(c);
	else
		split_plist(c);
	snprintf(msg, sizeof(msg), "%s: %d samples", fx->name, fx->samples);
	CHECK_U64(c->n_samples, fx->samples, msg);
	c->s = calloc((size_t)c->n_samples + 1, sizeof(*c->s));
	for (i = 0; i < c->n_samples; i++) {
		ci = c->sample_chunk[i];
		rc = pm_parse_sample(c->buf + c->off[ci], c->clen[ci], &c->s[i],
		    err, sizeof(err));
		if (rc != 0 && bad++ == 0)
			printf("# %s sample %d: %s\n", fx->name, i, err);
	}
	snprintf(msg, sizeof(msg), "%s: every sample parses", fx->name);
	CHECK(bad == 0, msg);
	if (fx->model == NULL)
		return;
	rc = c->is_sample[0] ? -1 : pm_parse_preamble(c->buf + c->off[0],
	    c->clen[0], model, sizeof(model), os, sizeof(os));
	snprintf(msg, sizeof(msg), "%s: preamble parses", fx->name);
	CHECK(rc == 0, msg);
	snprintf(msg, sizeof(msg), "%s: preamble model", fx->name);
	CHECK_STR(model, fx->model, msg);
	snprintf(msg, sizeof(msg), "%s: preamble OS build", fx->name);
	CHECK_STR(os, fx->os, msg);
}

/* pmt_pm_split() (the format library's splitter) must cut where the test's helpers cut. */
static void
test_split_agrees(enum fixture_id f)
{
	const struct capture *c = &caps[f];
	size_t off = 0, n, lead;
	int i = 0, same = 1, is_sample, pre;
	char msg[256];

	if (c->buf == NULL)
		return;
	while (off < c->len && i < c->n) {
		n = pmt_pm_split((const uint8_t *)c->buf + off, c->len - off, 1, &pre);
		is_sample = !pre;
		/* the helper's plist chunks leave the NULs out; a unit
		 * of pmt_pm_split starts with the NUL before its plist */
		lead = fixtures[f].format == PM_FORMAT_PLIST && i > 0;
		if (off + lead != c->off[i] || is_sample != c->is_sample[i] ||
		    n != c->clen[i] + lead)
			same = 0;
		off += n;
		i++;
	}
	snprintf(msg, sizeof(msg), "%s: pmt_pm_split cuts at the headers / "
	    "before the NULs", fixtures[f].name);
	CHECK(same && i == c->n && off == c->len, msg);
}

/* ========================= Values read by hand ========================= */

enum field {
	F_ELAPSED, F_TS, F_TZ, F_SUMMARY, F_GPU_ACT, F_GPU_FREQ, F_GPU_W,
	F_ANE_W, F_CPU_W, F_COMB_W, F_COMB_DERIVED, F_PKG_W, F_DRAM_W,
	F_CPU_E, F_GPU_E, F_NCL, F_NCPU, F_CL_ACT, F_CL_IDLE, F_CL_DOWN,
	F_CL_FREQ, F_CL_W, F_CPU_ID, F_CPU_CL, F_CPU_ACT, F_CPU_IDLE,
	F_CPU_DOWN, F_CPU_FREQ
};

static const char *const field_names[] = {
	"elapsed_ms", "timestamp", "tz_offset_min", "is_summary",
	"gpu_active_pct", "gpu_freq_mhz", "gpu_power_w", "ane_power_w",
	"cpu_power_w", "combined_power_w", "combined_derived",
	"package_power_w", "dram_power_w", "cpu_energy_j", "gpu_energy_j",
	"n_clusters", "n_cpus", "cluster active_pct", "cluster idle_pct",
	"cluster down_pct", "cluster freq_mhz", "cluster power_w", "cpu id",
	"cpu cluster", "cpu active_pct", "cpu idle_pct", "cpu down_pct",
	"cpu freq_mhz"
};

/* Returns field f (of cluster/CPU slot i) of s; NaN for a bad slot. */
static double
field_of(const struct pm_sample *s, enum field f, int i)
{
	const struct pm_cluster *c = i >= 0 && i < s->n_clusters ?
	    &s->clusters[i] : NULL;
	const struct pm_cpu *u = i >= 0 && i < s->n_cpus ? &s->cpus[i] : NULL;

	switch (f) {
	case F_ELAPSED: return s->elapsed_ms;
	case F_TS: return s->timestamp;
	case F_TZ: return s->tz_offset_min;
	case F_SUMMARY: return s->is_summary;
	case F_GPU_ACT: return s->gpu_active_pct;
	case F_GPU_FREQ: return s->gpu_freq_mhz;
	case F_GPU_W: return s->gpu_power_w;
	case F_ANE_W: return s->ane_power_w;
	case F_CPU_W: return s->cpu_power_w;
	case F_COMB_W: return s->combined_power_w;
	case F_COMB_DERIVED: return s->combined_derived;
	case F_PKG_W: return s->package_power_w;
	case F_DRAM_W: return s->dram_power_w;
	case F_CPU_E: return s->cpu_energy_j;
	case F_GPU_E: return s->gpu_energy_j;
	case F_NCL: return s->n_clusters;
	case F_NCPU: return s->n_cpus;
	default: break;
	}
	if (f <= F_CL_W && c == NULL)
		return -12345;		/* the slot must exist */
	switch (f) {
	case F_CL_ACT: return c->active_pct;
	case F_CL_IDLE: return c->idle_pct;
	case F_CL_DOWN: return c->down_pct;
	case F_CL_FREQ: return c->freq_mhz;
	case F_CL_W: return c->power_w;
	default: break;
	}
	if (u == NULL)
		return -12345;
	switch (f) {
	case F_CPU_ID: return u->id;
	case F_CPU_CL: return u->cluster;
	case F_CPU_ACT: return u->active_pct;
	case F_CPU_IDLE: return u->idle_pct;
	case F_CPU_DOWN: return u->down_pct;
	case F_CPU_FREQ: return u->freq_mhz;
	default: break;
	}
	return -12345;
}

/*
 * One expected value: fixture, sample (0-based, preamble not counted),
 * field, cluster/CPU slot, value (NAN: must be "not printed").  Every value
 * was read by hand from the capture; the comment quotes the line.  Watts
 * are the printed mW / 1000, MHz from plist Hz / 1e6, percentages from
 * plist ratios * 100, Unix times computed from the printed local time and
 * offset (date -u -d '2021-02-28 08:17:04' +%s).
 */
static const struct expect {
	enum fixture_id fx;	/* capture */
	int sample;		/* sample index */
	enum field f;		/* what */
	int i;			/* cluster or CPU slot */
	double want;		/* expected, NAN = not printed */
} expects[] = {
	/* ---- M1, macOS 11.2.2, sample 1 of 12 ---- */
	/* line 8: "(Sun Feb 28 00:17:04 2021 -0800) (1005.03ms elapsed)" */
	{ M1_12, 0, F_ELAPSED, 0, 1005.03 },
	{ M1_12, 0, F_TS, 0, 1614500224 },	/* 2021-02-28 08:17:04 UTC */
	{ M1_12, 0, F_TZ, 0, -480 },
	{ M1_12, 0, F_SUMMARY, 0, 0 },
	{ M1_12, 0, F_NCL, 0, 2 },		/* E-Cluster, P-Cluster */
	{ M1_12, 0, F_NCPU, 0, 8 },		/* cpu 0 .. cpu 7 */
	{ M1_12, 0, F_CL_W, 0, 0.011 },		/* 13: "E-Cluster Power: 11 mW" */
	{ M1_12, 0, F_CL_FREQ, 0, 1025 },	/* 14: "... frequency: 1025 MHz" */
	{ M1_12, 0, F_CL_ACT, 0, 9.61 },	/* 15: "... residency:   9.61%" */
	{ M1_12, 0, F_CL_IDLE, 0, 90.39 },	/* 16: "idle residency:  90.39%" */
	{ M1_12, 0, F_CL_DOWN, 0, NAN },	/* macOS 11: no down residency */
	{ M1_12, 0, F_CPU_ID, 0, 0 },
	{ M1_12, 0, F_CPU_CL, 0, 0 },
	{ M1_12, 0, F_CPU_FREQ, 0, 1177 },	/* 17: "cpu 0 frequency: 1177 MHz" */
	{ M1_12, 0, F_CPU_ACT, 0, 4.38 },	/* 19: "cpu 0 active residency:   4.38%" */
	{ M1_12, 0, F_CPU_IDLE, 0, 95.62 },	/* 18: "cpu 0 idle residency:  95.62%" */
	{ M1_12, 0, F_CL_W, 1, 0.012 },		/* 30: "P-Cluster Power: 12 mW" */
	{ M1_12, 0, F_CL_FREQ, 1, 634 },	/* 31: "... frequency: 634 MHz" */
	{ M1_12, 0, F_CL_ACT, 1, 1.73 },	/* 32: "... residency:   1.73%" */
	{ M1_12, 0, F_CPU_ID, 4, 4 },
	{ M1_12, 0, F_CPU_CL, 4, 1 },		/* printed after P-Cluster */
	{ M1_12, 0, F_CPU_FREQ, 4, 1302 },	/* 34: "cpu 4 frequency: 1302 MHz" */
	{ M1_12, 0, F_CPU_ACT, 4, 1.67 },	/* 36: "cpu 4 active residency:   1.67%" */
	{ M1_12, 0, F_CPU_FREQ, 7, 0 },		/* 43: "cpu 7 frequency: 0 MHz" */
	{ M1_12, 0, F_ANE_W, 0, 0 },		/* 47: "ANE Power: 0 mW" */
	{ M1_12, 0, F_DRAM_W, 0, 0.010 },	/* 48: "DRAM Power: 10 mW" */
	{ M1_12, 0, F_CPU_W, 0, 0.023 },	/* 49: "Clusters Total Power: 23 mW" */
	{ M1_12, 0, F_GPU_W, 0, 0.001 },	/* 50: "GPU Power: 1 mW" */
	{ M1_12, 0, F_PKG_W, 0, 0.048 },	/* 51: "Package Power: 48 mW" */
	{ M1_12, 0, F_GPU_FREQ, 0, 709 },	/* 55: "GPU active frequency: 709 MHz" */
	{ M1_12, 0, F_GPU_ACT, 0, 0.54 },	/* 56: "GPU active residency:   0.54%" */
	{ M1_12, 0, F_COMB_W, 0, 0.024 },	/* not printed: 23 + 1 + 0 mW */
	{ M1_12, 0, F_COMB_DERIVED, 0, 1 },
	{ M1_12, 0, F_CPU_E, 0, NAN },		/* text prints no energy */
	/* ---- sample 2 (line 63: "(1014.57ms elapsed)") ---- */
	{ M1_12, 1, F_ELAPSED, 0, 1014.57 },
	{ M1_12, 1, F_TS, 0, 1614500225 },	/* 00:17:05 -0800 */
	{ M1_12, 1, F_CL_W, 0, 0.003 },		/* 68: "E-Cluster Power: 3 mW" */
	{ M1_12, 1, F_CL_ACT, 0, 5.07 },	/* 70: "...residency:   5.07%" */
	{ M1_12, 1, F_CPU_FREQ, 0, 993 },	/* 72: "cpu 0 frequency: 993 MHz" */
	{ M1_12, 1, F_CL_ACT, 1, 0.00 },	/* 87: "P-Cluster HW active residency:   0.00%" */
	{ M1_12, 1, F_CL_IDLE, 1, 100.00 },	/* 88: "P-Cluster idle residency: 100.00%" */
	{ M1_12, 1, F_CPU_FREQ, 4, 0 },		/* 89: "cpu 4 frequency: 0 MHz" */
	{ M1_12, 1, F_DRAM_W, 0, 0.005 },	/* 103: "DRAM Power: 5 mW" */
	{ M1_12, 1, F_CPU_W, 0, 0.003 },	/* 104: "Clusters Total Power: 3 mW" */
	{ M1_12, 1, F_GPU_W, 0, 0 },		/* 105: "GPU Power: 0 mW" */
	{ M1_12, 1, F_PKG_W, 0, 0.012 },	/* 106: "Package Power: 12 mW" */
	{ M1_12, 1, F_GPU_FREQ, 0, 714 },	/* 110: "GPU active frequency: 714 MHz" */
	{ M1_12, 1, F_GPU_ACT, 0, 0.51 },	/* 111: "GPU active residency:   0.51%" */
	/* ---- sample 12 (line 613: "(Sun Feb 28 00:17:15 2021 -0800) (1013.89ms elapsed)") ---- */
	{ M1_12, 11, F_ELAPSED, 0, 1013.89 },
	{ M1_12, 11, F_TS, 0, 1614500235 },
	{ M1_12, 11, F_CL_W, 0, 0.025 },	/* 618: "E-Cluster Power: 25 mW" */
	{ M1_12, 11, F_CL_FREQ, 0, 997 },	/* 619 */
	{ M1_12, 11, F_CL_ACT, 0, 20.35 },	/* 620: "...residency:  20.35%" */
	{ M1_12, 11, F_CPU_ACT, 0, 15.95 },	/* 624: "cpu 0 active residency:  15.95%" */
	{ M1_12, 11, F_CL_W, 1, 0.002 },	/* 635: "P-Cluster Power: 2 mW" */
	{ M1_12, 11, F_CPU_FREQ, 4, 809 },	/* 639: "cpu 4 frequency: 809 MHz" */
	{ M1_12, 11, F_CPU_ACT, 4, 0.32 },	/* 641 */
	{ M1_12, 11, F_DRAM_W, 0, 0.018 },	/* 653: "DRAM Power: 18 mW" */
	{ M1_12, 11, F_CPU_W, 0, 0.027 },	/* 654: "Clusters Total Power: 27 mW" */
	{ M1_12, 11, F_PKG_W, 0, 0.056 },	/* 656: "Package Power: 56 mW" */
	{ M1_12, 11, F_GPU_ACT, 0, 0.61 },	/* 661: "GPU active residency:   0.61%" */
	{ M1_12, 11, F_COMB_W, 0, 0.028 },	/* 27 + 1 + 0 mW */

	/* ---- M1 GPU load slice (no preamble) ---- */
	{ M1_GPULOAD, 0, F_ELAPSED, 0, 1014.62 },	/* line 1 */
	{ M1_GPULOAD, 0, F_GPU_W, 0, 0.039 },	/* 43: "GPU Power: 39 mW" */
	{ M1_GPULOAD, 0, F_GPU_FREQ, 0, 712 },	/* 48 */
	{ M1_GPULOAD, 0, F_GPU_ACT, 0, 0.84 },	/* 49: "GPU active residency:   0.84%" */
	{ M1_GPULOAD, 1, F_TS, 0, 1614500294 },	/* 56: 00:18:14 -0800 */
	{ M1_GPULOAD, 1, F_ELAPSED, 0, 1014.81 },
	{ M1_GPULOAD, 1, F_CL_W, 1, 0.101 },	/* 78: "P-Cluster Power: 101 mW" */
	{ M1_GPULOAD, 1, F_CL_ACT, 1, 5.07 },	/* 80 */
	{ M1_GPULOAD, 1, F_CPU_FREQ, 4, 2167 },	/* 82: "cpu 4 frequency: 2167 MHz" */
	{ M1_GPULOAD, 1, F_CPU_FREQ, 7, 2664 },	/* 91: "cpu 7 frequency: 2664 MHz" */
	{ M1_GPULOAD, 1, F_CPU_W, 0, 0.106 },	/* 97: "Clusters Total Power: 106 mW" */
	/*
	 * 98: "GPU Power: 7284 mW" in the processor section, and 107: "GPU
	 * Power: 7349 mW" in the GPU section: the first is kept.
	 */
	{ M1_GPULOAD, 1, F_GPU_W, 0, 7.284 },
	{ M1_GPULOAD, 1, F_PKG_W, 0, 7.518 },	/* 99: "Package Power: 7518 mW" */
	{ M1_GPULOAD, 1, F_GPU_FREQ, 0, 1266 },	/* 103 */
	{ M1_GPULOAD, 1, F_GPU_ACT, 0, 84.36 },	/* 104: "GPU active residency:  84.36%" */
	{ M1_GPULOAD, 1, F_COMB_W, 0, 7.390 },	/* 106 + 7284 + 0 mW */
	{ M1_GPULOAD, 2, F_GPU_FREQ, 0, 1278 },	/* 158 */
	{ M1_GPULOAD, 2, F_GPU_ACT, 0, 100 },	/* 159: "GPU active residency: 100.00%" */
	{ M1_GPULOAD, 2, F_GPU_W, 0, 7.539 },	/* 153: "GPU Power: 7539 mW" */
	{ M1_GPULOAD, 3, F_TS, 0, 1614500296 },	/* 166: 00:18:16 -0800 */
	{ M1_GPULOAD, 3, F_GPU_W, 0, 7.311 },	/* 208: "GPU Power: 7311 mW" */
	{ M1_GPULOAD, 3, F_GPU_ACT, 0, 100 },	/* 214 */

	/* ---- M1 tail: 3 samples and the summary ---- */
	{ M1_TAIL, 0, F_TS, 0, 1614500387 },	/* line 1: 00:19:47 -0800 */
	{ M1_TAIL, 0, F_ELAPSED, 0, 1013.06 },
	{ M1_TAIL, 0, F_SUMMARY, 0, 0 },
	{ M1_TAIL, 0, F_CL_ACT, 0, 2.26 },	/* 8: "...residency:   2.26%" */
	/* 166: "*** Summary system activity (Sun Feb 28 00:19:50 2021 -0800) (166880.25ms elapsed) ***" */
	{ M1_TAIL, 3, F_SUMMARY, 0, 1 },
	{ M1_TAIL, 3, F_ELAPSED, 0, 166880.25 },
	{ M1_TAIL, 3, F_TS, 0, 1614500390 },
	{ M1_TAIL, 3, F_CL_W, 0, 0.006 },	/* 171: "E-Cluster Power: 6 mW" */
	{ M1_TAIL, 3, F_CL_ACT, 0, 6.31 },	/* 173 */
	{ M1_TAIL, 3, F_CL_W, 1, 0.162 },	/* 188: "P-Cluster Power: 162 mW" */
	{ M1_TAIL, 3, F_CL_ACT, 1, 6.56 },	/* 190 */
	{ M1_TAIL, 3, F_CPU_FREQ, 4, 2841 },	/* 192: "cpu 4 frequency: 2841 MHz" */
	{ M1_TAIL, 3, F_CPU_ACT, 4, 5.45 },	/* 194 */
	{ M1_TAIL, 3, F_DRAM_W, 0, 0.084 },	/* 206 */
	{ M1_TAIL, 3, F_CPU_W, 0, 0.168 },	/* 207: "Clusters Total Power: 168 mW" */
	{ M1_TAIL, 3, F_GPU_W, 0, 1.077 },	/* 208: "GPU Power: 1077 mW" */
	{ M1_TAIL, 3, F_PKG_W, 0, 1.4 },	/* 209: "Package Power: 1400 mW" */
	{ M1_TAIL, 3, F_GPU_FREQ, 0, 1246 },	/* 213 */
	{ M1_TAIL, 3, F_GPU_ACT, 0, 14.73 },	/* 214: "GPU active residency:  14.73%" */
	{ M1_TAIL, 3, F_COMB_W, 0, 1.245 },	/* 168 + 1077 + 0 mW */
	{ M1_TAIL, 3, F_COMB_DERIVED, 0, 1 },

	/* ---- M1 Max, macOS 13.6 (tasks + cpu_power, no GPU section) ---- */
	/* line 8: "(Mon Oct 23 16:51:12 2023 +0200) (1012.07ms elapsed)" */
	{ M1MAX_13, 0, F_ELAPSED, 0, 1012.07 },
	{ M1MAX_13, 0, F_TS, 0, 1698072672 },	/* 2023-10-23 14:51:12 UTC */
	{ M1MAX_13, 0, F_TZ, 0, 120 },
	{ M1MAX_13, 0, F_NCL, 0, 3 },		/* E, P0, P1 */
	{ M1MAX_13, 0, F_NCPU, 0, 10 },		/* CPU 0 .. CPU 9 */
	{ M1MAX_13, 0, F_CL_FREQ, 0, 1499 },	/* 123 */
	{ M1MAX_13, 0, F_CL_ACT, 0, 67.87 },	/* 124: "E-Cluster HW active residency:  67.87%" */
	{ M1MAX_13, 0, F_CL_IDLE, 0, 32.13 },	/* 125 */
	{ M1MAX_13, 0, F_CL_W, 0, NAN },	/* 13.6 prints no cluster power */
	{ M1MAX_13, 0, F_CPU_FREQ, 0, 1527 },	/* 128: "CPU 0 frequency: 1527 MHz" */
	{ M1MAX_13, 0, F_CPU_ACT, 0, 54.12 },	/* 129 */
	{ M1MAX_13, 0, F_CPU_IDLE, 0, 45.88 },	/* 130 */
	{ M1MAX_13, 0, F_CL_FREQ, 1, 876 },	/* 136: "P0-Cluster HW active frequency: 876 MHz" */
	{ M1MAX_13, 0, F_CL_ACT, 1, 16.05 },	/* 137 */
	{ M1MAX_13, 0, F_CPU_ID, 2, 2 },
	{ M1MAX_13, 0, F_CPU_CL, 2, 1 },	/* CPU 2 is printed after P0-Cluster */
	{ M1MAX_13, 0, F_CPU_FREQ, 2, 1237 },	/* 141 */
	{ M1MAX_13, 0, F_CPU_ACT, 2, 12.66 },	/* 142 */
	{ M1MAX_13, 0, F_CL_ACT, 2, 0.61 },	/* 156: "P1-Cluster HW active residency:   0.61%" */
	{ M1MAX_13, 0, F_CPU_CL, 9, 2 },
	{ M1MAX_13, 0, F_CPU_FREQ, 9, 1289 },	/* 169 */
	{ M1MAX_13, 0, F_CPU_ACT, 9, 0.02 },	/* 170 */
	{ M1MAX_13, 0, F_CPU_W, 0, 0.211 },	/* 175: "CPU Power: 211 mW" */
	{ M1MAX_13, 0, F_GPU_W, 0, 0.147 },	/* 176: "GPU Power: 147 mW" */
	{ M1MAX_13, 0, F_ANE_W, 0, 0 },		/* 177 */
	{ M1MAX_13, 0, F_COMB_W, 0, 0.359 },	/* 178: "Combined Power (CPU + GPU + ANE): 359 mW" */
	{ M1MAX_13, 0, F_COMB_DERIVED, 0, 0 },
	{ M1MAX_13, 0, F_GPU_ACT, 0, NAN },	/* no gpu_power sampler */
	{ M1MAX_13, 0, F_GPU_FREQ, 0, NAN },
	{ M1MAX_13, 0, F_PKG_W, 0, NAN },
	{ M1MAX_13, 0, F_DRAM_W, 0, NAN },

	/* ---- M2, macOS 12.5: hand-assembled tasks-only block + a real sample ---- */
	{ M2_12, 0, F_ELAPSED, 0, 1012.07 },	/* line 8 */
	{ M2_12, 0, F_TS, 0, 1698072672 },
	{ M2_12, 0, F_NCL, 0, 0 },
	{ M2_12, 0, F_NCPU, 0, 0 },
	{ M2_12, 0, F_CPU_W, 0, NAN },
	{ M2_12, 0, F_COMB_W, 0, NAN },
	{ M2_12, 0, F_COMB_DERIVED, 0, 0 },
	/* line 18: "(Tue Nov 28 11:28:55 2023 +0100) (1002.80ms elapsed)" */
	{ M2_12, 1, F_ELAPSED, 0, 1002.80 },
	{ M2_12, 1, F_TS, 0, 1701167335 },	/* 2023-11-28 10:28:55 UTC */
	{ M2_12, 1, F_TZ, 0, 60 },
	{ M2_12, 1, F_NCL, 0, 2 },
	{ M2_12, 1, F_NCPU, 0, 8 },
	{ M2_12, 1, F_CL_W, 0, 0.006 },		/* 23: "E-Cluster Power: 6 mW" */
	{ M2_12, 1, F_CL_FREQ, 0, 919 },	/* 24 */
	{ M2_12, 1, F_CL_ACT, 0, 5.37 },	/* 25 */
	{ M2_12, 1, F_CPU_FREQ, 0, 920 },	/* 29: "CPU 0 frequency: 920 MHz" */
	{ M2_12, 1, F_CPU_IDLE, 0, 97.09 },	/* 30 */
	{ M2_12, 1, F_CPU_ACT, 0, 2.91 },	/* 31 */
	{ M2_12, 1, F_CL_W, 1, 0.004 },		/* 42: "P-Cluster Power: 4 mW" */
	{ M2_12, 1, F_CL_FREQ, 1, 667 },	/* 43 */
	{ M2_12, 1, F_CPU_FREQ, 4, 3079 },	/* 48 */
	{ M2_12, 1, F_CPU_ACT, 4, 0.19 },	/* 50 */
	{ M2_12, 1, F_CPU_FREQ, 7, 660 },	/* 57 */
	{ M2_12, 1, F_ANE_W, 0, 0 },		/* 63 */
	{ M2_12, 1, F_DRAM_W, 0, 0.019 },	/* 64: "DRAM Power: 19 mW" */
	{ M2_12, 1, F_CPU_W, 0, 0.010 },	/* 66: "CPU Power: 10 mW" */
	{ M2_12, 1, F_GPU_W, 0, 0 },		/* 67: "GPU Power: 0 mW" */
	{ M2_12, 1, F_PKG_W, 0, 0.025 },	/* 68, last line, no newline */
	{ M2_12, 1, F_COMB_W, 0, 0.010 },	/* 10 + 0 + 0 mW */
	{ M2_12, 1, F_COMB_DERIVED, 0, 1 },
	{ M2_12, 1, F_GPU_ACT, 0, NAN },

	/* ---- M4 Max, macOS 15.5, default samplers ---- */
	/* line 8: "(Sat Nov  8 15:54:21 2025 +0900) (5021.96ms elapsed)" */
	{ M4MAX_15, 0, F_ELAPSED, 0, 5021.96 },
	{ M4MAX_15, 0, F_TS, 0, 1762584861 },	/* 2025-11-08 06:54:21 UTC */
	{ M4MAX_15, 0, F_TZ, 0, 540 },
	{ M4MAX_15, 0, F_NCL, 0, 3 },
	{ M4MAX_15, 0, F_NCPU, 0, 14 },		/* not the "CPU 0:" interrupt lines */
	{ M4MAX_15, 0, F_CL_FREQ, 0, 1293 },	/* 113 */
	{ M4MAX_15, 0, F_CL_ACT, 0, 100 },	/* 114: "E-Cluster HW active residency: 100.00%" */
	{ M4MAX_15, 0, F_CL_IDLE, 0, 0 },	/* 115 */
	{ M4MAX_15, 0, F_CL_DOWN, 0, 0 },	/* 116 */
	{ M4MAX_15, 0, F_CPU_FREQ, 0, 1338 },	/* 117: "CPU 0 frequency: 1338 MHz" */
	{ M4MAX_15, 0, F_CPU_ACT, 0, 55.11 },	/* 118 */
	{ M4MAX_15, 0, F_CPU_DOWN, 0, 0 },	/* 120 */
	{ M4MAX_15, 0, F_CL_FREQ, 1, 2507 },	/* 135 */
	{ M4MAX_15, 0, F_CL_ACT, 1, 5.88 },	/* 136 */
	{ M4MAX_15, 0, F_CL_IDLE, 1, 7.58 },	/* 137 */
	{ M4MAX_15, 0, F_CL_DOWN, 1, 86.53 },	/* 138: "P0-Cluster down residency:  86.53%" */
	{ M4MAX_15, 0, F_CPU_CL, 4, 1 },
	{ M4MAX_15, 0, F_CPU_FREQ, 4, 4512 },	/* 139 */
	{ M4MAX_15, 0, F_CPU_ACT, 4, 0.03 },	/* 140 */
	{ M4MAX_15, 0, F_CPU_DOWN, 4, 86.79 },	/* 142 */
	{ M4MAX_15, 0, F_CPU_FREQ, 7, 0 },	/* 151: "CPU 7 frequency: 0 MHz" */
	{ M4MAX_15, 0, F_CL_ACT, 2, 35.43 },	/* 161 */
	{ M4MAX_15, 0, F_CL_DOWN, 2, 19.04 },	/* 163 */
	{ M4MAX_15, 0, F_CPU_CL, 9, 2 },
	{ M4MAX_15, 0, F_CPU_FREQ, 9, 2904 },	/* 164 */
	{ M4MAX_15, 0, F_CPU_ID, 13, 13 },
	{ M4MAX_15, 0, F_CPU_ACT, 13, 28.42 },	/* 181 */
	{ M4MAX_15, 0, F_CPU_IDLE, 13, 57.29 },	/* 182 */
	{ M4MAX_15, 0, F_CPU_DOWN, 13, 14.29 },	/* 183 */
	{ M4MAX_15, 0, F_CPU_W, 0, 0.954 },	/* 185: "CPU Power: 954 mW" */
	{ M4MAX_15, 0, F_GPU_W, 0, 0.028 },	/* 186: "GPU Power: 28 mW" */
	{ M4MAX_15, 0, F_ANE_W, 0, 0 },		/* 187 */
	{ M4MAX_15, 0, F_COMB_W, 0, 0.983 },	/* 188: "Combined Power (CPU + GPU + ANE): 983 mW" */
	{ M4MAX_15, 0, F_COMB_DERIVED, 0, 0 },
	{ M4MAX_15, 0, F_GPU_FREQ, 0, 338 },	/* 192: "GPU HW active frequency: 338 MHz" */
	{ M4MAX_15, 0, F_GPU_ACT, 0, 1.63 },	/* 193: "GPU HW active residency:   1.63%" */
	{ M4MAX_15, 0, F_CL_W, 0, NAN },
	{ M4MAX_15, 0, F_PKG_W, 0, NAN },
	{ M4MAX_15, 0, F_DRAM_W, 0, NAN },

	/* ---- M4 Pro, macOS 26.0, one summary block ---- */
	/* line 8: "*** Summary system activity (Wed Oct  8 09:59:30 2025 +0200) (10458.15ms elapsed) ***" */
	{ M4PRO_26, 0, F_SUMMARY, 0, 1 },
	{ M4PRO_26, 0, F_ELAPSED, 0, 10458.15 },
	{ M4PRO_26, 0, F_TS, 0, 1759910370 },	/* 2025-10-08 07:59:30 UTC */
	{ M4PRO_26, 0, F_TZ, 0, 120 },
	{ M4PRO_26, 0, F_NCL, 0, 3 },
	{ M4PRO_26, 0, F_NCPU, 0, 14 },
	{ M4PRO_26, 0, F_CL_FREQ, 0, 1226 },	/* 360 */
	{ M4PRO_26, 0, F_CL_ACT, 0, 53.78 },	/* 361 */
	{ M4PRO_26, 0, F_CL_ACT, 1, 0.98 },	/* 383: "P0-Cluster HW active residency:   0.98%" */
	{ M4PRO_26, 0, F_CL_DOWN, 1, 96.37 },	/* 385 */
	{ M4PRO_26, 0, F_CPU_FREQ, 4, 1752 },	/* 386 */
	{ M4PRO_26, 0, F_CPU_ACT, 4, 0.26 },	/* 387 */
	{ M4PRO_26, 0, F_CL_ACT, 2, 61.84 },	/* 408 */
	{ M4PRO_26, 0, F_CL_IDLE, 2, 38.16 },	/* 409 */
	{ M4PRO_26, 0, F_CPU_FREQ, 13, 2080 },	/* 427 */
	{ M4PRO_26, 0, F_CPU_ACT, 13, 0.73 },	/* 428 */
	{ M4PRO_26, 0, F_CPU_W, 0, 0.420 },	/* 432: "CPU Power: 420 mW" */
	{ M4PRO_26, 0, F_GPU_W, 0, 0.098 },	/* 433: "GPU Power: 98 mW" */
	{ M4PRO_26, 0, F_ANE_W, 0, 0 },		/* 434 */
	{ M4PRO_26, 0, F_COMB_W, 0, 0.519 },	/* 435: "Combined Power (CPU + GPU + ANE): 519 mW" */
	{ M4PRO_26, 0, F_GPU_ACT, 0, NAN },	/* no GPU section */

	/* ---- M1 Pro, macOS 15.3.2, plist, record 1 of 5 ---- */
	{ M1PRO_PLIST, 0, F_ELAPSED, 0, 1026.042166 },	/* 6: elapsed_ns 1026042166 */
	{ M1PRO_PLIST, 0, F_TS, 0, 1742835440 },	/* 11: 2025-03-24T16:57:20Z */
	{ M1PRO_PLIST, 0, F_TZ, 0, 0 },
	{ M1PRO_PLIST, 0, F_NCL, 0, 3 },
	{ M1PRO_PLIST, 0, F_NCPU, 0, 8 },	/* not the 8 interrupt "cpu" keys too */
	{ M1PRO_PLIST, 0, F_CL_FREQ, 0, 1253.3 },	/* 10816: freq_hz 1.2533e+09 */
	{ M1PRO_PLIST, 0, F_CL_IDLE, 0, 28.1769 },	/* 10818: idle_ratio 0.281769 */
	{ M1PRO_PLIST, 0, F_CL_ACT, 0, 71.8231 },	/* (1 - 0.281769) * 100 */
	{ M1PRO_PLIST, 0, F_CL_DOWN, 0, NAN },		/* no down_ratio in 15.3.2 */
	{ M1PRO_PLIST, 0, F_CPU_ID, 0, 0 },		/* 10853 */
	{ M1PRO_PLIST, 0, F_CPU_CL, 0, 0 },
	{ M1PRO_PLIST, 0, F_CPU_FREQ, 0, 1238.41 },	/* 10854: 1.23841e+09 */
	{ M1PRO_PLIST, 0, F_CPU_ACT, 0, 57.9119 },	/* 10856: idle_ratio 0.420881 */
	{ M1PRO_PLIST, 0, F_CL_FREQ, 1, 2453.94 },	/* 10925: 2.45394e+09 */
	{ M1PRO_PLIST, 0, F_CL_ACT, 1, 18.7144 },	/* 10927: idle_ratio 0.812856 */
	{ M1PRO_PLIST, 0, F_CL_FREQ, 2, 727.361 },	/* 11268: 7.27361e+08 */
	{ M1PRO_PLIST, 0, F_CL_ACT, 2, 2.905 },		/* 11270: idle_ratio 0.97095 */
	{ M1PRO_PLIST, 0, F_CPU_ID, 7, 7 },		/* 11523 */
	{ M1PRO_PLIST, 0, F_CPU_CL, 7, 2 },
	{ M1PRO_PLIST, 0, F_CPU_FREQ, 7, 1080.92 },	/* 11524: 1.08092e+09 */
	{ M1PRO_PLIST, 0, F_CPU_ACT, 7, 0.5926 },	/* 11526: idle_ratio 0.994074 */
	{ M1PRO_PLIST, 0, F_CPU_E, 0, 0.465 },		/* 11611: cpu_energy 465 */
	{ M1PRO_PLIST, 0, F_CPU_W, 0, 0.453198 },	/* 11613: cpu_power 453.198 */
	{ M1PRO_PLIST, 0, F_GPU_E, 0, 0.027 },		/* 11615: gpu_energy 27 */
	{ M1PRO_PLIST, 0, F_GPU_W, 0, 0.0263147 },	/* 11617: gpu_power 26.3147 */
	{ M1PRO_PLIST, 0, F_ANE_W, 0, 0 },		/* 11621: ane_power 0 */
	{ M1PRO_PLIST, 0, F_COMB_W, 0, 0.479512 },	/* 11623: combined_power 479.512 */
	{ M1PRO_PLIST, 0, F_COMB_DERIVED, 0, 0 },
	{ M1PRO_PLIST, 0, F_GPU_FREQ, 0, 388.8 },	/* 11650: gpu freq_hz 388.8 (MHz) */
	{ M1PRO_PLIST, 0, F_GPU_ACT, 0, 17.5995 },	/* 11652: idle_ratio 0.824005 */
	{ M1PRO_PLIST, 0, F_PKG_W, 0, NAN },
	{ M1PRO_PLIST, 0, F_DRAM_W, 0, NAN },
	{ M1PRO_PLIST, 0, F_CL_W, 0, NAN },
	/* record 5 of 5 (starts at line 45061) */
	{ M1PRO_PLIST, 4, F_ELAPSED, 0, 1031.831541 },	/* 45066 */
	{ M1PRO_PLIST, 4, F_TS, 0, 1742835444 },	/* 45071: 2025-03-24T16:57:24Z */
	{ M1PRO_PLIST, 4, F_CL_FREQ, 1, 2448.02 },	/* 54986: 2.44802e+09 */
	{ M1PRO_PLIST, 4, F_CL_ACT, 1, 12.925 },	/* 54988: idle_ratio 0.87075 */
	{ M1PRO_PLIST, 4, F_CPU_E, 0, 0.294 },		/* 55672: cpu_energy 294 */
	{ M1PRO_PLIST, 4, F_CPU_W, 0, 0.28493 },	/* 55674: cpu_power 284.93 */
	{ M1PRO_PLIST, 4, F_GPU_W, 0, 0.0251979 },	/* 55678: gpu_power 25.1979 */
	{ M1PRO_PLIST, 4, F_COMB_W, 0, 0.310128 },	/* 55684: combined_power 310.128 */
	{ M1PRO_PLIST, 4, F_GPU_ACT, 0, 17.8687 },	/* 55713: idle_ratio 0.821313 */

	/* ---- M4 Pro, macOS 15.5, plist of the gpu_power sampler only ---- */
	{ M4PRO_PLIST, 0, F_ELAPSED, 0, 5005.449083 },	/* 6: elapsed_ns 5005449083 */
	{ M4PRO_PLIST, 0, F_TS, 0, 1751775328 },	/* 11: 2025-07-06T04:15:28Z */
	{ M4PRO_PLIST, 0, F_GPU_FREQ, 0, 338 },		/* 14: freq_hz 338 (MHz) */
	{ M4PRO_PLIST, 0, F_GPU_ACT, 0, 0.4676 },	/* 16: idle_ratio 0.995324 */
	{ M4PRO_PLIST, 0, F_GPU_E, 0, 0.009 },		/* 253: gpu_energy 9 */
	{ M4PRO_PLIST, 0, F_GPU_W, 0, 0.009 / 5.005449083 },	/* energy / elapsed */
	{ M4PRO_PLIST, 0, F_CPU_W, 0, NAN },		/* no processor dict */
	{ M4PRO_PLIST, 0, F_ANE_W, 0, NAN },
	{ M4PRO_PLIST, 0, F_COMB_W, 0, NAN },
	{ M4PRO_PLIST, 0, F_COMB_DERIVED, 0, 0 },
	{ M4PRO_PLIST, 0, F_NCL, 0, 0 },
	{ M4PRO_PLIST, 0, F_NCPU, 0, 0 },
};

/* Checks every row of expects[]. */
static void
test_expects(void)
{
	const struct expect *e;
	const struct pm_sample *s;
	char what[200];
	size_t k;

	for (k = 0; k < sizeof(expects) / sizeof(expects[0]); k++) {
		e = &expects[k];
		snprintf(what, sizeof(what), "%s #%d: %s[%d]",
		    fixtures[e->fx].name, e->sample + 1, field_names[e->f],
		    e->i);
		if ((s = sample_of(e->fx, e->sample)) == NULL) {
			CHECK(0, what);
			continue;
		}
		if (isnan(e->want))
			CHECK_NAN(field_of(s, e->f, e->i), what);
		else
			CHECK_NEAR(field_of(s, e->f, e->i), e->want,
			    1e-9 * (1 + fabs(e->want)), what);
	}
}

/* Strings read by hand: cluster names, plist hw_model / kern_osversion. */
static void
test_strings(void)
{
	const struct pm_sample *s;

	if ((s = sample_of(M1_12, 0)) != NULL) {
		CHECK_STR(s->clusters[0].name, "E-Cluster", "M1 text: line 13 E-Cluster");
		CHECK_STR(s->clusters[1].name, "P-Cluster", "M1 text: line 30 P-Cluster");
		CHECK_STR(s->hw_model, "", "text: hw_model not set");
		CHECK(s->format == PM_FORMAT_TEXT, "M1 text: format text");
	}
	if ((s = sample_of(M4MAX_15, 0)) != NULL) {
		CHECK_STR(s->clusters[1].name, "P0-Cluster", "M4 Max: line 135 P0-Cluster");
		CHECK_STR(s->clusters[2].name, "P1-Cluster", "M4 Max: line 160 P1-Cluster");
	}
	if ((s = sample_of(M1PRO_PLIST, 0)) != NULL) {
		CHECK_STR(s->hw_model, "MacBookPro18,3", "M1 Pro plist: line 7 hw_model");
		CHECK_STR(s->os_build, "24D81", "M1 Pro plist: line 8 kern_osversion");
		CHECK_STR(s->clusters[0].name, "E-Cluster", "M1 Pro plist: line 10814");
		CHECK_STR(s->clusters[1].name, "P0-Cluster", "M1 Pro plist: line 10923");
		CHECK_STR(s->clusters[2].name, "P1-Cluster", "M1 Pro plist: line 11266");
		CHECK(s->format == PM_FORMAT_PLIST, "M1 Pro plist: format plist");
	}
	if ((s = sample_of(M4PRO_PLIST, 0)) != NULL) {
		CHECK_STR(s->hw_model, "Mac16,8", "M4 Pro plist: line 7 hw_model");
		CHECK_STR(s->os_build, "24F74", "M4 Pro plist: line 8 kern_osversion");
	}
}

/*
 * cpu_energy (integer mJ) over the sample's own elapsed time must agree
 * with cpu_power (mW, 6 digits) to within the 1 mJ quantisation of the
 * energy; same for the GPU and the ANE.
 */
static void
test_energy_power(void)
{
	const struct pm_sample *s;
	double t, tol;
	int i, ok = 1, n = 0;

	for (i = 0; (s = sample_of(M1PRO_PLIST, i)) != NULL; i++, n++) {
		t = s->elapsed_ms / 1000.0;
		tol = 0.001 / t + 1e-6;
		if (!(fabs(s->cpu_energy_j / t - s->cpu_power_w) <= tol) ||
		    !(fabs(s->gpu_energy_j / t - s->gpu_power_w) <= tol) ||
		    !(fabs(s->ane_energy_j / t - s->ane_power_w) <= tol)) {
			printf("# record %d: cpu %.6f J / %.6f s vs %.6f W\n",
			    i + 1, s->cpu_energy_j, t, s->cpu_power_w);
			ok = 0;
		}
	}
	CHECK(ok && n == 5, "M1 Pro plist: energy / elapsed agrees with power "
	    "in all 5 records");
}

/* ========================= Malformed input ========================= */

/* Parses a copy of [p, p+n) in a buffer of exactly n bytes (for ASan). */
static int
parse_exact(const char *p, size_t n, struct pm_sample *s, char *err,
    size_t errlen)
{
	char *copy = malloc(n ? n : 1);
	int rc;

	if (copy == NULL)
		return -2;
	memcpy(copy, p, n);
	err[0] = '\0';
	rc = pm_parse_sample(copy, n, s, err, errlen);
	free(copy);
	return rc;
}

/* Returns 1 when rc is 0, or -1 with a non-empty one-line reason. */
static int
sane_result(int rc, const char *err)
{
	if (rc == 0)
		return 1;
	return rc == -1 && err[0] != '\0' && strchr(err, '\n') == NULL;
}

/* Expects -1 with a reason for the input [in, in+n). */
static void
expect_fail_n(const char *in, size_t n, const char *what)
{
	static struct pm_sample s;
	char err[256];
	int rc = parse_exact(in, n, &s, err, sizeof(err));

	if (!CHECK(rc == -1 && err[0] != '\0' && strchr(err, '\n') == NULL,
	    what))
		printf("#   rc %d, err \"%s\"\n", rc, err);
}

/* Expects 0 for the input [in, in+n); returns the sample. */
static const struct pm_sample *
expect_ok_n(const char *in, size_t n, const char *what)
{
	static struct pm_sample s;
	char err[256];
	int rc = parse_exact(in, n, &s, err, sizeof(err));

	if (!CHECK(rc == 0, what))
		printf("#   err \"%s\"\n", err);
	return &s;
}

/* The same for NUL-terminated inputs and string literals with NULs. */
#define expect_fail(in, what) expect_fail_n((in), strlen(in), (what))
#define expect_ok(in, what) expect_ok_n((in), strlen(in), (what))
#define LIT(s) (s), sizeof(s) - 1

#define PL_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist " \
	"version=\"1.0\">\n<dict>\n"
#define PL_TAIL "</dict>\n</plist>\n"

/* Empty input, garbage, and broken plists. */
static void
test_malformed_plist(void)
{
	static struct pm_sample s;
	char err[64];

	CHECK(pm_parse_sample("", 0, &s, err, sizeof(err)) == -1 && err[0],
	    "empty input: -1 with a reason");
	CHECK(pm_parse_sample(NULL, 10, &s, err, sizeof(err)) == -1,
	    "NULL input: -1");
	CHECK(pm_parse_sample("x", 1, &s, NULL, 0) == -1,
	    "no error buffer: still -1");
	expect_fail_n(LIT("\0\0\n \0"), "only NULs and blanks: -1");
	expect_fail("hello, world\n", "garbage text: -1");
	expect_fail("\x01\x02\xff\xfe<<>>", "binary garbage: -1");
	expect_fail("<", "a lone '<': -1");
	expect_fail(PL_HEAD, "plist without its end: -1");
	expect_fail(PL_HEAD "<key>elapsed_ns</key><integer>5</real>\n"
	    PL_TAIL, "unbalanced <integer></real>: -1");
	expect_fail(PL_HEAD "<key>coalitions</key><array><dict></array>"
	    "</dict>" PL_TAIL, "unbalanced tags in a skipped subtree: -1");
	expect_fail(PL_HEAD "<key>processor</key><dict><key>x</key>"
	    "<array></dict></array>" PL_TAIL, "unbalanced tags in a parsed dict: -1");
	expect_fail(PL_HEAD "<key>elapsed_ns</key>" PL_TAIL,
	    "a key without a value: -1");
	expect_fail(PL_HEAD "<integer>1</integer>" PL_TAIL,
	    "a value without a key: -1");
	expect_fail("<plist><array></array></plist>", "root is not a dict: -1");
	expect_fail(PL_HEAD PL_TAIL "<dict></dict>",
	    "data after </plist>: -1");
	expect_fail(PL_HEAD "<key>elapsed_ns</key><integer>12x</integer>"
	    PL_TAIL, "bad number on elapsed_ns: -1");
	expect_fail(PL_HEAD "<key>processor</key><dict><key>cpu_power</key>"
	    "<real></real></dict>" PL_TAIL, "empty number on cpu_power: -1");
	expect_fail(PL_HEAD "<key>processor</key><dict><key>cpu_power</key>"
	    "<real>1e999</real></dict>" PL_TAIL, "overflowing number: -1");
	expect_fail(PL_HEAD "<key>processor</key><dict><key>cpu_power</key>"
	    "<string>12</string></dict>" PL_TAIL, "a string for a number: -1");
	expect_fail(PL_HEAD "<key>processor</key><dict><key>cpu_power</key>"
	    "<dict/></dict>" PL_TAIL, "a dict for a number: -1");
	expect_fail(PL_HEAD "<key>timestamp</key><date>2025-13-01T00:00:00Z"
	    "</date>" PL_TAIL, "bad date: -1");
	expect_fail(PL_HEAD "<key>gpu</key><dict><key>idle_ratio</key><real>"
	    "0..5</real></dict>" PL_TAIL, "bad number on gpu/idle_ratio: -1");
	expect_fail(PL_HEAD "<key>a</key><integer>1</integer" PL_TAIL,
	    "a tag without '>': -1");
	expect_fail(PL_HEAD "<!-- never closed " PL_TAIL,
	    "an unterminated comment: -1");
	expect_fail(PL_HEAD "<key>x</key><true/>junk" PL_TAIL,
	    "text between elements: -1");
}

/* Unknown keys and elements, comments, entities, wrong depths. */
static void
test_tolerated_plist(void)
{
	const struct pm_sample *s;

	s = expect_ok_n(LIT("\0\0\n" PL_HEAD "<!-- a comment -->\n"
	    "<key>foo</key><foo><bar a=\"1\">x</bar><baz/></foo>\n"
	    "<key>hw_model</key><string>A&amp;B &lt;1&gt; &#77;&#x34; &#1;</string>\n"
	    "<key>unknown</key><dict><key>cpu_power</key><real>5</real></dict>\n"
	    "<key>cpu_power</key><real>7</real>\n"
	    "<key>processor</key><dict>\n"
	    "  <key>gpu</key><dict><key>idle_ratio</key><real>0.5</real></dict>\n"
	    "  <key>cpu_power</key><real>1500</real>\n"
	    "  <key>new_key</key><array><integer>1</integer><dict/></array>\n"
	    "</dict>\n" PL_TAIL "\0\0 \n"),
	    "unknown keys/elements, comments, NUL padding: parses");
	CHECK_NEAR(s->cpu_power_w, 1.5, 1e-12,
	    "only processor/cpu_power is the CPU power (1500 mW)");
	CHECK_NAN(s->gpu_active_pct,
	    "processor/gpu/idle_ratio is not gpu/idle_ratio");
	CHECK_STR(s->hw_model, "A&B <1> M4 &#1;",
	    "entities and character references in a string are decoded (&#1; is no XML Char)");
	CHECK_NAN(s->elapsed_ms, "elapsed_ns missing: NaN");
	s = expect_ok(PL_HEAD "<key>processor</key><dict><key>cpu_energy</key>"
	    "<integer>500</integer></dict><key>elapsed_ns</key><integer>"
	    "2000000000</integer>" PL_TAIL,
	    "energy printed before elapsed_ns: parses");
	CHECK_NEAR(s->cpu_power_w, 0.25, 1e-12,
	    "power from energy over the sample's own elapsed (500 mJ / 2 s)");
	s = expect_ok("<dict><key>gpu</key><dict><key>freq_hz</key><integer>"
	    "1000</integer></dict></dict>", "a bare <dict> without <plist>");
	CHECK_NEAR(s->gpu_freq_mhz, 1000, 1e-9, "gpu freq_hz is MHz");
}

/* Appends to buf at *n; returns 0 or -1 when full. */
static int
append(char *buf, size_t cap, size_t *n, const char *s)
{
	size_t l = strlen(s);

	if (*n + l >= cap)
		return -1;
	memcpy(buf + *n, s, l + 1);
	*n += l;
	return 0;
}

/* 20 clusters of 20 CPUs: counts are capped, nothing overflows. */
static void
test_caps_plist(void)
{
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap), tmp[160];
	int c, k, fail = 0;
	const struct pm_sample *s;

	if (buf == NULL)
		return;
	fail |= append(buf, cap, &n, PL_HEAD "<key>processor</key><dict>"
	    "<key>clusters</key><array>\n");
	for (c = 0; c < 20; c++) {
		snprintf(tmp, sizeof(tmp), "<dict><key>name</key><string>"
		    "C%d-Cluster-with-a-very-long-name</string><key>cpus"
		    "</key><array>\n", c);
		fail |= append(buf, cap, &n, tmp);
		for (k = 0; k < 20; k++) {
			snprintf(tmp, sizeof(tmp), "<dict><key>cpu</key><integer>"
			    "%d</integer><key>idle_ratio</key><real>0.25</real>"
			    "</dict>\n", c * 20 + k);
			fail |= append(buf, cap, &n, tmp);
		}
		fail |= append(buf, cap, &n, "</array></dict>\n");
	}
	fail |= append(buf, cap, &n, "</array></dict>" PL_TAIL);
	s = expect_ok(buf, "plist with 20 clusters x 20 CPUs parses");
	CHECK(!fail, "caps plist built");
	CHECK_U64(s->n_clusters, PM_MAX_CLUSTERS, "clusters capped at 16");
	CHECK_U64(s->n_cpus, PM_MAX_CPUS, "CPUs capped at 256");
	CHECK_U64(s->cpus[255].id, 255, "CPU 256 is id 255");
	CHECK_I64(s->cpus[255].cluster, 12, "... of cluster 12");
	CHECK_NEAR(s->cpus[255].active_pct, 75, 1e-9, "... 75% active");
	CHECK_U64(strlen(s->clusters[15].name), sizeof(s->clusters[0].name) - 1,
	    "long cluster names are truncated");
	free(buf);
}

/* Nesting far deeper than any plist: -1, not a stack overflow. */
static void
test_deep_plist(void)
{
	size_t cap = 64 * 1024, n = 0;
	char *buf = malloc(cap);
	int i;

	if (buf == NULL)
		return;
	append(buf, cap, &n, PL_HEAD "<key>deep</key>");
	for (i = 0; i < 5000; i++)
		append(buf, cap, &n, "<array>");
	for (i = 0; i < 5000; i++)
		append(buf, cap, &n, "</array>");
	append(buf, cap, &n, PL_TAIL);
	expect_fail(buf, "5000 nested arrays: -1 (nested too deep)");
	free(buf);
}

/* A sample that fails keeps nothing it read before the error. */
static void
test_failed_is_empty(const char *in)
{
	static struct pm_sample s;
	char err[128];

	CHECK(parse_exact(in, strlen(in), &s, err, sizeof(err)) == -1,
	    "text: broken after a good line: -1");
	CHECK_NAN(s.cpu_power_w, "... and the good line's value is not kept");
}

/* Broken text samples. */
static void
test_malformed_text(void)
{
	static const char hdr[] = "*** Sampled system activity (Sun Feb 28 "
	    "00:17:04 2021 -0800) (1005.03ms elapsed) ***\n\n";
	char buf[512];
	const struct pm_sample *s;

#define TXT(body) (snprintf(buf, sizeof(buf), "%s%s", hdr, body), buf)
	expect_fail(TXT("GPU Power: 1x mW\n"), "text: \"1x mW\": -1");
	test_failed_is_empty(TXT("CPU Power: 5 mW\nGPU Power: 1x mW\n"));
	expect_fail(TXT("CPU Power: abc mW\n"), "text: \"abc mW\": -1");
	expect_fail(TXT("E-Cluster HW active residency:  9.61 (600 MHz)\n"),
	    "text: a residency without '%': -1");
	expect_fail(TXT("cpu 3 frequency: 1177 mW\n"), "text: wrong unit: -1");
	expect_fail(TXT("GPU Power: 1"), "text: cut after the number: -1");
	expect_fail(TXT("\n*** Sampled system activity (Sun Feb 28 00:17:05 "
	    "2021 -0800) (1 ms elapsed) ***\n"), "text: two samples: -1");
	expect_fail("*** Sampled system activity (Sun Fab 28 00:17:04 2021 "
	    "-0800) (1005.03ms elapsed) ***\n", "text: bad month: -1");
	expect_fail("*** Sampled system activity (Sun Feb 28 00:17:04 2021 "
	    "-0800) (1005.03xs elapsed) ***\n", "text: bad elapsed: -1");
	expect_fail("Machine model: Macmini9,1\nOS version: 20D80\n",
	    "text: a preamble is not a sample: -1");
	s = expect_ok(TXT("GPU Power: nan mW\n*** Running tasks ***\n"
	    "CPU Power: 5 mW  1 2 3\n**** Processor usage ****\n"
	    "cpu 0 frequency: 900 MHz\n"), "text: nan and tasks lines: parses");
	CHECK_NAN(s->gpu_power_w, "text: \"nan mW\" is not printed");
	CHECK_NAN(s->cpu_power_w, "text: task lines are never read");
	CHECK_I64(s->cpus[0].cluster, -1, "text: a CPU before any cluster");
	s = expect_ok("*** Sampled system activity ***\nGPU Power: 3 mW",
	    "text: a header without date or elapsed: parses");
	CHECK_NAN(s->timestamp, "... timestamp NaN");
	CHECK_NAN(s->elapsed_ms, "... elapsed NaN");
#undef TXT
}

/* Many clusters and CPUs in text: capped, nothing overflows. */
static void
test_caps_text(void)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap), tmp[96];
	const struct pm_sample *s;
	int i;

	if (buf == NULL)
		return;
	append(buf, cap, &n, "*** Sampled system activity ***\n");
	for (i = 0; i < 20; i++) {
		snprintf(tmp, sizeof(tmp), "X%d-Cluster HW active residency: "
		    "%d.00%%\n", i, i);
		append(buf, cap, &n, tmp);
	}
	for (i = 0; i < 300; i++) {
		snprintf(tmp, sizeof(tmp), "CPU %d frequency: %d MHz\n", i, i);
		append(buf, cap, &n, tmp);
	}
	s = expect_ok(buf, "text with 20 clusters and 300 CPUs parses");
	CHECK_U64(s->n_clusters, PM_MAX_CLUSTERS, "text: clusters capped");
	CHECK_U64(s->n_cpus, PM_MAX_CPUS, "text: CPUs capped");
	CHECK_NEAR(s->cpus[255].freq_mhz, 255, 1e-9, "text: CPU 255 kept");
	CHECK_I64(s->cpus[255].cluster, -1,
	    "text: CPUs after a dropped cluster have cluster -1");
	free(buf);
}

/*
 * Every prefix of a few samples, and truncation of the big plist at many
 * offsets: never a crash (ASan), always 0 or -1 with a reason.  A plist cut
 * before the end of its "</plist>" must be -1.
 */
static void
test_prefixes(void)
{
	static struct pm_sample s;
	static const enum fixture_id text_fx[] = { M1_12, M2_12, M4MAX_15 };
	const struct capture *c;
	const char *end_tag;
	char err[256];
	size_t k, n, step, plist_end;
	int i, rc, ok, must_fail;

	for (i = 0; i < 3; i++) {
		c = &caps[text_fx[i]];
		ok = c->buf != NULL;
		n = ok ? c->clen[c->sample_chunk[c->n_samples - 1]] : 0;
		for (k = 0; ok && k <= n; k++) {
			rc = parse_exact(c->buf + c->off[c->sample_chunk[
			    c->n_samples - 1]], k, &s, err, sizeof(err));
			ok = sane_result(rc, err);
		}
		CHECK(ok, text_fx[i] == M1_12 ? "every prefix of M1 text "
		    "sample 12" : text_fx[i] == M2_12 ? "every prefix of the M2 "
		    "sample (no trailing newline)" : "every prefix of the M4 Max "
		    "sample");
	}
	c = &caps[M4PRO_PLIST];
	end_tag = c->buf ? strstr(c->buf, "</plist>") : NULL;
	plist_end = end_tag ? (size_t)(end_tag - c->buf) + 8 : 0;
	for (ok = end_tag != NULL, k = 0; ok && k <= c->len; k++) {
		rc = parse_exact(c->buf, k, &s, err, sizeof(err));
		must_fail = k < plist_end;
		ok = sane_result(rc, err) && (rc == -1) == must_fail;
	}
	CHECK(ok, "every prefix of the M4 Pro plist: -1 until </plist>");
	c = &caps[M1PRO_PLIST];
	n = c->buf ? c->clen[0] : 0;
	step = n / 601 + 1;
	for (ok = n > 0, k = 0; ok && k < n - 20; k += step) {
		rc = parse_exact(c->buf, k, &s, err, sizeof(err));
		ok = rc == -1 && sane_result(rc, err);
	}
	for (k = n > 600 ? n - 600 : 0; ok && k < n - 20; k++) {
		rc = parse_exact(c->buf, k, &s, err, sizeof(err));
		ok = rc == -1 && sane_result(rc, err);
	}
	CHECK(ok, "M1 Pro plist record cut at ~1200 offsets: -1 with a reason");
}

/* Tiny deterministic PRNG (xorshift32) for the mutation test. */
static uint32_t
rnd(uint32_t *st)
{
	*st ^= *st << 13;
	*st ^= *st >> 17;
	*st ^= *st << 5;
	return *st;
}

/* Random byte mutations of a plist and a text sample: no crash. */
static void
test_mutations(void)
{
	static struct pm_sample s;
	static const char alphabet[] = "<>/ \n\0x9.-e&;k\"=?!";
	const struct capture *c[2] = { &caps[M4PRO_PLIST], &caps[M1_12] };
	uint32_t st = 12345;
	char *copy, err[256];
	size_t n, off;
	int i, j, m, rc, ok = 1;

	for (i = 0; i < 2; i++) {
		if (c[i]->buf == NULL)
			continue;
		off = c[i]->off[c[i]->sample_chunk[0]];
		n = c[i]->clen[c[i]->sample_chunk[0]];
		for (j = 0; ok && j < 3000; j++) {
			if ((copy = malloc(n)) == NULL)
				break;
			memcpy(copy, c[i]->buf + off, n);
			for (m = (int)(rnd(&st) % 4); m >= 0; m--)
				copy[rnd(&st) % n] = alphabet[rnd(&st) %
				    (sizeof(alphabet) - 1)];
			err[0] = '\0';
			rc = pm_parse_sample(copy, rnd(&st) % 8 ? n :
			    rnd(&st) % n, &s, err, sizeof(err));
			ok = sane_result(rc, err);
			free(copy);
		}
	}
	CHECK(ok, "6000 random mutations: 0 or -1 with a reason, no crash");
}

/* ========================= Small API ========================= */

/* pm_detect, pm_format_name, pm_parse_preamble edge cases. */
static void
test_api(void)
{
	static const char pre[] = "Machine model: MacBookPro18,3\n"
	    "OS version: 24D81\n";
	static const char nomodel[] = "OS version: 1\n";
	static const char late[] = "*** Sampled system activity ***\n"
	    "Machine model: x\n";
	char model[8], os[4];

	CHECK(pm_detect("", 0) == PM_FORMAT_UNKNOWN, "detect: empty");
	CHECK(pm_detect(LIT("\0\0 <plist>")) == PM_FORMAT_PLIST,
	    "detect: NULs then '<' is plist");
	CHECK(pm_detect(LIT("random words\n")) == PM_FORMAT_UNKNOWN,
	    "detect: other text is unknown");
	CHECK(pm_detect(LIT("\n*** Sampled system activity")) ==
	    PM_FORMAT_TEXT, "detect: a bare sample header is text");
	CHECK_STR(pm_format_name(PM_FORMAT_TEXT), "text", "format name text");
	CHECK_STR(pm_format_name(PM_FORMAT_PLIST), "plist",
	    "format name plist");
	CHECK_STR(pm_format_name((enum pm_format)42), "unknown",
	    "format name of a bad value");
	CHECK(pm_parse_preamble(LIT(pre), model, sizeof(model), os,
	    sizeof(os)) == 0, "preamble: parses with small buffers");
	CHECK_STR(model, "MacBook", "preamble: model truncated to fit");
	CHECK_STR(os, "24D", "preamble: OS build truncated to fit");
	CHECK(pm_parse_preamble(LIT(nomodel), model, sizeof(model), os,
	    sizeof(os)) == -1, "preamble: no model line is -1");
	CHECK(pm_parse_preamble(LIT(late), model, sizeof(model), os,
	    sizeof(os)) == -1, "preamble: stops at the first sample");
}

/* Runs every test; argv[1] is the data directory. */
int
main(int argc, char *argv[])
{
	int f;

	if (argc > 1)
		data_dir = argv[1];
	for (f = 0; f < N_FIXTURES; f++)
		test_fixture((enum fixture_id)f);
	for (f = 0; f < N_FIXTURES; f++)
		test_split_agrees((enum fixture_id)f);
	test_expects();
	test_strings();
	test_energy_power();
	test_api();
	test_malformed_plist();
	test_tolerated_plist();
	test_caps_plist();
	test_deep_plist();
	test_malformed_text();
	test_caps_text();
	test_prefixes();
	test_mutations();
	for (f = 0; f < N_FIXTURES; f++) {
		free(caps[f].buf);
		free(caps[f].s);
	}
	return tap_done();
}
