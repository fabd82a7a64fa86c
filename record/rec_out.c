/*
 * rec_out.c - creates the trace file safely (no symlink following, no
 * silent overwrite) and drops root privileges to the sudo user before that,
 * so the trace belongs to the user.  Nothing else here runs as root.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* The uid the recorder dropped to, -1 while it has not dropped. */
static long dropped_uid = -1;

/*
 * The invoking user's groups: initgroups(), as sudo does when it starts a
 * command as a user, so the recorder and the command it starts keep every
 * group of that user.  On macOS setgroups() also opts the process out of
 * dynamic group membership, initgroups() opts it in (XNU
 * bsd/kern/kern_prot.c: setgroups1 with KAUTH_UID_NONE vs the user's
 * gmuid).  A uid without a user in the password database has no other
 * groups to keep: then just gid.  Returns 0 or -1 (errno set).
 */
static int
drop_groups(uid_t uid, gid_t gid)
{
	struct passwd *pw = getpwuid(uid);

	if (pw == NULL || pw->pw_name == NULL)
		return setgroups(1, &gid);
	return initgroups(pw->pw_name, gid);
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
	if (drop_groups((uid_t)uid, g) != 0 || setgid(g) != 0 ||
	    setuid((uid_t)uid) != 0) {
		snprintf(err, errlen, "cannot leave root for uid %ld: %s", uid,
		    strerror(errno));
		return -1;
	}
	/* setuid() as root set the real, effective and saved uid: no way back */
	if (setuid(0) == 0 || seteuid(0) == 0) {
		snprintf(err, errlen, "still able to become root after dropping privileges");
		return -1;
	}
	dropped_uid = uid;
	return 1;
}

void
rec_out_denied_hint(char *buf, size_t len)
{
	if (dropped_uid >= 0)
		snprintf(buf, len, "it belongs to another user, and phocus-record "
		    "dropped its root privileges to the user who ran sudo (uid %ld) "
		    "once powermetrics was started; run phocus-record as the user "
		    "that process belongs to", dropped_uid);
	else
		snprintf(buf, len, "permission denied (run as its user, or with sudo)");
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
	if (fd < 0) {
		int e = errno;
		struct stat st;
		if ((e == EEXIST || e == EISDIR) && lstat(path, &st) == 0 &&
		    S_ISDIR(st.st_mode))
			return -EISDIR;	/* O_EXCL says EEXIST for a directory too */
		return -e;
	}
	return fd;
}
