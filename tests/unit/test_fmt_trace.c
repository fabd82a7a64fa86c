/*
 * test_fmt_trace.c - unit tests of the trace format library (format/):
 * round trip of every record type (HELPERS, 1.1, included), truncation at
 * every byte, single-byte
 * corruption at many offsets, frames, unknown types and versions, text-mode
 * damage, a full disk, and the small helpers (CRC32C, varints, ticks,
 * powermetrics splitting).  Expectations come from the test's own model of
 * what it wrote, and from a second, independent encoder of the spec below.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <zstd.h>

#include "cmn_file.h"
#include "pmt_internal.h"
#include "pmtrace.h"
#include "tap.h"

/* ======================= A list of record descriptions ======================= */

struct list {
	char **s;
	size_t n, cap;
	uint64_t *flushed;		/* writer: file offset after the record's flush */
	uint64_t *frame;		/* writer: frame number holding the record */
};

static void
list_add(struct list *l, uint64_t flushed, uint64_t frame, const char *fmt, ...)
{
	va_list ap;
	char buf[1 << 14];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **s = realloc(l->s, cap * sizeof(*s));
		uint64_t *fl = s ? realloc(l->flushed, cap * sizeof(*fl)) : NULL;
		uint64_t *fr = fl ? realloc(l->frame, cap * sizeof(*fr)) : NULL;

		if (s != NULL)
			l->s = s;
		if (fl != NULL)
			l->flushed = fl;
		if (fr == NULL) {
			fprintf(stderr, "test_fmt_trace: out of memory\n");
			abort();
		}
		l->frame = fr;
		l->cap = cap;
	}
	l->s[l->n] = strdup(buf);
	l->flushed[l->n] = flushed;
	l->frame[l->n] = frame;
	l->n++;
}

static void
list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->s[i]);
	free(l->s);
	free(l->flushed);
	free(l->frame);
	memset(l, 0, sizeof(*l));
}

/* Appends bytes as hex to a description. */
static void
hex(char *out, size_t cap, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && o + 3 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%02x", b[i]);
}

/* Describes an IOReport channel table (names cut as the format cuts them). */
static void
describe_ior_table(char *b, size_t cap, uint64_t t, const struct pmt_ior_channel *ch,
    size_t n)
{
	size_t o = (size_t)snprintf(b, cap, "IORCH t=%llu n=%zu", (unsigned long long)t, n);

	for (size_t i = 0; i < n && o < cap; i++) {
		const struct pmt_ior_channel *c = &ch[i];
		o += (size_t)snprintf(b + o, cap - o, " [%u %u %.255s|%.255s|%.255s|%.255s %u:",
		    c->kind, c->nvalues, c->group, c->subgroup, c->name, c->unit, c->nstates);
		for (uint32_t k = 0; k < c->nstates && o < cap; k++)
			o += (size_t)snprintf(b + o, cap - o, "%s%.255s", k ? "," : "",
			    c->states[k]);
		if (o < cap)
			o += (size_t)snprintf(b + o, cap - o, "]");
	}
}

/* Describes an IOReport reading. */
static void
describe_ior_sample(char *b, size_t cap, uint64_t t, const struct pmt_ior_sample *s)
{
	size_t o = (size_t)snprintf(b, cap, "IORS t=%llu read=%llu n=%zu:",
	    (unsigned long long)t, (unsigned long long)s->read_ns, s->nvalues);

	for (size_t i = 0; i < s->nvalues && o < cap; i++)
		o += (size_t)snprintf(b + o, cap - o, " %llu",
		    (unsigned long long)s->values[i]);
	if (o < cap)
		o += (size_t)snprintf(b + o, cap - o, " missing:");
	for (size_t i = 0; i < s->nmissing && o < cap; i++)
		o += (size_t)snprintf(b + o, cap - o, " %u", s->missing[i]);
}

/* Describes a record as read back, in the same words the model uses. */
/* "CALIB t=T have=H [tag=value ...] note=HEX" */
static void
describe_calib(char *b, size_t cap, uint64_t t, const struct pmt_calib *c)
{
	char note[1024];
	size_t o = (size_t)snprintf(b, cap, "CALIB t=%llu have=%x", (unsigned long long)t,
	    c->have);

	for (int f = 1; f < PMT_C_N; f++)
		if (c->have & PMT_HAVE(f))
			o += (size_t)snprintf(b + o, cap - o, " %d=%llu", f,
			    (unsigned long long)c->v[f]);
	hex(note, sizeof(note), c->note ? c->note : "", c->note ? c->note_len : 0);
	snprintf(b + o, cap - o, " note=%s", note);
}

static void
describe(struct list *l, const struct pmt_record *r)
{
	char a[4096], b[1 << 13];
	size_t o = 0;

	switch (r->type) {
	case PMT_REC_HEADER:
		list_add(l, 0, 0, "HEADER host=%s target=%s cores_p=%lld ram=%llu "
		    "num=%llu den=%llu", r->u.header->host ? r->u.header->host : "-",
		    r->u.header->target_name ? r->u.header->target_name : "-",
		    (long long)r->u.header->cores_p,
		    (unsigned long long)r->u.header->ram_bytes,
		    (unsigned long long)r->u.header->cpu_time_num,
		    (unsigned long long)r->u.header->cpu_time_den);
		break;
	case PMT_REC_CLOCK:
		list_add(l, 0, 0, "CLOCK t=%llu wall=%llu off=%lld",
		    (unsigned long long)r->t, (unsigned long long)r->u.clock.wall_ns,
		    (long long)r->u.clock.utc_offset_s);
		break;
	case PMT_REC_PROC:
	case PMT_REC_HELPERS:
		b[0] = '\0';
		for (size_t i = 0; i < r->u.proc.n; i++) {
			const struct pmt_proc *p = &r->u.proc.rows[i];
			o += (size_t)snprintf(b + o, sizeof(b) - o, " [%d h=%x", p->pid,
			    p->have);
			for (int f = 0; f < PMT_F_NAME; f++)
				if (p->have & PMT_HAVE(f))
					o += (size_t)snprintf(b + o, sizeof(b) - o, " %d=%llu",
					    f, (unsigned long long)p->v[f]);
			if (p->have & PMT_HAVE(PMT_F_NAME))
				o += (size_t)snprintf(b + o, sizeof(b) - o, " n=%.*s",
				    (int)p->name_len, p->name);
			o += (size_t)snprintf(b + o, sizeof(b) - o, "]");
		}
		list_add(l, 0, 0, "%s t=%llu n=%zu%s", r->type == PMT_REC_PROC ?
		    "PROC" : "HELPERS", (unsigned long long)r->t, r->u.proc.n, b);
		break;
	case PMT_REC_SYS:
		b[0] = '\0';
		for (int f = 0; f < PMT_S_TICKS; f++)
			if (r->u.sys->have & PMT_HAVE(f))
				o += (size_t)snprintf(b + o, sizeof(b) - o, " %d=%llu", f,
				    (unsigned long long)r->u.sys->v[f]);
		if (r->u.sys->have & PMT_HAVE(PMT_S_TICKS)) {
			o += (size_t)snprintf(b + o, sizeof(b) - o, " ticks %ux%u:",
			    r->u.sys->ncpu, r->u.sys->nstates);
			for (size_t i = 0; i < (size_t)r->u.sys->ncpu * r->u.sys->nstates; i++)
				o += (size_t)snprintf(b + o, sizeof(b) - o, " %llu",
				    (unsigned long long)r->u.sys->ticks[i]);
		}
		list_add(l, 0, 0, "SYS t=%llu%s", (unsigned long long)r->t, b);
		break;
	case PMT_REC_PM:
		list_add(l, 0, 0, "PM t=%llu flags=%u len=%zu crc=%08x",
		    (unsigned long long)r->t, r->u.pm.flags, r->u.pm.len,
		    pmt_crc32c(0, r->u.pm.data, r->u.pm.len));
		break;
	case PMT_REC_MARK:
		hex(a, sizeof(a), r->u.mark.label, r->u.mark.len);
		list_add(l, 0, 0, "MARK t=%llu n=%llu label=%s",
		    (unsigned long long)r->t, (unsigned long long)r->u.mark.number, a);
		break;
	case PMT_REC_EVENT:
		hex(a, sizeof(a), r->u.event.msg, r->u.event.len);
		list_add(l, 0, 0, "EVENT t=%llu kind=%u value=%lld msg=%s",
		    (unsigned long long)r->t, r->u.event.kind,
		    (long long)r->u.event.value, a);
		break;
	case PMT_REC_END:
		list_add(l, 0, 0, "END t=%llu reason=%llu procs=%llu rows=%llu sys=%llu "
		    "pm=%llu marks=%llu events=%llu", (unsigned long long)r->t,
		    (unsigned long long)r->u.end->reason,
		    (unsigned long long)r->u.end->proc_records,
		    (unsigned long long)r->u.end->proc_rows,
		    (unsigned long long)r->u.end->sys_records,
		    (unsigned long long)r->u.end->pm_records,
		    (unsigned long long)r->u.end->marks,
		    (unsigned long long)r->u.end->events);
		break;
	case PMT_REC_IOR_CHANNELS:
		describe_ior_table(b, sizeof(b), r->t, r->u.ior_channels->ch,
		    r->u.ior_channels->n);
		list_add(l, 0, 0, "%s", b);
		break;
	case PMT_REC_IOR_SAMPLE:
		describe_ior_sample(b, sizeof(b), r->t, r->u.ior_sample);
		list_add(l, 0, 0, "%s", b);
		break;
	case PMT_REC_CALIB:
		describe_calib(b, sizeof(b), r->t, r->u.calib);
		list_add(l, 0, 0, "%s", b);
		break;
	default:
		list_add(l, 0, 0, "UNKNOWN %u", r->type);
	}
}

