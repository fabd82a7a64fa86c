/*
 * pmt_read.c - the trace reader: checks the file header, walks sync frames
 * and zstd frames, verifies every batch's CRC32C, and hands out records one
 * by one.  Truncation and damage never stop it: it lists what it could not
 * read (with file offsets and times) and resynchronises at the next sync
 * frame (FORMAT.md 4).  Record bodies are decoded by pmt_decode.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "cmn_file.h"
#include "pmt_internal.h"

enum {
	MAX_PROBLEMS = 64,	/* kept in detail; later ones are counted */
	WINDOW_LOG_MAX = 24	/* refuse frames that need more than 16 MiB */
};

struct pmt_reader {
	const uint8_t *data;		/* the whole trace */
	size_t len;
	char *owned;			/* data, when we read the file */
	unsigned major, minor;		/* from the file header */
	uint8_t sync[PMT_SYNC_LEN];	/* the file's sync marker */
	ZSTD_DCtx *dctx;
	size_t pos;			/* next compressed byte */
	int in_frame;			/* inside a zstd frame */
	int frame_done;			/* the current frame's end was seen */
	const char *frame_err;		/* zstd failed here; decoded data first */
	size_t feed_end;		/* zstd gets input up to here: one block */
	int last_block;			/* feed_end ends the frame's last block */
	int has_checksum;		/* the frame has a content checksum */
	size_t frame_off;		/* file offset of the frame's sync frame */
	size_t good_off;		/* input position after the last good batch */
	struct pmt_buf out;		/* decompressed, unconsumed from out_pos */
	size_t out_pos;
	size_t rec_pos, rec_end;	/* records of the current batch in out */
	struct pmt_state st;		/* delta state of the frame */
	struct pmt_state hst;		/* ... of its HELPERS records (1.1) */
	struct pmt_proc *rows;		/* decoded PROC rows */
	size_t rows_cap;
	struct pmt_sys sys;		/* decoded SYS record */
	struct pmt_ior_dec ior;		/* decoded IOReport records */
	struct pmt_calib calib;		/* decoded CALIB record */
	uint64_t recent[16];		/* length << 32 | CRC of the frame's last batches */
	unsigned nrecent;		/* how many batches of the frame recent has seen */
	struct pmt_header hdr;		/* first header */
	struct pmt_buf hdr_strings;
	int have_hdr;
	struct pmt_end end;		/* END record, when seen */
	int have_end;
	struct pmt_end seen;		/* what was read, to compare with END */
	uint64_t unknown;		/* records of unknown types skipped */
	uint64_t bad_records;		/* malformed records skipped */
	uint64_t frames_ok;		/* frames whose sync frame was read */
	uint64_t last_t;		/* t of the last record returned */
	int have_t;
	struct pmt_problem probs[MAX_PROBLEMS];
	size_t nprobs;
	uint64_t more_probs;		/* problems beyond MAX_PROBLEMS */
	int pending;			/* index of a problem waiting for t_after, or -1 */
	int finished;			/* end-of-trace checks done */
};

/* ======================= Problems ======================= */

/* Adds a problem with a printf-style message; returns it (or NULL if full). */
static struct pmt_problem *
prob_add(pmt_reader *r, int kind, uint64_t b, uint64_t e, const char *fmt, ...)
{
	struct pmt_problem *p;
	va_list ap;

	if (r->nprobs == MAX_PROBLEMS) {
		r->more_probs++;
		return NULL;
	}
	p = &r->probs[r->nprobs];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->off_begin = b;
	p->off_end = e;
	p->t_before = r->have_t ? r->last_t : UINT64_MAX;
	p->t_after = UINT64_MAX;
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
	va_end(ap);
	if (kind == PMT_P_DAMAGED || kind == PMT_P_BAD_RECORD)
		r->pending = (int)r->nprobs;
	r->nprobs++;
	return p;
}

/* ======================= zstd blocks ======================= */

