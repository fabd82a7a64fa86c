/*
 * fake_platform.h - controls of the fake platform backend (record/fake/),
 * for unit tests of the shared recorder code: the test sets a table of
 * processes, a clock and system counters; platform_* answer from them.
 */
#ifndef FAKE_PLATFORM_H
#define FAKE_PLATFORM_H

#include "platform.h"

struct fake_proc {
	int32_t pid;
	int32_t ppid;
	const char *name;		/* short name */
	const char *path;		/* executable path */
	struct plat_proc c;		/* counters returned by platform_sample_proc */
	int unreadable;			/* sample gives -EACCES */
};

/* Replaces the process table (copied; strings must outlive the table). */
void fake_set_procs(const struct fake_proc *procs, size_t n);

/* Sets what platform_now_ns returns. */
void fake_set_now(uint64_t ns);

/* Sets the system sample (ticks copied, up to 64 values). */
void fake_set_system(const struct plat_sys *s);

/*
 * Sets the GPU clients platform_gpu_clients returns (copied, up to 4096);
 * platform_gpu_clients_of answers -ENOTSUP until this is called (and again
 * after a call with c NULL), then keeps the clients of the pids it is asked
 * for.
 */
void fake_set_gpu(const struct plat_gpu_client *c, size_t n);

/* Number of platform_gpu_clients_of calls so far. */
int fake_gpu_reads(void);

/*
 * What platform_gpu_clients_of returns instead of the clients' number when
 * rc is not 0: an error (< 0), or more clients than the caller has room for
 * (the ones set are still stored).  0: the number found again.
 */
void fake_set_gpu_result(int rc);

/*
 * The responsible processes (issue 9 defect 9): pids[i] works for resp[i];
 * every other process of the table is its own (as before any call).  err 0
 * keeps the lookup on; else platform_responsible_pid() answers err
 * (-ENOTSUP: a platform without the notion, as Linux; -ENOSYS: a system
 * that lacks the lookup).
 */
void fake_set_responsible(const int32_t *pids, const int32_t *resp, size_t n,
    int err);

/* Number of platform_responsible_pid calls so far. */
int fake_responsible_calls(void);

/* Number of platform_forget_proc calls so far, and the last pid forgotten. */
int fake_forget_count(int32_t *last);

/*
 * IOReport (fake_power.c).  Until set, platform_ior_open() answers -ENOTSUP
 * as on Linux.  fake_set_ior(): the n channels it describes (copied, up to
 * PLAT_IOR_MAX), or with err < 0, the error it returns and why.
 */
void fake_set_ior(const struct plat_ior_channel *ch, size_t n, int err, const char *why);

/*
 * What platform_ior_read() returns from now on: nv values (copied) and
 * which channels it returned (have NULL: all of them), or err < 0.
 */
void fake_set_ior_read(const uint64_t *v, size_t nv, const uint8_t *have, int err);

/* What every platform_ior_read() adds to the values after returning them
 * (n values, copied; NULL: nothing). */
void fake_set_ior_step(const uint64_t *step, size_t n);

/* Calls of platform_ior_read() and platform_ior_close() so far. */
void fake_ior_counts(int *reads, int *closes);

#endif /* FAKE_PLATFORM_H */
