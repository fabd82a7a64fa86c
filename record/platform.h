/*
 * platform.h - what the recorder asks of the operating system.
 *
 * Declared here, implemented by one backend folder that the Makefile picks:
 * record/linux/, record/darwin/, or record/fake/ (a table-driven fake used by
 * the unit tests).  Shared recorder code includes only this header and never
 * tests for the platform itself.  A backend answers two questions - which pids
 * are there (and whose children are they), and what are this pid's raw
 * counters - plus a few static facts about the machine.  It does not decide
 * what the target is, walk the tree, schedule samples or write the trace:
 * that is shared code.  Every value is returned raw, in the platform's own
 * units; conversions happen in the analyzer.
 */
#ifndef PLATFORM_H
#define PLATFORM_H

#include <stddef.h>
#include <stdint.h>

enum {
	PLAT_NAME_MAX = 64,	/* process name buffer, NUL included */
	PLAT_PATH_MAX = 1024,	/* executable path buffer, NUL included */
	PLAT_STR_MAX = 128	/* machine-description strings */
};

/* Static facts about the machine, read once by platform_init(). */
struct plat_info {
	char platform[16];		/* "linux", "darwin", "fake" */
	char os_name[32];		/* "Linux", "macOS" */
	char os_version[64];		/* "6.1.0-18-amd64", "14.6.1" (macOS: the true version) */
	char os_build[32];		/* "23G93" on macOS, "" elsewhere */
	char host[PLAT_STR_MAX];	/* host name */
	char chip[PLAT_STR_MAX];	/* "Apple M1 Pro", or the CPU model name */
	char model[64];			/* "MacBookPro18,3", or DMI product name, or "" */
	int32_t cores_p;		/* performance cores, -1 if unknown */
	int32_t cores_e;		/* efficiency cores, -1 if unknown (0 = none) */
	int32_t cpus_logical;		/* logical CPUs online */
	int32_t gpu_cores;		/* GPU cores, -1 if unknown */
	int32_t ane_cores;		/* Neural Engine cores, -1 if unknown */
	char ane_cores_source[64];	/* where ane_cores came from, e.g. "table" */
	uint64_t ram_bytes;		/* physical memory */
	uint64_t page_size;		/* bytes */
	uint64_t cpu_time_num;		/* plat_proc CPU times * num / den = ns */
	uint64_t cpu_time_den;
	uint32_t core_tick_hz;		/* unit of plat_sys.ticks: ticks per second */
	char core_tick_states[128];	/* comma-separated names of the tick columns */
	uint32_t costly_min_ms;		/* PLAT_WANT_COSTLY at most this often (0: nothing costly) */
	char costly_what[64];		/* what PLAT_WANT_COSTLY reads, e.g. "pss" */
	/* issue 9 (D9): the machine as the system answered */
	char core_levels[PLAT_STR_MAX];	/* "Performance:8,Efficiency:2": name:cores per
					 * level, highest first (macOS hw.perflevelN); "" unknown */
	char os_version_raw[64];	/* the version as the system answered it (macOS:
					 * kern.osproductversion, 16.x on macOS 26 in compat mode) */
	char os_release[64];		/* kernel release (macOS kern.osrelease, Linux uname -r) */
	int32_t os_compat;		/* 1: os_version_raw is a compatibility answer, 0 not, -1 unknown */
	/* issue 11 (D11r) */
	int32_t io_children;		/* disk bytes include reaped children's: see below */
};

/* Which fields of struct plat_proc a backend filled in. */
enum plat_have {
	PLAT_HAVE_CPU = 1 << 0,		/* user, system */
	PLAT_HAVE_CHILD_CPU = 1 << 1,	/* child_user, child_system */
	PLAT_HAVE_RSS = 1 << 2,
	PLAT_HAVE_FOOTPRINT = 1 << 3,
	PLAT_HAVE_PSS = 1 << 4,
	PLAT_HAVE_THREADS = 1 << 5,
	PLAT_HAVE_IO = 1 << 6,		/* read_bytes, write_bytes */
	PLAT_HAVE_CPU_ENERGY = 1 << 7,
	PLAT_HAVE_NAME = 1 << 8,
	PLAT_HAVE_START = 1 << 9,	/* start_time */
	PLAT_HAVE_PPID = 1 << 10
};