/*
 * zstd's streaming decoder loses the output of a call that ends in an error,
 * so the reader gives it one block at a time: a damaged block then costs only
 * itself and what follows.  Block boundaries come from the zstd format
 * (RFC 8878, 3.1.1): a frame header, then 3-byte block headers.
 */

/* Size of the zstd frame header at p, 0 if incomplete, -1 if invalid. */
static int64_t
zstd_frame_header(const uint8_t *p, size_t n, int *checksum)
{
	static const uint8_t did[4] = { 0, 1, 2, 4 };
	uint8_t fhd;
	int single, fcs;

	if (n < 5)
		return 0;
	if (pmt_get_u32(p) != PMT_ZSTD_MAGIC || (p[4] & 0x08))
		return -1;
	fhd = p[4];
	single = (fhd >> 5) & 1;
	fcs = fhd >> 6;
	*checksum = (fhd >> 2) & 1;
	return 5 + !single + did[fhd & 3] +
	    (fcs == 0 ? single : fcs == 1 ? 2 : fcs == 2 ? 4 : 8);
}

/*
 * Sets feed_end to the end of the next piece of the frame at r->pos: the
 * frame header with the first block, or one block (with the checksum after
 * the last one).  Returns 0, or -1 if the block header is invalid.
 */
static int
zstd_next_block(pmt_reader *r, int with_frame_header)
{
	size_t at = r->pos, n = r->len - r->pos;
	uint32_t bh, size;
	int64_t h = 0;

	if (with_frame_header) {
		h = zstd_frame_header(r->data + at, n, &r->has_checksum);
		if (h < 0)
			return -1;
		if (h == 0 || (size_t)h > n) {
			r->feed_end = r->len;
			return 0;
		}
	}
	if (n - (size_t)h < 3) {
		r->feed_end = r->len;
		return 0;
	}
	bh = r->data[at + h] | r->data[at + h + 1] << 8 |
	    (uint32_t)r->data[at + h + 2] << 16;
	if (((bh >> 1) & 3) == 3)
		return -1;
	size = ((bh >> 1) & 3) == 1 ? 1 : bh >> 3;
	r->last_block = bh & 1;
	r->feed_end = at + (size_t)h + 3 + size +
	    (r->last_block && r->has_checksum ? 4 : 0);
	if (r->feed_end > r->len)
		r->feed_end = r->len;
	return 0;
}

/* ======================= Frames and resynchronisation ======================= */

/* True if a valid sync frame of this file starts at off. */
static int
sync_valid(const pmt_reader *r, size_t off)
{
	const uint8_t *s = r->data + off;

	if (off > r->len || r->len - off < PMT_SYNC_FRAME_LEN)
		return 0;
	return pmt_get_u32(s) == PMT_SKIP_MAGIC && pmt_get_u32(s + 4) == 24 &&
	    memcmp(s + 8, r->sync, PMT_SYNC_LEN) == 0 &&
	    pmt_get_u32(s + 28) == pmt_crc32c(0, s + 8, 20);
}

/* Offset of the first sync frame at or after from, or r->len. */
static size_t
sync_find(const pmt_reader *r, size_t from)
{
	uint8_t pat[8 + PMT_SYNC_LEN];

	pmt_put_u32(pat, PMT_SKIP_MAGIC);
	pmt_put_u32(pat + 4, 24);
	memcpy(pat + 8, r->sync, PMT_SYNC_LEN);
	while (from < r->len) {
		const uint8_t *hit = memmem(r->data + from, r->len - from, pat,
		    sizeof(pat));
		if (hit == NULL)
			break;
		if (sync_valid(r, (size_t)(hit - r->data)))
			return (size_t)(hit - r->data);
		from = (size_t)(hit - r->data) + 1;
	}
	return r->len;
}

