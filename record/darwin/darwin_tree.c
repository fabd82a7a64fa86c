/*
 * darwin_tree.c - macOS backend: which processes exist (platform_list_pids)
 * and whose children they are (platform_list_children), through libproc;
 * and which app is responsible for a process (platform_responsible_pid).
 * It does not walk the tree (shared code does) or read counters.
 */
#include "platform.h"
#include "darwin.h"

#include <dlfcn.h>
#include <errno.h>
#include <libproc.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>


enum {
	DARWIN_LIST_STACK = 256,	/* entries tried on the stack first */
	DARWIN_LIST_SLACK = 64,		/* room for processes born meanwhile */
	DARWIN_LIST_MAX = 1 << 20	/* never more entries than this */
};

enum darwin_list_kind {
	DARWIN_LIST_ALL,		/* every process */
	DARWIN_LIST_CHILDREN		/* direct children of one pid */
};


/* ---- pid lists ---- */

/*
 * Lists into buf[0..cap) (cap <= DARWIN_LIST_MAX) and returns how many
 * entries the kernel wrote, or -errno.  The buffer is pre-filled with -1 and
 * the written entries are counted, so the result does not depend on the
 * return unit: proc_listpids returns bytes; proc_listchildpids returns a
 * count in today's libproc (it divides proc_listpids' bytes by sizeof(int):
 * xnu libsyscall/wrappers/libproc/libproc.c) but callers disagree about
 * older releases.  Both return 0, not -1, on failure, with errno set.
 */
static int
darwin_list_once(enum darwin_list_kind kind, int32_t pid, int32_t *buf,
    size_t cap)
{
	int bytes = (int)(cap * sizeof(*buf)), r;
	size_t i, n = 0;

	for (i = 0; i < cap; i++)
		buf[i] = -1;
	errno = 0;
	if (kind == DARWIN_LIST_CHILDREN)
		r = proc_listchildpids(pid, buf, bytes);
	else
		r = proc_listpids(PROC_ALL_PIDS, 0, buf, bytes);
	if (r < 0 || (r == 0 && errno != 0))
		return -(errno != 0 ? errno : EIO);
	while (n < cap && buf[n] >= 0)
		n++;
	return (int)n;
}

/*
 * Lists the pids of kind into out[0..cap) and returns how many there are
 * (possibly more than cap), or -errno.  Retries with a larger buffer while
 * the kernel fills it completely (the list may have grown).
 */
static int
darwin_list(enum darwin_list_kind kind, int32_t pid, int32_t *out,
    size_t cap)
{
	int32_t stackbuf[DARWIN_LIST_STACK], *buf = stackbuf, *heap = NULL;
	size_t bcap = DARWIN_LIST_STACK;
	int n = -EIO, tries, hint;

	if (kind == DARWIN_LIST_ALL &&
	    (hint = proc_listpids(PROC_ALL_PIDS, 0, NULL, 0)) > 0)
		bcap = (size_t)hint / sizeof(int32_t) + DARWIN_LIST_SLACK;
	for (tries = 0; tries < 5; tries++) {
		if (bcap < DARWIN_LIST_STACK)
			bcap = DARWIN_LIST_STACK;
		if (bcap > DARWIN_LIST_MAX)
			bcap = DARWIN_LIST_MAX;
		if (bcap > DARWIN_LIST_STACK) {
			int32_t *nb = realloc(heap, bcap * sizeof(*nb));
			if (nb == NULL) {
				n = -ENOMEM;
				goto out;
			}
			buf = heap = nb;
		}
		n = darwin_list_once(kind, pid, buf, bcap);
		if (n < 0 || (size_t)n < bcap || bcap == DARWIN_LIST_MAX)
			break;
		bcap *= 4;		/* full: there may be more */
	}
	if (n > 0 && out != NULL)
		memcpy(out, buf, ((size_t)n < cap ? (size_t)n : cap) *
		    sizeof(*out));
out:
	free(heap);
	return n;
}

/* Every pid on the machine (contract in platform.h). */
int
platform_list_pids(int32_t *pids, size_t cap)
{
	if (pids == NULL && cap > 0)
		return -EINVAL;
	return darwin_list(DARWIN_LIST_ALL, 0, pids, cap);
}

/*
 * Direct children of pid (contract in platform.h).  The kernel does not
 * check that pid exists (it matches every process's parent against it), so
 * an empty answer is followed by a kill(pid, 0) probe for -ESRCH.
 */
int
platform_list_children(int32_t pid, int32_t *kids, size_t cap)
{
	int n;

	if (pid < 0 || (kids == NULL && cap > 0))
		return -EINVAL;
	n = darwin_list(DARWIN_LIST_CHILDREN, pid, kids, cap);
	if (n == 0 && pid > 0 && kill(pid, 0) != 0 && errno == ESRCH)
		return -ESRCH;
	return n;
}

/*
 * The app responsible for pid (contract in platform.h), through
 * responsibility_get_pid_responsible_for_pid(): private, declared in no SDK
 * header, so looked up at run time and never linked.  Ground truth: the
 * macOS 13.3 SDK's usr/lib/system/libquarantine.tbd exports
 * _responsibility_get_pid_responsible_for_pid (libSystem re-exports it);
 * its signature pid_t f(pid_t) is Chromium's declaration
 * (base/process/process_info_mac.cc).  How it answers for a pid that does
 * not exist is not documented: kill(pid, 0) tells -ESRCH first, and an
 * answer below 1 is taken as "no such process or not readable".
 */
int32_t
platform_responsible_pid(int32_t pid)
{
	static pid_t (*fn)(pid_t);
	static int looked;

	if (!looked) {
		*(void **)&fn = dlsym(RTLD_DEFAULT,
		    "responsibility_get_pid_responsible_for_pid");
		looked = 1;
	}
	if (fn == NULL)
		return -ENOSYS;
	if (pid <= 0)
		return -EINVAL;
	if (kill(pid, 0) != 0 && errno == ESRCH)
		return -ESRCH;
	pid_t r = fn(pid);
	return r > 0 ? (int32_t)r : -ESRCH;
}

/* The lookup's name when this system has it (contract in platform.h): the
 * same dlsym as platform_responsible_pid(). */
const char *
platform_responsible_lookup(void)
{
	static const char sym[] = "responsibility_get_pid_responsible_for_pid";

	return dlsym(RTLD_DEFAULT, sym) != NULL ? sym : "";
}

/* Nothing to do on macOS: proc_pid_rusage of a process of the same uid
 * needs no more (contract in platform.h). */
void
platform_child_readable(void)
{
}
