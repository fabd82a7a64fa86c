/*
 * an_scan.c - finds the traces that command-line arguments name (an_scan.h):
 * files as given, *.pmtrace files in folders and their subfolders.  It opens
 * no trace; reading them is the caller's.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "an_scan.h"
#include "cmn_array.h"

#define MAX_DEPTH 32		/* folders deeper than this are not searched */

/* Adds path (copied) with err.  0 or -1. */
static int
scan_add(struct an_scan *sc, const char *path, int err)
{
	char *p = strdup(path);

	if (p == NULL || cmn_array_grow((void **)&sc->item, &sc->cap, sc->n + 1,
	    sizeof(*sc->item)) != 0) {
		free(p);
		return -1;
	}
	sc->item[sc->n].path = p;
	sc->item[sc->n++].err = err;
	return 0;
}

/* Whether name ends in ".pmtrace" (and is more than that). */
static int
scan_is_trace(const char *name)
{
	size_t n = strlen(name);

	return n > 8 && strcmp(name + n - 8, ".pmtrace") == 0;
}

static int
scan_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in folder dir except those starting with '.', sorted; NULL on error. */
static char **
scan_names(const char *dir, size_t *n, int *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t cap = 0;

	*n = 0;
	if (d == NULL) {
		*err = errno;
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		char *p;
		if (e->d_name[0] == '.')
			continue;
		if (cmn_array_grow((void **)&names, &cap, *n + 1, sizeof(*names)) != 0 ||
		    (p = strdup(e->d_name)) == NULL)
			break;
		names[(*n)++] = p;
	}
	*err = e != NULL ? ENOMEM : 0;
	closedir(d);
	qsort(names, *n, sizeof(*names), scan_cmp);
	return names;
}

/* Searches folder dir (depth levels down) for traces.  0 or -1 (memory). */
static int
scan_dir(struct an_scan *sc, const char *dir, int depth)
{
	size_t n, len = strlen(dir);
	int err, rc = 0;
	char **names = scan_names(dir, &n, &err);

	if (err != 0 && err != ENOMEM)
		return scan_add(sc, dir, err);
	for (size_t i = 0; i < n; i++) {
		char *path = malloc(len + strlen(names[i]) + 2);
		struct stat st, lst;
		if (path == NULL) {
			rc = -1;
			break;
		}
		if (strcmp(dir, ".") == 0)	/* "name", not "./name" */
			snprintf(path, len + strlen(names[i]) + 2, "%s", names[i]);
		else
			snprintf(path, len + strlen(names[i]) + 2, "%s%s%s", dir,
			    len && dir[len - 1] == '/' ? "" : "/", names[i]);
		if (lstat(path, &lst) == 0 && S_ISDIR(lst.st_mode)) {
			if (depth < MAX_DEPTH)
				rc = scan_dir(sc, path, depth + 1);
		} else if (scan_is_trace(names[i]) && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			rc = scan_add(sc, path, 0);
		free(path);
		if (rc != 0)
			break;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc == 0 && err == ENOMEM ? -1 : rc;
}

int
an_scan_args(struct an_scan *sc, char **args, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		int rc;
		if (stat(args[i], &st) != 0)
			rc = scan_add(sc, args[i], errno);
		else if (S_ISDIR(st.st_mode))
			rc = scan_dir(sc, args[i], 0);
		else
			rc = scan_add(sc, args[i], 0);
		if (rc != 0)
			return -1;
	}
	return 0;
}

void
an_scan_free(struct an_scan *sc)
{
	for (size_t i = 0; i < sc->n; i++)
		free(sc->item[i].path);
	free(sc->item);
	memset(sc, 0, sizeof(*sc));
}