/* Drops all decoding state: decompressed bytes, current batch, deltas. */
static void
frame_drop(pmt_reader *r)
{
	r->out.len = r->out_pos = 0;
	r->rec_pos = r->rec_end = 0;
	r->in_frame = r->frame_done = 0;
	r->frame_err = NULL;
	pmt_state_reset(&r->st);
	pmt_state_reset(&r->hst);
}

/*
 * Reports damage found while reading (what), skips to the next sync frame
 * after the current frame's start, and carries on there.  Records of the
 * frame that were verified before the damage have already been returned.
 */
static void
damage(pmt_reader *r, const char *what)
{
	size_t from = r->in_frame ? r->frame_off + 1 : r->pos + 1;
	size_t b = r->in_frame ? r->good_off : r->pos;
	size_t next = sync_find(r, from);

	if (r->in_frame)
		prob_add(r, PMT_P_DAMAGED, b, next, "%s in frame %llu (bytes "
		    "%zu-%zu); its records after byte %zu were skipped%s", what,
		    (unsigned long long)r->frames_ok - 1, r->frame_off, next, b,
		    next < r->len ? "" : "; no intact frame follows");
	else
		prob_add(r, PMT_P_DAMAGED, b, next, "%s at byte %zu; bytes %zu-%zu "
		    "skipped%s", what, b, b, next, next < r->len ? "" :
		    "; no intact frame follows");
	frame_drop(r);
	r->frame_err = NULL;
	r->pos = next;
	r->good_off = next;
}

/* Starts the frame whose sync frame is at r->pos.  Returns 1, or 0 if none. */
static int
frame_start(pmt_reader *r)
{
	if (r->len - r->pos < PMT_SYNC_FRAME_LEN) {
		prob_add(r, PMT_P_TRUNCATED, r->pos, r->len,
		    "the file ends %zu bytes into a frame marker", r->len - r->pos);
		r->pos = r->len;
		return 0;
	}
	if (!sync_valid(r, r->pos)) {
		damage(r, "a frame marker is damaged");
		return r->pos < r->len ? frame_start(r) : 0;
	}
	frame_drop(r);
	ZSTD_DCtx_reset(r->dctx, ZSTD_reset_session_only);
	r->nrecent = 0;
	r->frame_off = r->pos;
	r->pos += PMT_SYNC_FRAME_LEN;
	r->in_frame = 1;
	r->frames_ok++;
	if (zstd_next_block(r, 1) != 0) {
		damage(r, "a zstd frame header is invalid");
		return -1;
	}
	return 1;
}

/*
 * Decompresses more of the current frame into r->out (starting a frame if
 * needed).  Returns 1 on progress, 0 at the end of the input, -1 after
 * damage (already reported and skipped).
 */
static int
frame_fill(pmt_reader *r)
{
	ZSTD_inBuffer in;
	ZSTD_outBuffer o;
	size_t ret, want = ZSTD_DStreamOutSize();

	if (r->frame_err != NULL) {
		damage(r, r->frame_err);
		return -1;
	}
	if (!r->in_frame || r->frame_done) {
		if (r->pos >= r->len)
			return 0;
		return frame_start(r);
	}
	if (r->out_pos > 0 && r->out_pos >= r->out.len / 2) {
		memmove(r->out.p, r->out.p + r->out_pos, r->out.len - r->out_pos);
		r->out.len -= r->out_pos;
		r->out_pos = 0;
	}
	if (r->out.cap - r->out.len < want && pmt_buf_reserve(&r->out, want) != 0) {
		damage(r, "out of memory while decompressing");
		return -1;
	}
	if (r->pos >= r->feed_end && zstd_next_block(r, 0) != 0) {
		damage(r, "a zstd block header is invalid");
		return -1;
	}
	in = (ZSTD_inBuffer){ r->data + r->pos, r->feed_end - r->pos, 0 };
	o = (ZSTD_outBuffer){ r->out.p + r->out.len, r->out.cap - r->out.len, 0 };
	ret = ZSTD_decompressStream(r->dctx, &o, &in);
	r->pos += in.pos;
	r->out.len += o.pos;
	if (ZSTD_isError(ret)) {	/* batches decoded so far come first */
		r->frame_err = ZSTD_getErrorName(ret);
		return 1;
	}
	if (ret == 0)
		r->frame_done = 1;
	return (in.pos > 0 || o.pos > 0 || ret == 0) ? 1 : 0;
}

