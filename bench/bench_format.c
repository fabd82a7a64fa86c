/*
 * bench_format.c - size and speed of the trace format, for `make bench`:
 * bytes per process row of an hour-long 1 Hz recording of a 6-process tree,
 * stored size of powermetrics captures written one sample per second (with
 * the per-second flushes) against `zstd -3` of the same bytes, and decode
 * speed in process rows per second.  Prints tab-separated lines.
 *
 * usage: bench_format [POWERMETRICS_CAPTURE...]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmn_file.h"
#include "pmtrace.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static off_t
file_size(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 ? st.st_size : -1;
}

/*
 * A 6-process tree like Phocus and its helpers, in Apple Silicon units (Mach
 * ticks at 24 MHz, 16 KiB pages): one busy main process, a GPU helper, four
 * mostly idle helpers.  Counters move as a real editor's do.
 */
struct sproc {
	struct pmt_proc r;
	uint64_t busy;		/* typical CPU ticks per second */
};

static void
tree_init(struct sproc *p, int n)
{
	static const char *names[] = { "Phocus", "Phocus Helper (GPU)",
	    "Phocus Helper", "Phocus Helper (Renderer)", "mdworker", "HNNR" };

	for (int i = 0; i < n; i++) {
		memset(&p[i], 0, sizeof(p[i]));
		p[i].r.pid = 4000 + i * 7;
		p[i].r.v[PMT_F_PPID] = i == 0 ? 1 : 4000;
		p[i].r.v[PMT_F_START] = 123456789000ull + (uint64_t)i;
		p[i].r.v[PMT_F_RSS] = (uint64_t)(200 + i * 50) << 20;
		p[i].r.v[PMT_F_FOOTPRINT] = p[i].r.v[PMT_F_RSS] + (20u << 20);
		p[i].r.v[PMT_F_THREADS] = i == 0 ? 60 : 8;
		p[i].busy = i == 0 ? 12000000 : i == 1 ? 4000000 : 200000;
		p[i].r.name = names[i];
		p[i].r.name_len = strlen(names[i]);
	}
}

/*
 * One second of activity.  The main process and the GPU helper are busy
 * (random CPU around their typical load, memory and disk moving); the four
 * other helpers are mostly idle, as an editor's helpers are: a wake-up now
 * and then, memory that rarely changes, no disk.  Energy follows CPU with
 * noise.
 */
static void
tree_step(struct sproc *p, int n)
{
	for (int i = 0; i < n; i++) {
		struct pmt_proc *r = &p[i].r;
		int busy = i < 2;
		uint64_t cpu = busy ? p[i].busy / 2 + rnd() % (p[i].busy + 1) :
		    rnd() % 10 < 3 ? rnd() % 30000 : 0;
		r->v[PMT_F_USER] += cpu * 7 / 8;
		r->v[PMT_F_SYSTEM] += cpu / 8;
		if (rnd() % 100 < (busy ? 50 : 1))
			r->v[PMT_F_RSS] += ((rnd() % 400) - 180) * 16384;
		r->v[PMT_F_FOOTPRINT] = r->v[PMT_F_RSS] + (20u << 20);
		if (rnd() % 100 < (busy ? 5 : 0))
			r->v[PMT_F_THREADS] += rnd() % 3 - 1;
		if (busy && rnd() % 3 == 0)
			r->v[PMT_F_READ_BYTES] += rnd() % 2000000;
		if (busy && rnd() % 5 == 0)
			r->v[PMT_F_WRITE_BYTES] += rnd() % 100000;
		r->v[PMT_F_GPU_NS] += i == 1 ? rnd() % 300000000 : 0;
		r->v[PMT_F_CPU_ENERGY_NJ] += cpu ? cpu * 40 + rnd() % 100000 : 0;
		r->have = PMT_HAVE(PMT_F_PPID) | PMT_HAVE(PMT_F_START) |
		    PMT_HAVE(PMT_F_USER) | PMT_HAVE(PMT_F_SYSTEM) |
		    PMT_HAVE(PMT_F_CHILD_USER) | PMT_HAVE(PMT_F_CHILD_SYSTEM) |
		    PMT_HAVE(PMT_F_RSS) | PMT_HAVE(PMT_F_FOOTPRINT) |
		    PMT_HAVE(PMT_F_THREADS) | PMT_HAVE(PMT_F_READ_BYTES) |
		    PMT_HAVE(PMT_F_WRITE_BYTES) | PMT_HAVE(PMT_F_GPU_NS) |
		    PMT_HAVE(PMT_F_CPU_ENERGY_NJ);
	}
}