/* What the caller asks platform_sample_proc() for, beyond the cheap counters. */
enum plat_want {
	PLAT_WANT_NAME = 1 << 0,	/* fill name (first time a pid is seen); a backend
					 * may fill it always where that is free (Linux) */
	PLAT_WANT_COSTLY = 1 << 1	/* also read what plat_info.costly_what names */
};

/* Raw counters of one process, as the operating system gives them. */
struct plat_proc {
	int32_t pid;
	int32_t ppid;
	uint64_t start_time;		/* opaque start-time token, platform units; detects pid reuse */
	uint64_t user;			/* own CPU time, user, native units (see cpu_time_num/den) */
	uint64_t system;		/* own CPU time, system, native units */
	uint64_t child_user;		/* CPU time of reaped children, user, same units */
	uint64_t child_system;		/* CPU time of reaped children, system, same units */
	uint64_t rss;			/* resident bytes */
	uint64_t footprint;		/* physical footprint bytes (macOS) */
	uint64_t pss;			/* proportional set size bytes (Linux, costly) */
	uint64_t threads;		/* thread count */
	uint64_t read_bytes;		/* bytes read from storage */
	uint64_t write_bytes;		/* bytes written to storage */
	uint64_t cpu_energy_nj;		/* CPU energy of the process, nJ (macOS recount), not "billed" energy */
	uint32_t have;			/* enum plat_have bits */
	char name[PLAT_NAME_MAX];	/* short name, when PLAT_HAVE_NAME */
	uint64_t cpu_ns;		/* own CPU time, user + system, ns, all threads,
					 * when PLAT_HAVE_CPU_NS (issue 11, see below) */
};

/* System-wide counters. */
struct plat_sys {
	uint64_t swap_used;		/* bytes */
	uint64_t swap_total;		/* bytes */
	uint64_t ram_total;		/* bytes */
	uint64_t ram_available;		/* bytes, 0 if unknown */
	uint32_t ncpu;			/* rows in ticks */
	uint32_t nstates;		/* columns in ticks (see core_tick_states) */
	uint64_t *ticks;		/* caller's buffer: ncpu * nstates cumulative ticks */
	size_t ticks_cap;		/* capacity of ticks, in elements */
};

/* Accumulated GPU time of one GPU client (macOS IORegistry user client). */
struct plat_gpu_client {
	int32_t pid;			/* owning process */
	uint64_t gpu_ns;		/* accumulated GPU time, ns */
	uint64_t id;			/* registry entry id, unique until reboot
					 * (issue 9, D9g; see platform_gpu_clients_of) */
};

/*
 * Reads the static facts into *info and prepares the backend.
 * Returns 0, or a negative errno value.
 */
int platform_init(struct plat_info *info);

/* Releases whatever the backend holds (cached descriptors). */
void platform_fini(void);

/* Monotonic clock in ns that keeps counting while the machine sleeps. */
uint64_t platform_now_ns(void);

/*
 * Stores up to cap pids of all processes into pids.  Returns the number of
 * processes (which may be larger than cap: call again with more room), or a
 * negative errno value.
 */
int platform_list_pids(int32_t *pids, size_t cap);

/*
 * Stores the short name and the executable path of pid (either may be "" when
 * not readable).  Returns 0, -ESRCH if the process is gone, or -errno.
 */
int platform_proc_ident(int32_t pid, char *name, size_t name_len,
    char *path, size_t path_len);

/*
 * Stores up to cap pids of the direct children of pid.  Returns the number of
 * children (possibly larger than cap), -ESRCH if pid is gone, or -errno.  The
 * answer may lag the process table by a few milliseconds (backends cache it
 * while nothing was born or reaped).
 */
int platform_list_children(int32_t pid, int32_t *kids, size_t cap);

/*
 * Reads the raw counters of pid into *p; want is a set of enum plat_want.
 * Sets p->have to what it could read, which may vary from call to call
 * (counters read only now and then, e.g. disk bytes every 200 ms on Linux,
 * are absent in between: the analyzer carries them forward).  A zombie is
 * reported with its final counters.  Returns 0, -ESRCH if the process is gone
 * (also when a cached descriptor's process died and its pid was reused: the
 * next call reads the new one), or -errno (-EACCES: exists but not readable).
 */
