/*
 * as-user.c - runs a command as another user and group, for tests run as
 * root: what util-linux `setpriv --reuid=UID --regid=GID --clear-groups`
 * does, which macOS lacks.  Real, effective and saved ids all change and
 * GID becomes the only group; nothing else (environment, directory,
 * limits) does.
 *
 * usage: as-user UID GID COMMAND [ARGS...]     (numbers, e.g. 65534 65534)
 *
 * Exit status: 126 when the ids cannot be set or COMMAND cannot be run,
 * 127 when it is not found; otherwise it is COMMAND.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A uid/gid from S, or -1 when S is not a number. */
static long long
parse_id(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	return (end == s || *end != '\0' || v < 0 || v > 0xfffffffeLL) ? -1 : v;
}

int
main(int argc, char **argv)
{
	long long uid, gid;
	gid_t g;

	if (argc < 4 || (uid = parse_id(argv[1])) < 0 || (gid = parse_id(argv[2])) < 0) {
		fprintf(stderr, "usage: as-user UID GID COMMAND [ARGS...]\n");
		return 2;
	}
	g = (gid_t)gid;
	if (setgroups(1, &g) != 0 || setgid(g) != 0 || setuid((uid_t)uid) != 0) {
		fprintf(stderr, "as-user: cannot become %s:%s: %s\n", argv[1],
		    argv[2], strerror(errno));
		return 126;
	}
	if (getuid() != (uid_t)uid || geteuid() != (uid_t)uid || getegid() != g) {
		fprintf(stderr, "as-user: ids did not change\n");
		return 126;
	}
	execvp(argv[3], argv + 3);
	fprintf(stderr, "as-user: %s: %s\n", argv[3], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