/*
 * Writes `seconds` samples of an n-process tree at 1 Hz (flushing every
 * second, as the recorder does); with_sys adds a system sample with 10
 * cores' ticks.  Returns the file size.
 */
static off_t
write_tree(const char *path, int n, int seconds, int with_sys)
{
	struct sproc p[64];
	struct pmt_proc rows[64];
	struct pmt_header h;
	uint64_t ticks[10 * 4] = { 0 };
	pmt_writer *w;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || pmt_writer_open(&w, fd, NULL) != 0)
		return -1;
	pmt_header_init(&h);
	h.host = "bench";
	h.target_name = "Phocus";
	pmt_write_header(w, &h);
	tree_init(p, n);
	for (int s = 0; s < seconds; s++) {
		uint64_t t = (uint64_t)s * 1000000000ull + rnd() % 2000000;
		tree_step(p, n);
		for (int i = 0; i < n; i++) {
			rows[i] = p[i].r;
			if (s > 0)
				rows[i].have &= ~PMT_HAVE(PMT_F_NAME);
			else
				rows[i].have |= PMT_HAVE(PMT_F_NAME);
		}
		pmt_write_proc(w, t, rows, (size_t)n);
		if (with_sys) {
			struct pmt_sys sy = { .have = PMT_HAVE(PMT_S_SWAP_USED) |
			    PMT_HAVE(PMT_S_SWAP_TOTAL) | PMT_HAVE(PMT_S_RAM_TOTAL) |
			    PMT_HAVE(PMT_S_TICKS), .ncpu = 10, .nstates = 4, .ticks = ticks };
			for (int k = 0; k < 40; k++)
				ticks[k] += rnd() % 100;
			sy.v[PMT_S_SWAP_USED] = (uint64_t)s << 20;
			sy.v[PMT_S_SWAP_TOTAL] = 4ull << 30;
			sy.v[PMT_S_RAM_TOTAL] = 32ull << 30;
			pmt_write_sys(w, t, &sy);
		}
		pmt_writer_tick(w, t + 1000000000ull, 0, 0);
	}
	pmt_writer_close(w, (uint64_t)seconds * 1000000000ull, PMT_END_SIGNAL);
	close(fd);
	return file_size(path);
}

/* Decode speed: process rows per second (best of three). */
static double
decode_rate(const char *path, uint64_t *rows_out)
{
	double best = 0;

	for (int k = 0; k < 3; k++) {
		pmt_reader *r;
		struct pmt_record rec;
		uint64_t rows = 0;
		double t0 = now_s(), dt;
		if (pmt_reader_open(&r, path, NULL, 0) != 0)
			return -1;
		while (pmt_reader_next(r, &rec) == 1)
			if (rec.type == PMT_REC_PROC)
				rows += rec.u.proc.n;
		pmt_reader_close(r);
		dt = now_s() - t0;
		if (rows / dt > best)
			best = (double)rows / dt;
		*rows_out = rows;
	}
	return best;
}

/* The whole file at path, or NULL. */
static uint8_t *
slurp(const char *path, size_t *len)
{
	char *p;

	return cmn_file_read(path, CMN_FILE_NO_CAP, 0, &p, len) == 0 ? (uint8_t *)p : NULL;
}

/*
 * A powermetrics capture written one sample per second for `samples`
 * samples (looping over the capture), flushed every second; returns the
 * trace size and writes the same raw bytes to raw_path for zstd -3.
 */
