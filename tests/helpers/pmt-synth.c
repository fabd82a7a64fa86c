/*
 * pmt-synth.c - writes a trace from a plain-text description, for tests.
 *
 * usage: pmt-synth IN.txt OUT.pmtrace     (IN may be "-" for stdin)
 *
 * One record per line; blank lines and lines starting with '#' are ignored.
 * Times (t=) are in milliseconds (decimals allowed).  Strings may use the
 * escapes \n \t \\ \| \xNN.  Lines:
 *   options frame_bytes=N flush_ms=N
 *   header KEY=VALUE ...       (keys: see hdr_keys below)
 *   clock t=MS wall_ns=N off=S
 *   proc t=MS | pid=N ppid=N start=N user=N sys=N cuser=N csys=N rss=N
 *        footprint=N pss=N threads=N rd=N wr=N gpu=N energy=N cpu_ns=N
 *        name=TEXT | ...
 *   sys t=MS swap_used=N swap_total=N ram_total=N ram_avail=N ticks=CxS:a,b,...
 *   pm t=MS flags=N file=PATH      (the file's bytes)  or  text=TEXT
 *   mark t=MS n=N label=TEXT       (label: rest of the line)
 *   event t=MS kind=N value=N msg=TEXT
 *   iorch t=MS | KIND;GROUP;SUBGROUP;NAME;UNIT[;STATE,STATE...] | ...
 *                                  (IOReport channel table; KIND simple|state)
 *   ior t=MS read_ns=N v=A,B,... missing=I,J,...   (one IOReport reading)
 *   tick t=MS                      (the writer's timer: flush, frame rotation)
 *   end t=MS reason=N
 * A trace without an `end` line is left unfinished (as after SIGKILL).
 * Test tool only: it trusts its input and stops at the first bad line.
 */
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pmtrace.h"

static char strpool[1 << 16];
static size_t strpool_used;

/* Unescapes s (up to its end) into the string pool; returns the copy. */
static char *
unescape(const char *s, size_t n, size_t *outlen)
{
	char *o = strpool + strpool_used, *q = o;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 == n) {
			*q++ = s[i];
			continue;
		}
		switch (s[++i]) {
		case 'n': *q++ = '\n'; break;
		case 't': *q++ = '\t'; break;
		case 'r': *q++ = '\r'; break;
		case 'x':
			if (i + 2 < n) {
				char h[3] = { s[i + 1], s[i + 2], 0 };
				*q++ = (char)strtol(h, NULL, 16);
				i += 2;
			}
			break;
		default: *q++ = s[i];
		}
	}
	*q = '\0';
	*outlen = (size_t)(q - o);
	strpool_used += *outlen + 1;
	if (strpool_used > sizeof(strpool) - 4096)
		errx(2, "string pool full");
	return o;
}

/* Finds "key=" in line; returns a pointer to its value or NULL. */
static const char *
val(const char *line, const char *key)
{
	size_t k = strlen(key);

	for (const char *p = line; (p = strstr(p, key)) != NULL; p++)
		if ((p == line || p[-1] == ' ') && p[k] == '=')
			return p + k + 1;
	return NULL;
}

static uint64_t
num(const char *line, const char *key, uint64_t def)
{
	const char *v = val(line, key);

	return v ? strtoull(v, NULL, 0) : def;
}

static int64_t
snum(const char *line, const char *key, int64_t def)
{
	const char *v = val(line, key);

	return v ? strtoll(v, NULL, 0) : def;
}

static uint64_t
ms(const char *line)
{
	const char *v = val(line, "t");

	return v ? (uint64_t)(strtod(v, NULL) * 1e6 + 0.5) : 0;
}

/* A string value that runs to the end of the line (or to " | "). */
static char *
text(const char *line, const char *key, size_t *len)
{
	const char *v = val(line, key), *e;

	if (v == NULL) {
		*len = 0;
		return NULL;
	}
	e = strstr(v, " | ");
	if (e == NULL)
		e = v + strcspn(v, "\n");
	return unescape(v, (size_t)(e - v), len);
}