/* ======================= The model: a synthetic recording ======================= */

struct mproc {
	int32_t pid;
	uint64_t start;
	uint64_t v[PMT_F_NAME];
	char name[40];
	int alive;
	int named;			/* name already given to the writer */
};

struct model {
	uint64_t rng;
	struct mproc p[32];
	size_t np;
	int32_t next_pid;
	struct mproc hp[32];		/* processes outside the tree (HELPERS) */
	size_t hnp;
	int32_t hnext_pid;
	uint64_t t;
	uint64_t procs, rows, sys, pm, marks, events;
	uint64_t ticks[4 * 8];
	uint32_t ncpu;
	uint64_t ior[8];		/* IOReport values: 5 simple + 3 states */
};

static uint64_t
rnd(struct model *m)
{
	m->rng ^= m->rng << 13;
	m->rng ^= m->rng >> 7;
	m->rng ^= m->rng << 17;
	return m->rng;
}

/* Position of the writer after the current record: flushed bytes, frame. */
static void
exp_add(struct list *l, pmt_writer *w, const char *fmt, ...)
{
	va_list ap;
	char buf[1 << 14];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (pmt_writer_flush(w) != 0)
		return;
	list_add(l, pmt_writer_flushed_bytes(w), pmt_writer_counts(w)->frames,
	    "%s", buf);
}

static void
model_header(struct pmt_header *h)
{
	pmt_header_init(h);
	h->host = "test-host";
	h->target_name = "Phocus";
	h->cores_p = 8;
	h->cores_e = 2;
	h->ram_bytes = 32ull << 30;
	h->cpu_time_num = 125;
	h->cpu_time_den = 3;
	h->chip = "Apple M1 Pro";
}

/* The model's units check: every tag, 2^64 - 1 among them, a note cut to 255. */
static struct pmt_calib model_calib_rec;
static char model_calib_note[300];

static void
model_calib(struct model *m, pmt_writer *w, struct list *exp)
{
	struct pmt_calib *c = &model_calib_rec;
	char b[2048];

	memset(c, 0, sizeof(*c));
	for (int f = 1; f < PMT_C_N; f++)
		if (f != PMT_C_NOTE) {
			c->v[f] = f == PMT_C_KERNEL_SYSTEM_NS ? UINT64_MAX : rnd(m) % 1000000 + (uint64_t)f;
			c->have |= PMT_HAVE(f);
		}
	memset(model_calib_note, 'n', sizeof(model_calib_note));
	c->note = model_calib_note;
	c->note_len = sizeof(model_calib_note);
	if (pmt_write_calib(w, m->t, c) != 0)
		return;
	c->note_len = PMT_CALIB_NOTE_MAX;	/* what a reader gets back */
	describe_calib(b, sizeof(b), m->t, c);
	exp_add(exp, w, "%s", b);
}

/*
 * Writes one PROC sample of the model (births, deaths, pid reuse), or with
 * type PMT_REC_HELPERS one HELPERS record of the processes in m->p.
 */
static void
model_rows(struct model *m, pmt_writer *w, struct list *exp, uint32_t type)
{
	struct pmt_proc rows[32];
	char b[1 << 13];
	size_t n = 0, o = 0;
	int32_t order[32];

	/* a birth now and then, sometimes reusing a dead pid with a new start */
	if (m->np < 32 && rnd(m) % 4 == 0) {
		struct mproc *q = &m->p[m->np++];
		memset(q, 0, sizeof(*q));
		q->pid = rnd(m) % 3 == 0 && m->np > 2 && !m->p[0].alive ?
		    m->p[0].pid : m->next_pid++;
		q->start = m->t / 1000 + rnd(m) % 7;
		q->alive = 1;
		snprintf(q->name, sizeof(q->name), rnd(m) % 2 ? "Phocus Helper %d" :
		    "p,\"%d\"\n", q->pid);
		for (size_t i = 0; i < m->np - 1; i++)	/* a reused pid: old one gone */
			if (m->p[i].pid == q->pid)
				m->p[i].alive = 0;
	}
	if (m->np > 3 && rnd(m) % 5 == 0)
		m->p[rnd(m) % m->np].alive = 0;
	for (size_t i = 0; i < m->np; i++) {
		struct mproc *q = &m->p[i];
		struct pmt_proc *r;
		if (!q->alive)
			continue;
		r = &rows[n];
		memset(r, 0, sizeof(*r));
		r->pid = q->pid;
		q->v[PMT_F_PPID] = 1;
		q->v[PMT_F_START] = q->start;
		q->v[PMT_F_USER] += rnd(m) % 300;
		q->v[PMT_F_SYSTEM] += rnd(m) % 50;
		q->v[PMT_F_CHILD_USER] += rnd(m) % 3 == 0 ? rnd(m) % 1000 : 0;
		q->v[PMT_F_RSS] = (rnd(m) % 4000000) * 4096;
		q->v[PMT_F_THREADS] = 1 + rnd(m) % 60;
		q->v[PMT_F_GPU_NS] += rnd(m) % 100000000;
		q->v[PMT_F_PSS] = rnd(m) % (1ull << 40);
		r->have = PMT_HAVE(PMT_F_PPID) | PMT_HAVE(PMT_F_START) |
		    PMT_HAVE(PMT_F_USER) | PMT_HAVE(PMT_F_SYSTEM) |
		    PMT_HAVE(PMT_F_CHILD_USER) | PMT_HAVE(PMT_F_RSS) |
		    PMT_HAVE(PMT_F_THREADS) | PMT_HAVE(PMT_F_GPU_NS);
		if (rnd(m) % 3 == 0)
			r->have |= PMT_HAVE(PMT_F_PSS);
		memcpy(r->v, q->v, sizeof(r->v));
		if (!q->named) {
			r->have |= PMT_HAVE(PMT_F_NAME);
			r->name = q->name;
			r->name_len = strlen(q->name);
			q->named = 1;
		}
		order[n++] = (int32_t)i;
	}
	/* expected, sorted by pid */
	for (size_t a = 1; a < n; a++)
		for (size_t c = a; c > 0 && m->p[order[c]].pid < m->p[order[c - 1]].pid; c--) {
			int32_t x = order[c];
			order[c] = order[c - 1];
			order[c - 1] = x;
		}
	b[0] = '\0';
	for (size_t k = 0; k < n; k++) {
		const struct mproc *q = &m->p[order[k]];
		const struct pmt_proc *r = NULL;
		for (size_t z = 0; z < n; z++)
			if (rows[z].pid == q->pid)
				r = &rows[z];
		o += (size_t)snprintf(b + o, sizeof(b) - o, " [%d h=%x", q->pid,
		    (r->have & (PMT_HAVE(PMT_F_NAME) - 1)) | PMT_HAVE(PMT_F_NAME));
		for (int f = 0; f < PMT_F_NAME; f++)
			if (r->have & PMT_HAVE(f))
				o += (size_t)snprintf(b + o, sizeof(b) - o, " %d=%llu", f,
				    (unsigned long long)q->v[f]);
		o += (size_t)snprintf(b + o, sizeof(b) - o, " n=%s]", q->name);
	}
	/* shuffle the rows given to the writer: it must sort them itself */
	for (size_t k = n; k > 1; k--) {
		size_t z = rnd(m) % k;
		struct pmt_proc x = rows[k - 1];
		rows[k - 1] = rows[z];
		rows[z] = x;
	}
	if (type == PMT_REC_HELPERS) {
		if (pmt_write_helpers(w, m->t, rows, n) == 0)
			exp_add(exp, w, "HELPERS t=%llu n=%zu%s", (unsigned long long)m->t,
			    n, b);
		return;
	}
	if (pmt_write_proc(w, m->t, rows, n) != 0)
		return;
	m->procs++;
	m->rows += n;
	exp_add(exp, w, "PROC t=%llu n=%zu%s", (unsigned long long)m->t, n, b);
}

