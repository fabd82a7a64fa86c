/*
 * an_plot_marks.c - the marks of one or more traces in a figure script:
 * a vertical line through every panel for each mark, and their text kept
 * readable however close the marks are.  When every label fits beside its
 * line, each is written along its line; else each line gets a short number
 * ("3", "B3" in a comparison), staggered in rows so that no two overprint,
 * and the numbers with their labels are listed under the figure.  It
 * decides where text goes; the panels and their margins are the caller's.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_csv.h"
#include "an_gpstr.h"
#include "an_plot_gp.h"
#include "cmn_units.h"

#define ROTATED_PX 22		/* width a label written along its line takes */
#define NUM_FONT 12		/* pt: the numbers on the lines */
#define NUM_ROWS 5		/* rows of numbers, top down */
#define LIST_FONT 14		/* pt: the list under the figure */

/* ======================= Collecting ======================= */

size_t
an_plot_marks_collect(const struct an_trace *tr, double shift_s, double x_div,
    double x0_s, double x1_s, uint64_t skip, int set, struct an_plot_mark *out)
{
	size_t n = 0;

	for (size_t i = 0; i < tr->nmarks; i++) {
		double t = tr->marks[i].t - shift_s;
		if (!(t >= x0_s && t <= x1_s) || (skip && tr->marks[i].number == skip))
			continue;
		out[n].x = t / x_div;
		out[n].m = &tr->marks[i];
		out[n++].set = set;
	}
	return n;
}

/* ======================= Layout ======================= */

static int
cmp_x(const void *a, const void *b)
{
	const struct an_plot_mark *p = a, *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return p->set - q->set;
}

/* Pixels from the left of the plot area of axis value x. */
static double
layout_px(const struct an_plot_marklayout *lo, double x)
{
	return (x - lo->x0) / (lo->x1 - lo->x0) * lo->plot_px;
}

/* Whether every label can be written along its line (none too close). */
static int
layout_rotated_fits(const struct an_plot_mark *mk, size_t n, const struct an_plot_marklayout *lo)
{
	if (n > AN_PLOT_MAX_MARK_LABELS)
		return 0;
	for (size_t i = 1; i < n; i++)
		if (layout_px(lo, mk[i].x) - layout_px(lo, mk[i - 1].x) < ROTATED_PX)
			return 0;
	return 1;
}

/* The short name of a mark: "3", or "B3" in a comparison. */
static void
mark_name(const struct an_plot_mark *k, const struct an_plot_markset *sets, char *buf,
    size_t len)
{
	snprintf(buf, len, "%s%llu", sets[k->set].prefix, (unsigned long long)k->m->number);
}

/* The mark's label as display text (its number when it has none). */
static void
mark_text(const struct an_plot_mark *k, char *buf, size_t len)
{
	char raw[1100];

	an_mark_label(k->m, raw, sizeof(raw));
	an_gp_clean(raw, strlen(raw), AN_PLOT_MARK_CHARS, buf, len);
}

/* ======================= Writing ======================= */

/* Writes the line of mark k (tag). */
static void
write_line(FILE *f, const struct an_plot_mark *k, const struct an_plot_markset *s,
    const struct an_plot_marklayout *lo, int tag)
{
	fprintf(f, "set arrow %d from first %.9g, graph 0 to first %.9g, graph 1 nohead "
	    "%s lw 1 dt %d lc rgb '%s'\n", tag, k->x, k->x, lo->front ? "front" : "back",
	    s->dt > 0 ? s->dt : 2, s->color ? s->color : "#777777");
}

/* Writes mark k's label along its line (tag). */
static void
write_rotated(FILE *f, const struct an_plot_mark *k, const struct an_plot_markset *s,
    const struct an_plot_marklayout *lo, int tag)
{
	char text[4 * AN_PLOT_MARK_CHARS + 8];

	mark_text(k, text, sizeof(text));
	fprintf(f, "mark_%d = ", tag);
	if (s->prefix[0] != '\0')
		fprintf(f, "'%s: ' . ", s->prefix);
	an_gp_str(f, text, strlen(text));
	fprintf(f, "\nset label %d mark_%d at first %.9g, graph 0.98 right rotate by 90 "
	    "offset character %s,0 font ',13' tc rgb '%s' front%s\n", tag, tag, k->x,
	    layout_px(lo, k->x) < ROTATED_PX ? "1" : "-1",	/* at the axis: right of the line */
	    s->color ? s->color : "#555555", lo->front ? " boxed" : "");
}

