/*
 * test_rec_osver.c - the true macOS version from the compatibility answer
 * (rec_osver.c).  Expected values by hand: Darwin 20-24 are macOS 11-15,
 * Darwin 25 is macOS 26; macOS 26 answers 16.x to programs built with an
 * older SDK (cpython #135675), macOS 11 answered 10.16.
 */
#include <stdio.h>

#include "rec_osver.h"
#include "tap.h"

static const struct {
	const char *raw, *release, *want;
	int changed;
	const char *what;
} cases[] = {
	{ "16.0", "25.0.0", "26.0", 1, "macOS 26 in compat mode: 16.0 is 26.0" },
	{ "16.1.2", "25.1.0", "26.1.2", 1, "16.1.2 is 26.1.2 (minor and patch kept)" },
	{ "26.0.1", "25.0.0", "26.0.1", 0, "a true answer stays" },
	{ "15.3.2", "24.3.0", "15.3.2", 0, "macOS 15: nothing to change" },
	{ "13.6", "22.6.0", "13.6", 0, "macOS 13: nothing to change" },
	{ "10.16", "20.6.0", "11", 1, "Big Sur's 10.16: 11, minor unknown" },
	{ "17.0", "26.0.0", "27.0", 1, "the next one, 17.0 for Darwin 26: 27.0" },
	{ "16.0", "", "16.0", 0, "no kernel release: the answer as it is" },
	{ "16.0", "garbage", "16.0", 0, "an unreadable kernel release: the answer" },
	{ "", "25.0.0", "26", 1, "no answer at all: the major from Darwin" },
	{ "10.15.7", "19.6.0", "10.15.7", 0, "Catalina: nothing to change" },
	{ "27.0", "25.0.0", "27.0", 0, "never lowered below the answer" },
};

int
main(void)
{
	char out[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ch = rec_osver_true(cases[i].raw, cases[i].release, out, sizeof(out));
		CHECK_STR(out, cases[i].want, cases[i].what);
		CHECK_I64(ch, cases[i].changed, "... and says whether it changed it");
	}
	CHECK_I64(rec_osver_true("16.0", NULL, out, sizeof(out)), 0, "NULL release");
	CHECK_STR(out, "16.0", "NULL release: the answer as it is");
	rec_osver_true("16.0.1", "25.0.0", out, 3);
	CHECK_STR(out, "26", "a short buffer is cut, NUL-terminated");
	return tap_done();
}
