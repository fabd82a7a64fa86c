/*
 * rec_target.c - finds the target process by name and walks its tree of
 * descendants, using only platform.h (pid lists, names, children).  Shared
 * by every platform; it samples no counters (rec_sample.c does).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "rec_target.h"

enum { COMM_MAX = 15 };		/* Linux truncates short names to 15 bytes */

/* Case-insensitive equality of a and the first n bytes of b (b may be longer). */
static int
eq_nocase(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* The last component of path. */
static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int
rec_target_score(const char *want, const char *name, const char *path)
{
	size_t wl = strlen(want), nl = strlen(name);
	const char *b = base_name(path);
	int score = 0;

	if (wl == 0)
		return 0;
	if (nl == wl && eq_nocase(want, name, wl))
		score = 2;
	else if (nl == COMM_MAX && wl > COMM_MAX && eq_nocase(name, want, COMM_MAX))
		score = 1;
	if (strlen(b) == wl && eq_nocase(want, b, wl))
		score = score > 2 ? score : 2;
	if (score > 0 && strstr(path, ".app/Contents/MacOS/") != NULL &&
	    strlen(b) == wl && eq_nocase(want, b, wl))
		score += 4;
	return score;
}

/* The score of pid for want, and its parent (0 if unknown). */
static int
target_score_pid(const char *want, int32_t pid)
{
	char name[PLAT_NAME_MAX], path[PLAT_PATH_MAX];

	if (platform_proc_ident(pid, name, sizeof(name), path, sizeof(path)) != 0)
		return 0;
	return rec_target_score(want, name, path);
}

/* All pids of the system into *pids (malloc'd).  Returns the count or -errno. */
static int
target_all_pids(int32_t **pids)
{
	size_t cap = 1024;

	for (int tries = 0; tries < 8; tries++) {
		int32_t *p = realloc(*pids, cap * sizeof(*p));
		int n;
		if (p == NULL)
			return -ENOMEM;
		*pids = p;
		n = platform_list_pids(p, cap);
		if (n < 0 || (size_t)n < cap)
			return n;
		cap = (size_t)n * 2 + 64;
	}
	return -EAGAIN;
}

/* True if pid is a child of another match (score > 0) among pids. */
static int
target_parent_matches(int32_t pid, const int32_t *pids, const int *scores, int n)
{
	int32_t kids[REC_TREE_MAX];

	for (int i = 0; i < n; i++) {
		int k;
		if (scores[i] == 0 || pids[i] == pid)
			continue;
		k = platform_list_children(pids[i], kids, REC_TREE_MAX);
		for (int j = 0; j < k && j < REC_TREE_MAX; j++)
			if (kids[j] == pid)
				return 1;
	}
	return 0;
}

int32_t
rec_target_find(const char *want)
{
	int32_t *pids = NULL, best = 0;
	int *scores = NULL, n, best_score = 0, best_root = 0;

	n = target_all_pids(&pids);
	if (n <= 0)
		goto out;
	if ((scores = calloc((size_t)n, sizeof(*scores))) == NULL) {
		n = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < n; i++)
		scores[i] = target_score_pid(want, pids[i]);
	for (int i = 0; i < n; i++) {
		int root;
		if (scores[i] == 0 || scores[i] < best_score)
			continue;
		root = !target_parent_matches(pids[i], pids, scores, n);
		if (scores[i] > best_score || root > best_root ||
		    (root == best_root && pids[i] < best)) {
			best = pids[i];
			best_score = scores[i];
			best_root = root;
		}
	}
out:
	free(pids);
	free(scores);
	return n < 0 ? n : best;
}

/* A set of pids; a slot is empty unless its generation is the current one. */
struct pid_set {
	struct { int32_t pid; uint32_t gen; } slot[2 * REC_TREE_MAX];
	uint32_t gen;
};

/* Inserts pid into the set; returns 0 if it was there already. */
static int
set_insert(struct pid_set *s, int32_t pid)
{
	uint32_t h = (uint32_t)pid * 2654435761u;

	for (size_t i = 0; i < 2 * REC_TREE_MAX; i++) {
		size_t k = (h + i) % (2 * REC_TREE_MAX);
		if (s->slot[k].gen != s->gen) {
			s->slot[k].pid = pid;
			s->slot[k].gen = s->gen;
			return 1;
		}
		if (s->slot[k].pid == pid)
			return 0;
	}
	return 0;
}

/*
 * Direct children of pid into *kids (grown as needed).  Count or -errno;
 * *lost: children left out when the array could not grow.
 */
static int
walk_children(int32_t pid, int32_t **kids, size_t *cap, size_t *lost)
{
	for (;;) {
		int k = platform_list_children(pid, *kids, *cap);
		int32_t *p;
		if (k < 0 || (size_t)k <= *cap)
			return k;
		if ((size_t)k > REC_TREE_MAX) {
			*lost += (size_t)k - REC_TREE_MAX;
			k = REC_TREE_MAX;
		}
		if ((p = realloc(*kids, (size_t)k * 2 * sizeof(*p))) == NULL) {
			*lost += (size_t)k - *cap;
			return (int)*cap;	/* keep what fits */
		}
		*kids = p;
		*cap = (size_t)k * 2;
	}
}

int
rec_target_walk(int32_t root, int32_t *tree, int32_t *parents, size_t cap,
    size_t *left_out)
{
	static struct pid_set set;
	static int32_t *kids;
	static size_t kcap;
	size_t n = 1;

	*left_out = 0;
	if (cap == 0)
		return 0;
	if (kids == NULL && (kids = malloc(64 * sizeof(*kids))) != NULL)
		kcap = 64;
	if (++set.gen == 0) {	/* wrapped: clear once in 4 billion walks */
		memset(&set, 0, sizeof(set));
		set.gen = 1;
	}
	set_insert(&set, root);
	tree[0] = root;
	parents[0] = 0;
	for (size_t i = 0; i < n; i++) {
		int k = walk_children(tree[i], &kids, &kcap, left_out);
		if (k < 0) {
			if (i == 0)
				return -ESRCH;
			continue;	/* gone since its parent listed it */
		}
		for (int j = 0; j < k; j++) {
			if (kids[j] <= 0 || !set_insert(&set, kids[j]))
				continue;
			if (n == cap) {
				++*left_out;
				continue;
			}
			tree[n] = kids[j];
			parents[n] = tree[i];
			n++;
		}
	}
	return (int)n;
}
