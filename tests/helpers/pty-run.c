/*
 * pty-run.c - runs a command on a new pseudo-terminal and copies what it
 * writes there to standard output, for tests of what a program does on a
 * terminal: util-linux `script -qfec CMD /dev/null` and BSD `script -q
 * /dev/null CMD` differ, so tests use this instead.  The command gets the
 * terminal as standard input, output and error and as its controlling
 * terminal, in a session of its own.  Nothing is ever typed on the
 * terminal: it is not an expect tool.  The terminal does what a terminal
 * does to output (a newline arrives as CR LF).
 *
 * usage: pty-run COMMAND [ARGS...]
 *
 * Exit status: COMMAND's (128+N for a signal N), 126/127 when it cannot be
 * run / is not found, 125 when no terminal could be made.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* In the child: the terminal SLAVE becomes fds 0-2 and the controlling
 * terminal of a new session, then ARGV runs.  Returns only on failure. */
static int
pty_exec_child(const char *slave, char **argv)
{
	int fd;

	if (setsid() < 0 || (fd = open(slave, O_RDWR)) < 0 ||
	    ioctl(fd, TIOCSCTTY, 0) < 0) {
		fprintf(stderr, "pty-run: %s: %s\n", slave, strerror(errno));
		return 125;
	}
	if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		return 125;
	if (fd > 2)
		close(fd);
	execvp(argv[0], argv);
	fprintf(stderr, "pty-run: %s: %s\n", argv[0], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}

/* Copies MASTER to stdout until the terminal has no writer left. */
static void
pty_copy_out(int master)
{
	char buf[4096];
	ssize_t n;

	for (;;) {
		n = read(master, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)	/* EIO (Linux) or end of file (BSD): all closed */
			return;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(1, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return;
			off += w;
		}
	}
}

int
main(int argc, char **argv)
{
	int master, st;
	char *slave;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: pty-run COMMAND [ARGS...]\n");
		return 2;
	}
	if ((master = posix_openpt(O_RDWR | O_NOCTTY)) < 0 ||
	    grantpt(master) != 0 || unlockpt(master) != 0 ||
	    (slave = ptsname(master)) == NULL) {
		perror("pty-run: no pseudo-terminal");
		return 125;
	}
	if ((pid = fork()) < 0) {
		perror("pty-run: fork");
		return 125;
	}
	if (pid == 0) {
		close(master);
		_exit(pty_exec_child(slave, argv + 1));
	}
	pty_copy_out(master);
	close(master);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			perror("pty-run: waitpid");
			return 125;
		}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
