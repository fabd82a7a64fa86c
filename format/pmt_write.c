/*
 * pmt_write.c - the trace writer: batches encoded records with CRC32C,
 * compresses them with zstd (flushing on a timer, one frame per few MiB or
 * minutes), and appends them to a file descriptor (FORMAT.md 1).  On a write
 * error it cuts the file back to the last flush, so what is on disk stays
 * valid.  It does not encode record bodies (pmt_encode.c) or read anything.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zstd.h>

#include "pmt_internal.h"

enum { PM_CHUNK_MAX = 4u << 20 };	/* larger powermetrics data is split */

struct pmt_writer {
	int fd;				/* the trace; not ours to close */
	ZSTD_CCtx *cctx;		/* compression context, one frame at a time */
	struct pmt_writer_opts o;	/* options, defaults filled in */
	uint8_t sync[PMT_SYNC_LEN];	/* this file's sync marker */
	struct pmt_buf batch;		/* open batch: header gap, records */
	struct pmt_buf body;		/* scratch: one record body */
	struct pmt_buf hdr;		/* HEADER record body, repeated per frame */
	struct pmt_buf ior;		/* IOReport channel table without its t, or empty */
	struct pmt_buf calib;		/* CALIB body without its t, or empty */
	struct pmt_buf out;		/* zstd output */
	struct pmt_state st;		/* delta state of this frame */
	struct pmt_state hst;		/* ... of its HELPERS records (1.1) */
	int have_hdr;			/* hdr holds the header */
	int in_frame;			/* a zstd frame is open */
	int dirty;			/* data since the last flush */
	int failed;			/* a write failed: everything refused */
	int err_no;			/* errno of that failure */
	uint32_t batch_seq;		/* next batch number */
	uint32_t frame_seq;		/* next frame number */
	uint64_t frame_in;		/* uncompressed bytes in this frame */
	uint64_t frame_t0;		/* t at the start of this frame */
	uint64_t last_flush_t;		/* t of the last flush */
	uint64_t last_t;		/* latest t seen */
	uint64_t bytes;			/* bytes written to fd */
	uint64_t flushed;		/* bytes up to the last complete flush */
	struct pmt_end counts;		/* what END will say */
};

/* ======================= Output ======================= */

/* Cuts the file back to the last flush after a failed write; marks failure. */
static int
out_fail(pmt_writer *w, int err)
{
	w->failed = 1;
	w->err_no = err;
	if (ftruncate(w->fd, (off_t)w->flushed) == 0)
		(void)lseek(w->fd, (off_t)w->flushed, SEEK_SET);
	if (err == ENOSPC || err == EFBIG || err == EDQUOT)
		return PMT_E_NOSPC;
	return PMT_E_IO;
}

