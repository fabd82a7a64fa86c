/*
 * pm_plist.c - extract what we use from one powermetrics -f plist record.
 * A streaming, validating tag scan that follows the key paths of
 * pm_plist_keys and skips every other subtree after checking that its tags
 * balance.  It builds no tree, never allocates, ignores what it doesn't know.
 */
#include <stdint.h>
#include <string.h>

#include "cmn_xml.h"
#include "pm_internal.h"

/* ========================= Key table ========================= */

/*
 * Key paths from the root dict: "a/b" is key b in the dict under key a,
 * '*' is any element of an array.  The first '*' of a cluster or CPU path
 * is the cluster, the second the CPU.  To read a new key, add a row.
 * Units: *_power are mW, *_energy mJ over the sample (converted to watts
 * over elapsed_ns only when no *_power is printed), cluster and CPU
 * freq_hz are Hz, idle/down ratios are 0..1.
 */
static const struct pm_plist_key {
	const char *path;	/* key path: '/' separated, '*' any element */
	struct pm_target t;	/* where the value goes, unit as printed */
} pm_plist_keys[] = {
	{ "elapsed_ns", PM_T_SAMPLE(elapsed_ms, PM_UNIT_NS) },
	{ "timestamp", PM_T_SAMPLE(timestamp, PM_UNIT_DATE) },
	{ "hw_model", PM_T_SAMPLE(hw_model, PM_UNIT_TEXT) },
	{ "kern_osversion", PM_T_SAMPLE(os_build, PM_UNIT_TEXT) },
	{ "processor/cpu_power", PM_T_SAMPLE(cpu_power_w, PM_UNIT_MW) },
	{ "processor/cpu_energy", PM_T_SAMPLE(cpu_energy_j, PM_UNIT_MJ) },
	{ "processor/gpu_power", PM_T_SAMPLE(gpu_power_w, PM_UNIT_MW) },
	{ "processor/gpu_energy", PM_T_SAMPLE(gpu_energy_j, PM_UNIT_MJ) },
	{ "processor/ane_power", PM_T_SAMPLE(ane_power_w, PM_UNIT_MW) },
	{ "processor/ane_energy", PM_T_SAMPLE(ane_energy_j, PM_UNIT_MJ) },
	{ "processor/combined_power",
	    PM_T_SAMPLE(combined_power_w, PM_UNIT_MW) },
	{ "processor/clusters/*/name", PM_T_CLUSTER(name, PM_UNIT_TEXT) },
	{ "processor/clusters/*/freq_hz", PM_T_CLUSTER(freq_mhz, PM_UNIT_HZ) },
	{ "processor/clusters/*/idle_ratio",
	    PM_T_CLUSTER(idle_pct, PM_UNIT_RATIO) },
	{ "processor/clusters/*/down_ratio",
	    PM_T_CLUSTER(down_pct, PM_UNIT_RATIO) },
	{ "processor/clusters/*/cpus/*/cpu", PM_T_CPU(id, PM_UNIT_ID) },
	{ "processor/clusters/*/cpus/*/freq_hz",
	    PM_T_CPU(freq_mhz, PM_UNIT_HZ) },
	{ "processor/clusters/*/cpus/*/idle_ratio",
	    PM_T_CPU(idle_pct, PM_UNIT_RATIO) },
	{ "processor/clusters/*/cpus/*/down_ratio",
	    PM_T_CPU(down_pct, PM_UNIT_RATIO) },
	/* The GPU's freq_hz is in MHz despite its name. */
	{ "gpu/freq_hz", PM_T_SAMPLE(gpu_freq_mhz, PM_UNIT_MHZ) },
	{ "gpu/idle_ratio", PM_T_SAMPLE(gpu_idle_pct, PM_UNIT_RATIO) },
	/* The gpu_power sampler alone (no processor dict) prints only this. */
	{ "gpu/gpu_energy", PM_T_SAMPLE(gpu_energy_j, PM_UNIT_MJ) },
};

#define PM_PX_NKEYS (sizeof(pm_plist_keys) / sizeof(pm_plist_keys[0]))
#define PM_PX_MAX_SEG 8		/* segments of a key path */
#define PM_PX_MAX_DEPTH 256	/* nesting accepted in skipped subtrees */
#define PM_PX_NFIRST 32		/* buckets of pm_px.first: 5 bits of a byte */

/* ========================= Scanner ========================= */

