/*
 * rec_spawn.c - starts the command given after "--" and tells when it has
 * exited, without reaping it too early: a zombie's counters are still
 * readable, so the recorder takes one last sample before reaping.  Also
 * the spawn attributes every child of the recorder gets (its ignored
 * signals back at their default).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rec_spawn.h"

extern char **environ;

static const int spawn_ignored[] = { SIGPIPE, SIGXFSZ, SIGTTIN, SIGTTOU };

size_t
rec_spawn_ignored(const int **sigs)
{
	*sigs = spawn_ignored;
	return sizeof(spawn_ignored) / sizeof(spawn_ignored[0]);
}

int
rec_spawn_attr_init(posix_spawnattr_t *at, short extra_flags)
{
	sigset_t def, none;
	int rc;

	if ((rc = posix_spawnattr_init(at)) != 0)
		return rc;
	sigemptyset(&def);
	sigemptyset(&none);
	for (size_t i = 0; i < sizeof(spawn_ignored) / sizeof(spawn_ignored[0]); i++)
		sigaddset(&def, spawn_ignored[i]);
	if ((rc = posix_spawnattr_setsigdefault(at, &def)) != 0 ||
	    (rc = posix_spawnattr_setsigmask(at, &none)) != 0 ||
	    (rc = posix_spawnattr_setflags(at, (short)(POSIX_SPAWN_SETSIGDEF |
	    POSIX_SPAWN_SETSIGMASK | extra_flags))) != 0) {
		posix_spawnattr_destroy(at);
		return rc;
	}
	return 0;
}

pid_t
rec_spawn_command(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	pid_t pid;
	int rc;

	if ((rc = rec_spawn_attr_init(&at, 0)) != 0)
		return -rc;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	rc = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return rc == 0 ? pid : -rc;
}

int
rec_spawn_exited(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0)
		return errno == ECHILD ? 1 : -errno;
	return si.si_pid == pid;
}

/* A struct timeval in ns (negative fields, never seen, count as 0). */
static uint64_t
tv_ns(const struct timeval *tv)
{
	if (tv->tv_sec < 0 || tv->tv_usec < 0)
		return 0;
	return (uint64_t)tv->tv_sec * 1000000000u + (uint64_t)tv->tv_usec * 1000u;
}

/*
 * wait4's rusage is the child's own usage plus that of the children it
 * reaped, on Linux (kernel/exit.c, wait_task_zombie: getrusage(RUSAGE_BOTH))
 * and on macOS (XNU bsd/kern/kern_exit.c, proc_exit: "adding in child rusage
 * info", ruadd(&p->p_ru->ru, &p->p_stats->p_cru)), in microseconds.
 */
int32_t
rec_spawn_reap(pid_t pid, struct rec_spawn_usage *u)
{
	struct rusage ru;
	int st;
	pid_t r;

	if (u != NULL)
		memset(u, 0, sizeof(*u));
	memset(&ru, 0, sizeof(ru));
	do
		r = wait4(pid, &st, 0, &ru);
	while (r < 0 && errno == EINTR);
	if (r != pid)
		return INT32_MIN;
	if (u != NULL) {
		u->have = 1;
		u->user_ns = tv_ns(&ru.ru_utime);
		u->system_ns = tv_ns(&ru.ru_stime);
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return -WTERMSIG(st);
	return INT32_MIN;
}

/* Whether the file at path can be executed: 0 or -errno (-EISDIR: a directory). */
static int
spawn_check_one(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	return access(path, X_OK) == 0 ? 0 : -errno;
}

int
rec_spawn_check(const char *command)
{
	const char *path = getenv("PATH"), *p;
	char buf[PATH_MAX];
	int found = -ENOENT, rc;

	if (strchr(command, '/') != NULL)
		return spawn_check_one(command);
	if (path == NULL)
		path = "/usr/bin:/bin";
	for (p = path; ; p++) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, n ? p : ".", command);
		if ((rc = spawn_check_one(buf)) == 0)
			return 0;
		if (rc != -ENOENT && rc != -ENOTDIR)
			found = rc;	/* there, but not runnable: say why if none is */
		if (e == NULL)
			return found;
		p = e;
	}
}

void
rec_spawn_stop(pid_t pid, unsigned wait_ms)
{
	struct timespec ts = { 0, 10 * 1000000 };
	int st;

	if (waitpid(pid, &st, WNOHANG) == pid)
		return;
	(void)kill(pid, SIGTERM);
	for (unsigned w = 0; w < wait_ms; w += 10) {
		if (waitpid(pid, &st, WNOHANG) != 0)
			return;
		nanosleep(&ts, NULL);
	}
}
