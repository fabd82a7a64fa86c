/*
 * pmtrace.h - the trace format library: write and read .pmtrace files.
 *
 * The only interface to trace files for both phocus-record and
 * phocus-analyze.  The format is specified in format/FORMAT.md.  The writer
 * encodes records (delta/varint), batches them with CRC32C, compresses them
 * with zstd and writes them to a file descriptor; the reader undoes that,
 * tolerating truncation and damage.  This library does not interpret what it
 * stores (no CPU %, no watts): that is the analyzer's job.  It never prints
 * and never exits; errors are negative PMT_E_* codes, see pmt_strerror().
 */
#ifndef PMTRACE_H
#define PMTRACE_H

#include <stddef.h>
#include <stdint.h>

#define PMT_VERSION_MAJOR 1
#define PMT_VERSION_MINOR 1

/* ========================= Errors ========================= */

enum pmt_err {
	PMT_OK = 0,
	PMT_E_IO = -1,		/* read/write failed: see errno (pmt_writer_errno) */
	PMT_E_NOMEM = -2,	/* out of memory */
	PMT_E_NOTRACE = -3,	/* not a phocus-monitor trace (bad magic) */
	PMT_E_TEXTMODE = -4,	/* magic mangled by a text-mode transfer */
	PMT_E_VERSION = -5,	/* unknown major version */
	PMT_E_CORRUPT = -6,	/* damaged data */
	PMT_E_TOOBIG = -7,	/* a record larger than the format allows */
	PMT_E_ZSTD = -8,	/* zstd refused to work */
	PMT_E_STATE = -9,	/* call not allowed now (writer failed or closed) */
	PMT_E_ARG = -10,	/* invalid argument */
	PMT_E_NOSPC = -11	/* disk full or file size limit: data up to the last flush is kept */
};

/* Returns a static English description of a PMT_E_* code. */
const char *pmt_strerror(int err);

/* ========================= Records ========================= */

enum pmt_type {
	PMT_REC_HEADER = 1,
	PMT_REC_CLOCK = 2,
	PMT_REC_PROC = 3,
	PMT_REC_SYS = 4,
	PMT_REC_PM = 5,
	PMT_REC_MARK = 6,
	PMT_REC_EVENT = 7,
	PMT_REC_END = 8,
	PMT_REC_CALIB = 9,		/* units check at the start (1.1) */
	PMT_REC_HELPERS = 10,		/* processes outside the tree working for the
					 * target, PROC-encoded (1.1) */
	PMT_REC_IOR_CHANNELS = 11,	/* IOReport channel table (1.1) */
	PMT_REC_IOR_SAMPLE = 12		/* IOReport counters as read (1.1) */
};

/* Fields of a process row (FORMAT.md 3.1); index into pmt_proc.v. */
enum pmt_field {
	PMT_F_PPID, PMT_F_START, PMT_F_USER, PMT_F_SYSTEM, PMT_F_CHILD_USER,
	PMT_F_CHILD_SYSTEM, PMT_F_RSS, PMT_F_FOOTPRINT, PMT_F_PSS,
	PMT_F_THREADS, PMT_F_READ_BYTES, PMT_F_WRITE_BYTES, PMT_F_GPU_NS,
	PMT_F_CPU_ENERGY_NJ, PMT_F_NAME,
	PMT_F_CPU_NS = 15,	/* own CPU time, user + system, ns (1.1; Linux) */
	PMT_NFIELDS		/* v[] holds fields 0 .. PMT_NFIELDS-1; all are
				 * numeric but PMT_F_NAME (its v[] is unused) */
};
#define PMT_HAVE(f) (1u << (f))
#define PMT_NAME_MAX 255

/* One process in a PROC record. */
struct pmt_proc {
	int32_t pid;
	uint32_t have;			/* PMT_HAVE(field) bits: present in this sample */
	int is_new;			/* reader: the NEW flag as stored: set for a new process
					 * and for every row at the start of a frame, so tell
					 * processes apart by pid and start time */
	uint64_t v[PMT_NFIELDS];	/* values by enum pmt_field (only where have) */
	const char *name;		/* name bytes, when have & PMT_HAVE(PMT_F_NAME) */
	size_t name_len;		/* reader: the name is kept for later rows too */
};

/* System sample fields (FORMAT.md 3.2). */
enum pmt_sys_field {
	PMT_S_SWAP_USED, PMT_S_SWAP_TOTAL, PMT_S_RAM_TOTAL, PMT_S_RAM_AVAIL,
	PMT_S_TICKS, PMT_NSYS
};

