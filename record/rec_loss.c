/*
 * rec_loss.c - counts what the recorder could not read, by kind, and keeps
 * the first occurrence of each kind as a message until it is written.  It
 * writes nothing itself (rec_loop.c writes the events).
 */
#include <stdarg.h>
#include <stdio.h>

#include "rec_loss.h"

void
rec_loss_note(struct rec_losses *l, int kind, const char *fmt, ...)
{
	va_list ap;

	if (kind <= 0 || kind >= PMT_LOSS_N)
		return;
	if (l->count[kind]++ > 0)
		return;
	va_start(ap, fmt);
	vsnprintf(l->first[kind], sizeof(l->first[kind]), fmt, ap);
	va_end(ap);
	l->unsaid |= 1u << kind;
}

int
rec_loss_next(struct rec_losses *l, const char **msg)
{
	for (int k = 1; k < PMT_LOSS_N; k++)
		if (l->unsaid & (1u << k)) {
			l->unsaid &= ~(1u << k);
			*msg = l->first[k];
			return k;
		}
	return 0;
}

void
rec_loss_count_text(int kind, uint64_t count, char *buf, size_t len)
{
	static const char *const what[PMT_LOSS_N] = {
		[PMT_LOSS_PROC] = "reads of a process of the tree failed",
		[PMT_LOSS_GPU_READ] = "reads of the GPU clients failed",
		[PMT_LOSS_GPU_CAP] = "samples had more GPU clients than are read",
		[PMT_LOSS_SYSTEM] = "system samples failed",
		[PMT_LOSS_TREE_CUT] = "samples had more processes in the tree than are followed",
	};

	snprintf(buf, len, "%llu %s", (unsigned long long)count,
	    kind > 0 && kind < PMT_LOSS_N ? what[kind] : "losses of an unknown kind");
}
