/*
 * fake-editor.c - a stand-in for a photo editor, for the bundled sample and
 * the demo: every SPACING seconds it "opens an image": allocates and keeps
 * MB mebibytes (never freed, like the editor the project studies), burns a
 * second of CPU, and starts a short-lived helper (the burn program next to
 * it) that burns more CPU and exits.  Prints what it does on stderr.
 *
 * usage: fake-editor IMAGES SPACING_S MB
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
cpu_now(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void
burn(double seconds)
{
	volatile unsigned long x = 0;
	double end = cpu_now() + seconds;

	while (cpu_now() < end)
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
	(void)x;
}

/* Sleeps until the monotonic clock reads *AT (macOS has no clock_nanosleep). */
static void
sleep_until(const struct timespec *at)
{
	struct timespec now, d;

	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		d.tv_sec = at->tv_sec - now.tv_sec;
		d.tv_nsec = at->tv_nsec - now.tv_nsec;
		if (d.tv_nsec < 0) {
			d.tv_sec--;
			d.tv_nsec += 1000000000L;
		}
		if (d.tv_sec < 0 || (d.tv_sec == 0 && d.tv_nsec == 0))
			return;
		nanosleep(&d, NULL);
	}
}

int
main(int argc, char **argv)
{
	int images = argc > 1 ? atoi(argv[1]) : 3;
	double spacing = argc > 2 ? atof(argv[2]) : 5;
	size_t mb = argc > 3 ? (size_t)atol(argv[3]) : 200;
	char self[PATH_MAX], helper[PATH_MAX];
	struct timespec ts, start;

	snprintf(self, sizeof(self), "%s", argv[0]);
	snprintf(helper, sizeof(helper), "%s/burn", dirname(self));
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (int i = 1; i <= images; i++) {
		char *img;
		pid_t pid;
		double at = spacing * i;	/* on a fixed schedule */
		ts.tv_sec = start.tv_sec + (time_t)at;
		ts.tv_nsec = start.tv_nsec + (long)((at - (double)(time_t)at) * 1e9);
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		sleep_until(&ts);
		fprintf(stderr, "fake-editor: opening image %d (%zu MiB)\n", i, mb);
		if ((img = malloc(mb << 20)) == NULL)
			return 1;
		memset(img, i, mb << 20);	/* kept: never freed */
		if ((pid = fork()) == 0) {
			execl(helper, "burn", "1.5", "64", (char *)NULL);
			_exit(127);
		}
		burn(1.0);
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
	ts.tv_sec = (time_t)spacing;
	ts.tv_nsec = 0;
	nanosleep(&ts, NULL);
	return 0;
}
