/*
 * test_cmn_units.c - unit tests of common/cmn_units.c: bytes in GB and MB
 * around the 0.1 GB switch, signs, values not recorded, RAM in whole GiB
 * or not, singular and plural.  Expected strings worked out by hand.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "cmn_units.h"
#include "tap.h"

static void
check_str(const char *got, const char *want, const char *what)
{
	if (!CHECK(strcmp(got, want) == 0, what))
		printf("#   got \"%s\", want \"%s\"\n", got, want);
}

int
main(void)
{
	char b[64];

	check_str(cmn_units_bytes(1.234e9, 0, b, sizeof(b)), "1.23 GB", "bytes: GB");
	check_str(cmn_units_bytes(1e8, 0, b, sizeof(b)), "0.10 GB", "bytes: 0.1 GB is GB");
	check_str(cmn_units_bytes(99999999, 0, b, sizeof(b)), "100.0 MB", "bytes: below 0.1 GB, MB");
	check_str(cmn_units_bytes(314572800, 0, b, sizeof(b)), "0.31 GB", "bytes: 300 MiB");
	check_str(cmn_units_bytes(274000, 0, b, sizeof(b)), "0.3 MB", "bytes: kB as MB");
	check_str(cmn_units_bytes(-2.5e9, 1, b, sizeof(b)), "-2.50 GB", "bytes: signed, negative");
	check_str(cmn_units_bytes(2e6, 1, b, sizeof(b)), "+2.0 MB", "bytes: signed, positive");
	check_str(cmn_units_bytes(NAN, 0, b, sizeof(b)), "n/a", "bytes: NaN is n/a");
	check_str(cmn_units_bytes(INFINITY, 1, b, sizeof(b)), "n/a", "bytes: infinity is n/a");
	check_str(cmn_units_ram(25769803776ull, b, sizeof(b)), "25.8 GB (24 GiB)",
	    "RAM: 24 GiB, sold as 24 GB, is 25.8 GB");
	check_str(cmn_units_ram(25300000000ull, b, sizeof(b)), "25.3 GB", "RAM: not whole GiB");
	check_str(cmn_units_ram(0, b, sizeof(b)), "unknown", "RAM: 0 is unknown");
	check_str(cmn_units_noun(1, "sample", "samples"), "sample", "noun: 1 sample");
	check_str(cmn_units_noun(0, "sample", "samples"), "samples", "noun: 0 samples");
	check_str(cmn_units_noun(2, "process", "processes"), "processes", "noun: 2 processes");
	return tap_done();
}
