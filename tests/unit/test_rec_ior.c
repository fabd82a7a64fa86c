/*
 * test_rec_ior.c - unit tests of record/rec_ior.c on the fake platform: the
 * channel selection rule (names as macmon and mactop list them per chip),
 * opening (no IOReport, a failure, a table), and readings written to a
 * trace and read back: the values as the backend gave them, the reading's
 * own time and duration, channels the read did not return, failed reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_platform.h"
#include "rec_ior.h"
#include "tap.h"

/* ======================= Selection ======================= */

static void
test_select(void)
{
	static const struct {
		const char *g, *sg, *n;
		int domain;
		uint32_t kind;
	} c[] = {
		{ "Energy Model", "", "CPU Energy", CMN_IOR_CPU, PLAT_IOR_SIMPLE },
		{ "Energy Model", "", "DIE_0_CPU Energy", CMN_IOR_CPU, PLAT_IOR_SIMPLE },
		{ "Energy Model", "", "DIE_1_CPU Energy", CMN_IOR_CPU, PLAT_IOR_SIMPLE },
		{ "Energy Model", "", "EACC_CPU", -1, 0 },	/* a part of CPU Energy */
		{ "Energy Model", "", "PACC0_CPU", -1, 0 },
		{ "Energy Model", "", "GPU Energy", CMN_IOR_GPU, PLAT_IOR_SIMPLE },
		{ "Energy Model", "", "GPU", -1, 0 },
		{ "Energy Model", "", "GPU SRAM", CMN_IOR_GPU_SRAM, PLAT_IOR_SIMPLE },
		{ "Energy Model", "", "ANE", CMN_IOR_ANE, PLAT_IOR_SIMPLE },
		{ "Energy Model", "", "ANE0", CMN_IOR_ANE, PLAT_IOR_SIMPLE },
		{ "Energy Model", "", "ANE0_1", CMN_IOR_ANE, PLAT_IOR_SIMPLE },
		{ "Energy Model", "", "DRAM", CMN_IOR_DRAM, PLAT_IOR_SIMPLE },
		{ "Energy Model", "", "DRAM1", CMN_IOR_DRAM, PLAT_IOR_SIMPLE },
		{ "Energy Model", "", "DISP", -1, 0 },
		{ "Energy Model", NULL, "GPU Energy", CMN_IOR_GPU, PLAT_IOR_SIMPLE },
		{ "GPU Stats", "GPU Performance States", "GPUPH", CMN_IOR_GPU_STATES,
		  PLAT_IOR_STATE },
		{ "GPU Stats", "GPU Utilization", "GPUPH", -1, 0 },
		{ "GPU Stats", NULL, "GPUPH", -1, 0 },
		{ "CPU Stats", "CPU Core Performance States", "ECPU0", -1, 0 },
		{ "energy model", "", "GPU Energy", -1, 0 },	/* names are exact */
	};
	uint32_t kind;
	int bad = 0;

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int d;
		kind = 0;
		d = rec_ior_select(c[i].g, c[i].sg, c[i].n, &kind);
		if (d != c[i].domain || (d >= 0 && kind != c[i].kind)) {
			printf("#   %s / %s / %s: got %d kind %u, want %d kind %u\n",
			    c[i].g, c[i].sg ? c[i].sg : "(null)", c[i].n, d, kind,
			    c[i].domain, c[i].kind);
			bad++;
		}
	}
	CHECK(bad == 0, "selection: CPU, GPU, ANE, DRAM, GPU SRAM energies and the GPU "
	    "states are recorded, per-cluster parts and other channels are not");
	CHECK(rec_ior_select(NULL, "", "GPU Energy", &kind) == -1 &&
	    rec_ior_select("Energy Model", "", NULL, &kind) == -1, "selection: no name, no channel");
}

/* ======================= Opening ======================= */

/* An M1 Ultra-like table: two dies, GPU states with OFF and IDLE. */
static struct plat_ior_channel tab[6];

