/*
 * an_cores.c - reads the core levels a recorder stored in the header
 * (HEADER tag 36: the names the system gives each level) and puts them in
 * words for summaries and figures.  It does not look at per-core ticks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_cores.h"
#include "cmn_units.h"

/* Parses "name:count" at s (up to a comma or the end) into *lv; end in *next. */
static int
core_level_parse(const char *s, struct an_core_level *lv, const char **next)
{
	const char *colon = strchr(s, ':'), *p;
	size_t n;
	long v = 0;

	if (colon == NULL || colon == s || (n = (size_t)(colon - s)) >= AN_CORE_NAME_MAX)
		return -1;
	for (p = s; p < colon; p++)
		if (*p < 0x20 || *p > 0x7e || *p == ',')
			return -1;
	for (p = colon + 1; *p >= '0' && *p <= '9' && v <= 4096; p++)
		v = v * 10 + (*p - '0');
	if (p == colon + 1 || v > 4096 || (*p != ',' && *p != '\0'))
		return -1;
	memcpy(lv->name, s, n);
	lv->name[n] = '\0';
	lv->cores = (int)v;
	*next = *p == ',' ? p + 1 : p;
	return 0;
}

size_t
an_core_levels(const struct pmt_header *h, struct an_core_level *lv, size_t max)
{
	const char *s = h->core_levels;
	size_t n = 0;

	if (s == NULL || s[0] == '\0')
		return 0;
	while (*s != '\0') {
		if (n == max || core_level_parse(s, &lv[n], &s) != 0)
			return 0;
		n++;
	}
	return n;
}

/* True when two of the levels' names start with the same letter. */
static int
initials_clash(const struct an_core_level *lv, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (lv[i].name[0] == lv[j].name[0])
				return 1;
	return 0;
}

/* "8P+2E cores" or "8 Performance + 2 Efficiency cores" from the levels. */
static void
label_levels(const struct an_core_level *lv, size_t n, char *buf, size_t len)
{
	int clash = initials_clash(lv, n), total = 0;
	size_t o = 0;

	for (size_t i = 0; i < n; i++)
		total += lv[i].cores;
	if (n == 1) {
		snprintf(buf, len, "%d %s", total, cmn_units_noun((uint64_t)total,
		    "core", "cores"));
		return;
	}
	buf[0] = '\0';
	for (size_t i = 0; i < n && o < len; i++) {
		int k = clash ? snprintf(buf + o, len - o, "%s%d %s", i ? " + " : "",
		    lv[i].cores, lv[i].name) : snprintf(buf + o, len - o, "%s%d%c",
		    i ? "+" : "", lv[i].cores, lv[i].name[0]);
		o += k > 0 ? (size_t)k : 0;
	}
	if (o < len)
		snprintf(buf + o, len - o, " cores");
}

void
an_cores_label(const struct pmt_header *h, char *buf, size_t len)
{
	struct an_core_level lv[AN_CORE_LEVELS_MAX];
	size_t n = an_core_levels(h, lv, AN_CORE_LEVELS_MAX);

	if (len == 0)
		return;
	buf[0] = '\0';
	if (n > 0)
		label_levels(lv, n, buf, len);
	else if (h->cores_p >= 0 && h->cores_e > 0)
		snprintf(buf, len, "%lldP+%lldE cores", (long long)h->cores_p,
		    (long long)h->cores_e);
	else if (h->cores_p >= 0)
		snprintf(buf, len, "%lld %s", (long long)h->cores_p,
		    cmn_units_noun((uint64_t)h->cores_p, "core", "cores"));
}