static void
model_proc(struct model *m, pmt_writer *w, struct list *exp)
{
	model_rows(m, w, exp, PMT_REC_PROC);
}

/*
 * Writes one HELPERS record (1.1): the same row model over a second set of
 * processes, with pids of their own; an empty record now and then.
 */
static void
model_helpers(struct model *m, pmt_writer *w, struct list *exp)
{
	static struct mproc tree[32];
	size_t ntree = m->np;
	int32_t next = m->next_pid;

	memcpy(tree, m->p, sizeof(tree));
	memcpy(m->p, m->hp, sizeof(m->hp));
	m->np = m->hnp;
	m->next_pid = m->hnext_pid;
	model_rows(m, w, exp, PMT_REC_HELPERS);
	memcpy(m->hp, m->p, sizeof(m->hp));
	m->hnp = m->np;
	m->hnext_pid = m->next_pid;
	memcpy(m->p, tree, sizeof(tree));
	m->np = ntree;
	m->next_pid = next;
}

/* Writes one SYS sample; every 7th changes the number of CPUs. */
static void
model_sys(struct model *m, pmt_writer *w, struct list *exp)
{
	struct pmt_sys s;
	char b[4096];
	size_t o = 0;

	memset(&s, 0, sizeof(s));
	if (m->sys % 7 == 6)
		m->ncpu = m->ncpu == 4 ? 3 : 4;
	s.have = PMT_HAVE(PMT_S_SWAP_USED) | PMT_HAVE(PMT_S_SWAP_TOTAL) |
	    PMT_HAVE(PMT_S_TICKS);
	if (m->sys % 2)
		s.have |= PMT_HAVE(PMT_S_RAM_AVAIL);
	s.v[PMT_S_SWAP_USED] = (rnd(m) % 1000) << 20;
	s.v[PMT_S_SWAP_TOTAL] = 2ull << 30;
	s.v[PMT_S_RAM_AVAIL] = rnd(m) % (1ull << 34);
	s.ncpu = m->ncpu;
	s.nstates = 8;
	for (size_t i = 0; i < (size_t)m->ncpu * 8; i++)
		m->ticks[i] += rnd(m) % 100;
	s.ticks = m->ticks;
	b[0] = '\0';
	for (int f = 0; f < PMT_S_TICKS; f++)
		if (s.have & PMT_HAVE(f))
			o += (size_t)snprintf(b + o, sizeof(b) - o, " %d=%llu", f,
			    (unsigned long long)s.v[f]);
	o += (size_t)snprintf(b + o, sizeof(b) - o, " ticks %ux%u:", s.ncpu, 8u);
	for (size_t i = 0; i < (size_t)m->ncpu * 8; i++)
		o += (size_t)snprintf(b + o, sizeof(b) - o, " %llu",
		    (unsigned long long)m->ticks[i]);
	if (pmt_write_sys(w, m->t, &s) != 0)
		return;
	m->sys++;
	exp_add(exp, w, "SYS t=%llu%s", (unsigned long long)m->t, b);
}

/* Writes a PM record of n pseudo-random text bytes. */
static void
model_pm(struct model *m, pmt_writer *w, struct list *exp, size_t n, uint32_t flags)
{
	char *p = malloc(n ? n : 1);

	for (size_t i = 0; i < n; i++)
		p[i] = "GPU Power: 12 mW\n*** Sampled"[rnd(m) % 28];
	if (pmt_write_pm(w, m->t, flags, p, n) == 0) {
		m->pm++;
		exp_add(exp, w, "PM t=%llu flags=%u len=%zu crc=%08x",
		    (unsigned long long)m->t, flags, n, pmt_crc32c(0, p, n));
	}
	free(p);
}

/* The model's IOReport channels: energies in three units, GPU states, and
 * a name longer than the format keeps. */
static char ior_long[301];
static const char *const ior_states[] = { "OFF", "P1", "P2" };
static const struct pmt_ior_channel ior_ch[] = {
	{ PMT_IOR_SIMPLE, 1, "Energy Model", "", "DIE_0_CPU Energy", "mJ", 0, NULL },
	{ PMT_IOR_SIMPLE, 1, "Energy Model", "", "DIE_1_CPU Energy", "uJ", 0, NULL },
	{ PMT_IOR_SIMPLE, 1, "Energy Model", "", "GPU Energy", "nJ", 0, NULL },
	{ PMT_IOR_STATE, 3, "GPU Stats", "GPU Performance States", "GPUPH", "", 3, ior_states },
	{ PMT_IOR_SIMPLE, 1, "Energy Model", "", "ANE, \"0\"\n", "mJ", 0, NULL },
	{ PMT_IOR_SIMPLE, 1, "Energy Model", "", ior_long, "", 0, NULL },
};

/* Writes the IOReport channel table. */
static void
model_ior_table(struct model *m, pmt_writer *w, struct list *exp)
{
	char b[4096];
	size_t n = sizeof(ior_ch) / sizeof(ior_ch[0]);

	memset(ior_long, 'x', sizeof(ior_long) - 1);
	if (pmt_write_ior_channels(w, m->t, ior_ch, n) != 0)
		return;
	describe_ior_table(b, sizeof(b), m->t, ior_ch, n);
	exp_add(exp, w, "%s", b);
}

/*
 * Writes one IOReport reading: counters that grow, now and then one that
 * goes back or jumps past 2^64, and channels missing from the read.
 */
static void
model_ior_sample(struct model *m, pmt_writer *w, struct list *exp)
{
	static const uint32_t miss[] = { 1, 3 };
	struct pmt_ior_sample s = { 0 };
	char b[4096];
	int missing = rnd(m) % 6 == 0;

	for (size_t i = 0; i < 8; i++) {
		if (missing && (i == 1 || (i >= 3 && i < 6)))
			continue;	/* channel 1 and channel 3's states */
		m->ior[i] += rnd(m) % 5 == 0 ? (uint64_t)-(int64_t)(rnd(m) % 1000) :
		    rnd(m) % 2 == 0 ? rnd(m) : rnd(m) % 100000;
	}
	s.read_ns = rnd(m) % 300000;
	s.nvalues = 8;
	s.values = m->ior;
	s.nmissing = missing ? 2 : 0;
	s.missing = missing ? miss : NULL;
	if (pmt_write_ior_sample(w, m->t, &s) != 0)
		return;
	describe_ior_sample(b, sizeof(b), m->t, &s);
	exp_add(exp, w, "%s", b);
}

