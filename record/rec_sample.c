/*
 * rec_sample.c - reads one sample of the target's tree (walk, raw counters,
 * per-process GPU time) and of the system, and turns the platform's raw
 * values into trace rows without converting anything.  It decides what to
 * read when (names of new processes, costly reads now and then); it does not
 * schedule samples or write the trace (rec_loop.c).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cmn_pid.h"
#include "rec_gpu.h"
#include "rec_sample.h"

int
rec_sample_init(struct rec_sampler *s, const struct plat_info *info, int32_t root)
{
	memset(s, 0, offsetof(struct rec_sampler, tree));
	s->info = info;
	s->root = root;
	cmn_rate_init(&s->costly_rate, (uint64_t)info->costly_min_ms * 1000000u);
	cmn_rate_init(&s->gpu_rate, 200000000u);
	s->nrows = s->nprev = 0;
	s->procs_seen = 0;
	s->tree_max = REC_TREE_MAX;
	s->prev = calloc(REC_TREE_MAX, sizeof(*s->prev));
	s->cur = calloc(REC_TREE_MAX, sizeof(*s->cur));
	if (s->prev == NULL || s->cur == NULL) {
		rec_sample_free(s);
		return -ENOMEM;
	}
	return 0;
}

void
rec_sample_free(struct rec_sampler *s)
{
	free(s->prev);
	free(s->cur);
	free(s->gpu);
	rec_gpu_track_free(&s->gpu_track);
	s->prev = s->cur = NULL;
	s->gpu = NULL;
	s->gpu_cap = 0;
}

_Static_assert(offsetof(struct rec_member, pid) == 0, "rec_member: pid first");

/* The previous sample's entry for pid, or NULL. */
static const struct rec_member *
prev_find(const struct rec_sampler *s, int32_t pid)
{
	size_t at;

	return cmn_pid_find(s->prev, s->nprev, sizeof(*s->prev),
	    offsetof(struct rec_member, pid), pid, &at) ? &s->prev[at] : NULL;
}

/* Copies the platform's counters into a trace row (contract in rec_sample.h). */
void
rec_sample_row_fill(struct pmt_proc *r, const struct plat_proc *p, int32_t walk_parent)
{
	static const struct { uint32_t have; int f; } map[] = {
		{ PLAT_HAVE_START, PMT_F_START }, { PLAT_HAVE_CPU, PMT_F_USER },
		{ PLAT_HAVE_CPU, PMT_F_SYSTEM }, { PLAT_HAVE_CHILD_CPU, PMT_F_CHILD_USER },
		{ PLAT_HAVE_CHILD_CPU, PMT_F_CHILD_SYSTEM }, { PLAT_HAVE_RSS, PMT_F_RSS },
		{ PLAT_HAVE_FOOTPRINT, PMT_F_FOOTPRINT }, { PLAT_HAVE_PSS, PMT_F_PSS },
		{ PLAT_HAVE_THREADS, PMT_F_THREADS }, { PLAT_HAVE_IO, PMT_F_READ_BYTES },
		{ PLAT_HAVE_IO, PMT_F_WRITE_BYTES }, { PLAT_HAVE_CPU_ENERGY, PMT_F_CPU_ENERGY_NJ },
		{ PLAT_HAVE_CPU_NS, PMT_F_CPU_NS },
	};
	const uint64_t vals[] = { p->start_time, p->user, p->system, p->child_user,
	    p->child_system, p->rss, p->footprint, p->pss, p->threads,
	    p->read_bytes, p->write_bytes, p->cpu_energy_nj, p->cpu_ns };

	r->pid = p->pid;
	r->have = PMT_HAVE(PMT_F_PPID);
	r->v[PMT_F_PPID] = (uint64_t)(int64_t)((p->have & PLAT_HAVE_PPID) ?
	    p->ppid : walk_parent);
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (p->have & map[i].have) {
			r->have |= PMT_HAVE(map[i].f);
			r->v[map[i].f] = vals[i];
		}
}

/*
 * Puts the process's name in row r when the trace does not have it yet: a
 * new process, or one whose name changed (after exec, e.g. a shell's child
 * seen between fork and exec).  m keeps the name stored.
 */
static void
sample_name(struct rec_sampler *s, const struct plat_proc *p,
    const struct rec_member *old, struct pmt_proc *r, struct rec_member *m)
{
	if (!(p->have & PLAT_HAVE_NAME)) {
		if (old != NULL)
			memcpy(m->name, old->name, sizeof(m->name));
		else
			m->name[0] = '\0';
		return;
	}
	memcpy(m->name, p->name, sizeof(m->name));
	m->name[PLAT_NAME_MAX - 1] = '\0';
	if (old != NULL && strcmp(old->name, m->name) == 0)
		return;
	memcpy(s->names[s->nrows], m->name, sizeof(m->name));
	r->name = s->names[s->nrows];
	r->name_len = strlen(r->name);
	r->have |= PMT_HAVE(PMT_F_NAME);
}

