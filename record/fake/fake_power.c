/*
 * fake_power.c - the fake backend's IOReport (platform_ior_*): channels and
 * readings come from tables a test or benchmark sets (fake_platform.h), so
 * the shared recording code and its cost can be measured anywhere.  Until
 * a table is set it answers like Linux: no IOReport.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fake_platform.h"

static struct plat_ior_channel ior_ch[PLAT_IOR_MAX];
static size_t ior_n;
static int ior_err = -ENOTSUP;		/* what platform_ior_open returns */
static char ior_why[128];
static uint64_t ior_v[PLAT_IOR_VALUES];
static size_t ior_nv;
static uint8_t ior_have[PLAT_IOR_MAX];
static int ior_have_all = 1;
static int ior_read_err;
static int ior_reads, ior_closes;
static uint64_t ior_step[PLAT_IOR_VALUES];	/* added after each read */

void
fake_set_ior(const struct plat_ior_channel *ch, size_t n, int err, const char *why)
{
	ior_n = n > PLAT_IOR_MAX ? PLAT_IOR_MAX : n;
	if (ior_n > 0)
		memcpy(ior_ch, ch, ior_n * sizeof(*ch));
	ior_err = err;
	snprintf(ior_why, sizeof(ior_why), "%s", why ? why : "");
}

void
fake_set_ior_read(const uint64_t *v, size_t nv, const uint8_t *have, int err)
{
	ior_nv = nv > PLAT_IOR_VALUES ? PLAT_IOR_VALUES : nv;
	if (ior_nv > 0)
		memcpy(ior_v, v, ior_nv * sizeof(*v));
	ior_have_all = have == NULL;
	if (have != NULL)
		memcpy(ior_have, have, ior_n);
	ior_read_err = err;
}

void
fake_set_ior_step(const uint64_t *step, size_t n)
{
	memset(ior_step, 0, sizeof(ior_step));
	if (step != NULL)
		memcpy(ior_step, step, (n > PLAT_IOR_VALUES ? PLAT_IOR_VALUES : n) *
		    sizeof(*step));
}

void
fake_ior_counts(int *reads, int *closes)
{
	*reads = ior_reads;
	*closes = ior_closes;
}

int
platform_ior_open(const struct plat_ior_channel **ch, char *why, size_t whylen)
{
	*ch = NULL;
	if (ior_err < 0) {
		snprintf(why, whylen, "%s", ior_why);
		return ior_err;
	}
	*ch = ior_ch;
	return (int)ior_n;
}

int
platform_ior_read(uint64_t *v, size_t nv, uint8_t *have)
{
	ior_reads++;
	if (ior_read_err < 0)
		return ior_read_err;
	for (size_t i = 0, off = 0; i < ior_n; i++) {
		size_t k = ior_ch[i].kind == PLAT_IOR_STATE ? ior_ch[i].nstates : 1;
		have[i] = ior_have_all ? 1 : ior_have[i];
		for (size_t j = off; have[i] && j < off + k && j < nv && j < ior_nv; j++)
			v[j] = ior_v[j];	/* a channel not returned keeps its values */
		off += k;
	}
	for (size_t j = 0; j < ior_nv; j++)
		ior_v[j] += ior_step[j];
	return 0;
}

void
platform_ior_close(void)
{
	ior_closes++;
}
