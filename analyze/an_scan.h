/*
 * an_scan.h - the traces named on a command line: files as given, folders
 * searched (recursively) for *.pmtrace files.  For list and compare.
 */
#ifndef AN_SCAN_H
#define AN_SCAN_H

#include <stddef.h>

/* One trace found, or an argument that could not be searched. */
struct an_scan_item {
	char *path;			/* as found (folder arguments joined with "/name") */
	int err;			/* 0, or the errno of a failed stat/opendir */
};

struct an_scan {
	struct an_scan_item *item;
	size_t n, cap;
};

/*
 * Adds the traces named by args[0..n): a file is taken whatever its name;
 * a folder is searched, with its subfolders, for regular files ending in
 * ".pmtrace" (names starting with '.' are skipped; symbolic links to
 * folders are not followed, to files are).  Within a folder, names are in
 * strcmp order.  An argument that cannot be read is added with its errno.
 * Returns 0, or -1 when memory ran out.
 */
int an_scan_args(struct an_scan *sc, char **args, size_t n);

void an_scan_free(struct an_scan *sc);

#endif /* AN_SCAN_H */
