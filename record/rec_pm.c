/*
 * rec_pm.c - runs powermetrics (or any command standing in for it) and
 * stores its output byte for byte: one PM record per sample, the preamble
 * flagged, nothing dropped.  It only finds sample boundaries (pmt_pm_split)
 * and, for the live status line, peeks at two numbers; all real parsing is
 * the analyzer's.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rec_pm.h"
#include "rec_pmcmd.h"
#include "rec_spawn.h"

extern char **environ;

enum {
	PM_ARGV_MAX = 64,
	PM_PENDING_MAX = 8 << 20	/* write a run-on sample in pieces */
};

int
rec_pm_split_argv(char *cmdline, char **argv, int max)
{
	int n = 0;
	char *save = NULL;

	for (char *w = strtok_r(cmdline, " ", &save); w != NULL && n < max - 1;
	    w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	argv[n] = NULL;
	return n;
}

/* A pipe whose read end is non-blocking; both ends close on exec. */
static int
pm_pipe(int fds[2])
{
	if (pipe(fds) != 0)
		return -errno;
	for (int i = 0; i < 2; i++)
		(void)fcntl(fds[i], F_SETFD, FD_CLOEXEC);
	(void)fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
	return 0;
}

int
rec_pm_start(struct rec_pm *pm, const char *cmdline)
{
	char line[4096], *argv[PM_ARGV_MAX];
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, rc;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;

	pm->pid = -1;
	pm->out_fd = pm->err_fd = -1;
	pm->gpu_w = pm->ane_w = -1;
	snprintf(line, sizeof(line), "%s", cmdline);
	if (rec_pm_split_argv(line, argv, PM_ARGV_MAX) == 0)
		return -EINVAL;
	if ((rc = pm_pipe(out)) != 0 || (rc = pm_pipe(err)) != 0)
		goto fail;
	if ((rc = -rec_spawn_attr_init(&at, POSIX_SPAWN_SETPGROUP)) != 0)
		goto fail;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	posix_spawnattr_setpgroup(&at, 0);
	rc = -posix_spawnp(&pm->pid, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (rc != 0)
		goto fail;
	close(out[1]);
	close(err[1]);
	pm->out_fd = out[0];
	pm->err_fd = err[0];
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (err[i] >= 0)
			close(err[i]);
	}
	pm->pid = -1;
	return rc;
}

/* Finds "key" then the number after it (skipping non-digits briefly). */
static double
pm_peek_number(const uint8_t *p, size_t n, const char *key, double scale)
{
	const uint8_t *k = memmem(p, n, key, strlen(key));
	double v = 0, frac = 0;
	int digits = 0;

	if (k == NULL)
		return -1;
	k += strlen(key);
	for (int skip = 0; k < p + n && skip < 24 && !(*k >= '0' && *k <= '9'); skip++)
		k++;
	for (; k < p + n && *k >= '0' && *k <= '9'; k++, digits++)
		v = v * 10 + (*k - '0');
	if (k < p + n && *k == '.')
		for (double f = 0.1; ++k < p + n && *k >= '0' && *k <= '9'; f /= 10)
			frac += (*k - '0') * f;
	return digits ? (v + frac) * scale : -1;
}

/* Looks at GPU and ANE power in a sample, for the status line only. */
static void
pm_peek(struct rec_pm *pm, const uint8_t *p, size_t n)
{
	double g = pm_peek_number(p, n, "GPU Power:", 1e-3);
	double a = pm_peek_number(p, n, "ANE Power:", 1e-3);

	if (g < 0)
		g = pm_peek_number(p, n, "<key>gpu_power</key>", 1e-3);
	if (a < 0)
		a = pm_peek_number(p, n, "<key>ane_power</key>", 1e-3);
	if (g >= 0)
		pm->gpu_w = g;
	if (a >= 0)
		pm->ane_w = a;
}

/* True if a unit starts a sample (text header, or a plist and its NULs). */
static int
pm_starts_sample(const uint8_t *p, size_t n)
{
	return (n > 0 && (p[0] == '<' || p[0] == '\0')) ||
	    (n >= 5 && memcmp(p, "*** S", 5) == 0);
}

/* Writes the first n pending bytes as one record and drops them. */
static int
pm_emit(struct rec_pm *pm, pmt_writer *w, uint64_t t, size_t n, int is_pre, int quiet)
{
	uint32_t flags = 0;
	int rc;

	if (is_pre && !pm->seen_sample)
		flags = PMT_PM_PREAMBLE;
	else if (is_pre || (pm->after_quiet && !pm_starts_sample(pm->buf, n)))
		flags = PMT_PM_PARTIAL;
	if (w != NULL && (rc = pmt_write_pm(w, t, flags, pm->buf, n)) != 0)
		return rc;
	if (pm->tap != NULL)
		pm->tap(pm->tap_arg, pm->buf, n, flags);
	if (!(flags & PMT_PM_PREAMBLE) && !pmt_pm_blank(pm->buf, n)) {
		pm->seen_sample = 1;
		pm->samples++;
		if (pm->peek)
			pm_peek(pm, pm->buf, n);
	}
	pm->bytes += n;
	pm->after_quiet = quiet;
	memmove(pm->buf, pm->buf + n, pm->len - n);
	pm->len -= n;
	return 0;
}

/* Writes every complete unit in the buffer (all of it at the end). */
static int
pm_flush_units(struct rec_pm *pm, pmt_writer *w, uint64_t t, int at_eof)
{
	int pre, rc;
	size_t n;

	while (pm->len > 0 && (n = pmt_pm_split(pm->buf, pm->len, at_eof, &pre)) > 0)
		if ((rc = pm_emit(pm, w, t, n, pre, 0)) != 0)
			return rc;
	if (pm->len > PM_PENDING_MAX)
		return pm_emit(pm, w, t, pm->len, 1, 0);
	return 0;
}

/* Keeps the first bytes of stderr (the reason it failed, usually). */
static void
pm_read_stderr(struct rec_pm *pm)
{
	char tmp[1024];
	ssize_t k;

	while (pm->err_fd >= 0 && (k = read(pm->err_fd, tmp, sizeof(tmp))) != 0) {
		size_t room = sizeof(pm->errtext) - 1 - pm->errlen;
		if (k < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			break;
		}
		if (room > (size_t)k)
			room = (size_t)k;
		memcpy(pm->errtext + pm->errlen, tmp, room);
		pm->errlen += room;
		pm->errtext[pm->errlen] = '\0';
	}
	close(pm->err_fd);
	pm->err_fd = -1;
}

/*
 * Reads what is there of powermetrics' output into pm->buf, splitting
 * nothing.  Returns 0 when nothing more is there now, 1 at the end of the
 * output (or an error reading it; the descriptor stays open: the end is
 * seen again), or PMT_E_NOMEM.
 */
static int
pm_fill(struct rec_pm *pm, uint64_t t)
{
	while (pm->out_fd >= 0) {
		ssize_t k;
		if (pm->cap - pm->len < 65536) {
			size_t cap = pm->cap ? pm->cap * 2 : 131072;
			uint8_t *p = realloc(pm->buf, cap);
			if (p == NULL)
				return PMT_E_NOMEM;
			pm->buf = p;
			pm->cap = cap;
		}
		k = read(pm->out_fd, pm->buf + pm->len, pm->cap - pm->len);
		if (k > 0) {
			pm->len += (size_t)k;
			pm->last_rx = t;
			continue;
		}
		if (k < 0 && errno == EINTR)
			continue;
		return k < 0 && errno == EAGAIN ? 0 : 1;
	}
	return 1;
}

int
rec_pm_read(struct rec_pm *pm, pmt_writer *w, uint64_t t)
{
	int rc;

	pm_read_stderr(pm);
	if (pm->out_fd < 0)
		return 0;
	if ((rc = pm_fill(pm, t)) < 0)
		return rc;
	if (rc == 0)
		return pm_flush_units(pm, w, t, 0);
	close(pm->out_fd);	/* end of output (or an error reading it) */
	pm->out_fd = -1;
	if ((rc = pm_flush_units(pm, w, t, 1)) != 0)
		return rc;
	return 1;
}

int
rec_pm_quiet(struct rec_pm *pm, pmt_writer *w, uint64_t t, uint64_t quiet_ns)
{
	int pre = 0;

	if (pm->len == 0 || t - pm->last_rx < quiet_ns)
		return 0;
	(void)pmt_pm_split(pm->buf, pm->len, 1, &pre);
	return pm_emit(pm, w, t, pm->len, pre, 1);
}

int
rec_pm_exited_early(struct rec_pm *pm, unsigned wait_ms, char *said, size_t len)
{
	size_t n, k;

	if (len > 0)
		said[0] = '\0';
	if (pm->pid <= 0 || !rec_pm_reap(pm, wait_ms))
		return 0;
	pm_read_stderr(pm);
	n = (size_t)snprintf(said, len, "%s", pm->errtext);
	if (n < len && pm->out_fd >= 0 && pm_fill(pm, pm->last_rx) >= 0) {
		k = pm->len < len - n - 1 ? pm->len : len - n - 1;
		memcpy(said + n, pm->buf, k);	/* the output stays for rec_pm_read */
		said[n + k] = '\0';
	}
	return 1;
}

int
rec_pm_start_dropping(struct rec_pm *pm, char *cmdline, struct rec_pm_drops *d)
{
	char said[512], name[64];
	size_t n;
	int rc;

	for (int tries = 0;; tries++) {
		if ((rc = rec_pm_start(pm, cmdline)) != 0 || tries == REC_PM_DROP_MAX ||
		    !rec_pmcmd_has_samplers(cmdline) ||
		    !rec_pm_exited_early(pm, REC_PM_EARLY_MS, said, sizeof(said)) ||
		    rec_pmcmd_refused(said, strlen(said), name, sizeof(name)) != 0 ||
		    rec_pmcmd_drop(cmdline, name) != 0)
			return rc;
		n = strlen(d->dropped);
		snprintf(d->dropped + n, sizeof(d->dropped) - n, "%s%s",
		    n ? "," : "", name);
		if (d->refusal[0] == '\0')
			snprintf(d->refusal, sizeof(d->refusal), "%.*s",
			    (int)strcspn(said, "\n"), said);
		rec_pm_discard(pm);
	}
}

void
rec_pm_discard(struct rec_pm *pm)
{
	int peek = pm->peek;
	void (*tap)(void *, const uint8_t *, size_t, uint32_t) = pm->tap;
	void *tap_arg = pm->tap_arg;

	if (pm->out_fd >= 0)
		close(pm->out_fd);
	if (pm->err_fd >= 0)
		close(pm->err_fd);
	free(pm->buf);
	memset(pm, 0, sizeof(*pm));
	pm->pid = -1;
	pm->out_fd = pm->err_fd = -1;
	pm->gpu_w = pm->ane_w = -1;
	pm->peek = peek;
	pm->tap = tap;
	pm->tap_arg = tap_arg;
}

int
rec_pm_reap(struct rec_pm *pm, unsigned wait_ms)
{
	struct timespec ts = { 0, 10 * 1000000 };

	if (pm->pid <= 0 || pm->reaped)
		return pm->reaped;
	for (unsigned waited = 0;; waited += 10) {
		pid_t r = waitpid(pm->pid, &pm->status, WNOHANG);
		if (r == pm->pid || (r < 0 && errno == ECHILD)) {
			pm->reaped = 1;
			return 1;
		}
		if (waited >= wait_ms)
			return 0;
		nanosleep(&ts, NULL);
	}
}

int
rec_pm_stop(struct rec_pm *pm, pmt_writer *w, uint64_t t, unsigned wait_ms)
{
	int rc = 0;

	if (pm->out_fd >= 0) {
		rc = rec_pm_read(pm, w, t);
		if (rc < 0)
			return rc;
		if (pm->out_fd >= 0) {
			close(pm->out_fd);	/* it dies of SIGPIPE at its next write */
			pm->out_fd = -1;
		}
	}
	if (pm->len > 0 && (rc = pm_flush_units(pm, w, t, 1)) != 0)
		return rc;
	if (pm->pid > 0 && !pm->reaped) {
		(void)kill(pm->pid, SIGTERM);	/* refused when it runs as root */
		rec_pm_reap(pm, wait_ms);
	}
	if (pm->err_fd >= 0)
		pm_read_stderr(pm);
	return 0;
}

void
rec_pm_describe_end(const struct rec_pm *pm, char *buf, size_t len)
{
	char first[200];
	size_t n = strcspn(pm->errtext, "\n");

	snprintf(first, sizeof(first), "%.*s", (int)(n < 199 ? n : 199), pm->errtext);
	if (!pm->reaped)
		snprintf(buf, len, "still running%s%s", first[0] ? ": " : "", first);
	else if (WIFEXITED(pm->status))
		snprintf(buf, len, "exit status %d%s%s", WEXITSTATUS(pm->status),
		    first[0] ? ": " : "", first);
	else if (WIFSIGNALED(pm->status))
		snprintf(buf, len, "killed by signal %d (%s)%s%s", WTERMSIG(pm->status),
		    strsignal(WTERMSIG(pm->status)), first[0] ? ": " : "", first);
	else
		snprintf(buf, len, "ended%s%s", first[0] ? ": " : "", first);
}
