/*
 * linux_power.c - IOReport energy counters (platform_ior_*): a macOS
 * facility; Linux has no counterpart to record here, so there is nothing to
 * subscribe to and nothing to say about it.
 */
#include "linux.h"

#include <errno.h>

/* Linux has no IOReport.  Returns -ENOTSUP (the recorder stays silent). */
int
platform_ior_open(const struct plat_ior_channel **ch, char *why, size_t whylen)
{
	*ch = NULL;
	if (whylen > 0)
		why[0] = '\0';
	return -ENOTSUP;
}

/* Never subscribed: nothing to read. */
int
platform_ior_read(uint64_t *v, size_t nv, uint8_t *have)
{
	(void)v;
	(void)nv;
	(void)have;
	return -ENOTSUP;
}

void
platform_ior_close(void)
{
}
