/*
 * rec_status.c - draws the one-line live status on stderr when it is a
 * terminal: elapsed time, samples, processes, memory, CPU, GPU/ANE power
 * and trace size, rewritten in place at most once a second.  Prints nothing
 * else and nothing when off.
 */
#include <stdio.h>
#include <string.h>

#include "cmn_units.h"
#include "rec_status.h"

void
rec_status_init(struct rec_status *s, int on)
{
	memset(s, 0, sizeof(*s));
	s->on = on;
	cmn_rate_init(&s->redraw, 1000000000u);
	s->cpu_pct = -1;
}

void
rec_status_clock(uint64_t t, char *buf, size_t len)
{
	uint64_t ds = t / 100000000u;

	snprintf(buf, len, "%llu:%02llu:%02llu.%llu",
	    (unsigned long long)(ds / 36000), (unsigned long long)(ds / 600 % 60),
	    (unsigned long long)(ds / 10 % 60), (unsigned long long)(ds % 10));
}

/* "1.23 GB", "456 MB", "789 kB": the trace's size */
static void
human_bytes(uint64_t b, char *buf, size_t len)
{
	if (b >= 1000000000u)
		snprintf(buf, len, "%.2f GB", (double)b / 1e9);
	else if (b >= 1000000u)
		snprintf(buf, len, "%.1f MB", (double)b / 1e6);
	else
		snprintf(buf, len, "%.0f kB", (double)b / 1e3);
}

void
rec_status_update(struct rec_status *s, const struct rec_status_info *i, int force)
{
	char clk[32], rss[32], size[32], power[64], cpu[16];

	if (!s->on || (!force && !cmn_rate_due(&s->redraw, i->t)))
		return;
	if (s->redraw.last_ns != CMN_RATE_NEVER && i->t > s->prev_t &&
	    i->cpu_ns >= s->prev_cpu_ns)
		s->cpu_pct = 100.0 * (double)(i->cpu_ns - s->prev_cpu_ns) /
		    (double)(i->t - s->prev_t);
	s->prev_cpu_ns = i->cpu_ns;
	s->prev_t = i->t;
	cmn_rate_mark(&s->redraw, i->t);
	rec_status_clock(i->t, clk, sizeof(clk));
	cmn_units_bytes((double)i->rss, 0, rss, sizeof(rss));	/* as the summary */
	human_bytes(i->bytes, size, sizeof(size));
	if (i->gpu_w >= 0 || i->ane_w >= 0)
		snprintf(power, sizeof(power), "GPU %.2f W  ANE %.2f W",
		    i->gpu_w < 0 ? 0 : i->gpu_w, i->ane_w < 0 ? 0 : i->ane_w);
	else
		snprintf(power, sizeof(power), "GPU/ANE \xe2\x80\x94");
	if (s->cpu_pct >= 0)
		snprintf(cpu, sizeof(cpu), "%.0f%%", s->cpu_pct);
	else
		snprintf(cpu, sizeof(cpu), "\xe2\x80\x94");
	if (i->waiting_for != NULL)
		fprintf(stderr, "\r\033[K%s  waiting for %s to start...  %s  %s",
		    clk, i->waiting_for, power, size);
	else
		fprintf(stderr, "\r\033[K%s  %llu %s  %llu %s  RSS %s  "
		    "CPU %s  %s  trace %s", clk, (unsigned long long)i->samples,
		    cmn_units_noun(i->samples, "sample", "samples"),
		    (unsigned long long)i->procs, cmn_units_noun(i->procs, "proc", "procs"),
		    rss, cpu, power, size);
	fflush(stderr);
	s->shown = 1;
}

void
rec_status_clear(struct rec_status *s)
{
	if (s->on && s->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		s->shown = 0;
	}
}