struct pmt_sys {
	uint32_t have;			/* PMT_HAVE(pmt_sys_field) bits */
	uint64_t v[PMT_S_TICKS];	/* scalar values, bytes */
	uint32_t ncpu;			/* ticks rows */
	uint32_t nstates;		/* ticks columns */
	const uint64_t *ticks;		/* ncpu * nstates cumulative ticks, row-major */
};

/* PM record flags. */
enum { PMT_PM_PREAMBLE = 1, PMT_PM_PARTIAL = 2 };

/* EVENT kinds and END reasons (FORMAT.md 2). */
enum pmt_event_kind {
	PMT_EV_TARGET_START = 1, PMT_EV_TARGET_EXIT = 2, PMT_EV_PM_START = 3,
	PMT_EV_PM_FAILED = 4, PMT_EV_CLOCK_GAP = 5, PMT_EV_WARNING = 6,
	PMT_EV_STOP = 7,
	PMT_EV_PM_SAMPLER_DROPPED = 8,	/* powermetrics refused a sampler: restarted without (1.1) */
	PMT_EV_PM_STOPPED = 9,		/* how powermetrics ended at the stop (1.1) */
	PMT_EV_HELPERS_MISSING = 10,	/* the responsible-pid lookup is missing:
					 * no helpers recorded (1.1) */
	PMT_EV_HELPER_FOUND = 11,	/* value: a process found working for the
					 * target; message: who, and for whom (1.1) */
	PMT_EV_LOSS = 12,		/* first time a kind of data could not be read (1.1) */
	PMT_EV_LOSS_COUNT = 13,		/* at the end: how often (value: count * 256 + kind) */
	PMT_EV_REAPED = 14,		/* the started command's wait4 CPU time (1.1) */
	PMT_EV_IOR_START = 16,		/* IOReport subscribed; value: channels */
	PMT_EV_IOR_FAILED = 17		/* IOReport unavailable or a read failed */
};
enum pmt_end_reason {
	PMT_END_SIGNAL = 1, PMT_END_DURATION = 2, PMT_END_TARGET_EXIT = 3,
	PMT_END_ERROR = 4, PMT_END_INPUT = 5
};

/* What a LOSS / LOSS_COUNT event is about (1.1): data the recorder could not read. */
enum pmt_loss {
	PMT_LOSS_PROC = 1,		/* a process of the tree could not be read */
	PMT_LOSS_GPU_READ = 2,		/* the GPU clients could not be read */
	PMT_LOSS_GPU_CAP = 3,		/* more GPU clients than are read */
	PMT_LOSS_SYSTEM = 4,		/* a system sample failed */
	PMT_LOSS_TREE_CUT = 5,		/* the tree had more processes than are followed */
	PMT_LOSS_N
};

/* Trace header.  Strings may be NULL (absent); signed -1 = unknown. */
struct pmt_header {
	const char *writer, *command_line, *host, *platform, *os_name;
	const char *os_version, *os_build, *chip, *model, *ane_cores_source;
	const char *target_name, *target_version, *core_tick_states;
	const char *costly_what, *pm_command, *timezone;
	int64_t cores_p, cores_e, cpus_logical, gpu_cores, ane_cores;
	int64_t target_pid, utc_offset_s;
	uint64_t ram_bytes, page_size, mono_anchor_ns, wall_anchor_ns;
	uint64_t interval_ns, cpu_time_num, cpu_time_den, core_tick_hz;
	uint64_t costly_every_ns, flush_ns, frame_max_bytes, frame_max_ns;
	/* 1.1, tags 36-39: the machine as it answered (issue 9) */
	const char *core_levels;	/* "Performance:8,Efficiency:2": name:cores per level, level 0 first */
	const char *os_version_raw;	/* the OS version as the system answered it (macOS may say 16.x for 26.x) */
	const char *os_release;		/* kernel release: Darwin "25.0.0", Linux uname -r */
	int64_t os_compat;		/* 1: the answer was a compatibility version, 0 not, -1 unknown */
	/* 1.1, tag 44: how the process counters add up (issue 11) */
	int64_t io_children;		/* 1: a process's disk bytes include those of its
					 * reaped children (Linux), 0: its own only (macOS),
					 * -1 unknown */
	/* 1.1, tags 40-41: processes outside the tree working for it (issue 9) */
	const char *helpers_lookup;	/* how they are found (macOS: the responsible-pid
					 * lookup's name); NULL or "": not looked for */
	uint64_t helpers_scan_ns;	/* every process is looked at this often; 0: never */
};

/* Sets every string to NULL, signed fields to -1, unsigned to 0. */
void pmt_header_init(struct pmt_header *h);

