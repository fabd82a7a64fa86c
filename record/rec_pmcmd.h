/*
 * rec_pmcmd.h - the powermetrics command line: the samplers it asks for,
 * and what to do when powermetrics refuses one.
 */
#ifndef REC_PMCMD_H
#define REC_PMCMD_H

#include <stddef.h>

/* True when cmdline names samplers (--samplers LIST or -s LIST). */
int rec_pmcmd_has_samplers(const char *cmdline);

/*
 * Finds the sampler powermetrics refused in what it wrote (text[0..len),
 * not NUL-terminated): "powermetrics: unrecognized sampler: NAME" (tlkh/
 * asitop issues #41, #53: "powermetrics: unrecognized sampler: bandwidth").
 * Stores NAME (letters, digits, '_') in name.  Returns 0, or -1 when the
 * text says no such thing.
 */
int rec_pmcmd_refused(const char *text, size_t len, char *name, size_t name_len);

/*
 * Removes sampler name from the --samplers (or -s) list of cmdline, in
 * place.  Returns 0, or -1 (cmdline unchanged) when the list does not name
 * it or it is the only one left.
 */
int rec_pmcmd_drop(char *cmdline, const char *name);

#endif /* REC_PMCMD_H */