int platform_sample_proc(int32_t pid, unsigned want, struct plat_proc *p);

/* pid left the tree: drop whatever the backend caches for it. */
void platform_forget_proc(int32_t pid);

/*
 * Reads swap, memory and per-core ticks into *s (s->ticks and s->ticks_cap
 * set by the caller).  Returns 0, or -errno.
 */
int platform_sample_system(struct plat_sys *s);

/*
 * Stores up to cap GPU clients with their owning pid and accumulated GPU
 * time.  Returns the number of clients (possibly larger than cap), 0 where the
 * platform has no per-process GPU time, or -errno.
 */
int platform_gpu_clients(struct plat_gpu_client *c, size_t cap);

/*
 * Writes into buf the default powermetrics command line (argv words separated
 * by single spaces) for a sampling interval of interval_ms, or "" where the
 * platform has no powermetrics.  Returns 0, or -ENAMETOOLONG.
 */
int platform_pm_command(unsigned interval_ms, char *buf, size_t len);

/*
 * Writes the version of the application that pid runs (e.g. "4.0.1", from
 * the app bundle) into buf.  Returns 0, -ENOENT if there is none, or -errno.
 */
int platform_app_version(int32_t pid, char *buf, size_t len);

/* ================= IOReport energy counters (issue 14, D14) =================
 *
 * macOS on Apple silicon: the kernel's IOReport channels that powermetrics
 * itself reads - the "Energy Model" energy counters (CPU, GPU, ANE, DRAM; their
 * names vary by chip) and the GPU's performance-state residencies - readable
 * without root through the private libIOReport, loaded at run time.  Which
 * channels are recorded is shared code (rec_ior_select in rec_ior.h).  Every
 * value is a cumulative counter as read, in the channel's own unit (the unit
 * label says which); watts and shares are the analyzer's.  Linux has none.
 */

enum plat_ior_kind {
	PLAT_IOR_SIMPLE = 1,		/* one integer counter (an energy) */
	PLAT_IOR_STATE = 2		/* one residency per state */
};

enum {
	PLAT_IOR_MAX = 128,		/* channels recorded at most */
	PLAT_IOR_STATES = 32,		/* states of one channel kept at most */
	PLAT_IOR_VALUES = 1024,		/* values of one reading at most */
	PLAT_IOR_STR = 64,		/* group, subgroup, name buffers, NUL included */
	PLAT_IOR_WORD = 24		/* unit label and state name buffers */
};

/* One subscribed channel, as IOReport describes it (strings as returned). */
struct plat_ior_channel {
	uint32_t kind;			/* enum plat_ior_kind */
	char group[PLAT_IOR_STR];	/* "Energy Model", "GPU Stats" */
	char subgroup[PLAT_IOR_STR];	/* "GPU Performance States", "" */
	char name[PLAT_IOR_STR];	/* "GPU Energy", "DIE_0_CPU Energy", "GPUPH" */
	char unit[PLAT_IOR_WORD];	/* unit label as printed ("mJ"), "" if none */
	uint32_t nstates;		/* PLAT_IOR_STATE: states, 0 otherwise */
	char states[PLAT_IOR_STATES][PLAT_IOR_WORD];	/* their names, in order */
};

/*
 * Subscribes to the IOReport channels to record and describes them: *ch
 * points to n channels held by the backend until platform_ior_close().
 * Returns n > 0; -ENOTSUP where the platform has no IOReport (nothing worth
 * saying); or another -errno with a one-line reason in why: -ENOENT the
 * library cannot be loaded, -ENOSYS a function is missing from it, -ENODEV
 * no channel to record (not Apple silicon), -EIO IOReport refused.
 */
int platform_ior_open(const struct plat_ior_channel **ch, char *why, size_t whylen);

/*
 * Reads every subscribed channel once.  Stores the cumulative values in
 * v[0..nv) channel by channel (one for a simple channel, nstates for a state
 * channel; nv is their total) and sets have[i] to 1 for each channel i the
 * read returned, 0 for one it did not (its values are left as they were).
 * Returns 0, or -errno (nothing read).
 */
int platform_ior_read(uint64_t *v, size_t nv, uint8_t *have);

/* Ends the subscription and unloads what platform_ior_open() loaded. */
void platform_ior_close(void);

