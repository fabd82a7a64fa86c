/*
 * newsession.c - runs a command in a new session (setsid(2)), for tests:
 * what util-linux setsid(1) does, which macOS lacks.  The command has no
 * controlling terminal and is the leader of its own process group, so a
 * test can signal the group or see how a program without a terminal
 * behaves.
 *
 * usage: newsession COMMAND [ARGS...]
 *
 * When this program is not a process group leader (the usual case for a
 * command a script starts in the background) it calls setsid and execs
 * COMMAND: the command keeps its pid ($! in the script).  Otherwise it
 * forks, and waits for the command.  Exit status: COMMAND's (128+N for a
 * signal N), 126/127 when it cannot be run / is not found.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Becomes a session leader and runs argv; returns only on failure. */
static int
session_exec(char **argv)
{
	if (setsid() < 0) {
		perror("newsession: setsid");
		return 126;
	}
	execvp(argv[0], argv);
	fprintf(stderr, "newsession: %s: %s\n", argv[0], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}

int
main(int argc, char **argv)
{
	pid_t pid;
	int st;

	if (argc < 2) {
		fprintf(stderr, "usage: newsession COMMAND [ARGS...]\n");
		return 2;
	}
	if (getpgrp() != getpid())
		return session_exec(argv + 1);
	if ((pid = fork()) < 0) {
		perror("newsession: fork");
		return 126;
	}
	if (pid == 0)
		_exit(session_exec(argv + 1));
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			perror("newsession: waitpid");
			return 126;
		}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
