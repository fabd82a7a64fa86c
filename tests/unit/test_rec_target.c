/*
 * test_rec_target.c - the shared recorder logic on the fake platform
 * (record/fake/): finding the target by name (case, truncated Linux names,
 * the app binary inside *.app/Contents/MacOS/ over its helpers), walking the
 * tree, and turning a sample into trace rows (names of new processes, a
 * reused pid, per-process GPU time that keeps closed clients' time and is
 * never cut by other processes' clients, costly reads spaced out, processes that
 * leave the tree forgotten).  Every expectation is read off the fake table.
 */
#include <errno.h>
#include <string.h>

#include "fake_platform.h"
#include "rec_sample.h"
#include "rec_target.h"
#include "tap.h"

/* A table like a Mac running Phocus: app, helpers, another app, a stranger. */
static struct fake_proc table[] = {
	{ 1, 0, "launchd", "/sbin/launchd", { 0 }, 0 },
	{ 500, 1, "Phocus", "/Applications/Phocus.app/Contents/MacOS/Phocus", { 0 }, 0 },
	{ 510, 500, "Phocus Helper", "/Applications/Phocus.app/Contents/Frameworks/Phocus Helper.app/Contents/MacOS/Phocus Helper", { 0 }, 0 },
	{ 511, 500, "phocus", "/usr/local/bin/phocus", { 0 }, 0 },
	{ 520, 510, "HNNR", "/Applications/Phocus.app/Contents/MacOS/HNNR", { 0 }, 0 },
	{ 521, 520, "denoise", "/usr/libexec/denoise", { 0 }, 0 },
	{ 600, 1, "Finder", "/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder", { 0 }, 0 },
	{ 601, 600, "PHOCUS", "/tmp/PHOCUS", { 0 }, 0 },
};
#define NTABLE (sizeof(table) / sizeof(table[0]))

static void
test_score(void)
{
	CHECK(rec_target_score("Phocus", "Phocus", "/Applications/Phocus.app/Contents/MacOS/Phocus") >
	    rec_target_score("Phocus", "phocus", "/usr/local/bin/phocus"),
	    "the app binary inside .app/Contents/MacOS wins over a same-named tool");
	CHECK(rec_target_score("phocus", "PHOCUS", "") > 0, "names match ignoring case");
	CHECK(rec_target_score("Phocus", "Phocus Helper", "/x/Phocus Helper") == 0,
	    "a helper whose name only starts with the target's does not match");
	CHECK(rec_target_score("Hasselblad Phocus", "Hasselblad Phoc", "") > 0,
	    "a Linux short name cut at 15 characters matches");
	CHECK(rec_target_score("Hasselblad Phocus", "Hasselblad Phoc", "/opt/x") <
	    rec_target_score("Hasselblad Phocus", "Hasselblad Phocus", ""),
	    "... but less well than the full name");
	CHECK(rec_target_score("Phocus", "java", "/opt/Phocus") > 0,
	    "the executable's file name matches too");
	CHECK(rec_target_score("", "Phocus", "") == 0, "an empty name matches nothing");
}

static void
test_find(void)
{
	fake_set_procs(table, NTABLE);
	CHECK(rec_target_find("Phocus") == 500, "Phocus found: the app, not the CLI tool or PHOCUS");
	CHECK(rec_target_find("hnnr") == 520, "a helper can be followed by its own name");
	CHECK(rec_target_find("Lightroom") == 0, "a name that is not running: 0");
	fake_set_procs(table + 6, 2);	/* Finder 600 and its child PHOCUS 601 only */
	CHECK(rec_target_find("phocus") == 601, "the only match is found whatever its path");
}

static void
test_walk(void)
{
	int32_t tree[16], parents[16];
	size_t cut;
	int n;

	fake_set_procs(table, NTABLE);
	n = rec_target_walk(500, tree, parents, 16, &cut);
	CHECK(n == 5, "the tree of Phocus: itself, 2 children, a grandchild, a great-grandchild");
	CHECK(n == 5 && tree[0] == 500 && parents[0] == 0, "the root comes first");
	CHECK(n == 5 && tree[1] == 510 && parents[1] == 500 && tree[2] == 511 &&
	    parents[2] == 500, "then its children, with their parent");
	CHECK(n == 5 && tree[3] == 520 && parents[3] == 510 && tree[4] == 521 &&
	    parents[4] == 520, "then deeper descendants, breadth first");
	CHECK(cut == 0, "nothing left out");
	CHECK(rec_target_walk(600, tree, parents, 16, &cut) == 2, "another app's tree is its own");
	CHECK(rec_target_walk(999, tree, parents, 16, &cut) == -ESRCH, "a root that is gone: -ESRCH");
	CHECK(rec_target_walk(500, tree, parents, 3, &cut) == 3, "the walk stops at the room given");
	CHECK(cut == 1, "... and says how many it found but left out (520; 521 below it unseen)");
}