static void
tab_fill(void)
{
	static const char *const st[] = { "OFF", "IDLE", "P1", "P2" };
	const struct { const char *g, *sg, *n, *u; } c[] = {
		{ "Energy Model", "", "DIE_0_CPU Energy", "mJ" },
		{ "Energy Model", "", "DIE_1_CPU Energy", "mJ" },
		{ "Energy Model", "", "GPU Energy", "nJ" },
		{ "Energy Model", "", "ANE0", "mJ" },
		{ "Energy Model", "", "DRAM0", "uJ " },	/* unit as printed */
		{ "GPU Stats", "GPU Performance States", "GPUPH", "" },
	};

	memset(tab, 0, sizeof(tab));
	for (size_t i = 0; i < 6; i++) {
		snprintf(tab[i].group, sizeof(tab[i].group), "%s", c[i].g);
		snprintf(tab[i].subgroup, sizeof(tab[i].subgroup), "%s", c[i].sg);
		snprintf(tab[i].name, sizeof(tab[i].name), "%s", c[i].n);
		snprintf(tab[i].unit, sizeof(tab[i].unit), "%s", c[i].u);
		tab[i].kind = PLAT_IOR_SIMPLE;
	}
	tab[5].kind = PLAT_IOR_STATE;
	tab[5].nstates = 4;
	for (size_t k = 0; k < 4; k++)
		snprintf(tab[5].states[k], sizeof(tab[5].states[k]), "%s", st[k]);
}

static struct rec_ior x;		/* large: not on the stack */

static void
test_open(void)
{
	char d[256];
	int reads, closes;

	CHECK(rec_ior_open(&x) == -ENOTSUP && !x.on, "open: no IOReport (Linux-like) is -ENOTSUP");
	fake_set_ior(NULL, 0, -ENOENT, "cannot load /usr/lib/libIOReport.dylib: no such file");
	CHECK(rec_ior_open(&x) == -ENOENT && !x.on, "open: a missing library is its error");
	CHECK_STR(x.why, "cannot load /usr/lib/libIOReport.dylib: no such file",
	    "open: ... with the backend's reason");
	tab_fill();
	tab[5].nstates = 0;
	fake_set_ior(tab, 6, 0, NULL);
	CHECK(rec_ior_open(&x) == -EINVAL && !x.on, "open: a state channel without states is refused");
	fake_ior_counts(&reads, &closes);
	CHECK(closes == 1, "open: ... and the subscription ended");
	tab_fill();
	fake_set_ior(tab, 6, 0, NULL);
	CHECK(rec_ior_open(&x) == 6 && x.on, "open: six channels");
	CHECK_U64(x.nvalues, 9, "open: 5 energies + 4 states = 9 values per reading");
	rec_ior_describe(&x, d, sizeof(d));
	CHECK_STR(d, "6 channels: CPU 2, GPU 1, ANE 1, DRAM 1, GPU states 1",
	    "open: described by domain");
	CHECK(x.ch[5].kind == PMT_IOR_STATE && x.ch[5].nvalues == 4 &&
	    strcmp(x.ch[5].states[1], "IDLE") == 0 && strcmp(x.ch[4].unit, "uJ ") == 0,
	    "open: the table keeps kinds, states and unit labels as given");
}

/* ======================= Readings ======================= */

static uint64_t clock_ns;

/* The test's clock: each call advances it by 0.25 ms. */
static uint64_t
test_now(void *arg)
{
	(void)arg;
	clock_ns += 250000;
	return clock_ns;
}

