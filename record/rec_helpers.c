/*
 * rec_helpers.c - finds the processes outside the target's tree that work
 * for it (their responsible process is one of the tree's) by looking at
 * every process now and then, and reads their counters at every sample.
 * The scan is the costly part (one lookup per process on the machine) and
 * runs at most every REC_HELPERS_SCAN_MS; sampling the helpers costs what
 * sampling as many processes of the tree costs, and the tree's own sample
 * is untouched.  It neither writes the trace nor sums anything.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmn_pid.h"
#include "rec_helpers.h"
#include "rec_sample.h"

#define NS_PER_MS 1000000ull

/* Prepares hp and probes the lookup (contract in rec_helpers.h). */
int
rec_helpers_init(struct rec_helpers *hp, uint32_t scan_ms)
{
	int32_t rc;

	memset(hp, 0, offsetof(struct rec_helpers, tree));
	hp->all = NULL;
	hp->all_cap = 0;
	cmn_rate_init(&hp->scan_rate, (uint64_t)scan_ms * NS_PER_MS);
	rc = platform_responsible_pid((int32_t)getpid());
	if (rc == -ENOTSUP)
		hp->state = REC_HELPERS_OFF;
	else if (rc == -ENOSYS)
		hp->state = REC_HELPERS_MISSING;
	else
		hp->state = REC_HELPERS_ON;	/* answered, even "no such pid" */
	return hp->state;
}

void
rec_helpers_free(struct rec_helpers *hp)
{
	free(hp->all);
	hp->all = NULL;
	hp->all_cap = 0;
	hp->n = hp->nrows = hp->nfound = 0;
}

/* ---- scan ---- */

/* Lists every pid into hp->all; returns how many, or -errno. */
static int
helpers_list_all(struct rec_helpers *hp)
{
	int n = platform_list_pids(hp->all, hp->all_cap);
	int32_t *p;

	for (int pass = 0; n >= 0 && (size_t)n > hp->all_cap && pass < 3; pass++) {
		size_t want = (size_t)n + 64;
		if ((p = realloc(hp->all, want * sizeof(*p))) == NULL)
			return -ENOMEM;
		hp->all = p;
		hp->all_cap = want;
		n = platform_list_pids(hp->all, hp->all_cap);
	}
	if (n >= 0 && (size_t)n > hp->all_cap)
		n = (int)hp->all_cap;	/* still growing: take what we have */
	return n;
}

/* Copies the tree's pids into hp->tree, sorted; returns how many. */
static size_t
helpers_tree(struct rec_helpers *hp, const struct pmt_proc *rows, size_t n)
{
	if (n > REC_TREE_MAX)
		n = REC_TREE_MAX;
	for (size_t i = 0; i < n; i++)
		hp->tree[i] = rows[i].pid;
	qsort(hp->tree, n, sizeof(*hp->tree), cmn_pid_cmp_first);
	return n;
}

/*
 * Whether pid (outside the tree) works for a process of the tree: 1 with
 * *for_pid, 0 not, or -ENOSYS when the lookup went missing.
 */
static int
helpers_works_for(const struct rec_helpers *hp, size_t ntree, int32_t pid,
    int32_t *for_pid)
{
	int32_t rp;

	if (pid <= 0 || cmn_pid_find(hp->tree, ntree, sizeof(*hp->tree), 0, pid, NULL))
		return 0;
	rp = platform_responsible_pid(pid);
	if (rp == -ENOSYS)
		return -ENOSYS;
	if (rp <= 0 || rp == pid ||
	    !cmn_pid_find(hp->tree, ntree, sizeof(*hp->tree), 0, rp, NULL))
		return 0;
	*for_pid = rp;
	return 1;
}

/*
 * Adds pid to the new set next[*nn] (pids come in any order; kept sorted),
 * carrying over what the old set knew of it, or noting it as found.
 */