/* Sets counters in the table: cpu user ticks, rss, start. */
static void
set_counters(struct fake_proc *t, size_t n, uint64_t user, uint64_t rss)
{
	for (size_t i = 0; i < n; i++) {
		t[i].c.have = PLAT_HAVE_CPU | PLAT_HAVE_RSS | PLAT_HAVE_START |
		    PLAT_HAVE_THREADS | PLAT_HAVE_PSS;
		t[i].c.user = user + (uint64_t)t[i].pid;
		t[i].c.rss = rss;
		t[i].c.start_time = 1000 + (uint64_t)t[i].pid;
		t[i].c.threads = 2;
		t[i].c.pss = rss / 2;
	}
}

static const struct pmt_proc *
row_of(const struct rec_sampler *s, int32_t pid)
{
	for (size_t i = 0; i < s->nrows; i++)
		if (s->rows[i].pid == pid)
			return &s->rows[i];
	return NULL;
}

static void
test_sample(void)
{
	static struct rec_sampler s;
	struct plat_info info;
	struct fake_proc t[NTABLE];
	struct plat_gpu_client gpu[] = { { 510, 7000, 1 }, { 520, 100, 2 }, { 520, 23, 3 }, { 600, 5, 4 } };
	const struct pmt_proc *r;
	int32_t last;

	memcpy(t, table, sizeof(t));
	set_counters(t, NTABLE, 10, 4096);
	fake_set_procs(t, NTABLE);
	fake_set_gpu(gpu, 4);
	platform_init(&info);
	info.costly_min_ms = 1000;
	CHECK(rec_sample_init(&s, &info, 500) == 0, "sampler ready");
	CHECK(rec_sample_tree(&s, 0) == 0 && s.nrows == 5, "first sample: five rows");
	r = row_of(&s, 520);
	CHECK(r != NULL && (r->have & PMT_HAVE(PMT_F_NAME)) && strcmp(r->name, "HNNR") == 0,
	    "a process seen for the first time carries its name");
	CHECK(r != NULL && r->v[PMT_F_PPID] == 510, "its parent is recorded");
	CHECK(r != NULL && r->v[PMT_F_USER] == 530 && r->v[PMT_F_RSS] == 4096,
	    "its counters are passed on raw");
	CHECK(r != NULL && (r->have & PMT_HAVE(PMT_F_GPU_NS)) && r->v[PMT_F_GPU_NS] == 123,
	    "GPU time: the sum of the process's own clients (100 + 23)");
	r = row_of(&s, 511);
	CHECK(r != NULL && r->v[PMT_F_GPU_NS] == 0, "a process without GPU clients: 0");
	CHECK(r != NULL && (r->have & PMT_HAVE(PMT_F_PSS)), "the first sample reads the costly field");
	CHECK(s.rss_sum == 5 * 4096 && s.procs_seen == 5, "sums and processes seen");

	set_counters(t, NTABLE, 20, 8192);
	t[3].c.start_time = 77777;	/* pid 511 reused by a new process */
	fake_set_procs(t, NTABLE);
	CHECK(rec_sample_tree(&s, 100000000) == 0 && s.nrows == 5, "second sample, 100 ms later");
	r = row_of(&s, 520);
	CHECK(r != NULL && !(r->have & PMT_HAVE(PMT_F_NAME)), "a known process: no name again");
	CHECK(r != NULL && !(r->have & PMT_HAVE(PMT_F_PSS)), "the costly field waits its spacing (1 s)");
	CHECK(r != NULL && !(r->have & PMT_HAVE(PMT_F_GPU_NS)), "GPU clients are read at most every 200 ms");
	r = row_of(&s, 511);
	CHECK(r != NULL && (r->have & PMT_HAVE(PMT_F_NAME)) && r->v[PMT_F_START] == 77777,
	    "a reused pid (new start time) is a new process: its name is read again");
	CHECK(s.procs_seen == 6, "the reused pid counts as one more process seen");

	t[4].name = "HNNR worker";	/* 520 exec'd another program */
	fake_set_procs(t, NTABLE);
	CHECK(rec_sample_tree(&s, 200000000) == 0, "sample after an exec");
	r = row_of(&s, 520);
	CHECK(r != NULL && (r->have & PMT_HAVE(PMT_F_NAME)) && strcmp(r->name, "HNNR worker") == 0,
	    "a process whose name changed (exec) carries its new name once");
	r = row_of(&s, 500);
	CHECK(r != NULL && !(r->have & PMT_HAVE(PMT_F_NAME)), "the others do not repeat theirs");
	CHECK(rec_sample_tree(&s, 300000000) == 0 && (r = row_of(&s, 520)) != NULL &&
	    !(r->have & PMT_HAVE(PMT_F_NAME)), "... and the new name is not repeated either");

	fake_set_procs(t, 4);	/* 520 and 521 are gone */
	CHECK(rec_sample_tree(&s, 1200000000) == 0 && s.nrows == 3, "third sample: 520, 521 gone");
	CHECK(fake_forget_count(&last) == 2 && last == 521, "processes that left are forgotten by the backend");
	r = row_of(&s, 500);
	CHECK(r != NULL && (r->have & PMT_HAVE(PMT_F_PSS)), "a second later the costly field is read again");

	t[1].unreadable = 1;
	fake_set_procs(t, NTABLE);
	CHECK(rec_sample_tree(&s, 1300000000) == -EACCES, "an unreadable target: -EACCES");
	fake_set_procs(t + 2, NTABLE - 2);
	CHECK(rec_sample_tree(&s, 1400000000) == -ESRCH, "the target gone: -ESRCH");
	rec_sample_free(&s);
}