/*
 * Writes the numbers of the marks on their lines, each in the first row
 * (top down) where it overprints no other; a number with no free row is
 * left out (its line is drawn and it is listed).  Tags from *tag.
 */
static void
write_numbers(FILE *f, const struct an_plot_mark *mk, size_t n,
    const struct an_plot_markset *sets, const struct an_plot_marklayout *lo, int *tag)
{
	double row_end[NUM_ROWS];

	for (int r = 0; r < NUM_ROWS; r++)
		row_end[r] = -1e9;
	for (size_t i = 0; i < n; i++) {
		char name[48];
		double w, px = layout_px(lo, mk[i].x);
		int r = 0;
		mark_name(&mk[i], sets, name, sizeof(name));
		w = (double)strlen(name) * 0.64 * NUM_FONT * 4.0 / 3.0 + 8;
		double x0 = lo->front ? px + 4 : px - w / 2;	/* beside a line drawn in front */
		while (r < NUM_ROWS && x0 < row_end[r] + 6)
			r++;
		if (r == NUM_ROWS)
			continue;
		row_end[r] = x0 + w;
		fprintf(f, "set label %d '%s' at first %.9g, graph %.3g %s font ',%d' "
		    "tc rgb '%s' front boxed\n", (*tag)++, name, mk[i].x, 0.9 - 0.12 * r,
		    lo->front ? "left offset character 0.4,0" : "center", NUM_FONT,
		    sets[mk[i].set].color ? sets[mk[i].set].color : "#333333");
	}
}

/* One line of the list under the figure. */
struct list_line {
	char text[1024];		/* display text */
	const char *color;		/* its trace's colour; NULL: dark grey */
	size_t entries;			/* marks it lists */
};

/* Lines of the list, growing. */
struct list {
	struct list_line *line;
	size_t n, cap;
	int oom;
};

/* Starts a new, empty line in colour color. */
static struct list_line *
list_new_line(struct list *l, const char *color)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		struct list_line *p = realloc(l->line, cap * sizeof(*p));
		if (p == NULL) {
			l->oom = 1;
			return NULL;
		}
		l->line = p;
		l->cap = cap;
	}
	memset(&l->line[l->n], 0, sizeof(l->line[0]));
	l->line[l->n].color = color;
	return &l->line[l->n++];
}

/*
 * Adds one entry ("3 open image 3") to the list: to the last line when it
 * is of the same trace and still fits the figure's width, else to a new one.
 */
static void
list_add(struct list *l, const char *entry, const char *color, int newset, int fig_w)
{
	struct list_line *ln = l->n > 0 && !newset ? &l->line[l->n - 1] : NULL;
	char next[2 * sizeof(ln->text)];
	size_t len;

	if (ln != NULL) {
		snprintf(next, sizeof(next), "%s   %s", ln->text, entry);
		if (strlen(next) >= sizeof(ln->text) ||
		    an_plot_fit_font(next, LIST_FONT, fig_w * 94 / 100) < LIST_FONT)
			ln = NULL;
	}
	if (ln == NULL) {
		if ((ln = list_new_line(l, color)) == NULL)
			return;
		snprintf(next, sizeof(next), "%s", entry);
	}
	len = strlen(next) < sizeof(ln->text) ? strlen(next) : sizeof(ln->text) - 1;
	memcpy(ln->text, next, len);
	ln->text[len] = '\0';
	ln->entries++;
}

