/*
 * pmt_decode.c - turns record bodies back into records (FORMAT.md 2, 3):
 * header TLVs, delta-coded process and system samples, simple records.
 * Every length and count is checked against the body; a malformed body is
 * refused with a reason, never half-read.  Knows nothing of batches or zstd.
 */
#include <stdlib.h>
#include <string.h>

#include "pmt_internal.h"

/* ======================= HEADER ======================= */

/* Stores a string TLV value as a NUL-terminated copy in strings. */
static const char *
hdr_str(struct pmt_buf *strings, const uint8_t *v, size_t n)
{
	char *s = (char *)strings->p + strings->len;

	memcpy(s, v, n);
	s[n] = '\0';
	strings->len += n + 1;
	return s;
}

/* Decodes an integer TLV value; leaves *out alone if it is malformed. */
static void
hdr_int(const uint8_t *v, size_t n, int is_signed, void *out)
{
	const uint8_t *p = v;
	uint64_t u;

	if (pmt_get_varint(&p, v + n, &u) != 0)
		return;
	if (is_signed)
		*(int64_t *)out = pmt_unzigzag(u);
	else
		*(uint64_t *)out = u;
}

/* Applies one TLV to h; unknown tags are ignored (newer minor version). */
static void
hdr_apply(struct pmt_header *h, struct pmt_buf *strings, uint64_t tag,
    const uint8_t *v, size_t n)
{
	const char **strs[] = {
		[1] = &h->writer, [2] = &h->command_line, [3] = &h->host,
		[4] = &h->platform, [5] = &h->os_name, [6] = &h->os_version,
		[7] = &h->os_build, [8] = &h->chip, [9] = &h->model,
		[15] = &h->ane_cores_source, [18] = &h->target_name,
		[19] = &h->target_version, [28] = &h->core_tick_states,
		[29] = &h->costly_what, [31] = &h->pm_command, [33] = &h->timezone,
		[36] = &h->core_levels, [37] = &h->os_version_raw,
		[38] = &h->os_release, [40] = &h->helpers_lookup,
	};
	int64_t *sints[] = {
		[10] = &h->cores_p, [11] = &h->cores_e, [12] = &h->cpus_logical,
		[13] = &h->gpu_cores, [14] = &h->ane_cores, [20] = &h->target_pid,
		[23] = &h->utc_offset_s, [39] = &h->os_compat, [44] = &h->io_children,
	};
	uint64_t *uints[] = {
		[16] = &h->ram_bytes, [17] = &h->page_size,
		[21] = &h->mono_anchor_ns, [22] = &h->wall_anchor_ns,
		[24] = &h->interval_ns, [25] = &h->cpu_time_num,
		[26] = &h->cpu_time_den, [27] = &h->core_tick_hz,
		[30] = &h->costly_every_ns, [32] = &h->flush_ns,
		[34] = &h->frame_max_bytes, [35] = &h->frame_max_ns,
		[41] = &h->helpers_scan_ns,
	};

	if (tag < sizeof(strs) / sizeof(strs[0]) && strs[tag] != NULL)
		*strs[tag] = hdr_str(strings, v, n);
	else if (tag < sizeof(sints) / sizeof(sints[0]) && sints[tag] != NULL)
		hdr_int(v, n, 1, sints[tag]);
	else if (tag < sizeof(uints) / sizeof(uints[0]) && uints[tag] != NULL)
		hdr_int(v, n, 0, uints[tag]);
}

int
pmt_decode_header(const uint8_t *body, size_t len, struct pmt_header *h,
    struct pmt_buf *strings, const char **why)
{
	const uint8_t *p = body, *end = body + len;

	pmt_header_init(h);
	strings->len = 0;
	/* every string fits: at most len bytes plus one NUL per TLV */
	if (pmt_buf_reserve(strings, 2 * len + 1) != 0) {
		*why = "out of memory";
		return -1;
	}
	while (p < end) {
		uint64_t tag, n;
		if (pmt_get_varint(&p, end, &tag) != 0 ||
		    pmt_get_varint(&p, end, &n) != 0 || n > (uint64_t)(end - p)) {
			*why = "header field runs past the record";
			return -1;
		}
		hdr_apply(h, strings, tag, p, (size_t)n);
		p += n;
	}
	return 0;
}

/* ======================= Simple records ======================= */

