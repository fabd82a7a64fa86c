/*
 * pm_text.c - read one sample of powermetrics' default text output.
 * Table-driven: a label we use is a row of pm_text_sample_rows (or of the
 * cluster or CPU table), a section we skip (tasks, interrupts, ...) a row of
 * pm_text_skip.  Each line is read once, front to back: label, value, then
 * a jump to its end over what we do not use (frequency histograms).
 * Unknown lines are ignored; a known label with a broken value is an
 * error.  It does not do plists.
 */
#include <string.h>

#include "pm_internal.h"

/* ========================= Tables ========================= */

/*
 * Labels: the text before the first ':' of a line, compared exactly.  There
 * is a table for each kind of line: sample rows match the whole label
 * ("CPU Power"); cluster rows match what follows the first word when that
 * word is "<NAME>-Cluster" (the cluster's name, e.g. "P0-Cluster"); CPU
 * rows match what follows "cpu N " or "CPU N ".  A CPU belongs to the
 * cluster printed last before it.  The value must be a number followed by
 * the unit's suffix ("mW", "MHz", "%").  To read a new label, add a row to
 * the table of its kind (its target has that scope).  A field printed twice
 * keeps its first value: macOS 11 prints "GPU Power" in the processor
 * section, next to the CPU and ANE power, and again, slightly different, in
 * the GPU section; the first is kept (later versions print the same value
 * in both places).
 */
#define PM_TEXT_ROW(label, target) { label, sizeof(label) - 1, target }

struct pm_text_label {
	const char *label;	/* label, without the cluster/CPU prefix */
	size_t len;		/* strlen(label) */
	struct pm_target t;	/* where the value goes, unit as printed */
};

/* Whole-sample lines ("GPU Power: 1 mW"). */
static const struct pm_text_label pm_text_sample_rows[] = {
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
};

/* Cluster lines, after "<NAME>-Cluster " ("E-Cluster Power: 11 mW"). */
static const struct pm_text_label pm_text_cluster_rows[] = {
	PM_TEXT_ROW("HW active residency",
	    PM_T_CLUSTER(active_pct, PM_UNIT_PCT)),
	PM_TEXT_ROW("HW active frequency",
	    PM_T_CLUSTER(freq_mhz, PM_UNIT_MHZ)),
	PM_TEXT_ROW("idle residency", PM_T_CLUSTER(idle_pct, PM_UNIT_PCT)),
	PM_TEXT_ROW("down residency", PM_T_CLUSTER(down_pct, PM_UNIT_PCT)),
	PM_TEXT_ROW("Power", PM_T_CLUSTER(power_w, PM_UNIT_MW)),
};

/* CPU lines, after "cpu N " or "CPU N " ("cpu 0 frequency: 1177 MHz"). */
static const struct pm_text_label pm_text_cpu_rows[] = {
	PM_TEXT_ROW("frequency", PM_T_CPU(freq_mhz, PM_UNIT_MHZ)),
	PM_TEXT_ROW("active residency", PM_T_CPU(active_pct, PM_UNIT_PCT)),
	PM_TEXT_ROW("idle residency", PM_T_CPU(idle_pct, PM_UNIT_PCT)),
	PM_TEXT_ROW("down residency", PM_T_CPU(down_pct, PM_UNIT_PCT)),
};

#define PM_TEXT_NROWS(a) (sizeof(a) / sizeof((a)[0]))

/* The tables, by the scope of the line (enum pm_scope). */
static const struct pm_text_table {
	const struct pm_text_label *rows;	/* its rows */
	size_t n;		/* how many */
} pm_text_tables[] = {
	[PM_SCOPE_SAMPLE] = { pm_text_sample_rows,
	    PM_TEXT_NROWS(pm_text_sample_rows) },
	[PM_SCOPE_CLUSTER] = { pm_text_cluster_rows,
	    PM_TEXT_NROWS(pm_text_cluster_rows) },
	[PM_SCOPE_CPU] = { pm_text_cpu_rows,
	    PM_TEXT_NROWS(pm_text_cpu_rows) },
};

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

#define PM_TEXT_NSCOPES (PM_SCOPE_CPU + 1)
#define PM_TEXT_SLOTS 64	/* hash slots per table: a power of 2 */

