/*
 * ior_power.c - IOReport readings to power and GPU active % (ior_power.h):
 * channels to domains and idle states by the table of common/cmn_ior.c,
 * unit labels to joules, and the per-interval math with its checks (stalled, backwards and
 * missing counters, frozen readings, over-long intervals).  It stores
 * nothing of the trace and prints nothing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmn_ior.h"
#include "ior_power.h"

/* ======================= The table ======================= */

/* Lowest power of a domain whose counter never stands still, W. */
#define IOR_MIN_W 0.005

int
ior_domain_of(const char *group, const char *subgroup, const char *name, int *may_rest)
{
	const struct cmn_ior_rule *r = cmn_ior_match(group, subgroup, name);

	*may_rest = CMN_IOR_ALWAYS;
	if (r == NULL)
		return -1;
	*may_rest = r->rest;
	switch (r->domain) {
	case CMN_IOR_CPU: return IOR_CPU;
	case CMN_IOR_GPU: return IOR_GPU;
	case CMN_IOR_ANE: return IOR_ANE;
	case CMN_IOR_DRAM: return IOR_DRAM;
	case CMN_IOR_GPU_STATES: return IOR_GPU_STATES;
	default: return -1;		/* GPU SRAM: recorded, not summed */
	}
}

int
ior_state_idle(const char *state)
{
	return cmn_ior_state_idle(state);
}

double
ior_unit_joules(const char *unit)
{
	static const struct { const char *label; double j; } units[] = {
		{ "mJ", 1e-3 }, { "uJ", 1e-6 }, { "\xc2\xb5J", 1e-6 },	/* micro sign */
		{ "\xce\xbcJ", 1e-6 }, { "nJ", 1e-9 },		/* Greek mu */
	};
	size_t n;

	while (*unit == ' ' || *unit == '\t')
		unit++;
	n = strlen(unit);
	while (n > 0 && (unit[n - 1] == ' ' || unit[n - 1] == '\t'))
		n--;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].label) == n && memcmp(unit, units[i].label, n) == 0)
			return units[i].j;
	return 0;
}

const char *
ior_domain_name(int d)
{
	static const char *const names[IOR_NDOMAINS] = { "CPU", "GPU", "ANE", "DRAM" };

	return d >= 0 && d < IOR_NDOMAINS ? names[d] : "none";
}

/* ======================= Issues ======================= */

/* Adds an issue, or extends the run of the same one that ends at t0. */
static void
issue_add(struct ior_calc *c, int kind, double t0, double t1, const char *ch,
    const char *detail)
{
	struct ior_issue *i;

	for (size_t k = 0; k < c->nissues; k++) {
		i = &c->issue[k];
		if (i->kind == kind && i->t1 == t0 && strcmp(i->channel, ch) == 0) {
			i->t1 = t1;
			i->count++;
			return;
		}
	}
	if (c->nissues == IOR_MAX_ISSUES) {
		c->more_issues++;
		return;
	}
	i = &c->issue[c->nissues++];
	memset(i, 0, sizeof(*i));
	i->kind = kind;
	i->t0 = t0;
	i->t1 = t1;
	i->count = 1;
	snprintf(i->channel, sizeof(i->channel), "%s", ch);
	snprintf(i->detail, sizeof(i->detail), "%s", detail ? detail : "");
}

void
ior_issue_text(const struct ior_issue *i, char *buf, size_t len)
{
	unsigned long long n = (unsigned long long)i->count;

	switch (i->kind) {
	case IOR_I_STALL:
		snprintf(buf, len, "IOReport channel '%s' did not move from %.1f s to %.1f s "
		    "(%llu interval%s) while others did: a stalled counter; no %s there, "
		    "a gap (not 0)", i->channel, i->t0, i->t1, n, n == 1 ? "" : "s",
		    i->detail);
		break;
	case IOR_I_BACK:
		snprintf(buf, len, "IOReport channel '%s' went back (reset or wrap) at %.1f s"
		    "%s: that interval is a gap", i->channel, i->t1,
		    n > 1 ? " and later" : "");
		break;
	case IOR_I_MISSING:
		snprintf(buf, len, "IOReport channel '%s' was missing from %llu reading%s "
		    "between %.1f s and %.1f s: gaps", i->channel, n, n == 1 ? "" : "s",
		    i->t0, i->t1);
		break;
	case IOR_I_UNIT:
		snprintf(buf, len, "IOReport channel '%s' has the unit '%s', not mJ, uJ or "
		    "nJ: unknown, so its domain has no IOReport power", i->channel, i->detail);
		break;
	case IOR_I_SHAPE:
		snprintf(buf, len, "%llu IOReport reading%s from %.1f s did not fit the "
		    "channel table and %s skipped", n, n == 1 ? "" : "s", i->t0,
		    n == 1 ? "was" : "were");
		break;
	case IOR_I_FROZEN:
		snprintf(buf, len, "IOReport readings repeated the previous one from %.1f s "
		    "to %.1f s (%llu interval%s): gaps", i->t0, i->t1, n, n == 1 ? "" : "s");
		break;
	default:
		snprintf(buf, len, "no IOReport reading for more than 3 intervals from "
		    "%.1f s to %.1f s (sleep or stall): a gap", i->t0, i->t1);
	}
}

