/*
 * pmt_internal.h - what the format library's own files share: constants of
 * the container (FORMAT.md 1), little-endian and varint coding, a growable
 * byte buffer; and, at the end, the functions only the unit tests call.
 * Not installed; outside format/ only tests/unit/test_fmt_trace.c uses it.
 */
#ifndef PMT_INTERNAL_H
#define PMT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pmtrace.h"

enum {
	PMT_FILE_HDR_LEN = 40,		/* file header length in version 1.0 */
	PMT_FILE_HDR_MAX = 4096,	/* larger header lengths are corrupt */
	PMT_SYNC_LEN = 16,		/* sync marker bytes */
	PMT_SYNC_FRAME_LEN = 32,	/* sync skippable frame, whole */
	PMT_BATCH_HDR_LEN = 16,		/* batch header */
	PMT_BATCH_MAX = 16u << 20,	/* largest batch payload */
	PMT_BATCH_SOFT = 128u << 10,	/* writer closes a batch at this size */
	PMT_RECORD_MAX = PMT_BATCH_MAX - 32	/* largest record, with its envelope */
};

#define PMT_MAGIC "\x89PMT\r\n\x1a\n"
#define PMT_SKIP_MAGIC 0x184D2A5Bu	/* zstd skippable frame, nibble B */
#define PMT_ZSTD_MAGIC 0xFD2FB528u
#define PMT_BATCH_MAGIC "PMTB"

#define PMT_DEFAULT_LEVEL 3
#define PMT_WINDOW_LOG 21		/* 2 MiB; readers accept up to 2^24 */
#define PMT_DEFAULT_FLUSH_NS 1000000000ull
#define PMT_DEFAULT_FRAME_BYTES (4ull << 20)
#define PMT_DEFAULT_FRAME_NS (600ull * 1000000000ull)

/* A growable byte buffer. */
struct pmt_buf {
	uint8_t *p;			/* bytes */
	size_t len;			/* used */
	size_t cap;			/* allocated */
};

int pmt_buf_reserve(struct pmt_buf *b, size_t extra);
void pmt_buf_free(struct pmt_buf *b);

static inline void
pmt_put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
pmt_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline uint16_t
pmt_get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t
pmt_get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	    ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t
pmt_zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t
pmt_unzigzag(uint64_t u)
{
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/* Appends varint v at p (room for 10 bytes); returns bytes written. */
static inline size_t
pmt_put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/*
 * Decodes a varint from [*p, end) into *v and advances *p.  Returns 0, or -1
 * when the input ends first or the varint is longer than 64 bits.
 */
static inline int
pmt_get_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	const uint8_t *q = *p;
	uint64_t r = 0;
	unsigned shift = 0;

	if (q < end && *q < 0x80) {	/* the common one-byte case */
		*v = *q;
		*p = q + 1;
		return 0;
	}
	while (q < end) {
		uint8_t b = *q++;
		if (shift == 63 && b > 1)
			return -1;
		r |= (uint64_t)(b & 0x7f) << shift;
		if (b < 0x80) {
			*v = r;
			*p = q;
			return 0;
		}
		shift += 7;
		if (shift > 63)
			return -1;
	}
	return -1;
}

static inline int
pmt_get_svarint(const uint8_t **p, const uint8_t *end, int64_t *v)
{
	uint64_t u;

	if (pmt_get_varint(p, end, &u) != 0)
		return -1;
	*v = pmt_unzigzag(u);
	return 0;
}

/* Record body encoders and decoders (pmt_encode.c, pmt_decode.c). */

/* Per-process delta state shared by encoder and decoder: one per pid. */
struct pmt_pstate {
	int32_t pid;
	uint32_t known;			/* PMT_HAVE() bits of fields seen so far */
	uint64_t base[PMT_NFIELDS];	/* last value of each numeric field */
	uint8_t name_len;		/* kept name */
	char name[PMT_NAME_MAX + 1];
};

/* Delta state of one frame: the previous PROC and SYS records. */
struct pmt_state {
	struct pmt_pstate *procs;	/* sorted by pid */
	size_t nprocs;
	size_t cap;
	struct pmt_pstate *next;	/* scratch for the sample being coded */
	size_t *order;			/* encoder: rows sorted by pid */
	int fresh;			/* frame start: every row is NEW, names kept */
	int have_sys;			/* a SYS record was coded in this frame */
	uint64_t sys_base[PMT_S_TICKS];
	uint64_t *ticks;		/* previous ticks */
	uint32_t ncpu, nstates;
	size_t ticks_cap;
	int have_ior;			/* an IOR_SAMPLE was coded in this frame */
	uint64_t *ior;			/* its values: the next deltas' base */
	size_t nior, ior_cap;
};

