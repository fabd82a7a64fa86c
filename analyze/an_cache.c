/*
 * an_cache.c - the list cache (an_cache.h): where it is, and reading and
 * writing one trace's entry, "list-<hash of the path>.txt": a first line
 * naming the format and the analyzer's version, the trace's path, size,
 * inode and modification time, then the digest's lines.  It computes no
 * digest and never deletes an entry.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "an_cache.h"
#include "cmn_file.h"

#define CACHE_MAGIC "phocus-monitor list cache 1"
#define CACHE_MAX (64 * 1024)		/* bytes of an entry, at most */

int
an_cache_dir(char *buf, size_t len)
{
	const char *v;
	int n;

	if ((v = getenv("PHOCUS_CACHE_DIR")) != NULL && v[0] != '\0')
		n = snprintf(buf, len, "%s", v);
	else if ((v = getenv("XDG_CACHE_HOME")) != NULL && v[0] == '/')
		n = snprintf(buf, len, "%s/phocus-monitor", v);
	else if ((v = getenv("HOME")) != NULL && v[0] == '/')
		n = snprintf(buf, len, "%s/.cache/phocus-monitor", v);
	else
		return -1;
	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* dir/list-<FNV-1a 64 of abs>.txt into buf. */
static void
cache_file(const char *dir, const char *abs, char *buf, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (const unsigned char *p = (const unsigned char *)abs; *p != '\0'; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	snprintf(buf, len, "%s/list-%016" PRIx64 ".txt", dir, h);
}

/* The first lines of an entry: what it is for (the key). */
static void
cache_key(const char *abs, const struct stat *st, char *buf, size_t len)
{
	snprintf(buf, len, CACHE_MAGIC " phocus-analyze %s\npath=%s\nsize=%lld\ninode=%llu\n"
	    "mtime=%lld\n", PHOCUS_VERSION, abs, (long long)st->st_size,
	    (unsigned long long)st->st_ino, (long long)st->st_mtime);
}

int
an_cache_get(const char *dir, const char *abs, const struct stat *st, struct an_digest *d)
{
	char path[8192], key[8192], *data;
	size_t len, klen;
	int rc = -1;

	if (strchr(abs, '\n') != NULL)
		return -1;		/* such a path cannot be keyed */
	cache_file(dir, abs, path, sizeof(path));
	cache_key(abs, st, key, sizeof(key));
	klen = strlen(key);
	if (cmn_file_read(path, CACHE_MAX, CMN_FILE_REGULAR, &data, &len) != 0)
		return -1;
	if (len > klen && memcmp(data, key, klen) == 0)
		rc = an_digest_read(d, data + klen, len - klen);
	free(data);
	return rc;
}

/* Creates folder dir and its parents (0700) when missing.  0 or -1. */
static int
cache_mkdirs(const char *dir)
{
	char p[8192];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(p))
		return -1;
	memcpy(p, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return -1;
		p[i] = i < n ? '/' : '\0';
	}
	return 0;
}

int
an_cache_put(const char *dir, const char *abs, const struct stat *st,
    const struct an_digest *d)
{
	char path[8192], tmp[8300], key[8192];
	FILE *f;
	int bad, e;

	if (strchr(abs, '\n') != NULL) {
		errno = EINVAL;
		return -1;
	}
	if (cache_mkdirs(dir) != 0)
		return -1;
	cache_file(dir, abs, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL)
		return -1;
	cache_key(abs, st, key, sizeof(key));
	fputs(key, f);
	bad = an_digest_write(f, d) != 0 || ferror(f);
	e = errno;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		e = bad ? e : errno;
		unlink(tmp);
		errno = e ? e : EIO;
		return -1;
	}
	return 0;
}