/* Counts in an END record. */
struct pmt_end {
	uint64_t reason;		/* enum pmt_end_reason */
	uint64_t proc_records, proc_rows, sys_records, pm_records, pm_bytes;
	uint64_t marks, events, batches, frames;
};

/* ---- IOReport energy counters (macOS; FORMAT.md 2.2, 3.3) ---- */

/* What kind of IOReport channel: how many values it has per sample. */
enum pmt_ior_kind {
	PMT_IOR_SIMPLE = 1,		/* one integer counter (energy) */
	PMT_IOR_STATE = 2		/* one residency per state */
};

enum {
	PMT_IOR_MAX_CHANNELS = 1024,	/* channels in one table */
	PMT_IOR_MAX_STATES = 64,	/* states of one channel */
	PMT_IOR_MAX_VALUES = 8192,	/* values in one sample */
	PMT_IOR_STR_MAX = 255		/* bytes of one name */
};

/* One channel of the table.  Strings are NUL-terminated. */
struct pmt_ior_channel {
	uint32_t kind;			/* enum pmt_ior_kind, or a newer kind */
	uint32_t nvalues;		/* its values per sample: 1, or nstates */
	const char *group;		/* "Energy Model", "GPU Stats" */
	const char *subgroup;		/* "GPU Performance States", "" if none */
	const char *name;		/* "GPU Energy", "GPUPH" */
	const char *unit;		/* unit label as printed: "mJ", "uJ", "nJ"; "" */
	uint32_t nstates;		/* state channels: state names */
	const char *const *states;	/* nstates names ("OFF", "IDLE", "P1", ...) */
};

/* The channel table: which channel each sample value belongs to. */
struct pmt_ior_table {
	size_t n;			/* channels */
	const struct pmt_ior_channel *ch;
	size_t nvalues;			/* sum of ch[i].nvalues */
};

/* One reading of every channel: values in table order, channel by channel. */
struct pmt_ior_sample {
	uint64_t read_ns;		/* how long the read took, ns (0: unknown) */
	size_t nvalues;			/* must equal the table's nvalues */
	const uint64_t *values;		/* cumulative counters / residencies as read */
	size_t nmissing;		/* channels the read did not return */
	const uint32_t *missing;	/* their indices, ascending; their values
					 * repeat the previous sample's */
};

/* ---- Units check at the start of a recording (FORMAT.md 2.3) ---- */

/*
 * What the recorder measured of a child of its own, through the platform
 * calls it uses for the target and from the kernel's own accounting.  Each
 * field is a TLV tag of the CALIB record; v[field] is valid where have has
 * PMT_HAVE(field).
 */
enum pmt_calib_field {
	PMT_C_TOUCHED = 1,		/* bytes of fresh memory the child touched */
	PMT_C_UNIT_NUM = 2,		/* CPU unit of 4, 5, 10, 11: x num / den = ns */
	PMT_C_UNIT_DEN = 3,
	PMT_C_CPU_USER = 4,		/* the child's own CPU through the backend, */
	PMT_C_CPU_SYSTEM = 5,		/* at its last sample (its exit), native units */
	PMT_C_KERNEL_USER_NS = 6,	/* the same from its wait4 rusage, ns */
	PMT_C_KERNEL_SYSTEM_NS = 7,
	PMT_C_RSS_BEFORE = 8,		/* its resident bytes through the backend, */
	PMT_C_RSS_AFTER = 9,		/* before and after touching the memory */
	PMT_C_PARENT_BEFORE = 10,	/* the recorder's reaped-children CPU through */
	PMT_C_PARENT_AFTER = 11,	/* the backend, before the child and after reaping it */
	PMT_C_FOOTPRINT_BEFORE = 12,	/* its physical footprint bytes, before and */
	PMT_C_FOOTPRINT_AFTER = 13,	/* after touching the memory */
	PMT_C_SELF_CPU_NS = 14,		/* the child's own CPU clock when its work was done, ns */
	PMT_C_NOTE = 15,		/* a string: what could not be measured, and why */
	PMT_C_N = 16
};
#define PMT_CALIB_NOTE_MAX 255

struct pmt_calib {
	uint32_t have;			/* PMT_HAVE(field) of the numbers present */
	uint64_t v[PMT_C_N];		/* by enum pmt_calib_field (not PMT_C_NOTE) */
	const char *note;		/* NULL, or note_len bytes (not NUL-terminated when read) */
	size_t note_len;
};