_Static_assert(PM_TEXT_NROWS(pm_text_sample_rows) < PM_TEXT_SLOTS / 2 &&
    PM_TEXT_NROWS(pm_text_cluster_rows) < PM_TEXT_SLOTS / 2 &&
    PM_TEXT_NROWS(pm_text_cpu_rows) < PM_TEXT_SLOTS / 2,
    "a table fills at most half its hash slots");

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
	/* hash index of each table: row index + 1, 0 = empty slot */
	uint8_t slot[PM_TEXT_NSCOPES][PM_TEXT_SLOTS];
	const char *suf[PM_UNIT_COUNT];	/* pm_unit_suffix() of each unit */
	size_t suf_len[PM_UNIT_COUNT];	/* and its length */
	uint32_t suf_w[PM_UNIT_COUNT];	/* a suffix of 0..4 bytes as a word */
};

/* ========================= Lines ========================= */

/* Returns 1 for ASCII letters, digits and '_'. */
static int
pm_text_isword(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/* Returns 1 when the n bytes at a and b are equal (any n). */
static int
pm_text_eq_any(const char *a, const char *b, size_t n)
{
	uint64_t d;
	size_t i;

	if (n < 8) {
		for (i = 0; i < n; i++)
			if (a[i] != b[i])
				return 0;
		return 1;
	}
	d = pm_w_load(a + n - 8) ^ pm_w_load(b + n - 8);
	for (i = 0; i + 8 < n; i += 8)
		d |= pm_w_load(a + i) ^ pm_w_load(b + i);
	return d == 0;
}

/*
 * Returns 1 when the n bytes at a and b are equal: two words, overlapping,
 * for 4 to 16 bytes (most labels), no early exit.  Inline: every known
 * line's label goes through it.
 */
static inline int
pm_text_eq(const char *a, const char *b, size_t n)
{
	if (n >= 8 && n <= 16)
		return ((pm_w_load(a) ^ pm_w_load(b)) |
		    (pm_w_load(a + n - 8) ^ pm_w_load(b + n - 8))) == 0;
	if (n >= 4 && n < 8)
		return ((pm_w_load4(a) ^ pm_w_load4(b)) |
		    (pm_w_load4(a + n - 4) ^ pm_w_load4(b + n - 4))) == 0;
	return pm_text_eq_any(a, b, n);
}

/* Returns 1 when [p, end) starts with the n bytes of s. */
static int
pm_text_starts(const char *p, const char *end, const char *s, size_t n)
{
	return (size_t)(end - p) >= n && pm_text_eq(p, s, n);
}

/*
 * Returns the end of the line p is in (its '\n' or end).  Often p is at
 * the '\n' already (after a value), or a histogram is ahead.
 */
static const char *
pm_text_eol(const char *p, const char *end)
{
	const char *nl;

	if (p >= end)
		return end;
	if (*p == '\n')
		return p;
	nl = memchr(p, '\n', (size_t)(end - p));
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

/*
 * Finds the label of the line at p: the bytes before its first ':'.
 * Returns the ':' (*sp the first ' ' before it, or NULL), or NULL when the
 * line has none; *eol is then the end of the line.  A word at a time: most
 * labels are 10 to 30 bytes.
 */
static const char *
pm_text_label(const char *p, const char *end, const char **sp,
    const char **eol)
{
	uint64_t w, stop, space;
	const char *q;

	*sp = NULL;
	for (q = p; end - q >= 8; q += 8) {
		w = pm_w_load(q);
		/*
		 * ':' and '\n' are the bytes that are ':' once ORed with 0x30,
		 * with '*' and 0x1a: those stop the words too, and the bytes
		 * go on one at a time from there.
		 */
		stop = pm_w_eq(w | PM_W_ONES * 0x30, ':');
		if (*sp == NULL) {
			space = pm_w_eq(w, ' ');
			if (stop != 0)
				space &= (stop & (0 - stop)) - 1; /* before */
			if (space != 0)
				*sp = q + pm_w_first(space);
		}
		if (stop != 0) {
			q += pm_w_first(stop);
			break;
		}
	}
	for (; q < end && *q != ':' && *q != '\n'; q++)
		if (*q == ' ' && *sp == NULL)
			*sp = q;
	if (q < end && *q == ':')
		return q;
	*eol = q;
	return NULL;
}

/*
 * Classifies the label [p, end) whose first space is sp (NULL: none); see
 * pm_text_sample_rows.
 */
static void
pm_text_shape(const char *p, const char *end, const char *sp,
    struct pm_text_shape *sh)
{
	static const char cl[] = "-Cluster", cpu[] = "cpu ", CPU[] = "CPU ";
	const char *q;
	uint32_t w;

	sh->scope = PM_SCOPE_SAMPLE;
	sh->rest = sh->word = p;
	sh->word_len = 0;
	sh->id = 0;
	if (end - p >= 4 && ((w = pm_w_load4(p)) == pm_w_load4(cpu) ||
	    w == pm_w_load4(CPU)) &&
	    (q = pm_int_parse(p + 4, end, &sh->id)) != NULL && q < end &&
	    *q == ' ') {
		sh->scope = PM_SCOPE_CPU;
		sh->rest = q + 1;
		return;
	}
	if (sp == NULL || (size_t)(sp - p) <= PM_TEXT_LIT(cl) ||
	    !pm_text_eq(sp - PM_TEXT_LIT(cl), cl, PM_TEXT_LIT(cl)))
		return;
	sh->scope = PM_SCOPE_CLUSTER;
	sh->word = p;
	sh->word_len = (size_t)(sp - p);
	sh->rest = sp + 1;
}

/*
 * Returns the hash slot of the label [s, s+n) (n > 0): from its length,
 * first byte and the byte 5 from its end, which tell the labels of a table
 * apart ("HW active residency", "HW active frequency").
 */
static size_t
pm_text_hash(const char *s, size_t n)
{
	return (n + (unsigned char)s[0] +
	    (unsigned char)s[n > 4 ? n - 5 : 0]) & (PM_TEXT_SLOTS - 1);
}

/*
 * Builds the hash index of every table (t->slot, linear probing, rows in
 * table order) once per sample, so that a line tries about one row.
 * Notes the suffix of every unit too.
 */
static void
pm_text_index(struct pm_text *t)
{
	const struct pm_text_table *tab;
	size_t sc, i, h;

	for (i = 0; i < PM_UNIT_COUNT; i++) {
		t->suf[i] = pm_unit_suffix((enum pm_unit)i, &t->suf_len[i]);
		for (t->suf_w[i] = 0, h = 0; h < t->suf_len[i] && h < 4; h++)
			t->suf_w[i] |= (uint32_t)(unsigned char)t->suf[i][h] <<
			    (8 * h);
	}
	memset(t->slot, 0, sizeof(t->slot));
	for (sc = 0; sc < PM_TEXT_NSCOPES; sc++) {
		tab = &pm_text_tables[sc];
		for (i = 0; i < tab->n; i++) {
			if (tab->rows[i].len == 0)
				continue;	/* matches no label */
			h = pm_text_hash(tab->rows[i].label, tab->rows[i].len);
			while (t->slot[sc][h] != 0)
				h = (h + 1) & (PM_TEXT_SLOTS - 1);
			t->slot[sc][h] = (uint8_t)(i + 1);
		}
	}
}

/*
 * Returns the first row (in table order) for the label [p, end) whose
 * first space is sp, or NULL; only the table of the line's kind is
 * searched, through its hash index.
 */
static const struct pm_text_label *
pm_text_find(const struct pm_text *t, const char *p, const char *end,
    const char *sp, struct pm_text_shape *sh)
{
	const struct pm_text_table *tab;
	const struct pm_text_label *row;
	size_t n, h;
	unsigned i;

	pm_text_shape(p, end, sp, sh);
	tab = &pm_text_tables[sh->scope];
	if ((n = (size_t)(end - sh->rest)) == 0)
		return NULL;
	for (h = pm_text_hash(sh->rest, n); (i = t->slot[sh->scope][h]) != 0;
	    h = (h + 1) & (PM_TEXT_SLOTS - 1)) {
		row = &tab->rows[i - 1];
		if (row->len == n && row->t.scope == sh->scope &&
		    pm_text_eq(row->label, sh->rest, n))
			return row;
	}
	return NULL;
}

/*
 * Returns the end of the suffix of unit u at p, or NULL when it is not
 * there.  Suffixes are short: one masked word compare.
 */
static const char *
pm_text_suffix(const struct pm_text *t, const char *p, const char *end,
    enum pm_unit u)
{
	size_t n;

	if ((unsigned)u >= PM_UNIT_COUNT)
		return p;		/* pm_unit_suffix(): "" */
	n = t->suf_len[u];
	if (n <= 4 && end - p >= 4)
		return (pm_w_load4(p) & (uint32_t)pm_w_head((unsigned)n)) ==
		    t->suf_w[u] ? p + n : NULL;
	return pm_text_starts(p, end, t->suf[u], n) ? p + n : NULL;
}

/*
 * Reads a value "<number><spaces><suffix>" at p (after the ':'), on a line
 * that goes on to its '\n' or end.  Returns 1 with *v, 0 for "nan"
 * (printed but unknown), or -1 when broken; *next is where reading
 * stopped (on the same line).  Bytes a line ends with (blanks, CR, NUL)
 * are none of a number, a suffix or a word, so reading on to end instead
 * of the trimmed line gives the same answers.
 */
static int
pm_text_value(const struct pm_text *t, const char *p, const char *end,
    enum pm_unit u, double *v, const char **next)
{
	const char *q;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	*next = p;
	if (p < end && (*p == 'n' || *p == '-') &&
	    (pm_text_starts(p, end, "nan", 3) ||
	    pm_text_starts(p, end, "-nan", 4)))
		return 0;
	if ((q = pm_num_parse(p, end, v)) == NULL)
		return -1;
	while (q < end && *q == ' ')
		q++;
	*next = q;
	if ((q = pm_text_suffix(t, q, end, u)) == NULL)
		return -1;
	*next = q;
	return q < end && pm_text_isword(*q) ? -1 : 1;
}

/* Returns 1 when strncmp(name, p, n) would be 0. */
static int
pm_text_same_name(const char *name, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (name[i] != p[i])
			return 0;
		if (name[i] == '\0')
			return 1;
	}
	return 1;
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
		if (pm_text_same_name(s->clusters[i].name, p, n) &&
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

/*
 * Reads the line at p of a section we parse, once: its label, the value of
 * a known label, then on to its end over what is left (a histogram).
 * Returns 0 with the end of the line (its '\n' or end) in *eol, or -1 when
 * the value of a known label is broken.
 */
static int
pm_text_line(struct pm_text *t, const char *p, const char *end,
    const char **eol)
{
	const char *colon, *sp, *next;
	const struct pm_text_label *row;
	struct pm_text_shape sh;
	char what[48], val[32];
	double v;
	int rc;

	if ((colon = pm_text_label(p, end, &sp, eol)) == NULL)
		return 0;
	if ((row = pm_text_find(t, p, colon, sp, &sh)) == NULL) {
		*eol = pm_text_eol(colon + 1, end);
		return 0;
	}
	rc = pm_text_value(t, colon + 1, end, row->t.unit, &v, &next);
	*eol = pm_text_eol(next, end);
	if (rc < 0) {
		pm_snippet(what, sizeof(what), p, (size_t)(colon - p));
		pm_snippet(val, sizeof(val), colon + 1,
		    (size_t)(pm_text_rtrim(colon + 1, *eol) - colon - 1));
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
		t->line++;
		if (*p == '*' || t->skip) {
			eol = pm_text_eol(p, end);
			if (*p == '*' && pm_text_is_banner(p, eol)) {
				if (pm_text_banner(t, p, eol) != 0)
					return -1;
				continue;
			}
			if (t->skip)
				continue;
		}
		if (pm_text_line(t, p, end, &eol) != 0)
			return -1;
	}
	return 0;
}

/* Parses one text sample; see pm_internal.h. */
int
pm_text_parse(const char *p, size_t len, struct pm_sample *s, char *err,
    size_t errlen)
{
	const char *end = p + len, *eol;
	struct pm_text t;

	t.s = s;
	t.cluster = t.cpu = -1;
	t.skip = 0;
	t.line = 1;
	t.err = err;
	t.errlen = errlen;
	p = pm_text_skip_blank(p, end);
	eol = pm_text_eol(p, end);
	if (!pm_text_is_header(p, eol))
		return pm_fail(err, errlen, "text: the sample does not start "
		    "with a \"%s\" header", pm_text_sampled);
	if (pm_text_header(&t, p, eol) != 0)
		return -1;
	if (eol == end)
		return 0;
	pm_text_index(&t);
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
	static const struct {
		const char *s;	/* a line text output starts with */
		size_t n;	/* its length */
	} starts[] = {
		/* the header first: pm_parse_sample() asks for every sample */
		{ pm_text_sampled, PM_TEXT_LIT(pm_text_sampled) },
		{ pm_text_summary, PM_TEXT_LIT(pm_text_summary) },
		{ pm_text_model, PM_TEXT_LIT(pm_text_model) },
		{ pm_text_os, PM_TEXT_LIT(pm_text_os) },
	};
	const char *end = p + len, *q;
	size_t i, n;

	for (i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		if (pm_text_starts(p, end, starts[i].s, starts[i].n))
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
