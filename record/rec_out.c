/*
 * rec_out.c - creates the trace file safely (no symlink following, no
 * silent overwrite) and drops root privileges to the sudo user before that,
 * so the trace belongs to the user.  Nothing else here runs as root.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rec_out.h"

/* Parses a decimal id from the environment; -1 if absent or bad. */
static long
env_id(const char *name)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > 0x7fffffffL)
		return -1;
	return v;
}

int
rec_out_drop_privileges(char *err, size_t errlen)
{
	long uid = env_id("SUDO_UID"), gid = env_id("SUDO_GID");
	gid_t g;

	if (geteuid() != 0 || uid <= 0)
		return 0;
	if (gid < 0)
		gid = uid;
	g = (gid_t)gid;
	if (setgroups(1, &g) != 0 || setgid(g) != 0 || setuid((uid_t)uid) != 0) {
		snprintf(err, errlen, "cannot leave root for uid %ld: %s", uid,
		    strerror(errno));
		return -1;
	}
	if (setuid(0) == 0) {
		snprintf(err, errlen, "still able to become root after dropping privileges");
		return -1;
	}
	return 1;
}

void
rec_out_default_name(const char *target, time_t when, char *buf, size_t len)
{
	char name[64], stamp[32];
	struct tm tm;
	size_t n = 0;

	for (const char *p = target; *p != '\0' && n < sizeof(name) - 1; p++) {
		unsigned char c = (unsigned char)*p;
		name[n++] = isalnum(c) || c == '.' || c == '_' || c == '-' ? (char)c : '_';
	}
	name[n] = '\0';
	if (n == 0 || name[0] == '.')
		snprintf(name, sizeof(name), "trace");
	localtime_r(&when, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, len, "%s-%s.pmtrace", name, stamp);
}

int
rec_out_create(const char *path, int force)
{
	int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC;
	int fd;

	flags |= force ? O_TRUNC : O_EXCL;
	fd = open(path, flags, 0644);
	if (fd < 0)
		return errno == ELOOP ? -ELOOP : -errno;
	return fd;
}
