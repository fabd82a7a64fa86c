/*
 * pmt_codec.c - small pieces the rest of the format library stands on:
 * CRC32C, the growable buffer, error strings, tick conversion, header
 * defaults, and the powermetrics stream splitter.  No file I/O, no zstd.
 */
#include <stdlib.h>
#include <string.h>

#include "cmn_array.h"
#include "pmt_internal.h"

/* ======================= CRC32C (slicing by 8) ======================= */

static uint32_t crc_table[8][256];
static int crc_ready;

/* Fills the slicing-by-8 tables for the Castagnoli polynomial (reflected). */
static void
crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1)));
		crc_table[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			crc_table[t][i] = (crc_table[t - 1][i] >> 8) ^
			    crc_table[0][crc_table[t - 1][i] & 0xff];
	crc_ready = 1;
}

uint32_t
pmt_crc32c(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (!crc_ready)
		crc_init();
	crc = ~crc;
	while (len >= 8) {
		uint32_t lo = crc ^ pmt_get_u32(p);
		uint32_t hi = pmt_get_u32(p + 4);
		crc = crc_table[7][lo & 0xff] ^ crc_table[6][(lo >> 8) & 0xff] ^
		    crc_table[5][(lo >> 16) & 0xff] ^ crc_table[4][lo >> 24] ^
		    crc_table[3][hi & 0xff] ^ crc_table[2][(hi >> 8) & 0xff] ^
		    crc_table[1][(hi >> 16) & 0xff] ^ crc_table[0][hi >> 24];
		p += 8;
		len -= 8;
	}
	while (len-- > 0)
		crc = (crc >> 8) ^ crc_table[0][(crc ^ *p++) & 0xff];
	return ~crc;
}

/* ======================= Buffer ======================= */

/* Makes room for extra more bytes.  Returns 0 or PMT_E_NOMEM/PMT_E_TOOBIG. */
int
pmt_buf_reserve(struct pmt_buf *b, size_t extra)
{
	if (extra > SIZE_MAX / 2 - b->len)
		return PMT_E_TOOBIG;
	return cmn_array_grow((void **)&b->p, &b->cap, b->len + extra, 1) == 0 ?
	    0 : PMT_E_NOMEM;
}