/* Writes all n bytes of p to the trace.  Returns 0 or a PMT_E_* code. */
static int
out_write(pmt_writer *w, const void *p, size_t n)
{
	const uint8_t *q = p;

	while (n > 0) {
		ssize_t k = write(w->fd, q, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return out_fail(w, k < 0 ? errno : ENOSPC);
		q += k;
		n -= (size_t)k;
		w->bytes += (uint64_t)k;
	}
	return 0;
}

/*
 * Feeds n bytes to zstd with directive mode and writes what comes out; for
 * flush and end, until zstd has nothing left.  Returns 0 or PMT_E_*.
 */
static int
out_compress(pmt_writer *w, const void *p, size_t n, ZSTD_EndDirective mode)
{
	ZSTD_inBuffer in = { p, n, 0 };
	size_t left;
	int rc;

	do {
		ZSTD_outBuffer o = { w->out.p, w->out.cap, 0 };
		left = ZSTD_compressStream2(w->cctx, &o, &in, mode);
		if (ZSTD_isError(left)) {
			w->failed = 1;
			return PMT_E_ZSTD;
		}
		if (o.pos > 0 && (rc = out_write(w, w->out.p, o.pos)) != 0)
			return rc;
	} while (in.pos < in.size || (mode != ZSTD_e_continue && left != 0));
	w->frame_in += n;
	return 0;
}

/* ======================= Batches and frames ======================= */

/* Compresses the open batch, if it holds records.  Returns 0 or PMT_E_*. */
static int
batch_close(pmt_writer *w)
{
	uint8_t *h = w->batch.p;
	size_t payload = w->batch.len - PMT_BATCH_HDR_LEN;
	int rc;

	if (payload == 0)
		return 0;
	memcpy(h, PMT_BATCH_MAGIC, 4);
	pmt_put_u32(h + 4, w->batch_seq);
	pmt_put_u32(h + 8, (uint32_t)payload);
	pmt_put_u32(h + 12, pmt_crc32c(0, h + PMT_BATCH_HDR_LEN, payload));
	rc = out_compress(w, h, w->batch.len, ZSTD_e_continue);
	w->batch.len = PMT_BATCH_HDR_LEN;
	w->batch_seq++;
	w->counts.batches++;
	return rc;
}

/* Appends one record (envelope + w->body) to the open batch. */
static int
batch_add(pmt_writer *w, uint32_t type, const struct pmt_buf *body)
{
	uint8_t env[20];
	size_t el = pmt_put_varint(env, type);
	int rc;

	el += pmt_put_varint(env + el, body->len);
	if (body->len + el > PMT_RECORD_MAX)
		return PMT_E_TOOBIG;
	if (w->batch.len > PMT_BATCH_HDR_LEN &&
	    w->batch.len + el + body->len > PMT_BATCH_SOFT + PMT_BATCH_HDR_LEN &&
	    (rc = batch_close(w)) != 0)
		return rc;
	if ((rc = pmt_buf_reserve(&w->batch, el + body->len)) != 0)
		return rc;
	memcpy(w->batch.p + w->batch.len, env, el);
	if (body->len > 0)
		memcpy(w->batch.p + w->batch.len + el, body->p, body->len);
	w->batch.len += el + body->len;
	w->dirty = 1;
	return 0;
}

/* Appends a kept record body (without its t) as a record of type at time t. */
static int
kept_add(pmt_writer *w, uint32_t type, const struct pmt_buf *kept, uint64_t t)
{
	int rc;

	w->body.len = 0;
	if ((rc = pmt_buf_reserve(&w->body, 10 + kept->len)) != 0)
		return rc;
	w->body.len = pmt_put_varint(w->body.p, t);
	memcpy(w->body.p + w->body.len, kept->p, kept->len);
	w->body.len += kept->len;
	return batch_add(w, type, &w->body);
}

/* Appends the kept IOReport channel table as a record at time t. */
static int
ior_table_add(pmt_writer *w, uint64_t t)
{
	return kept_add(w, PMT_REC_IOR_CHANNELS, &w->ior, t);
}

/*
 * Writes a sync frame and opens a zstd frame that starts with the header
 * (and the IOReport channel table, when there is one).
 */
static int
frame_begin(pmt_writer *w, uint64_t t)
{
	uint8_t s[PMT_SYNC_FRAME_LEN];
	int rc;

	pmt_put_u32(s, PMT_SKIP_MAGIC);
	pmt_put_u32(s + 4, 24);
	memcpy(s + 8, w->sync, PMT_SYNC_LEN);
	pmt_put_u32(s + 24, w->frame_seq);
	pmt_put_u32(s + 28, pmt_crc32c(0, s + 8, 20));
	if ((rc = out_write(w, s, sizeof(s))) != 0)
		return rc;
	ZSTD_CCtx_reset(w->cctx, ZSTD_reset_session_only);
	w->frame_seq++;
	w->counts.frames++;
	w->in_frame = 1;
	w->frame_in = 0;
	w->frame_t0 = t;
	w->st.fresh = 1;
	w->st.have_sys = 0;
	w->st.have_ior = 0;
	w->hst.fresh = 1;
	if (w->have_hdr && (rc = batch_add(w, PMT_REC_HEADER, &w->hdr)) != 0)
		return rc;
	if (w->calib.len > 0 && (rc = kept_add(w, PMT_REC_CALIB, &w->calib, t)) != 0)
		return rc;
	return w->ior.len > 0 ? ior_table_add(w, t) : 0;
}

/* Ends the open zstd frame and makes it durable. */
static int
frame_end(pmt_writer *w)
{
	int rc;

	if (!w->in_frame)
		return 0;
	if ((rc = batch_close(w)) != 0)
		return rc;
	if ((rc = out_compress(w, NULL, 0, ZSTD_e_end)) != 0)
		return rc;
	w->in_frame = 0;
	w->dirty = 0;
	w->flushed = w->bytes;
	(void)fsync(w->fd);
	return 0;
}

/* Opens a frame if none is open and refuses work after a failure. */
static int
frame_ensure(pmt_writer *w, uint64_t t)
{
	if (w->failed)
		return PMT_E_STATE;
	if (t > w->last_t)
		w->last_t = t;
	return w->in_frame ? 0 : frame_begin(w, t);
}

/* ======================= Opening ======================= */

/* A pseudo-random sync marker: splitmix64 over time, pid and an address. */
static void
sync_make(uint8_t *out)
{
	struct timespec ts;
	uint64_t x;

	clock_gettime(CLOCK_REALTIME, &ts);
	x = (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec ^
	    ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)out;
	for (int i = 0; i < PMT_SYNC_LEN; i += 8) {
		uint64_t z = (x += 0x9E3779B97F4A7C15ull);
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
		z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
		z ^= z >> 31;
		for (int k = 0; k < 8; k++)
			out[i + k] = (uint8_t)(z >> (8 * k));
	}
}

/*
 * Sets the compression parameters.  A level given by the caller is used as
 * zstd defines it.  The default was chosen by measurement (FORMAT.md 5): the
 * memory of level 3 (2 MiB window, hash 2^17, chain 2^16) with the lazy2
 * strategy and search log 4, which compresses the small blocks that the
 * per-second flushes make much better than level 3's dfast, at a CPU cost
 * that does not matter at one flush a second.  Returns 0 or -1.
 */
static int
writer_zstd_params(ZSTD_CCtx *c, int level)
{
	const struct { ZSTD_cParameter p; int v; } tuned[] = {
		{ ZSTD_c_compressionLevel, PMT_DEFAULT_LEVEL },
		{ ZSTD_c_strategy, ZSTD_lazy2 }, { ZSTD_c_searchLog, 4 },
		{ ZSTD_c_hashLog, 17 }, { ZSTD_c_chainLog, 16 },
	};

	if (ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1)))
		return -1;
	if (level != 0) {
		if (ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level)))
			return -1;
	} else {
		for (size_t i = 0; i < sizeof(tuned) / sizeof(tuned[0]); i++)
			if (ZSTD_isError(ZSTD_CCtx_setParameter(c, tuned[i].p, tuned[i].v)))
				return -1;
	}
	return ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog,
	    PMT_WINDOW_LOG)) ? -1 : 0;
}

