/*
 * platform_fake.c - a platform backend that answers from tables set by a
 * test (fake_platform.h) instead of the operating system, so the shared
 * recorder code (tree walk, target matching, sampling) can be tested
 * anywhere with exact, known inputs.  Not for real recordings.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmn_pid.h"
#include "fake_platform.h"

enum { FAKE_MAX = 256, FAKE_TICKS = 64, FAKE_GPU = 4096 };

static struct fake_proc procs[FAKE_MAX];
static size_t nprocs;
static uint64_t now_ns;
static struct plat_sys sys;
static uint64_t ticks[FAKE_TICKS];
static struct plat_gpu_client gpu[FAKE_GPU];
static size_t ngpu;
static int gpu_set;			/* fake_set_gpu was called */
static int gpu_reads;			/* platform_gpu_clients_of calls */
static int gpu_result;			/* fake_set_gpu_result */
static int32_t resp_pid[FAKE_MAX], resp_of[FAKE_MAX];	/* fake_set_responsible */
static size_t nresp;
static int resp_err;			/* platform_responsible_pid's answer when not 0 */
static int resp_calls;
static int forgets;
static int32_t last_forgotten;

void
fake_set_procs(const struct fake_proc *p, size_t n)
{
	nprocs = n > FAKE_MAX ? FAKE_MAX : n;
	memcpy(procs, p, nprocs * sizeof(*p));
}

void
fake_set_now(uint64_t ns)
{
	now_ns = ns;
}

void
fake_set_system(const struct plat_sys *s)
{
	size_t n = (size_t)s->ncpu * s->nstates;

	sys = *s;
	if (n > FAKE_TICKS)
		n = FAKE_TICKS;
	if (n > 0)
		memcpy(ticks, s->ticks, n * sizeof(*ticks));
}

void
fake_set_gpu(const struct plat_gpu_client *c, size_t n)
{
	ngpu = (c == NULL) ? 0 : n > FAKE_GPU ? FAKE_GPU : n;
	if (ngpu > 0)
		memcpy(gpu, c, ngpu * sizeof(*c));
	gpu_set = c != NULL;
}

int
fake_gpu_reads(void)
{
	return gpu_reads;
}

void
fake_set_gpu_result(int rc)
{
	gpu_result = rc;
}

int
fake_forget_count(int32_t *last)
{
	*last = last_forgotten;
	return forgets;
}

