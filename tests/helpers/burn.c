/*
 * burn.c - a test workload process: allocates and touches MB mebibytes,
 * then burns CPU until its own getrusage says CPU_S seconds were used,
 * holding the memory, then optionally sleeps HOLD_S more.  With FILE, it
 * writes there the CPU seconds it used (its getrusage, user + system, "%.6f")
 * when it has burnt them, before the hold.
 *
 * usage: burn CPU_S [MB [HOLD_S [FILE]]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double
cpu_now(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

int
main(int argc, char **argv)
{
	double cpu = argc > 1 ? atof(argv[1]) : 1;
	size_t mb = argc > 2 ? (size_t)atol(argv[2]) : 0;
	double hold = argc > 3 ? atof(argv[3]) : 0;
	volatile unsigned long x = 0;
	char *mem = NULL;

	if (mb > 0) {
		if ((mem = malloc(mb << 20)) == NULL)
			return 1;
		memset(mem, 1, mb << 20);
	}
	while (cpu_now() < cpu)
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
	if (argc > 4) {
		FILE *f = fopen(argv[4], "w");
		if (f == NULL || fprintf(f, "%.6f\n", cpu_now()) < 0 || fclose(f) != 0)
			return 2;
	}
	if (hold > 0) {
		struct timespec ts = { (time_t)hold, (long)((hold - (double)(time_t)hold) * 1e9) };
		nanosleep(&ts, NULL);
	}
	if (mem != NULL)
		x += (unsigned long)mem[(mb << 20) - 1];
	free(mem);
	return x == 42;
}
