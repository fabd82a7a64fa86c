/*
 * rec_gpu.h - per-process GPU time from the GPU's user clients, shared part.
 *
 * Parses the "pid N, name" creator string that macOS attaches to every GPU
 * user client, and follows clients by registry entry id from read to read
 * so that each pid's GPU time only grows, closed clients included.  No operating-system calls: the backend reads the clients
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
 * Whether pid is one of pids[0..npids) (sorted ascending); every pid is
 * when pids is NULL.  Backends call it during their walk of the clients.
 */
int rec_gpu_wanted(const int32_t *pids, size_t npids, int32_t pid);

/* ---- per-process GPU time that survives closed clients (issue 9, D9g) ---- */

struct rec_gpu_seen {			/* one client of the last read */
	uint64_t id;			/* registry entry id (first: sort key) */
	int32_t pid;			/* owner */
	uint64_t ns;			/* its accumulated GPU time then */
};

struct rec_gpu_total {			/* GPU time of one pid so far */
	int32_t pid;			/* first: cmn_pid tables */
	uint64_t ns;			/* sum of its clients' growth, never falls */
};

/*
 * Follows GPU clients from read to read by registry entry id and keeps, per
 * pid, the sum of what every client it owned added: a client seen for the
 * first time adds its whole accumulated time, a known one its growth (a
 * counter that went down adds nothing and becomes the new base), and a
 * client that closed keeps what it added.  So a pid's total never falls.
 * Zero-initialise it (or rec_gpu_track_init), rec_gpu_track_free at the end.
 */
struct rec_gpu_track {
	struct rec_gpu_seen *seen;	/* last read's clients, sorted by id */
	size_t nseen, cap_seen;
	struct rec_gpu_total *tot;	/* totals, sorted by pid */
	size_t ntot, cap_tot;
	uint64_t lowered;		/* times a client's counter went down */
	uint64_t closed;		/* clients gone since the read before */
};

void rec_gpu_track_init(struct rec_gpu_track *t);

void rec_gpu_track_free(struct rec_gpu_track *t);

/*
 * Takes one read of clients c[0..nc) (the whole read: a client missing from
 * it has closed) and adds their growth to their owners' totals.  c is
 * sorted by id in place; a second client with an id already seen in c is
 * ignored.  Returns 0, -EINVAL (c NULL with nc > 0), or -ENOMEM (nothing
 * changed).
 */
int rec_gpu_track_update(struct rec_gpu_track *t, struct plat_gpu_client *c,
    size_t nc);

/* pid's total so far into *ns: 1, or 0 (and *ns = 0) if it has none. */
int rec_gpu_track_total(const struct rec_gpu_track *t, int32_t pid,
    uint64_t *ns);

/*
 * Drops pid's total (it left the tree, or its pid now names a new
 * process) and forgets its clients, so that should the pid come back, its
 * clients open then count in full, like those of a new process.
 */
void rec_gpu_track_forget(struct rec_gpu_track *t, int32_t pid);

#endif /* REC_GPU_H */