/* ======================= Batches ======================= */

/* Checks the batch header at p; returns its payload length or -1. */
static int64_t
batch_header(const uint8_t *p)
{
	uint32_t n = pmt_get_u32(p + 8);

	if (memcmp(p, PMT_BATCH_MAGIC, 4) != 0 || n > PMT_BATCH_MAX)
		return -1;
	return n;
}

/* Reports what an incomplete batch at the end of the input cost. */
static void
batch_truncated(pmt_reader *r)
{
	size_t have = r->out.len - r->out_pos;

	if (have > 0)
		prob_add(r, PMT_P_TRUNCATED, r->good_off, r->len,
		    "the file ends inside a batch: %zu bytes of records after "
		    "offset %zu could not be verified and were dropped",
		    have, r->good_off);
	else if (r->in_frame && !r->frame_done)
		prob_add(r, PMT_P_TRUNCATED, r->good_off, r->len,
		    "the file ends inside frame %llu (recording interrupted "
		    "or still running); every flushed record was read",
		    (unsigned long long)r->frames_ok - 1);
	frame_drop(r);
}

/*
 * Damaged compressed data can copy an earlier batch whole, or its length,
 * checksum and payload behind a good header: the copy's checksum matches.
 * A writer never writes the same records twice (every record has its
 * time): a batch whose length and checksum equal those of one of the 16
 * before it in the frame is damage (returns 1).  Otherwise notes it;
 * returns 0.  (Batch numbers are no help: a damaged batch that passed
 * would poison them, and the copy may carry the right one.)
 */
static int
batch_repeated(pmt_reader *r, const uint8_t *p)
{
	uint64_t key = (uint64_t)pmt_get_u32(p + 8) << 32 | pmt_get_u32(p + 12);
	unsigned n = r->nrecent < 16 ? r->nrecent : 16;

	for (unsigned i = 0; i < n; i++)
		if (r->recent[i] == key)
			return 1;
	r->recent[r->nrecent++ % 16] = key;
	return 0;
}

/*
 * Makes the next verified batch current (rec_pos/rec_end).  Returns 1, or 0
 * at the end of the trace.
 */
static int
batch_next(pmt_reader *r)
{
	for (;;) {
		size_t avail = r->out.len - r->out_pos;
		const uint8_t *p = r->out.p + r->out_pos;
		int64_t n = avail >= PMT_BATCH_HDR_LEN ? batch_header(p) : 0;
		int f;

		if (n < 0) {
			damage(r, "a batch header is damaged");
			continue;
		}
		if (avail >= PMT_BATCH_HDR_LEN + (size_t)n && avail > 0) {
			if (pmt_get_u32(p + 12) != pmt_crc32c(0, p + PMT_BATCH_HDR_LEN, (size_t)n)) {
				damage(r, "a batch checksum does not match");
				continue;
			}
			if (batch_repeated(r, p)) {
				damage(r, "a batch repeats an earlier one (damaged data)");
				continue;
			}
			r->rec_pos = r->out_pos + PMT_BATCH_HDR_LEN;
			r->rec_end = r->rec_pos + (size_t)n;
			r->out_pos = r->rec_end;
			r->good_off = r->pos;
			r->seen.batches++;
			return 1;
		}
		if (r->frame_done && avail > 0) {
			damage(r, "a frame ends inside a batch");
			continue;
		}
		if ((f = frame_fill(r)) < 0)
			continue;
		if (f == 0) {
			batch_truncated(r);
			return 0;
		}
	}
}

/* ======================= Records ======================= */