/* ================= Edges of a recording (issue 11, D11r) ================= */

/*
 * The last sample of a recording (platform_sample_proc's want, with
 * PLAT_WANT_COSTLY): read what is read only now and then (costly values,
 * Linux disk bytes) whatever its spacing, so the end of the trace is current.
 */
enum { PLAT_WANT_FINAL = 1 << 2 };

/*
 * plat_proc.cpu_ns holds the process's own CPU time (user + system, every
 * thread, exited threads included) in ns, read where the kernel keeps it
 * finer than user/system (Linux: the process CPU clock, whose user/system
 * in /proc/PID/stat count 10 ms ticks).  Where user/system are already that
 * fine (macOS: Mach absolute time units) it is not set.  Reaped children's
 * CPU stays in child_user/child_system.
 */
enum { PLAT_HAVE_CPU_NS = 1 << 11 };

/*
 * plat_info.io_children: 1 where the kernel adds a reaped child's disk bytes
 * to its parent's counters, as it adds its CPU time (Linux), 0 where a
 * process's disk bytes are its own only (macOS).  The analyzer needs it to
 * count such bytes once.
 */

/* ============ GPU clients of a tree; helpers outside it (issue 9, D9g) ============ */

/*
 * Like platform_gpu_clients(), but keeps only the clients whose owner is one
 * of pids[0..npids) (sorted ascending; NULL: every client), choosing them
 * during the walk, so a full registry cannot crowd the tree's clients out of
 * c.  Every client carries its registry entry id (macOS: never reused before
 * a reboot), by which the shared code follows it from read to read
 * (rec_gpu_track_update).  Returns the number of such clients (possibly
 * larger than cap: call again with more room), -ENOTSUP where the platform
 * has no per-process GPU time (Linux, a Mac without an Apple GPU), or -errno.
 */
int platform_gpu_clients_of(const int32_t *pids, size_t npids,
    struct plat_gpu_client *c, size_t cap);

/* ================= phocus-record --check (issue 9 section 3, D9c) =================
 *
 * What --check needs beyond the recording's calls: which sources this
 * platform has at all (so that a row says "not on this system" rather than
 * FAIL), and the responsible-pid lookup.
 */

/* Sources a platform has at all (platform_features). */
enum plat_feature {
	PLAT_F_FOOTPRINT = 1 << 0,	/* plat_proc.footprint (macOS phys_footprint) */
	PLAT_F_GPU_CLIENTS = 1 << 1,	/* platform_gpu_clients() (macOS IORegistry) */
	PLAT_F_GPU_CORES = 1 << 2,	/* plat_info.gpu_cores */
	PLAT_F_ANE_CORES = 1 << 3,	/* plat_info.ane_cores */
	PLAT_F_CORE_LEVELS = 1 << 4,	/* plat_info.core_levels (macOS hw.perflevelN) */
	PLAT_F_RESPONSIBLE = 1 << 5,	/* platform_responsible_pid() */
	PLAT_F_CPU_ENERGY = 1 << 6	/* plat_proc.cpu_energy_nj */
};

/* The enum plat_feature bits of this platform (after platform_init). */
unsigned platform_features(void);

/*
 * The pid "responsible" for pid: the app an XPC service or a system helper
 * works for (macOS: responsibility_get_pid_responsible_for_pid, private,
 * looked up at run time, never linked).  Returns the pid (pid itself when
 * nothing else is responsible), -ENOTSUP where the platform has no such
 * thing, -ENOSYS when the lookup function is missing, or -errno (-ESRCH:
 * no such process).
 */
int32_t platform_responsible_pid(int32_t pid);

/*
 * Called in a child the recorder forked (without exec) after it dropped
 * its privileges: makes the child's counters readable by its parent again.
 * Linux: a process whose uids changed is not "dumpable", nor are its forks,
 * and /proc/PID/io of such a process is root's only (proc(5)); this sets
 * PR_SET_DUMPABLE.  Elsewhere nothing.
 */
void platform_child_readable(void);

/* The name of the lookup behind platform_responsible_pid() (issue 9 defect
 * 9, D9g: the trace header's helpers_lookup), or "" where there is none or
 * it is missing. */
const char *platform_responsible_lookup(void);

#endif /* PLATFORM_H */
