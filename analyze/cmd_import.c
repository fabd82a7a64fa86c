/*
 * cmd_import.c - "phocus-analyze import": turns a saved powermetrics log
 * (text or plist stream) into a trace, so it can be analyzed like a
 * recording.  The log is stored byte for byte; sample times come from each
 * sample's own elapsed time, since a log has no receive times.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "an_cmd.h"
#include "cmn_file.h"
#include "powermetrics/pm_parse.h"
#include "pmtrace.h"

struct import {
	const char *in, *out;
	uint8_t *data;
	size_t len;
	char model[64], os[32];
	double first_ts, first_elapsed_ms;
	pmt_writer *w;
	uint64_t t;			/* ns: end of the last sample */
	size_t samples, bad;
};

/* Reads the whole input file.  Returns 0 or -1 (said why). */
static int
import_read(struct import *im)
{
	char *data;
	int e = cmn_file_read(im->in, CMN_FILE_NO_CAP, 0, &data, &im->len);

	if (e != 0) {
		warnx("%s: %s", im->in, strerror(-e));
		return -1;
	}
	im->data = (uint8_t *)data;
	return 0;
}

/* Looks at the preamble and first sample for the machine and the times. */
static int
import_scan(struct import *im)
{
	static struct pm_sample s;
	size_t off = 0, n;
	int pre;

	im->first_ts = im->first_elapsed_ms = NAN;
	if (pm_detect(im->data, im->len) == PM_FORMAT_UNKNOWN) {
		warnx("%s: not powermetrics output (neither its text nor a plist stream)",
		    im->in);
		return -1;
	}
	while (off < im->len && (n = pmt_pm_split(im->data + off, im->len - off, 1, &pre)) > 0) {
		if (pre)
			pm_parse_preamble(im->data + off, n, im->model, sizeof(im->model),
			    im->os, sizeof(im->os));
		else if (pm_parse_sample(im->data + off, n, &s, NULL, 0) == 0 && !s.is_summary) {
			im->first_ts = s.timestamp;
			im->first_elapsed_ms = s.elapsed_ms;
			if (im->model[0] == '\0')
				snprintf(im->model, sizeof(im->model), "%s", s.hw_model);
			if (im->os[0] == '\0')
				snprintf(im->os, sizeof(im->os), "%s", s.os_build);
			break;
		}
		off += n;
	}
	return 0;
}

/*
 * A sample's length in ms as printed, or 1000 when it printed none or one no
 * powermetrics run can have (beyond a day: a damaged log).
 */
static double
import_elapsed_ms(double ms)
{
	return ms > 0 && ms <= 86400000.0 ? ms : 1000;
}

/* Starts the trace with a header describing the import. */
static int
import_begin(struct import *im, int fd)
{
	struct pmt_header h;
	char writer[64], cmd[1024], target[256];
	double el = import_elapsed_ms(im->first_elapsed_ms);
	double wall = im->first_ts - el / 1e3;
	const char *b = strrchr(im->in, '/');

	snprintf(writer, sizeof(writer), "phocus-analyze %s import", PHOCUS_VERSION);
	snprintf(cmd, sizeof(cmd), "phocus-analyze import %s -o %s", im->in, im->out);
	snprintf(target, sizeof(target), "powermetrics log %s", b ? b + 1 : im->in);
	pmt_header_init(&h);
	h.writer = writer;
	h.command_line = cmd;
	h.platform = "import";
	h.os_name = "macOS";
	h.os_build = im->os;
	h.model = im->model;
	h.target_name = target;
	/* a date from 1970 to 2200 (as the loader accepts), else none */
	h.wall_anchor_ns = wall > 0 && wall < 7258118400.0 ? (uint64_t)(wall * 1e9) : 0;
	h.interval_ns = (uint64_t)llround(el * 1e6);
	h.pm_command = "(imported log)";
	h.cpu_time_num = h.cpu_time_den = 1;
	if (pmt_writer_open(&im->w, fd, NULL) != 0 || pmt_write_header(im->w, &h) != 0 ||
	    pmt_write_clock(im->w, 0, h.wall_anchor_ns, 0) != 0)
		return -1;
	return 0;
}