/* A decoded record; pointers stay valid until the next pmt_reader_next(). */
struct pmt_record {
	uint32_t type;			/* enum pmt_type, or an unknown type (skipped) */
	uint64_t t;			/* ns since trace start (0 for HEADER) */
	union {
		const struct pmt_header *header;
		struct { uint64_t wall_ns; int64_t utc_offset_s; } clock;
		struct { const struct pmt_proc *rows; size_t n; } proc;	/* PROC, HELPERS */
		const struct pmt_sys *sys;
		struct { const uint8_t *data; size_t len; uint32_t flags; } pm;
		struct { uint64_t number; const char *label; size_t len; } mark;
		struct { uint32_t kind; int64_t value; const char *msg; size_t len; } event;
		const struct pmt_end *end;
		const struct pmt_ior_table *ior_channels;
		const struct pmt_ior_sample *ior_sample;
		const struct pmt_calib *calib;
	} u;
};

/* ========================= Writer ========================= */

typedef struct pmt_writer pmt_writer;

struct pmt_writer_opts {
	int level;			/* zstd level; 0 = the measured default (FORMAT.md 5) */
	uint64_t flush_ns;		/* flush at least this often; 0 = 1 s */
	uint64_t frame_max_bytes;	/* end the frame after this much; 0 = default */
	uint64_t frame_max_ns;		/* ... or this long; 0 = default */
	const uint8_t *sync;		/* 16-byte sync marker; NULL = pseudo-random */
};

/*
 * Starts a trace on fd (positioned at its start, opened for writing; the
 * caller keeps ownership), writes the file header, and stores the writer in
 * *w.  opts may be NULL.  Returns 0 or a PMT_E_* code.
 */
int pmt_writer_open(pmt_writer **w, int fd, const struct pmt_writer_opts *opts);

/*
 * Records the header (copied) and writes it as the first record; it is
 * repeated at the start of every frame.  Call once, right after open.
 */
int pmt_write_header(pmt_writer *w, const struct pmt_header *h);

/* Writes a CLOCK record: at t, Unix time was wall_ns, UTC offset utc_off_s. */
int pmt_write_clock(pmt_writer *w, uint64_t t, uint64_t wall_ns, int64_t utc_off_s);

/*
 * Writes one sample of the process tree: n rows in any order, distinct pids.
 * A row's fields are the bits in have; v[PMT_F_START] tells a reused pid
 * from the same process.  Delta-encodes against the previous sample.
 */
int pmt_write_proc(pmt_writer *w, uint64_t t, const struct pmt_proc *rows, size_t n);

/*
 * Writes the processes outside the tree working for the target (HELPERS,
 * 1.1): rows as for pmt_write_proc, delta-encoded against the previous
 * HELPERS record (n may be 0: none at t).
 */
int pmt_write_helpers(pmt_writer *w, uint64_t t, const struct pmt_proc *rows, size_t n);

/* Writes one system sample. */
int pmt_write_sys(pmt_writer *w, uint64_t t, const struct pmt_sys *s);

/* Writes raw powermetrics bytes received at t (flags: PMT_PM_*). */
int pmt_write_pm(pmt_writer *w, uint64_t t, uint32_t flags, const void *data, size_t len);

/*
 * Writes the units check (CALIB); it is repeated at the start of every later
 * frame, after the HEADER.  Flushes.
 */
int pmt_write_calib(pmt_writer *w, uint64_t t, const struct pmt_calib *c);

/* Writes a mark (number counts all marks from 1; label may be empty); flushes. */
int pmt_write_mark(pmt_writer *w, uint64_t t, uint64_t number, const char *label, size_t len);

/* Writes an event (enum pmt_event_kind) with a message; flushes. */
int pmt_write_event(pmt_writer *w, uint64_t t, uint32_t kind, int64_t value, const char *msg);

/*
 * Writes the IOReport channel table at t (copied; it is repeated at the
 * start of every later frame, so each frame can be read alone).  Calling it
 * again replaces the table for the samples that follow.
 */
int pmt_write_ior_channels(pmt_writer *w, uint64_t t,
    const struct pmt_ior_channel *ch, size_t n);

/*
 * Writes one IOReport reading at t: s->nvalues values in the order of the
 * table written last.  Delta-encodes against the previous reading.
 */
int pmt_write_ior_sample(pmt_writer *w, uint64_t t, const struct pmt_ior_sample *s);

/*
 * Called from the recorder's loop: flushes when the flush interval has passed
 * since the last flush, and starts a new frame (HEADER and a CLOCK record
 * with wall_ns/utc_off_s) when the current one is full or old.
 */
int pmt_writer_tick(pmt_writer *w, uint64_t t, uint64_t wall_ns, int64_t utc_off_s);

