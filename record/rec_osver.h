/*
 * rec_osver.h - the true macOS version from what the system answered.
 */
#ifndef REC_OSVER_H
#define REC_OSVER_H

#include <stddef.h>

/*
 * Writes into out the true macOS version, given raw (kern.osproductversion
 * as answered, e.g. "16.0.1") and release (kern.osrelease, the Darwin
 * version, e.g. "25.0.0"; NULL or "" when unknown).  macOS answers
 * kern.osproductversion with a compatibility version to programs built
 * with an older SDK: 16.x for 26.x (the major only changes; cpython
 * #135675; assumed to go on as major - 10), and 10.16 for every 11.x (no
 * minor to recover).  The major
 * comes from the Darwin version: 20-24 are macOS 11-15, from 25 on macOS
 * is Darwin + 1 (25 = 26).  When raw agrees, or release is unknown or not a
 * number, out is raw.  Returns 1 when out differs from raw, else 0.
 */
int rec_osver_true(const char *raw, const char *release, char *out, size_t len);

#endif /* REC_OSVER_H */