/* Decodes a HEADER body; the first one is kept, later ones are skipped. */
static int
rec_header(pmt_reader *r, const uint8_t *b, size_t n, struct pmt_record *rec,
    const char **why)
{
	if (r->have_hdr)
		return 0;
	if (pmt_decode_header(b, n, &r->hdr, &r->hdr_strings, why) != 0)
		return -1;
	r->have_hdr = 1;
	rec->u.header = &r->hdr;
	return 1;
}

/* Decodes a record of a simple type; returns 1, or -1 with *why. */
static int
rec_simple(pmt_reader *r, uint32_t type, const uint8_t *b, size_t n,
    struct pmt_record *rec, const char **why)
{
	static const char *specs[] = {
		[PMT_REC_CLOCK] = "uus", [PMT_REC_PM] = "uu", [PMT_REC_MARK] = "uu",
		[PMT_REC_EVENT] = "uus", [PMT_REC_END] = "uuuuuuuuuuu",
	};
	uint64_t v[11];
	const uint8_t *tail;
	size_t tl;

	if (pmt_decode_fields(b, n, specs[type], v, &tail, &tl) != 0) {
		*why = "record is shorter than its fields";
		return -1;
	}
	rec->t = v[0];
	switch (type) {
	case PMT_REC_CLOCK:
		rec->u.clock.wall_ns = v[1];
		rec->u.clock.utc_offset_s = (int64_t)v[2];
		break;
	case PMT_REC_PM:
		rec->u.pm.flags = (uint32_t)v[1];
		rec->u.pm.data = tail;
		rec->u.pm.len = tl;
		r->seen.pm_records++;
		r->seen.pm_bytes += tl;
		break;
	case PMT_REC_MARK:
		rec->u.mark.number = v[1];
		rec->u.mark.label = (const char *)tail;
		rec->u.mark.len = tl;
		r->seen.marks++;
		break;
	case PMT_REC_EVENT:
		rec->u.event.kind = (uint32_t)v[1];
		rec->u.event.value = (int64_t)v[2];
		rec->u.event.msg = (const char *)tail;
		rec->u.event.len = tl;
		r->seen.events++;
		break;
	case PMT_REC_END:
		r->end = (struct pmt_end){ v[1], v[2], v[3], v[4], v[5], v[6],
		    v[7], v[8], v[9], v[10] };
		r->have_end = 1;
		rec->u.end = &r->end;
		break;
	}
	return 1;
}

/*
 * Decodes one record body of the given type into rec.  Returns 1 for a
 * record to hand out, 0 for one to skip silently, -1 if malformed (*why).
 */
static int
rec_decode(pmt_reader *r, uint32_t type, const uint8_t *b, size_t n,
    struct pmt_record *rec, const char **why)
{
	rec->type = type;
	rec->t = 0;
	switch (type) {
	case PMT_REC_HEADER:
		return rec_header(r, b, n, rec, why);
	case PMT_REC_PROC:
		if (pmt_decode_proc(b, n, &r->st, rec, &r->rows, &r->rows_cap, why) != 0)
			return -1;
		r->seen.proc_records++;
		r->seen.proc_rows += rec->u.proc.n;
		return 1;
	case PMT_REC_HELPERS:
		return pmt_decode_proc(b, n, &r->hst, rec, &r->rows, &r->rows_cap,
		    why) == 0 ? 1 : -1;
	case PMT_REC_SYS:
		if (pmt_decode_sys(b, n, &r->st, rec, &r->sys, why) != 0)
			return -1;
		r->seen.sys_records++;
		return 1;
	case PMT_REC_CLOCK: case PMT_REC_PM: case PMT_REC_MARK:
	case PMT_REC_EVENT: case PMT_REC_END:
		return rec_simple(r, type, b, n, rec, why);
	case PMT_REC_IOR_CHANNELS:
		return pmt_ior_decode_channels(b, n, &r->ior, rec, why) == 0 ? 1 : -1;
	case PMT_REC_IOR_SAMPLE:
		return pmt_ior_decode_sample(b, n, &r->st, &r->ior, rec, why) == 0 ? 1 : -1;
	case PMT_REC_CALIB:
		return pmt_calib_decode(b, n, &r->calib, rec, why) == 0 ? 1 : -1;
	}
	r->unknown++;
	return 0;
}