/* Fills defaults into w->o and sets up zstd.  Returns 0 or PMT_E_*. */
static int
writer_setup(pmt_writer *w, const struct pmt_writer_opts *opts)
{
	if (opts != NULL)
		w->o = *opts;
	if (w->o.flush_ns == 0)
		w->o.flush_ns = PMT_DEFAULT_FLUSH_NS;
	if (w->o.frame_max_bytes == 0)
		w->o.frame_max_bytes = PMT_DEFAULT_FRAME_BYTES;
	if (w->o.frame_max_ns == 0)
		w->o.frame_max_ns = PMT_DEFAULT_FRAME_NS;
	if (w->o.sync != NULL)
		memcpy(w->sync, w->o.sync, PMT_SYNC_LEN);
	else
		sync_make(w->sync);
	w->o.sync = NULL;
	w->cctx = ZSTD_createCCtx();
	if (w->cctx == NULL)
		return PMT_E_NOMEM;
	if (writer_zstd_params(w->cctx, opts != NULL ? opts->level : 0) != 0)
		return PMT_E_ZSTD;
	if (pmt_buf_reserve(&w->out, ZSTD_CStreamOutSize()) != 0 ||
	    pmt_buf_reserve(&w->batch, PMT_BATCH_SOFT + 4096) != 0)
		return PMT_E_NOMEM;
	w->batch.len = PMT_BATCH_HDR_LEN;
	return 0;
}

