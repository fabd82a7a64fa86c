/*
 * test_cmn_rate.c - unit tests of common/cmn_rate.c: what is due when, for
 * spacings and times chosen by hand, including time 0 (which the old
 * "t + 1, 0 = never" fields had to work around) and a clock going back.
 */
#include <stdint.h>

#include "cmn_rate.h"
#include "tap.h"

static void
test_spacing(void)
{
	struct cmn_rate r;

	cmn_rate_init(&r, 100);
	CHECK_U64(r.last_ns, CMN_RATE_NEVER, "init: never done");
	CHECK(cmn_rate_due(&r, 0), "never done: due at t = 0");
	CHECK(cmn_rate_take(&r, 0), "take at 0");
	CHECK_U64(r.last_ns, 0, "done at 0 is not never");
	CHECK(!cmn_rate_due(&r, 0), "not due again at 0");
	CHECK(!cmn_rate_take(&r, 99), "99 ns later: not yet");
	CHECK_U64(r.last_ns, 0, "a refused take records nothing");
	CHECK(cmn_rate_take(&r, 100), "100 ns later: due");
	CHECK(!cmn_rate_due(&r, 150), "50 ns after that: not due");
	CHECK(cmn_rate_due(&r, 250), "150 ns after: due");
	cmn_rate_mark(&r, 240);
	CHECK_U64(r.last_ns, 240, "mark records the time");
	CHECK(!cmn_rate_due(&r, 250), "10 ns after the mark: not due");
	CHECK(cmn_rate_due(&r, 5), "the clock went back: due");
}

static void
test_edges(void)
{
	struct cmn_rate r = { CMN_RATE_NEVER, 0 };

	CHECK(cmn_rate_take(&r, 7) && cmn_rate_take(&r, 7), "every 0: always due");
	cmn_rate_init(&r, UINT64_MAX);
	CHECK(cmn_rate_take(&r, 1), "huge spacing: the first is due");
	CHECK(!cmn_rate_due(&r, UINT64_MAX - 1), "huge spacing: then never again");
	cmn_rate_init(&r, 1000);
	CHECK(cmn_rate_take(&r, UINT64_MAX - 10), "late in the clock: due");
	CHECK(!cmn_rate_due(&r, UINT64_MAX - 5), "late in the clock: spaced");
}

int
main(void)
{
	test_spacing();
	test_edges();
	return tap_done();
}
