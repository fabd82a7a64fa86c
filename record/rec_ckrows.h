/*
 * rec_ckrows.h - the rows of phocus-record --check: for each source, what
 * was read, whether it passed, and what to do if not; printed as a plain
 * table a user can paste into a bug report, or as one JSON document, with
 * the verdict.  It only stores and prints; the checks are rec_check.c's.
 */
#ifndef REC_CKROWS_H
#define REC_CKROWS_H

#include <stddef.h>
#include <stdio.h>

/* How a source fared. */
enum rec_ck_status {
	REC_CK_PASS = 0,		/* read and passed its check */
	REC_CK_FAIL,			/* could not be read, or failed its check */
	REC_CK_NA,			/* not on this system (a macOS source on Linux) */
	REC_CK_SKIP			/* not checked: turned off, needs sudo, not running */
};

enum {
	REC_CK_ROWS = 48,		/* rows at most */
	REC_CK_VALS = 12		/* values of one row for --json at most */
};

/* One value of a row, for --json: a number or a string. */
struct rec_ck_val {
	char key[24];
	int is_str;
	double num;
	char str[160];
};

/* One source. */
struct rec_ck_row {
	char source[32];		/* "process list" */
	char read[768];			/* what was read, one line */
	char advice[384];		/* what to do if not passed, "" */
	int status;			/* enum rec_ck_status */
	int needed;			/* a recording needs it: a FAIL makes the exit 1 */
	struct rec_ck_val vals[REC_CK_VALS];
	int nvals;
};

struct rec_ckrows {
	struct rec_ck_row row[REC_CK_ROWS];
	size_t n;
	char title[256];		/* first line: program, version, system, user */
};

/*
 * Adds a row (its read text from fmt) and returns it; when the table is
 * full, the last row is reused (never NULL).
 */
struct rec_ck_row *rec_ckrows_add(struct rec_ckrows *t, const char *source,
    int needed, int status, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Sets what to do when the row did not pass. */
void rec_ckrows_advise(struct rec_ck_row *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Adds a number (NaN: JSON null) or a string to the row's --json values. */
void rec_ckrows_num(struct rec_ck_row *r, const char *key, double v);
void rec_ckrows_str(struct rec_ck_row *r, const char *key, const char *s);

/*
 * The verdict: one line into buf ("everything a recording needs works"
 * or which needed sources failed).  Returns the exit code: 0 when no
 * needed row failed, else 1.
 */
int rec_ckrows_verdict(const struct rec_ckrows *t, char *buf, size_t len);

/* Prints the table, then the verdict line. */
void rec_ckrows_print_table(FILE *f, const struct rec_ckrows *t);

/* Prints one JSON document: title, rows, verdict and exit code. */
void rec_ckrows_print_json(FILE *f, const struct rec_ckrows *t);

#endif /* REC_CKROWS_H */