void
pmt_buf_free(struct pmt_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* ======================= Errors, conversions, defaults ======================= */

const char *
pmt_strerror(int err)
{
	switch (err) {
	case PMT_OK: return "no error";
	case PMT_E_IO: return "input/output error";
	case PMT_E_NOMEM: return "out of memory";
	case PMT_E_NOTRACE: return "not a phocus-monitor trace";
	case PMT_E_TEXTMODE: return "trace damaged by a text-mode transfer";
	case PMT_E_VERSION: return "unsupported trace format version";
	case PMT_E_CORRUPT: return "trace data is damaged";
	case PMT_E_TOOBIG: return "record too large for the trace format";
	case PMT_E_ZSTD: return "zstd compression failed";
	case PMT_E_STATE: return "trace writer is closed or has failed";
	case PMT_E_ARG: return "invalid argument";
	case PMT_E_NOSPC: return "no space left on device or file too large";
	}
	return "unknown error";
}

uint64_t
pmt_ticks_to_ns(uint64_t ticks, uint64_t num, uint64_t den)
{
	if (den == 0)
		return 0;
	return ticks / den * num + ticks % den * num / den;
}

void
pmt_header_init(struct pmt_header *h)
{
	memset(h, 0, sizeof(*h));
	h->cores_p = h->cores_e = h->cpus_logical = -1;
	h->gpu_cores = h->ane_cores = h->target_pid = -1;
	h->os_compat = h->io_children = -1;
}

/* ======================= powermetrics stream splitting ======================= */

static const char pm_hdr1[] = "*** Sampled system activity";
static const char pm_hdr2[] = "*** Summary system activity";

/*
 * Whether a text sample header starts at p (n bytes to the end of the
 * buffer): 1 yes, 0 no, -1 cannot tell yet (the line is not complete).  A
 * header is a whole line "*** Sampled system activity ... ***" (or
 * "Summary"); requiring the closing "***" keeps a task list line of a
 * process named "*** Sampled system activity" from cutting a sample.
 */
static int
pm_is_header(const uint8_t *p, size_t n)
{
	size_t l = sizeof(pm_hdr1) - 1, e;
	const uint8_t *nl;

	if (n < l)
		return memcmp(p, pm_hdr1, n) == 0 || memcmp(p, pm_hdr2, n) == 0 ? -1 : 0;
	if (memcmp(p, pm_hdr1, l) != 0 && memcmp(p, pm_hdr2, l) != 0)
		return 0;
	if ((nl = memchr(p + l, '\n', n - l)) == NULL)
		return -1;
	e = (size_t)(nl - p);
	while (e > l && (p[e - 1] == '\r' || p[e - 1] == ' ' || p[e - 1] == '\t'))
		e--;
	return e >= l + 3 && memcmp(p + e - 3, "***", 3) == 0;
}

/*
 * Returns the offset of the first line at or after from that is a sample
 * header, or len if there is none yet.  *unsure is set when the buffer ends
 * in a line that may still become one.
 */
static size_t
pm_find_header(const uint8_t *buf, size_t len, size_t from, int *unsure)
{
	*unsure = 0;
	if (from == 0) {
		int h = pm_is_header(buf, len);
		if (h != 0) {
			*unsure = h < 0;
			return h > 0 ? 0 : len;
		}
	}
	while (from < len) {
		const uint8_t *nl = memchr(buf + from, '*', len - from);
		int h;
		if (nl == NULL)
			break;
		from = (size_t)(nl - buf);
		if (from > 0 && buf[from - 1] == '\n' &&
		    (h = pm_is_header(buf + from, len - from)) != 0) {
			*unsure = h < 0;
			return h > 0 ? from : len;
		}
		from++;
	}
	return len;
}

/* A byte that may separate powermetrics samples: NUL or white space. */
static int
pm_is_sep(uint8_t c)
{
	return c == 0 || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * One plist unit: the separators before it, the plist up to its closing
 * "</plist>", and the white space after that.  With -f plist powermetrics
 * writes a NUL *before* every sample after the first and none after the
 * last (the M1 Pro capture in tests/data/powermetrics: 4 NULs for 5
 * plists, each directly followed by "<?xml"; cubestat
 * cubestat/platforms/macos.py: "powermetrics injects 0x00 right before the
 * measurement event"), so a NUL starts the next sample and never ends one:
 * a sample is complete as soon as its "</plist>" arrived.  A NUL before
 * that closing tag ends a sample that was cut short, so one broken sample
 * never swallows the next.  XML escapes '<' in text, so "</plist>" cannot
 * occur inside a plist.
 */
static size_t
pm_split_plist(const uint8_t *buf, size_t len, size_t i, int at_eof)
{
	static const char close_tag[] = "</plist>";
	const size_t cl = sizeof(close_tag) - 1;
	const uint8_t *nul = memchr(buf + i, 0, len - i);
	size_t stop = nul != NULL ? (size_t)(nul - buf) : len;
	const uint8_t *end = memmem(buf + i, stop - i, close_tag, cl);

	if (end != NULL) {
		size_t e = (size_t)(end - buf) + cl;
		while (e < len && buf[e] != 0 && pm_is_sep(buf[e]))
			e++;
		return e;
	}
	if (nul != NULL)
		return stop;		/* cut short: the next sample began */
	return at_eof ? len : 0;
}

int
pmt_pm_blank(const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!pm_is_sep(buf[i]))
			return 0;
	return 1;
}

size_t
pmt_pm_split(const uint8_t *buf, size_t len, int at_eof, int *is_preamble)
{
	size_t i = 0, next;
	int unsure, h;

	*is_preamble = 0;
	if (len == 0)
		return 0;
	while (i < len && pm_is_sep(buf[i]))
		i++;
	if (i == len)		/* only separators so far */
		return at_eof ? len : 0;
	if (buf[i] == '<')
		return pm_split_plist(buf, len, i, at_eof);
	h = pm_is_header(buf, len);
	if (h < 0)
		return at_eof ? len : 0;
	if (h > 0) {
		next = pm_find_header(buf, len, 1, &unsure);
		if (next < len)
			return next;
		return at_eof ? len : 0;
	}
	next = pm_find_header(buf, len, 0, &unsure);
	if (next < len || at_eof) {
		*is_preamble = 1;
		return next;
	}
	return 0;
}

/* ======================= Delta state ======================= */

/* Makes room for n processes in both state arrays.  Returns 0 or PMT_E_NOMEM. */
int
pmt_state_reserve(struct pmt_state *s, size_t n)
{
	struct pmt_pstate *a, *b;
	size_t *o, cap;

	if (n <= s->cap)
		return 0;
	cap = s->cap ? s->cap : 16;
	while (cap < n)
		cap *= 2;
	if (cap > SIZE_MAX / sizeof(*a))
		return PMT_E_NOMEM;
	a = realloc(s->procs, cap * sizeof(*a));
	if (a == NULL)
		return PMT_E_NOMEM;
	s->procs = a;
	b = realloc(s->next, cap * sizeof(*b));
	if (b == NULL)
		return PMT_E_NOMEM;
	s->next = b;
	o = realloc(s->order, cap * sizeof(*o));
	if (o == NULL)
		return PMT_E_NOMEM;
	s->order = o;
	s->cap = cap;
	return 0;
}

/* Forgets the previous samples (start of a frame, or after damage). */
void
pmt_state_reset(struct pmt_state *s)
{
	s->nprocs = 0;
	s->have_sys = 0;
	s->have_ior = 0;
	s->fresh = 0;
}

void
pmt_state_free(struct pmt_state *s)
{
	free(s->procs);
	free(s->next);
	free(s->order);
	free(s->ticks);
	free(s->ior);
	memset(s, 0, sizeof(*s));
}