/* Writes the 40-byte file header. */
static int
writer_file_header(pmt_writer *w)
{
	uint8_t h[PMT_FILE_HDR_LEN];

	memcpy(h, PMT_MAGIC, 8);
	pmt_put_u16(h + 8, PMT_VERSION_MAJOR);
	pmt_put_u16(h + 10, PMT_VERSION_MINOR);
	pmt_put_u32(h + 12, PMT_FILE_HDR_LEN);
	memcpy(h + 16, w->sync, PMT_SYNC_LEN);
	pmt_put_u32(h + 32, 0);
	pmt_put_u32(h + 36, pmt_crc32c(0, h, 36));
	return out_write(w, h, sizeof(h));
}

int
pmt_writer_open(pmt_writer **wp, int fd, const struct pmt_writer_opts *opts)
{
	pmt_writer *w;
	int rc;

	*wp = NULL;
	if (fd < 0)
		return PMT_E_ARG;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return PMT_E_NOMEM;
	w->fd = fd;
	if ((rc = writer_setup(w, opts)) != 0 ||
	    (rc = writer_file_header(w)) != 0)
		goto fail;
	w->flushed = w->bytes;
	*wp = w;
	return 0;
fail:
	pmt_writer_abort(w);
	return rc;
}

/* ======================= Records ======================= */

int
pmt_write_header(pmt_writer *w, const struct pmt_header *h)
{
	struct pmt_header c = *h;
	int rc;

	if (w->failed || w->have_hdr)
		return PMT_E_STATE;
	c.flush_ns = w->o.flush_ns;
	c.frame_max_bytes = w->o.frame_max_bytes;
	c.frame_max_ns = w->o.frame_max_ns;
	if ((rc = pmt_encode_header(&w->hdr, &c)) != 0)
		return rc;
	if ((rc = frame_ensure(w, 0)) != 0)
		return rc;
	w->have_hdr = 1;
	return batch_add(w, PMT_REC_HEADER, &w->hdr);
}

int
pmt_write_clock(pmt_writer *w, uint64_t t, uint64_t wall_ns, int64_t off)
{
	uint64_t v[3] = { t, wall_ns, (uint64_t)off };
	int rc;

	if ((rc = frame_ensure(w, t)) != 0 ||
	    (rc = pmt_encode_fields(&w->body, "uus", v, NULL, 0)) != 0)
		return rc;
	return batch_add(w, PMT_REC_CLOCK, &w->body);
}

int
pmt_write_proc(pmt_writer *w, uint64_t t, const struct pmt_proc *rows, size_t n)
{
	int rc;

	if ((rc = frame_ensure(w, t)) != 0 ||
	    (rc = pmt_encode_proc(&w->body, &w->st, t, rows, n)) != 0 ||
	    (rc = batch_add(w, PMT_REC_PROC, &w->body)) != 0)
		return rc;
	w->counts.proc_records++;
	w->counts.proc_rows += n;
	return 0;
}

/* HELPERS: PROC-encoded against the previous HELPERS record (1.1). */
int
pmt_write_helpers(pmt_writer *w, uint64_t t, const struct pmt_proc *rows, size_t n)
{
	int rc;

	if ((rc = frame_ensure(w, t)) != 0 ||
	    (rc = pmt_encode_proc(&w->body, &w->hst, t, rows, n)) != 0)
		return rc;
	return batch_add(w, PMT_REC_HELPERS, &w->body);
}

