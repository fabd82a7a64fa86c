/*
 * rec_gpu.c - interprets GPU user clients: who owns them, how much GPU time.
 *
 * Parses the kernel's "pid N, name" creator string, and follows clients by
 * their registry entry id so that each pid's accumulated GPU time keeps what
 * its closed clients used and never falls.  It does not read the IORegistry (that is
 * record/darwin/) and does not turn totals into rates (that is the analyzer).
 */
#include "rec_gpu.h"
#include "cmn_array.h"
#include "cmn_pid.h"

#include <errno.h>
#include <stddef.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>


/* ---- creator string ---- */

/* Returns i advanced past spaces and tabs, never beyond n. */
static size_t
rec_gpu_skip_blanks(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/*
 * Returns the length (1-4) of the valid UTF-8 sequence at p, of which avail
 * bytes may be read, or 0 when it is not valid (truncated, overlong,
 * surrogate, above U+10FFFF, stray continuation byte).
 */
static size_t
rec_gpu_utf8_len(const unsigned char *p, size_t avail)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t len, k;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (avail < len || p[1] < lo || p[1] > hi)
		return 0;
	for (k = 2; k < len; k++)
		if (p[k] < 0x80 || p[k] > 0xbf)
			return 0;
	return len;
}

/*
 * Copies s[0..n) into out (out_len > 0), replacing invalid UTF-8 and
 * control bytes with '?', and stopping before a character that would not
 * fit with the terminating NUL.
 */
static void
rec_gpu_copy_name(const char *s, size_t n, char *out, size_t out_len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0, k;

	while (i < n) {
		k = rec_gpu_utf8_len(u + i, n - i);
		if (k == 0 || (k == 1 && (u[i] < 0x20 || u[i] == 0x7f))) {
			if (o + 1 >= out_len)
				break;
			out[o++] = '?';
			i++;
			continue;
		}
		if (o + k >= out_len)
			break;
		memcpy(out + o, s + i, k);
		o += k;
		i += k;
	}
	out[o] = '\0';
}

/* Parses "pid <digits>" at s[*i..n); returns 0 and sets *pid, or -EINVAL. */
static int
rec_gpu_parse_pid(const char *s, size_t *i, size_t n, int32_t *pid)
{
	size_t j = rec_gpu_skip_blanks(s, *i, n), start;
	int64_t v = 0;

	if (n - j < 3 || memcmp(s + j, "pid", 3) != 0)
		return -EINVAL;
	j += 3;
	start = j;
	j = rec_gpu_skip_blanks(s, j, n);
	if (j == start)
		return -EINVAL;	/* "pid12": the blank is required */
	start = j;
	while (j < n && s[j] >= '0' && s[j] <= '9') {
		v = v * 10 + (s[j] - '0');
		if (v > INT32_MAX)
			return -EINVAL;
		j++;
	}
	if (j == start)
		return -EINVAL;
	*i = j;
	*pid = (int32_t)v;
	return 0;
}

/* Parses "pid N, name" (contract in rec_gpu.h); 0 or -EINVAL. */
int
rec_gpu_parse_creator(const char *s, size_t len, int32_t *pid,
    char *name, size_t name_len)
{
	const char *nul;
	size_t n = len, i = 0, end;
	int32_t v;

	if (name != NULL && name_len > 0)
		name[0] = '\0';
	if (s == NULL || pid == NULL || (name == NULL && name_len > 0))
		return -EINVAL;
	if ((nul = memchr(s, '\0', len)) != NULL)
		n = (size_t)(nul - s);
	if (rec_gpu_parse_pid(s, &i, n, &v) != 0)
		return -EINVAL;
	i = rec_gpu_skip_blanks(s, i, n);
	if (i >= n || s[i] != ',')
		return -EINVAL;
	i = rec_gpu_skip_blanks(s, i + 1, n);
	end = n;
	while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t' ||
	    s[end - 1] == '\r' || s[end - 1] == '\n'))
		end--;
	if (name_len > 0)
		rec_gpu_copy_name(s + i, end - i, name, name_len);
	*pid = v;
	return 0;
}


/* ---- following clients by registry id ---- */

/* Whether pid is wanted (contract in rec_gpu.h). */
int
rec_gpu_wanted(const int32_t *pids, size_t npids, int32_t pid)
{
	if (pids == NULL)
		return 1;
	return cmn_pid_find(pids, npids, sizeof(*pids), 0, pid, NULL);
}

void
rec_gpu_track_init(struct rec_gpu_track *t)
{
	memset(t, 0, sizeof(*t));
}

void
rec_gpu_track_free(struct rec_gpu_track *t)
{
	free(t->seen);
	free(t->tot);
	rec_gpu_track_init(t);
}