/* A string value up to the next space. */
static char *
word(const char *line, const char *key)
{
	const char *v = val(line, key);
	size_t n;

	if (v == NULL)
		return NULL;
	return unescape(v, strcspn(v, " \n"), &n);
}

static void
do_header(pmt_writer *w, const char *l)
{
	struct pmt_header h;

	pmt_header_init(&h);
	h.writer = word(l, "writer");
	h.command_line = word(l, "cmdline");
	h.host = word(l, "host");
	h.platform = word(l, "platform");
	h.os_name = word(l, "os_name");
	h.os_version = word(l, "os_version");
	h.os_build = word(l, "os_build");
	h.chip = word(l, "chip");
	h.model = word(l, "model");
	h.ane_cores_source = word(l, "ane_source");
	h.target_name = word(l, "target");
	h.target_version = word(l, "target_version");
	h.core_tick_states = word(l, "tick_states");
	h.costly_what = word(l, "costly");
	h.pm_command = word(l, "pm_command");
	h.timezone = word(l, "timezone");
	h.core_levels = word(l, "core_levels");
	h.os_version_raw = word(l, "os_raw");
	h.os_release = word(l, "os_release");
	h.os_compat = snum(l, "os_compat", -1);
	h.cores_p = snum(l, "cores_p", -1);
	h.cores_e = snum(l, "cores_e", -1);
	h.cpus_logical = snum(l, "cpus", -1);
	h.gpu_cores = snum(l, "gpu_cores", -1);
	h.ane_cores = snum(l, "ane_cores", -1);
	h.target_pid = snum(l, "target_pid", -1);
	h.utc_offset_s = snum(l, "utc_offset", 0);
	h.ram_bytes = num(l, "ram", 0);
	h.page_size = num(l, "page_size", 4096);
	h.mono_anchor_ns = num(l, "mono", 0);
	h.wall_anchor_ns = num(l, "wall", 1700000000000000000ull);
	h.interval_ns = num(l, "interval_ms", 1000) * 1000000;
	h.cpu_time_num = num(l, "num", 1000000000);
	h.cpu_time_den = num(l, "den", 100);
	h.core_tick_hz = num(l, "tick_hz", 100);
	h.costly_every_ns = num(l, "costly_every_ms", 0) * 1000000;
	if (pmt_write_header(w, &h) != 0)
		errx(2, "header refused");
}

/* One row "pid=... name=..." (up to " | " or the end) into *r. */
static void
proc_row(const char *s, struct pmt_proc *r)
{
	static const struct { const char *k; int f; } keys[] = {
		{ "ppid", PMT_F_PPID }, { "start", PMT_F_START },
		{ "user", PMT_F_USER }, { "sys", PMT_F_SYSTEM },
		{ "cuser", PMT_F_CHILD_USER }, { "csys", PMT_F_CHILD_SYSTEM },
		{ "rss", PMT_F_RSS }, { "footprint", PMT_F_FOOTPRINT },
		{ "pss", PMT_F_PSS }, { "threads", PMT_F_THREADS },
		{ "rd", PMT_F_READ_BYTES }, { "wr", PMT_F_WRITE_BYTES },
		{ "gpu", PMT_F_GPU_NS }, { "energy", PMT_F_CPU_ENERGY_NJ },
		{ "cpu_ns", PMT_F_CPU_NS },
	};
	char row[4096];
	const char *e = strstr(s, " | ");
	size_t n = e ? (size_t)(e - s) : strlen(s);

	if (n >= sizeof(row))
		errx(2, "row too long");
	memcpy(row, s, n);
	row[n] = '\0';
	memset(r, 0, sizeof(*r));
	r->pid = (int32_t)snum(row, "pid", 0);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (val(row, keys[i].k) != NULL) {
			r->v[keys[i].f] = num(row, keys[i].k, 0);
			r->have |= PMT_HAVE(keys[i].f);
		}
	if (val(row, "name") != NULL) {
		r->name = text(row, "name", &r->name_len);
		r->have |= PMT_HAVE(PMT_F_NAME);
	}
}

