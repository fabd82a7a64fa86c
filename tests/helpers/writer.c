/*
 * writer.c - a test workload: appends MB mebibytes to FILE in 1 MiB writes
 * spread evenly over SECONDS, then exits.  A process that writes for a
 * while, so a recorder samples it writing before its parent reaps it.
 *
 * usage: writer FILE MB SECONDS
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	static char buf[1 << 20];
	long mb = argc > 2 ? atol(argv[2]) : 0;
	double secs = argc > 3 ? atof(argv[3]) : 0, step;
	struct timespec ts;
	int fd;

	if (argc < 4 || mb <= 0 || secs < 0)
		return 2;
	if ((fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND, 0644)) < 0)
		return 1;
	memset(buf, 'w', sizeof(buf));
	step = secs / (double)mb;
	ts.tv_sec = (time_t)step;
	ts.tv_nsec = (long)((step - (double)ts.tv_sec) * 1e9);
	for (long i = 0; i < mb; i++) {
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			return 1;
		nanosleep(&ts, NULL);
	}
	return close(fd) != 0;
}
