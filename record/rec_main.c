/*
 * rec_main.c - phocus-record: records what an application (by default
 * Hasselblad Phocus) does to the machine into one compressed trace file.
 * This file only parses the command line; rec_loop.c does the recording.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmn_opt.h"
#include "pmtrace.h"
#include "rec_check.h"
#include "rec_loop.h"

enum { OPT_WAIT = 256, OPT_PMCMD, OPT_NOPM, OPT_APPVER, OPT_NOIOR, OPT_CHECK, OPT_JSON,
	OPT_LABEL, OPT_NOCALIB };

/* The options: getopt_long, --help and the man page's list come from here. */
static const struct cmn_opt rec_opts[] = {
	{ 'o', "output", "FILE", 0,
	  "trace file (default: <target>-YYYYmmdd-HHMMSS.pmtrace)" },
	{ 'n', "name", "NAME", 0,
	  "follow the running process NAME (default: Phocus)" },
	{ 'p', "pid", "PID", 0, "follow this process" },
	{ 'i', "interval", "MS", 0, "sampling interval in ms (default 1000; 10 to 3600000)" },
	{ 'd', "duration", "SEC", 0, "stop after SEC seconds (above 0, at most 10000000)" },
	{ OPT_WAIT, "wait", NULL, 0, "wait for the named target to appear" },
	{ OPT_PMCMD, "powermetrics-cmd", "CMD", 0,
	  "record CMD's output as powermetrics data (argv split\n"
	  "on spaces, no shell; default on macOS: powermetrics\n"
	  "-f plist at the same interval)" },
	{ OPT_NOPM, "no-powermetrics", NULL, 0, "record process and system data only" },
	{ OPT_NOIOR, "no-ioreport", NULL, 0,
	  "do not read the IOReport energy counters (macOS: GPU,\n"
	  "ANE, CPU, DRAM power without sudo; read by default)" },
	{ OPT_NOCALIB, "no-calibration", NULL, 0,
	  "skip the units check at the start (a child of the\n"
	  "recorder burns 0.1 s of CPU and touches 64 MiB, read\n"
	  "through the platform and by the kernel)" },
	{ OPT_APPVER, "app-version", "VER", 0, "the target's version for the trace header" },
	{ OPT_LABEL, "label", "TEXT", 0,
	  "name the target TEXT in the trace, titles and summaries\n"
	  "(default: the command's or process's name)" },
	{ 'f', "force", NULL, 0, "replace an existing trace file" },
	{ 'q', "quiet", NULL, 0, "no live status line" },
	{ OPT_CHECK, "check", NULL, 0,
	  "record nothing: check every source a recording reads\n"
	  "(with -n/-p: the target too) and print what was read,\n"
	  "whether it passed and what to do if not; exit 0 when\n"
	  "everything a recording needs works" },
	{ OPT_JSON, "json", NULL, 0, "with --check: one JSON document on stdout" },
	CMN_OPT_HELP,
	{ 'V', "version", NULL, CMN_OPT_NOSYN, "version" },
	CMN_OPT_END
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: phocus-record [options] [-- COMMAND [ARGS...]]\n"
"\n"
"Follows an application's whole process tree (memory, CPU, threads, disk),\n"
"the system's swap and per-core load, and powermetrics (GPU, ANE and CPU\n"
"power; needs sudo on macOS), and writes one compressed trace.  While it\n"
"records, type a line and press Enter to set a mark (\"open image 3\"); just\n"
"Enter sets a numbered mark.  Stop with Ctrl-C.  With -- COMMAND ARGS it\n"
"starts COMMAND (its stdin is /dev/null) and follows it.\n"
"\n");
	cmn_opt_print_help(f, rec_opts);
	fprintf(f,
"\n"
"Exit status: 0 recorded and closed cleanly; 1 stopped by an error (what was\n"
"recorded is kept and readable); 2 nothing recorded (bad options, target not\n"
"running or, with --wait, never appeared, trace exists or cannot be created).\n"
"Then run: phocus-analyze report TRACE\n"
"With --check: 0 everything a recording needs works; 1 something it needs\n"
"failed (the verdict says what); 2 bad options.  Run it first on a new\n"
"machine, with and without sudo, and paste its output into bug reports.\n");
}

