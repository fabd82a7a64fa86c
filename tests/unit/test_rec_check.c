/*
 * test_rec_check.c - phocus-record --check on the fake platform, which
 * plays a Mac (every source there): the rows a Linux run can only show as
 * "not on this system" - IOReport (issue 14: loaded, channels per domain,
 * which moved), GPU clients and whether their GPU time moved, core levels
 * with names, GPU and ANE cores, the responsible pid, footprint - and the
 * target's counters in the fake's CPU unit (125/3 ns a unit: 24,000,000
 * units are 1 s, worked out by hand).  The check's own child is a real
 * fork the fake table does not know: its rows fail here, as they should.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fake_platform.h"
#include "rec_check.h"
#include "tap.h"

/* The row named source, or NULL. */
static const struct rec_ck_row *
row(const struct rec_ckrows *t, const char *source)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->row[i].source, source) == 0)
			return &t->row[i];
	return NULL;
}

/* The number key of row r, or -1. */
static double
num(const struct rec_ck_row *r, const char *key)
{
	for (int i = 0; r != NULL && i < r->nvals; i++)
		if (!r->vals[i].is_str && strcmp(r->vals[i].key, key) == 0)
			return r->vals[i].num;
	return -1;
}

/* Checks that row source has status st and its text starts with want. */
static void
check_row(const struct rec_ckrows *t, const char *source, int st, const char *want)
{
	const struct rec_ck_row *r = row(t, source);
	char what[128];

	snprintf(what, sizeof(what), "%s: status %d, \"%.60s...\"", source, st, want);
	if (!tap_check(r != NULL && r->status == st && strncmp(r->read, want,
	    strlen(want)) == 0, __FILE__, __LINE__, what))
		printf("#   got %d \"%s\"\n", r ? r->status : -1, r ? r->read : "(none)");
}

static struct plat_ior_channel tab[3];

/* The fake Mac: this process, Phocus, IOReport, GPU clients. */
static void
fake_mac(void)
{
	static const uint64_t v[3] = { 1000, 50, 7 }, step[3] = { 10, 0, 0 };
	static const struct plat_gpu_client gpu[2] = {
		{ 4242, 5000000, 11 }, { 4242, 7000000, 12 }
	};
	struct fake_proc p[2];

	memset(p, 0, sizeof(p));
	p[0].pid = (int32_t)getpid();
	p[0].ppid = 1;
	p[0].name = "test_rec_check";
	p[0].path = "/usr/local/bin/test_rec_check";
	p[0].c.have = PLAT_HAVE_CPU | PLAT_HAVE_RSS | PLAT_HAVE_START;
	p[1].pid = 4242;
	p[1].ppid = 1;
	p[1].name = "Phocus";
	p[1].path = "/Applications/Phocus.app/Contents/MacOS/Phocus";
	p[1].c.user = 18000000;
	p[1].c.system = 6000000;
	p[1].c.rss = 100u << 20;
	p[1].c.threads = 40;
	p[1].c.have = PLAT_HAVE_CPU | PLAT_HAVE_RSS | PLAT_HAVE_THREADS | PLAT_HAVE_START;
	fake_set_procs(p, 2);
	memset(tab, 0, sizeof(tab));
	for (int i = 0; i < 3; i++) {
		tab[i].kind = PLAT_IOR_SIMPLE;
		snprintf(tab[i].group, sizeof(tab[i].group), "Energy Model");
		snprintf(tab[i].unit, sizeof(tab[i].unit), "mJ");
	}
	snprintf(tab[0].name, sizeof(tab[0].name), "CPU Energy");
	snprintf(tab[1].name, sizeof(tab[1].name), "GPU Energy");
	snprintf(tab[2].name, sizeof(tab[2].name), "ANE");
	fake_set_ior(tab, 3, 0, NULL);
	fake_set_ior_read(v, 3, NULL, 0);
	fake_set_ior_step(step, 3);
	fake_set_gpu(gpu, 2);
}

int
main(void)
{
	struct rec_opts o = { .name = "Phocus", .interval_ms = 1000, .no_pm = 1 };
	const struct rec_ckrows *t;
	const struct rec_ck_row *r;

	fake_mac();
	t = rec_check_collect(&o);
	check_row(t, "process list", REC_CK_PASS, "2 processes, this check");
	check_row(t, "target matching", REC_CK_PASS,
	    "the name \"test_rec_check\" finds this check");
	check_row(t, "IOReport", REC_CK_PASS, "loaded, 3 channels: CPU 1 (1 moving), "
	    "GPU 1 (0 moving), ANE 1 (0 moving); a reading took");
	r = row(t, "IOReport");
	CHECK(num(r, "channels") == 3 && num(r, "moving") == 1 && num(r, "CPU") == 1,
	    "IOReport: the numbers for --json");
	check_row(t, "GPU clients", REC_CK_PASS, "2 clients; the GPU time of 0 moved in "
	    "500 ms (nothing used the GPU");
	check_row(t, "core levels", REC_CK_PASS, "\"Performance:4,Efficiency:4\": "
	    "performance cores 4, efficiency cores 4");
	check_row(t, "GPU cores", REC_CK_PASS, "8, from the IORegistry");
	check_row(t, "ANE cores", REC_CK_PASS, "16");
	check_row(t, "responsible pid", REC_CK_PASS, "fake_responsible: this check (pid");
	r = row(t, "responsible pid");
	CHECK(num(r, "responsible_pid") == (double)getpid(), "responsible pid: itself");
	check_row(t, "target", REC_CK_PASS, "pid 4242 (Phocus): CPU 1.000 s, resident "
	    "100.0 MiB, 40 threads; its tree: 1 process");
	check_row(t, "counters", REC_CK_FAIL, "the check's child");
	check_row(t, "powermetrics", REC_CK_SKIP, "turned off by --no-powermetrics");
	check_row(t, "OS version", REC_CK_PASS, "Fake OS 1.0 (as answered: \"1.0\"");
	CHECK(rec_ckrows_verdict(t, NULL, 0) == 1, "the unknown child fails a needed row");

	fake_set_gpu(NULL, 0);
	fake_set_ior(NULL, 0, -ENOENT, "cannot load /usr/lib/libIOReport.dylib: gone");
	o.no_ioreport = 0;
	t = rec_check_collect(&o);
	check_row(t, "IOReport", REC_CK_FAIL, "not loaded: cannot load "
	    "/usr/lib/libIOReport.dylib: gone");
	r = row(t, "IOReport");
	CHECK(r != NULL && strstr(r->advice, "power without sudo will be missing") != NULL,
	    "IOReport: what to do");
	check_row(t, "GPU clients", REC_CK_PASS, "0 clients");
	o.no_ioreport = 1;
	t = rec_check_collect(&o);
	check_row(t, "IOReport", REC_CK_SKIP, "turned off by --no-ioreport");
	o.no_ioreport = 0;
	fake_set_responsible(NULL, NULL, 0, -ENOSYS);
	t = rec_check_collect(&o);
	check_row(t, "responsible pid", REC_CK_FAIL, "responsibility_get_pid_responsible_"
	    "for_pid is missing from this macOS");
	o.pid = 999;
	t = rec_check_collect(&o);
	check_row(t, "target", REC_CK_FAIL, "no process with pid 999");
	return tap_done();
}
