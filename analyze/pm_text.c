/*
 * pm_text.c - read one sample of powermetrics' default text output.
 * Table-driven: a label we use is a row of pm_text_labels, a section we skip
 * (tasks, interrupts, ...) a row of pm_text_skip.  Unknown lines are ignored;
 * a known label with a broken value is an error.  It does not do plists.
 */
#include <string.h>

#include "pm_internal.h"

/* ========================= Tables ========================= */

/*
 * Labels: the text before the first ':' of a line, compared exactly.  A
 * row's target says which kind of line it is read from: sample rows match
 * the whole label ("CPU Power"); cluster rows match what follows the first
 * word when that word is "<NAME>-Cluster" (the cluster's name, e.g.
 * "P0-Cluster"); CPU rows match what follows "cpu N " or "CPU N ".  A CPU
 * belongs to the cluster printed last before it.  The value must be a
 * number followed by the unit's suffix ("mW", "MHz", "%").  To read a new
 * label, add a row.  A field printed twice keeps its first value: macOS 11
 * prints "GPU Power" in the processor section, next to the CPU and ANE
 * power, and again, slightly different, in the GPU section; the first is
 * kept (later versions print the same value in both places).
 */
#define PM_TEXT_ROW(label, target) { label, sizeof(label) - 1, target }

static const struct pm_text_label {
	const char *label;	/* label, without the cluster/CPU prefix */
	size_t len;		/* strlen(label) */
	struct pm_target t;	/* where the value goes, unit as printed */
} pm_text_labels[] = {
	PM_TEXT_ROW("CPU Power", PM_T_SAMPLE(cpu_power_w, PM_UNIT_MW)),
	/*
	 * macOS 11 prints "Clusters Total Power" (E-Cluster Power + P-Cluster
	 * Power) where later versions print "CPU Power": same quantity.
	 */
	PM_TEXT_ROW("Clusters Total Power",
	    PM_T_SAMPLE(cpu_power_w, PM_UNIT_MW)),
	PM_TEXT_ROW("GPU Power", PM_T_SAMPLE(gpu_power_w, PM_UNIT_MW)),
	PM_TEXT_ROW("ANE Power", PM_T_SAMPLE(ane_power_w, PM_UNIT_MW)),
	PM_TEXT_ROW("DRAM Power", PM_T_SAMPLE(dram_power_w, PM_UNIT_MW)),
	PM_TEXT_ROW("Package Power", PM_T_SAMPLE(package_power_w, PM_UNIT_MW)),
	PM_TEXT_ROW("Combined Power (CPU + GPU + ANE)",
	    PM_T_SAMPLE(combined_power_w, PM_UNIT_MW)),
	PM_TEXT_ROW("GPU active residency",
	    PM_T_SAMPLE(gpu_active_pct, PM_UNIT_PCT)),
	PM_TEXT_ROW("GPU HW active residency",
	    PM_T_SAMPLE(gpu_active_pct, PM_UNIT_PCT)),
	PM_TEXT_ROW("GPU idle residency",
	    PM_T_SAMPLE(gpu_idle_pct, PM_UNIT_PCT)),
	PM_TEXT_ROW("GPU active frequency",
	    PM_T_SAMPLE(gpu_freq_mhz, PM_UNIT_MHZ)),
	PM_TEXT_ROW("GPU HW active frequency",
	    PM_T_SAMPLE(gpu_freq_mhz, PM_UNIT_MHZ)),
	PM_TEXT_ROW("HW active residency",
	    PM_T_CLUSTER(active_pct, PM_UNIT_PCT)),
	PM_TEXT_ROW("HW active frequency",
	    PM_T_CLUSTER(freq_mhz, PM_UNIT_MHZ)),
	PM_TEXT_ROW("idle residency", PM_T_CLUSTER(idle_pct, PM_UNIT_PCT)),
	PM_TEXT_ROW("down residency", PM_T_CLUSTER(down_pct, PM_UNIT_PCT)),
	PM_TEXT_ROW("Power", PM_T_CLUSTER(power_w, PM_UNIT_MW)),
	PM_TEXT_ROW("frequency", PM_T_CPU(freq_mhz, PM_UNIT_MHZ)),
	PM_TEXT_ROW("active residency", PM_T_CPU(active_pct, PM_UNIT_PCT)),
	PM_TEXT_ROW("idle residency", PM_T_CPU(idle_pct, PM_UNIT_PCT)),
	PM_TEXT_ROW("down residency", PM_T_CPU(down_pct, PM_UNIT_PCT)),
};