int
pmt_write_sys(pmt_writer *w, uint64_t t, const struct pmt_sys *s)
{
	int rc;

	if ((rc = frame_ensure(w, t)) != 0 ||
	    (rc = pmt_encode_sys(&w->body, &w->st, t, s)) != 0 ||
	    (rc = batch_add(w, PMT_REC_SYS, &w->body)) != 0)
		return rc;
	w->counts.sys_records++;
	return 0;
}

int
pmt_write_pm(pmt_writer *w, uint64_t t, uint32_t flags, const void *data, size_t len)
{
	const uint8_t *p = data;
	int rc;

	do {
		size_t n = len > PM_CHUNK_MAX ? PM_CHUNK_MAX : len;
		uint64_t v[2] = { t, flags | (len > n ? PMT_PM_PARTIAL : 0) };

		if ((rc = frame_ensure(w, t)) != 0 ||
		    (rc = pmt_encode_fields(&w->body, "uu", v, p, n)) != 0 ||
		    (rc = batch_add(w, PMT_REC_PM, &w->body)) != 0)
			return rc;
		w->counts.pm_records++;
		w->counts.pm_bytes += n;
		p += n;
		len -= n;
	} while (len > 0);
	return 0;
}

int
pmt_write_ior_channels(pmt_writer *w, uint64_t t, const struct pmt_ior_channel *ch,
    size_t n)
{
	struct pmt_buf enc = { 0 };
	int rc;

	if (w->failed)
		return PMT_E_STATE;
	if ((rc = pmt_ior_encode_channels(&enc, ch, n)) != 0) {
		pmt_buf_free(&enc);
		return rc;
	}
	if ((rc = frame_ensure(w, t)) != 0) {
		pmt_buf_free(&enc);
		return rc;
	}
	pmt_buf_free(&w->ior);
	w->ior = enc;
	w->st.have_ior = 0;		/* samples start over against the new table */
	return ior_table_add(w, t);
}

int
pmt_write_ior_sample(pmt_writer *w, uint64_t t, const struct pmt_ior_sample *smp)
{
	int rc;

	if ((rc = frame_ensure(w, t)) != 0 ||
	    (rc = pmt_ior_encode_sample(&w->body, &w->st, t, smp)) != 0)
		return rc;
	return batch_add(w, PMT_REC_IOR_SAMPLE, &w->body);
}

int
pmt_write_calib(pmt_writer *w, uint64_t t, const struct pmt_calib *c)
{
	struct pmt_buf enc = { 0 };
	int rc;

	if (w->failed)
		return PMT_E_STATE;
	if (c == NULL)
		return PMT_E_ARG;
	if ((rc = pmt_calib_encode(&enc, c)) != 0 || (rc = frame_ensure(w, t)) != 0) {
		pmt_buf_free(&enc);
		return rc;
	}
	pmt_buf_free(&w->calib);
	w->calib = enc;
	if ((rc = kept_add(w, PMT_REC_CALIB, &w->calib, t)) != 0)
		return rc;
	return pmt_writer_flush(w);
}

int
pmt_write_mark(pmt_writer *w, uint64_t t, uint64_t number, const char *label, size_t len)
{
	uint64_t v[2] = { t, number };
	int rc;

	if ((rc = frame_ensure(w, t)) != 0 ||
	    (rc = pmt_encode_fields(&w->body, "uu", v, label, len)) != 0 ||
	    (rc = batch_add(w, PMT_REC_MARK, &w->body)) != 0)
		return rc;
	w->counts.marks++;
	return pmt_writer_flush(w);
}

int
pmt_write_event(pmt_writer *w, uint64_t t, uint32_t kind, int64_t value, const char *msg)
{
	uint64_t v[3] = { t, kind, (uint64_t)value };
	int rc;

	if ((rc = frame_ensure(w, t)) != 0 ||
	    (rc = pmt_encode_fields(&w->body, "uus", v, msg,
	    msg ? strlen(msg) : 0)) != 0 ||
	    (rc = batch_add(w, PMT_REC_EVENT, &w->body)) != 0)
		return rc;
	w->counts.events++;
	return pmt_writer_flush(w);
}

