/*
 * rec_ckpm.c - phocus-record --check's look at powermetrics (rec_ckpm.h):
 * runs the command a recording would run (the sampler fallback and the
 * stop are rec_pm.c's, shared with the recording), parses what it printed
 * with the analyzer's powermetrics parser (analyze/powermetrics/pm_parse.c,
 * linked into the recorder for this), and writes the rows.  It writes no
 * trace.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "platform.h"
#include "pm_parse.h"
#include "pmtrace.h"
#include "rec_ckpm.h"
#include "rec_pmcmd.h"

#define NS_PER_MS 1000000ull
#define CKPM_QUIET_NS (150 * NS_PER_MS)	/* a text sample is complete after this */
#define CKPM_SAMPLES 2			/* samples looked at */

/* A sample as the parser reads it (large: not on the stack). */
static struct pm_sample parsed_sample;

/* Bytes that came before the first sample: the preamble, or garbage. */
static char preamble[120];

/* Keeps the start of the preamble, printable characters only. */
static void
ckpm_keep_preamble(const uint8_t *p, size_t n)
{
	size_t o = strlen(preamble);

	for (size_t i = 0; i < n && o + 1 < sizeof(preamble); i++)
		if (p[i] >= 0x20 && p[i] < 0x7f)
			preamble[o++] = (char)p[i];
		else if (o > 0 && preamble[o - 1] != ' ')
			preamble[o++] = ' ';
	while (o > 0 && preamble[o - 1] == ' ')
		o--;
	preamble[o] = '\0';
}

/* rec_pm's tap: judges each sample as it is stored. */
static void
ckpm_tap(void *arg, const uint8_t *p, size_t n, uint32_t flags)
{
	struct rec_ckpm *c = arg;
	enum pm_format want = (enum pm_format)c->want;
	enum pm_format got;
	char err[160];

	if (flags & PMT_PM_PREAMBLE) {
		ckpm_keep_preamble(p, n);
		return;
	}
	if (pmt_pm_blank(p, n))
		return;
	c->units++;
	got = pm_detect(p, n);
	if (want != PM_FORMAT_UNKNOWN && got != want) {
		c->other_format++;
		if (c->first_err[0] == '\0')
			snprintf(c->first_err, sizeof(c->first_err), "a sample in %s "
			    "format where %s was asked for", pm_format_name(got),
			    pm_format_name(want));
		return;
	}
	if (pm_parse_sample(p, n, &parsed_sample, err, sizeof(err)) != 0) {
		if (c->first_err[0] == '\0')
			snprintf(c->first_err, sizeof(c->first_err), "%s", err);
		return;
	}
	c->parsed++;
	c->format_seen = (int)got;
	c->cpu_w = parsed_sample.cpu_power_w;
	c->gpu_w = parsed_sample.gpu_power_w;
	c->ane_w = parsed_sample.ane_power_w;
}

/*
 * The format cmd asks for: plist with -f plist, text with -f text or from
 * powermetrics itself without -f (its default), else either (a stand-in).
 */
static enum pm_format
ckpm_format(const char *cmd)
{
	const char *sp = strchr(cmd, ' '), *base = cmd;

	if (strstr(cmd, " -f plist") || strstr(cmd, " --format plist") ||
	    strstr(cmd, " --format=plist"))
		return PM_FORMAT_PLIST;
	if (strstr(cmd, " -f text") || strstr(cmd, " --format text") ||
	    strstr(cmd, " --format=text"))
		return PM_FORMAT_TEXT;
	for (const char *p = cmd; *p != '\0' && (sp == NULL || p < sp); p++)
		if (*p == '/')
			base = p + 1;
	return strncmp(base, "powermetrics", 12) == 0 && (base[12] == ' ' ||
	    base[12] == '\0') ? PM_FORMAT_TEXT : PM_FORMAT_UNKNOWN;
}

void
rec_ckpm_begin(struct rec_ckpm *c, const char *cmd, int given)
{
	memset(c, 0, sizeof(*c));
	preamble[0] = '\0';
	snprintf(c->asked, sizeof(c->asked), "%s", cmd);
	snprintf(c->cmd, sizeof(c->cmd), "%s", cmd);
	c->given = given;
	c->want = (int)ckpm_format(cmd);
	c->cpu_w = c->gpu_w = c->ane_w = NAN;
	c->pm.pid = -1;
	c->pm.out_fd = c->pm.err_fd = -1;
	c->pm.tap = ckpm_tap;
	c->pm.tap_arg = c;
	c->t_start = platform_now_ns();
	c->start_rc = rec_pm_start_dropping(&c->pm, c->cmd, &c->drops);
}

