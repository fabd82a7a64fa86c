/*
 * test_an_list.c - the pieces of `list` below the command: a digest's text
 * form round-trips any string (the cache), a damaged cache entry is refused
 * and never read past its end, the cache is keyed by path, size, inode and
 * modification time, --where filters parse and match as documented, and
 * the order puts unreadable traces and missing values last.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "an_cache.h"
#include "an_digest.h"
#include "an_list.h"
#include "tap.h"

/* A digest with hostile text and a few numbers. */
static void
make_digest(struct an_digest *d)
{
	an_digest_init(d, "dir/with\nnewline\\and\x01" "control.pmtrace");
	snprintf(d->target, sizeof(d->target), "Pho\\cus\n\t\x7f=x");
	snprintf(d->target_version, sizeof(d->target_version), "4.0.1 \xf0\x9f\x93\xb7");
	snprintf(d->integrity, sizeof(d->integrity), "complete");
	d->memory_peak_gb = 31.25;
	d->cpu_seconds = 1e-300;
	d->gpu_energy_j = NAN;
}

static void
test_roundtrip(void)
{
	struct an_digest a, b;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	make_digest(&a);
	CHECK(an_digest_write(f, &a) == 0, "digest written");
	fclose(f);
	an_digest_init(&b, "");
	CHECK(an_digest_read(&b, buf, len) == 0, "and read back");
	CHECK_STR(b.trace, a.trace, "path with newline, backslash, control byte");
	CHECK_STR(b.target, a.target, "target with backslash, newline, tab, DEL, '='");
	CHECK_STR(b.target_version, a.target_version, "UTF-8 kept");
	CHECK(b.memory_peak_gb == 31.25 && b.cpu_seconds == 1e-300, "numbers exact");
	CHECK_NAN(b.gpu_energy_j, "NaN stays NaN");
	CHECK(strchr(buf, '\x01') == NULL && strchr(buf, '\x7f') == NULL,
	    "no control byte in the text form");
	free(buf);
}

static void
test_damaged_entries(void)
{
	static const char *const bad[] = {
		"target=abc\\", "target=a\\q", "target=\\x4", "no equals sign",
		"memory_peak_gb=", "cpu_seconds=",
	};
	struct an_digest d;
	char big[600];
	int ok = 1;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		an_digest_init(&d, "");
		ok &= an_digest_read(&d, bad[i], strlen(bad[i])) == -1;
	}
	CHECK(ok, "malformed lines are refused");
	memset(big, 'x', sizeof(big));
	memcpy(big, "target=", 7);
	an_digest_init(&d, "");
	CHECK(an_digest_read(&d, big, sizeof(big)) == -1, "a value longer than its field is refused");
	an_digest_init(&d, "");
	CHECK(an_digest_read(&d, "future_key=1\ntarget=x\n", 22) == 0 &&
	    strcmp(d.target, "x") == 0, "an unknown key is skipped");
	srand(13);
	for (int k = 0; k < 20000; k++) {	/* random bytes: no crash, no overread (ASan) */
		char *p = malloc(64);
		for (int i = 0; i < 64; i++)
			p[i] = (char)(k % 3 ? rand() % 256 : "target=\\x0\n9."[rand() % 13]);
		an_digest_init(&d, "");
		an_digest_read(&d, p, 64);
		free(p);
	}
	CHECK(1, "20000 random entries read without a fault");
}

static void
test_cache(void)
{
	char dir[] = "/tmp/test-an-list-XXXXXX", sub[300], file[300];
	struct an_digest a, b;
	struct stat st;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL, "temporary folder");
	snprintf(sub, sizeof(sub), "%s/a/b/cache", dir);
	snprintf(file, sizeof(file), "%s/t.pmtrace", dir);
	f = fopen(file, "w");
	fputs("x", f);
	fclose(f);
	stat(file, &st);
	make_digest(&a);
	CHECK(an_cache_put(sub, file, &st, &a) == 0, "stored, parent folders made");
	an_digest_init(&b, "");
	CHECK(an_cache_get(sub, file, &st, &b) == 0 && b.memory_peak_gb == 31.25, "found");
	st.st_size++;
	CHECK(an_cache_get(sub, file, &st, &b) == -1, "another size: stale");
	st.st_size--;
	st.st_mtime++;
	CHECK(an_cache_get(sub, file, &st, &b) == -1, "another mtime: stale");
	st.st_mtime--;
	st.st_ino++;
	CHECK(an_cache_get(sub, file, &st, &b) == -1, "another inode: stale");
	st.st_ino--;
	CHECK(an_cache_get(sub, "/elsewhere/t.pmtrace", &st, &b) == -1, "another path: none");
	CHECK(an_cache_put(sub, "/a\nb", &st, &a) == -1, "a path with a newline is not cached");
	snprintf(file, sizeof(file), "rm -rf '%s'", dir);
	CHECK(system(file) == 0, "cleaned up");
}