#define PM_TEXT_NLABELS (sizeof(pm_text_labels) / sizeof(pm_text_labels[0]))

/*
 * Sections whose lines are never read, by the title between the stars
 * ("*** Running tasks ***").  Task lines start with process names, which
 * anyone can choose, so they must never be matched against labels.
 */
static const char *const pm_text_skip[] = {
	"Running tasks",
	"Interrupt distribution",
	"Network activity",
	"Disk activity",
	"Battery and backlight usage",
};

/* Sample headers; the second one is a summary of the whole run. */
static const char pm_text_sampled[] = "*** Sampled system activity";
static const char pm_text_summary[] = "*** Summary system activity";

/* Preamble lines, before the first sample. */
static const char pm_text_model[] = "Machine model:";
static const char pm_text_os[] = "OS version:";

#define PM_TEXT_LIT(s) (sizeof(s) - 1)

/* State while reading one text sample. */
struct pm_text {
	struct pm_sample *s;	/* being filled */
	int cluster;		/* cluster printed last, -1 none yet */
	int cpu;		/* CPU slot printed last, -1 none yet */
	int skip;		/* inside a section of pm_text_skip */
	size_t line;		/* 1-based line number, for errors */
	char *err;		/* reason of a failure */
	size_t errlen;		/* capacity of err */
};

/* ========================= Lines ========================= */