/* ======================= Table ======================= */

/* Classifies one channel of the table as entry i. */
static void
table_channel(struct ior_calc *c, size_t i, const struct pmt_ior_channel *p,
    size_t off, double t)
{
	struct ior_chan *x = &c->ch[i];

	memset(x, 0, sizeof(*x));
	x->off = off;
	x->nvalues = p->nvalues;
	snprintf(x->name, sizeof(x->name), "%s", p->name);
	x->domain = ior_domain_of(p->group, p->subgroup, p->name, &x->may_rest);
	if (x->domain == IOR_GPU_STATES && p->kind != PMT_IOR_STATE)
		x->domain = -1;
	if (x->domain >= 0 && x->domain < IOR_NDOMAINS && p->kind != PMT_IOR_SIMPLE)
		x->domain = -1;
	if (x->domain == IOR_GPU_STATES) {
		for (uint32_t k = 0; k < p->nstates && k < 64; k++)
			if (ior_state_idle(p->states[k]))
				x->idle |= (uint64_t)1 << k;
		c->state_ch++;
	} else if (x->domain >= 0) {
		x->j_per_count = ior_unit_joules(p->unit);
		c->domain_ch[x->domain]++;
		if (x->j_per_count == 0)
			issue_add(c, IOR_I_UNIT, t, t, x->name, p->unit);
	}
}

int
ior_calc_table(struct ior_calc *c, double t, const struct pmt_ior_table *tab)
{
	size_t off = 0;

	c->have_table = c->have_prev = 0;
	c->nch = c->nvalues = 0;
	c->state_ch = 0;
	memset(c->domain_ch, 0, sizeof(c->domain_ch));
	if (tab->n > IOR_MAX_CH || tab->nvalues > PMT_IOR_MAX_VALUES)
		return 0;
	if (tab->nvalues > c->prev_cap) {
		uint64_t *p = realloc(c->prev, tab->nvalues * sizeof(*p));
		if (p == NULL)
			return -1;
		c->prev = p;
		c->prev_cap = tab->nvalues;
	}
	free(c->prev_ok);
	if ((c->prev_ok = calloc(tab->n + 1, 1)) == NULL)
		return -1;
	for (size_t i = 0; i < tab->n; i++) {
		table_channel(c, i, &tab->ch[i], off, t);
		off += tab->ch[i].nvalues;
	}
	c->nch = tab->n;
	c->nvalues = off;
	c->have_table = 1;
	return 0;
}

/* ======================= Readings ======================= */

/* What happened to one channel over an interval. */
struct chan_delta {
	int ok;				/* a base and a value: deltas are meaningful */
	int back;			/* a value went back */
	int moved;			/* some value changed */
	double count;			/* energy channel: counts added */
	double total, active;		/* state channel: residency added, non-idle part */
};

/* Compares a channel's values with its previous ones. */
static void
chan_delta(const struct ior_calc *c, size_t i, const uint64_t *v, int present,
    struct chan_delta *d)
{
	const struct ior_chan *x = &c->ch[i];

	memset(d, 0, sizeof(*d));
	d->ok = present && c->prev_ok[i];
	if (!d->ok)
		return;
	for (uint32_t k = 0; k < x->nvalues; k++) {
		/*
		 * The step modulo 2^64, read as signed: a counter that wraps past
		 * the end of its 64 bits steps forward by the right amount; one
		 * that drops (a reset, a narrower counter wrapping) steps back.
		 */
		int64_t step = (int64_t)(v[x->off + k] - c->prev[x->off + k]);
		double delta = (double)step;

		if (step < 0)
			d->back = 1;
		if (step != 0)
			d->moved = 1;
		d->count += delta;
		d->total += delta;
		if (k >= 64 || !(x->idle & ((uint64_t)1 << k)))
			d->active += delta;
	}
}

/* GPU active % over the interval, or NaN; flags stalled state channels. */
static double
gpu_active(struct ior_calc *c, const struct chan_delta *d, int any_moved,
    double t0, double t1, int *gpu_busy)
{
	double total = 0, active = 0;
	int bad = 0;

	*gpu_busy = -1;			/* unknown */
	for (size_t i = 0; i < c->nch; i++) {
		if (c->ch[i].domain != IOR_GPU_STATES)
			continue;
		if (!d[i].ok || d[i].back)
			bad = 1;
		else if (!d[i].moved && any_moved) {
			issue_add(c, IOR_I_STALL, t0, t1, c->ch[i].name, "GPU active %");
			bad = 1;
		}
		total += d[i].total;
		active += d[i].active;
	}
	if (c->state_ch == 0 || bad || !(total > 0))
		return NAN;
	*gpu_busy = active > 0;
	return 100 * active / total;
}