/* ns since the start. */
static uint64_t
ckpm_t(const struct rec_ckpm *c)
{
	uint64_t n = platform_now_ns();

	return n > c->t_start ? n - c->t_start : 0;
}

void
rec_ckpm_finish(struct rec_ckpm *c, unsigned wait_ms)
{
	uint64_t t;
	int rc;

	c->wait_ms = wait_ms;
	if (c->start_rc != 0)
		return;
	while (c->pm.out_fd >= 0) {
		struct pollfd pfd = { c->pm.out_fd, POLLIN, 0 };
		t = ckpm_t(c);
		if ((rc = rec_pm_read(&c->pm, NULL, t)) != 0) {
			c->ended = rc == 1;
			break;
		}
		(void)rec_pm_quiet(&c->pm, NULL, t, CKPM_QUIET_NS);
		if (c->units >= CKPM_SAMPLES || t >= wait_ms * NS_PER_MS)
			break;
		(void)poll(&pfd, 1, 50);
	}
	c->ended |= c->pm.reaped;
	(void)rec_pm_stop(&c->pm, NULL, ckpm_t(c), 1000);
	c->stopped = c->pm.reaped;
}

/* The command row: what runs, and what a recording runs. */
static void
ckpm_row_command(const struct rec_ckpm *c, struct rec_ckrows *t, int needed)
{
	struct rec_ck_row *r = rec_ckrows_add(t, "powermetrics command", needed,
	    REC_CK_PASS, "%s%s", c->asked, c->given ? " (from --powermetrics-cmd)" : "");

	rec_ckrows_str(r, "command", c->asked);
	rec_ckrows_str(r, "run", c->cmd);
}

/* The started row. */
static void
ckpm_row_started(const struct rec_ckpm *c, struct rec_ckrows *t, int needed)
{
	struct rec_ck_row *r;

	if (c->start_rc == 0) {
		r = rec_ckrows_add(t, "powermetrics start", needed, REC_CK_PASS,
		    "started as pid %d", (int)c->pm.pid);
		rec_ckrows_num(r, "pid", c->pm.pid);
		return;
	}
	r = rec_ckrows_add(t, "powermetrics start", needed, REC_CK_FAIL,
	    "cannot run it: %s", strerror(-c->start_rc));
	rec_ckrows_advise(r, "%s", c->given ? "check the program named in "
	    "--powermetrics-cmd (no shell: the first word is run, searched in PATH)" :
	    "powermetrics comes with macOS at /usr/bin/powermetrics: is this macOS?");
}

/* The samplers row. */
static void
ckpm_row_samplers(const struct rec_ckpm *c, struct rec_ckrows *t, int needed)
{
	struct rec_ck_row *r;

	if (c->start_rc != 0)
		return;
	if (c->drops.dropped[0] == '\0') {
		int named = rec_pmcmd_has_samplers(c->cmd);
		if (named && c->parsed == 0)
			rec_ckrows_add(t, "powermetrics samplers", needed, REC_CK_SKIP,
			    "not known: no sample came");
		else
			rec_ckrows_add(t, "powermetrics samplers", needed, REC_CK_PASS, "%s",
			    named ? "all accepted" : "the command names no samplers");
		return;
	}
	r = rec_ckrows_add(t, "powermetrics samplers", needed, REC_CK_PASS,
	    "refused %s (it said: %s); a recording runs without: %s", c->drops.dropped,
	    c->drops.refusal, c->cmd);
	rec_ckrows_str(r, "dropped", c->drops.dropped);
}

/* How it ended, for the samples row: "; it exited: exit status 1: ...". */
static void
ckpm_how(const struct rec_ckpm *c, char *buf, size_t len)
{
	char how[320];

	buf[0] = '\0';
	if (c->ended && c->pm.reaped) {
		rec_pm_describe_end(&c->pm, how, sizeof(how));
		snprintf(buf, len, "; it ended by itself: %s", how);
	} else if (c->pm.errtext[0] != '\0') {
		snprintf(buf, len, "; it said: %.*s", (int)strcspn(c->pm.errtext, "\n"),
		    c->pm.errtext);
	}
}

/* Appends " CPU 1.23 W" for a power the sample printed. */
static size_t
ckpm_watts(char *buf, size_t len, size_t o, const char *what, double w)
{
	if (isnan(w) || o >= len)
		return o;
	return o + (size_t)snprintf(buf + o, len - o, ", %s %.3f W", what, w);
}

