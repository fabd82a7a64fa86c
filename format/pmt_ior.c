/*
 * pmt_ior.c - encodes and decodes the two IOReport records (FORMAT.md 2.2,
 * 3.3): the channel table (IOR_CHANNELS) and one reading of every channel
 * (IOR_SAMPLE, delta-coded against the previous reading of the frame).  It
 * does not interpret the values (no watts, no residency shares: the
 * analyzer's job) and knows nothing of batches, zstd or files.
 */
#include <stdlib.h>
#include <string.h>

#include "pmt_internal.h"

enum { IOR_ABS = 1, IOR_MISSING = 2 };	/* IOR_SAMPLE flags */

/* ======================= Encoding ======================= */

static void
put_u(struct pmt_buf *b, uint64_t v)
{
	b->len += pmt_put_varint(b->p + b->len, v);
}

/* Appends a string (NULL as "", cut to PMT_IOR_STR_MAX bytes). */
static int
put_str(struct pmt_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	int rc;

	if (n > PMT_IOR_STR_MAX)
		n = PMT_IOR_STR_MAX;
	if ((rc = pmt_buf_reserve(b, n + 10)) != 0)
		return rc;
	put_u(b, n);
	if (n > 0)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

/* Checks one channel of a table to write; returns 0 or PMT_E_ARG. */
static int
channel_valid(const struct pmt_ior_channel *c)
{
	if (c->kind == PMT_IOR_SIMPLE)
		return c->nvalues == 1 && c->nstates == 0 ? 0 : PMT_E_ARG;
	if (c->kind == PMT_IOR_STATE)
		return c->nstates >= 1 && c->nstates <= PMT_IOR_MAX_STATES &&
		    c->nvalues == c->nstates && c->states != NULL ? 0 : PMT_E_ARG;
	return PMT_E_ARG;
}

int
pmt_ior_encode_channels(struct pmt_buf *out, const struct pmt_ior_channel *ch,
    size_t n)
{
	size_t nvalues = 0;
	int rc;

	out->len = 0;
	if (n > PMT_IOR_MAX_CHANNELS || (n > 0 && ch == NULL))
		return PMT_E_ARG;
	for (size_t i = 0; i < n; i++) {
		if ((rc = channel_valid(&ch[i])) != 0)
			return rc;
		nvalues += ch[i].nvalues;
	}
	if (nvalues > PMT_IOR_MAX_VALUES)
		return PMT_E_ARG;
	if ((rc = pmt_buf_reserve(out, 10)) != 0)
		return rc;
	put_u(out, n);
	for (size_t i = 0; i < n; i++) {
		const struct pmt_ior_channel *c = &ch[i];
		if ((rc = pmt_buf_reserve(out, 30)) != 0)
			return rc;
		put_u(out, c->kind);
		put_u(out, c->nvalues);
		if ((rc = put_str(out, c->group)) != 0 ||
		    (rc = put_str(out, c->subgroup)) != 0 ||
		    (rc = put_str(out, c->name)) != 0 ||
		    (rc = put_str(out, c->unit)) != 0 ||
		    (rc = pmt_buf_reserve(out, 10)) != 0)
			return rc;
		put_u(out, c->nstates);
		for (uint32_t k = 0; k < c->nstates; k++)
			if ((rc = put_str(out, c->states[k])) != 0)
				return rc;
	}
	return 0;
}

/* Keeps the values of a reading as the base of the next one. */
static int
sample_keep(struct pmt_state *s, const struct pmt_ior_sample *smp)
{
	if (smp->nvalues > s->ior_cap) {
		uint64_t *p = realloc(s->ior, smp->nvalues * sizeof(*p));
		if (p == NULL)
			return PMT_E_NOMEM;
		s->ior = p;
		s->ior_cap = smp->nvalues;
	}
	if (smp->nvalues > 0)
		memcpy(s->ior, smp->values, smp->nvalues * sizeof(*s->ior));
	s->nior = smp->nvalues;
	s->have_ior = 1;
	return 0;
}

/* Checks a reading to write: sizes and an ascending missing list. */
static int
sample_valid(const struct pmt_ior_sample *smp)
{
	if (smp->nvalues > PMT_IOR_MAX_VALUES || (smp->nvalues > 0 && smp->values == NULL) ||
	    smp->nmissing > PMT_IOR_MAX_CHANNELS || (smp->nmissing > 0 && smp->missing == NULL))
		return PMT_E_ARG;
	for (size_t i = 0; i < smp->nmissing; i++)
		if (smp->missing[i] >= PMT_IOR_MAX_CHANNELS ||
		    (i > 0 && smp->missing[i] <= smp->missing[i - 1]))
			return PMT_E_ARG;
	return 0;
}

int
pmt_ior_encode_sample(struct pmt_buf *body, struct pmt_state *s, uint64_t t,
    const struct pmt_ior_sample *smp)
{
	int abs = !s->have_ior || smp->nvalues != s->nior;
	int rc;

	body->len = 0;
	if ((rc = sample_valid(smp)) != 0)
		return rc;
	if ((rc = pmt_buf_reserve(body, 40 + 10 * (smp->nvalues + smp->nmissing))) != 0)
		return rc;
	put_u(body, t);
	put_u(body, (abs ? IOR_ABS : 0) | (smp->nmissing > 0 ? IOR_MISSING : 0));
	put_u(body, smp->read_ns);
	put_u(body, smp->nvalues);
	for (size_t i = 0; i < smp->nvalues; i++)
		put_u(body, pmt_zigzag((int64_t)(smp->values[i] -
		    (abs ? 0 : s->ior[i]))));
	if (smp->nmissing > 0) {
		put_u(body, smp->nmissing);
		for (size_t i = 0; i < smp->nmissing; i++)
			put_u(body, smp->missing[i]);
	}
	return sample_keep(s, smp);
}

/* ======================= Decoding ======================= */

/* Reads a string into d->strings (room reserved); *out points to the copy. */
static int
get_str(const uint8_t **p, const uint8_t *end, struct pmt_ior_dec *d,
    const char **out)
{
	uint64_t n;
	char *s;

	if (pmt_get_varint(p, end, &n) != 0 || n > PMT_IOR_STR_MAX ||
	    n > (uint64_t)(end - *p))
		return -1;
	s = (char *)d->strings.p + d->strings.len;
	memcpy(s, *p, (size_t)n);
	s[n] = '\0';
	d->strings.len += (size_t)n + 1;
	*p += n;
	*out = s;
	return 0;
}

/* Checks what a channel's kind says about its values and states. */
static int
channel_consistent(const struct pmt_ior_channel *c)
{
	if (c->kind == PMT_IOR_SIMPLE)
		return c->nvalues == 1 && c->nstates == 0;
	if (c->kind == PMT_IOR_STATE)
		return c->nstates >= 1 && c->nvalues == c->nstates;
	return 1;			/* a newer kind: its values are skipped */
}

/* Decodes one channel at *p into c; names go to d.  0 or -1 with *why. */
static int
channel_decode(const uint8_t **p, const uint8_t *end, struct pmt_ior_dec *d,
    size_t *nnames, struct pmt_ior_channel *c, const char **why)
{
	uint64_t kind, nv, ns;

	*why = "IOReport channel runs past the record";
	if (pmt_get_varint(p, end, &kind) != 0 || pmt_get_varint(p, end, &nv) != 0 ||
	    get_str(p, end, d, &c->group) != 0 || get_str(p, end, d, &c->subgroup) != 0 ||
	    get_str(p, end, d, &c->name) != 0 || get_str(p, end, d, &c->unit) != 0 ||
	    pmt_get_varint(p, end, &ns) != 0)
		return -1;
	if (kind > UINT32_MAX || nv > PMT_IOR_MAX_VALUES || ns > PMT_IOR_MAX_STATES) {
		*why = "IOReport channel has too many values or states";
		return -1;
	}
	c->kind = (uint32_t)kind;
	c->nvalues = (uint32_t)nv;
	c->nstates = (uint32_t)ns;
	if (*nnames + ns > d->names_cap) {
		*why = "IOReport channel table has too many states";
		return -1;
	}
	c->states = ns > 0 ? d->names + *nnames : NULL;
	for (uint64_t k = 0; k < ns; k++)
		if (get_str(p, end, d, &d->names[(*nnames)++]) != 0)
			return -1;
	if (!channel_consistent(c)) {
		*why = "IOReport channel's values do not match its kind";
		return -1;
	}
	return 0;
}

/* Makes room for a table of n channels decoded from len bytes. */
static int
table_reserve(struct pmt_ior_dec *d, size_t n, size_t len)
{
	size_t names = len < (size_t)PMT_IOR_MAX_CHANNELS * PMT_IOR_MAX_STATES ?
	    len : (size_t)PMT_IOR_MAX_CHANNELS * PMT_IOR_MAX_STATES;

	d->strings.len = 0;
	/* every string fits: at most len bytes plus one NUL per string */
	if (pmt_buf_reserve(&d->strings, 2 * len + 1) != 0)
		return -1;
	if (n > d->ch_cap) {
		struct pmt_ior_channel *q = realloc(d->ch, n * sizeof(*q));
		if (q == NULL)
			return -1;
		d->ch = q;
		d->ch_cap = n;
	}
	if (names > d->names_cap) {
		const char **q = realloc(d->names, names * sizeof(*q));
		if (q == NULL)
			return -1;
		d->names = q;
		d->names_cap = names;
	}
	return 0;
}

int
pmt_ior_decode_channels(const uint8_t *body, size_t len, struct pmt_ior_dec *d,
    struct pmt_record *rec, const char **why)
{
	const uint8_t *p = body, *end = body + len;
	uint64_t t, n;
	size_t nnames = 0, nvalues = 0;

	if (pmt_get_varint(&p, end, &t) != 0 || pmt_get_varint(&p, end, &n) != 0 ||
	    n > PMT_IOR_MAX_CHANNELS || n > (uint64_t)(end - p)) {
		*why = "IOReport channel table header is malformed";
		return -1;
	}
	if (table_reserve(d, (size_t)n, len) != 0) {
		*why = "out of memory";
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (channel_decode(&p, end, d, &nnames, &d->ch[i], why) != 0)
			return -1;
		nvalues += d->ch[i].nvalues;
	}
	if (nvalues > PMT_IOR_MAX_VALUES) {
		*why = "IOReport channel table has too many values";
		return -1;
	}
	d->table = (struct pmt_ior_table){ (size_t)n, d->ch, nvalues };
	rec->t = t;
	rec->u.ior_channels = &d->table;
	return 0;
}

/* Reads the missing-channel list of a reading into d->missing. */
static int
sample_missing(const uint8_t **p, const uint8_t *end, struct pmt_ior_dec *d)
{
	uint64_t n, idx, last = 0;

	if (pmt_get_varint(p, end, &n) != 0 || n == 0 || n > PMT_IOR_MAX_CHANNELS ||
	    n > (uint64_t)(end - *p))
		return -1;
	if (n > d->missing_cap) {
		uint32_t *q = realloc(d->missing, (size_t)n * sizeof(*q));
		if (q == NULL)
			return -1;
		d->missing = q;
		d->missing_cap = (size_t)n;
	}
	for (size_t i = 0; i < n; i++) {
		if (pmt_get_varint(p, end, &idx) != 0 || idx >= PMT_IOR_MAX_CHANNELS ||
		    (i > 0 && idx <= last))
			return -1;
		d->missing[i] = (uint32_t)idx;
		last = idx;
	}
	d->sample.nmissing = (size_t)n;
	return 0;
}

/* Reads the values of a reading into s->ior (delta or absolute). */
static int
sample_values(const uint8_t **p, const uint8_t *end, struct pmt_state *s,
    size_t n, int abs)
{
	if (n > s->ior_cap) {
		uint64_t *q = realloc(s->ior, n * sizeof(*q));
		if (q == NULL)
			return -1;
		s->ior = q;
		s->ior_cap = n;
	}
	for (size_t i = 0; i < n; i++) {
		int64_t d;
		if (pmt_get_svarint(p, end, &d) != 0)
			return -1;
		s->ior[i] = (abs ? 0 : s->ior[i]) + (uint64_t)d;
	}
	s->nior = n;
	return 0;
}

int
pmt_ior_decode_sample(const uint8_t *body, size_t len, struct pmt_state *s,
    struct pmt_ior_dec *d, struct pmt_record *rec, const char **why)
{
	const uint8_t *p = body, *end = body + len;
	uint64_t t, flags, read_ns, n;
	int abs;

	if (pmt_get_varint(&p, end, &t) != 0 || pmt_get_varint(&p, end, &flags) != 0 ||
	    pmt_get_varint(&p, end, &read_ns) != 0 || pmt_get_varint(&p, end, &n) != 0 ||
	    n > PMT_IOR_MAX_VALUES || n > (uint64_t)(end - p)) {
		*why = "IOReport sample header is malformed";
		goto fail;
	}
	abs = (flags & IOR_ABS) != 0;
	if (!abs && (!s->have_ior || n != s->nior)) {
		*why = "IOReport sample is a delta without a matching base";
		goto fail;
	}
	memset(&d->sample, 0, sizeof(d->sample));
	if (sample_values(&p, end, s, (size_t)n, abs) != 0) {
		*why = "IOReport sample values run past the record";
		goto fail;
	}
	if ((flags & IOR_MISSING) && sample_missing(&p, end, d) != 0) {
		*why = "IOReport sample's missing-channel list is malformed";
		goto fail;
	}
	s->have_ior = 1;
	d->sample.read_ns = read_ns;
	d->sample.nvalues = (size_t)n;
	d->sample.values = s->ior;
	d->sample.missing = d->sample.nmissing ? d->missing : NULL;
	rec->t = t;
	rec->u.ior_sample = &d->sample;
	return 0;
fail:
	s->have_ior = 0;		/* later deltas have no base */
	return -1;
}

void
pmt_ior_dec_free(struct pmt_ior_dec *d)
{
	free(d->ch);
	free(d->names);
	free(d->missing);
	pmt_buf_free(&d->strings);
	memset(d, 0, sizeof(*d));
}