struct opts {
	uint64_t frame_bytes;		/* frame rotation size */
	int steps;			/* samples to write */
	int end;			/* write END */
};

/*
 * Writes a synthetic trace to path and returns the expected records (with
 * their flush offsets and frames) in exp.
 */
static int
model_write(const char *path, const struct opts *op, struct list *exp)
{
	static const uint8_t sync[16] = "0123456789abcdef";
	struct pmt_writer_opts wo = { 0, 0, op->frame_bytes, 0, sync };
	struct model m = { .rng = 88172645463325252ull, .next_pid = 100,
	    .hnext_pid = 5000, .ncpu = 4 };
	struct pmt_header h;
	pmt_writer *w;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	char a[256], a2[4096];

	if (fd < 0 || pmt_writer_open(&w, fd, &wo) != 0)
		return -1;
	model_header(&h);
	pmt_write_header(w, &h);
	exp_add(exp, w, "HEADER host=test-host target=Phocus cores_p=8 "
	    "ram=34359738368 num=125 den=3");
	pmt_write_clock(w, 0, 1700000000123456789ull, 3600);
	exp_add(exp, w, "CLOCK t=0 wall=1700000000123456789 off=3600");
	model_calib(&m, w, exp);
	model_ior_table(&m, w, exp);
	if (pmt_write_helpers(w, 0, NULL, 0) == 0)	/* none working for it yet */
		exp_add(exp, w, "HELPERS t=0 n=0");
	for (int i = 0; i < op->steps; i++) {
		uint64_t frames = pmt_writer_counts(w)->frames;
		m.t += 1000000000ull + rnd(&m) % 1000;
		model_proc(&m, w, exp);
		if (i % 3 != 2)
			model_helpers(&m, w, exp);
		if (i % 2 == 0)
			model_sys(&m, w, exp);
		model_ior_sample(&m, w, exp);
		if (i % 5 == 1)
			model_pm(&m, w, exp, 200 + rnd(&m) % 3000, i == 1 ? PMT_PM_PREAMBLE : 0);
		if (i % 9 == 4) {
			const char *lab = i % 18 == 4 ? "" : "open image 3, \"HNNR\"\n=cmd|x";
			pmt_write_mark(w, m.t, ++m.marks, lab, strlen(lab));
			hex(a, sizeof(a), lab, strlen(lab));
			exp_add(exp, w, "MARK t=%llu n=%llu label=%s",
			    (unsigned long long)m.t, (unsigned long long)m.marks, a);
		}
		if (i % 11 == 7) {
			pmt_write_event(w, m.t, PMT_EV_WARNING, -(int64_t)i, "late");
			m.events++;
			hex(a, sizeof(a), "late", 4);
			exp_add(exp, w, "EVENT t=%llu kind=6 value=%d msg=%s",
			    (unsigned long long)m.t, -i, a);
		}
		pmt_writer_tick(w, m.t, 1700000000123456789ull + m.t, 3600);
		if (pmt_writer_counts(w)->frames != frames) {
			describe_calib(a2, sizeof(a2), m.t, &model_calib_rec);
			exp_add(exp, w, "%s", a2);
			describe_ior_table(a2, sizeof(a2), m.t, ior_ch,
			    sizeof(ior_ch) / sizeof(ior_ch[0]));
			exp_add(exp, w, "%s", a2);
		}
		if (pmt_writer_counts(w)->frames != frames)
			exp_add(exp, w, "CLOCK t=%llu wall=%llu off=3600",
			    (unsigned long long)m.t,
			    (unsigned long long)(1700000000123456789ull + m.t));
	}
	if (op->end) {
		m.t += 5;
		if (pmt_writer_close(w, m.t, PMT_END_SIGNAL) != 0)
			return -1;
		list_add(exp, 0, 0, "END t=%llu reason=1 procs=%llu rows=%llu sys=%llu "
		    "pm=%llu marks=%llu events=%llu", (unsigned long long)m.t,
		    (unsigned long long)m.procs, (unsigned long long)m.rows,
		    (unsigned long long)m.sys, (unsigned long long)m.pm,
		    (unsigned long long)m.marks, (unsigned long long)m.events);
	} else {
		pmt_writer_flush(w);
		pmt_writer_abort(w);
	}
	return close(fd);
}

/* ======================= Reading helpers ======================= */

/* Reads all records of a trace in memory into got; returns problem count. */
static size_t
read_all(const void *data, size_t len, struct list *got, int *rc_out,
    const struct pmt_problem **probs)
{
	pmt_reader *r;
	struct pmt_record rec;
	size_t np = 0;
	char err[256];
	int rc = pmt_reader_open_mem(&r, data, len, err, sizeof(err));

	*rc_out = rc;
	if (rc != 0)
		return 0;
	while (pmt_reader_next(r, &rec) == 1)
		describe(got, &rec);
	np = pmt_reader_problems(r, probs);
	{
		static struct pmt_problem copy[64];
		memcpy(copy, *probs, np * sizeof(copy[0]));
		*probs = copy;
	}
	pmt_reader_close(r);
	return np;
}

/* The whole file at path, or NULL. */
static uint8_t *
slurp(const char *path, size_t *len)
{
	char *p;

	return cmn_file_read(path, CMN_FILE_NO_CAP, 0, &p, len) == 0 ? (uint8_t *)p : NULL;
}

/* True if got equals the first n of exp. */
static int
list_prefix_eq(const struct list *got, const struct list *exp, size_t n)
{
	if (got->n != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(got->s[i], exp->s[i]) != 0) {
			printf("#   record %zu:\n#   got  %.300s\n#   want %.300s\n", i,
			    got->s[i], exp->s[i]);
			return 0;
		}
	return 1;
}

static int
has_problem(const struct pmt_problem *p, size_t n, int kind)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].kind == kind)
			return 1;
	return 0;
}

/* ======================= Tests ======================= */

static char tmpl[] = "/tmp/pmt-test-XXXXXX";
static char path[64];

static void
test_roundtrip(void)
{
	struct opts op = { 0, 60, 1 };
	struct list exp = { 0 }, got = { 0 };
	const struct pmt_problem *pr;
	size_t len, np;
	uint8_t *d;
	int rc;

	CHECK(model_write(path, &op, &exp) == 0, "round trip: trace written");
	d = slurp(path, &len);
	np = read_all(d, len, &got, &rc, &pr);
	CHECK(rc == 0, "round trip: trace opens");
	CHECK(list_prefix_eq(&got, &exp, exp.n), "round trip: every record of every type reads back as written");
	CHECK(np == 0, "round trip: no problems reported");
	for (size_t i = 0; i < np; i++)
		printf("#   problem: %s\n", pr[i].msg);
	{
		size_t helpers = 0, empty = 0, named = 0;
		for (size_t i = 0; i < got.n; i++) {
			if (strncmp(got.s[i], "HELPERS ", 8) != 0)
				continue;
			helpers++;
			empty += strstr(got.s[i], " n=0") != NULL;
			named += strstr(got.s[i], " n=Phocus Helper") != NULL;
		}
		CHECK(helpers > 20 && empty > 0 && named > 0,
		    "round trip: HELPERS records, empty ones and named rows among them");
	}
	free(d);
	list_free(&exp);
	list_free(&got);
}