/* The table entry of pid, or NULL. */
static const struct fake_proc *
fake_find(int32_t pid)
{
	for (size_t i = 0; i < nprocs; i++)
		if (procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

int
platform_init(struct plat_info *info)
{
	memset(info, 0, sizeof(*info));
	snprintf(info->platform, sizeof(info->platform), "fake");
	snprintf(info->os_name, sizeof(info->os_name), "Fake OS");
	snprintf(info->os_version, sizeof(info->os_version), "1.0");
	snprintf(info->os_version_raw, sizeof(info->os_version_raw), "1.0");
	snprintf(info->os_release, sizeof(info->os_release), "1.0.0");
	snprintf(info->core_levels, sizeof(info->core_levels),
	    "Performance:4,Efficiency:4");
	info->os_compat = 0;
	snprintf(info->host, sizeof(info->host), "fakehost");
	snprintf(info->chip, sizeof(info->chip), "Fake M1");
	snprintf(info->core_tick_states, sizeof(info->core_tick_states),
	    "user,system,idle,nice");
	info->cores_p = 4;
	info->cores_e = 4;
	info->cpus_logical = 8;
	info->gpu_cores = 8;
	info->ane_cores = 16;
	info->ram_bytes = 16ull << 30;
	info->page_size = 16384;
	info->cpu_time_num = 125;
	info->cpu_time_den = 3;
	info->core_tick_hz = 100;
	return 0;
}

void
platform_fini(void)
{
}

uint64_t
platform_now_ns(void)
{
	return now_ns;
}

int
platform_list_pids(int32_t *pids, size_t cap)
{
	for (size_t i = 0; i < nprocs && i < cap; i++)
		pids[i] = procs[i].pid;
	return (int)nprocs;
}

int
platform_proc_ident(int32_t pid, char *name, size_t nlen, char *path, size_t plen)
{
	const struct fake_proc *p = fake_find(pid);

	if (p == NULL)
		return -ESRCH;
	snprintf(name, nlen, "%s", p->name ? p->name : "");
	snprintf(path, plen, "%s", p->path ? p->path : "");
	return 0;
}

int
platform_list_children(int32_t pid, int32_t *kids, size_t cap)
{
	size_t n = 0;

	if (fake_find(pid) == NULL)
		return -ESRCH;
	for (size_t i = 0; i < nprocs; i++)
		if (procs[i].ppid == pid && procs[i].pid != pid) {
			if (n < cap)
				kids[n] = procs[i].pid;
			n++;
		}
	return (int)n;
}

int
platform_sample_proc(int32_t pid, unsigned want, struct plat_proc *out)
{
	const struct fake_proc *p = fake_find(pid);

	if (p == NULL)
		return -ESRCH;
	if (p->unreadable)
		return -EACCES;
	*out = p->c;
	out->pid = pid;
	out->have &= ~(uint32_t)PLAT_HAVE_NAME;
	/* like Linux: the name is always given, asked for or not */
	if (p->name != NULL) {
		snprintf(out->name, sizeof(out->name), "%s", p->name);
		out->have |= PLAT_HAVE_NAME;
	}
	if (!(want & PLAT_WANT_COSTLY))
		out->have &= ~(uint32_t)PLAT_HAVE_PSS;
	return 0;
}

void
platform_forget_proc(int32_t pid)
{
	forgets++;
	last_forgotten = pid;
}

int
platform_sample_system(struct plat_sys *s)
{
	uint64_t *buf = s->ticks;
	size_t cap = s->ticks_cap, n = (size_t)sys.ncpu * sys.nstates;

	*s = sys;
	s->ticks = buf;
	s->ticks_cap = cap;
	if (n > cap)
		return -ENOSPC;
	if (n > 0)
		memcpy(buf, ticks, n * sizeof(*buf));
	return 0;
}

int
platform_gpu_clients(struct plat_gpu_client *c, size_t cap)
{
	for (size_t i = 0; i < ngpu && i < cap; i++)
		c[i] = gpu[i];
	return (int)ngpu;
}

/* The set clients of the listed pids, filtered as a real walk would. */
int
platform_gpu_clients_of(const int32_t *pids, size_t npids,
    struct plat_gpu_client *c, size_t cap)
{
	size_t n = 0;

	if ((c == NULL && cap > 0) || (pids == NULL && npids > 0))
		return -EINVAL;
	gpu_reads++;
	if (!gpu_set)
		return -ENOTSUP;
	for (size_t i = 0; i < ngpu; i++)
		if (pids == NULL || cmn_pid_find(pids, npids, sizeof(*pids), 0,
		    gpu[i].pid, NULL)) {
			if (n < cap)
				c[n] = gpu[i];
			n++;
		}
	return gpu_result != 0 ? gpu_result : (int)n;
}

void
fake_set_responsible(const int32_t *pids, const int32_t *resp, size_t n, int err)
{
	nresp = n > FAKE_MAX ? FAKE_MAX : n;
	if (nresp > 0) {
		memcpy(resp_pid, pids, nresp * sizeof(*pids));
		memcpy(resp_of, resp, nresp * sizeof(*resp));
	}
	resp_err = err;
}

int
fake_responsible_calls(void)
{
	return resp_calls;
}

/*
 * The responsible pid of a process in the table: as declared, else itself;
 * -ESRCH for a pid not in the table; resp_err when set.
 */
int32_t
platform_responsible_pid(int32_t pid)
{
	int32_t r = pid;

	resp_calls++;
	if (resp_err != 0)
		return resp_err;
	if (fake_find(pid) == NULL)
		return -ESRCH;
	for (size_t i = 0; i < nresp; i++)
		if (resp_pid[i] == pid)
			r = resp_of[i];
	return r;
}

const char *
platform_responsible_lookup(void)
{
	return resp_err == 0 ? "fake_responsible" : "";
}

int
platform_pm_command(unsigned interval_ms, char *buf, size_t len)
{
	(void)interval_ms;
	if (len > 0)
		buf[0] = '\0';
	return 0;
}

int
platform_app_version(int32_t pid, char *buf, size_t len)
{
	(void)pid;
	snprintf(buf, len, "9.9.9");
	return 0;
}

/* The fake platform plays a Mac: every source is there. */
unsigned
platform_features(void)
{
	return PLAT_F_FOOTPRINT | PLAT_F_GPU_CLIENTS | PLAT_F_GPU_CORES |
	    PLAT_F_ANE_CORES | PLAT_F_CORE_LEVELS | PLAT_F_RESPONSIBLE |
	    PLAT_F_CPU_ENERGY;
}

void
platform_child_readable(void)
{
}