/* qsort order of clients: by registry id, then pid. */
static int
rec_gpu_client_cmp(const void *a, const void *b)
{
	const struct plat_gpu_client *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The entry of id in the sorted seen table, or NULL. */
static const struct rec_gpu_seen *
rec_gpu_seen_find(const struct rec_gpu_track *t, uint64_t id)
{
	size_t lo = 0, hi = t->nseen, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->seen[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < t->nseen && t->seen[lo].id == id) ? &t->seen[lo] : NULL;
}

/* Adds v to *t, stopping at UINT64_MAX. */
static void
rec_gpu_add_sat(uint64_t *t, uint64_t v)
{
	*t = (*t > UINT64_MAX - v) ? UINT64_MAX : *t + v;
}

/* Adds v to pid's total, creating it (room was reserved by the caller). */
static void
rec_gpu_total_add(struct rec_gpu_track *t, int32_t pid, uint64_t v)
{
	size_t at;

	if (!cmn_pid_find(t->tot, t->ntot, sizeof(*t->tot),
	    offsetof(struct rec_gpu_total, pid), pid, &at)) {
		memmove(&t->tot[at + 1], &t->tot[at],
		    (t->ntot - at) * sizeof(*t->tot));
		t->tot[at].pid = pid;
		t->tot[at].ns = 0;
		t->ntot++;
	}
	rec_gpu_add_sat(&t->tot[at].ns, v);
}

/*
 * What client c added since the last read: its growth if it was seen then
 * (0 if its counter went down), or all of it if it is new.
 */
static uint64_t
rec_gpu_growth(struct rec_gpu_track *t, const struct plat_gpu_client *c)
{
	const struct rec_gpu_seen *o = rec_gpu_seen_find(t, c->id);

	if (o == NULL || o->pid != c->pid)
		return c->gpu_ns;
	if (c->gpu_ns < o->ns) {
		t->lowered++;
		return 0;
	}
	return c->gpu_ns - o->ns;
}

/* Counts the clients of the last read that are not in sorted c[0..nc). */
static uint64_t
rec_gpu_count_closed(const struct rec_gpu_track *t,
    const struct plat_gpu_client *c, size_t nc)
{
	size_t i, j = 0;
	uint64_t gone = 0;

	for (i = 0; i < t->nseen; i++) {
		while (j < nc && c[j].id < t->seen[i].id)
			j++;
		if (j == nc || c[j].id != t->seen[i].id)
			gone++;
	}
	return gone;
}

/* Takes one read of the clients (contract in rec_gpu.h). */
int
rec_gpu_track_update(struct rec_gpu_track *t, struct plat_gpu_client *c,
    size_t nc)
{
	struct rec_gpu_seen *next;
	size_t i, n = 0;

	if (nc > 0 && c == NULL)
		return -EINVAL;
	if (nc > SIZE_MAX / sizeof(*next) - 1 ||
	    cmn_array_grow((void **)&t->tot, &t->cap_tot, t->ntot + nc,
	    sizeof(*t->tot)) != 0)
		return -ENOMEM;
	if ((next = malloc((nc + 1) * sizeof(*next))) == NULL)
		return -ENOMEM;
	if (nc > 0)
		qsort(c, nc, sizeof(*c), rec_gpu_client_cmp);
	t->closed += rec_gpu_count_closed(t, c, nc);
	for (i = 0; i < nc; i++) {
		if (i > 0 && c[i].id == c[i - 1].id)
			continue;	/* the same client twice in one read */
		rec_gpu_total_add(t, c[i].pid, rec_gpu_growth(t, &c[i]));
		next[n].id = c[i].id;
		next[n].pid = c[i].pid;
		next[n].ns = c[i].gpu_ns;
		n++;
	}
	free(t->seen);
	t->seen = next;
	t->nseen = t->cap_seen = n;
	return 0;
}

/* pid's total so far (contract in rec_gpu.h). */
int
rec_gpu_track_total(const struct rec_gpu_track *t, int32_t pid, uint64_t *ns)
{
	size_t at;

	*ns = 0;
	if (!cmn_pid_find(t->tot, t->ntot, sizeof(*t->tot),
	    offsetof(struct rec_gpu_total, pid), pid, &at))
		return 0;
	*ns = t->tot[at].ns;
	return 1;
}

/* Drops pid's total and its clients (contract in rec_gpu.h). */
void
rec_gpu_track_forget(struct rec_gpu_track *t, int32_t pid)
{
	size_t at, i, n = 0;

	if (cmn_pid_find(t->tot, t->ntot, sizeof(*t->tot),
	    offsetof(struct rec_gpu_total, pid), pid, &at)) {
		memmove(&t->tot[at], &t->tot[at + 1],
		    (t->ntot - at - 1) * sizeof(*t->tot));
		t->ntot--;
	}
	for (i = 0; i < t->nseen; i++)
		if (t->seen[i].pid != pid)
			t->seen[n++] = t->seen[i];
	t->nseen = n;
}
