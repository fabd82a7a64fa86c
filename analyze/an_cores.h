/*
 * an_cores.h - the machine's CPU core levels from a trace header, and the
 * words that name them ("8P+2E cores").
 */
#ifndef AN_CORES_H
#define AN_CORES_H

#include <stddef.h>

#include "pmtrace.h"

enum { AN_CORE_LEVELS_MAX = 8, AN_CORE_NAME_MAX = 32 };

/* One level of cores, highest performance first. */
struct an_core_level {
	char name[AN_CORE_NAME_MAX];	/* as the system named it: "Performance" */
	int cores;			/* physical cores of that level */
};

/*
 * Parses the header's core_levels ("Performance:8,Efficiency:2") into
 * lv[0..max).  Returns the number of levels, or 0 when the header has none
 * or it is malformed (untrusted input: names of printable ASCII up to 31
 * bytes, counts 0 to 4096, at most max levels; anything else gives 0).
 */
size_t an_core_levels(const struct pmt_header *h, struct an_core_level *lv, size_t max);

/*
 * The cores in words, into buf: "8P+2E cores" with the initials of the
 * levels' names (so "4S+6P cores" where level 0 is not "Performance"),
 * "8 Performance + 2 Efficiency cores" when two names share an initial,
 * "10 cores" for one level; without names, from cores_p and cores_e as
 * performance and efficiency cores; "" when the header does not say.
 */
void an_cores_label(const struct pmt_header *h, char *buf, size_t len);

#endif /* AN_CORES_H */
