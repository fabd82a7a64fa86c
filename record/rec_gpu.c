/*
 * rec_gpu.c - interprets GPU user clients: who owns them, how much GPU time.
 *
 * Parses the kernel's "pid N, name" creator string and sums accumulated GPU
 * time per pid of a process tree.  It does not read the IORegistry (that is
 * record/darwin/) and does not turn totals into rates (that is the analyzer).
 */
#include "rec_gpu.h"
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


/* ---- per-pid totals ---- */

struct rec_gpu_slot {
	int32_t pid;			/* a pid of the caller's list */
	size_t idx;			/* its index in that list */
};

/* qsort order of struct rec_gpu_slot: by pid, then by index. */
static int
rec_gpu_slot_cmp(const void *a, const void *b)
{
	const struct rec_gpu_slot *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Returns the first slot of sorted s[0..n) with this pid, or n if none. */
static size_t
rec_gpu_slot_find(const struct rec_gpu_slot *s, size_t n, int32_t pid)
{
	size_t at;

	return cmn_pid_find(s, n, sizeof(*s), offsetof(struct rec_gpu_slot, pid),
	    pid, &at) ? at : n;
}

/* Adds v to *t, stopping at UINT64_MAX. */
static void
rec_gpu_add_sat(uint64_t *t, uint64_t v)
{
	*t = (*t > UINT64_MAX - v) ? UINT64_MAX : *t + v;
}

/* Sums clients' GPU time per listed pid (contract in rec_gpu.h). */
int
rec_gpu_sum_by_pid(const int32_t *pids, size_t npids,
    const struct plat_gpu_client *c, size_t nc, uint64_t *totals)
{
	struct rec_gpu_slot *slot;
	size_t i, k;
	int matched = 0;

	if ((npids > 0 && (pids == NULL || totals == NULL)) ||
	    (nc > 0 && c == NULL) || nc > INT_MAX)
		return -EINVAL;
	if (npids == 0)
		return 0;
	if (npids > SIZE_MAX / sizeof(*slot))
		return -ENOMEM;
	if ((slot = malloc(npids * sizeof(*slot))) == NULL)
		return -ENOMEM;
	for (i = 0; i < npids; i++) {
		totals[i] = 0;
		slot[i].pid = pids[i];
		slot[i].idx = i;
	}
	qsort(slot, npids, sizeof(*slot), rec_gpu_slot_cmp);
	for (i = 0; i < nc; i++) {
		k = rec_gpu_slot_find(slot, npids, c[i].pid);
		if (k == npids)
			continue;
		matched++;
		for (; k < npids && slot[k].pid == c[i].pid; k++)
			rec_gpu_add_sat(&totals[slot[k].idx], c[i].gpu_ns);
	}
	free(slot);
	return matched;
}
