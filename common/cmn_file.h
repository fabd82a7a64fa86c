/*
 * cmn_file.h - reads a whole file into memory, with a size cap, for both
 * programs (a trace, a saved powermetrics log, an app's Info.plist).  It
 * does not parse, print or keep anything.
 *
 * Errors are negative errno values, as everywhere in common/: -ENOENT,
 * -EACCES, ... from the system, -EFBIG over the cap, -EINVAL for a file
 * that is not a regular one when CMN_FILE_REGULAR asks for one, -ENOMEM.
 * strerror(-rc) describes them.
 */
#ifndef CMN_FILE_H
#define CMN_FILE_H

#include <stddef.h>
#include <stdint.h>

#define CMN_FILE_NO_CAP (SIZE_MAX - 1)	/* max for "as large as memory allows" */

enum {
	CMN_FILE_REGULAR = 1	/* refuse anything but a regular file (a FIFO or a
				   device could block or never end) */
};

/*
 * Reads the file at path, at most max bytes (max < SIZE_MAX), into a new
 * buffer *data of *len bytes with a NUL after the last one (not counted),
 * so that text can be searched with string functions; the caller frees
 * *data.  Reads to the end even when the file grows or is not seekable (a
 * pipe), unless CMN_FILE_REGULAR is in flags.  Returns 0, or a negative
 * errno (*data NULL, *len 0).
 */
int cmn_file_read(const char *path, size_t max, unsigned flags, char **data,
    size_t *len);

#endif /* CMN_FILE_H */