/* pid's GPU time in the sampler's last rows, or -1 when it has none. */
static int64_t
gpu_of(const struct rec_sampler *s, int32_t pid)
{
	const struct pmt_proc *r = row_of(s, pid);

	if (r == NULL || !(r->have & PMT_HAVE(PMT_F_GPU_NS)))
		return -1;
	return (int64_t)r->v[PMT_F_GPU_NS];
}

/*
 * Per-process GPU time across reads (issue 9 defect 3), GPU clients read
 * every 200 ms.  600 clients of strangers come first in the registry, then
 * the tree's: 520 owns clients 1001 (100 ns) and 1002 (50 ns), 510 owns
 * 1003 (7000 ns).  Then 1002 closes and 1001 reaches 130: 520 has
 * 100 + 50 + 30 = 180 (the open clients' sum, 130, would fall).  Then 1001
 * falls to 120: 520 stays at 180.  Then 521 opens 700 clients of 1 ns: 700.
 */
static void
test_sample_gpu(void)
{
	enum { STRANGERS = 600, MANY = 700 };
	static struct rec_sampler s;
	static struct plat_gpu_client c[STRANGERS + MANY + 3];
	struct plat_info info;
	struct fake_proc t[NTABLE];
	size_t i;
	int reads;

	memcpy(t, table, sizeof(t));
	set_counters(t, NTABLE, 10, 4096);
	fake_set_procs(t, NTABLE);
	for (i = 0; i < STRANGERS; i++) {
		c[i].pid = 3000 + (int32_t)(i % 50);
		c[i].id = 1 + i;
		c[i].gpu_ns = 1000000;
	}
	c[i++] = (struct plat_gpu_client){ 520, 100, 1001 };
	c[i++] = (struct plat_gpu_client){ 520, 50, 1002 };
	c[i++] = (struct plat_gpu_client){ 510, 7000, 1003 };
	fake_set_gpu(c, i);
	platform_init(&info);
	CHECK(rec_sample_init(&s, &info, 500) == 0, "gpu: sampler ready");
	reads = fake_gpu_reads();
	CHECK(rec_sample_tree(&s, 0) == 0, "gpu: first sample");
	CHECK(gpu_of(&s, 520) == 150 && gpu_of(&s, 510) == 7000,
	    "gpu: the tree's clients after 600 strangers' are all counted");
	CHECK(gpu_of(&s, 500) == 0, "gpu: a tree process without clients: 0");

	c[STRANGERS] = (struct plat_gpu_client){ 520, 130, 1001 };
	c[STRANGERS + 1] = c[STRANGERS + 2];
	fake_set_gpu(c, STRANGERS + 2);
	CHECK(rec_sample_tree(&s, 100000000) == 0 && gpu_of(&s, 520) == -1,
	    "gpu: no read 100 ms later");
	CHECK(rec_sample_tree(&s, 300000000) == 0 && gpu_of(&s, 520) == 180,
	    "gpu: client 1002 closed: its 50 ns stay, 1001 adds 30");
	c[STRANGERS].gpu_ns = 120;
	fake_set_gpu(c, STRANGERS + 2);
	CHECK(rec_sample_tree(&s, 600000000) == 0 && gpu_of(&s, 520) == 180,
	    "gpu: a client's counter that falls takes nothing away");
	for (i = 0; i < MANY; i++)
		c[STRANGERS + 2 + i] = (struct plat_gpu_client){ 521, 1, 5000 + i };
	fake_set_gpu(c, STRANGERS + 2 + MANY);
	CHECK(rec_sample_tree(&s, 900000000) == 0 && gpu_of(&s, 521) == MANY,
	    "gpu: 700 clients of one tree process, none cut");
	CHECK(gpu_of(&s, 520) == 180 && gpu_of(&s, 510) == 7000,
	    "gpu: the others keep their totals");
	CHECK_I64(fake_gpu_reads() - reads, 5,
	    "gpu: 4 reads, one of them twice (700 clients did not fit the room)");
	CHECK(s.gpu_skipped == 0, "gpu: no read dropped");

	fake_set_gpu(NULL, 0);	/* a platform without per-process GPU time */
	CHECK(rec_sample_tree(&s, 1200000000) == 0 && gpu_of(&s, 520) == -1,
	    "gpu: no GPU time where the platform has none");
	rec_sample_free(&s);
}

