/*
 * bench_pm.c - how fast the analyzer splits and parses raw powermetrics output.
 * Each file is repeated to ~100 MB, split with pmt_pm_split() and parsed
 * (best of 3); prints pm_parse<TAB>FILE<TAB>BYTES<TAB>SECONDS<TAB>MB_PER_S.
 * -w writes the repeated bytes for timing zstd.  Links analyze/powermetrics/pm_*.c only.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmn_file.h"
#include "powermetrics/pm_parse.h"
#include "pmtrace.h"

#define BENCH_TARGET (100u * 1000 * 1000)	/* bytes of repeated input */
#define BENCH_RUNS 5				/* best of, as for zstd -d in bench/run */

/* Prints the usage line and exits. */
static void
usage(void)
{
	fprintf(stderr, "usage: bench_pm [-w path] file ...\n"
	    "  -w path  also write the repeated input (with several files:"
	    " path.1, path.2, ...)\n");
	exit(1);
}

/* The whole file at path, or NULL with errno set. */
static char *
bench_load(const char *path, size_t *len)
{
	char *p;
	int e = cmn_file_read(path, CMN_FILE_NO_CAP, 0, &p, len);

	errno = -e;
	return e == 0 ? p : NULL;
}

/*
 * Repeats [file, file+n) to about BENCH_TARGET bytes.  Copies are separated
 * as a stream would be: a NUL between plist records, a newline after text
 * that does not end with one.  Returns the buffer and its length in *out_len.
 */
static char *
bench_repeat(const char *file, size_t n, enum pm_format f, size_t *out_len)
{
	char sep = f == PM_FORMAT_PLIST ? '\0' : '\n';
	int need_sep = n > 0 && file[n - 1] != sep;
	size_t unit = n + (size_t)need_sep, copies, i;
	char *buf, *p;

	copies = unit >= BENCH_TARGET ? 1 : (BENCH_TARGET + unit - 1) / unit;
	if ((buf = malloc(copies * unit)) == NULL)
		err(1, "malloc");
	for (p = buf, i = 0; i < copies; i++) {
		memcpy(p, file, n);
		p += n;
		if (need_sep)
			*p++ = sep;
	}
	*out_len = copies * unit;
	return buf;
}

/* Returns the time now in seconds. */
static double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Splits and parses all of buf once; returns the number of chunks that
 * failed to parse (and warns about the first one).
 */
static size_t
bench_parse_all(const char *name, const char *buf, size_t len,
    struct pm_sample *s)
{
	char err[160], model[32], os[16];
	size_t off = 0, n, bad = 0;
	int pre, rc;

	while (off < len) {
		n = pmt_pm_split((const uint8_t *)buf + off, len - off, 1, &pre);
		if (pre) {	/* the text preamble, or padding */
			(void)pm_parse_preamble(buf + off, n, model,
			    sizeof(model), os, sizeof(os));
			off += n;
			continue;
		}
		rc = pm_parse_sample(buf + off, n, s, err, sizeof(err));
		if (rc != 0 && bad++ == 0)
			warnx("%s: byte %zu: %s", name, off, err);
		off += n;
	}
	return bad;
}

/* Writes buf to path; returns 0 or -1 (warned). */
static int
bench_write(const char *path, const char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL) {
		warn("%s", path);
		return -1;
	}
	if (fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		warn("%s", path);
		return -1;
	}
	return 0;
}

/* Benchmarks one file; returns 0 or 1 (failure, warned). */
static int
bench_file(const char *path, const char *wpath, int idx, int nfiles,
    struct pm_sample *s)
{
	char *file, *buf, out[4096];
	size_t n, len, bad = 0;
	double best = 0, t0, dt;
	enum pm_format f;
	int run, rval = 0;

	if ((file = bench_load(path, &n)) == NULL) {
		warn("%s", path);
		return 1;
	}
	f = pm_detect(file, n);
	buf = bench_repeat(file, n, f, &len);
	free(file);
	if (wpath != NULL) {
		if (nfiles > 1)
			snprintf(out, sizeof(out), "%s.%d", wpath, idx + 1);
		else
			snprintf(out, sizeof(out), "%s", wpath);
		rval |= bench_write(out, buf, len) != 0;
	}
	for (run = 0; run < BENCH_RUNS; run++) {
		t0 = bench_now();
		bad = bench_parse_all(path, buf, len, s);
		dt = bench_now() - t0;
		if (run == 0 || dt < best)
			best = dt;
	}
	if (bad != 0) {
		warnx("%s: %zu chunks failed to parse", path, bad);
		rval = 1;
	}
	printf("pm_parse\t%s\t%zu\t%.6f\t%.1f\n", path, len, best,
	    (double)len / 1e6 / best);
	free(buf);
	return rval;
}

/* bench_pm [-w path] file ...: see the comment at the top. */
int
main(int argc, char *argv[])
{
	static struct pm_sample s;	/* 11 KB: not on the stack */
	const char *wpath = NULL;
	int ch, i, rval = 0;

	while ((ch = getopt(argc, argv, "w:")) != -1) {
		switch (ch) {
		case 'w':
			wpath = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();
	for (i = 0; i < argc; i++)
		rval |= bench_file(argv[i], wpath, i, argc, &s);
	if (fclose(stdout) != 0)
		err(1, "stdout");
	return rval;
}
