/*
 * darwin.h - what the files of record/darwin/ share; private to this folder.
 *
 * The state platform_init() reads once (host port, timebase, the rusage
 * flavour the running kernel accepts) and a few helpers.  Shared recorder
 * code never includes this: it sees only platform.h.
 */
#ifndef DARWIN_H
#define DARWIN_H

#include <stddef.h>
#include <stdint.h>

#include <mach/mach.h>

/* Read by platform_init(), used by the sampling functions. */
struct darwin_state {
	int inited;			/* platform_init() ran */
	mach_port_t host;		/* mach_host_self(), taken once */
	uint64_t ram_bytes;		/* hw.memsize */
	uint64_t page_size;		/* kernel page size (vm_statistics64) */
	uint64_t tb_num;		/* Mach ticks * tb_num / tb_den = ns */
	uint64_t tb_den;
	int rusage_flavor;		/* RUSAGE_INFO_Vn to use, -1: none */
	int child_ns;			/* child times in ns: convert */
	int arm64;			/* Apple silicon (even under Rosetta) */
};

extern struct darwin_state darwin;

/*
 * Maps the failure of a per-pid call (err: its errno, 0 for a short read)
 * to the platform.h convention: -EACCES when the process exists but is not
 * readable, -ESRCH when it is gone (or a zombie without a task), else -err.
 */
int darwin_gone_or_denied(int32_t pid, int err);

/* sysctlbyname() into a string buffer (always NUL-terminated); 0 or -errno. */
int darwin_sysctl_str(const char *name, char *buf, size_t len);

/* sysctlbyname() of a 4- or 8-byte integer into *v; 0 or -errno. */
int darwin_sysctl_i64(const char *name, int64_t *v);

/* Major version of the running macOS (13 for "13.3.1"), 0 when unknown. */
int darwin_os_major(void);

/*
 * Finds the GPU (AGXAccelerator services in the IORegistry) and keeps it for
 * platform_gpu_clients().  Returns its core count ("gpu-core-count"), or -1
 * when there is no Apple GPU or it does not say.
 */
int32_t darwin_gpu_init(void);

/* Releases what darwin_gpu_init() keeps. */
void darwin_gpu_fini(void);

#endif /* DARWIN_H */
