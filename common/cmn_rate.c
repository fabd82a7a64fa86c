/*
 * cmn_rate.c - "is it due?" for things done now and then (contract in
 * cmn_rate.h).
 */
#include "cmn_rate.h"

void
cmn_rate_init(struct cmn_rate *r, uint64_t every_ns)
{
	r->last_ns = CMN_RATE_NEVER;
	r->every_ns = every_ns;
}

int
cmn_rate_due(const struct cmn_rate *r, uint64_t now)
{
	return r->last_ns == CMN_RATE_NEVER || now < r->last_ns ||
	    now - r->last_ns >= r->every_ns;
}

void
cmn_rate_mark(struct cmn_rate *r, uint64_t now)
{
	r->last_ns = now;
}

int
cmn_rate_take(struct cmn_rate *r, uint64_t now)
{
	if (!cmn_rate_due(r, now))
		return 0;
	r->last_ns = now;
	return 1;
}
