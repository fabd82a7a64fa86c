/*
 * linux_gpu.c - per-process GPU time (platform_gpu_clients): Linux has no
 * cheap and general source of it, so there are no GPU clients.
 */
#include "linux.h"

#include <stddef.h>

/* Linux has no per-process GPU time that is cheap and general.  Returns 0. */
int
platform_gpu_clients(struct plat_gpu_client *c, size_t cap)
{
	(void)c;
	(void)cap;
	return 0;
}