/* Every prefix returns exactly the records flushed before the cut. */
static void
test_truncation(void)
{
	struct opts op = { 0, 14, 1 };
	struct list exp = { 0 };
	size_t len, bad = 0, bad_prob = 0;
	uint8_t *d;

	model_write(path, &op, &exp);
	d = slurp(path, &len);
	/* END is readable once its batch is: before the frame's 4-byte checksum */
	exp.flushed[exp.n - 1] = len - 4;
	for (size_t cut = 0; cut < len; cut++) {
		struct list got = { 0 };
		const struct pmt_problem *pr;
		size_t want = 0, np;
		int rc;
		uint8_t *copy = malloc(cut ? cut : 1);

		memcpy(copy, d, cut);
		while (want < exp.n && exp.flushed[want] <= cut)
			want++;
		np = read_all(copy, cut, &got, &rc, &pr);
		if (cut < 8 && rc != 0 && cut > 0 && memcmp(d, copy, cut) != 0)
			bad++;
		if (rc == 0 && !list_prefix_eq(&got, &exp, want)) {
			if (bad < 3)
				printf("#   cut at %zu: got %zu records, want %zu\n", cut,
				    got.n, want);
			bad++;
		}
		if (rc == 0 && want < exp.n && !has_problem(pr, np, PMT_P_NO_END))
			bad_prob++;
		list_free(&got);
		free(copy);
	}
	CHECK(bad == 0, "truncation at every byte: exactly the records flushed before the cut");
	CHECK(bad_prob == 0, "truncation at every byte: missing END reported");
	{
		struct list got = { 0 };
		const struct pmt_problem *pr;
		int rc;
		size_t np = read_all(d, len - 1, &got, &rc, &pr);
		CHECK(has_problem(pr, np, PMT_P_TRUNCATED), "truncated file: truncation reported");
		CHECK(np > 0 && pr[0].t_before != UINT64_MAX, "truncated file: time of the last good record given");
		list_free(&got);
	}
	free(d);
	list_free(&exp);
}

/* Flips one byte at many offsets: never a wrong record, loss bounded by a frame. */
static void
test_corruption(void)
{
	struct opts op = { 3000, 80, 1 };
	struct list exp = { 0 };
	size_t len, wrong = 0, unbounded = 0, unreported = 0, frames = 0;
	uint8_t *d;

	model_write(path, &op, &exp);
	d = slurp(path, &len);
	for (size_t i = 0; i < exp.n; i++)
		if (exp.frame[i] > frames)
			frames = exp.frame[i];
	CHECK(frames >= 4, "corruption: the trace has several frames");
	for (size_t k = 0; k < len; k += 1 + k % 7) {
		struct list got = { 0 };
		const struct pmt_problem *pr;
		size_t np, j = 0;
		int rc;
		uint64_t dframe = 0;

		d[k] ^= (uint8_t)(1u << (k % 8));
		np = read_all(d, len, &got, &rc, &pr);
		d[k] ^= (uint8_t)(1u << (k % 8));
		if (rc != 0) {
			if (k >= PMT_FILE_HDR_LEN)
				unbounded++;
			list_free(&got);
			continue;
		}
		/* the frame hit: the last frame whose first record's flush is past k */
		for (size_t i = 0; i + 1 < exp.n; i++)
			if (exp.flushed[i] > k) {
				dframe = exp.frame[i];
				break;
			}
		/* returned records must be an ordered subset of exp */
		for (size_t i = 0; i < got.n; i++) {
			if (i == 0 && j == 0 && strcmp(got.s[0], exp.s[0]) == 0) {
				j = 1;	/* the header, maybe from a later frame */
				continue;
			}
			while (j < exp.n && strcmp(got.s[i], exp.s[j]) != 0) {
				/* a skipped record: allowed only in the damaged frame,
				 * after the damage; HEADER duplicates are fine */
				if (k >= PMT_FILE_HDR_LEN && (exp.frame[j] != dframe ||
				    exp.flushed[j] <= k) && j + 1 < exp.n) {
					if (unbounded++ < 3)
						printf("#   byte %zu (frame %llu) lost record %zu "
						    "(frame %llu, flushed at %llu): %.50s; %s\n",
						    k, (unsigned long long)dframe, j,
						    (unsigned long long)exp.frame[j],
						    (unsigned long long)exp.flushed[j], exp.s[j],
						    np ? pr[0].msg : "");
				}
				j++;
			}
			if (j == exp.n)
				wrong++;
			else
				j++;
		}
		if (got.n < exp.n && np == 0)
			unreported++;
		list_free(&got);
	}
	CHECK(wrong == 0, "corruption at many offsets: no record is ever misread");
	CHECK(unbounded == 0, "corruption at many offsets: loss stays within the rest of the damaged frame");
	CHECK(unreported == 0, "corruption at many offsets: every loss is reported");
	free(d);
	list_free(&exp);
}

/* Frames: many, each decodable alone (drop one frame from the middle). */
static void
test_frames(void)
{
	struct opts op = { 2000, 60, 1 };
	struct list exp = { 0 }, got = { 0 };
	const struct pmt_problem *pr;
	size_t len, np, a = 0, b = 0, nf = 0;
	uint8_t *d, pat[24];
	int rc;

	model_write(path, &op, &exp);
	d = slurp(path, &len);
	np = read_all(d, len, &got, &rc, &pr);
	CHECK(np == 0 && list_prefix_eq(&got, &exp, exp.n), "frames: a many-frame trace reads back whole");
	list_free(&got);
	/* cut out the third frame: sync frames are found by their pattern */
	pmt_put_u32(pat, PMT_SKIP_MAGIC);
	pmt_put_u32(pat + 4, 24);
	memcpy(pat + 8, "0123456789abcdef", 16);
	for (size_t i = 0; i + 24 <= len; i++)
		if (memcmp(d + i, pat, 24) == 0) {
			nf++;
			if (nf == 3)
				a = i;
			if (nf == 4)
				b = i;
		}
	CHECK(a > 0 && b > a, "frames: sync frames found where the spec says");
	memmove(d + a, d + b, len - b);
	np = read_all(d, len - (b - a), &got, &rc, &pr);
	CHECK(rc == 0 && got.n < exp.n && got.n > exp.n / 2, "frames: a trace without one frame still reads");
	CHECK(has_problem(pr, np, PMT_P_COUNTS), "frames: a missing frame shows as a count mismatch");
	list_free(&got);
	free(d);
	list_free(&exp);
}

/* ---- a second, independent encoder of the spec, for crafted traces ---- */

struct craft {
	uint8_t raw[1 << 16];		/* uncompressed batch stream */
	size_t n;
	uint8_t file[1 << 17];
	size_t flen;
};

static void
craft_rec(struct craft *c, uint64_t type, const uint8_t *body, size_t len)
{
	uint8_t *p = c->raw + c->n;

	p += pmt_put_varint(p, type);
	p += pmt_put_varint(p, len);
	memcpy(p, body, len);
	c->n = (size_t)(p + len - c->raw);
}

/* Wraps the records in one batch, one frame, after a file header. */
static void
craft_finish(struct craft *c, uint16_t major, uint16_t minor)
{
	uint8_t batch[(1 << 16) + 32];
	size_t z;

	memcpy(batch, "PMTB", 4);
	pmt_put_u32(batch + 4, 0);
	pmt_put_u32(batch + 8, (uint32_t)c->n);
	pmt_put_u32(batch + 12, pmt_crc32c(0, c->raw, c->n));
	memcpy(batch + 16, c->raw, c->n);
	memcpy(c->file, "\x89PMT\r\n\x1a\n", 8);
	pmt_put_u16(c->file + 8, major);
	pmt_put_u16(c->file + 10, minor);
	pmt_put_u32(c->file + 12, 40);
	memcpy(c->file + 16, "FEDCBA9876543210", 16);
	pmt_put_u32(c->file + 32, 0);
	pmt_put_u32(c->file + 36, pmt_crc32c(0, c->file, 36));
	pmt_put_u32(c->file + 40, 0x184D2A5B);
	pmt_put_u32(c->file + 44, 24);
	memcpy(c->file + 48, "FEDCBA9876543210", 16);
	pmt_put_u32(c->file + 64, 0);
	pmt_put_u32(c->file + 68, pmt_crc32c(0, c->file + 48, 20));
	z = ZSTD_compress(c->file + 72, sizeof(c->file) - 72, batch, c->n + 16, 3);
	c->flen = 72 + z;
}

