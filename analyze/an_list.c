/*
 * an_list.c - the digests of many traces (an_list.h): found with an_scan,
 * taken from the list cache (an_cache.c) when a trace is unchanged, else
 * computed from the whole trace (an_load, an_summarize), in child processes
 * (one per CPU) that send them back through pipes, and cached; then
 * filtered and ordered.  It prints no listing (cmd_list.c).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "an_cache.h"
#include "an_list.h"
#include "an_scan.h"
#include "an_summary.h"
#include "cmn_units.h"

/* ======================= Collecting ======================= */

/* Computes it's digest from the whole trace.  0, or -1 (it->d.error says why). */
static int
item_compute(struct an_list_item *it, const char *path)
{
	struct an_trace tr;
	struct an_summary s;
	char err[256];

	if (an_load(&tr, path, err, sizeof(err)) != 0) {
		snprintf(it->d.error, sizeof(it->d.error), "%s", err);
		return -1;
	}
	if (an_summarize(&tr, AN_ANE_THRESHOLD_W, &s) != 0) {
		snprintf(it->d.error, sizeof(it->d.error), "out of memory");
		an_free(&tr);
		return -1;
	}
	an_digest_make(&it->d, &tr, &s);
	an_summary_free(&s);
	an_free(&tr);
	return 0;
}

/* A trace whose digest must be computed. */
struct miss {
	size_t idx;			/* its item */
	char *abs;			/* its absolute path (cache key), or NULL */
	struct stat st;
};

/*
 * Starts item idx of trace path (found with scan error err): from the
 * cache when it holds the unchanged trace; else it is added to miss
 * (*nmiss of them).
 */
static void
item_start(struct an_list *l, size_t idx, const char *path, int err, const char *cache,
    struct miss *miss, size_t *nmiss)
{
	struct an_list_item *it = &l->item[idx];
	struct stat st;
	char *abs;

	an_digest_init(&it->d, path);
	if (err != 0 || stat(path, &st) != 0) {
		snprintf(it->d.error, sizeof(it->d.error), "%s", strerror(err ? err : errno));
		return;
	}
	it->mtime_s = (int64_t)st.st_mtime;
	abs = realpath(path, NULL);
	if (cache != NULL && abs != NULL && an_cache_get(cache, abs, &st, &it->d) == 0) {
		snprintf(it->d.trace, sizeof(it->d.trace), "%s", path);
		it->readable = it->d.error[0] == '\0';
		l->cached++;
		free(abs);
		return;
	}
	an_digest_init(&it->d, path);
	miss[*nmiss].idx = idx;
	miss[*nmiss].abs = abs;
	miss[(*nmiss)++].st = st;
}

/* Computes the digest of miss m, and caches it.  */
static void
miss_compute(struct an_list *l, const struct miss *m, const char *cache)
{
	struct an_list_item *it = &l->item[m->idx];

	it->readable = item_compute(it, it->d.trace) == 0;
	if (cache != NULL && m->abs != NULL)
		an_cache_put(cache, m->abs, &m->st, &it->d);	/* best effort */
}

/* ======================= Workers ======================= */

/*
 * In a child process: computes (and caches) every nw-th miss from first,
 * writing "index length\n" and the digest's text form for each to fd.
 * Never returns.
 */
static void
worker_run(struct an_list *l, const struct miss *miss, size_t nmiss, size_t first,
    size_t nw, const char *cache, int fd)
{
	FILE *out = fdopen(fd, "w");

	for (size_t j = first; j < nmiss && out != NULL; j += nw) {
		char *buf = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&buf, &len);
		miss_compute(l, &miss[j], cache);
		if (mem == NULL || an_digest_write(mem, &l->item[miss[j].idx].d) != 0 ||
		    fclose(mem) != 0)
			_exit(1);
		fprintf(out, "%zu %zu\n", j, len);
		fwrite(buf, 1, len, out);
		free(buf);
	}
	_exit(out != NULL && fclose(out) == 0 ? 0 : 1);
}

/* Reads a worker's results from f into the items.  Returns how many. */
static size_t
worker_collect(struct an_list *l, const struct miss *miss, size_t nmiss, FILE *f,
    FILE *progress, size_t *done)
{
	size_t j, len, n = 0;

	while (fscanf(f, "%zu %zu", &j, &len) == 2 && fgetc(f) == '\n' && j < nmiss &&
	    len < 1u << 20) {
		struct an_list_item *it = &l->item[miss[j].idx];
		char *buf = malloc(len + 1), path[sizeof(it->d.trace)];
		if (buf == NULL || fread(buf, 1, len, f) != len) {
			free(buf);
			break;
		}
		snprintf(path, sizeof(path), "%s", it->d.trace);
		an_digest_init(&it->d, path);
		if (an_digest_read(&it->d, buf, len) == 0) {
			snprintf(it->d.trace, sizeof(it->d.trace), "%s", path);
			it->readable = it->d.error[0] == '\0';
			n++;
		}
		free(buf);
		if (progress != NULL)
			fprintf(progress, "\rread %zu of %zu %s ", ++*done, nmiss,
			    cmn_units_noun(nmiss, "trace", "traces"));
	}
	return n;
}