/* Builds the list: "number label" of each mark, a new line for each trace. */
static void
list_build(struct list *l, const struct an_plot_mark *mk, size_t n,
    const struct an_plot_markset *sets, int fig_w)
{
	for (size_t i = 0; i < n && !l->oom; i++) {
		char entry[4 * AN_PLOT_MARK_CHARS + 64], name[48];
		char text[4 * AN_PLOT_MARK_CHARS + 8];
		mark_name(&mk[i], sets, name, sizeof(name));
		mark_text(&mk[i], text, sizeof(text));
		snprintf(entry, sizeof(entry), "%s %s", name, text);
		list_add(l, entry, sets[mk[i].set].color, i > 0 && mk[i].set != mk[i - 1].set,
		    fig_w);
	}
}

/*
 * Writes the list's lines as screen labels, the lowest at lo->list_y; at
 * most lo->list_max lines, the last saying how many marks did not fit.
 * Returns the lines written.
 */
static int
list_write(FILE *f, struct list *l, const struct an_plot_marklayout *lo, int *tag)
{
	size_t show = l->n, more = 0;

	if ((int)show > lo->list_max) {
		show = lo->list_max > 0 ? (size_t)lo->list_max - 1 : 0;
		for (size_t i = show; i < l->n; i++)
			more += l->line[i].entries;
	}
	for (size_t i = 0; i < show + (more > 0); i++) {
		double y = lo->list_y + (double)(show + (more > 0) - 1 - i) * lo->list_dy;
		char buf[160];
		const char *text = l->line[i].text;
		if (i == show) {
			snprintf(buf, sizeof(buf), "... and %zu more %s (phocus-analyze info "
			    "lists them all)", more, cmn_units_noun(more, "mark", "marks"));
			text = buf;
		}
		fprintf(f, "marks_%zu = ", i + 1);
		an_gp_str(f, text, strlen(text));
		fprintf(f, "\nset label %d marks_%zu at screen 0.03, screen %.4g left font ',%d' "
		    "tc rgb '%s'\n", (*tag)++, i + 1, y, LIST_FONT,
		    i < show && l->line[i].color ? l->line[i].color : "#333333");
	}
	return (int)(show + (more > 0));
}

/* Orders marks by trace, then time. */
static int
cmp_set(const void *a, const void *b)
{
	const struct an_plot_mark *p = a, *q = b;

	if (p->set != q->set)
		return p->set - q->set;
	return p->x < q->x ? -1 : p->x > q->x;
}

int
an_plot_marks(FILE *f, struct an_plot_mark *mk, size_t n, const struct an_plot_markset *sets,
    const struct an_plot_marklayout *lo, int *tag, int *list_lines)
{
	struct list list = { NULL, 0, 0, 0 };
	int rotated;

	*list_lines = 0;
	qsort(mk, n, sizeof(*mk), cmp_x);
	rotated = layout_rotated_fits(mk, n, lo);
	for (size_t i = 0; i < n; i++)
		write_line(f, &mk[i], &sets[mk[i].set], lo, (*tag)++);
	if (!lo->text || n == 0)
		return ferror(f) ? EOF : 0;
	if (rotated) {
		for (size_t i = 0; i < n; i++)
			write_rotated(f, &mk[i], &sets[mk[i].set], lo, (*tag)++);
		return ferror(f) ? EOF : 0;
	}
	fputs("# marks too close for their labels: numbers on the lines, listed under "
	    "the figure\n", f);
	write_numbers(f, mk, n, sets, lo, tag);
	qsort(mk, n, sizeof(*mk), cmp_set);
	list_build(&list, mk, n, sets, lo->fig_w);
	*list_lines = list_write(f, &list, lo, tag);
	free(list.line);
	return ferror(f) || list.oom ? EOF : 0;
}

int
an_plot_trace_marks(FILE *f, const struct an_trace *tr, double x_div,
    const struct an_plot_markset *set, const struct an_plot_marklayout *lo, int *tag,
    int *list_lines)
{
	struct an_plot_mark *mk = malloc((tr->nmarks + 1) * sizeof(*mk));
	size_t n;
	int rc;

	*list_lines = 0;
	if (mk == NULL)
		return EOF;
	n = an_plot_marks_collect(tr, 0, x_div, lo->x0 * x_div, lo->x1 * x_div, 0, 0, mk);
	rc = an_plot_marks(f, mk, n, set, lo, tag, list_lines);
	free(mk);
	return rc;
}