static void
do_proc(pmt_writer *w, const char *l)
{
	struct pmt_proc rows[256];
	size_t n = 0;

	for (const char *p = strstr(l, " | "); p != NULL && n < 256;
	    p = strstr(p + 3, " | "))
		proc_row(p + 3, &rows[n++]);
	if (pmt_write_proc(w, ms(l), rows, n) != 0)
		errx(2, "proc refused");
}

static void
do_sys(pmt_writer *w, const char *l)
{
	static const char *keys[] = { "swap_used", "swap_total", "ram_total", "ram_avail" };
	static uint64_t ticks[4096];
	struct pmt_sys s;
	const char *t = val(l, "ticks");

	memset(&s, 0, sizeof(s));
	for (int f = 0; f < 4; f++)
		if (val(l, keys[f]) != NULL) {
			s.v[f] = num(l, keys[f], 0);
			s.have |= PMT_HAVE(f);
		}
	if (t != NULL) {
		char *e;
		s.ncpu = (uint32_t)strtoul(t, &e, 10);
		s.nstates = (uint32_t)strtoul(e + 1, &e, 10);
		for (size_t i = 0; i < (size_t)s.ncpu * s.nstates && i < 4096; i++)
			ticks[i] = strtoull(e + 1, &e, 10);
		s.ticks = ticks;
		s.have |= PMT_HAVE(PMT_S_TICKS);
	}
	if (pmt_write_sys(w, ms(l), &s) != 0)
		errx(2, "sys refused");
}

static void
do_pm(pmt_writer *w, const char *l)
{
	const char *f = word(l, "file");
	size_t n = 0;
	char *data;

	if (f != NULL) {
		FILE *fp = fopen(f, "rb");
		if (fp == NULL)
			err(2, "%s", f);
		data = malloc(1 << 24);
		n = fread(data, 1, 1 << 24, fp);
		fclose(fp);
		if (pmt_write_pm(w, ms(l), (uint32_t)num(l, "flags", 0), data, n) != 0)
			errx(2, "pm refused");
		free(data);
		return;
	}
	data = text(l, "text", &n);
	if (pmt_write_pm(w, ms(l), (uint32_t)num(l, "flags", 0), data, n) != 0)
		errx(2, "pm refused");
}

/* Splits s (len n) at sep into at most max unescaped parts; returns count. */
static size_t
split(const char *s, size_t n, char sep, char **out, size_t max)
{
	size_t k = 0, len;

	while (k < max) {
		const char *e = memchr(s, sep, n);
		size_t m = e ? (size_t)(e - s) : n;
		out[k++] = unescape(s, m, &len);
		if (e == NULL)
			break;
		n -= m + 1;
		s = e + 1;
	}
	return k;
}

static void
do_iorch(pmt_writer *w, const char *l)
{
	static struct pmt_ior_channel ch[64];
	static char *states[64][64];
	size_t n = 0;

	for (const char *p = strstr(l, " | "); p != NULL && n < 64; p = strstr(p + 3, " | ")) {
		const char *e = strstr(p + 3, " | ");
		size_t len = e ? (size_t)(e - p - 3) : strcspn(p + 3, "\n");
		char *f[6] = { 0 };
		size_t k = split(p + 3, len, ';', f, 6);
		struct pmt_ior_channel *c = &ch[n];

		if (k < 5)
			errx(2, "iorch: KIND;GROUP;SUBGROUP;NAME;UNIT[;STATES]");
		memset(c, 0, sizeof(*c));
		c->kind = strcmp(f[0], "state") == 0 ? PMT_IOR_STATE : PMT_IOR_SIMPLE;
		c->group = f[1];
		c->subgroup = f[2];
		c->name = f[3];
		c->unit = f[4];
		c->nvalues = 1;
		if (k == 6) {
			c->nstates = (uint32_t)split(f[5], strlen(f[5]), ',', states[n], 64);
			c->states = (const char *const *)states[n];
			c->nvalues = c->nstates;
		}
		n++;
	}
	if (pmt_write_ior_channels(w, ms(l), ch, n) != 0)
		errx(2, "iorch refused");
}

