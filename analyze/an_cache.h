/*
 * an_cache.h - the list cache: one small text file per trace holding its
 * digest (an_digest.h), valid while the trace keeps its path, size, inode
 * and modification time and the analyzer its version.  The folder is
 * $PHOCUS_CACHE_DIR, else $XDG_CACHE_HOME/phocus-monitor, else
 * $HOME/.cache/phocus-monitor; deleting it only costs time.
 */
#ifndef AN_CACHE_H
#define AN_CACHE_H

#include <stddef.h>
#include <sys/stat.h>

#include "an_digest.h"

/* The cache folder into buf.  Returns 0, or -1 when no variable names one. */
int an_cache_dir(char *buf, size_t len);

/*
 * Reads the digest of the trace whose absolute path is abs and whose
 * stat is st from folder dir into d.  Returns 0, or -1 when there is none,
 * it is stale or it cannot be read (then d is untouched but for its text).
 */
int an_cache_get(const char *dir, const char *abs, const struct stat *st, struct an_digest *d);

/*
 * Stores d for the trace abs (st) in folder dir, created (0700) when
 * missing; written to a temporary file and renamed, so that a reader never
 * sees half an entry.  Returns 0, or -1 with errno set.
 */
int an_cache_put(const char *dir, const char *abs, const struct stat *st,
    const struct an_digest *d);

#endif /* AN_CACHE_H */
