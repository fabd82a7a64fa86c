/*
 * rec_spawn.c - starts the command given after "--" and tells when it has
 * exited, without reaping it too early: a zombie's counters are still
 * readable, so the recorder takes one last sample before reaping.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rec_spawn.h"

extern char **environ;

pid_t
rec_spawn_command(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
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

int32_t
rec_spawn_reap(pid_t pid)
{
	int st;
	pid_t r;

	do
		r = waitpid(pid, &st, 0);
	while (r < 0 && errno == EINTR);
	if (r != pid)
		return INT32_MIN;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return -WTERMSIG(st);
	return INT32_MIN;
}

int
rec_spawn_findable(const char *command)
{
	const char *path = getenv("PATH"), *p;
	char buf[PATH_MAX];

	if (strchr(command, '/') != NULL)
		return access(command, X_OK) == 0;
	if (path == NULL)
		path = "/usr/bin:/bin";
	for (p = path; ; p++) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, n ? p : ".", command);
		if (access(buf, X_OK) == 0)
			return 1;
		if (e == NULL)
			return 0;
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