static void
test_unknown_and_versions(void)
{
	struct craft c = { .n = 0 };
	uint8_t body[256], *p;
	struct list got = { 0 };
	const struct pmt_problem *pr;
	size_t np;
	int rc;
	pmt_reader *r;
	char err[256];

	/* HEADER with an unknown tag 200 and host "h" */
	p = body;
	p += pmt_put_varint(p, 200); p += pmt_put_varint(p, 3); memcpy(p, "xyz", 3); p += 3;
	p += pmt_put_varint(p, 3); p += pmt_put_varint(p, 1); *p++ = 'h';
	craft_rec(&c, 1, body, (size_t)(p - body));
	/* unknown record type 77 */
	craft_rec(&c, 77, (const uint8_t *)"future", 6);
	/* MARK with two more varints appended by a "newer" writer?  No: a
	 * PROC row with an unknown field 20 (flags bit 21), then extra bytes */
	p = body;
	p += pmt_put_varint(p, 5000);		/* t */
	p += pmt_put_varint(p, 1);		/* one row */
	p += pmt_put_varint(p, pmt_zigzag(42));	/* pid 42 */
	p += pmt_put_varint(p, 1 | (PMT_HAVE(PMT_F_RSS) << 1) | (1ull << 21));
	p += pmt_put_varint(p, pmt_zigzag(4096));	/* rss */
	p += pmt_put_varint(p, pmt_zigzag(-7));	/* field 20: skipped */
	*p++ = 0x01; *p++ = 0x02;		/* appended after the rows */
	craft_rec(&c, 3, body, (size_t)(p - body));
	/* CLOCK with an extra appended field */
	p = body;
	p += pmt_put_varint(p, 6000);
	p += pmt_put_varint(p, 1234);
	p += pmt_put_varint(p, pmt_zigzag(-3600));
	p += pmt_put_varint(p, 99);
	craft_rec(&c, 2, body, (size_t)(p - body));
	craft_finish(&c, 1, 7);
	np = read_all(c.file, c.flen, &got, &rc, &pr);
	CHECK(rc == 0, "newer minor version 1.7: opens");
	CHECK(got.n == 3, "newer minor version: unknown record type skipped");
	CHECK(got.n == 3 && strcmp(got.s[0], "HEADER host=h target=- cores_p=-1 ram=0 num=0 den=0") == 0,
	    "newer minor: unknown header tag skipped");
	CHECK(got.n == 3 && strcmp(got.s[1], "PROC t=5000 n=1 [42 h=40 6=4096]") == 0,
	    "newer minor: unknown process field and appended bytes skipped");
	CHECK(got.n == 3 && strcmp(got.s[2], "CLOCK t=6000 wall=1234 off=-3600") == 0,
	    "newer minor: field appended to a known record ignored");
	CHECK(has_problem(pr, np, PMT_P_UNKNOWN), "newer minor: skipped records are counted");
	list_free(&got);

	craft_finish(&c, 2, 0);
	rc = pmt_reader_open_mem(&r, c.file, c.flen, err, sizeof(err));
	CHECK(rc == PMT_E_VERSION, "major version 2: refused");
	{
		char mine[32];
		snprintf(mine, sizeof(mine), "%d.%d", PMT_VERSION_MAJOR, PMT_VERSION_MINOR);
		CHECK(strstr(err, "2.0") != NULL && strstr(err, mine) != NULL,
		    "major version 2: the message names both versions");
	}
	printf("#   %s\n", err);
	pmt_reader_close(r);
}

/*
 * More problems than the reader lists in detail (64) are counted, not
 * dropped: 70 malformed EVENT records (a t that is a cut varint) and no END
 * make 71 problems, 7 beyond the list (issue 11 item 7).
 */
static void
test_problems_beyond_list(void)
{
	static struct craft c;
	const struct pmt_problem *pr;
	struct pmt_record rec;
	pmt_reader *r;
	char err[256];
	size_t np;

	c.n = 0;
	craft_rec(&c, 1, (const uint8_t *)"", 0);	/* an empty HEADER */
	for (int i = 0; i < 70; i++)
		craft_rec(&c, 7, (const uint8_t *)"\x80", 1);
	craft_finish(&c, 1, 1);
	CHECK(pmt_reader_open_mem(&r, c.file, c.flen, err, sizeof(err)) == 0,
	    "70 malformed records: opens");
	while (pmt_reader_next(r, &rec) == 1)
		;
	np = pmt_reader_problems(r, &pr);
	CHECK(np == 64 && pr[63].kind == PMT_P_BAD_RECORD, "64 problems listed in detail");
	CHECK(pmt_reader_more_problems(r) == 7, "the other 7 (6 records, no END) are counted");
	pmt_reader_close(r);
}

/* Appends a length-prefixed string. */
static uint8_t *
craft_str(uint8_t *p, const char *s)
{
	size_t n = strlen(s);

	p += pmt_put_varint(p, n);
	memcpy(p, s, n);
	return p + n;
}

/* Appends a channel of the table, by hand from FORMAT.md. */
static uint8_t *
craft_chan(uint8_t *p, unsigned kind, unsigned nv, const char *g, const char *sg,
    const char *name, const char *unit, unsigned ns, const char *const *st)
{
	p += pmt_put_varint(p, kind);
	p += pmt_put_varint(p, nv);
	p = craft_str(craft_str(craft_str(craft_str(p, g), sg), name), unit);
	p += pmt_put_varint(p, ns);
	for (unsigned k = 0; k < ns; k++)
		p = craft_str(p, st[k]);
	return p;
}

/* Appends an IOR_SAMPLE body: values are svarints as given (deltas or not). */
static size_t
craft_ior_sample(uint8_t *body, uint64_t t, unsigned flags, uint64_t read_ns,
    const int64_t *v, size_t n, const unsigned *miss, size_t nmiss)
{
	uint8_t *p = body;

	p += pmt_put_varint(p, t);
	p += pmt_put_varint(p, flags);
	p += pmt_put_varint(p, read_ns);
	p += pmt_put_varint(p, n);
	for (size_t i = 0; i < n; i++)
		p += pmt_put_varint(p, pmt_zigzag(v[i]));
	if (flags & 2) {
		p += pmt_put_varint(p, nmiss);
		for (size_t i = 0; i < nmiss; i++)
			p += pmt_put_varint(p, miss[i]);
	}
	return (size_t)(p - body);
}

