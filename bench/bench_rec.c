/*
 * bench_rec.c - what phocus-record costs the machine it measures, for
 * `make bench`: on one 6-process tree at a 10 ms interval, measured side by
 * side, the recorder's CPU per sample and peak resident memory (wait4), the
 * floor (a bare loop that preads each /proc/PID/stat once per sample), and
 * the earlier Python tool's psutil loop.  Prints tab-separated lines.
 *
 * usage: bench_rec RECORDER FLOOR PSUTIL_SCRIPT [SECONDS [EXTRA]]
 *
 * EXTRA idle processes outside the tree are started first, to see the cost
 * on a machine with as many processes as a desktop (the psutil loop's
 * children(recursive=True) reads every process of the machine).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pmtrace.h"

enum { TREE = 6, INTERVAL_MS = 10 };

/* Starts a tree of TREE processes (root + children, all pausing); pids out. */
static pid_t
tree_start(pid_t *pids)
{
	int fd[2];
	pid_t root;

	if (pipe(fd) != 0 || (root = fork()) < 0)
		return -1;
	if (root == 0) {
		close(fd[0]);
		for (int i = 1; i < TREE; i++) {
			pid_t c = fork();
			if (c == 0) {
				for (;;)
					pause();
			}
			if (write(fd[1], &c, sizeof(c)) != sizeof(c))
				_exit(1);
		}
		for (;;)
			pause();
	}
	close(fd[1]);
	pids[0] = root;
	for (int i = 1; i < TREE; i++)
		if (read(fd[0], &pids[i], sizeof(pids[i])) != sizeof(pids[i]))
			return -1;
	close(fd[0]);
	return root;
}

/* Starts n idle processes outside the tree (killed with the process group). */
static void
extra_start(int n)
{
	for (int i = 0; i < n; i++)
		if (fork() == 0) {
			for (;;)
				pause();
		}
}

/* Runs argv, waits, returns its rusage; the output line (if any) into out. */
static int
run(char **argv, struct rusage *ru, char *out, size_t outlen)
{
	int fd[2], st;
	pid_t pid;
	ssize_t k;

	if (pipe(fd) != 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	k = read(fd[0], out, outlen - 1);
	out[k > 0 ? k : 0] = '\0';
	while (read(fd[0], out + outlen - 1, 0) > 0)
		;
	close(fd[0]);
	if (wait4(pid, &st, 0, ru) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	return 0;
}

/* Number of process samples in a trace. */
static long
samples_in(const char *path)
{
	pmt_reader *r;
	struct pmt_record rec;
	long n = 0;

	if (pmt_reader_open(&r, path, NULL, 0) != 0)
		return -1;
	while (pmt_reader_next(r, &rec) == 1)
		n += rec.type == PMT_REC_PROC;
	pmt_reader_close(r);
	return n;
}

static double
cpu_us(const struct rusage *ru)
{
	return (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1e6 +
	    (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec);
}

int
main(int argc, char **argv)
{
	pid_t pids[TREE];
	char out[512], root_s[16], n_s[16], iv_s[16], dur_s[16], trace[256];
	char pid_s[TREE][16];
	struct rusage ru;
	double secs = argc > 4 ? atof(argv[4]) : 12;
	long n, want = (long)(secs * 1000 / INTERVAL_MS);
	double rec_us, floor_us = -1, py_us = -1;

	int extra = argc > 5 ? atoi(argv[5]) : 0;

	if (argc < 4) {
		fprintf(stderr, "usage: bench_rec RECORDER FLOOR PSUTIL_SCRIPT [SECONDS [EXTRA]]\n");
		return 2;
	}
	setpgid(0, 0);
	extra_start(extra);
	if (tree_start(pids) < 0)
		return 1;
	snprintf(root_s, sizeof(root_s), "%d", (int)pids[0]);
	snprintf(n_s, sizeof(n_s), "%ld", want);
	snprintf(iv_s, sizeof(iv_s), "%d", INTERVAL_MS);
	snprintf(dur_s, sizeof(dur_s), "%g", secs);
	snprintf(trace, sizeof(trace), "/tmp/bench-rec-%d.pmtrace", (int)getpid());
	unlink(trace);
	{
		/* without the units check: its child (0.1 s of CPU or more, 64
		 * MiB) would count in wait4's CPU and maximum resident size */
		char *a[] = { argv[1], "-q", "-f", "--no-powermetrics", "--no-calibration",
		    "-i", iv_s, "-d", dur_s, "-p", root_s, "-o", trace, NULL };
		if (run(a, &ru, out, sizeof(out)) != 0 || (n = samples_in(trace)) <= 0)
			return 1;
		rec_us = cpu_us(&ru) / (double)n;
		printf("recorder_us_per_sample\t%.2f\t(%ld samples of a %d-process tree "
		    "at %d ms, CPU from wait4; %d extra processes on the machine)\n",
		    rec_us, n, TREE, INTERVAL_MS, extra);
		printf("recorder_max_rss_kib\t%ld\n", ru.ru_maxrss);
	}
	{
		char *a[TREE + 6];
		int k = 0;
		a[k++] = argv[2];
		for (int i = 0; i < TREE; i++) {
			snprintf(pid_s[i], sizeof(pid_s[i]), "%d", (int)pids[i]);
			a[k++] = pid_s[i];
		}
		a[k++] = "-n";
		a[k++] = n_s;
		a[k++] = "-i";
		a[k++] = iv_s;
		a[k] = NULL;
		if (run(a, &ru, out, sizeof(out)) == 0)
			floor_us = cpu_us(&ru) / (double)want;
		printf("floor_us_per_sample\t%.2f\t(%s samples, pread of each /proc/PID/stat; "
		    "its own count: %s)\n", floor_us, n_s, strtok(out, "\n"));
	}
	{
		char *a[] = { "/usr/bin/python3", argv[3], root_s, n_s, iv_s, NULL };
		if (run(a, &ru, out, sizeof(out)) == 0) {
			char *tab = strrchr(out, '\t');
			py_us = tab ? atof(tab + 1) : -1;
		}
		printf("psutil_us_per_sample\t%.2f\t(the earlier tool's loop, without "
		    "interpreter start-up)\n", py_us);
	}
	printf("recorder_vs_floor\t%.2f\n", floor_us > 0 ? rec_us / floor_us : -1);
	printf("psutil_vs_recorder\t%.1f\n", py_us > 0 ? py_us / rec_us : -1);
	signal(SIGTERM, SIG_IGN);
	kill(0, SIGTERM);	/* the tree and the extra processes */
	for (int i = 0; i < TREE; i++)
		kill(pids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	unlink(trace);
	return 0;
}