/* Whether an energy channel that did not move over dt is a stall. */
static int
is_stall(const struct ior_chan *x, double dt, int gpu_busy)
{
	if (x->may_rest == CMN_IOR_ALWAYS)
		return 0;
	if (x->may_rest == CMN_IOR_GPU_IDLE)
		return gpu_busy == 1;
	/* never rests: only when the counter would have moved by 2 at 5 mW */
	return dt * IOR_MIN_W / x->j_per_count >= 2;
}

/* Sums the energy channels per domain into out->w; flags stalls. */
static void
domain_power(struct ior_calc *c, const struct chan_delta *d, double dt,
    int gpu_busy, struct ior_interval *out)
{
	double j[IOR_NDOMAINS] = { 0 };
	int bad[IOR_NDOMAINS] = { 0 };

	for (size_t i = 0; i < c->nch; i++) {
		const struct ior_chan *x = &c->ch[i];
		if (x->domain < 0 || x->domain >= IOR_NDOMAINS)
			continue;
		if (!d[i].ok || d[i].back || x->j_per_count == 0) {
			bad[x->domain] = 1;
			continue;
		}
		if (!d[i].moved && is_stall(x, dt, gpu_busy)) {
			char what[24];
			snprintf(what, sizeof(what), "%s power", ior_domain_name(x->domain));
			issue_add(c, IOR_I_STALL, out->t0, out->t1, x->name, what);
			bad[x->domain] = 1;
			continue;
		}
		j[x->domain] += d[i].count * x->j_per_count;
	}
	for (int k = 0; k < IOR_NDOMAINS; k++)
		out->w[k] = c->domain_ch[k] == 0 || bad[k] ? NAN : j[k] / dt;
}

/* Notes missing and backwards channels of the interval. */
static void
note_channels(struct ior_calc *c, const struct chan_delta *d, const uint8_t *present,
    double t0, double t1)
{
	for (size_t i = 0; i < c->nch; i++) {
		if (c->ch[i].domain < 0)
			continue;
		if (!present[i])
			issue_add(c, IOR_I_MISSING, t0, t1, c->ch[i].name, NULL);
		else if (d[i].back)
			issue_add(c, IOR_I_BACK, t0, t1, c->ch[i].name, NULL);
	}
}

/* Keeps a reading as the base of the next interval. */
static void
keep(struct ior_calc *c, double t, const struct pmt_ior_sample *s, const uint8_t *present)
{
	memcpy(c->prev, s->values, c->nvalues * sizeof(*c->prev));
	memcpy(c->prev_ok, present, c->nch);
	c->prev_t = t;
	c->have_prev = 1;
}

/* Computes the interval (prev, now); present: channels this reading has. */
static void
interval(struct ior_calc *c, double t, const struct pmt_ior_sample *s,
    const uint8_t *present, struct chan_delta *d, struct ior_interval *out)
{
	double dt = t - c->prev_t;
	int any_moved = 0, any_ok = 0, gpu_busy;

	for (size_t i = 0; i < c->nch; i++) {
		chan_delta(c, i, s->values, present[i], &d[i]);
		any_moved |= d[i].ok && d[i].moved;
		any_ok |= d[i].ok;
	}
	note_channels(c, d, present, c->prev_t, t);
	if (any_ok && !any_moved) {
		issue_add(c, IOR_I_FROZEN, c->prev_t, t, "", NULL);
		return;
	}
	out->gpu_active_pct = gpu_active(c, d, any_moved, c->prev_t, t, &gpu_busy);
	domain_power(c, d, dt, gpu_busy, out);
}

int
ior_calc_reading(struct ior_calc *c, double t, const struct pmt_ior_sample *s,
    struct ior_interval *out)
{
	uint8_t present[IOR_MAX_CH];
	struct chan_delta *d;

	if (!c->have_table)
		return 0;
	if (s->nvalues != c->nvalues || (c->have_prev && !(t > c->prev_t))) {
		issue_add(c, IOR_I_SHAPE, t, t, "", NULL);
		c->have_prev = 0;
		return 0;
	}
	memset(present, 1, c->nch);
	for (size_t i = 0; i < s->nmissing; i++)
		if (s->missing[i] < c->nch)
			present[s->missing[i]] = 0;
	if (!c->have_prev) {
		keep(c, t, s, present);
		return 0;
	}
	out->t0 = c->prev_t;
	out->t1 = t;
	out->gpu_active_pct = NAN;
	for (int k = 0; k < IOR_NDOMAINS; k++)
		out->w[k] = NAN;
	if (c->interval_s > 0 && t - c->prev_t > 3 * c->interval_s) {
		issue_add(c, IOR_I_LONG, c->prev_t, t, "", NULL);
		keep(c, t, s, present);
		return 1;
	}
	if ((d = calloc(c->nch + 1, sizeof(*d))) == NULL)
		return -1;
	interval(c, t, s, present, d, out);
	free(d);
	keep(c, t, s, present);
	return 1;
}

void
ior_calc_free(struct ior_calc *c)
{
	free(c->prev);
	free(c->prev_ok);
	c->prev = NULL;
	c->prev_ok = NULL;
	c->prev_cap = 0;
}