/* Parses a whole decimal number in [lo, hi], or exits with a usage error. */
static long
opt_long(const char *s, const char *what, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		errx(REC_EXIT_USAGE, "%s must be a whole number from %ld to %ld, not '%s'",
		    what, lo, hi, s);
	return v;
}

/* Joins argv with spaces, for the trace header. */
static char *
join_argv(int argc, char **argv)
{
	size_t n = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	if ((s = malloc(n)) == NULL)
		err(REC_EXIT_FAIL, NULL);
	s[0] = '\0';
	for (int i = 0; i < argc; i++) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

int
main(int argc, char **argv)
{
	struct cmn_getopt g;
	struct rec_opts o = { .name = "Phocus", .interval_ms = 1000 };
	int c, named = 0, rc;
	char *end;

	if (cmn_opt_init(&g, rec_opts, 1) != 0)
		errx(REC_EXIT_FAIL, "too many options for the table");
	o.cmdline = join_argv(argc, argv);
	while ((c = cmn_opt_next(&g, argc, argv)) != -1) {
		switch (c) {
		case 'o': o.output = optarg; break;
		case 'n': o.name = optarg; named = 1; break;
		case 'p': o.pid = (int32_t)opt_long(optarg, "--pid", 1, 0x7fffffff); break;
		case 'i': o.interval_ms = (unsigned)opt_long(optarg, "--interval", 10, 3600000); break;
		case 'd':
			errno = 0;
			o.duration_s = strtod(optarg, &end);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    !(o.duration_s > 0) || o.duration_s > 1e7)
				errx(REC_EXIT_USAGE, "--duration must be a number of "
				    "seconds above 0 and at most 10000000, not '%s'", optarg);
			break;
		case OPT_WAIT: o.wait = 1; break;
		case OPT_PMCMD: o.pm_cmd = optarg; break;
		case OPT_NOPM: o.no_pm = 1; break;
		case OPT_NOIOR: o.no_ioreport = 1; break;
		case OPT_NOCALIB: o.no_calibration = 1; break;
		case OPT_APPVER: o.app_version = optarg; break;
		case OPT_LABEL: o.label = optarg; break;
		case 'f': o.force = 1; break;
		case 'q': o.quiet = 1; break;
		case OPT_CHECK: o.check = 1; break;
		case OPT_JSON: o.json = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V':
			printf("phocus-record %s (trace format %d.%d)\n", PHOCUS_VERSION,
			    PMT_VERSION_MAJOR, PMT_VERSION_MINOR);
			return 0;
		default:
			usage(stderr);
			return REC_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--") != 0)
			errx(REC_EXIT_USAGE, "unexpected argument '%s' (to start a "
			    "command, put it after --)", argv[optind]);
		o.command = argv + optind;
	}
	if ((o.pid > 0) + named + (o.command != NULL) > 1)
		errx(REC_EXIT_USAGE, "give only one of --name, --pid and -- COMMAND");
	if (o.wait && (o.pid > 0 || o.command != NULL))
		errx(REC_EXIT_USAGE, "--wait goes with --name (or the default target)");
	if (o.pm_cmd != NULL && o.no_pm)
		errx(REC_EXIT_USAGE, "--powermetrics-cmd and --no-powermetrics contradict each other");
	if (o.json && !o.check)
		errx(REC_EXIT_USAGE, "--json goes with --check");
	if (o.check && (o.command != NULL || o.output != NULL || o.duration_s > 0 ||
	    o.wait || o.force || o.app_version != NULL))
		errx(REC_EXIT_USAGE, "--check records nothing: it takes -n, -p, -i, "
		    "--powermetrics-cmd, --no-powermetrics, --no-ioreport, "
		    "--no-calibration, --json and -q only");
	o.named = named;
	rc = o.check ? rec_check_run(&o) : rec_run(&o);
	if (fclose(stdout) != 0 && rc == 0)
		err(REC_EXIT_FAIL, "stdout");
	free((char *)o.cmdline);
	return rc;
}
