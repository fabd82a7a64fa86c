/*
 * cmn_file.c - the whole-file reader (contract in cmn_file.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmn_file.h"

#define FIRST_CAP 65536		/* buffer for a file of unknown size */

/* Reads one byte more than got: 0 at the end of the file, -EFBIG, or -errno. */
static int
file_past_max(int fd)
{
	char c;
	ssize_t r;

	while ((r = read(fd, &c, 1)) < 0 && errno == EINTR)
		;
	return r == 0 ? 0 : r > 0 ? -EFBIG : -errno;
}

/*
 * Reads fd to its end into a new buffer with room for size + 1 bytes at
 * first (size from fstat, 0 when unknown: then FIRST_CAP), so that the
 * usual read of a file that did not grow needs no second buffer; doubles
 * the room when the file is larger, never beyond max bytes.  Returns 0 or
 * a negative errno.
 */
static int
file_read_fd(int fd, size_t size, size_t max, char **data, size_t *len)
{
	size_t room = size == 0 ? FIRST_CAP : size < max ? size + 1 : max;
	size_t got = 0;
	char *buf, *nb;
	ssize_t r;
	int rc;

	if (room > max)
		room = max;
	if ((buf = malloc(room + 1)) == NULL)	/* +1: the NUL */
		return -ENOMEM;
	for (;;) {
		if (got == room) {
			if (room == max) {
				if ((rc = file_past_max(fd)) == 0)
					break;
				free(buf);
				return rc;
			}
			room = room > max / 2 ? max : 2 * room;
			if ((nb = realloc(buf, room + 1)) == NULL) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		r = read(fd, buf + got, room - got);
		if (r == 0)
			break;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			free(buf);
			return rc;
		}
		got += (size_t)r;
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

int
cmn_file_read(const char *path, size_t max, unsigned flags, char **data,
    size_t *len)
{
	struct stat st;
	int fd, rc;

	if (data != NULL)
		*data = NULL;
	if (len != NULL)
		*len = 0;
	if (path == NULL || data == NULL || len == NULL || max >= SIZE_MAX)
		return -EINVAL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return -errno;
	if (fstat(fd, &st) != 0)
		rc = -errno;
	else if ((flags & CMN_FILE_REGULAR) && !S_ISREG(st.st_mode))
		rc = -EINVAL;
	else if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max)
		rc = -EFBIG;
	else
		rc = file_read_fd(fd, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0,
		    max, data, len);
	close(fd);
	return rc;
}
