/*
 * rec_out.h - the trace file and the privileges it is created with.
 */
#ifndef REC_OUT_H
#define REC_OUT_H

#include <stddef.h>
#include <time.h>

/*
 * Leaves root for the user who ran sudo (SUDO_UID/SUDO_GID), for good, with
 * all that user's groups (initgroups).  Returns 1 if privileges were
 * dropped, 0 if there was nothing to drop (not root, or root without
 * sudo), -1 with a reason in err on failure.
 */
int rec_out_drop_privileges(char *err, size_t errlen);

/*
 * Why a process could not be read (EACCES), for the message that names it:
 * after the drop, that the recorder now runs as the invoking user; before,
 * to run as the process's user or with sudo.
 */
void rec_out_denied_hint(char *buf, size_t len);

/*
 * The default trace name: "<target>-YYYYmmdd-HHMMSS.pmtrace" with the
 * target's name reduced to letters, digits, '.', '_' and '-'.
 */
void rec_out_default_name(const char *target, time_t when, char *buf, size_t len);

/*
 * Creates the trace file for writing, never following a symbolic link and
 * never replacing an existing file unless force.  Returns the descriptor,
 * or -errno (-EEXIST: exists and not force; -EISDIR: a directory).
 */
int rec_out_create(const char *path, int force);

#endif /* REC_OUT_H */
