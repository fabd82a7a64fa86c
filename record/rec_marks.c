/*
 * rec_marks.c - turns lines read from standard input into marks: an empty
 * line is an unnamed mark, any other line a labelled one; every mark gets
 * the next number.  Works on a terminal and on a pipe; does not write the
 * trace or echo anything (the caller does).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rec_marks.h"

void
rec_marks_init(struct rec_marks *m, int fd)
{
	memset(m, 0, sizeof(*m));
	m->fd = fd;
}

/* Ends the current line: trims CR and blanks at the ends, hands it out. */
static int
marks_emit(struct rec_marks *m, int (*fn)(void *, const struct rec_mark *), void *arg)
{
	struct rec_mark mk;
	size_t b = 0, e = m->len;

	while (e > b && (m->line[e - 1] == '\r' || m->line[e - 1] == ' ' ||
	    m->line[e - 1] == '\t'))
		e--;
	while (b < e && (m->line[b] == ' ' || m->line[b] == '\t'))
		b++;
	m->line[e] = '\0';
	mk.number = ++m->count;
	mk.label = m->line + b;
	mk.len = e - b;
	mk.cut = m->overlong;
	m->len = 0;
	m->overlong = 0;
	return fn(arg, &mk);
}

void
rec_marks_escape(const char *label, size_t n, char *out, size_t outlen)
{
	size_t o = 0;

	if (outlen == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)label[i];
		char esc[5];
		size_t k;
		if (c < 0x20 || c == 0x7f)
			k = (size_t)snprintf(esc, sizeof(esc), "\\x%02x", c);
		else if (c == '\\')
			k = (size_t)snprintf(esc, sizeof(esc), "\\\\");
		else {
			esc[0] = (char)c;
			k = 1;
		}
		if (o + k >= outlen)
			break;
		memcpy(out + o, esc, k);
		o += k;
	}
	out[o] = '\0';
}

int
rec_marks_read(struct rec_marks *m, int (*fn)(void *, const struct rec_mark *),
    void *arg)
{
	char buf[4096];
	ssize_t k;
	int rc;

	if (m->fd < 0)
		return 1;
	k = read(m->fd, buf, sizeof(buf));
	if (k < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (k <= 0) {
		m->fd = -1;	/* closed: no more marks, recording goes on */
		if (m->len > 0 && (rc = marks_emit(m, fn, arg)) != 0)
			return rc;
		return 1;
	}
	for (ssize_t i = 0; i < k; i++) {
		if (buf[i] == '\n') {
			if ((rc = marks_emit(m, fn, arg)) != 0)
				return rc;
		} else if (m->len < REC_MARK_MAX) {
			m->line[m->len++] = buf[i];
		} else {
			m->overlong = 1;
		}
	}
	return 0;
}