/* Adds the end-of-trace problems (no END, counts that differ). */
static void
finish(pmt_reader *r)
{
	const struct pmt_end *e = &r->end, *s = &r->seen;
	struct pmt_problem *p;

	if (r->finished)
		return;
	r->finished = 1;
	if (r->unknown > 0 && (p = prob_add(r, PMT_P_UNKNOWN, 0, 0, "%llu "
	    "records of unknown types were skipped (written by a newer version)",
	    (unsigned long long)r->unknown)) != NULL)
		p->count = r->unknown;
	if (!r->have_end) {
		prob_add(r, PMT_P_NO_END, r->len, r->len, "no end record: the "
		    "recording did not stop cleanly (killed, crashed, disk full) "
		    "or is still running");
		return;
	}
	if (e->proc_records != s->proc_records || e->sys_records != s->sys_records ||
	    e->pm_records != s->pm_records || e->marks != s->marks ||
	    e->events != s->events || e->batches != s->batches)
		prob_add(r, PMT_P_COUNTS, 0, r->len, "records lost: the end record "
		    "counts %llu process / %llu system / %llu powermetrics samples, "
		    "%llu marks, %llu events, %llu batches; read %llu / %llu / %llu, "
		    "%llu, %llu, %llu",
		    (unsigned long long)e->proc_records, (unsigned long long)e->sys_records,
		    (unsigned long long)e->pm_records, (unsigned long long)e->marks,
		    (unsigned long long)e->events, (unsigned long long)e->batches,
		    (unsigned long long)s->proc_records, (unsigned long long)s->sys_records,
		    (unsigned long long)s->pm_records, (unsigned long long)s->marks,
		    (unsigned long long)s->events, (unsigned long long)s->batches);
}

/* Notes that a record at time t was handed out. */
static void
rec_returned(pmt_reader *r, uint64_t t)
{
	if (r->pending >= 0) {
		r->probs[r->pending].t_after = t;
		r->pending = -1;
	}
	r->last_t = t;
	r->have_t = 1;
}

int
pmt_reader_next(pmt_reader *r, struct pmt_record *rec)
{
	for (;;) {
		const uint8_t *p, *end;
		uint64_t type, n;
		const char *why = NULL;
		int k;

		if (r->rec_pos >= r->rec_end && !batch_next(r)) {
			finish(r);
			return 0;
		}
		p = r->out.p + r->rec_pos;
		end = r->out.p + r->rec_end;
		if (pmt_get_varint(&p, end, &type) != 0 ||
		    pmt_get_varint(&p, end, &n) != 0 || n > (uint64_t)(end - p) ||
		    type > UINT32_MAX) {
			r->bad_records++;
			prob_add(r, PMT_P_BAD_RECORD, r->good_off, r->good_off,
			    "a record envelope is malformed; the rest of its batch "
			    "was skipped");
			r->rec_pos = r->rec_end;
			continue;
		}
		r->rec_pos = (size_t)(p - r->out.p) + (size_t)n;
		k = rec_decode(r, (uint32_t)type, p, (size_t)n, rec, &why);
		if (k < 0) {
			r->bad_records++;
			prob_add(r, PMT_P_BAD_RECORD, r->good_off, r->good_off,
			    "a record of type %u is malformed (%s); skipped",
			    (unsigned)type, why);
			if (type == PMT_REC_PROC || type == PMT_REC_SYS)
				pmt_state_reset(&r->st);
			if (type == PMT_REC_HELPERS)
				pmt_state_reset(&r->hst);
			continue;
		}
		if (k == 0)
			continue;
		if (rec->type != PMT_REC_HEADER)
			rec_returned(r, rec->t);
		return 1;
	}
}