/* IOReport records made by hand from the spec: read as FORMAT.md says. */
static void
test_ior_crafted(void)
{
	static const char *const st[] = { "OFF", "P1" };
	static const int64_t abs1[] = { 5, 7, 9, 1, 2, 3 }, d2[] = { 10, -3, 0, 4, 0, 0 };
	static const int64_t bad5[] = { 1, 1, 1, 1, 1 }, abs3[] = { -1, 0, 0, 0, 0, 0 };
	static const unsigned miss1[] = { 1 }, miss_bad[] = { 2, 1 };
	struct craft c = { .n = 0 };
	uint8_t body[1024], *p;
	struct list got = { 0 };
	const struct pmt_problem *pr;
	size_t np, bad = 0;
	int rc;

	p = body;
	p += pmt_put_varint(p, 1000);
	p += pmt_put_varint(p, 3);
	p = craft_chan(p, 1, 1, "Energy Model", "", "GPU Energy", "mJ", 0, NULL);
	p = craft_chan(p, 2, 2, "GPU Stats", "GPU Performance States", "GPUPH", "", 2, st);
	p = craft_chan(p, 9, 3, "Future", "", "new kind", "", 0, NULL);	/* 3 values, skipped */
	*p++ = 0x55;			/* appended by a newer writer: ignored */
	craft_rec(&c, PMT_REC_IOR_CHANNELS, body, (size_t)(p - body));
	craft_rec(&c, PMT_REC_IOR_SAMPLE, body, craft_ior_sample(body, 2000, 1, 1234,
	    abs1, 6, NULL, 0));
	craft_rec(&c, PMT_REC_IOR_SAMPLE, body, craft_ior_sample(body, 3000, 2, 0,
	    d2, 6, miss1, 1));
	/* a delta whose value count differs from its base: malformed, and the
	 * next delta has no base either */
	craft_rec(&c, PMT_REC_IOR_SAMPLE, body, craft_ior_sample(body, 4000, 0, 0,
	    bad5, 5, NULL, 0));
	craft_rec(&c, PMT_REC_IOR_SAMPLE, body, craft_ior_sample(body, 5000, 0, 0,
	    d2, 6, NULL, 0));
	craft_rec(&c, PMT_REC_IOR_SAMPLE, body, craft_ior_sample(body, 6000, 1, 0,
	    abs3, 6, NULL, 0));
	/* missing list out of order; a simple channel with two values */
	craft_rec(&c, PMT_REC_IOR_SAMPLE, body, craft_ior_sample(body, 7000, 3, 0,
	    abs1, 6, miss_bad, 2));
	p = body;
	p += pmt_put_varint(p, 8000);
	p += pmt_put_varint(p, 1);
	p = craft_chan(p, 1, 2, "Energy Model", "", "GPU Energy", "mJ", 0, NULL);
	craft_rec(&c, PMT_REC_IOR_CHANNELS, body, (size_t)(p - body));
	craft_finish(&c, 1, 1);
	np = read_all(c.file, c.flen, &got, &rc, &pr);
	CHECK(rc == 0 && got.n == 4, "IOReport by hand: the four well-formed records read back");
	CHECK_STR(got.n > 0 ? got.s[0] : "", "IORCH t=1000 n=3 [1 1 Energy Model||GPU Energy|mJ 0:]"
	    " [2 2 GPU Stats|GPU Performance States|GPUPH| 2:OFF,P1] [9 3 Future||new kind| 0:]",
	    "IOReport by hand: the channel table, a newer kind kept with its value count");
	CHECK_STR(got.n > 1 ? got.s[1] : "", "IORS t=2000 read=1234 n=6: 5 7 9 1 2 3 missing:",
	    "IOReport by hand: an absolute reading");
	CHECK_STR(got.n > 2 ? got.s[2] : "", "IORS t=3000 read=0 n=6: 15 4 9 5 2 3 missing: 1",
	    "IOReport by hand: a delta reading (one value goes back) with a missing channel");
	CHECK_STR(got.n > 3 ? got.s[3] : "", "IORS t=6000 read=0 n=6: 18446744073709551615 0 0 0 0 0 missing:",
	    "IOReport by hand: a new absolute reading after the damaged ones (2^64-1 kept)");
	for (size_t i = 0; i < np; i++)
		bad += pr[i].kind == PMT_P_BAD_RECORD;
	CHECK_U64(bad, 4, "IOReport by hand: value count mismatch, a delta without base, "
	    "an unordered missing list, an inconsistent channel: each reported");
	list_free(&got);
}

/* CALIB records by hand from FORMAT.md 2.3: what is read, what is refused. */
static void
test_calib_crafted(void)
{
	struct craft c = { .n = 0 };
	uint8_t body[512], *p;
	struct list got = { 0 };
	const struct pmt_problem *pr;
	size_t np, bad = 0;
	int rc;

	p = body;
	p += pmt_put_varint(p, 500);		/* t */
	*p++ = 1; *p++ = 4; p += pmt_put_varint(p, 64u << 20);	/* touched: 4 bytes */
	*p++ = 99; *p++ = 2; *p++ = 0xff; *p++ = 0x01;	/* a newer tag: skipped */
	*p++ = 15; *p++ = 3; memcpy(p, "n\x1bx", 3); p += 3;	/* note */
	*p++ = 6; *p++ = 2; p += pmt_put_varint(p, 300);	/* kernel_user_ns */
	craft_rec(&c, PMT_REC_CALIB, body, (size_t)(p - body));
	p = body;
	p += pmt_put_varint(p, 600);
	*p++ = 4; *p++ = 9; *p++ = 1;		/* a value said to run past the record */
	craft_rec(&c, PMT_REC_CALIB, body, (size_t)(p - body));
	p = body;
	p += pmt_put_varint(p, 700);
	*p++ = 4; *p++ = 2; *p++ = 1; *p++ = 1;	/* a one-byte varint in two bytes */
	craft_rec(&c, PMT_REC_CALIB, body, (size_t)(p - body));
	craft_rec(&c, PMT_REC_CALIB, body, 0);	/* no time */
	craft_finish(&c, 1, 1);
	np = read_all(c.file, c.flen, &got, &rc, &pr);
	CHECK(rc == 0 && got.n == 1, "CALIB by hand: the well-formed one reads back");
	CHECK_STR(got.n > 0 ? got.s[0] : "", "CALIB t=500 have=42 1=67108864 6=300 note=6e1b78",
	    "CALIB by hand: its numbers and note; a newer tag skipped");
	for (size_t i = 0; i < np; i++)
		bad += pr[i].kind == PMT_P_BAD_RECORD;
	CHECK_U64(bad, 3, "CALIB by hand: a value past the record, a malformed number, "
	    "no time: each reported");
	list_free(&got);
}

static void
test_textmode(void)
{
	struct opts op = { 0, 3, 1 };
	struct list exp = { 0 };
	size_t len, o = 0;
	uint8_t *d, *m;
	pmt_reader *r;
	char err[256];
	int rc;

	model_write(path, &op, &exp);
	d = slurp(path, &len);
	m = malloc(len * 2);
	for (size_t i = 0; i < len; i++)	/* CR LF -> LF, as a text transfer */
		if (!(d[i] == '\r' && i + 1 < len && d[i + 1] == '\n'))
			m[o++] = d[i];
	rc = pmt_reader_open_mem(&r, m, o, err, sizeof(err));
	CHECK(rc == PMT_E_TEXTMODE, "text-mode transfer (CRLF to LF): detected");
	printf("#   %s\n", err);
	o = 0;
	for (size_t i = 0; i < len; i++) {	/* LF -> CR LF */
		if (d[i] == '\n')
			m[o++] = '\r';
		m[o++] = d[i];
	}
	rc = pmt_reader_open_mem(&r, m, o, err, sizeof(err));
	CHECK(rc == PMT_E_TEXTMODE, "text-mode transfer (LF to CRLF): detected");
	memcpy(m, d, len);
	m[0] &= 0x7f;
	rc = pmt_reader_open_mem(&r, m, len, err, sizeof(err));
	CHECK(rc == PMT_E_TEXTMODE, "7-bit transfer: detected");
	rc = pmt_reader_open_mem(&r, "%PDF-1.4 hello", 14, err, sizeof(err));
	CHECK(rc == PMT_E_NOTRACE, "another kind of file: not a trace");
	free(m);
	free(d);
	list_free(&exp);
}

