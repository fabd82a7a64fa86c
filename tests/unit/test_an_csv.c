/*
 * test_an_csv.c - the timeline CSV read back with libcsv's own parser:
 * labels with commas, quotes and newlines round-trip, spreadsheet formulas
 * are neutralised, "# " lines and the column row come first, numbers are
 * plain.  The trace is written here with the format library; the expected
 * fields are spelled out by hand.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "an_csv.h"
#include "an_trace.h"
#include "pmtrace.h"
#include "tap.h"

/* Parsed CSV: rows of fields. */
struct table {
	char *f[64][32];
	size_t nf[64];
	size_t nrows;
};

static void
on_field(void *s, size_t len, void *data)
{
	struct table *t = data;

	if (t->nrows < 64 && t->nf[t->nrows] < 32) {
		char *c = malloc(len + 1);
		memcpy(c, s, len);
		c[len] = '\0';
		t->f[t->nrows][t->nf[t->nrows]++] = c;
	}
}

static void
on_row(int c, void *data)
{
	struct table *t = data;

	(void)c;
	if (t->nrows < 64)
		t->nrows++;
}

/* Writes a trace with five samples and awkward marks; returns 0 or -1. */
static int
write_trace(const char *path)
{
	struct pmt_header h;
	pmt_writer *w;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	static const struct { uint64_t t_ms; const char *label; } marks[] = {
		{ 500, "a, b" }, { 1500, "say \"hi\", twice" }, { 2500, "line1\nline2" },
		{ 3200, "=cmd|' /C calc'!A0" }, { 3400, "" }, { 3600, "@SUM(A1)" },
	};

	if (fd < 0 || pmt_writer_open(&w, fd, NULL) != 0)
		return -1;
	pmt_header_init(&h);
	h.host = "host, with \"comma\"\nand newline";
	h.target_name = "=evil";
	h.interval_ns = 1000000000;
	h.cpu_time_num = 1000000000;
	h.cpu_time_den = 100;
	pmt_write_header(w, &h);
	for (int i = 0; i < 5; i++) {
		struct pmt_proc r = { .pid = 7, .have = PMT_HAVE(PMT_F_RSS) |
		    PMT_HAVE(PMT_F_USER) | PMT_HAVE(PMT_F_SYSTEM) |
		    PMT_HAVE(PMT_F_THREADS) };
		r.v[PMT_F_RSS] = (uint64_t)(i + 1) * 1000000000;
		r.v[PMT_F_USER] = (uint64_t)i * 25;	/* 0.25 s a second: 25% */
		r.v[PMT_F_THREADS] = 3;
		pmt_write_proc(w, (uint64_t)i * 1000000000, &r, 1);
		for (size_t k = 0; k < sizeof(marks) / sizeof(marks[0]); k++)
			if (marks[k].t_ms > (uint64_t)i * 1000 && marks[k].t_ms < (uint64_t)(i + 1) * 1000)
				pmt_write_mark(w, marks[k].t_ms * 1000000, k + 1,
				    marks[k].label, strlen(marks[k].label));
	}
	pmt_writer_close(w, 5000000000ull, PMT_END_SIGNAL);
	return close(fd);
}

int
main(void)
{
	char tpath[] = "/tmp/test-an-csv-XXXXXX", err[256], *buf = NULL;
	struct an_trace tr;
	struct table t = { 0 };
	struct csv_parser p;
	size_t len = 0, hash_lines = 0;
	FILE *f, *mem;
	int fd = mkstemp(tpath);
	char line[4096];

	close(fd);
	CHECK(write_trace(tpath) == 0, "trace with awkward labels written");
	CHECK(an_load(&tr, tpath, err, sizeof(err)) == 0, "trace loads");
	mem = open_memstream(&buf, &len);
	CHECK(an_csv_timeline(mem, &tr, 0) == 0, "timeline CSV written");
	fclose(mem);
	/* comment lines first (libcsv has no comments: drop them, as gnuplot does) */
	f = fmemopen(buf, len, "r");
	csv_init(&p, CSV_STRICT | CSV_APPEND_NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "# ", 2) == 0 && t.nrows == 0 && t.nf[0] == 0) {
			hash_lines++;
			CHECK(strchr(line, '\n') == line + strlen(line) - 1, "a comment is one line, even with a newline in the host name");
			continue;
		}
		if (csv_parse(&p, line, strlen(line), on_field, on_row, &t) != strlen(line))
			printf("# csv_parse: %s\n", csv_strerror(csv_error(&p)));
	}
	csv_fini(&p, on_field, on_row, &t);
	csv_free(&p);
	fclose(f);
	CHECK(hash_lines >= 10, "the header is a block of '# ' lines");
	CHECK(t.nrows == 6, "one column row and five sample rows");
	CHECK_STR(t.f[0][0], "elapsed_s", "first column");
	CHECK_STR(t.f[0][13], "mark", "column 14 is mark");
	for (size_t r = 1; r < t.nrows; r++)
		CHECK(t.nf[r] == an_csv_ncolumns, "every row has every column");
	CHECK_STR(t.f[1][13], "", "no mark before the first sample");
	CHECK_STR(t.f[2][13], "a, b", "a label with a comma round-trips");
	CHECK_STR(t.f[3][13], "say \"hi\", twice", "a label with quotes round-trips");
	CHECK_STR(t.f[4][13], "line1\nline2", "a label with a newline round-trips");
	CHECK_STR(t.f[5][13], "'=cmd|' /C calc'!A0; #5; @SUM(A1)",
	    "a formula is neutralised; an unnamed mark is #N; marks since the last row are joined");
	CHECK_STR(t.f[2][0], "1", "elapsed_s is a plain number");
	CHECK_STR(t.f[2][2], "2", "rss_gb: 2e9 bytes = 2 GB");
	CHECK_STR(t.f[2][4], "25", "cpu_pct: 25 ticks of 10 ms in 1 s = 25%");
	CHECK_STR(t.f[2][3], "", "footprint not recorded: empty, not 0");
	CHECK_STR(t.f[2][8], "", "no powermetrics: GPU power empty, not 0");
	for (size_t r = 0; r < 64; r++)
		for (size_t c = 0; c < t.nf[r]; c++)
			free(t.f[r][c]);
	an_free(&tr);
	free(buf);
	unlink(tpath);
	return tap_done();
}
