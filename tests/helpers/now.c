/*
 * now.c - prints the time in seconds with microseconds, for tests: `date
 * +%s.%N` is GNU only (BSD date has no %N).
 *
 * usage: now [-m]
 *   (none)  seconds since the epoch (CLOCK_REALTIME), e.g. 1764869012.123456
 *   -m      seconds of the monotonic clock (CLOCK_MONOTONIC): for durations
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

int
main(int argc, char **argv)
{
	struct timespec ts;
	clockid_t clk = CLOCK_REALTIME;

	if (argc == 2 && strcmp(argv[1], "-m") == 0)
		clk = CLOCK_MONOTONIC;
	else if (argc != 1) {
		fprintf(stderr, "usage: now [-m]\n");
		return 2;
	}
	if (clock_gettime(clk, &ts) != 0) {
		perror("now: clock_gettime");
		return 1;
	}
	printf("%lld.%06ld\n", (long long)ts.tv_sec, ts.tv_nsec / 1000);
	return fflush(stdout) == 0 ? 0 : 1;
}
