/*
 * pmt-hostile.c - writes well-formed traces with hostile contents, for the
 * analyzer's hostile-trace runs (tests/hostile.sh): every record is valid
 * for the format library, but the values are what a broken or malicious
 * machine could store.  Deterministic: one seed, one trace.
 *
 * usage: pmt-hostile [-c CLASSES] [-p CAPTURE]... SEED OUT.pmtrace [LOG]
 *
 *   SEED      any number; seeds 1..NCLASSES use one class each (in the
 *             order below), other seeds a random mix of classes
 *   -c LIST   the classes to use, comma-separated (overrides the seed's)
 *   -p FILE   a powermetrics capture whose samples are mutated for the
 *             "pm" class (repeatable; without one, a built-in sample)
 *   LOG       also write the powermetrics bytes as a log (for `import`)
 *
 * Prints one line: "seed N: class,class,...".  Classes:
 *   wall      wall-clock anchor and CLOCK records near the integer limits
 *   offset    UTC offsets near the integer limits
 *   header    interval, CPU time unit, RAM, cores, tick rate at the limits
 *   counters  process counters that go backwards or jump to 2^64-1
 *   pids      pids at the limits, parent cycles, pid reuse every sample
 *   time      record times that stand still, go backwards, jump far
 *   sys       system values and per-core tick shapes at the limits
 *   marks     marks and events with absurd numbers, times and text
 *   strings   header and process text with control bytes, bad UTF-8
 *   pm        garbage powermetrics: mutated captures, random bytes
 *   ior       IOReport tables and readings: odd units, state counts, values
 *             at the limits, going back, missing channels, tables that change
 * Test tool: it exits 2 when the writer refuses a record (a bug here).
 */
#include <err.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pmtrace.h"

enum {
	C_WALL = 1 << 0, C_OFFSET = 1 << 1, C_HEADER = 1 << 2, C_COUNTERS = 1 << 3,
	C_PIDS = 1 << 4, C_TIME = 1 << 5, C_SYS = 1 << 6, C_MARKS = 1 << 7,
	C_STRINGS = 1 << 8, C_PM = 1 << 9, C_IOR = 1 << 10, NCLASSES = 11
};
static const char *const class_names[NCLASSES] = {
	"wall", "offset", "header", "counters", "pids", "time", "sys", "marks",
	"strings", "pm", "ior",
};

#define MAXPROC 64
#define MAXCAP 16

struct gen {
	uint64_t s;			/* PRNG state (splitmix64) */
	unsigned cls;			/* C_* */
	pmt_writer *w;
	FILE *log;			/* powermetrics bytes also go here, or NULL */
	uint64_t t;			/* ns: time of the next record */
	struct { uint8_t *data; size_t len; } cap[MAXCAP];
	size_t ncap;
	/* the process tree */
	struct pmt_proc rows[MAXPROC];
	char names[MAXPROC][PMT_NAME_MAX + 1];
	size_t nrows;
	uint64_t mark_no;
	/* IOReport: the values of the last reading, how many the table has */
	uint64_t ior[PMT_IOR_MAX_VALUES];
	size_t nior;
	size_t nior_ch;
};

/* ======================= Random numbers ======================= */

