/*
 * fuzz_reader.c - libFuzzer target for the trace reader: any bytes must
 * open or be refused cleanly, and every record handed out must be readable
 * within its stated bounds.  Built by `make fuzz` with clang.
 */
#include <stddef.h>
#include <stdint.h>

#include "pmtrace.h"

static volatile uint64_t sink;

/* Touches every byte the reader hands out, so ASan sees bad bounds. */
static void
touch(const struct pmt_record *r)
{
	uint64_t s = r->t;

	switch (r->type) {
	case PMT_REC_PROC:
		for (size_t i = 0; i < r->u.proc.n; i++) {
			const struct pmt_proc *p = &r->u.proc.rows[i];
			for (int f = 0; f < PMT_F_NAME; f++)
				s += p->v[f];
			for (size_t k = 0; k < p->name_len; k++)
				s += (uint8_t)p->name[k];
		}
		break;
	case PMT_REC_SYS:
		for (size_t i = 0; i < (size_t)r->u.sys->ncpu * r->u.sys->nstates; i++)
			s += r->u.sys->ticks[i];
		break;
	case PMT_REC_PM:
		for (size_t i = 0; i < r->u.pm.len; i++)
			s += r->u.pm.data[i];
		break;
	case PMT_REC_MARK:
		for (size_t i = 0; i < r->u.mark.len; i++)
			s += (uint8_t)r->u.mark.label[i];
		break;
	case PMT_REC_EVENT:
		for (size_t i = 0; i < r->u.event.len; i++)
			s += (uint8_t)r->u.event.msg[i];
		break;
	case PMT_REC_HEADER:
		for (const char *c = r->u.header->host; c && *c; c++)
			s += (uint8_t)*c;
		for (const char *c = r->u.header->core_levels; c && *c; c++)
			s += (uint8_t)*c;
		break;
	case PMT_REC_CALIB:
		for (int f = 0; f < PMT_C_N; f++)
			s += r->u.calib->v[f];
		for (size_t i = 0; i < r->u.calib->note_len; i++)
			s += (uint8_t)r->u.calib->note[i];
		break;
	}
	sink += s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	pmt_reader *r;
	struct pmt_record rec;
	const struct pmt_problem *p;
	char err[256];
	size_t n;

	if (pmt_reader_open_mem(&r, data, len, err, sizeof(err)) != 0)
		return 0;
	while (pmt_reader_next(r, &rec) == 1)
		touch(&rec);
	n = pmt_reader_problems(r, &p);
	for (size_t i = 0; i < n; i++)
		sink += (uint64_t)p[i].msg[0];
	pmt_reader_close(r);
	return 0;
}