static off_t
write_pm(const char *cap, int samples, const char *path, const char *raw_path)
{
	size_t len, off = 0, units[4096], nu = 0, pre_len = 0;
	uint8_t *d = slurp(cap, &len);
	struct pmt_header h;
	pmt_writer *w;
	int fd, pre;
	FILE *raw;

	if (d == NULL)
		return -1;
	while (off < len && nu < 4096) {
		size_t n = pmt_pm_split(d + off, len - off, 1, &pre);
		if (pre && nu == 0 && off == 0)
			pre_len = n;
		else
			units[nu++] = off;
		off += n;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	raw = fopen(raw_path, "wb");
	if (fd < 0 || raw == NULL || nu == 0 || pmt_writer_open(&w, fd, NULL) != 0)
		return -1;
	pmt_header_init(&h);
	h.host = "bench";
	pmt_write_header(w, &h);
	if (pre_len > 0) {
		pmt_write_pm(w, 0, PMT_PM_PREAMBLE, d, pre_len);
		fwrite(d, 1, pre_len, raw);
	}
	for (int s = 0; s < samples; s++) {
		size_t a = units[s % nu], b = s % nu + 1 < nu ? units[s % nu + 1] : len;
		uint64_t t = (uint64_t)(s + 1) * 1000000000ull;
		pmt_write_pm(w, t, 0, d + a, b - a);
		fwrite(d + a, 1, b - a, raw);
		pmt_writer_tick(w, t, 0, 0);
	}
	pmt_writer_close(w, (uint64_t)(samples + 1) * 1000000000ull, PMT_END_SIGNAL);
	close(fd);
	fclose(raw);
	free(d);
	return file_size(path);
}

/* Samples (not the preamble) in a capture, as the recorder splits it. */
static int
count_samples(const char *cap)
{
	size_t len, off = 0;
	uint8_t *d = slurp(cap, &len);
	int n = 0, pre;

	while (d != NULL && off < len) {
		off += pmt_pm_split(d + off, len - off, 1, &pre);
		n += !pre;
	}
	free(d);
	return n;
}

/* Size of a trace with the bench's header and nothing else. */
static off_t
write_pm_empty(const char *path)
{
	struct pmt_header h;
	pmt_writer *w;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || pmt_writer_open(&w, fd, NULL) != 0)
		return -1;
	pmt_header_init(&h);
	h.host = "bench";
	pmt_write_header(w, &h);
	pmt_writer_close(w, 1000000000ull, PMT_END_SIGNAL);
	close(fd);
	return file_size(path);
}

/* Size of `zstd -3` of a file (the zstd command line). */
static long
zstd3_size(const char *raw)
{
	char cmd[1024];
	FILE *p;
	long n = -1;

	snprintf(cmd, sizeof(cmd), "zstd -3 -q -c '%s' | wc -c", raw);
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	if (fscanf(p, "%ld", &n) != 1)
		n = -1;
	pclose(p);
	return n;
}

int
main(int argc, char **argv)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char path[512], raw[512];
	off_t sz, sz_sys;
	uint64_t rows = 0;
	double rate;
	long long tot_trace = 0, tot_zstd = 0;

	snprintf(path, sizeof(path), "%s/bench-format-%d.pmtrace", dir, (int)getpid());
	snprintf(raw, sizeof(raw), "%s/bench-format-%d.raw", dir, (int)getpid());
	sz = write_tree(path, 6, 3600, 0);
	sz_sys = write_tree(path, 6, 3600, 1);
	printf("bytes_per_row\t%.2f\t(6-process tree, 1 Hz, 1 hour, %d rows, %lld bytes)\n",
	    (double)sz / 21600, 21600, (long long)sz);
	printf("bytes_per_row_with_system\t%.2f\t(the same plus a system sample of 10 cores every second, %lld bytes)\n",
	    (double)sz_sys / 21600, (long long)sz_sys);
	write_tree(path, 6, 200000, 0);
	rate = decode_rate(path, &rows);
	printf("decode_rows_per_s\t%.0f\t(%llu rows, best of 3)\n", rate,
	    (unsigned long long)rows);
	for (int i = 1; i < argc; i++) {
		int n = count_samples(argv[i]);
		long z;
		sz = write_pm(argv[i], n, path, raw);
		z = zstd3_size(raw);
		if (sz < 0 || z <= 0)
			continue;
		tot_trace += sz;
		tot_zstd += z;
		printf("pm_vs_zstd3\t%.3f\t%s: %d samples at 1/s: trace %lld bytes, "
		    "zstd -3 %ld bytes, raw %lld bytes\n", (double)sz / (double)z,
		    strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i], n,
		    (long long)sz, z, (long long)file_size(raw));
	}
	if (tot_zstd > 0)
		printf("pm_vs_zstd3_all\t%.3f\t(all captures together: trace %lld bytes, "
		    "zstd -3 %lld bytes)\n", (double)tot_trace / (double)tot_zstd,
		    tot_trace, tot_zstd);
	printf("trace_fixed_bytes\t%lld\t(file header, frame marker, header and end "
	    "records of a trace with no samples)\n", (long long)write_pm_empty(path));
	unlink(path);
	unlink(raw);
	return 0;
}