/* ======================= Flushing and closing ======================= */

int
pmt_writer_flush(pmt_writer *w)
{
	int rc;

	if (w->failed)
		return PMT_E_STATE;
	w->last_flush_t = w->last_t;
	if (!w->in_frame || !w->dirty)
		return 0;
	if ((rc = batch_close(w)) != 0 ||
	    (rc = out_compress(w, NULL, 0, ZSTD_e_flush)) != 0)
		return rc;
	w->dirty = 0;
	w->flushed = w->bytes;
	return 0;
}

int
pmt_writer_tick(pmt_writer *w, uint64_t t, uint64_t wall_ns, int64_t off)
{
	int rc;

	if (w->failed)
		return PMT_E_STATE;
	if (t > w->last_t)
		w->last_t = t;
	if (w->in_frame && (w->frame_in >= w->o.frame_max_bytes ||
	    t - w->frame_t0 >= w->o.frame_max_ns)) {
		if ((rc = frame_end(w)) != 0 || (rc = frame_begin(w, t)) != 0 ||
		    (rc = pmt_write_clock(w, t, wall_ns, off)) != 0)
			return rc;
		return pmt_writer_flush(w);
	}
	if (w->dirty && t - w->last_flush_t >= w->o.flush_ns)
		return pmt_writer_flush(w);
	return 0;
}

/*
 * Appends the END record to the open batch (closing it first only if END
 * would not fit under the batch's soft limit), so the batch count it holds
 * is exact: the batches closed so far plus the one END is in.
 */
static int
writer_end_record(pmt_writer *w, uint64_t t, uint32_t reason)
{
	const struct pmt_end *c = &w->counts;
	uint64_t v[11];
	int rc;

	if ((rc = frame_ensure(w, t)) != 0)
		return rc;
	if (w->batch.len + 128 > PMT_BATCH_SOFT + PMT_BATCH_HDR_LEN &&
	    (rc = batch_close(w)) != 0)
		return rc;
	w->counts.reason = reason;
	v[0] = t;
	v[1] = reason;
	v[2] = c->proc_records;
	v[3] = c->proc_rows;
	v[4] = c->sys_records;
	v[5] = c->pm_records;
	v[6] = c->pm_bytes;
	v[7] = c->marks;
	v[8] = c->events;
	v[9] = c->batches + 1;		/* this record's batch included */
	v[10] = c->frames;
	if ((rc = pmt_encode_fields(&w->body, "uuuuuuuuuuu", v, NULL, 0)) != 0)
		return rc;
	return batch_add(w, PMT_REC_END, &w->body);
}

int
pmt_writer_close(pmt_writer *w, uint64_t t, uint32_t reason)
{
	int rc = PMT_E_STATE;

	if (!w->failed && (rc = writer_end_record(w, t, reason)) == 0)
		rc = frame_end(w);
	pmt_writer_abort(w);
	return rc;
}

void
pmt_writer_abort(pmt_writer *w)
{
	if (w == NULL)
		return;
	ZSTD_freeCCtx(w->cctx);
	pmt_buf_free(&w->batch);
	pmt_buf_free(&w->body);
	pmt_buf_free(&w->hdr);
	pmt_buf_free(&w->ior);
	pmt_buf_free(&w->calib);
	pmt_buf_free(&w->out);
	pmt_state_free(&w->st);
	pmt_state_free(&w->hst);
	free(w);
}

uint64_t
pmt_writer_bytes(const pmt_writer *w)
{
	return w->bytes;
}

uint64_t
pmt_writer_flushed_bytes(const pmt_writer *w)
{
	return w->flushed;
}

int
pmt_writer_errno(const pmt_writer *w)
{
	return w->err_no;
}

const struct pmt_end *
pmt_writer_counts(const pmt_writer *w)
{
	return &w->counts;
}