/* The XML elements a plist has; anything else is PM_EL_OTHER. */
enum pm_px_el {
	PM_EL_OTHER, PM_EL_PLIST, PM_EL_DICT, PM_EL_ARRAY, PM_EL_KEY,
	PM_EL_STRING, PM_EL_INTEGER, PM_EL_REAL, PM_EL_DATE, PM_EL_DATA,
	PM_EL_TRUE, PM_EL_FALSE
};

enum pm_px_kind { PM_TAG_EOF, PM_TAG_OPEN, PM_TAG_CLOSE, PM_TAG_EMPTY };

/* One tag. */
struct pm_px_tag {
	enum pm_px_kind kind;	/* <a>, </a>, <a/> or end of input */
	enum pm_px_el el;	/* which element */
	const char *name;	/* element name, in the input */
	size_t name_len;	/* its length */
};

/* State while reading one record. */
struct pm_px {
	const char *p;		/* next byte to read */
	const char *end;	/* end of input */
	const char *base;	/* start of input, for byte offsets */
	struct pm_sample *s;	/* being filled */
	char *err;		/* reason of a failure */
	size_t errlen;		/* capacity of err */
	/*
	 * Where each key path of the mask being followed goes on at each
	 * level: its segment there, or its terminating NUL when the path
	 * ends at that level.  Only entries of paths in the mask are valid.
	 */
	const char *cur[PM_PX_MAX_SEG + 1][PM_PX_NKEYS];
	/*
	 * The paths by the first byte of their segment at each level (its
	 * low 5 bits), for the paths in known[level].  A path's cursor at a
	 * level is always the same (where its segment there starts), so
	 * what is learnt holds for the whole record.
	 */
	uint64_t known[PM_PX_MAX_SEG + 1];
	uint64_t first[PM_PX_MAX_SEG + 1][PM_PX_NFIRST];
	int idx[PM_PX_MAX_SEG];	/* element index of the array at level */
	int cpu_ci, cpu_ki;	/* cluster and CPU index of cpu_slot */
	int cpu_slot;		/* CPU being filled, -1 none */
};

/* Returns the element a tag name stands for (by length: this is hot). */
static enum pm_px_el
pm_px_el(const char *n, size_t len)
{
	switch (len) {
	case 3:
		return memcmp(n, "key", 3) == 0 ? PM_EL_KEY : PM_EL_OTHER;
	case 4:
		return memcmp(n, "real", 4) == 0 ? PM_EL_REAL :
		    memcmp(n, "dict", 4) == 0 ? PM_EL_DICT :
		    memcmp(n, "true", 4) == 0 ? PM_EL_TRUE :
		    memcmp(n, "date", 4) == 0 ? PM_EL_DATE :
		    memcmp(n, "data", 4) == 0 ? PM_EL_DATA : PM_EL_OTHER;
	case 5:
		return memcmp(n, "array", 5) == 0 ? PM_EL_ARRAY :
		    memcmp(n, "false", 5) == 0 ? PM_EL_FALSE :
		    memcmp(n, "plist", 5) == 0 ? PM_EL_PLIST : PM_EL_OTHER;
	case 6:
		return memcmp(n, "string", 6) == 0 ? PM_EL_STRING :
		    PM_EL_OTHER;
	case 7:
		return memcmp(n, "integer", 7) == 0 ? PM_EL_INTEGER :
		    PM_EL_OTHER;
	}
	return PM_EL_OTHER;
}

/* Returns 1 when two tag names are the same (short: no memcmp call). */
static int
pm_px_same(const char *a, size_t an, const char *b, size_t bn)
{
	if (an != bn)
		return 0;
	while (an-- > 0)
		if (*a++ != *b++)
			return 0;
	return 1;
}

/* Returns the byte offset of p in the record, for messages. */
static size_t
pm_px_off(const struct pm_px *x, const char *p)
{
	return (size_t)(p - x->base);
}

