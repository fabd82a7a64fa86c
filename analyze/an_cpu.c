/*
 * an_cpu.c - the CPU accounting rule for a process tree (see an_cpu.h):
 * growth of the processes present twice, the whole life of new ones, and
 * the reaped-children counters of surviving parents minus what was already
 * seen of their vanished children.  Pure arithmetic on two samples; it
 * reads no trace and converts no units.
 */
#include <stdlib.h>

#include "an_cpu.h"

/* max(0, a - b) */
static uint64_t
grow(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/* True if a and b are the same process (same pid and start time). */
static int
same_proc(const struct an_pstate *a, const struct an_pstate *b)
{
	return a->pid == b->pid &&
	    (!a->has_start || !b->has_start || a->start == b->start);
}

/* Index of pid in the sorted array s[0..n), or -1. */
static long
find_pid(const struct an_pstate *s, size_t n, int32_t pid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s[mid].pid < pid)
			lo = mid + 1;
		else if (s[mid].pid > pid)
			hi = mid;
		else
			return (long)mid;
	}
	return -1;
}

/* The CPU a process had used when seen: the finer reading when there is one. */
static uint64_t
own_of(const struct an_pstate *s)
{
	return s->has_fine ? s->own_fine : s->own;
}

/*
 * Adds v to u's CPU.  coarse: it came from tick counters (1: even a 0 from
 * them means "less than a tick"; 2: only when not 0, for reaped-children
 * counters, which do not grow in most intervals).
 */
static void
cpu_add(struct an_usage *u, uint64_t v, int coarse)
{
	u->cpu += v;
	if (coarse == 1 || (coarse == 2 && v > 0))
		u->coarse = 1;
}

/*
 * Adds what one process used: its growth if it was in the previous sample
 * (nothing if a counter is read there for the first time: a baseline), and
 * everything since it started if it is new.
 */
static void
usage_add(struct an_usage *u, const struct an_pstate *c, const struct an_pstate *p)
{
	if (c->has_gpu) {
		u->gpu_known = 1;
		u->gpu_ns += p == NULL ? c->gpu_ns : p->has_gpu ? grow(c->gpu_ns, p->gpu_ns) : 0;
	}
	if (c->has_io) {		/* a process seen before: io_add() */
		u->io_known = 1;
		u->rd += p == NULL ? c->rd : 0;
		u->wr += p == NULL ? c->wr : 0;
	}
	if (c->has_fine)
		u->fine = 1;
	if (!c->has_cpu && !c->has_fine)
		return;
	if (p == NULL) {
		cpu_add(u, own_of(c), !c->has_fine);
		cpu_add(u, c->has_child ? c->child : 0, 2);
	} else if (c->has_fine && p->has_fine)
		cpu_add(u, grow(c->own_fine, p->own_fine), 0);
	else if (c->has_cpu && p->has_cpu)
		cpu_add(u, grow(c->own, p->own), 1);
}

/*
 * The surviving process (index in cur) that inherits what vanished prev[k]
 * used: its parent, or, when the parent vanished too, the nearest surviving
 * ancestor (a whole subtree that exits is reaped upwards).  -1 if none.
 */
static long
heir_of(const struct an_pstate *prev, size_t np, const char *seen,
    const struct an_pstate *cur, size_t nc, const long *match, size_t k)
{
	int32_t pid = prev[k].ppid;

	for (int depth = 0; depth < 64; depth++) {
		long q = find_pid(cur, nc, pid), v;
		if (q >= 0 && match[q] >= 0)
			return q;
		v = find_pid(prev, np, pid);
		if (v < 0 || seen[v])
			return -1;	/* left the tree, or was replaced */
		pid = prev[v].ppid;
	}
	return -1;
}

/*
 * Adds the disk bytes of a process seen before (c, p: now and then): its
 * growth beyond what it owes (vanished children's bytes already counted,
 * gone_rd/gone_wr now and what p still owed).  Without a reading now it
 * keeps owing.  A reading settles the debt: a child is gone from the list
 * only once reaped, and the reaping added its bytes before this reading;
 * what the growth did not show was never added (a parent that did not
 * wait, SIGCHLD ignored), so it is not taken from later growth.
 */
static void
io_add(struct an_usage *u, struct an_pstate *c, const struct an_pstate *p,
    uint64_t gone_rd, uint64_t gone_wr)
{
	uint64_t owe_rd = p->owe_rd + gone_rd, owe_wr = p->owe_wr + gone_wr;

	if (!c->has_io) {
		c->owe_rd = owe_rd;
		c->owe_wr = owe_wr;
		return;
	}
	if (p->has_io) {
		u->rd += grow(grow(c->rd, p->rd), owe_rd);
		u->wr += grow(grow(c->wr, p->wr), owe_wr);
	}
	c->owe_rd = c->owe_wr = 0;
}

void
an_cpu_interval(const struct an_pstate *prev, size_t np,
    struct an_pstate *cur, size_t nc, long *match, int io_children,
    struct an_usage *u)
{
	uint64_t *gone = calloc(nc ? nc : 1, sizeof(*gone));
	uint64_t *gone_rd = calloc(nc ? nc : 1, sizeof(*gone_rd));
	uint64_t *gone_wr = calloc(nc ? nc : 1, sizeof(*gone_wr));
	char *seen = calloc(np ? np : 1, 1);
	size_t j = 0;

	*u = (struct an_usage){ 0 };
	for (size_t i = 0; i < nc; i++) {
		const struct an_pstate *p = NULL;
		while (j < np && prev[j].pid < cur[i].pid)
			j++;
		match[i] = -1;
		if (j < np && same_proc(&prev[j], &cur[i])) {
			p = &prev[j];
			match[i] = (long)j;
			if (seen != NULL)
				seen[j] = 1;
		}
		usage_add(u, &cur[i], p);
	}
	/* vanished processes: their last-seen CPU (and bytes), charged to their heir */
	for (size_t k = 0; k < np && gone && gone_rd && gone_wr && seen; k++) {
		long q;
		if (seen[k] || (q = heir_of(prev, np, seen, cur, nc, match, k)) < 0)
			continue;
		if (prev[k].has_cpu || prev[k].has_fine)
			gone[q] += own_of(&prev[k]) + (prev[k].has_child ? prev[k].child : 0);
		if (io_children && prev[k].has_io) {
			gone_rd[q] += prev[k].rd + prev[k].owe_rd;
			gone_wr[q] += prev[k].wr + prev[k].owe_wr;
		}
	}
	/* survivors' disk bytes, less what their vanished children already counted */
	for (size_t i = 0; i < nc; i++)
		if (match[i] >= 0)
			io_add(u, &cur[i], &prev[match[i]], gone_rd ? gone_rd[i] : 0,
			    gone_wr ? gone_wr[i] : 0);
	/* surviving parents: reaped-children growth beyond what was seen */
	for (size_t i = 0; i < nc; i++) {
		const struct an_pstate *p;
		if (match[i] < 0 || !cur[i].has_child)
			continue;
		p = &prev[match[i]];
		if (p->has_child)
			cpu_add(u, grow(grow(cur[i].child, p->child), gone ? gone[i] : 0), 2);
	}
	free(gone);
	free(gone_rd);
	free(gone_wr);
	free(seen);
}
