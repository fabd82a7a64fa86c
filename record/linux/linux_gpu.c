/*
 * linux_gpu.c - per-process GPU time (platform_gpu_clients[_of]): Linux has no
 * cheap and general source of it, so there are no GPU clients.
 */
#include "linux.h"

#include <errno.h>
#include <stddef.h>

/* Linux has no per-process GPU time that is cheap and general.  Returns 0. */
int
platform_gpu_clients(struct plat_gpu_client *c, size_t cap)
{
	(void)c;
	(void)cap;
	return 0;
}

/* Linux: no per-process GPU time (contract in platform.h).  -ENOTSUP. */
int
platform_gpu_clients_of(const int32_t *pids, size_t npids,
    struct plat_gpu_client *c, size_t cap)
{
	(void)pids;
	(void)npids;
	(void)c;
	(void)cap;
	return -ENOTSUP;
}
