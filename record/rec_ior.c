/*
 * rec_ior.c - IOReport energy counters in the recorder, shared part (see
 * rec_ior.h): the rule that picks the channels to record (the table of
 * common/cmn_ior.c), and the channel
 * table and each reading written as trace records with the reading's own
 * time.  The operating-system calls are the backend's (platform_ior_*);
 * turning counters into watts and shares is the analyzer's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rec_ior.h"

/* ======================= The selection rule ======================= */

int
rec_ior_select(const char *group, const char *subgroup, const char *name,
    uint32_t *kind)
{
	const struct cmn_ior_rule *r = cmn_ior_match(group, subgroup, name);

	if (r == NULL)
		return -1;
	*kind = r->kind == 2 ? PLAT_IOR_STATE : PLAT_IOR_SIMPLE;
	return r->domain;
}

/* ======================= The table ======================= */

/* Fills x->ch[i] from the backend's channel c.  Returns 0 or -EINVAL. */
static int
table_channel(struct rec_ior *x, size_t i, const struct plat_ior_channel *c)
{
	struct pmt_ior_channel *o = &x->ch[i];
	uint32_t kind = 0;
	int d = rec_ior_select(c->group, c->subgroup, c->name, &kind);

	if ((c->kind != PLAT_IOR_SIMPLE && c->kind != PLAT_IOR_STATE) ||
	    (c->kind == PLAT_IOR_STATE && (c->nstates < 1 || c->nstates > PLAT_IOR_STATES)))
		return -EINVAL;
	memset(o, 0, sizeof(*o));
	o->kind = c->kind;
	o->group = c->group;
	o->subgroup = c->subgroup;
	o->name = c->name;
	o->unit = c->unit;
	o->nstates = c->kind == PLAT_IOR_STATE ? c->nstates : 0;
	o->nvalues = c->kind == PLAT_IOR_STATE ? c->nstates : 1;
	for (uint32_t k = 0; k < o->nstates; k++)
		x->states[i][k] = c->states[k];
	o->states = o->nstates ? x->states[i] : NULL;
	if (d >= 0)
		x->count[d]++;
	return 0;
}

int
rec_ior_open(struct rec_ior *x)
{
	const struct plat_ior_channel *c = NULL;
	int n;

	memset(x, 0, sizeof(*x));
	n = platform_ior_open(&c, x->why, sizeof(x->why));
	if (n < 0)
		return n;
	if (n == 0 || n > PLAT_IOR_MAX || c == NULL) {
		snprintf(x->why, sizeof(x->why), "the backend described %d channels", n);
		platform_ior_close();
		return -EINVAL;
	}
	for (int i = 0; i < n; i++) {
		if (table_channel(x, (size_t)i, &c[i]) != 0 ||
		    x->nvalues + x->ch[i].nvalues > PLAT_IOR_VALUES) {
			snprintf(x->why, sizeof(x->why), "channel %d (%s) is not usable",
			    i, c[i].name);
			platform_ior_close();
			return -EINVAL;
		}
		x->nvalues += x->ch[i].nvalues;
	}
	x->pch = c;
	x->nch = (size_t)n;
	x->on = 1;
	return n;
}

void
rec_ior_describe(const struct rec_ior *x, char *buf, size_t len)
{
	size_t o = (size_t)snprintf(buf, len, "%zu channel%s", x->nch,
	    x->nch == 1 ? "" : "s");
	const char *sep = ": ";

	for (int d = 0; d < CMN_IOR_NDOMAINS && o < len; d++) {
		if (x->count[d] == 0)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s %u", sep,
		    cmn_ior_domain_name(d), x->count[d]);
		sep = ", ";
	}
}

int
rec_ior_write_table(struct rec_ior *x, pmt_writer *w, uint64_t t)
{
	return pmt_write_ior_channels(w, t, x->ch, x->nch);
}

/* ======================= Readings ======================= */