/* Reads pid (tree index i) into row *r; 0, or -errno when it is not there. */
static int
sample_one(struct rec_sampler *s, size_t i, unsigned want_costly, struct pmt_proc *r,
    struct rec_member *m)
{
	struct plat_proc p;
	const struct rec_member *old = prev_find(s, s->tree[i]);
	unsigned want = want_costly | (old == NULL ? PLAT_WANT_NAME : 0);
	int rc;

	memset(&p, 0, sizeof(p));
	if ((rc = platform_sample_proc(s->tree[i], want, &p)) != 0) {
		if (rc != -ESRCH && i > 0)	/* gone is no loss; the root stops all */
			rec_loss_note(&s->loss, PMT_LOSS_PROC, "process %d of the tree "
			    "could not be read (%s): it is missing from the samples "
			    "where that happens", (int)s->tree[i], strerror(-rc));
		return rc;
	}
	p.pid = s->tree[i];
	if (old != NULL && (p.have & PLAT_HAVE_START) && old->start != p.start_time) {
		if (!(p.have & PLAT_HAVE_NAME)) {	/* reused pid: read the name too */
			memset(&p, 0, sizeof(p));
			if ((rc = platform_sample_proc(s->tree[i], want | PLAT_WANT_NAME, &p)) != 0)
				return rc;
			p.pid = s->tree[i];
		}
		old = NULL;
	}
	memset(r, 0, sizeof(*r));
	rec_sample_row_fill(r, &p, s->parents[i]);
	sample_name(s, &p, old, r, m);
	if (old == NULL) {
		s->procs_seen++;
		rec_gpu_track_forget(&s->gpu_track, p.pid);	/* a reused pid */
	}
	m->pid = p.pid;
	m->start = (p.have & PLAT_HAVE_START) ? p.start_time : 0;
	s->rss_sum += (p.have & PLAT_HAVE_RSS) ? p.rss : 0;
	s->cpu_sum += (p.have & PLAT_HAVE_CPU) ? p.user + p.system : 0;
	return 0;
}

/*
 * Reads the GPU clients of the sorted pids[0..n) into s->gpu, growing it
 * when they do not fit.  Returns how many, or -errno (-ENOSPC: more than
 * REC_GPU_MAX; -ENOTSUP: no per-process GPU time here).
 */
static int
sample_gpu_read(struct rec_sampler *s, const int32_t *pids, size_t n)
{
	struct plat_gpu_client *p;
	int got = -ENOSPC;

	for (int pass = 0; pass < 3; pass++) {
		if (s->gpu_cap == 0 || (got > 0 && (size_t)got > s->gpu_cap)) {
			size_t want = got > REC_GPU_FIRST ? (size_t)got : REC_GPU_FIRST;
			if (want > REC_GPU_MAX)
				return -ENOSPC;
			if ((p = realloc(s->gpu, want * sizeof(*p))) == NULL)
				return -ENOMEM;
			s->gpu = p;
			s->gpu_cap = want;
		}
		got = platform_gpu_clients_of(pids, n, s->gpu, s->gpu_cap);
		if (got < 0 || (size_t)got <= s->gpu_cap)
			return got;
	}
	return -ENOSPC;	/* clients keep appearing faster than we make room */
}

/* Counts a GPU read that failed (rc: -errno; -ENOTSUP: none here, no loss). */
static void
sample_gpu_lost(struct rec_sampler *s, int rc)
{
	if (rc == -ENOSPC) {
		s->gpu_skipped++;
		rec_loss_note(&s->loss, PMT_LOSS_GPU_CAP, "the tree has more GPU "
		    "clients than the %d read: no GPU time in the samples where that "
		    "happens", (int)REC_GPU_MAX);
	} else if (rc != -ENOTSUP) {
		rec_loss_note(&s->loss, PMT_LOSS_GPU_READ, "the GPU clients could not "
		    "be read (%s): no GPU time in the samples where that happens",
		    strerror(-rc));
	}
}

/*
 * Adds the per-process GPU time of the tree's GPU clients to the rows: the
 * backend picks the tree's clients during its walk, the tracker follows
 * them by registry id so a closed client's time stays in its pid's total.
 * A read that does not fit is dropped whole (a partial one would look like
 * closed clients, then new ones).
 */
