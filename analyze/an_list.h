/*
 * an_list.h - the digests of many traces, fast: the traces that arguments
 * name (an_scan.h), each digest from the list cache when the trace has not
 * changed, else computed from the whole trace and cached; filters
 * ("--where KEY=VALUE") and ordering ("--sort KEY").  For list and compare.
 */
#ifndef AN_LIST_H
#define AN_LIST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "an_digest.h"

/* One trace of a listing. */
struct an_list_item {
	struct an_digest d;
	int64_t mtime_s;		/* of the file, when read */
	int readable;			/* its digest holds figures (else d.error says why) */
};

struct an_list {
	struct an_list_item *item;
	size_t n;
	size_t cached, computed;	/* digests from the cache, computed now */
	int64_t now_s;			/* when the listing was made */
};

#define AN_LIST_MAX_WORKERS 8	/* child processes reading traces, at most */

/* How to collect. */
struct an_list_opts {
	int no_cache;			/* neither read nor write the cache */
	FILE *progress;			/* "read 3 of 100 traces" (a terminal), or NULL */
	size_t workers;			/* processes reading traces; 0: one per CPU */
};

/*
 * Collects the digest of every trace args[0..n) name (the current folder
 * when n is 0).  An unreadable trace or argument is an item with its error.
 * Traces not in the cache are read by o->workers child processes (their
 * output is flushed first).  Returns 0, or -1 when memory ran out.
 */
int an_list_collect(struct an_list *l, char **args, size_t n, const struct an_list_opts *o);

void an_list_free(struct an_list *l);

/* A filter: KEY=VALUE, KEY!=VALUE, KEY<VALUE, KEY<=VALUE, KEY>VALUE, KEY>=VALUE. */
struct an_list_where {
	const struct an_digest_key *key;
	char op[3];
	char value[256];
};

/*
 * Parses a filter.  Numbers compare as numbers, text as text (= and !=
 * exactly, < and > in byte order); with = and != the value may list
 * alternatives separated by commas (KEY=A,B: A or B).  A trace that cannot
 * be read, or lacks the value, matches only !=.  Returns 0, or -1 with a
 * one-line reason in err.
 */
int an_list_where_parse(const char *arg, struct an_list_where *w, char *err, size_t errlen);

/* Whether item it passes every filter w[0..n). */
int an_list_match(const struct an_list *l, const struct an_list_item *it,
    const struct an_list_where *w, size_t n);

/* Keeps only the items that pass the filters. */
void an_list_filter(struct an_list *l, const struct an_list_where *w, size_t n);

/*
 * Orders the items by key (NULL: start time), descending when desc;
 * unreadable traces and missing values last, ties by path.
 */
void an_list_sort(struct an_list *l, const struct an_digest_key *key, int desc);

/* The integrity to show for item it (an_digest_state()). */
const char *an_list_state(const struct an_list *l, const struct an_list_item *it);

#endif /* AN_LIST_H */
