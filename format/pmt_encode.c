/*
 * pmt_encode.c - turns records into record bodies (FORMAT.md 2 and 3):
 * header TLVs, delta-coded process and system samples, and the simple
 * records.  Knows nothing of batches, zstd or files (pmt_write.c does).
 */
#include <stdlib.h>
#include <string.h>

#include "pmt_internal.h"

/* ======================= Small writers ======================= */

/* Appends a varint; room must have been reserved. */
static void
put_u(struct pmt_buf *b, uint64_t v)
{
	b->len += pmt_put_varint(b->p + b->len, v);
}

static void
put_s(struct pmt_buf *b, int64_t v)
{
	put_u(b, pmt_zigzag(v));
}

static void
put_bytes(struct pmt_buf *b, const void *p, size_t n)
{
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

/* ======================= HEADER ======================= */

/* Appends one TLV with a string value; skipped when s is NULL. */
static int
tlv_str(struct pmt_buf *b, unsigned tag, const char *s)
{
	size_t n;
	int rc;

	if (s == NULL)
		return 0;
	n = strlen(s);
	if ((rc = pmt_buf_reserve(b, n + 20)) != 0)
		return rc;
	put_u(b, tag);
	put_u(b, n);
	put_bytes(b, s, n);
	return 0;
}

/* Appends one TLV with an integer value (varint, or svarint if is_signed). */
static int
tlv_int(struct pmt_buf *b, unsigned tag, uint64_t v, int is_signed)
{
	uint8_t tmp[10];
	size_t n;
	int rc;

	n = pmt_put_varint(tmp, is_signed ? pmt_zigzag((int64_t)v) : v);
	if ((rc = pmt_buf_reserve(b, n + 20)) != 0)
		return rc;
	put_u(b, tag);
	put_u(b, n);
	put_bytes(b, tmp, n);
	return 0;
}

int
pmt_encode_header(struct pmt_buf *body, const struct pmt_header *h)
{
	const struct { unsigned tag; const char *s; } strs[] = {
		{ 1, h->writer }, { 2, h->command_line }, { 3, h->host },
		{ 4, h->platform }, { 5, h->os_name }, { 6, h->os_version },
		{ 7, h->os_build }, { 8, h->chip }, { 9, h->model },
		{ 15, h->ane_cores_source }, { 18, h->target_name },
		{ 19, h->target_version }, { 28, h->core_tick_states },
		{ 29, h->costly_what }, { 31, h->pm_command }, { 33, h->timezone },
		{ 36, h->core_levels }, { 37, h->os_version_raw },
		{ 38, h->os_release }, { 40, h->helpers_lookup },
	};
	const struct { unsigned tag; int64_t v; } sints[] = {
		{ 10, h->cores_p }, { 11, h->cores_e }, { 12, h->cpus_logical },
		{ 13, h->gpu_cores }, { 14, h->ane_cores }, { 20, h->target_pid },
		{ 23, h->utc_offset_s }, { 39, h->os_compat }, { 44, h->io_children },
	};
	const struct { unsigned tag; uint64_t v; } uints[] = {
		{ 16, h->ram_bytes }, { 17, h->page_size },
		{ 21, h->mono_anchor_ns }, { 22, h->wall_anchor_ns },
		{ 24, h->interval_ns }, { 25, h->cpu_time_num },
		{ 26, h->cpu_time_den }, { 27, h->core_tick_hz },
		{ 30, h->costly_every_ns }, { 32, h->flush_ns },
		{ 34, h->frame_max_bytes }, { 35, h->frame_max_ns },
		{ 41, h->helpers_scan_ns },
	};
	int rc = 0;

	body->len = 0;
	for (size_t i = 0; rc == 0 && i < sizeof(strs) / sizeof(strs[0]); i++)
		rc = tlv_str(body, strs[i].tag, strs[i].s);
	for (size_t i = 0; rc == 0 && i < sizeof(sints) / sizeof(sints[0]); i++)
		rc = tlv_int(body, sints[i].tag, (uint64_t)sints[i].v, 1);
	for (size_t i = 0; rc == 0 && i < sizeof(uints) / sizeof(uints[0]); i++)
		rc = tlv_int(body, uints[i].tag, uints[i].v, 0);
	return rc;
}

/* ======================= Simple records ======================= */

int
pmt_encode_fields(struct pmt_buf *body, const char *spec, const uint64_t *vals,
    const void *tail, size_t tail_len)
{
	size_t n = strlen(spec);
	int rc;

	body->len = 0;
	if ((rc = pmt_buf_reserve(body, n * 10 + tail_len)) != 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (spec[i] == 's')
			put_s(body, (int64_t)vals[i]);
		else
			put_u(body, vals[i]);
	}
	put_bytes(body, tail, tail_len);
	return 0;
}

/* ======================= PROC ======================= */

static const struct pmt_proc *sort_rows;	/* qsort has no context argument */

static int
cmp_rows(const void *a, const void *b)
{
	int32_t pa = sort_rows[*(const size_t *)a].pid;
	int32_t pb = sort_rows[*(const size_t *)b].pid;

	return (pa > pb) - (pa < pb);
}

/* Sorts row indices by pid into s->order; PMT_E_ARG on a duplicate pid. */
static int
proc_sort(struct pmt_state *s, const struct pmt_proc *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		s->order[i] = i;
	sort_rows = rows;
	qsort(s->order, n, sizeof(s->order[0]), cmp_rows);
	sort_rows = NULL;
	for (size_t i = 1; i < n; i++)
		if (rows[s->order[i]].pid == rows[s->order[i - 1]].pid)
			return PMT_E_ARG;
	return 0;
}

/* True if row r continues the process held in prev (same pid, same start). */
static int
proc_continues(const struct pmt_pstate *prev, const struct pmt_proc *r)
{
	uint32_t st = PMT_HAVE(PMT_F_START);

	if ((r->have & st) && (prev->known & st))
		return prev->base[PMT_F_START] == r->v[PMT_F_START];
	return 1;
}

/*
 * Encodes row r and stores the new per-pid state in *ns.  prev is the state
 * of the same pid (NULL if none); is_new says whether the row starts over
 * (bases 0) - prev still supplies the name across a frame boundary.  Room
 * must have been reserved.
 */
static void
proc_encode_row(struct pmt_buf *b, const struct pmt_pstate *prev, int is_new,
    const struct pmt_proc *r, int32_t last_pid, struct pmt_pstate *ns)
{
	uint32_t have = r->have & (PMT_HAVE(PMT_NFIELDS) - 1) & ~PMT_HAVE(PMT_F_NAME);
	uint32_t name_bit = 0;

	memset(ns, 0, sizeof(*ns));
	ns->pid = r->pid;
	if (!is_new) {
		ns->known = prev->known;
		memcpy(ns->base, prev->base, sizeof(ns->base));
	}
	if ((r->have & PMT_HAVE(PMT_F_NAME)) && r->name != NULL) {
		ns->name_len = (uint8_t)(r->name_len > PMT_NAME_MAX ?
		    PMT_NAME_MAX : r->name_len);
		memcpy(ns->name, r->name, ns->name_len);
		name_bit = PMT_HAVE(PMT_F_NAME);
	} else if (prev != NULL && prev->name_len > 0) {
		ns->name_len = prev->name_len;	/* kept across frames */
		memcpy(ns->name, prev->name, prev->name_len);
		name_bit = is_new ? PMT_HAVE(PMT_F_NAME) : 0;
	}
	put_s(b, (int64_t)r->pid - last_pid);
	put_u(b, (uint64_t)(is_new != 0) | (uint64_t)(have | name_bit) << 1);
	for (int f = 0; f < PMT_NFIELDS; f++) {	/* ascending, the name after them */
		if (!(have & PMT_HAVE(f)))
			continue;
		put_s(b, (int64_t)(r->v[f] - ns->base[f]));
		ns->base[f] = r->v[f];
		ns->known |= PMT_HAVE(f);
	}
	if (name_bit) {
		put_u(b, ns->name_len);
		put_bytes(b, ns->name, ns->name_len);
	}
}

int
pmt_encode_proc(struct pmt_buf *body, struct pmt_state *s, uint64_t t,
    const struct pmt_proc *rows, size_t n)
{
	size_t j = 0;
	int32_t last_pid = 0;
	struct pmt_pstate *tmp;
	int rc;

	body->len = 0;
	if ((rc = pmt_state_reserve(s, n)) != 0)
		return rc;
	if (n > 0 && (rc = proc_sort(s, rows, n)) != 0)
		return rc;
	if ((rc = pmt_buf_reserve(body, 20 + n * (12 + 10 * PMT_NFIELDS +
	    PMT_NAME_MAX))) != 0)
		return rc;
	put_u(body, t);
	put_u(body, n);
	for (size_t i = 0; i < n; i++) {
		const struct pmt_proc *r = &rows[s->order[i]];
		const struct pmt_pstate *prev = NULL;
		int is_new = 1;

		while (j < s->nprocs && s->procs[j].pid < r->pid)
			j++;
		if (j < s->nprocs && s->procs[j].pid == r->pid &&
		    proc_continues(&s->procs[j], r)) {
			prev = &s->procs[j];
			is_new = s->fresh;
		}
		proc_encode_row(body, prev, is_new, r, last_pid, &s->next[i]);
		last_pid = r->pid;
	}
	tmp = s->procs;
	s->procs = s->next;
	s->next = tmp;
	s->nprocs = n;
	s->fresh = 0;
	return 0;
}

/* ======================= SYS ======================= */

/* Keeps a copy of the ticks as the next base.  Returns 0 or PMT_E_NOMEM. */
static int
sys_keep_ticks(struct pmt_state *s, const struct pmt_sys *sys)
{
	size_t n = (size_t)sys->ncpu * sys->nstates;

	if (n > s->ticks_cap) {
		uint64_t *p = realloc(s->ticks, n * sizeof(*p));
		if (p == NULL)
			return PMT_E_NOMEM;
		s->ticks = p;
		s->ticks_cap = n;
	}
	if (n > 0)
		memcpy(s->ticks, sys->ticks, n * sizeof(*s->ticks));
	s->ncpu = sys->ncpu;
	s->nstates = sys->nstates;
	return 0;
}

int
pmt_encode_sys(struct pmt_buf *body, struct pmt_state *s, uint64_t t,
    const struct pmt_sys *sys)
{
	uint32_t have = sys->have & (PMT_HAVE(PMT_NSYS) - 1);
	int has_ticks = (have & PMT_HAVE(PMT_S_TICKS)) != 0;
	size_t nt = has_ticks ? (size_t)sys->ncpu * sys->nstates : 0;
	int abs;
	int rc;

	body->len = 0;
	if (has_ticks && (sys->ncpu > 4096 || sys->nstates > 64 ||
	    (nt > 0 && sys->ticks == NULL)))
		return PMT_E_ARG;
	abs = !s->have_sys || (has_ticks && (sys->ncpu != s->ncpu ||
	    sys->nstates != s->nstates));
	if ((rc = pmt_buf_reserve(body, 80 + nt * 10)) != 0)
		return rc;
	put_u(body, t);
	put_u(body, (uint64_t)abs | (uint64_t)have << 1);
	for (int f = 0; f < PMT_S_TICKS; f++) {
		if (!(have & PMT_HAVE(f)))
			continue;
		put_s(body, (int64_t)(sys->v[f] - (abs ? 0 : s->sys_base[f])));
		s->sys_base[f] = sys->v[f];
	}
	if (has_ticks) {
		put_u(body, sys->ncpu);
		put_u(body, sys->nstates);
		for (size_t i = 0; i < nt; i++)
			put_s(body, (int64_t)(sys->ticks[i] - (abs ? 0 : s->ticks[i])));
		if ((rc = sys_keep_ticks(s, sys)) != 0)
			return rc;
	}
	if (abs) {	/* fields not in an ABS record have base 0 */
		for (int f = 0; f < PMT_S_TICKS; f++)
			if (!(have & PMT_HAVE(f)))
				s->sys_base[f] = 0;
		if (!has_ticks)
			s->ncpu = s->nstates = 0;
	}
	s->have_sys = 1;
	return 0;
}
