/*
 * test_an_cpu.c - the CPU accounting rule (analyze/an_cpu.c) on small trees
 * whose answers are worked out by hand in the comments: processes seen
 * twice, new ones, children that exit between samples (seen and unseen),
 * whole subtrees that exit, reused pids, counters read for the first time.
 */
#include <string.h>

#include "an_cpu.h"
#include "tap.h"

/* A process: pid, ppid, start, own CPU, reaped-children CPU. */
static struct an_pstate
P(int32_t pid, int32_t ppid, uint64_t start, uint64_t own, uint64_t child)
{
	struct an_pstate s;

	memset(&s, 0, sizeof(s));
	s.pid = pid;
	s.ppid = ppid;
	s.start = start;
	s.own = own;
	s.child = child;
	s.has_start = s.has_cpu = s.has_child = 1;
	return s;
}

static uint64_t
cpu_of(const struct an_pstate *a, size_t na, struct an_pstate *b, size_t nb)
{
	long match[16];
	struct an_usage u;

	an_cpu_interval(a, na, b, nb, match, 0, &u);
	return u.cpu;
}

int
main(void)
{
	long match[8];
	struct an_usage u;

	/* root 10 grows 5 -> 12: 7 */
	{
		struct an_pstate a[] = { P(10, 1, 100, 5, 0) };
		struct an_pstate b[] = { P(10, 1, 100, 12, 0) };
		CHECK_U64(cpu_of(a, 1, b, 1), 7, "a process seen twice: growth of own CPU");
	}
	/* new child 11 appears with own 30 and reaped 4: 30 + 4 = 34, plus root +1 */
	{
		struct an_pstate a[] = { P(10, 1, 100, 5, 0) };
		struct an_pstate b[] = { P(10, 1, 100, 6, 0), P(11, 10, 101, 30, 4) };
		CHECK_U64(cpu_of(a, 1, b, 2), 35, "a new process counts everything since it started");
	}
	/*
	 * child 11 was seen at own 30; it ran 8 more, exited, was reaped:
	 * root's reaped counter grows by 38.  Counted in this interval: 38 - 30 = 8
	 * (+ root own +2) = 10.  Without the subtraction it would be 40.
	 */
	{
		struct an_pstate a[] = { P(10, 1, 100, 5, 0), P(11, 10, 101, 30, 0) };
		struct an_pstate b[] = { P(10, 1, 100, 7, 38) };
		CHECK_U64(cpu_of(a, 2, b, 1), 10, "a child seen then reaped: only its unseen part");
	}
	/* a child too short-lived to be seen: root reaped 25 of it: 25 */
	{
		struct an_pstate a[] = { P(10, 1, 100, 5, 0) };
		struct an_pstate b[] = { P(10, 1, 100, 5, 25) };
		CHECK_U64(cpu_of(a, 1, b, 1), 25, "an unseen short-lived child still counts");
	}
	/*
	 * subtree 11 -> 12 exits together: 11 seen at own 2 child 0, 12 seen at
	 * own 40.  12 ran 5 more, reaped by 11 (child 45), 11 ran 1 more (own 3),
	 * reaped by root: root child grows by 3 + 45 = 48.  New CPU: 48 - 2 - 40 = 6.
	 */
	{
		struct an_pstate a[] = { P(10, 1, 100, 5, 0), P(11, 10, 101, 2, 0),
		    P(12, 11, 102, 40, 0) };
		struct an_pstate b[] = { P(10, 1, 100, 5, 48) };
		CHECK_U64(cpu_of(a, 3, b, 1), 6, "a whole subtree exiting: charged to the surviving ancestor");
	}
	/* a reaped child whose last-seen CPU exceeds the counter growth: never negative */
	{
		struct an_pstate a[] = { P(10, 1, 100, 5, 0), P(11, 10, 101, 30, 0) };
		struct an_pstate b[] = { P(10, 1, 100, 5, 20) };
		CHECK_U64(cpu_of(a, 2, b, 1), 0, "the children term is never negative");
	}
	/* pid 11 reused: old one (own 30) vanished unreaped by us; new one own 3 */
	{
		struct an_pstate a[] = { P(10, 1, 100, 5, 0), P(11, 10, 101, 30, 0) };
		struct an_pstate b[] = { P(10, 1, 100, 5, 30), P(11, 10, 205, 3, 0) };
		an_cpu_interval(a, 2, b, 2, match, 0, &u);
		CHECK(match[1] == -1, "a reused pid (new start time) is a new process");
		CHECK_U64(u.cpu, 3, "reused pid: old one's CPU not counted again, new one's counted");
	}
	/* a child that left the tree (reparented away): not charged to anyone */
	{
		struct an_pstate a[] = { P(10, 1, 100, 5, 0), P(11, 10, 101, 30, 0) };
		struct an_pstate b[] = { P(10, 1, 100, 6, 0) };
		CHECK_U64(cpu_of(a, 2, b, 1), 1, "a child that left without being reaped adds nothing");
	}
	/* a counter read for the first time in a known process is a baseline */
	{
		struct an_pstate a[] = { P(10, 1, 100, 5, 0) };
		struct an_pstate b[] = { P(10, 1, 100, 6, 0) };
		a[0].has_io = 0;
		b[0].has_io = 1;
		b[0].rd = 1000000;
		a[0].has_gpu = 1;
		a[0].gpu_ns = 500;
		b[0].has_gpu = 1;
		b[0].gpu_ns = 200;	/* a GPU client closed: totals dropped */
		an_cpu_interval(a, 1, b, 1, match, 0, &u);
		CHECK(u.io_known && u.rd == 0, "first read of disk bytes in a known process: baseline, not growth");
		CHECK(u.gpu_known && u.gpu_ns == 0, "GPU total that drops (client closed) counts as no growth");
	}
	/* the first sample: everything is new */
	{
		struct an_pstate b[] = { P(10, 1, 100, 5, 7) };
		CHECK_U64(cpu_of(NULL, 0, b, 1), 12, "no previous sample: every process is new");
	}
	/*
	 * Finer readings (Linux cpu_ns, same unit): 10 grows 5 -> 12 by its
	 * ticks but 5300 -> 12100 finely; both samples have it: 6800, fine.
	 */
	{
		struct an_pstate a[] = { P(10, 1, 100, 5000, 0) };
		struct an_pstate b[] = { P(10, 1, 100, 12000, 0) };
		a[0].own_fine = 5300, a[0].has_fine = 1;
		b[0].own_fine = 12100, b[0].has_fine = 1;
		an_cpu_interval(a, 1, b, 1, match, 0, &u);
		CHECK_U64(u.cpu, 6800, "fine readings on both sides: their growth");
		CHECK(!u.coarse && u.fine, "... and the interval is not tick-counted");
		b[0].has_fine = 0;
		an_cpu_interval(a, 1, b, 1, match, 0, &u);
		CHECK_U64(u.cpu, 7000, "a fine reading on one side only: the ticks' growth");
		CHECK(u.coarse, "... tick-counted");
	}
	/*
	 * child 11 seen finely at 30400 (ticks 30000), reaped: root's reaped
	 * counter grows by 38000.  Unseen part: 38000 - 30400 = 7600.
	 */
	{
		struct an_pstate a[] = { P(10, 1, 100, 5000, 0), P(11, 10, 101, 30000, 0) };
		struct an_pstate b[] = { P(10, 1, 100, 5000, 38000) };
		a[1].own_fine = 30400, a[1].has_fine = 1;
		CHECK_U64(cpu_of(a, 2, b, 1), 7600, "a vanished child's last-seen CPU is its fine reading");
	}
	/*
	 * Disk bytes, io_children (Linux): child 11 seen at 30 written, then
	 * gone while its parent's bytes were not read (owed: 30); the parent's
	 * next reading shows 35 (the child's 30 + 5 of its own): 5 counted.
	 */
	{
		struct an_pstate a[] = { P(10, 1, 100, 5, 0), P(11, 10, 101, 3, 0) };
		struct an_pstate b[] = { P(10, 1, 100, 5, 3) };
		struct an_pstate c[] = { P(10, 1, 100, 5, 3) };
		a[0].has_io = a[1].has_io = 1;
		a[1].wr = 30;
		an_cpu_interval(a, 2, b, 1, match, 1, &u);
		CHECK_U64(u.wr, 0, "io: the parent not read, nothing counted yet");
		CHECK_U64(b[0].owe_wr, 30, "io: the parent owes the child's 30");
		b[0].has_io = 1;	/* carried by the loader: its last reading, 0 */
		c[0].has_io = 1;
		c[0].wr = 35;
		an_cpu_interval(b, 1, c, 1, match, 1, &u);
		CHECK_U64(u.wr, 5, "io: its next reading counts only its own 5");
		CHECK_U64(c[0].owe_wr, 0, "io: nothing owed any more");
		c[0].wr = 5;		/* a parent that did not wait: the child's 30 never came */
		an_cpu_interval(b, 1, c, 1, match, 1, &u);
		CHECK_U64(u.wr, 0, "io: a reading that shows less than owed counts nothing ...");
		CHECK_U64(c[0].owe_wr, 0, "io: ... and settles the debt");
		c[0].wr = 35;
		b[0].owe_wr = 0;	/* macOS: nothing was ever owed */
		an_cpu_interval(b, 1, c, 1, match, 0, &u);
		CHECK_U64(u.wr, 35, "io without io_children (macOS): all 35 are its own");
	}
	return tap_done();
}
