/*
 * floor.c - the cheapest possible recorder, as a yardstick: "floor PID... -n N
 * -i MS" preads /proc/PID/stat of each pid once per iteration (descriptors
 * kept open), sleeps MS, and prints "floor<TAB>N<TAB>US", its own CPU time
 * per iteration (getrusage).  It parses, writes and follows nothing else.
 */
#if !defined(_GNU_SOURCE) && !defined(_DARWIN_C_SOURCE)
#define _POSIX_C_SOURCE 200809L	/* pread, nanosleep under plain -std=c11 */
#endif
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>


enum {
	FLOOR_PIDS_MAX = 4096	/* pids given on the command line */
};

/* Prints the usage line and exits with status 2. */
static void
floor_usage(void)
{
	fprintf(stderr, "usage: floor PID... -n N -i MS\n");
	exit(2);
}

/* Parses a decimal number in [min, max] or exits with the usage line. */
static long
floor_number(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		floor_usage();
	return v;
}

/* CPU time (user + system) of this process, in microseconds. */
static double
floor_cpu_us(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		err(1, "getrusage");
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
	    ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

/* Sleeps ms milliseconds, resuming after signals. */
static void
floor_sleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int
main(int argc, char **argv)
{
	static int fds[FLOOR_PIDS_MAX];
	char path[64], buf[2048];
	long n = -1, ms = -1, i;
	int nfd = 0, a, k;
	double c0, c1;

	for (a = 1; a < argc; a++) {
		if (argv[a][0] == '-' && argv[a][1] == 'n' && argv[a][2] == '\0'
		    && a + 1 < argc)
			n = floor_number(argv[++a], 1, LONG_MAX);
		else if (argv[a][0] == '-' && argv[a][1] == 'i' &&
		    argv[a][2] == '\0' && a + 1 < argc)
			ms = floor_number(argv[++a], 0, 3600000);
		else if (argv[a][0] != '-' && nfd < FLOOR_PIDS_MAX) {
			snprintf(path, sizeof path, "/proc/%ld/stat",
			    floor_number(argv[a], 1, INT_MAX));
			if ((fds[nfd++] = open(path, O_RDONLY)) < 0)
				err(1, "%s", path);
		} else
			floor_usage();
	}
	if (nfd == 0 || n < 0 || ms < 0)
		floor_usage();
	c0 = floor_cpu_us();
	for (i = 0; i < n; i++) {
		for (k = 0; k < nfd; k++)
			if (pread(fds[k], buf, sizeof buf, 0) <= 0)
				err(1, "pread of pid #%d", k + 1);
		floor_sleep(ms);
	}
	c1 = floor_cpu_us();
	printf("floor\t%ld\t%.3f\n", n, (c1 - c0) / (double)n);
	if (fclose(stdout) != 0)
		err(1, "stdout");
	return 0;
}
