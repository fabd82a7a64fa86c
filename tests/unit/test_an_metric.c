/*
 * test_an_metric.c - unit tests of analyze/an_metric.c, the one table of
 * summary figures: keys are unique and say their unit, compare's rows are
 * the keys its CSV has always had (an interface), list's numbers are
 * figures of the table under the same keys, and every accessor reads the
 * field it names (values set by hand in a summary below), and the README
 * names every key.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmn_file.h"

#include "an_digest.h"
#include "an_metric.h"
#include "tap.h"

/* compare.csv's rows since compare was written, in order. */
static const char *const compare_rows[] = {
	"duration_s", "samples", "memory_start_gb", "memory_peak_gb", "memory_end_gb",
	"memory_growth_gb", "cpu_mean_pct", "cpu_p95_pct", "cpu_max_pct", "cpu_seconds",
	"threads_max", "gpu_active_mean_pct", "gpu_active_p95_pct", "gpu_power_mean_w",
	"gpu_power_max_w", "gpu_energy_j", "ane_power_mean_w", "ane_power_max_w",
	"ane_energy_j", "cpu_power_mean_w", "cpu_power_max_w", "cpu_energy_j",
	"ane_active_share_pct", "swap_peak_gb", "marks", "memory_trend_gb_per_mark",
};

/* Whether key ends with suffix. */
static int
ends_with(const char *key, const char *suffix)
{
	size_t k = strlen(key), n = strlen(suffix);

	return k >= n && strcmp(key + k - n, suffix) == 0;
}

/* The key's name says its unit: _gb for GB, _pct for %, and so on. */
static int
key_says_unit(const struct an_metric *m)
{
	static const struct { const char *unit, *suffix; } u[] = {
		{ "GB", "_gb" }, { "%", "_pct" }, { "s", "_s" }, { "W", "_w" },
		{ "J", "_j" }, { "GB/mark", "_gb_per_mark" },
	};

	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++)
		if (strcmp(m->unit, u[i].unit) == 0)
			return ends_with(m->key, u[i].suffix) ||
			    strcmp(m->key, "cpu_seconds") == 0 ||
			    strcmp(m->key, "app_gpu_seconds") == 0;
	return m->unit[0] == '\0';
}

static void
test_keys(void)
{
	size_t rows = 0, bad_unit = 0, dup = 0, unnamed = 0;

	for (size_t i = 0; i < AN_M_N; i++) {
		const struct an_metric *m = &an_metrics[i];
		if (m->key == NULL || m->label == NULL || m->unit == NULL) {
			unnamed++;
			continue;
		}
		if (!key_says_unit(m)) {
			bad_unit++;
			printf("#   %s: unit %s not in its name\n", m->key, m->unit);
		}
		if (an_metric_find(m->key) != m)
			dup++;
		if (m->flags & AN_M_COMPARE) {
			if (rows < sizeof(compare_rows) / sizeof(compare_rows[0]) &&
			    strcmp(m->key, compare_rows[rows]) != 0)
				printf("#   compare row %zu: %s, was %s\n", rows, m->key,
				    compare_rows[rows]);
			else
				rows++;
		}
	}
	CHECK_U64(unnamed, 0, "every row has a key, a label and a unit");
	CHECK_U64(dup, 0, "keys are unique");
	CHECK_U64(bad_unit, 0, "each key says its unit (_gb, _pct, _s, _w, _j)");
	CHECK_U64(rows, sizeof(compare_rows) / sizeof(compare_rows[0]),
	    "compare's rows: the same keys in the same order as ever");
	CHECK(an_metric_find("no_such_key") == NULL, "an unknown key");
}

/* Every number of list (an_digest) but the machine's RAM and the start is a figure here. */
static void
test_digest_keys(void)
{
	size_t missing = 0;

	for (size_t i = 0; i < an_digest_nkeys; i++) {
		const struct an_digest_key *k = &an_digest_keys[i];
		if (!k->num || strcmp(k->key, "ram_gb") == 0 ||
		    strcmp(k->key, "start_unix") == 0)
			continue;
		if (an_metric_find(k->key) == NULL) {
			missing++;
			printf("#   list key %s is no figure of an_metric.h\n", k->key);
		}
	}
	CHECK_U64(missing, 0, "list's figures have the table's keys");
}

static void
test_values(void)
{
	struct an_summary s;

	memset(&s, 0, sizeof(s));
	s.rss.peak = 3.5e9;
	s.footprint.peak = NAN;
	s.mem_metric = "rss";
	s.samples = 1234567;
	s.gpu.energy_j = 13;
	s.ane_active_share = 0.25;
	s.trend_gb_per_mark = -0.5;
	s.marks = 4;
	CHECK_NEAR(an_metric_value(AN_M_MEM_PEAK, &s), 3.5, 1e-12,
	    "memory peak: RSS when there is no footprint, in GB");
	CHECK_NEAR(an_metric_value(AN_M_RSS_PEAK, &s), 3.5, 1e-12, "RSS peak in GB");
	CHECK_NAN(an_metric_value(AN_M_FOOT_PEAK, &s), "footprint not recorded: NaN");
	s.footprint.peak = 2e9;
	s.mem_metric = "footprint";
	CHECK_NEAR(an_metric_value(AN_M_MEM_PEAK, &s), 2, 1e-12,
	    "memory peak: the footprint where recorded");
	CHECK_NEAR(an_metric_value(AN_M_SAMPLES, &s), 1234567, 0, "a size_t count");
	CHECK(an_metrics[AN_M_SAMPLES].flags & AN_M_WHOLE, "samples: printed whole");
	CHECK_NEAR(an_metric_value(AN_M_GPU_J, &s), 13, 0, "GPU energy in J");
	CHECK_NEAR(an_metric_value(AN_M_ANE_SHARE, &s), 25, 1e-12, "ANE share in %");
	CHECK_NEAR(an_metric_value(AN_M_TREND, &s), -0.5, 0, "trend GB per mark");
	CHECK_NEAR(an_metric_value(AN_M_MARKS, &s), 4, 0, "marks");
}

/* README.md lists every key as `key`. */
static void
test_readme(void)
{
	char path[1024], *doc, want[80];
	const char *f = __FILE__, *u = strstr(f, "tests/unit/test_an_metric.c");
	size_t n, missing = 0;

	snprintf(path, sizeof(path), "%.*sREADME.md", u ? (int)(u - f) : 0, f);
	if (cmn_file_read(path, 1 << 20, 0, &doc, &n) != 0) {
		CHECK(0, "read README.md");
		return;
	}
	for (size_t i = 0; i < AN_M_N; i++) {
		snprintf(want, sizeof(want), "`%s`", an_metrics[i].key);
		if (strstr(doc, want) == NULL) {
			missing++;
			printf("#   README.md does not name %s\n", want);
		}
	}
	free(doc);
	CHECK_U64(missing, 0, "README.md names every key (Summary keys)");
}

int
main(void)
{
	test_keys();
	test_readme();
	test_digest_keys();
	test_values();
	return tap_done();
}
