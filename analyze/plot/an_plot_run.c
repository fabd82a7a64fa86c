/*
 * an_plot_run.c - finds gnuplot in PATH and runs it on a script, with the
 * script's folder as working directory, without a shell (fork + execv), and
 * keeps what it printed on standard error.  It writes no script.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "an_plot_gp.h"

/* Whether path names an executable regular file. */
static int
is_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int
an_plot_find(const char *prog, char *buf, size_t len)
{
	const char *path = getenv("PATH");

	if (path == NULL)
		path = "/usr/bin:/bin";
	for (const char *p = path;; p++) {
		size_t n = strcspn(p, ":");
		int w = n == 0 ? snprintf(buf, len, "./%s", prog) :
		    snprintf(buf, len, "%.*s/%s", (int)n, p, prog);
		if (w > 0 && (size_t)w < len && is_executable(buf))
			return 0;
		p += n;
		if (*p == '\0')
			break;
	}
	return -1;
}

/* In the child: working directory, standard streams, exec.  Never returns. */
static void
run_child(const char *exe, const char *dir, const char *script, int errfd)
{
	char *argv[3];
	int null = open("/dev/null", O_RDWR);

	if (null < 0 || chdir(dir) != 0) {
		dprintf(errfd, "cannot enter %s: %s\n", dir, strerror(errno));
		_exit(126);
	}
	dup2(null, 0);
	dup2(null, 1);
	dup2(errfd, 2);
	argv[0] = (char *)"gnuplot";
	argv[1] = (char *)script;
	argv[2] = NULL;
	execv(exe, argv);
	dprintf(2, "cannot run %s: %s\n", exe, strerror(errno));
	_exit(127);
}

/* Reads fd to its end, keeping the first len - 1 bytes in buf (NUL-terminated). */
static void
read_all(int fd, char *buf, size_t len)
{
	size_t o = 0;
	char junk[4096];

	for (;;) {
		ssize_t r = o + 1 < len ? read(fd, buf + o, len - 1 - o) :
		    read(fd, junk, sizeof(junk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (o + 1 < len)
			o += (size_t)r;
	}
	buf[o] = '\0';
}

int
an_plot_run(const char *exe, const char *dir, const char *script, char *err, size_t errlen)
{
	int fds[2], status;
	pid_t pid;

	err[0] = '\0';
	if (pipe(fds) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		run_child(exe, dir, script, fds[1]);
	}
	close(fds[1]);
	read_all(fds[0], err, errlen);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(err, errlen, "waitpid: %s", strerror(errno));
			return -1;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (err[0] == '\0') {
		if (WIFSIGNALED(status))
			snprintf(err, errlen, "killed by signal %d", WTERMSIG(status));
		else
			snprintf(err, errlen, "exit status %d", WEXITSTATUS(status));
	}
	return -1;
}
