/*
 * rec_marks.h - marks typed by the user while recording.
 */
#ifndef REC_MARKS_H
#define REC_MARKS_H

#include <stddef.h>
#include <stdint.h>

enum { REC_MARK_MAX = 1024 };	/* longest label kept, bytes */
#define REC_MARK_MAX_S "1024"	/* the same, for messages */

struct rec_marks {
	int fd;				/* where lines come from; -1 when closed */
	char line[REC_MARK_MAX + 1];	/* the line being typed */
	size_t len;
	int overlong;			/* the line went past REC_MARK_MAX */
	uint64_t count;			/* marks made so far (the last number) */
};

/* A completed mark, handed to the caller. */
struct rec_mark {
	uint64_t number;		/* 1, 2, 3, ... over all marks */
	const char *label;		/* "" for a mark made with just Enter */
	size_t len;
	int cut;			/* the line was longer than REC_MARK_MAX: label
					 * holds its first REC_MARK_MAX bytes */
};

/*
 * Writes label (n bytes) into out (outlen bytes, NUL-terminated) for a
 * terminal: control bytes and DEL as \xNN, a backslash as \\, the rest as
 * it is.  4 * n + 1 bytes always suffice.
 */
void rec_marks_escape(const char *label, size_t n, char *out, size_t outlen);

void rec_marks_init(struct rec_marks *m, int fd);

/*
 * Reads what is available on m->fd and calls fn(arg, mark) for every
 * complete line.  Returns 0, 1 when the input has ended (m->fd is then -1),
 * or what fn returned if it was not 0.
 */
int rec_marks_read(struct rec_marks *m, int (*fn)(void *, const struct rec_mark *),
    void *arg);

#endif /* REC_MARKS_H */