/* Returns 1 for XML white space. */
static int
pm_px_isspace(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/*
 * Reads the tag at lt (a '<' not followed by '!' or '?'): fills *t, but
 * not t->el (the skipper needs only names), and moves x->p past its '>'.
 * Returns 0, or -1 with the reason.
 */
static int
pm_px_tag(struct pm_px *x, const char *lt, struct pm_px_tag *t)
{
	const char *p = lt + 1, *end = x->end, *gt;
	int close = p < end && *p == '/';

	p += close;
	for (t->name = p; p < end && *p != '>' && *p != '/' &&
	    (unsigned char)*p > ' '; p++)
		;
	t->name_len = (size_t)(p - t->name);
	gt = p < end && *p == '>' ? p : memchr(p, '>', (size_t)(end - p));
	if (gt == NULL)
		return pm_fail(x->err, x->errlen, "plist: truncated tag at "
		    "byte %zu", pm_px_off(x, lt));
	while (close && p < gt && pm_px_isspace(*p))
		p++;
	if (t->name_len == 0 || (close && p != gt))
		return pm_fail(x->err, x->errlen, "plist: malformed tag at "
		    "byte %zu", pm_px_off(x, lt));
	t->kind = close ? PM_TAG_CLOSE : gt[-1] == '/' ? PM_TAG_EMPTY :
	    PM_TAG_OPEN;
	x->p = gt + 1;
	return 0;
}

/* Skips "<?...?>", "<!--...-->" or "<!DOCTYPE ...>" at lt; 0 or -1. */
static int
pm_px_misc(struct pm_px *x, const char *lt)
{
	const char *stop = "?>", *q;
	size_t n = (size_t)(x->end - lt), sn;
	char what[8];

	if (n >= 4 && memcmp(lt, "<!--", 4) == 0)
		stop = "-->";
	else if (n >= 2 && lt[1] == '!')
		stop = ">";
	sn = strlen(stop);
	for (q = lt + 2; q < x->end && (q = memchr(q, stop[0],
	    (size_t)(x->end - q))) != NULL; q++) {
		if ((size_t)(x->end - q) >= sn && memcmp(q, stop, sn) == 0) {
			x->p = q + sn;
			return 0;
		}
	}
	pm_snippet(what, sizeof(what), lt, n);
	return pm_fail(x->err, x->errlen, "plist: unterminated \"%s\" at "
	    "byte %zu", what, pm_px_off(x, lt));
}

/*
 * Reads the next tag, skipping white space, comments and declarations.
 * Other text between tags is malformed.  At the end of input t->kind is
 * PM_TAG_EOF.  Returns 0, or -1 with the reason.
 */
static int
pm_px_next(struct pm_px *x, struct pm_px_tag *t)
{
	const char *p;

	for (;;) {
		for (p = x->p; p < x->end && pm_px_isspace(*p); p++)
			;
		x->p = p;
		if (p == x->end) {
			t->kind = PM_TAG_EOF;
			return 0;
		}
		if (*p != '<')
			return pm_fail(x->err, x->errlen, "plist: unexpected "
			    "text at byte %zu", pm_px_off(x, p));
		if (p + 1 < x->end && (p[1] == '?' || p[1] == '!')) {
			if (pm_px_misc(x, p) != 0)
				return -1;
			continue;
		}
		if (pm_px_tag(x, p, t) != 0)
			return -1;
		t->el = pm_px_el(t->name, t->name_len);
		return 0;
	}
}

/* Returns the name of an element for messages. */
static const char *
pm_px_elname(enum pm_px_el el)
{
	static const char *const names[] = { "?", "plist", "dict", "array",
	    "key", "string", "integer", "real", "date", "data", "true",
	    "false" };

	return (unsigned)el < sizeof(names) / sizeof(names[0]) ?
	    names[el] : "?";
}

/*
 * Returns the first '<' in [p, end), or NULL.  For the bytes after a
 * close tag: most often the next tag is right there or after a newline,
 * so those two bytes are tried alone (well predicted), then words.
 * Inline: the skipper calls it for every other tag.
 */
static inline const char *
pm_px_find_lt(const char *p, const char *end)
{
	uint64_t m;

	if (end - p >= 18) {
		if (p[0] == '<')
			return p;
		if (p[1] == '<')
			return p + 1;
		if ((m = pm_w_eq(pm_w_load(p + 2), '<')) != 0)
			return p + 2 + pm_w_first(m);
		if ((m = pm_w_eq(pm_w_load(p + 10), '<')) != 0)
			return p + 10 + pm_w_first(m);
		p += 18;
		return p < end ? memchr(p, '<', (size_t)(end - p)) : NULL;
	}
	for (; p < end; p++)
		if (*p == '<')
			return p;
	return NULL;
}

/*
 * Returns the first '<' in [p, end), or NULL.  For the bytes after an
 * open tag: the text of a value, of any length up to a dozen bytes, so
 * words at once (no byte loop to mispredict).
 */
static const char *
pm_px_find_lt_text(const char *p, const char *end)
{
	uint64_t m;

	if (end - p >= 16) {
		if ((m = pm_w_eq(pm_w_load(p), '<')) != 0)
			return p + pm_w_first(m);
		if ((m = pm_w_eq(pm_w_load(p + 8), '<')) != 0)
			return p + 8 + pm_w_first(m);
		p += 16;
		return p < end ? memchr(p, '<', (size_t)(end - p)) : NULL;
	}
	for (; p < end; p++)
		if (*p == '<')
			return p;
	return NULL;
}

/*
 * Reads the text of the leaf element opened by *open up to its close tag;
 * returns 0 with [*text, *text + *n), or -1 with the reason.
 */
static int
pm_px_leaf(struct pm_px *x, const struct pm_px_tag *open, const char **text,
    size_t *n)
{
	const char *lt = pm_px_find_lt(x->p, x->end);
	struct pm_px_tag t;

	if (lt == NULL)
		return pm_fail(x->err, x->errlen, "plist: truncated inside "
		    "<%s>", pm_px_elname(open->el));
	*text = x->p;
	*n = (size_t)(lt - x->p);
	if (pm_px_tag(x, lt, &t) != 0)
		return -1;
	if (t.kind != PM_TAG_CLOSE ||
	    !pm_px_same(t.name, t.name_len, open->name, open->name_len))
		return pm_fail(x->err, x->errlen, "plist: <%s> not closed at "
		    "byte %zu", pm_px_elname(open->el), pm_px_off(x, lt));
	return 0;
}

/*
 * One open element of a skipped subtree.  A name of up to 7 bytes is also
 * kept as a word, sig: the name and the '>' after it, little-endian, so
 * that "</name>" is recognised with one load and one compare.
 */
struct pm_px_open {
	const char *name;	/* its name, in the input */
	size_t len;		/* name length */
	uint64_t sig;		/* name + '>' as a word, when len < 8 */
};

/* Sets o to the name [name, name+len) (sig from its bytes). */
static void
pm_px_open_set(struct pm_px_open *o, const char *name, size_t len)
{
	size_t i;

	o->name = name;
	o->len = len;
	o->sig = 0;
	if (len >= 8)
		return;
	for (i = 0; i < len; i++)
		o->sig |= (uint64_t)(unsigned char)name[i] << (8 * i);
	o->sig |= (uint64_t)'>' << (8 * len);
}

/*
 * Fast path of the skipper: "</name>" closing *top at lt (lt[1] is '/');
 * returns the byte after it, or NULL when it is anything else.
 */
static const char *
pm_px_fast_close(const char *lt, const char *end,
    const struct pm_px_open *top)
{
	size_t n = top->len;

	if (n < 8 && end - lt >= 10)
		return (pm_w_load(lt + 2) & pm_w_head((unsigned)n + 1)) ==
		    top->sig ? lt + n + 3 : NULL;
	if ((size_t)(end - lt) < n + 3 || lt[n + 2] != '>' ||
	    memcmp(lt + 2, top->name, n) != 0)
		return NULL;
	return lt + n + 3;
}

/* Returns the mask of the bytes of w that are not 'a'..'z'. */
static uint64_t
pm_px_not_lower(uint64_t w)
{
	uint64_t lo = w & PM_W_LOW7;
	uint64_t ge_a = lo + PM_W_ONES * (0x80 - 'a');
	uint64_t gt_z = lo + PM_W_ONES * (0x80 - 'z' - 1);

	return ~(ge_a & ~gt_z & ~w) & PM_W_HIGH;
}

/*
 * Fast path of the skipper: "<name>" with a lower-case name at lt; fills
 * *o and returns the byte after it, or NULL when it is anything else.
 */
static const char *
pm_px_fast_open(const char *lt, const char *end, struct pm_px_open *o)
{
	const char *q = lt + 1;
	uint64_t w, m;
	unsigned k;

	if (end - lt >= 9) {
		w = pm_w_load(q);
		if ((m = pm_px_not_lower(w)) != 0) {
			k = pm_w_first(m);
			if (k == 0 || (unsigned char)(w >> (8 * k)) != '>')
				return NULL;
			o->name = q;
			o->len = k;
			o->sig = w & pm_w_head(k + 1);
			return q + k + 1;
		}
		q += 8;
	}
	while (q < end && *q >= 'a' && *q <= 'z')
		q++;
	if (q == lt + 1 || q >= end || *q != '>')
		return NULL;
	pm_px_open_set(o, lt + 1, (size_t)(q - lt - 1));
	return q + 1;
}

/*
 * Reads any other markup at lt inside a skipped subtree: a comment or
 * declaration, an empty tag, a tag with attributes or white space.  Updates
 * the stack like the fast paths.  Returns 0, or -1 with the reason.
 */
static int
pm_px_slow(struct pm_px *x, const char *lt, struct pm_px_open *stack,
    int *depth)
{
	struct pm_px_tag t;

	if (lt + 1 < x->end && (lt[1] == '?' || lt[1] == '!'))
		return pm_px_misc(x, lt);
	if (pm_px_tag(x, lt, &t) != 0)
		return -1;
	if (t.kind == PM_TAG_OPEN) {
		if (*depth == PM_PX_MAX_DEPTH)
			return pm_fail(x->err, x->errlen, "plist: nested deeper"
			    " than %d at byte %zu", PM_PX_MAX_DEPTH,
			    pm_px_off(x, lt));
		pm_px_open_set(&stack[(*depth)++], t.name, t.name_len);
	} else if (t.kind == PM_TAG_CLOSE) {
		(*depth)--;
		if (!pm_px_same(t.name, t.name_len, stack[*depth].name,
		    stack[*depth].len))
			return pm_fail(x->err, x->errlen, "plist: unbalanced "
			    "</%.*s> at byte %zu", (int)(t.name_len > 16 ? 16 :
			    t.name_len), t.name, pm_px_off(x, lt));
	}
	return 0;
}

/*
 * Skips the element opened by *open and everything in it, checking only
 * that open and close tags pair up.  This is where nearly all the bytes of
 * a record go (tasks, coalitions, interrupts), hence the fast paths for
 * "<name>" and "</name>", a word at a time.  After "<name>" the next '<'
 * is looked for from the name on (it holds none): the scan then does not
 * wait for the name's length, which only the stack needs.  Returns 0, or
 * -1 with the reason.
 */
static int
pm_px_skip(struct pm_px *x, const struct pm_px_tag *open)
{
	struct pm_px_open stack[PM_PX_MAX_DEPTH];
	const char *lt, *p = x->p, *end = x->end, *q;
	int depth = 0, opened = 0;

	pm_px_open_set(&stack[depth++], open->name, open->name_len);
	while (depth > 0) {
		lt = opened ? pm_px_find_lt_text(p, end) :
		    pm_px_find_lt(p, end);
		if (lt == NULL) {
			x->p = p;
			return pm_fail(x->err, x->errlen, "plist: truncated "
			    "inside <%s>", pm_px_elname(open->el));
		}
		q = NULL;
		opened = 0;
		if (lt + 1 < end) {
			if (lt[1] == '/') {
				if ((q = pm_px_fast_close(lt, end,
				    &stack[depth - 1])) != NULL)
					depth--;
			} else if (depth < PM_PX_MAX_DEPTH &&
			    pm_px_fast_open(lt, end, &stack[depth]) != NULL) {
				depth++;
				opened = 1;
				q = lt + 2;	/* see above */
			}
		}
		if (q == NULL) {
			x->p = p;
			if (pm_px_slow(x, lt, stack, &depth) != 0)
				return -1;
			q = x->p;
		}
		p = q;
	}
	x->p = p;
	return 0;
}

/* ========================= Values ========================= */

/* Returns 1 when the path segment at seg is '*'. */
static int
pm_px_is_star(const char *seg)
{
	return seg[0] == '*' && (seg[1] == '/' || seg[1] == '\0');
}

/*
 * Returns 1 when the path segment at seg (up to '/' or NUL) is the key
 * [k, k+n); *next is then where the path goes on (or its NUL).
 */
static int
pm_px_seg_eq(const char *seg, const char *k, size_t n, const char **next)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (seg[i] == '/' || seg[i] == '\0' || seg[i] != k[i])
			return 0;
	if (seg[n] != '/' && seg[n] != '\0')
		return 0;
	*next = seg[n] == '/' ? seg + n + 1 : seg + n;
	return 1;
}