static uint64_t
rnd(struct gen *g)
{
	uint64_t z = (g->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* 0 .. n-1 */
static uint64_t
below(struct gen *g, uint64_t n)
{
	return n ? rnd(g) % n : 0;
}

/* True with probability pct %. */
static int
chance(struct gen *g, unsigned pct)
{
	return below(g, 100) < pct;
}

/* An unsigned value at or near a limit. */
static uint64_t
hostile_u64(struct gen *g)
{
	static const uint64_t v[] = {
		0, 1, 2, UINT64_MAX, UINT64_MAX - 1, (uint64_t)INT64_MAX,
		(uint64_t)INT64_MAX + 1, (uint64_t)INT64_MAX - 999999999,
		UINT32_MAX, (uint64_t)UINT32_MAX + 1, 1ull << 53, (1ull << 53) + 1,
		1ull << 62, 9999999999999999999ull, 1000000000ull,
	};

	return chance(g, 20) ? rnd(g) : v[below(g, sizeof(v) / sizeof(v[0]))];
}

/* A signed value at or near a limit. */
static int64_t
hostile_i64(struct gen *g)
{
	static const int64_t v[] = {
		INT64_MIN, INT64_MIN + 1, INT64_MAX, INT64_MAX - 1, -1, 0, 1,
		INT32_MIN, INT32_MAX, (int64_t)INT32_MAX + 1, -86400LL * 366,
		86400LL * 366, 50400, -43200, INT64_MAX / 1000000000,
		-(INT64_MAX / 1000000000), INT64_MIN / 2,
	};

	return chance(g, 20) ? (int64_t)rnd(g) : v[below(g, sizeof(v) / sizeof(v[0]))];
}

/* ======================= Text ======================= */

/* Fills buf with hostile text (len bytes, not NUL-terminated). */
static size_t
hostile_text(struct gen *g, char *buf, size_t cap)
{
	static const char *const pieces[] = {
		"\x1b[31m", "\r", "\n", "\t", "\x7f", "\xff\xfe", "\xc3", "\xe2\x82",
		"\xf4\x90\x80\x80", "\xed\xa0\x80", "`touch PWNED`", "\"", "'", "\\",
		"%s%n%x", "\xc2\xb7", "\xe6\x97\xa5\xe6\x9c\xac", ",",
		"=cmd|' /C calc'!A0", "@SUM(1)",
	};
	size_t n = 0, want = chance(g, 10) ? cap : below(g, 80);

	while (n < want && n < cap) {
		const char *p = pieces[below(g, sizeof(pieces) / sizeof(pieces[0]))];
		size_t k = strlen(p);
		if (chance(g, 30)) {
			buf[n++] = (char)('a' + below(g, 26));
			continue;
		}
		if (n + k > cap)
			break;
		memcpy(buf + n, p, k);
		n += k;
	}
	return n;
}

/* A NUL-terminated hostile string in a static slot (16 slots in turn). */
static const char *
hostile_str(struct gen *g)
{
	static char slot[16][4096];
	static unsigned k;
	char *b = slot[k++ % 16];
	size_t n = hostile_text(g, b, sizeof(slot[0]) - 1);

	for (size_t i = 0; i < n; i++)
		if (b[i] == '\0')
			b[i] = '?';
	b[n] = '\0';
	return b;
}

/* ======================= Header and clocks ======================= */

static void
gen_header(struct gen *g)
{
	struct pmt_header h;

	pmt_header_init(&h);
	h.writer = "pmt-hostile";
	h.command_line = "pmt-hostile";
	h.host = "hostile-host";
	h.platform = "linux";
	h.os_name = "Linux";
	h.os_version = "6.1";
	h.chip = "Test Chip";
	h.model = "Test,1";
	h.target_name = "editor";
	h.target_version = "1.0";
	h.core_tick_states = "user,nice,system,idle";
	h.timezone = "UTC";
	h.cores_p = 4;
	h.cores_e = 4;
	h.cpus_logical = 8;
	h.gpu_cores = 8;
	h.ane_cores = 16;
	h.target_pid = 100;
	h.utc_offset_s = 3600;
	h.ram_bytes = 16ull << 30;
	h.page_size = 16384;
	h.wall_anchor_ns = 1700000000000000000ull;
	h.interval_ns = 100000000;
	h.cpu_time_num = 1000000000;
	h.cpu_time_den = 100;
	h.core_tick_hz = 100;
	if (g->cls & C_WALL)
		h.wall_anchor_ns = hostile_u64(g);
	if (g->cls & C_OFFSET)
		h.utc_offset_s = hostile_i64(g);
	if (g->cls & C_HEADER) {
		h.interval_ns = chance(g, 30) ? 0 : hostile_u64(g);
		h.cpu_time_num = hostile_u64(g);
		h.cpu_time_den = hostile_u64(g);
		h.ram_bytes = hostile_u64(g);
		h.page_size = hostile_u64(g);
		h.core_tick_hz = hostile_u64(g);
		h.costly_every_ns = hostile_u64(g);
		h.cores_p = hostile_i64(g);
		h.cores_e = hostile_i64(g);
		h.cpus_logical = hostile_i64(g);
		h.gpu_cores = hostile_i64(g);
		h.ane_cores = hostile_i64(g);
		h.target_pid = hostile_i64(g);
		h.mono_anchor_ns = hostile_u64(g);
	}
	if (g->cls & C_STRINGS) {
		h.host = hostile_str(g);
		h.chip = hostile_str(g);
		h.model = hostile_str(g);
		h.target_name = hostile_str(g);
		h.target_version = hostile_str(g);
		h.os_name = hostile_str(g);
		h.os_version = hostile_str(g);
		h.core_tick_states = hostile_str(g);
		h.timezone = hostile_str(g);
		h.costly_what = hostile_str(g);
		h.pm_command = hostile_str(g);
		h.ane_cores_source = hostile_str(g);
	}
	if (pmt_write_header(g->w, &h) != 0)
		errx(2, "header refused");
	if (pmt_write_clock(g->w, 0, h.wall_anchor_ns, h.utc_offset_s) != 0)
		errx(2, "clock refused");
}

/* A CLOCK record now and then, hostile when asked. */
static void
gen_clock(struct gen *g)
{
	uint64_t wall = 1700000000000000000ull + g->t;
	int64_t off = 3600;

	if (!chance(g, 5))
		return;
	if (g->cls & C_WALL)
		wall = hostile_u64(g);
	if (g->cls & C_OFFSET)
		off = hostile_i64(g);
	if (pmt_write_clock(g->w, g->t, wall, off) != 0)
		errx(2, "clock refused");
}

/* ======================= Time ======================= */

/* Moves the record time on: 100 ms, or something hostile. */
static void
advance(struct gen *g)
{
	if (!(g->cls & C_TIME) || !chance(g, 25)) {
		g->t += 100000000;
		return;
	}
	switch (below(g, 6)) {
	case 0: break;					/* stands still */
	case 1: g->t = g->t > 5000000000ull ? g->t - below(g, 5000000000ull) : 0; break;
	case 2: g->t += 1; break;
	case 3: g->t = UINT64_MAX - below(g, 1000000000ull); break;
	case 4: g->t += 1ull << (30 + below(g, 33)); break;
	default: g->t = hostile_u64(g); break;
	}
}

/* ======================= Processes ======================= */

static void
proc_init(struct gen *g)
{
	g->nrows = 1 + below(g, 6);
	for (size_t i = 0; i < g->nrows; i++) {
		struct pmt_proc *r = &g->rows[i];
		memset(r, 0, sizeof(*r));
		r->pid = (int32_t)(100 + i * 7);
		r->v[PMT_F_PPID] = i == 0 ? 1 : 100;
		r->v[PMT_F_START] = 5000 + i;
		r->v[PMT_F_RSS] = 100000000 + i * 1000000;
		r->v[PMT_F_FOOTPRINT] = 120000000;
		r->v[PMT_F_THREADS] = 4;
		r->have = 0x7fff & ~PMT_HAVE(PMT_F_PSS);
		snprintf(g->names[i], sizeof(g->names[i]), "proc%zu", i);
		r->name = g->names[i];
		r->name_len = strlen(g->names[i]);
	}
}

/* A counter's next value: growth, or something hostile. */
static uint64_t
counter_next(struct gen *g, uint64_t v, uint64_t step)
{
	if (!(g->cls & C_COUNTERS) || !chance(g, 15))
		return v + below(g, step);
	switch (below(g, 4)) {
	case 0: return UINT64_MAX;
	case 1: return v > step ? v - below(g, v) : 0;		/* backwards */
	case 2: return UINT64_MAX - below(g, step);
	default: return hostile_u64(g);
	}
}

/* Hostile pids and parents: limits, cycles, reuse. */
static void
proc_pids(struct gen *g)
{
	static const int32_t lim[] = { INT32_MIN, INT32_MIN + 1, -1, 0, 1, INT32_MAX,
	    INT32_MAX - 1 };

	for (size_t i = 0; i < g->nrows; i++) {
		struct pmt_proc *r = &g->rows[i];
		if (chance(g, 10))
			r->pid = lim[below(g, sizeof(lim) / sizeof(lim[0]))];
		switch (below(g, 5)) {
		case 0: r->v[PMT_F_PPID] = (uint64_t)(int64_t)r->pid; break;	/* own parent */
		case 1: r->v[PMT_F_PPID] = (uint64_t)(int64_t)g->rows[(i + 1) % g->nrows].pid;
			break;						/* a cycle */
		case 2: r->v[PMT_F_PPID] = hostile_u64(g); break;
		default: break;
		}
		if (chance(g, 20))
			r->v[PMT_F_START] = rnd(g);			/* pid reused */
	}
}

/* Processes come and go (fork, exit), so reaped-children accounting runs. */
static void
proc_churn(struct gen *g)
{
	if (g->nrows > 1 && chance(g, 10)) {
		size_t k = 1 + below(g, g->nrows - 1);
		g->rows[k] = g->rows[g->nrows - 1];
		memcpy(g->names[k], g->names[g->nrows - 1], sizeof(g->names[k]));
		g->rows[k].name = g->names[k];
		g->nrows--;
	}
	if (g->nrows < MAXPROC && chance(g, 10)) {
		size_t k = g->nrows++;
		g->rows[k] = g->rows[0];
		g->rows[k].pid = (int32_t)(1000 + below(g, 100000));
		g->rows[k].v[PMT_F_PPID] = (uint64_t)(int64_t)g->rows[below(g, k)].pid;
		g->rows[k].v[PMT_F_START] = rnd(g);
		memcpy(g->names[k], g->names[0], sizeof(g->names[k]));
		g->rows[k].name = g->names[k];
	}
}

/* Makes pids distinct (the format requires it) by moving duplicates. */
static void
proc_distinct(struct gen *g)
{
	for (size_t i = 1; i < g->nrows; i++)
		for (size_t j = 0; j < i; j++)
			if (g->rows[i].pid == g->rows[j].pid) {
				g->rows[i].pid = (int32_t)(200000 + i);
				j = (size_t)-1;		/* check again from the start */
			}
}

static void
gen_proc(struct gen *g)
{
	static const int grow[] = { PMT_F_USER, PMT_F_SYSTEM, PMT_F_CHILD_USER,
	    PMT_F_CHILD_SYSTEM, PMT_F_READ_BYTES, PMT_F_WRITE_BYTES, PMT_F_GPU_NS,
	    PMT_F_CPU_ENERGY_NJ };

	proc_churn(g);
	for (size_t i = 0; i < g->nrows; i++) {
		struct pmt_proc *r = &g->rows[i];
		for (size_t k = 0; k < sizeof(grow) / sizeof(grow[0]); k++)
			r->v[grow[k]] = counter_next(g, r->v[grow[k]], 20);
		r->v[PMT_F_RSS] = counter_next(g, r->v[PMT_F_RSS], 10000000);
		r->v[PMT_F_FOOTPRINT] = counter_next(g, r->v[PMT_F_FOOTPRINT], 10000000);
		r->v[PMT_F_PSS] = counter_next(g, r->v[PMT_F_PSS], 10000000);
		r->v[PMT_F_THREADS] = counter_next(g, r->v[PMT_F_THREADS] % 64, 3);
		r->have ^= chance(g, 10) ? PMT_HAVE(below(g, PMT_F_NAME)) : 0;
		if (g->cls & C_STRINGS && chance(g, 10)) {
			const char *s = hostile_str(g);
			snprintf(g->names[i], sizeof(g->names[i]), "%s", s);
			r->name_len = strlen(g->names[i]);
			r->have |= PMT_HAVE(PMT_F_NAME);
		}
	}
	if (g->cls & C_PIDS)
		proc_pids(g);
	proc_distinct(g);
	if (pmt_write_proc(g->w, g->t, g->rows, g->nrows) != 0)
		errx(2, "proc refused");
}

/* ======================= System samples ======================= */

static void
gen_sys(struct gen *g)
{
	static uint64_t ticks[64 * 8], base;
	struct pmt_sys s;
	uint32_t nc = 8, ns = 4;

	memset(&s, 0, sizeof(s));
	s.have = PMT_HAVE(PMT_S_SWAP_USED) | PMT_HAVE(PMT_S_SWAP_TOTAL) |
	    PMT_HAVE(PMT_S_RAM_TOTAL) | PMT_HAVE(PMT_S_RAM_AVAIL) | PMT_HAVE(PMT_S_TICKS);
	s.v[PMT_S_SWAP_USED] = 1ull << 30;
	s.v[PMT_S_SWAP_TOTAL] = 4ull << 30;
	s.v[PMT_S_RAM_TOTAL] = 16ull << 30;
	s.v[PMT_S_RAM_AVAIL] = 8ull << 30;
	base += 10;
	if (g->cls & C_SYS) {
		for (int f = 0; f < PMT_S_TICKS; f++)
			if (chance(g, 30))
				s.v[f] = hostile_u64(g);
		if (chance(g, 20)) {
			nc = (uint32_t)below(g, 65);
			ns = (uint32_t)below(g, 9);
		}
		if (chance(g, 10))
			s.have &= ~PMT_HAVE(below(g, PMT_NSYS));
	}
	for (size_t i = 0; i < (size_t)nc * ns; i++)
		ticks[i] = (g->cls & C_SYS) && chance(g, 10) ? hostile_u64(g) :
		    base * (i % ns + 1);
	s.ncpu = nc;
	s.nstates = ns;
	s.ticks = ticks;
	if (pmt_write_sys(g->w, g->t, &s) != 0)
		errx(2, "sys refused");
}

/* ======================= powermetrics ======================= */

/* A text sample of the shape powermetrics prints (when no capture given). */
static const char builtin_pm[] =
    "*** Sampled system activity (Sun Feb 28 00:18:13 2021 -0800) (1014.62ms elapsed) ***\n\n"
    "**** Processor usage ****\n\n"
    "E-Cluster HW active frequency: 977 MHz\n"
    "E-Cluster HW active residency:   5.68% (600 MHz: 5.2% 972 MHz:  93%)\n"
    "cpu 0 frequency: 1023 MHz\ncpu 0 active residency:   1.22% (600 MHz: .08%)\n"
    "cpu 1 frequency: 1055 MHz\ncpu 1 active residency:   3.40% (600 MHz: .28%)\n\n"
    "ANE Power: 1200 mW\nCPU Power: 417 mW\nGPU Power: 39 mW\n"
    "Combined Power (CPU + GPU + ANE): 1656 mW\n\n"
    "**** GPU usage ****\n\n"
    "GPU HW active frequency: 712 MHz\nGPU HW active residency:   0.84% (396 MHz: .02%)\n"
    "GPU idle residency:  99.16%\nGPU Power: 39 mW\n\n\n";

/* Replacements for a number in a mutated sample. */
static const char *const bad_numbers[] = {
	"0", "-1", "1e308", "-1e308", "1e-308", "inf", "-inf", "nan", "NaN",
	"99999999999999999999999999", "18446744073709551615", "18446744073709551616",
	"-9223372036854775808", "4294967296", "65536", "0.0000001", "", "1e", "--5",
	".", "0x10", "1.7976931348623157e309", "2147483648", "256", "17",
};

/* Appends n bytes to *o (grown), at most max bytes in all. */
static void
put(uint8_t **o, size_t *len, size_t *cap, const void *p, size_t n)
{
	if (*len + n > *cap) {
		size_t c = (*len + n) * 2 + 64;
		uint8_t *q = realloc(*o, c);
		if (q == NULL)
			err(2, "realloc");
		*o = q;
		*cap = c;
	}
	memcpy(*o + *len, p, n);
	*len += n;
}

/* A copy of one sample with numbers replaced, bytes flipped, cut short. */
static uint8_t *
mutate(struct gen *g, const uint8_t *p, size_t n, size_t *outlen)
{
	uint8_t *o = NULL;
	size_t len = 0, cap = 0;
	unsigned rate = (unsigned)(1 + below(g, 30));

	for (size_t i = 0; i < n;) {
		if (p[i] >= '0' && p[i] <= '9' && chance(g, rate)) {
			const char *b = bad_numbers[below(g, sizeof(bad_numbers) /
			    sizeof(bad_numbers[0]))];
			while (i < n && ((p[i] >= '0' && p[i] <= '9') || p[i] == '.'))
				i++;
			put(&o, &len, &cap, b, strlen(b));
			continue;
		}
		if (chance(g, 1) && chance(g, 20)) {
			uint8_t c = (uint8_t)rnd(g);
			put(&o, &len, &cap, &c, 1);
		} else if (chance(g, 1) && chance(g, 10) && i + 1 < n)
			put(&o, &len, &cap, p + i, below(g, n - i) % 400);	/* repeat */
		put(&o, &len, &cap, p + i, 1);
		i++;
	}
	if (chance(g, 20) && len > 0)
		len = below(g, len);					/* cut short */
	*outlen = len;
	return o;
}

/* One powermetrics sample: a capture's sample, mutated, in 1-3 records. */
static void
gen_pm(struct gen *g)
{
	const uint8_t *src = (const uint8_t *)builtin_pm;
	size_t srclen = sizeof(builtin_pm) - 1, off = 0, n, len;
	uint8_t *data, junk[512];
	int pre;

	if (g->ncap > 0) {
		size_t c = below(g, g->ncap), k = below(g, 8);
		src = g->cap[c].data;
		srclen = g->cap[c].len;
		while (off < srclen && (n = pmt_pm_split(src + off, srclen - off, 1, &pre)) > 0) {
			if (k-- == 0 || off + n >= srclen) {
				src += off;
				srclen = n;
				break;
			}
			off += n;
		}
	}
	if ((g->cls & C_PM) && chance(g, 10)) {
		len = below(g, sizeof(junk));
		for (size_t i = 0; i < len; i++)
			junk[i] = (uint8_t)rnd(g);
		data = malloc(len + 1);
		if (data == NULL)
			err(2, "malloc");
		memcpy(data, junk, len);
	} else if (g->cls & C_PM)
		data = mutate(g, src, srclen, &len);
	else {
		data = malloc(srclen + 1);
		if (data == NULL)
			err(2, "malloc");
		memcpy(data, src, srclen);
		len = srclen;
	}
	for (size_t o = 0, parts = 1 + below(g, 3); parts > 0; parts--) {
		size_t k = parts == 1 ? len - o : below(g, len - o + 1);
		uint32_t flags = (g->cls & C_PM) && chance(g, 10) ? (uint32_t)below(g, 4) : 0;
		if (pmt_write_pm(g->w, g->t, flags, data + o, k) != 0)
			errx(2, "pm refused");
		if (g->log != NULL && k > 0)
			fwrite(data + o, 1, k, g->log);
		o += k;
	}
	free(data);
}

/* ======================= Marks and events ======================= */

static void
gen_mark(struct gen *g)
{
	char label[4096];
	size_t n = 0;
	uint64_t t = g->t, num = ++g->mark_no;

	if (g->cls & C_MARKS) {
		if (chance(g, 30))
			num = hostile_u64(g);
		if (chance(g, 20))
			t = hostile_u64(g);
		n = hostile_text(g, label, sizeof(label));
	} else
		n = (size_t)snprintf(label, sizeof(label), "image %llu",
		    (unsigned long long)num);
	if (pmt_write_mark(g->w, t, num, label, n) != 0)
		errx(2, "mark refused");
}

static void
gen_event(struct gen *g)
{
	uint32_t kind = 1 + (uint32_t)below(g, 7);
	int64_t value = 100;
	const char *msg = "event";

	if (g->cls & C_MARKS) {
		kind = chance(g, 30) ? (uint32_t)rnd(g) : kind;
		value = hostile_i64(g);
		msg = hostile_str(g);
	}
	if (pmt_write_event(g->w, chance(g, 20) && (g->cls & C_MARKS) ? hostile_u64(g) :
	    g->t, kind, value, msg) != 0)
		errx(2, "event refused");
}

/* ======================= IOReport ======================= */

/* A channel name: a real one (macmon, mactop) or hostile text. */
static const char *
ior_name(struct gen *g)
{
	static const char *const real[] = {
		"CPU Energy", "DIE_0_CPU Energy", "DIE_1_CPU Energy", "GPU Energy",
		"ANE", "ANE0", "ANE0_1", "DRAM", "DRAM0", "GPU SRAM0", "EACC_CPU",
	};

	return chance(g, 70) ? real[below(g, sizeof(real) / sizeof(real[0]))] :
	    hostile_str(g);
}

/* A channel table: energies in any unit, state channels with any states. */
static void
gen_ior_table(struct gen *g)
{
	static const char *const units[] = { "mJ", "uJ", "nJ", " mJ", "kJ", "", "J",
	    "ÂµJ" };
	static const char *const st[] = { "OFF", "IDLE", "DOWN", "P1", "P2" };
	static struct pmt_ior_channel ch[64];
	static const char *states[64][64];
	size_t n = 1 + below(g, 40);

	g->nior = 0;
	for (size_t i = 0; i < n; i++) {
		struct pmt_ior_channel *c = &ch[i];
		int state = chance(g, 20);
		memset(c, 0, sizeof(*c));
		c->kind = state ? PMT_IOR_STATE : PMT_IOR_SIMPLE;
		c->group = state ? "GPU Stats" : chance(g, 90) ? "Energy Model" : hostile_str(g);
		c->subgroup = state ? "GPU Performance States" : "";
		c->name = state && chance(g, 70) ? "GPUPH" : ior_name(g);
		c->unit = units[below(g, sizeof(units) / sizeof(units[0]))];
		c->nstates = state ? (uint32_t)(1 + below(g, 64)) : 0;
		for (uint32_t k = 0; k < c->nstates; k++)
			states[i][k] = chance(g, 80) ? st[below(g, 5)] : hostile_str(g);
		c->states = state ? states[i] : NULL;
		c->nvalues = state ? c->nstates : 1;
		g->nior += c->nvalues;
	}
	g->nior_ch = n;
	if (pmt_write_ior_channels(g->w, g->t, ch, n) != 0)
		errx(2, "IOReport table refused");
}

/* One reading: values that grow, stall, go back, wrap or jump; some missing. */
static void
gen_ior(struct gen *g)
{
	uint32_t miss[64];
	struct pmt_ior_sample s = { 0 };

	if (g->nior_ch == 0 || chance(g, 3))
		gen_ior_table(g);
	for (size_t i = 0; i < g->nior; i++) {
		switch (below(g, 8)) {
		case 0: break;					/* stalls */
		case 1: g->ior[i] -= below(g, 1000000); break;	/* goes back */
		case 2: g->ior[i] = hostile_u64(g); break;
		default: g->ior[i] += below(g, 5000000000ull); break;
		}
	}
	for (size_t i = 0; i < g->nior_ch && s.nmissing < 64; i++)
		if (chance(g, 5))
			miss[s.nmissing++] = (uint32_t)i;
	s.read_ns = chance(g, 90) ? below(g, 1000000) : hostile_u64(g);
	s.nvalues = chance(g, 97) ? g->nior : below(g, g->nior + 3);	/* or misfit */
	s.values = g->ior;
	s.missing = miss;
	if (pmt_write_ior_sample(g->w, g->t, &s) != 0)
		errx(2, "IOReport reading refused");
}

/* ======================= Whole trace ======================= */

static void
gen_trace(struct gen *g)
{
	size_t nsamples = 5 + below(g, 60);

	gen_header(g);
	proc_init(g);
	for (size_t i = 0; i < nsamples; i++) {
		advance(g);
		gen_clock(g);
		if (!chance(g, 5))
			gen_proc(g);
		if (chance(g, 80))
			gen_sys(g);
		if (i % 10 == 3 || ((g->cls & C_PM) && chance(g, 30)))
			gen_pm(g);
		if ((g->cls & C_IOR) && chance(g, 90))
			gen_ior(g);
		if (chance(g, 8))
			gen_mark(g);
		if (chance(g, 4))
			gen_event(g);
		if (chance(g, 10) && pmt_writer_tick(g->w, g->t, (g->cls & C_WALL) ?
		    hostile_u64(g) : 1700000000000000000ull, (g->cls & C_OFFSET) ?
		    hostile_i64(g) : 3600) != 0)
			errx(2, "tick refused");
	}
}

/* Classes from "wall,pm" into C_* bits. */
static unsigned
parse_classes(const char *s)
{
	unsigned c = 0;
	char buf[256], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int k = 0;
		while (k < NCLASSES && strcmp(tok, class_names[k]) != 0)
			k++;
		if (k == NCLASSES)
			errx(2, "unknown class '%s'", tok);
		c |= 1u << k;
	}
	return c;
}

static void
read_capture(struct gen *g, const char *path)
{
	FILE *f;
	long n;

	if (g->ncap == MAXCAP)
		errx(2, "at most %d captures", MAXCAP);
	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		err(2, "%s", path);
	g->cap[g->ncap].data = malloc((size_t)n + 1);
	if (g->cap[g->ncap].data == NULL ||
	    fread(g->cap[g->ncap].data, 1, (size_t)n, f) != (size_t)n)
		err(2, "%s", path);
	g->cap[g->ncap++].len = (size_t)n;
	fclose(f);
}

int
main(int argc, char **argv)
{
	struct gen g;
	struct pmt_writer_opts o = { 0 };
	const char *classes = NULL;
	uint64_t seed;
	int c, fd, sep = 0;

	memset(&g, 0, sizeof(g));
	while ((c = getopt(argc, argv, "c:p:")) != -1) {
		if (c == 'c')
			classes = optarg;
		else if (c == 'p')
			read_capture(&g, optarg);
		else
			return 2;
	}
	if (argc - optind < 2 || argc - optind > 3)
		errx(2, "usage: pmt-hostile [-c CLASSES] [-p CAPTURE]... SEED OUT.pmtrace [LOG]");
	seed = strtoull(argv[optind], NULL, 0);
	g.s = seed * 0x2545f4914f6cdd1dull + 1;
	if (classes != NULL)
		g.cls = parse_classes(classes);
	else if (seed >= 1 && seed <= NCLASSES)
		g.cls = 1u << (seed - 1);
	else
		while (g.cls == 0)
			for (int k = 0; k < NCLASSES; k++)
				g.cls |= chance(&g, 35) ? 1u << k : 0;
	if ((fd = open(argv[optind + 1], O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		err(2, "%s", argv[optind + 1]);
	if (argc - optind == 3 && (g.log = fopen(argv[optind + 2], "wb")) == NULL)
		err(2, "%s", argv[optind + 2]);
	o.frame_max_bytes = chance(&g, 30) ? 4096 : 0;	/* headers repeated per frame */
	if (pmt_writer_open(&g.w, fd, &o) != 0)
		errx(2, "cannot start the trace");
	gen_trace(&g);
	if (chance(&g, 85)) {
		if (pmt_writer_close(g.w, g.t, PMT_END_SIGNAL) != 0)
			errx(2, "close failed");
	} else {
		pmt_writer_flush(g.w);
		pmt_writer_abort(g.w);		/* no END: as after SIGKILL */
	}
	printf("seed %llu:", (unsigned long long)seed);
	for (int k = 0; k < NCLASSES; k++)
		if (g.cls & (1u << k))
			printf("%s%s", sep++ ? "," : " ", class_names[k]);
	putchar('\n');
	if (g.log != NULL && fclose(g.log) != 0)
		err(2, "%s", argv[optind + 2]);
	return close(fd) != 0 ? 2 : 0;
}
