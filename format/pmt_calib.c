/*
 * pmt_calib.c - encodes and decodes the CALIB record (FORMAT.md 2.3): the
 * raw numbers of the units check a recording makes at its start, as a list
 * of TLVs after the time.  It does not judge them (common/cmn_calib.c does,
 * for both programs) and knows nothing of batches, zstd or files.
 */
#include <string.h>

#include "pmt_internal.h"

/* Appends one TLV whose value is the varint v. */
static int
calib_put_num(struct pmt_buf *b, unsigned tag, uint64_t v)
{
	uint8_t tmp[10];
	size_t n = pmt_put_varint(tmp, v);
	int rc;

	if ((rc = pmt_buf_reserve(b, 2 + 10 + n)) != 0)
		return rc;
	b->len += pmt_put_varint(b->p + b->len, tag);
	b->len += pmt_put_varint(b->p + b->len, n);
	memcpy(b->p + b->len, tmp, n);
	b->len += n;
	return 0;
}

int
pmt_calib_encode(struct pmt_buf *out, const struct pmt_calib *c)
{
	size_t n = c->note != NULL ? c->note_len : 0;
	int rc = 0;

	out->len = 0;
	for (unsigned f = 1; rc == 0 && f < PMT_C_N; f++)
		if (f != PMT_C_NOTE && (c->have & PMT_HAVE(f)))
			rc = calib_put_num(out, f, c->v[f]);
	if (rc != 0 || n == 0)
		return rc;
	if (n > PMT_CALIB_NOTE_MAX)
		n = PMT_CALIB_NOTE_MAX;
	if ((rc = pmt_buf_reserve(out, 2 + 10 + n)) != 0)
		return rc;
	out->len += pmt_put_varint(out->p + out->len, PMT_C_NOTE);
	out->len += pmt_put_varint(out->p + out->len, n);
	memcpy(out->p + out->len, c->note, n);
	out->len += n;
	return 0;
}

int
pmt_calib_decode(const uint8_t *body, size_t len, struct pmt_calib *c,
    struct pmt_record *rec, const char **why)
{
	const uint8_t *p = body, *end = body + len;
	uint64_t t, tag, n;

	memset(c, 0, sizeof(*c));
	if (pmt_get_varint(&p, end, &t) != 0) {
		*why = "units check (CALIB) without its time";
		return -1;
	}
	while (p < end) {
		const uint8_t *v;
		if (pmt_get_varint(&p, end, &tag) != 0 ||
		    pmt_get_varint(&p, end, &n) != 0 || n > (uint64_t)(end - p)) {
			*why = "units check (CALIB) field runs past the record";
			return -1;
		}
		v = p;
		p += n;
		if (tag == PMT_C_NOTE) {
			c->note = (const char *)v;
			c->note_len = n > PMT_CALIB_NOTE_MAX ? PMT_CALIB_NOTE_MAX : (size_t)n;
		} else if (tag >= 1 && tag < PMT_C_N) {
			if (pmt_get_varint(&v, p, &c->v[tag]) != 0 || v != p) {
				*why = "units check (CALIB) number is malformed";
				return -1;
			}
			c->have |= PMT_HAVE(tag);
		}		/* a newer tag: skipped */
	}
	rec->t = t;
	rec->u.calib = c;
	return 0;
}
