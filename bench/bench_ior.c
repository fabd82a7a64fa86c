/*
 * bench_ior.c - what reading IOReport at every sample adds to the
 * recorder's CPU per sample, for `make bench`.  The shared recorder code
 * runs on the fake platform (record/fake/): one sample a second of a
 * 6-process tree and of the system (per-core ticks of 8 CPUs), written to a
 * trace that is flushed after every sample as at a 1 s interval; once
 * without and once with an IOReport reading written beside each sample (an
 * M1 Ultra's channels: two CPU dies, GPU, GPU SRAM, two ANE, two DRAM, the
 * GPU performance states with 16 states, counters that grow every second).
 * CPU time is the process's own (CLOCK_PROCESS_CPUTIME_ID), best of 5
 * alternating runs.  What macOS itself spends on a reading
 * (IOReportCreateSamples and walking its dictionary) is not in it: that is
 * unmeasured here.
 *
 * usage: bench_ior [SAMPLES]      (default 20000)
 * Prints tab-separated lines: ior_base_us, ior_with_us, ior_added_us,
 * ior_ratio, ior_bytes_per_reading.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fake_platform.h"
#include "pmtrace.h"
#include "rec_ior.h"
#include "rec_sample.h"

enum { TREE = 6, NCPU = 8, NSTATES = 8, NSIMPLE = 8, NGPU_STATES = 16 };

static struct fake_proc procs[TREE];
static uint64_t ticks[NCPU * NSTATES];
static struct plat_ior_channel chans[NSIMPLE + 1];
static uint64_t ior_v[NSIMPLE + NGPU_STATES];
static uint64_t now_ns;				/* the simulated clock */
static struct rec_sampler smp;			/* large: not on the stack */
static struct rec_ior ior;

static uint64_t
bench_now(void *arg)
{
	(void)arg;
	return now_ns;
}

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A Phocus-like tree: the app and five helpers. */
static void
tree_setup(void)
{
	static const char *names[TREE] = { "Phocus", "Helper", "Helper", "HNNR",
	    "Render", "Thumbs" };

	for (int i = 0; i < TREE; i++) {
		struct fake_proc *p = &procs[i];
		memset(p, 0, sizeof(*p));
		p->pid = 500 + i;
		p->ppid = i == 0 ? 1 : 500;
		p->name = names[i];
		p->path = "/Applications/Phocus.app/Contents/MacOS/Phocus";
		p->c.have = PLAT_HAVE_CPU | PLAT_HAVE_RSS | PLAT_HAVE_FOOTPRINT |
		    PLAT_HAVE_START | PLAT_HAVE_THREADS | PLAT_HAVE_PPID;
		p->c.start_time = 1000 + (uint64_t)i;
		p->c.rss = (uint64_t)(i + 1) << 28;
		p->c.footprint = p->c.rss + (1u << 20);
		p->c.threads = 8;
	}
}

/* The channel table of an M1 Ultra-like machine. */
static void
ior_setup(void)
{
	static const char *names[NSIMPLE] = { "DIE_0_CPU Energy", "DIE_1_CPU Energy",
	    "GPU Energy", "GPU SRAM0", "ANE0_0", "ANE0_1", "DRAM0", "DRAM1" };
	static const char *units[NSIMPLE] = { "mJ", "mJ", "nJ", "mJ", "mJ", "mJ", "mJ", "mJ" };

	for (int i = 0; i < NSIMPLE; i++) {
		chans[i].kind = PLAT_IOR_SIMPLE;
		snprintf(chans[i].group, sizeof(chans[i].group), "Energy Model");
		snprintf(chans[i].name, sizeof(chans[i].name), "%s", names[i]);
		snprintf(chans[i].unit, sizeof(chans[i].unit), "%s", units[i]);
	}
	chans[NSIMPLE].kind = PLAT_IOR_STATE;
	snprintf(chans[NSIMPLE].group, sizeof(chans[NSIMPLE].group), "GPU Stats");
	snprintf(chans[NSIMPLE].subgroup, sizeof(chans[NSIMPLE].subgroup),
	    "GPU Performance States");
	snprintf(chans[NSIMPLE].name, sizeof(chans[NSIMPLE].name), "GPUPH");
	chans[NSIMPLE].nstates = NGPU_STATES;
	for (int k = 0; k < NGPU_STATES; k++)
		snprintf(chans[NSIMPLE].states[k], sizeof(chans[NSIMPLE].states[k]),
		    k == 0 ? "OFF" : k == 1 ? "IDLE" : "P%d", k - 1);
	fake_set_ior(chans, NSIMPLE + 1, 0, NULL);
}