/* What a sample cannot read is counted, and said once per kind (issue 11 item 7). */
static void
test_losses(void)
{
	static struct rec_sampler s;
	struct plat_info info;
	struct fake_proc t[NTABLE];
	struct plat_gpu_client gpu[] = { { 510, 7000, 1 } };
	const char *msg = "";
	char text[160];
	int kind;

	memcpy(t, table, sizeof(t));
	set_counters(t, NTABLE, 10, 4096);
	t[3].unreadable = 1;		/* 511, a child */
	fake_set_procs(t, NTABLE);
	fake_set_gpu(gpu, 1);
	fake_set_gpu_result(-EIO);
	platform_init(&info);
	CHECK(rec_sample_init(&s, &info, 500) == 0, "losses: sampler ready");
	CHECK(rec_sample_tree(&s, 0) == 0 && s.nrows == 4,
	    "an unreadable process in the tree (511): the other four are read");
	CHECK(s.loss.count[PMT_LOSS_PROC] == 1 && s.loss.count[PMT_LOSS_GPU_READ] == 1,
	    "the process and the failed GPU read are counted");
	kind = rec_loss_next(&s.loss, &msg);
	CHECK(kind == PMT_LOSS_PROC && strstr(msg, "process 511 ") != NULL,
	    "the first of each kind is said, naming the process");
	CHECK(rec_loss_next(&s.loss, &msg) == PMT_LOSS_GPU_READ &&
	    strstr(msg, "Input/output error") != NULL, "... and the GPU read, saying why");
	CHECK(rec_loss_next(&s.loss, &msg) == 0, "nothing else to say");
	fake_set_gpu_result(70000);
	CHECK(rec_sample_tree(&s, 300000000) == 0, "losses: second sample");
	CHECK(s.loss.count[PMT_LOSS_PROC] == 2, "the process counted again ...");
	kind = rec_loss_next(&s.loss, &msg);
	CHECK(kind == PMT_LOSS_GPU_CAP && strstr(msg, "more GPU clients than the 65536 read") != NULL,
	    "... but said once; more GPU clients than are read (70000) is said, with the limit");
	fake_set_gpu_result(0);
	t[3].unreadable = 0;
	fake_set_procs(t, NTABLE);
	s.tree_max = 3;
	CHECK(rec_sample_tree(&s, 600000000) == 0 && s.nrows == 3, "a tree larger than followed");
	kind = rec_loss_next(&s.loss, &msg);
	CHECK(kind == PMT_LOSS_TREE_CUT && strstr(msg, "more than 3 processes (1 more found)") != NULL,
	    "a tree cut at its maximum size is said, with how many were left out");
	CHECK(s.loss.count[PMT_LOSS_PROC] == 2 && s.loss.count[PMT_LOSS_GPU_CAP] == 1 &&
	    s.loss.count[PMT_LOSS_TREE_CUT] == 1, "the counts at the end");
	rec_loss_count_text(PMT_LOSS_PROC, 2, text, sizeof(text));
	CHECK(strcmp(text, "2 reads of a process of the tree failed") == 0, "the count in words");
	fake_set_gpu(NULL, 0);
	rec_sample_free(&s);
}

int
main(void)
{
	test_score();
	test_find();
	test_walk();
	test_sample();
	test_sample_gpu();
	test_losses();
	return tap_done();
}