static void
test_samples(void)
{
	char path[] = "/tmp/pm-rec-ior-XXXXXX";
	const uint64_t v1[9] = { 1000, 2000, 5000000000ull, 7, 300, 10, 20, 30, 40 };
	const uint64_t v2[9] = { 1500, 2600, 5900000000ull, 7, 900, 10, 30, 60, 90 };
	const uint8_t have2[6] = { 1, 0, 1, 1, 1, 1 };
	int fd = mkstemp(path), n = 0;
	pmt_writer *w = NULL;
	pmt_reader *r = NULL;
	struct pmt_record rec;
	char err[256];

	if (fd < 0 || pmt_writer_open(&w, fd, NULL) != 0) {
		CHECK(0, "samples: a trace to write");
		return;
	}
	CHECK(rec_ior_write_table(&x, w, 0) == 0, "samples: table written");
	fake_set_ior_read(v1, 9, NULL, 0);
	clock_ns = 1000000000;
	CHECK(rec_ior_sample(&x, w, test_now, NULL) == 0, "samples: first reading written");
	fake_set_ior_read(v2, 9, have2, 0);
	CHECK(rec_ior_sample(&x, w, test_now, NULL) == 0, "samples: second reading written");
	fake_set_ior_read(v2, 9, NULL, -EIO);
	CHECK(rec_ior_sample(&x, w, test_now, NULL) == 1 && x.failures == 1 &&
	    x.last_err == -EIO, "samples: a failed read is 1, counted, nothing written");
	CHECK_U64(x.reads, 2, "samples: two readings stored");
	pmt_writer_close(w, 2000000000, PMT_END_SIGNAL);
	close(fd);
	if (pmt_reader_open(&r, path, err, sizeof(err)) != 0) {
		CHECK(0, "samples: the trace reads");
		unlink(path);
		return;
	}
	while (pmt_reader_next(r, &rec) == 1) {
		const struct pmt_ior_sample *s = rec.u.ior_sample;
		if (rec.type == PMT_REC_IOR_CHANNELS)
			CHECK(rec.u.ior_channels->n == 6 && rec.u.ior_channels->nvalues == 9 &&
			    strcmp(rec.u.ior_channels->ch[0].name, "DIE_0_CPU Energy") == 0,
			    "samples: the table reads back");
		if (rec.type != PMT_REC_IOR_SAMPLE)
			continue;
		n++;
		if (n == 1) {
			CHECK_U64(rec.t, 1000500000, "samples: time is when the read returned");
			CHECK_U64(s->read_ns, 250000, "samples: the read's own duration");
			CHECK(s->nvalues == 9 && memcmp(s->values, v1, sizeof(v1)) == 0 &&
			    s->nmissing == 0, "samples: first values as read, none missing");
		} else {
			uint64_t want[9];
			memcpy(want, v2, sizeof(want));
			want[1] = v1[1];	/* not returned: keeps its last value */
			CHECK_U64(rec.t, 1001000000, "samples: second reading's time");
			CHECK(s->nvalues == 9 && memcmp(s->values, want, sizeof(want)) == 0,
			    "samples: second values as read; the channel not returned keeps its value");
			CHECK(s->nmissing == 1 && s->missing[0] == 1,
			    "samples: the channel not returned is listed as missing");
		}
	}
	CHECK(n == 2, "samples: exactly the two readings are in the trace");
	pmt_reader_close(r);
	unlink(path);
	rec_ior_close(&x);
	CHECK(!x.on, "close: off");
}

/* The look --check takes: loaded, channels per domain, which moved. */
static void
test_probe(void)
{
	const uint64_t v[9] = { 10, 20, 30, 40, 50, 1, 2, 3, 4 };
	const uint64_t step[9] = { 5, 0, 7, 0, 9, 0, 0, 1, 0 };	/* DIE_1, ANE still */
	struct rec_ior_probe p;
	char line[512];

	fake_set_ior(NULL, 0, -ENOTSUP, NULL);
	rec_ior_probe(&p, 0);
	CHECK(rec_ior_probe_text(&p, line, sizeof(line)) == 0 &&
	    strcmp(line, "not on this platform (macOS on Apple silicon only)") == 0,
	    "probe: no IOReport here");
	fake_set_ior(NULL, 0, -ENOSYS, "/usr/lib/libIOReport.dylib has no IOReportCreateSamples");
	rec_ior_probe(&p, 0);
	rec_ior_probe_text(&p, line, sizeof(line));
	CHECK_STR(line, "not loaded: /usr/lib/libIOReport.dylib has no IOReportCreateSamples",
	    "probe: a missing symbol is said");
	tab_fill();
	fake_set_ior(tab, 6, 0, NULL);
	fake_set_ior_read(v, 9, NULL, 0);
	fake_set_ior_step(step, 9);
	rec_ior_probe(&p, 1);
	CHECK(rec_ior_probe_text(&p, line, sizeof(line)) == 0,
	    "probe: not every channel moved");
	printf("#   %s\n", line);
	{
		const char *want = "loaded, 6 channels: CPU 2 (1 moving), GPU 1 (1 moving), "
		    "ANE 1 (0 moving), DRAM 1 (1 moving), GPU states 1 (1 moving); a reading "
		    "took ";
		CHECK(strncmp(line, want, strlen(want)) == 0,
		    "probe: channels per domain and how many moved");
	}
	fake_set_ior_read(v, 9, NULL, -EIO);
	rec_ior_probe(&p, 0);
	rec_ior_probe_text(&p, line, sizeof(line));
	CHECK_STR(line, "loaded, 6 channels, but a reading failed: Input/output error",
	    "probe: a failed reading is said");
	fake_set_ior_step(NULL, 0);
}

int
main(void)
{
	test_select();
	test_open();
	test_samples();
	test_probe();
	return tap_done();
}