/* One second of the machine: counters grow (xorshift amounts). */
static void
advance(uint64_t *rng)
{
	for (int i = 0; i < TREE; i++) {
		*rng ^= *rng << 13; *rng ^= *rng >> 7; *rng ^= *rng << 17;
		procs[i].c.user += *rng % 3000000;
		procs[i].c.system += *rng % 400000;
	}
	for (int i = 0; i < NCPU * NSTATES; i++)
		ticks[i] += (uint64_t)(i % NSTATES == 3 ? 60 : 5);
	for (int i = 0; i < NSIMPLE + NGPU_STATES; i++)
		ior_v[i] += 1000 + *rng % (i < NSIMPLE ? 5000000 : 24000000);
}

/*
 * n samples 1 s apart into a trace at path; with IOReport if ior_on.
 * Returns CPU seconds; *bytes gets the trace's size.
 */
static double
run(const char *path, int n, int ior_on, uint64_t *bytes)
{
	struct plat_info info;
	struct plat_sys sys = { 0 };
	struct pmt_header h;
	struct pmt_sys s;
	pmt_writer *w;
	uint64_t rng = 88172645463325252ull;
	double t0;
	FILE *f = fopen(path, "w");
	int fd = f ? fileno(f) : -1;

	if (fd < 0 || platform_init(&info) != 0 || pmt_writer_open(&w, fd, NULL) != 0)
		return -1;
	tree_setup();
	fake_set_procs(procs, TREE);
	if (rec_sample_init(&smp, &info, 500) != 0)
		return -1;
	pmt_header_init(&h);
	pmt_write_header(w, &h);
	if (ior_on && (rec_ior_open(&ior) <= 0 || rec_ior_write_table(&ior, w, 0) != 0))
		return -1;
	sys.ncpu = NCPU;
	sys.nstates = NSTATES;
	sys.ticks = ticks;
	t0 = cpu_s();
	for (int i = 1; i <= n; i++) {
		now_ns = (uint64_t)i * 1000000000ull;
		advance(&rng);
		fake_set_procs(procs, TREE);
		fake_set_system(&sys);
		if (rec_sample_tree(&smp, now_ns) == 0)
			pmt_write_proc(w, now_ns, smp.rows, smp.nrows);
		if (rec_sample_system(&s) == 0)
			pmt_write_sys(w, now_ns, &s);
		if (ior_on) {
			fake_set_ior_read(ior_v, NSIMPLE + NGPU_STATES, NULL, 0);
			rec_ior_sample(&ior, w, bench_now, NULL);
		}
		pmt_writer_tick(w, now_ns, 1700000000000000000ull + now_ns, 0);
	}
	t0 = cpu_s() - t0;
	*bytes = pmt_writer_bytes(w);
	pmt_writer_close(w, now_ns + 1, PMT_END_SIGNAL);
	if (ior_on)
		rec_ior_close(&ior);
	rec_sample_free(&smp);
	fclose(f);
	return t0;
}

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20000;
	char path[] = "/tmp/bench-ior-XXXXXX";
	double best[2] = { 1e30, 1e30 };
	uint64_t bytes[2] = { 0, 0 };
	int fd = mkstemp(path);

	if (fd < 0 || n < 1)
		return 1;
	close(fd);
	ior_setup();
	for (int r = 0; r < 5; r++)
		for (int k = 0; k < 2; k++) {
			double c = run(path, n, k, &bytes[k]);
			if (c < 0) {
				fprintf(stderr, "bench_ior: a run failed\n");
				unlink(path);
				return 1;
			}
			if (c < best[k])
				best[k] = c;
		}
	unlink(path);
	printf("ior_base_us\t%.2f\n", best[0] / n * 1e6);
	printf("ior_with_us\t%.2f\n", best[1] / n * 1e6);
	printf("ior_added_us\t%.2f\n", (best[1] - best[0]) / n * 1e6);
	printf("ior_ratio\t%.2f\n", best[1] / best[0]);
	printf("ior_bytes_per_reading\t%.1f\n", (double)(bytes[1] - bytes[0]) / n);
	return 0;
}
