/*
 * test_rec_out.c - the privilege drop (rec_out.c) as a user of sudo sees
 * it: what the recorder says about a process it may not read, before and
 * after it left root for the user who ran sudo.  The drop itself runs in a
 * forked child (only when this test runs as root), which reports back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rec_out.h"
#include "tap.h"

/* A check that passes, named as skipped and why. */
static void
skip(const char *what, const char *why)
{
	char line[256];

	snprintf(line, sizeof line, "%s # SKIP %s", what, why);
	CHECK(1, line);
}

/* Bits the child reports: which of its checks held. */
enum {
	OK_DROPPED = 1 << 0,	/* rec_out_drop_privileges returned 1 */
	OK_UID = 1 << 1,	/* real and effective uid are SUDO_UID */
	OK_NOROOT = 1 << 2,	/* setuid(0) and seteuid(0) fail */
	OK_HINT = 1 << 3	/* the hint names the drop and the uid */
};

/* In a child: drops to uid 65534 as sudo would have it; exits with OK_* bits. */
static int
child_drop(void)
{
	char err[256], hint[400];
	int bits = 0;

	setenv("SUDO_UID", "65534", 1);
	setenv("SUDO_GID", "65534", 1);
	if (rec_out_drop_privileges(err, sizeof(err)) == 1)
		bits |= OK_DROPPED;
	if (getuid() == 65534 && geteuid() == 65534)
		bits |= OK_UID;
	if (setuid(0) != 0 && seteuid(0) != 0)
		bits |= OK_NOROOT;
	rec_out_denied_hint(hint, sizeof(hint));
	if (strstr(hint, "dropped its root privileges") != NULL &&
	    strstr(hint, "uid 65534") != NULL && strstr(hint, "sudo") != NULL &&
	    strstr(hint, "run with sudo") == NULL)
		bits |= OK_HINT;
	return bits;
}

static void
test_hint_before(void)
{
	char hint[400];

	rec_out_denied_hint(hint, sizeof(hint));
	CHECK(strstr(hint, "permission denied") != NULL,
	    "before any drop: the hint says permission denied");
	CHECK(strstr(hint, "dropped") == NULL,
	    "before any drop: no word of a drop");
}

static void
test_drop(void)
{
	int st = 0;
	pid_t pid;

	if (geteuid() != 0) {
		skip("drop: the recorder becomes the sudo user", "not root");
		skip("drop: root cannot be regained", "not root");
		skip("drop: a denied read says privileges were dropped", "not root");
		return;
	}
	if ((pid = fork()) == 0)
		_exit(child_drop());
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) {
		CHECK(0, "drop: the child ran");
		return;
	}
	st = WEXITSTATUS(st);
	CHECK((st & (OK_DROPPED | OK_UID)) == (OK_DROPPED | OK_UID),
	    "drop: the recorder becomes the sudo user");
	CHECK(st & OK_NOROOT, "drop: root cannot be regained");
	CHECK(st & OK_HINT, "drop: a denied read says privileges were dropped "
	    "to the user who ran sudo (not \"run with sudo\")");
}

int
main(void)
{
	test_hint_before();
	test_drop();
	return tap_done();
}