static void
test_where(void)
{
	struct an_list l = { NULL, 0, 0, 0, 0 };
	struct an_list_item it[3];
	struct an_list_where w;
	char err[300];

	memset(it, 0, sizeof(it));
	an_digest_init(&it[0].d, "a");
	snprintf(it[0].d.target_version, sizeof(it[0].d.target_version), "4.0.1");
	it[0].d.duration_s = 3600;
	it[0].readable = 1;
	an_digest_init(&it[1].d, "b");
	snprintf(it[1].d.target_version, sizeof(it[1].d.target_version), "4.0.2");
	it[1].readable = 1;			/* duration unknown (NaN) */
	an_digest_init(&it[2].d, "c");		/* unreadable */
	CHECK(an_list_where_parse("target_version=4.0.1", &w, err, sizeof(err)) == 0 &&
	    an_list_match(&l, &it[0], &w, 1) && !an_list_match(&l, &it[1], &w, 1) &&
	    !an_list_match(&l, &it[2], &w, 1), "KEY=VALUE: equal text");
	CHECK(an_list_where_parse("target_version!=4.0.1", &w, err, sizeof(err)) == 0 &&
	    !an_list_match(&l, &it[0], &w, 1) && an_list_match(&l, &it[1], &w, 1) &&
	    an_list_match(&l, &it[2], &w, 1), "!=: also the unreadable");
	CHECK(an_list_where_parse("duration_s>=3600", &w, err, sizeof(err)) == 0 &&
	    an_list_match(&l, &it[0], &w, 1) && !an_list_match(&l, &it[1], &w, 1),
	    ">=: numbers, NaN never matches");
	CHECK(an_list_where_parse("duration_s<1e3", &w, err, sizeof(err)) == 0 &&
	    !an_list_match(&l, &it[0], &w, 1), "<: 3600 < 1000 is false");
	CHECK(an_list_where_parse("duration_s=abc", &w, err, sizeof(err)) == 0 &&
	    !an_list_match(&l, &it[0], &w, 1), "a number compared with text matches nothing");
	CHECK(an_list_where_parse("nokey=1", &w, err, sizeof(err)) == -1 &&
	    strstr(err, "unknown key 'nokey'") != NULL, "unknown key named");
	CHECK(an_list_where_parse("=1", &w, err, sizeof(err)) == -1 &&
	    an_list_where_parse("target", &w, err, sizeof(err)) == -1, "no key, no operator");
	CHECK(an_list_where_parse("target=", &w, err, sizeof(err)) == 0 && w.value[0] == '\0',
	    "an empty value is a value");
}

static void
test_sort(void)
{
	struct an_list_item it[4];
	struct an_list l = { it, 4, 0, 0, 0 };

	memset(it, 0, sizeof(it));
	an_digest_init(&it[0].d, "zz-unreadable");
	an_digest_init(&it[1].d, "b");
	it[1].readable = 1;
	it[1].d.start_unix = 200;
	an_digest_init(&it[2].d, "c-no-start");
	it[2].readable = 1;
	an_digest_init(&it[3].d, "a");
	it[3].readable = 1;
	it[3].d.start_unix = 100;
	an_list_sort(&l, NULL, 0);
	CHECK(!strcmp(it[0].d.trace, "a") && !strcmp(it[1].d.trace, "b") &&
	    !strcmp(it[2].d.trace, "c-no-start") && !strcmp(it[3].d.trace, "zz-unreadable"),
	    "by start; no start, then unreadable, last");
	an_list_sort(&l, an_digest_key("start"), 1);
	CHECK(!strcmp(it[0].d.trace, "b") && !strcmp(it[1].d.trace, "a") &&
	    !strcmp(it[3].d.trace, "zz-unreadable"), "descending: still last");
}

int
main(void)
{
	test_roundtrip();
	test_damaged_entries();
	test_cache();
	test_where();
	test_sort();
	return tap_done();
}