int
pmt_decode_fields(const uint8_t *body, size_t len, const char *spec,
    uint64_t *vals, const uint8_t **tail, size_t *tail_len)
{
	const uint8_t *p = body, *end = body + len;

	for (size_t i = 0; spec[i] != '\0'; i++)
		if (pmt_get_varint(&p, end, &vals[i]) != 0)
			return -1;
		else if (spec[i] == 's')
			vals[i] = (uint64_t)pmt_unzigzag(vals[i]);
	if (tail != NULL) {
		*tail = p;
		*tail_len = (size_t)(end - p);
	}
	return 0;
}

/* ======================= PROC ======================= */

/* Reads a row's numeric fields (ascending, name bit excluded) into ns/r. */
static int
proc_row_values(const uint8_t **p, const uint8_t *end, uint64_t mask,
    int is_new, struct pmt_pstate *ns, struct pmt_proc *r)
{
	for (int f = 0; f < 64; f++) {
		uint64_t d;
		if (!(mask & ((uint64_t)1 << f)) || f == PMT_F_NAME)
			continue;
		if (pmt_get_varint(p, end, &d) != 0)
			return -1;
		if (f >= PMT_NFIELDS)
			continue;	/* a newer field: skipped */
		r->v[f] = (is_new ? 0 : ns->base[f]) + (uint64_t)pmt_unzigzag(d);
		ns->base[f] = r->v[f];
		ns->known |= PMT_HAVE(f);
		r->have |= PMT_HAVE(f);
	}
	return 0;
}

/* Reads a row's name into ns. */
static int
proc_row_name(const uint8_t **p, const uint8_t *end, struct pmt_pstate *ns)
{
	uint64_t n;

	if (pmt_get_varint(p, end, &n) != 0 || n > PMT_NAME_MAX ||
	    n > (uint64_t)(end - *p))
		return -1;
	memcpy(ns->name, *p, (size_t)n);
	ns->name[n] = '\0';
	ns->name_len = (uint8_t)n;
	*p += n;
	return 0;
}

/*
 * Decodes one row into r and its new state into ns.  *j walks the previous
 * state (sorted).  Returns 0 or -1 with *why.
 */
static int
proc_row(const uint8_t **p, const uint8_t *end, struct pmt_state *s,
    size_t *j, int32_t *last_pid, int first, struct pmt_proc *r,
    struct pmt_pstate *ns, const char **why)
{
	int64_t d, pid;
	uint64_t flags, mask;
	int is_new;

	if (pmt_get_svarint(p, end, &d) != 0 || pmt_get_varint(p, end, &flags) != 0) {
		*why = "process row runs past the record";
		return -1;
	}
	pid = (int64_t)*last_pid + d;
	if (pid < INT32_MIN || pid > INT32_MAX || (!first && pid <= *last_pid)) {
		*why = "process rows are not in ascending pid order";
		return -1;
	}
	is_new = (int)(flags & 1);
	mask = flags >> 1;
	while (*j < s->nprocs && s->procs[*j].pid < pid)
		(*j)++;
	memset(ns, 0, sizeof(*ns));
	memset(r, 0, sizeof(*r));
	if (!is_new) {
		if (*j >= s->nprocs || s->procs[*j].pid != pid) {
			*why = "process row continues a pid missing from the previous sample";
			return -1;
		}
		*ns = s->procs[*j];
	}
	ns->pid = r->pid = (int32_t)pid;
	r->is_new = is_new;
	if (proc_row_values(p, end, mask, is_new, ns, r) != 0 ||
	    ((mask & PMT_HAVE(PMT_F_NAME)) && proc_row_name(p, end, ns) != 0)) {
		*why = "process row runs past the record";
		return -1;
	}
	if (ns->name_len > 0) {
		r->have |= PMT_HAVE(PMT_F_NAME);
		r->name = ns->name;
		r->name_len = ns->name_len;
	}
	*last_pid = (int32_t)pid;
	return 0;
}