/* A comma-separated list of numbers after key=, into v (at most max). */
static size_t
numbers(const char *l, const char *key, uint64_t *v, size_t max)
{
	const char *p = val(l, key);
	size_t n = 0;
	char *e;

	while (p != NULL && n < max && *p >= '0' && *p <= '9') {
		v[n++] = strtoull(p, &e, 0);
		p = *e == ',' ? e + 1 : NULL;
	}
	return n;
}

static void
do_ior(pmt_writer *w, const char *l)
{
	static uint64_t v[PMT_IOR_MAX_VALUES], m64[PMT_IOR_MAX_CHANNELS];
	static uint32_t miss[PMT_IOR_MAX_CHANNELS];
	struct pmt_ior_sample s = { 0 };

	s.read_ns = num(l, "read_ns", 0);
	s.nvalues = numbers(l, "v", v, PMT_IOR_MAX_VALUES);
	s.values = v;
	s.nmissing = numbers(l, "missing", m64, PMT_IOR_MAX_CHANNELS);
	for (size_t i = 0; i < s.nmissing; i++)
		miss[i] = (uint32_t)m64[i];
	s.missing = miss;
	if (pmt_write_ior_sample(w, ms(l), &s) != 0)
		errx(2, "ior refused");
}

int
main(int argc, char **argv)
{
	FILE *in;
	char line[1 << 16];
	pmt_writer *w = NULL;
	struct pmt_writer_opts o = { 0 };
	int fd, ended = 0;

	if (argc != 3)
		errx(2, "usage: pmt-synth IN.txt OUT.pmtrace");
	in = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "r");
	if (in == NULL)
		err(2, "%s", argv[1]);
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		err(2, "%s", argv[2]);
	while (fgets(line, sizeof(line), in) != NULL) {
		char cmd[16] = "";
		if (line[0] == '#' || sscanf(line, "%15s", cmd) != 1)
			continue;
		if (strcmp(cmd, "options") == 0) {
			o.frame_max_bytes = num(line, "frame_bytes", 0);
			o.flush_ns = num(line, "flush_ms", 0) * 1000000;
			continue;
		}
		if (w == NULL && pmt_writer_open(&w, fd, &o) != 0)
			errx(2, "cannot start the trace");
		if (strcmp(cmd, "header") == 0)
			do_header(w, line);
		else if (strcmp(cmd, "clock") == 0)
			pmt_write_clock(w, ms(line), num(line, "wall_ns", 0), snum(line, "off", 0));
		else if (strcmp(cmd, "proc") == 0)
			do_proc(w, line);
		else if (strcmp(cmd, "sys") == 0)
			do_sys(w, line);
		else if (strcmp(cmd, "pm") == 0)
			do_pm(w, line);
		else if (strcmp(cmd, "iorch") == 0)
			do_iorch(w, line);
		else if (strcmp(cmd, "ior") == 0)
			do_ior(w, line);
		else if (strcmp(cmd, "mark") == 0) {
			size_t n;
			char *lab = text(line, "label", &n);
			pmt_write_mark(w, ms(line), num(line, "n", 0), lab ? lab : "", n);
		} else if (strcmp(cmd, "event") == 0) {
			size_t n;
			pmt_write_event(w, ms(line), (uint32_t)num(line, "kind", 6),
			    snum(line, "value", 0), text(line, "msg", &n));
		} else if (strcmp(cmd, "tick") == 0)
			pmt_writer_tick(w, ms(line), 0, 0);
		else if (strcmp(cmd, "end") == 0) {
			if (pmt_writer_close(w, ms(line), (uint32_t)num(line, "reason", 1)) != 0)
				errx(2, "close failed");
			w = NULL;
			ended = 1;
			break;
		} else
			errx(2, "unknown line: %s", line);
		strpool_used = 0;
	}
	if (!ended && w != NULL) {
		pmt_writer_flush(w);
		pmt_writer_abort(w);
	}
	return close(fd) != 0;
}