/* Files the paths of add (cursors set) at level lvl by their first byte. */
static void
pm_px_learn(struct pm_px *x, int lvl, uint64_t add)
{
	size_t i;

	if (x->known[lvl] == 0)
		memset(x->first[lvl], 0, sizeof(x->first[lvl]));
	x->known[lvl] |= add;
	for (; add != 0; add &= add - 1) {
		i = pm_w_bit(add);
		x->first[lvl][(unsigned char)x->cur[lvl][i][0] %
		    PM_PX_NFIRST] |= UINT64_C(1) << i;
	}
}

/*
 * Returns the paths of mask whose segment at level lvl is the key k (a
 * '*' matches no key), and sets where they go on at level lvl + 1.  Only
 * the paths whose segment starts like k are compared: most keys match
 * no path.
 */
static uint64_t
pm_px_match(struct pm_px *x, uint64_t mask, int lvl, const char *k,
    size_t n)
{
	uint64_t out = 0, cand;
	const char *seg;
	size_t i;

	if ((mask & ~x->known[lvl]) != 0)
		pm_px_learn(x, lvl, mask & ~x->known[lvl]);
	cand = n == 0 ? mask :
	    mask & x->first[lvl][(unsigned char)k[0] % PM_PX_NFIRST];
	for (; cand != 0; cand &= cand - 1) {
		i = pm_w_bit(cand);
		seg = x->cur[lvl][i];
		if (*seg != '\0' && !pm_px_is_star(seg) &&
		    pm_px_seg_eq(seg, k, n, &x->cur[lvl + 1][i]))
			out |= UINT64_C(1) << i;
	}
	return out;
}

