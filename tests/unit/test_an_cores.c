/*
 * test_an_cores.c - core levels from a trace header (an_cores.c): parsed
 * from the names the recorder stored, refused when malformed (traces are
 * untrusted), and put in words.  Expected strings written by hand.
 */
#include <stdio.h>
#include <string.h>

#include "an_cores.h"
#include "tap.h"

/* The label of a header with these levels and P/E counts. */
static const char *
label(const char *levels, int64_t p, int64_t e)
{
	static char buf[128];
	struct pmt_header h;

	pmt_header_init(&h);
	h.core_levels = levels;
	h.cores_p = p;
	h.cores_e = e;
	an_cores_label(&h, buf, sizeof(buf));
	return buf;
}

/* The number of levels parsed from s. */
static size_t
nlevels(const char *s)
{
	struct an_core_level lv[AN_CORE_LEVELS_MAX];
	struct pmt_header h;

	pmt_header_init(&h);
	h.core_levels = s;
	return an_core_levels(&h, lv, AN_CORE_LEVELS_MAX);
}

int
main(void)
{
	struct an_core_level lv[AN_CORE_LEVELS_MAX];
	struct pmt_header h;
	char longname[64];

	pmt_header_init(&h);
	h.core_levels = "Performance:8,Efficiency:2";
	CHECK_U64(an_core_levels(&h, lv, AN_CORE_LEVELS_MAX), 2, "two levels");
	CHECK_STR(lv[0].name, "Performance", "level 0 by its name");
	CHECK_I64(lv[0].cores, 8, "level 0: 8 cores");
	CHECK_STR(lv[1].name, "Efficiency", "level 1 by its name");
	CHECK_I64(lv[1].cores, 2, "level 1: 2 cores");

	CHECK_STR(label("Performance:8,Efficiency:2", 8, 2), "8P+2E cores", "M1 Pro: 8P+2E");
	CHECK_STR(label("Super:4,Performance:6", 4, 6), "4S+6P cores",
	    "level 0 that is not Performance: labelled by its name, not 4P+6E");
	CHECK_STR(label("Performance:12", 12, 0), "12 cores", "one level");
	CHECK_STR(label("Prime:2,Performance:4,Efficiency:4", 2, 8),
	    "2 Prime + 4 Performance + 4 Efficiency cores", "names sharing an initial: in full");
	CHECK_STR(label(NULL, 8, 2), "8P+2E cores", "no names (older traces): P and E");
	CHECK_STR(label("", 4, 0), "4 cores", "empty names, no E cores");
	CHECK_STR(label(NULL, -1, -1), "", "nothing known");
	CHECK_STR(label("Perf:x", 6, 2), "6P+2E cores", "malformed names: P and E again");

	CHECK_U64(nlevels("A:1,B:2"), 2, "well formed");
	CHECK_U64(nlevels("A:1,"), 1, "a trailing comma ends the list");
	CHECK_U64(nlevels(":3"), 0, "no name");
	CHECK_U64(nlevels("A:"), 0, "no count");
	CHECK_U64(nlevels("A:4097"), 0, "absurd count");
	CHECK_U64(nlevels("A:99999999999999999999"), 0, "a count that would overflow");
	CHECK_U64(nlevels("A:1;B:2"), 0, "wrong separator");
	CHECK_U64(nlevels("A\x01:1"), 0, "control byte in a name");
	CHECK_U64(nlevels("A:1,B:1,C:1,D:1,E:1,F:1,G:1,H:1,I:1"), 0, "more levels than kept");
	memset(longname, 'x', 40);
	snprintf(longname + 40, sizeof(longname) - 40, ":1");
	CHECK_U64(nlevels(longname), 0, "a name longer than 31 bytes");
	return tap_done();
}
