/*
 * an_cpu.h - how much CPU a process tree used between two samples,
 * including children that exited in between.
 */
#ifndef AN_CPU_H
#define AN_CPU_H

#include <stddef.h>
#include <stdint.h>

/*
 * One process as seen in one sample.  CPU values are in one unit chosen by
 * the caller (the loader: ns), whatever resolution they were read at.
 */
struct an_pstate {
	int32_t pid;
	int32_t ppid;
	uint64_t start;			/* start-time token; equal = same process */
	uint64_t own;			/* own user + system CPU, from the tick counters */
	uint64_t own_fine;		/* the same, read finer (Linux cpu_ns), when has_fine */
	uint64_t child;			/* CPU of its reaped children (tick counters) */
	uint64_t gpu_ns;		/* accumulated GPU time of its clients */
	uint64_t rd, wr;		/* storage bytes read, written */
	uint64_t owe_rd, owe_wr;	/* set by an_cpu_interval: disk bytes of vanished
					 * children already counted that this process's
					 * counters (io_children) have yet to show */
	uint8_t has_start, has_cpu, has_child, has_gpu, has_io, has_fine;
	uint8_t has_pss;		/* pss known (read now, or carried by the loader) */
	double pss;			/* PSS bytes at its last reading (not used here) */
	double pss_t;			/* when it was read, s */
	size_t proc;			/* caller's index of this process (an_proc) */
};

/* What the tree used in one interval. */
struct an_usage {
	uint64_t cpu;			/* CPU, in the pstates' unit */
	int coarse;			/* some of cpu came from tick counters (own
					 * growth without a finer reading on both sides,
					 * reaped-children counters, a new process's ticks) */
	int fine;			/* some process had a finer CPU reading */
	uint64_t gpu_ns;
	uint64_t rd, wr;
	int gpu_known, io_known;	/* some process carried those fields */
};

/*
 * Accounts one interval between the samples prev[0..np) and cur[0..nc),
 * each sorted by pid.  The rule (checked against perf task-clock and a
 * workload's own rusage):
 *   sum over processes in both samples of the growth of own CPU
 * + sum over new processes of own + reaped-children CPU (all since they started)
 * + sum over each surviving parent of max(0, growth of its reaped-children
 *   CPU - the last-seen own + reaped-children CPU of its children that
 *   vanished in between)
 * The subtraction keeps children sampled before they exited from being
 * counted twice; the remainder is the CPU of children too short-lived to be
 * sampled.  When a child and its own children vanish in the same interval,
 * all of them are reaped upwards into the surviving ancestor's counter, so
 * their last-seen CPU is subtracted there.  A counter read for the first
 * time in a process seen before is a baseline (no growth).  Own CPU grows
 * by own_fine where both samples have it, else by own; a process's
 * last-seen CPU is own_fine when it has it.  GPU time is summed the same
 * way without the children term.  Disk bytes too, and where a process's
 * counters include its reaped children's (io_children: Linux adds them at
 * the reaping, kernel/exit.c wait_task_zombie; macOS does not, XNU
 * update_rusage_info_child), the last-seen bytes of vanished children are
 * taken from their heir's growth at its next reading, in this interval or,
 * as disk bytes are read only now and then, a later one (cur[i].owe_rd/
 * owe_wr, to be kept in the caller's next prev).  match[i] is set to the index in prev of
 * cur[i]'s process, or -1 for a new one.
 */
void an_cpu_interval(const struct an_pstate *prev, size_t np,
    struct an_pstate *cur, size_t nc, long *match, int io_children,
    struct an_usage *u);

#endif /* AN_CPU_H */