/* Returns the paths of mask that end at level lvl. */
static uint64_t
pm_px_ends(const struct pm_px *x, uint64_t mask, int lvl)
{
	uint64_t out = 0;
	size_t i;

	for (; mask != 0; mask &= mask - 1) {
		i = pm_w_bit(mask);
		if (*x->cur[lvl][i] == '\0')
			out |= UINT64_C(1) << i;
	}
	return out;
}

/*
 * Returns the paths of mask whose segment at level lvl is '*' (any array
 * element), and sets where they go on at level lvl + 1.
 */
static uint64_t
pm_px_elems(struct pm_px *x, uint64_t mask, int lvl)
{
	uint64_t out = 0;
	const char *seg;
	size_t i;

	for (; mask != 0; mask &= mask - 1) {
		i = pm_w_bit(mask);
		seg = x->cur[lvl][i];
		if (pm_px_is_star(seg)) {
			x->cur[lvl + 1][i] = seg + 1 + (seg[1] == '/');
			out |= UINT64_C(1) << i;
		}
	}
	return out;
}

/*
 * Finds the levels of the '*' segments of path: star[0] the first, star[1]
 * the last of the others; -1 when there is none.
 */
static void
pm_px_stars(const char *path, int star[2])
{
	const char *p;
	int lvl = 0;

	star[0] = star[1] = -1;
	for (p = path;; lvl++) {
		if (pm_px_is_star(p))
			star[star[0] < 0 ? 0 : 1] = lvl;
		if ((p = strchr(p, '/')) == NULL)
			return;
		p++;
	}
}

