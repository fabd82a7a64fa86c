/*
 * rec_gpu.h - per-process GPU time from the GPU's user clients, shared part.
 *
 * Parses the "pid N, name" creator string that macOS attaches to every GPU
 * user client, and adds up the accumulated GPU time of the clients that a
 * set of pids own.  No operating-system calls: the backend reads the clients
 * (platform_gpu_clients), this module only interprets them.
 */
#ifndef REC_GPU_H
#define REC_GPU_H

#include <stddef.h>
#include <stdint.h>

#include "platform.h"

/*
 * Parses an IOUserClientCreator string of len bytes (it may stop earlier at
 * a NUL), as the kernel writes it: "pid <decimal>, <name>".  Extra blanks
 * around the tokens are accepted; the literal "pid", the digits and the comma
 * are required.  The pid must fit in int32_t.  The name is the rest, trailing
 * blanks removed, possibly empty; invalid UTF-8 and control bytes become '?'
 * and it is cut at a character boundary to fit name_len (name may be NULL
 * when name_len is 0).  Returns 0 and sets *pid, or -EINVAL.
 */
int rec_gpu_parse_creator(const char *s, size_t len, int32_t *pid,
    char *name, size_t name_len);

/*
 * Adds the gpu_ns of every client in c[0..nc) whose pid is one of
 * pids[0..npids) (sorted or not; a pid listed twice gets the total twice)
 * into totals[i] for pids[i], after setting every totals[i] to 0.  Sums
 * saturate at UINT64_MAX.  Returns the number of clients that matched a pid,
 * or -EINVAL (NULL arrays with a non-zero count), or -ENOMEM.
 */
int rec_gpu_sum_by_pid(const int32_t *pids, size_t npids,
    const struct plat_gpu_client *c, size_t nc, uint64_t *totals);

#endif /* REC_GPU_H */