/* Flushes everything written so far to the file. */
int pmt_writer_flush(pmt_writer *w);

/*
 * Writes the END record (reason: enum pmt_end_reason), ends the frame,
 * syncs the file, and frees the writer (also on error).  fd stays open.
 */
int pmt_writer_close(pmt_writer *w, uint64_t t, uint32_t reason);

/* Frees the writer without writing an END record (after a failure). */
void pmt_writer_abort(pmt_writer *w);

/* Bytes written to the file so far (compressed). */
uint64_t pmt_writer_bytes(const pmt_writer *w);

/* errno of the failed write behind PMT_E_IO / PMT_E_NOSPC, else 0. */
int pmt_writer_errno(const pmt_writer *w);

/* ========================= Reader ========================= */

typedef struct pmt_reader pmt_reader;

enum pmt_problem_kind {
	PMT_P_TRUNCATED = 1,	/* the file ends inside a batch or frame */
	PMT_P_DAMAGED = 2,	/* bytes that could not be decoded; skipped */
	PMT_P_NO_END = 3,	/* no END record: recording did not stop cleanly */
	PMT_P_COUNTS = 4,	/* END counts differ from what was read */
	PMT_P_BAD_RECORD = 5,	/* a record inside a valid batch is malformed */
	PMT_P_UNKNOWN = 6	/* records of unknown types were skipped */
};

/* Something the reader could not read, and where. */
struct pmt_problem {
	int kind;			/* enum pmt_problem_kind */
	uint64_t off_begin;		/* file offsets of the affected bytes */
	uint64_t off_end;
	uint64_t t_before;		/* t of the last record returned before, or UINT64_MAX */
	uint64_t t_after;		/* t of the first record returned after, or UINT64_MAX */
	uint64_t count;			/* records/batches/bytes involved, per kind */
	char msg[192];			/* one line, no newline */
};

/*
 * Opens the trace at path (read into memory).  On failure returns a PMT_E_*
 * code, and *r is NULL; a message for the user is in errbuf if not NULL.
 */
int pmt_reader_open(pmt_reader **r, const char *path, char *errbuf, size_t errlen);

/* Same, for a trace already in memory; data must outlive the reader. */
int pmt_reader_open_mem(pmt_reader **r, const void *data, size_t len, char *errbuf, size_t errlen);

/*
 * Returns the next record in *rec: 1 when there is one, 0 at the end.  It
 * never fails on damage: what could not be read is listed by
 * pmt_reader_problems() and reading carries on.  Unknown record types are
 * skipped (counted as a PMT_P_UNKNOWN problem).
 */
int pmt_reader_next(pmt_reader *r, struct pmt_record *rec);

/* The trace header (first one decoded), or NULL before any was read. */
const struct pmt_header *pmt_reader_header(const pmt_reader *r);

/* Version found in the file header. */
void pmt_reader_version(const pmt_reader *r, unsigned *major, unsigned *minor);

/* Problems found so far; valid until the next call or close. */
size_t pmt_reader_problems(const pmt_reader *r, const struct pmt_problem **list);

/* Problems found beyond those pmt_reader_problems() lists in detail. */
uint64_t pmt_reader_more_problems(const pmt_reader *r);

/* Size of the trace in bytes. */
uint64_t pmt_reader_size(const pmt_reader *r);

/* Batches and frames read intact so far. */
void pmt_reader_stats(const pmt_reader *r, uint64_t *batches, uint64_t *frames);

void pmt_reader_close(pmt_reader *r);

/* ========================= Helpers ========================= */

/* ticks * num / den without overflow for ticks < 2^64 and num, den < 2^32. */
uint64_t pmt_ticks_to_ns(uint64_t ticks, uint64_t num, uint64_t den);

/*
 * powermetrics stream splitting (FORMAT.md 2, PM records).  Returns the
 * length of the first complete unit at the start of buf[0..len): the
 * preamble before the first sample, or one sample.  A text sample is complete
 * when the next sample header follows it; a plist sample when its closing
 * "</plist>" arrived (the unit takes the white space after it; the NUL that
 * powermetrics writes before every plist after the first starts the next
 * unit).  Returns 0 when buf holds no complete unit yet.  *is_preamble tells
 * which.  at_eof: the stream ended, so whatever is left is one unit; that
 * last unit may hold only separators (NULs, white space): see pmt_pm_blank().
 */
size_t pmt_pm_split(const uint8_t *buf, size_t len, int at_eof, int *is_preamble);

/* True when buf[0..len) holds only NULs and white space (no sample). */
int pmt_pm_blank(const uint8_t *buf, size_t len);

#endif /* PMTRACE_H */