/*
 * Finds the cluster and CPU that key i writes to, from the array indexes
 * of its '*' levels; a new (cluster, CPU) pair gets a new CPU slot.
 * Returns 0, or -1 when the object is beyond our arrays (ignored).
 */
static int
pm_px_object(struct pm_px *x, size_t i, int *cl, int *cpu)
{
	enum pm_scope scope = pm_plist_keys[i].t.scope;
	int ci, ki, star[2];

	if (scope == PM_SCOPE_SAMPLE)
		return 0;
	pm_px_stars(pm_plist_keys[i].path, star);
	if (star[0] < 0 || star[0] >= PM_PX_MAX_SEG ||
	    (scope == PM_SCOPE_CPU && (star[1] < 0 ||
	    star[1] >= PM_PX_MAX_SEG)))
		return -1;	/* a table bug: the row has no '*' for it */
	ci = x->idx[star[0]];
	*cl = pm_sample_cluster(x->s, ci) == 0 ? ci : -1;
	if (scope == PM_SCOPE_CLUSTER)
		return *cl >= 0 ? 0 : -1;
	ki = x->idx[star[1]];
	if (x->cpu_slot < 0 || ci != x->cpu_ci || ki != x->cpu_ki) {
		x->cpu_slot = pm_sample_add_cpu(x->s, -1, *cl);
		x->cpu_ci = ci;
		x->cpu_ki = ki;
	}
	*cpu = x->cpu_slot;
	return *cpu >= 0 ? 0 : -1;
}

/* Returns [p, p+n) without leading and trailing white space. */
static const char *
pm_px_trim(const char *p, size_t *n)
{
	while (*n > 0 && pm_px_isspace(*p)) {
		p++;
		(*n)--;
	}
	while (*n > 0 && pm_px_isspace(p[*n - 1]))
		(*n)--;
	return p;
}