/* ======================= Opening ======================= */

/* Explains a magic that is not ours: text-mode damage or another file. */
static int
open_bad_magic(const uint8_t *d, size_t len, char *err, size_t el)
{
	const char *how = NULL;

	if (len >= 7 && d[0] == 0x09 && memcmp(d + 1, "PMT\r\n", 5) == 0)
		how = "its first byte lost the high bit (a 7-bit transfer)";
	else if (len >= 7 && d[0] == 0x89 && memcmp(d + 1, "PMT\n\x1a", 5) == 0)
		how = "its CR LF bytes were turned into LF (text-mode transfer)";
	else if (len >= 7 && d[0] == 0x89 && memcmp(d + 1, "PMT\r\r\n", 6) == 0)
		how = "its LF bytes were turned into CR LF (text-mode transfer)";
	else if (len >= 8 && memcmp(d, PMT_MAGIC, 7) == 0 && d[7] == '\r')
		how = "its LF bytes were turned into CR LF (text-mode transfer)";
	else if (len >= 6 && memcmp(d, "\xef\xbf\xbdPMT", 6) == 0)
		how = "it was converted to UTF-8 text";
	if (how != NULL) {
		snprintf(err, el, "trace damaged by a text-mode transfer: %s; "
		    "copy it again in binary mode", how);
		return PMT_E_TEXTMODE;
	}
	snprintf(err, el, "not a phocus-monitor trace (no .pmtrace signature)");
	return PMT_E_NOTRACE;
}

/*
 * The file header's CRC does not match: take the sync marker from the first
 * sync frame and read on as the version this reader knows.  Returns 0, or
 * PMT_E_CORRUPT when no frame follows.
 */
static int
open_damaged_header(pmt_reader *r, char *err, size_t el)
{
	uint8_t pat[8];
	const uint8_t *hit;
	size_t off;

	pmt_put_u32(pat, PMT_SKIP_MAGIC);
	pmt_put_u32(pat + 4, 24);
	hit = memmem(r->data + 8, r->len - 8, pat, sizeof(pat));
	off = hit ? (size_t)(hit - r->data) : r->len;
	if (hit == NULL || r->len - off < PMT_SYNC_FRAME_LEN) {
		snprintf(err, el, "the file header is damaged and no frame follows");
		return PMT_E_CORRUPT;
	}
	memcpy(r->sync, hit + 8, PMT_SYNC_LEN);
	r->major = PMT_VERSION_MAJOR;
	r->pos = off;
	prob_add(r, PMT_P_DAMAGED, 0, off, "the file header is damaged "
	    "(checksum); read as format version %d.x", PMT_VERSION_MAJOR);
	return 0;
}

/*
 * Checks the file header and sets version, sync and the first frame
 * position.  Returns 0, or a PMT_E_* code with a message in err.
 */
static int
open_header(pmt_reader *r, char *err, size_t el)
{
	const uint8_t *d = r->data;
	uint32_t hl;

	if (r->len < 8 || memcmp(d, PMT_MAGIC, 8) != 0) {
		if (r->len > 0 && r->len < 8 && memcmp(d, PMT_MAGIC, r->len) == 0)
			goto short_header;
		return open_bad_magic(d, r->len, err, el);
	}
	if (r->len < PMT_FILE_HDR_LEN)
		goto short_header;
	hl = pmt_get_u32(d + 12);
	if (hl < PMT_FILE_HDR_LEN || hl > PMT_FILE_HDR_MAX || hl > r->len ||
	    pmt_get_u32(d + hl - 4) != pmt_crc32c(0, d, hl - 4))
		return open_damaged_header(r, err, el);
	r->major = pmt_get_u16(d + 8);
	r->minor = pmt_get_u16(d + 10);
	if (r->major != PMT_VERSION_MAJOR) {
		snprintf(err, el, "trace format version %u.%u is not supported by "
		    "this reader (version %d.%d)%s", r->major, r->minor,
		    PMT_VERSION_MAJOR, PMT_VERSION_MINOR, r->major > PMT_VERSION_MAJOR ?
		    ": use a newer phocus-analyze" : "");
		return PMT_E_VERSION;
	}
	memcpy(r->sync, d + 16, PMT_SYNC_LEN);
	r->pos = hl;
	return 0;
short_header:
	prob_add(r, PMT_P_TRUNCATED, 0, r->len, "the file ends inside its "
	    "%d-byte header (%zu bytes): nothing was recorded", PMT_FILE_HDR_LEN,
	    r->len);
	r->major = PMT_VERSION_MAJOR;
	r->pos = r->len;
	return 0;
}

