/*
 * an_smooth.c - keeps the CPU shown for each row within what its counters
 * and the machine allow.  Rows whose CPU came from tick counters (Linux
 * /proc/PID/stat counts 10 ms ticks) are merged into windows of at least
 * AN_TICK_WINDOW ticks, the window's CPU spread over its rows by their
 * length: at 10 ms a one-tick step would otherwise read as 100% of a core.
 * Then no row may show more CPU than the machine's logical CPUs give in its
 * interval: a counter read late in one sample and on time in the next (the
 * kernel updates a running thread's time at its scheduler ticks) shows too
 * little then too much, so the excess goes back to the rows before it, and
 * forward only when they are full.  The total CPU is kept exactly.  It does
 * not account CPU (an_cpu.c) or read traces (an_load.c).
 */
#include <math.h>

#include "an_smooth.h"

/* True for a row whose CPU can be moved: known, over a positive interval. */
static int
movable(const struct an_row *r)
{
	return !isnan(r->cpu_s) && r->dt > 0;
}

/* Spreads the CPU of rows[a..b) over them by their length. */
static void
spread(struct an_row *rows, size_t a, size_t b)
{
	double cpu = 0, dt = 0;

	for (size_t i = a; i < b; i++) {
		cpu += rows[i].cpu_s;
		dt += rows[i].dt;
	}
	for (size_t i = a; i < b && dt > 0; i++)
		rows[i].cpu_s = cpu * rows[i].dt / dt;
}

/* Merges runs of tick-counted rows into windows of at least window_s. */
static void
smooth_ticks(struct an_row *rows, size_t n, double window_s)
{
	size_t a = 0;
	double dt = 0;

	for (size_t i = 0; i <= n; i++) {
		int in = i < n && movable(&rows[i]) && rows[i].cpu_coarse && !rows[i].gap;
		if (in && dt < window_s) {
			if (dt == 0)
				a = i;
			dt += rows[i].dt;
			continue;
		}
		if (dt > 0)
			spread(rows, a, i);
		dt = 0;
		if (in) {
			a = i;
			dt = rows[i].dt;
		}
	}
}

/* Caps every row at ncpu CPUs, moving the excess back, then forward. */
static void
smooth_capacity(struct an_row *rows, size_t n, double ncpu)
{
	double carry = 0;
	size_t last = n;

	for (size_t k = n; k-- > 0;) {
		double cap;
		if (!movable(&rows[k]))
			continue;
		if (last == n)
			last = k;
		cap = ncpu * rows[k].dt;
		rows[k].cpu_s += carry;
		carry = rows[k].cpu_s > cap ? rows[k].cpu_s - cap : 0;
		rows[k].cpu_s -= carry;
	}
	for (size_t k = 0; k < n && carry > 0; k++) {
		double room;
		if (!movable(&rows[k]))
			continue;
		room = ncpu * rows[k].dt - rows[k].cpu_s;
		if (room <= 0)
			continue;
		room = room < carry ? room : carry;
		rows[k].cpu_s += room;
		carry -= room;
	}
	if (carry > 0 && last < n)
		rows[last].cpu_s += carry;	/* more than the machine can do: kept */
}

void
an_smooth_cpu(struct an_row *rows, size_t n, double tick_s, int ncpu)
{
	if (tick_s > 0 && !isnan(tick_s))
		smooth_ticks(rows, n, AN_TICK_WINDOW * tick_s);
	if (ncpu > 0)
		smooth_capacity(rows, n, (double)ncpu);
}