/* Reports a value of key i that we cannot use; returns -1. */
static int
pm_px_bad(struct pm_px *x, size_t i, const char *what, const char *p,
    size_t n)
{
	char val[32];

	pm_snippet(val, sizeof(val), p, n);
	return pm_fail(x->err, x->errlen, "plist: %s for %s: \"%s\" (byte %zu)",
	    what, pm_plist_keys[i].path, val, pm_px_off(x, x->p));
}

/* Stores the value of key i, the leaf element el with text [p, p+n). */
static int
pm_px_store(struct pm_px *x, size_t i, enum pm_px_el el, const char *p,
    size_t n)
{
	const struct pm_target *t = &pm_plist_keys[i].t;
	char buf[64];
	double v;
	int cl = -1, cpu = -1;

	if (pm_px_object(x, i, &cl, &cpu) != 0)
		return 0;
	if (t->unit == PM_UNIT_TEXT) {
		if (el != PM_EL_STRING)
			return pm_px_bad(x, i, "not a <string>", p, n);
		n = cmn_xml_unescape(buf, sizeof(buf), p, n);
		pm_store_text(x->s, t, cl, cpu, buf, n);
		return 0;
	}
	p = pm_px_trim(p, &n);
	if (t->unit == PM_UNIT_DATE) {
		if (el != PM_EL_DATE || pm_date_iso(p, p + n, &v) != 0)
			return pm_px_bad(x, i, "bad date", p, n);
	} else if ((el != PM_EL_REAL && el != PM_EL_INTEGER) || n == 0 ||
	    pm_num_parse(p, p + n, &v) != p + n ||
	    (t->unit == PM_UNIT_ID && (v < 0 || v > 1e9))) {
		return pm_px_bad(x, i, "bad number", p, n);
	}
	pm_store_num(x->s, t, cl, cpu, v);
	return 0;
}

/* Stores a leaf value for every path of mask that ends here. */
static int
pm_px_apply(struct pm_px *x, uint64_t mask, enum pm_px_el el, const char *p,
    size_t n)
{
	for (; mask != 0; mask &= mask - 1)
		if (pm_px_store(x, pm_w_bit(mask), el, p, n) != 0)
			return -1;
	return 0;
}

static int pm_px_dict(struct pm_px *, int, uint64_t);
static int pm_px_array(struct pm_px *, int, uint64_t);

/*
 * Reads the value whose tag is *t, at level lvl of the paths in mask (the
 * paths whose first lvl segments led here).  Returns 0, or -1.
 */
static int
pm_px_value(struct pm_px *x, const struct pm_px_tag *t, int lvl,
    uint64_t mask)
{
	uint64_t here = pm_px_ends(x, mask, lvl);
	const char *text = "";
	size_t n = 0;

	if (t->kind == PM_TAG_EOF)
		return pm_fail(x->err, x->errlen, "plist: truncated (a value "
		    "is missing at the end)");
	if (t->kind == PM_TAG_CLOSE || t->el == PM_EL_KEY)
		return pm_fail(x->err, x->errlen, "plist: expected a value, "
		    "got <%s%.*s> at byte %zu", t->kind == PM_TAG_CLOSE ?
		    "/" : "", (int)(t->name_len > 16 ? 16 : t->name_len),
		    t->name, pm_px_off(x, x->p));
	if (t->kind == PM_TAG_OPEN && (t->el == PM_EL_DICT ||
	    t->el == PM_EL_ARRAY || t->el == PM_EL_OTHER)) {
		if (here != 0)
			return pm_px_bad(x, pm_w_bit(here), "a container "
			    "instead of a value", t->name, t->name_len);
		if (mask == 0 || t->el == PM_EL_OTHER || lvl >= PM_PX_MAX_SEG)
			return pm_px_skip(x, t);
		return t->el == PM_EL_DICT ? pm_px_dict(x, lvl, mask) :
		    pm_px_array(x, lvl, mask);
	}
	if (t->kind == PM_TAG_OPEN && pm_px_leaf(x, t, &text, &n) != 0)
		return -1;
	return here != 0 ? pm_px_apply(x, here, t->el, text, n) : 0;
}

