/*
 * memhold.c - a test workload: maps and touches MB mebibytes, holds them
 * HOLD_S seconds, unmaps them (the memory goes back to the system at once),
 * then idles IDLE_S seconds and exits.  What a photo editor does with an
 * image it closes, in miniature.
 *
 * usage: memhold MB HOLD_S IDLE_S
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static void
nap(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) != 0)
		;
}

int
main(int argc, char **argv)
{
	size_t len = (size_t)(argc > 1 ? atol(argv[1]) : 100) << 20;
	void *p;

	if (argc < 4)
		return 2;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	memset(p, 1, len);
	nap(atof(argv[2]));
	munmap(p, len);
	nap(atof(argv[3]));
	return 0;
}
