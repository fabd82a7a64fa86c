/*
 * cmd_report.c - "phocus-analyze report": loads a trace, prints the
 * summary (text or JSON), writes the timeline CSV and the figure's gnuplot
 * script beside it, and runs gnuplot when it is installed.
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "an_cmd.h"
#include "an_csv.h"
#include "plot/an_plot.h"
#include "an_report.h"
#include "an_summary.h"
#include "an_trace.h"

struct report_opts {
	const char *trace;
	const char *dir;		/* -o DIR, NULL: the trace's folder */
	const char *csv;		/* --csv FILE or "-" */
	int json;
	int no_plot;
	int cores;			/* --core-distribution */
	const char *format;		/* png, svg, pdf */
	double ane_threshold;
	int power;			/* --power-source: enum an_power_source */
};

enum { OPT_CSV = 256, OPT_JSON, OPT_NO_PLOT, OPT_FORMAT, OPT_CORES, OPT_ANE, OPT_POWER,
	OPT_NO_CALIB };

static int cmd_report(int argc, char **argv);

static const struct cmn_opt report_opts[] = {
	{ 'o', "output", "DIR", 0, "write the CSV, script and figure into DIR" },
	{ OPT_CSV, "csv", "FILE|-", 0,
	  "write the CSV there instead (- : standard output; the\n"
	  "summary then goes to standard error)" },
	{ OPT_JSON, "json", NULL, 0,
	  "the summary as one JSON object, alone on standard\n"
	  "output (messages go to standard error)" },
	AN_OPT_NO_PLOT(OPT_NO_PLOT),
	AN_OPT_FORMAT(OPT_FORMAT),
	{ OPT_CORES, "core-distribution", NULL, 0,
	  "also a figure of per-core activity over time" },
	{ OPT_ANE, "ane-threshold", "W", 0,
	  "Neural Engine counts as active above W watts\n(default "
	  CMN_STR(AN_ANE_THRESHOLD_W) ")" },
	{ OPT_POWER, "power-source", "powermetrics|ioreport", 0,
	  "where GPU, ANE, CPU and DRAM power and GPU active\n"
	  "come from (default: powermetrics when the trace has\n"
	  "it, else IOReport)" },
	AN_OPT_NO_CALIB(OPT_NO_CALIB),
	CMN_OPT_HELP,
	CMN_OPT_END
};

const struct an_command an_command_report = {
	"report", cmd_report, "TRACE",
	"summary, CSV and figure of a trace (the default)",
	"Prints the summary and writes DIR/NAME.csv (one row per sample), DIR/NAME.gp\n"
	"(gnuplot script of the 5-panel figure) and, when gnuplot is installed,\n"
	"DIR/NAME.png.  DIR defaults to the trace's folder; NAME is the trace's name.\n",
	report_opts
};

/* Parses the options; returns 0, or an exit code. */
static int
report_parse(int argc, char **argv, struct report_opts *o)
{
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->format = "png";
	o->ane_threshold = AN_ANE_THRESHOLD_W;
	while ((c = an_cmd_getopt(&an_command_report, argc, argv)) != -1) {
		switch (c) {
		case 'o': o->dir = optarg; break;
		case OPT_CSV: o->csv = optarg; break;
		case OPT_JSON: o->json = 1; break;
		case OPT_NO_PLOT: o->no_plot = 1; break;
		case OPT_CORES: o->cores = 1; break;
		case OPT_FORMAT:
			if (an_cmd_format(optarg) != 0)
				return AN_EXIT_USAGE;
			o->format = optarg;
			break;
		case OPT_ANE:
			o->ane_threshold = strtod(optarg, &end);
			if (*end != '\0' || end == optarg || !(o->ane_threshold >= 0)) {
				warnx("--ane-threshold must be watts, e.g. 0.05, not '%s'", optarg);
				return AN_EXIT_USAGE;
			}
			break;
		case OPT_POWER:
			if (an_cmd_power_source(optarg, &o->power) != 0)
				return AN_EXIT_USAGE;
			break;
		case OPT_NO_CALIB: an_load_calibration(0); break;
		case 'h': return -1;
		default: return AN_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		warnx(optind >= argc ? "report: which trace?" : "report: one trace at a time");
		an_cmd_usage(stderr, &an_command_report);
		return AN_EXIT_USAGE;
	}
	if (o->json && o->csv != NULL && strcmp(o->csv, "-") == 0) {
		warnx("report: --json and --csv - both want standard output; "
		    "give --csv a file");
		return AN_EXIT_USAGE;
	}
	o->trace = argv[optind];
	return 0;
}

/* The output folder: -o DIR (created if missing) or the trace's folder. */
static int
report_dir(const struct report_opts *o, char *buf, size_t len)
{
	const char *slash;

	if (o->dir != NULL) {
		if (mkdir(o->dir, 0777) != 0 && errno != EEXIST) {
			warn("cannot create %s", o->dir);
			return -1;
		}
		snprintf(buf, len, "%s", o->dir);
		return 0;
	}
	slash = strrchr(o->trace, '/');
	if (slash == NULL)
		snprintf(buf, len, ".");
	else
		snprintf(buf, len, "%.*s", (int)(slash - o->trace), o->trace);
	if (buf[0] == '\0')
		snprintf(buf, len, "/");
	return 0;
}

/* Writes the timeline CSV to path ("-": stdout).  Returns 0 or -1. */
static int
report_csv(const struct an_trace *tr, const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
	int bad;

	if (f == NULL) {
		warn("cannot write %s", path);
		return -1;
	}
	bad = an_csv_timeline(f, tr, 0) != 0;
	if (f != stdout)
		bad |= fclose(f) != 0;
	else
		bad |= fflush(f) != 0;
	if (bad) {
		warn("%s", path);
		return -1;
	}
	return 0;
}

static int
cmd_report(int argc, char **argv)
{
	struct report_opts o;
	struct an_trace tr;
	struct an_summary s;
	char dir[PATH_MAX], name[256], csv[PATH_MAX + 300];
	FILE *out;
	int rc = report_parse(argc, argv, &o);

	if (rc != 0)
		return rc < 0 ? AN_EXIT_OK : rc;
	if (an_cmd_load(&tr, o.trace) != 0)
		return AN_EXIT_FAIL;
	if (an_power_choose(&tr, o.power) != 0)
		warnx("%s: %s; the power figures are empty", o.trace,
		    an_power_missing(&tr, o.power));
	rc = AN_EXIT_FAIL;
	if (an_summarize(&tr, o.ane_threshold, &s) != 0) {
		warnx("%s: out of memory", o.trace);
		goto out;
	}
	if (report_dir(&o, dir, sizeof(dir)) != 0)
		goto out_sum;
	an_cmd_basename(o.trace, name, sizeof(name));
	snprintf(csv, sizeof(csv), "%s/%s.csv", dir, name);
	if (report_csv(&tr, o.csv ? o.csv : csv) != 0)
		goto out_sum;
	out = o.csv && strcmp(o.csv, "-") == 0 ? stderr : stdout;
	if (o.json)
		an_report_json(out, &tr, &s);
	else
		an_report_text(out, &tr, &s);
	/* with --json, standard output holds the JSON and nothing else */
	rc = an_plot_report(&tr, dir, name, o.csv ? o.csv : csv, o.format,
	    o.no_plot, o.cores, o.json ? stderr : out) == 0 ? AN_EXIT_OK : AN_EXIT_FAIL;
out_sum:
	an_summary_free(&s);
out:
	an_free(&tr);
	return rc;
}