static void
helpers_keep(struct rec_helpers *hp, struct rec_helper *next, size_t *nn,
    int32_t pid, int32_t for_pid)
{
	struct rec_helper one;
	size_t at, old;
	char path[8];

	memset(&one, 0, sizeof(one));
	if (cmn_pid_find(hp->h, hp->n, sizeof(*hp->h), 0, pid, &old))
		one = hp->h[old];
	else {
		one.pid = pid;
		(void)platform_proc_ident(pid, one.name, sizeof(one.name), path,
		    sizeof(path));
		one.for_pid = for_pid;
		hp->found[hp->nfound++] = one;	/* nn < MAX, so nfound < MAX */
		hp->seen++;
	}
	one.for_pid = for_pid;
	cmn_pid_find(next, *nn, sizeof(*next), 0, pid, &at);
	memmove(&next[at + 1], &next[at], (*nn - at) * sizeof(*next));
	next[at] = one;
	(*nn)++;
}

/* Scans every process when due (contract in rec_helpers.h). */
int
rec_helpers_scan(struct rec_helpers *hp, const struct pmt_proc *rows,
    size_t n, uint64_t t, int force)
{
	static struct rec_helper next[REC_HELPERS_MAX];
	size_t ntree, nn = 0;
	int32_t for_pid;
	int all, k;

	hp->nfound = 0;
	if (hp->state != REC_HELPERS_ON ||
	    !(cmn_rate_take(&hp->scan_rate, t) || force))
		return 0;
	if ((all = helpers_list_all(hp)) < 0)
		return all;
	ntree = helpers_tree(hp, rows, n);
	hp->scans++;
	for (int i = 0; i < all; i++) {
		if ((k = helpers_works_for(hp, ntree, hp->all[i], &for_pid)) < 0) {
			hp->state = REC_HELPERS_MISSING;
			hp->n = 0;
			return k;
		}
		if (k == 0)
			continue;
		if (nn == REC_HELPERS_MAX) {
			hp->cut++;
			continue;
		}
		helpers_keep(hp, next, &nn, hp->all[i], for_pid);
	}
	memcpy(hp->h, next, nn * sizeof(*next));
	hp->n = nn;
	return (int)hp->nfound;
}

/* ---- sample ---- */

/*
 * Reads helper h into row r (its name, the first time, copied into name,
 * PLAT_NAME_MAX bytes).  Returns 0, or -1 when it is gone or its pid
 * now names another process (it is then no longer followed).
 */
static int
helpers_read(struct rec_helper *h, unsigned want, struct pmt_proc *r,
    char *name)
{
	struct plat_proc p;

	memset(&p, 0, sizeof(p));
	if (platform_sample_proc(h->pid, want, &p) != 0)
		return -1;	/* gone, or not readable (another user's) */
	p.pid = h->pid;
	if (p.have & PLAT_HAVE_START) {
		if (h->start != 0 && p.start_time != h->start)
			return -1;
		h->start = p.start_time;
	}
	memset(r, 0, sizeof(*r));
	rec_sample_row_fill(r, &p, 0);
	if (!h->named && h->name[0] != '\0') {
		memcpy(name, h->name, PLAT_NAME_MAX);
		r->name = name;
		r->name_len = strlen(name);
		r->have |= PMT_HAVE(PMT_F_NAME);
	}
	h->named = 1;
	return 0;
}

/* Samples every helper (contract in rec_helpers.h). */
size_t
rec_helpers_sample(struct rec_helpers *hp, unsigned want)
{
	size_t i, kept = 0;

	hp->nrows = 0;
	hp->rss_sum = 0;
	if (hp->state != REC_HELPERS_ON)
		return 0;
	for (i = 0; i < hp->n; i++) {
		struct pmt_proc *r = &hp->rows[hp->nrows];
		if (helpers_read(&hp->h[i], want & ~(unsigned)PLAT_WANT_NAME, r,
		    hp->names[hp->nrows]) != 0)
			continue;
		hp->rss_sum += (r->have & PMT_HAVE(PMT_F_RSS)) ? r->v[PMT_F_RSS] : 0;
		hp->h[kept++] = hp->h[i];
		hp->nrows++;
	}
	hp->n = kept;
	if (hp->rss_sum > hp->peak_rss)
		hp->peak_rss = hp->rss_sum;
	return hp->nrows;
}