/* Writes every unit of the log as a PM record at its end time. */
static int
import_units(struct import *im)
{
	static struct pm_sample s;
	size_t off = 0, n;
	int pre;

	while (off < im->len && (n = pmt_pm_split(im->data + off, im->len - off, 1, &pre)) > 0) {
		uint32_t flags = pre ? PMT_PM_PREAMBLE : 0;
		/* no sample: the preamble, or separators at the end */
		int none = pre || pmt_pm_blank(im->data + off, n);
		if (!none && pm_parse_sample(im->data + off, n, &s, NULL, 0) == 0) {
			if (!s.is_summary)
				im->t += (uint64_t)llround(import_elapsed_ms(s.elapsed_ms) * 1e6);
			im->samples++;
		} else if (!none)
			im->bad++;
		if (pmt_write_pm(im->w, im->t, flags, im->data + off, n) != 0)
			return -1;
		off += n;
	}
	return 0;
}

static int cmd_import(int argc, char **argv);

static const struct cmn_opt import_opts[] = {
	{ 'o', "output", "TRACE", CMN_OPT_NOSYN, "the trace to write (required)" },
	{ 'f', "force", NULL, 0, "replace TRACE if it exists" },
	CMN_OPT_HELP,
	CMN_OPT_END
};

const struct an_command an_command_import = {
	"import", cmd_import, "FILE -o TRACE",
	"turn a saved powermetrics log into a trace",
	"Turns a saved powermetrics log (text, or -f plist) into a trace.\n",
	import_opts
};

static int
cmd_import(int argc, char **argv)
{
	struct import im = { 0 };
	int c, force = 0, fd, rc = AN_EXIT_FAIL;

	while ((c = an_cmd_getopt(&an_command_import, argc, argv)) != -1) {
		if (c == 'o')
			im.out = optarg;
		else if (c == 'f')
			force = 1;
		else
			return c == 'h' ? AN_EXIT_OK : AN_EXIT_USAGE;
	}
	if (optind + 1 != argc || im.out == NULL) {
		warnx(im.out == NULL ? "import: -o TRACE, please" : optind >= argc ?
		    "import: which file?" : "import: one file at a time");
		an_cmd_usage(stderr, &an_command_import);
		return AN_EXIT_USAGE;
	}
	im.in = argv[optind];
	if (import_read(&im) != 0 || import_scan(&im) != 0)
		goto out;
	fd = open(im.out, O_WRONLY | O_CREAT | O_NOFOLLOW | (force ? O_TRUNC : O_EXCL), 0644);
	if (fd < 0) {
		warnx("cannot create %s: %s%s", im.out, strerror(errno),
		    errno == EEXIST ? " (use --force to replace it)" : "");
		rc = errno == EEXIST ? AN_EXIT_USAGE : AN_EXIT_FAIL;
		goto out;
	}
	if (import_begin(&im, fd) != 0 || import_units(&im) != 0 ||
	    pmt_writer_close(im.w, im.t, PMT_END_INPUT) != 0) {
		warnx("%s: cannot write the trace", im.out);
		im.w = NULL;
		close(fd);
		goto out;
	}
	im.w = NULL;
	if (close(fd) != 0) {
		warn("%s", im.out);
		goto out;
	}
	printf("Imported %zu powermetrics samples (%zu bytes) from %s into %s%s\n",
	    im.samples, im.len, im.in, im.out, im.bad ? " (some could not be parsed)" : "");
	rc = AN_EXIT_OK;
out:
	if (im.w != NULL)
		pmt_writer_abort(im.w);
	free(im.data);
	return rc;
}
