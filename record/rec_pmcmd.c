/*
 * rec_pmcmd.c - edits the powermetrics command line: finds its samplers
 * list, recognizes powermetrics' complaint about a sampler it does not know
 * (this has happened across macOS releases: "bandwidth" went away in 13,
 * "ane_power" came in 13), and takes that sampler out so the recorder can
 * retry.  Pure string work, tested anywhere; starting powermetrics is
 * rec_pm.c's, and so is deciding to retry (rec_pm_start_dropping).
 */
#include <string.h>

#include "rec_pmcmd.h"

static const char refused_key[] = "unrecognized sampler:";

/* The samplers list of cmdline (after "--samplers " or "-s "), or NULL. */
static char *
pmcmd_list(const char *cmdline, size_t *len)
{
	static const char *const opts[] = { " --samplers ", " -s " };

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		const char *p = strstr(cmdline, opts[i]);
		if (p != NULL) {
			p += strlen(opts[i]);
			*len = strcspn(p, " ");
			return *len > 0 ? (char *)p : NULL;
		}
	}
	return NULL;
}

int
rec_pmcmd_has_samplers(const char *cmdline)
{
	size_t n;

	return pmcmd_list(cmdline, &n) != NULL;
}

int
rec_pmcmd_refused(const char *text, size_t len, char *name, size_t name_len)
{
	const size_t kl = sizeof(refused_key) - 1;
	size_t i, n = 0;

	for (i = 0; i + kl <= len; i++)
		if (memcmp(text + i, refused_key, kl) == 0)
			break;
	if (i + kl > len || name_len == 0)
		return -1;
	for (i += kl; i < len && (text[i] == ' ' || text[i] == '\t'); i++)
		;
	while (i < len && n + 1 < name_len && (text[i] == '_' ||
	    (text[i] >= 'a' && text[i] <= 'z') || (text[i] >= 'A' && text[i] <= 'Z') ||
	    (text[i] >= '0' && text[i] <= '9')))
		name[n++] = text[i++];
	name[n] = '\0';
	return n > 0 ? 0 : -1;
}

int
rec_pmcmd_drop(char *cmdline, const char *name)
{
	size_t len, nl = strlen(name);
	char *list = pmcmd_list(cmdline, &len), *p;

	if (list == NULL || nl == 0)
		return -1;
	for (p = list; p < list + len; p += strcspn(p, ", ") + 1) {
		size_t w = strcspn(p, ", ");
		if (w != nl || memcmp(p, name, nl) != 0)
			continue;
		if (w == len)
			return -1;		/* the only one: nothing left to ask for */
		if (p + w < list + len)		/* "name," : drop it and its comma */
			memmove(p, p + w + 1, strlen(p + w + 1) + 1);
		else				/* ",name" at the end */
			memmove(p - 1, p + w, strlen(p + w) + 1);
		return 0;
	}
	return -1;
}