int
rec_ior_sample(struct rec_ior *x, pmt_writer *w, uint64_t (*now)(void *), void *arg)
{
	struct pmt_ior_sample s = { 0 };
	uint64_t t0, t1;
	int rc;

	if (!x->on)
		return 0;
	t0 = now(arg);
	rc = platform_ior_read(x->values, x->nvalues, x->have);
	t1 = now(arg);
	if (rc != 0) {
		x->failures++;
		x->last_err = rc;
		return 1;
	}
	for (size_t i = 0; i < x->nch; i++)
		if (!x->have[i])
			x->missing[s.nmissing++] = (uint32_t)i;
	s.read_ns = t1 > t0 ? t1 - t0 : 0;
	s.nvalues = x->nvalues;
	s.values = x->values;
	s.missing = x->missing;
	if ((rc = pmt_write_ior_sample(w, t1, &s)) != 0)
		return rc;
	x->reads++;
	return 0;
}

void
rec_ior_close(struct rec_ior *x)
{
	if (x->on)
		platform_ior_close();
	x->on = 0;
}

/* ======================= A quick look (--check) ======================= */

/* Counts, per domain, the channels whose values differ between a and b. */
static void
probe_moved(const struct rec_ior *x, const uint64_t *a, const uint64_t *b,
    struct rec_ior_probe *p)
{
	size_t off = 0;

	for (size_t i = 0; i < x->nch; i++) {
		uint32_t kind;
		int d = rec_ior_select(x->ch[i].group, x->ch[i].subgroup, x->ch[i].name,
		    &kind);
		int moved = 0;
		for (uint32_t k = 0; k < x->ch[i].nvalues; k++)
			moved |= a[off + k] != b[off + k];
		off += x->ch[i].nvalues;
		if (d >= 0 && moved && x->have[i])
			p->moved[d]++;
	}
}

void
rec_ior_probe(struct rec_ior_probe *p, unsigned wait_ms)
{
	static struct rec_ior x;		/* large: not on the stack */
	static uint64_t first[PLAT_IOR_VALUES];
	struct timespec ts = { (time_t)(wait_ms / 1000), (long)(wait_ms % 1000) * 1000000 };
	uint64_t t0, t1;

	memset(p, 0, sizeof(*p));
	p->rc = rec_ior_open(&x);
	snprintf(p->why, sizeof(p->why), "%s", x.why);
	if (p->rc <= 0)
		return;
	memcpy(p->count, x.count, sizeof(p->count));
	if ((p->read_err = platform_ior_read(x.values, x.nvalues, x.have)) == 0) {
		memcpy(first, x.values, x.nvalues * sizeof(*first));
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		t0 = platform_now_ns();
		p->read_err = platform_ior_read(x.values, x.nvalues, x.have);
		t1 = platform_now_ns();
		p->read_ns = t1 > t0 ? t1 - t0 : 0;
		if (p->read_err == 0)
			probe_moved(&x, first, x.values, p);
	}
	rec_ior_close(&x);
}

int
rec_ior_probe_text(const struct rec_ior_probe *p, char *buf, size_t len)
{
	size_t o;
	int all = 1;
	const char *sep = ": ";

	if (p->rc == -ENOTSUP) {
		snprintf(buf, len, "not on this platform (macOS on Apple silicon only)");
		return 0;
	}
	if (p->rc <= 0) {
		snprintf(buf, len, "not loaded: %s", p->why);
		return 0;
	}
	if (p->read_err != 0) {
		snprintf(buf, len, "loaded, %d channels, but a reading failed: %s", p->rc,
		    strerror(-p->read_err));
		return 0;
	}
	o = (size_t)snprintf(buf, len, "loaded, %d channel%s", p->rc, p->rc == 1 ? "" : "s");
	for (int d = 0; d < CMN_IOR_NDOMAINS && o < len; d++) {
		if (p->count[d] == 0)
			continue;
		all &= p->moved[d] == p->count[d];
		o += (size_t)snprintf(buf + o, len - o, "%s%s %u (%u moving)", sep,
		    cmn_ior_domain_name(d), p->count[d], p->moved[d]);
		sep = ", ";
	}
	if (o < len)
		snprintf(buf + o, len - o, "; a reading took %.2f ms", (double)p->read_ns / 1e6);
	return all;
}
