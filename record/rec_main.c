/*
 * rec_main.c - phocus-record: records what an application (by default
 * Hasselblad Phocus) does to the machine into one compressed trace file.
 * This file only parses the command line; rec_loop.c does the recording.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmtrace.h"
#include "rec_loop.h"

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
"Enter sets a numbered mark.  Stop with Ctrl-C.\n"
"\n"
"  -o, --output FILE        trace file (default: <target>-YYYYmmdd-HHMMSS.pmtrace)\n"
"  -n, --name NAME          follow the running process with this name (default: Phocus)\n"
"  -p, --pid PID            follow this process\n"
"  -- COMMAND ARGS          start COMMAND (its stdin is /dev/null) and follow it\n"
"  -i, --interval MS        sampling interval in ms (default 1000; 10 to 3600000)\n"
"  -d, --duration SEC       stop after SEC seconds\n"
"      --wait               wait for the named target to appear\n"
"      --powermetrics-cmd CMD\n"
"                           record CMD's output as powermetrics data (argv split\n"
"                           on spaces, no shell; default on macOS: powermetrics\n"
"                           -f plist at the same interval)\n"
"      --no-powermetrics    record process and system data only\n"
"      --app-version VER    the target's version for the trace header\n"
"  -f, --force              replace an existing trace file\n"
"  -q, --quiet              no live status line\n"
"  -h, --help               this help\n"
"  -V, --version            version\n"
"\n"
"Exit status: 0 recorded and closed cleanly; 1 stopped by an error (what was\n"
"recorded is kept and readable); 2 nothing recorded (bad options, target not\n"
"running, trace exists).  Then run: phocus-analyze report TRACE\n");
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

enum { OPT_WAIT = 256, OPT_PMCMD, OPT_NOPM, OPT_APPVER };

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "pid", required_argument, NULL, 'p' },
		{ "interval", required_argument, NULL, 'i' },
		{ "duration", required_argument, NULL, 'd' },
		{ "wait", no_argument, NULL, OPT_WAIT },
		{ "powermetrics-cmd", required_argument, NULL, OPT_PMCMD },
		{ "no-powermetrics", no_argument, NULL, OPT_NOPM },
		{ "app-version", required_argument, NULL, OPT_APPVER },
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct rec_opts o = { .name = "Phocus", .interval_ms = 1000 };
	int c, named = 0, rc;
	char *end;

	o.cmdline = join_argv(argc, argv);
	while ((c = getopt_long(argc, argv, "+o:n:p:i:d:fqhV", longopts, NULL)) != -1) {
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
				    "seconds above 0, not '%s'", optarg);
			break;
		case OPT_WAIT: o.wait = 1; break;
		case OPT_PMCMD: o.pm_cmd = optarg; break;
		case OPT_NOPM: o.no_pm = 1; break;
		case OPT_APPVER: o.app_version = optarg; break;
		case 'f': o.force = 1; break;
		case 'q': o.quiet = 1; break;
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
	rc = rec_run(&o);
	if (fclose(stdout) != 0 && rc == 0)
		err(REC_EXIT_FAIL, "stdout");
	free((char *)o.cmdline);
	return rc;
}