int
pmt_reader_open_mem(pmt_reader **rp, const void *data, size_t len, char *errbuf,
    size_t errlen)
{
	char dummy[8];
	pmt_reader *r;
	int rc;

	*rp = NULL;
	if (errbuf == NULL) {
		errbuf = dummy;
		errlen = sizeof(dummy);
	}
	errbuf[0] = '\0';
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		snprintf(errbuf, errlen, "%s", pmt_strerror(PMT_E_NOMEM));
		return PMT_E_NOMEM;
	}
	r->data = data;
	r->len = len;
	r->pending = -1;
	r->dctx = ZSTD_createDCtx();
	if (r->dctx == NULL ||
	    ZSTD_isError(ZSTD_DCtx_setParameter(r->dctx, ZSTD_d_windowLogMax,
	    WINDOW_LOG_MAX))) {
		snprintf(errbuf, errlen, "%s", pmt_strerror(PMT_E_ZSTD));
		rc = PMT_E_ZSTD;
		goto fail;
	}
	if ((rc = open_header(r, errbuf, errlen)) != 0)
		goto fail;
	r->good_off = r->frame_off = r->pos;
	*rp = r;
	return 0;
fail:
	pmt_reader_close(r);
	return rc;
}

int
pmt_reader_open(pmt_reader **rp, const char *path, char *errbuf, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int e, rc;

	*rp = NULL;
	if ((e = cmn_file_read(path, CMN_FILE_NO_CAP, 0, &buf, &len)) != 0) {
		if (errbuf != NULL)
			snprintf(errbuf, errlen, "%s", strerror(-e));
		return PMT_E_IO;
	}
	if ((rc = pmt_reader_open_mem(rp, buf, len, errbuf, errlen)) != 0) {
		free(buf);
		return rc;
	}
	(*rp)->owned = buf;
	return 0;
}

/* ======================= Accessors ======================= */

const struct pmt_header *
pmt_reader_header(const pmt_reader *r)
{
	return r->have_hdr ? &r->hdr : NULL;
}

void
pmt_reader_version(const pmt_reader *r, unsigned *major, unsigned *minor)
{
	*major = r->major;
	*minor = r->minor;
}

size_t
pmt_reader_problems(const pmt_reader *r, const struct pmt_problem **list)
{
	*list = r->probs;
	return r->nprobs;
}

uint64_t
pmt_reader_more_problems(const pmt_reader *r)
{
	return r->more_probs;
}

uint64_t
pmt_reader_size(const pmt_reader *r)
{
	return r->len;
}

void
pmt_reader_stats(const pmt_reader *r, uint64_t *batches, uint64_t *frames)
{
	*batches = r->seen.batches;
	*frames = r->frames_ok;
}

void
pmt_reader_close(pmt_reader *r)
{
	if (r == NULL)
		return;
	ZSTD_freeDCtx(r->dctx);
	pmt_buf_free(&r->out);
	pmt_buf_free(&r->hdr_strings);
	pmt_state_free(&r->st);
	pmt_state_free(&r->hst);
	pmt_ior_dec_free(&r->ior);
	free(r->rows);
	free(r->owned);
	free(r);
}