/* A file size limit (like a full disk): the writer fails cleanly. */
static void
test_disk_full(void)
{
	struct rlimit old, lim;
	struct pmt_header h;
	struct list got = { 0 };
	const struct pmt_problem *pr;
	pmt_writer *w;
	int fd, rc = 0, i;
	uint64_t flushed = 0;
	size_t len, np;
	uint8_t *d, junk[3000];

	for (size_t k = 0; k < sizeof(junk); k++)
		junk[k] = (uint8_t)(k * 2654435761u >> 13);
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	lim = old;
	lim.rlim_cur = 20000;
	setrlimit(RLIMIT_FSIZE, &lim);
	pmt_writer_open(&w, fd, NULL);
	model_header(&h);
	pmt_write_header(w, &h);
	for (i = 0; i < 100 && rc == 0; i++) {
		static uint64_t x = 88172645463325252ull;
		for (size_t k = 0; k < sizeof(junk); k++) {	/* incompressible */
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			junk[k] = (uint8_t)x;
		}
		rc = pmt_write_pm(w, (uint64_t)i, 0, junk, sizeof(junk));
		if (rc == 0)
			rc = pmt_writer_flush(w);
		if (rc == 0)
			flushed = pmt_writer_flushed_bytes(w);
	}
	CHECK(rc == PMT_E_NOSPC, "file size limit: the writer reports no space");
	CHECK(pmt_writer_errno(w) == EFBIG, "file size limit: errno is EFBIG");
	CHECK(pmt_write_pm(w, 1000, 0, "x", 1) == PMT_E_STATE, "file size limit: later writes refused");
	pmt_writer_abort(w);
	setrlimit(RLIMIT_FSIZE, &old);
	close(fd);
	d = slurp(path, &len);
	CHECK(len == flushed, "file size limit: the file is cut back to the last flush");
	np = read_all(d, len, &got, &rc, &pr);
	CHECK(rc == 0 && got.n == (size_t)i, "file size limit: every flushed record reads back");
	CHECK(!has_problem(pr, np, PMT_P_DAMAGED), "file size limit: no damage, only an unfinished trace");
	list_free(&got);
	free(d);
}

/*
 * Plist streams as powermetrics -f plist writes them: a NUL before every
 * sample after the first, none after the last (tests/data/powermetrics:
 * 4 NULs for 5 plists).  Offsets below are counted by hand.
 */
static void
test_pm_split_plist(void)
{
	/* bytes 0-23 the first plist, 24-25 two newlines, 26 the NUL, 27-50 the second */
	const char *s = "<?xml a?><plist></plist>\n\n\0<?xml b?><plist></plist>";
	const uint8_t *u = (const uint8_t *)s;
	int pre = -1;

	CHECK_U64(pmt_pm_split(u, 24, 0, &pre), 24, "pm split: a plist is complete at its </plist>");
	CHECK(pre == 0, "pm split: a plist is a sample");
	CHECK_U64(pmt_pm_split(u, 26, 0, &pre), 26, "pm split: ... with the white space after it");
	CHECK_U64(pmt_pm_split(u, 27, 0, &pre), 26, "pm split: the NUL after it starts the next plist");
	CHECK_U64(pmt_pm_split(u, 20, 0, &pre), 0, "pm split: a plist without </plist> is not complete");
	CHECK_U64(pmt_pm_split(u, 20, 1, &pre), 20, "pm split: ... unless the stream ended");
	CHECK_U64(pmt_pm_split(u + 26, 25, 0, &pre), 25, "pm split: the second plist, its NUL first, ends at </plist>");
	CHECK_U64(pmt_pm_split(u + 26, 10, 0, &pre), 0, "pm split: the NUL and the start of a plist wait for the rest");
	CHECK_U64(pmt_pm_split((const uint8_t *)"<?xml c?><plist><dict>\0<?xml", 28, 0, &pre), 22,
	    "pm split: a plist cut short ends at the NUL of the next one");
	CHECK_U64(pmt_pm_split((const uint8_t *)"\0\n", 2, 0, &pre), 0, "pm split: separators alone wait");
	CHECK_U64(pmt_pm_split((const uint8_t *)"\0\n", 2, 1, &pre), 2, "pm split: separators at the end are one unit");
	CHECK(pmt_pm_blank((const uint8_t *)"\0\n \t\r", 5), "pm blank: NULs and white space");
	CHECK(!pmt_pm_blank(u, 26), "pm blank: not a plist");
}

static void
test_helpers(void)
{
	uint8_t b[16];
	const uint8_t *p;
	uint64_t v;
	int pre;
	const char *s;

	CHECK_U64(pmt_crc32c(0, "123456789", 9), 0xE3069283u, "CRC32C check value of \"123456789\"");
	CHECK_U64(pmt_crc32c(pmt_crc32c(0, "1234", 4), "56789", 5), 0xE3069283u, "CRC32C continues across calls");
	CHECK_U64(pmt_ticks_to_ns(24000000, 125, 3), 1000000000u, "24 MHz Mach ticks (125/3): 24e6 ticks = 1 s");
	CHECK_U64(pmt_ticks_to_ns(100, 1000000000, 100), 1000000000u, "Linux USER_HZ: 100 ticks = 1 s");
	CHECK_U64(pmt_ticks_to_ns(UINT64_MAX / 2, 1, 1), UINT64_MAX / 2, "1/1 timebase is the identity");
	CHECK_U64(pmt_ticks_to_ns(3ull << 60, 125, 3), (1ull << 60) * 125, "large tick counts do not overflow");
	CHECK_U64(pmt_ticks_to_ns(7, 125, 3), 291, "ticks to ns rounds down (7 * 125 / 3 = 291.67)");
	CHECK_U64(pmt_put_varint(b, UINT64_MAX), 10, "varint of 2^64-1 takes 10 bytes");
	p = b;
	CHECK(pmt_get_varint(&p, b + 10, &v) == 0 && v == UINT64_MAX, "varint 2^64-1 decodes");
	memset(b, 0xff, 11);
	b[10] = 0;
	p = b;
	CHECK(pmt_get_varint(&p, b + 11, &v) != 0, "an 11-byte varint is refused");
	p = b;
	CHECK(pmt_get_varint(&p, b + 3, &v) != 0, "a varint cut short is refused");
	CHECK_I64(pmt_unzigzag(pmt_zigzag(INT64_MIN)), INT64_MIN, "zigzag of INT64_MIN round-trips");

	{
		const char *t = "Machine model: Mac14,2\nOS version: 21G72\n\n\n"
		    "*** Sampled system activity (x) (1000.1ms elapsed) ***\nA: 1\n"
		    "*** Sampled system activity 999 1.0 2.0\n"	/* a task's name */
		    "*** Sampled system activity (y) (999.9ms elapsed) *** \r\nB: 2\n";
		const uint8_t *u = (const uint8_t *)t;
		size_t h1 = (size_t)(strstr(t, "*** Sampled") - t);
		size_t h2 = (size_t)(strstr(t, "(y)") - t) - 28;
		size_t n = strlen(t);

		CHECK_U64(pmt_pm_split(u, n, 0, &pre), h1, "pm split: preamble ends at the first header");
		CHECK(pre == 1, "pm split: the preamble is flagged");
		CHECK_U64(pmt_pm_split(u + h1, n - h1, 0, &pre), h2 - h1, "pm split: a text sample ends at the next header");
		CHECK(pre == 0, "pm split: a sample is not a preamble");
		CHECK_U64(pmt_pm_split(u + h2, n - h2, 0, &pre), 0, "pm split: the last text sample waits for the next header");
		CHECK_U64(pmt_pm_split(u + h2, n - h2, 1, &pre), n - h2, "pm split: ... or the end of the stream");
	}
	s = "*** Sampled system activity (x) ***\nA\n*** Summ";
	CHECK_U64(pmt_pm_split((const uint8_t *)s, strlen(s), 0, &pre), 0, "pm split: a header cut short is not a boundary yet");
	s = "*** Sampled system activity (x) ***\nA\n*** Summary system activity (y) (9ms elapsed)";
	CHECK_U64(pmt_pm_split((const uint8_t *)s, strlen(s), 0, &pre), 0, "pm split: a header line without its end is not a boundary yet");
	test_pm_split_plist();
}

int
main(void)
{
	int fd = mkstemp(tmpl);

	if (fd < 0)
		return 1;
	close(fd);
	snprintf(path, sizeof(path), "%s", tmpl);
	test_helpers();
	test_roundtrip();
	test_truncation();
	test_corruption();
	test_frames();
	test_unknown_and_versions();
	test_problems_beyond_list();
	test_ior_crafted();
	test_calib_crafted();
	test_textmode();
	test_disk_full();
	unlink(path);
	return tap_done();
}
