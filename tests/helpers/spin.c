/*
 * spin.c - a test workload: THREADS threads that each burn CPU until the
 * process as a whole (all its threads) has used CPU_S seconds by its own
 * clock, then it writes its getrusage (user + system, "%.6f") to FILE if
 * given, and exits.  On a machine with as many idle cores as threads it
 * keeps every core busy, the most CPU a process can show.
 *
 * usage: spin THREADS CPU_S [FILE]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static double target_s;

/* CPU seconds this process has used, all threads. */
static double
process_cpu(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
		return 1e9;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *
spin(void *arg)
{
	volatile unsigned long x = 0;

	while (process_cpu() < target_s)
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
	(void)x;
	return arg;
}

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2;
	pthread_t t[64];
	struct rusage ru;

	target_s = argc > 2 ? atof(argv[2]) : 1;
	if (n < 1 || n > 64) {
		fprintf(stderr, "usage: spin THREADS CPU_S [FILE]\n");
		return 2;
	}
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, spin, NULL) != 0)
			return 1;
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	if (argc > 3) {
		FILE *f = fopen(argv[3], "w");
		getrusage(RUSAGE_SELF, &ru);
		if (f == NULL || fprintf(f, "%.6f\n", (double)ru.ru_utime.tv_sec +
		    ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
		    ru.ru_stime.tv_usec / 1e6) < 0 || fclose(f) != 0)
			return 1;
	}
	return 0;
}