/*
 * Computes the misses in nw child processes (the machine's CPUs are used:
 * reading a long trace is CPU-bound); the results come back through pipes.
 * Misses a worker did not deliver (it failed) are computed here.
 */
static void
workers_compute(struct an_list *l, const struct miss *miss, size_t nmiss, size_t nw,
    const char *cache, FILE *progress)
{
	pid_t pid[AN_LIST_MAX_WORKERS];
	FILE *in[AN_LIST_MAX_WORKERS];
	size_t started = 0, done = 0;

	fflush(NULL);
	for (; started < nw; started++) {
		int fd[2];
		if (pipe(fd) != 0)
			break;
		if ((pid[started] = fork()) < 0) {
			close(fd[0]);
			close(fd[1]);
			break;
		}
		if (pid[started] == 0) {
			close(fd[0]);
			for (size_t k = 0; k < started; k++)
				fclose(in[k]);
			worker_run(l, miss, nmiss, started, nw, cache, fd[1]);
		}
		close(fd[1]);
		in[started] = fdopen(fd[0], "r");
	}
	for (size_t k = 0; k < started; k++) {
		if (in[k] != NULL) {
			worker_collect(l, miss, nmiss, in[k], progress, &done);
			fclose(in[k]);
		}
		waitpid(pid[k], NULL, 0);
	}
	for (size_t j = 0; j < nmiss; j++)	/* what no worker delivered */
		if (!l->item[miss[j].idx].readable && l->item[miss[j].idx].d.error[0] == '\0')
			miss_compute(l, &miss[j], cache);
}

/* How many workers for n misses: one per CPU (at most AN_LIST_MAX_WORKERS); 1 for few. */
static size_t
workers_count(size_t n)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nw = cpus > 0 ? (size_t)cpus : 1;

	if (nw > AN_LIST_MAX_WORKERS)
		nw = AN_LIST_MAX_WORKERS;
	return n < 4 ? 1 : nw < n ? nw : n;
}

int
an_list_collect(struct an_list *l, char **args, size_t n, const struct an_list_opts *o)
{
	static char dot[] = ".";
	char *here[] = { dot }, cache[PATH_MAX];
	struct an_scan sc = { NULL, 0, 0 };
	struct miss *miss = NULL;
	size_t nmiss = 0, nw;
	int have_cache = !o->no_cache && an_cache_dir(cache, sizeof(cache)) == 0, rc = -1;

	memset(l, 0, sizeof(*l));
	l->now_s = (int64_t)time(NULL);
	if (an_scan_args(&sc, n ? args : here, n ? n : 1) != 0)
		goto out;
	if (sc.n > 0 && ((l->item = calloc(sc.n, sizeof(*l->item))) == NULL ||
	    (miss = calloc(sc.n, sizeof(*miss))) == NULL))
		goto out;
	for (l->n = 0; l->n < sc.n; l->n++)
		item_start(l, l->n, sc.item[l->n].path, sc.item[l->n].err,
		    have_cache ? cache : NULL, miss, &nmiss);
	l->computed = nmiss;
	nw = o->workers > 0 ? o->workers : workers_count(nmiss);
	if (nw > 1)
		workers_compute(l, miss, nmiss, nw, have_cache ? cache : NULL, o->progress);
	else
		for (size_t j = 0; j < nmiss; j++) {
			miss_compute(l, &miss[j], have_cache ? cache : NULL);
			if (o->progress != NULL)
				fprintf(o->progress, "\rread %zu of %zu %s ", j + 1, nmiss,
				    cmn_units_noun(nmiss, "trace", "traces"));
		}
	if (o->progress != NULL && nmiss > 0)
		fprintf(o->progress, "\r%*s\r", 40, "");
	rc = 0;
out:
	for (size_t j = 0; j < nmiss; j++)
		free(miss[j].abs);
	free(miss);
	an_scan_free(&sc);
	if (rc != 0)
		an_list_free(l);
	return rc;
}

void
an_list_free(struct an_list *l)
{
	free(l->item);
	memset(l, 0, sizeof(*l));
}

const char *
an_list_state(const struct an_list *l, const struct an_list_item *it)
{
	if (!it->readable)
		return "unreadable";
	return an_digest_state(&it->d, it->mtime_s, l->now_s);
}

/* ======================= Filters ======================= */