/* The samples row when no sample was in the expected format. */
static void
ckpm_row_nosamples(const struct rec_ckpm *c, struct rec_ckrows *t, int needed,
    int was_root, const char *how)
{
	unsigned wait_s = c->wait_ms / 1000;
	struct rec_ck_row *r;
	int sudo = !was_root && !c->given;

	if (c->units > 0)
		r = rec_ckrows_add(t, "powermetrics samples", needed,
		    sudo ? REC_CK_SKIP : REC_CK_FAIL, "%u sample%s, none parsed: %s%s",
		    c->units, c->units == 1 ? "" : "s", c->first_err, how);
	else
		r = rec_ckrows_add(t, "powermetrics samples", needed,
		    sudo ? REC_CK_SKIP : REC_CK_FAIL, "no sample%s%s%s%s", preamble[0] ?
		    "; it printed: \"" : "", preamble, preamble[0] ? "\"" : "", how);
	if (sudo)
		rec_ckrows_advise(r, "powermetrics needs root: run sudo phocus-record "
		    "--check to check it (GPU, ANE and CPU power without sudo come from "
		    "IOReport)");
	else if (c->units > 0 || preamble[0] != '\0')
		rec_ckrows_advise(r, "its output is not powermetrics output as asked: "
		    "check the command (phocus-analyze reads powermetrics text and "
		    "-f plist)");
	else if (c->ended && !was_root && strstr(how, "superuser") != NULL)
		rec_ckrows_advise(r, "powermetrics needs root: run sudo phocus-record "
		    "--check");
	else if (c->ended)
		rec_ckrows_advise(r, "run the command by hand to see why it stops%s",
		    was_root ? "" : " (powermetrics needs sudo)");
	else
		rec_ckrows_advise(r, "it printed nothing in %u s: run the command by hand",
		    wait_s);
}

/* The samples row. */
static void
ckpm_row_samples(const struct rec_ckpm *c, struct rec_ckrows *t, int needed, int was_root)
{
	struct rec_ck_row *r;
	char how[400], w[160];
	size_t o = 0;

	if (c->start_rc != 0)
		return;
	ckpm_how(c, how, sizeof(how));
	if (c->parsed == 0) {
		ckpm_row_nosamples(c, t, needed, was_root, how);
		return;
	}
	w[0] = '\0';
	o = ckpm_watts(w, sizeof(w), o, "CPU", c->cpu_w);
	o = ckpm_watts(w, sizeof(w), o, "GPU", c->gpu_w);
	(void)ckpm_watts(w, sizeof(w), o, "ANE", c->ane_w);
	r = rec_ckrows_add(t, "powermetrics samples", needed,
	    c->parsed == c->units ? REC_CK_PASS : REC_CK_FAIL,
	    "%u of %u sample%s parsed as %s%s%s%s%s", c->parsed, c->units,
	    c->units == 1 ? "" : "s", pm_format_name(c->format_seen), w,
	    c->parsed == c->units ? "" : "; ", c->first_err, how);
	if (c->parsed != c->units)
		rec_ckrows_advise(r, "please report this with the row above: "
		    "phocus-analyze may not read every sample of this macOS");
	rec_ckrows_num(r, "samples", c->units);
	rec_ckrows_num(r, "parsed", c->parsed);
	rec_ckrows_num(r, "cpu_w", c->cpu_w);
	rec_ckrows_num(r, "gpu_w", c->gpu_w);
	rec_ckrows_num(r, "ane_w", c->ane_w);
}

/* The stopped row. */
static void
ckpm_row_stopped(const struct rec_ckpm *c, struct rec_ckrows *t, int needed)
{
	struct rec_ck_row *r;
	char how[320];

	if (c->start_rc != 0)
		return;
	if (!c->stopped) {
		r = rec_ckrows_add(t, "powermetrics stop", needed, REC_CK_FAIL,
		    "still running 1 s after its pipe was closed and SIGTERM sent (pid %d)",
		    (int)c->pm.pid);
		rec_ckrows_advise(r, "end it: sudo kill %d; and please report this",
		    (int)c->pm.pid);
		return;
	}
	rec_pm_describe_end(&c->pm, how, sizeof(how));
	rec_ckrows_add(t, "powermetrics stop", needed, REC_CK_PASS, "%s: %s",
	    c->ended ? "had ended by itself" : "stopped", how);
}

void
rec_ckpm_rows(struct rec_ckpm *c, struct rec_ckrows *t, int needed, int was_root)
{
	ckpm_row_command(c, t, needed);
	ckpm_row_started(c, t, needed);
	ckpm_row_samplers(c, t, needed);
	ckpm_row_samples(c, t, needed, was_root);
	ckpm_row_stopped(c, t, needed);
}