/* Reads a dict whose keys are at level lvl of the paths in mask. */
static int
pm_px_dict(struct pm_px *x, int lvl, uint64_t mask)
{
	struct pm_px_tag t;
	const char *key = "";
	size_t n = 0;

	for (;;) {
		if (pm_px_next(x, &t) != 0)
			return -1;
		if (t.kind == PM_TAG_CLOSE && t.el == PM_EL_DICT)
			return 0;
		if (t.kind == PM_TAG_EOF)
			return pm_fail(x->err, x->errlen, "plist: truncated "
			    "(a <dict> is not closed)");
		if (t.el != PM_EL_KEY || t.kind == PM_TAG_CLOSE)
			return pm_fail(x->err, x->errlen, "plist: expected "
			    "<key> in <dict> at byte %zu", pm_px_off(x, x->p));
		if (t.kind == PM_TAG_OPEN && pm_px_leaf(x, &t, &key, &n) != 0)
			return -1;
		if (pm_px_next(x, &t) != 0 || pm_px_value(x, &t, lvl + 1,
		    pm_px_match(x, mask, lvl, key, n)) != 0)
			return -1;
	}
}

/* Reads an array whose elements are at level lvl of the paths in mask. */
static int
pm_px_array(struct pm_px *x, int lvl, uint64_t mask)
{
	struct pm_px_tag t;
	uint64_t elems = pm_px_elems(x, mask, lvl);

	for (x->idx[lvl] = -1;;) {
		if (pm_px_next(x, &t) != 0)
			return -1;
		if (t.kind == PM_TAG_CLOSE && t.el == PM_EL_ARRAY)
			return 0;
		if (x->idx[lvl] < INT32_MAX)
			x->idx[lvl]++;
		if (pm_px_value(x, &t, lvl + 1, elems) != 0)
			return -1;
	}
}

/* ========================= Entry points ========================= */

/* Returns 1 for the bytes a record may be padded with. */
static int
pm_px_isblank(char c)
{
	return c == '\0' || pm_px_isspace(c);
}

/* Reads <plist> (optional) and its root dict; returns 0 or -1. */
static int
pm_px_root(struct pm_px *x)
{
	struct pm_px_tag t;
	int wrapped;

	if (pm_px_next(x, &t) != 0)
		return -1;
	wrapped = t.kind == PM_TAG_OPEN && t.el == PM_EL_PLIST;
	if (wrapped && pm_px_next(x, &t) != 0)
		return -1;
	if (t.kind == PM_TAG_EOF)
		return pm_fail(x->err, x->errlen, "plist: truncated (no root "
		    "<dict>)");
	if (t.kind != PM_TAG_OPEN || t.el != PM_EL_DICT)
		return pm_fail(x->err, x->errlen, "plist: the root element "
		    "is not a <dict> (byte %zu)", pm_px_off(x, x->p));
	if (pm_px_dict(x, 0, ~UINT64_C(0) >> (64 - PM_PX_NKEYS)) != 0)
		return -1;
	if (!wrapped)
		return 0;
	if (pm_px_next(x, &t) != 0)
		return -1;
	if (t.kind != PM_TAG_CLOSE || t.el != PM_EL_PLIST)
		return pm_fail(x->err, x->errlen, "plist: %s after the root "
		    "<dict>", t.kind == PM_TAG_EOF ? "truncated (no </plist>)" :
		    "unexpected tag");
	return 0;
}

/* Parses one plist record; see pm_internal.h. */
int
pm_plist_parse(const char *p, size_t len, struct pm_sample *s, char *err,
    size_t errlen)
{
	struct pm_px x;
	const char *end = p + len;
	size_t i;

	_Static_assert(PM_PX_NKEYS <= 64, "one mask bit per key path");
	x.base = p;
	x.end = end;
	x.s = s;
	x.err = err;
	x.errlen = errlen;
	x.cpu_slot = x.cpu_ci = x.cpu_ki = -1;
	memset(x.idx, 0, sizeof(x.idx));
	memset(x.known, 0, sizeof(x.known));
	for (i = 0; i < PM_PX_NKEYS; i++)
		x.cur[0][i] = pm_plist_keys[i].path;
	while (p < end && pm_px_isblank(*p))
		p++;
	x.p = p;
	if (pm_px_root(&x) != 0)
		return -1;
	for (p = x.p; p < end && pm_px_isblank(*p); p++)
		;
	if (p != end)
		return pm_fail(err, errlen, "plist: data after the end of the "
		    "plist (byte %zu; split records at NUL bytes first)",
		    pm_px_off(&x, p));
	return 0;
}