int
an_list_where_parse(const char *arg, struct an_list_where *w, char *err, size_t errlen)
{
	static const char *const ops[] = { "!=", "<=", ">=", "=", "<", ">" };
	size_t klen = strcspn(arg, "=!<>");
	char key[64];

	memset(w, 0, sizeof(*w));
	if (klen == 0 || klen >= sizeof(key) || arg[klen] == '\0') {
		snprintf(err, errlen, "--where wants KEY=VALUE (or != < <= > >=), not '%s'", arg);
		return -1;
	}
	memcpy(key, arg, klen);
	key[klen] = '\0';
	if ((w->key = an_digest_key(key)) == NULL) {
		snprintf(err, errlen, "--where: unknown key '%s' (the keys are the columns of "
		    "list --csv)", key);
		return -1;
	}
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strncmp(arg + klen, ops[i], strlen(ops[i])) == 0) {
			snprintf(w->op, sizeof(w->op), "%s", ops[i]);
			break;
		}
	if (w->op[0] == '\0' || strlen(arg + klen + strlen(w->op)) >= sizeof(w->value)) {
		snprintf(err, errlen, "--where wants KEY=VALUE (or != < <= > >=), not '%s'", arg);
		return -1;
	}
	snprintf(w->value, sizeof(w->value), "%s", arg + klen + strlen(w->op));
	return 0;
}

/*
 * -1, 0, 1 as the item's value compares to value (n bytes); 2 when it has
 * none or a number is compared with text.
 */
static int
where_cmp(const struct an_list_item *it, const struct an_list_where *w, const char *value,
    size_t n)
{
	char text[4096], want[sizeof(w->value)], *end;
	double v, x;

	if (!it->readable)
		return 2;
	memcpy(want, value, n);
	want[n] = '\0';
	if (w->key->num) {
		v = an_digest_num(&it->d, w->key);
		x = strtod(want, &end);
		if (isnan(v) || end == want || *end != '\0')
			return 2;
		return (v > x) - (v < x);
	}
	an_digest_text(&it->d, w->key, text, sizeof(text));
	x = strcmp(text, want);
	return (x > 0) - (x < 0);
}

/* For = and !=: 0 when the value equals one of the comma-separated ones. */
static int
where_cmp_any(const struct an_list_item *it, const struct an_list_where *w)
{
	const char *v = w->value;
	int c = 2;

	if (w->op[0] != '=' && w->op[0] != '!')
		return where_cmp(it, w, v, strlen(v));
	for (;;) {
		size_t n = strcspn(v, ",");
		int k = where_cmp(it, w, v, n);
		if (k == 0)
			return 0;
		if (k != 2)
			c = k;
		if (v[n] == '\0')
			return c;
		v += n + 1;
	}
}

int
an_list_match(const struct an_list *l, const struct an_list_item *it,
    const struct an_list_where *w, size_t n)
{
	(void)l;
	for (size_t i = 0; i < n; i++) {
		int c = where_cmp_any(it, &w[i]);
		const char *op = w[i].op;
		int ok = strcmp(op, "!=") == 0 ? c != 0 : c == 2 ? 0 :
		    strcmp(op, "=") == 0 ? c == 0 : strcmp(op, "<") == 0 ? c < 0 :
		    strcmp(op, "<=") == 0 ? c <= 0 : strcmp(op, ">") == 0 ? c > 0 : c >= 0;
		if (!ok)
			return 0;
	}
	return 1;
}

void
an_list_filter(struct an_list *l, const struct an_list_where *w, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < l->n; i++)
		if (an_list_match(l, &l->item[i], w, n))
			l->item[k++] = l->item[i];
	l->n = k;
}

/* ======================= Order ======================= */

static const struct an_digest_key *sort_key;
static int sort_desc;

/* 1 when it has no value for the sort key (sorted last). */
static int
sort_missing(const struct an_list_item *it)
{
	if (!it->readable)
		return 1;
	if (sort_key->num)
		return isnan(an_digest_num(&it->d, sort_key));
	return ((const char *)&it->d + sort_key->off)[0] == '\0';
}

static int
sort_cmp(const void *a, const void *b)
{
	const struct an_list_item *p = a, *q = b;
	int ma = sort_missing(p), mb = sort_missing(q), c;

	if (ma != mb)
		return ma - mb;
	c = 0;
	if (!ma && sort_key->num) {
		double x = an_digest_num(&p->d, sort_key), y = an_digest_num(&q->d, sort_key);
		c = (x > y) - (x < y);
	} else if (!ma)
		c = strcmp((const char *)&p->d + sort_key->off, (const char *)&q->d + sort_key->off);
	if (sort_desc)
		c = -c;
	return c != 0 ? c : strcmp(p->d.trace, q->d.trace);
}

void
an_list_sort(struct an_list *l, const struct an_digest_key *key, int desc)
{
	sort_key = key != NULL ? key : an_digest_key("start_unix");
	if (strcmp(sort_key->key, "start") == 0)
		sort_key = an_digest_key("start_unix");	/* offsets differ: by the instant */
	sort_desc = desc;
	if (l->n > 1)
		qsort(l->item, l->n, sizeof(*l->item), sort_cmp);
}