/* Returns 1 for ASCII letters, digits and '_'. */
static int
pm_text_isword(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/* Returns 1 when the n bytes at a and b are equal (short: no memcmp call). */
static int
pm_text_eq(const char *a, const char *b, size_t n)
{
	while (n-- > 0)
		if (*a++ != *b++)
			return 0;
	return 1;
}

/* Returns 1 when [p, end) starts with the n bytes of s. */
static int
pm_text_starts(const char *p, const char *end, const char *s, size_t n)
{
	return (size_t)(end - p) >= n && pm_text_eq(p, s, n);
}

/* Returns the end of the line starting at p (its '\n' or end). */
static const char *
pm_text_eol(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl != NULL ? nl : end;
}

/* Returns end moved back over trailing spaces, tabs, CRs and NULs. */
static const char *
pm_text_rtrim(const char *p, const char *end)
{
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r' || end[-1] == '\0'))
		end--;
	return end;
}

/* Returns 1 for a "*** ... ***" header line (sample or section). */
static int
pm_text_is_banner(const char *p, const char *end)
{
	end = pm_text_rtrim(p, end);
	return end - p >= 6 && memcmp(p, "***", 3) == 0 &&
	    memcmp(end - 3, "***", 3) == 0;
}

/* Returns 1 for a sample header line ("*** Sampled/Summary ... ***"). */
static int
pm_text_is_header(const char *p, const char *end)
{
	return pm_text_is_banner(p, end) &&
	    (pm_text_starts(p, end, pm_text_sampled,
	    PM_TEXT_LIT(pm_text_sampled)) ||
	    pm_text_starts(p, end, pm_text_summary,
	    PM_TEXT_LIT(pm_text_summary)));
}

/* Returns 1 when the section banner [p, end) is one we skip. */
static int
pm_text_skip_section(const char *p, const char *end)
{
	size_t i, n;

	while (p < end && (*p == '*' || *p == ' '))
		p++;
	for (i = 0; i < sizeof(pm_text_skip) / sizeof(pm_text_skip[0]); i++) {
		n = strlen(pm_text_skip[i]);
		if (pm_text_starts(p, end, pm_text_skip[i], n))
			return 1;
	}
	return 0;
}

/* ========================= Labels ========================= */

/* What the start of a label says about the line. */
struct pm_text_shape {
	enum pm_scope scope;	/* sample, cluster or CPU line */
	const char *rest;	/* the label after the cluster/CPU prefix */
	const char *word;	/* cluster: its name, the label's first word */
	size_t word_len;	/* length of the name */
	int id;			/* CPU: its number */
};

/* Classifies the label [p, end) (see pm_text_labels). */
static void
pm_text_shape(const char *p, const char *end, struct pm_text_shape *sh)
{
	static const char cl[] = "-Cluster";
	const char *sp, *q;

	sh->scope = PM_SCOPE_SAMPLE;
	sh->rest = p;
	if ((pm_text_starts(p, end, "cpu ", 4) ||
	    pm_text_starts(p, end, "CPU ", 4)) &&
	    (q = pm_int_parse(p + 4, end, &sh->id)) != NULL && q < end &&
	    *q == ' ') {
		sh->scope = PM_SCOPE_CPU;
		sh->rest = q + 1;
		return;
	}
	sp = memchr(p, ' ', (size_t)(end - p));
	if (sp == NULL || (size_t)(sp - p) <= PM_TEXT_LIT(cl) ||
	    memcmp(sp - PM_TEXT_LIT(cl), cl, PM_TEXT_LIT(cl)) != 0)
		return;
	sh->scope = PM_SCOPE_CLUSTER;
	sh->word = p;
	sh->word_len = (size_t)(sp - p);
	sh->rest = sp + 1;
}

/* Returns the row of pm_text_labels for the label [p, end), or NULL. */
static const struct pm_text_label *
pm_text_find(const char *p, const char *end, struct pm_text_shape *sh)
{
	const struct pm_text_label *row;
	size_t i, n;

	pm_text_shape(p, end, sh);
	n = (size_t)(end - sh->rest);
	for (i = 0; i < PM_TEXT_NLABELS; i++) {
		row = &pm_text_labels[i];
		if (row->len == n && row->t.scope == sh->scope &&
		    row->label[0] == sh->rest[0] &&
		    memcmp(row->label, sh->rest, n) == 0)
			return row;
	}
	return NULL;
}

/*
 * Reads a value "<number><spaces><suffix>" at p (after the ':').  Returns
 * 1 with *v, 0 for "nan" (printed but unknown), or -1 when broken.
 */
static int
pm_text_value(const char *p, const char *end, enum pm_unit u, double *v)
{
	size_t n;
	const char *suf = pm_unit_suffix(u, &n);

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (pm_text_starts(p, end, "nan", 3) ||
	    pm_text_starts(p, end, "-nan", 4))
		return 0;
	if ((p = pm_num_parse(p, end, v)) == NULL)
		return -1;
	while (p < end && *p == ' ')
		p++;
	if (!pm_text_starts(p, end, suf, n))
		return -1;
	p += n;
	return p < end && pm_text_isword(*p) ? -1 : 1;
}

/* Returns the index of the cluster named [p, p+n), adding it; -1 if full. */
static int
pm_text_cluster(struct pm_sample *s, const char *p, size_t n)
{
	static const struct pm_target name = PM_T_CLUSTER(name, PM_UNIT_TEXT);
	size_t cap = sizeof(s->clusters[0].name) - 1;
	int i;

	if (n > cap)
		n = cap;
	for (i = 0; i < s->n_clusters; i++)
		if (strncmp(s->clusters[i].name, p, n) == 0 &&
		    s->clusters[i].name[n] == '\0')
			return i;
	if (pm_sample_cluster(s, i) != 0)
		return -1;
	pm_store_text(s, &name, i, -1, p, n);
	return i;
}

/* Returns the slot of the CPU numbered id, adding it to the last cluster. */
static int
pm_text_cpu(struct pm_text *t, int id)
{
	struct pm_sample *s = t->s;
	int i;

	if (t->cpu >= 0 && s->cpus[t->cpu].id == id)
		return t->cpu;
	for (i = 0; i < s->n_cpus; i++)
		if (s->cpus[i].id == id)
			return i;
	return pm_sample_add_cpu(s, id, t->cluster);
}

/* Finds the cluster or CPU a line writes to; returns 0 or -1 (ignore). */
static int
pm_text_object(struct pm_text *t, const struct pm_text_shape *sh)
{
	if (sh->scope == PM_SCOPE_CLUSTER) {
		t->cluster = pm_text_cluster(t->s, sh->word, sh->word_len);
		return t->cluster >= 0 ? 0 : -1;
	}
	if (sh->scope == PM_SCOPE_CPU) {
		t->cpu = pm_text_cpu(t, sh->id);
		return t->cpu >= 0 ? 0 : -1;
	}
	return 0;
}

/* Reads one line of a section we parse; returns 0, or -1 when broken. */
static int
pm_text_line(struct pm_text *t, const char *p, const char *end)
{
	const char *colon = memchr(p, ':', (size_t)(end - p));
	const struct pm_text_label *row;
	struct pm_text_shape sh;
	char what[48], val[32];
	double v;
	int rc;

	if (colon == NULL || (row = pm_text_find(p, colon, &sh)) == NULL)
		return 0;
	rc = pm_text_value(colon + 1, end, row->t.unit, &v);
	if (rc < 0) {
		pm_snippet(what, sizeof(what), p, (size_t)(colon - p));
		pm_snippet(val, sizeof(val), colon + 1,
		    (size_t)(end - colon - 1));
		return pm_fail(t->err, t->errlen, "text: sample line %zu: bad "
		    "value for \"%s\": \"%s\"", t->line, what, val);
	}
	if (pm_text_object(t, &sh) == 0 && rc > 0)
		pm_store_num(t->s, &row->t, t->cluster, t->cpu, v);
	return 0;
}

/* ========================= Header ========================= */

/* Reads "(1005.03ms elapsed)" contents [p, end); returns 0 or -1. */
static int
pm_text_elapsed(const char *p, const char *end, double *ms)
{
	static const char tail[] = "ms elapsed";

	if ((p = pm_num_parse(p, end, ms)) == NULL)
		return -1;
	return (size_t)(end - p) == PM_TEXT_LIT(tail) &&
	    memcmp(p, tail, PM_TEXT_LIT(tail)) == 0 ? 0 : -1;
}

/* Reads one "(...)" group of the header: the date or the elapsed time. */
static int
pm_text_group(struct pm_text *t, const char *p, const char *end)
{
	struct pm_sample *s = t->s;
	static const char el[] = "elapsed";
	size_t n = PM_TEXT_LIT(el);

	if ((size_t)(end - p) >= n && memcmp(end - n, el, n) == 0)
		return pm_text_elapsed(p, end, &s->elapsed_ms);
	return pm_date_text(p, end, &s->timestamp, &s->tz_offset_min);
}

/*
 * Reads the header line "*** Sampled system activity (Sun Feb 28 00:17:04
 * 2021 -0800) (1005.03ms elapsed) ***"; the groups are optional, but a
 * group that is there must be well formed.  Returns 0 or -1.
 */
static int
pm_text_header(struct pm_text *t, const char *p, const char *end)
{
	const char *start = p, *close;
	char line[80];

	t->s->is_summary = pm_text_starts(p, end, pm_text_summary,
	    PM_TEXT_LIT(pm_text_summary));
	end = pm_text_rtrim(p, end) - 3;	/* the closing "***" */
	p += PM_TEXT_LIT(pm_text_sampled);
	for (;;) {
		while (p < end && *p == ' ')
			p++;
		if (p >= end || *p != '(')
			break;
		close = memchr(p, ')', (size_t)(end - p));
		if (close == NULL || pm_text_group(t, p + 1, close) != 0)
			break;
		p = close + 1;
	}
	if (p >= end)
		return 0;
	pm_snippet(line, sizeof(line), start, (size_t)(end + 3 - start));
	return pm_fail(t->err, t->errlen, "text: sample line %zu: bad header "
	    "\"%s\"", t->line, line);
}

/* ========================= Entry points ========================= */

/* Returns p moved over NULs and white space. */
static const char *
pm_text_skip_blank(const char *p, const char *end)
{
	while (p < end && (*p == '\0' || *p == ' ' || *p == '\t' ||
	    *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* Handles a "*** ... ***" line in a sample's body; returns 0 or -1. */
static int
pm_text_banner(struct pm_text *t, const char *p, const char *eol)
{
	if (pm_text_is_header(p, eol))
		return pm_fail(t->err, t->errlen, "text: sample line %zu: a "
		    "second sample header (split the stream at "
		    "sample headers first)", t->line);
	t->skip = pm_text_skip_section(p, eol);
	return 0;
}

/* Reads the body of a sample, line by line, after its header. */
static int
pm_text_body(struct pm_text *t, const char *p, const char *end)
{
	const char *eol;

	for (; p < end; p = eol < end ? eol + 1 : end) {
		eol = pm_text_eol(p, end);
		t->line++;
		if (*p == '*' && pm_text_is_banner(p, eol)) {
			if (pm_text_banner(t, p, eol) != 0)
				return -1;
		} else if (!t->skip &&
		    pm_text_line(t, p, pm_text_rtrim(p, eol)) != 0) {
			return -1;
		}
	}
	return 0;
}

/* Parses one text sample; see pm_internal.h. */
int
pm_text_parse(const char *p, size_t len, struct pm_sample *s, char *err,
    size_t errlen)
{
	const char *end = p + len, *eol;
	struct pm_text t = { s, -1, -1, 0, 1, err, errlen };

	p = pm_text_skip_blank(p, end);
	eol = pm_text_eol(p, end);
	if (!pm_text_is_header(p, eol))
		return pm_fail(err, errlen, "text: the sample does not start "
		    "with a \"%s\" header", pm_text_sampled);
	if (pm_text_header(&t, p, eol) != 0)
		return -1;
	if (eol == end)
		return 0;
	return pm_text_body(&t, eol + 1, end);
}

/* Copies the value of a preamble line, trimmed, truncated to fit. */
static void
pm_text_copy(char *dst, size_t cap, const char *p, const char *end)
{
	size_t n;

	while (p < end && *p == ' ')
		p++;
	end = pm_text_rtrim(p, end);
	n = (size_t)(end - p);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, p, n);
	dst[n] = '\0';
}

/* Reads "Machine model:" and "OS version:" before the first sample. */
int
pm_text_preamble(const char *p, size_t len, char *model, size_t model_len,
    char *os_build, size_t os_len)
{
	const char *end = p + len, *eol;
	int found = 0;

	model[0] = os_build[0] = '\0';
	for (; p < end; p = eol < end ? eol + 1 : end) {
		eol = pm_text_eol(p, end);
		if (pm_text_is_header(p, eol))
			break;
		if (!found && pm_text_starts(p, eol, pm_text_model,
		    PM_TEXT_LIT(pm_text_model))) {
			pm_text_copy(model, model_len,
			    p + PM_TEXT_LIT(pm_text_model), eol);
			found = 1;
		} else if (os_build[0] == '\0' && pm_text_starts(p, eol,
		    pm_text_os, PM_TEXT_LIT(pm_text_os))) {
			pm_text_copy(os_build, os_len,
			    p + PM_TEXT_LIT(pm_text_os), eol);
		}
	}
	return found ? 0 : -1;
}


/* Returns 1 when [p, p+len) (at its first non-blank byte) looks like text. */
int
pm_text_looks_like(const char *p, size_t len)
{
	static const char *const starts[] = {
		pm_text_model, pm_text_os, pm_text_sampled, pm_text_summary,
	};
	const char *end = p + len, *q;
	size_t i, n;

	for (i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		if (pm_text_starts(p, end, starts[i], strlen(starts[i])))
			return 1;
	if (len > 65536)
		end = p + 65536;
	n = PM_TEXT_LIT(pm_text_sampled);
	for (q = p; (q = memchr(q, '*', (size_t)(end - q))) != NULL; q++)
		if (pm_text_starts(q, end, pm_text_sampled, n) ||
		    pm_text_starts(q, end, pm_text_summary, n))
			return 1;
	return 0;
}