static void
sample_gpu(struct rec_sampler *s)
{
	uint64_t ns;
	int n, rc = 0;

	for (size_t i = 0; i < s->nrows; i++)
		s->gpu_pids[i] = s->rows[i].pid;
	qsort(s->gpu_pids, s->nrows, sizeof(*s->gpu_pids), cmn_pid_cmp_first);
	n = sample_gpu_read(s, s->gpu_pids, s->nrows);
	if (n >= 0)
		rc = rec_gpu_track_update(&s->gpu_track, s->gpu, (size_t)n);
	if (n < 0 || rc != 0) {
		sample_gpu_lost(s, n < 0 ? n : rc);
		return;
	}
	for (size_t i = 0; i < s->nrows; i++) {
		rec_gpu_track_total(&s->gpu_track, s->rows[i].pid, &ns);
		s->rows[i].have |= PMT_HAVE(PMT_F_GPU_NS);
		s->rows[i].v[PMT_F_GPU_NS] = ns;
	}
}

/* Tells the backend about processes that left the tree since last time. */
static void
sample_forget(struct rec_sampler *s, size_t ncur)
{
	size_t j = 0;

	for (size_t i = 0; i < s->nprev; i++) {
		while (j < ncur && s->cur[j].pid < s->prev[i].pid)
			j++;
		if (j == ncur || s->cur[j].pid != s->prev[i].pid) {
			platform_forget_proc(s->prev[i].pid);
			rec_gpu_track_forget(&s->gpu_track, s->prev[i].pid);
		}
	}
}

/*
 * One sample of the tree at t; final: the recording's last, which reads
 * what is read only now and then (costly values, GPU time) whatever its
 * spacing.
 */
static int
sample_tree(struct rec_sampler *s, uint64_t t, int final)
{
	unsigned costly = 0;
	size_t ncur = 0;
	size_t cut;
	int n = rec_target_walk(s->root, s->tree, s->parents,
	    s->tree_max < REC_TREE_MAX ? s->tree_max : REC_TREE_MAX, &cut);
	struct rec_member *tmp;

	s->nrows = 0;
	s->rss_sum = s->cpu_sum = 0;
	if (n < 0)
		return -ESRCH;
	if (cut > 0)
		rec_loss_note(&s->loss, PMT_LOSS_TREE_CUT, "the tree has more than %d "
		    "processes (%zu more found): only the first %d are followed",
		    n, cut, n);
	if (s->costly_rate.every_ns > 0 && (cmn_rate_take(&s->costly_rate, t) || final))
		costly = PLAT_WANT_COSTLY;
	if (final)
		costly |= PLAT_WANT_FINAL;
	for (size_t i = 0; i < (size_t)n; i++) {
		int rc = sample_one(s, i, costly, &s->rows[s->nrows], &s->cur[ncur]);
		if (rc != 0) {
			if (i == 0)
				return rc;	/* the root went away, or is unreadable */
			continue;
		}
		s->nrows++;
		ncur++;
	}
	if (cmn_rate_take(&s->gpu_rate, t) || final)
		sample_gpu(s);
	qsort(s->cur, ncur, sizeof(*s->cur), cmn_pid_cmp_first);
	sample_forget(s, ncur);
	tmp = s->prev;
	s->prev = s->cur;
	s->cur = tmp;
	s->nprev = ncur;
	return 0;
}

int
rec_sample_tree(struct rec_sampler *s, uint64_t t)
{
	return sample_tree(s, t, 0);
}

int
rec_sample_tree_final(struct rec_sampler *s, uint64_t t)
{
	return sample_tree(s, t, 1);
}

int
rec_sample_system(struct pmt_sys *out)
{
	static uint64_t ticks[4096];
	struct plat_sys s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.ticks = ticks;
	s.ticks_cap = sizeof(ticks) / sizeof(ticks[0]);
	if ((rc = platform_sample_system(&s)) != 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->v[PMT_S_SWAP_USED] = s.swap_used;
	out->v[PMT_S_SWAP_TOTAL] = s.swap_total;
	out->v[PMT_S_RAM_TOTAL] = s.ram_total;
	out->have = PMT_HAVE(PMT_S_SWAP_USED) | PMT_HAVE(PMT_S_SWAP_TOTAL) |
	    PMT_HAVE(PMT_S_RAM_TOTAL);
	if (s.ram_available > 0) {
		out->v[PMT_S_RAM_AVAIL] = s.ram_available;
		out->have |= PMT_HAVE(PMT_S_RAM_AVAIL);
	}
	if (s.ncpu > 0 && s.nstates > 0) {
		out->ncpu = s.ncpu;
		out->nstates = s.nstates;
		out->ticks = ticks;
		out->have |= PMT_HAVE(PMT_S_TICKS);
	}
	return 0;
}