void pmt_state_reset(struct pmt_state *s);
void pmt_state_free(struct pmt_state *s);
int pmt_state_reserve(struct pmt_state *s, size_t n);

/*
 * Body encoders (pmt_encode.c): each replaces the contents of body with the
 * record body.  They return 0 or a PMT_E_* code.  A "spec" string describes
 * a record made of leading integers and a byte tail: 'u' is a varint, 's' an
 * svarint (the int64_t stored in the uint64_t slot).
 */
int pmt_encode_header(struct pmt_buf *body, const struct pmt_header *h);
int pmt_encode_proc(struct pmt_buf *body, struct pmt_state *s, uint64_t t,
    const struct pmt_proc *rows, size_t n);
int pmt_encode_sys(struct pmt_buf *body, struct pmt_state *s, uint64_t t,
    const struct pmt_sys *sys);
int pmt_encode_fields(struct pmt_buf *body, const char *spec,
    const uint64_t *vals, const void *tail, size_t tail_len);

/*
 * Body decoders (pmt_decode.c): return 0, or -1 with a reason in *why
 * (static string) when the body is malformed.  Pointers into body stay valid
 * as long as the body does; decoded names are copied into the state.
 */
int pmt_decode_header(const uint8_t *body, size_t len, struct pmt_header *h,
    struct pmt_buf *strings, const char **why);
int pmt_decode_proc(const uint8_t *body, size_t len, struct pmt_state *s,
    struct pmt_record *rec, struct pmt_proc **rows, size_t *rows_cap,
    const char **why);
int pmt_decode_sys(const uint8_t *body, size_t len, struct pmt_state *s,
    struct pmt_record *rec, struct pmt_sys *out, const char **why);
int pmt_decode_fields(const uint8_t *body, size_t len, const char *spec,
    uint64_t *vals, const uint8_t **tail, size_t *tail_len);

/*
 * IOReport records (pmt_ior.c).  The channel table is encoded without its
 * time (pmt_ior_encode_channels) so the writer can repeat it at every frame
 * start; a record body is varint t followed by that encoding.
 */
int pmt_ior_encode_channels(struct pmt_buf *out, const struct pmt_ior_channel *ch,
    size_t n);
int pmt_ior_encode_sample(struct pmt_buf *body, struct pmt_state *s, uint64_t t,
    const struct pmt_ior_sample *smp);

/* What the reader keeps of the last decoded IOReport records. */
struct pmt_ior_dec {
	struct pmt_ior_channel *ch;	/* table */
	size_t ch_cap;
	const char **names;		/* state name pointers */
	size_t names_cap;
	struct pmt_buf strings;		/* NUL-terminated copies */
	struct pmt_ior_table table;
	uint32_t *missing;		/* sample's missing channel list */
	size_t missing_cap;
	struct pmt_ior_sample sample;
};

int pmt_ior_decode_channels(const uint8_t *body, size_t len, struct pmt_ior_dec *d,
    struct pmt_record *rec, const char **why);
int pmt_ior_decode_sample(const uint8_t *body, size_t len, struct pmt_state *s,
    struct pmt_ior_dec *d, struct pmt_record *rec, const char **why);
void pmt_ior_dec_free(struct pmt_ior_dec *d);

/* ---- for the unit tests (not part of the trace API, pmtrace.h) ---- */

/* CRC32C (Castagnoli) of buf, continuing from crc (start with 0). */
uint32_t pmt_crc32c(uint32_t crc, const void *buf, size_t len);

/* File offset up to which everything is flushed and complete. */
uint64_t pmt_writer_flushed_bytes(const pmt_writer *w);

/* Counts written so far (what END will say). */
const struct pmt_end *pmt_writer_counts(const pmt_writer *w);

/*
 * The CALIB record (pmt_calib.c): encoded without its time, so the writer
 * can repeat it at every frame; decoded into *c (the note points into body).
 */
int pmt_calib_encode(struct pmt_buf *out, const struct pmt_calib *c);
int pmt_calib_decode(const uint8_t *body, size_t len, struct pmt_calib *c,
    struct pmt_record *rec, const char **why);

#endif /* PMT_INTERNAL_H */