int
pmt_decode_proc(const uint8_t *body, size_t len, struct pmt_state *s,
    struct pmt_record *rec, struct pmt_proc **rows, size_t *rows_cap,
    const char **why)
{
	const uint8_t *p = body, *end = body + len;
	uint64_t t, n;
	size_t j = 0;
	int32_t last = 0;
	struct pmt_pstate *tmp;

	if (pmt_get_varint(&p, end, &t) != 0 || pmt_get_varint(&p, end, &n) != 0 ||
	    n > (uint64_t)(end - p) / 2) {
		*why = "process sample header is malformed";
		return -1;
	}
	if (pmt_state_reserve(s, (size_t)n) != 0) {
		*why = "out of memory";
		return -1;
	}
	if (n > *rows_cap) {
		struct pmt_proc *q = realloc(*rows, (size_t)n * sizeof(*q));
		if (q == NULL) {
			*why = "out of memory";
			return -1;
		}
		*rows = q;
		*rows_cap = (size_t)n;
	}
	for (size_t i = 0; i < n; i++)
		if (proc_row(&p, end, s, &j, &last, i == 0, &(*rows)[i],
		    &s->next[i], why) != 0)
			return -1;
	tmp = s->procs;
	s->procs = s->next;
	s->next = tmp;
	s->nprocs = (size_t)n;
	rec->t = t;
	rec->u.proc.rows = *rows;
	rec->u.proc.n = (size_t)n;
	return 0;
}

/* ======================= SYS ======================= */

/* Reads the per-core ticks of a SYS record into s->ticks. */
static int
sys_ticks(const uint8_t **p, const uint8_t *end, struct pmt_state *s, int abs,
    const char **why)
{
	uint64_t ncpu, nst;
	size_t n;

	if (pmt_get_varint(p, end, &ncpu) != 0 || pmt_get_varint(p, end, &nst) != 0 ||
	    ncpu > 4096 || nst > 64 || ncpu * nst > (uint64_t)(end - *p)) {
		*why = "system sample ticks are malformed";
		return -1;
	}
	n = (size_t)(ncpu * nst);
	if (!abs && (ncpu != s->ncpu || nst != s->nstates)) {
		*why = "system sample ticks change shape without ABS";
		return -1;
	}
	if (n > s->ticks_cap) {
		uint64_t *q = realloc(s->ticks, n * sizeof(*q));
		if (q == NULL) {
			*why = "out of memory";
			return -1;
		}
		s->ticks = q;
		s->ticks_cap = n;
	}
	for (size_t i = 0; i < n; i++) {
		int64_t d;
		if (pmt_get_svarint(p, end, &d) != 0) {
			*why = "system sample ticks run past the record";
			return -1;
		}
		s->ticks[i] = (abs ? 0 : s->ticks[i]) + (uint64_t)d;
	}
	s->ncpu = (uint32_t)ncpu;
	s->nstates = (uint32_t)nst;
	return 0;
}

int
pmt_decode_sys(const uint8_t *body, size_t len, struct pmt_state *s,
    struct pmt_record *rec, struct pmt_sys *out, const char **why)
{
	const uint8_t *p = body, *end = body + len;
	uint64_t t, flags, mask;
	int abs;

	if (pmt_get_varint(&p, end, &t) != 0 || pmt_get_varint(&p, end, &flags) != 0) {
		*why = "system sample header is malformed";
		return -1;
	}
	abs = (int)(flags & 1);
	mask = flags >> 1;
	if (!abs && !s->have_sys) {
		*why = "system sample is a delta without a base";
		return -1;
	}
	memset(out, 0, sizeof(*out));
	for (int f = 0; f < 64; f++) {
		uint64_t d;
		if (!(mask & ((uint64_t)1 << f)) || f == PMT_S_TICKS)
			continue;
		if (pmt_get_varint(&p, end, &d) != 0) {
			*why = "system sample runs past the record";
			return -1;
		}
		if (f > PMT_S_TICKS)
			continue;	/* a newer field: skipped */
		s->sys_base[f] = (abs ? 0 : s->sys_base[f]) + (uint64_t)pmt_unzigzag(d);
		out->v[f] = s->sys_base[f];
		out->have |= PMT_HAVE(f);
	}
	if (abs)
		for (int f = 0; f < PMT_S_TICKS; f++)
			if (!(mask & PMT_HAVE(f)))
				s->sys_base[f] = 0;
	if (mask & PMT_HAVE(PMT_S_TICKS)) {
		if (sys_ticks(&p, end, s, abs, why) != 0)
			return -1;
		out->have |= PMT_HAVE(PMT_S_TICKS);
		out->ncpu = s->ncpu;
		out->nstates = s->nstates;
		out->ticks = s->ticks;
	} else if (abs) {
		s->ncpu = s->nstates = 0;
	}
	s->have_sys = 1;
	rec->t = t;
	rec->u.sys = out;
	return 0;
}
