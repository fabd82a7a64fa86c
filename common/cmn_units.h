/*
 * cmn_units.h - the words and units both programs print, so that the
 * recorder's live status line and closing line and the analyzer's summary
 * say the same thing the same way: bytes in GB (10^9 bytes, one
 * definition everywhere) or MB below 0.1 GB, RAM in GB with the GiB a
 * machine is sold as, and a noun in the singular for one of a kind.  It
 * formats only: no I/O, no state.
 */
#ifndef CMN_UNITS_H
#define CMN_UNITS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Formats b bytes as "1.23 GB" (from 0.1 GB) or "45.6 MB" (below), with a
 * sign when sign is set ("+1.23 GB"); "n/a" for NaN or infinity.  Returns
 * buf, or the "n/a" literal.
 */
const char *cmn_units_bytes(double b, int sign, char *buf, size_t len);

/*
 * Formats an amount of RAM: "25.8 GB (24 GiB)" when it is whole GiB (a
 * Mac's hw.memsize), else "25.3 GB" (Linux's MemTotal); "unknown" for 0.
 * Returns buf, or the "unknown" literal.
 */
const char *cmn_units_ram(uint64_t b, char *buf, size_t len);

/* one when n is 1, else many: "%llu %s", n, cmn_units_noun(n, "sample", "samples"). */
const char *cmn_units_noun(uint64_t n, const char *one, const char *many);

#endif /* CMN_UNITS_H */
