/*
 * timelimit.c - runs a command for at most a given time, for tests: what
 * GNU timeout(1) does, which macOS lacks.  The command runs in a process
 * group of its own; when the time is up the group gets SIGTERM, and SIGKILL
 * two seconds later if anything of it is still there.  It does not forward
 * signals it receives, and it has none of timeout's options.
 *
 * usage: timelimit SECONDS COMMAND [ARGS...]     (SECONDS may have decimals)
 *
 * Exit status: COMMAND's own; 128+N when a signal N ended it; 124 when the
 * time ran out (as GNU timeout); 125 a usage or system error; 126/127 the
 * command could not be run / was not found.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Seconds of the monotonic clock. */
static double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Sleeps 10 ms. */
static void
nap(void)
{
	struct timespec ts = { 0, 10 * 1000000 };

	nanosleep(&ts, NULL);
}

/* Waits up to LIMIT seconds for PID; 1 and *ST set when it ended, else 0. */
static int
wait_for(pid_t pid, double limit, int *st)
{
	double end = mono_now() + limit;

	for (;;) {
		pid_t r = waitpid(pid, st, WNOHANG);
		if (r == pid)
			return 1;
		if (r < 0 && errno != EINTR)
			return -1;
		if (mono_now() >= end)
			return 0;
		nap();
	}
}

/* The shell's way of saying how a wait status ended. */
static int
status_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 125;
}

int
main(int argc, char **argv)
{
	char *end;
	double limit;
	pid_t pid;
	int st, r;

	if (argc < 3 || (limit = strtod(argv[1], &end)) < 0 || *end != '\0' ||
	    end == argv[1]) {
		fprintf(stderr, "usage: timelimit SECONDS COMMAND [ARGS...]\n");
		return 125;
	}
	if ((pid = fork()) < 0) {
		perror("timelimit: fork");
		return 125;
	}
	if (pid == 0) {
		setpgid(0, 0);
		execvp(argv[2], argv + 2);
		fprintf(stderr, "timelimit: %s: %s\n", argv[2], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	setpgid(pid, pid);	/* also here: no race with the kill below */
	if ((r = wait_for(pid, limit, &st)) > 0)
		return status_code(st);
	if (r < 0) {
		perror("timelimit: waitpid");
		return 125;
	}
	fprintf(stderr, "timelimit: %s still running after %s s: stopped\n",
	    argv[2], argv[1]);
	kill(-pid, SIGTERM);
	if (wait_for(pid, 2, &st) == 0) {
		kill(-pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	kill(-pid, SIGKILL);	/* what is left of the group */
	return 124;
}
