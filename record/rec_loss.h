/*
 * rec_loss.h - what the recorder could not read (issue 11 item 7): each
 * kind of loss counted, and its first occurrence kept as a message until it
 * is written (EVENT LOSS); the counts go in EVENT LOSS_COUNT at the end.
 */
#ifndef REC_LOSS_H
#define REC_LOSS_H

#include <stdint.h>

#include "pmtrace.h"

struct rec_losses {
	uint64_t count[PMT_LOSS_N];	/* occurrences of each enum pmt_loss */
	char first[PMT_LOSS_N][200];	/* what the first one was */
	uint32_t unsaid;		/* bit k: kind k's first message not yet taken */
};

/* Counts one loss of kind (enum pmt_loss); the first one's message is fmt. */
void rec_loss_note(struct rec_losses *l, int kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Takes the first message of a kind not yet taken: returns the kind and
 * points *msg at the message, or returns 0 when none is left.
 */
int rec_loss_next(struct rec_losses *l, const char **msg);

/* The words for kind's count at the end ("3 processes of the tree ..."). */
void rec_loss_count_text(int kind, uint64_t count, char *buf, size_t len);

#endif /* REC_LOSS_H */
